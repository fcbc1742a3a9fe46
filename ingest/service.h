// One open archive and everything its users do to it: the entry point the
// CLI (tools/kholuu) and the server (api/) use, so that neither needs to
// know the catalog, the blob store, the index or the format readers.
//
// Every change goes through the catalog's transactions (audited, with the
// acting user given at Open). Reports are plain values (archive/ops,
// archive/catalog, indexer/index.h) and carry no handles.
//
// Thread-safety: a Service is safe for concurrent use, like the Archive it
// owns; Search() opens the index per call (the server keeps its own
// Searcher).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "archive/archive.h"
#include "archive/base/file.h"
#include "archive/ops/copies.h"
#include "archive/ops/fixity.h"
#include "indexer/index.h"
#include "ingest/anchor.h"
#include "ingest/data_dir.h"
#include "ingest/index_sync.h"
#include "ingest/preserve.h"
#include "ingest/retention.h"
#include "ingest/store.h"
#include "ingest/verify.h"

namespace kholuu::ingest {

// The search types of indexer/index.h, as users of this service name them.
using SearchRequest = indexer::SearchRequest;
using SearchHit = indexer::SearchHit;
using SearchResults = indexer::SearchResults;

// What `show` finds for an id: exactly one of the optionals is set.
struct Described {
  std::optional<model::RecordFile> record_file;
  std::vector<std::string> documents;     // record_file: its documents' ids
  std::optional<model::Document> document;
  std::vector<std::string> components;    // document: its components' ids (for a blob: those storing it)
  std::optional<model::Component> component;
  bool blob_present = false;              // component or blob: the blob store holds the bytes
  std::optional<Sha256> blob;             // a blob asked for by its SHA-256
  std::optional<uint64_t> blob_size;
  std::vector<model::Event> events;       // record file, document or component
  std::optional<model::FileRetention> retention;  // record file: its retention, when assigned
  std::vector<model::Hold> holds;         // record file, document, component: the holds in force covering it
};

// What Backup did: the copy, and the anchor made before it.
struct BackupResult {
  archive::CopyReport copy;
  std::optional<Anchor> anchor;  // the anchor the backup's catalog holds
  std::string anchor_problem;    // why there is none ("" when there is)
};

struct Stats {
  archive::TableCounts counts;
  uint32_t schema_version = 0;
  uint64_t map_size = 0;
};

struct Retrieved {
  model::Component component;   // what was written
};

struct RenditionResult {
  model::Component original;
  model::Component copy;
  std::string seal_integrity;
  bool timestamped = false;
  uint64_t size = 0;
};

class Service {
 public:
  // Creates an empty archive (archive::Archive::Init). Errors: as Init.
  static Result<std::unique_ptr<Service>> Init(const DataDir& data, const std::string& actor);
  // Opens an existing archive; `actor` is recorded in the audit entries of
  // changes ("cli:<user>", a token's name). Errors: as archive::Archive::Open.
  //
  // One writer per archive: a Service opened for writing (and Init) holds
  // an exclusive flock(2) on <data>/WRITER for its lifetime, with who holds
  // it written inside; a second one, in this or another process, fails at
  // once with kFailedPrecondition naming the holder. Read-only Services
  // never take it and may run beside the writer.
  static Result<std::unique_ptr<Service>> Open(const DataDir& data, const std::string& actor,
                                               bool read_only = false);
  static bool IsArchive(const DataDir& data);

  const DataDir& data() const { return data_; }
  const std::string& actor() const { return actor_; }
  // The archive itself, for the ingest library's own parts and for tests.
  archive::Archive& archive() { return *archive_; }

  // A record file (by file code), document, component or blob (by SHA-256).
  // Errors: kNotFound naming the id.
  Result<Described> Describe(const std::string& id) const;
  Result<Stats> GetStats() const;
  Result<std::vector<std::string>> DocumentIds() const;
  // Every ingest job (model/job.h), in key order.
  Result<std::vector<model::IngestJob>> Jobs() const;

