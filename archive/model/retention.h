// Retention (thời hạn bảo quản) as values: a civil date, a retention
// period, the rules that turn a record file's period and dates into the
// dates it falls due (transfer to the current archive, transfer of permanent
// files to the historical archive, destruction review), and nothing stored:
// the catalog keeps the state, ingest assigns it (issue 20). The rules as
// implemented, for archivists: docs/retention.md.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "archive/base/status.h"
#include "archive/model/validation.h"

namespace kholuu::model {

// A day of the proleptic Gregorian calendar, years 1..9999.
struct CivilDate {
  int32_t year = 1970;
  int32_t month = 1;  // 1..12
  int32_t day = 1;    // 1..days in the month

  // "YYYY-MM-DD" naming a real day. Errors: kInvalidArgument naming the text.
  static Result<CivilDate> Parse(std::string_view text);
  // 1970-01-01 is day 0; negative before it.
  static CivilDate FromDays(int64_t days);
  // The UTC day that `micros` since the epoch falls on.
  static CivilDate FromMicros(int64_t micros);
  // The last day of `year`.
  static CivilDate EndOfYear(int32_t year) { return {year, 12, 31}; }

  std::string ToString() const;  // "YYYY-MM-DD"
  int64_t Days() const;          // days since 1970-01-01
  // `n` calendar months later (earlier for n < 0); a day past the end of the
  // target month becomes its last day (31 January + 1 month = 28 or 29
  // February). Saturates at years 1 and 9999.
  CivilDate AddMonths(int32_t n) const;
  CivilDate AddYears(int32_t n) const { return AddMonths(n * 12); }

  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

bool IsLeapYear(int32_t year);
int32_t DaysInMonth(int32_t year, int32_t month);

enum class RetentionKind : int32_t {
  kPermanent = 1,    // Vĩnh viễn
  kYears = 2,        // N năm
  kConditional = 3,  // until an event whose date is recorded later ("Đến khi văn bản hết hiệu lực thi hành")
};

struct RetentionPeriod {
  RetentionKind kind = RetentionKind::kPermanent;
  // kYears: 1..200. kConditional: years kept after the event (0: the
  // period ends with the event's year).
  int32_t years = 0;
  // kConditional: the event as the schedule words it ("Đến khi văn bản hết
  // hiệu lực thi hành", "Theo tuổi thọ thiết bị").
  std::string condition;

  static RetentionPeriod Permanent() { return {}; }
  static RetentionPeriod Years(int32_t n) { return {RetentionKind::kYears, n, ""}; }
  static RetentionPeriod Until(std::string condition, int32_t years_after = 0) {
    return {RetentionKind::kConditional, years_after, std::move(condition)};
  }

  // The canonical text: "Vĩnh viễn", "70 năm", or the condition (with
  // " + N năm" when years follow the event).
  std::string ToString() const;
  // Kept at least `n` years: permanent and conditional periods count as
  // long (a conditional one's end is not known in advance).
  bool AtLeastYears(int32_t n) const;
  // years within range, condition single-line and non-empty exactly for
  // kConditional. Errors: kInvalidArgument naming the problem.
  Status Validate() const;

  friend bool operator==(const RetentionPeriod&, const RetentionPeriod&) = default;
};

// The numbers of the law that turn periods into dates. Defaults: NĐ 30/2020
// Điều 30–31 and Luật Lưu trữ 2024 Điều 17 as read in the project's domain
// notes (docs/retention.md says which are confirmed); each is configurable.
struct RetentionRules {
  // A period of N years counts from the year the work ended: the file is
  // kept until 31 December of (that year + N). false: N years from the exact
  // end date.
  bool count_whole_years = true;
  // Transfer to the current archive (lưu trữ hiện hành) within this many
  // years from the year the work ended: by 31 December of (end year + 1).
  int32_t transfer_current_years = 1;
  // Construction (xây dựng cơ bản) files: within this many months after the
  // project's final settlement (quyết toán).
  int32_t transfer_construction_months = 3;
  // Only files kept at least this many years (or permanently) are
  // transferred; shorter ones stay with the unit until destruction.
  int32_t transfer_min_years = 5;
  // Permanent files go to the historical archive within this many years
  // from the year they entered the current archive ...
  int32_t transfer_historical_years = 5;
  // ... or this many where another law sets the timing.
  int32_t transfer_historical_years_other_law = 30;

