// formats/text with the real tools: text layers of the scanned corpus and of
// text PDFs, the hostile pyhanko corpus, fake tools that hang or crash, and
// the parsers of tool output.
#include "formats/text/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "archive/base/file.h"
#include "tests/support/fixtures.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::text {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Corpus(const std::string& sub) { return std::string(KHOLUU_CORPUS_DIR) + "/" + sub; }

// A shell script at `path` standing in for a tool.
void WriteFakeTool(const std::string& path, const std::string& body) {
  testing::WriteTestFile(path, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
}

// ---- parsers ---------------------------------------------------------------

TEST(ParseTesseractTsvTest, JoinsWordsIntoLinesAndParagraphs) {
  const std::string tsv =
      "level\tpage_num\tblock_num\tpar_num\tline_num\tword_"
      "num\tleft\ttop\twidth\theight\tconf\ttext\n"
      "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
      "4\t1\t1\t1\t1\t0\t0\t0\t10\t10\t-1\t\n"
      "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.5\tCộng\n"
      "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t80.5\thòa\n"
      "5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t70\txã\n"
      "5\t1\t1\t2\t1\t1\t0\t0\t10\t10\t60\thội\n"
      "5\t1\t1\t2\t1\t2\t0\t0\t10\t10\t95\t \n";
  ASSERT_OK_AND_ASSIGN(OcrText r, ParseTesseractTsv(tsv));
  EXPECT_EQ(r.text, "Cộng hòa\nxã\n\nhội\n");
  EXPECT_EQ(r.words, 4u);
  EXPECT_DOUBLE_EQ(r.mean_confidence, (90.5 + 80.5 + 70 + 60) / 4);
}

TEST(ParseTesseractTsvTest, RejectsMalformedOutput) {
  EXPECT_EQ(ParseTesseractTsv("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseTesseractTsv("hello\n").status().code(), StatusCode::kInvalidArgument);
  auto short_row = ParseTesseractTsv("level\tx\n5\t1\t2\n");
  EXPECT_THAT(short_row.status().message(), HasSubstr("row 2 has 3 fields"));
  auto bad_conf = ParseTesseractTsv("level\tx\n5\t1\t1\t1\t1\t1\t0\t0\t1\t1\tnan\tx\n");
  EXPECT_THAT(bad_conf.status().message(), HasSubstr("bad confidence"));
}

TEST(ParsePdfInfoTest, PagesAndSizes) {
  ASSERT_OK_AND_ASSIGN(PdfInfo i, ParsePdfInfo("Title: x\nPages:           2\nEncrypted:       no\n"
                                               "Page    1 size: 595.276 x 841.89 pts (A4)\n"
                                               "Page    1 rot:  0\n"
                                               "Page    2 size: 612 x 792 pts (letter)\n"));
  EXPECT_EQ(i.pages, 2);
  EXPECT_FALSE(i.encrypted);
  ASSERT_EQ(i.page_sizes.size(), 2u);
  EXPECT_DOUBLE_EQ(i.page_sizes[1].first, 612);
  EXPECT_EQ(ParsePdfInfo("Title: x\n").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParsePdfInfo("Pages: -3\n").status().code(), StatusCode::kInvalidArgument);
}

TEST(ParsePdfImagesListTest, PagesWithImages) {
  EXPECT_THAT(
      ParsePdfImagesList("page   num  type   width\n-----\n"
                         "   3     0 image    1234\n   1     1 mask 2\n   3     2 image 5\n"),
      ::testing::ElementsAre(1, 3));
  EXPECT_TRUE(ParsePdfImagesList("garbage\n").empty());
}

TEST(SplitPagesTest, FormFeedsEndPages) {
  EXPECT_THAT(SplitPages("a\fb\f", 10), ::testing::ElementsAre("a", "b"));
  EXPECT_THAT(SplitPages("a\f\fc", 10), ::testing::ElementsAre("a", "", "c"));
  EXPECT_THAT(SplitPages("a\fb\fc\f", 2), ::testing::ElementsAre("a", "b"));
  EXPECT_TRUE(SplitPages("", 3).empty());
}

TEST(CleanTextTest, ReplacesInvalidUtf8DropsControlsAndComposes) {
  // "e" + combining circumflex + combining acute -> "ế"; \r\n -> \n; \x01 dropped.
  EXPECT_EQ(CleanText("Vi\x65\xCC\x82\xCC\x81t\r\nA\x01\xFF"), "Vi\xE1\xBA\xBFt\nA\xEF\xBF\xBD");
  EXPECT_EQ(CountNonSpace(" đ a\t\n\xC2\xA0"
                          "b "),
            3u);
}

TEST(CountTiffPagesTest, WalksTheDirectoryChain) {
  // Little-endian: header, IFD at 8 with 0 entries -> IFD at 14 -> end.
  std::string t("II*\0\x08\0\0\0", 8);
  t += std::string("\0\0\x0e\0\0\0", 6);
  t += std::string("\0\0\0\0\0\0", 6);
  ASSERT_OK_AND_ASSIGN(int n, CountTiffPages(t, 100));
  EXPECT_EQ(n, 2);
  EXPECT_EQ(*CountTiffPages(t, 1), 1);
  std::string loop = t;
  loop[16] = 8;  // second IFD points back to the first
  loop[14] = 0;
  loop[15] = 0;
  loop.replace(16, 4, std::string("\x08\0\0\0", 4));
  EXPECT_THAT(CountTiffPages(loop, 100).status().message(), HasSubstr("loop"));
  EXPECT_THAT(CountTiffPages(t.substr(0, 10), 100).status().message(),
              HasSubstr("runs past the end"));
  EXPECT_THAT(CountTiffPages(t.substr(0, 8) + "\x02", 100).status().message(),
              HasSubstr("outside"));
  EXPECT_EQ(CountTiffPages("MM\0*", 5).status().code(), StatusCode::kInvalidArgument);
}

// ---- real files ------------------------------------------------------------

// The scanned corpus: Alaris Capture Pro already put an OCR text layer on
// every page (pdffonts lists embedded Times New Roman), so every page comes
// from its text layer and none is OCR'd.
TEST(ExtractTextTest, ScannedCorpusPagesUseTheirTextLayer) {
  const std::string dir = Corpus("scans-real");
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "corpus absent: " << dir;
  int pages = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".pdf") continue;
    ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractTextFromFile(e.path().string()));
    EXPECT_EQ(d.format, "pdf");
    EXPECT_EQ(static_cast<size_t>(d.page_count), d.pages.size());
    EXPECT_EQ(d.ocr_pages, 0u) << e.path();
    EXPECT_EQ(d.failed_pages, 0u);
    size_t sum = 0;
    int expected_page = 0;
    for (const PageText& p : d.pages) {
      ++pages;
      EXPECT_EQ(p.page, ++expected_page);
      EXPECT_EQ(p.method, TextMethod::kTextLayer) << e.path() << " page " << p.page;
      EXPECT_GT(p.characters, 500u) << e.path() << " page " << p.page;
      EXPECT_EQ(p.ocr_confidence, -1);
      EXPECT_EQ(p.characters, CountNonSpace(p.text));
      sum += p.characters;
    }
    EXPECT_EQ(d.characters, sum);
    // Every document is an official letter of a Vietnamese agency (the
    // scanner's OCR garbles some of the heading, not these words).
    EXPECT_THAT(d.pages[0].text, HasSubstr("CHỦ NGHĨA VIỆT NAM"));
  }
  EXPECT_EQ(pages, 14);
}

