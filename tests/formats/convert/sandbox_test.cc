// The sandbox runs real child processes (sh, head, python3) and checks that
// every limit stops them and that nothing of a run outlives it.
#include "formats/convert/sandbox.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "tests/support/status_matchers.h"

namespace kholuu::convert {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

SandboxRequest Shell(const std::string& script) {
  SandboxRequest r;
  r.argv = {"/bin/sh", "-c", script};
  r.limits.wall_time = std::chrono::seconds(60);
  return r;
}

WorkDir NewWorkDir() {
  auto wd = WorkDir::Create("sandbox-test");
  EXPECT_TRUE(wd.ok()) << wd.status().ToString();
  return std::move(wd).value();
}

// True once `pid` is gone or a zombie (waits up to 10 s for the kernel).
bool ProcessGone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    if (!stat) return true;
    std::string line;
    std::getline(stat, line);
    size_t paren = line.rfind(')');
    if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z') {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(SandboxTest, CapturesOutputAndExitCode) {
  WorkDir wd = NewWorkDir();
  auto r = RunSandboxed(Shell("printf 'to out'; printf 'to err\\nlast line' >&2; exit 3"), wd);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->end, SandboxEnd::kExited);
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_FALSE(r->succeeded());
  EXPECT_EQ(r->stdout_bytes, "to out");
  EXPECT_EQ(r->stderr_bytes, "to err\nlast line");
  EXPECT_EQ(r->Describe("sh"), "sh exited 3: last line");
}

TEST(SandboxTest, RunsInTheWorkDirWithACleanEnvironment) {
  ::setenv("KHOLUU_SANDBOX_TEST_SECRET", "leak", 1);
  WorkDir wd = NewWorkDir();
  SandboxRequest req = Shell("pwd; env; touch made-here");
  req.env = {"EXTRA=yes"};
  auto r = RunSandboxed(req, wd);
  ::unsetenv("KHOLUU_SANDBOX_TEST_SECRET");
  ASSERT_OK(r.status());
  ASSERT_TRUE(r->succeeded()) << r->Describe("sh");
  EXPECT_THAT(r->stdout_bytes, HasSubstr(wd.path() + "\n"));
  EXPECT_THAT(r->stdout_bytes, HasSubstr("HOME=" + wd.path() + "\n"));
  EXPECT_THAT(r->stdout_bytes, HasSubstr("TMPDIR=" + wd.path() + "/tmp\n"));
  EXPECT_THAT(r->stdout_bytes, HasSubstr("EXTRA=yes\n"));
  EXPECT_THAT(r->stdout_bytes, Not(HasSubstr("KHOLUU_SANDBOX_TEST_SECRET")));
  EXPECT_TRUE(PathExists(wd.Sub("made-here")));
}

TEST(SandboxTest, HasNoNetworkButLoopback) {
  WorkDir wd = NewWorkDir();
  auto r = RunSandboxed(Shell("cat /proc/net/dev"), wd);
  ASSERT_OK(r.status());
  ASSERT_TRUE(r->succeeded()) << r->Describe("sh");
  EXPECT_TRUE(r->network_isolated);
  // Two header lines, then one line per interface: only "lo".
  int interfaces = 0;
  size_t pos = 0;
  int line_no = 0;
  while (pos < r->stdout_bytes.size()) {
    size_t nl = r->stdout_bytes.find('\n', pos);
    std::string line = r->stdout_bytes.substr(pos, nl - pos);
    if (++line_no > 2) {
      ++interfaces;
      EXPECT_THAT(line, HasSubstr("lo:"));
    }
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  EXPECT_EQ(interfaces, 1);
}

TEST(SandboxTest, WallClockLimitKillsTheWholeProcessGroup) {
  WorkDir wd = NewWorkDir();
  // The script starts a helper in the background and then hangs.
  SandboxRequest req = Shell("sleep 300 & echo $!; exec sleep 300");
  req.limits.wall_time = std::chrono::milliseconds(700);
  auto r = RunSandboxed(req, wd);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->end, SandboxEnd::kTimedOut);
  EXPECT_LT(r->wall_seconds, 30.0);
  EXPECT_THAT(r->Describe("sleeper"), HasSubstr("timed out"));
  pid_t helper = static_cast<pid_t>(std::stol(r->stdout_bytes));
  ASSERT_GT(helper, 0);
  EXPECT_TRUE(ProcessGone(helper)) << "background helper " << helper << " survived";
}

TEST(SandboxTest, HelperLeftBehindAfterExitIsKilled) {
  WorkDir wd = NewWorkDir();
  // The main process exits at once, leaving a daemon-like helper.
  auto r = RunSandboxed(Shell("sleep 300 >/dev/null 2>&1 & echo $!"), wd);
  ASSERT_OK(r.status());
  EXPECT_TRUE(r->succeeded());
  pid_t helper = static_cast<pid_t>(std::stol(r->stdout_bytes));
  EXPECT_TRUE(ProcessGone(helper)) << "helper " << helper << " survived";
}

