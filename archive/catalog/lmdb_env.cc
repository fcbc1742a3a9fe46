#include "archive/catalog/internal/lmdb_env.h"

#include "archive/catalog/internal/fault_guard.h"

#include <cerrno>

namespace kholuu::archive::lmdb {

Status Error(int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_NOTFOUND: return NotFoundError(std::move(msg));
    case MDB_KEYEXIST: return AlreadyExistsError(std::move(msg));
    case MDB_MAP_FULL: return ResourceExhaustedError(std::move(msg));
    case MDB_CORRUPTED:
    case MDB_INVALID:
    case MDB_PAGE_NOTFOUND:
    // A sane catalog is never 32 levels deep nor changes a table's type: a
    // damaged branch page (a loop, a flag) is what makes LMDB say these.
    case MDB_CURSOR_FULL:
    case MDB_INCOMPATIBLE:
      return DataLossError(std::move(msg) + " (the catalog file is damaged)");
    case MDB_VERSION_MISMATCH: return FailedPreconditionError(std::move(msg));
    default:
      break;
  }
  if (rc > 0) return ErrnoError(rc, what);
  return InternalError(std::move(msg));
}

std::string U64Key(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

bool ParseU64Key(std::string_view key, uint64_t* v) {
  if (key.size() != 8) return false;
  uint64_t r = 0;
  for (char c : key) r = (r << 8) | static_cast<uint8_t>(c);
  *v = r;
  return true;
}

Result<Txn> Txn::Begin(MDB_env* env, unsigned flags) {
  MDB_txn* t = nullptr;
  int rc;
  {
    InLmdbCall in(env);
    rc = mdb_txn_begin(env, nullptr, flags, &t);
  }
  if (rc != 0) return Error(rc, "begin transaction");
  return Txn(t);
}

Status Txn::Commit() {
  MDB_txn* t = std::exchange(txn_, nullptr);
  KHOLUU_CHECK(t != nullptr);
  int rc;
  {
    InLmdbCall in(mdb_txn_env(t));
    rc = mdb_txn_commit(t);
  }
  if (rc == EIO) {
    // LMDB turns a short write (disk full, file size limit) into EIO. The
    // transaction is aborted either way; nothing was committed.
    return ResourceExhaustedError(
        "commit: could not write the catalog file (disk full, file size limit or I/O error); "
        "nothing was committed");
  }
  if (rc != 0) return Error(rc, "commit");
  return Status::Ok();
}

Result<std::string_view> Txn::Get(MDB_dbi dbi, std::string_view key) const {
  MDB_val k = Val(key);
  MDB_val v{};
  int rc;
  {
    InLmdbCall in(mdb_txn_env(txn_));
    rc = mdb_get(txn_, dbi, &k, &v);
  }
  if (rc != 0) return Error(rc, "get");
  KHOLUU_RETURN_IF_ERROR(CheckInMap(txn_, v, "value"));
  return View(v);
}

Status Txn::Put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = Val(key);
  MDB_val v = Val(value);
  int rc;
  {
    InLmdbCall in(mdb_txn_env(txn_));
    rc = mdb_put(txn_, dbi, &k, &v, flags);
  }
  if (rc != 0) return Error(rc, "put");
  return Status::Ok();
}

Status Txn::Del(MDB_dbi dbi, std::string_view key, const std::string_view* value) {
  MDB_val k = Val(key);
  MDB_val v{};
  if (value != nullptr) v = Val(*value);
  int rc;
  {
    InLmdbCall in(mdb_txn_env(txn_));
    rc = mdb_del(txn_, dbi, &k, value != nullptr ? &v : nullptr);
  }
  if (rc != 0 && rc != MDB_NOTFOUND) return Error(rc, "delete");
  return Status::Ok();
}

Result<Cursor> Cursor::Open(const Txn& txn, MDB_dbi dbi) {
  MDB_cursor* c = nullptr;
  int rc = mdb_cursor_open(txn.get(), dbi, &c);
  if (rc != 0) return Error(rc, "open cursor");
  return Cursor(c);
}

Result<bool> Cursor::Get(MDB_cursor_op op, MDB_val* key, MDB_val* value) {
  int rc;
  {
    InLmdbCall in(mdb_txn_env(mdb_cursor_txn(cur_)));
    rc = mdb_cursor_get(cur_, key, value, op);
  }
  if (rc == MDB_NOTFOUND) return false;
  if (rc != 0) return Error(rc, "cursor");
  KHOLUU_RETURN_IF_ERROR(CheckInMap(mdb_cursor_txn(cur_), *key, "key"));
  KHOLUU_RETURN_IF_ERROR(CheckInMap(mdb_cursor_txn(cur_), *value, "value"));
  return true;
}

void Env::Close() {
  if (env_ == nullptr) return;
  UnguardMap(env_);
  mdb_env_close(std::exchange(env_, nullptr));
}

Result<Env> Env::Create() {
  MDB_env* e = nullptr;
  int rc = mdb_env_create(&e);
  if (rc != 0) return Error(rc, "create environment");
  return Env(e);
}

}  // namespace kholuu::archive::lmdb
