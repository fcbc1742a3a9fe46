#include "formats/batch/batch.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>

#include "archive/base/file.h"
#include "archive/model/agency.h"
#include "archive/model/validation.h"
#include "formats/common/text.h"
#include "formats/pdf/pdfa.h"

namespace kholuu::formats::batch {
namespace {

// Every column the issue lists. Names that occur twice in delivered sheets
// have a file field (first occurrence) and a document field (second).
enum Field : int {
  kPhong, kMucLuc, kHopSo, kFileNotation, kTitle, kMaintenance, kFileMode, kFileLanguage,
  kStartDate, kEndDate, kDocTotal, kChuGiai, kFileInforSign, kFileKeyword, kSheets,
  kFilePhysical, kFileConfidence, kPaperCode, kFileNote,
  kOrdinal, kTypeName, kDocNumber, kDocNotation, kDocDate, kOrganName, kSubject, kPages,
  kAutograph, kProcess, kSheetNo, kDocType, kPath,
  kDocLanguage, kDocNote, kDocInforSign, kDocKeyword, kDocMode, kDocConfidence, kDocPhysical,
  kFieldCount
};

struct HeaderDef {
  const char* key;  // FoldKey of the Vietnamese name
  Field first;
  int second;       // the document field of a repeated name, or -1
};

constexpr HeaderDef kHeaders[] = {
    {"phong", kPhong, -1},
    {"muc luc", kMucLuc, -1},
    {"hop so", kHopSo, -1},
    {"so va ky hieu ho so", kFileNotation, -1},
    {"tieu de ho so", kTitle, -1},
    {"thoi han bao quan", kMaintenance, -1},
    {"che do su dung", kFileMode, kDocMode},
    {"ngon ngu", kFileLanguage, kDocLanguage},
    {"ngay thang nam bat dau", kStartDate, -1},
    {"ngay thang nam ket thuc", kEndDate, -1},
    {"tong so van ban trong ho so", kDocTotal, -1},
    {"chu giai", kChuGiai, -1},
    {"ky hieu thong tin", kFileInforSign, kDocInforSign},
    {"tu khoa", kFileKeyword, kDocKeyword},
    {"so luong to", kSheets, -1},
    {"tinh trang vat ly", kFilePhysical, kDocPhysical},
    {"muc do tin cay", kFileConfidence, kDocConfidence},
    {"ma ho so giay goc", kPaperCode, -1},
    {"ghi chu", kFileNote, kDocNote},
    {"so thu tu van ban trong ho so", kOrdinal, -1},
    {"ten loai van ban", kTypeName, -1},
    {"so cua van ban", kDocNumber, -1},
    {"ky hieu cua van ban", kDocNotation, -1},
    {"ngay thang nam van ban", kDocDate, -1},
    {"ten co quan to chuc ban hanh van ban", kOrganName, -1},
    {"trich yeu noi dung", kSubject, -1},
    {"so luong trang cua van ban", kPages, -1},
    {"but tich", kAutograph, -1},
    {"quy trinh xu ly", kProcess, -1},
    {"to so", kSheetNo, -1},
    {"loai tai lieu", kDocType, -1},
    {"duong dan file", kPath, -1},
};

bool IsDateField(int f) { return f == kStartDate || f == kEndDate || f == kDocDate; }

std::string ColumnLetters(size_t col0) {
  std::string s;
  size_t c = col0 + 1;
  while (c > 0) {
    s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
    c = (c - 1) / 26;
  }
  return s;
}

struct Layout {
  std::array<long, kFieldCount> col;  // 0-based column, -1 when absent
  std::array<bool, kFieldCount> three_cells{};  // dates: day, month, year in col..col+2
  std::vector<std::string> header;    // header text by column
  size_t header_index = 0;            // index into sheet.rows
  size_t data_from = 0;               // first data row index
};

class Interpreter {
 public:
  Interpreter(const Sheet& sheet, std::string base_dir, const BatchOptions& options)
      : sheet_(sheet), base_(std::move(base_dir)), options_(options) {}

  BatchReport Run();

 private:
  struct RowCtx {
    size_t row = 0;
    const std::vector<Cell>* cells = nullptr;
  };

  std::string Label(int field) const {
    const long c = layout_.col[static_cast<size_t>(field)];
    if (c < 0) return "";
    return ColumnLetters(static_cast<size_t>(c)) + " (" + layout_.header[static_cast<size_t>(c)] + ")";
  }
  void Add(Severity s, std::string code, std::string message, size_t row, std::string column,
           std::vector<BatchProblem>* keep = nullptr) {
    BatchProblem p{s, std::move(code), std::move(message), row, std::move(column)};
    if (keep != nullptr && s == Severity::kWarning) keep->push_back(p);
    report_.problems.push_back(std::move(p));
  }
  void Error(const std::string& code, const std::string& msg, size_t row, int field) {
    Add(Severity::kError, code, msg, row, Label(field));
  }

