// RAII wrappers over LMDB. Private to archive/: only archive/*.cc include this.
//
// Rules encoded here (bookworm lmdb.h): a transaction and its cursors belong
// to one thread; cursors are closed before their transaction ends (declare a
// Cursor after its Txn); mdb_txn_commit frees the handle even when it fails,
// so Commit() lets go of it first; one MDB_env per data directory per process.
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "archive/base/status.h"

namespace kholuu::archive::lmdb {

// MDB_NOTFOUND -> kNotFound, MDB_KEYEXIST -> kAlreadyExists, MDB_MAP_FULL ->
// kResourceExhausted, MDB_CORRUPTED/MDB_INVALID/MDB_PAGE_NOTFOUND ->
// kDataLoss, MDB_VERSION_MISMATCH -> kFailedPrecondition, errno values as
// ErrnoError, else kInternal.
Status Error(int rc, std::string_view what);

inline MDB_val Val(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}
inline std::string_view View(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

// Big-endian 8-byte key so that keys sort numerically.
std::string U64Key(uint64_t v);
bool ParseU64Key(std::string_view key, uint64_t* v);

class Txn {
 public:
  static Result<Txn> Begin(MDB_env* env, unsigned flags);
  // Takes ownership of a transaction begun by the caller.
  static Txn Adopt(MDB_txn* t) { return Txn(t); }
  Txn() = default;
  Txn(Txn&& other) noexcept : txn_(std::exchange(other.txn_, nullptr)) {}
  Txn& operator=(Txn&& other) noexcept {
    if (this != &other) {
      Abort();
      txn_ = std::exchange(other.txn_, nullptr);
    }
    return *this;
  }
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  ~Txn() { Abort(); }

  Status Commit();
  void Abort() {
    if (txn_ != nullptr) mdb_txn_abort(std::exchange(txn_, nullptr));
  }
  MDB_txn* get() const { return txn_; }
  bool active() const { return txn_ != nullptr; }

  // Get: kNotFound if absent. The view is valid until the txn ends or the next write.
  Result<std::string_view> Get(MDB_dbi dbi, std::string_view key) const;
  Status Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // Deletes key (and, for DUPSORT, only `value` if given). Missing is OK.
  Status Del(MDB_dbi dbi, std::string_view key, const std::string_view* value = nullptr);

 private:
  explicit Txn(MDB_txn* t) : txn_(t) {}
  MDB_txn* txn_ = nullptr;
};

class Cursor {
 public:
  static Result<Cursor> Open(const Txn& txn, MDB_dbi dbi);
  Cursor(Cursor&& other) noexcept : cur_(std::exchange(other.cur_, nullptr)) {}
  Cursor& operator=(Cursor&&) = delete;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() {
    if (cur_ != nullptr) mdb_cursor_close(cur_);
  }

  // Positions with `op`. Returns false at the end (MDB_NOTFOUND); errors otherwise.
  Result<bool> Get(MDB_cursor_op op, MDB_val* key, MDB_val* value);

 private:
  explicit Cursor(MDB_cursor* c) : cur_(c) {}
  MDB_cursor* cur_ = nullptr;
};

// Owns the MDB_env.
class Env {
 public:
  Env() = default;
  Env(Env&& other) noexcept : env_(std::exchange(other.env_, nullptr)) {}
  Env& operator=(Env&& other) noexcept {
    if (this != &other) {
      Close();
      env_ = std::exchange(other.env_, nullptr);
    }
    return *this;
  }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  ~Env() { Close(); }
  static Result<Env> Create();
  MDB_env* get() const { return env_; }

 private:
  explicit Env(MDB_env* e) : env_(e) {}
  // Forgets the map's fault guard (fault_guard.h), then closes.
  void Close();
  MDB_env* env_ = nullptr;
};

}  // namespace kholuu::archive::lmdb
