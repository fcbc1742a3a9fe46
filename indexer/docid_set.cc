#include "indexer/internal/docid_set.h"

#include <algorithm>
#include <utility>

namespace kholuu::indexer::internal {

DocidSetSource::DocidSetSource(std::shared_ptr<const std::vector<Xapian::docid>> docids,
                               std::string part_uuid)
    : docids_(std::move(docids)), part_uuid_(std::move(part_uuid)) {}

void DocidSetSource::init(const Xapian::Database& db) {
  active_ = !docids_->empty() && db.get_uuid() == part_uuid_;
  started_ = false;
  at_ = 0;
}

void DocidSetSource::next(double /*min_wt*/) {
  if (!started_) {
    started_ = true;
  } else if (at_ < active_size()) {
    ++at_;
  }
}

void DocidSetSource::skip_to(Xapian::docid did, double /*min_wt*/) {
  started_ = true;
  if (at_ >= active_size() || (*docids_)[at_] >= did) return;
  auto it = std::lower_bound(docids_->begin() + static_cast<std::ptrdiff_t>(at_), docids_->end(), did);
  at_ = static_cast<size_t>(it - docids_->begin());
}

Xapian::PostingSource* DocidSetSource::clone() const { return new DocidSetSource(docids_, part_uuid_); }

std::string DocidSetSource::get_description() const {
  return "DocidSetSource(" + std::to_string(size()) + " of " + part_uuid_ + ")";
}

DocidRangeSource::DocidRangeSource(size_t slice, size_t slices)
    : slice_(slice), slices_(std::max<size_t>(slices, 1)) {}

void DocidRangeSource::init(const Xapian::Database& db) {
  const uint64_t last = db.get_lastdocid();
  first_ = static_cast<Xapian::docid>(last * slice_ / slices_ + 1);
  last_ = static_cast<Xapian::docid>(last * (slice_ + 1) / slices_);
  size_ = first_ > last_ ? 0 : std::min<Xapian::doccount>(last_ - first_ + 1, db.get_doccount());
  at_ = 0;
}

void DocidRangeSource::next(double /*min_wt*/) { at_ = at_ == 0 ? first_ : at_ + 1; }

void DocidRangeSource::skip_to(Xapian::docid did, double /*min_wt*/) {
  at_ = std::max<uint64_t>({at_, first_, did});
}

Xapian::PostingSource* DocidRangeSource::clone() const { return new DocidRangeSource(slice_, slices_); }

std::string DocidRangeSource::get_description() const {
  return "DocidRangeSource(" + std::to_string(slice_) + " of " + std::to_string(slices_) + ")";
}

}  // namespace kholuu::indexer::internal
