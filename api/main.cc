// kholuud: serves an archive over HTTP until SIGTERM or SIGINT.
//   kholuud --data DIR --listen HOST:PORT
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "api/server.h"
#include "ingest/anchor.h"
#include "archive/base/log.h"

int main(int argc, char** argv) {
  using namespace kholuu;
  std::string data = ingest::DataDir::Default().root();
  std::string listen = "127.0.0.1:8080";
  std::string interval = "86400";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--data" || a == "--listen" || a == "--anchor-interval") && i + 1 < argc) {
      (a == "--data" ? data : a == "--listen" ? listen : interval) = argv[++i];
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: kholuud [--data DIR] [--listen HOST:PORT] [--anchor-interval SECONDS (default 86400, 0: never)]\n");
      return 0;
    } else {
      std::fprintf(stderr, "kholuud: unexpected argument '%s' (see --help)\n", argv[i]);
      return 2;
    }
  }
  Result<std::pair<std::string, int>> addr = api::ParseListen(listen);
  if (!addr.ok()) {
    std::fprintf(stderr, "kholuud: %s\n", addr.status().message().c_str());
    return 2;
  }
  if (interval.empty() || interval.size() > 9 || interval.find_first_not_of("0123456789") != std::string::npos) {
    std::fprintf(stderr, "kholuud: --anchor-interval wants a number of seconds, not '%s'\n", interval.c_str());
    return 2;
  }
  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Result<std::unique_ptr<ingest::Service>> a = ingest::Service::Open(ingest::DataDir(data), "kholuud");
  if (!a.ok()) {
    std::fprintf(stderr, "kholuud: %s\n", a.status().message().c_str());
    return a.status().code() == StatusCode::kInternal ? 3 : 2;
  }
  // The audit log anchored at intervals (ingest/anchor.h), while serving.
  std::unique_ptr<ingest::PeriodicAnchor> anchors;
  if (std::stoul(interval) > 0) {
    anchors = std::make_unique<ingest::PeriodicAnchor>(&(*a)->archive(), (*a)->data(), "kholuud",
                                                        std::chrono::seconds(std::stoul(interval)));
  }
  api::Server server(a->get());
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    Log(Severity::kInfo, "server.stopping", {{"signal", std::to_string(sig)}});
    server.Stop();
  });
  Status s = server.Serve(addr->first, addr->second);
  if (!s.ok()) {
    std::fprintf(stderr, "kholuud: %s\n", s.message().c_str());
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return s.code() == StatusCode::kUnavailable ? 2 : 3;  // a taken port is not an internal error
  }
  waiter.join();
  if (anchors) anchors->Stop();
  Log(Severity::kInfo, "server.stopped");
  return 0;
}
