// The catalog: the archive's single source of truth, in one LMDB environment.
//
// Typed tables (agencies, record files, documents, components, events, the
// index outbox, the audit chain) with secondary indexes maintained in the same
// transaction as the row. Every change made through a WriteTxn appends an audit
// entry in that transaction, so a committed change is always audited and an
// aborted one never is. Key schema: docs/formats/storage.md.
//
// Thread-safety: Catalog is safe for concurrent use. A ReadTxn or WriteTxn
// belongs to one thread. Only one WriteTxn is active at a time (across
// processes too); BeginWrite blocks until the previous one ends. Never begin a
// ReadTxn on a thread that holds a WriteTxn — use the WriteTxn's reads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive/audit/audit_entry.h"
#include "archive/base/clock.h"
#include "archive/base/sha256.h"
#include "archive/base/status.h"
#include "archive/model/agency.h"
#include "archive/model/component.h"
#include "archive/model/document.h"
#include "archive/model/event.h"
#include "archive/model/hold.h"
#include "archive/model/job.h"
#include "archive/model/record_file.h"
#include "archive/model/retention.h"

namespace kholuu::archive {

// The schema version this build writes. Open() refuses newer catalogs and
// migrates older ones (docs/formats/storage.md "Schema versions").
inline constexpr uint32_t kCatalogSchemaVersion = 5;

struct CatalogOptions {
  // The LMDB map starts at this size and doubles (up to max_map_size) when a
  // write transaction finds it nearly full, instead of failing.
  uint64_t initial_map_size = 64ull << 20;
  uint64_t max_map_size = 1ull << 40;
  bool read_only = false;
  Clock* clock = nullptr;  // default: SystemClock()
};

struct OutboxEntry {
  uint64_t seq = 0;
  std::string op;           // "upsert" or "delete"
  std::string document_id;
};

struct TableCounts {
  uint64_t agencies = 0, record_files = 0, documents = 0, components = 0, events = 0,
           audit_entries = 0, outbox = 0, jobs = 0;
};

struct AuditReport {
  uint64_t entries = 0;
  bool ok = true;
  uint64_t first_bad = 0;  // seq of the first entry that fails, when !ok
  std::string problem;     // why it fails
};

// A row whose stored state disagrees with the history the audit chain holds.
struct StateProblem {
  std::string table;   // "agency", "record_file", "document", "component", "job", "event", "meta"
  std::string key;     // the row's key (an event: its sequence number)
  uint64_t entry = 0;  // the audit entry the row was compared with; 0 when none
  std::string problem;
};

struct StateReport {
  uint64_t rows = 0;            // rows compared with their history
  uint64_t problem_count = 0;   // all problems found
  std::vector<StateProblem> problems;  // the first kMaxListed of them
  bool ok() const { return problem_count == 0; }
  static constexpr size_t kMaxListed = 1000;
};

// A record's parts (a document's components, a record file's documents)
// as its index lists them and as its rows and log say they should be.
struct PartsCheck {
  std::vector<std::string> parts;      // the union, sorted: every part to verify
  std::vector<StateProblem> problems;  // table "index": a part listed or missing wrongly
};

using model::DueKind;

struct DueEntry {
  DueKind kind = DueKind::kExpiry;
  model::CivilDate date;  // the deadline, the last day kept, or (awaiting) the work's end
  std::string file_code;
};

class Catalog;

// Reads, shared by read and write transactions.
class TxnView {
 public:
  virtual ~TxnView();
  TxnView(TxnView&&) noexcept;
  TxnView& operator=(TxnView&&) = delete;

  // Getters: kNotFound if absent; kDataLoss if the stored value is malformed.
  Result<model::Agency> GetAgency(const std::string& organ_id) const;
  Result<model::RecordFile> GetRecordFile(const std::string& file_code) const;
  Result<model::Document> GetDocument(const std::string& id) const;
  Result<model::Component> GetComponent(const std::string& id) const;
  Result<model::Event> GetEvent(uint64_t seq) const;
  Result<std::string> GetMeta(const std::string& key) const;
  // The meta keys beginning with `prefix` and their values, in key order.
  Status ForEachMeta(const std::string& prefix,
                     const std::function<Status(std::string_view key, std::string_view value)>& fn) const;
  // An ingest job by its package's SHA-256 (hex).
  Result<model::IngestJob> GetJob(const std::string& id) const;

