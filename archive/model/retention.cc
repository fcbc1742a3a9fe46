#include "archive/model/retention.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "archive/model/record_file.h"

namespace kholuu::model {
namespace {

// Days from 0001-01-01 to January 1 of `year` (year >= 1).
int64_t DaysBeforeYear(int64_t year) {
  const int64_t y = year - 1;
  return y * 365 + y / 4 - y / 100 + y / 400;
}

constexpr int32_t kDaysBeforeMonth[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

int64_t EpochOffset() { return DaysBeforeYear(1970); }

}  // namespace

bool IsLeapYear(int32_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int32_t DaysInMonth(int32_t year, int32_t month) {
  static constexpr int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

Result<CivilDate> CivilDate::Parse(std::string_view text) {
  auto bad = [&]() { return InvalidArgumentError("'" + std::string(text) + "' is not a date (YYYY-MM-DD)"); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  auto number = [&](size_t at, size_t n, int32_t* out) {
    int32_t v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return true;
  };
  CivilDate d;
  if (!number(0, 4, &d.year) || !number(5, 2, &d.month) || !number(8, 2, &d.day)) return bad();
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return InvalidArgumentError("'" + std::string(text) + "' is not a day of the calendar");
  }
  return d;
}

std::string CivilDate::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

int64_t CivilDate::Days() const {
  const int64_t before_month = kDaysBeforeMonth[month - 1] + (month > 2 && IsLeapYear(year) ? 1 : 0);
  return DaysBeforeYear(year) + before_month + (day - 1) - EpochOffset();
}

CivilDate CivilDate::FromDays(int64_t days) {
  const int64_t n = days + EpochOffset();  // days since 0001-01-01
  // 146097 days in every 400 years: an estimate at most one year off.
  int64_t year = 1 + n * 400 / 146097;
  while (year > 1 && DaysBeforeYear(year) > n) --year;
  while (DaysBeforeYear(year + 1) <= n) ++year;
  int32_t day_of_year = static_cast<int32_t>(n - DaysBeforeYear(year));
  CivilDate d;
  d.year = static_cast<int32_t>(year);
  d.month = 1;
  while (day_of_year >= DaysInMonth(d.year, d.month)) {
    day_of_year -= DaysInMonth(d.year, d.month);
    ++d.month;
  }
  d.day = day_of_year + 1;
  return d;
}

CivilDate CivilDate::FromMicros(int64_t micros) {
  constexpr int64_t kDay = int64_t{86400} * 1000000;
  return FromDays(micros >= 0 ? micros / kDay : (micros - kDay + 1) / kDay);  // floor
}

CivilDate CivilDate::AddMonths(int32_t n) const {
  int64_t index = int64_t{year} * 12 + (month - 1) + n;
  index = std::clamp<int64_t>(index, 12, int64_t{9999} * 12 + 11);
  CivilDate d;
  d.year = static_cast<int32_t>(index / 12);
  d.month = static_cast<int32_t>(index % 12) + 1;
  d.day = std::min(day, DaysInMonth(d.year, d.month));
  return d;
}

std::string RetentionPeriod::ToString() const {
  switch (kind) {
    case RetentionKind::kPermanent:
      return "Vĩnh viễn";
    case RetentionKind::kYears:
      return std::to_string(years) + " năm";
    case RetentionKind::kConditional:
      return years > 0 ? condition + " + " + std::to_string(years) + " năm" : condition;
  }
  return "";
}

bool RetentionPeriod::AtLeastYears(int32_t n) const { return kind != RetentionKind::kYears || years >= n; }

Status RetentionPeriod::Validate() const {
  switch (kind) {
    case RetentionKind::kPermanent:
      if (years != 0 || !condition.empty()) return InvalidArgumentError("a permanent period has no years or condition");
      return Status::Ok();
    case RetentionKind::kYears:
      if (years < 1 || years > 200) {
        return InvalidArgumentError("a period of years must be 1..200 years, not " + std::to_string(years));
      }
      if (!condition.empty()) return InvalidArgumentError("a period of years has no condition");
      return Status::Ok();
    case RetentionKind::kConditional:
      if (condition.empty()) return InvalidArgumentError("a conditional period names its event");
      if (condition.find_first_of("\r\n") != std::string::npos) {
        return InvalidArgumentError("a period's condition is one line");
      }
      if (years < 0 || years > 200) {
        return InvalidArgumentError("years after the event must be 0..200, not " + std::to_string(years));
      }
      return Status::Ok();
  }
  return InvalidArgumentError("unknown retention kind " + std::to_string(static_cast<int32_t>(kind)));
}

Status RetentionRules::Validate() const {
  auto check = [](const char* name, int32_t v, int32_t max) -> Status {
    if (v < 0 || v > max) {
      return InvalidArgumentError(std::string(name) + " must be 0.." + std::to_string(max) + ", not " +
                                  std::to_string(v));
    }
    return Status::Ok();
  };
  KHOLUU_RETURN_IF_ERROR(check("transfer_current_years", transfer_current_years, 200));
  KHOLUU_RETURN_IF_ERROR(check("transfer_construction_months", transfer_construction_months, 120));
  KHOLUU_RETURN_IF_ERROR(check("transfer_min_years", transfer_min_years, 200));
  KHOLUU_RETURN_IF_ERROR(check("transfer_historical_years", transfer_historical_years, 200));
  return check("transfer_historical_years_other_law", transfer_historical_years_other_law, 200);
}

DueDates ComputeDueDates(const RetentionFacts& f, const RetentionRules& rules) {
  DueDates out;
  auto years_after = [&](const CivilDate& from, int32_t n) {
    return rules.count_whole_years ? CivilDate::EndOfYear(std::min(from.year + n, 9999)) : from.AddYears(n);
  };
  // Destruction review: when a period of years or an event's years run out.
  if (f.period.kind == RetentionKind::kYears) {
    out.expires = years_after(f.work_ended, f.period.years);
  } else if (f.period.kind == RetentionKind::kConditional) {
    if (f.event) {
      out.expires = years_after(*f.event, f.period.years);
    } else {
      out.awaiting_event = true;
    }
  }
  // Transfer into the current archive: files kept long enough.
  if (f.period.AtLeastYears(rules.transfer_min_years)) {
    if (f.construction) {
      if (f.settled) {
        out.transfer_current = f.settled->AddMonths(rules.transfer_construction_months);
      } else {
        out.awaiting_settlement = true;
      }
    } else {
      out.transfer_current = CivilDate::EndOfYear(std::min(f.work_ended.year + rules.transfer_current_years, 9999));
    }
  }
  // Permanent files go on to the historical archive.
  if (f.period.kind == RetentionKind::kPermanent) {
    std::optional<int32_t> from_year;
    if (f.entered_current) {
      from_year = f.entered_current->year;
    } else if (out.transfer_current) {
      from_year = out.transfer_current->year;
    }
    if (from_year) {
      const int32_t n =
          f.historical_under_other_law ? rules.transfer_historical_years_other_law : rules.transfer_historical_years;
      out.transfer_historical = CivilDate::EndOfYear(std::min(*from_year + n, 9999));
    }
  }
  return out;
}

std::string_view DueKindName(DueKind k) {
  switch (k) {
    case DueKind::kTransferCurrent:
      return "transfer_current";
    case DueKind::kTransferHistorical:
      return "transfer_historical";
    case DueKind::kExpiry:
      return "expiry";
    case DueKind::kAwaiting:
      return "awaiting";
  }
  return "";
}

Result<DueKind> ParseDueKind(std::string_view name) {
  for (DueKind k : {DueKind::kTransferCurrent, DueKind::kTransferHistorical, DueKind::kExpiry, DueKind::kAwaiting}) {
    if (DueKindName(k) == name) return k;
  }
  return InvalidArgumentError("unknown due kind '" + std::string(name) +
                              "' (transfer_current, transfer_historical, expiry, awaiting)");
}

std::string_view RetentionStageName(RetentionStage s) {
  switch (s) {
    case RetentionStage::kWithUnit:
      return "with_unit";
    case RetentionStage::kCurrent:
      return "current";
    case RetentionStage::kTransferred:
      return "transferred";
    case RetentionStage::kDestroyed:
      return "destroyed";
  }
  return "";
}

Result<RetentionStage> ParseRetentionStage(std::string_view name) {
  for (RetentionStage s : {RetentionStage::kWithUnit, RetentionStage::kCurrent, RetentionStage::kTransferred,
                           RetentionStage::kDestroyed}) {
    if (RetentionStageName(s) == name) return s;
  }
  return InvalidArgumentError("unknown retention stage '" + std::string(name) +
                              "' (with_unit, current, transferred, destroyed)");
}

std::string FileRetention::ScheduleRef() const {
  return schedule_id.empty() ? "" : schedule_id + " " + schedule_version + " " + entry_code;
}

Problems FileRetention::Validate() const {
  Problems p;
  if (auto code = FileCode::Parse(file_code); !code.ok()) p.Add("file_code", code.status().message());
  if (Status s = facts.period.Validate(); !s.ok()) p.Add("facts.period", s.message());
  const int set = !schedule_id.empty() + !schedule_version.empty() + !entry_code.empty();
  if (set != 0 && set != 3) p.Add("schedule_id", "schedule id, version and entry code are given together");
  if (RetentionStageName(stage).empty()) p.Add("stage", "unknown stage " + std::to_string(static_cast<int32_t>(stage)));
  if (facts.settled && !facts.construction) p.Add("facts.settled", "a settlement date is for construction files");
  if (facts.event && facts.period.kind != RetentionKind::kConditional) {
    p.Add("facts.event", "an event date is for a conditional period");
  }
  if (facts.entered_current && *facts.entered_current < facts.work_ended) {
    p.Add("facts.entered_current", "entered the current archive before the work ended");
  }
  CheckText(p, "schedule_id", schedule_id, 64, false);
  CheckText(p, "schedule_version", schedule_version, 32, false);
  CheckText(p, "entry_code", entry_code, 64, false);
  CheckText(p, "source_text", source_text, 200, false);
  CheckText(p, "reason", reason, 1000, false);
  CheckRange(p, "assigned_micros", assigned_micros, 0, INT64_MAX);
  return p;
}

}  // namespace kholuu::model
