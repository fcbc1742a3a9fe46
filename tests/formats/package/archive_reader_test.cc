#include "formats/package/archive_reader.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "tests/formats/package/archive_writer.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::package {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::kholuu::testing::TestArchiveBytes;
using ::kholuu::testing::TestEntry;
using ::kholuu::testing::TestFormat;
using ::kholuu::testing::WriteTestArchive;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Extracting `entries` fails with `code` and a message containing `what`,
// and leaves neither the target nor its .partial directory behind.
void ExpectRefused(TestFormat format, const std::vector<TestEntry>& entries, StatusCode code,
                   const std::string& what, const ArchiveLimits& limits = {}) {
  TempDir t;
  WriteTestArchive(t.Sub("in"), format, entries);
  auto r = ExtractArchive(t.Sub("in"), t.Sub("out"), limits);
  EXPECT_THAT(r, StatusIs(code));
  EXPECT_THAT(r.status().message(), HasSubstr(what));
  EXPECT_FALSE(PathExists(t.Sub("out")));
  EXPECT_FALSE(PathExists(t.Sub("out.partial")));
  EXPECT_FALSE(PathExists(t.Sub("evil")));
}

TEST(ArchiveReaderTest, ExtractsZipAndTarGz) {
  for (TestFormat f : {TestFormat::kZip, TestFormat::kTar, TestFormat::kTarGz}) {
    TempDir t;
    WriteTestArchive(t.Sub("in"), f,
                     {{"pkg/", "", TestEntry::kDir},
                      {"pkg/METS.xml", "<mets/>"},
                      {"./pkg/data/hồ sơ 01.pdf", std::string(100000, 'p')},
                      {"pkg\\win\\a.txt", "windows separators"}});
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> files,
                         ExtractArchive(t.Sub("in"), t.Sub("out")));
    EXPECT_THAT(files, ElementsAre("pkg/METS.xml", "pkg/data/hồ sơ 01.pdf", "pkg/win/a.txt"));
    EXPECT_EQ(ReadTestFile(t.Sub("out/pkg/METS.xml")), "<mets/>");
    EXPECT_EQ(ReadTestFile(t.Sub("out/pkg/data/hồ sơ 01.pdf")), std::string(100000, 'p'));
    EXPECT_EQ(ReadTestFile(t.Sub("out/pkg/win/a.txt")), "windows separators");
    EXPECT_FALSE(PathExists(t.Sub("out.partial")));
    // The target must not exist.
    EXPECT_THAT(ExtractArchive(t.Sub("in"), t.Sub("out")), StatusIs(StatusCode::kAlreadyExists));
  }
}

TEST(ArchiveReaderTest, RefusesZipSlipAndAbsolutePaths) {
  for (TestFormat f : {TestFormat::kZip, TestFormat::kTar}) {
    ExpectRefused(f, {{"ok.txt", "x"}, {"../evil", "x"}}, StatusCode::kInvalidArgument, "(..)");
    ExpectRefused(f, {{"a/../../evil", "x"}}, StatusCode::kInvalidArgument, "(..)");
    ExpectRefused(f, {{"a\\..\\..\\evil", "x"}}, StatusCode::kInvalidArgument, "(..)");
    ExpectRefused(f, {{"/tmp/evil", "x"}}, StatusCode::kInvalidArgument, "absolute");
    ExpectRefused(f, {{"C:\\evil", "x"}}, StatusCode::kInvalidArgument, "drive");
    ExpectRefused(f, {{"a//b", "x"}}, StatusCode::kInvalidArgument, "empty or '.'");
    ExpectRefused(f, {{"a\tb", "x"}}, StatusCode::kInvalidArgument, "control character");
    ExpectRefused(f, {{"a", "x"}, {"./a", "y"}}, StatusCode::kInvalidArgument, "occurs twice");
  }
}