  // Secondary index lookups; empty when nothing matches.
  // A record file's documents: those it holds and those linked into it.
  Result<std::vector<std::string>> DocumentsInFile(const std::string& file_code) const;
  Result<std::vector<std::string>> DocumentsByEdxmlId(const std::string& edxml_id) const;
  Result<std::vector<std::string>> DocumentsByDuplicateKey(const std::string& key) const;
  Result<std::vector<std::string>> ComponentsBySha256(const Sha256& digest) const;
  Result<std::vector<std::string>> ComponentsOfDocument(const std::string& document_id) const;
  Result<std::vector<model::Event>> EventsFor(const std::string& object_id) const;

  // Full scans in key order; stop at the first non-OK status returned by fn.
  Status ForEachRecordFile(const std::function<Status(const model::RecordFile&)>& fn) const;
  Status ForEachDocument(const std::function<Status(const model::Document&)>& fn) const;
  Status ForEachComponent(const std::function<Status(const model::Component&)>& fn) const;
  Status ForEachAuditEntry(const std::function<Status(const AuditEntry&)>& fn) const;
  Status ForEachOutbox(const std::function<Status(const OutboxEntry&)>& fn) const;
  Status ForEachJob(const std::function<Status(const model::IngestJob&)>& fn) const;

  // Walks the audit chain: every link, every hash, gapless sequence numbers,
  // and the head recorded in meta. Never fails for a bad chain: that is
  // reported in AuditReport; a non-OK status means the walk itself failed.
  Result<AuditReport> VerifyAudit() const;

  // Compares every audited row with its history: each audit entry that wrote
  // a row carries the SHA-256 of the value written, so the current value of
  // every agency, record file, document, component, job, event and audited
  // meta key must hash to the payload of the last entry that wrote it; a row
  // the log deleted must be absent, a row the log wrote must be present, a
  // row no entry wrote must not exist. Run it after VerifyAudit (it trusts
  // the entries' contents; VerifyAudit proves them). Like VerifyAudit, a
  // mismatch is reported, not an error.
  Result<StateReport> VerifyState() const;

  // The audit entries about `object` (a record id), oldest first, through
  // the by-object index. Errors: kDataLoss when the index and the entries
  // disagree.
  Result<std::vector<AuditEntry>> AuditEntriesFor(const std::string& object) const;
  // Errors: kNotFound; kDataLoss if malformed.
  Result<AuditEntry> GetAuditEntry(uint64_t seq) const;

