#include "ingest/pipeline.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "archive/base/clock.h"
#include "archive/base/file.h"
#include "archive/model/ids.h"
#include "formats/edxml/edxml.h"
#include "ingest/checks.h"
#include "ingest/internal/events.h"
#include "ingest/internal/retention_at_ingest.h"
#include "ingest/component_io.h"
#include "ingest/index_sync.h"
#include "ingest/store.h"

namespace kholuu::ingest {
namespace {

using internal::Clip;
using internal::MakeEvent;


model::JobProblem ToJobProblem(const Problem& p) {
  return {p.code, p.severity == Severity::kError, Clip(p.message_en, internal::kMaxEventDetail), Clip(p.message_vi, internal::kMaxEventDetail),
          Clip(p.path, 990)};
}

Problem FromJobProblem(const model::JobProblem& p) {
  return {p.code, p.error ? Severity::kError : Severity::kWarning, p.message, p.message_vi, p.path};
}

Problem MakeProblem(std::string code, Severity severity, std::string en, std::string vi, std::string path) {
  return {std::move(code), severity, std::move(en), std::move(vi), std::move(path)};
}

std::string WarningText(const Problem& p) {
  return p.code + (p.path.empty() ? "" : " [" + p.path + "]") + ": " + p.message_en +
         (p.message_vi.empty() ? "" : " / " + p.message_vi);
}

bool IsRegularFileForIngest(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A flock on <spool>/LOCK: every ingest holds it shared while it runs;
// Recover() needs it exclusively, so it never abandons a live job of
// another process.
class SpoolLock {
 public:
  static Result<SpoolLock> Take(const DataDir& data, bool exclusive, bool wait) {
    KHOLUU_RETURN_IF_ERROR(CreateDirs(data.spool()));
    const std::string path = data.spool() + "/LOCK";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoError(errno, "open " + path);
    SpoolLock lock(fd);
    int op = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);
    while (::flock(fd, op) != 0) {
      if (errno == EINTR) continue;
      if (errno == EWOULDBLOCK) return Status(StatusCode::kUnavailable, "another ingest is running");
      return ErrnoError(errno, "flock " + path);
    }
    return lock;
  }
  SpoolLock(SpoolLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  SpoolLock& operator=(SpoolLock&&) = delete;
  ~SpoolLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit SpoolLock(int fd) : fd_(fd) {}
  int fd_;
};

// A staging directory of its own under the spool.
std::string NewStagingDir(const DataDir& data) {
  static std::atomic<uint64_t> counter{0};
  return data.spool() + "/tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" +
         std::to_string(SystemClock()->NowMicros());
}

// The record file edXML documents from the axis are kept in: one per sender
// and year of issue, notation "LT" (liên thông). docs/ingest.md.
model::RecordFile AxisRecordFile(const model::Document& d, const std::string& sender_name) {
  model::RecordFile f;
  f.file_code.organ_id = d.organ_id;
  int year = 0;
  if (d.issued_date.size() >= 4) year = std::atoi(d.issued_date.substr(0, 4).c_str());
  f.file_code.file_catalog = year >= 1900 && year <= 2200 ? year : 2000;
  f.file_code.file_notation = "LT";
  f.title = Clip("Văn bản nhận qua Trục liên thông văn bản quốc gia năm " +
                     std::to_string(f.file_code.file_catalog) + " — " + sender_name,
                 490);
  f.maintenance = "";
  f.language = "Tiếng Việt";
  return f;
}

struct Existing {
  std::string document;  // the earlier document, or ""
  std::string why;       // "same bytes", "same edXML DocumentId", "same number, notation, organ and year"
};

// Duplicate detection for one document (docs/ingest.md "Duplicates").
Result<Existing> FindExisting(const archive::TxnView& r, const IntakeDocument& d) {
  Existing e;
  if (!d.files.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> comps, r.ComponentsBySha256(d.files[0].sha256));
    for (const std::string& id : comps) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(id));
      if (c.role == model::ComponentRole::kOriginal) return Existing{c.document_id, "same bytes"};
    }
  }
  if (!d.document.edxml_document_id.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> docs, r.DocumentsByEdxmlId(d.document.edxml_document_id));
    if (!docs.empty()) return Existing{docs.front(), "same edXML DocumentId"};
  }
  const std::string key = d.document.DuplicateKey();
  if (!key.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> docs, r.DocumentsByDuplicateKey(key));
    if (!docs.empty()) return Existing{docs.front(), "same number, notation, issuing organ and year"};
  }
  return e;
}

