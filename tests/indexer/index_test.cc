#include "indexer/index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <span>

#include "indexer/query.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::indexer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

IndexDocument Doc(std::string id, std::string subject, std::string body, std::string date,
                  int32_t access, std::string agency, std::string type) {
  IndexDocument d;
  d.id = std::move(id);
  d.record_file = "000.00.00.G22.2024.01";
  d.subject = std::move(subject);
  d.body = std::move(body);
  d.issued_date = std::move(date);
  d.access_level = access;
  d.agency_id = agency;
  d.agency_name = agency == "G22" ? "Văn phòng Chính phủ" : "Bộ Nội vụ";
  d.type_name = std::move(type);
  return d;
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path() + "/index";
    auto w = IndexWriter::Open(dir_);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    writer_ = std::move(*w);
    Put(Doc("d1", "Quyết định về gửi, nhận văn bản điện tử",
            "Quyết định 28/2018/QĐ-TTg quy định việc gửi, nhận văn bản điện tử giữa các cơ quan "
            "trong hệ thống hành chính nhà nước.",
            "2018-07-12", 1, "G22", "Quyết định"));
    Put(Doc("d2", "Nghị định về chế độ báo cáo",
            "Nghị định 09/2019/NĐ-CP quy định về chế độ báo cáo của cơ quan hành chính nhà nước.",
            "2019-01-24", 1, "G22", "Nghị định"));
    Put(Doc("d3", "Công văn mật về nhân sự",
            "Báo cáo nhân sự của cơ quan; văn bản điện tử không được phổ biến.", "2020-05-02", 3,
            "G09", "Công văn"));
    Put(Doc("d4", "Hướng dẫn về văn thư",
            "Bản sao văn bản, lập hồ sơ và nộp lưu hồ sơ vào lưu trữ cơ quan.", "2021-03-01", 1,
            "G09", "Công văn"));
    ASSERT_OK(writer_->Commit());
    auto s = Searcher::Open(dir_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    searcher_ = std::move(*s);
  }
  void Put(const IndexDocument& d) { ASSERT_OK(writer_->Put(d)); }

  std::vector<std::string> Ids(const std::string& q, std::vector<int32_t> levels = {1, 2, 3}) {
    SearchRequest r;
    r.query = q;
    r.access_levels = std::move(levels);
    auto res = searcher_->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> ids;
    if (res.ok()) {
      for (const SearchHit& h : res->hits) ids.push_back(h.document);
    }
    return ids;
  }

  testing::TempDir tmp_;
  std::string dir_;
  std::unique_ptr<IndexWriter> writer_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(IndexTest, WithAndWithoutDiacritics) {
  EXPECT_EQ(Ids("chế độ báo cáo").front(), "d2");
  EXPECT_EQ(Ids("che do bao cao").front(), "d2");
  EXPECT_EQ(Ids("CHẾ ĐỘ BÁO CÁO").front(), "d2");
  EXPECT_EQ(Ids("lưu trữ").front(), "d4");
}

TEST_F(IndexTest, PhraseFieldExclusionAndDateRange) {
  EXPECT_THAT(Ids("\"văn bản điện tử\""), ::testing::UnorderedElementsAre("d1", "d3"));
  EXPECT_THAT(Ids("\"điện tử văn bản\""), ElementsAre());
  EXPECT_THAT(Ids("subject:\"văn bản điện tử\""), ElementsAre("d1"));
  EXPECT_THAT(Ids("\"văn bản điện tử\" -mật"), ElementsAre("d1"));
  EXPECT_THAT(Ids("cơ quan 2019..2020"), ::testing::UnorderedElementsAre("d2", "d3"));
  EXPECT_THAT(Ids("cơ quan 2021.."), ElementsAre("d4"));
}

// Only exact syllables have positions (format 2): a phrase without
// diacritics goes through the exact forms seen at indexing time.
TEST_F(IndexTest, PhraseWithoutDiacritics) {
  EXPECT_THAT(Ids("\"van ban dien tu\""), ::testing::UnorderedElementsAre("d1", "d3"));
  EXPECT_THAT(Ids("\"VAN BAN DIEN TU\""), ::testing::UnorderedElementsAre("d1", "d3"));
  EXPECT_THAT(Ids("\"dien tu van ban\""), ElementsAre());
  EXPECT_THAT(Ids("\"ban van\""), ElementsAre());
  EXPECT_THAT(Ids("subject:\"van ban dien tu\""), ElementsAre("d1"));
  EXPECT_THAT(Ids("agency:\"noi vu\""), ::testing::UnorderedElementsAre("d3", "d4"));
  EXPECT_THAT(Ids("\"van ban dien tu\" -mat"), ElementsAre("d1"));
  EXPECT_THAT(Ids("subject:luu"), ElementsAre());
  EXPECT_THAT(Ids("subject:van"), ::testing::UnorderedElementsAre("d1", "d3", "d4"));
  // Mixed: one syllable with diacritics makes the whole clause exact.
  EXPECT_THAT(Ids("\"văn ban\""), ElementsAre());
}

// A document is found by the words of its record file's (hồ sơ) title, in
// plain words and in the file field, with and without diacritics: archivists
// search by the file a document was filed in (ADR 0073, file_title_wdf 1).
TEST_F(IndexTest, RecordFileTitleFindsItsDocuments) {
  IndexDocument d = Doc("d5", "Tờ trình", "Đề nghị phê duyệt danh sách.", "2022-02-02", 1, "G22", "Tờ trình");
  d.record_file = "000.00.00.G22.2022.07";
  d.record_file_title = "Hồ sơ thi đua khen thưởng năm 2022";
  Put(d);
  ASSERT_OK(writer_->Commit());
  auto s = Searcher::Open(dir_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  searcher_ = std::move(*s);
  EXPECT_THAT(Ids("thi đua khen thưởng"), ElementsAre("d5"));
  EXPECT_THAT(Ids("thi dua khen thuong"), ElementsAre("d5"));
  EXPECT_THAT(Ids("file:\"khen thưởng\""), ElementsAre("d5"));
}

TEST_F(IndexTest, DocumentNumberWholeAndParts) {
  EXPECT_EQ(Ids("09/2019/NĐ-CP").front(), "d2");
  EXPECT_EQ(Ids("28/2018/qd-ttg").front(), "d1");
}

TEST_F(IndexTest, AccessControlHidesHitsCountsAndFacets) {
  SearchRequest r;
  r.query = "báo cáo";
  r.facets = true;
  r.access_levels = {1};
  auto pub = searcher_->Search(r);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->total_estimate, 1u);
  ASSERT_EQ(pub->hits.size(), 1u);
  EXPECT_EQ(pub->hits[0].document, "d2");
  EXPECT_EQ(pub->facets["agency"].count("Bộ Nội vụ"), 0u);  // d3's agency never shows
  EXPECT_EQ(pub->facets["type"].count("Công văn"), 0u);
  r.access_levels = {1, 3};
  auto all = searcher_->Search(r);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total_estimate, 2u);
  EXPECT_EQ(all->facets["agency"]["Bộ Nội vụ"], 1u);
  EXPECT_EQ(all->facets["year"]["2020"], 1u);
  r.access_levels = {};
  auto none = searcher_->Search(r);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total_estimate, 0u);
  // Scoped to agencies.
  r.access_levels = {1, 2, 3};
  r.agencies = {"G09"};
  auto scoped = searcher_->Search(r);
  ASSERT_TRUE(scoped.ok());
  ASSERT_EQ(scoped->hits.size(), 1u);
  EXPECT_EQ(scoped->hits[0].document, "d3");
}

