// One conversion per route with the real converters (Ghostscript,
// LibreOffice, tiff2pdf) on real files, every output checked with our own
// validator; and stand-in converters that hang, crash, flood their work
// directory or lie, which must be stopped and reported.
#include "formats/convert/pdfa_convert.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/pdf/document_writer.h"
#include "formats/pdf/pdfa.h"
#include "tests/formats/convert/convert_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::convert {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::TempDir;
using ::kholuu::testing::WriteTestFile;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kScans = std::string(KHOLUU_CORPUS_DIR) + "/scans-real";
const std::string kPyhanko = std::string(KHOLUU_CORPUS_DIR) + "/pdf-pyhanko";
const std::string kOnePageScan = kScans + "/001.03.08.H30.81.2024.K4.01.01.002.pdf";
const std::string kTwoPageScan = kScans + "/001.03.08.H30.81.2024.K4.01.01.003.pdf";

#define SKIP_WITHOUT(path)                                                      \
  if (!PathExists(path)) GTEST_SKIP() << "corpus file not found: " << (path)

// Renders `pdf` with the real Ghostscript to an image file (test input).
void Render(const std::string& pdf, const std::string& device, int dpi, const std::string& out) {
  auto r = kholuu::testing::Run({"/usr/bin/gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE",
                                 "-sDEVICE=" + device, "-r" + std::to_string(dpi),
                                 "-sOutputFile=" + out, pdf});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

// Checks the contract for a converted copy.
void ExpectValidCopy(const ConversionResult& r, int pages) {
  EXPECT_EQ(r.status, ConversionStatus::kConverted) << r.reason;
  EXPECT_TRUE(r.validated) << r.reason;
  EXPECT_EQ(r.profile, "2b");
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.pages, pages);
  // Independent of the result's own flag: validate the bytes again.
  auto report = formats::pdf::ValidatePdfa(r.output, formats::pdf::PdfaProfile::k2b);
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->compliant);
  ASSERT_FALSE(r.runs.empty());
  for (const ConverterRun& run : r.runs) EXPECT_THAT(run.agent, Not(HasSubstr("unknown")));
}

