#include "ingest/index_sync.h"

#include <algorithm>
#include <filesystem>
#include <thread>
#include <vector>

namespace kholuu::ingest {
namespace {

constexpr uint64_t kMaxBodyBytes = 16u << 20;

}  // namespace

Result<indexer::IndexDocument> ToIndexDocument(const archive::TxnView& r, const archive::BlobStore& blobs,
                                               const model::Document& d) {
  std::string title;
  if (auto f = r.GetRecordFile(d.file_code.ToString()); f.ok()) title = f->title;
  std::string body = d.description;
  if (!d.to_places.empty()) body += "\n" + d.to_places;
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.ComponentsOfDocument(d.id));
  for (const std::string& id : ids) {
    KHOLUU_ASSIGN_OR_RETURN(model::Component comp, r.GetComponent(id));
    if (comp.role != model::ComponentRole::kExtractedText) continue;
    if (body.size() + comp.size > kMaxBodyBytes) continue;
    KHOLUU_ASSIGN_OR_RETURN(archive::BlobReader reader, blobs.Open(comp.sha256, /*verify=*/true));
    std::string text(static_cast<size_t>(comp.size), '\0');
    size_t got = 0;
    while (got < text.size()) {
      KHOLUU_ASSIGN_OR_RETURN(size_t n, reader.Read(text.data() + got, text.size() - got));
      if (n == 0) break;
      got += n;
    }
    text.resize(got);
    body += "\n" + text;
  }
  return indexer::FromModel(d, std::move(body), std::move(title));
}

Result<SyncReport> RebuildIndex(archive::Archive& a, const DataDir& data, const std::string& actor,
                                const RebuildOptions& options) {
  namespace fs = std::filesystem;
  SyncReport report;
  const std::string dir = data.index();
  const std::string fresh = data.index_new();
  std::error_code ec;
  fs::remove_all(fresh, ec);
  std::vector<uint64_t> covered;
  {
    // A fresh directory nobody reads until the swap below: the bulk mode, one
    // shard per CPU (up to 4), merged by Commit() (ADR 0035).
    size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
    KHOLUU_ASSIGN_OR_RETURN(auto w, indexer::IndexWriter::OpenForRebuild(fresh, {}, threads));
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, a.catalog().BeginRead());
    // Everything in this snapshot's outbox is covered by the rebuild.
    KHOLUU_RETURN_IF_ERROR(r.ForEachOutbox([&](const archive::OutboxEntry& e) {
      covered.push_back(e.seq);
      return Status::Ok();
    }));
    // PutMany in slices: bounded memory.
    constexpr size_t kSlice = 2000;
    std::vector<indexer::IndexDocument> slice;
    slice.reserve(kSlice);
    uint64_t total = 0;
    if (options.progress) {
      KHOLUU_ASSIGN_OR_RETURN(archive::TableCounts counts, r.Counts());
      total = counts.documents;
    }
    KHOLUU_RETURN_IF_ERROR(r.ForEachDocument([&](const model::Document& d) -> Status {
      KHOLUU_ASSIGN_OR_RETURN(indexer::IndexDocument x, ToIndexDocument(r, a.blobs(), d));
      ++report.indexed;
      if (options.progress && report.indexed % 256 == 0) options.progress(report.indexed, total);
      slice.push_back(std::move(x));
      if (slice.size() < kSlice) return Status::Ok();
      Status s = w->PutMany(slice);
      slice.clear();
      return s;
    }));
    KHOLUU_RETURN_IF_ERROR(w->PutMany(slice));
    KHOLUU_RETURN_IF_ERROR(w->Commit());
    if (options.progress) options.progress(report.indexed, std::max(total, report.indexed));
  }
  // Swap: readers that have the old index open keep reading it until they reopen.
  const std::string old = data.index_old();
  fs::remove_all(old, ec);
  if (fs::exists(dir)) {
    fs::rename(dir, old, ec);
    if (ec) return InternalError("rename " + dir + ": " + ec.message());
  }
  fs::rename(fresh, dir, ec);
  if (ec) return InternalError("rename " + fresh + ": " + ec.message());
  fs::remove_all(old, ec);
  KHOLUU_RETURN_IF_ERROR(a.catalog().Update(actor, [&](archive::WriteTxn& w) -> Status {
    for (uint64_t seq : covered) KHOLUU_RETURN_IF_ERROR(w.AckOutbox(seq));
    return Status::Ok();
  }));
  report.acknowledged = covered.size();
  return report;
}

Result<SyncReport> DrainOutbox(archive::Archive& a, const DataDir& data, const std::string& actor) {
  SyncReport report;
  KHOLUU_ASSIGN_OR_RETURN(auto w, indexer::IndexWriter::Open(data.index()));
  std::vector<uint64_t> done;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, a.catalog().BeginRead());
    KHOLUU_RETURN_IF_ERROR(r.ForEachOutbox([&](const archive::OutboxEntry& e) -> Status {
      if (e.op == "delete") {
        Status s = w->Delete(e.document_id);
        if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
        ++report.deleted;
      } else {
        auto d = r.GetDocument(e.document_id);
        if (d.ok()) {
          KHOLUU_ASSIGN_OR_RETURN(indexer::IndexDocument x, ToIndexDocument(r, a.blobs(), *d));
          KHOLUU_RETURN_IF_ERROR(w->Put(x));
          ++report.indexed;
        } else if (d.status().code() != StatusCode::kNotFound) {
          return d.status();
        }
      }
      done.push_back(e.seq);
      return Status::Ok();
    }));
  }
  KHOLUU_RETURN_IF_ERROR(w->Commit());
  if (done.empty()) return report;
  KHOLUU_RETURN_IF_ERROR(a.catalog().Update(actor, [&](archive::WriteTxn& t) -> Status {
    for (uint64_t seq : done) KHOLUU_RETURN_IF_ERROR(t.AckOutbox(seq));
    return Status::Ok();
  }));
  report.acknowledged = done.size();
  return report;
}

}  // namespace kholuu::ingest
