// PDF/A rules added or corrected for issue 18 (held-out veraPDF and BFO
// results): each test builds the input the rule is about, with a
// conforming counterpart, so a rule that always or never fires is caught.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "formats/pdf/content.h"
#include "formats/pdf/pdfa.h"
#include "tests/formats/pdf/test_pdf.h"

namespace kholuu::formats::pdf {
namespace {

using kholuu::testing::MinimalPdfa;
using kholuu::testing::TestPdf;

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

// A page whose resources are `resources` (dictionary entries) and whose
// content is `content`; extra objects are numbered from 6.
TestPdf PageWith(const std::string& part, const std::string& resources, const std::string& content) {
  TestPdf p = MinimalPdfa(part, content);
  p.objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << " + resources +
                 " >> /Contents 5 0 R >>";
  return p;
}

// ---- 6.1.7 / 6.1.7.1: stream length

TEST(PdfaStreamLength, EndstreamBytesInsideDataWithCorrectLengthConform) {
  for (const char* part : {"1", "2"}) {
    // The data of a stream may contain the bytes "endstream": Length, not
    // the keyword, delimits it (ISO 32000-1 7.3.8.1).
    const std::string data = "% a comment that says endstream\n0 0 m 100 100 l S";
    TestPdf p = MinimalPdfa(part, data);
    PdfaReport r = Check(p.Build(), part[0] == '1' ? PdfaProfile::k1b : PdfaProfile::k2b);
    EXPECT_TRUE(r.compliant) << part << "\n" << Dump(r);
    // The same with an indirect Length.
    p.objects[4] = "<< /Length 6 0 R >>\nstream\n" + data + "\nendstream";
    p.objects.push_back(std::to_string(data.size()));
    r = Check(p.Build(), part[0] == '1' ? PdfaProfile::k1b : PdfaProfile::k2b);
    EXPECT_TRUE(r.compliant) << part << "\n" << Dump(r);
    // A wrong Length is still found.
    p.objects[5] = std::to_string(data.size() - 3);
    r = Check(p.Build(), part[0] == '1' ? PdfaProfile::k1b : PdfaProfile::k2b);
    EXPECT_TRUE(HasClause(r, part[0] == '1' ? "6.1.7" : "6.1.7.1")) << part << "\n" << Dump(r);
  }
}

TEST(PdfaStreamLength, FontFileLengthKeysAreNotTheLength) {
  // /Length1 of a font program must not be read as /Length.
  const std::string data = "0 0 m 100 100 l S";
  TestPdf p = MinimalPdfa("2", data);
  p.objects[4] = "<< /Length1 3 /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(r.compliant) << Dump(r);
}

TEST(PdfaStreamLength, DataEndingInCarriageReturnBeforeTheEolConforms) {
  for (const char* part : {"1", "2"}) {
    const PdfaProfile profile = part[0] == '1' ? PdfaProfile::k1b : PdfaProfile::k2b;
    const char* clause = part[0] == '1' ? "6.1.7" : "6.1.7.1";
    // Binary data may end in a CR byte; the LF written after it is the EOL
    // before endstream and Length counts the CR (as pdfwrite and others do).
    const std::string data = "0 0 m 100 100 l S\r";
    TestPdf p = MinimalPdfa(part, data);
    PdfaReport r = Check(p.Build(), profile);
    EXPECT_FALSE(HasClause(r, clause)) << part << "\n" << Dump(r);
    // No EOL at all before endstream.
    p.objects[4] = "<< /Length 17 >>\nstream\n0 0 m 100 100 l Sendstream";
    r = Check(p.Build(), profile);
    EXPECT_TRUE(HasClause(r, clause)) << part << "\n" << Dump(r);
  }
}

// ---- 6.1.3: file identifiers

TEST(PdfaFileStructure2, FileIdentifiersAreNotEmpty) {
  TestPdf p = MinimalPdfa("2", "0 0 m 100 100 l S");
  EXPECT_FALSE(HasClause(Check(p.Build(), PdfaProfile::k2b), "6.1.3"));
  p.trailer_extra = "/ID [<> <>]";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.3")) << Dump(r);
  p.trailer_extra = "/ID [<00112233445566778899AABBCCDDEEFF> ()]";
  r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.3")) << Dump(r);
  // Part 1 asks only for the ID keyword with two strings.
  TestPdf q = MinimalPdfa("1", "0 0 m 100 100 l S");
  q.trailer_extra = "/ID [<> <>]";
  r = Check(q.Build(), PdfaProfile::k1b);
  EXPECT_FALSE(HasClause(r, "6.1.3")) << Dump(r);
}

// ---- 6.1.6: hexadecimal strings in content streams

TEST(PdfaFileStructure2, HexStringsInContentStreams) {
  for (const char* part : {"1", "2"}) {
    const PdfaProfile profile = part[0] == '1' ? PdfaProfile::k1b : PdfaProfile::k2b;
    // Invisible text in a font that need not be embedded, so that only the
    // string syntax matters.
    const std::string font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
    TestPdf p = PageWith(part, "/Font << /F1 6 0 R >>", "BT 3 Tr /F1 12 Tf <48 65 6c> Tj ET");
    p.objects.push_back(font);
    PdfaReport r = Check(p.Build(), profile);
    EXPECT_FALSE(HasClause(r, "6.1.6")) << part << "\n" << Dump(r);
    p.objects[4] = TestPdf::Stream("", "BT 3 Tr /F1 12 Tf <484!> Tj ET");
    r = Check(p.Build(), profile);
    EXPECT_TRUE(HasClause(r, "6.1.6")) << part << "\n" << Dump(r);
    p.objects[4] = TestPdf::Stream("", "BT 3 Tr /F1 12 Tf <486> Tj ET");
    r = Check(p.Build(), profile);
    EXPECT_TRUE(HasClause(r, "6.1.6")) << part << "\n" << Dump(r);
    // Inline image data is not syntax: a '<' inside it is no string.
    p.objects[4] = TestPdf::Stream("", "q 10 0 0 10 0 0 cm BI /W 2 /H 1 /CS /G /BPC 8 ID <!\nEI Q");
    r = Check(p.Build(), profile);
    EXPECT_FALSE(HasClause(r, "6.1.6")) << part << "\n" << Dump(r);
  }
}

// ---- 6.2.4.2: ICCBased CMYK and overprint mode

// ICCBased CMYK (N 4) under /CS0 and one graphics state under /GS0. The
// profile bytes are not a real profile (reported under their own message,
// which these assertions do not look at); N decides CMYK for the rule.
std::string IccCmykResources(const std::string& gs) {
  return "/ColorSpace << /CS0 [/ICCBased 6 0 R] >> /ExtGState << /GS0 " + gs + " >>";
}

TEST(PdfaOverprint, IccCmykWithOpm1IsJudgedPerPaintingOperator) {
  const std::string on = "<< /OPM 1 /OP true /op true >>";
  // Overprint on, OPM 1, ICCBased CMYK used for filling: forbidden.
  TestPdf p = PageWith("2", IccCmykResources(on), "/GS0 gs /CS0 cs 0 0 0 1 sc 0 0 10 10 re f");
  p.objects.push_back(TestPdf::Stream("/N 4", "not a real profile"));
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(std::any_of(r.violations.begin(), r.violations.end(), [](const PdfaViolation& v) {
    return v.clause == "6.2.4.2" && v.message.find("overprint") != std::string::npos;
  })) << Dump(r);
  auto overprint_reported = [](const PdfaReport& rep) {
    return std::any_of(rep.violations.begin(), rep.violations.end(), [](const PdfaViolation& v) {
      return v.message.find("overprint mode 1") != std::string::npos;
    });
  };
  // Fill overprint off (op false) while only filling: allowed.
  TestPdf q = PageWith("2", IccCmykResources("<< /OPM 1 /OP true /op false >>"),
                       "/GS0 gs /CS0 cs 0 0 0 1 sc 0 0 10 10 re f");
  q.objects.push_back(TestPdf::Stream("/N 4", "not a real profile"));
  EXPECT_FALSE(overprint_reported(Check(q.Build(), PdfaProfile::k2b)));
  // The graphics state is restored by Q before the fill: allowed.
  TestPdf s = PageWith("2", IccCmykResources(on), "q /GS0 gs Q /CS0 cs 0 0 0 1 sc 0 0 10 10 re f");
  s.objects.push_back(TestPdf::Stream("/N 4", "not a real profile"));
  EXPECT_FALSE(overprint_reported(Check(s.Build(), PdfaProfile::k2b)));
  // Stroke overprint on (OP) with fill overprint off (op): filling with
  // the ICC space (above) is allowed, stroking with it is not.
  // ... and used to stroke, it is forbidden.
  TestPdf w = PageWith("2", IccCmykResources("<< /OPM 1 /OP true /op false >>"),
                       "/GS0 gs /CS0 CS 0 0 0 1 SC 0 0 m 10 10 l S");
  w.objects.push_back(TestPdf::Stream("/N 4", "not a real profile"));
  EXPECT_TRUE(overprint_reported(Check(w.Build(), PdfaProfile::k2b)));
  // OPM 0: allowed whatever the overprint flags.
  TestPdf z = PageWith("2", IccCmykResources("<< /OPM 0 /OP true /op true >>"),
                       "/GS0 gs /CS0 cs 0 0 0 1 sc 0 0 10 10 re f");
  z.objects.push_back(TestPdf::Stream("/N 4", "not a real profile"));
  EXPECT_FALSE(overprint_reported(Check(z.Build(), PdfaProfile::k2b)));
}

// ---- 6.2.4.4: Separations of the same name

TEST(PdfaSeparation, SameNameComparesObjectsNotReferences) {
  const std::string tint = "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [0 1 0 0] /N 1 >>";
  // The same tint transform once direct, once indirect: equivalent.
  TestPdf p = PageWith("2", "/ColorSpace << /A [/Separation /Spot /DeviceCMYK 6 0 R] /B [/Separation /Spot /DeviceCMYK " + tint + "] >>",
                       "/A cs 1 sc 0 0 5 5 re f /B cs 1 sc 5 5 5 5 re f");
  p.objects.push_back(tint);
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.2.4.4")) << Dump(r);
  // Different tint transforms under one name: not allowed.
  TestPdf q = PageWith("2",
                       "/ColorSpace << /A [/Separation /Spot /DeviceCMYK 6 0 R] /B [/Separation /Spot /DeviceCMYK "
                       "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [1 0 0 0] /N 1 >>] >>",
                       "/A cs 1 sc 0 0 5 5 re f /B cs 1 sc 5 5 5 5 re f");
  q.objects.push_back(tint);
  r = Check(q.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.4.4")) << Dump(r);
  // "All" is not a colorant: Separations named All may differ.
  TestPdf a = PageWith("2",
                       "/ColorSpace << /A [/Separation /All /DeviceCMYK 6 0 R] /B [/Separation /All /DeviceCMYK "
                       "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [1 0 0 0] /N 1 >>] >>",
                       "/A cs 1 sc 0 0 5 5 re f /B cs 1 sc 5 5 5 5 re f");
  a.objects.push_back(tint);
  r = Check(a.Build(), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.2.4.4")) << Dump(r);
}

// ---- 6.2.11.7.2 (level U): Unicode of the glyphs shown

TEST(PdfaUnicode, OnlyShownGlyphsNeedUnicode) {
  // Differences name a glyph outside the Glyph List (code 66), but only
  // code 65 (/A) is shown: conforming for this rule.
  const std::string font = "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /BaseEncoding /WinAnsiEncoding "
                           "/Differences [65 /A /g66] >> >>";
  TestPdf p = PageWith("2", "/Font << /F1 6 0 R >>", "BT /F1 12 Tf (A) Tj ET");
  p.objects.push_back(font);
  PdfaReport r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_FALSE(HasClause(r, "6.2.11.7.2")) << Dump(r);
  // Showing code 66 needs a ToUnicode map.
  p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (AB) Tj ET");
  r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_TRUE(HasClause(r, "6.2.11.7.2")) << Dump(r);
  // Glyph List conventions: suffixes and ligatures, uniXXXX, accented Latin.
  p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /Differences [65 /a.sc /f_i /uni1EA0 "
                 "/Acircumflexacute /ohornhookabove] >> >>";
  p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (ABCDE) Tj ET");
  r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_FALSE(HasClause(r, "6.2.11.7.2")) << Dump(r);
  // Further Glyph List classes: Greek with tonos, letters with dot/bar/slash,
  // fractions, superiors, Latin letters without accent suffix.
  p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /Differences [65 /Alphatonos /Hbar /Gdot "
                 "/onethird /fivesuperior /Eng /quotereversed] >> >>";
  p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (ABCDEFG) Tj ET");
  r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_FALSE(HasClause(r, "6.2.11.7.2")) << Dump(r);
  // The predefined encodings name their codes (ISO 32000-1 Annex D): upper
  // half and MacExpertEncoding included; only codes below 32 have no name.
  for (const char* enc : {"/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding", "/StandardEncoding"}) {
    p.objects[5] = std::string("<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding ") + enc + " >>";
    p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (A\\351\\241) Tj ET");
    r = Check(p.Build(), PdfaProfile::k2u);
    EXPECT_FALSE(HasClause(r, "6.2.11.7.2")) << enc << "\n" << Dump(r);
    p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (A\\001) Tj ET");
    r = Check(p.Build(), PdfaProfile::k2u);
    EXPECT_TRUE(HasClause(r, "6.2.11.7.2")) << enc << "\n" << Dump(r);
  }
  // Code 127: the bullet in WinAnsiEncoding, unassigned in MacRomanEncoding.
  p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (A\\177) Tj ET");
  p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding /WinAnsiEncoding >>";
  EXPECT_FALSE(HasClause(Check(p.Build(), PdfaProfile::k2u), "6.2.11.7.2"));
  p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding /MacRomanEncoding >>";
  EXPECT_TRUE(HasClause(Check(p.Build(), PdfaProfile::k2u), "6.2.11.7.2"));
  // A ToUnicode map supplies what the names cannot.
  p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /X /ToUnicode 7 0 R /Encoding << /Differences [65 /g65] >> >>";
  p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (A) Tj ET");
  p.objects.push_back(TestPdf::Stream("", "1 begincodespacerange <00> <FF> endcodespacerange\n"
                                          "1 beginbfchar <41> <0041> endbfchar"));
  r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_FALSE(HasClause(r, "6.2.11.7.2")) << Dump(r);
}

TEST(PdfaUnicode, Type3GlyphNamesOfShownCodes) {
  const std::string font =
      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /a 7 0 R "
      "/g1 7 0 R >> /Encoding << /Differences [97 /a /g1] >> /FirstChar 97 /LastChar 98 /Widths [500 500] >>";
  TestPdf p = PageWith("2", "/Font << /F1 6 0 R >>", "BT /F1 12 Tf (a) Tj ET");
  p.objects.push_back(font);
  p.objects.push_back(TestPdf::Stream("", "500 0 d0"));
  PdfaReport r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_FALSE(HasClause(r, "6.2.11.7.2")) << Dump(r);
  p.objects[4] = TestPdf::Stream("", "BT /F1 12 Tf (b) Tj ET");
  r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_TRUE(HasClause(r, "6.2.11.7.2")) << Dump(r);
}


// ---- 6.2.2: explicitly associated resources

TEST(PdfaGraphics2, GlyphProceduresAndPatternsHaveTheirOwnResources) {
  // A Type 3 glyph procedure that paints an image by name.
  auto type3 = [](const std::string& font_resources) {
    TestPdf p = PageWith("2", "/Font << /F1 6 0 R >> /XObject << /Im1 8 0 R >>", "BT /F1 12 Tf (a) Tj ET");
    p.objects.push_back("<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0] "
                        "/CharProcs << /a 7 0 R >> /Encoding << /Differences [97 /a] >> /FirstChar 97 /LastChar 97 "
                        "/Widths [500] " + font_resources + " >>");
    p.objects.push_back(TestPdf::Stream("", "500 0 0 0 1 1 d1 q 1 0 0 1 0 0 cm /Im1 Do Q"));
    p.objects.push_back(TestPdf::Stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 /ImageMask true "
                                        "/BitsPerComponent 1", std::string(1, '\x00')));
    return Check(p.Build(), PdfaProfile::k2b);
  };
  PdfaReport r = type3("/Resources << /XObject << /Im1 8 0 R >> >>");
  EXPECT_FALSE(HasClause(r, "6.2.2")) << Dump(r);
  r = type3("");
  EXPECT_TRUE(HasClause(r, "6.2.2")) << Dump(r);
  // A tiling pattern that selects a graphics state by name.
  auto pattern = [](const std::string& pattern_resources) {
    TestPdf p = PageWith("2", "/Pattern << /P1 6 0 R >> /ExtGState << /G1 << /LW 2 >> >>",
                         "/Pattern cs /P1 scn 0 0 10 10 re f");
    p.objects.push_back("<< /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 5 5] /XStep 5 /YStep 5 " +
                        pattern_resources + " /Length 20 >>\nstream\n/G1 gs 0 0 m 5 5 l S\nendstream");
    return Check(p.Build(), PdfaProfile::k2b);
  };
  r = pattern("/Resources << /ExtGState << /G1 << /LW 2 >> >> >>");
  EXPECT_FALSE(HasClause(r, "6.2.2")) << Dump(r);
  r = pattern("");
  EXPECT_TRUE(HasClause(r, "6.2.2")) << Dump(r);
}

// ---- 6.1.2 header, 6.1.8 / 6.1.9 indirect object spacing

TEST(PdfaFileStructure2, HeaderLineIsExactlyTheVersion) {
  TestPdf p = MinimalPdfa("2");
  EXPECT_TRUE(Check(p.Build(), PdfaProfile::k2b).compliant);
  p.header = "%PDF-1.4 x\n%\xE2\xE3\xCF\xD3\n";
  EXPECT_TRUE(HasClause(Check(p.Build(), PdfaProfile::k2b), "6.1.2"));
  p.header = "%PDF-1.45\n%\xE2\xE3\xCF\xD3\n";
  EXPECT_TRUE(HasClause(Check(p.Build(), PdfaProfile::k2b), "6.1.2"));
  TestPdf q = MinimalPdfa("1");
  q.header = "%PDF-1.4 x\n%\xE2\xE3\xCF\xD3\n";
  EXPECT_TRUE(HasClause(Check(q.Build(), PdfaProfile::k1b), "6.1.2"));
}

TEST(PdfaFileStructure2, EndobjIsFollowedByAnEol) {
  // The last object's "endobj" directly followed by "xref"'s predecessor: a space.
  TestPdf p = MinimalPdfa("2");
  std::string bytes = p.Build();
  size_t pos = bytes.find("endobj\n2 0 obj");
  ASSERT_NE(pos, std::string::npos);
  bytes[pos + 6] = ' ';  // "endobj 2 0 obj": also no EOL before the object number
  PdfaReport r = Check(bytes, PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.9")) << Dump(r);
  // Part 1 has the same rule (6.1.8), object number preceded by an EOL included.
  TestPdf q = MinimalPdfa("1");
  bytes = q.Build();
  pos = bytes.find("endobj\n2 0 obj");
  ASSERT_NE(pos, std::string::npos);
  bytes[pos + 6] = ' ';
  r = Check(bytes, PdfaProfile::k1b);
  EXPECT_TRUE(HasClause(r, "6.1.8")) << Dump(r);
}

// ---- 6.9 optional content, 6.10 alternate presentations, 6.11 requirements

TEST(PdfaCatalog, OptionalContentOrderListsEveryGroup) {
  TestPdf p = MinimalPdfa("2");
  p.objects.push_back("<< /Type /OCG /Name (one) >>");
  p.objects.push_back("<< /Type /OCG /Name (two) >>");
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /OCProperties << /OCGs [6 0 R 7 0 R] "
                 "/D << /Name (default) /Order [6 0 R [(sub) 7 0 R]] >> >> >>";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.9")) << Dump(r);
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /OCProperties << /OCGs [6 0 R 7 0 R] "
                 "/D << /Name (default) /Order [6 0 R] >> >> >>";
  r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.9")) << Dump(r);
  // No Order at all is allowed.
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /OCProperties << /OCGs [6 0 R 7 0 R] "
                 "/D << /Name (default) >> >> >>";
  r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.9")) << Dump(r);
}

TEST(PdfaCatalog, AlternatePresentationsAndRequirementsAreForbidden) {
  TestPdf p = MinimalPdfa("2");
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /Names << /AlternatePresentations << /Names [] >> >> >>";
  EXPECT_TRUE(HasClause(Check(p.Build(), PdfaProfile::k2b), "6.10"));
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /Requirements [<< /Type /Requirement /S /EnableJavaScripts >>] >>";
  EXPECT_TRUE(HasClause(Check(p.Build(), PdfaProfile::k2b), "6.11"));
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /Names << /Dests << /Names [] >> >> >>";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(r.compliant) << Dump(r);
}

// ---- 6.2.5 halftones, 6.2.8 image masks

TEST(PdfaGraphics2, Type5HalftoneTransferFunctionsPerColorant) {
  auto with_ht = [](const std::string& ht) {
    TestPdf p = PageWith("2", "/ExtGState << /G0 << /Type /ExtGState /HT " + ht + " >> >>", "/G0 gs 0 0 m 1 1 l S");
    return p.Build();
  };
  const std::string screen = "/HalftoneType 1 /Frequency 60 /Angle 45 /SpotFunction /Round";
  // A spot colorant needs a TransferFunction; a primary must not have one.
  PdfaReport r = Check(with_ht("<< /HalftoneType 5 /Default << " + screen + " >> /Cyan << " + screen +
                               " >> /Gold << " + screen + " /TransferFunction /Identity >> >>"),
                       PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.2.5")) << Dump(r);
  r = Check(with_ht("<< /HalftoneType 5 /Default << " + screen + " >> /Gold << " + screen + " >> >>"), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.5")) << Dump(r);
  r = Check(with_ht("<< /HalftoneType 5 /Default << " + screen + " >> /Cyan << " + screen +
                    " /TransferFunction /Identity >> >>"),
            PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.5")) << Dump(r);
}

TEST(PdfaGraphics2, ImageMaskHasOneBitPerComponent) {
  auto with_image = [](const std::string& dict) {
    TestPdf p = PageWith("2", "/XObject << /Im0 6 0 R >>", "q 10 0 0 10 0 0 cm /Im0 Do Q");
    p.objects.push_back(TestPdf::Stream("/Type /XObject /Subtype /Image /Width 1 /Height 1 " + dict, std::string(1, '\x80')));
    return p.Build();
  };
  EXPECT_FALSE(HasClause(Check(with_image("/ImageMask true /BitsPerComponent 1"), PdfaProfile::k2b), "6.2.8"));
  EXPECT_TRUE(HasClause(Check(with_image("/ImageMask true /BitsPerComponent 8"), PdfaProfile::k2b), "6.2.8"));
}

// ---- 6.2.3 output intents

TEST(PdfaGraphics2, AllOutputIntentsShareOneProfileObject) {
  TestPdf p = MinimalPdfa("2");
  p.objects.push_back(TestPdf::Stream("/N 3", "profile bytes"));
  p.objects.push_back(TestPdf::Stream("/N 3", "profile bytes"));
  auto intents = [&](const std::string& a, const std::string& b) {
    p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 "
                   "/OutputConditionIdentifier (x) /DestOutputProfile " + a + " >> << /Type /OutputIntent /S /GTS_PDFX "
                   "/OutputConditionIdentifier (x) /DestOutputProfile " + b + " >>] >>";
    return p.Build();
  };
  auto differ = [](const PdfaReport& r) {
    return std::any_of(r.violations.begin(), r.violations.end(), [](const PdfaViolation& v) {
      return v.message.find("different destination output profiles") != std::string::npos;
    });
  };
  EXPECT_FALSE(differ(Check(intents("6 0 R", "6 0 R"), PdfaProfile::k2b)));
  // Equal bytes in two objects are still two profiles (the rule asks for one indirect object).
  EXPECT_TRUE(differ(Check(intents("6 0 R", "7 0 R"), PdfaProfile::k2b)));
  // A PDF/X intent may not carry DestOutputProfileRef.
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFX "
                 "/OutputConditionIdentifier (x) /DestOutputProfileRef << /URLs [] >> >>] >>";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(std::any_of(r.violations.begin(), r.violations.end(), [](const PdfaViolation& v) {
    return v.clause == "6.2.3" && v.message.find("DestOutputProfileRef") != std::string::npos;
  })) << Dump(r);
}

// ---- 6.1.13 real numbers (part 2)

TEST(PdfaLimits2, RealsTooCloseToZeroOrTooLarge) {
  const std::string tiny = "0." + std::string(40, '0') + "1";
  // In a content stream.
  PdfaReport r = Check(MinimalPdfa("2", tiny + " 0 0 1 0 0 cm 0 0 m 1 1 l S").Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.13")) << Dump(r);
  r = Check(MinimalPdfa("2", "0.0 0.5 -0.000001 1 0 0 cm 0 0 m 1 1 l S").Build(), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.1.13")) << Dump(r);
  r = Check(MinimalPdfa("2", "4" + std::string(39, '0') + ".0 0 0 1 0 0 cm 0 0 m 1 1 l S").Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.13")) << Dump(r);
  // In an object.
  TestPdf p = MinimalPdfa("2");
  p.objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 /X " + tiny + " >>";
  r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.13")) << Dump(r);
}

// ---- 6.6.1 / 6.5.1 actions written as direct objects

TEST(PdfaActions2, DirectActionsInOutlinesAndNextChainsAreChecked) {
  auto with_outline = [](const std::string& action) {
    TestPdf p = MinimalPdfa("2");
    p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /Outlines 6 0 R >>";
    p.objects.push_back("<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>");
    p.objects.push_back("<< /Title (x) /Parent 6 0 R /A " + action + " >>");
    return p.Build();
  };
  PdfaReport r = Check(with_outline("<< /S /GoTo /D [3 0 R /Fit] >>"), PdfaProfile::k2b);
  EXPECT_TRUE(r.compliant) << Dump(r);
  r = Check(with_outline("<< /S /Launch /F (calc.exe) >>"), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.5.1")) << Dump(r);
  r = Check(with_outline("<< /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (app.alert(1)) >> >>"), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.5.1")) << Dump(r);
  r = Check(with_outline("<< /S /Named /N /Print >>"), PdfaProfile::k1b);
  EXPECT_TRUE(HasClause(r, "6.6.1")) << Dump(r);
}

// ---- 6.4.3 signature byte range

TEST(PdfaSignatures, ByteRangeCoversTheFileExceptContents) {
  TestPdf p = MinimalPdfa("2");
  p.objects.push_back("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
                      "/ByteRange [0000000000 0000000000 0000000000 0000000000] /Contents <" + std::string(64, '0') + "> >>");
  std::string bytes = p.Build();
  const size_t lt = bytes.find("/Contents <") + 10;
  const size_t gt = bytes.find('>', lt) + 1;
  auto set_range = [&](std::string b, size_t a0, size_t a1, size_t a2, size_t a3) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%010zu %010zu %010zu %010zu", a0, a1, a2, a3);
    size_t at = b.find("/ByteRange [") + 12;
    b.replace(at, 43, buf);
    return b;
  };
  PdfaReport r = Check(set_range(bytes, 0, lt, gt, bytes.size() - gt), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.4.3")) << Dump(r);
  // Leaving out the last bytes of the file (here its %%EOF line) is not allowed.
  r = Check(set_range(bytes, 0, lt, gt, bytes.size() - gt - 6), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.4.3")) << Dump(r);
  // Nor is a gap larger than the Contents string.
  r = Check(set_range(bytes, 0, lt - 1, gt, bytes.size() - gt), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.4.3")) << Dump(r);
}

// ---- embedded CMaps: codes to CIDs; 6.1.12 / 6.1.13 CID limit

TEST(PdfaCMap, CodespacesAndCidMappings) {
  CMapCids m = ParseCMapCids(
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
      "2 begincodespacerange <00> <7F> <8140> <FEFE> endcodespacerange\n"
      "1 begincidrange <20> <7E> 1 endcidrange\n"
      "2 begincidchar <8140> 633 <8141> 70000 endcidchar\n"
      "endcmap CMapName currentdict /CMap defineresource pop end end");
  ASSERT_EQ(m.codespaces.size(), 2u);
  // "A" (one byte), <8140> and <8141> (two bytes), <FF> matches no codespace.
  std::vector<uint32_t> cids = m.Cids(std::string("A\x81\x40\x81\x41\xFF", 6));
  EXPECT_EQ(cids, (std::vector<uint32_t>{34, 633, 70000, 0}));
  EXPECT_TRUE(ParseCMapCids("").Cids("ab").size() == 2);  // no codespace: one byte each, CID 0
}

TEST(PdfaCMap, CidAbove65535IsAnImplementationLimitViolation) {
  auto with_cmap = [](uint32_t cid) {
    TestPdf p = PageWith("1", "/Font << /F1 6 0 R >>", "BT /F1 12 Tf <0102> Tj ET");
    p.objects.push_back("<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding 7 0 R /DescendantFonts [8 0 R] >>");
    p.objects.push_back(TestPdf::Stream("/Type /CMap /CMapName /Test /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>",
                                        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 begincidchar <0102> " +
                                            std::to_string(cid) + " endcidchar"));
    p.objects.push_back("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) "
                        "/Ordering (Identity) /Supplement 0 >> /DW 1000 >>");
    return p.Build();
  };
  EXPECT_FALSE(HasClause(Check(with_cmap(100), PdfaProfile::k1b), "6.1.12"));
  EXPECT_TRUE(HasClause(Check(with_cmap(70000), PdfaProfile::k1b), "6.1.12"));
}

TEST(PdfaCMap, EmbeddedCMapsReferenceOnlyPredefinedCMaps) {
  auto with = [](const std::string& cmap_dict, const std::string& cmap_data, const std::string& extra) {
    TestPdf p = PageWith("2", "/Font << /F1 6 0 R >>", "BT 3 Tr /F1 12 Tf <0102> Tj ET");
    p.objects.push_back("<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding 7 0 R /DescendantFonts [8 0 R] >>");
    p.objects.push_back(TestPdf::Stream(
        "/Type /CMap /CMapName /Test /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> " + cmap_dict,
        cmap_data + "\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 begincidchar <0102> 3 endcidchar"));
    p.objects.push_back("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /X /CIDSystemInfo << /Registry (Adobe) "
                        "/Ordering (Japan1) /Supplement 2 >> /DW 1000 >>");
    if (!extra.empty()) p.objects.push_back(extra);
    return Check(p.Build(), PdfaProfile::k2b);
  };
  PdfaReport r = with("/UseCMap /UniJIS-UCS2-H", "", "");
  EXPECT_FALSE(HasClause(r, "6.2.11.3.3")) << Dump(r);
  r = with("", "/UniJIS-UCS2-H usecmap", "");
  EXPECT_FALSE(HasClause(r, "6.2.11.3.3")) << Dump(r);
  r = with("", "/MyOwnCMap usecmap", "");
  EXPECT_TRUE(HasClause(r, "6.2.11.3.3")) << Dump(r);
  // An embedded CMap that is not one of ISO 32000-1 Table 118.
  const std::string other = TestPdf::Stream("/Type /CMap /CMapName /Adobe-Japan1-4", "1 begincodespacerange <0000> <FFFF> endcodespacerange");
  r = with("/UseCMap 9 0 R", "", other);
  EXPECT_TRUE(HasClause(r, "6.2.11.3.3")) << Dump(r);
}

// ---- 6.1.6 hexadecimal strings inside object streams

// A PDF 1.5 file whose object 7 lives in an object stream (object 6) and
// whose cross-reference table is a stream (object 8).
std::string WithObjectStream(const std::string& object7) {
  TestPdf base = MinimalPdfa("2");
  base.objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 /Extra 7 0 R >>";
  std::string out = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < base.objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + base.objects[i] + "\nendobj\n";
  }
  const std::string header = "7 0 ";
  offsets.push_back(out.size());
  out += "6 0 obj\n" + TestPdf::Stream("/Type /ObjStm /N 1 /First " + std::to_string(header.size()), header + object7) +
         "\nendobj\n";
  const size_t xref_at = out.size();
  std::string rows;
  auto row = [&](int type, uint32_t a, uint16_t b) {
    rows += static_cast<char>(type);
    for (int k = 3; k >= 0; --k) rows += static_cast<char>((a >> (8 * k)) & 0xFF);
    rows += static_cast<char>(b >> 8);
    rows += static_cast<char>(b & 0xFF);
  };
  row(0, 0, 0xFFFF);
  for (size_t off : offsets) row(1, static_cast<uint32_t>(off), 0);
  row(2, 6, 0);                       // object 7: index 0 in object stream 6
  row(1, static_cast<uint32_t>(xref_at), 0);  // object 8: this stream
  out += "8 0 obj\n" +
         TestPdf::Stream("/Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R " + base.trailer_extra, rows) +
         "\nendobj\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return out;
}

TEST(PdfaFileStructure2, HexStringsInsideObjectStreams) {
  PdfaReport r = Check(WithObjectStream("<< /X <4142> >>"), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.1.6")) << Dump(r);
  r = Check(WithObjectStream("<< /X <414> >>"), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.6")) << Dump(r);
  r = Check(WithObjectStream("<< /X <41G2> >>"), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.6")) << Dump(r);
}

// ---- 6.3.4 / 6.2.11.4.1: fonts used only for invisible text

TEST(PdfaFonts2, FontUsedOnlyInRenderingMode3NeedNotBeEmbedded) {
  for (const char* part : {"1", "2"}) {
    const PdfaProfile profile = part[0] == '1' ? PdfaProfile::k1b : PdfaProfile::k2b;
    const char* clause = part[0] == '1' ? "6.3.4" : "6.2.11.4.1";
    // An OCR text layer: invisible text in a font that is not embedded.
    TestPdf p = PageWith(part, "/Font << /F1 6 0 R >>", "BT 3 Tr /F1 12 Tf (scanned words) Tj ET");
    p.objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    PdfaReport r = Check(p.Build(), profile);
    EXPECT_FALSE(HasClause(r, clause)) << part << "\n" << Dump(r);
    // The same font once shown visibly must be embedded.
    p.objects[4] = TestPdf::Stream("", "BT 3 Tr /F1 12 Tf (scanned) Tj 0 Tr (words) Tj ET");
    r = Check(p.Build(), profile);
    EXPECT_TRUE(HasClause(r, clause)) << part << "\n" << Dump(r);
  }
}

// ---- 6.3.2 / 6.2.11.2: font dictionaries (ISO 32000-1 9.6, 9.7)

TEST(PdfaFonts2, FontDictionaryEntriesRequiredBy32000) {
  for (const char* part : {"1", "2"}) {
    const PdfaProfile profile = part[0] == '1' ? PdfaProfile::k1b : PdfaProfile::k2b;
    const char* clause = part[0] == '1' ? "6.3.2" : "6.2.11.2";
    // Invisible text, so that embedding (another clause) does not matter.
    TestPdf p = PageWith(part, "/Font << /F1 6 0 R >>", "BT 3 Tr /F1 12 Tf (ab) Tj ET");
    // A standard 14 font, not embedded: FirstChar, LastChar, Widths optional.
    p.objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    PdfaReport r = Check(p.Build(), profile);
    EXPECT_FALSE(HasClause(r, clause)) << part << "\n" << Dump(r);
    // Any other simple font needs them, with LastChar - FirstChar + 1 widths.
    p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /MyFont /FirstChar 97 /LastChar 98 /Widths [500 500] >>";
    r = Check(p.Build(), profile);
    EXPECT_FALSE(HasClause(r, clause)) << part << "\n" << Dump(r);
    p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /MyFont /FirstChar 97 /LastChar 98 /Widths [500] >>";
    r = Check(p.Build(), profile);
    EXPECT_TRUE(HasClause(r, clause)) << part << "\n" << Dump(r);
    p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /MyFont >>";
    r = Check(p.Build(), profile);
    EXPECT_TRUE(HasClause(r, clause)) << part << "\n" << Dump(r);
    // Type must be Font.
    p.objects[5] = "<< /Type /Fnt /Subtype /Type1 /BaseFont /Helvetica >>";
    r = Check(p.Build(), profile);
    EXPECT_TRUE(HasClause(r, clause)) << part << "\n" << Dump(r);
  }
}

}  // namespace
}  // namespace kholuu::formats::pdf