  const Cell* CellAt(const RowCtx& r, long col) const {
    if (col < 0 || static_cast<size_t>(col) >= r.cells->size()) return nullptr;
    return &(*r.cells)[static_cast<size_t>(col)];
  }
  const Cell* CellOf(const RowCtx& r, int f) const { return CellAt(r, layout_.col[static_cast<size_t>(f)]); }
  std::string Get(const RowCtx& r, int f) const {
    const Cell* c = CellOf(r, f);
    if (c == nullptr) return "";
    // Collapse runs of white space (including non-breaking spaces) to one.
    std::string out;
    bool space = false;
    const std::string& t = c->text;
    for (size_t i = 0; i < t.size(); ++i) {
      const bool nbsp = i + 1 < t.size() && t[i] == '\xc2' && t[i + 1] == '\xa0';
      if (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r' || nbsp) {
        space = true;
        if (nbsp) ++i;
        continue;
      }
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      out.push_back(t[i]);
    }
    return out;
  }
  bool Has(const RowCtx& r, int f) const {
    if (IsDateField(f) && layout_.three_cells[static_cast<size_t>(f)]) {
      for (long k = 0; k < 3; ++k) {
        const Cell* c = CellAt(r, layout_.col[static_cast<size_t>(f)] + k);
        if (c != nullptr && !Trim(c->text).empty()) return true;
      }
      return false;
    }
    return !Get(r, f).empty();
  }

  bool FindLayout();
  std::optional<int64_t> Int(const RowCtx& r, int f, int64_t min, int64_t max);
  std::optional<std::string> Date(const RowCtx& r, int f);
  std::optional<model::AccessLevel> Mode(const RowCtx& r, int f);
  std::optional<model::Confidence> ConfidenceOf(const RowCtx& r, int f);
  std::string Physical(const RowCtx& r, int f);
  void StartFile(const RowCtx& r, const std::string& key);
  void CheckFileRepeat(const RowCtx& r, BatchFile& file);
  void AddDocument(const RowCtx& r, BatchFile& file);
  void FinishFile(BatchFile& file, size_t index);
  std::string ResolvePath(const RowCtx& r, const std::string& raw);

