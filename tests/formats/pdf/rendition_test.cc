// PDF/A-3b renditions built from real conforming veraPDF corpus files, with a
// real signed PDF (pyHanko corpus) as the embedded original: our validator,
// our extraction and poppler's pdfdetach must all agree.
#include "formats/pdf/rendition.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::pdf {
namespace {

namespace fs = std::filesystem;
using kholuu::testing::ReadTestFile;

const fs::path kCorpus = KHOLUU_CORPUS_DIR;

// Conforming ("pass") files of the veraPDF corpus: 2b and 3b, one with a
// cross-reference stream and object streams, one that already embeds a file.
const char* const kCopies[] = {
    "verapdf/PDF_A-2b/6.2 Graphics/6.2.4.3 Uncalibrated -Device colour spaces/veraPDF test suite 6-2-4-3-t01-pass-a.pdf",
    "verapdf/PDF_A-2b/6.1 File structure/6.1.12 Permissions/veraPDF test suite 6-1-12-t02-pass-a.pdf",
    "verapdf/PDF_A-2b/6.2 Graphics/6.2.11 Fonts/6.2.11.6 Character encodings/veraPDF test suite 6-2-11-6-t02-pass-c.pdf",
    "verapdf/PDF_A-3b/6.8 Embedded files/veraPDF test suite 6-8-t02-pass-a.pdf",
};

const char* const kSignedOriginal = "pdf-pyhanko/extensions-direct.pdf";
const std::string kOriginalName = "Quyết định số 12-QĐ ký số.pdf";
const std::string kReportName = "Báo cáo xác minh chữ ký.json";

struct Inputs {
  std::string original, report;
  EmbeddedFileSpec original_spec, report_spec;
};

Inputs MakeInputs() {
  Inputs in;
  in.original = ReadTestFile((kCorpus / kSignedOriginal).string());
  in.report = R"({"signatures":[{"signer":"Nguyễn Văn A","integrity":"valid"}]})";
  in.original_spec = {in.original, kOriginalName, "application/pdf", "Bản gốc có chữ ký số", 1700000000};
  in.report_spec = {in.report, kReportName, "application/json", "Kết quả xác minh chữ ký", 0};
  return in;
}

std::string Slurp(const fs::path& p) { return ReadTestFile(p.string()); }

TEST(RenditionTest, CorpusCopiesBecomeValidPdfa3bWithByteIdenticalOriginal) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  Inputs in = MakeInputs();
  RenditionOptions options;
  options.now = 1763900000;
  for (const char* rel : kCopies) {
    SCOPED_TRACE(rel);
    std::string copy = Slurp(kCorpus / rel);
    auto before = ValidatePdfa(copy, PdfaProfile::kAuto);
    ASSERT_TRUE(before.ok());
    ASSERT_TRUE(before->compliant) << "the chosen corpus file must conform";

    auto out = BuildRendition(copy, in.original_spec, in.report_spec, options);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    auto report = ValidatePdfa(*out, PdfaProfile::kAuto);  // the file's own claim
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->profile, PdfaProfile::k3b);
    EXPECT_TRUE(report->compliant) << (report->violations.empty() ? "" : report->violations[0].message);
    // A signature of the copy cannot survive the rewrite (its ByteRange
    // would no longer cover the file, ISO 19005-2 6.4.3): its value and the
    // permissions pointing at it are dropped; the original is embedded.
    if (copy.find("/ByteRange") != std::string::npos) {
      EXPECT_EQ(out->find("/ByteRange"), std::string::npos);
      EXPECT_EQ(out->find("/Perms"), std::string::npos);
    }
    // The MIME type is a PDF name with the '/' escaped.
    EXPECT_NE(out->find("/application#2Fpdf"), std::string::npos);
    EXPECT_NE(out->find("/application#2Fjson"), std::string::npos);