TEST(InputKindTest, ExtensionsNamesAndMediaTypes) {
  EXPECT_EQ(*InputKindFor("pdf"), InputKind::kPdf);
  EXPECT_EQ(*InputKindFor(".PDF"), InputKind::kPdf);
  EXPECT_EQ(*InputKindFor("/x/Báo cáo tổng hợp.DOCX"), InputKind::kText);
  EXPECT_EQ(*InputKindFor("bang.xls"), InputKind::kSpreadsheet);
  EXPECT_EQ(*InputKindFor("slides.pptx"), InputKind::kPresentation);
  EXPECT_EQ(*InputKindFor("scan.tiff"), InputKind::kTiff);
  EXPECT_EQ(*InputKindFor("anh.jpeg"), InputKind::kImage);
  EXPECT_EQ(*InputKindFor("text/rtf; charset=us-ascii"), InputKind::kText);
  EXPECT_EQ(*InputKindFor("application/vnd.oasis.opendocument.spreadsheet"), InputKind::kSpreadsheet);
  EXPECT_EQ(InputKindFor("program.exe").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(InputKindFor("application/zip").status().code(), StatusCode::kInvalidArgument);
}

TEST(ConvertTest, RefusesUnsupportedAndOversizedInputBeforeRunningAnything) {
  EXPECT_EQ(ConvertToPdfA2b("MZ", "setup.exe").status().code(), StatusCode::kInvalidArgument);
  ConvertOptions small;
  small.max_input_bytes = 4;
  EXPECT_EQ(ConvertToPdfA2b("%PDF-1.7 ...", "a.pdf", small).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(ConvertTest, UnparseablePdfIsFlaggedWithAReason) {
  // Ghostscript makes a blank page of it, but nothing can check that page
  // against the original: flagged, never validated.
  auto r = ConvertToPdfA2b("%PDF-1.4\nthis is not a PDF body\n%%EOF\n", "application/pdf");
  ASSERT_OK(r.status());
  EXPECT_EQ(r->status, ConversionStatus::kFailed);
  EXPECT_FALSE(r->validated);
  EXPECT_THAT(r->reason, StartsWith("kholuu's parser cannot read the original"));
  EXPECT_THAT(r->reason, HasSubstr("neither kholuu's parser nor poppler can read the original"));
}

// PDFs that PoDoFo 0.9.8 refuses but other readers read (pyHanko's files
// with cross-reference streams and shifted startxref offsets: qpdf --check
// finds no error in several) are converted; poppler's reading of the
// original decides pages and text, and the copy says so.
TEST(ConvertTest, PdfOurParserRefusesIsCheckedAgainstPoppler) {
  int converted = 0, tried = 0;
  for (const char* name : {"minimal-xref.pdf", "minimal-with-field-tagged.pdf", "minimal-startxref-obo2.pdf"}) {
    const std::string path = kPyhanko + "/" + name;
    if (!PathExists(path)) continue;
    SCOPED_TRACE(name);
    ++tried;
    auto own = formats::pdf::ValidatePdfa(ReadTestFile(path), formats::pdf::PdfaProfile::k2b);
    ASSERT_OK(own.status());
    if (own->pages >= 0) continue;  // a newer PoDoFo reads it: nothing to show here
    auto r = ConvertFileToPdfA2b(path);
    ASSERT_OK(r.status());
    ExpectValidCopy(*r, r->pages);
    ASSERT_FALSE(r->notes.empty());
    EXPECT_THAT(r->notes.back(), StartsWith("kholuu's parser cannot read the original"));
    EXPECT_GT(r->text_letters, 0);
    EXPECT_EQ(r->text_letters_kept, r->text_letters);
    ++converted;
  }
  if (tried == 0) GTEST_SKIP() << "pyHanko corpus not found";
  if (converted == 0) GTEST_SKIP() << "our parser reads all of them now";
}

// The content decides the route, never the name: junk named like an office
// document is refused before any converter runs (it used to come out of
// LibreOffice as pages of mojibake "validated" as PDF/A), a cut-off PDF is
// flagged and not repaired into a shorter copy, and a real document under the
// wrong name takes its own route with the mismatch noted.
TEST(ConvertTest, RouteFollowsContentNotName) {
  std::string junk;
  uint32_t x = 88172645u;
  for (int i = 0; i < 50000; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    junk.push_back(static_cast<char>(x >> 24));
  }
  ConvertOptions never;
  never.ghostscript = "/nonexistent/gs";
  never.libreoffice = "/nonexistent/soffice";
  never.tiff2pdf = "/nonexistent/tiff2pdf";
  for (const char* name : {"bao-cao.docx", "bang.xlsx", "scan.tif", "anh.jpg", "a.pdf", "application/msword"}) {
    auto r = ConvertToPdfA2b(junk, name, never);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_THAT(r.status().message(), HasSubstr("not a known format")) << name;
    EXPECT_THAT(r.status().message(), HasSubstr(name)) << name;
  }
  // A ZIP that is no office document, an XML file, a damaged PNG.
  auto xml = ConvertToPdfA2b("<?xml version=\"1.0\"?><hoso/>", "hoso.odt", never);
  EXPECT_THAT(xml.status().message(), HasSubstr("application/xml"));
  auto png = ConvertToPdfA2b(std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16), "anh.png", never);
  EXPECT_EQ(png.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(png.status().message(), HasSubstr("damaged image/png"));

  // A PDF cut short: flagged, nothing runs.
  const std::string path = kPyhanko + "/empty-a4.pdf";
  SKIP_WITHOUT(path);
  const std::string pdf = ReadTestFile(path);
  auto cut = ConvertToPdfA2b(pdf.substr(0, pdf.size() / 2), "a.pdf", never);
  ASSERT_OK(cut.status());
  EXPECT_EQ(cut->status, ConversionStatus::kFailed);
  EXPECT_THAT(cut->reason, HasSubstr("cut short"));
  EXPECT_TRUE(cut->runs.empty());

  // A PDF named .docx takes the PDF route (no LibreOffice: it does not exist
  // in `never`), with the mismatch noted.
  ConvertOptions gs_only = never;
  gs_only.ghostscript = "gs";
  auto misnamed = ConvertToPdfA2b(pdf, "bien-ban.docx", gs_only);
  ASSERT_OK(misnamed.status());
  EXPECT_EQ(misnamed->kind, InputKind::kPdf);
  EXPECT_EQ(misnamed->input_media_type, "application/pdf");
  EXPECT_TRUE(misnamed->input_type_mismatch);
  EXPECT_TRUE(misnamed->validated) << misnamed->reason;
  auto named = ConvertToPdfA2b(pdf, "bien-ban.pdf", gs_only);
  ASSERT_OK(named.status());
  EXPECT_FALSE(named->input_type_mismatch);
}

TEST(ConvertTest, EncryptedPdfIsFlaggedNotDecrypted) {
  const std::string path = kPyhanko + "/minimal-aes256.pdf";
  SKIP_WITHOUT(path);
  auto r = ConvertFileToPdfA2b(path);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->status, ConversionStatus::kFailed);
  EXPECT_THAT(r->reason, HasSubstr("encrypted"));
  EXPECT_TRUE(r->output.empty());
  EXPECT_TRUE(r->runs.empty());
}

// Annotations PDF/A forbids as they are (here: without an appearance
// stream, veraPDF's 6.3.3 failures) are flattened by a second Ghostscript
// pass; the copy validates and says what was done.
TEST(ConvertTest, AnnotationsWithoutAppearanceAreFlattenedAndNoted) {
  const std::string dir = std::string(KHOLUU_CORPUS_DIR) +
                          "/verapdf/PDF_A-2b/6.3 Annotations/6.3.3 Annotation appearances";
  SKIP_WITHOUT(dir);
  int flattened = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find("-fail-") == std::string::npos) continue;
    SCOPED_TRACE(name);
    auto r = ConvertFileToPdfA2b(entry.path().string());
    ASSERT_OK(r.status());
    if (!r->validated) {
      // Findings beyond annotations: flagged with the reason of both passes.
      EXPECT_THAT(r->reason, Not(HasSubstr("gs not run")));
      continue;
    }
    ExpectValidCopy(*r, r->pages);
    if (r->runs.size() == 1) {
      EXPECT_TRUE(r->notes.empty());  // Ghostscript made the appearances itself
      continue;
    }
    ++flattened;
    ASSERT_EQ(r->runs.size(), 2u);
    ASSERT_EQ(r->notes.size(), 1u);
    EXPECT_THAT(r->notes[0], StartsWith("annotations flattened"));
    EXPECT_THAT(r->notes[0], HasSubstr(" 6.3."));  // the clause of the first finding
  }
  EXPECT_GT(flattened, 0);
}

