// CSV and XLSX sheet readers.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "formats/batch/batch.h"
#include "formats/common/text.h"
#include "formats/package/archive_reader.h"
#include "formats/common/internal/xml.h"

namespace kholuu::formats::batch {
namespace {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::Elements;
using internal::LocalName;
using internal::ParseXml;
using internal::Text;

Status AddCell(std::vector<Cell>& row, size_t col, Cell cell, const SheetLimits& limits, size_t row_no) {
  if (col >= limits.max_columns) {
    return ResourceExhaustedError("row " + std::to_string(row_no) + " has more than " +
                                  std::to_string(limits.max_columns) + " columns");
  }
  if (cell.text.size() > limits.max_cell_bytes) {
    return ResourceExhaustedError("row " + std::to_string(row_no) + ": a cell is longer than " +
                                  std::to_string(limits.max_cell_bytes) + " bytes");
  }
  if (row.size() <= col) row.resize(col + 1);
  row[col] = std::move(cell);
  return Status::Ok();
}

// ---------------------------------------------------------------- CSV

Result<std::string> DecodeCsv(std::string_view bytes, std::vector<std::string>* notes) {
  if (bytes.size() >= 2 && ((static_cast<unsigned char>(bytes[0]) == 0xff && static_cast<unsigned char>(bytes[1]) == 0xfe) ||
                            (static_cast<unsigned char>(bytes[0]) == 0xfe && static_cast<unsigned char>(bytes[1]) == 0xff))) {
    notes->push_back("CSV decoded from UTF-16");
    return ConvertToUtf8(bytes, "UTF-16");
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xef\xbb\xbf") bytes.remove_prefix(3);
  if (IsValidUtf8(bytes)) return std::string(bytes);
  auto cp = ConvertToUtf8(bytes, "CP1258");
  if (!cp.ok()) return InvalidArgumentError("CSV is neither UTF-8, UTF-16 nor Windows-1258");
  notes->push_back("CSV is not UTF-8; decoded as Windows-1258");
  return cp;
}

char DetectDelimiter(std::string_view text) {
  size_t counts[3] = {0, 0, 0};
  const char kDelims[3] = {',', ';', '\t'};
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (!quoted && (c == '\n' || c == '\r')) break;
    for (int i = 0; i < 3; ++i) {
      if (!quoted && c == kDelims[i]) ++counts[i];
    }
  }
  int best = 0;
  for (int i = 1; i < 3; ++i) {
    if (counts[i] > counts[best]) best = i;
  }
  return kDelims[best];
}

}  // namespace

Result<Sheet> ReadCsv(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.size() > limits.max_bytes) return ResourceExhaustedError("CSV is larger than the limit");
  Sheet sheet;
  KHOLUU_ASSIGN_OR_RETURN(std::string text, DecodeCsv(bytes, &sheet.notes));
  const char delim = DetectDelimiter(text);
  std::vector<Cell> row;
  std::string cell;
  size_t row_no = 1;
  size_t col = 0;
  bool quoted = false;
  bool was_quoted = false;
  size_t quote_row = 0;
  auto end_cell = [&]() -> Status {
    Cell c;
    auto nfc = ToNfc(cell);  // the text is UTF-8 by now; NFC cannot fail
    c.text = nfc.ok() ? std::move(*nfc) : cell;
    KHOLUU_RETURN_IF_ERROR(AddCell(row, col, std::move(c), limits, row_no));
    ++col;
    cell.clear();
    was_quoted = false;
    return Status::Ok();
  };
  auto end_row = [&]() -> Status {
    KHOLUU_RETURN_IF_ERROR(end_cell());
    bool blank = true;
    for (const Cell& c : row) blank = blank && c.text.empty();
    if (!blank) {
      if (sheet.rows.size() >= limits.max_rows) {
        return ResourceExhaustedError("CSV has more than " + std::to_string(limits.max_rows) + " rows");
      }
      sheet.rows.push_back(std::move(row));
      sheet.row_numbers.push_back(row_no);
    }
    row.clear();
    col = 0;
    ++row_no;
    return Status::Ok();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell.push_back(c);
      }
      if (cell.size() > limits.max_cell_bytes) {
        return ResourceExhaustedError("row " + std::to_string(row_no) + ": a cell is too long");
      }
      continue;
    }
    if (c == '"' && cell.empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
      quote_row = row_no;
    } else if (c == delim) {
      KHOLUU_RETURN_IF_ERROR(end_cell());
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      KHOLUU_RETURN_IF_ERROR(end_row());
    } else {
      cell.push_back(c);
      if (cell.size() > limits.max_cell_bytes) {
        return ResourceExhaustedError("row " + std::to_string(row_no) + ": a cell is too long");
      }
    }
  }
  if (quoted) {
    return InvalidArgumentError("CSV: the quoted cell opened on row " + std::to_string(quote_row) +
                                " is never closed");
  }
  if (!cell.empty() || col > 0) KHOLUU_RETURN_IF_ERROR(end_row());
  return sheet;
}

// ---------------------------------------------------------------- XLSX

