#include "archive/base/clock.h"

#include "tests/support/status_matchers.h"

namespace kholuu {
namespace {

using ::kholuu::testing::StatusIs;

TEST(ClockTest, FormatAndParseRoundTrip) {
  // 2018-04-12T00:00:00Z is 1523491200 s after the epoch.
  int64_t t = 1523491200LL * 1000000 + 250000;
  EXPECT_EQ(FormatTimestamp(t), "2018-04-12T00:00:00.250000Z");
  ASSERT_OK_AND_ASSIGN(int64_t back, ParseTimestamp("2018-04-12T00:00:00.25Z"));
  EXPECT_EQ(back, t);
  ASSERT_OK_AND_ASSIGN(int64_t hanoi, ParseTimestamp("2018-04-12T07:00:00+07:00"));
  EXPECT_EQ(hanoi, 1523491200LL * 1000000);
}

TEST(ClockTest, ParseRejectsGarbage) {
  EXPECT_THAT(ParseTimestamp("2018-13-01T00:00:00Z"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTimestamp("2018-01-01"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTimestamp("2018-01-01T00:00:00"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTimestamp("2018-01-01T00:00:00Zjunk"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(ClockTest, ManualClockMovesOnlyWhenTold) {
  ManualClock c(100);
  EXPECT_EQ(c.NowMicros(), 100);
  c.Advance(5);
  EXPECT_EQ(c.NowMicros(), 105);
  EXPECT_GT(SystemClock()->NowMicros(), 1700000000LL * 1000000);
}

}  // namespace
}  // namespace kholuu
