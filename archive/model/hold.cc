#include "archive/model/hold.h"

#include <cstdint>
#include <set>

namespace kholuu::model {

Problems Hold::Validate() const {
  Problems p;
  CheckText(p, "id", id, 64, true);
  CheckText(p, "name", name, 200, true);
  CheckText(p, "reason", reason, 1000, true);
  CheckText(p, "authority", authority, 1000, true);
  CheckText(p, "query", query, 1000, false);
  CheckText(p, "placed_by", placed_by, 200, false);
  if (objects.empty()) p.Add("objects", "a hold holds at least one record file or document");
  if (objects.size() > 100000) p.Add("objects", "at most 100000 objects in one hold");
  std::set<std::string> seen;
  for (size_t i = 0; i < objects.size(); ++i) {
    const std::string& o = objects[i];
    const std::string field = "objects[" + std::to_string(i) + "]";
    if (o.empty() || o.size() > 400) {
      p.Add(field, "an id of 1 to 400 bytes");
    } else if (!seen.insert(o).second) {
      p.Add(field, "'" + o + "' is listed twice");
    }
  }
  CheckRange(p, "placed_micros", placed_micros, 0, INT64_MAX);
  if (released_micros != 0) {
    if (released_micros < placed_micros) p.Add("released_micros", "released before it was placed");
    CheckText(p, "release_reason", release_reason, 1000, true);
    CheckText(p, "released_by", released_by, 200, false);
  }
  return p;
}

}  // namespace kholuu::model
