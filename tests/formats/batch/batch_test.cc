#include "formats/batch/batch.h"

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "tests/formats/package/archive_writer.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::batch {
namespace {

using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::kholuu::testing::TestArchiveBytes;
using ::kholuu::testing::TestEntry;
using ::kholuu::testing::TestFormat;
using ::kholuu::testing::WriteTestFile;
using ::testing::HasSubstr;

constexpr char kScan1[] = "001.03.08.H30.81.2024.K4.01.01.001.pdf";
constexpr char kScan2[] = "001.03.08.H30.81.2024.K4.01.01.002.pdf";
constexpr char kScan3[] = "001.03.08.H30.81.2024.K4.01.01.003.pdf";

// Column letters -> 0-based index.
size_t Col(const std::string& letters) {
  size_t c = 0;
  for (char ch : letters) c = c * 26 + static_cast<size_t>(ch - 'A' + 1);
  return c - 1;
}

using Row = std::vector<std::string>;
Row MakeRow(std::initializer_list<std::pair<const char*, std::string>> cells) {
  Row r(45);
  for (const auto& [col, v] : cells) r[Col(col)] = v;
  return r;
}

// The sheet as delivered: merged date headers (blank cells after them), a
// sub-header row, and the seven names that occur twice.
std::vector<Row> Header() {
  return {MakeRow({{"A", "Phông"}, {"B", "Mục lục"}, {"C", "Hộp số"}, {"D", "Số và ký hiệu hồ sơ"},
                   {"E", "Tiêu đề hồ sơ"}, {"F", "Thời hạn bảo quản"}, {"G", "Chế độ sử dụng"},
                   {"H", "Ngôn ngữ"}, {"I", "Ngày/Tháng/Năm bắt đầu"}, {"L", "Ngày/Tháng/Năm kết thúc"},
                   {"O", "Tổng số văn bản trong hồ sơ"}, {"P", "Chú giải"}, {"Q", "Ký hiệu thông tin"},
                   {"R", "Từ khóa"}, {"S", "Số lượng tờ"}, {"T", "Tình trạng vật lý"}, {"U", "Mức độ tin cậy"},
                   {"V", "Mã hồ sơ giấy gốc"}, {"W", "Ghi chú"}, {"X", "Số thứ tự văn bản trong hồ sơ"},
                   {"Y", "Tên loại văn bản"}, {"Z", "Số của văn bản"}, {"AA", "Ký hiệu của văn bản"},
                   {"AB", "Ngày/Tháng/Năm văn bản"}, {"AE", "Tên cơ quan tổ chức ban hành văn bản"},
                   {"AF", "Trích yếu nội dung"}, {"AG", "Ngôn ngữ"}, {"AH", "Số lượng trang của văn bản"},
                   {"AI", "Ký hiệu thông tin"}, {"AJ", "Từ khoá"}, {"AK", "Chế độ sử dụng"},
                   {"AL", "Mức độ tin cậy"}, {"AM", "Bút tích"}, {"AN", "Tình trạng vật lý"},
                   {"AO", "Quy trình xử lý"}, {"AP", "Tờ số"}, {"AQ", "Loại tài liệu"}, {"AR", "Ghi chú"},
                   {"AS", "Đường dẫn file"}}),
          MakeRow({{"I", "Ngày"}, {"J", "Tháng"}, {"K", "Năm"}, {"L", "Ngày"}, {"M", "Tháng"}, {"N", "Năm"},
                   {"AB", "Ngày"}, {"AC", "Tháng"}, {"AD", "Năm"}})};
}

Row FileCells(Row r) {
  const Row f = MakeRow({{"A", "81"}, {"B", "K4"}, {"C", "01"}, {"D", "01"},
                         {"E", "Hồ sơ kiện toàn Ban chỉ đạo liên ngành về an toàn thực phẩm năm 2024"},
                         {"F", "Vĩnh viễn"}, {"G", "01"}, {"H", "Tiếng Việt"}, {"I", "05"}, {"J", "01"},
                         {"K", "2024"}, {"L", "20"}, {"M", "12"}, {"N", "2024"}, {"O", "5"},
                         {"P", "Thiếu 2 văn bản"}, {"Q", "ATTP"}, {"R", "an toàn thực phẩm"}, {"S", "16"},
                         {"T", "Tốt"}, {"U", "Số hóa"}, {"V", "K4-01-01"}, {"W", "Giao nộp đợt 1"}});
  for (size_t i = 0; i < f.size(); ++i) {
    if (!f[i].empty()) r[i] = f[i];
  }
  return r;
}

Row Doc(const std::string& ordinal, const std::string& number, const std::string& notation, const std::string& day,
        const std::string& pages, const std::string& path) {
  return MakeRow({{"X", ordinal}, {"Y", "Quyết định"}, {"Z", number}, {"AA", notation}, {"AB", day},
                  {"AC", "03"}, {"AD", "2024"}, {"AE", "Chi cục An toàn vệ sinh thực phẩm"},
                  {"AF", "Về việc kiện toàn Ban chỉ đạo"}, {"AG", "Tiếng Việt"}, {"AH", pages},
                  {"AJ", "ban chỉ đạo"}, {"AK", "02"}, {"AM", "Có"}, {"AO", "1"}, {"AP", "3-5"},
                  {"AQ", "Văn bản"}, {"AR", "bản chính"}, {"AS", path}});
}

std::string Csv(const std::vector<Row>& rows, char delim = ',') {
  std::string out;
  for (const Row& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) out.push_back(delim);
      const std::string& v = r[i];
      if (v.find_first_of(",;\"\n") != std::string::npos) {
        out.push_back('"');
        for (char c : v) {
          if (c == '"') out.push_back('"');
          out.push_back(c);
        }
        out.push_back('"');
      } else {
        out += v;
      }
    }
    out += "\r\n";
  }
  return out;
}

