// Document-id sets as Xapian posting sources. Internal to the indexer (they
// expose Xapian types).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kholuu::indexer::internal {

// A fixed, sorted set of document ids of one database part: OP_AND_NOT by it
// hides the documents of a read-only base index that were replaced or
// deleted after it was built (ADR 0066).
class DocidSetSource final : public Xapian::PostingSource {
 public:
  // `docids` are ids local to the database part whose UUID is `part_uuid`;
  // in any other part (init() is called once per part) the set is empty.
  // Weight 0. The vector is shared by the clones, never copied.
  DocidSetSource(std::shared_ptr<const std::vector<Xapian::docid>> docids, std::string part_uuid);

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return size(); }
  Xapian::doccount get_termfreq_est() const override { return size(); }
  Xapian::doccount get_termfreq_max() const override { return size(); }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return !started_ || at_ >= active_size(); }
  Xapian::docid get_docid() const override { return (*docids_)[at_]; }
  Xapian::PostingSource* clone() const override;
  std::string get_description() const override;

 private:
  size_t active_size() const { return active_ ? docids_->size() : 0; }
  Xapian::doccount size() const { return static_cast<Xapian::doccount>(active_size()); }

  std::shared_ptr<const std::vector<Xapian::docid>> docids_;
  std::string part_uuid_;
  bool active_ = false;   // init() was given the part the ids belong to
  bool started_ = false;  // next() or skip_to() was called
  size_t at_ = 0;
};

// Slice `slice` of `slices` of each database part's ids: in a part whose
// last id is L (init() is called once per part) the ids in
// (L * slice / slices, L * (slice + 1) / slices]. OP_FILTER by each slice in
// turn splits one query into disjoint shares that together match what it
// matches (ADR 0067). Ids not in use are matched too, which is harmless
// under OP_FILTER (they match nothing else). Weight 0.
class DocidRangeSource final : public Xapian::PostingSource {
 public:
  DocidRangeSource(size_t slice, size_t slices);

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return size_; }
  Xapian::doccount get_termfreq_max() const override { return size_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return at_ > last_; }
  Xapian::docid get_docid() const override { return static_cast<Xapian::docid>(at_); }
  Xapian::PostingSource* clone() const override;
  std::string get_description() const override;

 private:
  size_t slice_, slices_;
  Xapian::docid first_ = 1, last_ = 0;  // this part's slice; empty if first_ > last_
  Xapian::doccount size_ = 0;           // at most the part's document count
  uint64_t at_ = 0;                     // 0: not started (64 bits: no wrap at the last id)
};

}  // namespace kholuu::indexer::internal
