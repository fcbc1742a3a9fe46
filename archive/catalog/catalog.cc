#include "archive/catalog/catalog.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <tuple>
#include <unordered_map>

#include "archive/base/file.h"
#include "archive/base/log.h"
#include "archive/catalog/codec.h"
#include "archive/catalog/internal/fault_guard.h"
#include "archive/catalog/internal/lmdb_env.h"

namespace kholuu::archive {

namespace catalog_internal {

// Table names are part of the on-disk format (docs/formats/storage.md).
struct Dbs {
  MDB_dbi meta = 0, agencies = 0, record_files = 0, documents = 0, components = 0, events = 0,
          audit = 0, outbox = 0, jobs = 0;
  // DUPSORT secondary indexes: key -> primary key.
  MDB_dbi idx_doc_file = 0, idx_doc_edxml = 0, idx_doc_dupkey = 0, idx_comp_sha = 0,
          idx_comp_doc = 0, idx_event_obj = 0;
  // Audit entries by object (schema 4): object -> U64Key(seq).
  MDB_dbi idx_audit_obj = 0;
  // Retention (schema 5, ADR 0080): file code -> FileRetention; the due
  // index, kind ‖ YYYY-MM-DD ‖ file code -> "".
  MDB_dbi retention = 0, idx_due = 0;
  // Holds (schema 5): hold id -> Hold; DUPSORT object id -> hold id, for the
  // holds in force only.
  MDB_dbi holds = 0, idx_hold_obj = 0;
};

struct Shared {
  lmdb::Env env;
  Dbs dbs;
  std::string dir;
  CatalogOptions options;
  Clock* clock = nullptr;
  uint32_t schema_version = 0;
  // Held shared by every transaction, exclusively to resize the map: LMDB
  // requires that no transaction of this process is active during a resize.
  mutable std::shared_mutex resize_mu;
};

}  // namespace catalog_internal

using catalog_internal::Dbs;
using catalog_internal::Shared;

struct Catalog::State {
  Shared shared;
};

struct TxnView::Impl {
  Shared* sh = nullptr;
  std::shared_lock<std::shared_mutex> lock;
  lmdb::Txn txn;
  std::string actor;
};

namespace {

constexpr char kMetaSchema[] = "schema_version";
constexpr char kMetaAuditHead[] = "audit.head";
constexpr char kMetaEventSeq[] = "seq.event";
constexpr char kMetaOutboxSeq[] = "seq.outbox";
constexpr char kMetaCreated[] = "created";
constexpr char kMetaRetentionRules[] = "retention.rules";
constexpr char kMetaHoldSeq[] = "seq.hold";

// Objects indexed in idx_audit_obj: record ids, never paths of any length
// (an LMDB key is at most 511 bytes).
bool IndexableAuditObject(const std::string& object) { return !object.empty() && object.size() <= 400; }

// The file a document.link entry links its document into: its detail is
// "into <file code>: <reason>"; "" when it is not.
std::string LinkTarget(const AuditEntry& e) {
  if (e.action != "document.link" || e.detail.rfind("into ", 0) != 0) return "";
  const size_t colon = e.detail.find(": ", 5);
  return e.detail.substr(5, colon == std::string::npos ? std::string::npos : colon - 5);
}

// The record files a document was linked into (its document.link entries,
// through the by-object audit index).
Result<std::set<std::string>> LinkedFiles(const TxnView& t, const std::string& document_id) {
  std::set<std::string> files;
  KHOLUU_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, t.AuditEntriesFor(document_id));
  for (const AuditEntry& e : entries) {
    if (std::string file = LinkTarget(e); !file.empty()) files.insert(std::move(file));
  }
  return files;
}

Status Corrupt(std::string_view table, std::string_view key, const Status& s) {
  return DataLossError("catalog table " + std::string(table) + " key '" + std::string(key) +
                       "': " + s.message());
}

template <typename T, typename Decode>
Result<T> GetTyped(const lmdb::Txn& txn, MDB_dbi dbi, std::string_view table,
                   const std::string& key, Decode decode) {
  auto raw = txn.Get(dbi, key);
  if (!raw.ok()) {
    if (raw.status().code() == StatusCode::kNotFound) {
      return NotFoundError(std::string(table) + " '" + key + "' not found");
    }
    return raw.status();
  }
  Result<T> v = decode(*raw);
  if (!v.ok()) return Corrupt(table, key, v.status());
  return v;
}

Result<std::vector<std::string>> DupValues(const lmdb::Txn& txn, MDB_dbi dbi,
                                           std::string_view key) {
  std::vector<std::string> out;
  KHOLUU_ASSIGN_OR_RETURN(lmdb::Cursor cur, lmdb::Cursor::Open(txn, dbi));
  MDB_val k = lmdb::Val(key);
  MDB_val v{};
  KHOLUU_ASSIGN_OR_RETURN(bool found, cur.Get(MDB_SET_KEY, &k, &v));
  while (found) {
    out.emplace_back(lmdb::View(v));
    KHOLUU_ASSIGN_OR_RETURN(found, cur.Get(MDB_NEXT_DUP, &k, &v));
  }
  return out;
}

Status ScanTable(const lmdb::Txn& txn, MDB_dbi dbi,
                 const std::function<Status(std::string_view, std::string_view)>& fn) {
  KHOLUU_ASSIGN_OR_RETURN(lmdb::Cursor cur, lmdb::Cursor::Open(txn, dbi));
  MDB_val k{}, v{};
  KHOLUU_ASSIGN_OR_RETURN(bool found, cur.Get(MDB_FIRST, &k, &v));
  while (found) {
    KHOLUU_RETURN_IF_ERROR(fn(lmdb::View(k), lmdb::View(v)));
    KHOLUU_ASSIGN_OR_RETURN(found, cur.Get(MDB_NEXT, &k, &v));
  }
  return Status::Ok();
}

// Calls fn(key, value) for every entry of `dbi` whose key starts with
// `prefix`, in key order (every duplicate of a DUPSORT key).
Status ScanPrefix(const lmdb::Txn& txn, MDB_dbi dbi, std::string_view prefix,
                  const std::function<Status(std::string_view, std::string_view)>& fn) {
  KHOLUU_ASSIGN_OR_RETURN(lmdb::Cursor cur, lmdb::Cursor::Open(txn, dbi));
  MDB_val k = lmdb::Val(prefix);
  MDB_val v{};
  KHOLUU_ASSIGN_OR_RETURN(bool found, cur.Get(MDB_SET_RANGE, &k, &v));
  while (found && lmdb::View(k).substr(0, prefix.size()) == prefix) {
    KHOLUU_RETURN_IF_ERROR(fn(lmdb::View(k), lmdb::View(v)));
    KHOLUU_ASSIGN_OR_RETURN(found, cur.Get(MDB_NEXT, &k, &v));
  }
  return Status::Ok();
}

Result<uint64_t> Entries(const lmdb::Txn& txn, MDB_dbi dbi) {
  MDB_stat st{};
  lmdb::InLmdbCall in(mdb_txn_env(txn.get()));
  int rc = mdb_stat(txn.get(), dbi, &st);
  if (rc != 0) return lmdb::Error(rc, "stat");
  return static_cast<uint64_t>(st.ms_entries);
}

Status OpenDbis(const lmdb::Txn& txn, bool create, uint32_t schema_version, Dbs* d) {
  struct Spec {
    const char* name;
    MDB_dbi* dbi;
    unsigned flags;
    uint32_t since;  // schema version that introduced the table
  };
  const Spec specs[] = {
      {"meta", &d->meta, 0, 1},
      {"agencies", &d->agencies, 0, 1},
      {"record_files", &d->record_files, 0, 1},
      {"documents", &d->documents, 0, 1},
      {"components", &d->components, 0, 1},
      {"events", &d->events, 0, 1},
      {"audit", &d->audit, 0, 1},
      {"outbox", &d->outbox, 0, 1},
      {"idx_doc_file", &d->idx_doc_file, MDB_DUPSORT, 1},
      {"idx_doc_edxml", &d->idx_doc_edxml, MDB_DUPSORT, 1},
      {"idx_doc_dupkey", &d->idx_doc_dupkey, MDB_DUPSORT, 1},
      {"idx_comp_sha", &d->idx_comp_sha, MDB_DUPSORT, 1},
      {"idx_comp_doc", &d->idx_comp_doc, MDB_DUPSORT, 2},
      {"idx_event_obj", &d->idx_event_obj, MDB_DUPSORT, 1},
      {"jobs", &d->jobs, 0, 3},
      {"idx_audit_obj", &d->idx_audit_obj, MDB_DUPSORT, 4},
      {"retention", &d->retention, 0, 5},
      {"idx_due", &d->idx_due, 0, 5},
      {"holds", &d->holds, 0, 5},
      {"idx_hold_obj", &d->idx_hold_obj, MDB_DUPSORT, 5},
  };
  for (const Spec& s : specs) {
    unsigned flags = s.flags;
    if (create || s.since > schema_version) flags |= MDB_CREATE;
    lmdb::InLmdbCall in(mdb_txn_env(txn.get()));
    int rc = mdb_dbi_open(txn.get(), s.name, flags, s.dbi);
    if (rc == MDB_NOTFOUND && !create && s.since > schema_version) continue;
    if (rc != 0) return lmdb::Error(rc, std::string("open table ") + s.name);
  }
  return Status::Ok();
}

bool IsDataFileName(const std::string& dir) { return PathExists(JoinPath(dir, "data.mdb")); }

std::string DueKey(DueKind kind, const model::CivilDate& date, const std::string& file_code) {
  return std::string(1, static_cast<char>(kind)) + date.ToString() + file_code;
}

// The due index entries of one record file's retention under `rules`
// (ADR 0080): what its stage still waits for.
std::vector<std::string> DueKeys(const model::FileRetention& v, const model::RetentionRules& rules) {
  std::vector<std::string> keys;
  const bool with_unit = v.stage == model::RetentionStage::kWithUnit;
  if (!with_unit && v.stage != model::RetentionStage::kCurrent) return keys;  // transferred or destroyed
  const model::DueDates due = model::ComputeDueDates(v.facts, rules);
  if (with_unit && due.transfer_current) keys.push_back(DueKey(DueKind::kTransferCurrent, *due.transfer_current, v.file_code));
  if (!with_unit && due.transfer_historical) {
    keys.push_back(DueKey(DueKind::kTransferHistorical, *due.transfer_historical, v.file_code));
  }
  if (due.expires) keys.push_back(DueKey(DueKind::kExpiry, *due.expires, v.file_code));
  if (due.awaiting_event || (with_unit && due.awaiting_settlement)) {
    keys.push_back(DueKey(DueKind::kAwaiting, v.facts.work_ended, v.file_code));
  }
  return keys;
}

// A due key split up; false if malformed.
bool ParseDueKey(std::string_view key, DueEntry* out) {
  if (key.size() < 12) return false;
  if (model::DueKindName(static_cast<DueKind>(key[0])).empty()) return false;
  auto date = model::CivilDate::Parse(key.substr(1, 10));
  if (!date.ok()) return false;
  out->kind = static_cast<DueKind>(key[0]);
  out->date = *date;
  out->file_code = std::string(key.substr(11));
  return true;
}


}  // namespace