// Access control takes one of three forms depending on the postings of the
// levels (ADR 0063); whichever, hits, totals and facets are those of the
// documents the caller may see, checked against the documents themselves.
TEST(AccessControl, EveryLevelSetGivesExactlyTheVisibleDocuments) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/i";
  std::vector<IndexDocument> docs;
  const int levels[] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 3};
  for (int i = 0; i < 10; ++i) {
    docs.push_back(Doc("a" + std::to_string(i), "Báo cáo " + std::to_string(i),
                       "báo cáo định kỳ của cơ quan", "201" + std::to_string(i) + "-01-01",
                       levels[i], i % 2 == 0 ? "G22" : "G09", "Báo cáo"));
  }
  {
    auto w = IndexWriter::Open(dir);
    ASSERT_TRUE(w.ok());
    ASSERT_OK((*w)->PutMany(docs));
    ASSERT_OK((*w)->Commit());
  }
  auto s = Searcher::Open(dir);
  ASSERT_TRUE(s.ok());
  const std::vector<std::vector<int32_t>> cases = {{1, 2, 3}, {1, 2}, {1}, {3}, {2, 3},
                                                   {1, 3, 7}, {4}, {}};
  for (const auto& allowed : cases) {
    std::set<std::string> expected;
    std::map<std::string, uint64_t> years;
    for (const IndexDocument& d : docs) {
      if (std::find(allowed.begin(), allowed.end(), d.access_level) == allowed.end()) continue;
      expected.insert(d.id);
      ++years[d.issued_date.substr(0, 4)];
    }
    SearchRequest r;
    r.query = "báo cáo";
    r.limit = 100;
    r.facets = true;
    r.access_levels = allowed;
    auto res = (*s)->Search(r);
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    std::set<std::string> got;
    for (const SearchHit& h : res->hits) got.insert(h.document);
    EXPECT_EQ(got, expected) << "levels " << ::testing::PrintToString(allowed);
    EXPECT_EQ(res->total_estimate, expected.size());
    EXPECT_EQ(res->facets["year"], years) << "levels " << ::testing::PrintToString(allowed);
  }
}

