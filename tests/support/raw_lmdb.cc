#include "tests/support/raw_lmdb.h"

#include <gtest/gtest.h>
#include <lmdb.h>

namespace kholuu::testing {
namespace {

// Owns an environment opened on `dir` for the duration of one edit.
class RawEnv {
 public:
  RawEnv(const std::string& dir, unsigned flags) {
    EXPECT_EQ(mdb_env_create(&env_), 0);
    mdb_env_set_maxdbs(env_, 32);
    ok_ = mdb_env_open(env_, dir.c_str(), flags, 0644) == 0;
    EXPECT_TRUE(ok_) << "cannot open LMDB environment " << dir;
  }
  ~RawEnv() { mdb_env_close(env_); }
  RawEnv(const RawEnv&) = delete;
  RawEnv& operator=(const RawEnv&) = delete;
  MDB_env* get() const { return ok_ ? env_ : nullptr; }

 private:
  MDB_env* env_ = nullptr;
  bool ok_ = false;
};

}  // namespace

std::string SeqKey(unsigned long long v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

std::string RawGet(const std::string& dir, const char* table, const std::string& key) {
  RawEnv env(dir, MDB_RDONLY);
  if (env.get() == nullptr) return "";
  MDB_txn* txn = nullptr;
  if (mdb_txn_begin(env.get(), nullptr, MDB_RDONLY, &txn) != 0) return "";
  std::string out;
  MDB_dbi dbi;
  if (mdb_dbi_open(txn, table, 0, &dbi) == 0) {
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{};
    if (mdb_get(txn, dbi, &k, &v) == 0) out.assign(static_cast<char*>(v.mv_data), v.mv_size);
  }
  mdb_txn_abort(txn);
  return out;
}

namespace {

// One write transaction: `del` removes the key (with `value` non-empty, only
// that duplicate), else puts the pair.
void RawEdit(const std::string& dir, const char* table, const std::string& key, const std::string& value,
             bool del) {
  RawEnv env(dir, 0);
  ASSERT_NE(env.get(), nullptr);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env.get(), nullptr, 0, &txn), 0);
  MDB_dbi dbi;
  ASSERT_EQ(mdb_dbi_open(txn, table, 0, &dbi), 0);
  MDB_val k{key.size(), const_cast<char*>(key.data())};
  MDB_val v{value.size(), const_cast<char*>(value.data())};
  int rc = del ? mdb_del(txn, dbi, &k, value.empty() ? nullptr : &v) : mdb_put(txn, dbi, &k, &v, 0);
  if (rc != 0) {
    mdb_txn_abort(txn);
    FAIL() << "raw edit of " << table << " failed: " << mdb_strerror(rc);
  }
  ASSERT_EQ(mdb_txn_commit(txn), 0);
}

}  // namespace

void RawPut(const std::string& dir, const char* table, const std::string& key, const std::string& value) {
  RawEdit(dir, table, key, value, /*del=*/value.empty());
}

void RawDelDup(const std::string& dir, const char* table, const std::string& key, const std::string& value) {
  RawEdit(dir, table, key, value, /*del=*/true);
}

}  // namespace kholuu::testing