// ---------------------------------------------------------------- TxnView

TxnView::TxnView(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TxnView::~TxnView() = default;
TxnView::TxnView(TxnView&&) noexcept = default;

Result<model::Agency> TxnView::GetAgency(const std::string& organ_id) const {
  return GetTyped<model::Agency>(impl_->txn, impl_->sh->dbs.agencies, "agency", organ_id,
                                 DecodeAgency);
}
Result<model::RecordFile> TxnView::GetRecordFile(const std::string& file_code) const {
  return GetTyped<model::RecordFile>(impl_->txn, impl_->sh->dbs.record_files, "record file",
                                     file_code, DecodeRecordFile);
}
Result<model::Document> TxnView::GetDocument(const std::string& id) const {
  return GetTyped<model::Document>(impl_->txn, impl_->sh->dbs.documents, "document", id,
                                   DecodeDocument);
}
Result<model::Component> TxnView::GetComponent(const std::string& id) const {
  return GetTyped<model::Component>(impl_->txn, impl_->sh->dbs.components, "component", id,
                                    DecodeComponent);
}
Result<model::Event> TxnView::GetEvent(uint64_t seq) const {
  auto raw = impl_->txn.Get(impl_->sh->dbs.events, lmdb::U64Key(seq));
  if (!raw.ok()) {
    if (raw.status().code() == StatusCode::kNotFound) {
      return NotFoundError("event " + std::to_string(seq) + " not found");
    }
    return raw.status();
  }
  Result<model::Event> e = DecodeEvent(*raw);
  if (!e.ok()) return Corrupt("events", std::to_string(seq), e.status());
  return e;
}
Result<model::IngestJob> TxnView::GetJob(const std::string& id) const {
  return GetTyped<model::IngestJob>(impl_->txn, impl_->sh->dbs.jobs, "job", id, DecodeJob);
}

Status TxnView::ForEachJob(const std::function<Status(const model::IngestJob&)>& fn) const {
  return ScanTable(impl_->txn, impl_->sh->dbs.jobs, [&](std::string_view k, std::string_view v) -> Status {
    Result<model::IngestJob> r = DecodeJob(v);
    if (!r.ok()) return Corrupt("jobs", k, r.status());
    return fn(*r);
  });
}

Result<std::string> TxnView::GetMeta(const std::string& key) const {
  KHOLUU_ASSIGN_OR_RETURN(std::string_view v, impl_->txn.Get(impl_->sh->dbs.meta, key));
  return std::string(v);
}

Result<model::FileRetention> TxnView::GetRetention(const std::string& file_code) const {
  if (impl_->sh->dbs.retention == 0) return NotFoundError("no retention for " + file_code);
  return GetTyped<model::FileRetention>(impl_->txn, impl_->sh->dbs.retention, "retention", file_code,
                                        DecodeFileRetention);
}

Result<model::RetentionRules> TxnView::GetRetentionRules() const {
  auto raw = impl_->txn.Get(impl_->sh->dbs.meta, kMetaRetentionRules);
  if (!raw.ok()) {
    if (raw.status().code() == StatusCode::kNotFound) return model::RetentionRules{};
    return raw.status();
  }
  return DecodeRetentionRules(*raw);
}

Status TxnView::ForEachDue(DueKind kind, const model::CivilDate& until,
                           const std::function<Status(const DueEntry&)>& fn) const {
  if (impl_->sh->dbs.idx_due == 0) return Status::Ok();
  const std::string from(1, static_cast<char>(kind));
  const std::string last = from + until.ToString();
  KHOLUU_ASSIGN_OR_RETURN(lmdb::Cursor cur, lmdb::Cursor::Open(impl_->txn, impl_->sh->dbs.idx_due));
  MDB_val k = lmdb::Val(from);
  MDB_val v{};
  KHOLUU_ASSIGN_OR_RETURN(bool found, cur.Get(MDB_SET_RANGE, &k, &v));
  while (found) {
    const std::string_view key = lmdb::View(k);
    if (key.empty() || key[0] != static_cast<char>(kind) || key.substr(0, 11) > last) break;
    DueEntry e;
    if (!ParseDueKey(key, &e)) return DataLossError("malformed due index entry '" + std::string(key) + "'");
    KHOLUU_RETURN_IF_ERROR(fn(e));
    KHOLUU_ASSIGN_OR_RETURN(found, cur.Get(MDB_NEXT, &k, &v));
  }
  return Status::Ok();
}

Status TxnView::ForEachRetention(const std::function<Status(const model::FileRetention&)>& fn) const {
  if (impl_->sh->dbs.retention == 0) return Status::Ok();
  return ScanTable(impl_->txn, impl_->sh->dbs.retention, [&](std::string_view k, std::string_view v) -> Status {
    auto r = DecodeFileRetention(v);
    if (!r.ok()) return Corrupt("retention", k, r.status());
    return fn(*r);
  });
}

Result<model::Hold> TxnView::GetHold(const std::string& id) const {
  if (impl_->sh->dbs.holds == 0) return NotFoundError("no hold " + id);
  return GetTyped<model::Hold>(impl_->txn, impl_->sh->dbs.holds, "hold", id, DecodeHold);
}

Status TxnView::ForEachHold(const std::function<Status(const model::Hold&)>& fn) const {
  if (impl_->sh->dbs.holds == 0) return Status::Ok();
  return ScanTable(impl_->txn, impl_->sh->dbs.holds, [&](std::string_view k, std::string_view v) -> Status {
    auto h = DecodeHold(v);
    if (!h.ok()) return Corrupt("holds", k, h.status());
    return fn(*h);
  });
}

Result<std::vector<model::Hold>> TxnView::HoldsCovering(const std::string& object) const {
  std::vector<model::Hold> out;
  const Dbs& d = impl_->sh->dbs;
  if (d.idx_hold_obj == 0 || object.empty()) return out;
  // The object, its document (a component), its record file and the files
  // it is linked into (a document).
  std::set<std::string> covering = {object};
  std::string doc_id = object;
  if (const size_t slash = object.find('/'); slash != std::string::npos) {
    doc_id = object.substr(0, slash);
    covering.insert(doc_id);
  }
  auto doc = GetDocument(doc_id);
  if (doc.ok()) {
    covering.insert(doc->file_code.ToString());
    KHOLUU_ASSIGN_OR_RETURN(std::set<std::string> linked, LinkedFiles(*this, doc_id));
    covering.insert(linked.begin(), linked.end());
  } else if (doc.status().code() != StatusCode::kNotFound) {
    return doc.status();
  }
  std::set<std::string> ids;
  for (const std::string& c : covering) {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> held, DupValues(impl_->txn, d.idx_hold_obj, c));
    ids.insert(held.begin(), held.end());
  }
  for (const std::string& id : ids) {
    KHOLUU_ASSIGN_OR_RETURN(model::Hold h, GetHold(id));
    if (h.in_force()) out.push_back(std::move(h));
  }
  return out;
}

Status TxnView::ForEachMeta(const std::string& prefix,
                            const std::function<Status(std::string_view, std::string_view)>& fn) const {
  return ScanTable(impl_->txn, impl_->sh->dbs.meta, [&](std::string_view k, std::string_view v) -> Status {
    if (k.substr(0, prefix.size()) != prefix) return Status::Ok();
    return fn(k, v);
  });
}

Result<std::vector<std::string>> TxnView::DocumentsInFile(const std::string& file_code) const {
  return DupValues(impl_->txn, impl_->sh->dbs.idx_doc_file, file_code);
}
Result<std::vector<std::string>> TxnView::DocumentsByEdxmlId(const std::string& id) const {
  return DupValues(impl_->txn, impl_->sh->dbs.idx_doc_edxml, id);
}
Result<std::vector<std::string>> TxnView::DocumentsByDuplicateKey(const std::string& key) const {
  return DupValues(impl_->txn, impl_->sh->dbs.idx_doc_dupkey, key);
}
Result<std::vector<std::string>> TxnView::ComponentsBySha256(const Sha256& digest) const {
  return DupValues(impl_->txn, impl_->sh->dbs.idx_comp_sha, digest.raw());
}
Result<std::vector<std::string>> TxnView::ComponentsOfDocument(
    const std::string& document_id) const {
  return DupValues(impl_->txn, impl_->sh->dbs.idx_comp_doc, document_id);
}
Result<std::vector<model::Event>> TxnView::EventsFor(const std::string& object_id) const {
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> keys,
                          DupValues(impl_->txn, impl_->sh->dbs.idx_event_obj, object_id));
  std::vector<model::Event> out;
  for (const std::string& k : keys) {
    uint64_t seq = 0;
    if (!lmdb::ParseU64Key(k, &seq)) return DataLossError("malformed event index entry");
    KHOLUU_ASSIGN_OR_RETURN(model::Event e, GetEvent(seq));
    out.push_back(std::move(e));
  }
  return out;
}

