#include "ingest/retention_schedule.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "formats/batch/batch.h"
#include "formats/common/text.h"
#include "ingest/builtin_schedules.h"

namespace kholuu::ingest {
namespace {

using nlohmann::json;

// All digits, 1..3 of them.
std::optional<int32_t> SmallNumber(std::string_view s) {
  if (s.empty() || s.size() > 3 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  int32_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// "70 nam" / "70" (a folded key) as years.
std::optional<int32_t> FoldedYears(const std::string& key) {
  if (key.size() > 4 && key.compare(key.size() - 4, 4, " nam") == 0) return SmallNumber(key.substr(0, key.size() - 4));
  return SmallNumber(key);
}

// "a; b; c", at most 50 listed.
std::string JoinProblems(const std::vector<std::string>& problems) {
  std::string all;
  for (size_t i = 0; i < problems.size() && i < 50; ++i) all += (i ? "; " : "") + problems[i];
  if (problems.size() > 50) all += "; and " + std::to_string(problems.size() - 50) + " more";
  return all;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool IsIdentifier(const std::string& s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<model::RetentionPeriod> ParseRetention(std::string_view text) {
  const std::string trimmed(formats::Trim(text));
  const std::string key = formats::FoldKey(trimmed);
  auto bad = [&](const std::string& why) {
    return InvalidArgumentError("retention '" + std::string(formats::PrintableText(text, 200)) + "': " + why);
  };
  if (key.empty()) return bad("empty");
  if (key == "vinh vien") return model::RetentionPeriod::Permanent();
  const bool digit_first = trimmed[0] >= '0' && trimmed[0] <= '9';  // "-5 năm" folds to "5 nam"
  if (auto years = digit_first ? FoldedYears(key) : std::nullopt) {
    model::RetentionPeriod p = model::RetentionPeriod::Years(*years);
    if (Status s = p.Validate(); !s.ok()) return bad(s.message());
    return p;
  }
  if (StartsWith(key, "den khi ") || StartsWith(key, "cho den khi ") || StartsWith(key, "theo ")) {
    model::RetentionPeriod p = model::RetentionPeriod::Until(trimmed);
    // "<event> + N năm": N years after the event.
    const size_t plus = trimmed.rfind('+');
    if (plus != std::string::npos) {
      if (auto years = FoldedYears(formats::FoldKey(std::string_view(trimmed).substr(plus + 1)))) {
        p.condition = std::string(formats::Trim(std::string_view(trimmed).substr(0, plus)));
        p.years = *years;
      }
    }
    if (Status s = p.Validate(); !s.ok()) return bad(s.message());
    return p;
  }
  return bad("not 'Vĩnh viễn', a number of years ('70 năm') or a condition ('Đến khi …', 'Theo …')");
}

const ScheduleEntry* Schedule::Find(std::string_view code) const {
  for (const ScheduleEntry& e : entries) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

Status Schedule::Validate() const {
  std::vector<std::string> problems;
  if (!IsIdentifier(id, 64)) problems.push_back("id '" + id + "': 1 to 64 of A-Z a-z 0-9 . _ -");
  if (!IsIdentifier(version, 32)) problems.push_back("version '" + version + "': 1 to 32 of A-Z a-z 0-9 . _ -");
  if (formats::Trim(title).empty()) problems.push_back("title: required");
  std::set<std::string> group_codes;
  for (const ScheduleGroup& g : groups) {
    if (g.code.empty()) problems.push_back("a group without a code");
    if (!group_codes.insert(g.code).second) problems.push_back("group " + g.code + ": listed twice");
  }
  for (const ScheduleGroup& g : groups) {
    if (!g.parent.empty() && !group_codes.count(g.parent)) {
      problems.push_back("group " + g.code + ": parent " + g.parent + " is not a group");
    }
  }
  std::set<std::string> codes;
  for (size_t i = 0; i < entries.size(); ++i) {
    const ScheduleEntry& e = entries[i];
    const std::string name = e.code.empty() ? "entry #" + std::to_string(i + 1) : "entry " + e.code;
    if (e.code.empty() || e.code.size() > 64 || e.code.find_first_of(" \t\r\n") != std::string::npos) {
      problems.push_back(name + ": a code of 1 to 64 characters without spaces is required");
    } else if (!codes.insert(e.code).second) {
      problems.push_back(name + ": the code is used twice");
    }
    if (formats::Trim(e.title).empty()) problems.push_back(name + ": title required");
    if (!groups.empty() && !group_codes.count(e.group)) {
      problems.push_back(name + ": group '" + e.group + "' is not a group of the schedule");
    }
    if (Status s = e.period.Validate(); !s.ok()) problems.push_back(name + ": " + s.message());
  }
  if (problems.empty()) return Status::Ok();
  return InvalidArgumentError("schedule " + id + " " + version + ": " + JoinProblems(problems));
}

Result<Schedule> ParseScheduleJson(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgumentError("schedule: not a JSON object");
  auto str = [&](const json& o, const char* field, bool required, std::string* out) -> Status {
    auto it = o.find(field);
    if (it == o.end() || it->is_null()) {
      return required ? InvalidArgumentError(std::string("schedule: '") + field + "' is required") : Status::Ok();
    }
    if (!it->is_string()) return InvalidArgumentError(std::string("schedule: '") + field + "' must be a string");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  Schedule s;
  KHOLUU_RETURN_IF_ERROR(str(j, "schedule", true, &s.id));
  KHOLUU_RETURN_IF_ERROR(str(j, "version", true, &s.version));
  KHOLUU_RETURN_IF_ERROR(str(j, "title", true, &s.title));
  KHOLUU_RETURN_IF_ERROR(str(j, "authority", false, &s.authority));
  KHOLUU_RETURN_IF_ERROR(str(j, "basis", false, &s.basis));
  std::string effective;
  KHOLUU_RETURN_IF_ERROR(str(j, "effective_from", false, &effective));
  if (!effective.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(model::CivilDate d, model::CivilDate::Parse(effective));
    s.effective_from = d;
  }
  if (auto it = j.find("notes"); it != j.end() && it->is_array()) {
    for (const json& n : *it) {
      if (n.is_string()) s.notes.push_back(n.get<std::string>());
    }
  }
  if (auto it = j.find("groups"); it != j.end()) {
    if (!it->is_array()) return InvalidArgumentError("schedule: 'groups' must be an array");
    for (const json& g : *it) {
      if (!g.is_object()) return InvalidArgumentError("schedule: a group must be an object");
      ScheduleGroup group;
      KHOLUU_RETURN_IF_ERROR(str(g, "code", true, &group.code));
      KHOLUU_RETURN_IF_ERROR(str(g, "parent", false, &group.parent));
      KHOLUU_RETURN_IF_ERROR(str(g, "title", true, &group.title));
      s.groups.push_back(std::move(group));
    }
  }
  auto entries = j.find("entries");
  if (entries == j.end() || !entries->is_array()) return InvalidArgumentError("schedule: 'entries' must be an array");
  for (const json& e : *entries) {
    if (!e.is_object()) return InvalidArgumentError("schedule: an entry must be an object");
    ScheduleEntry entry;
    std::string retention;
    KHOLUU_RETURN_IF_ERROR(str(e, "code", true, &entry.code));
    KHOLUU_RETURN_IF_ERROR(str(e, "group", false, &entry.group));
    KHOLUU_RETURN_IF_ERROR(str(e, "title", true, &entry.title));
    KHOLUU_RETURN_IF_ERROR(str(e, "retention", true, &retention));
    KHOLUU_RETURN_IF_ERROR(str(e, "source", false, &entry.source));
    KHOLUU_RETURN_IF_ERROR(str(e, "note", false, &entry.note));
    if (auto c = e.find("confirmed"); c != e.end()) {
      if (!c->is_boolean()) return InvalidArgumentError("schedule: entry " + entry.code + ": 'confirmed' is true or false");
      entry.confirmed = c->get<bool>();
    }
    auto period = ParseRetention(retention);
    if (!period.ok()) return InvalidArgumentError("schedule: entry " + entry.code + ": " + period.status().message());
    entry.period = std::move(*period);
    s.entries.push_back(std::move(entry));
  }
  KHOLUU_RETURN_IF_ERROR(s.Validate());
  return s;
}

std::string ScheduleToJson(const Schedule& s) {
  json j = {{"schedule", s.id},
            {"version", s.version},
            {"title", s.title},
            {"authority", s.authority},
            {"basis", s.basis},
            {"effective_from", s.effective_from ? json(s.effective_from->ToString()) : json(nullptr)},
            {"notes", s.notes}};
  json groups = json::array();
  for (const ScheduleGroup& g : s.groups) {
    json one = {{"code", g.code}, {"title", g.title}};
    if (!g.parent.empty()) one["parent"] = g.parent;
    groups.push_back(std::move(one));
  }
  j["groups"] = std::move(groups);
  json entries = json::array();
  for (const ScheduleEntry& e : s.entries) {
    json one = {{"code", e.code},     {"group", e.group},         {"title", e.title},
                {"retention", e.period.ToString()}, {"source", e.source}, {"confirmed", e.confirmed}};
    if (!e.note.empty()) one["note"] = e.note;
    entries.push_back(std::move(one));
  }
  j["entries"] = std::move(entries);
  return j.dump(2);
}

Result<Schedule> ImportScheduleSheet(std::string_view bytes, std::string_view file_name, const ScheduleHeader& header) {
  const std::string lower = formats::FoldKey(file_name);
  Result<formats::batch::Sheet> sheet = InvalidArgumentError("unknown");
  if (lower.size() >= 4 && lower.compare(lower.size() - 4, 4, " csv") == 0) {
    sheet = formats::batch::ReadCsv(bytes);
  } else if (lower.size() >= 5 && lower.compare(lower.size() - 5, 5, " xlsx") == 0) {
    sheet = formats::batch::ReadXlsx(bytes);
  } else {
    return InvalidArgumentError("schedule sheet " + std::string(file_name) + ": a .csv or .xlsx file is expected");
  }
  if (!sheet.ok()) return Status(sheet.status().code(), std::string(file_name) + ": " + sheet.status().message());
  if (sheet->rows.empty()) return InvalidArgumentError(std::string(file_name) + ": no header row");
  // The columns, by their folded header names.
  enum Col { kCode, kGroup, kTitle, kRetention, kSource, kConfirmed, kNote, kCols };
  static const std::map<std::string, Col> kNames = {
      {"code", kCode},           {"ma", kCode},          {"so tt", kCode},         {"stt", kCode},
      {"ma muc", kCode},         {"group", kGroup},      {"nhom", kGroup},         {"title", kTitle},
      {"tieu de", kTitle},       {"ten nhom ho so tai lieu", kTitle},              {"ten ho so", kTitle},
      {"retention", kRetention}, {"thoi han bao quan", kRetention},                {"thoi han", kRetention},
      {"source", kSource},       {"nguon", kSource},     {"confirmed", kConfirmed}, {"da xac nhan", kConfirmed},
      {"note", kNote},           {"ghi chu", kNote}};
  std::vector<int> column(kCols, -1);
  const auto& head = sheet->rows[0];
  for (size_t c = 0; c < head.size(); ++c) {
    auto it = kNames.find(formats::FoldKey(head[c].text));
    if (it != kNames.end() && column[it->second] < 0) column[it->second] = static_cast<int>(c);
  }
  std::vector<std::string> problems;
  const std::pair<Col, const char*> kRequired[] = {{kCode, "code"}, {kTitle, "title"}, {kRetention, "retention"}};
  std::string missing;
  for (const auto& [col, name] : kRequired) {
    if (column[col] < 0) missing += std::string(missing.empty() ? "" : ", ") + "'" + name + "'";
  }
  if (!missing.empty()) {
    return InvalidArgumentError(std::string(file_name) + ": the header row has no column " + missing +
                                " (Vietnamese names are read too: mã, tiêu đề, thời hạn bảo quản)");
  }
  Schedule s;
  s.id = header.id;
  s.version = header.version;
  s.title = header.title;
  s.authority = header.authority;
  s.basis = header.basis;
  s.effective_from = header.effective_from;
  std::set<std::string> groups;
  for (size_t r = 1; r < sheet->rows.size(); ++r) {
    const auto& row = sheet->rows[r];
    auto cell = [&](Col c) -> std::string {
      const int i = column[c];
      return i >= 0 && static_cast<size_t>(i) < row.size() ? std::string(formats::Trim(row[static_cast<size_t>(i)].text))
                                                           : std::string();
    };
    const std::string where = "row " + std::to_string(sheet->row_numbers[r]);
    ScheduleEntry e;
    e.code = cell(kCode);
    e.title = cell(kTitle);
    const std::string retention = cell(kRetention);
    if (e.code.empty() && e.title.empty() && retention.empty()) continue;  // a blank row
    e.group = cell(kGroup);
    e.source = cell(kSource);
    e.note = cell(kNote);
    const std::string confirmed = formats::FoldKey(cell(kConfirmed));
    e.confirmed = confirmed == "true" || confirmed == "yes" || confirmed == "1" || confirmed == "co" || confirmed == "x";
    auto period = ParseRetention(retention);
    if (!period.ok()) {
      problems.push_back(where + ": " + period.status().message());
      continue;
    }
    e.period = std::move(*period);
    if (!e.group.empty()) groups.insert(e.group);
    s.entries.push_back(std::move(e));
  }
  // A sheet names groups by code only.
  for (const std::string& g : groups) s.groups.push_back({g, "", g});
  if (!groups.empty()) {
    for (size_t i = 0; i < s.entries.size(); ++i) {
      if (s.entries[i].group.empty()) problems.push_back("entry " + s.entries[i].code + ": no group");
    }
  }
  if (!problems.empty()) return InvalidArgumentError(std::string(file_name) + ": " + JoinProblems(problems));
  if (s.entries.empty()) return InvalidArgumentError(std::string(file_name) + ": no entries below the header row");
  KHOLUU_RETURN_IF_ERROR(s.Validate());
  return s;
}

const std::vector<Schedule>& BuiltinSchedules() {
  static const std::vector<Schedule>* all = [] {
    auto* out = new std::vector<Schedule>;
    for (std::string_view text : BuiltinScheduleTexts()) {
      // Checked at build time by the tests (retention_schedule_test).
      auto s = ParseScheduleJson(text);
      KHOLUU_CHECK(s.ok());
      out->push_back(std::move(*s));
    }
    return out;
  }();
  return *all;
}

}  // namespace kholuu::ingest
