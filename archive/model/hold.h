// A hold (issue 20): record files and documents that must not be destroyed,
// altered or moved out while it is in force — a legal hold, an inspection,
// a complaint being settled. Placed and released with a reason; the catalog
// keeps released holds too (their history is the audit log's).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/model/validation.h"

namespace kholuu::model {

struct Hold {
  std::string id;         // "hold-" + 16 hex digits, minted by the catalog
  std::string name;       // a short name ("Thanh tra 2026/03")
  std::string reason;     // why (required)
  std::string authority;  // who ordered it (decision, body), required
  // What it holds: record file codes and document ids. A held record file
  // holds every document in it; a held document, its components.
  std::vector<std::string> objects;
  std::string query;      // the saved search its objects were found by, if any
  int64_t placed_micros = 0;
  std::string placed_by;
  int64_t released_micros = 0;  // 0 while in force
  std::string released_by;
  std::string release_reason;

  bool in_force() const { return released_micros == 0; }

  // Every problem at once: id, name, reason, authority required and
  // single-line (name ≤ 200, reason and authority ≤ 1000 code points);
  // 1..100000 objects, each 1..400 bytes, no duplicates; a release has its
  // reason and a time not before the placement.
  Problems Validate() const;

  friend bool operator==(const Hold&, const Hold&) = default;
};

}  // namespace kholuu::model
