#include "tools/bench/ir_bench.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "indexer/analyzer.h"
#include "indexer/index.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

constexpr int kOk = 0, kFailed = 1, kUsage = 2;

int Usage(const std::string& msg) {
  std::cerr << "kholuu-bench ir: " << msg << "\n"
            << "usage: kholuu-bench ir --articles FILE --queries FILE [--strip-diacritics]\n"
            << "                       [--split all|even|odd] [--per-query] [--ranking key=value]...\n"
            << "                       [--cv-folds K [--cv-seed S] [--cv-repeats R]\n"
            << "                        [--cv-tolerance T] [--cv-grid key=v1,v2,...]...]\n";
  return kUsage;
}

bool ReadJson(const std::string& path, nlohmann::json& out) {
  std::ifstream in(path);
  if (!in) return false;
  try {
    out = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return false;
  }
  return true;
}

// Removes the directory tree when it goes out of scope.
struct TempTree {
  std::string path;
  ~TempTree() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

// Sets one RankingOptions knob by its --ranking key; false for an unknown key.
bool SetKnob(indexer::RankingOptions& r, const std::string& k, double v) {
  if (k == "bigram") {
    r.bigram_weight = v;
  } else if (k == "folded") {
    r.folded_weight = v;
  } else if (k == "subject") {
    r.subject_wdf = v;
  } else if (k == "file") {
    r.file_title_wdf = v;
  } else if (k == "docnumber") {
    r.docnumber_weight = v;
  } else if (k == "questions") {
    r.question_stopwords = v != 0;
  } else if (k == "k1") {
    r.k1 = v;
  } else if (k == "b") {
    r.b = v;
  } else if (k == "common") {
    r.common_df = v;
  } else if (k == "elite") {
    r.elite_terms = static_cast<size_t>(v);
  } else if (k == "maxscore") {
    r.maxscore = v != 0;
  } else if (k == "long") {
    r.long_query_tokens = static_cast<size_t>(v);
  } else {
    return false;
  }
  return true;
}

// Every knob that changes a ranking, in one string (cache key). The folded
// weight is left out for queries without diacritics, which never use it.
std::string RankingKey(const indexer::RankingOptions& r, bool stripped) {
  char buf[320];
  std::snprintf(buf, sizeof buf, "b%.17g f%.17g s%.17g t%.17g d%.17g q%d k%.17g b%.17g c%.17g l%zu e%zu",
                r.bigram_weight, stripped ? 0.0 : r.folded_weight, r.subject_wdf, r.file_title_wdf,
                r.docnumber_weight, r.question_stopwords ? 1 : 0, r.k1, r.b, r.common_df,
                r.long_query_tokens, r.elite_terms);
  return buf;
}

struct Query {
  size_t index = 0;  // position in the queries file
  std::string text, stripped;
  std::set<std::string> relevant;
};

struct QueryScore {
  size_t first = 0;  // rank of the first relevant hit in the top 10; 0 if none
  double rr = 0, r10 = 0, r1 = 0;
  std::string top;
};

// Indexes every article into a new index in `dir` with the index-time
// knobs of `ranking` (subject_wdf, file_title_wdf).
Status BuildIndex(const nlohmann::json& articles, const std::string& dir,
                  const indexer::RankingOptions& ranking) {
  KHOLUU_ASSIGN_OR_RETURN(auto w, indexer::IndexWriter::Open(dir, ranking));
  w->set_batch_size(100000);
  std::vector<indexer::IndexDocument> docs;
  for (auto it = articles.begin(); it != articles.end(); ++it) {
    if (!it.value().is_string()) continue;
    const std::string& key = it.key();
    std::string text = it.value().get<std::string>();
    indexer::IndexDocument d;
    d.id = key;
    size_t at = key.rfind('@');
    d.record_file_title = at == std::string::npos ? "" : key.substr(0, at);
    d.record_file = d.record_file_title;
    size_t nl = text.find('\n');
    d.subject = text.substr(0, nl);
    d.body = nl == std::string::npos ? "" : text.substr(nl + 1);
    docs.push_back(std::move(d));
  }
  KHOLUU_RETURN_IF_ERROR(w->PutMany(docs));
  return w->Commit();
}

Result<std::vector<QueryScore>> RunQueries(indexer::Searcher& searcher, const std::vector<Query>& queries,
                                           bool strip) {
  std::vector<QueryScore> out;
  out.reserve(queries.size());
  for (const Query& q : queries) {
    indexer::SearchRequest req;
    req.query = strip ? q.stripped : q.text;
    req.limit = 10;
    req.access_levels = {1, 2, 3};
    auto res = searcher.Search(req);
    if (!res.ok()) {
      return Status(res.status().code(), "query " + std::to_string(q.index) + ": " + res.status().message());
    }
    QueryScore s;
    size_t found = 0;
    for (size_t k = 0; k < res->hits.size(); ++k) {
      if (q.relevant.count(res->hits[k].document) != 0) {
        ++found;
        if (s.first == 0) s.first = k + 1;
      }
    }
    const double nrel = static_cast<double>(q.relevant.size());
    if (s.first != 0) s.rr = 1.0 / static_cast<double>(s.first);
    if (s.first == 1) s.r1 = 1.0 / nrel;
    s.r10 = static_cast<double>(found) / nrel;
    s.top = res->hits.empty() ? "" : res->hits[0].document;
    out.push_back(std::move(s));
  }
  return out;
}

// ---- Cross-validation -------------------------------------------------------

// One knob of the declared grid: the value plain BM25 + bigrams has (the
// baseline), and the value the selection prefers when the difference is
// within the tolerance: the plain one, except for knobs that exist for
// something this test cannot measure (speed, partly accented queries),
// whose preferred value is the product's.
struct Dim {
  std::string key;
  std::vector<double> values;
  double plain;
  double preferred;
  bool index_time;  // changes the index, not only the query (one index per value)
};

// The declared space: every feature beyond BM25 with "off" among its values,
// BM25's k1 and b around their usual values.
std::vector<Dim> DefaultGrid() {
  return {
      {"subject", {0, 2}, 0, 0, true},  // subject syllables' extra wdf
      {"file", {0, 1}, 0, 0, true},     // record-file title in the general text
      {"bigram", {0, 0.5, 1}, 1, 1, false},
      // Queries with diacritics only; there so that a word typed without
      // them still matches (no such query in ALQAC).
      {"folded", {0, 0.3}, 0, 0.3, false},
      {"questions", {0, 1}, 0, 0, false},
      // Long-question speed (ADR 0033, 0036): preferred on.
      {"elite", {0, 10}, 0, 10, false},
      {"common", {0, 0.05}, 0, 0.05, false},
      {"k1", {0.9, 1.2, 1.5}, 1.2, 1.2, false},
      {"b", {0.5, 0.75, 0.9}, 0.75, 0.75, false},
  };
}

// A deterministic generator (splitmix64), the same on every platform.
struct SplitMix {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

// fold[i] of each of n queries: a seeded shuffle dealt round-robin, so fold
// sizes differ by at most one.
std::vector<size_t> AssignFolds(size_t n, size_t k, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  SplitMix rng{seed};
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.Next() % i]);
  std::vector<size_t> fold(n);
  for (size_t p = 0; p < n; ++p) fold[order[p]] = p % k;
  return fold;
}