  const Sheet& sheet_;
  const std::string base_;
  const BatchOptions& options_;
  Layout layout_;
  BatchReport report_;
  std::vector<std::string> file_keys_;
  struct FileExtra {
    std::string phong, muc_luc, hop_so, notation, file_note, chu_giai;
    bool ordinals_missing = false;
  };
  std::vector<FileExtra> extras_;
};

bool Interpreter::FindLayout() {
  layout_.col.fill(-1);
  size_t best = 0;
  size_t best_hits = 0;
  for (size_t i = 0; i < sheet_.rows.size() && i < 15; ++i) {
    size_t hits = 0;
    for (const Cell& c : sheet_.rows[i]) {
      const std::string k = FoldKey(c.text);
      for (const HeaderDef& h : kHeaders) hits += (k == h.key);
    }
    if (hits > best_hits) {
      best_hits = hits;
      best = i;
    }
  }
  if (best_hits < 3) {
    Add(Severity::kError, "no-header", "no header row naming at least three known columns in the first 15 rows", 0, "");
    return false;
  }
  layout_.header_index = best;
  const std::vector<Cell>& hdr = sheet_.rows[best];
  for (const Cell& c : hdr) layout_.header.push_back(std::string(Trim(c.text)));
  const size_t row_no = sheet_.row_numbers[best];
  for (size_t j = 0; j < hdr.size(); ++j) {
    const std::string k = FoldKey(hdr[j].text);
    if (k.empty()) continue;
    bool known = false;
    for (const HeaderDef& h : kHeaders) {
      if (k != h.key) continue;
      known = true;
      if (layout_.col[static_cast<size_t>(h.first)] < 0) {
        layout_.col[static_cast<size_t>(h.first)] = static_cast<long>(j);
      } else if (h.second >= 0 && layout_.col[static_cast<size_t>(h.second)] < 0) {
        layout_.col[static_cast<size_t>(h.second)] = static_cast<long>(j);
      } else {
        Add(Severity::kWarning, "duplicate-column", "column '" + layout_.header[j] + "' occurs again; ignored",
            row_no, ColumnLetters(j) + " (" + layout_.header[j] + ")");
      }
    }
    if (!known && k != "stt" && k != "so tt") {
      Add(Severity::kWarning, "unknown-column", "column '" + layout_.header[j] + "' is not a batch column; ignored",
          row_no, ColumnLetters(j) + " (" + layout_.header[j] + ")");
    }
  }
  layout_.data_from = best + 1;
  // A sub-header row "Ngày | Tháng | Năm" under merged date headers.
  bool sub = false;
  if (best + 1 < sheet_.rows.size()) {
    const std::vector<Cell>& next = sheet_.rows[best + 1];
    size_t dmy = 0;
    bool other = false;
    for (const Cell& c : next) {
      const std::string k = FoldKey(c.text);
      if (k == "ngay" || k == "thang" || k == "nam") {
        ++dmy;
      } else if (!k.empty()) {
        other = true;
      }
    }
    sub = dmy >= 3 && !other;
    if (sub) layout_.data_from = best + 2;
  }
  for (int f : {kStartDate, kEndDate, kDocDate}) {
    const long c = layout_.col[static_cast<size_t>(f)];
    if (c < 0) continue;
    const auto blank_header = [&](long k) {
      return static_cast<size_t>(k) >= hdr.size() || Trim(hdr[static_cast<size_t>(k)].text).empty();
    };
    if (blank_header(c + 1) && blank_header(c + 2)) {
      layout_.three_cells[static_cast<size_t>(f)] = true;
      // Label the month and year columns after the merged header.
      while (layout_.header.size() < static_cast<size_t>(c + 3)) layout_.header.push_back("");
      layout_.header[static_cast<size_t>(c + 1)] = layout_.header[static_cast<size_t>(c)] + ", tháng";
      layout_.header[static_cast<size_t>(c + 2)] = layout_.header[static_cast<size_t>(c)] + ", năm";
    }
  }
  for (int f : {kFileNotation, kTitle, kPath}) {
    if (layout_.col[static_cast<size_t>(f)] < 0) {
      static const char* const kNames[] = {"Số và ký hiệu hồ sơ", "Tiêu đề hồ sơ", "Đường dẫn file"};
      const int i = f == kFileNotation ? 0 : f == kTitle ? 1 : 2;
      Add(Severity::kError, "missing-column", std::string("required column '") + kNames[i] + "' is missing",
          row_no, "");
    }
  }
  return true;
}

std::optional<int64_t> Interpreter::Int(const RowCtx& r, int f, int64_t min, int64_t max) {
  const Cell* c = CellOf(r, f);
  const std::string t = Get(r, f);
  if (t.empty()) return std::nullopt;
  int64_t v = 0;
  bool ok = false;
  if (c->number) {
    ok = c->value == std::floor(c->value) && std::fabs(c->value) < 1e15;
    v = static_cast<int64_t>(c->value);
  } else {
    std::string digits = t;
    if (digits.size() > 2 && digits.compare(digits.size() - 2, 2, ".0") == 0) digits.resize(digits.size() - 2);
    ok = !digits.empty() && digits.size() < 16 &&
         std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (ok) v = std::stoll(digits);
  }
  if (!ok || v < min || v > max) {
    Error("not-a-number", "'" + t + "' is not a whole number in " + std::to_string(min) + ".." + std::to_string(max),
          r.row, f);
    return std::nullopt;
  }
  return v;
}

// Excel serial (1900 system) to "YYYY-MM-DD": serial 25569 is 1970-01-01;
// below 60 Excel counts from 1899-12-31, and serial 60 is its phantom
// 1900-02-29 (returned as "", a date that does not exist).
std::string SerialToDate(double serial) {
  const long long s = static_cast<long long>(std::floor(serial));
  if (s == 60) return "";
  const long long unix_days = s < 60 ? s - 25568 : s - 25569;
  const time_t t = static_cast<time_t>(unix_days * 86400);
  struct tm tmv {};
  gmtime_r(&t, &tmv);
  char b[48];
  std::snprintf(b, sizeof b, "%04d-%02d-%02d", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday);
  return b;
}

std::optional<std::string> Interpreter::Date(const RowCtx& r, int f) {
  const size_t fi = static_cast<size_t>(f);
  const long c = layout_.col[fi];
  if (c < 0) return std::nullopt;
  long y = 0, m = 0, d = 0;
  std::string shown;
  if (layout_.three_cells[fi]) {
    long parts[3] = {0, 0, 0};
    int present = 0;
    for (long k = 0; k < 3; ++k) {
      const Cell* cell = CellAt(r, c + k);
      const std::string t = cell == nullptr ? "" : std::string(Trim(cell->text));
      shown += (k ? "/" : "") + (t.empty() ? std::string("?") : t);
      if (t.empty()) continue;
      ++present;
      std::string digits = t;
      if (digits.size() > 2 && digits.compare(digits.size() - 2, 2, ".0") == 0) digits.resize(digits.size() - 2);
      if (digits.empty() || digits.size() > 4 ||
          !std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        Error("invalid-date", "'" + t + "' is not a number in the date " + shown, r.row, f);
        return std::nullopt;
      }
      parts[k] = std::stol(digits);
    }
    if (present == 0) return std::nullopt;
    if (present < 3) {
      Error("incomplete-date", "date " + shown + " lacks a day, month or year", r.row, f);
      return std::nullopt;
    }
    d = parts[0];
    m = parts[1];
    y = parts[2];
  } else {
    const Cell* cell = CellOf(r, f);
    const std::string t = Get(r, f);
    if (t.empty()) return std::nullopt;
    shown = t;
    if (cell->number && cell->value >= 1 && cell->value < 2958466) {
      const std::string iso = SerialToDate(cell->value);
      if (iso.empty()) {
        Error("invalid-date", "date serial " + t + " is 29/02/1900, which does not exist", r.row, f);
        return std::nullopt;
      }
      return iso;
    }
    int a = 0, b = 0, e = 0;
    char s1 = 0, s2 = 0;
    int used = 0;
    if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &a, &b, &e, &used) == 3 && static_cast<size_t>(used) == t.size()) {
      y = a, m = b, d = e;
    } else if (std::sscanf(t.c_str(), "%2d%c%2d%c%4d%n", &a, &s1, &b, &s2, &e, &used) == 5 &&
               static_cast<size_t>(used) == t.size() && s1 == s2 && (s1 == '/' || s1 == '-' || s1 == '.')) {
      d = a, m = b, y = e;
    } else {
      Error("invalid-date", "'" + t + "' is not a date (dd/mm/yyyy, yyyy-mm-dd or a date cell)", r.row, f);
      return std::nullopt;
    }
  }
  char iso[32];
  std::snprintf(iso, sizeof iso, "%04ld-%02ld-%02ld", y, m, d);
  if (y < 1000 || !model::IsValidDate(iso)) {
    Error("invalid-date", "date " + shown + " does not exist", r.row, f);
    return std::nullopt;
  }
  return std::string(iso);
}