  // Every number within 0..200 (months 0..120). Errors: kInvalidArgument.
  Status Validate() const;

  friend bool operator==(const RetentionRules&, const RetentionRules&) = default;
};

// What the dates of one record file are computed from.
struct RetentionFacts {
  RetentionPeriod period;
  CivilDate work_ended;                          // the file's end date (năm công việc kết thúc)
  bool construction = false;                     // a xây dựng cơ bản file
  std::optional<CivilDate> settled;              // its final settlement, once recorded
  std::optional<CivilDate> event;                // a conditional period's event, once recorded
  std::optional<CivilDate> entered_current;      // transfer into the current archive, once done
  bool historical_under_other_law = false;       // the 30-year rule applies

  friend bool operator==(const RetentionFacts&, const RetentionFacts&) = default;
};

// The dates a record file falls due. Each is the last day by which the
// action is due (a deadline), or absent when it does not apply or waits for
// a date not yet recorded (then the matching `awaiting_*` is set).
struct DueDates {
  std::optional<CivilDate> transfer_current;     // to lưu trữ hiện hành
  std::optional<CivilDate> transfer_historical;  // permanent files, to lưu trữ lịch sử
  std::optional<CivilDate> expires;              // the last day it must be kept; review after it
  bool awaiting_settlement = false;              // a construction file without its settlement date
  bool awaiting_event = false;                   // a conditional period without its event date
};

// The dates for `facts` under `rules` (both assumed valid). Historical
// transfer counts from `entered_current` when known, else from the
// transfer_current deadline (the latest it may have entered).
DueDates ComputeDueDates(const RetentionFacts& facts, const RetentionRules& rules);

// What a record file falls due for (ADR 0080): the kinds of the catalog's
// due index, their letters part of its keys.
enum class DueKind : char {
  kTransferCurrent = 'c',     // into the current archive (stage with_unit)
  kTransferHistorical = 'h',  // permanent files to the historical archive (stage current)
  kExpiry = 'x',              // the period ends: destruction review after the date
  kAwaiting = 'w',            // a settlement or event date is still to be recorded (dated by the work's end)
};

// "transfer_current", "transfer_historical", "expiry", "awaiting".
std::string_view DueKindName(DueKind k);
// The inverse. Errors: kInvalidArgument naming the text.
Result<DueKind> ParseDueKind(std::string_view name);

// Where a record file is in its life (NĐ 30/2020 Điều 30; Luật Lưu trữ 2024
// Điều 17): with the unit that formed it, in the current archive (lưu trữ
// hiện hành: kholuu), transferred to the historical archive, or destroyed.
enum class RetentionStage : int32_t {
  kWithUnit = 1,
  kCurrent = 2,
  kTransferred = 3,
  kDestroyed = 4,
};

// "with_unit", "current", "transferred", "destroyed"; "" for another value.
std::string_view RetentionStageName(RetentionStage s);
// The inverse. Errors: kInvalidArgument naming the text.
Result<RetentionStage> ParseRetentionStage(std::string_view name);

// A record file's retention as the catalog keeps it (table `retention`,
// keyed by the file code; ADR 0080): the period and the dates its due dates
// are computed from, where the period came from, and the file's stage.
struct FileRetention {
  std::string file_code;  // the record file's key
  RetentionFacts facts;   // the period and the dates
  // Where the period came from: a schedule entry (all three set), or the
  // file's metadata text ("Thời hạn bảo quản"), or an archivist (reason).
  std::string schedule_id;
  std::string schedule_version;
  std::string entry_code;
  std::string source_text;
  std::string reason;  // why it was (re)assigned; required for a reassignment
  RetentionStage stage = RetentionStage::kCurrent;
  int64_t assigned_micros = 0;

  // Every problem at once: file_code parses; the period valid; the three
  // schedule fields all set or all empty; stage in range; a settlement date
  // only for a construction file, an event date only for a conditional
  // period, none before 0001 or after 9999 (CivilDate guarantees); the entry
  // into the current archive not before the work ended; texts single-line.
  Problems Validate() const;
  // "TT10-2022 2022-12-19 3.1": the schedule entry the period came from, or
  // "" when it did not come from a schedule.
  std::string ScheduleRef() const;

  friend bool operator==(const FileRetention&, const FileRetention&) = default;
};

}  // namespace kholuu::model
