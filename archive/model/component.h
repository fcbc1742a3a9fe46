// A component is one bitstream of a document, stored as a blob.
#pragma once

#include <cstdint>
#include <string>

#include "archive/base/sha256.h"
#include "archive/model/validation.h"

namespace kholuu::model {

enum class ComponentRole : int32_t {
  kOriginal = 1,          // the bytes as received, bit-exact (signed original)
  kPreservationCopy = 2,  // PDF/A copy made or confirmed by the archive
  kRendition = 3,         // e.g. PDF/A-3b for transfer and legal export
  kExtractedText = 4,     // text for indexing
  kReport = 5,            // validation / signature verification report
};

std::string_view ComponentRoleName(ComponentRole role);  // "original", ...
Result<ComponentRole> ParseComponentRole(std::string_view name);

struct Component {
  std::string id;            // document id + "/" + index, e.g. "…001/1"
  std::string document_id;
  ComponentRole role = ComponentRole::kOriginal;
  std::string name;          // file name as received (UTF-8)
  Sha256 sha256;
  uint64_t size = 0;
  std::string media_type;    // e.g. "application/pdf"
  std::string format_version;// e.g. "1.7", "PDF/A-2b"
  std::string derived_from;  // component id this was made from, if any
  int64_t created_micros = 0;

  Problems Validate() const;
};

}  // namespace kholuu::model
