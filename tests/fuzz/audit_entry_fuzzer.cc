// Fuzzes the audit entry decoder: any bytes must decode or fail cleanly, and
// whatever decodes must re-encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "archive/audit/audit_entry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  kholuu::Result<kholuu::archive::AuditEntry> e = kholuu::archive::DecodeAuditEntry(in);
  if (e.ok()) {
    if (kholuu::archive::EncodeAuditEntry(*e) != in) std::abort();
    (void)e->ComputeHash();
  }
  return 0;
}