struct Stats {
  double mean = 0, sd = 0, min = 0, max = 0;
};
Stats StatsOf(const std::vector<double>& v) {
  Stats s;
  if (v.empty()) return s;
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
  }
  return s;
}
nlohmann::json ToJson(const Stats& s) {
  return {{"mean", s.mean}, {"sd", s.sd}, {"min", s.min}, {"max", s.max}};
}

// The reciprocal ranks of one configuration, as written and stripped.
struct Evaluated {
  std::vector<double> rr[2];
};

double MeanOver(const std::vector<double>& rr, const std::vector<size_t>& subset) {
  if (subset.empty()) return 0;
  double s = 0;
  for (size_t i : subset) s += rr[i];
  return s / static_cast<double>(subset.size());
}

// What a configuration is judged by: the mean of its MRR@10 as written and
// stripped (one set of defaults serves both).
double Objective(const Evaluated& e, const std::vector<size_t>& subset) {
  return (MeanOver(e.rr[0], subset) + MeanOver(e.rr[1], subset)) / 2;
}

struct Grid {
  std::vector<Dim> dims;
  std::vector<std::vector<size_t>> configs;  // value index per dim
  std::map<std::vector<size_t>, size_t> by_values;
  std::vector<size_t> cost;  // knobs away from their preferred value

