// The PDF/A validator on small synthetic files: one requirement per test,
// each with a conforming counterpart so that a rule that always fires (or
// never fires) is caught.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "formats/pdf/pdfa.h"
#include "tests/formats/pdf/test_pdf.h"
#include "tests/support/status_matchers.h"

namespace kholuu::formats::pdf {
namespace {

using kholuu::testing::MinimalPdfa;
using kholuu::testing::TestPdf;

PdfaReport Check(const std::string& bytes, PdfaProfile profile = PdfaProfile::k1b, const PdfaLimits& limits = {}) {
  Result<PdfaReport> r = ValidatePdfa(bytes, profile, limits);
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

TEST(PdfaProfile, NamesRoundTrip) {
  for (PdfaProfile p : {PdfaProfile::kAuto, PdfaProfile::k1b, PdfaProfile::k2b, PdfaProfile::k2u, PdfaProfile::k3b}) {
    ASSERT_OK_AND_ASSIGN(PdfaProfile back, ParsePdfaProfile(PdfaProfileName(p)));
    EXPECT_EQ(back, p);
  }
  EXPECT_THAT(ParsePdfaProfile("1a").status(), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
}

TEST(Pdfa, MinimalFileConformsToEachPart) {
  for (const char* part : {"1", "2", "3"}) {
    PdfaProfile want = part[0] == '1' ? PdfaProfile::k1b : part[0] == '2' ? PdfaProfile::k2b : PdfaProfile::k3b;
    PdfaReport r = Check(MinimalPdfa(part).Build(), want);
    EXPECT_TRUE(r.compliant) << "part " << part << "\n" << Dump(r);
  }
}

TEST(Pdfa, AutoUsesTheFilesClaim) {
  PdfaReport r = Check(MinimalPdfa("2").Build(), PdfaProfile::kAuto);
  EXPECT_EQ(r.profile, PdfaProfile::k2b);
  EXPECT_TRUE(r.compliant) << Dump(r);
  // Checked as 1b, a part-2 claim is wrong.
  PdfaReport as1 = Check(MinimalPdfa("2").Build(), PdfaProfile::k1b);
  EXPECT_TRUE(HasClause(as1, "6.7.11")) << Dump(as1);
}

TEST(Pdfa, FileWithoutClaimIsNotCompliantUnderAuto) {
  TestPdf p = MinimalPdfa("1");
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
  PdfaReport r = Check(p.Build(), PdfaProfile::kAuto);
  EXPECT_FALSE(r.compliant);
  EXPECT_TRUE(HasClause(r, "6.6.2.1")) << Dump(r);  // no metadata at all
}

TEST(PdfaFileStructure, HeaderAndBinaryComment) {
  TestPdf p = MinimalPdfa();
  p.header = "%PDF-1.4\n%abcd\n";
  EXPECT_TRUE(HasClause(Check(p.Build()), "6.1.2"));
  p.header = " %PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  EXPECT_TRUE(HasClause(Check(p.Build()), "6.1.2"));
}

TEST(PdfaFileStructure, DataAfterEofAndMissingId) {
  TestPdf p = MinimalPdfa();
  p.tail = "garbage";
  PdfaReport r = Check(p.Build());
  EXPECT_TRUE(HasClause(r, "6.1.3")) << Dump(r);
  TestPdf q = MinimalPdfa();
  q.trailer_extra = "";
  r = Check(q.Build());
  EXPECT_TRUE(HasClause(r, "6.1.3")) << Dump(r);
}

TEST(PdfaFileStructure, StreamLengthMustMatch) {
  TestPdf p = MinimalPdfa();
  p.objects[4] = "<< /Length 5 >>\nstream\n0 0 m 100 100 l S\nendstream";
  PdfaReport r = Check(p.Build());
  EXPECT_TRUE(HasClause(r, "6.1.7")) << Dump(r);
}

TEST(PdfaFileStructure, HexStringsAndObjectSpacing) {
  TestPdf p = MinimalPdfa("2");
  p.objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 /X <ABC> >>";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.6")) << Dump(r);
  TestPdf q = MinimalPdfa("2");
  q.objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 /X <4G> >>";
  r = Check(q.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.6")) << Dump(r);
}

TEST(PdfaFileStructure, EncryptionIsForbidden) {
  TestPdf p = MinimalPdfa();
  p.objects.push_back("<< /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>");
  p.trailer_extra += " /Encrypt 6 0 R";
  PdfaReport r = Check(p.Build());
  EXPECT_FALSE(r.compliant);
  EXPECT_TRUE(HasClause(r, "6.1.3")) << Dump(r);
}

TEST(PdfaFileStructure, LzwFilterIsForbidden) {
  TestPdf p = MinimalPdfa("2");
  p.objects.push_back("<< /Filter /LZWDecode /Length 1 >>\nstream\n\x80\nendstream");
  p.objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 /Extra 6 0 R >>";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.1.7.2")) << Dump(r);
}

TEST(PdfaGraphics, DeviceColourNeedsMatchingOutputIntent) {
  PdfaReport r = Check(MinimalPdfa("1", "1 0 0 rg 0 0 10 10 re f").Build());
  EXPECT_TRUE(HasClause(r, "6.2.3.3")) << Dump(r);
  // The same operators in a resource that is never used do not count.
  TestPdf p = MinimalPdfa("1");
  p.objects.push_back(TestPdf::Stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "1 0 0 rg"));
  p.objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /F1 6 0 R >> >> "
                 "/Contents 5 0 R >>";
  r = Check(p.Build());
  EXPECT_TRUE(r.compliant) << Dump(r);
  // Used, it counts.
  p.objects[4] = TestPdf::Stream("", "/F1 Do");
  r = Check(p.Build());
  EXPECT_TRUE(HasClause(r, "6.2.3.3")) << Dump(r);
}

