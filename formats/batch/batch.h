// Digitisation batches: a metadata sheet (XLSX or CSV) listing hồ sơ and
// their documents, beside a folder of scans, as Vietnamese digitisation
// projects deliver them. The sheet readers return cells; InterpretSheet turns
// cells into record files and documents and reports every problem with its
// row and column. Columns, messiness rules and codes: docs/formats/batch.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "archive/model/document.h"
#include "archive/model/record_file.h"

namespace kholuu::formats::batch {

// ---------------------------------------------------------------- sheets

struct Cell {
  std::string text;       // as shown: numbers without a trailing ".0"
  bool number = false;    // stored as a number (XLSX); CSV cells never are
  double value = 0;       // when `number`
  bool date = false;      // a number whose cell style is a date format
};

// Rows in sheet order; `rows[i]` is sheet row `row_numbers[i]` (1-based), and
// cells[j] is column j+1 (A = 1). Empty trailing cells may be absent.
struct Sheet {
  std::vector<std::vector<Cell>> rows;
  std::vector<size_t> row_numbers;
  std::vector<std::string> notes;  // reader remarks (e.g. the CSV encoding used)
};

struct SheetLimits {
  uint64_t max_bytes = 64u << 20;        // the sheet file (XLSX: compressed)
  uint64_t max_xml_bytes = 256u << 20;   // each XML part of an XLSX, uncompressed
  size_t max_rows = 100000;
  size_t max_columns = 1000;
  size_t max_cell_bytes = 32768;
};

// CSV (RFC 4180 quoting; ',', ';' or tab, detected from the first line; CRLF
// or LF). Encoding: UTF-8 (BOM optional), UTF-16 with BOM, else Windows-1258
// (noted in Sheet::notes). Errors: kInvalidArgument (unterminated quote,
// undecodable bytes), kResourceExhausted (limits).
Result<Sheet> ReadCsv(std::string_view bytes, const SheetLimits& limits = {});

// The first worksheet of an XLSX workbook, read with the safe archive reader
// and libxml2: shared strings (rich text joined), inline strings, formula
// strings, numbers, booleans, and date cells (by cell style, 1900 or 1904
// date system). Errors: kInvalidArgument (not a workbook, malformed XML, bad
// cell references), kResourceExhausted (limits, zip bomb).
Result<Sheet> ReadXlsx(std::string_view bytes, const SheetLimits& limits = {});

// ---------------------------------------------------------------- batches

enum class Severity { kError, kWarning };

struct BatchProblem {
  Severity severity = Severity::kError;
  std::string code;     // stable, e.g. "missing-scan", "invalid-date"
  std::string message;  // for a person, in English, quoting the cell
  size_t row = 0;       // sheet row (1-based); 0 when not about one row
  std::string column;   // column letter(s) and header, e.g. "H (Tiêu đề hồ sơ)"; "" if none
};

struct BatchDocument {
  model::Document document;
  size_t row = 0;
  std::string scan_path;       // resolved absolute path of the scan ("" if unresolved)
  std::string declared_path;   // as written in the sheet
  // Sheet values without a place in model::Document, under TT05 names:
  // autograph, process, sheetNumber, docType, inforSign, keyword,
  // confidenceLevel, format.
  std::map<std::string, std::string> extra;
  std::vector<BatchProblem> warnings;  // kept with the record
};

struct BatchFile {
  model::RecordFile record_file;
  std::string arc_file_code;  // organ.[phông.]year.notation (TT05 style)
  size_t row = 0;             // first sheet row of this file
  std::vector<BatchDocument> documents;
  std::vector<BatchProblem> warnings;  // kept with the record
};

struct BatchReport {
  std::vector<BatchFile> files;
  std::vector<BatchProblem> problems;  // every error and warning, in row order
  bool ok() const;                     // no error
  size_t errors() const;
};

struct BatchOptions {
  // Mã định danh of the agency whose records these are (the sheet does not
  // carry it). Required, lenient-valid.
  std::string organ_id;
  // Counts the pages of a scan; nullopt when it cannot tell. Default: a
  // conservative PDF scan (CountPdfPages).
  std::function<std::optional<int>(const std::string& path)> page_counter;
};

// Interprets a sheet whose scans are relative to `base_dir` (the folder that
// holds the sheet). Problems with the data go into the report; a non-OK
// status only for a bad `options.organ_id` (kInvalidArgument).
Result<BatchReport> InterpretSheet(const Sheet& sheet, const std::string& base_dir,
                                   const BatchOptions& options);

// Reads `sheet_path` (.xlsx or .csv, by extension, case-insensitive) and
// interprets it with the scans relative to its folder. Errors: as ReadFile,
// ReadCsv, ReadXlsx, InterpretSheet; kInvalidArgument for another extension.
Result<BatchReport> ReadBatch(const std::string& sheet_path, const BatchOptions& options,
                              const SheetLimits& limits = {});

// Pages of a PDF: counted from its page objects, or, when they sit in
// compressed object streams, by walking the page tree with the PDF parser
// (formats/pdf). nullopt when the file is not a PDF or cannot be parsed.
std::optional<int> CountPdfPages(const std::string& path);

}  // namespace kholuu::formats::batch
