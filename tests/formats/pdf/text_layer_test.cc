// The in-process text layer reader on small hand-built PDFs, one operator
// class or font mechanism at a time, and its ToUnicode CMap parser. The
// comparison with pdftotext on real files is
// tests/formats/text/text_layer_quality_test.cc.
#include "formats/pdf/text_layer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/pdf/encodings.h"
#include "tests/formats/pdf/test_pdf.h"
#include "tests/support/fixtures.h"
#include "tests/support/status_matchers.h"

namespace kholuu::formats::pdf {
namespace {

using ::testing::HasSubstr;
using testing::TestPdf;

// Widths of 500 for codes 32..126.
std::string Widths500() {
  std::string w = "/FirstChar 32 /LastChar 126 /Widths [";
  for (int c = 32; c <= 126; ++c) w += "500 ";
  return w + "]";
}

// A simple font with widths: 10 pt glyphs are 5 units wide.
const std::string kF1 = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding " + Widths500() + " >>";

// One page (objects 1-4) showing `content` with font resources `fonts`
// ("/F1 5 0 R ..."), `extra` objects from number 5 on.
std::string Page(const std::string& content, const std::vector<std::string>& extra = {kF1},
                 const std::string& resources = "/Font << /F1 5 0 R >>", const std::string& page_extra = "") {
  TestPdf p;
  p.objects = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << " + resources +
                   " >> /Contents 4 0 R " + page_extra + " >>",
               TestPdf::Stream("", content)};
  for (const std::string& e : extra) p.objects.push_back(e);
  return p.Build();
}

// The text of page 1, or "DECLINED: why".
std::string Text(const std::string& pdf) {
  TextLayer t = ExtractTextLayer(pdf);
  if (!t.confident()) return "DECLINED: " + t.FirstReason();
  if (t.pages.empty()) return "NO PAGES";
  return t.pages[0].text;
}

// ---- text positioning and state -------------------------------------------

TEST(TextLayerTest, PositioningOperatorsMakeLines) {
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (Hello) Tj 0 -14 Td (World) Tj ET")), "Hello\nWorld\n");
  // TD sets the leading T* and ' use; " sets word and character spacing too.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 TD 0 -12 TD (one) Tj T* (two) Tj (three) ' 0 0 (four) \" ET")),
            "one\ntwo\nthree\nfour\n");
  // TL, Tm.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 12 TL 1 0 0 1 72 700 Tm (a) Tj T* (b) Tj 1 0 0 1 300 700 Tm (c) Tj ET")),
            "a c\nb\n");
}

TEST(TextLayerTest, GapsFromWidthsMakeWords) {
  // [(ab) -300 (cd)]: a gap of 3 points at 10 pt is a word break; -50 is kerning.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td [(ab) -300 (cd)] TJ ET")), "ab cd\n");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td [(ab) -50 (cd)] TJ ET")), "abcd\n");
  // Positioned pieces: "ab" ends at 82, "cd" starts at 82 (one word), "ef" at 100.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (ab) Tj 10 0 Td (cd) Tj 18 0 Td (ef) Tj ET")), "abcd ef\n");
  // Letter spacing (Tc) belongs to the glyph before it, as in pdftotext: a
  // spaced-out word stays one word. Tz scales the TJ adjustment (3 -> 1.2 points).
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 5 Tc 72 700 Td (abc) Tj ET")), "abc\n");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 40 Tz 72 700 Td [(ab) -300 (cd)] TJ ET")), "abcd\n");
  // A space character separates words whatever its width; Tw widens it.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf -4.9 Tc 72 700 Td (a b) Tj ET")), "a b\n");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 20 Tw 72 700 Td (a b) Tj ET")), "a b\n");
}

TEST(TextLayerTest, LinesFollowPositionsNotDrawingOrder) {
  // "cd" is drawn before "ab" but right of it: one word, in position order.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 82 700 Td (cd) Tj -10 0 Td (ab) Tj ET")), "abcd\n");
  // The lower line drawn first still comes second.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 600 Td (low) Tj 0 100 Td (high) Tj ET")), "high\nlow\n");
  // A rise (superscript) stays on its line.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (x) Tj 3 Ts (2) Tj 0 Ts ( y) Tj ET")), "x2 y\n");
  // A word drawn twice at the same place (fake bold) counts once.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (bold) Tj ET BT /F1 10 Tf 72.3 700 Td (bold) Tj ET")), "bold\n");
}

