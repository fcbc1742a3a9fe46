#include "archive/model/component.h"

#include <array>
#include <string>
#include <utility>

namespace kholuu::model {

namespace {

constexpr std::array<std::pair<ComponentRole, std::string_view>, 5> kRoleNames = {{
    {ComponentRole::kOriginal, "original"},
    {ComponentRole::kPreservationCopy, "preservation_copy"},
    {ComponentRole::kRendition, "rendition"},
    {ComponentRole::kExtractedText, "extracted_text"},
    {ComponentRole::kReport, "report"},
}};

// "type/subtype" (RFC 6838 shape, parameters allowed after ';'): printable
// ASCII, no spaces, exactly one '/' before any ';', both halves non-empty.
bool IsMediaType(const std::string& s) {
  const size_t end = s.find(';');
  const std::string_view essence = std::string_view(s).substr(0, end);
  const size_t slash = essence.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == essence.size()) return false;
  if (essence.find('/', slash + 1) != std::string_view::npos) return false;
  for (char c : essence) {
    if (c <= ' ' || c >= '\x7f') return false;
  }
  return true;
}

}  // namespace

std::string_view ComponentRoleName(ComponentRole role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

Result<ComponentRole> ParseComponentRole(std::string_view name) {
  for (const auto& [value, known] : kRoleNames) {
    if (known == name) return value;
  }
  return InvalidArgumentError("unknown component role \"" + std::string(name) + "\"");
}

Problems Component::Validate() const {
  Problems p;
  CheckText(p, "id", id, 200, /*required=*/true);
  CheckText(p, "document_id", document_id, 200, /*required=*/true);
  CheckRange(p, "role", static_cast<int64_t>(role), 1, 5);
  CheckText(p, "name", name, 255, false);
  if (sha256.IsZero()) p.Add("sha256", "is required (all zero)");
  if (media_type.empty()) {
    p.Add("media_type", "is required");
  } else if (!IsMediaType(media_type)) {
    p.Add("media_type", "is not a media type \"type/subtype\"");
  }
  CheckText(p, "format_version", format_version, 50, false);
  CheckText(p, "derived_from", derived_from, 200, false);
  if (!derived_from.empty() && derived_from == id) {
    p.Add("derived_from", "names the component itself");
  }
  if (created_micros < 0) p.Add("created_micros", "is negative");
  return p;
}

}  // namespace kholuu::model
