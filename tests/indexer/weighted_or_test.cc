// WeightedOrSource (ADR 0064) against Xapian's own operators on real
// databases: the same documents with the same weights, less work.
#include "indexer/internal/weighted_or.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "indexer/analyzer.h"
#include "indexer/index.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::indexer::internal {
namespace {

constexpr double kK1 = 1.2, kB = 0.75, kMinNormLen = 0.5;

std::string Term(size_t i) { return "t" + std::to_string(i); }

// A glass database of `docs` documents over a Zipf-distributed vocabulary of
// `vocab` terms (deterministic), lengths 5-400, some terms repeated in a
// document (wdf > 1), and a boolean term "Fodd" on odd-numbered documents.
void BuildZipf(const std::string& dir, size_t docs, size_t vocab, uint32_t seed) {
  Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
  std::mt19937 rng(seed);
  std::vector<double> w(vocab);
  for (size_t i = 0; i < vocab; ++i) w[i] = 1.0 / std::pow(static_cast<double>(i + 1), 1.1);
  std::discrete_distribution<size_t> pick(w.begin(), w.end());
  std::uniform_int_distribution<size_t> len(5, 400);
  for (size_t d = 1; d <= docs; ++d) {
    Xapian::Document doc;
    size_t n = len(rng);
    for (size_t k = 0; k < n; ++k) doc.add_term(Term(pick(rng)));
    if (d % 2 == 1) doc.add_boolean_term("Fodd");
    db.add_document(doc);
  }
  db.commit();
}

struct Hit {
  Xapian::docid did;
  double weight;
};

std::vector<Hit> TopK(const Xapian::Database& db, const Xapian::Query& q, Xapian::doccount k,
                     Xapian::doccount check = 0, Xapian::doccount* matches = nullptr) {
  Xapian::Enquire enq(db);
  enq.set_query(q);
  enq.set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, kB, kMinNormLen));
  Xapian::MSet m = enq.get_mset(0, k, check);
  if (matches != nullptr) *matches = m.get_matches_estimated();
  std::vector<Hit> out;
  for (auto it = m.begin(); it != m.end(); ++it) out.push_back({*it, it.get_weight()});
  return out;
}

// Xapian's form of the same query: AND_MAYBE(OR(generating), OR(optional)),
// each term under OP_SCALE_WEIGHT.
Xapian::Query Reference(const std::vector<WeightedTerm>& terms) {
  std::vector<Xapian::Query> gen, opt;
  for (const WeightedTerm& t : terms) {
    Xapian::Query leaf(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(t.term), t.factor);
    (t.generates ? gen : opt).push_back(leaf);
  }
  Xapian::Query g(Xapian::Query::OP_OR, gen.begin(), gen.end());
  if (opt.empty()) return g;
  return Xapian::Query(Xapian::Query::OP_AND_MAYBE, g,
                       Xapian::Query(Xapian::Query::OP_OR, opt.begin(), opt.end()));
}

Xapian::Query Source(std::vector<WeightedTerm> terms, size_t elite = 0,
                     std::shared_ptr<WeightedOrCounters> counters = nullptr) {
  auto* s = new WeightedOrSource(std::move(terms), {kK1, kB, kMinNormLen}, elite, std::move(counters));
  return Xapian::Query(s->release());
}

// Same weights in the same order; where weights tie, either order is right.
void ExpectSameHits(const std::vector<Hit>& want, const std::vector<Hit>& got, const std::string& what) {
  ASSERT_EQ(want.size(), got.size()) << what;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_NEAR(want[i].weight, got[i].weight, 1e-9) << what << " rank " << i;
  }
  // Documents clearly above the last weight are the same set.
  if (want.empty()) return;
  double last = want.back().weight;
  std::set<Xapian::docid> a, b;
  for (const Hit& h : want) if (h.weight > last + 1e-9) a.insert(h.did);
  for (const Hit& h : got) if (h.weight > last + 1e-9) b.insert(h.did);
  EXPECT_EQ(a, b) << what;
}

class WeightedOrZipf : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new testing::TempDir();
    BuildZipf(tmp_->path() + "/db", 4000, 3000, 7);
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  Xapian::Database db() const { return Xapian::Database(tmp_->path() + "/db"); }
  static testing::TempDir* tmp_;
};
testing::TempDir* WeightedOrZipf::tmp_ = nullptr;

