// Stage 1 of ingest (docs/ingest.md): reads a received package of any kind
// — an edXML package from the axis, a BagIt bag, a TT 05/2025 METS + EAD +
// PREMIS package (directory, zip or tar, possibly inside a bag), a
// digitisation batch (metadata sheet + scans) or loose files with JSON
// sidecars — into one normalised, checked description. It copies or safely
// unpacks the package into a staging directory, identifies every file by its
// content, checks the metadata (NĐ 30/2020 Phụ lục VI, TT 05/2025) and every
// checksum, and lists every defect found as a Problem with a stable code.
// It writes nothing to the catalog: committing is a later stage.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/clock.h"
#include "archive/base/sha256.h"
#include "archive/base/status.h"
#include "archive/model/document.h"
#include "archive/model/event.h"
#include "archive/model/record_file.h"

namespace kholuu::ingest {

enum class PackageKind {
  kUnknown,  // nothing recognisable (a "package.unrecognised" problem says why)
  kEdxml,    // an edXML document or status package (QCVN 102:2016)
  kBagit,    // a BagIt bag whose payload is none of the kinds below
  kMets,     // TT 05/2025 METS + EAD + PREMIS: directory, zip or tar, or inside a bag
  kBatch,    // a metadata sheet (XLSX or CSV) with scans
  kSidecar,  // loose file(s), each with a JSON metadata sidecar (docs/formats/sidecar.md)
};

// "unknown", "edxml", "bagit", "mets", "batch", "sidecar".
std::string_view PackageKindName(PackageKind kind);

enum class Severity {
  kError,    // the package is refused whole
  kWarning,  // accepted; the warning is kept with the record
};

// One defect of the package. Codes are stable and listed, each with its
// severity and messages, in docs/ingest.md ("Problem codes") and ProblemCodes().
struct Problem {
  std::string code;  // e.g. "file.checksum_mismatch"
  Severity severity = Severity::kError;
  std::string message_en;
  std::string message_vi;
  // Where, relative to the package: "data/a.pdf", "sheet.xlsx!row 7, H (Tiêu
  // đề hồ sơ)", "goi.edxml!MessageHeader/Code"; "" for the package as a whole.
  std::string path;
};

// The registry of problem codes: what docs/ingest.md documents.
struct ProblemCodeInfo {
  std::string_view code;
  Severity severity;
  std::string_view meaning_en;  // also the start of every message_en
  std::string_view meaning_vi;  // also the start of every message_vi
};
const std::vector<ProblemCodeInfo>& ProblemCodes();

// One received file, staged.
struct IntakeFile {
  std::string staged_path;    // absolute, inside IntakeOptions::staging_dir
  std::string package_path;   // relative to the package, e.g. "data/001.pdf"
  std::string name;           // file name as received (for Component::name)
  uint64_t size = 0;
  Sha256 sha256;
  std::string media_type;     // identified by content (identify.h)
  std::string format_version;
  std::string declared_media_type;  // what the package said, if anything
};

struct IntakeDocument {
  // Normalised metadata. Left for the committer: id (unless the package
  // gives a docCode), doc_ordinal (unless the package numbers documents),
  // created_micros; file_code is the record file's when there is one.
  model::Document document;
  int record_file = -1;             // index into Intake::record_files; -1: none
  // Where its metadata is, as problems name it ("x.pdf.json",
  // "sheet.csv!row 7", "…/EAD_doc_X.xml", "goi.edxml!MessageHeader").
  std::string metadata_path;
  std::vector<IntakeFile> files;    // first: the main file (the original)
  std::vector<Problem> warnings;    // warnings about this document
  // Values without a place in model::Document (batch: TT05 names such as
  // "autograph", "sheetNumber"; sidecar: "extra" object).
  std::map<std::string, std::string> extra;
};

struct IntakeRecordFile {
  model::RecordFile record_file;
  std::string arc_file_code;      // TT05 arcFileCode as received, if any
  std::string metadata_path;      // where its metadata is (as for IntakeDocument)
  std::vector<Problem> warnings;  // warnings about this hồ sơ
};

// What the pipeline needs of an edXML package: dedup by DocumentId,
// recall/update/replace (QĐ 28 business codes) and the Status reply.
struct EdxmlInfo {
  bool is_status = false;          // a Status package (no document)
  std::string document_id;         // DocumentId (status: ResponseFor/DocumentId)
  std::string from_organ_id;
  std::string from_organ_name;
  std::string code;                // "số/ký hiệu" as sent
  std::string promulgation_date;   // as sent (yyyy/MM/dd)
  std::string status_code;         // status packages: "01".."16"
  std::string status_description;
  int business_doc_type = -1;      // 0 new, 1 recall, 2 update, 3 replace; -1 absent
  std::string business_document_id;  // the document a recall/update/replace acts on
  std::string business_reason;
  bool signature_present = false;  // an XML-DSig element is there (not verified here)
};

// The result of reading one package. Value type.
struct Intake {
  PackageKind kind = PackageKind::kUnknown;
  bool in_bag = false;            // the METS/batch/sidecar package came inside a BagIt bag
  std::string package;            // the path given to ReadPackage
  // SHA-256 of the package file; for a directory, of its manifest: the lines
  // "<sha256 hex>  <relative path>\n" of every file, sorted by path.
  Sha256 package_sha256;
  uint64_t package_bytes = 0;
  std::string staging_dir;        // = IntakeOptions::staging_dir
  // The package's root inside staging_dir; for an edXML package, the staged
  // edXML file itself.
  std::string staged_root;
  std::vector<IntakeRecordFile> record_files;  // hồ sơ (none for edXML)
  std::vector<IntakeDocument> documents;
  std::vector<model::Event> events;  // PREMIS events carried by a METS package
  std::vector<Problem> problems;     // every error and warning, in the order found
  std::optional<EdxmlInfo> edxml;

