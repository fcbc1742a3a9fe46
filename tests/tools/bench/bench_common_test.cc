#include "tools/bench/bench_common.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/status_matchers.h"

namespace kholuu::bench {
namespace {

using ::kholuu::testing::StatusIs;

TEST(FlagReaderTest, FlagsTakeTheNextArgumentAsValue) {
  const std::vector<std::string> args = {"--json", "--runs", "3", "--dir", "/tmp/x"};
  FlagReader r(args);
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.flag(), "--json");
  EXPECT_EQ(r.index(), 0u);
  EXPECT_OK(r.NoValue());
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.flag(), "--runs");
  ASSERT_OK_AND_ASSIGN(uint64_t runs, r.PositiveValue());
  EXPECT_EQ(runs, 3u);
  ASSERT_TRUE(r.Next());  // "3" was taken as the value
  EXPECT_EQ(r.flag(), "--dir");
  EXPECT_EQ(r.index(), 3u);
  ASSERT_OK_AND_ASSIGN(std::string dir, r.RequiredValue());
  EXPECT_EQ(dir, "/tmp/x");
  EXPECT_FALSE(r.Next());
}

TEST(FlagReaderTest, AMissingValueIsNullOrAnError) {
  const std::vector<std::string> args = {"--dir"};
  FlagReader r(args);
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.Value(), nullptr);
  EXPECT_THAT(r.RequiredValue().status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(r.RequiredValue().status().message(), "--dir needs a value");
  EXPECT_THAT(r.PositiveValue().status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_FALSE(r.Next());
}

TEST(FlagReaderTest, InlineValuesOnlyWhenAskedFor) {
  const std::vector<std::string> args = {"--runs=4", "--json=1", "-h=x", "--dir", "d"};
  {
    FlagReader r(args, /*inline_values=*/true);
    ASSERT_TRUE(r.Next());
    EXPECT_EQ(r.flag(), "--runs");
    EXPECT_EQ(r.arg(), "--runs=4");
    ASSERT_OK_AND_ASSIGN(uint64_t runs, r.PositiveValue());
    EXPECT_EQ(runs, 4u);
    ASSERT_TRUE(r.Next());  // an inline value takes no argument
    EXPECT_EQ(r.flag(), "--json");
    EXPECT_EQ(r.NoValue().message(), "--json takes no value");
    ASSERT_TRUE(r.Next());
    EXPECT_EQ(r.flag(), "-h=x");  // only "--" flags carry inline values
    ASSERT_TRUE(r.Next());
    ASSERT_OK_AND_ASSIGN(std::string dir, r.RequiredValue());
    EXPECT_EQ(dir, "d");
    EXPECT_FALSE(r.Next());
  }
  {
    FlagReader r(args);
    ASSERT_TRUE(r.Next());
    EXPECT_EQ(r.flag(), "--runs=4");
    EXPECT_OK(r.NoValue());
    ASSERT_NE(r.Value(), nullptr);  // the next argument, whatever it is
    ASSERT_TRUE(r.Next());
    EXPECT_EQ(r.flag(), "-h=x");
  }
}

TEST(FlagReaderTest, PositiveValueRejectsZeroAndText) {
  const std::vector<std::string> args = {"--runs", "0", "--size", "ten"};
  FlagReader r(args);
  ASSERT_TRUE(r.Next());
  EXPECT_THAT(r.PositiveValue().status(), StatusIs(StatusCode::kInvalidArgument));
  ASSERT_TRUE(r.Next());
  EXPECT_EQ(r.flag(), "--size");
  EXPECT_EQ(r.PositiveValue().status().message(), "--size wants a positive integer, not 'ten'");
}

}  // namespace
}  // namespace kholuu::bench
