// kholuud as a real process: it serves health and metrics on loopback and
// shuts down cleanly on SIGTERM.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "archive/archive.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// Starts kholuud on `data` and `port` and waits until it answers /healthz;
// returns its pid and the first answer (null when it never answered).
std::pair<pid_t, httplib::Result> StartServer(const testing::TempDir& dir, const std::string& data, int port,
                                              std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {testing::BinDir() + "/kholuud", "--data", data, "--listen",
                                   "127.0.0.1:" + std::to_string(port)};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_t pid = testing::Start(args, dir.Sub("out-" + std::to_string(port)));
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  auto health = client.Get("/healthz");
  for (int i = 0; i < 100 && !health && pid > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    health = client.Get("/healthz");
  }
  return {pid, std::move(health)};
}

// The server anchors the audit log at intervals (issue 19), and a reader
// beside it sees the anchors.
TEST(ServerTest, AnchorsTheAuditLogAtIntervals) {
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  const std::string kholuu = testing::BinDir() + "/kholuu";
  ASSERT_EQ(testing::Run({kholuu, "init", "--data", data}).exit_code, 0);
  ASSERT_EQ(testing::Run({kholuu, "seal", "init", "--data", data}).exit_code, 0);
  int port = FreePort();
  auto [pid, health] = StartServer(dir, data, port, {"--anchor-interval", "1"});
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(health) << "kholuud did not start listening";
  std::string listed;
  bool anchored = false;
  for (int i = 0; i < 150 && !anchored; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    testing::RunResult r = testing::Run({kholuu, "anchor", "list", "--json", "--data", data});
    listed = r.out;
    anchored = r.exit_code == 0 && listed.find("\"interval\"") != std::string::npos;
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(anchored) << listed;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  testing::RunResult verify = testing::Run({kholuu, "audit", "verify", "--data", data});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;

  // A bad interval is a usage error.
  testing::RunResult bad = testing::Run({testing::BinDir() + "/kholuud", "--data", data, "--anchor-interval", "soon"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(ServerTest, ServesHealthAndMetricsAndStopsOnSigterm) {
  testing::TempDir dir;
  { ASSERT_OK(archive::Archive::Init(dir.Sub("data")).status()); }
  int port = FreePort();
  auto [pid, health] = StartServer(dir, dir.Sub("data"), port);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(health) << "kholuud did not start listening";
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, R"({"status":"ok"})");
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("kholuu_documents 0\n"), std::string::npos) << metrics->body;
  EXPECT_NE(metrics->body.find("kholuu_audit_entries "), std::string::npos);
  auto missing = client.Get("/no-such-page");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid, &status, WNOHANG) == pid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (i == 99) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      FAIL() << "kholuud did not stop on SIGTERM";
    }
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(ServerTest, ASecondServerOnTheSamePortOrArchiveFailsAtOnce) {
  testing::TempDir dir;
  { ASSERT_OK(archive::Archive::Init(dir.Sub("data")).status()); }
  { ASSERT_OK(archive::Archive::Init(dir.Sub("other")).status()); }
  const int port = FreePort();
  auto [pid, health] = StartServer(dir, dir.Sub("data"), port);
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(health) << "kholuud did not start listening";

  // Same port, another archive: refused, not shared.
  testing::RunResult same_port = testing::Run({testing::BinDir() + "/kholuud", "--data", dir.Sub("other"),
                                               "--listen", "127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(same_port.exit_code, 2);
  EXPECT_NE(same_port.err.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << same_port.err;
  // Same archive, another port: one writer per archive.
  testing::RunResult same_archive = testing::Run({testing::BinDir() + "/kholuud", "--data", dir.Sub("data"),
                                                  "--listen", "127.0.0.1:" + std::to_string(FreePort())});
  EXPECT_EQ(same_archive.exit_code, 2);
  EXPECT_NE(same_archive.err.find("open for writing by another process"), std::string::npos) << same_archive.err;
  // A writing command too; a reading one is served beside it.
  testing::RunResult put = testing::Run({testing::BinDir() + "/kholuu", "--data", dir.Sub("data"), "gc"});
  EXPECT_EQ(put.exit_code, 2);
  EXPECT_NE(put.err.find("one writer per archive"), std::string::npos) << put.err;
  EXPECT_EQ(testing::Run({testing::BinDir() + "/kholuu", "--data", dir.Sub("data"), "stats"}).exit_code, 0);

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(ServerTest, RefusesADirectoryThatIsNotAnArchive) {
  testing::TempDir dir;
  testing::RunResult r = testing::Run({testing::BinDir() + "/kholuud", "--data", dir.path(),
                                       "--listen", "127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a kholuu archive"), std::string::npos) << r.err;
  r = testing::Run({testing::BinDir() + "/kholuud", "--listen", "nonsense"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace kholuu
