// OCR with the real tools. The test makes an image-only PDF from real
// Vietnamese text (ALQAC 2023 law articles): LibreOffice typesets it in Noto
// Serif (its plain-text import with a font option), Ghostscript's pdfimage8 device rasterises every
// page at 300 dpi into a PDF that has no text layer left. Then: the syllables of the source must
// come back (recall printed, floor asserted), the text must be found through
// the real Vietnamese indexer with and without diacritics, and the same pages
// as PNG and multi-page TIFF are OCR'd directly.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "formats/text/text.h"
#include "indexer/index.h"
#include "indexer/syllable_recall.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::text {
namespace {

using ::testing::HasSubstr;

const char* kSoffice = "/usr/bin/soffice";
const char* kGs = "/usr/bin/gs";
const char* kPdftoppm = "/usr/bin/pdftoppm";

// Runs a tool; fails the test with its output if it does not exit 0.
void MustRun(const std::vector<std::string>& argv) {
  testing::RunResult r = testing::Run(argv);
  ASSERT_EQ(r.exit_code, 0) << argv[0] << ": " << r.err << r.out;
}

class OcrTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string articles = std::string(KHOLUU_CORPUS_DIR) + "/alqac2023/articles.json";
    if (!std::filesystem::exists(articles) || !std::filesystem::exists(kSoffice) ||
        !std::filesystem::exists(kGs)) {
      return;
    }
    dir_ = new testing::TempDir();
    std::ifstream in(articles);
    nlohmann::json j = nlohmann::json::parse(in);
    // The first articles of the drug-prevention law: more than one page.
    source_ = new std::string();
    for (int i = 1; source_->size() < 3200; ++i) {
      std::string key = "Luật Phòng, chống ma túy@" + std::to_string(i);
      if (!j.contains(key)) break;
      *source_ += j[key].get<std::string>() + "\n";
    }
    testing::WriteTestFile(dir_->Sub("law.txt"), *source_);
    // Writer's text import with its font option: UTF-8, LF line ends, Noto Serif.
    MustRun({kSoffice, "--headless", "-env:UserInstallation=file://" + dir_->Sub("lo-profile"),
             "--infilter=Text (encoded):UTF8,LF,Noto Serif,vi", "--convert-to", "pdf", "--outdir",
             dir_->path(), dir_->Sub("law.txt")});
    MustRun({kGs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfimage8", "-r300", "-o",
             dir_->Sub("scan.pdf"), dir_->Sub("law.pdf")});
    MustRun({kGs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffg4", "-r300", "-o",
             dir_->Sub("scan.tif"), dir_->Sub("law.pdf")});
    MustRun({kPdftoppm, "-r", "300", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile",
             dir_->Sub("law.pdf"), dir_->Sub("page1")});
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete source_;
    dir_ = nullptr;
    source_ = nullptr;
  }
  void SetUp() override {
    if (dir_ == nullptr || !std::filesystem::exists(dir_->Sub("scan.pdf"))) {
      GTEST_SKIP() << "needs the ALQAC corpus, LibreOffice and Ghostscript";
    }
  }
  static testing::TempDir* dir_;
  static std::string* source_;
};
testing::TempDir* OcrTest::dir_ = nullptr;
std::string* OcrTest::source_ = nullptr;

std::string AllText(const DocumentText& d) {
  std::string all;
  for (const PageText& p : d.pages) all += p.text + "\n";
  return all;
}