TEST(ExtractTextTest, PageLimitTruncates) {
  const std::string f = Corpus("scans-real/001.03.08.H30.81.2024.K4.01.01.001.pdf");
  if (!std::filesystem::exists(f)) GTEST_SKIP() << "corpus absent: " << f;
  TextOptions o;
  o.page_limit = 3;
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractTextFromFile(f, o));
  EXPECT_EQ(d.page_count, 11);
  EXPECT_TRUE(d.truncated);
  ASSERT_EQ(d.pages.size(), 3u);
  EXPECT_EQ(d.pages[2].page, 3);
}

TEST(ExtractTextTest, VeraPdfTextPdfsHaveTextLayers) {
  const std::string dir = Corpus("verapdf/PDF_A-2b");
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "corpus absent: " << dir;
  int files = 0, with_text = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".pdf" || files >= 40) continue;
    ++files;
    auto d = ExtractTextFromFile(e.path().string());
    ASSERT_OK(d.status()) << e.path();
    EXPECT_EQ(d->failed_pages, 0u) << e.path();
    if (d->characters > 0) ++with_text;
    for (const PageText& p : d->pages) {
      EXPECT_NE(p.method, TextMethod::kOcr) << "a text PDF page was OCR'd: " << e.path();
    }
  }
  ASSERT_GT(files, 0);
  // Most veraPDF test files draw no text at all; some do.
  std::printf("verapdf PDF_A-2b: %d of %d files have a text layer\n", with_text, files);
  EXPECT_GT(with_text, 0);
}

