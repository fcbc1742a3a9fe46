// One search spread over threads (ADR 0067): each thread searches a slice of
// the document ids and the slices' best hits are merged. Whatever the
// number of threads, a search must return what one thread returns: the same
// hits in the same order with the same scores, totals and facets.
#include <gtest/gtest.h>
#include <xapian.h>

#include <set>
#include <string>
#include <vector>

#include "indexer/index.h"
#include "indexer/internal/docid_set.h"
#include "tests/indexer/synthetic_docs.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::indexer {
namespace {

using testing_docs::Doc;

// A layered index as a rebuild leaves it and a day of changes after: a base
// of 1,200 documents (two rebuild threads, small segments), then 60 of them
// replaced, 40 deleted and 150 new ones in the live part. Three access
// levels, some document numbers, many equal dates (ties when sorting by date).
void BuildIndex(const std::string& dir) {
  auto varied = [](int i) {
    IndexDocument d = Doc(i);
    d.access_level = 1 + i % 3;
    if (i % 50 == 0) d.code = std::to_string(i) + "/2019/QĐ-TTg";
    return d;
  };
  {
    auto w = IndexWriter::OpenForRebuild(dir, {}, 2);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    (*w)->set_rebuild_segments(250, 50);
    for (int i = 0; i < 1200; ++i) ASSERT_OK((*w)->Put(varied(i)));
    ASSERT_OK((*w)->Commit());
  }
  auto w = IndexWriter::Open(dir);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  for (int i = 0; i < 1200; i += 20) {
    IndexDocument d = varied(i);
    d.body += " phượng hoàng bay về";
    d.issued_date = "2024-06-30";
    ASSERT_OK((*w)->Put(d));
  }
  for (int i = 7; i < 1200; i += 30) ASSERT_OK((*w)->Delete("d" + std::to_string(i)));
  for (int i = 1200; i < 1350; ++i) ASSERT_OK((*w)->Put(varied(i)));
  ASSERT_OK((*w)->Commit());
}

std::vector<SearchRequest> Requests() {
  const std::vector<std::string> queries = {
      "lưu trữ", "luu tru", "hồ sơ mật", "phượng hoàng", "\"phượng hoàng bay\"",
      "tiêu hủy tài liệu lịch sử", "thời hạn bảo quản hồ sơ thuế ngân sách đất đai xây dựng là gì",
      "thoi han bao quan ho so thue ngan sach dat dai xay dung", "quy phạm pháp luật -thuế",
      "subject:\"văn bản\"", "100/2019/QĐ-TTg hồ sơ", "lưu trữ 2016..2019", "", "của"};
  std::vector<SearchRequest> out;
  for (const std::string& q : queries) {
    for (SearchRequest::Sort sort :
         {SearchRequest::Sort::kRelevance, SearchRequest::Sort::kDateDesc, SearchRequest::Sort::kDateAsc}) {
      for (size_t offset : {0u, 7u, 95u}) {
        SearchRequest r;
        r.query = q;
        r.sort = sort;
        r.offset = offset;
        r.limit = offset == 7 ? 30 : 10;
        r.access_levels = offset == 95 ? std::vector<int32_t>{1, 2} : std::vector<int32_t>{1, 2, 3};
        r.facets = offset == 0;
        if (q == "của" && offset == 7) r.agencies = {"G09"};
        out.push_back(r);
      }
    }
  }
  return out;
}

// Each test gets its own copy of the index of BuildIndex (one of them
// changes it).
class ParallelSearch : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(BuildIndex(dir_)); }
  testing::TempDir tmp_;
  const std::string dir_ = tmp_.path() + "/index";
};

std::string Describe(const SearchRequest& r) {
  return "'" + r.query + "' sort " + std::to_string(static_cast<int>(r.sort)) + " offset " +
         std::to_string(r.offset) + " limit " + std::to_string(r.limit);
}

