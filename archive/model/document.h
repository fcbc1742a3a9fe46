// Văn bản (document): NĐ 30/2020 Phụ lục VI Phần II.I (outgoing) and II.II
// (incoming) fields, plus the edXML identifiers it arrived with.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/model/record_file.h"
#include "archive/model/validation.h"

namespace kholuu::model {

struct SignerInfo {
  std::string position;   // chức vụ ≤ 100
  std::string full_name;  // họ và tên ≤ 50
};

struct Recipient {
  std::string organ_id;    // ≤ 13
  std::string organ_name;  // ≤ 200
};

enum class Direction : int32_t { kOutgoing = 1, kIncoming = 2, kInternal = 3 };

struct Document {
  std::string id;            // archive id (docCode: file code + "." + ordinal)
  FileCode file_code;        // the hồ sơ it belongs to
  int32_t doc_ordinal = 0;   // Number(3), 1..999
  Direction direction = Direction::kOutgoing;
  std::string type_name;     // tên loại ≤ 100 (Quyết định, Công văn, ...)
  std::string code_number;   // số ≤ 11, e.g. "05"
  std::string code_notation; // ký hiệu ≤ 30, e.g. "QĐ-BNV"
  std::string issued_date;   // YYYY-MM-DD, required
  std::string organ_id;      // issuing body's mã định danh
  std::string organ_name;    // ≤ 200, required
  std::string subject;       // trích yếu ≤ 500, required
  std::string language;      // ≤ 30
  int32_t page_amount = 0;   // Number(3)
  std::string description;   // ≤ 500
  std::vector<SignerInfo> signers;
  std::vector<Recipient> to;
  int32_t priority = 0;      // mức độ khẩn, độ mật: 0..9 (Number(1))
  int32_t issued_amount = 0; // Number(3)
  std::string due_date;      // YYYY-MM-DD
  // Incoming only.
  std::string arrival_date;  // YYYY-MM-DD
  int64_t arrival_number = 0;
  std::string to_places;     // ≤ 1000
  std::string trace_header;  // TraceHeaderList, long text
  // edXML provenance.
  std::string edxml_document_id;  // "OrganId,YYYY/MM/DD,Number/Notation"
  AccessLevel access = AccessLevel::kPublic;
  int64_t created_micros = 0;

  // Duplicate-detection key: (số, ký hiệu, cơ quan ban hành, năm), with the
  // notation upper-cased and the organ taken from organ_id when present, else
  // organ_name. Empty if number or notation is missing.
  std::string DuplicateKey() const;

  Problems Validate() const;
};

}  // namespace kholuu::model
