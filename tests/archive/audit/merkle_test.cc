// The audit tree against RFC 9162's recursive definition of the tree hash
// and audit path, written out plainly here, for every tree size up to 70
// and every leaf; and proofs that must fail.
#include "archive/audit/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kholuu::archive {
namespace {

std::vector<Sha256> Entries(uint64_t n) {
  std::vector<Sha256> v;
  for (uint64_t i = 0; i < n; ++i) v.push_back(Sha256Of("entry " + std::to_string(i)));
  return v;
}

Sha256 H(std::string_view bytes) { return Sha256Of(bytes); }

// RFC 9162 §2.1.1 MTH, literally.
Sha256 Mth(const std::vector<Sha256>& d, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n == 0) return H("");
  if (n == 1) return H(std::string(1, '\0') + std::string(d[begin].raw()));
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return H(std::string(1, '\1') + std::string(Mth(d, begin, begin + k).raw()) +
           std::string(Mth(d, begin + k, end).raw()));
}

// RFC 9162 §2.1.3.1 PATH, literally.
std::vector<Sha256> Path(const std::vector<Sha256>& d, size_t m, size_t begin, size_t end) {
  const size_t n = end - begin;
  if (n <= 1) return {};
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::vector<Sha256> p;
  if (m < k) {
    p = Path(d, m, begin, begin + k);
    p.push_back(Mth(d, begin + k, end));
  } else {
    p = Path(d, m - k, begin + k, end);
    p.push_back(Mth(d, begin, begin + k));
  }
  return p;
}

TEST(AuditTreeTest, RootsAndProofsMatchTheRfcDefinition) {
  const std::vector<Sha256> all = Entries(70);
  AuditTree tree(all);
  AuditTreeBuilder builder;
  ASSERT_EQ(builder.Root(), H(""));
  for (uint64_t n = 1; n <= all.size(); ++n) {
    builder.Add(all[n - 1]);
    const Sha256 want = Mth(all, 0, n);
    ASSERT_EQ(builder.Root(), want) << n;
    ASSERT_EQ(*tree.Root(n), want) << n;
    for (uint64_t m = 0; m < n; ++m) {
      auto proof = tree.InclusionProof(m, n);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      ASSERT_EQ(*proof, Path(all, m, 0, n)) << m << " of " << n;
      auto steps = CheckInclusion(all[m], m, n, *proof, want);
      ASSERT_TRUE(steps.ok()) << m << " of " << n << ": " << steps.status().ToString();
      ASSERT_EQ(steps->size(), proof->size());
      if (!steps->empty()) {
        EXPECT_EQ(steps->back().parent, want);
      }
    }
  }
  EXPECT_EQ(*tree.Root(0), H(""));
}

TEST(AuditTreeTest, StepsShowEachParentAsItsTwoChildren) {
  const std::vector<Sha256> all = Entries(13);
  AuditTree tree(all);
  const Sha256 root = *tree.Root(13);
  auto proof = tree.InclusionProof(6, 13);
  ASSERT_TRUE(proof.ok());
  auto steps = CheckInclusion(all[6], 6, 13, *proof, root);
  ASSERT_TRUE(steps.ok());
  Sha256 child = AuditLeafHash(all[6]);
  for (const ProofStep& s : *steps) {
    EXPECT_EQ(s.parent, s.sibling_is_left ? AuditNodeHash(s.sibling, child) : AuditNodeHash(child, s.sibling));
    child = s.parent;
  }
}

TEST(AuditTreeTest, WrongProofsFail) {
  const std::vector<Sha256> all = Entries(21);
  AuditTree tree(all);
  const Sha256 root = *tree.Root(21);
  auto proof = *tree.InclusionProof(9, 21);

  // Another entry, another place, another size, another root.
  EXPECT_EQ(CheckInclusion(all[10], 9, 21, proof, root).status().code(), StatusCode::kDataLoss);
  EXPECT_FALSE(CheckInclusion(all[9], 8, 21, proof, root).ok());
  EXPECT_FALSE(CheckInclusion(all[9], 9, 16, proof, root).ok());  // a tree of another depth
  EXPECT_EQ(CheckInclusion(all[9], 9, 21, proof, *tree.Root(20)).status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(CheckInclusion(all[9], 21, 21, proof, root).status().code(), StatusCode::kInvalidArgument);

  // A changed sibling, a missing step, an extra step.
  for (size_t i = 0; i < proof.size(); ++i) {
    auto bad = proof;
    bad[i] = Sha256Of("forged");
    EXPECT_FALSE(CheckInclusion(all[9], 9, 21, bad, root).ok()) << i;
  }
  auto shorter = proof;
  shorter.pop_back();
  EXPECT_EQ(CheckInclusion(all[9], 9, 21, shorter, root).status().code(), StatusCode::kInvalidArgument);
  auto longer = proof;
  longer.push_back(root);
  EXPECT_EQ(CheckInclusion(all[9], 9, 21, longer, root).status().code(), StatusCode::kInvalidArgument);

  EXPECT_FALSE(tree.InclusionProof(21, 21).ok());
  EXPECT_FALSE(tree.InclusionProof(0, 22).ok());
  EXPECT_FALSE(tree.Root(22).ok());
}

TEST(AuditTreeTest, ChangingAnyEarlierEntryChangesTheRoot) {
  std::vector<Sha256> all = Entries(33);
  const Sha256 root = *AuditTree(all).Root(33);
  for (size_t i = 0; i < all.size(); ++i) {
    std::vector<Sha256> changed = all;
    changed[i] = Sha256Of("rewritten");
    EXPECT_NE(*AuditTree(changed).Root(33), root) << i;
  }
  // Removing or adding one at the end changes it too.
  EXPECT_NE(*AuditTree(all).Root(32), root);
  all.push_back(Sha256Of("one more"));
  EXPECT_NE(*AuditTree(all).Root(34), root);
}

}  // namespace
}  // namespace kholuu::archive
