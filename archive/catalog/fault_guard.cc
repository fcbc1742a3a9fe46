#include "archive/catalog/internal/fault_guard.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>

#include "archive/base/fault.h"

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

[[noreturn]] void Stop(const char* path, const char* what, const uint64_t* offset) {
  FaultWrite("kholuu: the catalog file ");
  FaultWrite(path);
  FaultWrite(" is damaged: ");
  FaultWrite(what);
  if (offset != nullptr) {
    FaultWrite(" at byte ");
    FaultWriteNumber(*offset);
  }
  FaultWrite(". The process stopped before using the damaged data; no catalog change was committed. "
             "Restore the catalog from a backup or the replica (kholuu restore), then run kholuu audit verify.\n");
  FaultStop();
}

// The fault classifier (archive/base/fault.h): a fault in a guarded map, or
// any fault inside an LMDB call on a guarded catalog.
void OnFault(int sig, const siginfo_t* info) {
  const uintptr_t addr = reinterpret_cast<uintptr_t>(info->si_addr);
  for (const Slot& s : g_slots) {
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
  if (t_in_call != nullptr) {
    for (const Slot& s : g_slots) {
      if (s.env.load(std::memory_order_acquire) != reinterpret_cast<uintptr_t>(t_in_call)) continue;
      Stop(s.path, sig == SIGBUS ? "LMDB stopped on an invalid page structure (SIGBUS inside LMDB)"
                                 : "LMDB stopped on an invalid page structure (SIGSEGV inside LMDB)",
           nullptr);
    }
  }
}

void OnAssert(MDB_env* env, const char* msg) {
  const char* path = "(unknown)";
  for (const Slot& s : g_slots) {
    if (s.env.load(std::memory_order_acquire) == reinterpret_cast<uintptr_t>(env)) path = s.path;
  }
  FaultWrite("kholuu: LMDB: ");
  FaultWrite(msg);
  FaultWrite("\n");
  Stop(path, "LMDB found an inconsistent page", nullptr);
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
  AddFaultClassifier(&OnFault);
  std::lock_guard<std::mutex> lock(g_mu);
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