  // One row against its history, through the by-object index (fast enough
  // for every retrieval): its stored value must hash to the payload of the
  // last entry that wrote it, and that entry must hold in its place
  // (CheckAuditEntryInPlace). `table` as in StateProblem: "agency",
  // "record_file", "document", "component", "job". Problems are returned,
  // not errors (an absent row the log never wrote is kNotFound).
  Result<std::vector<StateProblem>> VerifyRow(const std::string& table, const std::string& key) const;
  // A row's stored bytes, exactly as the audit payload hashed them: `table`
  // as VerifyRow, or "event" with the event's number as key. For evidence
  // bundles. Errors: kInvalidArgument for another table; kNotFound.
  Result<std::string> RawRow(const std::string& table, const std::string& key) const;
  // The index that lists a record's parts against the rows and the log,
  // without a full scan (fast enough for every retrieval). `table`
  // "document": its components (idx_comp_doc) against the component rows
  // and the log's components under its id ("<id>/<n>", archive/model/ids.h);
  // "record_file": its documents (idx_doc_file) against the documents
  // minted in it ("<code>.<n>") whose row still names it, and the
  // document.link entries of every document it lists. A document re-filed
  // into the file from elsewhere and then removed from the index is not
  // seen here (VerifyState and `verify` on the document see it).
  // Errors: kInvalidArgument for another table; failed reads.
  Result<PartsCheck> CheckParts(const std::string& table, const std::string& id) const;
  // Retention (issue 20, ADR 0080). A record file's retention: kNotFound
  // when none is assigned; kDataLoss if malformed.
  Result<model::FileRetention> GetRetention(const std::string& file_code) const;
  // The rules the due dates are computed with: the defaults until
  // SetRetentionRules stored others.
  Result<model::RetentionRules> GetRetentionRules() const;
  // The due index's entries of `kind` dated on or before `until`, by date
  // then file code; reads only those entries. fn may stop the walk with a
  // non-OK status (returned).
  Status ForEachDue(DueKind kind, const model::CivilDate& until,
                    const std::function<Status(const DueEntry&)>& fn) const;
  Status ForEachRetention(const std::function<Status(const model::FileRetention&)>& fn) const;
  // Holds (issue 20). Errors: kNotFound; kDataLoss if malformed.
  Result<model::Hold> GetHold(const std::string& id) const;
  Status ForEachHold(const std::function<Status(const model::Hold&)>& fn) const;
  // The holds in force that cover `object` — a record file, a document
  // (held itself, or through its record file or a file it is linked into)
  // or a component (through its document) — by hold id.
  Result<std::vector<model::Hold>> HoldsCovering(const std::string& object) const;

  // The events about `object` against the event.create entries about it.
  Result<std::vector<StateProblem>> VerifyEventsOf(const std::string& object) const;
  // Checks entry `seq` in its place without walking the chain: its hash, the
  // link from the entry before it and to the entry after it (or, for the
  // newest, the recorded head). Returns "" when it holds, else what is wrong;
  // errors only for failed reads.
  Result<std::string> CheckAuditEntryInPlace(uint64_t seq) const;

  Result<TableCounts> Counts() const;

  struct Impl;  // opaque; defined in catalog.cc

