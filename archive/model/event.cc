#include "archive/model/event.h"

#include <array>
#include <string>
#include <utility>

namespace kholuu::model {

namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 10> kTypeNames = {{
    {EventType::kIngestion, "ingestion"},
    {EventType::kValidation, "validation"},
    {EventType::kSignatureVerification, "signature verification"},
    {EventType::kNormalisation, "normalization"},
    {EventType::kFixityCheck, "fixity check"},
    {EventType::kAccess, "access"},
    {EventType::kDisposition, "disposition"},
    {EventType::kReplication, "replication"},
    {EventType::kRepair, "repair"},
    {EventType::kDeletion, "deletion"},
}};

constexpr std::array<std::pair<EventOutcome, std::string_view>, 3> kOutcomeNames = {{
    {EventOutcome::kSuccess, "success"},
    {EventOutcome::kFailure, "failure"},
    {EventOutcome::kWarning, "warning"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
Result<E> ValueOf(const std::array<std::pair<E, std::string_view>, N>& table,
                  std::string_view name, std::string_view what) {
  for (const auto& [v, known] : table) {
    if (known == name) return v;
  }
  return InvalidArgumentError("unknown " + std::string(what) + " \"" + std::string(name) + "\"");
}

}  // namespace

std::string_view EventTypeName(EventType t) { return NameOf(kTypeNames, t); }
std::string_view EventOutcomeName(EventOutcome o) { return NameOf(kOutcomeNames, o); }

Result<EventType> ParseEventType(std::string_view name) {
  return ValueOf(kTypeNames, name, "event type");
}
Result<EventOutcome> ParseEventOutcome(std::string_view name) {
  return ValueOf(kOutcomeNames, name, "event outcome");
}

Problems Event::Validate() const {
  Problems p;
  CheckRange(p, "type", static_cast<int64_t>(type), 1, 10);
  CheckRange(p, "outcome", static_cast<int64_t>(outcome), 1, 3);
  CheckText(p, "object_id", object_id, 200, /*required=*/true);
  CheckText(p, "detail", detail, 2000, false, /*single_line=*/false);
  CheckText(p, "agent", agent, 200, /*required=*/true);
  if (time_micros <= 0) p.Add("time_micros", "must be after the Unix epoch");
  return p;
}

}  // namespace kholuu::model
