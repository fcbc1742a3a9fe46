// A component is one bitstream of a document, stored as a blob.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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

// Stable names: "original", "preservation_copy", "rendition",
// "extracted_text", "report"; "unknown" for a value outside the enum.
std::string_view ComponentRoleName(ComponentRole role);
// Inverse of ComponentRoleName (exact, case-sensitive). "unknown" is not
// accepted. Errors: kInvalidArgument.
Result<ComponentRole> ParseComponentRole(std::string_view name);

// Value type; no shared state.
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

  // Every problem at once. Rules: id, document_id required single-line ≤ 200;
  // role in range; name valid UTF-8 single line ≤ 255; sha256 not all zero;
  // media_type required, "type/subtype" of printable ASCII without spaces;
  // derived_from differs from id; created_micros ≥ 0.
  Problems Validate() const;

  friend bool operator==(const Component&, const Component&) = default;
};

}  // namespace kholuu::model
