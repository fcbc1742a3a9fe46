#include "ingest/verify.h"

#include <memory>

#include "archive/blob/blob_store.h"
#include "ingest/service.h"

namespace kholuu::ingest {
namespace {

class Verifier {
 public:
  Verifier(const archive::TxnView& r, archive::BlobStore& blobs, archive::BlobStore* replica,
           RecordVerification* out)
      : r_(r), blobs_(blobs), replica_(replica), out_(out) {}

  Status Row(const std::string& table, const std::string& key) {
    auto row = r_.VerifyRow(table, key);
    // Neither a row nor a history: only an index names it, and the index
    // check says so.
    if (!row.ok() && row.status().code() == StatusCode::kNotFound) return Status::Ok();
    KHOLUU_ASSIGN_OR_RETURN(std::vector<archive::StateProblem> problems, std::move(row));
    ++out_->rows;
    for (const archive::StateProblem& p : problems) out_->checks.push_back({"state", table + " " + key, false, p.problem});
    return Status::Ok();
  }

  Status Events(const std::string& object) {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<model::Event> events, r_.EventsFor(object));
    out_->events += events.size();
    KHOLUU_ASSIGN_OR_RETURN(std::vector<archive::StateProblem> problems, r_.VerifyEventsOf(object));
    for (const archive::StateProblem& p : problems) {
      out_->checks.push_back({"events", object + (p.key.empty() ? "" : " event " + p.key), false, p.problem});
    }
    return Status::Ok();
  }

  Status Blob(const Sha256& digest) {
    for (archive::BlobStore* store : {&blobs_, replica_}) {
      if (store == nullptr) continue;
      const char* what = store == &blobs_ ? "blob" : "replica";
      ++out_->blobs;
      Status s = store->Verify(digest);
      if (s.ok()) {
        auto size = store->Size(digest);
        if (size.ok()) out_->bytes += *size;
        out_->checks.push_back({what, digest.ToHex(), true, size.ok() ? std::to_string(*size) + " bytes" : ""});
      } else if (s.code() == StatusCode::kNotFound || s.code() == StatusCode::kDataLoss) {
        out_->checks.push_back({what, digest.ToHex(), false,
                                s.code() == StatusCode::kNotFound ? "missing" : s.message()});
      } else {
        return s;
      }
    }
    return Status::Ok();
  }

  // The record's parts, as its index lists them and as its rows and log
  // say; a disagreement is a check that fails.
  Result<std::vector<std::string>> Parts(const std::string& table, const std::string& id) {
    KHOLUU_ASSIGN_OR_RETURN(archive::PartsCheck parts, r_.CheckParts(table, id));
    for (const archive::StateProblem& p : parts.problems) out_->checks.push_back({"index", p.key, false, p.problem});
    return std::move(parts.parts);
  }

  Status Document(const std::string& id) {
    KHOLUU_RETURN_IF_ERROR(Row("document", id));
    KHOLUU_RETURN_IF_ERROR(Events(id));
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> comps, Parts("document", id));
    for (const std::string& c : comps) {
      KHOLUU_RETURN_IF_ERROR(Row("component", c));
      KHOLUU_RETURN_IF_ERROR(Events(c));
      auto comp = r_.GetComponent(c);
      if (!comp.ok()) {
        if (comp.status().code() != StatusCode::kNotFound && comp.status().code() != StatusCode::kDataLoss) {
          return comp.status();
        }
        continue;  // the state check above names it
      }
      KHOLUU_RETURN_IF_ERROR(Blob(comp->sha256));
    }
    return Status::Ok();
  }

 private:
  const archive::TxnView& r_;
  archive::BlobStore& blobs_;
  archive::BlobStore* replica_;
  RecordVerification* out_;
};

}  // namespace

Result<RecordVerification> Service::VerifyRecord(const std::string& id) const {
  RecordVerification out;
  out.id = id;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  // The replica, when one has been synced (meta "replica.path").
  std::unique_ptr<archive::BlobStore> replica;
  if (auto path = r.GetMeta("replica.path"); path.ok() && !path->empty()) {
    auto store = archive::BlobStore::Open(*path + "/blobs", /*create=*/false);
    if (store.ok()) {
      replica = std::move(*store);
      out.replica = true;
    } else {
      out.checks.push_back({"replica", *path, false, "the replica cannot be opened: " + store.status().message()});
    }
  }
  Verifier v(r, archive_->blobs(), replica.get(), &out);
  auto rf = r.GetRecordFile(id);
  if (rf.ok() || rf.status().code() == StatusCode::kDataLoss) {
    out.kind = "record_file";
    KHOLUU_RETURN_IF_ERROR(v.Row("record_file", id));
    KHOLUU_RETURN_IF_ERROR(v.Row("retention", id));  // when one is assigned
    KHOLUU_RETURN_IF_ERROR(v.Events(id));
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> docs, v.Parts("record_file", id));
    for (const std::string& d : docs) KHOLUU_RETURN_IF_ERROR(v.Document(d));
    return out;
  }
  if (rf.status().code() != StatusCode::kNotFound) return rf.status();
  auto doc = r.GetDocument(id);
  if (doc.ok() || doc.status().code() == StatusCode::kDataLoss) {
    out.kind = "document";
    KHOLUU_RETURN_IF_ERROR(v.Document(id));
    return out;
  }
  if (doc.status().code() != StatusCode::kNotFound) return doc.status();
  // A row deleted behind the archive is still known to the log.
  for (const char* table : {"record_file", "document"}) {
    auto row = r.VerifyRow(table, id);
    if (row.ok()) {
      out.kind = table;
      ++out.rows;
      for (const archive::StateProblem& p : *row) out.checks.push_back({"state", std::string(table) + " " + id, false, p.problem});
      return out;
    }
    if (row.status().code() != StatusCode::kNotFound) return row.status();
  }
  return NotFoundError("no record file or document has the id '" + id + "'");
}

}  // namespace kholuu::ingest
