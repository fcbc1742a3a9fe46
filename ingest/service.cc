#include "ingest/service.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "archive/base/file.h"
#include "ingest/component_io.h"
#include "ingest/rendition.h"
#include "ingest/seal_key.h"
#include "ingest/signature_report.h"

namespace kholuu::ingest {

namespace {

// Takes <data>/WRITER exclusively without waiting, and writes who holds it.
Result<File> TakeWriterLock(const DataDir& data, const std::string& actor) {
  const std::string path = data.writer_lock();
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_RDWR | O_CREAT, 0644));
  int rc;
  while ((rc = ::flock(f.fd(), LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
  }
  if (rc != 0) {
    if (errno != EWOULDBLOCK) return ErrnoError(errno, "lock " + path);
    Result<std::string> read = ReadFileToString(path, 4096);
    std::string holder = read.ok() ? *read : std::string();
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    for (size_t at = holder.find('\n'); at != std::string::npos; at = holder.find('\n', at)) {
      holder.replace(at, 1, ", ");
    }
    return FailedPreconditionError("the archive at " + data.root() + " is open for writing by another process (" +
                                   (holder.empty() ? "unknown" : holder) +
                                   "); one writer per archive: wait for it to finish, stop it, or use the server's API");
  }
  const std::string who = "pid " + std::to_string(::getpid()) + "\nactor " + actor + "\nsince " +
                          FormatTimestamp(SystemClock()->NowMicros()) + "\n";
  if (::ftruncate(f.fd(), 0) != 0) return ErrnoError(errno, "truncate " + path);
  if (::pwrite(f.fd(), who.data(), who.size(), 0) != static_cast<ssize_t>(who.size())) {
    return ErrnoError(errno, "write " + path);
  }
  return f;
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Init(const DataDir& data, const std::string& actor) {
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<archive::Archive> a, archive::Archive::Init(data.root()));
  KHOLUU_ASSIGN_OR_RETURN(File writer, TakeWriterLock(data, actor));
  return std::unique_ptr<Service>(new Service(data, actor, std::move(a), std::move(writer)));
}

Result<std::unique_ptr<Service>> Service::Open(const DataDir& data, const std::string& actor, bool read_only) {
  archive::ArchiveOptions o;
  o.read_only = read_only;
  File writer;
  // The lock first: a second writer learns it at once, before any open work.
  if (!read_only && archive::Archive::IsArchive(data.root())) {
    KHOLUU_ASSIGN_OR_RETURN(writer, TakeWriterLock(data, actor));
  }
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<archive::Archive> a, archive::Archive::Open(data.root(), o));
  return std::unique_ptr<Service>(new Service(data, actor, std::move(a), std::move(writer)));
}

bool Service::IsArchive(const DataDir& data) { return archive::Archive::IsArchive(data.root()); }

Result<Described> Service::Describe(const std::string& id) const {
  Described out;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  auto found = [&](const std::string& object) -> Result<Described> {
    KHOLUU_ASSIGN_OR_RETURN(out.events, r.EventsFor(object));
    KHOLUU_ASSIGN_OR_RETURN(out.holds, r.HoldsCovering(object));
    return std::move(out);
  };
  if (auto rf = r.GetRecordFile(id); rf.ok()) {
    out.record_file = *rf;
    KHOLUU_ASSIGN_OR_RETURN(out.documents, r.DocumentsInFile(id));
    if (auto ret = r.GetRetention(id); ret.ok()) {
      out.retention = *ret;
    } else if (ret.status().code() != StatusCode::kNotFound) {
      return ret.status();
    }
    return found(id);
  } else if (rf.status().code() != StatusCode::kNotFound) {
    return rf.status();
  }
  if (auto d = r.GetDocument(id); d.ok()) {
    out.document = *d;
    KHOLUU_ASSIGN_OR_RETURN(out.components, r.ComponentsOfDocument(id));
    return found(id);
  } else if (d.status().code() != StatusCode::kNotFound) {
    return d.status();
  }
  if (auto comp = r.GetComponent(id); comp.ok()) {
    out.component = *comp;
    out.blob_present = archive_->blobs().Contains(comp->sha256);
    return found(id);
  } else if (comp.status().code() != StatusCode::kNotFound) {
    return comp.status();
  }
  if (auto digest = Sha256::FromHex(id); digest.ok()) {
    out.blob = *digest;
    KHOLUU_ASSIGN_OR_RETURN(out.components, r.ComponentsBySha256(*digest));
    out.blob_present = archive_->blobs().Contains(*digest);
    if (auto size = archive_->blobs().Size(*digest); size.ok()) out.blob_size = *size;
    return out;
  }
  return NotFoundError("nothing in the archive has the id '" + id + "'");
}

Result<Stats> Service::GetStats() const {
  Stats s;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  KHOLUU_ASSIGN_OR_RETURN(s.counts, r.Counts());
  s.schema_version = archive_->catalog().schema_version();
  s.map_size = archive_->catalog().map_size();
  return s;
}

Result<std::vector<std::string>> Service::DocumentIds() const {
  std::vector<std::string> ids;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  KHOLUU_RETURN_IF_ERROR(r.ForEachDocument([&](const model::Document& d) {
    ids.push_back(d.id);
    return Status::Ok();
  }));
  return ids;
}

Result<std::vector<model::IngestJob>> Service::Jobs() const {
  std::vector<model::IngestJob> jobs;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  KHOLUU_RETURN_IF_ERROR(r.ForEachJob([&](const model::IngestJob& j) {
    jobs.push_back(j);
    return Status::Ok();
  }));
  return jobs;
}

Result<archive::FixityReport> Service::Fixity(archive::FixityOptions o) {
  if (o.repair && o.replica_dir.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
    auto path = r.GetMeta("replica.path");
    if (!path.ok()) {
      return InvalidArgumentError("--repair needs --replica DIR (no replica has been synced yet)");
    }
    o.replica_dir = *path;
  }
  return archive::RunFixity(*archive_, o);
}

Result<archive::AuditReport> Service::VerifyAudit() const {
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  return r.VerifyAudit();
}

Result<archive::StateReport> Service::VerifyState() const {
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  return r.VerifyState();
}

Result<std::vector<archive::AuditEntry>> Service::AuditLog(uint64_t limit) const {
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  std::vector<archive::AuditEntry> all;
  KHOLUU_RETURN_IF_ERROR(r.ForEachAuditEntry([&](const archive::AuditEntry& e) -> Status {
    all.push_back(e);
    return Status::Ok();
  }));
  if (limit > 0 && all.size() > limit) all.erase(all.begin(), all.end() - static_cast<ptrdiff_t>(limit));
  return all;
}

Result<BackupResult> Service::Backup(const std::string& dir, const archive::CopyOptions& copy_options) {
  BackupResult out;
  AnchorOptions options;
  options.reason = "backup";
  auto anchor = AnchorLog(options);
  if (anchor.ok()) {
    out.anchor = std::move(*anchor);
  } else {
    out.anchor_problem = anchor.status().message();
  }
  KHOLUU_ASSIGN_OR_RETURN(out.copy, archive::Backup(*archive_, dir, actor_, copy_options));
  return out;
}

Result<Anchor> Service::AnchorLog(const AnchorOptions& options) {
  return MakeAnchor(*archive_, data_, actor_, options);
}

Result<AnchorReport> Service::VerifyAnchors() const {
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  return ingest::VerifyAnchors(r);
}

Result<std::vector<Anchor>> Service::Anchors() const {
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  return ListAnchors(r);
}

Result<archive::CopyReport> Service::SyncReplica(const std::string& dir, const archive::CopyOptions& options) {
  return archive::SyncReplica(*archive_, dir, actor_, options);
}

Result<archive::GcReport> Service::CollectGarbage(archive::GcOptions options) {
  return archive::CollectGarbage(*archive_, options);
}

Result<archive::VerifyCopyReport> Service::VerifyBackup(const std::string& dir) {
  return archive::VerifyBackup(dir);
}

Result<archive::CopyReport> Service::Restore(const std::string& backup_dir, const DataDir& data,
                                             const std::string& actor, const archive::CopyOptions& options) {
  return archive::Restore(backup_dir, data.root(), actor, options);
}

Result<StoreResult> Service::Store(const StoreRequest& request) { return StoreOriginal(*archive_, actor_, request); }

Status Service::LoadTrustStore(const std::string& dir, PreserveOptions* options) const {
  const std::string trust_dir = dir.empty() ? data_.trust() : dir;
  if (dir.empty() && !IsDirectory(trust_dir)) return Status::Ok();
  auto store = formats::x509::TrustStore::LoadPemDirectory(trust_dir);
  if (!store.ok()) return Status(store.status()).Annotate("trust store");
  options->verify.trust_store = std::move(store).value();
  return Status::Ok();
}

Result<PreserveResult> Service::Preserve(const PreserveOptions& options, const std::string& document_id) {
  return PreserveDocument(*archive_, actor_, options, document_id);
}

namespace {

Status WriteVerified(archive::Archive& a, const model::Component& c, const std::string& out) {
  KHOLUU_ASSIGN_OR_RETURN(archive::BlobReader reader, a.blobs().Open(c.sha256, /*verify=*/true));
  KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(out));
  std::string buf(1 << 20, '\0');
  for (;;) {
    // The final Read fails with kDataLoss if the bytes do not match: the
    // writer is then abandoned and no output file appears.
    KHOLUU_ASSIGN_OR_RETURN(size_t n, reader.Read(buf.data(), buf.size()));
    if (n == 0) break;
    KHOLUU_RETURN_IF_ERROR(w.Append(std::string_view(buf.data(), n)));
  }
  return w.Commit();
}

// The stored signature report derived from `original`, else a fresh
// verification of its bytes (PDF), else a note.
Result<std::string> ReportOf(archive::Archive& a, const archive::TxnView& r, const model::Component& original,
                             const std::string& bytes) {
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.ComponentsOfDocument(original.document_id));
  for (const std::string& id : ids) {
    KHOLUU_ASSIGN_OR_RETURN(model::Component comp, r.GetComponent(id));
    if (comp.role == model::ComponentRole::kReport && comp.derived_from == original.id) {
      return ReadComponentBytes(a, comp, 64u << 20);
    }
  }
  formats::pdfsig::VerifyOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  return EmbeddedReportFor(original.name, original.media_type == "application/pdf", bytes, options);
}