namespace {

// "AB12" -> column 28 (1-based) and row 12. Errors: kInvalidArgument.
Status ParseRef(const std::string& ref, size_t* col, size_t* row) {
  size_t i = 0;
  size_t c = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    c = c * 26 + static_cast<size_t>(ref[i] - 'A' + 1);
    if (c > 16384) return InvalidArgumentError("cell reference '" + ref + "' is beyond column XFD");
    ++i;
  }
  size_t r = 0;
  const size_t digits_from = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9') {
    r = r * 10 + static_cast<size_t>(ref[i] - '0');
    if (r > 1048576) return InvalidArgumentError("cell reference '" + ref + "' is beyond row 1048576");
    ++i;
  }
  if (c == 0 || r == 0 || i != ref.size() || i == digits_from) {
    return InvalidArgumentError("'" + ref + "' is not a cell reference");
  }
  *col = c;
  *row = r;
  return Status::Ok();
}

// Text of a shared or inline string item: <t>, or runs <r><t>; phonetic
// runs (<rPh>) left out.
std::string StringItem(const xmlNode* si) {
  std::string out;
  for (const xmlNode* c : Elements(si)) {
    if (LocalName(c) == "t") out += Text(c);
    if (LocalName(c) == "r") out += Text(Child(c, "t"));
  }
  return out;
}

bool IsDateFormatCode(const std::string& code) {
  bool quoted = false;
  bool bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '[') bracket = true;
    if (c == ']') bracket = false;
    if (bracket) continue;
    if (c == 'd' || c == 'D' || c == 'y' || c == 'Y') return true;
  }
  return false;
}

std::string FormatNumber(double v) {
  if (std::isfinite(v) && std::fabs(v) < 1e15 && v == std::floor(v)) {
    return std::to_string(static_cast<long long>(v));
  }
  char b[64];
  std::snprintf(b, sizeof b, "%.15g", v);
  return b;
}

struct Parts {
  std::map<std::string, std::string> files;
};

Result<Parts> ReadParts(std::string_view bytes, const SheetLimits& limits) {
  package::ArchiveLimits al;
  al.max_entries = 10000;
  al.max_entry_bytes = limits.max_xml_bytes;
  al.max_total_bytes = 4 * limits.max_xml_bytes;
  // Spreadsheet XML compresses far better than scans; the size caps above
  // bound a bomb, the ratio only catches the absurd.
  al.max_ratio = 1000;
  KHOLUU_ASSIGN_OR_RETURN(package::ArchiveReader r, package::ArchiveReader::OpenMemory(bytes, al));
  Parts p;
  while (true) {
    KHOLUU_ASSIGN_OR_RETURN(std::optional<package::ArchiveEntry> e, r.Next());
    if (!e) break;
    if (e->type != package::EntryType::kFile) continue;
    const std::string& n = e->path;
    const bool wanted = n == "xl/workbook.xml" || n == "xl/_rels/workbook.xml.rels" ||
                        n == "xl/sharedStrings.xml" || n == "xl/styles.xml" ||
                        n.rfind("xl/worksheets/", 0) == 0;
    if (!wanted) continue;
    KHOLUU_ASSIGN_OR_RETURN(std::string data, r.ReadDataToString(limits.max_xml_bytes));
    p.files[n] = std::move(data);
  }
  return p;
}

}  // namespace

