#include "tools/bench/search_bench.h"

#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "archive/base/status.h"
#include "formats/common/text.h"
#include "indexer/analyzer.h"
#include "indexer/index.h"
#include "tools/bench/bench_common.h"

#ifndef KHOLUU_CORPUS_DIR
#define KHOLUU_CORPUS_DIR "../shared/corpus"
#endif

namespace kholuu::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench search [options]\n"
    "\n"
    "Builds a corpus of N documents of about 1 KB by recombining real Vietnamese\n"
    "text (ALQAC 2023 law articles and the news reports of ../shared/context),\n"
    "deterministically from a seed, then in one run:\n"
    "  1. indexes it with kholuu (IndexWriter) and with SQLite FTS5\n"
    "     (tokenize='unicode61 remove_diacritics 2'): docs/s, MB/s, index size;\n"
    "  2. runs a fixed query mix on both: short keyword queries (1-3 syllables\n"
    "     drawn from the corpus) and long questions (ALQAC train.json), each with\n"
    "     and without diacritics; top 10 with snippets; latency p50/p99.\n"
    "\n"
    "options:\n"
    "  --docs N           documents (default 100000)\n"
    "  --seed N           corpus and query seed (default 1)\n"
    "  --short N          short keyword queries, each also run without diacritics\n"
    "                     (default 100)\n"
    "  --long N           long questions, the first N of train.json, each also run\n"
    "                     without diacritics (default 100)\n"
    "  --fts5-queries N   run at most N queries of each of the four classes on FTS5\n"
    "                     (default: all)\n"
    "  --no-fts5          measure kholuu only\n"
    "  --batch N          documents per commit: FTS5, and kholuu's incremental\n"
    "                     writer (--writer open) (default 10000)\n"
    "  --segment N[,F]    rebuild writer: N documents per segment, a flush every F\n"
    "                     (default: the product's, IndexWriter::kRebuildSegmentDocs\n"
    "                     and kRebuildFlushDocs; ADR 0062)\n"
    "  --writer MODE      rebuild (default: IndexWriter::OpenForRebuild, what\n"
    "                     `kholuu reindex` uses) or open (IndexWriter::Open, the\n"
    "                     incremental writer)\n"
    "  --threads N        rebuild writer threads, one index shard each, merged at\n"
    "                     the end (default: one per CPU, at most 4, as kholuu\n"
    "                     reindex; ADR 0035)\n"
    "  --articles FILE    ALQAC articles.json (default " KHOLUU_CORPUS_DIR
    "/alqac2023/articles.json)\n"
    "  --questions FILE   ALQAC train.json (default " KHOLUU_CORPUS_DIR
    "/alqac2023/train.json)\n"
    "  --news DIR         directory of *.txt news reports (default " KHOLUU_CORPUS_DIR
    "/../context)\n"
    "  --dir DIR          where to work (a scratch directory is made and removed in it;\n"
    "                     default $TMPDIR or /tmp)\n"
    "  --quick            tiny run for smoke tests: 2000 documents, 20 + 20 queries,\n"
    "                     batch 1000 (other options still apply)\n"
    "  --json             print one JSON document instead of the table\n"
    "  --keep             keep the scratch directory (both indexes)\n"
    "  --common-df X      RankingOptions::common_df for the kholuu queries (default: the\n"
    "                     product's; 0 turns the long-query rule off)\n"
    "  --elite N          RankingOptions::elite_terms for the kholuu queries (default:\n"
    "                     the product's)\n"
    "  --maxscore 0|1     RankingOptions::maxscore: 1 (default) MaxScore pruning, 0\n"
    "                     Xapian's own OR tree (ADR 0064)\n"
    "  --search-threads N threads per kholuu search (SearchParallelism; default: the\n"
    "                     product's, one per CPU, at most 4, fewer for a small index;\n"
    "                     1: one thread, as before ADR 0067)\n"
    "  --reuse DIR        query the indexes in DIR (kept by --keep from a run with the\n"
    "                     same --docs and --seed) instead of indexing; no index figures\n"
    "  --help             this text\n";

struct SearchOptions {
  std::string parent_dir;
  uint64_t docs = 100000;
  uint64_t seed = 1;
  uint64_t short_queries = 100;
  uint64_t long_queries = 100;
  uint64_t fts5_queries = 0;  // 0: all
  uint64_t batch = 10000;
  uint64_t segment_docs = indexer::IndexWriter::kRebuildSegmentDocs;
  uint64_t segment_flush = indexer::IndexWriter::kRebuildFlushDocs;
  bool rebuild_writer = true;  // --writer rebuild|open
  // --threads (rebuild writer): as `kholuu reindex`, one per CPU, at most 4.
  uint64_t threads = std::clamp<uint64_t>(std::thread::hardware_concurrency(), 1, 4);
  bool fts5 = true;
  std::string articles = KHOLUU_CORPUS_DIR "/alqac2023/articles.json";
  std::string questions = KHOLUU_CORPUS_DIR "/alqac2023/train.json";
  std::string news = KHOLUU_CORPUS_DIR "/../context";
  std::string reuse;  // a directory kept by --keep: query it, index nothing
  double common_df = indexer::RankingOptions{}.common_df;
  uint64_t elite_terms = indexer::RankingOptions{}.elite_terms;  // --elite
  bool maxscore = indexer::RankingOptions{}.maxscore;             // --maxscore
  uint64_t search_threads = 0;                                     // --search-threads
  bool quick = false;
  bool json = false;
  bool keep = false;
};