Status TxnView::ForEachRecordFile(
    const std::function<Status(const model::RecordFile&)>& fn) const {
  return ScanTable(impl_->txn, impl_->sh->dbs.record_files,
                   [&](std::string_view k, std::string_view v) -> Status {
                     Result<model::RecordFile> r = DecodeRecordFile(v);
                     if (!r.ok()) return Corrupt("record_files", k, r.status());
                     return fn(*r);
                   });
}
Status TxnView::ForEachDocument(const std::function<Status(const model::Document&)>& fn) const {
  return ScanTable(impl_->txn, impl_->sh->dbs.documents,
                   [&](std::string_view k, std::string_view v) -> Status {
                     Result<model::Document> r = DecodeDocument(v);
                     if (!r.ok()) return Corrupt("documents", k, r.status());
                     return fn(*r);
                   });
}
Status TxnView::ForEachComponent(
    const std::function<Status(const model::Component&)>& fn) const {
  return ScanTable(impl_->txn, impl_->sh->dbs.components,
                   [&](std::string_view k, std::string_view v) -> Status {
                     Result<model::Component> r = DecodeComponent(v);
                     if (!r.ok()) return Corrupt("components", k, r.status());
                     return fn(*r);
                   });
}
Status TxnView::ForEachAuditEntry(const std::function<Status(const AuditEntry&)>& fn) const {
  return ScanTable(impl_->txn, impl_->sh->dbs.audit,
                   [&](std::string_view k, std::string_view v) -> Status {
                     Result<AuditEntry> e = DecodeAuditEntry(v);
                     if (!e.ok()) {
                       // Name the entry: the user must know which one is damaged.
                       uint64_t seq = 0;
                       return DataLossError("audit entry " +
                                            (lmdb::ParseU64Key(k, &seq) ? std::to_string(seq) : "with a malformed key") +
                                            ": " + e.status().message());
                     }
                     return fn(*e);
                   });
}
Status TxnView::ForEachOutbox(const std::function<Status(const OutboxEntry&)>& fn) const {
  return ScanTable(impl_->txn, impl_->sh->dbs.outbox,
                   [&](std::string_view k, std::string_view v) -> Status {
                     OutboxEntry e;
                     size_t tab = v.find('\t');
                     if (!lmdb::ParseU64Key(k, &e.seq) || tab == std::string_view::npos) {
                       return DataLossError("malformed outbox entry");
                     }
                     e.op = v.substr(0, tab);
                     e.document_id = v.substr(tab + 1);
                     return fn(e);
                   });
}

Result<AuditReport> TxnView::VerifyAudit() const {
  AuditReport report;
  Sha256 prev;
  uint64_t expected_seq = 1;
  auto fail = [&](uint64_t seq, std::string why) {
    report.ok = false;
    report.first_bad = seq;
    report.problem = std::move(why);
  };
  KHOLUU_ASSIGN_OR_RETURN(lmdb::Cursor cur, lmdb::Cursor::Open(impl_->txn, impl_->sh->dbs.audit));
  MDB_val k{}, v{};
  KHOLUU_ASSIGN_OR_RETURN(bool found, cur.Get(MDB_FIRST, &k, &v));
  while (found) {
    uint64_t key_seq = 0;
    if (!lmdb::ParseU64Key(lmdb::View(k), &key_seq)) {
      fail(expected_seq, "malformed key in the audit table");
      return report;
    }
    if (key_seq != expected_seq) {
      fail(expected_seq, "entry " + std::to_string(expected_seq) + " is missing (next is " +
                             std::to_string(key_seq) + ")");
      return report;
    }
    Result<AuditEntry> e = DecodeAuditEntry(lmdb::View(v));
    if (!e.ok()) {
      fail(key_seq, e.status().message());
      return report;
    }
    if (e->seq != key_seq) {
      fail(key_seq, "entry says it is number " + std::to_string(e->seq));
      return report;
    }
    if (e->prev_hash != prev) {
      fail(key_seq, "link to the previous entry is broken");
      return report;
    }
    if (e->ComputeHash() != e->hash) {
      fail(key_seq, "content does not match its hash (entry was altered)");
      return report;
    }
    prev = e->hash;
    ++report.entries;
    ++expected_seq;
    KHOLUU_ASSIGN_OR_RETURN(found, cur.Get(MDB_NEXT, &k, &v));
  }
  // The head in meta guards against removal of the newest entries.
  auto head = impl_->txn.Get(impl_->sh->dbs.meta, kMetaAuditHead);
  if (!head.ok() && head.status().code() != StatusCode::kNotFound) return head.status();
  uint64_t head_seq = 0;
  Sha256 head_hash;
  if (head.ok()) {
    if (head->size() != 8 + Sha256::kSize || !lmdb::ParseU64Key(head->substr(0, 8), &head_seq)) {
      fail(report.entries + 1, "audit head record is malformed");
      return report;
    }
    head_hash = *Sha256::FromBytes(head->substr(8));
  }
  if (head_seq != report.entries || head_hash != prev) {
    fail(report.entries + 1 <= head_seq ? report.entries + 1 : head_seq,
         "chain ends at entry " + std::to_string(report.entries) +
             " but the recorded head is entry " + std::to_string(head_seq) +
             " (entries were removed or the head was altered)");
  }
  return report;
}

namespace {

// What the audit log says a row's current state is.
struct LastWrite {
  uint64_t entry = 0;
  bool deleted = false;
  Sha256 payload;
  bool seen = false;  // the row was found in its table
};

struct AuditedTable {
  const char* name;  // as in the audit actions that write it: "<name>.create"
  MDB_dbi dbi;
};

// The row tables whose every write is audited with the value's hash.
std::vector<AuditedTable> AuditedTables(const Dbs& d) {
  std::vector<AuditedTable> tables = {
      {"agency", d.agencies}, {"record_file", d.record_files}, {"document", d.documents}, {"component", d.components}};
  if (d.jobs != 0) tables.push_back({"job", d.jobs});
  if (d.retention != 0) tables.push_back({"retention", d.retention});
  if (d.holds != 0) tables.push_back({"hold", d.holds});
  return tables;
}

// A row's stored value (null: absent) against its last write (null: none);
// "" when they agree, else what differs.
std::string RowAgainstHistory(const std::string_view* value, const LastWrite* last) {
  if (last == nullptr) {
    return value == nullptr ? "" : "the row was written outside the archive: no audit entry records it";
  }
  const std::string entry = std::to_string(last->entry);
  if (last->deleted) return value == nullptr ? "" : "the row is present but audit entry " + entry + " deleted it";
  if (value == nullptr) return "the row audit entry " + entry + " wrote is missing (deleted outside the archive)";
  if (Sha256Of(*value) != last->payload) {
    return "the stored state differs from the state audit entry " + entry +
           " recorded (the row was altered outside the archive)";
  }
  return "";
}

// An order-independent digest of a set of (key, value) pairs: their number
// and the sum, mod 2^256, of SHA-256(len(key) || key || value) of each. Two
// sets with equal digests are equal but for a deliberate collision search.
class PairSetDigest {
 public:
  void Add(std::string_view key, std::string_view value) {
    Sha256Hasher h;
    const uint64_t n = key.size();
    h.Update(&n, sizeof n);
    h.Update(key);
    h.Update(value);
    const Sha256 d = h.Finish();
    unsigned carry = 0;
    for (size_t i = Sha256::kSize; i-- > 0;) {
      const unsigned t = sum_[i] + d.bytes()[i] + carry;
      sum_[i] = static_cast<uint8_t>(t & 0xff);
      carry = t >> 8;
    }
    ++count_;
  }
  bool operator==(const PairSetDigest& o) const { return count_ == o.count_ && sum_ == o.sum_; }

 private:
  std::array<uint8_t, Sha256::kSize> sum_{};
  uint64_t count_ = 0;
};

// The secondary indexes that list a record's parts, each derived from the
// rows and the log: what VerifyState compares them with.
struct DerivedIndex {
  const char* name;
  MDB_dbi dbi;
  // Calls fn(key, value) for every entry the index should hold (only when
  // the index differs, to list the differences).
  std::function<Status(const std::function<void(std::string_view, std::string_view)>&)> expected;
  PairSetDigest want;  // the digest of what `expected` enumerates
};

// An index entry that is there without a record behind it (`listed`), or
// a record's entry missing from the index.
StateProblem IndexMismatch(std::string_view index, const std::string& key, const std::string& value, bool listed) {
  return {"index", std::string(index) + " " + key + " -> " + value, 0,
          listed ? "in the index but not in the records: " + key + " lists " + value +
                       " (the index was changed outside the archive)"
                 : "missing from the index: " + key + " no longer lists " + value +
                       " (the index was changed outside the archive)"};
}

void AddLinkEntry(const AuditEntry& e, std::set<std::pair<std::string, std::string>>* links) {
  std::string file = LinkTarget(e);
  if (!file.empty()) links->emplace(std::move(file), e.object);
}

}  // namespace

