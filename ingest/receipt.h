// Receipts for the sending agency, built on request from the catalog (never
// at ingest, which stays fast): for an accepted package the transfer receipt
// (biên bản giao nhận hồ sơ, tài liệu) with the file list (mục lục hồ sơ and
// mục lục văn bản) attached; for a refused one the refusal notice (thông báo
// từ chối tiếp nhận) listing every problem. Rendered as JSON (the stable
// shape of docs/ingest.md "Receipts") and as PDF/A-2b with Vietnamese text
// (formats/pdf document_writer), validated by our own validator and sealed
// with the archive's key when one is installed.
//
// Thread-safety: the functions are reentrant; BuildReceipt reads the catalog
// in one read transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/base/status.h"
#include "archive/model/job.h"
#include "ingest/service.h"

namespace kholuu::ingest {

struct ReceiptOriginal {
  std::string component;   // component id
  std::string name;        // file name as received
  std::string media_type;
  uint64_t size = 0;
  std::string sha256;      // hex
};

// One document of the file list (mục lục văn bản).
struct ReceiptListEntry {
  int ordinal = 0;          // số thứ tự in the list, from 1
  std::string id;           // the archive's document id
  std::string file_code;    // the record file it belongs to
  std::string type_name;    // tên loại
  std::string code_number;  // số
  std::string code_notation;  // ký hiệu
  std::string code;         // "05/QĐ-VPCP" (number/notation, either may be missing)
  std::string issued_date;  // YYYY-MM-DD
  std::string organ_id;     // tác giả: cơ quan ban hành
  std::string organ_name;
  std::string subject;      // trích yếu
  int pages = 0;            // số trang (0: not given)
  std::string maintenance;  // thời hạn bảo quản (the record file's)
  std::string preservation_risk;
  std::vector<ReceiptOriginal> originals;
};

// One record file (hồ sơ) of the list (mục lục hồ sơ).
struct ReceiptRecordFile {
  std::string file_code;
  std::string title;
  std::string maintenance;  // thời hạn bảo quản
  std::string start_date, end_date;
  int documents = 0;        // documents of this package in it
  int pages = 0;            // their pages (sum of số trang), or the file's page_total when larger
  int number_of_paper = 0;  // số tờ (digitised files)
  std::string creator;
  std::string language;
};

enum class ReceiptKind {
  kTransfer,  // biên bản giao nhận (accepted package)
  kRefusal,   // thông báo từ chối (refused package)
  kNone,      // the job was interrupted ("received" or "abandoned"): nothing to certify
};
// "transfer_receipt", "refusal_notice", "none".
std::string_view ReceiptKindName(ReceiptKind k);

struct TransferReceipt {
  ReceiptKind kind = ReceiptKind::kNone;
  std::string number;        // the receipt's number: "BB-" or "TB-" + first 12 hex of the job
  std::string job;           // the package's SHA-256 (hex)
  std::string package;       // the name it was submitted under
  std::string package_kind;  // "edxml", "bagit", "mets", "batch", "sidecar"
  std::string state;         // the job's state (model::JobStateName)
  std::string submitted_by;  // the job's actor
  int64_t received_micros = 0;
  int64_t finished_micros = 0;
  int64_t issued_micros = 0;  // when this receipt was built
  std::string sender_organ_id, sender_organ_name;      // bên giao ("" when unknown)
  std::string receiver_organ_id, receiver_organ_name;  // bên nhận: the archive
  std::vector<ReceiptRecordFile> record_files;
  std::vector<ReceiptListEntry> documents;
  int total_pages = 0;
  size_t total_originals = 0;
  uint64_t total_bytes = 0;
  std::vector<model::JobProblem> problems;  // errors (refusal) and warnings
  std::string detail;
};

struct ReceiptOptions {
  // The archive, bên nhận (as IngestOptions).
  std::string archive_organ_id = "000.00.00.A00";
  std::string archive_organ_name = "Kho lưu trữ điện tử";
  int64_t now_micros = 0;  // issued time; 0 = the current time
};

// The job whose id is `job` (its full SHA-256, or a unique prefix of at
// least 8 hex digits). Errors: kInvalidArgument for a malformed id;
// kNotFound when no job has it; kFailedPrecondition for an ambiguous prefix.
Result<model::IngestJob> FindJob(Service& service, const std::string& job);

// Builds the receipt of `job` (as FindJob) from the catalog: its record
// file(s), documents with their originals, and problems. Errors: as FindJob;
// kDataLoss when a document or component the job names is missing.
Result<TransferReceipt> BuildReceipt(Service& service, const std::string& job,
                                     const ReceiptOptions& options = {});

// The receipt as JSON (docs/ingest.md "Receipts", "format":
// "kholuu.receipt/1"); `list_only`: the file list alone ("kind":
// "file_list": no parties, problems or detail).
std::string ReceiptJson(const TransferReceipt& receipt, bool list_only = false);

struct ReceiptPdfOptions {
  bool list_only = false;  // the file list alone (mục lục), not the biên bản
  // Seal with the archive's key when one is installed (SealWithArchiveKey).
  // false: never seal.
  bool seal = true;
  int64_t now = 0;         // Unix seconds for the PDF's dates; 0 = now
  std::string regular_font, bold_font;  // see formats/pdf DocWriteOptions
};

struct ReceiptPdf {
  std::string pdf;
  bool sealed = false;
  bool timestamped = false;
  int pages = 0;
  double seconds = 0;      // rendering, validation and sealing
};

// Renders the receipt (transfer receipt with the list, the list alone, or
// the refusal notice) as PDF/A-2b, validated by our validator, and seals it
// when `options.seal` and the archive has a seal key; the sealed file is
// validated again and its seal verified. Errors: kFailedPrecondition for
// kNone (an interrupted job has no receipt) and for list_only on a refusal;
// kFailedPrecondition when the PDF (sealed or not) does not validate; as
// WriteDocumentPdfA2b and SealWithArchiveKey; kInternal when the seal does
// not verify.
Result<ReceiptPdf> RenderReceiptPdf(const DataDir& data, const TransferReceipt& receipt,
                                    const ReceiptPdfOptions& options = {});

}  // namespace kholuu::ingest