Result<SearchOptions> ParseOptions(const std::vector<std::string>& args, bool* help) {
  SearchOptions o;
  const char* tmpdir = std::getenv("TMPDIR");
  o.parent_dir = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
  *help = false;
  if (std::find(args.begin(), args.end(), "--quick") != args.end()) {
    o.quick = true;
    o.docs = 2000;
    o.short_queries = 20;
    o.long_queries = 20;
    o.batch = 1000;
  }
  FlagReader reader(args, /*inline_values=*/true);
  while (reader.Next()) {
    const std::string& flag = reader.flag();
    if (flag == "--help" || flag == "-h") {
      *help = true;
      return o;
    } else if (flag == "--quick" || flag == "--json" || flag == "--keep" || flag == "--no-fts5") {
      KHOLUU_RETURN_IF_ERROR(reader.NoValue());
      if (flag == "--json") o.json = true;
      if (flag == "--keep") o.keep = true;
      if (flag == "--no-fts5") o.fts5 = false;
    } else if (flag == "--docs") {
      KHOLUU_ASSIGN_OR_RETURN(o.docs, reader.PositiveValue());
    } else if (flag == "--seed") {
      KHOLUU_ASSIGN_OR_RETURN(o.seed, reader.PositiveValue());
    } else if (flag == "--short") {
      KHOLUU_ASSIGN_OR_RETURN(o.short_queries, reader.PositiveValue());
    } else if (flag == "--long") {
      KHOLUU_ASSIGN_OR_RETURN(o.long_queries, reader.PositiveValue());
    } else if (flag == "--fts5-queries") {
      KHOLUU_ASSIGN_OR_RETURN(o.fts5_queries, reader.PositiveValue());
    } else if (flag == "--batch") {
      KHOLUU_ASSIGN_OR_RETURN(o.batch, reader.PositiveValue());
    } else if (flag == "--writer") {
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      if (v != "rebuild" && v != "open") return InvalidArgumentError("--writer: rebuild or open");
      o.rebuild_writer = v == "rebuild";
    } else if (flag == "--threads") {
      KHOLUU_ASSIGN_OR_RETURN(o.threads, reader.PositiveValue());
      if (o.threads < 1 || o.threads > indexer::IndexWriter::kMaxRebuildThreads) {
        return InvalidArgumentError("--threads: 1 to 8");
      }
    } else if (flag == "--articles") {
      KHOLUU_ASSIGN_OR_RETURN(o.articles, reader.RequiredValue());
    } else if (flag == "--questions") {
      KHOLUU_ASSIGN_OR_RETURN(o.questions, reader.RequiredValue());
    } else if (flag == "--news") {
      KHOLUU_ASSIGN_OR_RETURN(o.news, reader.RequiredValue());
    } else if (flag == "--dir") {
      KHOLUU_ASSIGN_OR_RETURN(o.parent_dir, reader.RequiredValue());
    } else if (flag == "--elite") {  // 0 turns the elite set off
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      o.elite_terms = 0;
      if (v != "0") {
        KHOLUU_ASSIGN_OR_RETURN(o.elite_terms, ParsePositive(flag, v));
      }
    } else if (flag == "--common-df") {
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      char* end = nullptr;
      o.common_df = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || o.common_df < 0 || o.common_df > 1) {
        return InvalidArgumentError("--common-df: a fraction between 0 and 1");
      }
    } else if (flag == "--segment") {
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      size_t comma = v.find(',');
      KHOLUU_ASSIGN_OR_RETURN(o.segment_docs, ParsePositive(flag, v.substr(0, comma)));
      if (comma != std::string::npos) {
        KHOLUU_ASSIGN_OR_RETURN(o.segment_flush, ParsePositive(flag, v.substr(comma + 1)));
      }
    } else if (flag == "--maxscore") {  // 0: Xapian's OR tree (ADR 0064)
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      if (v != "0" && v != "1") return InvalidArgumentError("--maxscore: 0 or 1");
      o.maxscore = v == "1";
    } else if (flag == "--search-threads") {
      KHOLUU_ASSIGN_OR_RETURN(o.search_threads, reader.PositiveValue());
    } else if (flag == "--reuse") {
      KHOLUU_ASSIGN_OR_RETURN(o.reuse, reader.RequiredValue());
    } else {
      return InvalidArgumentError("unknown option '" + reader.arg() + "'");
    }
  }
  if (o.docs > 10'000'000) return InvalidArgumentError("--docs: at most 10000000");
  if (o.short_queries > 100000 || o.long_queries > 100000) {
    return InvalidArgumentError("--short/--long: at most 100000");
  }
  return o;
}

void Progress(const std::string& msg) { std::fprintf(stderr, "[search] %s\n", msg.c_str()); }

// ---- Deterministic randomness ------------------------------------------------
// SplitMix64 (Steele, Lea, Flood 2014): the same numbers on every platform,
// unlike the std:: distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (modulo bias below 2^-40 for the sizes used).
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

// ---- Source text -----------------------------------------------------------------
constexpr size_t kMinUnit = 20;   // bytes
constexpr size_t kMaxUnit = 400;  // bytes

