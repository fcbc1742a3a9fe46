// The full-text index (Xapian, one directory). One IndexWriter per index at a
// time (Xapian's lock, across processes); any number of Searchers, each of
// which sees the last commit and can Reopen() to see newer ones.
// Term and value layout: docs/search.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "archive/model/document.h"

namespace kholuu::indexer {

// What the index knows about one document. Plain values; text fields may be
// in any supported encoding (they go through RepairEncoding and Analyze).
struct IndexDocument {
  std::string id;                 // unique; indexing the same id again replaces it
  std::string record_file;        // hồ sơ id (boolean filter)
  std::string record_file_title;  // tiêu đề hồ sơ (field "file")
  std::string code;               // số, ký hiệu, e.g. "28/2018/QĐ-TTg"
  std::string type_name;         // tên loại: Quyết định, Công văn, ... (field "type", facet)
  std::string subject;           // trích yếu (field "subject", weighted higher)
  std::string body;              // full text
  std::string agency_id;         // mã định danh (boolean filter)
  std::string agency_name;       // field "agency", facet
  std::string signer;            // field "signer"
  std::string issued_date;       // YYYY-MM-DD ("" if unknown): value slot, year facet
  int64_t ingest_micros = 0;
  int32_t page_count = 0;
  int32_t access_level = 1;      // model::AccessLevel value (1 public, 2 conditional, 3 secret)
};

// The indexable fields of a catalog document plus its extracted text.
IndexDocument FromModel(const model::Document& d, std::string body, std::string record_file_title);

// Ranking knobs. The defaults are what cross-validation chose on the ALQAC
// training questions (ADR 0073, docs/benchmarks-search.md); subject_wdf and
// file_title_wdf are index-time (a change needs `kholuu reindex`).
struct RankingOptions {
  double bigram_weight = 0.5;       // exact/folded syllable bigrams relative to syllables
  double folded_weight = 0.3;       // folded syllables when the query has diacritics
  double subject_wdf = 2;           // extra within-document frequency for subject syllables
  // ... for record-file title syllables in the general text; 0: the title is
  // only in the "file" field (file:word), not in plain-word ranking. 1: a
  // plain-word search finds a document by its hồ sơ's title too (what
  // archivists expect; within the cross-validation noise, ADR 0073).
  double file_title_wdf = 1;
  double docnumber_weight = 8.0;    // an exact document-number match
  bool question_stopwords = true;   // drop question phrasing ("đúng hay sai", "nào sau đây")
  double k1 = 1.2, b = 0.75;        // BM25
  // In queries of at least long_query_tokens syllables, terms found in more
  // than this fraction of all documents only add weight to documents that
  // match a rarer term of the query (OP_AND_MAYBE); 0 turns this off.
  double common_df = 0.05;
  size_t long_query_tokens = 6;
  // In such queries, of the rarer terms (syllables, folded syllables and
  // bigrams) only the elite_terms with the highest possible weight are
  // matched (OP_ELITE_SET; 10 is Xapian's own default); 0 keeps them all.
  size_t elite_terms = 10;
  // Evaluate the ranked words of a query with MaxScore pruning (ADR 0064):
  // the same ranking, less work; false builds Xapian's OR tree instead.
  bool maxscore = true;
};

// Not thread-safe: one owner thread (PutMany runs a helper thread of its own).
class IndexWriter {
 public:
  // Opens or creates the index in `dir`. Errors: kUnavailable if another
  // writer holds the lock; kDataLoss if the index is corrupt; kInternal else.
  // Errors: kFailedPrecondition if the index has another format (an older
  // build wrote it; `kholuu reindex` rebuilds it).
  static Result<std::unique_ptr<IndexWriter>> Open(const std::string& dir,
                                                   RankingOptions ranking = {});
  // Creates a new index in `dir` (which must not exist, or be empty) for a
  // one-pass load that nobody reads before it is complete, e.g. a rebuild
  // that is then renamed into place: Xapian's DB_DANGEROUS and DB_NO_SYNC,
  // new ids added without a lookup. PutMany analyses and writes on `threads`
  // threads (at most kMaxRebuildThreads; documents go by a hash of their id),
  // each writing a run of segment databases under dir/shards/N (ADR 0035,
  // 0062; see set_rebuild_segments). The first Commit() merges every segment
  // into `dir` with Xapian's compactor, removes dir/shards and syncs the
  // whole directory; after it the writer works as Open() on `dir`. Nothing
  // is durable before that Commit(); if the process dies before, discard the
  // directory, and a writer destroyed before it merges nothing. Errors:
  // kFailedPrecondition if `dir` is not empty; as Open.
  static constexpr size_t kMaxRebuildThreads = 8;
  static Result<std::unique_ptr<IndexWriter>> OpenForRebuild(const std::string& dir,
                                                             RankingOptions ranking = {},
                                                             size_t threads = 1);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds or replaces the document with d.id. Commits by itself every
  // `batch_size` changes (default 1000). Errors: kInvalidArgument for an
  // empty id; Xapian errors as in Open.
  Status Put(const IndexDocument& d);
  // Put() of each document in order, faster for many documents: a second
  // thread analyses documents ahead of this one, which writes them. Stops at
  // the first error and returns it; the documents before it are indexed
  // (and committed by the batch rule as with Put). In a rebuild with several
  // threads (OpenForRebuild), one thread per shard analyses and writes that
  // shard's documents; on an error the others stop at their next document,
  // so an unknown subset is indexed (a failed rebuild is discarded anyway).
  // Errors: as Put.
  Status PutMany(std::span<const IndexDocument> docs);
  // Removes the document with this id; kNotFound if there is none.
  Status Delete(const std::string& id);
  // Makes every change so far durable and visible to searchers.
  Status Commit();
  // Changes per automatic commit of Put/PutMany/Delete (not in a rebuild
  // before its first Commit(): see set_rebuild_segments).
  void set_batch_size(size_t n) { batch_size_ = n == 0 ? 1 : n; }
  // A rebuild (before its first Commit()) writes each thread's documents as
  // a run of small databases, `segment_docs` documents each, flushed every
  // `flush_docs` documents; Commit() merges them all (ADR 0062). Xapian's
  // in-memory buffer then stays small enough for the CPU caches, and the
  // merge is linear in the index size. For tuning and tests; the defaults
  // were measured (docs/benchmarks-search.md).
  static constexpr size_t kRebuildSegmentDocs = 20000;
  static constexpr size_t kRebuildFlushDocs = 500;
  static constexpr size_t kMaxMergeInputs = 32;
  void set_rebuild_segments(size_t segment_docs, size_t flush_docs) {
    segment_docs_ = segment_docs == 0 ? 1 : segment_docs;
    segment_flush_ = flush_docs == 0 ? 1 : flush_docs;
  }
  // Encodings repaired so far ("tcvn3" -> count), for reports.
  const std::map<std::string, size_t>& repaired() const { return repaired_; }