  bool HasErrors() const;
  size_t ErrorCount() const;
  size_t WarningCount() const;
};

struct IntakeOptions {
  // Where the package is copied or unpacked; must not exist (created here).
  // The caller removes it (RemoveTree) once later stages are done.
  std::string staging_dir;
  // The sending agency's mã định danh: needed by batches (the sheet does not
  // carry it) and used by sidecars that name none. May be empty otherwise.
  std::string organ_id;
  // Caps; crossing one is a "package.too_large" error.
  uint64_t max_package_bytes = 16ull << 30;  // all files, uncompressed
  uint64_t max_file_bytes = 4ull << 30;      // one file
  uint64_t max_files = 100000;
  uint64_t max_metadata_bytes = 64u << 20;   // one sidecar, sheet or METS file
  // Dates after "now" are errors; before this year, warnings.
  int min_plausible_year = 1800;
  const Clock* clock = nullptr;  // nullptr: SystemClock()
};

// Which kind of package `path` is, by content: an edXML root element, a
// bagit.txt, a METS.xml (at the top or in the only top-level folder), a
// metadata sheet (XLSX workbook, or CSV with a "Đường dẫn file" column), a
// file with a JSON sidecar. Zip and tar archives are looked into (entry
// names only). Errors: kInvalidArgument when nothing matches (the message
// says what was seen); as ErrnoError when `path` cannot be read.
Result<PackageKind> DetectPackageKind(const std::string& path);

// Reads the package at `path` (file or directory) into staging and checks
// it. Defects of the package are Problems in the result, never errors.
// Errors: kInvalidArgument when options.staging_dir is empty;
// kAlreadyExists when it exists; I/O errors of the staging area (kInternal,
// kResourceExhausted for a full disk, ...); kNotFound when `path` does not
// exist. Thread-safety: safe to call concurrently with different staging
// directories.
Result<Intake> ReadPackage(const std::string& path, const IntakeOptions& options);

// For an edXML refusal (Status 02): the reason to send, in the words of the
// axis: "không đúng định dạng" when a file or the package is unreadable or
// damaged (a file.* or package.* error), else "không đúng thể thức". ""
// when the intake has no error. ("thiếu chữ ký số" is the signature stage's
// to give: stage 1 only notes an absent XML signature, as a warning.)
std::string RefusalReasonVi(const Intake& intake);

}  // namespace kholuu::ingest