struct TextPools {
  std::vector<std::string> law_units;   // paragraphs / sentences of ALQAC articles
  std::vector<std::string> news_units;  // ... of the news reports
  std::vector<std::string> titles;      // article titles and news headlines
  size_t articles = 0;
  size_t news_files = 0;
  uint64_t source_bytes = 0;
  std::vector<std::string> questions;   // ALQAC question texts, file order
};

// What is trimmed from the lines of the corpus texts: spaces, tabs and the CR
// of a CRLF line end (not C's whole white-space set).
constexpr std::string_view kLineBlanks = " \t\r";

// Splits a paragraph into units of at most kMaxUnit bytes: whole if short
// enough, else at sentence ends (". ", "; ", ": "), else at a space.
void AddUnits(std::string_view para, std::vector<std::string>& out) {
  para = formats::Trim(para, kLineBlanks);
  while (para.size() > kMaxUnit) {
    size_t cut = std::string_view::npos;
    for (size_t i = kMaxUnit - 1; i >= kMinUnit; --i) {
      if ((para[i] == '.' || para[i] == ';' || para[i] == ':') && para[i + 1] == ' ') {
        cut = i + 1;
        break;
      }
    }
    if (cut == std::string_view::npos) cut = para.rfind(' ', kMaxUnit);
    if (cut == std::string_view::npos || cut < kMinUnit) cut = para.find(' ', kMaxUnit);
    if (cut == std::string_view::npos) break;
    std::string_view head = formats::Trim(para.substr(0, cut), kLineBlanks);
    if (head.size() >= kMinUnit) out.emplace_back(head);
    para = formats::Trim(para.substr(cut), kLineBlanks);
  }
  if (para.size() >= kMinUnit && para.size() <= 2 * kMaxUnit) out.emplace_back(para);
}

void AddParagraphs(std::string_view text, std::vector<std::string>& out) {
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    AddUnits(text.substr(start, nl - start), out);
    start = nl + 1;
  }
}

Result<TextPools> LoadPools(const SearchOptions& o) {
  TextPools p;
  nlohmann::json articles;
  {
    std::ifstream in(o.articles);
    if (!in) return NotFoundError("cannot read " + o.articles);
    try {
      articles = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      return InvalidArgumentError(o.articles + ": " + e.what());
    }
  }
  if (!articles.is_object()) return InvalidArgumentError(o.articles + ": not a JSON object");
  for (auto it = articles.begin(); it != articles.end(); ++it) {
    if (!it.value().is_string()) continue;
    const std::string& text = it.value().get_ref<const std::string&>();
    p.source_bytes += text.size();
    ++p.articles;
    size_t nl = text.find('\n');
    std::string_view title = formats::Trim(std::string_view(text).substr(0, nl), kLineBlanks);
    if (!title.empty()) p.titles.emplace_back(title);
    if (nl != std::string::npos) AddParagraphs(std::string_view(text).substr(nl + 1), p.law_units);
  }
  // News reports: sorted file names, so the order never depends on the directory.
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(o.news, ec)) {
    if (e.path().extension() == ".txt") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const std::string& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.empty()) continue;
    p.source_bytes += text.size();
    ++p.news_files;
    size_t nl = text.find('\n');
    std::string_view title = formats::Trim(std::string_view(text).substr(0, nl), kLineBlanks);
    if (!title.empty() && title.size() <= kMaxUnit) p.titles.emplace_back(title);
    if (nl != std::string::npos) AddParagraphs(std::string_view(text).substr(nl + 1), p.news_units);
  }
  nlohmann::json questions;
  {
    std::ifstream in(o.questions);
    if (!in) return NotFoundError("cannot read " + o.questions);
    try {
      questions = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      return InvalidArgumentError(o.questions + ": " + e.what());
    }
  }
  if (!questions.is_array()) return InvalidArgumentError(o.questions + ": not a JSON array");
  for (const auto& q : questions) {
    if (q.contains("text") && q["text"].is_string()) p.questions.push_back(q["text"].get<std::string>());
  }
  if (p.law_units.empty() || p.titles.empty() || p.questions.empty()) {
    return InvalidArgumentError("no usable text in " + o.articles + " / " + o.questions);
  }
  return p;
}

// ---- The corpus --------------------------------------------------------------------
constexpr const char* kAgencies[][2] = {
    {"000.00.01.H01", "Văn phòng Chính phủ"},      {"000.00.02.G01", "Bộ Nội vụ"},
    {"000.00.03.G02", "Bộ Tư pháp"},               {"000.00.04.G03", "Bộ Tài chính"},
    {"000.00.05.G04", "Bộ Thông tin và Truyền thông"},
    {"000.00.06.G05", "Bộ Kế hoạch và Đầu tư"},   {"000.00.07.G06", "Bộ Y tế"},
    {"000.00.08.G07", "Bộ Giáo dục và Đào tạo"},  {"000.00.09.G08", "Ban Cơ yếu Chính phủ"},
    {"000.00.10.H37", "Ủy ban nhân dân tỉnh Ninh Bình"},
    {"000.00.11.H26", "Ủy ban nhân dân thành phố Hà Nội"},
    {"000.00.12.H29", "Ủy ban nhân dân Thành phố Hồ Chí Minh"},
    {"000.00.13.H10", "Sở Nội vụ tỉnh Bắc Ninh"},
    {"000.00.14.H48", "Cục Văn thư và Lưu trữ nhà nước"}};
