// Validation results: every problem found, each naming its field.
#pragma once

#include <string>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::model {

struct FieldProblem {
  std::string field;    // dotted path, e.g. "file_code.organ_id", "signers[1].full_name"
  std::string message;  // what is wrong, for a person
};

// Collects problems; validation never stops at the first one.
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

// Number of code points in valid UTF-8, or -1 if invalid.
long Utf8Length(const std::string& s);
bool IsValidDate(const std::string& yyyy_mm_dd);

}  // namespace kholuu::model