// Agency ids are free text: one that looks like an access-level term must
// not make a document visible at that level.
TEST(AccessControl, AgencyIdCannotPassForAnAccessLevel) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/i";
  {
    auto w = IndexWriter::Open(dir);
    ASSERT_TRUE(w.ok());
    ASSERT_OK((*w)->Put(Doc("secret", "Báo cáo mật", "báo cáo", "2020-01-01", 3, "L1", "x")));
    ASSERT_OK((*w)->Put(Doc("open", "Báo cáo", "báo cáo", "2020-01-01", 1, "G22", "x")));
    ASSERT_OK((*w)->Commit());
  }
  auto s = Searcher::Open(dir);
  ASSERT_TRUE(s.ok());
  SearchRequest r;
  r.query = "báo cáo";
  r.access_levels = {1};
  auto res = (*s)->Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->hits.size(), 1u);
  EXPECT_EQ(res->hits[0].document, "open");
  EXPECT_EQ(res->total_estimate, 1u);
  // The agency scope still finds it for a caller cleared for level 3.
  r.access_levels = {1, 3};
  r.agencies = {"L1"};
  res = (*s)->Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->hits.size(), 1u);
  EXPECT_EQ(res->hits[0].document, "secret");
}

TEST_F(IndexTest, SnippetHighlightsInOriginalText) {
  SearchRequest r;
  r.query = "van ban dien tu";
  r.access_levels = {1};
  auto res = searcher_->Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_FALSE(res->hits.empty());
  EXPECT_THAT(res->hits[0].snippet, HasSubstr("<mark>văn</mark> <mark>bản</mark>"));
  EXPECT_THAT(res->hits[0].snippet, HasSubstr("<mark>điện</mark>"));
}

