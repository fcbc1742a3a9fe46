// The layered index (ADR 0066): a rebuilt base without termlists, a live
// part for every later change, and the base documents replaced or deleted
// since hidden from hits, totals, facets and counts.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "indexer/index.h"
#include "tests/indexer/synthetic_docs.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::indexer {
namespace {

using testing_docs::Doc;

const std::vector<std::string>& Queries() {
  static const std::vector<std::string> q = {
      "lưu trữ", "luu tru", "hồ sơ mật", "tiêu hủy tài liệu lịch sử", "\"của các\"",
      "thời hạn bảo quản hồ sơ thuế ngân sách đất đai xây dựng là gì",
      "thoi han bao quan ho so thue ngan sach dat dai xay dung", "quy phạm pháp luật -thuế"};
  return q;
}

SearchResults Query(Searcher& s, const std::string& q, size_t limit = 20) {
  SearchRequest r;
  r.query = q;
  r.limit = limit;
  r.access_levels = {1, 2, 3};
  auto res = s.Search(r);
  EXPECT_TRUE(res.ok()) << q << ": " << res.status().ToString();
  return res.ok() ? *res : SearchResults{};
}

TEST(LayeredIndex, RebuildWritesABaseWithoutTermlistsAndAStub) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/index";
  {
    auto w = IndexWriter::OpenForRebuild(dir, {}, 2);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (int i = 0; i < 30; ++i) ASSERT_OK((*w)->Put(Doc(i)));
    ASSERT_OK((*w)->Commit());
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/base/iamglass"));
  EXPECT_FALSE(std::filesystem::exists(dir + "/base/termlist.glass"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/live/termlist.glass"));
  // Xapian's own tools open the whole index through the stub.
  Xapian::Database whole(dir);
  EXPECT_EQ(whole.get_doccount(), 30u);
}

// A document scores the same whichever part holds it: the base and the live
// part together are weighted as one database (Xapian's statistics, and the
// MaxScore source's), so a layered index ranks as a plain one.
TEST(LayeredIndex, ScoresAsOnePlainIndex) {
  testing::TempDir tmp;
  const std::string layered = tmp.path() + "/layered", plain = tmp.path() + "/plain";
  {
    auto w = IndexWriter::OpenForRebuild(layered, {}, 2);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    (*w)->set_rebuild_segments(40, 10);
    for (int i = 0; i < 150; ++i) ASSERT_OK((*w)->Put(Doc(i)));
    ASSERT_OK((*w)->Commit());
    for (int i = 150; i < 200; ++i) ASSERT_OK((*w)->Put(Doc(i)));  // into the live part
    ASSERT_OK((*w)->Commit());
  }
  {
    auto w = IndexWriter::Open(plain);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (int i = 0; i < 200; ++i) ASSERT_OK((*w)->Put(Doc(i)));
    ASSERT_OK((*w)->Commit());
  }
  // The default MaxScore source gives the same top 20. Xapian's own OR tree
  // (maxscore false) over two parts can prune a hit of the live part from a
  // short top-k (seen here on two-word queries), so that mode is compared on
  // every match.
  for (bool maxscore : {true, false}) {
    const size_t limit = maxscore ? 20 : 200;
    RankingOptions r;
    r.maxscore = maxscore;
    auto a = Searcher::Open(layered, r);
    auto b = Searcher::Open(plain, r);
    ASSERT_TRUE(a.ok() && b.ok());
    for (const std::string& q : Queries()) {
      SearchResults x = Query(**a, q, limit), y = Query(**b, q, limit);
      ASSERT_EQ(x.hits.size(), y.hits.size()) << q;
      ASSERT_FALSE(x.hits.empty()) << q;
      for (size_t i = 0; i < x.hits.size(); ++i) {
        EXPECT_NEAR(x.hits[i].score, y.hits[i].score, 1e-9) << q << " #" << i << " maxscore " << maxscore;
        // Equal scores may come in either order (docids differ).
        if (i + 1 < x.hits.size() && x.hits[i].score - x.hits[i + 1].score > 1e-9 &&
            (i == 0 || x.hits[i - 1].score - x.hits[i].score > 1e-9)) {
          EXPECT_EQ(x.hits[i].document, y.hits[i].document) << q << " #" << i << " maxscore " << maxscore;
        }
      }
    }
  }
}

TEST(LayeredIndex, ReplacedAndDeletedBaseDocumentsAreHiddenEverywhere) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/index";
  {
    auto w = IndexWriter::OpenForRebuild(dir, {}, 2);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (int i = 0; i < 60; ++i) {
      IndexDocument d = Doc(i);
      if (i == 4 || i == 5) d.body += " phượng hoàng";  // the only two with this word
      ASSERT_OK((*w)->Put(d));
    }
    ASSERT_OK((*w)->Commit());
  }
  auto s = Searcher::Open(dir);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  SearchResults before = Query(**s, "\"phượng hoàng\"");
  ASSERT_EQ(before.hits.size(), 2u);
  ASSERT_EQ(before.total_estimate, 2u);

  {
    auto w = IndexWriter::Open(dir);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    // d4 replaced: another agency, year and type, without the word; d5
    // deleted; a Delete of what is gone is kNotFound.
    IndexDocument d4 = Doc(4);
    d4.agency_id = "H01";
    d4.agency_name = "Sở Nội vụ Hà Nội";
    d4.issued_date = "2030-01-01";
    d4.type_name = "Tờ trình";
    ASSERT_OK((*w)->Put(d4));
    ASSERT_OK((*w)->Delete("d5"));
    EXPECT_EQ((*w)->Delete("d5").code(), StatusCode::kNotFound);
    EXPECT_EQ((*w)->Delete("nope").code(), StatusCode::kNotFound);
    ASSERT_OK((*w)->Commit());
  }
  // The open searcher sees it after Reopen(); so does a new one.
  ASSERT_OK((*s)->Reopen());
  auto fresh = Searcher::Open(dir);
  ASSERT_TRUE(fresh.ok());
  for (Searcher* searcher : {s->get(), fresh->get()}) {
    EXPECT_EQ(searcher->doc_count(), 59u);
    SearchResults gone = Query(*searcher, "\"phượng hoàng\"");
    EXPECT_TRUE(gone.hits.empty());
    EXPECT_EQ(gone.total_estimate, 0u);
    SearchRequest all;
    all.query = "";
    all.limit = 100;
    all.access_levels = {1, 2, 3};
    all.facets = true;
    auto res = searcher->Search(all);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    EXPECT_EQ(res->hits.size(), 59u);
    EXPECT_EQ(res->total_estimate, 59u);
    std::map<std::string, int> ids;
    for (const SearchHit& h : res->hits) ++ids[h.document];
    EXPECT_EQ(ids.count("d5"), 0u);
    EXPECT_EQ(ids["d4"], 1);
    // Facets count the new d4 once and the old copy not at all.
    EXPECT_EQ(res->facets["agency"]["Sở Nội vụ Hà Nội"], 1u);
    EXPECT_EQ(res->facets["year"]["2030"], 1u);
    EXPECT_EQ(res->facets["type"]["Tờ trình"], 1u);
    uint64_t by_year = 0;
    for (const auto& [year, n] : res->facets["year"]) by_year += n;
    EXPECT_EQ(by_year, 59u);
  }
  // A later writer knows what was deleted; putting d5 again brings it back.
  {
    auto w = IndexWriter::Open(dir);
    ASSERT_TRUE(w.ok());
    EXPECT_EQ((*w)->Delete("d5").code(), StatusCode::kNotFound);
    IndexDocument d5 = Doc(5);
    d5.body += " phượng hoàng";
    ASSERT_OK((*w)->Put(d5));
    ASSERT_OK((*w)->Commit());
  }
  ASSERT_OK((*s)->Reopen());
  SearchResults back = Query(**s, "\"phượng hoàng\"");
  ASSERT_EQ(back.hits.size(), 1u);
  EXPECT_EQ(back.hits[0].document, "d5");
  EXPECT_EQ((*s)->doc_count(), 60u);
}

TEST(LayeredIndex, DamagedDeletionListIsDataLoss) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/index";
  {
    auto w = IndexWriter::OpenForRebuild(dir);
    ASSERT_TRUE(w.ok());
    for (int i = 0; i < 5; ++i) ASSERT_OK((*w)->Put(Doc(i)));
    ASSERT_OK((*w)->Commit());
  }
  {
    Xapian::WritableDatabase live(dir + "/live", Xapian::DB_OPEN);
    live.set_metadata("kholuu.base_deleted", std::string("\x01\x00\x00", 3));
    live.commit();
  }
  auto s = Searcher::Open(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kDataLoss);
  auto w = IndexWriter::Open(dir);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), StatusCode::kDataLoss);
}