TEST(TextLayerTest, CombiningMarksJoinTheGlyphTheyAreDrawnOn) {
  // '~' is U+0301 (combining acute) in this font, with no advance as in real fonts.
  std::string widths = Widths500();
  widths.replace(widths.rfind("500 "), 4, "0 ");
  const std::string marks = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding "
                            "/WinAnsiEncoding /Differences [126 /uni0301] >> " + widths + " >>";
  // Following its base in one flow, or moved back over it.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (a~b) Tj ET", {marks})), "a\xCC\x81" "b\n");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (ab) Tj 7 0 Td (~) Tj ET", {marks})), "ab\xCC\x81\n");
  // Drawn in a later pass over an earlier glyph, or with no glyph before it:
  // where pdftotext puts it is not certain, so the page is declined.
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td (ab) Tj ET BT /F1 10 Tf 72 700 Td (~) Tj ET", {marks})),
              HasSubstr("combining mark"));
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td (~a) Tj ET", {marks})), HasSubstr("combining mark"));
}

TEST(TextLayerTest, GraphicsStateAndMatrices) {
  // cm scales: glyphs at 20 pt, a 10-unit (20 point) gap is a word break.
  EXPECT_EQ(Text(Page("q 2 0 0 2 0 0 cm BT /F1 10 Tf 36 350 Td (big) Tj 20 0 Td (text) Tj ET Q")), "big text\n");
  // q/Q restore the CTM and the text state (font size, Tc).
  EXPECT_EQ(Text(Page("q BT /F1 10 Tf ET Q BT 72 700 Td (abc) Tj ET")),
            "DECLINED: page 1: text is shown without a font");
  // (Were the CTM not restored, the text would be off the page.)
  EXPECT_EQ(Text(Page("q 2 0 0 2 0 0 cm Q BT /F1 10 Tf 72 700 Td (in) Tj ET")), "in\n");
  // Rotated text (90 degrees) reads along its own direction.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 0 1 -1 0 300 300 Tm (up) Tj 18 0 Td (wards) Tj ET")), "up wards\n");
  // Text outside the page (crop box) is dropped, as pdftotext does.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (in) Tj 0 -2000 Td (out) Tj ET")), "in\n");
}

TEST(TextLayerTest, InvisibleTextIsText) {
  EXPECT_EQ(Text(Page("BT 3 Tr /F1 10 Tf 72 700 Td (ocr layer) Tj ET")), "ocr layer\n");
}

TEST(TextLayerTest, PagesAndPageCount) {
  TestPdf p;
  p.objects = {"<< /Type /Catalog /Pages 2 0 R >>",
               "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> >>",
               "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
               TestPdf::Stream("", "BT /F1 10 Tf 72 700 Td (first) Tj ET"), kF1,
               "<< /Type /Page /Parent 2 0 R /Contents [7 0 R 8 0 R] >>",
               TestPdf::Stream("", "BT /F1 10 Tf 72 700 Td"), TestPdf::Stream("", "(second) Tj ET")};
  TextLayer t = ExtractTextLayer(p.Build());
  ASSERT_TRUE(t.confident()) << t.FirstReason();
  EXPECT_EQ(t.page_count, 2);
  ASSERT_EQ(t.pages.size(), 2u);
  EXPECT_EQ(t.pages[0].text, "first\n");
  EXPECT_EQ(t.pages[1].text, "second\n");
  TextLayerLimits one;
  one.max_pages = 1;
  t = ExtractTextLayer(p.Build(), one);
  EXPECT_EQ(t.page_count, 2);
  EXPECT_EQ(t.pages.size(), 1u);
}

// ---- forms and annotations --------------------------------------------------

