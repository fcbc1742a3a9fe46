// Safe reading of zip and tar archives (libarchive): every entry name and
// type is checked before anything is written, and sizes are capped while the
// data streams. Used for METS packages delivered as zip and for XLSX sheets.
// Rules and limits: docs/formats/package.md, "Archives".
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::package {

struct ArchiveLimits {
  uint64_t max_entries = 100000;          // entries of any kind
  uint64_t max_entry_bytes = 4ull << 30;  // uncompressed size of one entry
  uint64_t max_total_bytes = 16ull << 30; // uncompressed size of all entries
  // Zip-bomb guard: once more than `ratio_floor_bytes` have been
  // decompressed, the uncompressed total may not exceed `max_ratio` times the
  // archive's (compressed) size. 0 disables the ratio check.
  uint64_t max_ratio = 100;
  uint64_t ratio_floor_bytes = 16u << 20;
};

enum class EntryType { kFile, kDirectory };

struct ArchiveEntry {
  // Normalised relative path: '/'-separated ('\' read as '/'), no leading
  // "./", no trailing '/', no empty, "." or ".." component; valid UTF-8.
  std::string path;
  EntryType type = EntryType::kFile;
};

// Reads a zip or a tar (plain or gzip-compressed) archive entry by entry.
// Move-only; not thread-safe. Refused entries (all kInvalidArgument, the
// message naming the entry and the reason): absolute paths ("/x", "\x",
// "C:x"), ".." components (zip-slip), empty or "." components, control
// characters, names that are not UTF-8, symbolic links, hard links, devices,
// fifos, sockets, encrypted entries, a path given twice.
class ArchiveReader {
 public:
  // Errors: as ErrnoError when the file cannot be opened; kInvalidArgument
  // when it is not a zip or tar archive.
  static Result<ArchiveReader> OpenFile(const std::string& path, const ArchiveLimits& limits = {});
  // `data` must outlive the reader. Errors: as OpenFile.
  static Result<ArchiveReader> OpenMemory(std::string_view data, const ArchiveLimits& limits = {});

  ArchiveReader(ArchiveReader&&) noexcept;
  ArchiveReader& operator=(ArchiveReader&&) noexcept;
  ~ArchiveReader();

  // The next entry, or nullopt after the last. Data of the previous entry not
  // read is skipped (and still counted against the caps).
  // Errors: kInvalidArgument for a refused entry or a malformed archive;
  // kResourceExhausted beyond max_entries.
  Result<std::optional<ArchiveEntry>> Next();

  // Streams the current file entry's data to `sink` in chunks; a sink error
  // is returned as is. Errors: kResourceExhausted when a size or ratio cap is
  // crossed; kInvalidArgument/kDataLoss for corrupt data; kFailedPrecondition
  // when there is no current file entry.
  Status ReadData(const std::function<Status(std::string_view)>& sink);
  // ReadData into a string of at most `max_bytes` (kResourceExhausted beyond).
  Result<std::string> ReadDataToString(uint64_t max_bytes);

 private:
  struct Impl;
  explicit ArchiveReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Extracts the archive at `archive_path` into `dest_dir`, which must not
// exist (kAlreadyExists). Files are streamed through AtomicFileWriter into
// "<dest_dir>.partial", which is renamed to `dest_dir` at the end; on any
// error nothing is left behind. Returns the extracted file paths in archive
// order. Errors: as ArchiveReader, and I/O errors.
Result<std::vector<std::string>> ExtractArchive(const std::string& archive_path,
                                                const std::string& dest_dir,
                                                const ArchiveLimits& limits = {});

}  // namespace kholuu::formats::package
