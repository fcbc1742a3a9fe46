// A damaged catalog page stops a process with a clear reason, never a crash
// (ADR 0078): faults inside the catalog's map, values whose stored size runs
// past the file, and faults elsewhere (which must still crash).
#include <lmdb.h>
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <string>

#include "archive/base/file.h"
#include "archive/catalog/catalog.h"
#include "archive/catalog/internal/fault_guard.h"
#include "tests/support/fixtures.h"
#include "tests/support/sanitizer.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::archive {
namespace {

using ::kholuu::testing::SampleDocument;
using ::kholuu::testing::SampleRecordFile;
using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;

// A catalog with one record file of `docs` documents.
void MakeCatalog(const std::string& dir, int docs) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Create(dir));
  model::RecordFile f = SampleRecordFile(1);
  ASSERT_OK(c->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
    for (int i = 1; i <= docs; ++i) KHOLUU_RETURN_IF_ERROR(w.PutDocument(SampleDocument(f, i)));
    return Status::Ok();
  }));
}

// Opens `dir` with LMDB directly (a 64 MiB map over a file of a few pages),
// guards its map, then reads 32 MiB past a key LMDB returned: inside the map
// but past the end of the file, a SIGBUS, as LMDB meets when a damaged page
// number or size sends it past the file.
void ReadPastTheFile(const std::string& dir) {
  MDB_env* env = nullptr;
  MDB_txn* txn = nullptr;
  MDB_dbi main_db = 0;
  MDB_cursor* cursor = nullptr;
  MDB_val key{}, value{};
  if (mdb_env_create(&env) != 0 || mdb_env_set_mapsize(env, 64u << 20) != 0 ||
      mdb_env_open(env, dir.c_str(), MDB_RDONLY | MDB_NOLOCK, 0644) != 0 ||
      mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn) != 0 || mdb_dbi_open(txn, nullptr, 0, &main_db) != 0 ||
      mdb_cursor_open(txn, main_db, &cursor) != 0 || mdb_cursor_get(cursor, &key, &value, MDB_FIRST) != 0) {
    std::_Exit(42);
  }
  lmdb::GuardMap(env, dir);
  volatile const char* p = static_cast<const char*>(key.mv_data) + (32u << 20);
  std::_Exit(*p == 0 ? 43 : 44);  // never reached: the read faults
}

// Sets the 16-bit field at `offset` (from the key) of every leaf node of
// the documents table keyed by `id` — the live one and any stale copy. An
// LMDB node is lo16 hi16 flags16 ksize16, then the key.
void PatchDocumentNodes(const std::string& path, const std::string& id, int offset, uint16_t value) {
  ASSERT_OK_AND_ASSIGN(std::string bytes, ReadFileToString(path));
  int patched = 0;
  for (size_t at = bytes.find(id); at != std::string::npos; at = bytes.find(id, at + 1)) {
    if (at < 8) continue;
    uint16_t flags = 0, ksize = 0;
    std::memcpy(&flags, bytes.data() + at - 4, 2);
    std::memcpy(&ksize, bytes.data() + at - 2, 2);
    if (flags != 0 || ksize != id.size()) continue;
    std::memcpy(bytes.data() + static_cast<std::ptrdiff_t>(at) + offset, &value, 2);
    ++patched;
  }
  ASSERT_GT(patched, 0);
  ASSERT_OK(WriteFileAtomic(path, bytes));
}


TEST(CatalogDamageTest, AFaultInsideTheCatalogMapStopsWithTheFileNamed) {
  KHOLUU_SKIP_UNDER_ASAN();
  TempDir dir;
  MakeCatalog(dir.Sub("c"), 3);
  EXPECT_EXIT(ReadPastTheFile(dir.Sub("c")), ::testing::ExitedWithCode(lmdb::kDamagedCatalogExit),
              "the catalog file .*/c/data.mdb is damaged: reading it went past the end of the file \\(SIGBUS\\) "
              "at byte [0-9]+.*Restore the catalog from a backup");
}

TEST(CatalogDamageTest, AFaultElsewhereStillCrashes) {
  KHOLUU_SKIP_UNDER_ASAN();
  TempDir dir;
  MakeCatalog(dir.Sub("c"), 3);
  // A real fault outside every catalog map: a bug, not damage.
  EXPECT_EXIT(
      {
        ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c")));
        void* page = ::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        volatile const char* p = static_cast<const char*>(page);
        std::_Exit(*p == 0 ? 43 : 44);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
  // A signal sent, not a fault.
  EXPECT_EXIT(
      {
        ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c")));
        std::raise(SIGBUS);
        std::_Exit(45);
      },
      ::testing::KilledBySignal(SIGBUS), "");
}

TEST(CatalogDamageTest, AValueWhoseSizeRunsPastTheFileIsDataLoss) {
  TempDir dir;
  MakeCatalog(dir.Sub("c"), 3);
  const model::Document doc = SampleDocument(SampleRecordFile(1), 2);
  // The value now claims about 2 GiB.
  PatchDocumentNodes(dir.Sub("c/data.mdb"), doc.id, /*offset=*/-6, 0x7fff);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c")));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
  Result<model::Document> got = r.GetDocument(doc.id);
  EXPECT_THAT(got, StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(got.status().message(), HasSubstr("runs past the end of the file"));
  // The full scans of audit verify meet it too, and say so.
  Result<StateReport> state = r.VerifyState();
  EXPECT_THAT(state, StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(state.status().message(), HasSubstr("data.mdb is damaged"));
}

TEST(CatalogDamageTest, AFaultInsideLmdbOnADamagedNodeStopsWithTheFileNamed) {
  KHOLUU_SKIP_UNDER_ASAN();
  TempDir dir;
  MakeCatalog(dir.Sub("c"), 3);
  const model::Document doc = SampleDocument(SampleRecordFile(1), 2);
  // F_DUPDATA on a node of a plain table: LMDB reaches for the sub-cursor
  // that only DUPSORT tables have, a null pointer.
  PatchDocumentNodes(dir.Sub("c/data.mdb"), doc.id, /*offset=*/-4, 0x04);
  EXPECT_EXIT(
      {
        ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c")));
        ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
        (void)r.GetDocument(doc.id);
        std::_Exit(45);
      },
      ::testing::ExitedWithCode(lmdb::kDamagedCatalogExit),
      "the catalog file .*/c/data.mdb is damaged: LMDB stopped on an invalid page structure");
}

}  // namespace
}  // namespace kholuu::archive