std::optional<model::AccessLevel> Interpreter::Mode(const RowCtx& r, int f) {
  const std::string k = FoldKey(Get(r, f));
  if (k.empty()) return std::nullopt;
  if (k == "01" || k == "1" || k == "cong khai") return model::AccessLevel::kPublic;
  if (k == "02" || k == "2" || k == "su dung co dieu kien" || k == "han che") return model::AccessLevel::kConditional;
  if (k == "03" || k == "3" || k == "mat") return model::AccessLevel::kSecret;
  Error("unknown-code", "'" + Get(r, f) + "' is not a chế độ sử dụng (01 Công khai, 02 Sử dụng có điều kiện, 03 Mật)",
        r.row, f);
  return std::nullopt;
}

std::optional<model::Confidence> Interpreter::ConfidenceOf(const RowCtx& r, int f) {
  const std::string k = FoldKey(Get(r, f));
  if (k.empty()) return std::nullopt;
  if (k == "01" || k == "1" || k == "goc dien tu") return model::Confidence::kBornDigital;
  if (k == "02" || k == "2" || k == "so hoa") return model::Confidence::kDigitised;
  if (k == "03" || k == "3" || k == "hon hop") return model::Confidence::kMixed;
  Error("unknown-code", "'" + Get(r, f) + "' is not a mức độ tin cậy (01 Gốc điện tử, 02 Số hóa, 03 Hỗn hợp)",
        r.row, f);
  return std::nullopt;
}

std::string Interpreter::Physical(const RowCtx& r, int f) {
  const std::string raw = Get(r, f);
  const std::string k = FoldKey(raw);
  if (k == "1" || k == "01" || k == "tot") return "01";
  if (k == "2" || k == "02" || k == "binh thuong") return "02";
  if (k == "3" || k == "03" || k == "hong") return "03";
  return raw;
}

// "/ QĐ-CCATVSTP" -> "QĐ-CCATVSTP": no spaces, no leading slash.
std::string CleanNotation(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ') out.push_back(c);
  }
  while (!out.empty() && out[0] == '/') out.erase(0, 1);
  return out;
}

std::string FileKey(const std::string& phong, const std::string& muc, const std::string& hop, const std::string& so) {
  return FoldKey(phong) + "\x1f" + FoldKey(muc) + "\x1f" + FoldKey(hop) + "\x1f" + CleanNotation(FoldKey(so));
}

