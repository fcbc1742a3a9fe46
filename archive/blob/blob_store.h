// Content-addressed store of immutable blobs, keyed by SHA-256.
//
// Layout (docs/formats/storage.md): <root>/sha256/ab/cd/<64 hex>, where ab and
// cd are the first two bytes of the digest in hex; temporary files live in
// <root>/tmp and are removed by Open(). A blob is durable (file fsynced,
// renamed, both directories fsynced) before Put returns, so the catalog may
// reference it as soon as it has the digest. Blobs are never modified; only
// Remove (called by audited garbage collection) deletes one.
//
// Thread-safety: safe for concurrent use; concurrent Puts of the same bytes
// both succeed and leave one blob.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "archive/base/status.h"

namespace kholuu::archive {

struct BlobInfo {
  Sha256 sha256;
  uint64_t size = 0;
};

// Reads a blob as a stream. With verification on, the last Read (the one that
// returns 0) fails with kDataLoss if the bytes do not hash to the blob's name,
// so a caller that reads to the end never consumes corrupt data silently.
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
  Sha256Hasher hasher_;
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
  // while copying. Errors: kDataLoss if the bytes hash differently (nothing
  // stored). Used for repair from a replica and restore.
  Result<BlobInfo> PutExpected(const std::string& path, const Sha256& expected);

  // Errors: kNotFound if absent.
  Result<BlobReader> Open(const Sha256& digest, bool verify = true) const;
  bool Contains(const Sha256& digest) const;
  Result<uint64_t> Size(const Sha256& digest) const;

  // Re-hashes the stored blob. Errors: kNotFound (missing), kDataLoss
  // (content does not match its name; the message gives the actual digest).
  Status Verify(const Sha256& digest) const;

  // Copies the blob's bytes to `dest` (atomically, durably), verifying them.
  Status CopyTo(const Sha256& digest, const std::string& dest) const;

  // Deletes a blob. Only for audited garbage collection. Missing is OK.
  Status Remove(const Sha256& digest);

  // Calls `fn` for every blob file present (sorted by digest). Files whose
  // names are not valid digests are skipped. Stops at the first non-OK return.
  Status ForEach(const std::function<Status(const Sha256&)>& fn) const;

  // Path of a blob's file (it may not exist).
  std::string PathOf(const Sha256& digest) const;
  const std::string& root() const { return root_; }

 private:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  // Moves a finished temporary file into place durably.
  Status Install(const std::string& temp_path, const Sha256& digest);
  std::string root_;
};

}  // namespace kholuu::archive