// Random queries of 1-40 terms from the whole frequency range, random
// factors, some optional terms: every top-k equals Xapian's.
TEST_F(WeightedOrZipf, SameTopHitsAsXapiansOperators) {
  Xapian::Database d = db();
  std::mt19937 rng(11);
  std::uniform_int_distribution<size_t> nterms(1, 40), term(0, 2999);
  std::uniform_real_distribution<double> factor(0.2, 2.0);
  for (int q = 0; q < 150; ++q) {
    std::vector<WeightedTerm> terms;
    size_t n = nterms(rng);
    std::set<std::string> used;
    for (size_t i = 0; i < n; ++i) {
      std::string t = Term(term(rng) % (q % 3 == 0 ? 50 : 3000));
      if (!used.insert(t).second) continue;
      terms.push_back({t, factor(rng), q % 4 != 0 || i % 3 != 0});
    }
    if (std::none_of(terms.begin(), terms.end(), [](const WeightedTerm& t) { return t.generates; })) {
      terms[0].generates = true;
    }
    for (Xapian::doccount k : {1u, 10u, 100u}) {
      std::string what = "query " + std::to_string(q) + " k " + std::to_string(k);
      ExpectSameHits(TopK(d, Reference(terms), k), TopK(d, Source(terms), k), what);
    }
  }
}

// Counting every match (facets ask for it) sees exactly Xapian's matches,
// and filters and exclusions around the source work as around Xapian's OR.
TEST_F(WeightedOrZipf, ExactCountsAndFilters) {
  Xapian::Database d = db();
  std::vector<WeightedTerm> terms = {{Term(3), 1.0, true}, {Term(40), 0.7, true},
                                     {Term(700), 1.5, true}, {Term(0), 1.0, false}};
  Xapian::doccount want = 0, got = 0;
  ExpectSameHits(TopK(d, Reference(terms), 10, d.get_doccount(), &want),
                 TopK(d, Source(terms), 10, d.get_doccount(), &got), "count all");
  EXPECT_EQ(want, got);
  EXPECT_GT(got, 0u);
  auto filtered = [&](const Xapian::Query& q) {
    Xapian::Query f(Xapian::Query::OP_FILTER, q, Xapian::Query("Fodd"));
    return Xapian::Query(Xapian::Query::OP_AND_NOT, f, Xapian::Query(Term(5)));
  };
  std::vector<Hit> a = TopK(d, filtered(Reference(terms)), 20);
  std::vector<Hit> b = TopK(d, filtered(Source(terms)), 20);
  ExpectSameHits(a, b, "filtered");
  for (const Hit& h : b) EXPECT_EQ(h.did % 2, 1u);
  // Required part plus ranked words, as the searcher builds a phrase query.
  Xapian::Query req(Term(1));
  ExpectSameHits(TopK(d, Xapian::Query(Xapian::Query::OP_AND_MAYBE, req, Reference(terms)), 10),
                 TopK(d, Xapian::Query(Xapian::Query::OP_AND_MAYBE, req, Source(terms)), 10),
                 "and_maybe");
}

// The point of it: a long query's top 10 without scoring most candidates.
TEST_F(WeightedOrZipf, PrunesDocumentsThatCannotReachTheHits) {
  Xapian::Database d = db();
  std::vector<WeightedTerm> terms;
  for (size_t i = 0; i < 30; ++i) terms.push_back({Term(i * 7), 1.0, true});
  auto counters = std::make_shared<WeightedOrCounters>();
  Xapian::doccount union_size = 0;
  TopK(d, Reference(terms), 1, d.get_doccount(), &union_size);
  ExpectSameHits(TopK(d, Reference(terms), 10), TopK(d, Source(terms, 0, counters), 10), "long");
  EXPECT_GT(union_size, 1000u);
  EXPECT_LT(counters->scored, union_size / 4) << "candidates " << counters->candidates;
}

