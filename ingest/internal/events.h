// Event helpers of the ingest library's own steps (preservation, the
// pipeline). Internal to ingest/.
#pragma once

#include <cstddef>
#include <string>

#include "archive/model/event.h"

namespace kholuu::ingest::internal {

// Event::detail allows 2000 code points; what the steps write is kept under.
inline constexpr size_t kMaxEventDetail = 1900;

// `s` cut to at most `max` bytes at a UTF-8 character boundary, with "…"
// appended when anything was cut.
std::string Clip(std::string s, size_t max);

// An event on `object` (time and sequence number assigned by the catalog);
// detail clipped to kMaxEventDetail, agent to 190 bytes.
model::Event MakeEvent(model::EventType type, model::EventOutcome outcome, std::string object,
                       std::string detail, std::string agent);

}  // namespace kholuu::ingest::internal
