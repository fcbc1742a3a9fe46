// PDF/A rules that need the embedded font program (widths, CIDSet, CharSet,
// .notdef, TrueType cmaps), on PDFs built with hand-made font programs;
// each rule has a conforming counterpart.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "formats/pdf/pdfa.h"
#include "tests/formats/pdf/test_fonts.h"
#include "tests/formats/pdf/test_pdf.h"

namespace kholuu::formats::pdf {
namespace {

using namespace kholuu::testing;

PdfaReport Check(const std::string& bytes, PdfaProfile profile) {
  Result<PdfaReport> r = ValidatePdfa(bytes, profile);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : PdfaReport{};
}

bool HasClause(const PdfaReport& r, const std::string& clause) {
  return std::any_of(r.violations.begin(), r.violations.end(),
                     [&](const PdfaViolation& v) { return v.clause == clause; });
}

std::string Dump(const PdfaReport& r) {
  std::string s;
  for (const auto& v : r.violations) s += v.clause + " " + v.message + " [" + v.object + "]\n";
  return s;
}

// A one-page PDF/A file of `part` showing `text` with font 6 0 R (`font`),
// descriptor 7 0 R (`descriptor`, which should reference 8 0 R) and font
// file 8 0 R (`file_key` stream holding `program`). Extra objects follow as 9...
std::string FontPdf(const std::string& part, const std::string& text, const std::string& font,
                    const std::string& descriptor, const std::string& program,
                    const std::vector<std::string>& extra = {}) {
  TestPdf p = MinimalPdfa(part, "BT /F1 12 Tf " + text + " Tj ET");
  std::string& page = p.objects[2];
  page.replace(page.find("/Resources << >>"), 16, "/Resources << /Font << /F1 6 0 R >> >>");
  p.objects.push_back(font);
  p.objects.push_back(descriptor);
  p.objects.push_back(TestPdf::Stream("/Length1 " + std::to_string(program.size()), program));
  for (const std::string& e : extra) p.objects.push_back(e);
  return p.Build();
}

const char* kTtDescriptor =
    "<< /Type /FontDescriptor /FontName /ABCDEF+KhTest /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
    "/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 8 0 R >>";

std::string TrueTypeAB() {
  return BuildTrueType({500, 1200, 1400}, {true, true, true}, 2000, {{3, 1, {{65, 1}, {66, 2}}}, {1, 0, {{65, 1}, {66, 2}}}});
}

std::string TtFont(const std::string& widths) {
  return "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+KhTest /FirstChar 65 /LastChar 66 /Widths [" + widths +
         "] /Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>";
}

TEST(PdfaFontProgram, TrueTypeWidthsMustMatchHmtxScaledToThousandths) {
  // hmtx 1200 and 1400 in a 2000-unit em are 600 and 700.
  PdfaReport ok = Check(FontPdf("2", "(AB)", TtFont("600 700"), kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_TRUE(ok.compliant) << Dump(ok);
  PdfaReport within = Check(FontPdf("2", "(AB)", TtFont("600 701"), kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_TRUE(within.compliant) << "1 unit of tolerance\n" << Dump(within);
  PdfaReport bad = Check(FontPdf("2", "(AB)", TtFont("600 750"), kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(bad, "6.2.11.5")) << Dump(bad);
  // Invisible text (rendering mode 3) paints no glyph, so its widths are not compared.
  PdfaReport invisible = Check(FontPdf("2", "(B) Tj 3 Tr (AB)", TtFont("600 750"), kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(invisible, "6.2.11.5")) << "mode 0 before Tr\n" << Dump(invisible);
  PdfaReport hidden = Check(FontPdf("2", "3 Tr (AB)", TtFont("600 750"), kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(hidden, "6.2.11.5")) << Dump(hidden);
  // A wrong width for a code that is never shown does not count.
  PdfaReport unused = Check(FontPdf("2", "(A)", TtFont("600 750"), kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(unused, "6.2.11.5")) << Dump(unused);
}

TEST(PdfaFontProgram, Type1WidthsFromHsbwAndCffWidthsFromCharstrings) {
  const std::string t1 = BuildType1({{"A", 722}, {"B", 611}}, {{65, "A"}, {66, "B"}});
  const std::string desc1 =
      "<< /Type /FontDescriptor /FontName /KhTest /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 "
      "/Descent -200 /CapHeight 700 /StemV 80 /FontFile 8 0 R >>";
  auto t1font = [](const std::string& w) {
    return "<< /Type /Font /Subtype /Type1 /BaseFont /KhTest /FirstChar 65 /LastChar 66 /Widths [" + w +
           "] /FontDescriptor 7 0 R >>";
  };
  PdfaReport ok = Check(FontPdf("1", "(AB)", t1font("722 611"), desc1, t1), PdfaProfile::k1b);
  EXPECT_TRUE(ok.compliant) << Dump(ok);
  PdfaReport bad = Check(FontPdf("1", "(BA)", t1font("722 600"), desc1, t1), PdfaProfile::k1b);
  EXPECT_TRUE(HasClause(bad, "6.3.6")) << Dump(bad);

  // CFF (FontFile3 /Type1C): glyph names through WinAnsiEncoding.
  const std::string cff = BuildCff({"A", "B"}, {0, 640, 480}, 480, 500);
  const std::string desc3 =
      "<< /Type /FontDescriptor /FontName /KhTest /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 800 "
      "/Descent -200 /CapHeight 700 /StemV 80 /FontFile3 8 0 R >>";
  auto cfffont = [](const std::string& w) {
    return "<< /Type /Font /Subtype /Type1 /BaseFont /KhTest /FirstChar 65 /LastChar 66 /Widths [" + w +
           "] /Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>";
  };
  TestPdf q = MinimalPdfa("2", "BT /F1 12 Tf (AB) Tj ET");
  q.objects[2].replace(q.objects[2].find("/Resources << >>"), 16, "/Resources << /Font << /F1 6 0 R >> >>");
  q.objects.push_back(cfffont("640 480"));
  q.objects.push_back(desc3);
  q.objects.push_back(TestPdf::Stream("/Subtype /Type1C", cff));
  PdfaReport cok = Check(q.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(cok.compliant) << Dump(cok);
  q.objects[5] = cfffont("640 500");
  PdfaReport cbad = Check(q.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(cbad, "6.2.11.5")) << Dump(cbad);
}

TEST(PdfaFontProgram, CidFontWidthsFromWAndDw) {
  // Identity-H, CIDFontType2 with identity CID-to-GID: CID 1 is glyph 1.
  const std::string tt = TrueTypeAB();
  auto pdf = [&](const std::string& w) {
    TestPdf p = MinimalPdfa("2", "BT /F1 12 Tf <00010002> Tj ET");
    p.objects[2].replace(p.objects[2].find("/Resources << >>"), 16, "/Resources << /Font << /F1 6 0 R >> >>");
    p.objects.push_back("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+KhTest /Encoding /Identity-H "
                        "/DescendantFonts [9 0 R] >>");
    p.objects.push_back(kTtDescriptor);
    p.objects.push_back(TestPdf::Stream("", tt));
    p.objects.push_back("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+KhTest /CIDSystemInfo << /Registry "
                        "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /CIDToGIDMap /Identity "
                        "/DW 600 /W [" + w + "] >>");
    return p.Build();
  };
  PdfaReport ok = Check(pdf("2 [700]"), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(ok, "6.2.11.5")) << Dump(ok);
  PdfaReport bad = Check(pdf("1 2 700"), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(bad, "6.2.11.5")) << Dump(bad);
}

TEST(PdfaFontProgram, CharSetListsExactlyTheProgramsGlyphs) {
  const std::string t1 = BuildType1({{"A", 722}, {"B", 611}}, {{65, "A"}, {66, "B"}});
  auto desc = [](const std::string& charset) {
    return "<< /Type /FontDescriptor /FontName /ABCDEF+KhTest /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
           "/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /CharSet (" + charset + ") /FontFile 8 0 R >>";
  };
  const std::string font = "<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+KhTest /FirstChar 65 /LastChar 66 "
                           "/Widths [722 611] /FontDescriptor 7 0 R >>";
  PdfaReport ok = Check(FontPdf("2", "(A)", font, desc("/A/B"), t1), PdfaProfile::k2b);
  EXPECT_TRUE(ok.compliant) << Dump(ok);
  PdfaReport missing = Check(FontPdf("2", "(A)", font, desc("/A"), t1), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(missing, "6.2.11.4.2")) << Dump(missing);
  PdfaReport extra = Check(FontPdf("2", "(A)", font, desc("/A/B/C"), t1), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(extra, "6.2.11.4.2")) << Dump(extra);
}

TEST(PdfaFontProgram, CidSetMustIdentifyEveryCidWithAGlyph) {
  // Glyphs 1 and 2 have outlines; CIDSet bits are MSB-first per byte.
  auto pdf = [&](const std::string& cidset_bits) {
    TestPdf p = MinimalPdfa("2", "BT /F1 12 Tf <0001> Tj ET");
    p.objects[2].replace(p.objects[2].find("/Resources << >>"), 16, "/Resources << /Font << /F1 6 0 R >> >>");
    p.objects.push_back("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+KhTest /Encoding /Identity-H "
                        "/DescendantFonts [9 0 R] >>");
    p.objects.push_back(
        "<< /Type /FontDescriptor /FontName /ABCDEF+KhTest /Flags 32 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
        "/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 8 0 R /CIDSet 10 0 R >>");
    p.objects.push_back(TestPdf::Stream("", TrueTypeAB()));
    p.objects.push_back("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+KhTest /CIDSystemInfo << /Registry "
                        "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /CIDToGIDMap /Identity "
                        "/DW 600 /W [2 [700]] >>");
    p.objects.push_back(TestPdf::Stream("", cidset_bits));
    return p.Build();
  };
  PdfaReport ok = Check(pdf("\xE0"), PdfaProfile::k2b);  // CIDs 0, 1, 2
  EXPECT_FALSE(HasClause(ok, "6.2.11.4.2")) << Dump(ok);
  PdfaReport bad = Check(pdf("\xC0"), PdfaProfile::k2b);  // CID 2 missing
  EXPECT_TRUE(HasClause(bad, "6.2.11.4.2")) << Dump(bad);
}

TEST(PdfaFontProgram, NotdefReferencesInAnyRenderingMode) {
  auto font = "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+KhTest /FirstChar 65 /LastChar 67 /Widths [600 700 "
              "500] /Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>";
  PdfaReport ok = Check(FontPdf("2", "(AB)", font, kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(ok, "6.2.11.8")) << Dump(ok);
  // 'C' has no entry in the (3,1) cmap: the .notdef glyph, even when invisible.
  PdfaReport bad = Check(FontPdf("2", "3 Tr (AC)", font, kTtDescriptor, TrueTypeAB()), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(bad, "6.2.11.8")) << Dump(bad);
  // Part 1 has no .notdef rule, but the glyphs rendered must be in the
  // embedded program (ISO 19005-1 6.3.5); invisible text is not rendered.
  PdfaReport p1 = Check(FontPdf("1", "(AC)", font, kTtDescriptor, TrueTypeAB()), PdfaProfile::k1b);
  EXPECT_FALSE(HasClause(p1, "6.2.11.8")) << Dump(p1);
  EXPECT_TRUE(HasClause(p1, "6.3.5")) << Dump(p1);
  PdfaReport p1_ok = Check(FontPdf("1", "(AB)", font, kTtDescriptor, TrueTypeAB()), PdfaProfile::k1b);
  EXPECT_FALSE(HasClause(p1_ok, "6.3.5")) << Dump(p1_ok);
  PdfaReport p1_invisible = Check(FontPdf("1", "3 Tr (AC)", font, kTtDescriptor, TrueTypeAB()), PdfaProfile::k1b);
  EXPECT_FALSE(HasClause(p1_invisible, "6.3.5")) << Dump(p1_invisible);
  // A code WinAnsiEncoding does not define (0..31) has no glyph name: .notdef,
  // even though the program's cmap has an entry for it.
  std::string with_zero = BuildTrueType({0, 600, 700}, {false, true, true}, 1000, {{3, 1, {{0, 1}, {65, 1}, {66, 2}}}});
  std::string widths;
  for (int code = 0; code <= 66; ++code) widths += code == 66 ? "700" : "600 ";
  const std::string font0 = "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+KhTest /FirstChar 0 /LastChar 66 /Widths [" +
                            widths + "] /Encoding /WinAnsiEncoding /FontDescriptor 7 0 R >>";
  PdfaReport zero = Check(FontPdf("2", "(A\\000B)", font0, kTtDescriptor, with_zero), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(zero, "6.2.11.8")) << Dump(zero);
  // Named by Differences, the same code is an ordinary glyph.
  std::string font0d = font0;
  font0d.replace(font0d.find("/Encoding /WinAnsiEncoding"), 26,
                 "/Encoding << /BaseEncoding /WinAnsiEncoding /Differences [0 /A] >>");
  PdfaReport named = Check(FontPdf("2", "(A\\000B)", font0d, kTtDescriptor, with_zero), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(named, "6.2.11.8")) << Dump(named);
}

// ISO 19005-2 6.2.11.6: the cmap subtables a TrueType program needs for the
// font dictionary's encoding (rule and its conforming counterpart each).
TEST(PdfaFontProgram, TrueTypeCmapSubtablesMatchTheEncoding) {
  auto has_6_2_11_6 = [](const std::string& pdf) {
    Result<PdfaReport> r = ValidatePdfa(pdf, PdfaProfile::k2b);
    EXPECT_TRUE(r.ok());
    return r.ok() && HasClause(*r, "6.2.11.6");
  };
  const std::string sym_descriptor =
      "<< /Type /FontDescriptor /FontName /ABCDEF+KhTest /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
      "/Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 8 0 R >>";
  const std::string sym_font =
      "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+KhTest /FirstChar 65 /LastChar 66 /Widths [500 500] "
      "/FontDescriptor 7 0 R >>";
  // Symbolic: one subtable, or (3,0) among several.
  std::string one = BuildTrueType({0, 500, 500}, {false, true, true}, 1000, {{3, 0, {{0xF041, 1}, {0xF042, 2}}}});
  EXPECT_FALSE(has_6_2_11_6(FontPdf("2", "(AB)", sym_font, sym_descriptor, one)));
  std::string with30 = BuildTrueType({0, 500, 500}, {false, true, true}, 1000,
                                     {{1, 0, {{65, 1}, {66, 2}}}, {3, 0, {{0xF041, 1}, {0xF042, 2}}}});
  EXPECT_FALSE(has_6_2_11_6(FontPdf("2", "(AB)", sym_font, sym_descriptor, with30)));
  std::string without30 = BuildTrueType({0, 500, 500}, {false, true, true}, 1000,
                                        {{1, 0, {{65, 1}, {66, 2}}}, {3, 1, {{65, 1}, {66, 2}}}});
  EXPECT_TRUE(has_6_2_11_6(FontPdf("2", "(AB)", sym_font, sym_descriptor, without30)));
  // Non-symbolic with Differences: Glyph List names and a (3,1) subtable.
  const std::string diff_font =
      "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+KhTest /FirstChar 65 /LastChar 66 /Widths [500 500] "
      "/Encoding << /Differences [65 /A /B] >> /FontDescriptor 7 0 R >>";
  std::string uni = BuildTrueType({0, 500, 500}, {false, true, true}, 1000, {{3, 1, {{65, 1}, {66, 2}}}});
  EXPECT_FALSE(has_6_2_11_6(FontPdf("2", "(AB)", diff_font, kTtDescriptor, uni)));
  std::string mac = BuildTrueType({0, 500, 500}, {false, true, true}, 1000, {{1, 0, {{65, 1}, {66, 2}}}});
  EXPECT_TRUE(has_6_2_11_6(FontPdf("2", "(AB)", diff_font, kTtDescriptor, mac)));
  const std::string odd_names =
      "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+KhTest /FirstChar 65 /LastChar 66 /Widths [500 500] "
      "/Encoding << /Differences [65 /g1 /g2] >> /FontDescriptor 7 0 R >>";
  EXPECT_TRUE(has_6_2_11_6(FontPdf("2", "(AB)", odd_names, kTtDescriptor, uni)));
  // Non-symbolic with no subtable at all.
  std::string none = BuildTrueType({0, 500, 500}, {false, true, true}, 1000, {});
  EXPECT_TRUE(has_6_2_11_6(FontPdf("2", "(AB)", TtFont("500 500"), kTtDescriptor, none)));
}

}  // namespace
}  // namespace kholuu::formats::pdf
