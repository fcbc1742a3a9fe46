// Runs real programs from tests: the kholuu binaries, killed or limited.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace kholuu::testing {

struct RunResult {
  int exit_code = -1;   // -1 if killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};

struct RunOptions {
  // Runs in the child after fork, before exec (set limits, drop privileges).
  std::function<void()> before_exec;
  std::vector<std::string> env;  // extra "K=V" entries
};

// Runs argv[0] with arguments, waits, and captures stdout and stderr.
RunResult Run(const std::vector<std::string>& argv, const RunOptions& options = {});

// Starts a program with stdout redirected to `stdout_path`; returns its pid.
pid_t Start(const std::vector<std::string>& argv, const std::string& stdout_path);

// Directory of the test binaries (build/bin), from /proc/self/exe.
std::string BinDir();

}  // namespace kholuu::testing