// A batch folder with the real scans copied under scans/.
class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string corpus = std::string(KHOLUU_CORPUS_DIR) + "/scans-real";
    if (!IsDirectory(corpus)) GTEST_SKIP() << "corpus scans-real not present in " << KHOLUU_CORPUS_DIR;
    ASSERT_OK(CreateDirs(t_.Sub("scans")));
    for (const char* n : {kScan1, kScan2, kScan3}) {
      ASSERT_OK_AND_ASSIGN(std::string b, ReadFileToString(corpus + "/" + n));
      WriteTestFile(t_.Sub(std::string("scans/") + n), b);
    }
    options_.organ_id = "001.03.08.H30";
  }
  static size_t Count(const BatchReport& r, const std::string& code, Severity s) {
    size_t n = 0;
    for (const BatchProblem& p : r.problems) n += (p.code == code && p.severity == s);
    return n;
  }
  static const BatchProblem* Find(const BatchReport& r, const std::string& code) {
    for (const BatchProblem& p : r.problems) {
      if (p.code == code) return &p;
    }
    return nullptr;
  }
  static std::string Dump(const BatchReport& r) {
    std::string s;
    for (const BatchProblem& p : r.problems) {
      s += (p.severity == Severity::kError ? "E " : "W ") + p.code + " row " + std::to_string(p.row) + " " + p.column +
           ": " + p.message + "\n";
    }
    return s;
  }
  // What both the CSV and the XLSX delivery must give.
  void ExpectTheDelivery(const BatchReport& r) {
    EXPECT_TRUE(r.ok()) << Dump(r);
    ASSERT_EQ(r.files.size(), 1u) << Dump(r);
    const BatchFile& f = r.files[0];
    EXPECT_EQ(f.arc_file_code, "001.03.08.H30.81.2024.K4.01.01");
    const model::RecordFile& rf = f.record_file;
    EXPECT_EQ(rf.file_code.ToString(), "001.03.08.H30.2024.K4.01.01");
    EXPECT_EQ(rf.fonds_code, "81");
    EXPECT_EQ(rf.start_date, "2024-01-05");
    EXPECT_EQ(rf.end_date, "2024-12-20");
    EXPECT_EQ(rf.doc_total, 5);
    EXPECT_EQ(rf.number_of_paper, 16);
    EXPECT_EQ(rf.physical_state, "01");
    EXPECT_EQ(rf.confidence, model::Confidence::kDigitised);
    EXPECT_EQ(rf.rights, model::AccessLevel::kPublic);
    EXPECT_EQ(rf.keywords, "an toàn thực phẩm");
    EXPECT_EQ(rf.description, "Thiếu 2 văn bản; Giao nộp đợt 1");
    EXPECT_TRUE(rf.Validate().empty());
    ASSERT_EQ(f.documents.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      const BatchDocument& d = f.documents[i];
      EXPECT_EQ(d.document.id, "001.03.08.H30.81.2024.K4.01.01.00" + std::to_string(i + 1));
      EXPECT_EQ(d.document.doc_ordinal, static_cast<int>(i + 1));
      EXPECT_EQ(d.document.code_notation, "QĐ-CCATVSTP");
      EXPECT_EQ(d.document.access, model::AccessLevel::kConditional);
      EXPECT_EQ(d.extra.at("autograph"), "Có");
      EXPECT_EQ(d.extra.at("keyword"), "ban chỉ đạo");
      EXPECT_EQ(d.document.description, "bản chính");
      EXPECT_THAT(d.scan_path, HasSubstr(std::string("scans/001.03.08.H30.81.2024.K4.01.01.00") +
                                         std::to_string(i + 1) + ".pdf"));
      EXPECT_TRUE(d.document.Validate().empty()) << d.document.Validate().ToStatus("doc").message();
    }
    EXPECT_EQ(f.documents[0].document.code_number, "01");
    EXPECT_EQ(f.documents[0].document.issued_date, "2024-03-01");
    EXPECT_EQ(f.documents[1].document.code_number, "12");
    EXPECT_EQ(f.documents[2].document.code_number, "");
    // Warnings kept with the record: a document without a number, a page
    // count that disagrees with the scan, a partial file.
    ASSERT_EQ(f.documents[2].warnings.size(), 2u) << Dump(r);
    EXPECT_EQ(f.documents[2].warnings[0].code, "no-number");
    EXPECT_EQ(f.documents[2].warnings[1].code, "page-count");
    EXPECT_THAT(f.documents[2].warnings[1].message, HasSubstr("the scan has 2"));
    EXPECT_EQ(f.documents[2].warnings[1].column, "AH (Số lượng trang của văn bản)");
    EXPECT_TRUE(f.documents[0].warnings.empty()) << Dump(r);
    ASSERT_EQ(f.warnings.size(), 1u);
    EXPECT_EQ(f.warnings[0].code, "partial-file");
    EXPECT_EQ(rf.page_total, 11 + 3 + 5);
  }
  TempDir t_;
  BatchOptions options_;
};

