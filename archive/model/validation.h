// Validation results: every problem found, each naming its field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::model {

struct FieldProblem {
  std::string field;    // dotted path, e.g. "file_code.organ_id", "signers[1].full_name"
  std::string message;  // what is wrong, for a person
};

// Collects problems; validation never stops at the first one.
// Thread-safety: not thread-safe; one owner thread.
class Problems {
 public:
  void Add(std::string field, std::string message) {
    list_.push_back({std::move(field), std::move(message)});
  }
  bool empty() const { return list_.empty(); }
  const std::vector<FieldProblem>& list() const { return list_; }

  // OK if empty; otherwise kInvalidArgument whose message lists every problem
  // as "field: message" joined by "; ", prefixed by `what`.
  Status ToStatus(std::string_view what) const;

 private:
  std::vector<FieldProblem> list_;
};

// Shared checks used by the validators. Each adds at most one problem.
// Length is counted in Unicode code points of the UTF-8 text.
void CheckRequired(Problems& p, const std::string& field, const std::string& value);
void CheckMaxLength(Problems& p, const std::string& field, const std::string& value,
                    size_t max_code_points);
void CheckUtf8(Problems& p, const std::string& field, const std::string& value);
// A calendar date "YYYY-MM-DD"; empty passes (use CheckRequired for required ones).
void CheckDate(Problems& p, const std::string& field, const std::string& value);

// The usual text check, adding at most one problem, in this order of
// precedence: invalid UTF-8; missing when `required` (empty or only ASCII
// white space); longer than `max_code_points`; a control character (U+0000..
// U+001F, U+007F) when `single_line`, or one other than tab, LF and CR when not.
// A `max_code_points` of 0 means no length limit.
void CheckText(Problems& p, const std::string& field, const std::string& value,
               size_t max_code_points, bool required, bool single_line = true);
// An integer in [min, max] inclusive.
void CheckRange(Problems& p, const std::string& field, int64_t value, int64_t min,
                int64_t max);

// Number of code points in valid UTF-8, or -1 if invalid. Valid means RFC 3629:
// shortest form, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.
long Utf8Length(const std::string& s);
// True for exactly "YYYY-MM-DD" naming a real day of the proleptic Gregorian
// calendar, years 0001..9999 (leap years: divisible by 4, except centuries
// not divisible by 400).
bool IsValidDate(const std::string& yyyy_mm_dd);

}  // namespace kholuu::model
