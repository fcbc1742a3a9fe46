// Retention schedules (danh mục thời hạn bảo quản, issue 20): versioned
// lists of entries, each a kind of record file and the period it is kept,
// from several authorities at once (the common list of TT 10/2022/TT-BNV,
// sector lists, an agency's own). Read from JSON (the format the project
// ships, docs/formats/retention-schedule.md) or imported from the CSV or
// XLSX sheets archives keep; retention texts as records write them are read
// here too ("Vĩnh viễn", "70 năm", "Đến khi văn bản hết hiệu lực thi hành").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "archive/model/retention.h"

namespace kholuu::ingest {

// A retention text as schedules and metadata write it, compared without
// case, diacritics or punctuation: "Vĩnh viễn" / "vinh vien" / "VĨNH VIỄN";
// "70 năm" / "70 nam" / "70"; a text starting "Đến khi", "Cho đến khi" or
// "Theo" (tuổi thọ thiết bị, tuổi thọ công trình ...) is conditional, kept
// as written, with " + N năm" read as years after the event. Errors:
// kInvalidArgument naming the text (empty, zero or over 200 years,
// anything else).
Result<model::RetentionPeriod> ParseRetention(std::string_view text);

struct ScheduleGroup {
  std::string code;    // "1", "2.1"
  std::string parent;  // "" for a top-level group
  std::string title;
};

struct ScheduleEntry {
  std::string code;    // unique within the schedule version
  std::string group;   // a ScheduleGroup code ("" when the schedule has none)
  std::string title;
  model::RetentionPeriod period;
  std::string source;  // where the row and its value were read
  bool confirmed = false;  // read from the authority's own text
  std::string note;
};

struct Schedule {
  std::string id;       // "TT10-2022", "SO-NOI-VU-2025": [A-Za-z0-9._-], 1..64
  std::string version;  // "2022-12-19": [A-Za-z0-9._-], 1..32
  std::string title;
  std::string authority;
  std::string basis;    // the legal basis, as cited
  std::optional<model::CivilDate> effective_from;
  std::vector<std::string> notes;
  std::vector<ScheduleGroup> groups;
  std::vector<ScheduleEntry> entries;

  // The entry with `code`, or null.
  const ScheduleEntry* Find(std::string_view code) const;
  // Every problem at once, each naming the entry or field: id and version
  // syntax, title required, entry codes present and unique, each entry's
  // group known (when groups are listed), each period valid, groups'
  // parents known. Errors: kInvalidArgument.
  Status Validate() const;
};

// The JSON form (docs/formats/retention-schedule.md). Errors:
// kInvalidArgument naming what is wrong (malformed JSON, a missing field,
// an unreadable retention text with its entry's code), and as Validate.
Result<Schedule> ParseScheduleJson(std::string_view json);
std::string ScheduleToJson(const Schedule& schedule);

// What a sheet does not say: the schedule's identity.
struct ScheduleHeader {
  std::string id, version, title, authority, basis;
  std::optional<model::CivilDate> effective_from;
};

// A sheet with a header row naming its columns, in Vietnamese or English
// (compared as FoldKey): code/mã/số TT, group/nhóm, title/tiêu đề/tên
// nhóm hồ sơ, tài liệu, retention/thời hạn bảo quản, source/nguồn,
// confirmed/đã xác nhận, note/ghi chú. Code, title and retention are
// required columns. The format is the file's extension: .csv or .xlsx.
// Errors: kInvalidArgument naming the row and column of every problem (at
// most 50 listed), and as Validate.
Result<Schedule> ImportScheduleSheet(std::string_view bytes, std::string_view file_name,
                                     const ScheduleHeader& header);

// The schedules kholuu ships (ingest/schedules/*.json), parsed and valid.
const std::vector<Schedule>& BuiltinSchedules();

}  // namespace kholuu::ingest
