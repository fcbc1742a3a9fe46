// Fuzzes the MANIFEST-SHA256 parser (a file read from backup media): no
// crash, and every accepted path stays inside the backup.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "archive/ops/copies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = kholuu::archive::ParseBackupManifest(in);
  if (m.ok()) {
    for (const auto& [path, digest] : *m) {
      if (path.empty() || path[0] == '/' || path.find("..") == 0) std::abort();
      if (path.find("/../") != std::string::npos || path.find("/./") != std::string::npos) std::abort();
      (void)digest;
    }
  }
  return 0;
}
