// The ingest pipeline: a received package becomes archived, verified,
// indexed records, or is refused whole with every problem named
// (docs/ingest.md). Stages, each recorded as events with its outcome:
//
//   stage with hashes -> unpack safely -> identify formats by content ->
//   check metadata (intake.h) -> verify signatures -> check PDF/A and make
//   preservation copies (convert, OCR) -> extract text -> detect duplicates
//   -> commit -> index
//
// Durability: the package's blobs are durable before the one catalog
// transaction that records its record file, documents, components, events,
// audit entries, index-outbox entries and the job's final state. A crash at
// any instant leaves the job "received" (or nothing at all); Recover() marks
// such jobs abandoned, and submitting the package again ingests it afresh.
// A package already accepted is recognised by its SHA-256 and answered
// "duplicate" without any change.
//
// Thread-safety: an Ingester may be used from several threads at once
// (IngestMany does); catalog writes are serialised by the catalog. Two
// ingests of the same package, or of packages sharing a document, at once
// (two workers, two processes): the commit checks the job and the duplicates
// again in its own transaction, and the one that finds itself overtaken is
// judged again — "duplicate", or its documents linked — so nothing is stored
// twice.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ingest/intake.h"
#include "ingest/preserve.h"
#include "ingest/service.h"

namespace kholuu::ingest {

struct IngestOptions {
  // The sending agency's mã định danh (batches and sidecars that name none).
  std::string organ_id;
  // The archive's own agency, the sender of edXML Status replies. The
  // default is a placeholder: deployments set their mã định danh
  // (`kholuu ingest --archive-organ-id`, $KHOLUU_ORGAN_ID).
  std::string archive_organ_id = "000.00.00.A00";
  std::string archive_organ_name = "Kho lưu trữ điện tử";
  // Make preservation copies, signature reports and text at ingest. Off: the
  // originals are stored and `kholuu preserve` does the rest later.
  bool preserve = true;
  PreserveOptions preservation;   // OCR, trust store, validation time
  // An edXML document package must carry an XML signature or a signed PDF
  // ("thiếu chữ ký số" otherwise).
  bool require_edxml_signature = true;
  // Threads that store and preserve the documents of one package (a
  // digitisation batch is one package of many scans).
  size_t threads = 1;
  // Apply the index outbox after each commit (IngestMany: on a thread of
  // its own while the workers run, and once more at the end).
  bool index = true;
  IntakeOptions limits;           // staging_dir and clock are set per package
};

enum class ReceiptStatus { kAccepted, kRejected, kDuplicate };
// "accepted", "rejected", "duplicate" (spec/architecture.md §5.2).
std::string_view ReceiptStatusName(ReceiptStatus s);

struct ReceiptDocument {
  std::string id;
  // "stored": a new document; "linked": already in the archive (same bytes,
  // same edXML DocumentId or same số/ký hiệu/cơ quan/năm), linked into this
  // record file and not stored again; "new_version": an edXML update or
  // replacement of `previous`; "status": a Status package recorded on it.
  std::string action;
  std::string previous;           // linked / new_version / status: the earlier document
  std::string code;               // số/ký hiệu
  std::string subject;
  std::vector<std::string> components;  // new component ids
  std::string preservation;       // "preserved", "at_risk", "deferred", ""
  std::string risk;
};

struct Receipt {
  std::string package;
  std::string job;                // the package's SHA-256 (hex)
  PackageKind kind = PackageKind::kUnknown;
  ReceiptStatus status = ReceiptStatus::kRejected;
  std::string record_file;
  std::vector<ReceiptDocument> documents;
  std::vector<Problem> problems;  // errors (rejected) and warnings
  std::string detail;             // one line on the outcome
  int64_t received_micros = 0;
  int64_t finished_micros = 0;
  // edXML: the Status package answering it (01/03 accepted, 02 refused,
  // with the reason), written by formats/edxml; empty for other kinds.
  std::string edxml_status;
  std::string edxml_status_code;
};

// Progress of IngestMany, called from worker threads (serialised).
struct IngestProgress {
  size_t done = 0, total = 0, accepted = 0, rejected = 0, duplicate = 0, failed = 0;
  uint64_t bytes = 0;             // package bytes read so far
};

class Ingester {
 public:
  // `service` must outlive the Ingester.
  Ingester(Service* service, IngestOptions options);

  // Ingests one package (file or directory). Returns the receipt for an
  // accepted, refused or duplicate package. Errors (the package was not
  // judged; nothing is kept but unreferenced blobs): kNotFound when `path`
  // does not exist; I/O, catalog and index errors.
  Result<Receipt> Ingest(const std::string& path);

  // Ingests `paths` on `workers` threads (heavy stages in parallel, commits
  // one at a time) while another thread applies the index outbox as
  // packages are accepted; when it returns, every accepted document is
  // indexed (or the receipts say that the index lags). Results in the order
  // of `paths`.
  std::vector<Result<Receipt>> IngestMany(const std::vector<std::string>& paths, size_t workers,
                                          const std::function<void(const IngestProgress&)>& progress = {});

  // At start: every job still "received" was interrupted; each is marked
  // abandoned (audited) and every staging directory left is removed. Runs
  // only when no other ingest holds the spool (<spool>/LOCK, taken shared by
  // every ingest); otherwise does nothing. Returns the abandoned jobs' ids.
  Result<std::vector<std::string>> Recover();

 private:
  // `attempt`: how many times the package was judged again because another
  // ingest committed it, or one of its documents, concurrently.
  Result<Receipt> IngestOne(const std::string& path, bool index, int attempt = 0);
  Service* service_;
  IngestOptions options_;
};

}  // namespace kholuu::ingest