TEST(TextLayerTest, FormXObjectsAreInterpretedRecursively) {
  const std::string inner = TestPdf::Stream("/Type /XObject /Subtype /Form /BBox [0 0 500 500] /Resources << /Font << /F1 5 0 R >> >>",
                                            "BT /F1 10 Tf 0 0 Td (inner) Tj ET");
  const std::string outer = TestPdf::Stream(
      "/Type /XObject /Subtype /Form /BBox [0 0 500 500] /Matrix [1 0 0 1 0 -20] /Resources << /XObject << /I 7 0 R >> >>",
      "/I Do");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (page) Tj ET q 1 0 0 1 72 700 cm /O Do Q", {kF1, outer, inner},
                      "/Font << /F1 5 0 R >> /XObject << /O 6 0 R >>")),
            "page\ninner\n");
  // A form that draws itself is declined, not followed for ever.
  const std::string self = TestPdf::Stream(
      "/Type /XObject /Subtype /Form /BBox [0 0 9 9] /Resources << /XObject << /S 6 0 R >> >>", "/S Do");
  EXPECT_THAT(Text(Page("/S Do", {kF1, self}, "/XObject << /S 6 0 R >>")), HasSubstr("DECLINED"));
}

TEST(TextLayerTest, AnnotationAppearancesAreText) {
  const std::string ap = TestPdf::Stream("/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 5 0 R >> >>",
                                         "BT /F1 10 Tf 2 5 Td (Signed by Alice) Tj ET");
  const std::string annot = "<< /Type /Annot /Subtype /Widget /Rect [72 100 272 120] /AP << /N 6 0 R >> >>";
  const std::string hidden = "<< /Type /Annot /Subtype /Widget /F 2 /Rect [72 200 272 220] /AP << /N 6 0 R >> >>";
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (body) Tj ET", {kF1, ap, annot, hidden}, "/Font << /F1 5 0 R >>",
                      "/Annots [7 0 R 8 0 R]")),
            "body\nSigned by Alice\n");
}

// ---- encodings and glyph names ----------------------------------------------

TEST(TextLayerTest, SimpleFontEncodings) {
  auto font = [](const std::string& encoding) {
    return "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding " + encoding + " " + Widths500() + " >>";
  };
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td <43 E9 9C> Tj ET", {font("/WinAnsiEncoding")})), "Cé\xC5\x93\n");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td <8E D0> Tj ET", {font("/MacRomanEncoding")})), "é\xE2\x80\x93\n");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td <AE 27> Tj ET", {font("/StandardEncoding")})),
            "\xEF\xAC\x81\xE2\x80\x99\n");
  // Differences: Annex D names, uniXXXX, uXXXX, suffixes and ligature components.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td <41 42 43 44 45> Tj ET",
                      {font("<< /BaseEncoding /WinAnsiEncoding /Differences [65 /uni1EC7 /u1EA0 /ohorn /a.sc /f_f_i] >>")})),
            "ệẠơaffi\n");
  // A code the encoding leaves undefined is declined when shown, not before.
  const std::string odd = font("<< /Differences [65 /g17] >>");
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (BC) Tj ET", {odd})), "BC\n");
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td (ABC) Tj ET", {odd})), HasSubstr("no Unicode mapping for code 65"));
  // A symbolic font without ToUnicode is declined.
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td (abc) Tj ET",
                        {"<< /Type /Font /Subtype /Type1 /BaseFont /Symbol " + Widths500() + " >>"})),
              HasSubstr("DECLINED"));
}

TEST(TextLayerTest, TrueTypeWithoutEncodingIsWinAnsi) {
  // As poppler reads it: a legacy TCVN3 font (.VnTime) shows "Văn bản" as the
  // Latin-1 look-alikes "V¨n b¶n", which the indexer's repair expects
  // (StandardEncoding would give "V¤n b¶n").
  const std::string desc = "<< /Type /FontDescriptor /FontName /VnTime /Flags 32 /FontBBox [0 0 1000 1000] >>";
  std::string w = "/FirstChar 32 /LastChar 255 /Widths [";
  for (int c = 32; c <= 255; ++c) w += "500 ";
  w += "]";
  const std::string tt = "<< /Type /Font /Subtype /TrueType /BaseFont /VnTime /FontDescriptor 6 0 R " + w + " >>";
  EXPECT_EQ(Text(Page("BT /F1 12 Tf 72 700 Td <56 A8 6E 20 62 B6 6E 20 93 22 94> Tj ET", {tt, desc})),
            "V\xC2\xA8n b\xC2\xB6n \xE2\x80\x9C\"\xE2\x80\x9D\n");
  // Symbolic (flag 4 without 32): the codes index the font's own cmap; declined.
  std::string symbolic = desc;
  symbolic.replace(symbolic.find("/Flags 32"), 9, "/Flags 4");
  EXPECT_THAT(Text(Page("BT /F1 12 Tf 72 700 Td <56 A8> Tj ET", {tt, symbolic})), HasSubstr("DECLINED"));
}