  void Expand() {
    std::vector<size_t> at(dims.size(), 0);
    while (true) {
      size_t c = 0;
      for (size_t d = 0; d < dims.size(); ++d) c += dims[d].values[at[d]] != dims[d].preferred ? 1U : 0U;
      by_values[at] = configs.size();
      configs.push_back(at);
      cost.push_back(c);
      size_t d = dims.size();
      while (d > 0) {
        --d;
        if (++at[d] < dims[d].values.size()) break;
        at[d] = 0;
        if (d == 0) return;
      }
      if (dims.empty()) return;
    }
  }
  indexer::RankingOptions Options(size_t c, indexer::RankingOptions r) const {
    for (size_t d = 0; d < dims.size(); ++d) SetKnob(r, dims[d].key, dims[d].values[configs[c][d]]);
    return r;
  }
  nlohmann::json Describe(size_t c) const {
    nlohmann::json j = nlohmann::json::object();
    for (size_t d = 0; d < dims.size(); ++d) j[dims[d].key] = dims[d].values[configs[c][d]];
    return j;
  }
  // The grid configuration with these knob values (a value per dim), if any.
  std::optional<size_t> Find(const indexer::RankingOptions& r) const {
    std::vector<size_t> at;
    for (const Dim& d : dims) {
      indexer::RankingOptions probe;
      size_t found = d.values.size();
      for (size_t i = 0; i < d.values.size(); ++i) {
        probe = r;
        SetKnob(probe, d.key, d.values[i]);
        if (RankingKey(probe, false) == RankingKey(r, false)) found = i;
      }
      if (found == d.values.size()) return std::nullopt;
      at.push_back(found);
    }
    auto it = by_values.find(at);
    if (it == by_values.end()) return std::nullopt;
    return it->second;
  }
};

// The selection rule, applied to the training folds only: the configurations
// whose objective is within `tolerance` of the best; of those the one with
// the fewest knobs away from their preferred value, then the higher objective,
// then the first in grid order.
size_t Select(const Grid& g, const std::vector<Evaluated>& ev, const std::vector<size_t>& subset,
              double tolerance) {
  std::vector<double> obj(g.configs.size());
  double best = -1;
  for (size_t c = 0; c < g.configs.size(); ++c) {
    obj[c] = Objective(ev[c], subset);
    best = std::max(best, obj[c]);
  }
  size_t pick = 0;
  bool have = false;
  for (size_t c = 0; c < g.configs.size(); ++c) {
    if (obj[c] < best - tolerance - 1e-12) continue;
    if (!have || g.cost[c] < g.cost[pick] || (g.cost[c] == g.cost[pick] && obj[c] > obj[pick])) {
      pick = c;
      have = true;
    }
  }
  return pick;
}

struct CvArgs {
  size_t folds = 0;  // 0: no cross-validation
  uint64_t seed = 1;
  size_t repeats = 1;
  double tolerance = 0.01;
  std::map<std::string, std::vector<double>> grid_values;  // --cv-grid overrides
};