constexpr const char* kTypes[][2] = {
    {"Quyết định", "QĐ"}, {"Công văn", "CV"},  {"Thông tư", "TT"}, {"Nghị định", "NĐ"},
    {"Báo cáo", "BC"},    {"Tờ trình", "TTr"}, {"Kế hoạch", "KH"}, {"Thông báo", "TB"}};
constexpr size_t kDocsPerRecordFile = 50;

// Document `i` of the corpus for `seed`: the same whatever the corpus size, so
// the 100k corpus is the first tenth of the 1M one.
indexer::IndexDocument MakeDoc(const TextPools& p, uint64_t seed, uint64_t i) {
  Rng rng(seed * 0x100000001B3ull ^ (i + 1) * 0x9E3779B97F4A7C15ull);
  indexer::IndexDocument d;
  char id[32];
  std::snprintf(id, sizeof id, "d%08llu", static_cast<unsigned long long>(i));
  d.id = id;
  char rf[32];
  std::snprintf(rf, sizeof rf, "HS-%06llu", static_cast<unsigned long long>(i / kDocsPerRecordFile));
  d.record_file = rf;
  const auto& agency = kAgencies[rng.Below(std::size(kAgencies))];
  const auto& type = kTypes[rng.Below(std::size(kTypes))];
  d.agency_id = agency[0];
  d.agency_name = agency[1];
  d.type_name = type[0];
  int year = 2010 + static_cast<int>(rng.Below(15));
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, 1 + static_cast<int>(rng.Below(12)),
                1 + static_cast<int>(rng.Below(28)));
  d.issued_date = date;
  char code[64];
  std::snprintf(code, sizeof code, "%d/%d/%s", 1 + static_cast<int>(rng.Below(999)), year, type[1]);
  d.code = code;
  d.subject = p.titles[rng.Below(p.titles.size())];
  d.record_file_title = p.titles[rng.Below(p.titles.size())];
  uint64_t r = rng.Below(100);
  d.access_level = r < 80 ? 1 : r < 95 ? 2 : 3;
  d.page_count = 1 + static_cast<int32_t>(rng.Below(20));
  d.ingest_micros = 1'700'000'000'000'000 + static_cast<int64_t>(i) * 1000;
  // Body: whole units until 700..1100 bytes; one unit in ten from the news.
  const size_t target = 700 + rng.Below(401);
  while (d.body.size() < target) {
    bool news = !p.news_units.empty() && rng.Below(10) == 0;
    const std::string& u = news ? p.news_units[rng.Below(p.news_units.size())]
                                : p.law_units[rng.Below(p.law_units.size())];
    if (!d.body.empty()) d.body += '\n';
    d.body += u;
  }
  return d;
}

// ---- The query mix ---------------------------------------------------------------
struct BenchQuery {
  std::string text;
  std::string klass;  // "short", "short_nodiac", "long", "long_nodiac"
};

bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// Space-separated words of `s`, ASCII punctuation stripped at both ends.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\n' && s[j] != '\t') ++j;
    std::string_view w = s.substr(i, j - i);
    while (!w.empty() && IsAsciiPunct(w.front())) w.remove_prefix(1);
    while (!w.empty() && IsAsciiPunct(w.back())) w.remove_suffix(1);
    out.emplace_back(w);
    i = j;
  }
  return out;
}

bool HasDigitOrPunct(std::string_view w) {
  for (char c : w) {
    if ((c >= '0' && c <= '9') || IsAsciiPunct(c)) return true;
  }
  return false;
}