TEST(TextLayerTest, FontWithoutWidths) {
  // Lines of a standard font without /Widths (our TextLayerPdf fixture):
  // each line is one flow, so no gap needs a width.
  TextLayer t = ExtractTextLayer(testing::TextLayerPdf({"Van ban so 12", "Dong thu hai"}));
  ASSERT_TRUE(t.confident()) << t.FirstReason();
  EXPECT_EQ(t.pages[0].text, "Van ban so 12\nDong thu hai\n");
  // Pieces placed on one line after a glyph of unknown width: declined.
  const std::string helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td (ab) Tj 12 0 Td (cd) Tj ET", {helvetica})),
              HasSubstr("without glyph widths"));
}

// ---- composite fonts and ToUnicode -------------------------------------------

std::string Type0(const std::string& encoding, const std::string& to_unicode_ref) {
  return "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /" + encoding + " /DescendantFonts [7 0 R] " +
         to_unicode_ref + " >>";
}

TEST(TextLayerTest, IdentityHWithToUnicode) {
  const std::string cmap =
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
      "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
      "2 beginbfchar <0001> <1EC7> <0002> <0056> endbfchar\n"
      "2 beginbfrange <0010> <0012> <0061> <0020> <0021> [<00740068> <D835DC00>] endbfrange\n"
      "endcmap CMapName currentdict /CMap defineresource pop end end";
  const std::string font = Type0("Identity-H", "/ToUnicode 6 0 R");
  const std::string cid = "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 500 /W [1 [600] 16 18 400] >>";
  // V i ệ t  a b c  th 𝐀
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td <0002 0001> Tj [<0010> -10 <00110012> -300 <0020 0021>] TJ ET",
                      {font, TestPdf::Stream("", cmap), cid})),
            "Vệabc th\xF0\x9D\x90\x80\n");
  // Without a ToUnicode map an Identity-H font is declined.
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td <0001> Tj ET", {Type0("Identity-H", ""), "null", cid})),
              HasSubstr("without a ToUnicode map"));
  // Other CMaps and vertical writing are declined.
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td <0001> Tj ET",
                        {Type0("UniGB-UCS2-H", "/ToUnicode 6 0 R"), TestPdf::Stream("", cmap), cid})),
              HasSubstr("UniGB-UCS2-H"));
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td <0001> Tj ET",
                        {Type0("Identity-V", "/ToUnicode 6 0 R"), TestPdf::Stream("", cmap), cid})),
              HasSubstr("vertical"));
}

TEST(TextLayerTest, SimpleFontWithToUnicode) {
  const std::string cmap = "1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <0110> endbfchar";
  const std::string font = "<< /Type /Font /Subtype /TrueType /BaseFont /X /Encoding /WinAnsiEncoding /ToUnicode 6 0 R " +
                           Widths500() + " >>";
  // Mapped codes take the ToUnicode text, others the encoding's.
  EXPECT_EQ(Text(Page("BT /F1 10 Tf 72 700 Td (AB) Tj ET", {font, TestPdf::Stream("", cmap)})), "\xC4\x90" "B\n");
}