// The real scans claim PDF/A-2b and pass our validator: nothing runs.
TEST(ConvertTest, ConformingScanIsItsOwnPreservationCopy) {
  SKIP_WITHOUT(kOnePageScan);
  const std::string original = ReadTestFile(kOnePageScan);
  auto r = ConvertFileToPdfA2b(kOnePageScan);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->status, ConversionStatus::kAlreadyConformant);
  EXPECT_TRUE(r->validated);
  EXPECT_EQ(r->profile, "2b");
  EXPECT_EQ(r->pages, 1);
  EXPECT_TRUE(r->output == original);
  EXPECT_TRUE(r->runs.empty());
  EXPECT_EQ(r->converter, "");

  // Forced through Ghostscript: a fresh copy that keeps the scan's text layer.
  ConvertOptions force;
  force.convert_conformant = true;
  auto fresh = ConvertFileToPdfA2b(kOnePageScan, force);
  ASSERT_OK(fresh.status());
  ExpectValidCopy(*fresh, 1);
  EXPECT_FALSE(fresh->output == original);
  auto before = testing::PdfText(original);
  auto after = testing::PdfText(fresh->output);
  ASSERT_OK(before.status());
  ASSERT_OK(after.status());
  testing::Coverage c = testing::SyllableCoverage(*before, *after);
  EXPECT_GT(c.total, 100u);
  EXPECT_GE(c.ratio(), 0.98) << c.found << " of " << c.total;
  // And it looks the same (grey levels 0..255, mean over the page).
  auto diff = testing::FirstPageDifference(original, fresh->output);
  ASSERT_OK(diff.status());
  EXPECT_LT(*diff, 2.0);
}

