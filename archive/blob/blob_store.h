// Content-addressed store of immutable blobs, keyed by SHA-256.
//
// Layout (docs/formats/storage.md): <root>/sha256/ab/cd/<64 hex>, where ab and
// cd are the first two bytes of the digest in hex; temporary files live in
// <root>/tmp and are removed by Open(). A blob is durable (file fsynced,
// renamed, both directories fsynced) before Put returns, so the catalog may
// reference it as soon as it has the digest. Blob files are mode 0444. Blobs
// are never modified; only Remove (called by audited garbage collection)
// deletes one, and only PutExpected (repair) replaces one, and only when the
// stored file no longer matches its name.
//
// Every open BlobStore holds a shared flock(2) on <root>/LOCK; Open() removes
// leftover temporary files only when it can take that lock exclusively, so a
// second process opening the store never deletes a Put in progress.
//
// Several blobs that will be referenced together (the originals, copies,
// texts and reports of one package) are put through a BlobBatch: the same
// guarantee for the group at the cost of one round of concurrent syncs
// instead of five synchronous syncs per blob.
//
// Thread-safety: safe for concurrent use; concurrent Puts of the same bytes
// both succeed and leave one blob.
#pragma once

#include <bitset>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "archive/base/status.h"

namespace kholuu::archive {

struct BlobInfo {
  Sha256 sha256;
  uint64_t size = 0;
};

// Reads a blob as a stream. With verification on, the last Read (the one that
// would return 0) fails with kDataLoss if the bytes do not hash to the blob's
// name, and so does every later Read, so a caller that reads to the end never
// consumes corrupt data silently. Move-only. Not thread-safe; one owner
// thread. It keeps the file open and may outlive the store.
class BlobReader final : public ByteSource {
 public:
  Result<size_t> Read(char* buf, size_t size) override;
  uint64_t size() const { return size_; }

 private:
  friend class BlobStore;
  BlobReader(File file, Sha256 expected, uint64_t size, bool verify)
      : file_(std::move(file)), expected_(expected), size_(size), verify_(verify) {}
  File file_;
  Sha256 expected_;
  uint64_t size_;
  bool verify_;
  bool finished_ = false;
  bool corrupt_ = false;
  Sha256Hasher hasher_;
};

class BlobStore;

// A group of Puts made durable together. Each Put hashes its bytes into a
// temporary file and returns the digest without syncing; Commit() syncs all
// the files at once, moves them into place and syncs every directory it
// touched once, so that when it returns OK every blob of the batch is in the
// store and durable, exactly as after BlobStore::Put. Until then a blob put
// into the batch is not in the store (Contains, Open): the catalog must not
// reference it before Commit() returns OK. Destroying a batch without
// Commit(), or a failed Commit(), leaves no temporary file; blobs a failed
// Commit() had already moved into place stay (complete and unreferenced;
// garbage collection takes them, a retried Put finds them).
//
// Thread-safety: Put* may be called from several threads at once; Commit()
// once, after every Put has returned. Move-only; must not outlive its store.
class BlobBatch {
 public:
  BlobBatch(BlobBatch&&) noexcept;
  BlobBatch& operator=(BlobBatch&&) = delete;
  BlobBatch(const BlobBatch&) = delete;
  BlobBatch& operator=(const BlobBatch&) = delete;
  ~BlobBatch();

  // As BlobStore::Put, PutFile, PutBytes and PutExpected (including the
  // repair of a stored blob that no longer matches its name), durable only
  // after Commit().
  Result<BlobInfo> Put(ByteSource& source);
  Result<BlobInfo> PutFile(const std::string& path);
  Result<BlobInfo> PutBytes(std::string_view bytes);
  Result<BlobInfo> PutExpected(const std::string& path, const Sha256& expected);

  // Makes every blob put so far durable and visible. Errors: as Put (I/O,
  // kResourceExhausted). A batch may be committed once.
  Status Commit();

  size_t size() const;  // Puts so far

 private:
  friend class BlobStore;
  explicit BlobBatch(BlobStore* store);
  struct Pending;
  Result<BlobInfo> Add(ByteSource& source, const Sha256* expected, const std::string& what);
  Status SyncStaged(std::vector<Pending>& staged);  // REQUIRES: mu_ held
  void Discard();

  BlobStore* store_;
  mutable std::mutex mu_;
  std::vector<Pending> pending_;  // GUARDED_BY(mu_)
  size_t puts_ = 0;               // GUARDED_BY(mu_)
  bool done_ = false;             // GUARDED_BY(mu_)
};

class BlobStore {
 public:
  // Opens (creating if `create`) the store rooted at `root`, and removes
  // leftover temporary files. Errors: kNotFound (no store and !create),
  // kPermissionDenied, kFailedPrecondition (root is not a directory).
  static Result<std::unique_ptr<BlobStore>> Open(const std::string& root, bool create);

