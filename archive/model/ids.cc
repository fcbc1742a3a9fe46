#include "archive/model/ids.h"

#include <cstdio>

namespace kholuu::model {

std::string MakeDocumentId(const FileCode& file, int32_t ordinal) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%03d", static_cast<int>(ordinal));
  return file.ToString() + "." + buf;
}

std::string MakeComponentId(std::string_view document_id, int32_t index) {
  return std::string(document_id) + "/" + std::to_string(index);
}

int32_t NextComponentIndex(const std::vector<std::string>& component_ids) {
  int32_t next = 1;
  for (const std::string& id : component_ids) {
    size_t slash = id.rfind('/');
    if (slash == std::string::npos || slash + 1 == id.size() || id.size() - slash > 10) continue;
    int32_t n = 0;
    bool digits = true;
    for (size_t i = slash + 1; i < id.size(); ++i) {
      if (id[i] < '0' || id[i] > '9') {
        digits = false;
        break;
      }
      n = n * 10 + (id[i] - '0');
    }
    if (digits && n >= next) next = n + 1;
  }
  return next;
}

bool IsOwnPreservationCopy(const Component& c) {
  return c.role == ComponentRole::kOriginal && c.format_version.rfind("PDF/A", 0) == 0;
}

void MarkOwnPreservationCopy(Component& original, std::string_view profile) {
  std::string p(profile);
  for (char& ch : p) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  original.format_version = "PDF/A-" + p;
}

}  // namespace kholuu::model