// Short queries: spans of 1-3 consecutive words of a random unit, lower-cased
// and tone-normalised; no digits or punctuation inside; at least one syllable
// outside the 100 most frequent of the source (a query of function words only
// is not a keyword query). Long queries: the first N ALQAC questions. Each is
// also run with its diacritics removed.
std::vector<BenchQuery> MakeQueries(const TextPools& p, const SearchOptions& o) {
  std::unordered_map<std::string, std::string> norm;  // word -> NormalizeWord(word)
  auto normalize = [&](const std::string& w) -> const std::string& {
    auto it = norm.find(w);
    if (it == norm.end()) it = norm.emplace(w, indexer::Analyzer::NormalizeWord(w)).first;
    return it->second;
  };
  std::unordered_map<std::string, size_t> freq;
  for (const auto* pool : {&p.law_units, &p.news_units}) {
    for (const std::string& u : *pool) {
      for (const std::string& w : Words(u)) {
        if (!w.empty()) ++freq[normalize(w)];
      }
    }
  }
  std::vector<std::pair<size_t, std::string>> by_freq;
  for (const auto& [w, n] : freq) by_freq.emplace_back(n, w);
  std::sort(by_freq.begin(), by_freq.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  std::unordered_set<std::string> frequent;
  for (size_t i = 0; i < by_freq.size() && i < 100; ++i) frequent.insert(by_freq[i].second);

  std::vector<BenchQuery> out;
  Rng rng(o.seed ^ 0x5157A7C0FFEEull);
  std::vector<std::string> shorts;
  size_t attempts = 0;
  while (shorts.size() < o.short_queries && attempts < 1000 * o.short_queries) {
    ++attempts;
    bool news = !p.news_units.empty() && rng.Below(10) == 0;
    const std::string& u = news ? p.news_units[rng.Below(p.news_units.size())]
                                : p.law_units[rng.Below(p.law_units.size())];
    std::vector<std::string> words = Words(u);
    size_t len = 1 + rng.Below(3);
    if (words.size() < len) continue;
    size_t start = rng.Below(words.size() - len + 1);
    std::string q;
    bool ok = true, rare = false;
    for (size_t k = 0; k < len && ok; ++k) {
      const std::string& w = words[start + k];
      if (w.empty() || HasDigitOrPunct(w)) ok = false;
      if (!ok) break;
      const std::string& n = normalize(w);
      rare = rare || frequent.count(n) == 0;
      if (!q.empty()) q += ' ';
      q += n;
    }
    if (ok && rare) shorts.push_back(std::move(q));
  }
  for (const std::string& q : shorts) out.push_back({q, "short"});
  for (const std::string& q : shorts) out.push_back({indexer::Analyzer::FoldDiacritics(q), "short_nodiac"});
  // Double quotes are removed from the questions: a quoted phrase is a
  // required phrase in kholuu's language but not in FTS5's OR expression, and
  // both sides must run the same any-word query.
  size_t nlong = std::min<size_t>(o.long_queries, p.questions.size());
  std::vector<std::string> longs;
  for (size_t i = 0; i < nlong; ++i) {
    std::string q = p.questions[i];
    q.erase(std::remove(q.begin(), q.end(), '"'), q.end());
    longs.push_back(std::move(q));
  }
  for (const std::string& q : longs) out.push_back({q, "long"});
  for (const std::string& q : longs) out.push_back({indexer::Analyzer::FoldDiacritics(q), "long_nodiac"});
  return out;
}

// ---- Measurement helpers -----------------------------------------------------------
uint64_t TreeBytes(const std::string& path) {
  uint64_t n = 0;
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return std::filesystem::file_size(path, ec);
  for (const auto& e : std::filesystem::recursive_directory_iterator(path, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

// Nearest-rank percentile of milliseconds.
double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size(), std::max<size_t>(rank, 1)) - 1];
}

// User + system CPU seconds of this process so far.
double CpuSeconds() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct IndexFigures {
  double seconds = 0;
  double cpu_seconds = 0;  // user + system, all threads
  uint64_t bytes_on_disk = 0;
};

struct LatencyFigures {
  size_t queries = 0;
  double p50_ms = 0, p99_ms = 0, mean_ms = 0, max_ms = 0;
  double mean_hits = 0;  // hits returned (<= 10)
  double zero_hit_share = 0;
};

LatencyFigures Summarise(const std::vector<double>& ms, const std::vector<size_t>& hits) {
  LatencyFigures f;
  f.queries = ms.size();
  if (ms.empty()) return f;
  f.p50_ms = Percentile(ms, 0.50);
  f.p99_ms = Percentile(ms, 0.99);
  double sum = 0;
  for (double m : ms) sum += m;
  f.mean_ms = sum / static_cast<double>(ms.size());
  f.max_ms = *std::max_element(ms.begin(), ms.end());
  double h = 0, zero = 0;
  for (size_t n : hits) {
    h += static_cast<double>(n);
    zero += n == 0 ? 1 : 0;
  }
  f.mean_hits = h / static_cast<double>(hits.size());
  f.zero_hit_share = zero / static_cast<double>(hits.size());
  return f;
}

const char* const kClasses[] = {"short", "short_nodiac", "long", "long_nodiac"};

// ---- kholuu ------------------------------------------------------------------------
// Runs every query once untimed (warm-up), then once timed, and summarises
// latency and hit counts per query class. `run` sets the number of hits.
Status TimeQueries(const std::vector<BenchQuery>& queries,
                   const std::function<Status(const BenchQuery&, size_t*)>& run,
                   std::map<std::string, LatencyFigures>& out) {
  size_t unused = 0;
  for (const BenchQuery& q : queries) KHOLUU_RETURN_IF_ERROR(run(q, &unused));  // warm-up
  std::map<std::string, std::vector<double>> ms;
  std::map<std::string, std::vector<size_t>> hits;
  for (const BenchQuery& q : queries) {
    size_t n = 0;
    double t0 = NowSeconds();
    KHOLUU_RETURN_IF_ERROR(run(q, &n));
    ms[q.klass].push_back((NowSeconds() - t0) * 1000);
    hits[q.klass].push_back(n);
  }
  for (const char* c : kClasses) out[c] = Summarise(ms[c], hits[c]);
  return Status::Ok();
}

Result<IndexFigures> IndexKholuu(const std::vector<indexer::IndexDocument>& docs, const std::string& dir,
                                 const SearchOptions& o) {
  IndexFigures f;
  double t0 = NowSeconds();
  double c0 = CpuSeconds();
  {
    KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<indexer::IndexWriter> w,
                            o.rebuild_writer ? indexer::IndexWriter::OpenForRebuild(dir, {}, o.threads)
                                             : indexer::IndexWriter::Open(dir));
    w->set_batch_size(o.batch);
    w->set_rebuild_segments(o.segment_docs, o.segment_flush);
    // PutMany in slices, for progress reports; the slices are not timed apart.
    constexpr size_t kSlice = 100000;
    for (size_t begin = 0; begin < docs.size(); begin += kSlice) {
      size_t done = std::min(docs.size(), begin + kSlice);
      KHOLUU_RETURN_IF_ERROR(w->PutMany(std::span(docs).subspan(begin, done - begin)));
      Progress("kholuu: indexed " + std::to_string(done) + " (" +
               Fixed(static_cast<double>(done) / (NowSeconds() - t0), 0) + " docs/s)");
    }
    KHOLUU_RETURN_IF_ERROR(w->Commit());
  }
  f.seconds = NowSeconds() - t0;
  f.cpu_seconds = CpuSeconds() - c0;
  f.bytes_on_disk = TreeBytes(dir);
  return f;
}