Result<StateReport> TxnView::VerifyState() const {
  const Dbs& d = impl_->sh->dbs;
  StateReport report;
  auto problem = [&](std::string table, std::string key, uint64_t entry, std::string why) {
    ++report.problem_count;
    if (report.problems.size() < StateReport::kMaxListed) {
      report.problems.push_back({std::move(table), std::move(key), entry, std::move(why)});
    }
  };
  const std::vector<AuditedTable> tables = AuditedTables(d);

  // One pass over the log: the last write of every row; the event values;
  // the digests of the index entries the log alone implies (a document's
  // links into other files, every object's audit entries).
  std::unordered_map<std::string, LastWrite> last;  // "table\n" + key
  std::unordered_map<std::string, std::vector<uint64_t>> events;  // payload -> entries
  std::set<std::pair<std::string, std::string>> links;  // (file code, document id)
  PairSetDigest audit_digest;
  const bool audit_index = d.idx_audit_obj != 0;
  KHOLUU_RETURN_IF_ERROR(ForEachAuditEntry([&](const AuditEntry& e) -> Status {
    if (audit_index && IndexableAuditObject(e.object)) audit_digest.Add(e.object, lmdb::U64Key(e.seq));
    if (e.action == "document.link") AddLinkEntry(e, &links);
    const size_t dot = e.action.rfind('.');
    if (dot == std::string::npos) return Status::Ok();
    const std::string_view table = std::string_view(e.action).substr(0, dot);
    const std::string_view op = std::string_view(e.action).substr(dot + 1);
    if (e.action == "event.create") {
      events[std::string(e.payload.raw())].push_back(e.seq);
      return Status::Ok();
    }
    if (e.action == "meta.set") {
      last["meta\n" + e.object] = {e.seq, false, e.payload, false};
      return Status::Ok();
    }
    bool row_table = false;
    for (const AuditedTable& t : tables) row_table = row_table || table == t.name;
    if (!row_table) return Status::Ok();
    if (op == "create" || op == "update") {
      last[std::string(table) + "\n" + e.object] = {e.seq, false, e.payload, false};
    } else if (op == "delete") {
      last[std::string(table) + "\n" + e.object] = {e.seq, true, {}, false};
    }
    return Status::Ok();
  }));

  for (const AuditedTable& t : tables) {
    KHOLUU_RETURN_IF_ERROR(ScanTable(impl_->txn, t.dbi, [&](std::string_view k, std::string_view v) -> Status {
      ++report.rows;
      const std::string key(k);
      auto it = last.find(std::string(t.name) + "\n" + key);
      LastWrite* w = it == last.end() ? nullptr : &it->second;
      if (w != nullptr) w->seen = true;
      std::string why = RowAgainstHistory(&v, w);
      if (!why.empty()) problem(t.name, key, w == nullptr ? 0 : w->entry, std::move(why));
      return Status::Ok();
    }));
  }
  PairSetDigest event_digest;  // what idx_event_obj should hold
  KHOLUU_RETURN_IF_ERROR(ScanTable(impl_->txn, d.events, [&](std::string_view k, std::string_view v) -> Status {
    ++report.rows;
    if (auto ev = DecodeEvent(v); ev.ok()) event_digest.Add(ev->object_id, k);
    uint64_t seq = 0;
    const std::string key = lmdb::ParseU64Key(k, &seq) ? std::to_string(seq) : std::string(k);
    auto it = events.find(std::string(Sha256Of(v).raw()));
    if (it == events.end() || it->second.empty()) {
      problem("event", key, 0, "the event differs from every event the audit log recorded (altered or inserted)");
      return Status::Ok();
    }
    it->second.pop_back();
    return Status::Ok();
  }));
  for (const auto& [payload, entries] : events) {
    for (uint64_t entry : entries) {
      problem("event", "", entry, "the event recorded by audit entry " + std::to_string(entry) + " is missing");
    }
  }
  // The indexes that list a record's parts (a document's components, a
  // file's documents, an object's events and audit entries) against the
  // rows and the log they derive from: a changed index would hide a part
  // from `show` and from `verify ID`. One pass each with an
  // order-independent digest, the log's share taken in the pass above; only
  // an index that differs is enumerated again and listed entry by entry.
  {
    auto components = [&](const std::function<void(std::string_view, std::string_view)>& add) -> Status {
      return ForEachComponent([&](const model::Component& c) -> Status {
        add(c.document_id, c.id);
        return Status::Ok();
      });
    };
    auto documents = [&](const std::function<void(std::string_view, std::string_view)>& add) -> Status {
      KHOLUU_RETURN_IF_ERROR(ForEachDocument([&](const model::Document& doc) -> Status {
        add(doc.file_code.ToString(), doc.id);
        return Status::Ok();
      }));
      // Links into other files than the owner (a link into the file that
      // owns the document is the same entry).
      for (const auto& [file, id] : links) {
        auto doc = GetDocument(id);
        if (!doc.ok() && doc.status().code() != StatusCode::kNotFound) return doc.status();
        if (doc.ok() && doc->file_code.ToString() == file) continue;
        add(file, id);
      }
      return Status::Ok();
    };
    auto events_of = [&](const std::function<void(std::string_view, std::string_view)>& add) -> Status {
      return ScanTable(impl_->txn, d.events, [&](std::string_view k, std::string_view v) -> Status {
        auto ev = DecodeEvent(v);
        if (ev.ok()) add(ev->object_id, k);
        return Status::Ok();
      });
    };
    auto audit_of = [&](const std::function<void(std::string_view, std::string_view)>& add) -> Status {
      return ForEachAuditEntry([&](const AuditEntry& e) -> Status {
        if (IndexableAuditObject(e.object)) add(e.object, lmdb::U64Key(e.seq));
        return Status::Ok();
      });
    };
    PairSetDigest component_digest, document_digest;
    KHOLUU_RETURN_IF_ERROR(components([&](std::string_view k, std::string_view v) { component_digest.Add(k, v); }));
    KHOLUU_RETURN_IF_ERROR(documents([&](std::string_view k, std::string_view v) { document_digest.Add(k, v); }));
    std::vector<DerivedIndex> indexes = {{"idx_comp_doc", d.idx_comp_doc, components, component_digest},
                                         {"idx_doc_file", d.idx_doc_file, documents, document_digest},
                                         {"idx_event_obj", d.idx_event_obj, events_of, event_digest}};
    if (audit_index) indexes.push_back({"idx_audit_obj", d.idx_audit_obj, audit_of, audit_digest});
    if (d.idx_due != 0) {
      KHOLUU_ASSIGN_OR_RETURN(model::RetentionRules rules, GetRetentionRules());
      auto due_of = [this, rules](const std::function<void(std::string_view, std::string_view)>& add) -> Status {
        return ForEachRetention([&](const model::FileRetention& r) -> Status {
          for (const std::string& k : DueKeys(r, rules)) add(k, "");
          return Status::Ok();
        });
      };
      PairSetDigest due_digest;
      KHOLUU_RETURN_IF_ERROR(due_of([&](std::string_view k, std::string_view v) { due_digest.Add(k, v); }));
      indexes.push_back({"idx_due", d.idx_due, due_of, due_digest});
    }
    // A hold's entries: removing one would lift the hold on that object.
    if (d.idx_hold_obj != 0) {
      auto held = [this](const std::function<void(std::string_view, std::string_view)>& add) -> Status {
        return ForEachHold([&](const model::Hold& h) -> Status {
          if (h.in_force()) {
            for (const std::string& o : h.objects) add(o, h.id);
          }
          return Status::Ok();
        });
      };
      PairSetDigest hold_digest;
      KHOLUU_RETURN_IF_ERROR(held([&](std::string_view k, std::string_view v) { hold_digest.Add(k, v); }));
      indexes.push_back({"idx_hold_obj", d.idx_hold_obj, held, hold_digest});
    }
    auto shown = [](std::string_view name, std::string_view v) {
      uint64_t seq = 0;
      if ((name == "idx_event_obj" || name == "idx_audit_obj") && lmdb::ParseU64Key(v, &seq)) return std::to_string(seq);
      return std::string(v);
    };
    for (const DerivedIndex& x : indexes) {
      PairSetDigest have;
      KHOLUU_RETURN_IF_ERROR(ScanTable(impl_->txn, x.dbi, [&](std::string_view k, std::string_view v) -> Status {
        have.Add(k, v);
        return Status::Ok();
      }));
      if (x.want == have) continue;
      std::set<std::pair<std::string, std::string>> expected, actual;
      KHOLUU_RETURN_IF_ERROR(x.expected([&](std::string_view k, std::string_view v) { expected.emplace(k, v); }));
      KHOLUU_RETURN_IF_ERROR(ScanTable(impl_->txn, x.dbi, [&](std::string_view k, std::string_view v) -> Status {
        actual.emplace(k, v);
        return Status::Ok();
      }));
      auto add = [&](const std::string& k, const std::string& v, bool listed) {
        StateProblem p;
        DueEntry due;
        if (std::string_view(x.name) == "idx_due" && ParseDueKey(k, &due)) {
          p = IndexMismatch(x.name, due.file_code, std::string(model::DueKindName(due.kind)) + " " + due.date.ToString(), listed);
        } else {
          p = IndexMismatch(x.name, k, shown(x.name, v), listed);
        }
        problem(p.table, p.key, p.entry, p.problem);
      };
      for (const auto& [k, v] : expected) {
        if (!actual.count({k, v})) add(k, v, false);
      }
      for (const auto& [k, v] : actual) {
        if (!expected.count({k, v})) add(k, v, true);
      }
    }
  }
  // Audited meta keys: compared where the log wrote them.
  for (auto& [k, w] : last) {
    if (k.rfind("meta\n", 0) != 0) continue;
    const std::string key = k.substr(5);
    auto v = impl_->txn.Get(d.meta, key);
    ++report.rows;
    w.seen = true;
    if (!v.ok()) {
      if (v.status().code() != StatusCode::kNotFound) return v.status();
      problem("meta", key, w.entry, "the value audit entry " + std::to_string(w.entry) + " set is missing");
    } else if (Sha256Of(*v) != w.payload) {
      problem("meta", key, w.entry,
              "the stored value differs from the value audit entry " + std::to_string(w.entry) + " set");
    }
  }
  for (const auto& [k, w] : last) {
    if (w.seen) continue;
    std::string why = RowAgainstHistory(nullptr, &w);
    if (why.empty()) continue;  // deleted, and absent
    const size_t nl = k.find('\n');
    problem(k.substr(0, nl), k.substr(nl + 1), w.entry, std::move(why));
  }
  std::sort(report.problems.begin(), report.problems.end(), [](const StateProblem& a, const StateProblem& b) {
    return std::tie(a.table, a.key, a.entry) < std::tie(b.table, b.key, b.entry);
  });
  return report;
}

Result<std::vector<AuditEntry>> TxnView::AuditEntriesFor(const std::string& object) const {
  std::vector<AuditEntry> out;
  if (impl_->sh->dbs.idx_audit_obj == 0 || !IndexableAuditObject(object)) return out;
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> keys,
                          DupValues(impl_->txn, impl_->sh->dbs.idx_audit_obj, object));
  for (const std::string& k : keys) {
    uint64_t seq = 0;
    if (!lmdb::ParseU64Key(k, &seq)) return DataLossError("malformed audit index entry for " + object);
    KHOLUU_ASSIGN_OR_RETURN(AuditEntry e, GetAuditEntry(seq));
    if (e.object != object) {
      return DataLossError("audit index names entry " + std::to_string(seq) + " for " + object +
                           " but the entry is about " + e.object);
    }
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const AuditEntry& a, const AuditEntry& b) { return a.seq < b.seq; });
  return out;
}

Result<AuditEntry> TxnView::GetAuditEntry(uint64_t seq) const {
  auto raw = impl_->txn.Get(impl_->sh->dbs.audit, lmdb::U64Key(seq));
  if (!raw.ok()) {
    if (raw.status().code() == StatusCode::kNotFound) {
      return NotFoundError("audit entry " + std::to_string(seq) + " not found");
    }
    return raw.status();
  }
  KHOLUU_ASSIGN_OR_RETURN(AuditEntry e, DecodeAuditEntry(*raw));
  if (e.seq != seq) return DataLossError("audit entry " + std::to_string(seq) + " says it is " + std::to_string(e.seq));
  return e;
}

Result<std::string> TxnView::CheckAuditEntryInPlace(uint64_t seq) const {
  auto e = GetAuditEntry(seq);
  if (!e.ok()) {
    if (e.status().code() == StatusCode::kNotFound || e.status().code() == StatusCode::kDataLoss) {
      return e.status().message();
    }
    return e.status();
  }
  if (e->ComputeHash() != e->hash) return "entry " + std::to_string(seq) + " was altered (its hash does not match)";
  if (seq > 1) {
    auto prev = GetAuditEntry(seq - 1);
    if (!prev.ok()) return "entry " + std::to_string(seq - 1) + " before it: " + prev.status().message();
    if (prev->hash != e->prev_hash) return "the link from entry " + std::to_string(seq - 1) + " is broken";
  } else if (!e->prev_hash.IsZero()) {
    return std::string("entry 1 links to a previous entry");
  }
  auto next = GetAuditEntry(seq + 1);
  if (next.ok()) {
    if (next->prev_hash != e->hash) return "the link to entry " + std::to_string(seq + 1) + " is broken";
    return std::string();
  }
  if (next.status().code() != StatusCode::kNotFound) return "entry " + std::to_string(seq + 1) + " after it: " + next.status().message();
  // The newest entry: it must be the recorded head.
  auto head = impl_->txn.Get(impl_->sh->dbs.meta, kMetaAuditHead);
  if (!head.ok() || head->size() != 8 + Sha256::kSize) return std::string("the audit head is missing or malformed");
  uint64_t head_seq = 0;
  if (!lmdb::ParseU64Key(head->substr(0, 8), &head_seq) || head_seq != seq ||
      *Sha256::FromBytes(head->substr(8)) != e->hash) {
    return "entry " + std::to_string(seq) + " is the last one but the recorded head differs";
  }
  return std::string();
}

