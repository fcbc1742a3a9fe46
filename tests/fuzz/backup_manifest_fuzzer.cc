// Fuzzes the MANIFEST-SHA256 parser (a file read from backup media): no
// crash, and every accepted path stays inside the backup.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "archive/ops/copies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = kholuu::archive::ParseBackupManifest(in);
  if (m.ok()) {
    for (const auto& [path, digest] : *m) {
      // Every accepted path is relative and has no empty, "." or ".."
      // component ("..tc" is an ordinary name).
      if (path.empty() || path[0] == '/') std::abort();
      size_t start = 0;
      while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        std::string_view part(path.data() + start, slash - start);
        if (part.empty() || part == "." || part == "..") std::abort();
        start = slash + 1;
      }
      (void)digest;
    }
  }
  return 0;
}