TEST_F(IndexTest, SortingPagingReplaceDeleteAndReopen) {
  SearchRequest r;
  r.query = "cơ quan";
  r.access_levels = {1, 3};
  r.sort = SearchRequest::Sort::kDateDesc;
  auto res = searcher_->Search(r);
  ASSERT_TRUE(res.ok());
  std::vector<std::string> dates;
  for (const SearchHit& h : res->hits) dates.push_back(h.issued_date);
  EXPECT_THAT(dates, ElementsAre("2021-03-01", "2020-05-02", "2019-01-24", "2018-07-12"));
  r.offset = 1;
  r.limit = 2;
  res = searcher_->Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->hits.size(), 2u);
  EXPECT_EQ(res->hits[0].issued_date, "2020-05-02");

  // Replace d4 by id, delete d2; the searcher sees it after Reopen.
  Put(Doc("d4", "Hướng dẫn về lưu trữ điện tử", "Nội dung mới.", "2021-03-01", 1, "G09", "Công văn"));
  ASSERT_OK(writer_->Delete("d2"));
  EXPECT_EQ(writer_->Delete("nope").code(), StatusCode::kNotFound);
  ASSERT_OK(writer_->Commit());
  EXPECT_EQ(searcher_->doc_count(), 4u);
  ASSERT_OK(searcher_->Reopen());
  EXPECT_EQ(searcher_->doc_count(), 3u);
  EXPECT_THAT(Ids("chế độ báo cáo"), ::testing::Not(::testing::Contains("d2")));
  EXPECT_THAT(Ids("lập hồ sơ"), ::testing::Not(::testing::Contains("d4")));
}

TEST_F(IndexTest, LegacyEncodedBodyIsSearchable) {
  // "Văn bản lưu trữ" in TCVN3 as pdftotext shows it (Latin-1 view).
  Put(Doc("d5", "", "V\xC2\xA8n b\xC2\xB6n l\xC2\xADu tr\xC3\xB7 quan tr\xC3\xA4ng", "2010-01-01", 1,
          "G09", "Công văn"));
  ASSERT_OK(writer_->Commit());
  ASSERT_OK(searcher_->Reopen());
  EXPECT_THAT(Ids("\"văn bản lưu trữ\""), ::testing::Contains("d5"));
  EXPECT_EQ(writer_->repaired().at("tcvn3"), 1u);
}

