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

}  // namespace kholuu::indexer::internal