TEST(ArchiveReaderTest, RefusesLinksAndSpecialFiles) {
  for (TestFormat f : {TestFormat::kZip, TestFormat::kTar}) {
    ExpectRefused(f, {{"link", "/etc/passwd", TestEntry::kSymlink}}, StatusCode::kInvalidArgument,
                  "symbolic link");
  }
  ExpectRefused(TestFormat::kTar, {{"a", "x"}, {"b", "a", TestEntry::kHardlink}},
                StatusCode::kInvalidArgument, "hard link");
  ExpectRefused(TestFormat::kTar, {{"null", "", TestEntry::kCharDevice}},
                StatusCode::kInvalidArgument, "device");
  ExpectRefused(TestFormat::kTar, {{"pipe", "", TestEntry::kFifo}}, StatusCode::kInvalidArgument,
                "fifo");
}

TEST(ArchiveReaderTest, CapsEntriesSizeAndRatio) {
  ArchiveLimits few;
  few.max_entries = 3;
  ExpectRefused(TestFormat::kZip, {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}},
                StatusCode::kResourceExhausted, "more than 3 entries", few);

  ArchiveLimits small;
  small.max_entry_bytes = 1000;
  ExpectRefused(TestFormat::kTar, {{"big", std::string(1001, 'b')}},
                StatusCode::kResourceExhausted, "1000 bytes", small);

  ArchiveLimits total;
  total.max_total_bytes = 1500;
  ExpectRefused(TestFormat::kZip, {{"a", std::string(1000, 'a')}, {"b", std::string(1000, 'b')}},
                StatusCode::kResourceExhausted, "more than 1500 bytes", total);

  // 8 MiB of zeros deflates to a few KiB: a zip bomb in miniature.
  ArchiveLimits bomb;
  bomb.ratio_floor_bytes = 1 << 20;
  ExpectRefused(TestFormat::kZip, {{"zeros", std::string(8 << 20, '\0')}},
                StatusCode::kResourceExhausted, "zip bomb", bomb);
  ExpectRefused(TestFormat::kTarGz, {{"zeros", std::string(8 << 20, '\0')}},
                StatusCode::kResourceExhausted, "zip bomb", bomb);
}

TEST(ArchiveReaderTest, ReadsEntriesFromMemory) {
  const std::string zip =
      TestArchiveBytes(TestFormat::kZip, {{"xl/", "", TestEntry::kDir}, {"xl/a.xml", "<a/>"},
                                          {"xl/b.xml", std::string(5000, 'b')}});
  ASSERT_OK_AND_ASSIGN(ArchiveReader r, ArchiveReader::OpenMemory(zip));
  ASSERT_OK_AND_ASSIGN(auto dir, r.Next());
  ASSERT_TRUE(dir);
  EXPECT_EQ(dir->path, "xl");
  EXPECT_EQ(dir->type, EntryType::kDirectory);
  EXPECT_THAT(r.ReadDataToString(10), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(auto a, r.Next());
  ASSERT_TRUE(a);
  EXPECT_EQ(a->path, "xl/a.xml");
  ASSERT_OK_AND_ASSIGN(std::string text, r.ReadDataToString(100));
  EXPECT_EQ(text, "<a/>");
  ASSERT_OK_AND_ASSIGN(auto b, r.Next());
  ASSERT_TRUE(b);
  EXPECT_THAT(r.ReadDataToString(100), StatusIs(StatusCode::kResourceExhausted));
  ASSERT_OK_AND_ASSIGN(auto end, r.Next());
  EXPECT_FALSE(end);
}

TEST(ArchiveReaderTest, GarbageIsNotAnArchive) {
  EXPECT_THAT(ArchiveReader::OpenMemory("this is not an archive at all, just text"),
              StatusIs(StatusCode::kInvalidArgument));
  TempDir t;
  EXPECT_THAT(ExtractArchive(t.Sub("missing.zip"), t.Sub("out")), StatusIs(StatusCode::kNotFound));
  // A truncated zip: a specific error, nothing written.
  std::string zip = TestArchiveBytes(TestFormat::kZip, {{"a.txt", std::string(50000, 'z')}});
  ::kholuu::testing::WriteTestFile(t.Sub("cut.zip"), zip.substr(0, zip.size() / 3));
  auto r = ExtractArchive(t.Sub("cut.zip"), t.Sub("out"));
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(PathExists(t.Sub("out")));
  EXPECT_FALSE(PathExists(t.Sub("out.partial")));
}

}  // namespace
}  // namespace kholuu::formats::package
