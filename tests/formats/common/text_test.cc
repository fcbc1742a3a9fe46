#include "formats/common/text.h"

#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"

namespace kholuu::formats {
namespace {

using ::kholuu::testing::StatusIs;

TEST(TextTest, Utf8Validity) {
  EXPECT_TRUE(IsValidUtf8("Hồ sơ lưu trữ"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xE1\xBB"));       // truncated
}

TEST(TextTest, NfdBecomesNfc) {
  // "Hồ" written as H + o + U+0302 + U+0300 (decomposed).
  ASSERT_OK_AND_ASSIGN(std::string s, ToNfc("Ho\xCC\x82\xCC\x80 so\xCC\x9B"));
  EXPECT_EQ(s, "Hồ sơ");
  EXPECT_THAT(ToNfc("\xFF").status(), StatusIs(StatusCode::kInvalidArgument));
}

TEST(TextTest, ConvertsDeclaredEncodings) {
  ASSERT_OK_AND_ASSIGN(std::string latin, ConvertToUtf8("caf\xE9", "ISO-8859-1"));
  EXPECT_EQ(latin, "café");
  ASSERT_OK_AND_ASSIGN(std::string u16, ConvertToUtf8(std::string("\xFF\xFE" "a\0b\0", 6), "UTF-16"));
  EXPECT_EQ(u16, "ab");
  ASSERT_OK_AND_ASSIGN(std::string bom, ConvertToUtf8("\xEF\xBB\xBFxyz", "utf-8"));
  EXPECT_EQ(bom, "xyz");
  EXPECT_THAT(ConvertToUtf8("x", "NO-SUCH-ENCODING").status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ConvertToUtf8("\xE1\xBB", "UTF-8").status(), StatusIs(StatusCode::kInvalidArgument));
}

TEST(TextTest, FoldKeyIgnoresCaseDiacriticsAndSpacing) {
  EXPECT_EQ(FoldKey("Số và ký hiệu  hồ sơ"), "so va ky hieu ho so");
  EXPECT_EQ(FoldKey("SỐ VÀ KÝ HIỆU HỒ SƠ"), FoldKey("so va ky hieu ho so"));
  EXPECT_EQ(FoldKey("Ngày/Tháng/Năm bắt đầu"), "ngay thang nam bat dau");
  EXPECT_EQ(FoldKey("Đường dẫn file"), "duong dan file");
  EXPECT_NE(FoldKey("Hộp số"), FoldKey("Hồ sơ"));
}

TEST(TextTest, TrimRemovesCWhiteSpaceByDefault) {
  EXPECT_EQ(Trim(" \t\v\f\r\n hồ sơ \n"), "hồ sơ");
  EXPECT_EQ(Trim("a b"), "a b");
  EXPECT_EQ(Trim(" \t\n"), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(std::string_view("\0x\0", 3)), std::string_view("\0x\0", 3));  // NUL is not white
}

TEST(TextTest, TrimTakesAnotherSet) {
  // XML white space has no \v or \f: they stay.
  EXPECT_EQ(Trim("\f a \r\n", kXmlWhiteSpace), "\f a");
  EXPECT_EQ(Trim(" \t\r\n", kXmlWhiteSpace), "");
  EXPECT_EQ(Trim("\n a \t", " \t"), "\n a");
  EXPECT_EQ(Trim("xxaxx", "x"), "a");
}

TEST(Base64EncodeTest, Rfc4648VectorsAndLines) {
  // RFC 4648 §10.
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
  EXPECT_EQ(Base64Encode("foobarfoobar", 8), "Zm9vYmFy\nZm9vYmFy\n");
}

}  // namespace
}  // namespace kholuu::formats
