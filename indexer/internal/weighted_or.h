// A ranked OR of weighted terms with MaxScore pruning (ADR 0064), as a
// Xapian posting source. Internal to the indexer (it exposes Xapian types).
//
// Scores are those of Xapian's OP_OR of OP_SCALE_WEIGHT(term, factor) under
// BM25Weight(k1, 0, 1, b, min_normlen) — the same formula, statistics and
// upper bounds — up to the order in which a document's parts are added.
// What differs is the work: the matcher tells the source the weight a
// document needs to enter the hits (min_wt), and the source
//   - reads candidates only from the "essential" lists: the generating terms
//     whose upper bounds, with those of every weaker list, could reach
//     min_wt (a document in none of them cannot);
//   - scores a candidate's other lists in falling order of bound and stops
//     as soon as the rest cannot lift it to min_wt.
// Xapian 1.4's own OR tree only prunes when one whole side of an OR node is
// below min_wt, which in a long question (many terms of similar weight, and
// the common syllables' large joint bound under OP_AND_MAYBE) is almost
// never: it scored every document of every rare term's list.
//
// Optional terms (`generates` false) add weight to a document that matches a
// generating term and never bring one in alone: OP_AND_MAYBE(OR(generating),
// OR(optional)). With `elite` > 0 only that many generating occurrences are
// kept, those with the highest upper bound (ties: by term), as OP_ELITE_SET
// keeps that many subqueries: a term given three times can take three places.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kholuu::indexer::internal {

struct WeightedTerm {
  std::string term;
  double factor = 1.0;    // OP_SCALE_WEIGHT factor, > 0
  bool generates = true;  // false: only adds weight (OP_AND_MAYBE's right side)
};

struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
  double min_normlen = 0.5;
};

// Work done, shared by a source and its clones (for tests and benchmarks).
struct WeightedOrCounters {
  uint64_t candidates = 0;  // documents read from an essential list
  uint64_t scored = 0;      // candidates returned to the matcher
};

class WeightedOrSource final : public Xapian::PostingSource {
 public:
  // A repeated term is scored once per occurrence, as Xapian scores each
  // leaf (one list, factors added). Terms absent from the database are
  // dropped at init(). `stats` is the whole database searched: over several
  // sub-databases Xapian calls init() once per sub-database, and the terms'
  // weights, bounds and the elite are taken from `stats` (as Xapian weights
  // its own leaves) so that a document scores the same in any of them. An
  // empty `stats` means the database given to init().
  WeightedOrSource(std::vector<WeightedTerm> terms, Bm25Params params, size_t elite,
                   std::shared_ptr<WeightedOrCounters> counters = nullptr,
                   Xapian::Database stats = {});

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return tf_min_; }
  Xapian::doccount get_termfreq_est() const override { return tf_est_; }
  Xapian::doccount get_termfreq_max() const override { return tf_max_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return current_; }
  double get_weight() const override { return weight_; }
  Xapian::PostingSource* clone() const override;
  std::string get_description() const override;

  // The terms kept at init() (after merging and the elite choice), with the
  // factor each is scored with; for tests.
  std::vector<WeightedTerm> kept_terms() const;

 private:
  struct List {
    std::string term;
    double factor = 1;
    bool generates = true;
    Xapian::doccount tf = 0;  // documents holding the term
    double termweight = 0;  // idf · factor · (k1 + 1)
    double bound = 0;       // upper bound of one document's part
    Xapian::PostingIterator it, end;
    Xapian::docid did = 0;  // current posting; 0 once exhausted
  };
  // A document's part from list `l` (at its current posting) for a
  // normalised length (length / average, at least min_normlen).
  double PartAtLength(const List& l, double normlen) const;
  // Moves to the first document >= target that can reach min_wt.
  void Advance(Xapian::docid target, double min_wt);
  // Recomputes the bound sums after a list ran out.
  void Rebound();

  std::vector<WeightedTerm> terms_;
  Bm25Params params_;
  size_t elite_;
  std::shared_ptr<WeightedOrCounters> counters_;
  Xapian::Database stats_;

  std::vector<List> lists_;          // generating lists, bound ascending
  std::vector<size_t> check_order_;  // every list index, bound descending
  // The current candidate's part from each list (0 if not in it): the score
  // is summed in list order, so that it does not depend on which lists the
  // pruning made essential (one search split over threads prunes otherwise
  // than one thread, ADR 0067, and must score to the last bit alike).
  std::vector<double> parts_;
  size_t generating_ = 0;            // lists_[0, generating_) generate
  std::vector<double> gen_prefix_;   // gen_prefix_[k] = Σ bound of live generating lists < k
  double optional_bound_ = 0;        // Σ bound of live optional lists
  double len_factor_ = 0;
  double min_normlen_ = 0;  // of the shortest document in the database
  Xapian::doccount tf_min_ = 0, tf_est_ = 0, tf_max_ = 0;
  Xapian::docid current_ = 0;
  double weight_ = 0;
  bool at_end_ = true;
};

}  // namespace kholuu::indexer::internal