int RunCrossValidation(const nlohmann::json& articles, const std::vector<Query>& queries,
                       const indexer::RankingOptions& base, const CvArgs& cv) {
  Grid g;
  g.dims = DefaultGrid();
  for (const auto& kv : cv.grid_values) {
    const std::string& key = kv.first;
    auto it = std::find_if(g.dims.begin(), g.dims.end(), [&key](const Dim& d) { return d.key == key; });
    if (it == g.dims.end()) return Usage("--cv-grid: no grid knob " + key);
    it->values = kv.second;
  }
  g.Expand();
  // The plain BM25 + bigram baseline, and the defaults as given (product
  // defaults plus any --ranking), each a fixed configuration.
  indexer::RankingOptions plain = base;
  for (const Dim& d : g.dims) SetKnob(plain, d.key, d.plain);
  std::vector<indexer::RankingOptions> all;
  for (size_t c = 0; c < g.configs.size(); ++c) all.push_back(g.Options(c, base));
  const size_t kPlain = all.size(), kDefault = all.size() + 1;
  all.push_back(plain);
  all.push_back(base);

  std::string tmpl = std::filesystem::temp_directory_path().string() + "/kholuu-ir-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "kholuu-bench ir: cannot create a scratch directory\n";
    return kFailed;
  }
  TempTree tmp{tmpl};
  // Index once per combination of index-time knobs; configurations grouped by it.
  std::map<std::pair<double, double>, std::vector<size_t>> by_index;
  for (size_t c = 0; c < all.size(); ++c) by_index[{all[c].subject_wdf, all[c].file_title_wdf}].push_back(c);
  std::vector<Evaluated> ev(all.size());
  std::map<std::string, std::vector<double>> done;  // RankingKey + mode -> rr
  size_t searches = 0, index_no = 0;
  double t_start = NowSeconds();
  for (const auto& [key, members] : by_index) {
    std::string dir = tmp.path + "/index" + std::to_string(index_no++);
    double t0 = NowSeconds();
    if (Status s = BuildIndex(articles, dir, all[members.front()]); !s.ok()) {
      std::cerr << "kholuu-bench ir: " << s.ToString() << "\n";
      return kFailed;
    }
    double t1 = NowSeconds();
    for (size_t c : members) {
      for (int mode = 0; mode < 2; ++mode) {
        std::string k = RankingKey(all[c], mode == 1) + (mode == 1 ? " stripped" : "");
        auto hit = done.find(k);
        if (hit != done.end()) {
          ev[c].rr[mode] = hit->second;
          continue;
        }
        auto searcher = indexer::Searcher::Open(dir, all[c]);
        if (!searcher.ok()) {
          std::cerr << "kholuu-bench ir: " << searcher.status().ToString() << "\n";
          return kFailed;
        }
        auto scores = RunQueries(**searcher, queries, mode == 1);
        if (!scores.ok()) {
          std::cerr << "kholuu-bench ir: " << scores.status().ToString() << "\n";
          return kFailed;
        }
        searches += queries.size();
        for (const QueryScore& s : *scores) ev[c].rr[mode].push_back(s.rr);
        done[k] = ev[c].rr[mode];
      }
    }
    std::cerr << "kholuu-bench ir: index subject=" << key.first << " file=" << key.second << ": "
              << Fixed(t1 - t0, 1) << " s to index, " << members.size() << " configurations in "
              << Fixed(NowSeconds() - t1, 1) << " s\n";
  }

  const size_t n = queries.size();
  std::vector<size_t> everyone(n);
  for (size_t i = 0; i < n; ++i) everyone[i] = i;
  auto mrr = [&](size_t c, int mode, const std::vector<size_t>& subset) { return MeanOver(ev[c].rr[mode], subset); };
  auto training = [&](size_t c) {
    return nlohmann::json{{"mrr_at_10", mrr(c, 0, everyone)}, {"mrr_at_10_stripped", mrr(c, 1, everyone)}};
  };
  const size_t chosen_all = Select(g, ev, everyone, cv.tolerance);
  const size_t best_all = Select(g, ev, everyone, 0);

  nlohmann::json out = {
      {"queries", n},
      {"cv_folds", cv.folds},
      {"cv_seed", cv.seed},
      {"cv_repeats", cv.repeats},
      {"cv_tolerance", cv.tolerance},
      {"grid_configurations", g.configs.size()},
      {"searches", searches},
      {"seconds", NowSeconds() - t_start},
  };
  nlohmann::json grid = nlohmann::json::object();
  for (const Dim& d : g.dims) {
    grid[d.key] = {{"values", d.values}, {"plain", d.plain}, {"preferred", d.preferred},
                   {"index_time", d.index_time}};
  }
  out["grid"] = grid;
  out["training"] = {
      {"defaults", training(kDefault)},
      {"plain_bm25_bigrams", training(kPlain)},
      {"chosen", training(chosen_all)},
      {"best", training(best_all)},
  };
  out["chosen_on_all_queries"] = g.Describe(chosen_all);
  out["best_on_all_queries"] = g.Describe(best_all);

  // Cross-validation: per repeat (seed), per fold, selection on the other folds.
  nlohmann::json repeats = nlohmann::json::array();
  std::vector<double> rep_cv[2], rep_plain[2], rep_best[2];
  std::vector<size_t> feature_on(g.dims.size(), 0), feature_moved(g.dims.size(), 0);
  size_t fold_runs = 0;
  for (size_t r = 0; r < cv.repeats; ++r) {
    const uint64_t seed = cv.seed + r;
    std::vector<size_t> fold_of = AssignFolds(n, cv.folds, seed);
    nlohmann::json folds = nlohmann::json::array();
    std::vector<double> f_cv[2], f_plain[2], f_best[2];
    for (size_t f = 0; f < cv.folds; ++f) {
      std::vector<size_t> train, test;
      for (size_t i = 0; i < n; ++i) (fold_of[i] == f ? test : train).push_back(i);
      const size_t c = Select(g, ev, train, cv.tolerance);
      const size_t b = Select(g, ev, train, 0);
      for (size_t d = 0; d < g.dims.size(); ++d) {
        if (g.dims[d].values[g.configs[c][d]] != g.dims[d].plain) ++feature_on[d];
        if (g.dims[d].values[g.configs[c][d]] != g.dims[d].preferred) ++feature_moved[d];
      }
      ++fold_runs;
      nlohmann::json fj = {{"fold", f}, {"test_queries", test.size()}, {"chosen", g.Describe(c)}};
      for (int mode = 0; mode < 2; ++mode) {
        const char* sfx = mode == 0 ? "" : "_stripped";
        f_cv[mode].push_back(mrr(c, mode, test));
        f_plain[mode].push_back(mrr(kPlain, mode, test));
        f_best[mode].push_back(mrr(b, mode, test));
        fj[std::string("mrr_at_10") + sfx] = f_cv[mode].back();
        fj[std::string("plain_bm25_bigrams") + sfx] = f_plain[mode].back();
        fj[std::string("best_without_tolerance") + sfx] = f_best[mode].back();
        fj[std::string("training_folds_mrr_at_10") + sfx] = mrr(c, mode, train);
      }
      folds.push_back(fj);
    }
    nlohmann::json rj = {{"seed", seed}, {"folds", folds}};
    for (int mode = 0; mode < 2; ++mode) {
      const char* sfx = mode == 0 ? "" : "_stripped";
      rj[std::string("cv_mrr_at_10") + sfx] = ToJson(StatsOf(f_cv[mode]));
      rj[std::string("plain_bm25_bigrams") + sfx] = ToJson(StatsOf(f_plain[mode]));
      rj[std::string("best_without_tolerance") + sfx] = ToJson(StatsOf(f_best[mode]));
      rep_cv[mode].push_back(StatsOf(f_cv[mode]).mean);
      rep_plain[mode].push_back(StatsOf(f_plain[mode]).mean);
      rep_best[mode].push_back(StatsOf(f_best[mode]).mean);
    }
    repeats.push_back(rj);
  }
  out["repeats"] = repeats;
  nlohmann::json summary;
  for (int mode = 0; mode < 2; ++mode) {
    const char* sfx = mode == 0 ? "" : "_stripped";
    summary[std::string("cv_mrr_at_10") + sfx] = ToJson(StatsOf(rep_cv[mode]));
    summary[std::string("plain_bm25_bigrams") + sfx] = ToJson(StatsOf(rep_plain[mode]));
    summary[std::string("best_without_tolerance") + sfx] = ToJson(StatsOf(rep_best[mode]));
  }
  out["cv_over_repeats"] = summary;

  // Per knob: how often the folds' choice had it away from plain, and what
  // each of its values does alone on top of plain BM25 + bigrams, per held
  // fold of the first seed (no selection involved).
  std::vector<size_t> fold_of = AssignFolds(n, cv.folds, cv.seed);
  std::vector<std::vector<size_t>> tests(cv.folds);
  for (size_t i = 0; i < n; ++i) tests[fold_of[i]].push_back(i);
  std::vector<size_t> plain_at(g.dims.size(), 0);
  bool plain_in_grid = true;
  for (size_t d = 0; d < g.dims.size(); ++d) {
    auto it = std::find(g.dims[d].values.begin(), g.dims[d].values.end(), g.dims[d].plain);
    if (it == g.dims[d].values.end()) plain_in_grid = false;
    plain_at[d] = static_cast<size_t>(it - g.dims[d].values.begin());
  }
  std::optional<size_t> def_at = g.Find(base);
  nlohmann::json knobs = nlohmann::json::object();
  for (size_t d = 0; d < g.dims.size(); ++d) {
    nlohmann::json kj = {{"folds_choosing_non_plain", feature_on[d]},
                         {"folds_choosing_non_preferred", feature_moved[d]},
                         {"fold_runs", fold_runs}};
    auto deltas = [&](size_t with, size_t without) {
      nlohmann::json j;
      for (int mode = 0; mode < 2; ++mode) {
        std::vector<double> dv;
        size_t better = 0, worse = 0;
        for (const auto& t : tests) {
          dv.push_back(mrr(with, mode, t) - mrr(without, mode, t));
          if (dv.back() > 1e-12) ++better;
          if (dv.back() < -1e-12) ++worse;
        }
        const char* sfx = mode == 0 ? "" : "_stripped";
        j[std::string("delta") + sfx] = ToJson(StatsOf(dv));
        j[std::string("folds_better") + sfx] = better;
        j[std::string("folds_worse") + sfx] = worse;
      }
      return j;
    };
    if (plain_in_grid) {
      nlohmann::json alone = nlohmann::json::object();
      for (size_t v = 0; v < g.dims[d].values.size(); ++v) {
        if (v == plain_at[d]) continue;
        std::vector<size_t> at = plain_at;
        at[d] = v;
        alone[Fixed(g.dims[d].values[v], 3)] = deltas(g.by_values.at(at), g.by_values.at(plain_at));
      }
      kj["alone_on_plain"] = alone;
    }
    if (def_at && plain_in_grid && g.configs[*def_at][d] != plain_at[d]) {
      std::vector<size_t> at = g.configs[*def_at];
      at[d] = plain_at[d];
      kj["defaults_with_it_vs_without"] = deltas(*def_at, g.by_values.at(at));
    }
    knobs[g.dims[d].key] = kj;
  }
  out["knobs"] = knobs;
  std::cout << out.dump(2) << "\n";
  return kOk;
}

