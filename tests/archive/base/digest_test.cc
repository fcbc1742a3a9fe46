#include "archive/base/digest.h"

#include <string>

#include <gtest/gtest.h>

namespace kholuu {
namespace {

// Published test vectors: RFC 1321 A.5 (MD5), FIPS 180-2 appendices and the
// SHA-224 change notice (SHA family).
TEST(DigestTest, Md5Rfc1321Vectors) {
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kMd5, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kMd5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kMd5, "message digest"),
            "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kMd5,
                        "1234567890123456789012345678901234567890"
                        "1234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(DigestTest, Sha1Fips180Vectors) {
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kSha1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kSha1,
                        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  Hasher h(DigestAlgorithm::kSha1);
  const std::string thousand(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.Update(thousand);
  EXPECT_EQ(h.FinishHex(), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(DigestTest, Sha224Vectors) {
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kSha224, "abc"),
            "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kSha224,
                        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525");
}

TEST(DigestTest, Sha256AndSha512Vectors) {
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kSha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kSha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexDigestOf(DigestAlgorithm::kSha512, "abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(DigestTest, StreamingInPiecesEqualsOneShotAndResets) {
  std::string data(1000, 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  for (DigestAlgorithm a : {DigestAlgorithm::kMd5, DigestAlgorithm::kSha1, DigestAlgorithm::kSha224,
                            DigestAlgorithm::kSha256, DigestAlgorithm::kSha512}) {
    Hasher h(a);
    for (size_t i = 0; i < data.size(); i += 37) h.Update(std::string_view(data).substr(i, 37));
    EXPECT_EQ(h.FinishHex(), HexDigestOf(a, data)) << DigestAlgorithmName(a);
    h.Update("abc");
    const std::string raw = h.FinishRaw();
    EXPECT_EQ(raw.size(), DigestSize(a));
    EXPECT_EQ(ToHex(raw), HexDigestOf(a, "abc")) << DigestAlgorithmName(a);
    Hasher moved = std::move(h);
    moved.Update("abc");
    EXPECT_EQ(moved.FinishHex(), HexDigestOf(a, "abc"));
  }
}

TEST(DigestTest, ParsesNames) {
  EXPECT_EQ(ParseDigestAlgorithm("sha512"), DigestAlgorithm::kSha512);
  EXPECT_EQ(ParseDigestAlgorithm("SHA-256"), DigestAlgorithm::kSha256);
  EXPECT_EQ(ParseDigestAlgorithm("sha1"), DigestAlgorithm::kSha1);
  EXPECT_EQ(ParseDigestAlgorithm("MD5"), DigestAlgorithm::kMd5);
  EXPECT_FALSE(ParseDigestAlgorithm("md-5"));
  EXPECT_FALSE(ParseDigestAlgorithm("sha3"));
  EXPECT_FALSE(ParseDigestAlgorithm(""));
  for (DigestAlgorithm a : {DigestAlgorithm::kMd5, DigestAlgorithm::kSha1, DigestAlgorithm::kSha224,
                            DigestAlgorithm::kSha256, DigestAlgorithm::kSha512}) {
    EXPECT_EQ(ParseDigestAlgorithm(DigestAlgorithmName(a)), a);
  }
}

}  // namespace
}  // namespace kholuu
