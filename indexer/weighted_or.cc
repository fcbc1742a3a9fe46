#include "indexer/internal/weighted_or.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace kholuu::indexer::internal {

namespace {
// Bounds are widened by this much so that rounding in a sum of parts can
// never make a document score above the bound that skipped it.
constexpr double kBoundSlack = 1e-9;
}  // namespace

WeightedOrSource::WeightedOrSource(std::vector<WeightedTerm> terms, Bm25Params params, size_t elite,
                                   std::shared_ptr<WeightedOrCounters> counters,
                                   Xapian::Database stats)
    : params_(params), elite_(elite), counters_(std::move(counters)), stats_(std::move(stats)) {
  for (WeightedTerm& t : terms) {
    if (t.factor > 0) terms_.push_back(std::move(t));
  }
}

Xapian::PostingSource* WeightedOrSource::clone() const {
  return new WeightedOrSource(terms_, params_, elite_, counters_, stats_);
}

std::string WeightedOrSource::get_description() const {
  std::string d = "WeightedOrSource(";
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (i > 0) d += ' ';
    d += terms_[i].term;
    if (!terms_[i].generates) d += "?";
  }
  return d + ")";
}

std::vector<WeightedTerm> WeightedOrSource::kept_terms() const {
  std::vector<WeightedTerm> out;
  for (const List& l : lists_) out.push_back({l.term, l.factor, l.generates});
  return out;
}

double WeightedOrSource::PartAtLength(const List& l, double normlen) const {
  double wdf = l.it.get_wdf();
  double denom = params_.k1 * (normlen * params_.b + (1 - params_.b)) + wdf;
  return l.termweight * (wdf / denom);
}

