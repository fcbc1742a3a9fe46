// A fixed, sorted set of document ids of one database part, as a Xapian
// posting source: OP_AND_NOT by it hides the documents of a read-only base
// index that were replaced or deleted after it was built (ADR 0066).
// Internal to the indexer (it exposes Xapian types).
#pragma once

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

namespace kholuu::indexer::internal {

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

}  // namespace kholuu::indexer::internal
