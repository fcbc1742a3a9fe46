// A damaged catalog page must stop a process with a clear reason, not a
// crash (ADR 0078). LMDB keeps no page checksums: a page damaged on disk
// can make it follow a bad offset through the memory map (SIGSEGV, or
// SIGBUS past the end of the file) or fail one of its own assertions
// (abort). GuardMap registers an environment's map so that either ends the
// process at once with exit status kDamagedCatalogExit and a message naming
// the file and the byte, instead of a core dump; a fault anywhere else is
// left to the handler that was there before (a real bug still crashes).
// The signal handler itself is archive/base/fault.h's; this registers a
// classifier with it.
//
// Thread-safety: all functions may be called from any thread; the handler
// reads the registry lock-free.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <string_view>

#include "archive/base/fault.h"
#include "archive/base/status.h"

namespace kholuu::archive::lmdb {

// The exit status of a process stopped on a damaged catalog: that of any
// other "a check failed" (the CLI maps kDataLoss to 1).
inline constexpr int kDamagedCatalogExit = kFaultStopExit;

// Registers (or, after the map moved, refreshes) `env`'s map under the name
// `dir`/data.mdb, and LMDB's assertion hook for it. Registers the
// classifier with the process's fault handler on first use (not installed
// under a sanitizer, archive/base/fault.h). At most 64 maps are
// guarded at once; more are simply not guarded.
void GuardMap(MDB_env* env, std::string_view dir);
// Forgets `env` (before mdb_env_close).
void UnguardMap(MDB_env* env);

// Marks the calling thread as inside an LMDB call on `env` for its
// lifetime. A fault meanwhile, at any address, is charged to the catalog's
// pages: a damaged node flag makes LMDB itself follow a null pointer (a
// DUPSORT cursor that a plain table does not have). Put one around every
// mdb_* call that reads pages; nothing else runs inside it.
class InLmdbCall {
 public:
  explicit InLmdbCall(MDB_env* env);
  ~InLmdbCall();
  InLmdbCall(const InLmdbCall&) = delete;
  InLmdbCall& operator=(const InLmdbCall&) = delete;

 private:
  MDB_env* outer_;
};

// A key or value LMDB returned, checked against the file it points into: a
// damaged size would make a copy read past the end of the file (SIGBUS) or
// of the map. kDataLoss naming the file and the byte when it runs past the
// last page in use; Ok otherwise (and for a write transaction's own pages,
// which are not in the map).
Status CheckInMap(MDB_txn* txn, const MDB_val& v, std::string_view what);

}  // namespace kholuu::archive::lmdb