    auto files = ExtractAssociatedFiles(*out);
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    const AssociatedFile* source = nullptr;
    const AssociatedFile* supplement = nullptr;
    for (const AssociatedFile& f : *files) {
      if (f.relationship == "Source") source = &f;
      if (f.relationship == "Supplement") supplement = &f;
      EXPECT_TRUE(f.associated) << f.name;  // every embedded file is an associated file in PDF/A-3
    }
    ASSERT_NE(source, nullptr);
    ASSERT_NE(supplement, nullptr);
    EXPECT_EQ(source->name, kOriginalName);
    EXPECT_EQ(source->media_type, "application/pdf");
    EXPECT_EQ(source->description, "Bản gốc có chữ ký số");
    EXPECT_TRUE(source->bytes == in.original) << "the embedded original differs from the signed file";
    EXPECT_EQ(supplement->name, kReportName);
    EXPECT_EQ(supplement->media_type, "application/json");
    EXPECT_EQ(supplement->bytes, in.report);
  }
}

TEST(RenditionTest, PopplerPdfdetachGetsTheSameBytesAndNames) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  if (access("/usr/bin/pdfdetach", X_OK) != 0) GTEST_SKIP() << "poppler-utils' pdfdetach is not installed";
  Inputs in = MakeInputs();
  auto out = BuildRendition(Slurp(kCorpus / kCopies[0]), in.original_spec, in.report_spec);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  kholuu::testing::TempDir dir;
  kholuu::testing::WriteTestFile(dir.Sub("r.pdf"), *out);
  auto list = kholuu::testing::Run({"/usr/bin/pdfdetach", "-list", dir.Sub("r.pdf")});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("2 embedded files"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find(kOriginalName), std::string::npos) << list.out;  // the UTF-16 /UF name
  fs::create_directory(dir.Sub("x"));
  auto save = kholuu::testing::Run({"/usr/bin/pdfdetach", "-saveall", "-o", dir.Sub("x"), dir.Sub("r.pdf")});
  ASSERT_EQ(save.exit_code, 0) << save.err;
  ASSERT_TRUE(fs::exists(dir.Sub("x/" + kOriginalName)));
  EXPECT_TRUE(ReadTestFile(dir.Sub("x/" + kOriginalName)) == in.original);
  EXPECT_EQ(ReadTestFile(dir.Sub("x/" + kReportName)), in.report);
}

TEST(RenditionTest, RefusesANonConformingCopyAndBadSpecs) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  Inputs in = MakeInputs();
  std::string failing =
      Slurp(kCorpus / "verapdf/PDF_A-3b/6.8 Embedded files/veraPDF test suite 6-8-t02-fail-a.pdf");
  auto r = BuildRendition(failing, in.original_spec, in.report_spec);
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << r.status().ToString();

  std::string copy = Slurp(kCorpus / kCopies[0]);
  EmbeddedFileSpec bad = in.original_spec;
  bad.media_type = "application pdf";
  EXPECT_EQ(BuildRendition(copy, bad, in.report_spec).status().code(), StatusCode::kInvalidArgument);
  bad = in.original_spec;
  bad.name = "a/b.pdf";
  EXPECT_EQ(BuildRendition(copy, bad, in.report_spec).status().code(), StatusCode::kInvalidArgument);
  bad.name = std::string("\xff\xfe.pdf");
  EXPECT_EQ(BuildRendition(copy, bad, in.report_spec).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(BuildRendition("not a pdf", in.original_spec, in.report_spec).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(RenditionTest, ExtractionOfDamagedFilesFailsCleanly) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  Inputs in = MakeInputs();
  auto out = BuildRendition(Slurp(kCorpus / kCopies[0]), in.original_spec, in.report_spec);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // A file without embedded files has none; a truncated one is an error or
  // (PoDoFo reconstructs some) a list, never a crash.
  auto none = ExtractAssociatedFiles(Slurp(kCorpus / kCopies[0]));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  for (size_t cut : {out->size() / 2, out->size() - 40, size_t{100}}) {
    auto r = ExtractAssociatedFiles(std::string_view(*out).substr(0, cut));
    if (r.ok()) {
      EXPECT_LE(r->size(), 2u);
    }
  }
  EXPECT_FALSE(ExtractAssociatedFiles("%PDF-1.7\nnothing").ok());
  ExtractLimits small;
  small.max_file_bytes = 100;
  EXPECT_EQ(ExtractAssociatedFiles(*out, small).status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace kholuu::formats::pdf
