// The process's fault handler (archive/base/fault.h): a fault inside a
// FaultScope stops with the scope's message; a classifier sees faults
// first; a fault anywhere else, and a sent signal, still crash.
#include "archive/base/fault.h"

#include <sys/mman.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#include "tests/support/sanitizer.h"

namespace kholuu {
namespace {

// A real SIGSEGV: a read of a page that allows no access.
int ReadForbiddenPage() {
  void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  volatile const char* p = static_cast<const char*>(page);
  return *p == 0 ? 43 : 44;
}

TEST(FaultTest, AFaultInsideAScopeStopsWithItsMessage) {
  KHOLUU_SKIP_UNDER_ASAN();
  EXPECT_EXIT(
      {
        FaultScope outer("the outer thing is damaged");
        FaultScope inner("the index is damaged; run kholuu reindex");
        std::_Exit(ReadForbiddenPage());
      },
      ::testing::ExitedWithCode(kFaultStopExit), "kholuu: the index is damaged; run kholuu reindex \\(SIGSEGV\\)");
  // On another thread, the scope of that thread counts.
  EXPECT_EXIT(
      {
        std::thread t([] {
          FaultScope scope("the reader's data is damaged");
          std::_Exit(ReadForbiddenPage());
        });
        t.join();
      },
      ::testing::ExitedWithCode(kFaultStopExit), "kholuu: the reader's data is damaged");
}

TEST(FaultTest, AfterTheScopeAFaultCrashesAsBefore) {
  KHOLUU_SKIP_UNDER_ASAN();
  EXPECT_EXIT(
      {
        { FaultScope scope("not this"); }
        std::_Exit(ReadForbiddenPage());
      },
      ::testing::KilledBySignal(SIGSEGV), "");
  // A signal sent, not a fault, inside a scope: not charged to the data.
  EXPECT_EXIT(
      {
        FaultScope scope("not this either");
        std::raise(SIGBUS);
        std::_Exit(45);
      },
      ::testing::KilledBySignal(SIGBUS), "");
}

void StopOnEveryFault(int sig, const siginfo_t*) {
  FaultWrite(sig == SIGSEGV ? "classified a SIGSEGV at fault " : "classified another signal at fault ");
  FaultWriteNumber(7);
  FaultWrite("\n");
  FaultStop();
}

TEST(FaultTest, AClassifierSeesTheFaultBeforeTheScope) {
  KHOLUU_SKIP_UNDER_ASAN();
  EXPECT_EXIT(
      {
        AddFaultClassifier(&StopOnEveryFault);
        AddFaultClassifier(&StopOnEveryFault);  // idempotent
        FaultScope scope("the scope's message");
        std::_Exit(ReadForbiddenPage());
      },
      ::testing::ExitedWithCode(kFaultStopExit), "classified a SIGSEGV at fault 7");
}

}  // namespace
}  // namespace kholuu
