#include "archive/base/fault.h"

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace kholuu {
namespace {

std::atomic<FaultClassifier> g_classifiers[8];
struct sigaction g_previous[2];  // SIGSEGV, SIGBUS as they were before ours
std::atomic<bool> g_installed[2] = {false, false};

// The innermost FaultScope's message on this thread, or null. Initial-exec
// TLS: a plain load, safe in a signal handler.
__attribute__((tls_model("initial-exec"))) thread_local const char* t_scope = nullptr;

void WriteAll(const char* s, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(2, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

void OnFault(int sig, siginfo_t* info, void* /*context*/) {
  // si_code <= 0: sent by kill(2) or raise(3), not a fault.
  if (info->si_code > 0) {
    for (const auto& slot : g_classifiers) {
      FaultClassifier c = slot.load(std::memory_order_acquire);
      if (c != nullptr) c(sig, info);
    }
    if (const char* message = t_scope; message != nullptr) {
      FaultWrite("kholuu: ");
      FaultWrite(message);
      FaultWrite(sig == SIGBUS ? " (SIGBUS)\n" : " (SIGSEGV)\n");
      FaultStop();
    }
  }
  // Not ours: put the previous handler back. A fault returns and the
  // faulting access runs again and meets it; a sent signal is sent again.
  const int i = sig == SIGSEGV ? 0 : 1;
  ::sigaction(sig, &g_previous[i], nullptr);
  if (info->si_code <= 0) ::raise(sig);
}

void InstallHandlers() {
  for (int i = 0; i < 2; ++i) {
    if (g_installed[i].load()) continue;
    const int sig = i == 0 ? SIGSEGV : SIGBUS;
    struct sigaction current {};
    if (::sigaction(sig, nullptr, &current) != 0) continue;
    const bool is_default = (current.sa_flags & SA_SIGINFO) == 0 && current.sa_handler == SIG_DFL;
    if (!is_default) continue;  // someone else's (a sanitizer's): leave it
    struct sigaction ours {};
    ours.sa_sigaction = &OnFault;
    ours.sa_flags = SA_SIGINFO;
    sigemptyset(&ours.sa_mask);
    if (::sigaction(sig, &ours, &g_previous[i]) == 0) g_installed[i].store(true);
  }
}

std::mutex g_install_mu;

void EnsureInstalled() {
  if (g_installed[0].load(std::memory_order_acquire) && g_installed[1].load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lock(g_install_mu);
  InstallHandlers();
}

}  // namespace

void AddFaultClassifier(FaultClassifier c) {
  for (auto& slot : g_classifiers) {
    FaultClassifier expected = nullptr;
    if (slot.load() == c) break;
    if (slot.compare_exchange_strong(expected, c, std::memory_order_acq_rel)) break;
    if (expected == c) break;
  }
  EnsureInstalled();
}

FaultScope::FaultScope(const char* message) : outer_(t_scope) {
  EnsureInstalled();
  t_scope = message;
}

FaultScope::~FaultScope() { t_scope = outer_; }

void FaultWrite(const char* s) { WriteAll(s, std::strlen(s)); }

void FaultWriteNumber(uint64_t v) {
  char buf[24];
  size_t i = sizeof buf;
  do {
    buf[--i] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  WriteAll(buf + i, sizeof buf - i);
}

void FaultStop() { ::_exit(kFaultStopExit); }

}  // namespace kholuu
