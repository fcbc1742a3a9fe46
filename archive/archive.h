// An archive on disk: the data directory that holds the catalog and the blob
// store, and the marker file that says it is one.
//
//   <data>/KHOLUU        marker: "kholuu archive\nlayout 1\n", written last by Init
//   <data>/catalog/      LMDB environment (data.mdb, lock.mdb)
//   <data>/blobs/        content-addressed blob store
//
// Thread-safety: safe for concurrent use (see Catalog and BlobStore).
#pragma once

#include <memory>
#include <string>

#include "archive/blob/blob_store.h"
#include "archive/catalog/catalog.h"

namespace kholuu::archive {

inline constexpr char kMarkerName[] = "KHOLUU";
inline constexpr int kLayoutVersion = 1;

struct ArchiveOptions {
  CatalogOptions catalog;
  bool read_only = false;  // open the catalog read-only (show, audit verify)
};

class Archive {
 public:
  // Creates a new archive in `dir` (created if missing; it must not already
  // hold an archive, and must be empty apart from hidden files).
  // Errors: kAlreadyExists, kFailedPrecondition (not empty), kPermissionDenied,
  // kResourceExhausted.
  static Result<std::unique_ptr<Archive>> Init(const std::string& dir,
                                               const ArchiveOptions& options = {});
  // Opens an existing archive. Errors: kNotFound (no such directory),
  // kFailedPrecondition (not a kholuu archive, newer layout or schema),
  // kDataLoss (damaged catalog), kPermissionDenied.
  static Result<std::unique_ptr<Archive>> Open(const std::string& dir,
                                               const ArchiveOptions& options = {});

  // True if `dir` holds the marker file.
  static bool IsArchive(const std::string& dir);

  Catalog& catalog() { return *catalog_; }
  BlobStore& blobs() { return *blobs_; }
  const std::string& dir() const { return dir_; }

 private:
  Archive(std::string dir, std::unique_ptr<Catalog> c, std::unique_ptr<BlobStore> b)
      : dir_(std::move(dir)), catalog_(std::move(c)), blobs_(std::move(b)) {}
  std::string dir_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<BlobStore> blobs_;
};

}  // namespace kholuu::archive
