#include "formats/bagit/internal/digest.h"

#include <string>

#include <gtest/gtest.h>

namespace kholuu::formats::bagit::internal {
namespace {

std::string Of(Algorithm a, const std::string& s) {
  auto d = MakeDigester(a);
  d->Update(s);
  return d->FinishHex();
}

// RFC 1321 appendix A.5.
TEST(DigestTest, Md5KnownVectors) {
  EXPECT_EQ(Of(Algorithm::kMd5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Of(Algorithm::kMd5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Of(Algorithm::kMd5, "12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

// FIPS 180-2 change notice examples.
TEST(DigestTest, Sha224KnownVectors) {
  EXPECT_EQ(Of(Algorithm::kSha224, "abc"),
            "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
  EXPECT_EQ(Of(Algorithm::kSha224, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525");
}

TEST(DigestTest, StreamingInPiecesEqualsOneShotAndResets) {
  for (Algorithm a : {Algorithm::kMd5, Algorithm::kSha224, Algorithm::kSha256, Algorithm::kSha512}) {
    std::string data(1000, 'x');
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
    auto d = MakeDigester(a);
    for (size_t i = 0; i < data.size(); i += 37) d->Update(data.substr(i, 37));
    EXPECT_EQ(d->FinishHex(), Of(a, data)) << AlgorithmName(a);
    d->Update("abc");
    EXPECT_EQ(d->FinishHex(), Of(a, "abc")) << AlgorithmName(a);
    EXPECT_EQ(Of(a, "abc").size(), HexLength(a));
  }
}

TEST(DigestTest, ParsesManifestNames) {
  EXPECT_EQ(ParseAlgorithm("sha512"), Algorithm::kSha512);
  EXPECT_EQ(ParseAlgorithm("md5"), Algorithm::kMd5);
  EXPECT_FALSE(ParseAlgorithm("sha3"));
}

}  // namespace
}  // namespace kholuu::formats::bagit::internal
