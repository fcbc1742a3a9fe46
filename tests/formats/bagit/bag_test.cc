#include "formats/bagit/bag.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::bagit {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::kholuu::testing::WriteTestFile;

bool HasProblem(const BagReport& r, const std::string& code, Severity s = Severity::kError) {
  for (const BagProblem& p : r.problems) {
    if (p.code == code && p.severity == s) return true;
  }
  return false;
}

std::string WriteSampleBag(const TempDir& t) {
  const std::string dir = t.Sub("bag");
  StringSource a("Quyết định số 01/QĐ-UBND\n");
  static const std::string big(300000, 'x');
  StringSource b(big);
  StringSource c("100% giấy tờ");
  std::vector<PayloadEntry> payload = {{"hoso/001.pdf", &a}, {"hoso/002.pdf", &b}, {"ghi chú 100%.txt", &c}};
  EXPECT_OK(WriteBag(dir, payload, {{"Source-Organization", "UBND tỉnh Quảng Ninh"},
                                    {"External-Identifier", "000.00.00.H49"}}));
  return dir;
}

TEST(BagWriterTest, WrittenBagValidatesCleanly) {
  TempDir t;
  const std::string dir = WriteSampleBag(t);
  ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(dir));
  EXPECT_TRUE(r.valid());
  EXPECT_TRUE(r.problems.empty()) << r.problems.front().message;
  EXPECT_EQ(r.version, "1.0");
  EXPECT_THAT(r.algorithms, ::testing::UnorderedElementsAre("sha256", "sha512"));
  EXPECT_THAT(r.payload, ::testing::ElementsAre("data/ghi chú 100%.txt", "data/hoso/001.pdf",
                                                "data/hoso/002.pdf"));
  EXPECT_FALSE(PathExists(dir + ".partial"));
  EXPECT_THAT(ReadTestFile(dir + "/manifest-sha256.txt"), ::testing::HasSubstr("100%25.txt"));
  bool oxum = false;
  for (const auto& [k, v] : r.info) {
    if (k == "Payload-Oxum") {
      oxum = true;
      EXPECT_EQ(v, std::to_string(r.payload_bytes) + ".3");
    }
  }
  EXPECT_TRUE(oxum);
}

TEST(BagWriterTest, RefusesExistingTargetAndBadPaths) {
  TempDir t;
  StringSource a("x");
  EXPECT_THAT(WriteBag(t.path(), {{"a", &a}}, {}), StatusIs(StatusCode::kAlreadyExists));
  for (const char* bad : {"../x", "/etc/passwd", "a//b", "a/./b", ""}) {
    StringSource s("x");
    EXPECT_THAT(WriteBag(t.Sub("b"), {{bad, &s}}, {}), StatusIs(StatusCode::kInvalidArgument)) << bad;
    EXPECT_FALSE(PathExists(t.Sub("b")));
  }
  StringSource s1("x"), s2("y");
  EXPECT_THAT(WriteBag(t.Sub("b"), {{"a", &s1}, {"a", &s2}}, {}),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(BagValidatorTest, DetectsCorruptionExtraFilesAndOxum) {
  TempDir t;
  const std::string dir = WriteSampleBag(t);
  ::kholuu::testing::FlipByte(dir + "/data/hoso/002.pdf", 1000);
  WriteTestFile(dir + "/data/extra.txt", "not listed");
  ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(dir));
  EXPECT_FALSE(r.valid());
  EXPECT_TRUE(HasProblem(r, "checksum-mismatch"));
  EXPECT_TRUE(HasProblem(r, "unlisted-file"));
  EXPECT_TRUE(HasProblem(r, "payload-oxum"));
  ASSERT_OK_AND_ASSIGN(BagReport quick, ValidateBag(dir, {.verify_checksums = false}));
  EXPECT_FALSE(HasProblem(quick, "checksum-mismatch"));
}

TEST(BagValidatorTest, RejectsSymlinksAndFifos) {
  TempDir t;
  const std::string dir = WriteSampleBag(t);
  ASSERT_EQ(symlink("/etc/passwd", (dir + "/data/link").c_str()), 0);
  ASSERT_EQ(mkfifo((dir + "/data/fifo").c_str(), 0600), 0);
  ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(dir));
  EXPECT_TRUE(HasProblem(r, "symlink"));
  EXPECT_TRUE(HasProblem(r, "special-file"));
}

TEST(BagValidatorTest, RefusesFetchOfMissingFiles) {
  TempDir t;
  const std::string dir = WriteSampleBag(t);
  ASSERT_EQ(unlink((dir + "/data/hoso/001.pdf").c_str()), 0);
  WriteTestFile(dir + "/fetch.txt", "https://example.org/001.pdf - data/hoso/001.pdf\n");
  ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(dir, {.verify_checksums = false}));
  EXPECT_TRUE(HasProblem(r, "fetch-refused"));
  EXPECT_FALSE(HasProblem(r, "missing-file"));
}