TEST_F(BatchTest, CsvWhereEveryRowRepeatsItsFile) {
  std::vector<Row> rows = {MakeRow({{"A", "MỤC LỤC HỒ SƠ SỐ HÓA"}})};  // a title row above the header
  for (const Row& h : Header()) rows.push_back(h);
  rows.push_back(FileCells(Doc("01", "01", "QĐ-CCATVSTP", "01", "11", std::string("scans\\") + kScan1)));
  rows.push_back(FileCells(Doc("2", "12", "/ QĐ-CCATVSTP", "02", "3", std::string(".\\scans\\") + kScan2)));
  rows.push_back(FileCells(Doc("03", "", "QĐ- CCATVSTP", "03", "5", std::string("scans/") + kScan3)));
  WriteTestFile(t_.Sub("danh muc.csv"), Csv(rows));
  ASSERT_OK_AND_ASSIGN(BatchReport r, ReadBatch(t_.Sub("danh muc.csv"), options_));
  ExpectTheDelivery(r);
}

TEST_F(BatchTest, CsvWithAFileRowThenBlankFileCells) {
  std::vector<Row> rows = Header();
  rows.push_back(FileCells(Row(45)));
  rows.push_back(Doc("1", "01", "QĐ-CCATVSTP", "1", "11", std::string("scans\\") + kScan1));
  rows.push_back(Doc("2", "12", "QĐ-CCATVSTP", "2", "3", std::string("scans\\") + kScan2));
  rows.push_back(Doc("3", "", "QĐ-CCATVSTP", "3", "5", std::string("scans\\") + kScan3));
  WriteTestFile(t_.Sub("sheet.CSV"), Csv(rows, ';'));
  ASSERT_OK_AND_ASSIGN(BatchReport r, ReadBatch(t_.Sub("sheet.CSV"), options_));
  ExpectTheDelivery(r);
}