Result<std::string> TxnView::RawRow(const std::string& table, const std::string& key) const {
  if (table == "event") {
    uint64_t seq = 0;
    if (key.empty() || key.size() > 20 || key.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgumentError("bad event number " + key);
    }
    seq = std::stoull(key);
    KHOLUU_ASSIGN_OR_RETURN(std::string_view v, impl_->txn.Get(impl_->sh->dbs.events, lmdb::U64Key(seq)));
    return std::string(v);
  }
  for (const AuditedTable& t : AuditedTables(impl_->sh->dbs)) {
    if (table != t.name) continue;
    KHOLUU_ASSIGN_OR_RETURN(std::string_view v, impl_->txn.Get(t.dbi, key));
    return std::string(v);
  }
  return InvalidArgumentError("no audited table " + table);
}

Result<std::vector<StateProblem>> TxnView::VerifyRow(const std::string& table, const std::string& key) const {
  MDB_dbi dbi = 0;
  for (const AuditedTable& t : AuditedTables(impl_->sh->dbs)) {
    if (table == t.name) dbi = t.dbi;
  }
  if (dbi == 0) return InvalidArgumentError("no audited table " + table);
  std::vector<StateProblem> out;
  KHOLUU_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, AuditEntriesFor(key));
  std::optional<LastWrite> last;
  for (const AuditEntry& e : entries) {
    if (e.action == table + ".create" || e.action == table + ".update") last = LastWrite{e.seq, false, e.payload, true};
    if (e.action == table + ".delete") last = LastWrite{e.seq, true, {}, true};
  }
  auto value = impl_->txn.Get(dbi, key);
  if (!value.ok() && value.status().code() != StatusCode::kNotFound) return value.status();
  if (!last && !value.ok()) return NotFoundError(table + " " + key + " not found");
  const std::string_view* stored = value.ok() ? &*value : nullptr;
  std::string why = RowAgainstHistory(stored, last ? &*last : nullptr);
  if (!why.empty()) out.push_back({table, key, last ? last->entry : 0, std::move(why)});
  if (!last) return out;
  KHOLUU_ASSIGN_OR_RETURN(std::string place, CheckAuditEntryInPlace(last->entry));
  if (!place.empty()) out.push_back({table, key, last->entry, "its audit entry does not hold: " + place});
  return out;
}

Result<PartsCheck> TxnView::CheckParts(const std::string& table, const std::string& id) const {
  const Dbs& d = impl_->sh->dbs;
  const bool document = table == "document";
  if (!document && table != "record_file") return InvalidArgumentError("no parts index for table " + table);
  const std::string part_table = document ? "component" : "document";
  const std::string prefix = id + (document ? "/" : ".");
  // A part id minted in this record: the prefix and a number.
  auto minted_here = [&](std::string_view key) {
    if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix) return false;
    return key.substr(prefix.size()).find_first_not_of("0123456789") == std::string_view::npos;
  };
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> listed_v,
                          DupValues(impl_->txn, document ? d.idx_comp_doc : d.idx_doc_file, id));
  const std::set<std::string> listed(listed_v.begin(), listed_v.end());
  std::set<std::string> expected;
  std::set<std::string> candidates;  // parts minted here, from the rows and the log
  KHOLUU_RETURN_IF_ERROR(ScanPrefix(impl_->txn, document ? d.components : d.documents, prefix,
                                    [&](std::string_view k, std::string_view) -> Status {
                                      if (minted_here(k)) candidates.emplace(k);
                                      return Status::Ok();
                                    }));
  if (d.idx_audit_obj != 0) {
    KHOLUU_RETURN_IF_ERROR(ScanPrefix(impl_->txn, d.idx_audit_obj, prefix,
                                      [&](std::string_view k, std::string_view) -> Status {
                                        if (minted_here(k)) candidates.emplace(k);
                                        return Status::Ok();
                                      }));
  }
  // A part belongs here when its row says so; a part whose row is missing
  // belongs where the log's last write of it said (VerifyRow names the row).
  auto owner_of = [&](const std::string& part) -> Result<std::string> {
    if (document) {
      auto c = GetComponent(part);
      if (c.ok()) return c->document_id;
      if (c.status().code() != StatusCode::kNotFound && c.status().code() != StatusCode::kDataLoss) return c.status();
    } else {
      auto doc = GetDocument(part);
      if (doc.ok()) return doc->file_code.ToString();
      if (doc.status().code() != StatusCode::kNotFound && doc.status().code() != StatusCode::kDataLoss) {
        return doc.status();
      }
    }
    KHOLUU_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, AuditEntriesFor(part));
    bool live = false;
    for (const AuditEntry& e : entries) {
      if (e.action == part_table + ".create" || e.action == part_table + ".update") live = true;
      if (e.action == part_table + ".delete") live = false;
    }
    return live ? id : std::string();
  };
  for (const std::string& part : candidates) {
    KHOLUU_ASSIGN_OR_RETURN(std::string owner, owner_of(part));
    if (owner == id) expected.insert(part);
  }
  // A record file also lists the documents linked into it.
  if (!document) {
    for (const std::string& part : listed) {
      if (expected.count(part)) continue;
      KHOLUU_ASSIGN_OR_RETURN(std::string owner, owner_of(part));
      if (owner == id) {
        expected.insert(part);
        continue;
      }
      KHOLUU_ASSIGN_OR_RETURN(std::set<std::string> linked, LinkedFiles(*this, part));
      if (linked.count(id)) expected.insert(part);
    }
  }
  PartsCheck out;
  std::set<std::string> all = listed;
  all.insert(expected.begin(), expected.end());
  out.parts.assign(all.begin(), all.end());
  const std::string index = document ? "idx_comp_doc" : "idx_doc_file";
  for (const std::string& part : all) {
    const bool in_index = listed.count(part) > 0, belongs = expected.count(part) > 0;
    if (in_index == belongs) continue;
    out.problems.push_back(IndexMismatch(index, id, part, in_index));
  }
  return out;
}

Result<std::vector<StateProblem>> TxnView::VerifyEventsOf(const std::string& object) const {
  const Dbs& d = impl_->sh->dbs;
  std::vector<StateProblem> out;
  KHOLUU_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, AuditEntriesFor(object));
  std::unordered_map<std::string, std::vector<uint64_t>> recorded;  // payload -> entries
  for (const AuditEntry& e : entries) {
    if (e.action == "event.create") recorded[std::string(e.payload.raw())].push_back(e.seq);
  }
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> keys, DupValues(impl_->txn, d.idx_event_obj, object));
  for (const std::string& k : keys) {
    uint64_t seq = 0;
    if (!lmdb::ParseU64Key(k, &seq)) return DataLossError("malformed event index entry");
    auto value = impl_->txn.Get(d.events, k);
    if (!value.ok()) {
      if (value.status().code() != StatusCode::kNotFound) return value.status();
      out.push_back({"event", std::to_string(seq), 0, "the event is indexed but missing"});
      continue;
    }
    auto it = recorded.find(std::string(Sha256Of(*value).raw()));
    if (it == recorded.end() || it->second.empty()) {
      out.push_back({"event", std::to_string(seq), 0,
                     "the event differs from every event the audit log recorded for " + object});
      continue;
    }
    const uint64_t entry = it->second.back();
    it->second.pop_back();
    KHOLUU_ASSIGN_OR_RETURN(std::string place, CheckAuditEntryInPlace(entry));
    if (!place.empty()) out.push_back({"event", std::to_string(seq), entry, "its audit entry does not hold: " + place});
  }
  for (const auto& [payload, left] : recorded) {
    for (uint64_t entry : left) {
      out.push_back({"event", "", entry, "the event recorded by audit entry " + std::to_string(entry) + " is missing"});
    }
  }
  return out;
}

Result<TableCounts> TxnView::Counts() const {
  const Dbs& d = impl_->sh->dbs;
  TableCounts c;
  KHOLUU_ASSIGN_OR_RETURN(c.agencies, Entries(impl_->txn, d.agencies));
  KHOLUU_ASSIGN_OR_RETURN(c.record_files, Entries(impl_->txn, d.record_files));
  KHOLUU_ASSIGN_OR_RETURN(c.documents, Entries(impl_->txn, d.documents));
  KHOLUU_ASSIGN_OR_RETURN(c.components, Entries(impl_->txn, d.components));
  KHOLUU_ASSIGN_OR_RETURN(c.events, Entries(impl_->txn, d.events));
  KHOLUU_ASSIGN_OR_RETURN(c.audit_entries, Entries(impl_->txn, d.audit));
  KHOLUU_ASSIGN_OR_RETURN(c.outbox, Entries(impl_->txn, d.outbox));
  if (d.jobs != 0) {
    KHOLUU_ASSIGN_OR_RETURN(c.jobs, Entries(impl_->txn, d.jobs));
  }
  return c;
}

// ---------------------------------------------------------------- WriteTxn

