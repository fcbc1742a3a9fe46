// Files that are durable when a call says so. The rules (docs/formats/storage.md):
// data is written to a temporary file in the target directory, fsynced,
// renamed over the target, and the directory is fsynced; only then is it
// referenced anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu {

// Owns one file descriptor. Move-only. Not thread-safe.
class File {
 public:
  // open(2) with O_CLOEXEC added. Errors: as ErrnoError.
  static Result<File> Open(const std::string& path, int flags, int mode = 0644);

  File() = default;
  ~File();
  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // Reads up to `size` bytes; 0 means end of file. Retries EINTR.
  Result<size_t> Read(void* buf, size_t size);
  // Writes all bytes or fails (short writes are retried).
  Status WriteAll(std::string_view bytes);
  Status Sync();                 // fsync
  Result<uint64_t> Size() const;
  // Closes and reports close(2)'s error. The destructor closes silently.
  Status Close();

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

 private:
  File(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

// fsyncs a directory so that a rename or create inside it is durable.
Status SyncDir(const std::string& dir);

// fsyncs every open file in `files` and every directory in `dirs`, several
// at once (up to `parallel` threads): a group of writes becomes durable in
// about the time of the slowest few syncs instead of their sum. Every sync is
// attempted; returns the first error. The files stay open.
Status SyncMany(const std::vector<File*>& files, const std::vector<std::string>& dirs, size_t parallel = 8);

// Writes `contents` to `path` atomically and durably: temp file in the same
// directory, fsync, rename, fsync of the directory. On failure the previous
// contents of `path` (if any) are untouched and no temp file is left behind.
Status WriteFileAtomic(const std::string& path, std::string_view contents);

// Streaming form of WriteFileAtomic. Append() any number of times, then
// Commit(). Destroying it without Commit() removes the temporary file.
class AtomicFileWriter {
 public:
  // Creates the temporary file next to `path`. Errors: as ErrnoError.
  static Result<AtomicFileWriter> Create(const std::string& path);

  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter();

  Status Append(std::string_view bytes);
  // fsync, close, rename into place, fsync the directory.
  Status Commit();
  // Removes the temporary file. Idempotent.
  void Abandon();

  uint64_t bytes_written() const { return bytes_written_; }
  const std::string& temp_path() const { return temp_path_; }

 private:
  AtomicFileWriter(File file, std::string path, std::string temp_path)
      : file_(std::move(file)), path_(std::move(path)), temp_path_(std::move(temp_path)) {}
  File file_;
  std::string path_;
  std::string temp_path_;
  uint64_t bytes_written_ = 0;
  bool done_ = false;
};

// Reads a whole file, refusing files larger than `max_bytes` (kResourceExhausted).
Result<std::string> ReadFileToString(const std::string& path,
                                     uint64_t max_bytes = 64u << 20);

// mkdir -p; each directory created is made durable in its parent.
Status CreateDirs(const std::string& path);

bool PathExists(const std::string& path);
bool IsDirectory(const std::string& path);

// Names in a directory, excluding "." and "..". Errors: as ErrnoError.
Result<std::vector<std::string>> ListDir(const std::string& dir);

// Removes a file; a missing file is not an error.
Status RemoveFile(const std::string& path);

// Removes a file or a directory tree without following symbolic links (a link
// is removed, not what it points to); a missing path is not an error. Stops at
// the first failure, leaving what was not yet removed. Errors: as ErrnoError.
Status RemoveTree(const std::string& path);

// Parent directory of a path ("a/b/c" -> "a/b", "c" -> ".").
std::string DirName(const std::string& path);
std::string JoinPath(std::string_view a, std::string_view b);

// A byte stream read to its end once. Implementations: files, memory.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `buf`; 0 means the end.
  virtual Result<size_t> Read(char* buf, size_t size) = 0;
};

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* buf, size_t size) override;

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

class FileSource final : public ByteSource {
 public:
  static Result<FileSource> Open(const std::string& path);
  Result<size_t> Read(char* buf, size_t size) override;

 private:
  explicit FileSource(File f) : file_(std::move(f)) {}
  File file_;
};

// Passes `source` through until more than `limit` bytes would be read; then
// every Read fails with kInvalidArgument naming `what` and the limit, so an
// endless or growing input never fills the disk. `source` must outlive it.
class LimitedSource final : public ByteSource {
 public:
  LimitedSource(ByteSource& source, uint64_t limit, std::string what)
      : source_(source), limit_(limit), what_(std::move(what)) {}
  Result<size_t> Read(char* buf, size_t size) override;

 private:
  ByteSource& source_;
  uint64_t limit_;
  std::string what_;
  uint64_t read_ = 0;
};

}  // namespace kholuu
