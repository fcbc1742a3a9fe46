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

  friend bool operator==(const SignerInfo&, const SignerInfo&) = default;
};

struct Recipient {
  std::string organ_id;    // ≤ 13
  std::string organ_name;  // ≤ 200

  friend bool operator==(const Recipient&, const Recipient&) = default;
};

enum class Direction : int32_t { kOutgoing = 1, kIncoming = 2, kInternal = 3 };

// Value type; no shared state.
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
  // Why the archive could not make a checked preservation copy (empty: no
  // known risk). Set by the preservation step; the original then remains the
  // only preservation object. ≤ 2000, line breaks allowed.
  std::string preservation_risk;

  // Duplicate-detection key: (số, ký hiệu, cơ quan ban hành, năm), with the
  // notation upper-cased and the organ taken from organ_id when present, else
  // organ_name. Empty if number or notation is missing.
  // Exact form: number + US + notation + US + organ + US + year, where US is
  // '\x1f' (rejected by Validate in every part), the number has its leading
  // zeros removed ("05" and "5" are the same số), the notation has ASCII a-z
  // and U+0111 'đ' upper-cased (to A-Z and U+0110 'Đ'), and the year is the
  // first four characters of issued_date, or empty if that is not a date.
  std::string DuplicateKey() const;

  // Every problem at once; field names as in this struct, with indices for
  // the lists ("signers[1].full_name"). Rules: id, issued_date, organ_name,
  // subject required; file_code as FileCode::Validate; doc_ordinal 1..999;
  // direction, access in range; lengths from NĐ 30 Phụ lục VI II; code_number
  // ASCII digits only when present; organ ids lenient-valid when present;
  // dates calendar dates; page_amount, issued_amount 0..999; priority 0..9;
  // arrival_number 0..9999999999; every signer and recipient non-empty;
  // created_micros ≥ 0.
  Problems Validate() const;

  friend bool operator==(const Document&, const Document&) = default;
};

}  // namespace kholuu::model