// What the heavy stages made for one document of the package.
struct Prepared {
  const IntakeDocument* in = nullptr;
  model::RecordFile file;          // the record file it goes into
  Existing existing;
  bool new_version = false;        // an edXML update/replace of existing.document
  // New original components (provisional ids "new/<i>"), blobs durable.
  std::vector<model::Component> originals;
  std::vector<std::string> package_paths;  // of each original
  std::vector<PreservedOriginal> preserved;
  bool preserved_done = false;
};

// ISO "yyyy/MM/dd HH:mm:ss" in UTC+7, as the axis writes times.
std::string AxisTime(int64_t micros) {
  std::time_t t = static_cast<std::time_t>(micros / 1000000 + 7 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y/%m/%d %H:%M:%S", &tm);
  return buf;
}

// The Status package answering an edXML document package.
std::string StatusReply(const Intake& in, const IngestOptions& o, const std::string& code,
                        const std::string& description, int64_t now) {
  if (!in.edxml || in.edxml->document_id.empty()) return "";
  formats::edxml::StatusPackage s;
  s.response_for.organ_id = in.edxml->from_organ_id;
  s.response_for.code = in.edxml->code;
  s.response_for.promulgation_date = in.edxml->promulgation_date;
  s.response_for.document_id = in.edxml->document_id;
  s.from.organ_id = o.archive_organ_id;
  s.from.organ_name = o.archive_organ_name;
  s.status_code = code;
  s.description = description;
  s.timestamp = AxisTime(now);
  auto xml = formats::edxml::WriteStatus(s);
  return xml.ok() ? *xml : "";
}

// A package judged again because another worker or process committed it,
// or one of its documents, after this one's duplicate checks.
constexpr char kRaced[] = "committed concurrently by another ingest; judged again";
constexpr int kMaxAttempts = 4;

bool IsRace(const Status& s) { return s.code() == StatusCode::kAborted && s.message() == kRaced; }

// kAborted (kRaced) when the job is already accepted or rejected.
Status NotJudgedYet(const archive::TxnView& w, const std::string& job_id) {
  auto current = w.GetJob(job_id);
  if (current.ok()) {
    if (current->state == model::JobState::kAccepted || current->state == model::JobState::kRejected) {
      return Status(StatusCode::kAborted, kRaced);
    }
    return Status::Ok();
  }
  return current.status().code() == StatusCode::kNotFound ? Status::Ok() : current.status();
}

}  // namespace

std::string_view ReceiptStatusName(ReceiptStatus s) {
  switch (s) {
    case ReceiptStatus::kAccepted: return "accepted";
    case ReceiptStatus::kRejected: return "rejected";
    case ReceiptStatus::kDuplicate: return "duplicate";
  }
  return "unknown";
}

Ingester::Ingester(Service* service, IngestOptions options) : service_(service), options_(std::move(options)) {}

Result<Receipt> Ingester::Ingest(const std::string& path) { return IngestOne(path, options_.index); }

