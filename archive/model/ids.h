// The one place that mints the archive's document and component ids and
// says which component stands as a document's preservation copy.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/model/component.h"
#include "archive/model/record_file.h"

namespace kholuu::model {

// A document's id: its record file's code, a dot and the three-digit
// ordinal, e.g. "000.00.00.G22.2024.01.TCCB.007" (NĐ 30 docCode). Ordinals
// above 999 keep all their digits.
std::string MakeDocumentId(const FileCode& file, int32_t ordinal);

// A component's id: the document id, "/" and the 1-based index within it,
// e.g. "….007/2".
std::string MakeComponentId(std::string_view document_id, int32_t index);

// The smallest index above every index among `component_ids` (ids that do
// not end in "/<digits>" are ignored): 1 for a document without components.
int32_t NextComponentIndex(const std::vector<std::string>& component_ids);

// A PDF/A original is its own preservation copy (spec/architecture.md §3):
// true for an original whose format_version says "PDF/A-…". The preservation
// step sets that with MarkOwnPreservationCopy once our validator accepts it.
bool IsOwnPreservationCopy(const Component& c);
// Sets format_version to "PDF/A-" + the upper-cased profile ("2b" ->
// "PDF/A-2B").
void MarkOwnPreservationCopy(Component& original, std::string_view profile);

}  // namespace kholuu::model
