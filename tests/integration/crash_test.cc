// Crash safety with real processes: a writer committing record files in a
// loop is killed with SIGKILL at random moments; after each kill the archive
// must open, its audit chain must verify, every committed record must be whole
// with every blob present and correct, and nothing half-written may be visible.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "archive/archive.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::archive {
namespace {

using ::kholuu::testing::TempDir;

constexpr int kRounds = 60;

std::set<std::string> CommittedIds(const std::string& stdout_text) {
  std::set<std::string> ids;
  std::istringstream in(stdout_text);
  std::string line;
  while (std::getline(in, line)) {
    // A line cut by the kill has no newline and is ignored by getline's last
    // partial read only if incomplete; require the full prefix.
    if (line.rfind("committed ", 0) == 0 && !in.eof()) ids.insert(line.substr(10));
  }
  return ids;
}

TEST(CrashTest, SigkillAtRandomMomentsNeverLosesOrHalfWritesARecord) {
  TempDir dir;
  std::string data = dir.Sub("data");
  { ASSERT_OK(Archive::Init(data).status()); }
  std::string writer = testing::BinDir() + "/kholuu-crash-writer";
  std::mt19937_64 rng(20261123);
  std::set<std::string> all_committed;
  uint64_t max_files = 0;
  int killed_mid_run = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::string out = dir.Sub("out-" + std::to_string(round));
    pid_t pid = testing::Start({writer, data, std::to_string(rng())}, out);
    ASSERT_GT(pid, 0);
    // Let the writer commit a random number (0-3) of record files first, so
    // that the test makes progress however slow the machine is (sanitizers,
    // load), then kill it a random moment later: mid-blob, mid-commit or
    // between commits.
    size_t wanted = rng() % 4;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (CommittedIds(testing::ReadTestFile(out)).size() < wanted) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "writer makes no progress: " << out;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 40000));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++killed_mid_run;
    } else {
      FAIL() << "writer exited on its own (status " << status << "): see " << out;
    }
    for (const std::string& id : CommittedIds(testing::ReadTestFile(out))) all_committed.insert(id);

    // Restart: everything must open and check out.
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Archive> a, Archive::Open(data));
    ASSERT_OK_AND_ASSIGN(ReadTxn r, a->catalog().BeginRead());
    ASSERT_OK_AND_ASSIGN(AuditReport audit, r.VerifyAudit());
    ASSERT_TRUE(audit.ok) << "round " << round << ": entry " << audit.first_bad << ": "
                          << audit.problem;
    ASSERT_OK_AND_ASSIGN(TableCounts counts, r.Counts());
    EXPECT_GE(counts.record_files, max_files) << "committed record files disappeared";
    max_files = counts.record_files;
    EXPECT_EQ(counts.documents, 3 * counts.record_files) << "round " << round;
    EXPECT_EQ(counts.components, 3 * counts.record_files) << "round " << round;
    std::set<std::string> present;
    ASSERT_OK(r.ForEachRecordFile([&](const model::RecordFile& f) -> Status {
      present.insert(f.file_code.ToString());
      KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> docs, r.DocumentsInFile(f.file_code.ToString()));
      if (docs.size() != 3 || f.doc_total != 3) {
        return DataLossError("record file " + f.file_code.ToString() + " is half written");
      }
      for (const std::string& d : docs) {
        KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> comps, r.ComponentsOfDocument(d));
        if (comps.size() != 1) return DataLossError("document " + d + " lacks its component");
        KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(comps[0]));
        KHOLUU_RETURN_IF_ERROR(a->blobs().Verify(c.sha256).Annotate("component " + c.id));
      }
      return Status::Ok();
    })) << "round " << round;
    for (const std::string& id : all_committed) {
      EXPECT_TRUE(present.count(id)) << "record " << id << " was reported committed but is gone";
    }
  }
  EXPECT_EQ(killed_mid_run, kRounds);
  // The loop must have made real progress, or the test proves nothing.
  EXPECT_GT(max_files, 20u);
  EXPECT_GT(all_committed.size(), 20u);
  // Leftover temporary blob files were cleaned by the last Open.
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> tmp, ListDir(data + "/blobs/tmp"));
  EXPECT_TRUE(tmp.empty()) << tmp.size() << " temporary files left";
}

}  // namespace
}  // namespace kholuu::archive