Result<Receipt> Ingester::IngestOne(const std::string& path, bool index, int attempt) {
  archive::Archive& a = service_->archive();
  const DataDir& data = service_->data();
  const std::string actor = service_->actor();
  if (!PathExists(path)) return NotFoundError("no package at " + path);
  // A device, pipe or socket is no package: refused before any job exists
  // (it has no content hash to name a job by, and may never end).
  if (struct stat st {}; ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    return InvalidArgumentError(path + " is not a file or folder (a device, pipe or socket is not a package)");
  }
  KHOLUU_ASSIGN_OR_RETURN(SpoolLock lock, SpoolLock::Take(data, /*exclusive=*/false, /*wait=*/true));

  // Stages 1-4: stage with hashes, unpack safely, identify, check metadata.
  IntakeOptions io = options_.limits;
  io.staging_dir = NewStagingDir(data);
  if (io.organ_id.empty()) io.organ_id = options_.organ_id;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      if (!dir.empty()) RemoveTree(dir).IgnoreError();
    }
  } cleanup{io.staging_dir};
  KHOLUU_ASSIGN_OR_RETURN(Intake in, ReadPackage(path, io));

  Receipt receipt;
  receipt.package = path;
  receipt.job = in.package_sha256.ToHex();
  receipt.kind = in.kind;
  receipt.received_micros = SystemClock()->NowMicros();

  // A package seen before: harmless, and said so.
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, a.catalog().BeginRead());
    auto job = r.GetJob(receipt.job);
    if (job.ok() && (job->state == model::JobState::kAccepted || job->state == model::JobState::kRejected)) {
      receipt.status = job->state == model::JobState::kAccepted ? ReceiptStatus::kDuplicate : ReceiptStatus::kRejected;
      receipt.record_file = job->record_file;
      for (const std::string& id : job->documents) receipt.documents.push_back({id, "linked", id, "", "", {}, "", ""});
      for (const auto& p : job->problems) receipt.problems.push_back(FromJobProblem(p));
      receipt.received_micros = job->received_micros;
      receipt.finished_micros = job->finished_micros;
      receipt.detail = std::string(job->state == model::JobState::kAccepted ? "already accepted" : "already refused") +
                       " on " + FormatTimestamp(job->finished_micros) + "; nothing changed";
      return receipt;
    }
    if (!job.ok() && job.status().code() != StatusCode::kNotFound) return job.status();
  }

  model::IngestJob job;
  job.id = receipt.job;
  job.package = Clip(path, 990);
  job.kind = std::string(PackageKindName(in.kind));
  job.actor = actor;
  job.received_micros = receipt.received_micros;
  Status received = a.catalog().Update(actor, [&](archive::WriteTxn& w) -> Status {
    // Another worker or process may have judged the same package since the
    // look-up above: never turn its verdict back into "received".
    KHOLUU_RETURN_IF_ERROR(NotJudgedYet(w, job.id));
    return w.PutJob(job);
    // Lazy: losing this mark in a power failure loses only the note that
    // the package was abandoned; the verdict's commit is durable.
  }, archive::Catalog::Durability::kMetaLazy);
  if (IsRace(received) && attempt < kMaxAttempts) return IngestOne(path, index, attempt + 1);
  KHOLUU_RETURN_IF_ERROR(received);

  // Stage 5: signatures that can refuse (edXML's XML signature).
  std::vector<Problem> problems = in.problems;
  std::string refusal_vi;
  if (in.kind == PackageKind::kEdxml && in.edxml && !in.edxml->is_status && !in.HasErrors()) {
    if (in.edxml->signature_present) {
      XmlSignatureVerdict v = VerifyEdxmlSignatureFile(in.staged_root, options_.preservation.verify.trust_store,
                                                       receipt.received_micros / 1000000);
      if (!v.report) {
        problems.push_back(MakeProblem("signature.unverifiable", Severity::kError,
                                       "the XML signature could not be verified: " + v.error,
                                       "không xác minh được chữ ký số XML: " + v.error, ""));
        refusal_vi = "không đúng thể thức";
      } else if (v.report->present && !v.report->valid) {
        problems.push_back(MakeProblem("signature.invalid", Severity::kError,
                                       "the XML signature does not verify: the package was changed after signing",
                                       "chữ ký số XML không hợp lệ: gói tin đã bị thay đổi sau khi ký", ""));
        refusal_vi = "không đúng thể thức";
      } else if (v.report->trust.trust == x509::Trust::kUntrusted) {
        problems.push_back(MakeProblem("signature.untrusted", Severity::kWarning,
                                       "the XML signature's signer is not trusted by this archive's trust store",
                                       "người ký chữ ký số XML không được tin cậy theo kho chứng thư của kho lưu trữ",
                                       ""));
      }
    } else if (options_.require_edxml_signature) {
      // A signed PDF attachment is the other way a document is signed.
      bool signed_pdf = false;
      for (const IntakeDocument& d : in.documents) {
        for (const IntakeFile& f : d.files) {
          if (f.media_type != "application/pdf") continue;
          auto bytes = ReadFileToString(f.staged_path, kMaxOriginalBytes);
          if (!bytes.ok()) continue;
          auto report = pdfsig::VerifyPdfSignatures(*bytes, options_.preservation.verify);
          if (report.ok() && !report->signatures.empty()) signed_pdf = true;
        }
      }
      if (!signed_pdf) {
        problems.push_back(MakeProblem("signature.missing", Severity::kError,
                                       "the document carries no digital signature (no XML signature, no signed PDF)",
                                       "văn bản không có chữ ký số (không có chữ ký XML, không có tệp PDF được ký)",
                                       ""));
        refusal_vi = "thiếu chữ ký số";
      }
    }
  }
  receipt.problems = problems;
  bool errors = false;
  for (const Problem& p : problems) errors = errors || p.severity == Severity::kError;

  if (errors) {
    // Refused whole: nothing is kept but the refusal record.
    if (refusal_vi.empty()) refusal_vi = RefusalReasonVi(in);
    if (refusal_vi.empty()) refusal_vi = "không đúng thể thức";
    receipt.status = ReceiptStatus::kRejected;
    receipt.finished_micros = SystemClock()->NowMicros();
    size_t n = 0;
    for (const Problem& p : problems) n += p.severity == Severity::kError ? 1 : 0;
    receipt.detail = "refused: " + std::to_string(n) + " error(s), " + refusal_vi;
    if (in.kind == PackageKind::kEdxml) {
      receipt.edxml_status_code = "02";
      receipt.edxml_status = StatusReply(in, options_, "02", refusal_vi, receipt.finished_micros);
    }
    job.state = model::JobState::kRejected;
    job.finished_micros = receipt.finished_micros;
    for (const Problem& p : problems) job.problems.push_back(ToJobProblem(p));
    job.detail = Clip(receipt.detail, internal::kMaxEventDetail);
    KHOLUU_RETURN_IF_ERROR(a.catalog().Update(actor, [&](archive::WriteTxn& w) { return w.PutJob(job); }));
    return receipt;
  }

  // Stages 6-9: duplicates, originals stored durably, preservation.
  std::vector<Prepared> prepared(in.documents.size());
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, a.catalog().BeginRead());
    for (size_t i = 0; i < in.documents.size(); ++i) {
      Prepared& p = prepared[i];
      p.in = &in.documents[i];
      const IntakeDocument& d = *p.in;
      if (d.record_file >= 0 && static_cast<size_t>(d.record_file) < in.record_files.size()) {
        p.file = in.record_files[static_cast<size_t>(d.record_file)].record_file;
      } else if (in.kind == PackageKind::kEdxml) {
        p.file = AxisRecordFile(d.document, in.edxml ? in.edxml->from_organ_name : d.document.organ_name);
      } else {
        p.file.file_code = d.document.file_code;
        p.file.title = d.document.subject;
      }
      KHOLUU_ASSIGN_OR_RETURN(p.existing, FindExisting(r, d));
      if (!p.existing.document.empty() && in.edxml && p.existing.why == "same edXML DocumentId" &&
          (in.edxml->business_doc_type == 2 || in.edxml->business_doc_type == 3)) {
        p.new_version = true;
      }
      // A recall, update or replacement acts on the document its business
      // header names, even when its số/ký hiệu or its own DocumentId would
      // match something else first (an update re-issued on another day has
      // a new DocumentId and the same number): the business code decides.
      // Only the very same bytes stay a plain link.
      if (p.existing.why != "same bytes" && in.edxml && in.edxml->business_doc_type >= 1 &&
          !in.edxml->business_document_id.empty()) {
        KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> docs, r.DocumentsByEdxmlId(in.edxml->business_document_id));
        if (!docs.empty()) {
          p.existing = {docs.front(), "the edXML document it updates"};
          p.new_version = in.edxml->business_doc_type != 1;
        }
      }
      // Files whose bytes the archive already has as an original of the
      // earlier document are not stored again.
      std::set<std::string> known;
      if (!p.existing.document.empty()) {
        KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> comps, r.ComponentsOfDocument(p.existing.document));
        for (const std::string& id : comps) {
          KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(id));
          if (c.role == model::ComponentRole::kOriginal) known.insert(c.sha256.ToHex());
        }
      }
      const bool linked_only = !p.existing.document.empty() && !p.new_version;
      for (size_t k = 0; k < d.files.size(); ++k) {
        const IntakeFile& f = d.files[k];
        if (linked_only && known.count(f.sha256.ToHex()) > 0) continue;
        model::Component c;
        c.id = "new/" + std::to_string(i) + "/" + std::to_string(k);
        c.role = model::ComponentRole::kOriginal;
        c.name = Clip(f.name.empty() ? "file" : f.name, 250);
        c.sha256 = f.sha256;
        c.size = f.size;
        c.media_type = f.media_type.empty() ? "application/octet-stream" : f.media_type;
        c.format_version = f.format_version;
        p.originals.push_back(c);
        p.package_paths.push_back(f.package_path);
      }
      // The signed edXML message itself is kept bit-exact with its document:
      // the package file, whose digest and size intake already took.
      if (in.kind == PackageKind::kEdxml && i == 0 && !linked_only && IsRegularFileForIngest(in.staged_root)) {
        model::Component c;
        c.id = "new/" + std::to_string(i) + "/edxml";
        c.role = model::ComponentRole::kOriginal;
        std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
        c.name = Clip(name.empty() ? "package.edxml" : name, 250);
        c.sha256 = in.package_sha256;
        c.size = in.package_bytes;
        c.media_type = "application/xml";
        c.format_version = "edXML QCVN 102:2016";
        p.originals.push_back(c);
        p.package_paths.push_back("");
      }
    }
  }
  // Documents are independent: with options_.threads > 1 they are stored
  // and preserved on that many threads (conversion and OCR dominate). Their
  // blobs go into one batch, made durable together before the commit.
  archive::BlobBatch blobs = a.blobs().NewBatch();
  auto prepare = [&](Prepared& p) -> Status {
    for (size_t k = 0; k < p.originals.size(); ++k) {
      model::Component& c = p.originals[k];
      const bool edxml_message = p.package_paths[k].empty();
      std::string staged = in.staged_root;
      if (!edxml_message) {
        for (const IntakeFile& f : p.in->files) {
          if (f.package_path == p.package_paths[k]) staged = f.staged_path;
        }
      }
      KHOLUU_RETURN_IF_ERROR(blobs.PutExpected(staged, c.sha256).status());
      if (options_.preserve && !edxml_message) {
        KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(staged, kMaxOriginalBytes));
        KHOLUU_ASSIGN_OR_RETURN(PreservedOriginal po, PreserveOriginal(blobs, c, bytes, options_.preservation));
        p.preserved.push_back(std::move(po));
      }
    }
    p.preserved_done = options_.preserve;
    return Status::Ok();
  };
  {
    const size_t threads = std::clamp<size_t>(options_.threads, 1, std::max<size_t>(prepared.size(), 1));
    std::vector<Status> failed(prepared.size());
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next.fetch_add(1); i < prepared.size(); i = next.fetch_add(1)) failed[i] = prepare(prepared[i]);
    };
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
    work();
    for (std::thread& t : helpers) t.join();
    for (const Status& st : failed) KHOLUU_RETURN_IF_ERROR(st);
  }
  KHOLUU_RETURN_IF_ERROR(blobs.Commit());

  // Stage 10: one transaction commits the package.
  receipt.finished_micros = SystemClock()->NowMicros();
  const bool is_edxml = in.kind == PackageKind::kEdxml;
  if (is_edxml && in.edxml && in.edxml->is_status) {
    receipt.detail = "status " + in.edxml->status_code + " recorded";
  }
  std::vector<ReceiptDocument> docs;
  std::string record_file;
  Status committed = a.catalog().Update(actor, [&](archive::WriteTxn& w) -> Status {
    // The duplicate checks above ran in an earlier snapshot: if another
    // worker or process has since committed this package, or a document
    // this one would store anew, judge the package again (it is then a
    // duplicate, or its documents are linked) rather than store it twice.
    KHOLUU_RETURN_IF_ERROR(NotJudgedYet(w, job.id));
    for (const Prepared& p : prepared) {
      if (!p.existing.document.empty()) continue;
      KHOLUU_ASSIGN_OR_RETURN(Existing now, FindExisting(w, *p.in));
      if (!now.document.empty()) return Status(StatusCode::kAborted, kRaced);
    }
    docs.clear();
    record_file.clear();
    const int64_t now = receipt.finished_micros;
    const std::string agent = "kholuu ingest (" + job.kind + " package " + job.id.substr(0, 12) + ")";
    // A Status package: recorded on the documents it answers.
    if (is_edxml && in.edxml && in.edxml->is_status) {
      KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, w.DocumentsByEdxmlId(in.edxml->document_id));
      for (const std::string& id : ids) {
        KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kValidation, model::EventOutcome::kSuccess, id,
                                                    "edXML status " + in.edxml->status_code + " from " +
                                                        in.edxml->from_organ_id + ": " + in.edxml->status_description,
                                                    agent))
                                   .status());
        docs.push_back({id, "status", id, "", "", {}, "", ""});
      }
      if (ids.empty()) {
        KHOLUU_RETURN_IF_ERROR(w.Audit("ingest.status", in.edxml->document_id,
                                       "edXML status " + in.edxml->status_code + " for a document not in the archive",
                                       in.package_sha256));
      }
    }
    std::map<std::string, int32_t> next_ordinal;  // per record file
    for (Prepared& p : prepared) {
      const IntakeDocument& d = *p.in;
      const std::string file_key = p.file.file_code.ToString();
      if (record_file.empty()) record_file = file_key;
      auto existing_file = w.GetRecordFile(file_key);
      if (!existing_file.ok()) {
        if (existing_file.status().code() != StatusCode::kNotFound) return existing_file.status();
        model::RecordFile f = p.file;
        f.created_micros = now;
        if (f.title.empty()) f.title = d.document.subject;
        KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
        KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kIngestion, model::EventOutcome::kSuccess,
                                                    file_key, "received in " + job.kind + " package " + path, agent))
                                   .status());
        KHOLUU_RETURN_IF_ERROR(internal::AssignRetentionAtIngest(w, f, now, agent));
        if (d.record_file >= 0) {
          for (const Problem& wp : in.record_files[static_cast<size_t>(d.record_file)].warnings) {
            KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kValidation, model::EventOutcome::kWarning,
                                                        file_key, WarningText(wp), agent))
                                       .status());
          }
        }
      }
      ReceiptDocument rd;
      rd.code = d.document.code_number.empty() ? d.document.code_notation
                                                : d.document.code_number + "/" + d.document.code_notation;
      rd.subject = d.document.subject;
      std::string doc_id;
      if (!p.existing.document.empty() && !p.new_version) {
        // Linked: never stored twice.
        doc_id = p.existing.document;
        rd.action = "linked";
        rd.previous = doc_id;
        KHOLUU_RETURN_IF_ERROR(w.LinkDocument(file_key, doc_id, p.existing.why + " (job " + job.id + ")"));
        KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kIngestion, model::EventOutcome::kWarning,
                                                    doc_id,
                                                    "received again (" + p.existing.why + ") in " + job.kind +
                                                        " package " + path + ", record file " + file_key +
                                                        "; not stored twice",
                                                    agent))
                                   .status());
        if (is_edxml && in.edxml && in.edxml->business_doc_type == 1) {
          KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kDisposition, model::EventOutcome::kSuccess,
                                                      doc_id,
                                                      "recalled by the sender " + in.edxml->from_organ_id +
                                                          (in.edxml->business_reason.empty()
                                                               ? std::string()
                                                               : ": " + in.edxml->business_reason) +
                                                          " (the document is kept)",
                                                      agent))
                                     .status());
          rd.action = "recalled";
        }
      } else {
        // A new document (or a new version of an earlier one).
        model::Document doc = d.document;
        doc.file_code = p.file.file_code;
        if (doc.organ_id.empty()) doc.organ_id = p.file.file_code.organ_id;
        auto& next = next_ordinal[file_key];
        if (next == 0) {
          KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> in_file, w.DocumentsInFile(file_key));
          int32_t max_ordinal = 0;
          for (const std::string& id : in_file) {
            KHOLUU_ASSIGN_OR_RETURN(model::Document x, w.GetDocument(id));
            if (x.file_code.ToString() == file_key) max_ordinal = std::max(max_ordinal, x.doc_ordinal);
          }
          next = max_ordinal + 1;
        }
        doc.doc_ordinal = next++;
        doc.id = model::MakeDocumentId(doc.file_code, doc.doc_ordinal);
        doc.created_micros = now;
        if (p.new_version) doc.edxml_document_id.clear();  // the DocumentId stays with the first version
        KHOLUU_RETURN_IF_ERROR(w.PutDocument(doc));
        doc_id = doc.id;
        rd.action = p.new_version ? "new_version" : "stored";
        rd.previous = p.new_version ? p.existing.document : "";
        KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kIngestion, model::EventOutcome::kSuccess,
                                                    doc_id,
                                                    "received in " + job.kind + " package " + path + " (job " +
                                                        job.id + ")" +
                                                        (d.metadata_path.empty() ? "" : ", metadata " + d.metadata_path),
                                                    agent))
                                   .status());
        if (p.new_version) {
          KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kIngestion, model::EventOutcome::kSuccess,
                                                      p.existing.document, "superseded by " + doc_id +
                                                          " (edXML update/replace; this version is kept)", agent))
                                     .status());
        }
        for (const Problem& wp : d.warnings) {
          KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kValidation, model::EventOutcome::kWarning,
                                                      doc_id, WarningText(wp), agent))
                                     .status());
        }
      }
      // New originals of this document.
      KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> comp_ids, w.ComponentsOfDocument(doc_id));
      int32_t next_index = model::NextComponentIndex(comp_ids);
      std::map<std::string, std::string> renamed;
      for (model::Component c : p.originals) {
        const std::string provisional = c.id;
        c.id = model::MakeComponentId(doc_id, next_index++);
        c.document_id = doc_id;
        c.created_micros = now;
        renamed[provisional] = c.id;
        KHOLUU_RETURN_IF_ERROR(w.PutComponent(c));
        rd.components.push_back(c.id);
        KHOLUU_RETURN_IF_ERROR(w.AddEvent(MakeEvent(model::EventType::kIngestion, model::EventOutcome::kSuccess, c.id,
                                                    "stored original " + c.name + " (" + c.media_type +
                                                        (c.format_version.empty() ? "" : " " + c.format_version) +
                                                        ") sha256 " + c.sha256.ToHex(),
                                                    agent))
                                   .status());
      }
      if (p.preserved_done && !p.preserved.empty()) {
        std::vector<PreservedOriginal> preserved = p.preserved;
        for (PreservedOriginal& po : preserved) {
          po.original.id = renamed[po.original.id];
          po.original.document_id = doc_id;
          for (model::Component& c : po.components) {
            c.document_id = doc_id;
            if (auto it = renamed.find(c.derived_from); it != renamed.end()) c.derived_from = it->second;
          }
          for (model::Event& e : po.events) {
            if (auto it = renamed.find(e.object_id); it != renamed.end()) e.object_id = it->second;
          }
          if (po.original_changed) {
            // The original row was just written: take its final id and time.
            po.original.created_micros = now;
          }
        }
        KHOLUU_ASSIGN_OR_RETURN(std::vector<RecordedComponent> made,
                                RecordPreservation(w, doc_id, preserved, /*replace_derived=*/false));
        for (const RecordedComponent& m : made) rd.components.push_back(m.id);
        rd.risk = RiskOf(preserved);
        rd.preservation = rd.risk.empty() ? "preserved" : "at_risk";
      } else if (!p.originals.empty()) {
        rd.preservation = "deferred";
      }
      rd.id = doc_id;
      docs.push_back(std::move(rd));
    }
    model::IngestJob done = job;
    done.state = model::JobState::kAccepted;
    done.finished_micros = now;
    done.record_file = record_file;
    for (const ReceiptDocument& rd : docs) done.documents.push_back(rd.id);
    for (const Problem& p : problems) done.problems.push_back(ToJobProblem(p));
    done.detail = "accepted: " + std::to_string(docs.size()) + " document(s)";
    return w.PutJob(done);
  });
  if (IsRace(committed) && attempt < kMaxAttempts) return IngestOne(path, index, attempt + 1);
  KHOLUU_RETURN_IF_ERROR(committed);
  receipt.status = ReceiptStatus::kAccepted;
  receipt.record_file = record_file;
  receipt.documents = std::move(docs);
  if (receipt.detail.empty()) receipt.detail = "accepted: " + std::to_string(receipt.documents.size()) + " document(s)";
  if (is_edxml && in.edxml && !in.edxml->is_status) {
    const bool recall = in.edxml->business_doc_type == 1;
    receipt.edxml_status_code = recall ? "15" : "03";
    receipt.edxml_status = StatusReply(in, options_, receipt.edxml_status_code,
                                       recall ? "Đồng ý thu hồi" : "Đã tiếp nhận", receipt.finished_micros);
  }
  // Stage 11: the index, from the outbox (a crash here loses nothing).
  if (index) KHOLUU_RETURN_IF_ERROR(DrainOutbox(a, data, actor).status());
  return receipt;
}

