#include "archive/base/sha512.h"

#include <string>

#include <gtest/gtest.h>

namespace kholuu {
namespace {

// FIPS 180-2 test vectors.
TEST(Sha512Test, KnownVectors) {
  EXPECT_EQ(Sha512HexOf(""),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  EXPECT_EQ(Sha512HexOf("abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST(Sha512Test, StreamingEqualsOneShotAndHasherIsReusable) {
  std::string data(1000000, 'a');
  Sha512Hasher h;
  for (size_t i = 0; i < data.size(); i += 4099) h.Update(data.substr(i, 4099));
  EXPECT_EQ(h.FinishHex(),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
  h.Update("abc");
  EXPECT_EQ(h.FinishHex(), Sha512HexOf("abc"));
}

}  // namespace
}  // namespace kholuu