// Hostile and broken PDFs (pyhanko's test corpus: broken object streams,
// circular page trees, malformed encryption): each one either extracts or
// fails with kInvalidArgument naming the tool and its complaint.
TEST(ExtractTextTest, HostileCorpusExtractsOrFailsClearly) {
  const std::string dir = Corpus("pdf-pyhanko");
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "corpus absent: " << dir;
  int ok = 0, failed = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".pdf") continue;
    auto d = ExtractTextFromFile(e.path().string());
    if (d.ok()) {
      ++ok;
      EXPECT_EQ(d->pages.size(), static_cast<size_t>(d->page_count)) << e.path();
    } else {
      ++failed;
      EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument) << d.status().ToString();
      EXPECT_THAT(d.status().message(), StartsWith("pdf")) << e.path();
    }
  }
  std::printf("pdf-pyhanko: %d extracted, %d refused\n", ok, failed);
  EXPECT_GT(ok, 0);
  EXPECT_GT(failed, 0);
}

TEST(ExtractTextTest, GarbageAndTruncatedInputsGiveClearErrors) {
  auto unknown = ExtractText("hello, not a document");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("not a PDF, TIFF, JPEG or PNG"));

  auto garbage = ExtractText("%PDF-1.7\n" + std::string(4000, 'x'));
  EXPECT_EQ(garbage.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(garbage.status().message(), StartsWith("pdfinfo exited"));

  const std::string f = Corpus("scans-real/001.03.08.H30.81.2024.K4.01.01.002.pdf");
  if (std::filesystem::exists(f)) {
    std::string bytes = testing::ReadTestFile(f);
    auto cut = ExtractText(std::string_view(bytes).substr(0, 2000));
    EXPECT_EQ(cut.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(cut.status().message(), StartsWith("pdf"));
  }

  auto tiff = ExtractText(std::string("II*\0\x40\0\0\0", 8));
  EXPECT_THAT(tiff.status().message(), HasSubstr("outside the file"));

  TextOptions bad;
  bad.languages = "-psm";
  EXPECT_EQ(ExtractText("%PDF-1.4", bad).status().code(), StatusCode::kInvalidArgument);
  bad = TextOptions();
  bad.dpi = 5000;
  EXPECT_EQ(ExtractText("%PDF-1.4", bad).status().code(), StatusCode::kInvalidArgument);
}

// With the page count known (TextOptions::known_pages), pdfinfo runs only for
// pages to OCR: a pdfinfo that fails does not fail a text-layer document,
// and does fail one that needs OCR (the render could not be capped).
TEST(ExtractTextTest, KnownPageCountSkipsPdfinfoUnlessAPageNeedsOcr) {
  testing::TempDir dir;
  const std::string failing_pdfinfo = dir.Sub("pdfinfo");
  WriteFakeTool(failing_pdfinfo, "echo 'pdfinfo must not run' >&2; exit 3");
  TextOptions o;
  o.in_process_layer = false;  // the tool path: pdftotext reads the layer
  o.tools.pdfinfo = failing_pdfinfo;
  o.known_pages = 1;
  const std::string pdf = testing::TextLayerPdf({"Van ban thu nghiem so 12 ve chu ky so", "Dong thu hai"});
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractText(pdf, o));
  EXPECT_EQ(d.page_count, 1);
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_EQ(d.pages[0].method, TextMethod::kTextLayer);
  EXPECT_THAT(d.pages[0].text, HasSubstr("chu ky so"));
  // Without the count, pdfinfo runs first, and its failure is the document's.
  o.known_pages = 0;
  EXPECT_THAT(ExtractText(pdf, o).status().message(), HasSubstr("pdfinfo exited 3"));
  // A page to OCR needs its size: pdfinfo runs, and its failure is reported.
  o.known_pages = 1;
  o.force_ocr = true;
  EXPECT_THAT(ExtractText(pdf, o).status().message(), HasSubstr("pdfinfo exited 3"));
}

TEST(ExtractTextTest, MissingToolIsNotFound) {
  TextOptions o;
  o.tools.pdfinfo = "/nonexistent/pdfinfo";
  EXPECT_EQ(ExtractText("%PDF-1.4\n", o).status().code(), StatusCode::kNotFound);
}