// Records an access to `c` in the audit log and as an event.
Status LogAccess(archive::Archive& a, const std::string& actor, const std::string& action,
                 const model::Component& c, const Status& outcome, const std::string& success_audit,
                 const std::string& success_event) {
  return a.catalog().Update(actor, [&](archive::WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(
        w.Audit(action, c.id, outcome.ok() ? success_audit : "failed: " + outcome.message(), c.sha256));
    model::Event e;
    e.type = model::EventType::kAccess;
    e.outcome = outcome.ok() ? model::EventOutcome::kSuccess : model::EventOutcome::kFailure;
    e.object_id = c.id;
    e.detail = outcome.ok() ? success_event : outcome.message();
    return w.AddEvent(e).status();
  });
}

}  // namespace

Result<Retrieved> Service::Retrieve(const std::string& id, model::ComponentRole role, const std::string& out) {
  Retrieved got;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(got.component, FindComponent(r, id, role));
  }
  const model::Component& comp = got.component;
  Status s = WriteVerified(*archive_, comp, out);
  const std::string role_name(model::ComponentRoleName(comp.role));
  Status logged = LogAccess(*archive_, actor_, "access.get", comp, s, role_name + " retrieved",
                            "retrieved, sha256 verified");
  if (!s.ok()) return std::move(s).Annotate("get " + comp.id);
  KHOLUU_RETURN_IF_ERROR(logged);
  return got;
}

