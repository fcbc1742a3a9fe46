// kholuu search QUERY [--limit N] [--offset N] [--agency ID] [--type NAME]
//                     [--from DATE] [--to DATE] [--sort relevance|date|date-asc]
//                     [--facets] [--access 1,2,3]
// kholuu reindex [--outbox]
//
// The index lives in <data>/index. `reindex` rebuilds it from the catalog,
// `reindex --outbox` applies the pending outbox entries (ingest/index_sync.h).
// Query language: docs/search.md.
#include <unistd.h>

#include <iostream>
#include <optional>
#include <sstream>
#include <vector>

#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/progress.h"

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

// A snippet of the index (HTML: matches in <mark>, text escaped) for a
// terminal: matches in bold when `ansi`, else plain; entities decoded.
std::string SnippetForTerminal(std::string_view html, bool ansi) {
  static constexpr std::pair<std::string_view, std::string_view> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  std::string out;
  for (size_t i = 0; i < html.size();) {
    if (html.compare(i, 6, "<mark>") == 0) {
      if (ansi) out += "\033[1m";
      i += 6;
      continue;
    }
    if (html.compare(i, 7, "</mark>") == 0) {
      if (ansi) out += "\033[0m";
      i += 7;
      continue;
    }
    bool entity = false;
    for (const auto& [name, text] : kEntities) {
      if (html.compare(i, name.size(), name) == 0) {
        out += text;
        i += name.size();
        entity = true;
        break;
      }
    }
    if (!entity) out += html[i++];
  }
  return out;
}

int CmdSearch(const Common& c, const SearchArgs& a) {
  for (const auto& [option, value] : {std::pair<const char*, const std::string&>{"--from", a.from}, {"--to", a.to}}) {
    Status date = CheckDateOption(option, value);
    if (!date.ok()) return Fail(c, date);
  }
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
    nlohmann::json j = {{"total_estimate", res->total_estimate}, {"total_exact", res->total_exact}, {"hits", hits}};
    if (a.facets) j["facets"] = res->facets;
    std::cout << DumpJson(j) << "\n";
  } else {
    // Honest counts: exact when the index knows it, or when this page ran
    // out of matches; "about" otherwise.
    const bool page_ends = res->hits.size() < a.limit;
    std::optional<uint64_t> exact;
    if (res->total_exact) {
      exact = res->total_estimate;
    } else if (page_ends && (!res->hits.empty() || a.offset == 0)) {
      exact = a.offset + res->hits.size();
    }
    if (exact && *exact == 0) {
      std::cout << Tr(Msg::kSearchNone) << "\n";
    } else if (exact) {
      std::cout << Tr(Msg::kSearchExact, {std::to_string(*exact)}) << "\n";
    } else {
      std::cout << Tr(Msg::kSearchAbout, {std::to_string(res->total_estimate)}) << "\n";
    }
    const bool ansi = ::isatty(STDOUT_FILENO) == 1;
    size_t n = a.offset;
    for (const ingest::SearchHit& h : res->hits) {
      std::cout << ++n << ". " << h.document << "  " << h.code << "  " << h.issued_date << "\n   "
                << h.subject << "\n   " << SnippetForTerminal(h.snippet, ansi) << "\n";
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
  Progress progress(c, Tr(Msg::kProgressReindex), Tr(Msg::kUnitDocuments));
  ingest::RebuildOptions options;
  if (progress.enabled()) options.progress = progress.Callback();
  auto r = a.outbox_only ? (*ar)->DrainOutbox() : (*ar)->RebuildIndex(options);
  if (!r.ok()) return Fail(c, r.status());
  if (c.json) {
    std::cout << DumpJson({{"indexed", r->indexed}, {"deleted", r->deleted},
                           {"outbox_acknowledged", r->acknowledged},
                           {"index", (*ar)->data().index()}, {"rebuilt", !a.outbox_only}})
              << "\n";
  } else {
    std::cout << Tr(a.outbox_only ? Msg::kReindexOutbox : Msg::kReindexRebuilt,
                    {std::to_string(r->indexed), std::to_string(r->acknowledged)})
              << "\n";
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