TEST_F(IndexTest, OneWriterAtATime) {
  auto second = IndexWriter::Open(dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST_F(IndexTest, HostileQueries) {
  SearchRequest r;
  r.query = std::string(5000, 'a');
  EXPECT_EQ(searcher_->Search(r).status().code(), StatusCode::kInvalidArgument);
  for (const char* q : {"\"", "-", "subject:", "..", "\"\"", "-\"\"", "2019..x", ":::", "a\xFF\xFE"}) {
    r.query = q;
    EXPECT_TRUE(searcher_->Search(r).ok()) << q;
  }
  r.query = "a";
  r.limit = 5000;
  EXPECT_EQ(searcher_->Search(r).status().code(), StatusCode::kInvalidArgument);
}

// PutMany gives the same index as Put, document by document.
TEST(IndexWriterPutMany, SameResultsAsPutAndStopsAtFirstError) {
  testing::TempDir tmp;
  std::vector<IndexDocument> docs;
  for (int i = 0; i < 300; ++i) {
    docs.push_back(Doc("m" + std::to_string(i), "Quyết định số " + std::to_string(i),
                       i % 3 == 0 ? "gửi nhận văn bản điện tử" : "chế độ báo cáo định kỳ",
                       "2019-01-01", 1, "G22", "Quyết định"));
  }
  docs.push_back(Doc("V1", "", "V\xA8n b\xB6n \xAE\xB8" "c gi\xFA", "2019-01-01", 1, "G22", "x"));
  auto one = IndexWriter::Open(tmp.path() + "/one");
  auto many = IndexWriter::Open(tmp.path() + "/many");
  ASSERT_TRUE(one.ok() && many.ok());
  for (const IndexDocument& d : docs) ASSERT_OK((*one)->Put(d));
  ASSERT_OK((*many)->PutMany(docs));
  EXPECT_EQ((*one)->repaired(), (*many)->repaired());
  ASSERT_OK((*one)->Commit());
  ASSERT_OK((*many)->Commit());
  auto a = Searcher::Open(tmp.path() + "/one");
  auto b = Searcher::Open(tmp.path() + "/many");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->doc_count(), 301u);
  EXPECT_EQ((*b)->doc_count(), 301u);
  for (const char* q : {"văn bản điện tử", "bao cao dinh ky", "quyết định 17", "văn bản"}) {
    SearchRequest r;
    r.query = q;
    r.limit = 20;
    auto ra = (*a)->Search(r);
    auto rb = (*b)->Search(r);
    ASSERT_TRUE(ra.ok() && rb.ok());
    ASSERT_EQ(ra->hits.size(), rb->hits.size()) << q;
    for (size_t i = 0; i < ra->hits.size(); ++i) {
      EXPECT_EQ(ra->hits[i].document, rb->hits[i].document) << q;
      EXPECT_EQ(ra->hits[i].score, rb->hits[i].score) << q;
    }
  }
  // The first bad document stops the batch; those before it are indexed.
  std::vector<IndexDocument> bad = {Doc("ok1", "a", "b", "", 1, "G22", "x"),
                                    Doc("", "a", "b", "", 1, "G22", "x"),
                                    Doc("ok2", "a", "b", "", 1, "G22", "x")};
  EXPECT_EQ((*many)->PutMany(bad).code(), StatusCode::kInvalidArgument);
  ASSERT_OK((*many)->Commit());
  ASSERT_OK((*b)->Reopen());
  EXPECT_EQ((*b)->doc_count(), 302u);
}

// Long queries: a term in more than common_df of the documents only adds
// weight to documents matching a rarer term of the query.
TEST(LongQueries, CommonTermsOnlyAddWeight) {
  testing::TempDir tmp;
  auto w = IndexWriter::Open(tmp.path() + "/i");
  ASSERT_TRUE(w.ok());
  // "quy định" is in every document; "hôn nhân" in one.
  for (int i = 0; i < 40; ++i) {
    ASSERT_OK((*w)->Put(Doc("c" + std::to_string(i), "", "quy định chung của cơ quan nhà nước",
                            "", 1, "G22", "x")));
  }
  ASSERT_OK((*w)->Put(Doc("h", "", "quy định về hôn nhân và gia đình", "", 1, "G22", "x")));
  ASSERT_OK((*w)->Commit());
  const std::string long_query = "theo quy định thì điều kiện kết hôn trong luật hôn nhân là gì";
  for (double common_df : {0.0, 0.5}) {
    RankingOptions r;
    r.common_df = common_df;
    r.elite_terms = 0;  // this test is about common_df alone
    auto s = Searcher::Open(tmp.path() + "/i", r);
    ASSERT_TRUE(s.ok());
    SearchRequest req;
    req.query = long_query;
    req.limit = 100;
    auto res = (*s)->Search(req);
    ASSERT_TRUE(res.ok());
    ASSERT_FALSE(res->hits.empty());
    EXPECT_EQ(res->hits.front().document, "h");
    // Off: every document matches "quy định". On: only the one with a rare term.
    EXPECT_EQ(res->hits.size(), common_df == 0 ? 41u : 1u);
    // Short queries are never affected.
    req.query = "quy định";
    res = (*s)->Search(req);
    ASSERT_TRUE(res.ok());
    EXPECT_EQ(res->hits.size(), 41u);
  }
}

// Long queries: only the elite_terms rarer terms that can weigh most are
// matched. "b" has two of the query's syllables without their diacritics,
// so only folded terms (weight 0.3) match it; "a" has every exact term.
TEST(LongQueries, EliteSetKeepsTheTermsThatWeighMost) {
  testing::TempDir tmp;
  auto w = IndexWriter::Open(tmp.path() + "/i");
  ASSERT_TRUE(w.ok());
  const std::string text = "hồ sơ lưu trữ điện tử của cơ quan nhà nước";
  ASSERT_OK((*w)->Put(Doc("a", "", text, "", 1, "G22", "x")));
  ASSERT_OK((*w)->Put(Doc("b", "", "ho so", "", 1, "G22", "x")));
  for (int i = 0; i < 20; ++i) {
    ASSERT_OK((*w)->Put(Doc("z" + std::to_string(i), "", "báo cáo định kỳ", "", 1, "G22", "x")));
  }
  ASSERT_OK((*w)->Commit());
  for (size_t elite : {0u, 10u}) {
    RankingOptions r;
    r.common_df = 0;
    r.elite_terms = elite;
    auto s = Searcher::Open(tmp.path() + "/i", r);
    ASSERT_TRUE(s.ok());
    SearchRequest req;
    req.query = text;
    auto res = (*s)->Search(req);
    ASSERT_TRUE(res.ok());
    std::vector<std::string> ids;
    for (const SearchHit& h : res->hits) ids.push_back(h.document);
    if (elite == 0) {
      EXPECT_THAT(ids, ElementsAre("a", "b"));
    } else {
      EXPECT_THAT(ids, ElementsAre("a"));
    }
    // Short queries are never affected.
    req.query = "hồ sơ";
    res = (*s)->Search(req);
    ASSERT_TRUE(res.ok());
    EXPECT_EQ(res->hits.size(), 2u);
  }
}

// kholuu reindex's path: a new directory, PutMany, one Commit; the result
// is an ordinary index the incremental writer then updates. Each thread
// writes a run of segments, all merged into the directory by Commit(); the
// parameters are (threads, documents per segment, flush interval): with one
// document per segment the 50 segments take two merge rounds.
struct RebuildShape {
  size_t threads;
  size_t segment_docs;
  size_t flush_docs;
};
void PrintTo(const RebuildShape& s, std::ostream* os) {
  *os << s.threads << " threads, " << s.segment_docs << " docs per segment, flush every "
      << s.flush_docs;
}
class OpenForRebuild : public ::testing::TestWithParam<RebuildShape> {};

TEST_P(OpenForRebuild, BuildsAnIndexTheIncrementalWriterUpdates) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/new";
  std::vector<IndexDocument> docs;
  for (int i = 0; i < 50; ++i) {
    docs.push_back(Doc("r" + std::to_string(i), "Báo cáo số " + std::to_string(i),
                       i == 7 ? "lưu trữ điện tử" : "chế độ báo cáo định kỳ", "2019-01-01", 1,
                       "G22", "Quyết định"));
  }
  docs.push_back(Doc("r7", "Báo cáo số 7", "hồ sơ lưu trữ điện tử", "2019-01-01", 1, "G22", "x"));
  docs.push_back(Doc("r9", "Báo cáo số 9", "văn bản mật", "2019-01-01", 1, "G22", "x"));
  {
    auto w = IndexWriter::OpenForRebuild(dir, {}, GetParam().threads);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    (*w)->set_rebuild_segments(GetParam().segment_docs, GetParam().flush_docs);
    // r7 and r9 twice: the second replaces the first (r9 in a later call),
    // wherever the first went. r3 is deleted before the merge, r48 just
    // after it was put (so, with small segments, from a closed one and from
    // the open one).
    ASSERT_OK((*w)->PutMany(std::span(docs).first(docs.size() - 1)));
    ASSERT_OK((*w)->Delete("r3"));
    ASSERT_OK((*w)->PutMany(std::span(docs).last(1)));
    ASSERT_OK((*w)->Put(Doc("r48", "", "tạm", "2019-01-01", 1, "G22", "x")));
    ASSERT_OK((*w)->Delete("r48"));
    EXPECT_EQ((*w)->Delete("r3").code(), StatusCode::kNotFound);
    ASSERT_OK((*w)->Commit());
    EXPECT_FALSE(std::filesystem::exists(dir + "/shards"));
    // The same writer goes on after Commit(), with lookups: r9 once more.
    ASSERT_OK((*w)->Put(Doc("r9", "Báo cáo số 9", "văn bản mật", "2019-01-01", 1, "G22", "x")));
    ASSERT_OK((*w)->Commit());
  }
  auto s = Searcher::Open(dir);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->doc_count(), 48u);
  SearchRequest r;
  r.query = "\"ho so luu tru\"";  // needs the synonym table of every segment
  auto res = (*s)->Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->hits.size(), 1u);
  EXPECT_EQ(res->hits[0].document, "r7");
  r.query = "\"van ban mat\"";
  res = (*s)->Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->hits.size(), 1u);
  EXPECT_EQ(res->hits[0].document, "r9");
  r.query = "định kỳ";
  r.limit = 100;
  res = (*s)->Search(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->hits.size(), 46u);
  EXPECT_EQ(res->total_estimate, 46u);
  r.limit = 10;
  r.query = "tạm";
  res = (*s)->Search(r);
  ASSERT_TRUE(res.ok());
  EXPECT_TRUE(res->hits.empty());

  // Not over an existing index.
  EXPECT_EQ(IndexWriter::OpenForRebuild(dir).status().code(), StatusCode::kFailedPrecondition);
  auto w = IndexWriter::Open(dir);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_OK((*w)->Put(Doc("r8", "", "lưu trữ điện tử", "2019-01-01", 1, "G22", "x")));
  ASSERT_OK((*w)->Commit());
  ASSERT_OK((*s)->Reopen());
  r.query = "\"luu tru dien tu\"";
  res = (*s)->Search(r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->hits.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Shapes, OpenForRebuild,
                         ::testing::Values(RebuildShape{1, IndexWriter::kRebuildSegmentDocs, 500},
                                           RebuildShape{2, IndexWriter::kRebuildSegmentDocs, 500},
                                           RebuildShape{3, IndexWriter::kRebuildSegmentDocs, 500},
                                           RebuildShape{1, 1, 1}, RebuildShape{2, 3, 2},
                                           RebuildShape{3, 1, 1}));

