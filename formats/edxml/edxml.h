// edXML packages (QCVN 102:2016/BTTTT) from the national document exchange
// axis: a streaming reader for document and status packages, and a writer
// for status packages (the archive's answer to the axis).
//
// The reader never holds a decoded attachment in memory: base64 is decoded
// as it arrives, into a SHA-256 and a byte count and, when asked, a file.
// It is tolerant where the input is unambiguous (namespace variants and
// undeclared prefixes, junk before the XML declaration, NFD text, "1" for
// "01", day-first dates, an un-namespaced Signature, the status and LGSP
// layouts of real senders), says so in a warning, and reports everything else.
// Layout, recovery rule and problem codes: docs/formats/edxml.md, ADR 0070.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "archive/base/status.h"

namespace kholuu::formats::edxml {

enum class Severity { kError, kWarning };

struct Problem {
  Severity severity = Severity::kError;
  std::string code;     // stable, e.g. "document-id-mismatch"
  std::string message;  // for a person
  std::string where;    // element path or field, e.g. "MessageHeader/From/OrganId"
};

struct Organ {
  std::string organ_id;  // mã định danh, as received
  std::string organization_in_charge;
  std::string organ_name;
  std::string organ_add;
  std::string email;
  std::string telephone;
  std::string fax;
  std::string website;
};

struct ResponseFor {
  std::string organ_id;
  std::string code;  // "số/ký hiệu"
  std::string promulgation_date;
  std::string document_id;
};

struct StaffInfo {
  std::string department;
  std::string staff;
  std::string mobile;
  std::string email;
};

struct TraceHeader {
  std::string organ_id;
  std::string timestamp;
};

struct Business {
  std::string document_id;
  int doc_type = -1;  // 0 new, 1 recall, 2 update, 3 replace; -1 absent
  std::string reason;
  std::string paper;
  StaffInfo staff;
};

struct ManifestReference {
  std::string content_id;  // "cid:" prefix removed
  std::string content_type;
  std::string description;
  std::string attachment_name;
};

struct Attachment {
  std::string content_id;  // "cid:" prefix removed
  std::string name;
  std::string description;
  std::string content_type;
  uint64_t size = 0;  // decoded bytes
  Sha256 sha256;      // of the decoded bytes
  bool is_zip = false;
  std::string saved_path;  // set when ParseOptions::attachment_dir is given
};

enum class Kind { kDocument, kStatus };

struct Message {
  Kind kind = Kind::kDocument;
  std::string root_namespace;
  // Document packages (MessageHeader).
  Organ from;
  std::vector<Organ> to;
  std::string code_number;
  std::string code_notation;
  std::string place;
  std::string promulgation_date;  // as written (yyyy/MM/dd usually)
  std::string type;
  std::string type_detail;
  std::string type_name;
  std::string subject;
  std::string content;
  std::string signer_competence;
  std::string signer_position;
  std::string signer_full_name;
  std::string due_date;
  std::vector<std::string> to_places;
  std::string priority;
  std::string sphere_of_promulgation;
  std::string typer_notation;
  std::string promulgation_amount;
  std::string page_amount;
  std::string direction;
  std::vector<std::string> appendixes;
  std::vector<ResponseFor> response_for;
  std::string steering_type;
  std::string document_id;
  std::vector<TraceHeader> trace;
  Business business;
  // Status packages: the status fields of Status, MessageStatus or a
  // MessageHeader holding a StatusCode and no document fields.
  std::string status_code;  // normalised to two digits
  std::string description;
  std::string timestamp;
  StaffInfo staff;
  // Both.
  std::vector<ManifestReference> manifest;
  std::vector<Attachment> attachments;
  bool signature_present = false;  // XML-DSig Signature element; never verified here
  std::vector<Problem> problems;

  bool ok() const;  // no problem of severity kError
};

struct ParseOptions {
  uint64_t max_field_bytes = 1u << 20;          // any text field but attachments
  uint64_t max_attachment_bytes = 2ull << 30;   // decoded, each
  uint64_t max_total_bytes = 4ull << 30;        // the package as read
  size_t max_attachments = 1000;
  size_t max_elements = 2000000;
  // When non-empty, each decoded attachment is written (durably) to
  // <attachment_dir>/<index>.bin; the directory must exist.
  std::string attachment_dir;
};

// Parses one package. Problems with the content go into Message::problems
// (an undeclared namespace prefix is one: a warning); a non-OK status means
// the input is not an edXML package at all or could not be read:
// kInvalidArgument (not well-formed XML, with line and column; DOCTYPE;
// neither MessageHeader nor Status), kResourceExhausted (a cap was hit), I/O
// errors.
Result<Message> Parse(ByteSource& in, const ParseOptions& options = {});
Result<Message> ParseFile(const std::string& path, const ParseOptions& options = {});

// Status codes of QĐ 28/2018 as used on the axis.
bool IsKnownStatusCode(const std::string& two_digit_code);

// A status package to send back to the axis.
struct StatusPackage {
  ResponseFor response_for;  // the document this answers
  Organ from;                // the archive's agency
  std::string status_code;   // "01".."06", "13", "15", "16"
  std::string description;   // required for 02 (the reason)
  std::string timestamp;     // "yyyy/MM/dd HH:mm:ss"
  StaffInfo staff;
};

// Serialises a status package (UTF-8, QCVN_102_2016 namespace). Errors:
// kInvalidArgument for an unknown code, a 02 without a reason, missing
// ResponseFor/DocumentId or From/OrganId, or text that is not UTF-8.
Result<std::string> WriteStatus(const StatusPackage& status);

}  // namespace kholuu::formats::edxml
