#include "archive/model/ids.h"

#include <gtest/gtest.h>

namespace kholuu::model {
namespace {

TEST(Ids, DocumentIdIsFileCodeDotThreeDigitOrdinal) {
  FileCode f{"000.00.00.G22", 2024, "01.TCCB"};
  EXPECT_EQ(MakeDocumentId(f, 7), "000.00.00.G22.2024.01.TCCB.007");
  EXPECT_EQ(MakeDocumentId(f, 999), "000.00.00.G22.2024.01.TCCB.999");
  EXPECT_EQ(MakeDocumentId(f, 1234), "000.00.00.G22.2024.01.TCCB.1234");
}

TEST(Ids, ComponentIdAndNextIndex) {
  EXPECT_EQ(MakeComponentId("X.001", 3), "X.001/3");
  EXPECT_EQ(NextComponentIndex({}), 1);
  EXPECT_EQ(NextComponentIndex({"X.001/1", "X.001/4", "X.001/2"}), 5);
  // Ids without a numeric index, and absurdly long ones, are ignored.
  EXPECT_EQ(NextComponentIndex({"X.001/a", "X.001", "X.001/", "X.001/99999999999"}), 1);
}

TEST(Ids, PdfaOriginalIsItsOwnPreservationCopy) {
  Component c;
  c.role = ComponentRole::kOriginal;
  c.format_version = "1.7";
  EXPECT_FALSE(IsOwnPreservationCopy(c));
  MarkOwnPreservationCopy(c, "2b");
  EXPECT_EQ(c.format_version, "PDF/A-2B");
  EXPECT_TRUE(IsOwnPreservationCopy(c));
  c.role = ComponentRole::kExtractedText;
  EXPECT_FALSE(IsOwnPreservationCopy(c));
}

}  // namespace
}  // namespace kholuu::model