 private:
  struct Impl;
  struct Shard;     // one database being written (index.cc)
  struct Prepared;  // an analysed document (index.cc)
  explicit IndexWriter(std::unique_ptr<Impl> impl);
  // Analysis only: no database access, safe on any thread.
  static Prepared Prepare(const IndexDocument& d, const RankingOptions& r);
  static void BuildDocument(const IndexDocument& d, const RankingOptions& r, Prepared& p);
  size_t ShardOf(const std::string& id) const;
  Status Apply(Shard& s, Prepared& p, std::map<std::string, size_t>& repaired);
  Status PutManyParallel(std::span<const IndexDocument> docs);
  Status CommitShard(Shard& s, bool sync);  // sync: also fsync a rebuild's files
  Status MergeShards();
  // Rebuild segments (ADR 0062).
  Status ApplyToSegment(Shard& s, Prepared& p, std::map<std::string, size_t>& repaired);
  Status OpenSegment(Shard& s);
  Status CloseSegment(Shard& s);
  std::unique_ptr<Impl> impl_;
  size_t batch_size_ = 1000;
  size_t segment_docs_ = kRebuildSegmentDocs;
  size_t segment_flush_ = kRebuildFlushDocs;
  std::map<std::string, size_t> repaired_;
};

struct SearchRequest {
  std::string query;
  size_t offset = 0;                 // at most 100,000: deeper, refine the query
  size_t limit = 10;                 // at most 1000
  enum class Sort { kRelevance, kDateDesc, kDateAsc } sort = Sort::kRelevance;
  // Access control, applied inside the query so hits, totals and facets only
  // ever count documents the caller may open. Empty access_levels means
  // nothing is visible. Empty agencies means every agency.
  std::vector<int32_t> access_levels = {1};
  std::vector<std::string> agencies;
  // Extra filters (ANDed): agency id, exact type name, issue-date bounds.
  std::string agency_filter;
  std::string type_filter;
  std::string date_from;  // YYYY-MM-DD
  std::string date_to;
  bool facets = false;
};

struct SearchHit {
  std::string document;
  std::string record_file;
  double score = 0;
  std::string code;
  std::string subject;
  std::string issued_date;
  // ~200 characters of the text around the best match; matched syllables
  // wrapped in <mark>...</mark>; the text itself is HTML-escaped.
  std::string snippet;
};

struct SearchResults {
  uint64_t total_estimate = 0;
  // True when total_estimate is the exact number of matches (Xapian's lower
  // and upper bounds agree in every slice), false when it is an estimate.
  bool total_exact = false;
  std::vector<SearchHit> hits;
  // facet name ("agency", "type", "year") -> value -> count of matching
  // documents among those examined (every match up to 100,000).
  std::map<std::string, std::map<std::string, uint64_t>> facets;
};

// How one search is spread over threads (ADR 0067): the index's document
// ids are cut into `threads` slices, each searched on its own thread with
// its own database handle, and the slices' best hits merged. The results
// are those of a single thread: the same hits, scores, order, totals and
// facets. Worth it while cores are idle (one search at a time); under many
// concurrent searches it only adds the threads' overhead, so a server
// running many at once should set threads to 1.
struct SearchParallelism {
  static constexpr size_t kMaxThreads = 8;
  size_t threads = 0;                  // 0: one per CPU, at most 4; at most kMaxThreads
  size_t min_docs_per_thread = 50000;  // fewer threads for a smaller index
};

// Not thread-safe: use one Searcher per thread (it runs helper threads of
// its own, see SearchParallelism).
class Searcher {
 public:
  // Errors: kNotFound if there is no index in `dir`; kFailedPrecondition if
  // it has another format; as IndexWriter::Open.
  static Result<std::unique_ptr<Searcher>> Open(const std::string& dir, RankingOptions ranking = {},
                                                SearchParallelism parallel = {});
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Errors: kInvalidArgument for a query ParseQuery rejects, limit > 1000 or
  // offset > 100,000.
  Result<SearchResults> Search(const SearchRequest& req);
  // Moves to the latest commit (every thread's handle to the same one).
  Status Reopen();
  uint64_t doc_count() const;
  // Threads one search runs on (SearchParallelism and the index's size).
  size_t threads() const;

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kholuu::indexer
