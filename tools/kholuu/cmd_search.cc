// kholuu search QUERY [--limit N] [--offset N] [--agency ID] [--type NAME]
//                     [--from DATE] [--to DATE] [--sort relevance|date|date-asc]
//                     [--facets] [--access 1,2,3]
// kholuu reindex [--outbox]
//
// The index lives in <data>/index. `reindex` rebuilds it from the catalog
// into <data>/index.new and swaps it in, then acknowledges the outbox
// entries the rebuild covered; `reindex --outbox` only applies the pending
// outbox entries (upserts and deletes) and acknowledges them after the index
// commit, so a crash in between re-applies them (idempotent) and loses none.
// Query language: docs/search.md.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include "archive/archive.h"
#include "indexer/index.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

struct SearchArgs {
  std::string query;
  size_t limit = 10;
  size_t offset = 0;
  std::string agency, type, from, to;
  std::string sort = "relevance";
  bool facets = false;
  std::string access = "1,2,3";
};

struct ReindexArgs {
  bool outbox_only = false;
};

std::string IndexDir(const Common& c) { return c.data + "/index"; }

// The indexed body: the document's description, its incoming-routing notes,
// and the text of its extracted_text components (made by `kholuu preserve`:
// text layers, OCR, repaired legacy encodings), at most kMaxBodyBytes of it.
constexpr uint64_t kMaxBodyBytes = 16u << 20;

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

int CmdSearch(const Common& c, const SearchArgs& a) {
  indexer::SearchRequest req;
  req.query = a.query;
  req.limit = a.limit;
  req.offset = a.offset;
  req.agency_filter = a.agency;
  req.type_filter = a.type;
  req.date_from = a.from;
  req.date_to = a.to;
  req.facets = a.facets;
  if (a.sort == "date") {
    req.sort = indexer::SearchRequest::Sort::kDateDesc;
  } else if (a.sort == "date-asc") {
    req.sort = indexer::SearchRequest::Sort::kDateAsc;
  } else if (a.sort != "relevance") {
    return Fail(c, InvalidArgumentError("--sort is relevance, date or date-asc"));
  }
  req.access_levels.clear();
  std::stringstream ss(a.access);
  for (std::string part; std::getline(ss, part, ',');) {
    if (part != "1" && part != "2" && part != "3") {
      return Fail(c, InvalidArgumentError("--access is a list of 1 (public), 2 (conditional), 3 (secret)"));
    }
    req.access_levels.push_back(part[0] - '0');
  }
  if (!archive::Archive::IsArchive(c.data)) {
    return Fail(c, NotFoundError(c.data + " is not an archive"));
  }
  auto s = indexer::Searcher::Open(IndexDir(c));
  if (!s.ok()) {
    return Fail(c, Status(s.status().code(), s.status().message() + " (run: kholuu reindex)"));
  }
  auto res = (*s)->Search(req);
  if (!res.ok()) return Fail(c, res.status());
  if (c.json) {
    nlohmann::json hits = nlohmann::json::array();
    for (const indexer::SearchHit& h : res->hits) {
      hits.push_back({{"document", h.document}, {"record_file", h.record_file}, {"score", h.score},
                      {"code", h.code}, {"subject", h.subject}, {"issued_date", h.issued_date},
                      {"snippet", h.snippet}});
    }
    nlohmann::json j = {{"total_estimate", res->total_estimate}, {"hits", hits}};
    if (a.facets) j["facets"] = res->facets;
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << "about " << res->total_estimate << " matches\n";
    size_t n = a.offset;
    for (const indexer::SearchHit& h : res->hits) {
      std::cout << ++n << ". " << h.document << "  " << h.code << "  " << h.issued_date << "\n   "
                << h.subject << "\n   " << h.snippet << "\n";
    }
    for (const auto& [name, values] : res->facets) {
      std::cout << name << ":";
      for (const auto& [v, count] : values) std::cout << " " << v << " (" << count << ")";
      std::cout << "\n";
    }
  }
  return kExitOk;
}

Status Rebuild(archive::Archive& ar, const Common& c, uint64_t* indexed, uint64_t* acked) {
  namespace fs = std::filesystem;
  std::string dir = IndexDir(c);
  std::string fresh = dir + ".new";
  std::error_code ec;
  fs::remove_all(fresh, ec);
  std::vector<uint64_t> covered;
  {
    // A fresh directory nobody reads until the swap below: the bulk mode, one
    // shard per CPU (up to 4), merged by Commit() (ADR 0035).
    size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
    KHOLUU_ASSIGN_OR_RETURN(auto w, indexer::IndexWriter::OpenForRebuild(fresh, {}, threads));
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, ar.catalog().BeginRead());
    // Everything in this snapshot's outbox is covered by the rebuild.
    KHOLUU_RETURN_IF_ERROR(r.ForEachOutbox([&](const archive::OutboxEntry& e) {
      covered.push_back(e.seq);
      return Status::Ok();
    }));
    // PutMany in slices: bounded memory.
    constexpr size_t kSlice = 2000;
    std::vector<indexer::IndexDocument> slice;
    slice.reserve(kSlice);
    KHOLUU_RETURN_IF_ERROR(r.ForEachDocument([&](const model::Document& d) -> Status {
      KHOLUU_ASSIGN_OR_RETURN(indexer::IndexDocument x, ToIndexDocument(r, ar.blobs(), d));
      ++*indexed;
      slice.push_back(std::move(x));
      if (slice.size() < kSlice) return Status::Ok();
      Status s = w->PutMany(slice);
      slice.clear();
      return s;
    }));
    KHOLUU_RETURN_IF_ERROR(w->PutMany(slice));
    KHOLUU_RETURN_IF_ERROR(w->Commit());
  }
  // Swap: readers that have the old index open keep reading it until they reopen.
  std::string old = dir + ".old";
  fs::remove_all(old, ec);
  if (fs::exists(dir)) {
    fs::rename(dir, old, ec);
    if (ec) return InternalError("rename " + dir + ": " + ec.message());
  }
  fs::rename(fresh, dir, ec);
  if (ec) return InternalError("rename " + fresh + ": " + ec.message());
  fs::remove_all(old, ec);
  KHOLUU_RETURN_IF_ERROR(ar.catalog().Update(c.actor, [&](archive::WriteTxn& w) -> Status {
    for (uint64_t seq : covered) KHOLUU_RETURN_IF_ERROR(w.AckOutbox(seq));
    return Status::Ok();
  }));
  *acked = covered.size();
  return Status::Ok();
}

