// Retention values and the date rules (archive/model/retention.h): the
// calendar against a day-by-day walk, month arithmetic at month and year
// ends and leap days, and the due dates of each kind of period.
#include "archive/model/retention.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace kholuu::model {
namespace {

CivilDate D(const char* text) {
  auto d = CivilDate::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : CivilDate{};
}

TEST(CivilDateTest, DaysAgreeWithADayByDayWalk) {
  // An independent count: step one day at a time from 1899-12-31 through
  // 2101, carrying month and year by hand.
  int32_t y = 1899, m = 12, d = 31;
  int64_t days = D("1899-12-31").Days();
  EXPECT_EQ(D("1970-01-01").Days(), 0);
  EXPECT_EQ(D("1969-12-31").Days(), -1);
  EXPECT_EQ(D("2000-03-01").Days(), 11017);
  for (int i = 0; i < 366 * 202; ++i) {
    const CivilDate want{y, m, d};
    ASSERT_EQ(CivilDate::FromDays(days), want) << want.ToString();
    ASSERT_EQ(want.Days(), days) << want.ToString();
    ++days;
    if (++d > DaysInMonth(y, m)) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  EXPECT_EQ(CivilDate::FromDays(D("0001-01-01").Days()), (CivilDate{1, 1, 1}));
  EXPECT_EQ(CivilDate::FromDays(D("9999-12-31").Days()), (CivilDate{9999, 12, 31}));
}

TEST(CivilDateTest, FromMicrosIsTheUtcDayFloored) {
  constexpr int64_t kDay = int64_t{86400} * 1000000;
  EXPECT_EQ(CivilDate::FromMicros(0), D("1970-01-01"));
  EXPECT_EQ(CivilDate::FromMicros(kDay - 1), D("1970-01-01"));
  EXPECT_EQ(CivilDate::FromMicros(kDay), D("1970-01-02"));
  EXPECT_EQ(CivilDate::FromMicros(-1), D("1969-12-31"));
  EXPECT_EQ(CivilDate::FromMicros(-kDay), D("1969-12-31"));
  EXPECT_EQ(CivilDate::FromMicros(-kDay - 1), D("1969-12-30"));
  EXPECT_EQ(CivilDate::FromMicros(D("2026-12-08").Days() * kDay + 3600 * int64_t{1000000}), D("2026-12-08"));
}

TEST(CivilDateTest, ParsesOnlyRealDays) {
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  for (const char* bad : {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01",
                          "24-01-01", "2024/01/01", "", "0000-01-01", "2024-01-01x"}) {
    EXPECT_FALSE(CivilDate::Parse(bad).ok()) << bad;
  }
  EXPECT_TRUE(CivilDate::Parse("2000-02-29").ok());  // a century divisible by 400
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(2100));
}

TEST(CivilDateTest, MonthArithmeticClampsToTheMonthsLastDay) {
  EXPECT_EQ(D("2024-01-31").AddMonths(1), D("2024-02-29"));
  EXPECT_EQ(D("2023-01-31").AddMonths(1), D("2023-02-28"));
  EXPECT_EQ(D("2024-11-30").AddMonths(3), D("2025-02-28"));
  EXPECT_EQ(D("2024-12-31").AddMonths(3), D("2025-03-31"));
  EXPECT_EQ(D("2024-03-31").AddMonths(-1), D("2024-02-29"));
  EXPECT_EQ(D("2024-02-29").AddYears(1), D("2025-02-28"));
  EXPECT_EQ(D("2024-02-29").AddYears(4), D("2028-02-29"));
  EXPECT_EQ(D("9999-06-01").AddYears(5), D("9999-12-01"));  // saturates
  EXPECT_EQ(D("0001-06-01").AddYears(-5), D("0001-01-01"));
  EXPECT_EQ(CivilDate::EndOfYear(2030), D("2030-12-31"));
  EXPECT_LT(D("2024-12-31"), D("2025-01-01"));
}

TEST(RetentionPeriodTest, CanonicalTextAndValidation) {
  EXPECT_EQ(RetentionPeriod::Permanent().ToString(), "Vĩnh viễn");
  EXPECT_EQ(RetentionPeriod::Years(70).ToString(), "70 năm");
  EXPECT_EQ(RetentionPeriod::Until("Đến khi văn bản hết hiệu lực thi hành").ToString(),
            "Đến khi văn bản hết hiệu lực thi hành");
  EXPECT_EQ(RetentionPeriod::Until("Theo tuổi thọ thiết bị", 5).ToString(), "Theo tuổi thọ thiết bị + 5 năm");
  EXPECT_TRUE(RetentionPeriod::Years(5).Validate().ok());
  EXPECT_FALSE(RetentionPeriod::Years(0).Validate().ok());
  EXPECT_FALSE(RetentionPeriod::Years(201).Validate().ok());
  EXPECT_FALSE(RetentionPeriod::Until("").Validate().ok());
  EXPECT_FALSE(RetentionPeriod::Until("a\nb").Validate().ok());
  RetentionPeriod odd = RetentionPeriod::Permanent();
  odd.years = 3;
  EXPECT_FALSE(odd.Validate().ok());
  EXPECT_TRUE(RetentionPeriod::Permanent().AtLeastYears(5));
  EXPECT_TRUE(RetentionPeriod::Until("x").AtLeastYears(5));
  EXPECT_TRUE(RetentionPeriod::Years(5).AtLeastYears(5));
  EXPECT_FALSE(RetentionPeriod::Years(4).AtLeastYears(5));
}

TEST(DueDatesTest, YearsCountFromTheYearTheWorkEnded) {
  RetentionRules rules;
  RetentionFacts f;
  f.period = RetentionPeriod::Years(10);
  f.work_ended = D("2024-03-15");
  DueDates d = ComputeDueDates(f, rules);
  EXPECT_EQ(d.expires, D("2034-12-31"));
  EXPECT_EQ(d.transfer_current, D("2025-12-31"));  // within 1 year of the year the work ended
  EXPECT_FALSE(d.transfer_historical);             // not permanent
  // Ended on the last day of a year or the first: the same year counts.
  f.work_ended = D("2024-12-31");
  EXPECT_EQ(ComputeDueDates(f, rules).expires, D("2034-12-31"));
  f.work_ended = D("2024-01-01");
  EXPECT_EQ(ComputeDueDates(f, rules).expires, D("2034-12-31"));
  // Counted from the exact date instead (configurable), across a leap day.
  rules.count_whole_years = false;
  f.work_ended = D("2024-02-29");
  EXPECT_EQ(ComputeDueDates(f, rules).expires, D("2034-02-28"));
}

TEST(DueDatesTest, ShortPeriodsAreNotTransferred) {
  RetentionFacts f;
  f.period = RetentionPeriod::Years(4);
  f.work_ended = D("2020-06-30");
  DueDates d = ComputeDueDates(f, RetentionRules{});
  EXPECT_FALSE(d.transfer_current);
  EXPECT_EQ(d.expires, D("2024-12-31"));
  RetentionRules lower;
  lower.transfer_min_years = 2;
  EXPECT_EQ(ComputeDueDates(f, lower).transfer_current, D("2021-12-31"));
}

TEST(DueDatesTest, PermanentFilesGoOnToTheHistoricalArchive) {
  RetentionRules rules;
  RetentionFacts f;
  f.period = RetentionPeriod::Permanent();
  f.work_ended = D("2024-05-20");
  DueDates d = ComputeDueDates(f, rules);
  EXPECT_FALSE(d.expires);
  EXPECT_EQ(d.transfer_current, D("2025-12-31"));
  // Not yet in the current archive: counted from the latest it may enter.
  EXPECT_EQ(d.transfer_historical, D("2030-12-31"));
  // Entered in 2025: five years from that year; 30 where another law applies.
  f.entered_current = D("2025-03-01");
  EXPECT_EQ(ComputeDueDates(f, rules).transfer_historical, D("2030-12-31"));
  f.entered_current = D("2026-01-10");  // late
  EXPECT_EQ(ComputeDueDates(f, rules).transfer_historical, D("2031-12-31"));
  f.historical_under_other_law = true;
  EXPECT_EQ(ComputeDueDates(f, rules).transfer_historical, D("2056-12-31"));
}

TEST(DueDatesTest, ConstructionFilesWaitForTheirSettlement) {
  RetentionFacts f;
  f.period = RetentionPeriod::Years(20);
  f.work_ended = D("2023-09-01");
  f.construction = true;
  DueDates waiting = ComputeDueDates(f, RetentionRules{});
  EXPECT_TRUE(waiting.awaiting_settlement);
  EXPECT_FALSE(waiting.transfer_current);
  EXPECT_EQ(waiting.expires, D("2043-12-31"));
  f.settled = D("2024-11-30");
  DueDates settled = ComputeDueDates(f, RetentionRules{});
  EXPECT_FALSE(settled.awaiting_settlement);
  EXPECT_EQ(settled.transfer_current, D("2025-02-28"));  // three months, clamped to February
}

TEST(DueDatesTest, ConditionalPeriodsRunFromTheirEvent) {
  RetentionFacts f;
  f.period = RetentionPeriod::Until("Đến khi văn bản hết hiệu lực thi hành");
  f.work_ended = D("2022-12-01");
  DueDates waiting = ComputeDueDates(f, RetentionRules{});
  EXPECT_TRUE(waiting.awaiting_event);
  EXPECT_FALSE(waiting.expires);
  EXPECT_EQ(waiting.transfer_current, D("2023-12-31"));  // its end is unknown: transferred
  f.event = D("2031-07-01");
  EXPECT_EQ(ComputeDueDates(f, RetentionRules{}).expires, D("2031-12-31"));
  f.period = RetentionPeriod::Until("Theo tuổi thọ thiết bị", 5);
  EXPECT_EQ(ComputeDueDates(f, RetentionRules{}).expires, D("2036-12-31"));
}

TEST(RetentionRulesTest, Validates) {
  EXPECT_TRUE(RetentionRules{}.Validate().ok());
  RetentionRules r;
  r.transfer_construction_months = 121;
  EXPECT_FALSE(r.Validate().ok());
  r = RetentionRules{};
  r.transfer_historical_years = -1;
  EXPECT_FALSE(r.Validate().ok());
}

}  // namespace
}  // namespace kholuu::model
