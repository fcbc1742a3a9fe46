#include "archive/model/record_file.h"

#include <string>
#include <vector>

#include "archive/model/agency.h"

namespace kholuu::model {

namespace {

constexpr int32_t kMinYear = 1900;
constexpr int32_t kMaxYear = 2200;

std::vector<std::string> SplitDots(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    if (dot == std::string::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
}

std::string Join(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (i > from) out += '.';
    out += parts[i];
  }
  return out;
}

// A four-digit year in [kMinYear, kMaxYear], or -1.
int32_t ParseYear(const std::string& s) {
  if (s.size() != 4) return -1;
  int32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return (v >= kMinYear && v <= kMaxYear) ? v : -1;
}

}  // namespace

std::string FileCode::ToString() const {
  return organ_id + "." + std::to_string(file_catalog) + "." + file_notation;
}

Result<FileCode> FileCode::Parse(const std::string& text) {
  if (Utf8Length(text) < 0) return InvalidArgumentError("file code is not valid UTF-8");
  const std::vector<std::string> parts = SplitDots(text);
  FileCode code;
  size_t year_index = 0;
  if (parts.size() >= 4 && IsStrictOrganId(Join(parts, 0, 4))) {
    year_index = 4;
    if (parts.size() < 6 || ParseYear(parts[4]) < 0) {
      return InvalidArgumentError("file code \"" + text +
                                  "\": expected a year 1900..2200 and a notation after the "
                                  "organ id");
    }
  } else {
    for (size_t i = 1; i + 1 < parts.size(); ++i) {
      if (ParseYear(parts[i]) >= 0) {
        year_index = i;
        break;
      }
    }
    if (year_index == 0) {
      return InvalidArgumentError("file code \"" + text +
                                  "\": no year segment 1900..2200 followed by a notation");
    }
  }
  code.organ_id = Join(parts, 0, year_index);
  if (!IsLenientOrganId(code.organ_id)) {
    return InvalidArgumentError("file code \"" + text + "\": \"" + code.organ_id +
                                "\" is not an organ id");
  }
  code.file_catalog = ParseYear(parts[year_index]);
  code.file_notation = Join(parts, year_index + 1, parts.size());
  if (code.file_notation.empty()) {
    return InvalidArgumentError("file code \"" + text + "\": empty notation");
  }
  return code;
}

void FileCode::Validate(Problems& p, const std::string& prefix) const {
  if (organ_id.empty()) {
    p.Add(prefix + "organ_id", "is required");
  } else if (!IsLenientOrganId(organ_id)) {
    p.Add(prefix + "organ_id", "is not an organ id (1-13 of A-Z, 0-9 and '.', no empty segment)");
  }
  CheckRange(p, prefix + "file_catalog", file_catalog, kMinYear, kMaxYear);
  CheckText(p, prefix + "file_notation", file_notation, 20, /*required=*/true);
}

Problems RecordFile::Validate() const {
  Problems p;
  file_code.Validate(p, "file_code.");
  CheckText(p, "title", title, 500, /*required=*/true, /*single_line=*/false);
  CheckText(p, "maintenance", maintenance, 30, false);
  CheckRange(p, "rights", static_cast<int64_t>(rights), 1, 3);
  CheckText(p, "creator", creator, 30, false);
  CheckText(p, "language", language, 50, false);
  CheckDate(p, "start_date", start_date);
  CheckDate(p, "end_date", end_date);
  // Both valid YYYY-MM-DD: the text order is the date order.
  if (IsValidDate(start_date) && IsValidDate(end_date) && end_date < start_date) {
    p.Add("end_date", "is before start_date");
  }
  CheckRange(p, "doc_total", doc_total, 0, 9999);
  CheckRange(p, "page_total", page_total, 0, 9999);
  CheckText(p, "description", description, 500, false, /*single_line=*/false);
  CheckText(p, "keywords", keywords, 0, false, /*single_line=*/false);
  CheckRange(p, "number_of_paper", number_of_paper, 0, 9999);
  CheckText(p, "physical_state", physical_state, 30, false);
  CheckText(p, "infor_sign", infor_sign, 30, false);
  CheckRange(p, "confidence", static_cast<int64_t>(confidence), 0, 3);
  CheckText(p, "paper_file_code", paper_file_code, 50, false);
  CheckText(p, "risk_recovery_status", risk_recovery_status, 30, false);
  if (!risk_recovery && !risk_recovery_status.empty()) {
    p.Add("risk_recovery_status", "is only allowed when risk_recovery is set");
  }
  CheckText(p, "fonds_code", fonds_code, 30, false);
  if (created_micros < 0) p.Add("created_micros", "is negative");
  return p;
}

}  // namespace kholuu::model