// A signed PDF (not PDF/A) through Ghostscript: a valid copy, the original
// byte-identical, and the copy is then its own preservation copy.
TEST(ConvertTest, SignedPdfThroughGhostscriptOriginalUntouched) {
  const std::string path = kPyhanko + "/minimal-signed-twice-no-sig-type.pdf";
  SKIP_WITHOUT(path);
  const std::string original = ReadTestFile(path);
  auto r = ConvertFileToPdfA2b(path);
  ASSERT_OK(r.status());
  ExpectValidCopy(*r, 1);
  EXPECT_THAT(r->converter, StartsWith("Ghostscript "));
  EXPECT_NE(r->output, original);
  EXPECT_EQ(Sha256Of(ReadTestFile(path)), Sha256Of(original));
  auto diff = testing::FirstPageDifference(original, r->output);
  ASSERT_OK(diff.status());
  EXPECT_LT(*diff, 2.0);

  auto again = ConvertToPdfA2b(r->output, "pdf");
  ASSERT_OK(again.status());
  EXPECT_EQ(again->status, ConversionStatus::kAlreadyConformant);
  EXPECT_TRUE(again->validated);
  EXPECT_TRUE(again->output == r->output);
  EXPECT_TRUE(again->runs.empty());
}

// A .docx in Times New Roman with Vietnamese text: Liberation Serif is
// embedded and every syllable survives into the copy's text.
TEST(ConvertTest, DocxInTimesNewRomanKeepsVietnameseText) {
  std::vector<std::string> paras = testing::VietnameseParagraphs(0, 3);
  if (paras.empty()) GTEST_SKIP() << "ALQAC corpus not found";
  TempDir tmp;
  WriteTestFile(tmp.Sub("vanban.fodt"), testing::FlatOdt(paras));
  auto docx = testing::LibreOfficeSaveAs(tmp.Sub("vanban.fodt"), "docx");
  ASSERT_OK(docx.status());

  auto r = ConvertToPdfA2b(*docx, "vanban.docx");
  ASSERT_OK(r.status());
  ExpectValidCopy(*r, r->pages);
  EXPECT_GE(r->pages, 1);
  EXPECT_THAT(r->converter, StartsWith("LibreOffice "));

  auto fonts = testing::EmbeddedFonts(r->output);
  ASSERT_OK(fonts.status());
  bool liberation_serif = false;
  for (const std::string& f : *fonts) liberation_serif |= f.find("LiberationSerif") != std::string::npos;
  EXPECT_TRUE(liberation_serif) << "embedded: " << ::testing::PrintToString(*fonts);

  std::string source;
  for (const std::string& p : paras) source += p + "\n";
  auto text = testing::PdfText(r->output);
  ASSERT_OK(text.status());
  testing::Coverage c = testing::SyllableCoverage(source, *text);
  EXPECT_GT(c.total, 200u);
  EXPECT_GE(c.ratio(), 0.98) << c.found << " of " << c.total << "\n" << *text;
}

TEST(ConvertTest, MultiPageTiffGivesOnePagePerImage) {
  SKIP_WITHOUT(kTwoPageScan);
  TempDir tmp;
  Render(kTwoPageScan, "tiffg4", 150, tmp.Sub("scan.tif"));
  auto r = ConvertFileToPdfA2b(tmp.Sub("scan.tif"));
  ASSERT_OK(r.status());
  ExpectValidCopy(*r, 2);
  EXPECT_THAT(r->converter, HasSubstr("tiff2pdf"));
}

TEST(ConvertTest, JpegAndPngScans) {
  SKIP_WITHOUT(kOnePageScan);
  TempDir tmp;
  Render(kOnePageScan, "jpeg", 100, tmp.Sub("scan.jpg"));
  Render(kOnePageScan, "png16m", 100, tmp.Sub("scan.png"));
  for (const char* name : {"scan.jpg", "scan.png"}) {
    SCOPED_TRACE(name);
    auto r = ConvertFileToPdfA2b(tmp.Sub(name));
    ASSERT_OK(r.status());
    ExpectValidCopy(*r, 1);
  }
}

// ---- hostile converters ------------------------------------------------------