TEST(PdfaGraphics, RenderingIntentAndUndefinedOperator) {
  PdfaReport r = Check(MinimalPdfa("2", "/Custom ri 0 0 m S").Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.6")) << Dump(r);
  r = Check(MinimalPdfa("2", "0 0 m frobnicate S").Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.2")) << Dump(r);
  // Even inside a compatibility section.
  r = Check(MinimalPdfa("2", "BX frobnicate EX 0 0 m S").Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.2")) << Dump(r);
  r = Check(MinimalPdfa("2", "BX 0 0 m S EX").Build(), PdfaProfile::k2b);
  EXPECT_TRUE(r.compliant) << Dump(r);
}

TEST(PdfaGraphics, TransparencyIsForbiddenInPart1) {
  TestPdf p = MinimalPdfa("1", "/G1 gs 0 0 m S");
  p.objects.push_back("<< /Type /ExtGState /ca 0.5 >>");
  p.objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /ExtGState << /G1 6 0 R >> >> "
                 "/Contents 5 0 R >>";
  PdfaReport r = Check(p.Build());
  EXPECT_TRUE(HasClause(r, "6.4")) << Dump(r);
  // PDF/A-2 allows it, but only with a blending colour space or an output intent.
  TestPdf q = p;
  q.objects[3] = TestPdf::Stream("/Type /Metadata /Subtype /XML", kholuu::testing::XmpPacketFor("2", "B"));
  r = Check(q.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.10")) << Dump(r);
  q.objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /ExtGState << /G1 6 0 R >> >> "
                 "/Contents 5 0 R /Group << /S /Transparency /CS /CalRGB >> >>";
  r = Check(q.Build(), PdfaProfile::k2b);
  EXPECT_FALSE(HasClause(r, "6.2.10")) << Dump(r);
}

TEST(PdfaFonts, UsedFontsMustBeEmbedded) {
  TestPdf p = MinimalPdfa("2", "BT /F1 12 Tf (x) Tj ET");
  p.objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  p.objects[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >> "
                 "/Contents 5 0 R >>";
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.2.11.4.1")) << Dump(r);
  // Level U also wants Unicode for each glyph shown: a WinAnsi letter has
  // it by its glyph name; a Differences name outside the Glyph List has not.
  p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
  r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_FALSE(HasClause(r, "6.2.11.7.2")) << Dump(r);
  p.objects[5] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [120 /g120] >> >>";
  r = Check(p.Build(), PdfaProfile::k2u);
  EXPECT_TRUE(HasClause(r, "6.2.11.7.2")) << Dump(r);
}

TEST(PdfaAnnotations, FlagsAndTypes) {
  TestPdf p = MinimalPdfa("2", "0 0 m S", "", "/Annots [6 0 R]");
  p.objects.push_back("<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /F 2 >>");
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.3.2")) << Dump(r);  // hidden, not printed
  p.objects[5] = "<< /Type /Annot /Subtype /Movie /Rect [0 0 10 10] /F 4 >>";
  r = Check(p.Build(), PdfaProfile::k2b);
  EXPECT_TRUE(HasClause(r, "6.3.1")) << Dump(r);
}

TEST(PdfaActions, JavaScriptIsForbidden) {
  TestPdf p = MinimalPdfa("1");
  p.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /OpenAction 6 0 R >>";
  p.objects.push_back("<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>");
  PdfaReport r = Check(p.Build());
  EXPECT_TRUE(HasClause(r, "6.6.1")) << Dump(r);
}

TEST(PdfaEmbeddedFiles, ForbiddenInPart1AndNeedRelationshipInPart3) {
  TestPdf p = MinimalPdfa("1");
  p.objects.push_back("<< /Type /Filespec /F (a.txt) /UF (a.txt) /EF << /F 7 0 R >> >>");
  p.objects.push_back(TestPdf::Stream("/Type /EmbeddedFile /Subtype /text#2Fplain", "hello"));
  p.objects[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 /X 6 0 R >>";
  EXPECT_TRUE(HasClause(Check(p.Build()), "6.1.11"));
  TestPdf q = p;
  q.objects[3] = TestPdf::Stream("/Type /Metadata /Subtype /XML", kholuu::testing::XmpPacketFor("3", "B"));
  PdfaReport r = Check(q.Build(), PdfaProfile::k3b);
  EXPECT_TRUE(HasClause(r, "6.8")) << Dump(r);
  q.objects[5] = "<< /Type /Filespec /F (a.txt) /UF (a.txt) /AFRelationship /Source /EF << /F 7 0 R >> >>";
  q.objects[0] = "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R /AF [6 0 R] >>";
  r = Check(q.Build(), PdfaProfile::k3b);
  EXPECT_TRUE(r.compliant) << Dump(r);
}

TEST(PdfaMetadata, InfoMustMatchXmpInPart1) {
  TestPdf p = MinimalPdfa("1");
  p.objects.push_back("<< /Title (A title) >>");
  p.trailer_extra += " /Info 6 0 R";
  PdfaReport r = Check(p.Build());
  EXPECT_TRUE(HasClause(r, "6.7.3")) << Dump(r);
  TestPdf q = MinimalPdfa("1", "0 0 m S",
                          "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>"
                          "<rdf:Alt><rdf:li xml:lang=\"x-default\">A title</rdf:li></rdf:Alt></dc:title>"
                          "</rdf:Description>\n");
  q.objects.push_back("<< /Title (A title) >>");
  q.trailer_extra += " /Info 6 0 R";
  r = Check(q.Build());
  EXPECT_TRUE(r.compliant) << Dump(r);
}

TEST(PdfaHostile, GarbageEmptyAndTruncatedInputAreReportsNotCrashes) {
  for (const std::string& bytes : {std::string(), std::string("not a pdf at all"), std::string(1000, '\0'),
                                   MinimalPdfa().Build().substr(0, 200), MinimalPdfa().Build().substr(0, 600)}) {
    PdfaReport r = Check(bytes);
    EXPECT_FALSE(r.compliant);
    EXPECT_FALSE(r.violations.empty());
  }
}

TEST(PdfaHostile, CircularPageTreeIsReported) {
  TestPdf p = MinimalPdfa("1");
  p.objects[1] = "<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1 >>";
  PdfaReport r = Check(p.Build());
  EXPECT_TRUE(HasClause(r, "6.1.12")) << Dump(r);
}

TEST(PdfaHostile, DecodedStreamSizeIsCapped) {
  TestPdf p = MinimalPdfa("2");
  p.objects[4] = TestPdf::Stream("/Filter /ASCIIHexDecode", std::string(8192, '4') + ">");
  PdfaLimits limits;
  limits.max_stream_decoded_bytes = 1024;
  PdfaReport r = Check(p.Build(), PdfaProfile::k2b, limits);
  EXPECT_TRUE(HasClause(r, "6.1.13")) << Dump(r);
}

TEST(PdfaHostile, FileSizeLimitIsAnError) {
  PdfaLimits limits;
  limits.max_file_bytes = 10;
  EXPECT_THAT(ValidatePdfa(MinimalPdfa().Build(), PdfaProfile::k1b, limits).status(),
              kholuu::testing::StatusIs(StatusCode::kResourceExhausted));
}

TEST(PdfaFile, MissingFileIsNotFound) {
  EXPECT_THAT(ValidatePdfaFile("/nonexistent/x.pdf", PdfaProfile::k1b).status(),
              kholuu::testing::StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace kholuu::formats::pdf
