#include "archive/base/sha256.h"

#include <string>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::StatusIs;

// FIPS 180-2 test vectors.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Of("").ToHex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Of("abc").ToHex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").ToHex(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, StreamingEqualsOneShotAndHasherIsReusable) {
  std::string data(1000000, 'a');
  Sha256Hasher h;
  for (size_t i = 0; i < data.size(); i += 4099) h.Update(data.substr(i, 4099));
  Sha256 first = h.Finish();
  EXPECT_EQ(first.ToHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  h.Update("abc");
  EXPECT_EQ(h.Finish(), Sha256Of("abc"));
}

TEST(Sha256Test, HexRoundTripAndRejectsBadHex) {
  Sha256 d = Sha256Of("kholuu");
  ASSERT_OK_AND_ASSIGN(Sha256 back, Sha256::FromHex(d.ToHex()));
  EXPECT_EQ(back, d);
  EXPECT_THAT(Sha256::FromHex("abc"), StatusIs(StatusCode::kInvalidArgument));
  std::string bad = d.ToHex();
  bad[10] = 'g';
  EXPECT_THAT(Sha256::FromHex(bad), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_TRUE(Sha256().IsZero());
  EXPECT_FALSE(d.IsZero());
}

TEST(Sha256Test, FileDigestMatchesBytes) {
  testing::TempDir dir;
  std::string content = "Quyết định 28/2018/QĐ-TTg\n";
  testing::WriteTestFile(dir.Sub("f"), content);
  uint64_t size = 0;
  ASSERT_OK_AND_ASSIGN(Sha256 d, Sha256OfFile(dir.Sub("f"), &size));
  EXPECT_EQ(d, Sha256Of(content));
  EXPECT_EQ(size, content.size());
  EXPECT_THAT(Sha256OfFile(dir.Sub("missing")), StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace kholuu