TEST_F(ParallelSearch, EveryThreadCountReturnsWhatOneThreadReturns) {
  for (bool maxscore : {true, false}) {
    RankingOptions ranking;
    ranking.maxscore = maxscore;
    auto one = Searcher::Open(dir_, ranking, {.threads = 1});
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    for (size_t threads : {2u, 3u, 5u}) {
      auto many = Searcher::Open(dir_, ranking, {.threads = threads, .min_docs_per_thread = 1});
      ASSERT_TRUE(many.ok()) << many.status().ToString();
      size_t nonempty = 0;
      for (const SearchRequest& r : Requests()) {
        auto a = (*one)->Search(r);
        auto b = (*many)->Search(r);
        ASSERT_TRUE(a.ok() && b.ok()) << Describe(r);
        const std::string what = Describe(r) + " threads " + std::to_string(threads) + " maxscore " +
                                 std::to_string(maxscore);
        ASSERT_EQ(a->hits.size(), b->hits.size()) << what;
        for (size_t i = 0; i < a->hits.size(); ++i) {
          EXPECT_EQ(a->hits[i].document, b->hits[i].document) << what << " #" << i;
          EXPECT_EQ(a->hits[i].score, b->hits[i].score) << what << " #" << i;
          EXPECT_EQ(a->hits[i].snippet, b->hits[i].snippet) << what << " #" << i;
        }
        // With facets every match is examined, so the totals are exact.
        if (r.facets) {
          EXPECT_EQ(a->total_estimate, b->total_estimate) << what;
          EXPECT_EQ(a->facets, b->facets) << what;
        }
        if (!a->hits.empty()) ++nonempty;
      }
      EXPECT_GT(nonempty, Requests().size() * 3 / 4);  // the comparison compared something
    }
  }
}

// The slices of a database's ids are disjoint and together cover every
// document, in every part of a layered index.
TEST_F(ParallelSearch, SlicesPartitionTheDocuments) {
  Xapian::Database db(dir_);  // the stub: base and live parts
  ASSERT_EQ(db.size(), 2u);
  std::set<Xapian::docid> all;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) all.insert(*it);
  for (size_t slices : {1u, 2u, 3u, 7u}) {
    std::set<Xapian::docid> seen;
    for (size_t i = 0; i < slices; ++i) {
      Xapian::Enquire enq(db);
      auto* range = new internal::DocidRangeSource(i, slices);
      enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll,
                                  Xapian::Query(range->release())));
      Xapian::MSet m = enq.get_mset(0, db.get_doccount());
      EXPECT_GT(m.size(), 0u) << i << " of " << slices;
      for (auto it = m.begin(); it != m.end(); ++it) {
        EXPECT_TRUE(seen.insert(*it).second) << *it << " in two slices of " << slices;
      }
    }
    EXPECT_EQ(seen, all) << slices;
  }
}

// After a commit, Reopen() moves every thread's handle: a document added
// since is found by a parallel search, one deleted is gone.
TEST_F(ParallelSearch, ReopenMovesEveryHandle) {
  auto s = Searcher::Open(dir_, {}, {.threads = 4, .min_docs_per_thread = 1});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  {
    auto w = IndexWriter::Open(dir_);
    ASSERT_TRUE(w.ok());
    IndexDocument d = Doc(5000);
    d.body += " kỳ lân";
    ASSERT_OK((*w)->Put(d));
    IndexDocument e = Doc(3);  // a base document, now with the word too
    e.body += " kỳ lân";
    ASSERT_OK((*w)->Put(e));
    ASSERT_OK((*w)->Commit());
  }
  ASSERT_OK((*s)->Reopen());
  SearchRequest r;
  r.query = "\"kỳ lân\"";
  r.access_levels = {1, 2, 3};
  auto res = (*s)->Search(r);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  std::set<std::string> ids;
  for (const SearchHit& h : res->hits) ids.insert(h.document);
  EXPECT_EQ(ids, (std::set<std::string>{"d3", "d5000"}));
  EXPECT_EQ(res->total_estimate, 2u);
}

// Paging deeper than 100,000 hits is refused with a reason (each slice would
// rank offset + limit hits); the last page allowed is served.
TEST_F(ParallelSearch, DeepPagingIsRefused) {
  auto s = Searcher::Open(dir_, {}, {.threads = 2, .min_docs_per_thread = 1});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  SearchRequest r;
  r.query = "lưu trữ";
  r.access_levels = {1, 2, 3};
  r.offset = 100000;
  auto last = (*s)->Search(r);
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_TRUE(last->hits.empty());  // fewer matches than that
  EXPECT_GT(last->total_estimate, 0u);
  r.offset = 100001;
  auto deeper = (*s)->Search(r);
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(deeper.status().message().find("offset"), std::string::npos);
}

}  // namespace
}  // namespace kholuu::indexer