TEST(TextLayerTest, DeclinesWhatItCannotReadWithCertainty) {
  // ActualText replaces the glyphs for pdftotext.
  EXPECT_THAT(Text(Page("/Span << /ActualText (x) >> BDC BT /F1 10 Tf 72 700 Td (y) Tj ET EMC")),
              HasSubstr("ActualText"));
  // An undecodable content stream.
  TestPdf p;
  p.objects = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               TestPdf::Stream("/Filter /FlateDecode", "this is not deflate data")};
  EXPECT_THAT(ExtractTextLayer(p.Build()).FirstReason(), HasSubstr("cannot be decoded"));
  // Type 3 glyphs without names or ToUnicode.
  const std::string t3 = "<< /Type /Font /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /FontBBox [0 0 1000 1000] "
                         "/CharProcs << >> /Encoding << /Differences [65 /g1] >> /FirstChar 65 /LastChar 65 /Widths [500] >>";
  EXPECT_THAT(Text(Page("BT /F1 10 Tf 72 700 Td (A) Tj ET", {t3})), HasSubstr("no Unicode mapping"));
  // Not a PDF, an encrypted one, a page tree whose Count is wrong.
  EXPECT_FALSE(ExtractTextLayer("not a pdf").confident());
  EXPECT_THAT(ExtractTextLayer("%PDF-1.4\ntrailer << /Encrypt 5 0 R >>").declined, HasSubstr("encrypted"));
  std::string wrong = Page("BT /F1 10 Tf 72 700 Td (x) Tj ET");
  wrong.replace(wrong.find("/Count 1"), 8, "/Count 2");
  EXPECT_THAT(ExtractTextLayer(wrong).declined, HasSubstr("Count"));
  // Limits.
  TextLayerLimits small;
  small.max_operators_per_page = 3;
  EXPECT_THAT(ExtractTextLayer(Page("BT /F1 10 Tf 72 700 Td (x) Tj ET"), small).FirstReason(),
              HasSubstr("too many operators"));
}

// ---- the CMap parser and glyph names ------------------------------------------

TEST(ToUnicodeCMapTest, CodespaceRangesGiveCodeLengths) {
  ASSERT_OK_AND_ASSIGN(ToUnicodeCMap m, ToUnicodeCMap::Parse("2 begincodespacerange <00> <7F> <8000> <FFFF> endcodespacerange\n"
                                                             "2 beginbfchar <41> <0041> <8001> <00E9> endbfchar"));
  EXPECT_EQ(m.CodeLength("\x41\x80"), 1);
  EXPECT_EQ(m.CodeLength("\x80\x01"), 2);
  EXPECT_EQ(m.CodeLength("\x80"), 0);  // too short for the two-byte range
  EXPECT_EQ(m.Lookup(0x41, 1), "A");
  EXPECT_EQ(m.Lookup(0x8001, 2), "é");
  EXPECT_FALSE(m.Lookup(0x41, 2).has_value());  // the same value as a two-byte code is another code
}

TEST(ToUnicodeCMapTest, RejectsMalformedMaps) {
  EXPECT_EQ(ToUnicodeCMap::Parse("nothing here").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ToUnicodeCMap::Parse("1 beginbfchar <41> endbfchar").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ToUnicodeCMap::Parse("1 beginbfrange <41> <4243> <0041> endbfrange").status().code(), StatusCode::kDataLoss);
  // Unpaired surrogates and odd lengths leave the code unmapped.
  ASSERT_OK_AND_ASSIGN(ToUnicodeCMap m, ToUnicodeCMap::Parse("2 beginbfchar <01> <D800> <02> <004100> endbfchar"));
  EXPECT_FALSE(m.Lookup(1, 1).has_value());
  EXPECT_FALSE(m.Lookup(2, 1).has_value());
}

TEST(GlyphNamesTest, NamesToText) {
  EXPECT_EQ(GlyphNameToUtf8("eacute"), "é");
  EXPECT_EQ(GlyphNameToUtf8("uni00410042"), "AB");
  EXPECT_EQ(GlyphNameToUtf8("u1F600"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(GlyphNameToUtf8("f_i.alt"), "fi");
  EXPECT_EQ(GlyphNameToUtf8("uniD800"), "");  // a surrogate
  EXPECT_EQ(GlyphNameToUtf8("g17"), "");
  EXPECT_EQ(GlyphNameToUtf8(".notdef"), "");
  EXPECT_EQ(BaseEncodingUnicode(BaseEncoding::kWinAnsi, 0x80), 0x20ACu);
  EXPECT_EQ(BaseEncodingUnicode(BaseEncoding::kStandard, 0x60), 0x2018u);
  EXPECT_EQ(BaseEncodingUnicode(BaseEncoding::kMacRoman, 0xDB), 0xA4u);
}

}  // namespace
}  // namespace kholuu::formats::pdf
