#include "archive/base/file.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;

TEST(FileTest, WriteFileAtomicReplacesAndLeavesNoTemp) {
  TempDir dir;
  std::string path = dir.Sub("meta");
  ASSERT_OK(WriteFileAtomic(path, "one"));
  ASSERT_OK(WriteFileAtomic(path, "two"));
  ASSERT_OK_AND_ASSIGN(std::string got, ReadFileToString(path));
  EXPECT_EQ(got, "two");
  ASSERT_OK_AND_ASSIGN(auto names, ListDir(dir.path()));
  EXPECT_EQ(names, std::vector<std::string>{"meta"});
}

TEST(FileTest, AbandonedWriterRemovesTempAndKeepsOldContents) {
  TempDir dir;
  std::string path = dir.Sub("x");
  ASSERT_OK(WriteFileAtomic(path, "old"));
  {
    ASSERT_OK_AND_ASSIGN(AtomicFileWriter w, AtomicFileWriter::Create(path));
    ASSERT_OK(w.Append("new partial"));
  }
  EXPECT_EQ(testing::ReadTestFile(path), "old");
  ASSERT_OK_AND_ASSIGN(auto names, ListDir(dir.path()));
  EXPECT_EQ(names.size(), 1u);
}

TEST(FileTest, ReadLimitIsEnforced) {
  TempDir dir;
  testing::WriteTestFile(dir.Sub("big"), std::string(1000, 'x'));
  EXPECT_THAT(ReadFileToString(dir.Sub("big"), 999), StatusIs(StatusCode::kResourceExhausted));
  EXPECT_OK(ReadFileToString(dir.Sub("big"), 1000));
}

TEST(FileTest, ReadOnlyDirectoryGivesPermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  ASSERT_OK(CreateDirs(dir.Sub("ro")));
  ASSERT_EQ(::chmod(dir.Sub("ro").c_str(), 0555), 0);
  EXPECT_THAT(WriteFileAtomic(dir.Sub("ro/f"), "x"), StatusIs(StatusCode::kPermissionDenied));
}

// A file-size limit (RLIMIT_FSIZE) stands in for a full disk: the write fails
// with a resource error, and no partial file is left.
TEST(FileTest, FileSizeLimitIsResourceExhaustedAndLeavesNothing) {
  TempDir dir;
  std::string path = dir.Sub("big");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    Status s = WriteFileAtomic(path, std::string(100000, 'z'));
    _exit(s.code() == StatusCode::kResourceExhausted ? 0 : 1);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  ASSERT_OK_AND_ASSIGN(auto names, ListDir(dir.path()));
  EXPECT_TRUE(names.empty());
}

TEST(FileTest, CreateDirsAndPaths) {
  TempDir dir;
  ASSERT_OK(CreateDirs(dir.Sub("a/b/c")));
  EXPECT_TRUE(IsDirectory(dir.Sub("a/b/c")));
  testing::WriteTestFile(dir.Sub("file"), "x");
  EXPECT_THAT(CreateDirs(dir.Sub("file")), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName("/c"), "/");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
}

TEST(FileTest, SourcesStreamAllBytes) {
  TempDir dir;
  std::string data(200000, 'q');
  testing::WriteTestFile(dir.Sub("s"), data);
  ASSERT_OK_AND_ASSIGN(FileSource src, FileSource::Open(dir.Sub("s")));
  std::string got;
  char buf[7777];
  for (;;) {
    ASSERT_OK_AND_ASSIGN(size_t n, src.Read(buf, sizeof buf));
    if (n == 0) break;
    got.append(buf, n);
  }
  EXPECT_EQ(got, data);
  StringSource ss("abc");
  ASSERT_OK_AND_ASSIGN(size_t n, ss.Read(buf, 2));
  EXPECT_EQ(n, 2u);
  ASSERT_OK_AND_ASSIGN(n, ss.Read(buf, 2));
  EXPECT_EQ(n, 1u);
}


TEST(FileTest, RemoveTreeRemovesFilesAndDirectories) {
  TempDir dir;
  const std::string root = dir.Sub("tree");
  ASSERT_OK(CreateDirs(JoinPath(root, "a/b")));
  ASSERT_OK(WriteFileAtomic(JoinPath(root, "a/b/f"), "x"));
  ASSERT_OK(WriteFileAtomic(JoinPath(root, "g"), "y"));
  ASSERT_OK(RemoveTree(root));
  EXPECT_FALSE(PathExists(root));
  // A single file, and then a missing path, are fine too.
  ASSERT_OK(WriteFileAtomic(dir.Sub("file"), "z"));
  ASSERT_OK(RemoveTree(dir.Sub("file")));
  EXPECT_FALSE(PathExists(dir.Sub("file")));
  EXPECT_OK(RemoveTree(dir.Sub("missing")));
}

TEST(FileTest, RemoveTreeRemovesLinksNotTheirTargets) {
  TempDir dir;
  const std::string kept = dir.Sub("kept");
  ASSERT_OK(CreateDirs(kept));
  ASSERT_OK(WriteFileAtomic(JoinPath(kept, "f"), "x"));
  const std::string root = dir.Sub("tree");
  ASSERT_OK(CreateDirs(root));
  ASSERT_EQ(::symlink(kept.c_str(), JoinPath(root, "link").c_str()), 0);
  ASSERT_OK(RemoveTree(root));
  EXPECT_FALSE(PathExists(root));
  EXPECT_TRUE(PathExists(JoinPath(kept, "f")));
}

TEST(FileTest, RemoveTreeReportsWhatItCannotRemove) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  const std::string locked = dir.Sub("locked");
  ASSERT_OK(CreateDirs(JoinPath(locked, "sub")));
  ASSERT_EQ(::chmod(locked.c_str(), 0500), 0);
  EXPECT_THAT(RemoveTree(locked), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_TRUE(PathExists(JoinPath(locked, "sub")));
  ASSERT_EQ(::chmod(locked.c_str(), 0700), 0);
}

TEST(FileTest, LimitedSourcePassesUpToTheLimitAndRefusesMore) {
  auto read_all = [](ByteSource& src, std::string* out) -> Status {
    char buf[7];
    for (;;) {
      KHOLUU_ASSIGN_OR_RETURN(size_t n, src.Read(buf, sizeof buf));
      if (n == 0) return Status::Ok();
      out->append(buf, n);
    }
  };
  const std::string data(100, 'x');
  {
    StringSource inner(data);
    LimitedSource exact(inner, 100, "the input");
    std::string got;
    EXPECT_OK(read_all(exact, &got));
    EXPECT_EQ(got, data);
  }
  {
    StringSource inner(data);
    LimitedSource over(inner, 99, "the input");
    std::string got;
    Status s = read_all(over, &got);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("the input is larger than the limit of 99 bytes"), std::string::npos) << s.message();
    EXPECT_LE(got.size(), 99u);
  }
  {
    StringSource inner("");
    LimitedSource none(inner, 0, "nothing");
    std::string got;
    EXPECT_OK(read_all(none, &got));
  }
}

}  // namespace
}  // namespace kholuu
