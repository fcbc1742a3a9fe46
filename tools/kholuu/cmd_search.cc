// kholuu search QUERY [--limit N] [--offset N] [--agency ID] [--type NAME]
//                     [--from DATE] [--to DATE] [--sort relevance|date|date-asc]
//                     [--facets] [--access 1,2,3]
// kholuu reindex [--outbox]
//
// The index lives in <data>/index. `reindex` rebuilds it from the catalog,
// `reindex --outbox` applies the pending outbox entries (ingest/index_sync.h).
// Query language: docs/search.md.
#include <iostream>
#include <sstream>
#include <vector>

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

int CmdSearch(const Common& c, const SearchArgs& a) {
  ingest::SearchRequest req;
  req.query = a.query;
  req.limit = a.limit;
  req.offset = a.offset;
  req.agency_filter = a.agency;
  req.type_filter = a.type;
  req.date_from = a.from;
  req.date_to = a.to;
  req.facets = a.facets;
  if (a.sort == "date") {
    req.sort = ingest::SearchRequest::Sort::kDateDesc;
  } else if (a.sort == "date-asc") {
    req.sort = ingest::SearchRequest::Sort::kDateAsc;
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
  if (!ingest::Service::IsArchive(ingest::DataDir(c.data))) {
    return Fail(c, NotFoundError(c.data + " is not an archive"));
  }
  auto service = OpenService(c, /*read_only=*/true);
  if (!service.ok()) return Fail(c, service.status());
  auto res = (*service)->Search(req);
  if (!res.ok()) return Fail(c, res.status());
  if (c.json) {
    nlohmann::json hits = nlohmann::json::array();
    for (const ingest::SearchHit& h : res->hits) {
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
    for (const ingest::SearchHit& h : res->hits) {
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

int CmdReindex(const Common& c, const ReindexArgs& a) {
  auto ar = OpenService(c);
  if (!ar.ok()) return Fail(c, ar.status());
  auto r = a.outbox_only ? (*ar)->DrainOutbox() : (*ar)->RebuildIndex();
  if (!r.ok()) return Fail(c, r.status());
  if (c.json) {
    std::cout << DumpJson({{"indexed", r->indexed}, {"deleted", r->deleted},
                           {"outbox_acknowledged", r->acknowledged},
                           {"index", (*ar)->data().index()}, {"rebuilt", !a.outbox_only}})
              << "\n";
  } else {
    std::cout << (a.outbox_only ? "applied outbox: " : "rebuilt index: ") << r->indexed
              << " documents indexed, " << r->acknowledged << " outbox entries acknowledged\n";
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
