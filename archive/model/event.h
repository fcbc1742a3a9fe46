// PREMIS-like preservation events: what happened to an object, when, by whom,
// with what outcome.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/model/validation.h"

namespace kholuu::model {

enum class EventType : int32_t {
  kIngestion = 1,
  kValidation = 2,
  kSignatureVerification = 3,
  kNormalisation = 4,
  kFixityCheck = 5,
  kAccess = 6,
  kDisposition = 7,
  kReplication = 8,
  kRepair = 9,
  kDeletion = 10,
};

enum class EventOutcome : int32_t { kSuccess = 1, kFailure = 2, kWarning = 3 };

// PREMIS-like event type names: "ingestion", "validation", "signature
// verification", "normalization", "fixity check", "access", "disposition",
// "replication", "repair", "deletion"; "unknown" outside the enum.
std::string_view EventTypeName(EventType t);
// "success", "failure", "warning"; "unknown" outside the enum.
std::string_view EventOutcomeName(EventOutcome o);
// Inverses of the two above (exact match). Errors: kInvalidArgument.
Result<EventType> ParseEventType(std::string_view name);
Result<EventOutcome> ParseEventOutcome(std::string_view name);

// Value type; no shared state.
struct Event {
  uint64_t seq = 0;           // assigned by the catalog
  EventType type = EventType::kIngestion;
  EventOutcome outcome = EventOutcome::kSuccess;
  std::string object_id;      // record file, document or component id; or blob sha256
  std::string detail;         // human-readable outcome detail
  std::string agent;          // who/what: "kholuu fixity", a user id
  int64_t time_micros = 0;

  // Every problem at once. Rules: type and outcome in range; object_id and
  // agent required single-line (≤ 200 code points); detail valid UTF-8,
  // ≤ 2000, line breaks allowed; time_micros > 0.
  Problems Validate() const;

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace kholuu::model