// ---------------------------------------------------------------- XLSX

struct XCell {
  enum Kind { kShared, kInline, kNumber, kDate } kind = kShared;
  std::string text;
};

std::string XmlEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '<') o += "&lt;";
    else if (c == '&') o += "&amp;";
    else if (c == '"') o += "&quot;";
    else o.push_back(c);
  }
  return o;
}

// A minimal workbook as Excel writes it: shared strings (one as rich text
// runs), inline strings, numbers, and date cells styled with numFmt 14.
std::string Xlsx(const std::vector<std::vector<XCell>>& rows, const std::string& extra_sheet_xml = "") {
  std::vector<std::string> shared;
  std::string sheet = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
  for (size_t i = 0; i < rows.size(); ++i) {
    sheet += "<row r=\"" + std::to_string(i + 1) + "\">";
    for (size_t j = 0; j < rows[i].size(); ++j) {
      const XCell& c = rows[i][j];
      if (c.text.empty()) continue;
      std::string ref;
      size_t n = j + 1;
      while (n > 0) {
        ref.insert(ref.begin(), static_cast<char>('A' + (n - 1) % 26));
        n = (n - 1) / 26;
      }
      ref += std::to_string(i + 1);
      switch (c.kind) {
        case XCell::kShared:
          sheet += "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(shared.size()) + "</v></c>";
          shared.push_back(c.text);
          break;
        case XCell::kInline:
          sheet += "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + XmlEscape(c.text) + "</t></is></c>";
          break;
        case XCell::kNumber:
          sheet += "<c r=\"" + ref + "\"><v>" + c.text + "</v></c>";
          break;
        case XCell::kDate:
          sheet += "<c r=\"" + ref + "\" s=\"1\"><v>" + c.text + "</v></c>";
          break;
      }
    }
    sheet += "</row>";
  }
  sheet += "</sheetData>" + extra_sheet_xml + "</worksheet>";
  std::string sst = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  for (size_t i = 0; i < shared.size(); ++i) {
    if (i == 0 && shared[i].size() > 4) {
      // Rich text: the first string split into two runs, with a phonetic run.
      sst += "<si><r><rPr><b/></rPr><t>" + XmlEscape(shared[i].substr(0, 1)) + "</t></r><r><t xml:space=\"preserve\">" +
             XmlEscape(shared[i].substr(1)) + "</t></r><rPh><t>x</t></rPh></si>";
    } else {
      sst += "<si><t>" + XmlEscape(shared[i]) + "</t></si>";
    }
  }
  sst += "</sst>";
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  return TestArchiveBytes(
      TestFormat::kZip,
      {{"[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
       {"xl/workbook.xml", "<workbook xmlns=\"" + ns + "\" xmlns:r=\"" + rns +
                               "\"><sheets><sheet name=\"Danh mục\" sheetId=\"1\" r:id=\"rId7\"/>"
                               "<sheet name=\"Khác\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>"},
       {"xl/_rels/workbook.xml.rels",
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId8\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId7\" Type=\"worksheet\" Target=\"worksheets/sheet2.xml\"/></Relationships>"},
       {"xl/styles.xml", "<styleSheet xmlns=\"" + ns + "\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/>"
                         "<xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>"},
       {"xl/sharedStrings.xml", sst},
       {"xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" + ns + "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>"},
       {"xl/worksheets/sheet2.xml", sheet}});
}

std::vector<XCell> Shared(const Row& r) {
  std::vector<XCell> out;
  for (const std::string& s : r) out.push_back({XCell::kShared, s});
  return out;
}

TEST_F(BatchTest, XlsxWithNumbersDateSerialsAndInlineStrings) {
  std::vector<std::vector<XCell>> rows;
  for (const Row& h : Header()) rows.push_back(Shared(h));
  // File row: numbers stored as numbers (the phông 81, the total 5).
  std::vector<XCell> file = Shared(FileCells(Row(45)));
  file[Col("A")] = {XCell::kNumber, "81"};
  file[Col("O")] = {XCell::kNumber, "5"};
  file[Col("S")] = {XCell::kNumber, "16.0"};
  file[Col("E")] = {XCell::kInline, file[Col("E")].text};
  rows.push_back(file);
  const char* scans[] = {kScan1, kScan2, kScan3};
  for (int i = 0; i < 3; ++i) {
    std::vector<XCell> d = Shared(Doc(std::to_string(i + 1), i == 0 ? "01" : i == 1 ? "12" : "",
                                      i == 1 ? "/ QĐ-CCATVSTP" : "QĐ-CCATVSTP", std::to_string(i + 1),
                                      i == 0 ? "11" : i == 1 ? "3" : "5", std::string("scans\\") + scans[i]));
    d[Col("X")] = {XCell::kNumber, std::to_string(i + 1)};
    if (i == 1) d[Col("Z")] = {XCell::kNumber, "12"};
    d[Col("AH")] = {XCell::kNumber, d[Col("AH")].text};
    rows.push_back(d);
  }
  WriteTestFile(t_.Sub("danh muc.xlsx"), Xlsx(rows));
  ASSERT_OK_AND_ASSIGN(BatchReport r, ReadBatch(t_.Sub("danh muc.xlsx"), options_));
  ExpectTheDelivery(r);
}

TEST_F(BatchTest, XlsxSingleDateCellsAsSerialsAndText) {
  // A sheet with one cell per date: a date serial (45352 = 2024-03-02) and
  // the text form dd/mm/yyyy.
  std::vector<XCell> h = {{XCell::kShared, "Số và ký hiệu hồ sơ"}, {XCell::kShared, "TIÊU ĐỀ HỒ SƠ"},
                          {XCell::kShared, "Ngày/Tháng/Năm văn bản"}, {XCell::kShared, "Trích yếu nội dung"},
                          {XCell::kShared, "Tên cơ quan, tổ chức ban hành văn bản"}, {XCell::kShared, "Số của văn bản"},
                          {XCell::kShared, "Đường dẫn file"}};
  std::vector<std::vector<XCell>> rows = {h};
  rows.push_back({{XCell::kShared, "K4.01.01"}, {XCell::kShared, "Hồ sơ"}, {XCell::kDate, "45353"},
                  {XCell::kShared, "Trích yếu"}, {XCell::kShared, "Chi cục"}, {XCell::kNumber, "7"},
                  {XCell::kShared, std::string("scans\\") + kScan1}});
  rows.push_back({{}, {}, {XCell::kShared, "05/03/2024"}, {XCell::kShared, "Trích yếu 2"}, {XCell::kShared, "Chi cục"},
                  {XCell::kShared, "8"}, {XCell::kShared, std::string("scans\\") + kScan2}});
  WriteTestFile(t_.Sub("s.xlsx"), Xlsx(rows));
  ASSERT_OK_AND_ASSIGN(BatchReport r, ReadBatch(t_.Sub("s.xlsx"), options_));
  EXPECT_TRUE(r.ok()) << Dump(r);
  ASSERT_EQ(r.files.size(), 1u);
  ASSERT_EQ(r.files[0].documents.size(), 2u);
  EXPECT_EQ(r.files[0].documents[0].document.issued_date, "2024-03-02");
  EXPECT_EQ(r.files[0].documents[1].document.issued_date, "2024-03-05");
  EXPECT_EQ(r.files[0].record_file.file_code.ToString(), "001.03.08.H30.2024.K4.01.01");
  // Ordinals were missing: numbered by place, with a warning.
  EXPECT_EQ(Count(r, "no-ordinal", Severity::kWarning), 2u);
  EXPECT_EQ(r.files[0].documents[1].document.id, "001.03.08.H30.2024.K4.01.01.002");
}

TEST_F(BatchTest, ErrorsCarryRowAndColumn) {
  std::vector<Row> rows = Header();  // rows 1-2
  rows.push_back(Doc("1", "01", "QĐ-X", "01", "1", std::string("scans\\") + kScan1));  // row 3: before any file
  rows.push_back(FileCells(Doc("1", "01", "QĐ-X", "31", "11", std::string("scans\\") + kScan1)));  // row 4: 31/03 ok
  Row bad_date = FileCells(Doc("2", "02", "QĐ-X", "30", "1", std::string("scans\\") + kScan2));
  bad_date[Col("AC")] = "02";  // 30/02/2024
  rows.push_back(bad_date);                                                                         // row 5
  rows.push_back(FileCells(Doc("3", "03", "QĐ-X", "01", "1", "scans\\missing.pdf")));               // row 6
  rows.push_back(FileCells(Doc("4", "04", "QĐ-X", "01", "1", "C:\\scans\\x.pdf")));                 // row 7
  rows.push_back(FileCells(Doc("5", "05", "QĐ-X", "01", "1", "..\\..\\etc\\passwd")));              // row 8
  Row bad_mode = FileCells(Doc("6", "06", "QĐ-X", "01", "1", std::string("scans\\") + kScan3));
  bad_mode[Col("AK")] = "tối mật";
  rows.push_back(bad_mode);                                                                          // row 9
  rows.push_back(FileCells(Doc("6", "07", "QĐ-X", "01", "1", std::string("scans\\") + kScan3)));    // row 10
  Row no_month = FileCells(Doc("7", "08", "QĐ-X", "01", "1", std::string("scans\\") + kScan3));
  no_month[Col("AC")] = "";
  rows.push_back(no_month);                                                                          // row 11
  WriteTestFile(t_.Sub("b.csv"), Csv(rows));
  ASSERT_OK_AND_ASSIGN(BatchReport r, ReadBatch(t_.Sub("b.csv"), options_));
  EXPECT_FALSE(r.ok());
  struct Want {
    const char* code;
    size_t row;
    const char* column;
  };
  for (const Want& w : {Want{"document-without-file", 3, ""},
                        Want{"invalid-date", 5, "AB (Ngày/Tháng/Năm văn bản)"},
                        Want{"missing-scan", 6, "AS (Đường dẫn file)"},
                        Want{"bad-path", 7, "AS (Đường dẫn file)"},
                        Want{"bad-path", 8, "AS (Đường dẫn file)"},
                        Want{"unknown-code", 9, "AK (Chế độ sử dụng)"},
                        Want{"duplicate-ordinal", 10, "X (Số thứ tự văn bản trong hồ sơ)"},
                        Want{"incomplete-date", 11, "AB (Ngày/Tháng/Năm văn bản)"}}) {
    bool found = false;
    for (const BatchProblem& p : r.problems) {
      if (p.code == w.code && p.row == w.row) {
        found = true;
        EXPECT_EQ(p.severity, Severity::kError) << w.code;
        EXPECT_EQ(p.column, w.column) << w.code;
      }
    }
    EXPECT_TRUE(found) << w.code << " on row " << w.row << "\n" << Dump(r);
  }
  // Row 4 is fine: no error on it.
  for (const BatchProblem& p : r.problems) {
    EXPECT_FALSE(p.row == 4 && p.severity == Severity::kError) << p.code << ": " << p.message;
  }
}

TEST_F(BatchTest, HeadersMatchWhateverTheCaseDiacriticsAndSpacing) {
  const std::vector<Row> rows = {
      {"SỐ VÀ KÝ HIỆU  HỒ SƠ", "tieu de ho so", "Ngày / Tháng / Năm văn bản", "", "", "Trích yếu nội dung",
       "Tên cơ quan tổ chức ban hành văn bản", "Đường dẫn File", "Cột lạ"},
      // NFD text (decomposed diacritics) in a cell.
      {"K4.01.01", "Ho\xcc\x82\xcc\x80 so\xcc\x9b", "1", "3", "2024", "Trich yeu", "Co quan", std::string("scans/") + kScan1, "x"}};
  WriteTestFile(t_.Sub("h.csv"), Csv(rows));
  ASSERT_OK_AND_ASSIGN(BatchReport r, ReadBatch(t_.Sub("h.csv"), options_));
  EXPECT_TRUE(r.ok()) << Dump(r);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].record_file.title, "Hồ sơ");
  EXPECT_EQ(r.files[0].documents[0].document.issued_date, "2024-03-01");
  const BatchProblem* unknown = Find(r, "unknown-column");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->column, "I (Cột lạ)");
}