Result<Sheet> ReadXlsx(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.size() > limits.max_bytes) return ResourceExhaustedError("XLSX is larger than the limit");
  auto parts_or = ReadParts(bytes, limits);
  if (!parts_or.ok()) {
    Status s = parts_or.status();
    return Status(s.code(), "XLSX: " + s.message());
  }
  Parts& parts = *parts_or;
  if (!parts.files.count("xl/workbook.xml")) return InvalidArgumentError("XLSX: no xl/workbook.xml (not a workbook)");

  // The first sheet in workbook order, through the relationships.
  KHOLUU_ASSIGN_OR_RETURN(auto wb, ParseXml(parts.files["xl/workbook.xml"], "xl/workbook.xml"));
  const xmlNode* wb_root = xmlDocGetRootElement(wb.get());
  bool date1904 = false;
  if (const xmlNode* pr = Child(wb_root, "workbookPr"); pr != nullptr) {
    const std::string v = Attr(pr, "date1904");
    date1904 = v == "1" || v == "true";
  }
  std::string sheet_path;
  const xmlNode* first = Child(Child(wb_root, "sheets"), "sheet");
  if (first == nullptr) return InvalidArgumentError("XLSX: the workbook lists no sheet");
  const std::string rid =
      Attr(first, "id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
  if (parts.files.count("xl/_rels/workbook.xml.rels") && !rid.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(auto rels, ParseXml(parts.files["xl/_rels/workbook.xml.rels"], "workbook.xml.rels"));
    for (const xmlNode* rel : Children(xmlDocGetRootElement(rels.get()), "Relationship")) {
      if (Attr(rel, "Id") != rid) continue;
      std::string target = Attr(rel, "Target");
      if (target.rfind("/xl/", 0) == 0) target.erase(0, 1);
      else target = "xl/" + target;
      sheet_path = target;
    }
  }
  if (sheet_path.empty()) sheet_path = "xl/worksheets/sheet1.xml";
  if (!parts.files.count(sheet_path)) return InvalidArgumentError("XLSX: no worksheet " + sheet_path);

  std::vector<std::string> shared;
  if (parts.files.count("xl/sharedStrings.xml")) {
    KHOLUU_ASSIGN_OR_RETURN(auto ss, ParseXml(parts.files["xl/sharedStrings.xml"], "xl/sharedStrings.xml"));
    for (const xmlNode* si : Children(xmlDocGetRootElement(ss.get()), "si")) shared.push_back(StringItem(si));
  }
  std::vector<bool> xf_is_date;
  if (parts.files.count("xl/styles.xml")) {
    KHOLUU_ASSIGN_OR_RETURN(auto st, ParseXml(parts.files["xl/styles.xml"], "xl/styles.xml"));
    const xmlNode* root = xmlDocGetRootElement(st.get());
    std::set<long> date_fmts = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47};
    for (const xmlNode* nf : Children(Child(root, "numFmts"), "numFmt")) {
      if (IsDateFormatCode(Attr(nf, "formatCode"))) date_fmts.insert(std::strtol(Attr(nf, "numFmtId").c_str(), nullptr, 10));
    }
    for (const xmlNode* xf : Children(Child(root, "cellXfs"), "xf")) {
      xf_is_date.push_back(date_fmts.count(std::strtol(Attr(xf, "numFmtId").c_str(), nullptr, 10)) > 0);
    }
  }

  KHOLUU_ASSIGN_OR_RETURN(auto ws, ParseXml(parts.files[sheet_path], sheet_path));
  const xmlNode* data = Child(xmlDocGetRootElement(ws.get()), "sheetData");
  Sheet sheet;
  size_t next_row = 1;
  for (const xmlNode* r : Children(data, "row")) {
    size_t row_no = next_row;
    if (const std::string rr = Attr(r, "r"); !rr.empty()) {
      const long v = std::strtol(rr.c_str(), nullptr, 10);
      if (v < static_cast<long>(next_row) || v > 1048576) {
        return InvalidArgumentError(sheet_path + ": row number '" + rr + "' out of order");
      }
      row_no = static_cast<size_t>(v);
    }
    next_row = row_no + 1;
    std::vector<Cell> row;
    size_t next_col = 1;
    for (const xmlNode* c : Children(r, "c")) {
      size_t col = next_col;
      if (const std::string ref = Attr(c, "r"); !ref.empty()) {
        size_t ref_row = 0;
        KHOLUU_RETURN_IF_ERROR(ParseRef(ref, &col, &ref_row));
        if (ref_row != row_no) return InvalidArgumentError(sheet_path + ": cell " + ref + " is not in row " + std::to_string(row_no));
      }
      next_col = col + 1;
      const std::string t = Attr(c, "t");
      const std::string v = Text(Child(c, "v"));
      Cell cell;
      if (t == "s") {
        char* end = nullptr;
        const unsigned long idx = std::strtoul(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || idx >= shared.size()) {
          return InvalidArgumentError(sheet_path + ": row " + std::to_string(row_no) +
                                      " refers to shared string '" + v + "', which does not exist");
        }
        cell.text = shared[idx];
      } else if (t == "inlineStr") {
        cell.text = StringItem(Child(c, "is"));
      } else if (t == "str" || t == "e" || t == "d") {
        cell.text = v;
      } else if (t == "b") {
        cell.text = v == "1" ? "TRUE" : "FALSE";
      } else if (!v.empty()) {
        char* end = nullptr;
        const double d = std::strtod(v.c_str(), &end);
        if (*end != '\0' || !std::isfinite(d)) {
          return InvalidArgumentError(sheet_path + ": row " + std::to_string(row_no) + ": '" + v + "' is not a number");
        }
        cell.number = true;
        cell.value = d;
        cell.text = FormatNumber(d);
        const long s = std::strtol(Attr(c, "s").c_str(), nullptr, 10);
        if (s >= 0 && static_cast<size_t>(s) < xf_is_date.size() && xf_is_date[static_cast<size_t>(s)]) {
          cell.date = true;
          if (date1904) cell.value += 1462;  // to the 1900 system
        }
      }
      if (!cell.text.empty()) {
        auto nfc = ToNfc(cell.text);
        if (!nfc.ok()) return InvalidArgumentError(sheet_path + ": row " + std::to_string(row_no) + ": text is not UTF-8");
        cell.text = *nfc;
      }
      KHOLUU_RETURN_IF_ERROR(AddCell(row, col - 1, std::move(cell), limits, row_no));
    }
    bool blank = true;
    for (const Cell& cl : row) blank = blank && cl.text.empty();
    if (blank) continue;
    if (sheet.rows.size() >= limits.max_rows) {
      return ResourceExhaustedError("XLSX has more than " + std::to_string(limits.max_rows) + " rows");
    }
    sheet.rows.push_back(std::move(row));
    sheet.row_numbers.push_back(row_no);
  }
  return sheet;
}

}  // namespace kholuu::formats::batch