// `kholuu reindex` renames a new index into place under a searcher: after
// Reopen() the searcher reads the new base and hides what its list names.
TEST(LayeredIndex, ReopenAfterARebuildIsRenamedIntoPlace) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/index", fresh = tmp.path() + "/index.new";
  auto build = [](const std::string& d, int n) {
    auto w = IndexWriter::OpenForRebuild(d, {}, 2);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    for (int i = 0; i < n; ++i) ASSERT_OK((*w)->Put(Doc(i)));
    ASSERT_OK((*w)->Delete("d1"));  // listed as deleted from the new base
    ASSERT_OK((*w)->Commit());
  };
  build(dir, 10);
  auto s = Searcher::Open(dir);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->doc_count(), 9u);
  build(fresh, 20);
  std::filesystem::rename(dir, tmp.path() + "/index.old");
  std::filesystem::rename(fresh, dir);
  ASSERT_OK((*s)->Reopen());
  EXPECT_EQ((*s)->doc_count(), 19u);
  SearchRequest all;
  all.limit = 100;
  all.access_levels = {1, 2, 3};
  auto res = (*s)->Search(all);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->hits.size(), 19u);
  for (const SearchHit& h : res->hits) EXPECT_NE(h.document, "d1");
}

}  // namespace
}  // namespace kholuu::indexer
