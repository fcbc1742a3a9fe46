#include "formats/common/pdf_lexical.h"

#include <gtest/gtest.h>

#include <string>

namespace kholuu::formats {
namespace {

TEST(PdfLexicalTest, WhiteSpaceIsTheSixOfTable1) {
  std::string white;
  std::string delimiters;
  for (int i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    if (IsPdfWhiteSpace(c)) white.push_back(c);
    if (IsPdfDelimiter(c)) delimiters.push_back(c);
  }
  EXPECT_EQ(white, std::string("\0\t\n\f\r ", 6));  // NUL counts, VT does not
  EXPECT_EQ(delimiters, "%()/<>[]{}");
}

}  // namespace
}  // namespace kholuu::formats