Result<RenditionResult> Service::ExportRendition(const std::string& id, const std::string& out) {
  KHOLUU_ASSIGN_OR_RETURN(formats::pdfsig::SealSigner signer, LoadSealKey(data_));
  KHOLUU_ASSIGN_OR_RETURN(formats::x509::TimestampFn timestamp, LoadSealTimestamp(data_));
  RenditionResult res;
  std::string original_bytes, copy_bytes, report;
  Status s = [&]() -> Status {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(res.original, FindComponent(r, id, model::ComponentRole::kOriginal));
    if (res.original.role != model::ComponentRole::kOriginal) {
      return InvalidArgumentError(id + " is a " + std::string(model::ComponentRoleName(res.original.role)) +
                                  ", not an original: give the document or its original");
    }
    KHOLUU_ASSIGN_OR_RETURN(res.copy,
                            FindComponent(r, res.original.document_id, model::ComponentRole::kPreservationCopy));
    KHOLUU_ASSIGN_OR_RETURN(original_bytes, ReadComponentBytes(*archive_, res.original));
    KHOLUU_ASSIGN_OR_RETURN(copy_bytes, ReadComponentBytes(*archive_, res.copy));
    KHOLUU_ASSIGN_OR_RETURN(report, ReportOf(*archive_, r, res.original, original_bytes));
    return Status::Ok();
  }();
  if (!s.ok()) {
    if (s.code() == StatusCode::kNotFound) {
      s = FailedPreconditionError(s.message() + " (run: kholuu preserve " + id + ")");
    }
    return s;
  }
  RenditionParts parts;
  parts.copy = copy_bytes;
  parts.original = original_bytes;
  parts.original_name = res.original.name;
  parts.original_media_type = res.original.media_type;
  parts.report_json = report;
  auto made = MakeSealedRendition(parts, &signer, static_cast<int64_t>(std::time(nullptr)), timestamp);
  Status written = made.ok() ? WriteFileAtomic(out, made->output) : made.status();
  Status logged = LogAccess(*archive_, actor_, "access.rendition", res.original, written,
                            "sealed PDF/A-3b rendition exported",
                            "exported as a sealed PDF/A-3b rendition (copy " + res.copy.id + ")");
  if (!written.ok()) return std::move(written).Annotate("rendition of " + id);
  KHOLUU_RETURN_IF_ERROR(logged);
  res.seal_integrity = made->seal_integrity;
  res.timestamped = made->timestamped;
  res.size = made->output.size();
  return res;
}

Status Service::AuditConfigChange(const std::string& action, const std::string& object, const std::string& detail,
                                  const Sha256& digest) {
  return archive_->catalog().Update(actor_,
                                    [&](archive::WriteTxn& w) { return w.Audit(action, object, detail, digest); });
}

Result<SyncReport> Service::RebuildIndex(const RebuildOptions& options) {
  return ingest::RebuildIndex(*archive_, data_, actor_, options);
}

Result<SyncReport> Service::DrainOutbox() { return ingest::DrainOutbox(*archive_, data_, actor_); }

Result<SearchResults> Service::Search(const SearchRequest& request) const {
  auto s = indexer::Searcher::Open(data_.index());
  if (!s.ok()) return Status(s.status().code(), s.status().message() + " (run: kholuu reindex)");
  auto r = (*s)->Search(request);
  if (!r.ok() && r.status().code() == StatusCode::kDataLoss) {
    return DataLossError("the search index is damaged: " + r.status().message() +
                         " (the records are not affected; run: kholuu reindex)");
  }
  return r;
}

}  // namespace kholuu::ingest