// Sets `threads` to the threads each search ran on.
Status QueryKholuu(const std::string& dir, const std::vector<BenchQuery>& queries,
                   const indexer::RankingOptions& ranking, uint64_t search_threads,
                   std::map<std::string, LatencyFigures>& out, size_t& threads) {
  indexer::SearchParallelism parallel;
  parallel.threads = static_cast<size_t>(search_threads);
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<indexer::Searcher> s,
                          indexer::Searcher::Open(dir, ranking, parallel));
  threads = s->threads();
  auto run = [&](const BenchQuery& q, size_t* hits) -> Status {
    indexer::SearchRequest req;
    req.query = q.text;
    req.limit = 10;
    req.access_levels = {1, 2, 3};
    KHOLUU_ASSIGN_OR_RETURN(indexer::SearchResults r, s->Search(req));
    *hits = r.hits.size();
    return Status::Ok();
  };
  return TimeQueries(queries, run, out);
}

// ---- SQLite FTS5 -------------------------------------------------------------------
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, StmtCloser>;

Status SqliteError(sqlite3* db, const std::string& what) {
  return InternalError("sqlite " + what + ": " + (db != nullptr ? sqlite3_errmsg(db) : "?"));
}

Result<SqliteDb> OpenSqlite(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) return SqliteError(raw, "open " + path);
  return db;
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "?";
    sqlite3_free(err);
    return InternalError("sqlite: " + sql + ": " + msg);
  }
  return Status::Ok();
}

Result<SqliteStmt> Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
    return SqliteError(db, "prepare " + sql);
  }
  return SqliteStmt(raw);
}