// A rebuild abandoned without Commit() leaves no index to open.
TEST(OpenForRebuildAbandoned, IsNotMerged) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/new";
  {
    auto w = IndexWriter::OpenForRebuild(dir, {}, 2);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_OK((*w)->Put(Doc("a", "Báo cáo", "lưu trữ", "2019-01-01", 1, "G22", "x")));
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/iamglass"));
  EXPECT_FALSE(Searcher::Open(dir).ok());
}

// A rebuild of nothing is an empty index, not an error.
TEST(OpenForRebuildEmpty, CommitsAnEmptyIndex) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/new";
  {
    auto w = IndexWriter::OpenForRebuild(dir, {}, 3);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_OK((*w)->Commit());
  }
  auto s = Searcher::Open(dir);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->doc_count(), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir + "/shards"));
}

// An index without the format this build writes (an older build's) is
// refused by readers and writers, with the way out in the message.
TEST(IndexFormat, OlderIndexIsRefused) {
  testing::TempDir tmp;
  const std::string dir = tmp.path() + "/old";
  {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE);
    Xapian::Document d;
    d.add_posting("văn", 1);
    d.add_posting("XFvan", 1);
    d.add_boolean_term("Qold");
    db.add_document(d);
    db.commit();
  }
  auto s = Searcher::Open(dir);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.status().message(), HasSubstr("kholuu reindex"));
  auto w = IndexWriter::Open(dir);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), StatusCode::kFailedPrecondition);
  // An empty index of any age is fine (nothing to misread).
  EXPECT_TRUE(IndexWriter::Open(tmp.path() + "/empty").ok());
  EXPECT_TRUE(Searcher::Open(tmp.path() + "/empty").ok());
}

TEST(QueryParser, Clauses) {
  auto q = ParseQuery("văn bản \"điện tử\" -mật subject:lưu 2019..2021 28/2018/QĐ-TTg");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->clauses.size(), 6u);
  EXPECT_EQ(q->clauses[0].text, "văn bản");
  EXPECT_EQ(q->clauses[1].kind, QueryClause::Kind::kPhrase);
  EXPECT_TRUE(q->clauses[2].excluded);
  EXPECT_EQ(q->clauses[3].field, "subject");
  EXPECT_EQ(q->clauses[4].kind, QueryClause::Kind::kDocNumber);
  EXPECT_EQ(q->clauses[5].text, "28/2018/QĐ-TTg");  // its parts stay as words
  EXPECT_EQ(q->date_from, "2019-01-01");
  EXPECT_EQ(q->date_to, "2021-12-31");
  EXPECT_FALSE(ParseQuery(std::string(200, ' ') + std::string(100 * 3, '"')).ok());
}

}  // namespace
}  // namespace kholuu::indexer