// Bounds: never below a weight a document attains, never above Xapian's
// own bound (BM25Weight::get_maxpart, as the matcher reports it for the term
// alone); the elite are the terms with the highest bounds.
TEST_F(WeightedOrZipf, BoundsAndElite) {
  Xapian::Database d = db();
  std::vector<WeightedTerm> terms;
  for (size_t i : {0u, 2u, 9u, 30u, 100u, 400u, 1500u, 2900u}) terms.push_back({Term(i), 1.3, true});
  terms.push_back({"absent", 1.0, true});
  std::vector<std::pair<double, std::string>> bounds;
  for (const WeightedTerm& t : terms) {
    if (d.get_termfreq(t.term) == 0) continue;
    Xapian::Enquire enq(d);
    enq.set_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(t.term), t.factor));
    enq.set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, kB, kMinNormLen));
    Xapian::MSet top = enq.get_mset(0, 1);
    WeightedOrSource one({t}, {kK1, kB, kMinNormLen}, 0);
    one.init(d);
    EXPECT_GE(one.get_maxweight(), top.get_max_attained()) << t.term;
    EXPECT_LE(one.get_maxweight(), top.get_max_possible() * (1 + 1e-9)) << t.term;
    bounds.push_back({one.get_maxweight(), t.term});
  }
  ASSERT_EQ(bounds.size(), 8u);
  WeightedOrSource s(terms, {kK1, kB, kMinNormLen}, 3);
  s.init(d);
  std::vector<WeightedTerm> kept = s.kept_terms();
  ASSERT_EQ(kept.size(), 3u);  // "absent" dropped, then the 3 strongest
  std::sort(bounds.rbegin(), bounds.rend());
  std::set<std::string> want, got;
  for (size_t i = 0; i < 3; ++i) want.insert(bounds[i].second);
  for (const WeightedTerm& t : kept) got.insert(t.term);
  EXPECT_EQ(want, got);
  EXPECT_EQ(got, (std::set<std::string>{Term(400), Term(1500), Term(2900)}));
}

TEST_F(WeightedOrZipf, RepeatsMergeAndAbsentTermsMatchNothing) {
  Xapian::Database d = db();
  // A term given twice weighs as Xapian weighs two leaves of it.
  std::vector<WeightedTerm> twice = {{Term(4), 1.0, true}, {Term(4), 0.5, true}, {Term(60), 1.0, true}};
  ExpectSameHits(TopK(d, Reference(twice), 10), TopK(d, Source(twice), 10), "repeat");
  EXPECT_TRUE(TopK(d, Source({{"absent", 1.0, true}}), 10).empty());
  // Only optional terms that exist: nothing generates, nothing matches.
  EXPECT_TRUE(TopK(d, Source({{"absent", 1.0, true}, {Term(0), 1.0, false}}), 10).empty());
}

// On real Vietnamese text through the searcher: ALQAC's 2,249 articles and
// its 100 questions, as written and without diacritics, give the same hits
// with MaxScore as with Xapian's OR tree (with the common-term rule). The
// elite choice is compared apart (BoundsAndElite): the source's bounds are
// a little tighter than Xapian's, so at a near-tie it may keep another term
// (8 of these 200 queries; MRR@10 is the same, docs/benchmarks-search.md).
TEST(WeightedOrAlqac, SearcherGivesTheSameHits) {
  std::ifstream af(KHOLUU_CORPUS_DIR "/alqac2023/articles.json");
  std::ifstream qf(KHOLUU_CORPUS_DIR "/alqac2023/train.json");
  if (!af || !qf) GTEST_SKIP() << "ALQAC corpus not found";
  nlohmann::json articles = nlohmann::json::parse(af), questions = nlohmann::json::parse(qf);
  testing::TempDir tmp;
  {
    auto w = IndexWriter::Open(tmp.path() + "/i");
    ASSERT_TRUE(w.ok());
    std::vector<IndexDocument> docs;
    for (auto it = articles.begin(); it != articles.end(); ++it) {
      if (!it.value().is_string()) continue;
      IndexDocument d;
      d.id = it.key();
      std::string text = it.value().get<std::string>();
      size_t nl = text.find('\n');
      d.subject = text.substr(0, nl);
      d.body = nl == std::string::npos ? "" : text.substr(nl + 1);
      docs.push_back(std::move(d));
    }
    ASSERT_OK((*w)->PutMany(docs));
    ASSERT_OK((*w)->Commit());
  }
  RankingOptions on, off;
  on.elite_terms = off.elite_terms = 0;
  off.maxscore = false;
  auto a = Searcher::Open(tmp.path() + "/i", off);
  auto b = Searcher::Open(tmp.path() + "/i", on);
  ASSERT_TRUE(a.ok() && b.ok());
  size_t compared = 0;
  for (const auto& q : questions) {
    std::string text = q.value("text", "");
    for (const std::string& query : {text, Analyzer::FoldDiacritics(text)}) {
      SearchRequest req;
      req.query = query;
      req.access_levels = {1};
      auto ra = (*a)->Search(req);
      auto rb = (*b)->Search(req);
      ASSERT_TRUE(ra.ok() && rb.ok()) << query;
      ASSERT_EQ(ra->hits.size(), rb->hits.size()) << query;
      for (size_t i = 0; i < ra->hits.size(); ++i) {
        EXPECT_NEAR(ra->hits[i].score, rb->hits[i].score, 1e-9) << query << " rank " << i;
      }
      ++compared;
    }
  }
  EXPECT_EQ(compared, 200u);
}

}  // namespace
}  // namespace kholuu::indexer::internal