Status DrainOutbox(archive::Archive& ar, const Common& c, uint64_t* indexed, uint64_t* acked) {
  KHOLUU_ASSIGN_OR_RETURN(auto w, indexer::IndexWriter::Open(IndexDir(c)));
  std::vector<uint64_t> done;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, ar.catalog().BeginRead());
    KHOLUU_RETURN_IF_ERROR(r.ForEachOutbox([&](const archive::OutboxEntry& e) -> Status {
      if (e.op == "delete") {
        Status s = w->Delete(e.document_id);
        if (!s.ok() && s.code() != StatusCode::kNotFound) return s;
      } else {
        auto d = r.GetDocument(e.document_id);
        if (d.ok()) {
          KHOLUU_ASSIGN_OR_RETURN(indexer::IndexDocument x, ToIndexDocument(r, ar.blobs(), *d));
          KHOLUU_RETURN_IF_ERROR(w->Put(x));
          ++*indexed;
        } else if (d.status().code() != StatusCode::kNotFound) {
          return d.status();
        }
      }
      done.push_back(e.seq);
      return Status::Ok();
    }));
  }
  KHOLUU_RETURN_IF_ERROR(w->Commit());
  KHOLUU_RETURN_IF_ERROR(ar.catalog().Update(c.actor, [&](archive::WriteTxn& t) -> Status {
    for (uint64_t seq : done) KHOLUU_RETURN_IF_ERROR(t.AckOutbox(seq));
    return Status::Ok();
  }));
  *acked = done.size();
  return Status::Ok();
}

int CmdReindex(const Common& c, const ReindexArgs& a) {
  auto ar = archive::Archive::Open(c.data);
  if (!ar.ok()) return Fail(c, ar.status());
  uint64_t indexed = 0, acked = 0;
  Status s = a.outbox_only ? DrainOutbox(**ar, c, &indexed, &acked) : Rebuild(**ar, c, &indexed, &acked);
  if (!s.ok()) return Fail(c, s);
  if (c.json) {
    std::cout << DumpJson({{"indexed", indexed}, {"outbox_acknowledged", acked},
                           {"index", IndexDir(c)}, {"rebuilt", !a.outbox_only}})
              << "\n";
  } else {
    std::cout << (a.outbox_only ? "applied outbox: " : "rebuilt index: ") << indexed
              << " documents indexed, " << acked << " outbox entries acknowledged\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterSearchCommands(CLI::App& app, const Registry& reg) {
  static SearchArgs search_args;
  static ReindexArgs reindex_args;
  SearchArgs* sa = &search_args;
  ReindexArgs* ra = &reindex_args;
  Registry r = reg;

  CLI::App* search = app.add_subcommand("search", "full-text search (docs/search.md)");
  reg.AddCommon(search);
  search->add_option("QUERY", sa->query, "query: words, \"phrases\", field:word, -word, 2019..2021")
      ->required();
  search->add_option("--limit", sa->limit, "hits per page (default 10, at most 1000)");
  search->add_option("--offset", sa->offset, "hits to skip");
  search->add_option("--agency", sa->agency, "only this agency id (mã định danh)");
  search->add_option("--type", sa->type, "only this document type (tên loại)");
  search->add_option("--from", sa->from, "issued on or after YYYY-MM-DD");
  search->add_option("--to", sa->to, "issued on or before YYYY-MM-DD");
  search->add_option("--sort", sa->sort, "relevance (default), date, date-asc");
  search->add_flag("--facets", sa->facets, "count matches by agency, type and year");
  search->add_option("--access", sa->access,
                     "access levels the caller may open, e.g. 1 or 1,2 (default 1,2,3)");
  search->callback([sa, r] { *r.rc = CmdSearch(*r.common, *sa); });

  CLI::App* reindex = app.add_subcommand("reindex", "rebuild the search index from the catalog");
  reg.AddCommon(reindex);
  reindex->add_flag("--outbox", ra->outbox_only, "only apply pending outbox entries");
  reindex->callback([ra, r] { *r.rc = CmdReindex(*r.common, *ra); });
}

}  // namespace kholuu::cli
