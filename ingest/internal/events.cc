#include "ingest/internal/events.h"

namespace kholuu::ingest::internal {

std::string Clip(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  s.resize(cut);
  return s + "…";
}

model::Event MakeEvent(model::EventType type, model::EventOutcome outcome, std::string object,
                       std::string detail, std::string agent) {
  model::Event e;
  e.type = type;
  e.outcome = outcome;
  e.object_id = std::move(object);
  e.detail = Clip(std::move(detail), kMaxEventDetail);
  e.agent = Clip(std::move(agent), 190);
  return e;
}

}  // namespace kholuu::ingest::internal
