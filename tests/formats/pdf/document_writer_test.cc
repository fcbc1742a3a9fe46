// formats/pdf/document_writer.h: PDF/A-2b documents written directly, with
// Vietnamese text in an embedded subset font, checked by our validator and
// by poppler's pdftotext.
#include "formats/pdf/document_writer.h"

#include <gtest/gtest.h>

#include <chrono>

#include "formats/pdf/pdfa.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::pdf {
namespace {

std::string PdfToText(const std::string& pdf) {
  testing::TempDir tmp;
  testing::WriteTestFile(tmp.Sub("a.pdf"), pdf);
  testing::RunResult r = testing::Run({"/usr/bin/pdftotext", "-enc", "UTF-8", tmp.Sub("a.pdf"), "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

DocContent Sample(size_t rows) {
  DocContent c;
  c.title = "Biên bản giao nhận hồ sơ";
  c.author = "Kho lưu trữ điện tử";
  c.footer = "kholuu";
  c.blocks.push_back(DocBlock::Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, true, DocBlock::Align::kCenter));
  c.blocks.push_back(DocBlock::Text("Độc lập - Tự do - Hạnh phúc", 12, true, DocBlock::Align::kCenter));
  c.blocks.push_back(DocBlock::Space(12));
  // NFD input ("hồ sơ" decomposed) must come out precomposed.
  c.blocks.push_back(DocBlock::Text("Mục lục ho\xCC\x82\xCC\x80 so\xCC\x9B lưu trữ", 11));
  DocTable t;
  t.widths = {1, 3, 6};
  t.header = {"STT", "Số, ký hiệu", "Trích yếu nội dung"};
  for (size_t i = 0; i < rows; ++i) {
    t.rows.push_back({std::to_string(i + 1), "12/QĐ-UBND",
                      "Quyết định về việc phê duyệt kế hoạch thu thập tài liệu vào Lưu trữ lịch sử tỉnh năm 2025, "
                      "kèm theo danh mục hồ sơ nộp lưu của các cơ quan, tổ chức thuộc nguồn nộp lưu"});
  }
  c.blocks.push_back(DocBlock::Table(t));
  c.blocks.push_back(DocBlock::Text("Emoji and CJK without glyphs: \xF0\x9F\x98\x80 \xE6\xBC\xA2", 11));
  return c;
}

TEST(DocumentWriter, WritesValidPdfA2bWithVietnameseText) {
  auto start = std::chrono::steady_clock::now();
  Result<std::string> pdf = WriteDocumentPdfA2b(Sample(60));
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  RecordProperty("render_ms", std::to_string(ms));
  std::printf("60-row document: %zu bytes in %.1f ms\n", pdf->size(), ms);
  Result<PdfaReport> report = ValidatePdfa(*pdf, PdfaProfile::k2b);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->compliant);
  EXPECT_GT(report->pages, 1);  // the table breaks across pages
  EXPECT_LT(pdf->size(), 200u * 1024);  // the fonts are subset
  const std::string text = PdfToText(*pdf);
  EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos) << text.substr(0, 400);
  EXPECT_NE(text.find("Trích yếu nội dung"), std::string::npos);
  EXPECT_NE(text.find("12/QĐ-UBND"), std::string::npos);
  EXPECT_NE(text.find("Mục lục hồ sơ lưu trữ"), std::string::npos);
  EXPECT_NE(text.find("Trang 1/"), std::string::npos);
}

TEST(DocumentWriter, RefusesBadInput) {
  DocContent c;
  c.blocks.push_back(DocBlock::Text("\xff\xfe not UTF-8"));
  EXPECT_EQ(WriteDocumentPdfA2b(c).status().code(), StatusCode::kInvalidArgument);
  DocContent t;
  DocTable table;
  table.widths = {1, 2};
  table.rows.push_back({"only one cell"});
  t.blocks.push_back(DocBlock::Table(table));
  EXPECT_EQ(WriteDocumentPdfA2b(t).status().code(), StatusCode::kInvalidArgument);
  DocWriteOptions o;
  o.regular_font = "/nonexistent/font.ttf";
  EXPECT_FALSE(WriteDocumentPdfA2b(Sample(1), o).ok());
}

TEST(DocumentWriter, EmptyDocumentIsOnePage) {
  Result<std::string> pdf = WriteDocumentPdfA2b(DocContent{});
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  Result<PdfaReport> report = ValidatePdfa(*pdf, PdfaProfile::k2b);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->compliant);
  EXPECT_EQ(report->pages, 1);
}

}  // namespace
}  // namespace kholuu::formats::pdf
