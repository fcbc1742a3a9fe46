// Hồ sơ (record file): NĐ 30/2020 Phụ lục VI Phần II.III and TT 05/2025 fields.
#pragma once

#include <cstdint>
#include <string>

#include "archive/model/validation.h"

namespace kholuu::model {

// FileCode = OrganId + FileCatalog (year the file was formed) + FileNotation.
struct FileCode {
  std::string organ_id;       // String(13)
  int32_t file_catalog = 0;   // Number(4): year
  std::string file_notation;  // String(20): số và ký hiệu hồ sơ, e.g. "01.TCCB"

  // Canonical text "OrganId.FileCatalog.FileNotation", e.g.
  // "000.00.00.G22.2024.01.TCCB". This is the record file's catalog key.
  std::string ToString() const;
  // Parses the canonical text. Rule, applied to the dot-separated segments:
  //  1. If the first four segments form a strict organ id (IsStrictOrganId),
  //     they are the organ id; the fifth must be the year; the rest, joined
  //     with dots, is the notation.
  //  2. Otherwise (dirty ids such as "28.22.H17" or "H37.DN.001") the year is
  //     the LEFTMOST segment after the first that is exactly four digits with a
  //     value in 1900..2200; the segments before it are the organ id, which must
  //     be lenient-valid (IsLenientOrganId); the rest is the notation. An organ
  //     id that itself contains such a segment is therefore not recoverable.
  // In both cases the year is four digits in 1900..2200 and the notation is
  // non-empty valid UTF-8 (it may contain dots: "01.TCCB").
  // Errors: kInvalidArgument naming what is wrong.
  static Result<FileCode> Parse(const std::string& text);

  // Adds problems for this file code, field names prefixed by `prefix`
  // (e.g. "file_code."): organ_id required and lenient-valid; file_catalog
  // in 1900..2200; file_notation required, single line, ≤ 20.
  void Validate(Problems& p, const std::string& prefix) const;

  friend bool operator==(const FileCode&, const FileCode&) = default;
};

// Chế độ sử dụng / mức độ tiếp cận (TT 02/2019 code list "mode").
enum class AccessLevel : int32_t {
  kPublic = 1,       // 01 Công khai
  kConditional = 2,  // 02 Sử dụng có điều kiện
  kSecret = 3,       // 03 Mật
};

// Mức độ tin cậy (confidenceLevel).
enum class Confidence : int32_t {
  kUnset = 0,
  kBornDigital = 1,  // 01 Gốc điện tử
  kDigitised = 2,    // 02 Số hóa
  kMixed = 3,        // 03 Hỗn hợp
};

// Value type; no shared state.
struct RecordFile {
  FileCode file_code;
  std::string title;             // Title ≤ 500, required
  std::string maintenance;       // thời hạn bảo quản ≤ 30, e.g. "Vĩnh viễn", "10 năm"
  AccessLevel rights = AccessLevel::kPublic;
  std::string creator;           // người lập hồ sơ ≤ 30
  std::string language;          // ≤ 50, e.g. "Tiếng Việt" or code "01"
  std::string start_date;        // YYYY-MM-DD
  std::string end_date;          // YYYY-MM-DD, not before start_date
  int32_t doc_total = 0;         // Number(4)
  int32_t page_total = 0;        // Number(4)
  std::string description;       // ≤ 500
  // TT 05/2025 / TT 02/2019 extras.
  std::string keywords;          // từ khóa
  int32_t number_of_paper = 0;   // số tờ (digitised only)
  std::string physical_state;    // tình trạng vật lý code ("01" tốt ...)
  std::string infor_sign;        // ký hiệu thông tin
  Confidence confidence = Confidence::kUnset;
  std::string paper_file_code;   // mã hồ sơ gốc giấy
  bool risk_recovery = false;    // chế độ dự phòng
  std::string risk_recovery_status;
  std::string fonds_code;        // mã phông
  int64_t created_micros = 0;    // when the archive accepted it

  // Every problem at once; field names as in this struct. Rules: file_code
  // as FileCode::Validate; title required; lengths from NĐ 30 Phụ lục VI III;
  // rights and confidence in range; dates calendar dates, end_date not before
  // start_date; doc_total, page_total, number_of_paper in 0..9999;
  // risk_recovery_status only when risk_recovery; created_micros ≥ 0.
  Problems Validate() const;

  friend bool operator==(const RecordFile&, const RecordFile&) = default;
};

}  // namespace kholuu::model