void WeightedOrSource::init(const Xapian::Database& db) {
  lists_.clear();
  check_order_.clear();
  current_ = 0;
  weight_ = 0;
  // Weights and bounds from the whole database (valid bounds in each part:
  // its wdf and length bounds are the extremes over all parts); postings and
  // frequency estimates from this part.
  const bool whole = stats_.size() == 0;
  const Xapian::Database& all = whole ? db : stats_;
  const double n = all.get_doccount();
  double avlen = all.get_avlength();
  len_factor_ = (params_.b == 0 || params_.k1 == 0 || avlen == 0) ? 0 : 1 / avlen;
  const double doclen_lb = all.get_doclength_lower_bound();
  min_normlen_ = std::max(doclen_lb * len_factor_, params_.min_normlen);

  std::vector<List> gen, opt;
  for (const WeightedTerm& t : terms_) {
    Xapian::doccount tf = all.get_termfreq(t.term);
    if (tf == 0) continue;
    List l;
    l.term = t.term;
    l.factor = t.factor;
    l.generates = t.generates;
    l.tf = tf;
    // BM25Weight::init with k3 = 1 and wqf = 1 (whose factor is 1).
    double tw = (n - tf + 0.5) / (tf + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    l.termweight = std::log(tw) * t.factor * (params_.k1 + 1);
    // BM25Weight::get_maxpart: the part at wdf = wdf_max, length as short
    // as a document holding it can be.
    double wdf_max = all.get_wdf_upper_bound(t.term);
    double denom = params_.k1;
    if (params_.k1 != 0 && params_.b != 0) {
      double normlen_lb = std::max(std::max(wdf_max, doclen_lb) * len_factor_, params_.min_normlen);
      denom *= normlen_lb * params_.b + (1 - params_.b);
    }
    denom += wdf_max;
    l.bound = l.termweight * (wdf_max / denom) * (1 + kBoundSlack);
    (t.generates ? gen : opt).push_back(std::move(l));
  }
  // The elite: the generating occurrences that can weigh most, a repeated
  // term competing once per occurrence as under OP_ELITE_SET.
  auto by_bound_desc = [](const List& a, const List& b) {
    return a.bound != b.bound ? a.bound > b.bound : a.term < b.term;
  };
  if (elite_ > 0 && gen.size() > elite_) {
    std::stable_sort(gen.begin(), gen.end(), by_bound_desc);
    gen.resize(elite_);
  }
  // Then one list per term: parts and bounds are linear in the factor.
  auto merge = [](std::vector<List>& ls) {
    std::map<std::string, size_t> at;
    std::vector<List> out;
    for (List& l : ls) {
      auto [it, inserted] = at.try_emplace(l.term, out.size());
      if (inserted) {
        out.push_back(std::move(l));
      } else {
        List& m = out[it->second];
        m.factor += l.factor;
        m.termweight += l.termweight;
        m.bound += l.bound;
      }
    }
    ls = std::move(out);
  };
  merge(gen);
  merge(opt);
  std::sort(gen.begin(), gen.end(), [&](const List& a, const List& b) { return by_bound_desc(b, a); });
  generating_ = gen.size();
  for (List& l : gen) lists_.push_back(std::move(l));
  for (List& l : opt) lists_.push_back(std::move(l));

  // Frequencies of the union of the generating lists, in this part.
  tf_min_ = 0;
  const double part_n = whole ? n : db.get_doccount();
  double sum = 0, none = 1;
  for (size_t i = 0; i < generating_; ++i) {
    Xapian::doccount tf = whole ? lists_[i].tf : db.get_termfreq(lists_[i].term);
    tf_min_ = std::max(tf_min_, tf);
    sum += tf;
    if (part_n > 0) none *= 1 - tf / part_n;
  }
  tf_max_ = static_cast<Xapian::doccount>(std::min(sum, part_n));
  tf_est_ = std::clamp(static_cast<Xapian::doccount>(std::llround(part_n * (1 - none))), tf_min_, tf_max_);

  for (List& l : lists_) {
    l.it = db.postlist_begin(l.term);
    l.end = db.postlist_end(l.term);
    l.did = l.it == l.end ? 0 : *l.it;
  }
  parts_.assign(lists_.size(), 0);
  check_order_.resize(lists_.size());
  for (size_t i = 0; i < lists_.size(); ++i) check_order_[i] = i;
  std::sort(check_order_.begin(), check_order_.end(), [&](size_t a, size_t b) {
    return by_bound_desc(lists_[a], lists_[b]);
  });
  Rebound();
  at_end_ = generating_ == 0;
}

void WeightedOrSource::Rebound() {
  gen_prefix_.assign(generating_ + 1, 0);
  for (size_t i = 0; i < generating_; ++i) {
    gen_prefix_[i + 1] = gen_prefix_[i] + (lists_[i].did != 0 ? lists_[i].bound : 0);
  }
  optional_bound_ = 0;
  for (size_t i = generating_; i < lists_.size(); ++i) {
    if (lists_[i].did != 0) optional_bound_ += lists_[i].bound;
  }
  set_maxweight(gen_prefix_[generating_] + optional_bound_);
}

void WeightedOrSource::next(double min_wt) { Advance(current_ + 1, min_wt); }

void WeightedOrSource::skip_to(Xapian::docid did, double min_wt) {
  if (did <= current_ && !at_end_ && current_ != 0) return;
  Advance(did, min_wt);
}

void WeightedOrSource::Advance(Xapian::docid target, double min_wt) {
  bool died = false;  // a list ran out: the bound sums must be redone
  auto move = [&died](List& l, Xapian::docid to) {
    if (l.did != 0 && l.did < to) {
      l.it.skip_to(to);
      l.did = l.it == l.end ? 0 : *l.it;
      died = died || l.did == 0;
    }
    return l.did;
  };
  while (true) {
    // Non-essential generating lists: the weakest ones whose bounds, with
    // every optional list's, stay below min_wt.
    size_t ne = 0;
    while (ne < generating_ && gen_prefix_[ne + 1] + optional_bound_ < min_wt) ++ne;
    Xapian::docid d = 0;
    for (size_t i = ne; i < generating_; ++i) {
      Xapian::docid x = move(lists_[i], target);
      if (x != 0 && (d == 0 || x < d)) d = x;
    }
    if (died) {
      died = false;
      Rebound();
      if (d == 0) continue;  // the split may have moved: look again
    }
    if (d == 0) {
      at_end_ = true;
      current_ = 0;
      weight_ = 0;
      return;
    }
    if (counters_) ++counters_->candidates;
    // The essential lists' parts. Their wdfs bound them before the length
    // is read (the length lookup is most of a candidate's cost): at the
    // shortest length any document can have.
    double rest = gen_prefix_[ne] + optional_bound_;
    if (min_wt > 0) {
      double most = 0;
      for (size_t i = ne; i < generating_; ++i) {
        if (lists_[i].did == d) most += PartAtLength(lists_[i], min_normlen_);
      }
      if (most * (1 + kBoundSlack) + rest < min_wt) {
        target = d + 1;
        continue;
      }
    }
    double normlen = 0;
    bool have_len = false;
    double score = 0;
    std::fill(parts_.begin(), parts_.end(), 0.0);
    for (size_t i = ne; i < generating_; ++i) {
      List& l = lists_[i];
      if (l.did != d) continue;
      if (!have_len) {
        normlen = std::max(l.it.get_doclength() * len_factor_, params_.min_normlen);
        have_len = true;
      }
      parts_[i] = PartAtLength(l, normlen);
      score += parts_[i];
    }
    // The others, strongest first, while they can still matter.
    bool rejected = false;
    for (size_t idx : check_order_) {
      if (idx >= ne && idx < generating_) continue;  // essential: done above
      List& l = lists_[idx];
      if (l.did == 0) continue;
      if (score + rest < min_wt) {
        rejected = true;
        break;
      }
      rest -= l.bound;
      if (move(l, d) == d) {
        parts_[idx] = PartAtLength(l, normlen);
        score += parts_[idx];
      }
    }
    if (died) {
      died = false;
      Rebound();
    }
    if (rejected || score < min_wt) {
      target = d + 1;
      continue;
    }
    if (counters_) ++counters_->scored;
    current_ = d;
    weight_ = 0;
    for (double part : parts_) weight_ += part;
    at_end_ = false;
    return;
  }
}

}  // namespace kholuu::indexer::internal
