// A Merkle tree over the audit log, so that one short proof shows an entry
// is in the log an anchor (ingest/anchor.h) fixed, without the whole log.
//
// The tree is RFC 9162 §2.1's: leaf i (0-based) is audit entry seq i+1 and
// its data is that entry's 32-byte hash, so
//   leaf hash  = SHA-256(0x00 || entry hash)
//   node hash  = SHA-256(0x01 || left || right)
//   root(n)    = RFC 9162 MTH of the first n leaves (SHA-256("") for n = 0)
// and an inclusion proof is RFC 9162 §2.1.3's audit path. See
// docs/formats/storage.md "Audit tree and anchors".
#pragma once

#include <cstdint>
#include <vector>

#include "archive/base/sha256.h"
#include "archive/base/status.h"

namespace kholuu::archive {

Sha256 AuditLeafHash(const Sha256& entry_hash);
Sha256 AuditNodeHash(const Sha256& left, const Sha256& right);

// Roots of growing prefixes in O(log n) memory: Add the entry hashes in
// order; Root() is the root of those added so far.
class AuditTreeBuilder {
 public:
  void Add(const Sha256& entry_hash);
  uint64_t size() const { return size_; }
  Sha256 Root() const;

 private:
  // Roots of the perfect subtrees the leaves so far split into, largest
  // (leftmost) first: one per bit set in size_.
  std::vector<Sha256> peaks_;
  uint64_t size_ = 0;
};

// The whole tree in memory (2n hashes), for inclusion proofs.
class AuditTree {
 public:
  explicit AuditTree(const std::vector<Sha256>& entry_hashes);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }

  // Root of the first n leaves. Errors: kInvalidArgument when n > size().
  Result<Sha256> Root(uint64_t n) const;
  // The audit path of leaf `index` in the tree of the first n leaves,
  // nearest sibling first. Errors: kInvalidArgument unless index < n <= size().
  Result<std::vector<Sha256>> InclusionProof(uint64_t index, uint64_t n) const;

 private:
  Sha256 Range(uint64_t begin, uint64_t end) const;  // MTH of leaves [begin, end)
  // levels_[j][i]: root of the perfect subtree of leaves [i*2^j, (i+1)*2^j).
  std::vector<std::vector<Sha256>> levels_;
};

// One step of a checked proof: parent = AuditNodeHash(left, right), where the
// child computed so far is `right` when sibling_is_left, else `left`.
struct ProofStep {
  Sha256 sibling;
  bool sibling_is_left = false;
  Sha256 parent;
};

// Checks that `proof` leads from the entry hash at leaf `index` to `root`
// of a tree of n leaves (RFC 9162 §2.1.3.2) and returns the steps taken, for
// showing the path to someone checking it by hand. Errors: kInvalidArgument
// when index >= n or the proof has the wrong length for (index, n);
// kDataLoss when the path does not reach `root`.
Result<std::vector<ProofStep>> CheckInclusion(const Sha256& entry_hash, uint64_t index, uint64_t n,
                                              const std::vector<Sha256>& proof, const Sha256& root);

}  // namespace kholuu::archive
