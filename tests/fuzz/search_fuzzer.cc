// Fuzz target: a whole search (indexer/index.h) on a small real index. Any
// query must give a result or a Status, never crash or hang, and the
// MaxScore evaluation of ranked words (ADR 0064) must return the same hits
// with the same scores as Xapian's own operators (elite set off: with it the
// two may choose differently at a near-tie of bounds).
#include <stdlib.h>  // mkdtemp

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "indexer/index.h"

namespace {

using kholuu::indexer::IndexDocument;
using kholuu::indexer::RankingOptions;
using kholuu::indexer::Searcher;

// Sentences of real Vietnamese administrative text (the project's own
// fixtures), recombined into 300 documents with a deterministic rule.
constexpr const char* kSentences[] = {
    "Quyết định 28/2018/QĐ-TTg quy định việc gửi, nhận văn bản điện tử giữa các cơ quan",
    "trong hệ thống hành chính nhà nước",
    "Nghị định 09/2019/NĐ-CP quy định về chế độ báo cáo của cơ quan hành chính nhà nước",
    "Báo cáo nhân sự của cơ quan; văn bản điện tử không được phổ biến",
    "Bản sao văn bản, lập hồ sơ và nộp lưu hồ sơ vào lưu trữ cơ quan",
    "Người nghiện ma túy từ đủ 18 tuổi trở lên bị áp dụng biện pháp xử lý hành chính",
    "Quan hệ hôn nhân và gia đình có yếu tố nước ngoài",
    "Hợp đồng lữ hành phải được lập thành văn bản",
    "Trọng tài thương mại là phương thức giải quyết tranh chấp do các bên thỏa thuận",
    "Thời hạn bảo quản hồ sơ, tài liệu được xác định theo bảng thời hạn bảo quản",
    "Tài liệu hết giá trị được tiêu hủy theo quyết định của người đứng đầu cơ quan",
    "Hoà giải ở cơ sở được thực hiện theo nguyên tắc tự nguyện",
};
constexpr size_t kSentenceCount = sizeof(kSentences) / sizeof(kSentences[0]);

struct Index {
  std::string dir;
  std::unique_ptr<Searcher> maxscore, xapian;
  std::unique_ptr<Searcher> sliced;  // MaxScore over 3 threads (ADR 0067)
};

std::string g_scratch;  // removed at exit

Index* Build() {
  char tmpl[] = "/tmp/kholuu-search-fuzz-XXXXXX";
  KHOLUU_CHECK(::mkdtemp(tmpl) != nullptr);
  g_scratch = tmpl;
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(g_scratch, ec);
  });
  auto* index = new Index{std::string(tmpl) + "/i", nullptr, nullptr, nullptr};
  auto w = kholuu::indexer::IndexWriter::Open(index->dir);
  KHOLUU_CHECK(w.ok());
  for (size_t i = 0; i < 300; ++i) {
    IndexDocument d;
    d.id = "d" + std::to_string(i);
    d.subject = kSentences[i % kSentenceCount];
    for (size_t k = 0; k < 1 + i % 5; ++k) {
      d.body += kSentences[(i * 7 + k * 3) % kSentenceCount];
      d.body += ". ";
    }
    d.issued_date = std::to_string(2010 + i % 15) + "-01-01";
    d.access_level = 1 + static_cast<int32_t>(i % 3);
    d.agency_id = i % 2 == 0 ? "G22" : "G09";
    d.type_name = i % 4 == 0 ? "Quyết định" : "Công văn";
    KHOLUU_CHECK((*w)->Put(d).ok());
  }
  KHOLUU_CHECK((*w)->Commit().ok());
  RankingOptions on, off;
  on.elite_terms = off.elite_terms = 0;
  off.maxscore = false;
  auto a = Searcher::Open(index->dir, on);
  auto b = Searcher::Open(index->dir, off);
  auto c = Searcher::Open(index->dir, on, {.threads = 3, .min_docs_per_thread = 1});
  KHOLUU_CHECK(a.ok() && b.ok() && c.ok());
  index->maxscore = std::move(*a);
  index->xapian = std::move(*b);
  index->sliced = std::move(*c);
  return index;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Index* index = Build();
  // First byte: limit and visible levels; the rest is the query.
  uint8_t opts = size > 0 ? data[0] : 0;
  std::string_view q = size > 0 ? std::string_view(reinterpret_cast<const char*>(data + 1), size - 1)
                                : std::string_view();
  kholuu::indexer::SearchRequest req;
  req.query = std::string(q);
  req.limit = 1 + (opts & 0x1F);
  req.access_levels = {1};
  if (opts & 0x20) req.access_levels.push_back(2);
  if (opts & 0x40) req.access_levels.push_back(3);
  req.facets = (opts & 0x80) != 0;
  auto a = index->maxscore->Search(req);
  auto b = index->xapian->Search(req);
  KHOLUU_CHECK(a.ok() == b.ok());
  if (!a.ok()) return 0;
  KHOLUU_CHECK(a->hits.size() == b->hits.size());
  for (size_t i = 0; i < a->hits.size(); ++i) {
    KHOLUU_CHECK(std::fabs(a->hits[i].score - b->hits[i].score) <= 1e-9 * (1 + b->hits[i].score));
  }
  if (req.facets) KHOLUU_CHECK(a->facets == b->facets);
  // Sliced over threads: exactly the same page, scores and, with facets
  // (every match examined), the same totals and counts.
  auto c = index->sliced->Search(req);
  KHOLUU_CHECK(c.ok() && c->hits.size() == a->hits.size());
  for (size_t i = 0; i < a->hits.size(); ++i) {
    KHOLUU_CHECK(c->hits[i].document == a->hits[i].document && c->hits[i].score == a->hits[i].score);
  }
  if (req.facets) KHOLUU_CHECK(c->facets == a->facets && c->total_estimate == a->total_estimate);
  return 0;
}
