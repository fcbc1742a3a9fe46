// SyllableRecall counts the reference's syllables (with multiplicity, numbers
// left out) found in the other text, in the indexer's normalised form.
#include "indexer/syllable_recall.h"

#include <gtest/gtest.h>

namespace kholuu::indexer {
namespace {

TEST(SyllableRecallTest, CountsSyllablesWithMultiplicity) {
  EXPECT_DOUBLE_EQ(SyllableRecall("phòng chống ma túy", "PHÒNG, CHỐNG MA TÚY."), 1.0);
  // "ma" twice in the reference, once in the text: 3 of 4.
  EXPECT_DOUBLE_EQ(SyllableRecall("ma túy ma", "túy ma"), 2.0 / 3.0);
  // A lost diacritic is a different syllable; tone placement is not ("hoà" = "hòa").
  EXPECT_DOUBLE_EQ(SyllableRecall("hòa bình", "hoà binh"), 0.5);
  // Numbers do not count; an empty reference gives 0.
  EXPECT_DOUBLE_EQ(SyllableRecall("Điều 12", "Điều"), 1.0);
  EXPECT_DOUBLE_EQ(SyllableRecall("", "anything"), 0.0);
}

}  // namespace
}  // namespace kholuu::indexer