std::vector<Result<Receipt>> Ingester::IngestMany(const std::vector<std::string>& paths, size_t workers,
                                                  const std::function<void(const IngestProgress&)>& progress) {
  std::vector<Result<Receipt>> results(paths.size(), Result<Receipt>(InternalError("not run")));
  std::atomic<size_t> next{0};
  std::mutex mu;
  IngestProgress state;
  state.total = paths.size();

  // The index follows the outbox on a thread of its own while the workers
  // run (every kIndexEvery accepted packages, or kIndexWait after the last
  // one), and once more at the end: indexing overlaps the ingest instead of
  // following it. A drain that fails leaves its entries in the outbox for the
  // next one.
  constexpr size_t kIndexEvery = 16;
  constexpr auto kIndexWait = std::chrono::milliseconds(500);
  std::condition_variable index_cv;
  size_t unindexed = 0;   // GUARDED_BY(mu): accepted since the last drain
  bool finished = false;  // GUARDED_BY(mu)
  std::thread index_thread;
  if (options_.index) {
    index_thread = std::thread([&] {
      std::unique_lock<std::mutex> lock(mu);
      for (;;) {
        index_cv.wait_for(lock, kIndexWait, [&] { return finished || unindexed >= kIndexEvery; });
        if (finished) return;
        if (unindexed == 0) continue;
        unindexed = 0;
        lock.unlock();
        DrainOutbox(service_->archive(), service_->data(), service_->actor()).status().IgnoreError();
        lock.lock();
      }
    });
  }
  auto work = [&] {
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= paths.size()) return;
      Result<Receipt> r = IngestOne(paths[i], /*index=*/false);
      std::lock_guard<std::mutex> lock(mu);
      ++state.done;
      if (!r.ok()) {
        ++state.failed;
      } else if (r->status == ReceiptStatus::kAccepted) {
        ++state.accepted;
        if (++unindexed >= kIndexEvery) index_cv.notify_one();
      } else if (r->status == ReceiptStatus::kRejected) {
        ++state.rejected;
      } else {
        ++state.duplicate;
      }
      results[i] = std::move(r);
      if (progress) progress(state);
    }
  };
  workers = std::clamp<size_t>(workers, 1, 64);
  std::vector<std::thread> threads;
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (index_thread.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu);
      finished = true;
    }
    index_cv.notify_one();
    index_thread.join();
  }
  if (options_.index && state.accepted > 0) {
    Status s = DrainOutbox(service_->archive(), service_->data(), service_->actor()).status();
    if (!s.ok()) {
      // The records are committed; only the index lags (the outbox keeps it).
      for (auto& r : results) {
        if (r.ok() && r->status == ReceiptStatus::kAccepted) r->detail += "; index not yet updated: " + s.message();
      }
    }
  }
  return results;
}