 protected:
  explicit TxnView(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ReadTxn final : public TxnView {
 private:
  friend class Catalog;
  using TxnView::TxnView;
};

// A write transaction. Ends with Commit(); destroying it without Commit()
// aborts every change and every audit entry it made.
class WriteTxn final : public TxnView {
 public:
  // Creates or replaces a row (validated first: kInvalidArgument lists every
  // problem) and maintains its indexes. Audit action "<table>.create" or
  // "<table>.update", payload = SHA-256 of the stored encoding.
  Status PutAgency(const model::Agency& v);
  Status PutRecordFile(const model::RecordFile& v);
  // Also queues an outbox "upsert" for the indexer. REQUIRES: the record file exists.
  Status PutDocument(const model::Document& v);
  // REQUIRES: the document exists. The blob must already be durable.
  Status PutComponent(const model::Component& v);
  // Creates or replaces an ingest job (validated; audited "job.create" /
  // "job.update").
  Status PutJob(const model::IngestJob& v);
  // Makes an existing document also a member of another record file
  // (DocumentsInFile lists it there) without copying it: a document sent
  // several times, in several files. A no-op for its own file. Audited
  // "document.link" with `reason`. Errors: kNotFound for either.
  Status LinkDocument(const std::string& file_code, const std::string& document_id,
                      const std::string& reason);
  // Assigns the next event sequence number (and the time, if 0) and returns it.
  Result<uint64_t> AddEvent(model::Event event);
  // Removes a component row and its index entries (audited). Missing -> kNotFound.
  Status DeleteComponent(const std::string& id, const std::string& reason);
  // Removes outbox entries up to and including `seq` (the indexer drained them).
  Status AckOutbox(uint64_t seq);
  // Appends an audit entry for an action that changes no table row (garbage
  // collection of a blob, repair from a replica, a backup, an access).
  Status Audit(const std::string& action, const std::string& object, const std::string& detail,
               const Sha256& payload = Sha256());
  Status SetMeta(const std::string& key, const std::string& value);

  // A record file's retention (validated; the record file must exist:
  // kFailedPrecondition), audited "retention.create" / ".update"; its due
  // index entries are rewritten with the stored rules.
  Status PutRetention(const model::FileRetention& v);
  // Stores the rules (audited meta "retention.rules") and rewrites the due
  // index of every record file with them. Errors: kInvalidArgument.
  Status SetRetentionRules(const model::RetentionRules& rules);

  // Places a hold: mints its id ("hold-" + 6 digits) into hold->id, stamps
  // the time and actor, validates, and requires every object to be a record
  // file or a document (kNotFound naming it). Audited "hold.create".
  Status PlaceHold(model::Hold* hold);
  // Releases a hold in force (kFailedPrecondition if already released).
  // Audited "hold.update".
  Status ReleaseHold(const std::string& id, const std::string& reason);
  // The one check every path that would destroy, alter or move out a record
  // goes through (issue 20): kFailedPrecondition naming the hold, its
  // authority and reason, and `what` was refused, when a hold in force
  // covers `object`. WriteTxn calls it itself for: deleting a component,
  // changing a component's bytes, changing a held document (other than its
  // preservation risk) or re-filing it, changing a held record file's
  // metadata (other than its counts), and a retention stage moving to
  // transferred or destroyed.
  Status RefuseIfHeld(const std::string& object, const std::string& what);

  // Makes every change durable. Errors: kResourceExhausted (disk full), kInternal.
  Status Commit();

  const std::string& actor() const;

 private:
  friend class Catalog;
  using TxnView::TxnView;
};

class Catalog {
 public:
  // Creates a new, empty catalog in directory `dir` (created if needed).
  // Errors: kAlreadyExists if a catalog is already there.
  static Result<std::unique_ptr<Catalog>> Create(const std::string& dir,
                                                 const CatalogOptions& options = {});
  // Opens an existing catalog, migrating an older schema (audited).
  // Errors: kNotFound (no catalog in dir), kFailedPrecondition (a newer schema,
  // or migration needed on a read-only open), kDataLoss (damaged file),
  // kPermissionDenied.
  //
  // LMDB has no page checksums. A page damaged on disk that makes LMDB fault
  // inside the catalog's map, or fail one of its assertions, ends the
  // process with exit status 1 and a message naming the file (ADR 0078); a
  // stored size that runs past the file is kDataLoss. Create and Open
  // install SIGSEGV/SIGBUS handlers for this where none is installed.
  static Result<std::unique_ptr<Catalog>> Open(const std::string& dir,
                                               const CatalogOptions& options = {});
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // How a write transaction's commit reaches the disk.
  enum class Durability {
    // Durable when Commit returns: the data pages, then the meta page that
    // makes them current, are synced (two syncs).
    kDurable,
    // The data pages are synced, the meta page is written but not synced
    // (one sync): a system crash (not a process crash) may undo this
    // transaction, never corrupt the catalog; the next kDurable commit makes
    // it durable too. For marks whose loss is harmless, such as an ingest
    // job's "received" state.
    kMetaLazy,
  };

  Result<ReadTxn> BeginRead() const;
  // `actor` is recorded in every audit entry of the transaction.
  Result<WriteTxn> BeginWrite(const std::string& actor, Durability durability = Durability::kDurable);

  // Runs fn in a write transaction and commits it. If the map is full, the
  // transaction is aborted, the map grown, and fn run again (so fn must only
  // act through the txn). Errors: fn's, or Commit's.
  Status Update(const std::string& actor, const std::function<Status(WriteTxn&)>& fn,
                Durability durability = Durability::kDurable);

  // Writes a consistent, compacted copy of the catalog file to `path`
  // (must not exist), durably.
  Status CopyTo(const std::string& path) const;

  // Test hook: rewrites this catalog as schema version 1 (drops the tables
  // version 2 added) so that the migration can be tested. Never used in
  // production code.
  Status TEST_DowngradeToV1();

  uint32_t schema_version() const;
  uint64_t map_size() const;
  const std::string& dir() const;

 private:
  struct State;
  explicit Catalog(std::unique_ptr<State> state);
  Status GrowMapIfNeeded(bool force);
  std::unique_ptr<State> state_;
};

}  // namespace kholuu::archive