namespace {

Result<uint64_t> NextSeq(lmdb::Txn& txn, MDB_dbi meta, const char* key) {
  uint64_t next = 1;
  auto cur = txn.Get(meta, key);
  if (cur.ok()) {
    if (!lmdb::ParseU64Key(*cur, &next)) return DataLossError(std::string("bad meta ") + key);
    ++next;
  } else if (cur.status().code() != StatusCode::kNotFound) {
    return cur.status();
  }
  KHOLUU_RETURN_IF_ERROR(txn.Put(meta, key, lmdb::U64Key(next)));
  return next;
}

Status AppendAudit(TxnView::Impl& impl, const std::string& action, const std::string& object,
                   const std::string& detail, const Sha256& payload) {
  const Dbs& d = impl.sh->dbs;
  AuditEntry e;
  auto head = impl.txn.Get(d.meta, kMetaAuditHead);
  if (head.ok()) {
    if (head->size() != 8 + Sha256::kSize || !lmdb::ParseU64Key(head->substr(0, 8), &e.seq)) {
      return DataLossError("audit head record is malformed");
    }
    e.prev_hash = *Sha256::FromBytes(head->substr(8));
  } else if (head.status().code() != StatusCode::kNotFound) {
    return head.status();
  }
  e.seq += 1;
  e.time_micros = impl.sh->clock->NowMicros();
  e.actor = impl.actor;
  e.action = action;
  e.object = object;
  e.detail = detail;
  e.payload = payload;
  e.hash = e.ComputeHash();
  KHOLUU_RETURN_IF_ERROR(impl.txn.Put(d.audit, lmdb::U64Key(e.seq), EncodeAuditEntry(e)));
  if (IndexableAuditObject(e.object)) {
    KHOLUU_RETURN_IF_ERROR(impl.txn.Put(d.idx_audit_obj, e.object, lmdb::U64Key(e.seq)));
  }
  std::string new_head = lmdb::U64Key(e.seq);
  new_head.append(e.hash.raw());
  return impl.txn.Put(d.meta, kMetaAuditHead, new_head);
}

// Writes a row, auditing create vs update.
Status PutRow(TxnView::Impl& impl, MDB_dbi dbi, std::string_view table, const std::string& key,
              const std::string& value, bool existed) {
  KHOLUU_RETURN_IF_ERROR(impl.txn.Put(dbi, key, value));
  return AppendAudit(impl, std::string(table) + (existed ? ".update" : ".create"), key, "",
                     Sha256Of(value));
}

}  // namespace

const std::string& WriteTxn::actor() const { return impl_->actor; }

Status WriteTxn::PutAgency(const model::Agency& v) {
  KHOLUU_RETURN_IF_ERROR(v.Validate().ToStatus("agency " + v.organ_id));
  auto old = GetAgency(v.organ_id);
  if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
  return PutRow(*impl_, impl_->sh->dbs.agencies, "agency", v.organ_id, EncodeAgency(v), old.ok());
}

Status WriteTxn::PutRecordFile(const model::RecordFile& v) {
  std::string key = v.file_code.ToString();
  KHOLUU_RETURN_IF_ERROR(v.Validate().ToStatus("record file " + key));
  auto old = GetRecordFile(key);
  if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
  if (old.ok()) {
    // Its counts follow the documents received; anything else is a change.
    model::RecordFile same = *old;
    same.doc_total = v.doc_total;
    same.page_total = v.page_total;
    if (!(same == v)) KHOLUU_RETURN_IF_ERROR(RefuseIfHeld(key, "changing its metadata"));
  }
  return PutRow(*impl_, impl_->sh->dbs.record_files, "record_file", key, EncodeRecordFile(v),
                old.ok());
}

Status WriteTxn::PutDocument(const model::Document& v) {
  KHOLUU_RETURN_IF_ERROR(v.Validate().ToStatus("document " + v.id));
  const Dbs& d = impl_->sh->dbs;
  std::string file_code = v.file_code.ToString();
  auto file = GetRecordFile(file_code);
  if (!file.ok()) {
    if (file.status().code() == StatusCode::kNotFound) {
      return FailedPreconditionError("document " + v.id + ": record file " + file_code +
                                     " does not exist");
    }
    return file.status();
  }
  auto old = GetDocument(v.id);
  if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
  if (old.ok()) {
    // The preservation step records a risk; anything else is a change.
    model::Document same = *old;
    same.preservation_risk = v.preservation_risk;
    if (!(same == v)) {
      KHOLUU_RETURN_IF_ERROR(
          RefuseIfHeld(v.id, old->file_code == v.file_code ? "changing it" : "moving it to another record file"));
    }
    std::string_view id = v.id;
    // Re-filed: the old file no longer lists it, unless it was also linked
    // there (a link outlives a change of owner).
    const std::string old_file = old->file_code.ToString();
    bool linked_there = false;
    if (old_file != file_code) {
      KHOLUU_ASSIGN_OR_RETURN(std::set<std::string> linked, LinkedFiles(*this, v.id));
      linked_there = linked.count(old_file) > 0;
    }
    if (!linked_there) KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_doc_file, old_file, &id));
    if (!old->edxml_document_id.empty()) {
      KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_doc_edxml, old->edxml_document_id, &id));
    }
    std::string old_dup = old->DuplicateKey();
    if (!old_dup.empty()) KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_doc_dupkey, old_dup, &id));
  }
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_doc_file, file_code, v.id));
  if (!v.edxml_document_id.empty()) {
    KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_doc_edxml, v.edxml_document_id, v.id));
  }
  std::string dup = v.DuplicateKey();
  if (!dup.empty()) KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_doc_dupkey, dup, v.id));
  KHOLUU_ASSIGN_OR_RETURN(uint64_t oseq, NextSeq(impl_->txn, d.meta, kMetaOutboxSeq));
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.outbox, lmdb::U64Key(oseq), "upsert\t" + v.id));
  return PutRow(*impl_, d.documents, "document", v.id, EncodeDocument(v), old.ok());
}

Status WriteTxn::PutJob(const model::IngestJob& v) {
  KHOLUU_RETURN_IF_ERROR(v.Validate().ToStatus("ingest job " + v.id));
  auto old = GetJob(v.id);
  if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
  return PutRow(*impl_, impl_->sh->dbs.jobs, "job", v.id, EncodeJob(v), old.ok());
}

Status WriteTxn::LinkDocument(const std::string& file_code, const std::string& document_id,
                              const std::string& reason) {
  KHOLUU_RETURN_IF_ERROR(GetRecordFile(file_code).status());
  KHOLUU_ASSIGN_OR_RETURN(model::Document doc, GetDocument(document_id));
  if (doc.file_code.ToString() == file_code) return Status::Ok();
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(impl_->sh->dbs.idx_doc_file, file_code, document_id));
  return AppendAudit(*impl_, "document.link", document_id, "into " + file_code + ": " + reason,
                     Sha256Of(file_code));
}

Status WriteTxn::PutComponent(const model::Component& v) {
  KHOLUU_RETURN_IF_ERROR(v.Validate().ToStatus("component " + v.id));
  const Dbs& d = impl_->sh->dbs;
  auto doc = GetDocument(v.document_id);
  if (!doc.ok()) {
    if (doc.status().code() == StatusCode::kNotFound) {
      return FailedPreconditionError("component " + v.id + ": document " + v.document_id +
                                     " does not exist");
    }
    return doc.status();
  }
  auto old = GetComponent(v.id);
  if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
  if (old.ok() && (old->sha256 != v.sha256 || old->size != v.size || old->document_id != v.document_id ||
                   old->role != v.role)) {
    KHOLUU_RETURN_IF_ERROR(RefuseIfHeld(v.id, "replacing its bytes"));
  }
  std::string_view id = v.id;
  if (old.ok()) {
    KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_comp_sha, old->sha256.raw(), &id));
    KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_comp_doc, old->document_id, &id));
  }
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_comp_sha, v.sha256.raw(), v.id));
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_comp_doc, v.document_id, v.id));
  return PutRow(*impl_, d.components, "component", v.id, EncodeComponent(v), old.ok());
}

Status WriteTxn::DeleteComponent(const std::string& id, const std::string& reason) {
  const Dbs& d = impl_->sh->dbs;
  KHOLUU_ASSIGN_OR_RETURN(model::Component old, GetComponent(id));
  KHOLUU_RETURN_IF_ERROR(RefuseIfHeld(id, "deleting it"));
  std::string_view idv = id;
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_comp_sha, old.sha256.raw(), &idv));
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_comp_doc, old.document_id, &idv));
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.components, id));
  return AppendAudit(*impl_, "component.delete", id, reason, old.sha256);
}

Result<uint64_t> WriteTxn::AddEvent(model::Event event) {
  const Dbs& d = impl_->sh->dbs;
  if (event.time_micros == 0) event.time_micros = impl_->sh->clock->NowMicros();
  if (event.agent.empty()) event.agent = impl_->actor;
  KHOLUU_ASSIGN_OR_RETURN(event.seq, NextSeq(impl_->txn, d.meta, kMetaEventSeq));
  KHOLUU_RETURN_IF_ERROR(event.Validate().ToStatus("event"));
  std::string key = lmdb::U64Key(event.seq);
  std::string value = EncodeEvent(event);
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.events, key, value));
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_event_obj, event.object_id, key));
  KHOLUU_RETURN_IF_ERROR(AppendAudit(
      *impl_, "event.create", event.object_id,
      std::string(model::EventTypeName(event.type)) + ": " +
          std::string(model::EventOutcomeName(event.outcome)),
      Sha256Of(value)));
  return event.seq;
}

Status WriteTxn::AckOutbox(uint64_t seq) {
  const Dbs& d = impl_->sh->dbs;
  std::vector<std::string> keys;
  KHOLUU_RETURN_IF_ERROR(ScanTable(impl_->txn, d.outbox,
                                   [&](std::string_view k, std::string_view) -> Status {
                                     uint64_t s = 0;
                                     if (lmdb::ParseU64Key(k, &s) && s <= seq) keys.emplace_back(k);
                                     return Status::Ok();
                                   }));
  for (const std::string& k : keys) KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.outbox, k));
  return Status::Ok();
}

Status WriteTxn::Audit(const std::string& action, const std::string& object,
                       const std::string& detail, const Sha256& payload) {
  return AppendAudit(*impl_, action, object, detail, payload);
}

Status WriteTxn::SetMeta(const std::string& key, const std::string& value) {
  KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(impl_->sh->dbs.meta, key, value));
  return AppendAudit(*impl_, "meta.set", key, "", Sha256Of(value));
}

Status WriteTxn::PutRetention(const model::FileRetention& v) {
  KHOLUU_RETURN_IF_ERROR(v.Validate().ToStatus("retention of " + v.file_code));
  const Dbs& d = impl_->sh->dbs;
  if (d.retention == 0) return FailedPreconditionError("the catalog has no retention table (schema < 5)");
  if (auto file = GetRecordFile(v.file_code); !file.ok()) {
    if (file.status().code() == StatusCode::kNotFound) {
      return FailedPreconditionError("retention of " + v.file_code + ": no such record file");
    }
    return file.status();
  }
  KHOLUU_ASSIGN_OR_RETURN(model::RetentionRules rules, GetRetentionRules());
  auto old = GetRetention(v.file_code);
  if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
  const model::RetentionStage was = old.ok() ? old->stage : model::RetentionStage::kCurrent;
  if (v.stage != was && (v.stage == model::RetentionStage::kTransferred || v.stage == model::RetentionStage::kDestroyed)) {
    KHOLUU_RETURN_IF_ERROR(RefuseIfHeld(v.file_code, v.stage == model::RetentionStage::kDestroyed
                                                         ? "destroying it"
                                                         : "transferring it out of the archive"));
  }
  if (old.ok()) {
    for (const std::string& k : DueKeys(*old, rules)) KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_due, k));
  }
  for (const std::string& k : DueKeys(v, rules)) KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_due, k, ""));
  return PutRow(*impl_, d.retention, "retention", v.file_code, EncodeFileRetention(v), old.ok());
}