TEST(BagValidatorTest, ManifestPathsOutsideTheBagAreErrors) {
  TempDir t;
  const std::string dir = WriteSampleBag(t);
  std::string m = ReadTestFile(dir + "/manifest-sha256.txt");
  m += std::string(64, 'a') + "  data/../../etc/passwd\n" + std::string(64, 'a') + "  /etc/passwd\n";
  m += "zz  data/x\n";
  WriteTestFile(dir + "/manifest-sha256.txt", m);
  ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(dir, {.verify_checksums = false}));
  EXPECT_TRUE(HasProblem(r, "out-of-scope-path"));
  EXPECT_TRUE(HasProblem(r, "malformed-checksum"));
}

// A bag with only SHA-1 and MD5 manifests, as older tools wrote them:
// verified (sha1 via archive/base's OpenSSL digests), with a weak-algorithm
// warning; a wrong SHA-1 is a checksum mismatch.
TEST(BagValidatorTest, VerifiesSha1AndMd5Manifests) {
  TempDir t;
  const std::string dir = t.Sub("old");
  ASSERT_OK(CreateDirs(dir + "/data"));
  WriteTestFile(dir + "/bagit.txt", "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n");
  WriteTestFile(dir + "/data/a.txt", "abc");
  WriteTestFile(dir + "/manifest-sha1.txt", "a9993e364706816aba3e25717850c26c9cd0d89d  data/a.txt\n");
  WriteTestFile(dir + "/manifest-md5.txt", "900150983cd24fb0d6963f7d28e17f72 data/a.txt\n");
  ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(dir));
  EXPECT_TRUE(r.valid()) << (r.problems.empty() ? "" : r.problems.front().message);
  EXPECT_THAT(r.algorithms, ::testing::UnorderedElementsAre("sha1", "md5"));
  EXPECT_TRUE(HasProblem(r, "weak-algorithm", Severity::kWarning));

  WriteTestFile(dir + "/manifest-sha1.txt", "a9993e364706816aba3e25717850c26c9cd0d89e  data/a.txt\n");
  ASSERT_OK_AND_ASSIGN(BagReport bad, ValidateBag(dir));
  EXPECT_FALSE(bad.valid());
  EXPECT_TRUE(HasProblem(bad, "checksum-mismatch"));

  // Manifest names are exact: "SHA1" is not a BagIt algorithm name.
  ::unlink((dir + "/manifest-sha1.txt").c_str());
  WriteTestFile(dir + "/manifest-SHA-1.txt", "a9993e364706816aba3e25717850c26c9cd0d89d  data/a.txt\n");
  ASSERT_OK_AND_ASSIGN(BagReport odd, ValidateBag(dir));
  EXPECT_TRUE(HasProblem(odd, "unsupported-algorithm"));
}

TEST(BagValidatorTest, NotABag) {
  TempDir t;
  ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(t.path()));
  EXPECT_TRUE(HasProblem(r, "missing-bagit.txt"));
  EXPECT_THAT(ValidateBag(t.Sub("nope")).status(), StatusIs(StatusCode::kNotFound));
}

// The reason given for a few corpus bags, not just the verdict.
TEST(BagValidatorTest, CorpusReasons) {
  const std::string suite = std::string(KHOLUU_CORPUS_DIR) + "/bagit-conformance/v0.97/";
  if (!IsDirectory(suite)) GTEST_SKIP() << "BagIt conformance suite not found at " << suite;
  const std::pair<const char*, const char*> cases[] = {
      {"invalid/corrupt-data-file", "checksum-mismatch"},
      {"invalid/corrupt-tag-file", "checksum-mismatch"},
      {"invalid/extra-file-in-bag", "unlisted-file"},
      {"invalid/missing-bagit.txt", "missing-bagit.txt"},
      {"invalid/bom-in-bagit.txt", "bom-in-bagit.txt"},
      {"invalid/invalid-version-number", "invalid-version"},
      {"invalid/baginfo-missing-encoding", "missing-encoding"},
      {"invalid/out-of-scope-file-paths-using-dot-notation-for-fetch", "out-of-scope-path"},
      {"linux-only/out-of-scope-file-paths-using-shortcut", "out-of-scope-path"},
  };
  for (const auto& [bag, code] : cases) {
    ASSERT_OK_AND_ASSIGN(BagReport r, ValidateBag(suite + bag));
    EXPECT_TRUE(HasProblem(r, code)) << bag;
  }
}

}  // namespace
}  // namespace kholuu::formats::bagit