  // Fixity over the referenced blobs (archive/ops/fixity.h). With repair
  // and no replica directory, the last synced replica is used. Errors:
  // kInvalidArgument when repair has no replica to use.
  Result<archive::FixityReport> Fixity(archive::FixityOptions options);
  Result<archive::AuditReport> VerifyAudit() const;
  // Every audited row compared with the history the chain holds
  // (TxnView::VerifyState).
  Result<archive::StateReport> VerifyState() const;
  // One record file (by file code) or document against its history, its
  // blobs in both copies (verify.h). A difference is reported, not an
  // error. Errors: kNotFound naming the id; I/O and catalog errors.
  Result<RecordVerification> VerifyRecord(const std::string& id) const;
  // Anchors the audit log as it is now (ingest/anchor.h MakeAnchor).
  Result<Anchor> AnchorLog(const AnchorOptions& options);
  // Every stored anchor checked against the log (anchor.h VerifyAnchors).
  Result<AnchorReport> VerifyAnchors() const;
  Result<std::vector<Anchor>> Anchors() const;
  // The newest `limit` audit entries (0: all), oldest first.
  Result<std::vector<archive::AuditEntry>> AuditLog(uint64_t limit) const;
  // Anchors the log (reason "backup"; see AnchorLog) and then writes a
  // verified backup (archive/ops/copies.h), whose catalog so holds every
  // anchor. A backup is never refused for want of an anchor: with no seal
  // key, or a TSA that does not answer, the backup is made and
  // anchor_problem says why it is not anchored.
  Result<BackupResult> Backup(const std::string& dir, const archive::CopyOptions& options = {});
  Result<archive::CopyReport> SyncReplica(const std::string& dir, const archive::CopyOptions& options = {});
  Result<archive::GcReport> CollectGarbage(archive::GcOptions options);
  static Result<archive::VerifyCopyReport> VerifyBackup(const std::string& dir);
  static Result<archive::CopyReport> Restore(const std::string& backup_dir, const DataDir& data,
                                             const std::string& actor, const archive::CopyOptions& options = {});

  // Stores a file as a document's original (ingest/store.h).
  Result<StoreResult> Store(const StoreRequest& request);
  // Preserves one document (ingest/preserve.h). The trust store of
  // options.verify defaults to data().trust() when that exists (see
  // LoadTrustStore).
  Result<PreserveResult> Preserve(const PreserveOptions& options, const std::string& document_id);
  // options.verify.trust_store from `dir` (data().trust() when empty and it
  // exists; none otherwise). Errors: a trust store that does not load.
  Status LoadTrustStore(const std::string& dir, PreserveOptions* options) const;

  // Writes a component's bytes (the component id, or a document's first
  // component of `role`; a PDF/A original stands as its preservation copy)
  // to `out` atomically, verified against its hash on the way: a mismatch
  // gives kDataLoss and no file. Audited ("access.get") and recorded as an
  // access event, success or not.
  Result<Retrieved> Retrieve(const std::string& id, model::ComponentRole role, const std::string& out);
  // Builds, seals (the archive's seal key, timestamped when a TSA is
  // configured) and checks the PDF/A-3b rendition of a document's original
  // (ingest/rendition.h), writes it to `out`; audited ("access.rendition").
  // Errors: kFailedPrecondition when the document has no preservation copy
  // yet; as LoadSealKey; as MakeSealedRendition.
  Result<RenditionResult> ExportRendition(const std::string& id, const std::string& out);

  // Records a change of the archive's configuration (seal key, TSA) in the
  // audit log.
  Status AuditConfigChange(const std::string& action, const std::string& object, const std::string& detail,
                           const Sha256& digest);

  // Retention (ingest/retention.h, ADR 0080). Assigns or reassigns a record
  // file's retention; audited "retention.create"/".update" with the reason.
  // Errors: kNotFound (file, schedule, entry); kInvalidArgument (no or two
  // sources, an unreadable period, a reassignment without a reason, a date
  // that does not fit: model::FileRetention::Validate).
  Result<model::FileRetention> AssignRetention(const RetentionAssignment& a);
  // The due list from the catalog's due index: every kind asked for, dated
  // up to as_of + within_days, by kind then date. Reads only those entries
  // and their files' rows.
  Result<std::vector<DueItem>> DueList(const DueQuery& q) const;
  // Record files that have no retention (metadata without a readable
  // period): they appear in no due list until one is assigned.
  Result<std::vector<std::string>> FilesWithoutRetention() const;
  Result<model::RetentionRules> RetentionRules() const;
  // Stores other rules (audited); every due date is recomputed.
  Status SetRetentionRules(const model::RetentionRules& rules);
  // Holds (issue 20): placed on record files and documents (kNotFound for
  // anything else), released with a reason; while in force no path may
  // destroy, alter or move out what they cover (WriteTxn::RefuseIfHeld).
  Result<model::Hold> PlaceHold(model::Hold hold);
  Result<model::Hold> ReleaseHold(const std::string& id, const std::string& reason);
  // Every hold, in force first then released, by id.
  Result<std::vector<model::Hold>> Holds() const;

  // The index (ingest/index_sync.h).
  Result<SyncReport> RebuildIndex(const RebuildOptions& options = {});
  Result<SyncReport> DrainOutbox();
  // Searches data().index(). Errors: kNotFound/kFailedPrecondition when
  // there is no index yet ("run: kholuu reindex"); as Searcher::Search.
  Result<SearchResults> Search(const SearchRequest& request) const;

 private:
  Service(DataDir data, std::string actor, std::unique_ptr<archive::Archive> a, File writer)
      : data_(std::move(data)), actor_(std::move(actor)), archive_(std::move(a)), writer_(std::move(writer)) {}
  DataDir data_;
  std::string actor_;
  std::unique_ptr<archive::Archive> archive_;
  File writer_;  // <data>/WRITER, locked exclusively; closed for read-only

};

}  // namespace kholuu::ingest