TEST_F(OcrTest, ImageOnlyPdfIsOcrdAndFoundByAVietnameseQuery) {
  ASSERT_OK_AND_ASSIGN(DocumentText none, ExtractTextFromFile(dir_->Sub("scan.pdf"), [] {
                         TextOptions o;
                         o.ocr = false;
                         return o;
                       }()));
  ASSERT_GE(none.page_count, 2) << "the source should fill more than a page";
  EXPECT_EQ(none.characters, 0u) << "the rasterised PDF still has a text layer";
  for (const PageText& p : none.pages) EXPECT_EQ(p.method, TextMethod::kNone);

  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractTextFromFile(dir_->Sub("scan.pdf")));
  EXPECT_EQ(d.failed_pages, 0u);
  EXPECT_EQ(d.ocr_pages, d.pages.size());
  for (const PageText& p : d.pages) {
    EXPECT_EQ(p.method, TextMethod::kOcr);
    EXPECT_GT(p.ocr_confidence, 50);
    EXPECT_LE(p.ocr_confidence, 100);
    EXPECT_GT(p.ocr_words, 20u);
  }
  const std::string text = AllText(d);
  const double recall = indexer::SyllableRecall(*source_, text);
  std::printf("image-only PDF, %zu pages: syllable recall %.4f, confidence %.1f / %.1f\n",
              d.pages.size(), recall, d.pages[0].ocr_confidence, d.pages[1].ocr_confidence);
  EXPECT_GE(recall, 0.95);

  // The real index: one document with the OCR text as its body.
  testing::TempDir index_dir;
  {
    ASSERT_OK_AND_ASSIGN(auto w, indexer::IndexWriter::Open(index_dir.path()));
    indexer::IndexDocument doc;
    doc.id = "scan-1";
    doc.subject = "Văn bản scan";
    doc.body = text;
    ASSERT_OK(w->Put(doc));
    indexer::IndexDocument other;
    other.id = "other";
    other.body = "Luật Hôn nhân và gia đình quy định chế độ hôn nhân và gia đình.";
    ASSERT_OK(w->Put(other));
    ASSERT_OK(w->Commit());
  }
  ASSERT_OK_AND_ASSIGN(auto s, indexer::Searcher::Open(index_dir.path()));
  for (const char* q : {"cai nghiện ma túy", "cai nghien ma tuy", "\"người nghiện ma túy\"",
                        "chất hướng thần", "chat huong than"}) {
    indexer::SearchRequest req;
    req.query = q;
    ASSERT_OK_AND_ASSIGN(indexer::SearchResults r, s->Search(req));
    ASSERT_FALSE(r.hits.empty()) << q;
    EXPECT_EQ(r.hits[0].document, "scan-1") << q;
    EXPECT_EQ(r.hits.size(), 1u) << q;
  }
}

TEST_F(OcrTest, MultiPageTiffIsOcrdPageByPage) {
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractTextFromFile(dir_->Sub("scan.tif")));
  EXPECT_EQ(d.format, "tiff");
  ASSERT_GE(d.page_count, 2);
  ASSERT_EQ(d.pages.size(), static_cast<size_t>(d.page_count));
  EXPECT_EQ(d.ocr_pages, d.pages.size());
  // Each page has its own text: page 2 is not page 1 again.
  EXPECT_NE(d.pages[0].text, d.pages[1].text);
  const double recall = indexer::SyllableRecall(*source_, AllText(d));
  std::printf("multi-page TIFF (G4), %d pages: syllable recall %.4f\n", d.page_count, recall);
  EXPECT_GE(recall, 0.95);

  TextOptions one;
  one.page_limit = 1;
  ASSERT_OK_AND_ASSIGN(DocumentText first, ExtractTextFromFile(dir_->Sub("scan.tif"), one));
  EXPECT_TRUE(first.truncated);
  ASSERT_EQ(first.pages.size(), 1u);
  EXPECT_EQ(first.pages[0].text, d.pages[0].text);
}

TEST_F(OcrTest, PngIsOcrdDirectly) {
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractTextFromFile(dir_->Sub("page1.png")));
  EXPECT_EQ(d.format, "png");
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_EQ(d.pages[0].method, TextMethod::kOcr);
  EXPECT_THAT(d.pages[0].text, HasSubstr("ma túy"));
}

// The scanner's own OCR layer against Tesseract on the same scanned page:
// forced OCR replaces the layer, and both read mostly the same syllables.
TEST(ScanOcrTest, ForcedOcrOfARealScanAgreesWithItsTextLayer) {
  const std::string f =
      std::string(KHOLUU_CORPUS_DIR) + "/scans-real/001.03.08.H30.81.2024.K4.01.01.002.pdf";
  if (!std::filesystem::exists(f)) GTEST_SKIP() << "corpus absent: " << f;
  ASSERT_OK_AND_ASSIGN(DocumentText layer, ExtractTextFromFile(f));
  TextOptions o;
  o.force_ocr = true;
  ASSERT_OK_AND_ASSIGN(DocumentText ocr, ExtractTextFromFile(f, o));
  ASSERT_EQ(ocr.pages.size(), 1u);
  EXPECT_EQ(ocr.pages[0].method, TextMethod::kOcr);
  EXPECT_GT(ocr.pages[0].ocr_confidence, 50);
  const double agree = indexer::SyllableRecall(layer.pages[0].text, ocr.pages[0].text);
  std::printf("real scan: Tesseract finds %.4f of the scanner layer's syllables, confidence %.1f\n",
              agree, ocr.pages[0].ocr_confidence);
  EXPECT_GE(agree, 0.80);
}

}  // namespace
}  // namespace kholuu::formats::text
