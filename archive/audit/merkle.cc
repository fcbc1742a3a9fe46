#include "archive/audit/merkle.h"

#include <bit>
#include <string>

namespace kholuu::archive {
namespace {

// The largest power of two smaller than n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

}  // namespace

Sha256 AuditLeafHash(const Sha256& entry_hash) {
  Sha256Hasher h;
  const char prefix = 0x00;
  h.Update(&prefix, 1);
  h.Update(entry_hash.raw());
  return h.Finish();
}

Sha256 AuditNodeHash(const Sha256& left, const Sha256& right) {
  Sha256Hasher h;
  const char prefix = 0x01;
  h.Update(&prefix, 1);
  h.Update(left.raw());
  h.Update(right.raw());
  return h.Finish();
}

void AuditTreeBuilder::Add(const Sha256& entry_hash) {
  // A binary counter whose digits are subtree roots: each set low bit of
  // size_ merges with the carry.
  Sha256 carry = AuditLeafHash(entry_hash);
  for (uint64_t s = size_; s & 1; s >>= 1) {
    carry = AuditNodeHash(peaks_.back(), carry);
    peaks_.pop_back();
  }
  peaks_.push_back(carry);
  ++size_;
}

Sha256 AuditTreeBuilder::Root() const {
  if (peaks_.empty()) return Sha256Of("");
  // MTH splits at the largest power of two, so the root folds the peaks
  // from the right.
  Sha256 r = peaks_.back();
  for (size_t i = peaks_.size() - 1; i-- > 0;) r = AuditNodeHash(peaks_[i], r);
  return r;
}

AuditTree::AuditTree(const std::vector<Sha256>& entry_hashes) {
  if (entry_hashes.empty()) return;
  levels_.emplace_back();
  levels_[0].reserve(entry_hashes.size());
  for (const Sha256& e : entry_hashes) levels_[0].push_back(AuditLeafHash(e));
  while (levels_.back().size() >= 2) {
    const std::vector<Sha256>& below = levels_.back();
    std::vector<Sha256> up;
    up.reserve(below.size() / 2);
    for (size_t i = 0; i + 1 < below.size(); i += 2) up.push_back(AuditNodeHash(below[i], below[i + 1]));
    levels_.push_back(std::move(up));
  }
}

Sha256 AuditTree::Range(uint64_t begin, uint64_t end) const {
  const uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    return levels_[static_cast<size_t>(std::countr_zero(n))][static_cast<size_t>(begin / n)];
  }
  const uint64_t k = SplitPoint(n);
  return AuditNodeHash(Range(begin, begin + k), Range(begin + k, end));
}

Result<Sha256> AuditTree::Root(uint64_t n) const {
  if (n > size()) {
    return InvalidArgumentError("audit tree has " + std::to_string(size()) + " leaves, not " + std::to_string(n));
  }
  if (n == 0) return Sha256Of("");
  return Range(0, n);
}

Result<std::vector<Sha256>> AuditTree::InclusionProof(uint64_t index, uint64_t n) const {
  if (n > size() || index >= n) {
    return InvalidArgumentError("no leaf " + std::to_string(index) + " in a tree of " + std::to_string(n) +
                                " of " + std::to_string(size()) + " leaves");
  }
  // Walk down from the root, collecting the sibling at each split; the
  // proof lists them from the leaf up.
  std::vector<Sha256> top_down;
  uint64_t begin = 0, end = n;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    if (index < begin + k) {
      top_down.push_back(Range(begin + k, end));
      end = begin + k;
    } else {
      top_down.push_back(Range(begin, begin + k));
      begin += k;
    }
  }
  return std::vector<Sha256>(top_down.rbegin(), top_down.rend());
}

Result<std::vector<ProofStep>> CheckInclusion(const Sha256& entry_hash, uint64_t index, uint64_t n,
                                              const std::vector<Sha256>& proof, const Sha256& root) {
  if (index >= n) {
    return InvalidArgumentError("leaf " + std::to_string(index) + " is outside a tree of " + std::to_string(n));
  }
  uint64_t fn = index, sn = n - 1;
  Sha256 r = AuditLeafHash(entry_hash);
  std::vector<ProofStep> steps;
  for (const Sha256& p : proof) {
    if (sn == 0) return InvalidArgumentError("inclusion proof is longer than the tree is deep");
    ProofStep step;
    step.sibling = p;
    if ((fn & 1) || fn == sn) {
      step.sibling_is_left = true;
      r = AuditNodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = AuditNodeHash(r, p);
    }
    step.parent = r;
    steps.push_back(step);
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return InvalidArgumentError("inclusion proof is shorter than the tree is deep");
  if (r != root) return DataLossError("inclusion proof leads to " + r.ToHex() + ", not the root " + root.ToHex());
  return steps;
}

}  // namespace kholuu::archive