TEST(SandboxTest, CpuLimitStopsABusyLoop) {
  WorkDir wd = NewWorkDir();
  SandboxRequest req = Shell("while :; do :; done");
  req.limits.cpu_seconds = 1;
  auto r = RunSandboxed(req, wd);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->end, SandboxEnd::kTimedOut) << r->Describe("sh");
  EXPECT_GE(r->cpu_seconds, 0.5);
}

TEST(SandboxTest, FileSizeLimitStopsAWriter) {
  WorkDir wd = NewWorkDir();
  SandboxRequest req = Shell("head -c 50000000 /dev/zero > big");
  req.limits.file_size_bytes = 1 << 20;
  auto r = RunSandboxed(req, wd);
  ASSERT_OK(r.status());
  // head gets SIGXFSZ (or EFBIG and exits non-zero if it ignores the signal).
  EXPECT_FALSE(r->succeeded());
  if (r->end != SandboxEnd::kExited) {
    EXPECT_EQ(r->end, SandboxEnd::kOutputLimit);
  }
  struct stat st;
  ASSERT_EQ(::stat(wd.Sub("big").c_str(), &st), 0);
  EXPECT_LE(st.st_size, 1 << 20);
}

TEST(SandboxTest, WorkDirBudgetStopsManySmallFiles) {
  WorkDir wd = NewWorkDir();
  // Each file is under the per-file limit; together they exceed the budget.
  SandboxRequest req = Shell("i=0; while :; do head -c 1000000 /dev/zero > f$i; i=$((i+1)); done");
  req.limits.file_size_bytes = 2 << 20;
  req.limits.work_dir_bytes = 20 << 20;
  auto r = RunSandboxed(req, wd);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->end, SandboxEnd::kOutputLimit) << r->Describe("sh");
  EXPECT_GT(r->work_dir_peak_bytes, uint64_t{20} << 20);
  EXPECT_THAT(r->Describe("writer"), HasSubstr("output limit"));
}

TEST(SandboxTest, AddressSpaceLimitFailsALargeAllocation) {
  auto python = FindTool("python3");
  if (!python.ok()) GTEST_SKIP() << "python3 not installed";
  WorkDir wd = NewWorkDir();
  SandboxRequest req;
  req.argv = {*python, "-c", "b = bytearray(1 << 30); print('allocated')"};
  req.limits.address_space_bytes = 256u << 20;
  auto r = RunSandboxed(req, wd);
  ASSERT_OK(r.status());
  EXPECT_FALSE(r->succeeded());
  EXPECT_THAT(r->stdout_bytes, Not(HasSubstr("allocated")));
  EXPECT_THAT(r->stderr_bytes, HasSubstr("MemoryError"));
}

TEST(SandboxTest, CrashIsReportedWithItsSignal) {
  WorkDir wd = NewWorkDir();
  auto r = RunSandboxed(Shell("kill -SEGV $$"), wd);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->end, SandboxEnd::kSignaled);
  EXPECT_EQ(r->signal, SIGSEGV);
  EXPECT_THAT(r->Describe("sh"), HasSubstr("crashed (signal 11)"));
}

TEST(SandboxTest, CapturedOutputIsCapped) {
  WorkDir wd = NewWorkDir();
  SandboxRequest req = Shell("head -c 5000000 /dev/zero");
  req.limits.captured_output_bytes = 4096;
  auto r = RunSandboxed(req, wd);
  ASSERT_OK(r.status());
  EXPECT_TRUE(r->succeeded());
  EXPECT_EQ(r->stdout_bytes.size(), 4096u);
  EXPECT_TRUE(r->output_truncated);
}

TEST(SandboxTest, MissingToolIsNotFoundWithThePackage) {
  auto t = FindTool("kholuu-no-such-converter", "ghostscript");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(t.status().message(), HasSubstr("ghostscript"));
  WorkDir wd = NewWorkDir();
  SandboxRequest req;
  req.argv = {"kholuu-no-such-converter"};
  auto r = RunSandboxed(req, wd);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
}

TEST(SandboxTest, WorkDirIsRemovedWithEverythingInIt) {
  std::string path;
  {
    WorkDir wd = NewWorkDir();
    path = wd.path();
    // Nested directories, a read-only one, and a symlink pointing outside
    // (whose target must survive).
    std::string outside = path + "-outside";
    ASSERT_EQ(::mkdir(outside.c_str(), 0700), 0);
    auto r = RunSandboxed(Shell("mkdir -p a/b/c && echo x > a/b/c/f && mkdir ro && echo y > ro/g "
                                "&& chmod 500 ro && ln -s " + outside + " link"),
                          wd);
    ASSERT_OK(r.status());
    ASSERT_TRUE(r->succeeded()) << r->Describe("sh");
    EXPECT_GT(wd.UsedBytes(), 0u);
    ASSERT_OK(wd.Remove());
    EXPECT_FALSE(PathExists(path));
    EXPECT_TRUE(IsDirectory(outside));
    ::rmdir(outside.c_str());
  }
  {
    WorkDir wd = NewWorkDir();
    path = wd.path();
    ASSERT_TRUE(IsDirectory(path));
  }
  EXPECT_FALSE(PathExists(path)) << "destructor left " << path;
}

}  // namespace
}  // namespace kholuu::convert