void Interpreter::StartFile(const RowCtx& r, const std::string& key) {
  BatchFile file;
  file.row = r.row;
  FileExtra x;
  x.phong = Get(r, kPhong);
  x.muc_luc = CleanNotation(Get(r, kMucLuc));
  x.hop_so = CleanNotation(Get(r, kHopSo));
  x.notation = CleanNotation(Get(r, kFileNotation));
  x.chu_giai = Get(r, kChuGiai);
  x.file_note = Get(r, kFileNote);
  model::RecordFile& rf = file.record_file;
  rf.title = Get(r, kTitle);
  rf.maintenance = Get(r, kMaintenance);
  if (auto m = Mode(r, kFileMode)) rf.rights = *m;
  rf.language = Get(r, kFileLanguage);
  if (auto d = Date(r, kStartDate)) rf.start_date = *d;
  if (auto d = Date(r, kEndDate)) rf.end_date = *d;
  if (auto n = Int(r, kDocTotal, 0, 9999)) rf.doc_total = static_cast<int32_t>(*n);
  rf.keywords = Get(r, kFileKeyword);
  if (auto n = Int(r, kSheets, 0, 9999)) rf.number_of_paper = static_cast<int32_t>(*n);
  rf.physical_state = Physical(r, kFilePhysical);
  rf.infor_sign = Get(r, kFileInforSign);
  if (auto c = ConfidenceOf(r, kFileConfidence)) rf.confidence = *c;
  rf.paper_file_code = Get(r, kPaperCode);
  rf.fonds_code = x.phong;
  if (rf.title.empty()) Error("missing-value", "the hồ sơ has no title", r.row, kTitle);
  if (x.notation.empty()) Error("missing-value", "the hồ sơ has no số và ký hiệu", r.row, kFileNotation);
  report_.files.push_back(std::move(file));
  extras_.push_back(std::move(x));
  file_keys_.push_back(key);
}

// A later row repeating the file's columns: the values must agree.
void Interpreter::CheckFileRepeat(const RowCtx& r, BatchFile& file) {
  for (int f : {kTitle, kMaintenance, kFileLanguage, kDocTotal, kSheets, kPaperCode}) {
    const std::string v = Get(r, f);
    if (v.empty()) continue;
    std::string stored;
    const model::RecordFile& rf = file.record_file;
    switch (f) {
      case kTitle: stored = rf.title; break;
      case kMaintenance: stored = rf.maintenance; break;
      case kFileLanguage: stored = rf.language; break;
      case kDocTotal: stored = std::to_string(rf.doc_total); break;
      case kSheets: stored = std::to_string(rf.number_of_paper); break;
      default: stored = rf.paper_file_code; break;
    }
    const bool numeric = f == kDocTotal || f == kSheets;
    const bool same = numeric ? (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                                 v.size() < 10 && std::stol(v) == std::stol(stored))
                              : FoldKey(v) == FoldKey(stored);
    if (!same) {
      Add(Severity::kWarning, "file-value-differs",
          "'" + v + "' differs from '" + stored + "' given on row " + std::to_string(file.row) + "; the first is kept",
          r.row, Label(f), &file.warnings);
    }
  }
}

std::string Interpreter::ResolvePath(const RowCtx& r, const std::string& raw) {
  std::string p = raw;
  std::replace(p.begin(), p.end(), '\\', '/');
  while (p.rfind("./", 0) == 0) p.erase(0, 2);
  const bool absolute = p.empty() || p[0] == '/' ||
                        (p.size() >= 2 && p[1] == ':' && std::isalpha(static_cast<unsigned char>(p[0])));
  bool dotdot = false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    const std::string_view comp(p.data() + start, end - start);
    if (comp == ".." || comp.empty()) dotdot = true;
    start = end + 1;
  }
  if (absolute || dotdot) {
    Error("bad-path", "'" + raw + "' must be a relative path inside the batch folder", r.row, kPath);
    return "";
  }
  const std::string full = JoinPath(base_, p);
  struct stat st {};
  if (lstat(full.c_str(), &st) != 0) {
    Error("missing-scan", "'" + raw + "' does not exist beside the sheet", r.row, kPath);
    return "";
  }
  if (!S_ISREG(st.st_mode)) {
    Error("bad-path", "'" + raw + "' is not a regular file (links are not followed)", r.row, kPath);
    return "";
  }
  return full;
}

