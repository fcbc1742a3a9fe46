#include "archive/base/file.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <thread>

namespace kholuu {

Result<File> File::Open(const std::string& path, int flags, int mode) {
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoError(errno, "open " + path);
  return File(fd, path);
}

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

File::File(File&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

Result<size_t> File::Read(void* buf, size_t size) {
  for (;;) {
    ssize_t n = ::read(fd_, buf, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return ErrnoError(errno, "read " + path_);
  }
}

Status File::WriteAll(std::string_view bytes) {
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write " + path_);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status File::Sync() {
  if (::fsync(fd_) != 0) return ErrnoError(errno, "fsync " + path_);
  return Status::Ok();
}

Result<uint64_t> File::Size() const {
  struct stat st{};
  if (::fstat(fd_, &st) != 0) return ErrnoError(errno, "stat " + path_);
  return static_cast<uint64_t>(st.st_size);
}

Status File::Close() {
  int fd = std::exchange(fd_, -1);
  if (fd >= 0 && ::close(fd) != 0) return ErrnoError(errno, "close " + path_);
  return Status::Ok();
}

Status SyncDir(const std::string& dir) {
  KHOLUU_ASSIGN_OR_RETURN(File d, File::Open(dir, O_RDONLY | O_DIRECTORY));
  KHOLUU_RETURN_IF_ERROR(d.Sync());
  return d.Close();
}

Status SyncMany(const std::vector<File*>& files, const std::vector<std::string>& dirs, size_t parallel) {
  const size_t total = files.size() + dirs.size();
  std::vector<Status> results(total);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < total; i = next.fetch_add(1)) {
      results[i] = i < files.size() ? files[i]->Sync() : SyncDir(dirs[i - files.size()]);
    }
  };
  const size_t threads = std::min(std::max<size_t>(parallel, 1), total);
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  for (Status& s : results) {
    if (!s.ok()) return std::move(s);
  }
  return Status::Ok();
}

namespace {

std::string TempNameFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1)) + "-" + std::to_string(rng() % 1000000);
}

}  // namespace

Result<AtomicFileWriter> AtomicFileWriter::Create(const std::string& path) {
  std::string temp = TempNameFor(path);
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(temp, O_WRONLY | O_CREAT | O_EXCL, 0644));
  return AtomicFileWriter(std::move(f), path, std::move(temp));
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : file_(std::move(other.file_)),
      path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      bytes_written_(other.bytes_written_),
      done_(std::exchange(other.done_, true)) {}

AtomicFileWriter::~AtomicFileWriter() { Abandon(); }

Status AtomicFileWriter::Append(std::string_view bytes) {
  KHOLUU_CHECK(!done_);
  Status s = file_.WriteAll(bytes);
  if (!s.ok()) return s;
  bytes_written_ += bytes.size();
  return Status::Ok();
}

Status AtomicFileWriter::Commit() {
  KHOLUU_CHECK(!done_);
  Status s = file_.Sync();
  if (s.ok()) s = file_.Close();
  if (s.ok() && ::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    s = ErrnoError(errno, "rename " + temp_path_ + " to " + path_);
  }
  if (!s.ok()) {
    Abandon();
    return s;
  }
  done_ = true;
  return SyncDir(DirName(path_));
}

void AtomicFileWriter::Abandon() {
  if (done_) return;
  done_ = true;
  file_.Close().IgnoreError();
  ::unlink(temp_path_.c_str());
}

Status WriteFileAtomic(const std::string& path, std::string_view contents) {
  KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(path));
  KHOLUU_RETURN_IF_ERROR(w.Append(contents));
  return w.Commit();
}

Result<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes) {
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_RDONLY));
  KHOLUU_ASSIGN_OR_RETURN(uint64_t size, f.Size());
  if (size > max_bytes) {
    return ResourceExhaustedError(path + " is " + std::to_string(size) +
                                  " bytes, more than the limit of " +
                                  std::to_string(max_bytes));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    KHOLUU_ASSIGN_OR_RETURN(size_t n, f.Read(buf, sizeof buf));
    if (n == 0) break;
    if (out.size() + n > max_bytes) {
      return ResourceExhaustedError(path + " grew beyond the read limit");
    }
    out.append(buf, n);
  }
  return out;
}

Status CreateDirs(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("empty directory path");
  if (IsDirectory(path)) return Status::Ok();
  std::string parent = DirName(path);
  if (parent != path) KHOLUU_RETURN_IF_ERROR(CreateDirs(parent));
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    return ErrnoError(errno, "mkdir " + path);
  }
  if (!IsDirectory(path)) return FailedPreconditionError(path + " exists and is not a directory");
  return SyncDir(parent);
}

bool PathExists(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0;
}

bool IsDirectory(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return ErrnoError(errno, "opendir " + dir);
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  int err = errno;
  ::closedir(d);
  if (err != 0) return ErrnoError(err, "readdir " + dir);
  std::sort(names.begin(), names.end());
  return names;
}

Status RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return ErrnoError(errno, "unlink " + path);
  }
  return Status::Ok();
}

Status RemoveTree(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return ErrnoError(errno, "lstat " + path);
  }
  if (S_ISDIR(st.st_mode)) {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(path));
    for (const std::string& n : names) KHOLUU_RETURN_IF_ERROR(RemoveTree(JoinPath(path, n)));
    if (::rmdir(path.c_str()) != 0) return ErrnoError(errno, "rmdir " + path);
    return Status::Ok();
  }
  return RemoveFile(path);
}

std::string DirName(const std::string& path) {
  size_t end = path.size();
  while (end > 1 && path[end - 1] == '/') --end;
  size_t slash = path.rfind('/', end - 1);
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b;
  return out;
}

Result<size_t> StringSource::Read(char* buf, size_t size) {
  size_t n = std::min(size, data_.size() - pos_);
  std::memcpy(buf, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<FileSource> FileSource::Open(const std::string& path) {
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_RDONLY));
  return FileSource(std::move(f));
}

Result<size_t> FileSource::Read(char* buf, size_t size) { return file_.Read(buf, size); }

Result<size_t> LimitedSource::Read(char* buf, size_t size) {
  // One byte more than the limit is asked for, so that input of exactly
  // `limit` bytes passes and anything longer is caught.
  const uint64_t room = limit_ + 1 - read_;
  KHOLUU_ASSIGN_OR_RETURN(size_t n, source_.Read(buf, static_cast<size_t>(std::min<uint64_t>(size, room))));
  read_ += n;
  if (read_ > limit_) {
    return InvalidArgumentError(what_ + " is larger than the limit of " + std::to_string(limit_) + " bytes");
  }
  return n;
}

}  // namespace kholuu
