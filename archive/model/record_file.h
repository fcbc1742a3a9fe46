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
  // Parses the canonical text: the first four dot segments are the organ id
  // when strict, then a 4-digit year, then the notation. Errors: kInvalidArgument.
  static Result<FileCode> Parse(const std::string& text);

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

  // Every problem at once; field names as in this struct.
  Problems Validate() const;
};

}  // namespace kholuu::model