class FakeConverterTest : public ::testing::Test {
 protected:
  // A stand-in `gs` that answers --version and otherwise runs `body`.
  ConvertOptions Fake(const std::string& body) {
    const std::string script = tmp_.Sub("fake-gs-" + std::to_string(++n_));
    WriteTestFile(script, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 99.0; exit 0; fi\n" + body + "\n");
    EXPECT_EQ(::chmod(script.c_str(), 0755), 0);
    EXPECT_EQ(::mkdir(work_parent().c_str(), 0700) == 0 || errno == EEXIST, true);
    ConvertOptions o;
    o.ghostscript = script;
    o.ghostscript_limits.wall_time = std::chrono::seconds(3);
    o.ghostscript_limits.file_size_bytes = 64u << 20;
    o.ghostscript_limits.work_dir_bytes = 32u << 20;
    o.work_parent = work_parent();
    return o;
  }
  std::string work_parent() const { return tmp_.Sub("work"); }

  // Converts a plain (non-PDF/A) PDF and checks that nothing is left behind
  // and the input was not touched.
  ConversionResult Convert(const ConvertOptions& o) {
    const std::string path = kPyhanko + "/empty-a4.pdf";
    const std::string original = ReadTestFile(path);
    auto r = ConvertFileToPdfA2b(path, o);
    EXPECT_OK(r.status());
    if (!r.ok()) return {};
    EXPECT_EQ(ReadTestFile(path), original);
    auto left = ListDir(work_parent());
    EXPECT_OK(left.status());
    if (left.ok()) {
      EXPECT_TRUE(left->empty()) << "left behind: " << left->front();
    }
    EXPECT_EQ(r->status, ConversionStatus::kFailed);
    EXPECT_FALSE(r->validated);
    return std::move(r).value();
  }

  void SetUp() override {
    if (!PathExists(kPyhanko + "/empty-a4.pdf")) GTEST_SKIP() << "pyHanko corpus not found";
  }

  TempDir tmp_;
  int n_ = 0;
};

TEST_F(FakeConverterTest, HangingConverterIsStoppedByItsTimeLimit) {
  ConversionResult r = Convert(Fake("sleep 600"));
  EXPECT_THAT(r.reason, HasSubstr("gs timed out after"));
  EXPECT_TRUE(r.output.empty());
  ASSERT_EQ(r.runs.size(), 1u);
  EXPECT_EQ(r.runs[0].agent, "Ghostscript 99.0");
}

TEST_F(FakeConverterTest, CrashingConverterIsReported) {
  ConversionResult r = Convert(Fake("echo 'about to fail' >&2; kill -SEGV $$"));
  EXPECT_THAT(r.reason, HasSubstr("gs crashed (signal 11)"));
  EXPECT_THAT(r.reason, HasSubstr("about to fail"));
}

// One file of gigabytes trips the file-size limit; many files below it trip
// the work-directory limit.
TEST_F(FakeConverterTest, ConverterWritingGigabytesIsStopped) {
  ConversionResult one = Convert(Fake("exec head -c 4000000000 /dev/zero > gs.pdf"));
  EXPECT_THAT(one.reason, HasSubstr("gs stopped: output limit exceeded"));
  EXPECT_TRUE(one.output.empty());
  ConversionResult many = Convert(
      Fake("i=0; while [ $i -lt 250 ]; do head -c 16000000 /dev/zero > part$i; i=$((i+1)); done"));
  EXPECT_THAT(many.reason, HasSubstr("gs stopped: output limit exceeded"));
}

TEST_F(FakeConverterTest, ConverterThatClaimsSuccessIsNotBelieved) {
  // Exits 0 with a "PDF" that is not PDF/A: the validator decides.
  ConvertOptions o = Fake(
      "for a in \"$@\"; do case \"$a\" in -sOutputFile=*) out=\"${a#-sOutputFile=}\";; esac; done\n"
      "printf '%%PDF-1.4\\n%%%%EOF\\n' > \"$out\"");
  ConversionResult r = Convert(o);
  EXPECT_THAT(r.reason, StartsWith("the converted copy does not validate as PDF/A-2b"));
  EXPECT_FALSE(r.violations.empty());
  EXPECT_FALSE(r.output.empty());  // kept for diagnosis, never labelled PDF/A
}

// A converter whose copy is valid PDF/A with the right page count but other
// text (as Ghostscript does with an over-long string or a non-embedded
// Identity-H font) is not believed either; the same text passes.
TEST_F(FakeConverterTest, CopyThatLostTextIsNotValidated) {
  auto Doc = [](const std::string& text) {
    formats::pdf::DocContent c;
    c.title = "Báo cáo";
    c.blocks.push_back(formats::pdf::DocBlock::Text(text));
    return formats::pdf::WriteDocumentPdfA2b(c);
  };
  auto original = Doc("Quyết định về việc phê duyệt kế hoạch lưu trữ hồ sơ điện tử năm 2026");
  auto other = Doc("Thông báo");
  if (!original.ok()) GTEST_SKIP() << "no font for the document writer: " << original.status().message();
  ASSERT_OK(other.status());
  const std::string input = tmp_.Sub("original.pdf"), shorter = tmp_.Sub("other.pdf");
  WriteTestFile(input, *original);
  WriteTestFile(shorter, *other);
  auto CopyOf = [&](const std::string& file) {
    ConvertOptions o = Fake(
        "for a in \"$@\"; do case \"$a\" in -sOutputFile=*) out=\"${a#-sOutputFile=}\";; esac; done\n"
        "cp '" + file + "' \"$out\"");
    o.convert_conformant = true;  // the input is PDF/A already: convert anyway
    return ConvertFileToPdfA2b(input, o);
  };
  auto lost = CopyOf(shorter);
  ASSERT_OK(lost.status());
  EXPECT_EQ(lost->status, ConversionStatus::kFailed);
  EXPECT_FALSE(lost->validated);
  EXPECT_TRUE(lost->violations.empty());  // valid PDF/A, but not the document
  EXPECT_THAT(lost->reason, HasSubstr("letters and digits of the original's text"));
  EXPECT_GT(lost->text_letters, 40);
  EXPECT_LT(lost->text_letters_kept, lost->text_letters / 2);

  auto kept = CopyOf(input);
  ASSERT_OK(kept.status());
  EXPECT_TRUE(kept->validated) << kept->reason;
  EXPECT_EQ(kept->text_letters_kept, kept->text_letters);
  EXPECT_EQ(kept->text_letters, lost->text_letters);
}

// A LibreOffice stand-in whose PDF is not PDF/A: one Ghostscript pass (the
// real one) makes the copy, and both agents are recorded.
TEST_F(FakeConverterTest, OfficeOutputThatFailsGetsOneGhostscriptPass) {
  const std::string script = tmp_.Sub("fake-soffice");
  WriteTestFile(script,
                "#!/bin/sh\n"
                "if [ \"$1\" = --version ]; then echo 'LibreOffice 99.0'; exit 0; fi\n"
                "while [ $# -gt 1 ]; do [ \"$1\" = --outdir ] && outdir=\"$2\"; shift; done\n"
                "mkdir -p \"$outdir\" && cp '" + kPyhanko + "/empty-a4.pdf' \"$outdir/input.pdf\"\n");
  ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
  ConvertOptions o;
  o.libreoffice = script;
  const std::string fodt = testing::FlatOdt(testing::VietnameseParagraphs(0, 1));
  auto r = ConvertToPdfA2b(fodt, "bao-cao.fodt", o);
  ASSERT_OK(r.status());
  ExpectValidCopy(*r, 1);
  ASSERT_EQ(r->runs.size(), 2u);
  EXPECT_EQ(r->runs[0].tool, "soffice");
  EXPECT_EQ(r->runs[1].tool, "gs");
  EXPECT_THAT(r->converter, StartsWith("LibreOffice 99.0 + Ghostscript "));

  o.ghostscript_retry = false;
  auto no_retry = ConvertToPdfA2b(fodt, "bao-cao.fodt", o);
  ASSERT_OK(no_retry.status());
  EXPECT_EQ(no_retry->status, ConversionStatus::kFailed);
  EXPECT_THAT(no_retry->reason, StartsWith("the converted copy does not validate as PDF/A-2b"));
}

// An "output" that is a symlink to a file outside the work directory is not
// read (it would leak that file into the result).
TEST_F(FakeConverterTest, SymlinkedOutputIsNotRead) {
  WriteTestFile(tmp_.Sub("secret"), "%PDF-1.4 not for the converter to hand back");
  ConvertOptions o = Fake(
      "for a in \"$@\"; do case \"$a\" in -sOutputFile=*) out=\"${a#-sOutputFile=}\";; esac; done\n"
      "ln -s '" + tmp_.Sub("secret") + "' \"$out\"");
  ConversionResult r = Convert(o);
  EXPECT_THAT(r.reason, HasSubstr("without writing its output"));
  EXPECT_TRUE(r.output.empty());
}

TEST_F(FakeConverterTest, MissingConverterIsReported) {
  ConvertOptions o = Fake("exit 0");
  o.ghostscript = tmp_.Sub("no-such-gs");
  ConversionResult r = Convert(o);
  EXPECT_THAT(r.reason, HasSubstr("not installed"));
}

}  // namespace
}  // namespace kholuu::convert