TEST(BatchOptionsTest, OrganIdIsRequired) {
  Sheet s;
  EXPECT_THAT(InterpretSheet(s, "/tmp", BatchOptions{}), StatusIs(StatusCode::kInvalidArgument));
  TempDir t;
  WriteTestFile(t.Sub("x.ods"), "x");
  BatchOptions o;
  o.organ_id = "000.00.00.H30";
  EXPECT_THAT(ReadBatch(t.Sub("x.ods"), o), StatusIs(StatusCode::kInvalidArgument));
}

// ---------------------------------------------------------------- readers

TEST(CsvReaderTest, QuotingDelimitersAndEncodings) {
  ASSERT_OK_AND_ASSIGN(Sheet s, ReadCsv("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\r\nx,\"two\nlines\",\n"));
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.row_numbers[1], 3u);
  EXPECT_EQ(s.rows[0][1].text, "b,1");
  EXPECT_EQ(s.rows[0][2].text, "say \"hi\"");
  EXPECT_EQ(s.rows[1][1].text, "two\nlines");
  ASSERT_OK_AND_ASSIGN(Sheet semi, ReadCsv("\xef\xbb\xbfSố;Tên\n1;Hà Nội\n"));
  EXPECT_EQ(semi.rows[0][0].text, "Số");
  EXPECT_EQ(semi.rows[1][1].text, "Hà Nội");
  // UTF-16LE with a BOM, as Excel's "Unicode text" writes.
  ASSERT_OK_AND_ASSIGN(Sheet u16, ReadCsv(std::string("\xff\xfe" "a\0\t\0b\0\n\0", 10)));
  EXPECT_EQ(u16.rows[0][1].text, "b");
  // Windows-1258: "Hà" is H, a, combining grave (0xCC).
  ASSERT_OK_AND_ASSIGN(Sheet cp, ReadCsv("H\x61\xcc,x\n"));
  EXPECT_EQ(cp.rows[0][0].text, "Hà");
  EXPECT_THAT(cp.notes, ::testing::ElementsAre(HasSubstr("Windows-1258")));
  EXPECT_THAT(ReadCsv("a,\"open\n"), StatusIs(StatusCode::kInvalidArgument));
  SheetLimits few;
  few.max_rows = 2;
  EXPECT_THAT(ReadCsv("1\n2\n3\n", few), StatusIs(StatusCode::kResourceExhausted));
  few.max_cell_bytes = 3;
  EXPECT_THAT(ReadCsv("abcd\n", few), StatusIs(StatusCode::kResourceExhausted));
}