Status WriteTxn::SetRetentionRules(const model::RetentionRules& rules) {
  KHOLUU_RETURN_IF_ERROR(rules.Validate());
  const Dbs& d = impl_->sh->dbs;
  if (d.idx_due == 0) return FailedPreconditionError("the catalog has no due index (schema < 5)");
  // Every entry is rewritten: drop them all, then add each file's anew.
  std::vector<std::string> keys;
  KHOLUU_RETURN_IF_ERROR(ScanTable(impl_->txn, d.idx_due, [&](std::string_view k, std::string_view) -> Status {
    keys.emplace_back(k);
    return Status::Ok();
  }));
  for (const std::string& k : keys) KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_due, k));
  std::vector<std::string> fresh;
  KHOLUU_RETURN_IF_ERROR(ForEachRetention([&](const model::FileRetention& r) -> Status {
    for (std::string& k : DueKeys(r, rules)) fresh.push_back(std::move(k));
    return Status::Ok();
  }));
  for (const std::string& k : fresh) KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_due, k, ""));
  return SetMeta(kMetaRetentionRules, EncodeRetentionRules(rules));
}

Status WriteTxn::PlaceHold(model::Hold* h) {
  const Dbs& d = impl_->sh->dbs;
  if (d.holds == 0) return FailedPreconditionError("the catalog has no holds table (schema < 5)");
  KHOLUU_ASSIGN_OR_RETURN(uint64_t seq, NextSeq(impl_->txn, d.meta, kMetaHoldSeq));
  char id[32];
  std::snprintf(id, sizeof id, "hold-%06llu", static_cast<unsigned long long>(seq));
  h->id = id;
  h->placed_micros = impl_->sh->clock->NowMicros();
  h->placed_by = impl_->actor;
  h->released_micros = 0;
  h->released_by.clear();
  h->release_reason.clear();
  KHOLUU_RETURN_IF_ERROR(h->Validate().ToStatus("hold"));
  for (const std::string& o : h->objects) {
    auto file = GetRecordFile(o);
    if (file.ok()) continue;
    if (file.status().code() != StatusCode::kNotFound) return file.status();
    auto doc = GetDocument(o);
    if (doc.ok()) continue;
    if (doc.status().code() != StatusCode::kNotFound) return doc.status();
    return NotFoundError("hold: '" + o + "' is neither a record file nor a document");
  }
  for (const std::string& o : h->objects) KHOLUU_RETURN_IF_ERROR(impl_->txn.Put(d.idx_hold_obj, o, h->id));
  return PutRow(*impl_, d.holds, "hold", h->id, EncodeHold(*h), /*existed=*/false);
}

Status WriteTxn::ReleaseHold(const std::string& id, const std::string& reason) {
  const Dbs& d = impl_->sh->dbs;
  KHOLUU_ASSIGN_OR_RETURN(model::Hold h, GetHold(id));
  if (!h.in_force()) return FailedPreconditionError("hold " + id + " was already released");
  h.released_micros = std::max(impl_->sh->clock->NowMicros(), h.placed_micros);
  h.released_by = impl_->actor;
  h.release_reason = reason;
  KHOLUU_RETURN_IF_ERROR(h.Validate().ToStatus("hold " + id));
  for (const std::string& o : h.objects) {
    std::string_view v = h.id;
    KHOLUU_RETURN_IF_ERROR(impl_->txn.Del(d.idx_hold_obj, o, &v));
  }
  return PutRow(*impl_, d.holds, "hold", h.id, EncodeHold(h), /*existed=*/true);
}

Status WriteTxn::RefuseIfHeld(const std::string& object, const std::string& what) {
  KHOLUU_ASSIGN_OR_RETURN(std::vector<model::Hold> holds, HoldsCovering(object));
  if (holds.empty()) return Status::Ok();
  const model::Hold& h = holds.front();
  return FailedPreconditionError(object + " is under hold " + h.id + " (" + h.name + "; " + h.authority + ": " +
                                 h.reason + "): " + what + " is refused while the hold is in force" +
                                 (holds.size() > 1 ? " (and " + std::to_string(holds.size() - 1) + " more holds)" : ""));
}

Status WriteTxn::Commit() {
  Status s = impl_->txn.Commit();
  impl_->lock = {};
  return s.Annotate("commit catalog transaction");
}

// ---------------------------------------------------------------- Catalog

Catalog::Catalog(std::unique_ptr<State> state) : state_(std::move(state)) {}
Catalog::~Catalog() = default;

uint32_t Catalog::schema_version() const { return state_->shared.schema_version; }
const std::string& Catalog::dir() const { return state_->shared.dir; }

uint64_t Catalog::map_size() const {
  MDB_envinfo info{};
  mdb_env_info(state_->shared.env.get(), &info);
  return info.me_mapsize;
}

namespace {

Result<std::unique_ptr<Shared>> OpenEnv(const std::string& dir, const CatalogOptions& options,
                                        bool create) {
  auto sh = std::make_unique<Shared>();
  sh->dir = dir;
  sh->options = options;
  sh->clock = options.clock != nullptr ? options.clock : SystemClock();
  KHOLUU_ASSIGN_OR_RETURN(sh->env, lmdb::Env::Create());
  MDB_env* env = sh->env.get();
  int rc = mdb_env_set_maxdbs(env, 32);
  if (rc != 0) return lmdb::Error(rc, "set max tables");
  std::string data = JoinPath(dir, "data.mdb");
  struct stat st{};
  uint64_t file_size = 0;
  if (::stat(data.c_str(), &st) == 0) file_size = static_cast<uint64_t>(st.st_size);
  // LMDB would silently initialise an empty file as a new environment: an
  // existing catalog shorter than its two meta pages is damaged, not new.
  if (!create && file_size < 2 * 4096) {
    return DataLossError("catalog file " + data + " is truncated to " +
                         std::to_string(file_size) +
                         " bytes; restore it from a backup or the replica");
  }
  uint64_t map = std::max<uint64_t>(options.initial_map_size, file_size);
  rc = mdb_env_set_mapsize(env, map);
  if (rc != 0) return lmdb::Error(rc, "set map size");
  unsigned flags = MDB_NOTLS;
  if (options.read_only) flags |= MDB_RDONLY;
  rc = mdb_env_open(env, dir.c_str(), flags, 0644);
  if (rc != 0 && options.read_only && (rc == EACCES || rc == EROFS)) {
    // A read-only directory cannot hold the lock file: read without locking.
    sh->env = lmdb::Env();
    KHOLUU_ASSIGN_OR_RETURN(sh->env, lmdb::Env::Create());
    env = sh->env.get();
    mdb_env_set_maxdbs(env, 32);
    mdb_env_set_mapsize(env, map);
    rc = mdb_env_open(env, dir.c_str(), flags | MDB_NOLOCK, 0644);
  }
  if (rc != 0) return lmdb::Error(rc, "open catalog " + dir);
  // From here on a damaged page stops the process with a clear reason
  // instead of a crash (ADR 0078).
  lmdb::GuardMap(env, dir);
  if (!create) {
    // A truncated file would make LMDB read past its end through the memory
    // map (SIGBUS). Check the size the meta page claims before any read.
    MDB_envinfo info{};
    MDB_stat est{};
    mdb_env_info(env, &info);
    mdb_env_stat(env, &est);
    uint64_t need = (static_cast<uint64_t>(info.me_last_pgno) + 1) * est.ms_psize;
    if (::stat(data.c_str(), &st) != 0) return ErrnoError(errno, "stat " + data);
    if (static_cast<uint64_t>(st.st_size) < need) {
      return DataLossError("catalog file " + data + " is truncated: " +
                           std::to_string(st.st_size) + " bytes, but its last page ends at " +
                           std::to_string(need) + "; restore it from a backup or the replica");
    }
  }
  return sh;
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Create(const std::string& dir,
                                                 const CatalogOptions& options) {
  if (IsDataFileName(dir)) return AlreadyExistsError("a catalog already exists in " + dir);
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  CatalogOptions opts = options;
  opts.read_only = false;
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Shared> sh, OpenEnv(dir, opts, /*create=*/true));
  auto state = std::make_unique<State>();
  state->shared.env = std::move(sh->env);
  state->shared.dir = sh->dir;
  state->shared.options = sh->options;
  state->shared.clock = sh->clock;
  state->shared.schema_version = kCatalogSchemaVersion;
  std::unique_ptr<Catalog> cat(new Catalog(std::move(state)));
  Shared& s = cat->state_->shared;
  {
    KHOLUU_ASSIGN_OR_RETURN(lmdb::Txn txn, lmdb::Txn::Begin(s.env.get(), 0));
    KHOLUU_RETURN_IF_ERROR(OpenDbis(txn, /*create=*/true, kCatalogSchemaVersion, &s.dbs));
    KHOLUU_RETURN_IF_ERROR(txn.Commit());
  }
  KHOLUU_RETURN_IF_ERROR(cat->Update("system", [&](WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.SetMeta(kMetaSchema, std::to_string(kCatalogSchemaVersion)));
    KHOLUU_RETURN_IF_ERROR(w.SetMeta(kMetaCreated, FormatTimestamp(s.clock->NowMicros())));
    return w.Audit("catalog.create", dir, "schema " + std::to_string(kCatalogSchemaVersion));
  }));
  return cat;
}

namespace {

// Migration from schema 1: components gained the by-document index.
Status MigrateV1ToV2(WriteTxn& w, Shared& s, lmdb::Txn& raw) {
  std::vector<std::pair<std::string, std::string>> pairs;
  KHOLUU_RETURN_IF_ERROR(w.ForEachComponent([&](const model::Component& c) -> Status {
    pairs.emplace_back(c.document_id, c.id);
    return Status::Ok();
  }));
  for (const auto& [doc, comp] : pairs) {
    KHOLUU_RETURN_IF_ERROR(raw.Put(s.dbs.idx_comp_doc, doc, comp));
  }
  return w.Audit("catalog.migrate", s.dir,
                 "schema 1 -> 2: indexed " + std::to_string(pairs.size()) +
                     " components by document");
}

// Migration from schema 3: audit entries indexed by object.
Status MigrateV3ToV4(WriteTxn& w, Shared& s, lmdb::Txn& raw) {
  uint64_t indexed = 0;
  std::vector<std::pair<std::string, uint64_t>> pairs;
  KHOLUU_RETURN_IF_ERROR(w.ForEachAuditEntry([&](const AuditEntry& e) -> Status {
    if (IndexableAuditObject(e.object)) pairs.emplace_back(e.object, e.seq);
    return Status::Ok();
  }));
  for (const auto& [object, seq] : pairs) {
    KHOLUU_RETURN_IF_ERROR(raw.Put(s.dbs.idx_audit_obj, object, lmdb::U64Key(seq)));
    ++indexed;
  }
  return w.Audit("catalog.migrate", s.dir,
                 "schema 3 -> 4: indexed " + std::to_string(indexed) + " audit entries by object");
}

}  // namespace

