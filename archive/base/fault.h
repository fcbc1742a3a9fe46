// A crash inside a library that reads on-disk structures (LMDB's pages,
// Xapian's index) becomes a clear stop (ADR 0078, ADR 0079): damaged data
// on disk must end a process with a reason, not a core dump.
//
// The process has one SIGSEGV/SIGBUS handler, installed on first use and
// only where the disposition is the default one (a sanitizer's handler is
// left alone, so nothing here works under ASan). On a fault it asks each
// registered classifier, which may end the process; then, if the faulting
// thread is inside a FaultScope, prints the scope's message and exits with
// kFaultStopExit. Any other fault gets the previous disposition back and
// crashes as before (a real bug still crashes).
//
// Thread-safety: all functions may be called from any thread.
#pragma once

#include <signal.h>

#include <cstdint>

namespace kholuu {

// The exit status of a process stopped on damaged data: that of any other
// "a check failed" (the CLI maps kDataLoss to 1).
inline constexpr int kFaultStopExit = 1;

// Called from the signal handler with the fault: returns when the fault is
// not one it knows; may end the process (FaultStop). Must be
// async-signal-safe.
using FaultClassifier = void (*)(int sig, const siginfo_t* info);

// Registers `c` (at most 8; more are ignored) and installs the handler.
// Idempotent for the same classifier.
void AddFaultClassifier(FaultClassifier c);

// Marks the calling thread as inside a call that reads `what` for the
// scope's lifetime (scopes nest; the innermost names the fault). `message`
// must outlive the scope (a string literal): a fault meanwhile prints
// "kholuu: <message>" and exits with kFaultStopExit.
class FaultScope {
 public:
  explicit FaultScope(const char* message);
  ~FaultScope();
  FaultScope(const FaultScope&) = delete;
  FaultScope& operator=(const FaultScope&) = delete;

 private:
  const char* outer_;
};

// For classifiers: async-signal-safe writes to standard error, and the stop.
void FaultWrite(const char* s);
void FaultWriteNumber(uint64_t v);
[[noreturn]] void FaultStop();

}  // namespace kholuu