  // Streams `source` into the store, hashing while copying; never holds the
  // whole content in memory. Storing bytes already present returns the same
  // digest and leaves the existing blob untouched.
  // Errors: kResourceExhausted (disk full, file size limit), kPermissionDenied,
  // errors of `source`. On error nothing is left in the store.
  Result<BlobInfo> Put(ByteSource& source);
  Result<BlobInfo> PutFile(const std::string& path);
  Result<BlobInfo> PutBytes(std::string_view bytes);

  // Copies an existing file whose digest the caller claims, verifying it
  // while copying. Used for repair from a replica and restore.
  // If a blob named `expected` is already stored, it is re-hashed: when it
  // verifies it is left untouched (like Put); when it does not (kDataLoss,
  // including a read error EIO), it is replaced atomically by the verified
  // copy (rename over the read-only file). This is the only way a stored blob
  // is ever replaced.
  // Errors: kDataLoss if the bytes of `path` hash differently (nothing stored,
  // an existing blob is untouched); kNotFound if `path` is missing; as Put.
  Result<BlobInfo> PutExpected(const std::string& path, const Sha256& expected);

  // A batch of Puts made durable by one Commit() (see BlobBatch).
  BlobBatch NewBatch() { return BlobBatch(this); }

  // Errors: kNotFound if absent.
  Result<BlobReader> Open(const Sha256& digest, bool verify = true) const;
  bool Contains(const Sha256& digest) const;
  Result<uint64_t> Size(const Sha256& digest) const;

  // Re-hashes the stored blob. Errors: kNotFound (missing), kDataLoss
  // (content does not match its name; the message gives the actual digest).
  Status Verify(const Sha256& digest) const;

  // Copies the blob's bytes to `dest` (atomically, durably), verifying them.
  // Errors: kNotFound (missing blob), kDataLoss (corrupt blob; `dest` is left
  // as it was and no temporary file remains), as ErrnoError for `dest`.
  Status CopyTo(const Sha256& digest, const std::string& dest) const;

  // Deletes a blob. Only for audited garbage collection. Missing is OK.
  Status Remove(const Sha256& digest);

  // Calls `fn` for every blob file present (sorted by digest). Files whose
  // names are not valid digests (64 lower-case hex digits, in the fan-out
  // directories their name implies) are skipped. Stops at the first non-OK
  // return of `fn` and returns it.
  Status ForEach(const std::function<Status(const Sha256&)>& fn) const;

  // Path of a blob's file (it may not exist).
  std::string PathOf(const Sha256& digest) const;
  const std::string& root() const { return root_; }

 private:
  friend class BlobBatch;
  BlobStore(std::string root, File lock) : root_(std::move(root)), lock_(std::move(lock)) {}

  // Streams `source` into a new file in <root>/tmp. With `sync`, fsyncs and
  // closes it; without, leaves it open in `file` for the caller to sync. On
  // error the temporary file is removed.
  struct Staged {
    std::string temp_path;
    BlobInfo info;
    File file;  // open when staged without sync
  };
  Result<Staged> Stage(ByteSource& source, bool sync) const;

  // Directories whose entries must be synced before blobs are durable, and
  // the fan-out directories that become durable with them.
  struct DirSyncs {
    std::vector<std::string> dirs;
    std::vector<size_t> fan_out;
  };

  // Moves a finished (synced) temporary file into place, or removes it if an
  // identical blob is already stored. With `replace_corrupt`, an existing
  // file that fails Verify is replaced instead. The temporary file is gone
  // when this returns, whatever the outcome. With `defer` null the result is
  // durable on return; otherwise the directories to sync are added to it.
  Status Install(const std::string& temp_path, const Sha256& digest, bool replace_corrupt, DirSyncs* defer);

  // Creates <root>/sha256/ab and .../ab/cd if needed and makes their entries
  // durable (once per fan-out directory and store instance), or adds the
  // directories to sync to `defer`.
  Status EnsureFanOut(const Sha256& digest, DirSyncs* defer);
  void MarkFanOutDurable(const std::vector<size_t>& indices);

  Status CleanTemp();

  std::string root_;
  File lock_;  // holds LOCK_SH on <root>/LOCK while the store is open
  std::mutex mu_;
  std::bitset<65536> durable_fan_out_;  // GUARDED_BY(mu_), indexed by the first two bytes
};

}  // namespace kholuu::archive