Result<std::unique_ptr<Catalog>> Catalog::Open(const std::string& dir,
                                               const CatalogOptions& options) {
  if (!IsDirectory(dir)) return NotFoundError("no catalog directory " + dir);
  if (!IsDataFileName(dir)) return NotFoundError("no catalog in " + dir + " (data.mdb missing)");
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Shared> sh, OpenEnv(dir, options, /*create=*/false));
  auto state = std::make_unique<State>();
  state->shared.env = std::move(sh->env);
  state->shared.dir = sh->dir;
  state->shared.options = sh->options;
  state->shared.clock = sh->clock;
  std::unique_ptr<Catalog> cat(new Catalog(std::move(state)));
  Shared& s = cat->state_->shared;

  // Read the schema version first, with only the meta table open.
  uint32_t version = 0;
  {
    KHOLUU_ASSIGN_OR_RETURN(lmdb::Txn txn, lmdb::Txn::Begin(s.env.get(), MDB_RDONLY));
    int rc;
    {
      lmdb::InLmdbCall in(s.env.get());
      rc = mdb_dbi_open(txn.get(), "meta", 0, &s.dbs.meta);
    }
    if (rc == MDB_NOTFOUND) return FailedPreconditionError(dir + " is not a kholuu catalog");
    if (rc != 0) return lmdb::Error(rc, "open table meta");
    auto v = txn.Get(s.dbs.meta, kMetaSchema);
    if (!v.ok()) {
      return FailedPreconditionError(dir + " is not a kholuu catalog (no schema version)");
    }
    std::string text(*v);
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return DataLossError("catalog schema version is malformed: '" + text + "'");
    }
    version = static_cast<uint32_t>(std::stoul(text));
    KHOLUU_RETURN_IF_ERROR(txn.Commit());
  }
  if (version > kCatalogSchemaVersion) {
    return FailedPreconditionError(
        "catalog " + dir + " has schema version " + std::to_string(version) +
        ", newer than this kholuu understands (" + std::to_string(kCatalogSchemaVersion) +
        "); upgrade kholuu instead of opening it with an older one");
  }
  if (version == 0) return DataLossError("catalog schema version 0 is invalid");
  if (version < kCatalogSchemaVersion && options.read_only) {
    return FailedPreconditionError("catalog " + dir + " has schema version " +
                                   std::to_string(version) +
                                   " and needs a migration; open it writable once");
  }
  {
    unsigned flags = options.read_only ? MDB_RDONLY : 0;
    KHOLUU_ASSIGN_OR_RETURN(lmdb::Txn txn, lmdb::Txn::Begin(s.env.get(), flags));
    KHOLUU_RETURN_IF_ERROR(OpenDbis(txn, /*create=*/false, version, &s.dbs));
    KHOLUU_RETURN_IF_ERROR(txn.Commit());
  }
  s.schema_version = version;
  if (version < kCatalogSchemaVersion) {
    KHOLUU_RETURN_IF_ERROR(cat->Update("system", [&](WriteTxn& w) -> Status {
      if (version < 2) KHOLUU_RETURN_IF_ERROR(MigrateV1ToV2(w, s, w.impl_->txn));
      if (version < 4) KHOLUU_RETURN_IF_ERROR(MigrateV3ToV4(w, s, w.impl_->txn));
      // 2 -> 3: the jobs table; 4 -> 5: the retention table and the due
      // index; all created empty when the tables were opened.
      return w.SetMeta(kMetaSchema, std::to_string(kCatalogSchemaVersion));
    }));
    s.schema_version = kCatalogSchemaVersion;
    Log(Severity::kInfo, "catalog.migrated",
        {{"from", std::to_string(version)}, {"to", std::to_string(kCatalogSchemaVersion)}});
  }
  return cat;
}

Status Catalog::GrowMapIfNeeded(bool force) {
  Shared& s = state_->shared;
  MDB_env* env = s.env.get();
  MDB_envinfo info{};
  MDB_stat st{};
  mdb_env_info(env, &info);
  mdb_env_stat(env, &st);
  uint64_t used = (static_cast<uint64_t>(info.me_last_pgno) + 1) * st.ms_psize;
  uint64_t map = info.me_mapsize;
  if (!force && used * 4 < map * 3) return Status::Ok();  // below 75%
  if (map >= s.options.max_map_size) {
    return ResourceExhaustedError("catalog map is at its maximum size (" +
                                  std::to_string(map) + " bytes)");
  }
  uint64_t next = std::min<uint64_t>(map * 2, s.options.max_map_size);
  std::unique_lock<std::shared_mutex> lock(s.resize_mu);
  int rc = mdb_env_set_mapsize(env, next);
  lmdb::GuardMap(env, s.dir);  // the map may have moved
  if (rc != 0) return lmdb::Error(rc, "grow catalog map");
  Log(Severity::kInfo, "catalog.map_grown", {{"bytes", std::to_string(next)}});
  return Status::Ok();
}

Result<ReadTxn> Catalog::BeginRead() const {
  Shared& s = state_->shared;
  auto impl = std::make_unique<TxnView::Impl>();
  impl->sh = &s;
  for (int attempt = 0;; ++attempt) {
    impl->lock = std::shared_lock<std::shared_mutex>(s.resize_mu);
    MDB_txn* t = nullptr;
    int rc = mdb_txn_begin(s.env.get(), nullptr, MDB_RDONLY, &t);
    if (rc == MDB_MAP_RESIZED && attempt < 3) {
      // Another process grew the map: adopt its size and retry.
      impl->lock = {};
      std::unique_lock<std::shared_mutex> lock(s.resize_mu);
      mdb_env_set_mapsize(s.env.get(), 0);
      lmdb::GuardMap(s.env.get(), s.dir);
      continue;
    }
    if (rc != 0) return lmdb::Error(rc, "begin read transaction");
    impl->txn = lmdb::Txn::Adopt(t);
    break;
  }
  return ReadTxn(std::move(impl));
}

Result<WriteTxn> Catalog::BeginWrite(const std::string& actor, Durability durability) {
  Shared& s = state_->shared;
  if (s.options.read_only) return FailedPreconditionError("catalog opened read-only");
  KHOLUU_RETURN_IF_ERROR(GrowMapIfNeeded(/*force=*/false));
  auto impl = std::make_unique<TxnView::Impl>();
  impl->sh = &s;
  impl->actor = actor;
  for (int attempt = 0;; ++attempt) {
    impl->lock = std::shared_lock<std::shared_mutex>(s.resize_mu);
    MDB_txn* t = nullptr;
    // MDB_NOMETASYNC as a transaction flag (LMDB 0.9: "don't sync meta for
    // this txn on commit"); the environment keeps its full syncs.
    const unsigned flags = durability == Durability::kMetaLazy ? MDB_NOMETASYNC : 0u;
    int rc = mdb_txn_begin(s.env.get(), nullptr, flags, &t);
    if (rc == MDB_MAP_RESIZED && attempt < 3) {
      impl->lock = {};
      std::unique_lock<std::shared_mutex> lock(s.resize_mu);
      mdb_env_set_mapsize(s.env.get(), 0);
      lmdb::GuardMap(s.env.get(), s.dir);
      continue;
    }
    if (rc != 0) return lmdb::Error(rc, "begin write transaction");
    impl->txn = lmdb::Txn::Adopt(t);
    break;
  }
  return WriteTxn(std::move(impl));
}

Status Catalog::Update(const std::string& actor, const std::function<Status(WriteTxn&)>& fn,
                       Durability durability) {
  for (int attempt = 0;; ++attempt) {
    Status s;
    {
      KHOLUU_ASSIGN_OR_RETURN(WriteTxn w, BeginWrite(actor, durability));
      s = fn(w);
      if (s.ok()) s = w.Commit();
    }
    if (s.code() != StatusCode::kResourceExhausted || attempt >= 20 ||
        s.message().find(mdb_strerror(MDB_MAP_FULL)) == std::string::npos) {
      return s;
    }
    KHOLUU_RETURN_IF_ERROR(GrowMapIfNeeded(/*force=*/true));
  }
}

Status Catalog::TEST_DowngradeToV1() {
  Shared& s = state_->shared;
  KHOLUU_ASSIGN_OR_RETURN(WriteTxn w, BeginWrite("test"));
  int rc = mdb_drop(w.impl_->txn.get(), s.dbs.idx_comp_doc, 1);
  if (rc != 0) return lmdb::Error(rc, "drop idx_comp_doc");
  rc = mdb_drop(w.impl_->txn.get(), s.dbs.jobs, 1);
  if (rc != 0) return lmdb::Error(rc, "drop jobs");
  rc = mdb_drop(w.impl_->txn.get(), s.dbs.idx_audit_obj, 1);
  if (rc != 0) return lmdb::Error(rc, "drop idx_audit_obj");
  KHOLUU_RETURN_IF_ERROR(w.impl_->txn.Put(s.dbs.meta, kMetaSchema, "1"));
  return w.Commit();
}

Status Catalog::CopyTo(const std::string& path) const {
  if (PathExists(path)) return AlreadyExistsError(path + " already exists");
  std::string temp = path + ".tmp";
  RemoveFile(temp).IgnoreError();
  {
    KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(temp, O_WRONLY | O_CREAT | O_EXCL, 0644));
    std::shared_lock<std::shared_mutex> lock(state_->shared.resize_mu);
    int rc = mdb_env_copyfd2(state_->shared.env.get(), f.fd(), MDB_CP_COMPACT);
    if (rc != 0) {
      RemoveFile(temp).IgnoreError();
      return lmdb::Error(rc, "copy catalog to " + path);
    }
    Status s = f.Sync();
    if (s.ok()) s = f.Close();
    if (!s.ok()) {
      RemoveFile(temp).IgnoreError();
      return s;
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status s = ErrnoError(errno, "rename " + temp);
    RemoveFile(temp).IgnoreError();
    return s;
  }
  return SyncDir(DirName(path));
}

}  // namespace kholuu::archive
