// The embedded font program reader on hand-built TrueType, CFF and Type 1
// programs, and on truncated or hostile variants of them.
#include "formats/pdf/font_program.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/formats/pdf/test_fonts.h"

namespace kholuu::formats::pdf {
namespace {

using namespace kholuu::testing;

TEST(FontProgram, TrueTypeTablesWidthsOutlinesAndCmaps) {
  std::string tt = BuildTrueType({500, 600, 700, 0}, {true, true, false, false}, 2048,
                                 {{3, 0, {{0xF041, 1}, {0xF042, 2}}}, {1, 0, {{65, 1}}}});
  ASSERT_TRUE(ParseFontProgram(tt).ok());
  Result<FontProgram> fp = ParseTrueTypeProgram(tt);
  ASSERT_TRUE(fp.ok()) << fp.status().ToString();
  EXPECT_EQ(fp->type, FontProgramType::kTrueType);
  EXPECT_EQ(fp->glyph_count, 4u);
  EXPECT_NEAR(*fp->Width1000(1), 600.0 * 1000 / 2048, 1e-9);
  EXPECT_FALSE(fp->Width1000(4).has_value());
  EXPECT_TRUE(fp->has_outline[1]);
  EXPECT_FALSE(fp->has_outline[2]);
  const FontProgram::Cmap* sym = fp->FindCmap(3, 0);
  ASSERT_NE(sym, nullptr);
  EXPECT_EQ(sym->glyphs.at(0xF042), 2u);
  ASSERT_NE(fp->FindCmap(1, 0), nullptr);
  EXPECT_EQ(fp->FindCmap(1, 0)->glyphs.at(65), 1u);
  EXPECT_EQ(fp->FindCmap(3, 1), nullptr);
}

TEST(FontProgram, CffWidthsFromDefaultNominalAndSubroutines) {
  std::string cff = BuildCff({"A", "B", "C"}, {250, 600, 480, 333}, 480, 500);
  Result<FontProgram> fp = ParseFontProgram(cff);
  ASSERT_TRUE(fp.ok()) << fp.status().ToString();
  EXPECT_EQ(fp->type, FontProgramType::kCff);
  ASSERT_EQ(fp->glyph_count, 4u);
  EXPECT_EQ(fp->glyph_names[0], ".notdef");
  EXPECT_EQ(*fp->GlyphByName("B"), 2u);
  EXPECT_DOUBLE_EQ(*fp->Width1000(0), 250);  // nominal + operand
  EXPECT_DOUBLE_EQ(*fp->Width1000(1), 600);  // width operand before a subroutine's rmoveto
  EXPECT_DOUBLE_EQ(*fp->Width1000(2), 480);  // defaultWidthX
  EXPECT_DOUBLE_EQ(*fp->Width1000(3), 333);
  EXPECT_TRUE(fp->standard_encoding);
}

TEST(FontProgram, Type1EexecCharStringsAndEncoding) {
  std::string t1 = BuildType1({{"A", 722}, {"space", 250}}, {{65, "A"}, {32, "space"}});
  Result<FontProgram> fp = ParseFontProgram(t1);
  ASSERT_TRUE(fp.ok()) << fp.status().ToString();
  EXPECT_EQ(fp->type, FontProgramType::kType1);
  ASSERT_EQ(fp->glyph_count, 3u);
  EXPECT_DOUBLE_EQ(*fp->Width1000(*fp->GlyphByName("A")), 722);
  EXPECT_DOUBLE_EQ(*fp->Width1000(*fp->GlyphByName("space")), 250);
  EXPECT_EQ(fp->encoding.at(65), "A");
  // A 2048-unit glyph space scales widths.
  Result<FontProgram> big = ParseType1Program(BuildType1({{"A", 2048}}, {}, "0.00048828125"));
  ASSERT_TRUE(big.ok());
  EXPECT_NEAR(*big->Width1000(1), 1000, 1e-6);
}

TEST(FontProgram, EveryTruncationIsAnErrorOrAResultNeverACrash) {
  for (const std::string& font : {BuildTrueType({500, 600}, {true, true}, 1000, {{3, 1, {{65, 1}}}}),
                                  BuildCff({"A"}, {0, 500}, 0, 0), BuildType1({{"A", 500}}, {})}) {
    for (size_t n = 0; n < font.size(); ++n) {
      Result<FontProgram> r = ParseFontProgram(font.substr(0, n));
      if (r.ok()) {
        EXPECT_EQ(r->advances.size(), r->glyph_count);
      }
    }
  }
}

TEST(FontProgram, HostileCountsAndRecursionAreBounded) {
  // numGlyphs above the limit.
  std::string tt = BuildTrueType({500, 600, 700}, {true, true, true}, 1000, {});
  FontProgramLimits small;
  small.max_glyphs = 2;
  EXPECT_EQ(ParseTrueTypeProgram(tt, small).status().code(), StatusCode::kResourceExhausted);
  // A subroutine that calls itself: nesting is cut at max_subr_depth.
  std::string cff = BuildCff({"A"}, {0, 500}, 0, 0);
  std::string self_call = CffInt(-107);
  Put8(self_call, 10);
  // Replace the last INDEX (local Subrs: one item "rmoveto endchar") with a recursive subroutine.
  size_t subrs_at = cff.size() - (2 + 1 + 8 + 2);
  std::string rec = cff.substr(0, subrs_at) + CffIndexOf({self_call});
  Result<FontProgram> r = ParseCffProgram(rec);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted) << r.status().ToString();
  // Not a font at all.
  EXPECT_EQ(ParseFontProgram("hello").status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace kholuu::formats::pdf