TEST(XlsxReaderTest, HostileWorkbooksGiveSpecificErrors) {
  EXPECT_THAT(ReadXlsx("PK\x03\x04 not really a zip"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadXlsx(TestArchiveBytes(TestFormat::kZip, {{"a.txt", "x"}})), StatusIs(StatusCode::kInvalidArgument));
  auto slip = ReadXlsx(TestArchiveBytes(TestFormat::kZip, {{"../xl/workbook.xml", "<workbook/>"}}));
  EXPECT_THAT(slip, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(slip.status().message(), HasSubstr("(..)"));
  // A shared-string index that does not exist.
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  auto bad_index = ReadXlsx(TestArchiveBytes(
      TestFormat::kZip, {{"xl/workbook.xml", "<workbook xmlns=\"" + ns + "\"><sheets><sheet name=\"a\"/></sheets></workbook>"},
                         {"xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" + ns +
                                                          "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c>"
                                                          "</row></sheetData></worksheet>"}}));
  EXPECT_THAT(bad_index, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bad_index.status().message(), HasSubstr("shared string '9'"));
  // An entity bomb in the sheet: refused before any expansion.
  auto bomb = ReadXlsx(TestArchiveBytes(
      TestFormat::kZip, {{"xl/workbook.xml", "<workbook xmlns=\"" + ns + "\"><sheets><sheet name=\"a\"/></sheets></workbook>"},
                         {"xl/worksheets/sheet1.xml", "<!DOCTYPE w [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                                                      "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is></c>"
                                                      "</row></sheetData></worksheet>"}}));
  EXPECT_THAT(bomb, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bomb.status().message(), HasSubstr("DOCTYPE"));
  // A zip bomb: a highly compressible sheet beyond the ratio cap.
  SheetLimits small;
  small.max_xml_bytes = 1 << 20;
  auto big = ReadXlsx(TestArchiveBytes(TestFormat::kZip, {{"xl/workbook.xml", std::string(2 << 20, ' ')}}), small);
  EXPECT_THAT(big, StatusIs(StatusCode::kResourceExhausted));
  // Bad cell references.
  auto bad_ref = ReadXlsx(TestArchiveBytes(
      TestFormat::kZip, {{"xl/workbook.xml", "<workbook xmlns=\"" + ns + "\"><sheets><sheet name=\"a\"/></sheets></workbook>"},
                         {"xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" + ns +
                                                          "\"><sheetData><row r=\"1\"><c r=\"ZZZZ1\"><v>1</v></c>"
                                                          "</row></sheetData></worksheet>"}}));
  EXPECT_THAT(bad_ref, StatusIs(StatusCode::kInvalidArgument));
}

TEST(PdfPagesTest, CountsPlainPageTreesOnly) {
  const std::string corpus = std::string(KHOLUU_CORPUS_DIR) + "/scans-real/";
  if (!IsDirectory(corpus)) GTEST_SKIP() << "corpus scans-real not present";
  EXPECT_EQ(CountPdfPages(corpus + kScan1), 11);
  EXPECT_EQ(CountPdfPages(corpus + kScan3), 2);
  // Pages in compressed object streams: counted by the PDF parser
  // (poppler's pdfinfo also says 1).
  EXPECT_EQ(CountPdfPages(corpus + kScan2), 1);
  TempDir t;
  WriteTestFile(t.Sub("x.pdf"), "not a pdf /Type /Page");
  EXPECT_EQ(CountPdfPages(t.Sub("x.pdf")), std::nullopt);
}

}  // namespace
}  // namespace kholuu::formats::batch
