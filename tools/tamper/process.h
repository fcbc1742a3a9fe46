// Running the real programs a tamper trial checks with: each in its own
// process, its output captured, its end classified (exit status, signal,
// time limit), so that a crash of the program under test never takes the
// campaign down with it.
#pragma once

#include <string>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::tamper {

struct ProcessResult {
  int exit_code = -1;      // -1 when it did not exit by itself
  int signal = 0;          // the signal that ended it (SIGKILL after a time-out)
  bool timed_out = false;  // killed after the time limit
  std::string out, err;
  double seconds = 0;

  // Ended by a signal or the time limit: never an acceptable outcome.
  bool Crashed() const { return signal != 0 || timed_out; }
  // A one-line description: "exit 1", "signal 11 (Segmentation fault)", "timed out".
  std::string Describe() const;
};

// Runs argv (argv[0] an absolute path) with stdin on /dev/null and stdout and
// stderr captured; kills it with SIGKILL after `timeout_seconds`. Errors:
// kInternal when it cannot be started (fork, pipe).
Result<ProcessResult> Run(const std::vector<std::string>& argv, double timeout_seconds);

// The directory of this program (from /proc/self/exe), where the other
// kholuu programs are built.
std::string SelfDir();

// `name` found on $PATH (an absolute path), or "" when absent.
std::string FindOnPath(const std::string& name);

}  // namespace kholuu::tamper
