// Progress of a long operation on stderr: "<what>: done/total <unit> (rate/s)".
// Shown when stderr is a terminal or --progress is given, never with
// --quiet; never on stdout. On a terminal the line is redrawn in place
// (at most 10 times a second), otherwise one line is written at most every
// half second, and always for the last step.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "tools/kholuu/commands.h"

namespace kholuu::cli {

class Progress {
 public:
  // `what` names the operation, `unit` what is counted (both human text).
  Progress(const Common& c, std::string what, std::string unit);
  ~Progress();  // ends a redrawn line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return enabled_; }
  // Thread-safe.
  void Update(uint64_t done, uint64_t total);
  // A callback for a library's options struct.
  std::function<void(uint64_t, uint64_t)> Callback();

 private:
  bool enabled_ = false;
  bool tty_ = false;
  bool open_line_ = false;
  std::string what_, unit_;
  std::chrono::steady_clock::time_point start_, last_;
  std::mutex mu_;
};

}  // namespace kholuu::cli
