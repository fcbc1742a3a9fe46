#include "archive/archive.h"

#include <unistd.h>

#include "archive/base/file.h"

namespace kholuu::archive {
namespace {

std::string MarkerText() {
  return "kholuu archive\nlayout " + std::to_string(kLayoutVersion) + "\n";
}

Status CheckMarker(const std::string& dir) {
  std::string path = JoinPath(dir, kMarkerName);
  Result<std::string> text = ReadFileToString(path, 4096);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      return FailedPreconditionError(dir + " is not a kholuu archive (no " + kMarkerName +
                                     " file); create one with `kholuu init`");
    }
    return text.status();
  }
  const std::string prefix = "kholuu archive\nlayout ";
  if (text->rfind(prefix, 0) != 0) {
    return FailedPreconditionError(path + " is not a kholuu marker file");
  }
  std::string rest = text->substr(prefix.size());
  int layout = std::atoi(rest.c_str());
  if (layout <= 0) return DataLossError(path + " is malformed");
  if (layout > kLayoutVersion) {
    return FailedPreconditionError(dir + " uses archive layout " + std::to_string(layout) +
                                   ", newer than this kholuu understands (" +
                                   std::to_string(kLayoutVersion) + ")");
  }
  return Status::Ok();
}

}  // namespace

bool Archive::IsArchive(const std::string& dir) {
  return PathExists(JoinPath(dir, kMarkerName));
}

Result<std::unique_ptr<Archive>> Archive::Init(const std::string& dir,
                                               const ArchiveOptions& options) {
  if (IsArchive(dir)) return AlreadyExistsError(dir + " already holds a kholuu archive");
  if (IsDirectory(dir)) {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
    for (const std::string& n : names) {
      if (n.empty() || n[0] != '.') {
        return FailedPreconditionError(dir + " is not empty (found '" + n +
                                       "'); kholuu init needs an empty or new directory");
      }
    }
  } else if (PathExists(dir)) {
    return FailedPreconditionError(dir + " exists and is not a directory");
  }
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  if (::access(dir.c_str(), W_OK) != 0) {
    return ErrnoError(errno, "cannot write to " + dir);
  }
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> blobs,
                          BlobStore::Open(JoinPath(dir, "blobs"), /*create=*/true));
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Catalog> catalog,
                          Catalog::Create(JoinPath(dir, "catalog"), options.catalog));
  // The marker goes last: a crash before this leaves no half archive that
  // claims to be one.
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(JoinPath(dir, kMarkerName), MarkerText()));
  return std::unique_ptr<Archive>(new Archive(dir, std::move(catalog), std::move(blobs)));
}

Result<std::unique_ptr<Archive>> Archive::Open(const std::string& dir,
                                               const ArchiveOptions& options) {
  if (!PathExists(dir)) return NotFoundError("archive directory " + dir + " does not exist");
  if (!IsDirectory(dir)) return FailedPreconditionError(dir + " is not a directory");
  KHOLUU_RETURN_IF_ERROR(CheckMarker(dir));
  std::string catalog_dir = JoinPath(dir, "catalog");
  if (!options.read_only && ::access(catalog_dir.c_str(), W_OK) != 0 && errno != ENOENT) {
    return ErrnoError(errno, "cannot write to " + catalog_dir +
                                 " (open read-only for inspection, or fix permissions)");
  }
  CatalogOptions copts = options.catalog;
  copts.read_only = options.read_only;
  Result<std::unique_ptr<Catalog>> catalog = Catalog::Open(catalog_dir, copts);
  if (!catalog.ok()) {
    Status s = catalog.status();
    if (s.code() == StatusCode::kNotFound) {
      return DataLossError("archive " + dir + " has lost its catalog (" + s.message() +
                           "); restore it from a backup or the replica");
    }
    return s.Annotate("open archive " + dir);
  }
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> blobs,
                          BlobStore::Open(JoinPath(dir, "blobs"), /*create=*/false));
  return std::unique_ptr<Archive>(new Archive(dir, std::move(*catalog), std::move(blobs)));
}

}  // namespace kholuu::archive