Result<std::vector<std::string>> Ingester::Recover() {
  archive::Archive& a = service_->archive();
  auto lock = SpoolLock::Take(service_->data(), /*exclusive=*/true, /*wait=*/false);
  if (!lock.ok()) {
    if (lock.status().code() == StatusCode::kUnavailable) return std::vector<std::string>();  // not alone
    return lock.status();
  }
  std::vector<model::IngestJob> stale;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, a.catalog().BeginRead());
    KHOLUU_RETURN_IF_ERROR(r.ForEachJob([&](const model::IngestJob& j) {
      if (j.state == model::JobState::kReceived) stale.push_back(j);
      return Status::Ok();
    }));
  }
  std::vector<std::string> ids;
  if (!stale.empty()) {
    const int64_t now = SystemClock()->NowMicros();
    KHOLUU_RETURN_IF_ERROR(a.catalog().Update(service_->actor(), [&](archive::WriteTxn& w) -> Status {
      ids.clear();
      for (model::IngestJob j : stale) {
        j.state = model::JobState::kAbandoned;
        j.finished_micros = now;
        j.detail = "interrupted before its commit; nothing of it was kept (submit the package again)";
        KHOLUU_RETURN_IF_ERROR(w.PutJob(j));
        ids.push_back(j.id);
      }
      return Status::Ok();
    }));
  }
  // Staging left by interrupted runs: no ingest is running (the lock).
  auto entries = ListDir(service_->data().spool());
  if (entries.ok()) {
    for (const std::string& e : *entries) {
      if (e.rfind("tmp-", 0) == 0) RemoveTree(service_->data().spool() + "/" + e).IgnoreError();
    }
  }
  return ids;
}

}  // namespace kholuu::ingest
