#include "archive/catalog/internal/fault_guard.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

namespace kholuu::archive::lmdb {
namespace {

// One guarded map. `env` is published last (release) and cleared first, so
// the handler never reads a half-written slot.
struct Slot {
  std::atomic<uintptr_t> env{0};
  std::atomic<uintptr_t> begin{0};
  std::atomic<uintptr_t> end{0};
  char path[512] = {};
};
Slot g_slots[64];
std::mutex g_mu;  // writers of g_slots; the handler never takes it

// The environment whose LMDB call this thread is in (InLmdbCall), or null.
// Initial-exec TLS: a plain load, safe in a signal handler.
__attribute__((tls_model("initial-exec"))) thread_local MDB_env* t_in_call = nullptr;

struct sigaction g_previous[2];  // SIGSEGV, SIGBUS as they were before ours
std::atomic<bool> g_installed[2] = {false, false};

void WriteAll(const char* s, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(2, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}
void WriteStr(const char* s) { WriteAll(s, std::strlen(s)); }
void WriteNumber(uint64_t v) {
  char buf[24];
  size_t i = sizeof buf;
  do {
    buf[--i] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  WriteAll(buf + i, sizeof buf - i);
}

[[noreturn]] void Stop(const char* path, const char* what, const uint64_t* offset) {
  WriteStr("kholuu: the catalog file ");
  WriteStr(path);
  WriteStr(" is damaged: ");
  WriteStr(what);
  if (offset != nullptr) {
    WriteStr(" at byte ");
    WriteNumber(*offset);
  }
  WriteStr(". The process stopped before using the damaged data; no catalog change was committed. "
           "Restore the catalog from a backup or the replica (kholuu restore), then run kholuu audit verify.\n");
  ::_exit(kDamagedCatalogExit);
}

void OnFault(int sig, siginfo_t* info, void* /*context*/) {
  const uintptr_t addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (const Slot& s : g_slots) {
    if (info->si_code <= 0) break;  // sent, not a fault: si_addr means nothing
    if (s.env.load(std::memory_order_acquire) == 0) continue;
    const uintptr_t b = s.begin.load(std::memory_order_relaxed), e = s.end.load(std::memory_order_relaxed);
    if (addr >= b && addr < e) {
      const uint64_t offset = addr - b;
      Stop(s.path, sig == SIGBUS ? "reading it went past the end of the file (SIGBUS)"
                                 : "reading it followed an invalid page reference (SIGSEGV)",
           &offset);
    }
  }
  // Inside an LMDB call on a guarded catalog: LMDB followed its pages
  // somewhere invalid (a null cursor a damaged node flag asked for).
  if (info->si_code > 0 && t_in_call != nullptr) {
    for (const Slot& s : g_slots) {
      if (s.env.load(std::memory_order_acquire) != reinterpret_cast<uintptr_t>(t_in_call)) continue;
      Stop(s.path, sig == SIGBUS ? "LMDB stopped on an invalid page structure (SIGBUS inside LMDB)"
                                 : "LMDB stopped on an invalid page structure (SIGSEGV inside LMDB)",
           nullptr);
    }
  }
  // Not a catalog page: put the previous handler back. A fault returns and
  // the faulting access runs again and meets it (a real bug still crashes);
  // a signal sent by kill(2) or raise(3) is sent again.
  const int i = sig == SIGSEGV ? 0 : 1;
  ::sigaction(sig, &g_previous[i], nullptr);
  if (info->si_code <= 0) ::raise(sig);
}

void OnAssert(MDB_env* env, const char* msg) {
  const char* path = "(unknown)";
  for (const Slot& s : g_slots) {
    if (s.env.load(std::memory_order_acquire) == reinterpret_cast<uintptr_t>(env)) path = s.path;
  }
  WriteStr("kholuu: LMDB: ");
  WriteStr(msg);
  WriteStr("\n");
  Stop(path, "LMDB found an inconsistent page", nullptr);
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

}  // namespace

namespace {

// Where `env`'s map lies: LMDB does not say (MDB_envinfo's me_mapaddr is
// only set for MDB_FIXEDMAP), so it is the mapping of its data file, from
// offset 0, of the map's size, in /proc/self/maps. False if not found.
bool FindMap(MDB_env* env, uintptr_t* begin, uintptr_t* end) {
  MDB_envinfo info{};
  mdb_filehandle_t fd = -1;
  struct stat st {};
  if (mdb_env_info(env, &info) != 0 || mdb_env_get_fd(env, &fd) != 0 || ::fstat(fd, &st) != 0) return false;
  std::FILE* maps = std::fopen("/proc/self/maps", "re");
  if (maps == nullptr) return false;
  char line[4096];
  bool found = false;
  while (!found && std::fgets(line, sizeof line, maps) != nullptr) {
    unsigned long long b = 0, e = 0, offset = 0, inode = 0;
    unsigned dev_major = 0, dev_minor = 0;
    char perms[8] = {};
    if (std::sscanf(line, "%llx-%llx %7s %llx %x:%x %llu", &b, &e, perms, &offset, &dev_major, &dev_minor, &inode) != 7) {
      continue;
    }
    found = offset == 0 && inode == st.st_ino && dev_major == major(st.st_dev) && dev_minor == minor(st.st_dev) &&
            e - b == info.me_mapsize;
    if (found) {
      *begin = static_cast<uintptr_t>(b);
      *end = static_cast<uintptr_t>(e);
    }
  }
  std::fclose(maps);
  return found;
}

const Slot* SlotOf(MDB_env* env) {
  for (const Slot& s : g_slots) {
    if (s.env.load(std::memory_order_acquire) == reinterpret_cast<uintptr_t>(env)) return &s;
  }
  return nullptr;
}

}  // namespace

void GuardMap(MDB_env* env, std::string_view dir) {
  uintptr_t begin = 0, end = 0;
  if (env == nullptr || !FindMap(env, &begin, &end)) return;
  mdb_env_set_assert(env, &OnAssert);  // ENOSYS where LMDB was built without assertions: nothing to hook
  std::lock_guard<std::mutex> lock(g_mu);
  InstallHandlers();
  const uintptr_t key = reinterpret_cast<uintptr_t>(env);
  Slot* slot = nullptr;
  for (Slot& s : g_slots) {
    if (s.env.load() == key) slot = &s;
  }
  for (Slot& s : g_slots) {
    if (slot == nullptr && s.env.load() == 0) slot = &s;
  }
  if (slot == nullptr) return;
  slot->env.store(0, std::memory_order_release);
  const std::string path = std::string(dir) + "/data.mdb";
  const size_t n = std::min(path.size(), sizeof slot->path - 1);
  std::memcpy(slot->path, path.data(), n);
  slot->path[n] = '\0';
  slot->begin.store(begin, std::memory_order_relaxed);
  slot->end.store(end, std::memory_order_relaxed);
  slot->env.store(key, std::memory_order_release);
}

InLmdbCall::InLmdbCall(MDB_env* env) : outer_(t_in_call) { t_in_call = env; }
InLmdbCall::~InLmdbCall() { t_in_call = outer_; }

void UnguardMap(MDB_env* env) {
  std::lock_guard<std::mutex> lock(g_mu);
  for (Slot& s : g_slots) {
    if (s.env.load() == reinterpret_cast<uintptr_t>(env)) s.env.store(0, std::memory_order_release);
  }
}

Status CheckInMap(MDB_txn* txn, const MDB_val& v, std::string_view what) {
  MDB_env* env = mdb_txn_env(txn);
  const Slot* slot = SlotOf(env);
  if (slot == nullptr) return Status::Ok();  // not guarded: nothing known to check against
  const uintptr_t begin = slot->begin.load(std::memory_order_relaxed);
  const uintptr_t map_end = slot->end.load(std::memory_order_relaxed);
  const uintptr_t p = reinterpret_cast<uintptr_t>(v.mv_data);
  if (p < begin || p >= map_end) return Status::Ok();  // a write transaction's own (dirty) page
  // What the file holds: its pages up to the last one in use.
  MDB_envinfo info{};
  MDB_stat st{};
  if (mdb_env_info(env, &info) != 0 || mdb_env_stat(env, &st) != 0) return Status::Ok();
  const uintptr_t end = begin + std::min<uint64_t>(map_end - begin, (info.me_last_pgno + 1) * uint64_t{st.ms_psize});
  if (p >= end || v.mv_size > end - p) {
    return DataLossError("the catalog file " + std::string(slot->path) + " is damaged: a " + std::string(what) +
                         " of " + std::to_string(v.mv_size) + " bytes at byte " + std::to_string(p - begin) +
                         " runs past the end of the file; restore the catalog from a backup or the replica "
                         "(kholuu restore)");
  }
  return Status::Ok();
}

}  // namespace kholuu::archive::lmdb