Result<IndexFigures> IndexFts5(const std::vector<indexer::IndexDocument>& docs, const std::string& path,
                               uint64_t batch) {
  IndexFigures f;
  double t0 = NowSeconds();
  double c0 = CpuSeconds();
  {
    KHOLUU_ASSIGN_OR_RETURN(SqliteDb db, OpenSqlite(path));
    KHOLUU_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
    KHOLUU_RETURN_IF_ERROR(Exec(
        db.get(),
        "CREATE VIRTUAL TABLE docs USING fts5(subject, body, tokenize='unicode61 remove_diacritics 2')"));
    KHOLUU_ASSIGN_OR_RETURN(SqliteStmt ins,
                            Prepare(db.get(), "INSERT INTO docs(rowid, subject, body) VALUES (?, ?, ?)"));
    KHOLUU_RETURN_IF_ERROR(Exec(db.get(), "BEGIN"));
    for (size_t i = 0; i < docs.size(); ++i) {
      const indexer::IndexDocument& d = docs[i];
      sqlite3_bind_int64(ins.get(), 1, static_cast<sqlite3_int64>(i + 1));
      sqlite3_bind_text(ins.get(), 2, d.subject.data(), static_cast<int>(d.subject.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins.get(), 3, d.body.data(), static_cast<int>(d.body.size()), SQLITE_STATIC);
      if (sqlite3_step(ins.get()) != SQLITE_DONE) return SqliteError(db.get(), "insert");
      sqlite3_reset(ins.get());
      if ((i + 1) % batch == 0) KHOLUU_RETURN_IF_ERROR(Exec(db.get(), "COMMIT; BEGIN"));
      if ((i + 1) % 100000 == 0) {
        Progress("fts5: indexed " + std::to_string(i + 1) + " (" +
                 Fixed(static_cast<double>(i + 1) / (NowSeconds() - t0), 0) + " docs/s)");
      }
    }
    KHOLUU_RETURN_IF_ERROR(Exec(db.get(), "COMMIT"));
    KHOLUU_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  f.seconds = NowSeconds() - t0;
  f.cpu_seconds = CpuSeconds() - c0;
  f.bytes_on_disk = TreeBytes(path) + TreeBytes(path + "-wal");
  return f;
}

// The query as an FTS5 expression with the same meaning as kholuu's ranked
// words: any of the words (OR), ranked by bm25. Words are split at ASCII
// spaces and punctuation and quoted; FTS5's own tokenizer does the rest.
std::string Fts5Expression(std::string_view q) {
  std::string out;
  size_t i = 0;
  while (i < q.size()) {
    auto sep = [](char c) {
      auto u = static_cast<unsigned char>(c);
      return u < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    };
    while (i < q.size() && sep(q[i])) ++i;
    size_t j = i;
    while (j < q.size() && !sep(q[j])) ++j;
    if (j > i) {
      if (!out.empty()) out += " OR ";
      out += '"';
      out.append(q.substr(i, j - i));
      out += '"';
    }
    i = j;
  }
  return out;
}

Status QueryFts5(const std::string& path, const std::vector<BenchQuery>& all, uint64_t per_class,
                 std::map<std::string, LatencyFigures>& out) {
  std::vector<BenchQuery> queries;
  std::map<std::string, uint64_t> taken;
  for (const BenchQuery& q : all) {
    if (per_class == 0 || taken[q.klass]++ < per_class) queries.push_back(q);
  }
  KHOLUU_ASSIGN_OR_RETURN(SqliteDb db, OpenSqlite(path));
  KHOLUU_ASSIGN_OR_RETURN(
      SqliteStmt stmt,
      Prepare(db.get(),
              "SELECT rowid, snippet(docs, -1, '<mark>', '</mark>', '…', 30) FROM docs "
              "WHERE docs MATCH ? ORDER BY rank LIMIT 10"));
  auto run = [&](const BenchQuery& q, size_t* hits) -> Status {
    std::string expr = Fts5Expression(q.text);
    sqlite3_bind_text(stmt.get(), 1, expr.data(), static_cast<int>(expr.size()), SQLITE_TRANSIENT);
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      const unsigned char* snippet = sqlite3_column_text(stmt.get(), 1);
      if (snippet != nullptr) ++n;
    }
    sqlite3_reset(stmt.get());
    if (rc != SQLITE_DONE) return SqliteError(db.get(), "query " + expr);
    *hits = n;
    return Status::Ok();
  };
  return TimeQueries(queries, run, out);
}

// /proc/loadavg's first three fields: the CPUs are shared with other work.
std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// ---- Report -------------------------------------------------------------------------
std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json LatencyJson(const LatencyFigures& f) {
  return Json{{"queries", f.queries}, {"p50_ms", f.p50_ms},       {"p99_ms", f.p99_ms},
              {"mean_ms", f.mean_ms}, {"max_ms", f.max_ms},       {"mean_hits", f.mean_hits},
              {"zero_hit_share", f.zero_hit_share}};
}

struct SideResult {
  IndexFigures index;
  std::map<std::string, LatencyFigures> latency;
};

Status Run(const SearchOptions& o) {
  const std::string started = UtcNow();
  const MachineInfo machine = DescribeMachine(o.parent_dir);
  const std::string load_at_start = LoadAverage();
  KHOLUU_ASSIGN_OR_RETURN(TextPools pools, LoadPools(o));
  Progress("source: " + std::to_string(pools.articles) + " articles, " +
           std::to_string(pools.news_files) + " news reports, " +
           std::to_string(pools.law_units.size() + pools.news_units.size()) + " units, " +
           std::to_string(pools.titles.size()) + " titles");
  double t0 = NowSeconds();
  std::vector<indexer::IndexDocument> docs;
  docs.reserve(o.docs);
  uint64_t total_bytes = 0;  // subject + body
  for (uint64_t i = 0; i < o.docs; ++i) {
    docs.push_back(MakeDoc(pools, o.seed, i));
    total_bytes += docs.back().subject.size() + docs.back().body.size();
  }
  std::vector<BenchQuery> queries = MakeQueries(pools, o);
  Progress("corpus: " + std::to_string(docs.size()) + " documents, " +
           Fixed(static_cast<double>(total_bytes) / 1e6, 1) + " MB, built in " +
           Fixed(NowSeconds() - t0, 1) + " s; " + std::to_string(queries.size()) + " queries");

  std::optional<ScratchDir> scratch;
  std::string work = o.reuse;
  if (work.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(ScratchDir d, ScratchDir::Create(o.parent_dir, "kholuu-search-"));
    scratch.emplace(std::move(d));
    scratch->set_keep(o.keep);
    work = scratch->path();
  }
  Progress("working in " + work + " (" + machine.fs_type + ")");
  const std::string xdir = work + "/xapian";
  const std::string sdb = work + "/fts5.sqlite";

  SideResult k, s;
  if (!o.reuse.empty()) {
    k.index.bytes_on_disk = TreeBytes(xdir);
    s.index.bytes_on_disk = TreeBytes(sdb);
  } else {
    KHOLUU_RETURN_IF_ERROR(SyncFileSystem(work));
    Progress("kholuu: indexing");
    KHOLUU_ASSIGN_OR_RETURN(k.index, IndexKholuu(docs, xdir, o));
    Progress("kholuu: " + Fixed(k.index.seconds, 1) + " s");
    if (o.fts5) {
      KHOLUU_RETURN_IF_ERROR(SyncFileSystem(work));
      Progress("fts5: indexing");
      KHOLUU_ASSIGN_OR_RETURN(s.index, IndexFts5(docs, sdb, o.batch));
      Progress("fts5: " + Fixed(s.index.seconds, 1) + " s");
    }
  }
  Progress("kholuu: querying");
  indexer::RankingOptions ranking;  // the product's, but for the knobs given
  ranking.common_df = o.common_df;
  ranking.elite_terms = static_cast<size_t>(o.elite_terms);
  ranking.maxscore = o.maxscore;
  size_t search_threads = 1;
  KHOLUU_RETURN_IF_ERROR(QueryKholuu(xdir, queries, ranking, o.search_threads, k.latency, search_threads));
  if (o.fts5) {
    Progress("fts5: querying");
    KHOLUU_RETURN_IF_ERROR(QueryFts5(sdb, queries, o.fts5_queries, s.latency));
  }

  const double n = static_cast<double>(docs.size());
  const double mb = static_cast<double>(total_bytes) / 1e6;
  auto side_json = [&](const SideResult& r) {
    Json j{{"index_seconds", r.index.seconds},
           {"index_cpu_seconds", r.index.cpu_seconds},
           {"docs_per_cpu_s", n / r.index.cpu_seconds},
           {"docs_per_s", n / r.index.seconds},
           {"mb_per_s", mb / r.index.seconds},
           {"index_bytes", r.index.bytes_on_disk}};
    Json lat;
    for (const char* c : kClasses) lat[c] = LatencyJson(r.latency.at(c));
    j["latency"] = lat;
    return j;
  };
  Json j{{"benchmark", "search"},
         {"started", started},
         {"machine",
          {{"cpu_model", machine.cpu_model},
           {"nproc", machine.nproc},
           {"mem_total_bytes", machine.mem_total_bytes},
           {"kernel", machine.kernel},
           {"dir", o.parent_dir},
           {"fs_type", machine.fs_type},
           {"loadavg_at_start", load_at_start}, {"loadavg_at_end", LoadAverage()}}},
         {"versions", {{"sqlite", sqlite3_libversion()}}},
         {"corpus",
          {{"documents", docs.size()},
           {"bytes", total_bytes},
           {"mean_doc_bytes", static_cast<double>(total_bytes) / n},
           {"seed", o.seed},
           {"source_articles", pools.articles},
           {"source_news", pools.news_files},
           {"source_units", pools.law_units.size() + pools.news_units.size()},
           {"source_bytes", pools.source_bytes}}},
         {"batch", o.batch},
         {"writer", o.rebuild_writer ? "rebuild" : "open"},
         {"writer_threads", o.rebuild_writer ? o.threads : 1},
         {"rebuild_segment_docs", o.segment_docs},
         {"rebuild_flush_docs", o.segment_flush},
         {"reused_indexes", !o.reuse.empty()},
         {"common_df", o.common_df},
         {"elite_terms", o.elite_terms},
         {"maxscore", o.maxscore},
         {"search_threads", search_threads},
         {"kholuu", side_json(k)}};
  if (o.fts5) {
    j["fts5"] = side_json(s);
    j["fts5"]["queries_per_class_cap"] = o.fts5_queries;
    Json ratio;
    for (const char* c : kClasses) {
      double kp = k.latency.at(c).p50_ms;
      ratio[c] = kp > 0 ? s.latency.at(c).p50_ms / kp : 0.0;
    }
    j["fts5_over_kholuu_p50"] = ratio;
  }
  Json examples = Json::array();
  for (const char* c : kClasses) {
    for (const BenchQuery& q : queries) {
      if (q.klass == c) {
        examples.push_back({{"class", c}, {"query", q.text}});
        break;
      }
    }
  }
  j["query_examples"] = examples;

  if (o.json) {
    std::fputs((j.dump(2) + "\n").c_str(), stdout);
    return Status::Ok();
  }
  std::printf("kholuu-bench search, %s, %zu documents (%.1f MB, mean %.0f bytes), seed %llu, "
              "writer %s\n",
              started.c_str(), docs.size(), mb, static_cast<double>(total_bytes) / n,
              static_cast<unsigned long long>(o.seed), o.rebuild_writer ? "rebuild" : "open");
  std::printf("machine: %s, %llu CPUs, %s, %s on %s\n\n", machine.cpu_model.c_str(),
              static_cast<unsigned long long>(machine.nproc), machine.kernel.c_str(),
              o.parent_dir.c_str(), machine.fs_type.c_str());
  std::printf("kholuu searches on %zu thread(s) each\n\n", search_threads);
  std::printf("%-8s %10s %10s %10s %10s %12s\n", "side", "seconds", "cpu s", "docs/s", "MB/s",
              "index MB");
  auto index_row = [&](const char* name, const SideResult& r) {
    std::printf("%-8s %10.1f %10.1f %10.0f %10.2f %12.1f\n", name, r.index.seconds,
                r.index.cpu_seconds, n / r.index.seconds, mb / r.index.seconds,
                static_cast<double>(r.index.bytes_on_disk) / 1e6);
  };
  index_row("kholuu", k);
  if (o.fts5) index_row("fts5", s);
  std::printf("\n%-14s %-8s %8s %10s %10s %10s %10s\n", "queries", "side", "n", "p50 ms", "p99 ms",
              "mean ms", "hits");
  for (const char* c : kClasses) {
    auto row = [&](const char* name, const LatencyFigures& f) {
      std::printf("%-14s %-8s %8zu %10.2f %10.2f %10.2f %10.1f\n", c, name, f.queries, f.p50_ms,
                  f.p99_ms, f.mean_ms, f.mean_hits);
    };
    row("kholuu", k.latency.at(c));
    if (o.fts5) row("fts5", s.latency.at(c));
  }
  if (o.fts5) {
    std::printf("\nFTS5 p50 / kholuu p50:");
    for (const char* c : kClasses) {
      std::printf(" %s %.1fx", c, j["fts5_over_kholuu_p50"][c].get<double>());
    }
    std::printf("\n");
  }
  return Status::Ok();
}

}  // namespace

int RunSearchBench(const std::vector<std::string>& args) {
  bool help = false;
  Result<SearchOptions> options = ParseOptions(args, &help);
  if (help) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (!options.ok()) {
    std::fprintf(stderr, "kholuu-bench search: %s\n\n%s", options.status().message().c_str(), kUsage);
    return kExitUsage;
  }
  Status s = Run(*options);
  if (!s.ok()) {
    std::fprintf(stderr, "kholuu-bench search: %s\n", s.ToString().c_str());
    return s.code() == StatusCode::kNotFound || s.code() == StatusCode::kInvalidArgument
               ? kExitUsage
               : kExitFailed;
  }
  return kExitOk;
}

}  // namespace kholuu::bench