void Interpreter::AddDocument(const RowCtx& r, BatchFile& file) {
  BatchDocument bd;
  bd.row = r.row;
  model::Document& d = bd.document;
  if (auto n = Int(r, kOrdinal, 1, 999)) {
    d.doc_ordinal = static_cast<int32_t>(*n);
  } else if (Get(r, kOrdinal).empty()) {
    d.doc_ordinal = static_cast<int32_t>(file.documents.size() + 1);
    Add(Severity::kWarning, "no-ordinal",
        "no số thứ tự; numbered " + std::to_string(d.doc_ordinal) + " by its place in the file", r.row,
        Label(kOrdinal), &bd.warnings);
  }
  for (const BatchDocument& other : file.documents) {
    if (d.doc_ordinal != 0 && other.document.doc_ordinal == d.doc_ordinal) {
      Error("duplicate-ordinal", "số thứ tự " + std::to_string(d.doc_ordinal) + " already used on row " +
                                     std::to_string(other.row), r.row, kOrdinal);
    }
  }
  d.type_name = Get(r, kTypeName);
  std::string number = Get(r, kDocNumber);
  const Cell* nc = CellOf(r, kDocNumber);
  if (nc != nullptr && nc->number) number = nc->text;
  std::string notation = CleanNotation(Get(r, kDocNotation));
  if (const size_t slash = number.find('/'); slash != std::string::npos) {
    // "12/QĐ-UBND" written in the number column.
    if (notation.empty()) notation = CleanNotation(number.substr(slash + 1));
    number = number.substr(0, slash);
  }
  number = CleanNotation(number);
  if (!number.empty() && !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    Error("bad-number", "'" + Get(r, kDocNumber) + "' is not a document number", r.row, kDocNumber);
    number.clear();
  }
  d.code_number = number;
  d.code_notation = notation;
  if (number.empty()) {
    Add(Severity::kWarning, "no-number", "the document has no number (kept as is)", r.row, Label(kDocNumber),
        &bd.warnings);
  }
  if (auto dt = Date(r, kDocDate)) {
    d.issued_date = *dt;
  } else if (!Has(r, kDocDate)) {
    Error("missing-value", "the document has no date", r.row, kDocDate);
  }
  d.organ_name = Get(r, kOrganName);
  d.subject = Get(r, kSubject);
  d.language = Get(r, kDocLanguage).empty() ? file.record_file.language : Get(r, kDocLanguage);
  d.description = Get(r, kDocNote);
  if (auto n = Int(r, kPages, 0, 999)) d.page_amount = static_cast<int32_t>(*n);
  d.access = Mode(r, kDocMode).value_or(file.record_file.rights);
  d.direction = model::Direction::kIncoming;
  const std::pair<int, const char*> extras[] = {
      {kAutograph, "autograph"}, {kProcess, "process"},     {kSheetNo, "sheetNumber"},
      {kDocType, "docType"},     {kDocInforSign, "inforSign"}, {kDocKeyword, "keyword"},
      {kDocConfidence, "confidenceLevel"}, {kDocPhysical, "format"}};
  for (const auto& [f, name] : extras) {
    if (!Get(r, f).empty()) bd.extra[name] = f == kDocPhysical ? Physical(r, f) : Get(r, f);
  }
  if (d.organ_name.empty()) Error("missing-value", "the issuing body is missing", r.row, kOrganName);
  if (d.subject.empty()) Error("missing-value", "the trích yếu is missing", r.row, kSubject);
  bd.declared_path = Get(r, kPath);
  if (bd.declared_path.empty()) {
    Error("missing-value", "no scan path", r.row, kPath);
  } else {
    bd.scan_path = ResolvePath(r, bd.declared_path);
  }
  if (!bd.scan_path.empty() && d.page_amount > 0) {
    const auto counter = options_.page_counter ? options_.page_counter : CountPdfPages;
    if (auto pages = counter(bd.scan_path); pages && *pages != d.page_amount) {
      Add(Severity::kWarning, "page-count",
          "the sheet says " + std::to_string(d.page_amount) + " pages, the scan has " + std::to_string(*pages),
          r.row, Label(kPages), &bd.warnings);
    }
  }
  file.documents.push_back(std::move(bd));
}

