// Fuzzes reading a stored signature report (ingest::ReadSignatureReport):
// the JSON text with no format version, and as each known version.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/signature_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (std::string_view format : {std::string_view(), std::string_view(kholuu::ingest::kSignatureReportFormat),
                                  std::string_view(kholuu::ingest::kSignatureReportFormatV1)}) {
    auto r = kholuu::ingest::ReadSignatureReport(format, bytes);
    (void)r;
  }
  return 0;
}