Result<std::vector<double>> ParseList(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    double v = std::strtod(item.c_str(), &end);
    if (item.empty() || end == nullptr || *end != '\0') return InvalidArgumentError("not a number: " + item);
    out.push_back(v);
  }
  if (out.empty()) return InvalidArgumentError("empty list");
  return out;
}

}  // namespace

int RunIrBench(const std::vector<std::string>& args) {
  std::string articles_path, queries_path, split = "all";
  bool strip = false, per_query = false;
  indexer::RankingOptions ranking;
  CvArgs cv;
  FlagReader reader(args);
  while (reader.Next()) {
    const std::string& a = reader.flag();
    if (a == "--articles" || a == "--queries") {
      Result<std::string> v = reader.RequiredValue();
      if (!v.ok()) return Usage(v.status().message());
      (a == "--articles" ? articles_path : queries_path) = *std::move(v);
    } else if (a == "--split") {
      const std::string* v = reader.Value();
      if (v == nullptr || (*v != "all" && *v != "even" && *v != "odd")) {
        return Usage("--split is all, even or odd");
      }
      split = *v;
    } else if (a == "--ranking") {
      // Ablations: --ranking bigram=0 | folded=W | subject=N | file=N | questions=0 | ...
      const std::string* value = reader.Value();
      if (value == nullptr || value->find('=') == std::string::npos) {
        return Usage("--ranking key=value");
      }
      const std::string& kv = *value;
      std::string k = kv.substr(0, kv.find('='));
      double v = std::atof(kv.c_str() + kv.find('=') + 1);
      if (!SetKnob(ranking, k, v)) return Usage("unknown ranking key " + k);
    } else if (a == "--cv-folds" || a == "--cv-seed" || a == "--cv-repeats") {
      Result<uint64_t> v = reader.PositiveValue();
      if (!v.ok()) return Usage(v.status().message());
      if (a == "--cv-folds") {
        if (*v < 2) return Usage("--cv-folds needs at least 2");
        cv.folds = static_cast<size_t>(*v);
      } else if (a == "--cv-seed") {
        cv.seed = *v;
      } else {
        cv.repeats = static_cast<size_t>(*v);
      }
    } else if (a == "--cv-tolerance") {
      const std::string* v = reader.Value();
      char* end = nullptr;
      double t = v == nullptr ? -1 : std::strtod(v->c_str(), &end);
      if (v == nullptr || end == v->c_str() || *end != '\0' || !(t >= 0)) {
        return Usage("--cv-tolerance needs a number >= 0");
      }
      cv.tolerance = t;
    } else if (a == "--cv-grid") {
      const std::string* v = reader.Value();
      if (v == nullptr || v->find('=') == std::string::npos) return Usage("--cv-grid key=v1,v2,...");
      auto values = ParseList(v->substr(v->find('=') + 1));
      if (!values.ok()) return Usage("--cv-grid: " + values.status().message());
      cv.grid_values[v->substr(0, v->find('='))] = *std::move(values);
    } else if (a == "--strip-diacritics") {
      strip = true;
    } else if (a == "--per-query") {
      per_query = true;
    } else if (a == "--help" || a == "-h") {
      Usage("help");
      return kOk;
    } else {
      return Usage("unknown argument " + a);
    }
  }
  if (articles_path.empty() || queries_path.empty()) return Usage("--articles and --queries are required");
  nlohmann::json articles, queries;
  if (!ReadJson(articles_path, articles) || !articles.is_object()) {
    std::cerr << "kholuu-bench ir: cannot read a JSON object from " << articles_path << "\n";
    return kUsage;
  }
  if (!ReadJson(queries_path, queries) || !queries.is_array()) {
    std::cerr << "kholuu-bench ir: cannot read a JSON array from " << queries_path << "\n";
    return kUsage;
  }
  std::vector<Query> qs;
  for (size_t qi = 0; qi < queries.size(); ++qi) {
    if ((split == "even" && qi % 2 != 0) || (split == "odd" && qi % 2 != 1)) continue;
    const nlohmann::json& q = queries[qi];
    if (!q.is_object() || !q.contains("text") || !q["text"].is_string() || !q.contains("relevant_articles") ||
        !q["relevant_articles"].is_array()) {
      continue;
    }
    Query query;
    query.index = qi;
    for (const auto& r : q["relevant_articles"]) {
      if (r.is_object() && r.contains("law_id") && r.contains("article_id") && r["law_id"].is_string() &&
          r["article_id"].is_string()) {
        query.relevant.insert(r["law_id"].get<std::string>() + "@" + r["article_id"].get<std::string>());
      }
    }
    if (query.relevant.empty()) continue;
    query.text = q["text"].get<std::string>();
    query.stripped = indexer::Analyzer::FoldDiacritics(query.text);
    qs.push_back(std::move(query));
  }
  if (cv.folds > 0) {
    if (qs.size() < cv.folds) return Usage("fewer labelled queries than --cv-folds");
    return RunCrossValidation(articles, qs, ranking, cv);
  }

  std::string tmpl = std::filesystem::temp_directory_path().string() + "/kholuu-ir-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "kholuu-bench ir: cannot create a scratch directory\n";
    return kFailed;
  }
  TempTree tmp{tmpl};
  std::string dir = tmp.path + "/index";
  auto t0 = std::chrono::steady_clock::now();
  if (Status s = BuildIndex(articles, dir, ranking); !s.ok()) {
    std::cerr << "kholuu-bench ir: " << s.ToString() << "\n";
    return kFailed;
  }
  double index_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uint64_t index_bytes = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) index_bytes += e.file_size(ec);
  }
  auto searcher = indexer::Searcher::Open(dir, ranking);
  if (!searcher.ok()) {
    std::cerr << "kholuu-bench ir: " << searcher.status().ToString() << "\n";
    return kFailed;
  }
  auto scores = RunQueries(**searcher, qs, strip);
  if (!scores.ok()) {
    std::cerr << "kholuu-bench ir: " << scores.status().ToString() << "\n";
    return kFailed;
  }
  double mrr = 0, r10 = 0, r1 = 0;
  nlohmann::json details = nlohmann::json::array();
  for (size_t i = 0; i < qs.size(); ++i) {
    const QueryScore& s = (*scores)[i];
    mrr += s.rr;
    r10 += s.r10;
    r1 += s.r1;
    if (per_query) details.push_back({{"index", qs[i].index}, {"rank", s.first}, {"top", s.top}});
  }
  const size_t n = qs.size();
  double dn = n == 0 ? 1 : static_cast<double>(n);
  nlohmann::json out = {{"queries", n},
                        {"mrr_at_10", mrr / dn},
                        {"recall_at_10", r10 / dn},
                        {"recall_at_1", r1 / dn},
                        {"split", split},
                        {"strip_diacritics", strip},
                        {"documents", (*searcher)->doc_count()},
                        {"index_seconds", index_seconds},
                        {"index_bytes", index_bytes}};
  if (per_query) out["per_query"] = details;
  std::cout << out.dump(2) << "\n";
  return kOk;
}

}  // namespace kholuu::bench
