#include "tools/bench/ir_bench.h"

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
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
            << "                       [--split all|even|odd] [--per-query]\n";
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

}  // namespace

int RunIrBench(const std::vector<std::string>& args) {
  std::string articles_path, queries_path, split = "all";
  bool strip = false, per_query = false;
  indexer::RankingOptions ranking;
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
      // Ablations: --ranking bigram=0 | folded=W | subject=N | file=N | questions=0
      const std::string* value = reader.Value();
      if (value == nullptr || value->find('=') == std::string::npos) {
        return Usage("--ranking key=value");
      }
      const std::string& kv = *value;
      std::string k = kv.substr(0, kv.find('='));
      double v = std::atof(kv.c_str() + kv.find('=') + 1);
      if (k == "bigram") {
        ranking.bigram_weight = v;
      } else if (k == "folded") {
        ranking.folded_weight = v;
      } else if (k == "subject") {
        ranking.subject_wdf = v;
      } else if (k == "file") {
        ranking.file_title_wdf = v;
      } else if (k == "questions") {
        ranking.question_stopwords = v != 0;
      } else if (k == "k1") {
        ranking.k1 = v;
      } else if (k == "b") {
        ranking.b = v;
      } else if (k == "common") {
        ranking.common_df = v;
      } else if (k == "elite") {
        ranking.elite_terms = static_cast<size_t>(v);
      } else if (k == "maxscore") {
        ranking.maxscore = v != 0;
      } else if (k == "long") {
        ranking.long_query_tokens = static_cast<size_t>(v);
      } else {
        return Usage("unknown ranking key " + k);
      }
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

  std::string tmpl = std::filesystem::temp_directory_path().string() + "/kholuu-ir-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "kholuu-bench ir: cannot create a scratch directory\n";
    return kFailed;
  }
  TempTree tmp{tmpl};
  std::string dir = tmp.path + "/index";
  auto t0 = std::chrono::steady_clock::now();
  {
    auto w = indexer::IndexWriter::Open(dir, ranking);
    if (!w.ok()) {
      std::cerr << "kholuu-bench ir: " << w.status().ToString() << "\n";
      return kFailed;
    }
    (*w)->set_batch_size(100000);
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
    if (Status s = (*w)->PutMany(docs); !s.ok()) {
      std::cerr << "kholuu-bench ir: " << s.ToString() << "\n";
      return kFailed;
    }
    if (Status s = (*w)->Commit(); !s.ok()) {
      std::cerr << "kholuu-bench ir: " << s.ToString() << "\n";
      return kFailed;
    }
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
  size_t n = 0;
  double mrr = 0, r10 = 0, r1 = 0;
  nlohmann::json details = nlohmann::json::array();
  for (size_t qi = 0; qi < queries.size(); ++qi) {
    if ((split == "even" && qi % 2 != 0) || (split == "odd" && qi % 2 != 1)) continue;
    const nlohmann::json& q = queries[qi];
    if (!q.contains("text") || !q["text"].is_string() || !q.contains("relevant_articles")) continue;
    std::set<std::string> relevant;
    for (const auto& r : q["relevant_articles"]) {
      if (r.contains("law_id") && r.contains("article_id")) {
        relevant.insert(r["law_id"].get<std::string>() + "@" + r["article_id"].get<std::string>());
      }
    }
    if (relevant.empty()) continue;
    indexer::SearchRequest req;
    req.query = q["text"].get<std::string>();
    if (strip) req.query = indexer::Analyzer::FoldDiacritics(req.query);
    req.limit = 10;
    req.access_levels = {1, 2, 3};
    auto res = (*searcher)->Search(req);
    if (!res.ok()) {
      std::cerr << "kholuu-bench ir: query " << qi << ": " << res.status().ToString() << "\n";
      return kFailed;
    }
    ++n;
    size_t found = 0;
    size_t first = 0;
    for (size_t k = 0; k < res->hits.size(); ++k) {
      if (relevant.count(res->hits[k].document) != 0) {
        ++found;
        if (first == 0) first = k + 1;
      }
    }
    if (first != 0) mrr += 1.0 / static_cast<double>(first);
    if (first == 1) r1 += 1.0 / static_cast<double>(relevant.size());
    r10 += static_cast<double>(found) / static_cast<double>(relevant.size());
    if (per_query) {
      details.push_back({{"index", qi}, {"rank", first},
                         {"top", res->hits.empty() ? "" : res->hits[0].document}});
    }
  }
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
