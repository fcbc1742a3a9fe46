#include "archive/model/validation.h"

#include <string>

#include "tests/archive/model/model_test_util.h"
#include "tests/support/status_matchers.h"

namespace kholuu::model {
namespace {

using ::kholuu::testing::StatusIs;
using ::kholuu::model::testing::Fields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(Utf8LengthTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  // "Văn phòng" has two precomposed letters of two bytes each.
  EXPECT_EQ(Utf8Length("Văn phòng"), 9);
  EXPECT_EQ(std::string("Văn phòng").size(), 11u);
  EXPECT_EQ(Utf8Length("Đ"), 1);                  // U+0110, two bytes
  EXPECT_EQ(Utf8Length("\xE2\x82\xAB"), 1);       // U+20AB đồng sign, three bytes
  EXPECT_EQ(Utf8Length("\xF0\x9F\x93\x84"), 1);   // U+1F4C4, four bytes
}

TEST(Utf8LengthTest, RejectsInvalidSequences) {
  EXPECT_EQ(Utf8Length("\x80"), -1);                // lone continuation byte
  EXPECT_EQ(Utf8Length("V\xC4"), -1);               // truncated two-byte form
  EXPECT_EQ(Utf8Length("\xC0\xAF"), -1);            // overlong '/'
  EXPECT_EQ(Utf8Length("\xE0\x80\xAF"), -1);        // overlong three-byte
  EXPECT_EQ(Utf8Length("\xF0\x80\x80\xAF"), -1);    // overlong four-byte
  EXPECT_EQ(Utf8Length("\xED\xA0\x80"), -1);        // surrogate U+D800
  EXPECT_EQ(Utf8Length("\xF4\x90\x80\x80"), -1);    // U+110000
  EXPECT_EQ(Utf8Length("\xFF"), -1);
  EXPECT_EQ(Utf8Length("\xC4\x41"), -1);            // lead byte then ASCII
}

TEST(DateTest, AcceptsRealDatesIncludingLeapDays) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));  // divisible by 4
  EXPECT_TRUE(IsValidDate("2000-02-29"));  // century divisible by 400
  EXPECT_TRUE(IsValidDate("2020-12-31"));
  EXPECT_TRUE(IsValidDate("1945-09-02"));
  EXPECT_TRUE(IsValidDate("2024-04-30"));
}

TEST(DateTest, RejectsImpossibleOrMisformattedDates) {
  EXPECT_FALSE(IsValidDate("2023-02-29"));  // not a leap year
  EXPECT_FALSE(IsValidDate("1900-02-29"));  // century not divisible by 400
  EXPECT_FALSE(IsValidDate("2024-04-31"));
  EXPECT_FALSE(IsValidDate("2024-13-01"));
  EXPECT_FALSE(IsValidDate("2024-00-10"));
  EXPECT_FALSE(IsValidDate("2024-01-00"));
  EXPECT_FALSE(IsValidDate("0000-01-01"));
  EXPECT_FALSE(IsValidDate("2024/01/01"));
  EXPECT_FALSE(IsValidDate("24-01-01"));
  EXPECT_FALSE(IsValidDate("2024-1-01"));
  EXPECT_FALSE(IsValidDate("2024-01-011"));
  EXPECT_FALSE(IsValidDate("2024-0a-01"));
  EXPECT_FALSE(IsValidDate(""));
}

TEST(CheckTest, EachCheckAddsOneProblemOnlyWhenViolated) {
  Problems p;
  CheckRequired(p, "a", "Hà Nội");
  CheckRequired(p, "b", " \t");
  CheckMaxLength(p, "c", "Đà Nẵng", 7);
  CheckMaxLength(p, "d", "Đà Nẵng", 6);
  CheckMaxLength(p, "e", "\xC3", 6);
  CheckUtf8(p, "f", "Huế");
  CheckUtf8(p, "g", "Hu\xE1");
  CheckDate(p, "h", "");
  CheckDate(p, "i", "2024-02-30");
  CheckRange(p, "j", 5, 1, 5);
  CheckRange(p, "k", 6, 1, 5);
  EXPECT_THAT(Fields(p), ElementsAre("b", "d", "e", "g", "i", "k"));
  EXPECT_THAT(p.list()[1].message, HasSubstr("7 characters"));
}

TEST(CheckTextTest, ReportsOnlyTheMostImportantProblem) {
  Problems p;
  CheckText(p, "bad_utf8_and_long", std::string(40, 'x') + "\xC3", 10, true);
  CheckText(p, "missing", "", 10, true);
  CheckText(p, "optional_empty", "", 10, false);
  CheckText(p, "newline_single", "dòng 1\ndòng 2", 0, false, true);
  CheckText(p, "newline_multi", "dòng 1\r\ndòng 2\tx", 0, false, false);
  CheckText(p, "nul_multi", std::string("a\0b", 3), 0, false, false);
  CheckText(p, "unit_separator", "QĐ\x1fTTg", 30, false);
  ASSERT_EQ(p.list().size(), 5u);
  EXPECT_EQ(p.list()[0].field, "bad_utf8_and_long");
  EXPECT_EQ(p.list()[0].message, "is not valid UTF-8");
  EXPECT_EQ(p.list()[1].message, "is required");
  EXPECT_EQ(p.list()[2].field, "newline_single");
  EXPECT_EQ(p.list()[3].field, "nul_multi");
  EXPECT_EQ(p.list()[4].field, "unit_separator");
}

TEST(ProblemsTest, ToStatusListsEveryProblem) {
  Problems p;
  EXPECT_OK(p.ToStatus("record file"));
  p.Add("title", "is required");
  p.Add("file_code.file_catalog", "is 1800; must be between 1900 and 2200");
  Status s = p.ToStatus("record file 000.00.00.G22.2024.01.TCCB");
  EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(s.message(),
            "record file 000.00.00.G22.2024.01.TCCB: title: is required; "
            "file_code.file_catalog: is 1800; must be between 1900 and 2200");
  EXPECT_THAT(Fields(Problems()), IsEmpty());
}

}  // namespace
}  // namespace kholuu::model