void Interpreter::FinishFile(BatchFile& file, size_t index) {
  FileExtra& x = extras_[index];
  model::RecordFile& rf = file.record_file;
  std::vector<std::string> notes;
  if (!x.chu_giai.empty()) notes.push_back(x.chu_giai);
  if (!x.file_note.empty()) notes.push_back(x.file_note);
  for (size_t i = 0; i < notes.size(); ++i) rf.description += (i ? "; " : "") + notes[i];
  int32_t year = 0;
  for (const std::string* d : {&rf.start_date, &rf.end_date}) {
    if (year == 0 && d->size() >= 4) year = static_cast<int32_t>(std::stoi(d->substr(0, 4)));
  }
  for (const BatchDocument& bd : file.documents) {
    if (year == 0 && bd.document.issued_date.size() >= 4) year = std::stoi(bd.document.issued_date.substr(0, 4));
  }
  if (year == 0) Error("no-year", "no start, end or document date gives the hồ sơ its year", file.row, kStartDate);
  rf.file_code.organ_id = options_.organ_id;
  rf.file_code.file_catalog = year;
  // "Số và ký hiệu hồ sơ" alone when it is already dotted ("K4.01.01"),
  // else mục lục, hộp and số joined with dots.
  if (x.notation.find('.') != std::string::npos) {
    rf.file_code.file_notation = x.notation;
  } else {
    for (const std::string* s : {&x.muc_luc, &x.hop_so, &x.notation}) {
      if (s->empty()) continue;
      rf.file_code.file_notation += (rf.file_code.file_notation.empty() ? "" : ".") + *s;
    }
  }
  file.arc_file_code = options_.organ_id + (x.phong.empty() ? "" : "." + x.phong) + "." + std::to_string(year) + "." +
                       rf.file_code.file_notation;
  int32_t pages = 0;
  for (BatchDocument& bd : file.documents) {
    model::Document& d = bd.document;
    d.file_code = rf.file_code;
    char ord[8];
    std::snprintf(ord, sizeof ord, "%03d", d.doc_ordinal);
    d.id = file.arc_file_code + "." + ord;
    pages += d.page_amount;
    if (!bd.scan_path.empty()) {
      std::string stem = bd.scan_path.substr(bd.scan_path.rfind('/') + 1);
      if (const size_t dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
      const bool looks_coded = stem.size() > 4 && stem[stem.size() - 4] == '.' &&
                               std::all_of(stem.end() - 3, stem.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (looks_coded && stem != d.id) {
        Add(Severity::kWarning, "scan-name", "the scan is named '" + stem + "', the document's code is " + d.id,
            bd.row, Label(kPath), &bd.warnings);
      }
    }
    const model::Problems problems = d.Validate();
    for (const model::FieldProblem& fp : problems.list()) {
      // Problems already reported from the cells are not repeated.
      if (fp.field == "issued_date" || fp.field == "organ_name" || fp.field == "subject") continue;
      Add(Severity::kError, "invalid-document", fp.field + ": " + fp.message, bd.row, "");
    }
  }
  rf.page_total = pages;
  const size_t delivered = file.documents.size();
  if (rf.doc_total > 0 && static_cast<size_t>(rf.doc_total) > delivered) {
    Add(Severity::kWarning, "partial-file",
        "the hồ sơ declares " + std::to_string(rf.doc_total) + " documents; this batch delivers " +
            std::to_string(delivered),
        file.row, Label(kDocTotal), &file.warnings);
  } else if (rf.doc_total > 0 && static_cast<size_t>(rf.doc_total) < delivered) {
    Add(Severity::kWarning, "doc-total", "the hồ sơ declares " + std::to_string(rf.doc_total) +
                                             " documents but the sheet lists " + std::to_string(delivered),
        file.row, Label(kDocTotal), &file.warnings);
  }
  if (delivered == 0) {
    Add(Severity::kWarning, "empty-file", "the hồ sơ has no document rows", file.row, "", &file.warnings);
  }
  const model::Problems rf_problems = rf.Validate();
  for (const model::FieldProblem& fp : rf_problems.list()) {
    if (fp.field == "title" || fp.field.rfind("file_code.", 0) == 0) continue;
    Add(Severity::kError, "invalid-file", fp.field + ": " + fp.message, file.row, "");
  }
  if (!rf.file_code.file_notation.empty()) {
    model::Problems p;
    rf.file_code.Validate(p, "file_code.");
    for (const model::FieldProblem& fp : p.list()) {
      if (fp.field == "file_code.file_catalog" && year == 0) continue;
      Add(Severity::kError, "invalid-file", fp.field + ": " + fp.message, file.row, Label(kFileNotation));
    }
  }
}

BatchReport Interpreter::Run() {
  if (sheet_.rows.empty()) {
    Add(Severity::kError, "empty-sheet", "the sheet has no rows", 0, "");
    return std::move(report_);
  }
  if (!FindLayout()) return std::move(report_);
  for (const std::string& n : sheet_.notes) Add(Severity::kWarning, "sheet-note", n, 0, "");
  long current = -1;
  for (size_t i = layout_.data_from; i < sheet_.rows.size(); ++i) {
    RowCtx r{sheet_.row_numbers[i], &sheet_.rows[i]};
    const bool file_cells = Has(r, kPhong) || Has(r, kMucLuc) || Has(r, kHopSo) || Has(r, kFileNotation) ||
                            Has(r, kTitle);
    const bool doc_cells = Has(r, kOrdinal) || Has(r, kTypeName) || Has(r, kDocNumber) || Has(r, kDocNotation) ||
                           Has(r, kSubject) || Has(r, kPath) || Has(r, kOrganName) || Has(r, kDocDate);
    if (file_cells) {
      const std::string key = FileKey(Get(r, kPhong), Get(r, kMucLuc), Get(r, kHopSo), Get(r, kFileNotation));
      auto it = std::find(file_keys_.begin(), file_keys_.end(), key);
      if (it == file_keys_.end()) {
        StartFile(r, key);
        current = static_cast<long>(report_.files.size() - 1);
      } else {
        const long found = static_cast<long>(it - file_keys_.begin());
        if (found != current) {
          Add(Severity::kWarning, "file-rows-apart",
              "this hồ sơ was started on row " + std::to_string(report_.files[static_cast<size_t>(found)].row) +
                  "; its rows are not together",
              r.row, Label(kFileNotation), &report_.files[static_cast<size_t>(found)].warnings);
        }
        current = found;
        CheckFileRepeat(r, report_.files[static_cast<size_t>(current)]);
      }
    }
    if (doc_cells) {
      if (current < 0) {
        Add(Severity::kError, "document-without-file", "a document row before any hồ sơ", r.row, "");
        continue;
      }
      AddDocument(r, report_.files[static_cast<size_t>(current)]);
    } else if (!file_cells) {
      Add(Severity::kWarning, "unused-row", "the row has neither hồ sơ nor document columns filled", r.row, "");
    }
  }
  for (size_t i = 0; i < report_.files.size(); ++i) FinishFile(report_.files[i], i);
  std::stable_sort(report_.problems.begin(), report_.problems.end(),
                   [](const BatchProblem& a, const BatchProblem& b) { return a.row < b.row; });
  return std::move(report_);
}

}  // namespace

bool BatchReport::ok() const { return errors() == 0; }

size_t BatchReport::errors() const {
  return static_cast<size_t>(std::count_if(problems.begin(), problems.end(),
                                           [](const BatchProblem& p) { return p.severity == Severity::kError; }));
}

Result<BatchReport> InterpretSheet(const Sheet& sheet, const std::string& base_dir, const BatchOptions& options) {
  if (options.organ_id.empty() || !model::IsLenientOrganId(options.organ_id)) {
    return InvalidArgumentError("organ id '" + options.organ_id + "' is not a mã định danh");
  }
  Interpreter in(sheet, base_dir, options);
  return in.Run();
}

Result<BatchReport> ReadBatch(const std::string& sheet_path, const BatchOptions& options, const SheetLimits& limits) {
  std::string ext = sheet_path.substr(sheet_path.rfind('.') == std::string::npos ? sheet_path.size()
                                                                                   : sheet_path.rfind('.'));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".csv" && ext != ".xlsx") {
    return InvalidArgumentError(sheet_path + ": a metadata sheet must be .xlsx or .csv");
  }
  KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(sheet_path, limits.max_bytes));
  Result<Sheet> sheet = ext == ".csv" ? ReadCsv(bytes, limits) : ReadXlsx(bytes, limits);
  if (!sheet.ok()) return sheet.status();
  return InterpretSheet(*sheet, DirName(sheet_path), options);
}

std::optional<int> CountPdfPages(const std::string& path) {
  auto bytes = ReadFileToString(path, 1ull << 30);
  if (!bytes.ok() || bytes->rfind("%PDF-", 0) != 0) return std::nullopt;
  const std::string& b = *bytes;
  if (b.find("/ObjStm") != std::string::npos) {
    // Page objects hidden in compressed object streams: walk the page tree
    // with the full PDF parser instead.
    Result<pdf::PdfaReport> report = pdf::ValidatePdfa(b, pdf::PdfaProfile::k2b);
    if (!report.ok() || report->pages < 0) return std::nullopt;
    return report->pages;
  }
  int pages = 0;
  size_t pos = 0;
  while ((pos = b.find("/Type", pos)) != std::string::npos) {
    pos += 5;
    size_t q = pos;
    while (q < b.size() && (b[q] == ' ' || b[q] == '\r' || b[q] == '\n' || b[q] == '\t')) ++q;
    if (b.compare(q, 5, "/Page") == 0 && (q + 5 >= b.size() || !std::isalnum(static_cast<unsigned char>(b[q + 5])))) {
      ++pages;
    }
  }
  return pages > 0 ? std::optional<int>(pages) : std::nullopt;
}

}  // namespace kholuu::formats::batch