// An image-only page (a PNG made by pdftoppm from a text PDF is not needed:
// the fakes never look at the image) whose OCR hangs or crashes: the sandbox
// stops it and the page carries the reason; the extraction itself succeeds.
class FakeToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string f = Corpus("scans-real/001.03.08.H30.81.2024.K4.01.01.002.pdf");
    if (!std::filesystem::exists(f)) GTEST_SKIP() << "corpus absent: " << f;
    pdf_ = testing::ReadTestFile(f);
    options_.force_ocr = true;
    options_.in_process_layer = false;  // the tools' failures are under test
    options_.page_time_limit = std::chrono::seconds(2);
  }
  std::string Tool(const std::string& name, const std::string& body) {
    std::string path = dir_.Sub(name);
    WriteFakeTool(path, body);
    return path;
  }
  testing::TempDir dir_;
  std::string pdf_;
  TextOptions options_;
};

// A renderer that writes a 1x1 grey page at once, so that a time limit meant
// for another tool is not spent rendering on a loaded machine.
constexpr char kQuickRenderer[] = "printf 'P5\\n1 1\\n255\\n\\200' > \"${10}.pgm\"";

TEST_F(FakeToolTest, HangingTesseractIsStoppedByTheTimeLimit) {
  options_.tools.pdftoppm = Tool("pdftoppm", kQuickRenderer);
  options_.tools.tesseract = Tool("tesseract", "sleep 600");
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractText(pdf_, options_));
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_EQ(d.failed_pages, 1u);
  EXPECT_THAT(d.pages[0].error, StartsWith("tesseract timed out after 2 s"));
  // The text layer is kept when OCR fails.
  EXPECT_EQ(d.pages[0].method, TextMethod::kTextLayer);
  EXPECT_EQ(d.ocr_pages, 0u);
}

TEST_F(FakeToolTest, HangingRendererIsStopped) {
  options_.tools.pdftoppm = Tool("pdftoppm", "while :; do :; done");
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractText(pdf_, options_));
  EXPECT_THAT(d.pages[0].error, StartsWith("pdftoppm timed out"));
}

TEST_F(FakeToolTest, CrashingTesseractIsReported) {
  options_.tools.pdftoppm = Tool("pdftoppm", kQuickRenderer);
  options_.tools.tesseract = Tool("tesseract", "kill -SEGV $$");
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractText(pdf_, options_));
  EXPECT_THAT(d.pages[0].error, StartsWith("tesseract crashed (signal 11)"));
}

TEST_F(FakeToolTest, GarbageTsvIsReported) {
  options_.tools.pdftoppm = Tool("pdftoppm", kQuickRenderer);
  options_.tools.tesseract = Tool("tesseract", "printf 'not tsv' > \"$2.tsv\"");
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractText(pdf_, options_));
  EXPECT_THAT(d.pages[0].error, HasSubstr("no header line"));
}

TEST_F(FakeToolTest, HangingTextLayerFailsTheDocument) {
  options_.tools.pdftotext = Tool("pdftotext", "sleep 600");
  auto d = ExtractText(pdf_, options_);
  EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), StartsWith("pdftotext timed out"));
}

TEST_F(FakeToolTest, FailingImageListSkipsOcrWithAReason) {
  // The rasterised page has no text layer, so the image list decides.
  options_.force_ocr = false;
  options_.tools.pdftotext = Tool("pdftotext", "printf '\\f' > \"$8\"");
  options_.tools.pdfimages = Tool("pdfimages", "echo 'Syntax Error: broken' >&2; exit 1");
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractText(pdf_, options_));
  ASSERT_EQ(d.pages.size(), 1u);
  EXPECT_EQ(d.pages[0].method, TextMethod::kNone);
  EXPECT_THAT(d.pages[0].error, StartsWith("pdfimages exited 1: Syntax Error: broken"));
  EXPECT_EQ(d.failed_pages, 1u);
}

TEST_F(FakeToolTest, NoOcrLeavesImagePagesWithoutText) {
  options_.ocr = false;
  options_.tools.tesseract = Tool("tesseract", "exit 99");  // must not run
  ASSERT_OK_AND_ASSIGN(DocumentText d, ExtractText(pdf_, options_));
  EXPECT_EQ(d.failed_pages, 0u);
  EXPECT_EQ(d.pages[0].method, TextMethod::kTextLayer);
}

}  // namespace
}  // namespace kholuu::formats::text
