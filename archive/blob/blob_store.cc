#include "archive/blob/blob_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

#include "archive/base/log.h"

namespace kholuu::archive {
namespace {

// Copy buffer size: large enough for sequential throughput, small enough that
// a Put never costs more than this much memory whatever the blob size.
constexpr size_t kBufferSize = size_t{1} << 20;

constexpr char kLockName[] = "LOCK";
constexpr char kTempPrefix[] = "put-";

std::string ShaDir(const std::string& root) { return JoinPath(root, "sha256"); }
std::string TempDirOf(const std::string& root) { return JoinPath(root, "tmp"); }

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Removes a temporary file when it goes out of scope unless released.
class TempGuard {
 public:
  explicit TempGuard(std::string path) : path_(std::move(path)) {}
  ~TempGuard() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;
  std::string Release() { return std::exchange(path_, std::string()); }

 private:
  std::string path_;
};

// A name no other Put (in this or another process) uses at the same time;
// O_EXCL catches the impossible collision.
std::string NewTempName() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char rand_hex[17];
  std::snprintf(rand_hex, sizeof rand_hex, "%016llx", static_cast<unsigned long long>(rng()));
  return std::string(kTempPrefix) + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1)) + "-" + rand_hex;
}

size_t FanOutIndex(const Sha256& digest) {
  return (size_t{digest.bytes()[0]} << 8) | digest.bytes()[1];
}

// Renames `from` to `to` unless `to` exists. Returns true if renamed, false if
// `to` already existed (and `from` is untouched).
Result<bool> RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return true;
  }
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) {
    return ErrnoError(errno, "rename " + from + " to " + to);
  }
  // The file system lacks RENAME_NOREPLACE; link(2) never replaces either.
  if (::link(from.c_str(), to.c_str()) != 0) {
    if (errno == EEXIST) return false;
    return ErrnoError(errno, "link " + from + " to " + to);
  }
  if (::unlink(from.c_str()) != 0 && errno != ENOENT) {
    return ErrnoError(errno, "unlink " + from);
  }
  return true;
}

}  // namespace

Result<size_t> BlobReader::Read(char* buf, size_t size) {
  if (corrupt_) {
    return DataLossError("blob " + expected_.ToHex() + " does not match its digest");
  }
  if (finished_ || size == 0) return size_t{0};
  KHOLUU_ASSIGN_OR_RETURN(size_t n, file_.Read(buf, size));
  if (n > 0) {
    if (verify_) hasher_.Update(buf, n);
    return n;
  }
  finished_ = true;
  if (verify_) {
    Sha256 actual = hasher_.Finish();
    if (actual != expected_) {
      corrupt_ = true;
      Log(Severity::kError, "blob.corrupt",
          {{"sha256", expected_.ToHex()}, {"actual", actual.ToHex()}});
      return DataLossError("blob " + expected_.ToHex() + " is corrupt: its content hashes to " +
                           actual.ToHex());
    }
  }
  return size_t{0};
}

Result<std::unique_ptr<BlobStore>> BlobStore::Open(const std::string& root, bool create) {
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0) {
    int err = errno;
    if (err != ENOENT || !create) {
      if (err == ENOENT) return NotFoundError("no blob store at " + root);
      return ErrnoError(err, "open blob store " + root);
    }
    KHOLUU_RETURN_IF_ERROR(CreateDirs(root).Annotate("create blob store"));
  } else if (!S_ISDIR(st.st_mode)) {
    return FailedPreconditionError("blob store root " + root + " is not a directory");
  }

  const std::string sha_dir = ShaDir(root);
  const std::string tmp_dir = TempDirOf(root);
  if (!IsDirectory(sha_dir) || !IsDirectory(tmp_dir)) {
    if (!create) return NotFoundError(root + " is not a blob store (no sha256/ or tmp/)");
    KHOLUU_RETURN_IF_ERROR(CreateDirs(sha_dir).Annotate("create blob store"));
    KHOLUU_RETURN_IF_ERROR(CreateDirs(tmp_dir).Annotate("create blob store"));
  }

  // A store on read-only media can still be opened for reading: flock(2)
  // works on a descriptor opened read-only.
  const std::string lock_path = JoinPath(root, kLockName);
  Result<File> lock = File::Open(lock_path, O_RDONLY | O_CREAT, 0644);
  if (!lock.ok() && (lock.status().code() == StatusCode::kPermissionDenied)) {
    lock = File::Open(lock_path, O_RDONLY);
  }
  if (!lock.ok()) return std::move(lock).status().Annotate("open blob store");

  auto store = std::unique_ptr<BlobStore>(new BlobStore(root, std::move(*lock)));
  int fd = store->lock_.fd();
  int rc;
  while ((rc = ::flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR) {
  }
  if (rc == 0) {
    // No other open store: whatever is in tmp/ was left by a crash.
    KHOLUU_RETURN_IF_ERROR(store->CleanTemp().Annotate("open blob store"));
  } else if (errno != EWOULDBLOCK) {
    return ErrnoError(errno, "lock " + lock_path);
  }
  while ((rc = ::flock(fd, LOCK_SH)) != 0 && errno == EINTR) {
  }
  if (rc != 0) return ErrnoError(errno, "lock " + lock_path);
  return store;
}

Status BlobStore::CleanTemp() {
  const std::string tmp_dir = TempDirOf(root_);
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(tmp_dir));
  size_t removed = 0;
  for (const std::string& name : names) {
    std::string path = JoinPath(tmp_dir, name);
    if (IsDirectory(path)) continue;  // never ours; leave it to an operator
    KHOLUU_RETURN_IF_ERROR(RemoveFile(path));
    ++removed;
  }
  if (removed == 0) return Status::Ok();
  Log(Severity::kInfo, "blob.temp_cleaned", {{"root", root_}, {"files", std::to_string(removed)}});
  return SyncDir(tmp_dir);
}

std::string BlobStore::PathOf(const Sha256& digest) const {
  std::string hex = digest.ToHex();
  std::string path = ShaDir(root_);
  path += '/';
  path.append(hex, 0, 2);
  path += '/';
  path.append(hex, 2, 2);
  path += '/';
  path += hex;
  return path;
}

Result<BlobStore::Staged> BlobStore::Stage(ByteSource& source, bool sync) const {
  const std::string tmp_dir = TempDirOf(root_);
  std::string temp_path;
  File file;
  for (int attempt = 0;; ++attempt) {
    temp_path = JoinPath(tmp_dir, NewTempName());
    Result<File> f = File::Open(temp_path, O_WRONLY | O_CREAT | O_EXCL, 0444);
    if (f.ok()) {
      file = std::move(*f);
      break;
    }
    if (f.status().code() != StatusCode::kAlreadyExists || attempt == 3) {
      return f.status();
    }
  }
  TempGuard guard(temp_path);
  // The umask may have cleared bits; blobs are 0444 whatever it is.
  if (::fchmod(file.fd(), 0444) != 0) return ErrnoError(errno, "chmod " + temp_path);

  std::vector<char> buf(kBufferSize);
  Sha256Hasher hasher;
  uint64_t size = 0;
  for (;;) {
    KHOLUU_ASSIGN_OR_RETURN(size_t n, source.Read(buf.data(), buf.size()));
    if (n == 0) break;
    hasher.Update(buf.data(), n);
    KHOLUU_RETURN_IF_ERROR(file.WriteAll(std::string_view(buf.data(), n)));
    size += n;
  }
  if (sync) {
    KHOLUU_RETURN_IF_ERROR(file.Sync());
    KHOLUU_RETURN_IF_ERROR(file.Close());
  }
  return Staged{guard.Release(), BlobInfo{hasher.Finish(), size}, std::move(file)};
}

Status BlobStore::EnsureFanOut(const Sha256& digest, DirSyncs* defer) {
  const size_t index = FanOutIndex(digest);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (durable_fan_out_.test(index)) return Status::Ok();
  }
  const std::string leaf = DirName(PathOf(digest));
  const std::string mid = DirName(leaf);
  // Each level is made, or found (another thread or process, or a run that
  // crashed, may have made it without syncing yet), and then its entry is
  // synced in its parent: two directory syncs, whoever made the directories.
  for (const std::string& dir : {mid, leaf}) {
    if (::mkdir(dir.c_str(), 0755) != 0) {
      const int err = errno;
      if (err == ENOENT) {
        KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));  // sha256/ itself is gone: made again
      } else if (err != EEXIST) {
        return ErrnoError(err, "mkdir " + dir);
      }
    }
    if (!IsDirectory(dir)) return FailedPreconditionError(dir + " exists and is not a directory");
    if (defer != nullptr) {
      defer->dirs.push_back(DirName(dir));
    } else {
      KHOLUU_RETURN_IF_ERROR(SyncDir(DirName(dir)));
    }
  }
  if (defer != nullptr) {
    defer->fan_out.push_back(index);
    return Status::Ok();
  }
  MarkFanOutDurable({index});
  return Status::Ok();
}

void BlobStore::MarkFanOutDurable(const std::vector<size_t>& indices) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t index : indices) durable_fan_out_.set(index);
}

Status BlobStore::Install(const std::string& temp_path, const Sha256& digest, bool replace_corrupt,
                          DirSyncs* defer) {
  TempGuard guard(temp_path);
  KHOLUU_RETURN_IF_ERROR(EnsureFanOut(digest, defer));
  const std::string dest = PathOf(digest);

  // No-replace rename: an existing blob with this name is never touched by
  // Put, even when two Puts race.
  KHOLUU_ASSIGN_OR_RETURN(bool moved, RenameNoReplace(temp_path, dest));
  if (!moved && replace_corrupt) {
    Status existing = Verify(digest);
    if (existing.code() == StatusCode::kDataLoss) {
      // rename(2) replaces the target whatever its mode: repair of a 0444 blob.
      if (::rename(temp_path.c_str(), dest.c_str()) != 0) {
        return ErrnoError(errno, "rename " + temp_path + " to " + dest);
      }
      moved = true;
      Log(Severity::kWarning, "blob.repaired", {{"sha256", digest.ToHex()}});
    } else if (existing.code() == StatusCode::kNotFound) {
      // Removed since the first rename (garbage collection): install as new.
      KHOLUU_ASSIGN_OR_RETURN(moved, RenameNoReplace(temp_path, dest));
    } else {
      KHOLUU_RETURN_IF_ERROR(existing);
    }
  }
  if (moved) {
    guard.Release();
  } else {
    // Deduplicated: the stored blob has these bytes already. A temporary file
    // that cannot be removed does not make the Put fail; Open() cleans it.
    Status removed = RemoveFile(guard.Release());
    if (!removed.ok()) {
      Log(Severity::kWarning, "blob.temp_left", {{"error", removed.ToString()}});
    }
    // Refresh the modification time: garbage collection keeps young blobs,
    // and the caller is about to reference this one (docs/formats/storage.md).
    if (::utimensat(AT_FDCWD, dest.c_str(), nullptr, 0) != 0) {
      Log(Severity::kWarning, "blob.touch_failed", {{"sha256", digest.ToHex()}});
    }
  }
  // Synced also when the blob already existed: a concurrent Put may have
  // renamed it without having synced the directory yet, and this call must
  // not report the blob durable before it is. If this fails after our rename,
  // the blob is complete and valid but unreferenced; garbage collection takes
  // it, and a retried Put finds it.
  if (defer != nullptr) {
    defer->dirs.push_back(DirName(dest));
    if (moved) defer->dirs.push_back(TempDirOf(root_));
    return Status::Ok();
  }
  KHOLUU_RETURN_IF_ERROR(SyncDir(DirName(dest)));
  if (moved) KHOLUU_RETURN_IF_ERROR(SyncDir(TempDirOf(root_)));
  return Status::Ok();
}

Result<BlobInfo> BlobStore::Put(ByteSource& source) {
  KHOLUU_ASSIGN_OR_RETURN(Staged staged, Stage(source, /*sync=*/true));
  Status s = Install(staged.temp_path, staged.info.sha256, /*replace_corrupt=*/false, nullptr);
  if (!s.ok()) return std::move(s).Annotate("put blob");
  return staged.info;
}

Result<BlobInfo> BlobStore::PutFile(const std::string& path) {
  KHOLUU_ASSIGN_OR_RETURN(FileSource source, FileSource::Open(path));
  return Put(source);
}

Result<BlobInfo> BlobStore::PutBytes(std::string_view bytes) {
  StringSource source(bytes);
  return Put(source);
}

Result<BlobInfo> BlobStore::PutExpected(const std::string& path, const Sha256& expected) {
  KHOLUU_ASSIGN_OR_RETURN(FileSource source, FileSource::Open(path));
  KHOLUU_ASSIGN_OR_RETURN(Staged staged, Stage(source, /*sync=*/true));
  if (staged.info.sha256 != expected) {
    RemoveFile(staged.temp_path).IgnoreError();
    return DataLossError(path + " was expected to hash to " + expected.ToHex() + " but hashes to " +
                         staged.info.sha256.ToHex());
  }
  Status s = Install(staged.temp_path, expected, /*replace_corrupt=*/true, nullptr);
  if (!s.ok()) return std::move(s).Annotate("put blob " + expected.ToHex());
  return staged.info;
}

Result<BlobReader> BlobStore::Open(const Sha256& digest, bool verify) const {
  KHOLUU_ASSIGN_OR_RETURN(File file, File::Open(PathOf(digest), O_RDONLY));
  KHOLUU_ASSIGN_OR_RETURN(uint64_t size, file.Size());
  return BlobReader(std::move(file), digest, size, verify);
}

bool BlobStore::Contains(const Sha256& digest) const {
  struct stat st {};
  return ::stat(PathOf(digest).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<uint64_t> BlobStore::Size(const Sha256& digest) const {
  const std::string path = PathOf(digest);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return ErrnoError(errno, "stat " + path);
  return static_cast<uint64_t>(st.st_size);
}

Status BlobStore::Verify(const Sha256& digest) const {
  KHOLUU_ASSIGN_OR_RETURN(Sha256 actual, Sha256OfFile(PathOf(digest)));
  if (actual != digest) {
    Log(Severity::kError, "blob.corrupt", {{"sha256", digest.ToHex()}, {"actual", actual.ToHex()}});
    return DataLossError("blob " + digest.ToHex() + " is corrupt: its content hashes to " +
                         actual.ToHex());
  }
  return Status::Ok();
}

Status BlobStore::CopyTo(const Sha256& digest, const std::string& dest) const {
  KHOLUU_ASSIGN_OR_RETURN(BlobReader reader, Open(digest, /*verify=*/true));
  KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(dest));
  std::vector<char> buf(kBufferSize);
  for (;;) {
    // A kDataLoss from the final Read returns before Commit: the writer's
    // destructor removes its temporary file and `dest` is untouched.
    KHOLUU_ASSIGN_OR_RETURN(size_t n, reader.Read(buf.data(), buf.size()));
    if (n == 0) break;
    KHOLUU_RETURN_IF_ERROR(writer.Append(std::string_view(buf.data(), n)));
  }
  return writer.Commit();
}

Status BlobStore::Remove(const Sha256& digest) {
  const std::string path = PathOf(digest);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return ErrnoError(errno, "remove blob " + path);
  }
  return SyncDir(DirName(path));
}

Status BlobStore::ForEach(const std::function<Status(const Sha256&)>& fn) const {
  const std::string sha_dir = ShaDir(root_);
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> level1, ListDir(sha_dir));
  // ListDir sorts names; with fixed-width lower-case hex at every level, the
  // nested walk therefore visits digests in ascending order.
  for (const std::string& ab : level1) {
    if (ab.size() != 2 || !IsLowerHex(ab)) continue;
    const std::string ab_dir = JoinPath(sha_dir, ab);
    if (!IsDirectory(ab_dir)) continue;
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> level2, ListDir(ab_dir));
    for (const std::string& cd : level2) {
      if (cd.size() != 2 || !IsLowerHex(cd)) continue;
      const std::string cd_dir = JoinPath(ab_dir, cd);
      if (!IsDirectory(cd_dir)) continue;
      KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(cd_dir));
      for (const std::string& name : names) {
        if (name.size() != 2 * Sha256::kSize || !IsLowerHex(name)) continue;
        if (name.compare(0, 2, ab) != 0 || name.compare(2, 2, cd) != 0) continue;
        struct stat st {};
        const std::string path = JoinPath(cd_dir, name);
        if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        KHOLUU_ASSIGN_OR_RETURN(Sha256 digest, Sha256::FromHex(name));
        KHOLUU_RETURN_IF_ERROR(fn(digest));
      }
    }
  }
  return Status::Ok();
}

// BlobBatch ------------------------------------------------------------------

namespace {
// Staged files kept open (unsynced) at most; more are synced early so that a
// batch of thousands of scans does not run out of descriptors.
constexpr size_t kMaxOpenStaged = 64;
}  // namespace

struct BlobBatch::Pending {
  std::string temp_path;
  Sha256 digest;
  bool replace_corrupt = false;
  File file;  // open until synced
};

BlobBatch::BlobBatch(BlobStore* store) : store_(store) {}

BlobBatch::BlobBatch(BlobBatch&& other) noexcept : store_(other.store_) {
  std::lock_guard<std::mutex> lock(other.mu_);
  pending_ = std::move(other.pending_);
  other.pending_.clear();
  puts_ = other.puts_;
  done_ = std::exchange(other.done_, true);
}

BlobBatch::~BlobBatch() { Discard(); }

void BlobBatch::Discard() {
  std::lock_guard<std::mutex> lock(mu_);
  for (Pending& p : pending_) {
    p.file.Close().IgnoreError();
    ::unlink(p.temp_path.c_str());
  }
  pending_.clear();
}

size_t BlobBatch::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return puts_;
}

Status BlobBatch::SyncStaged(std::vector<Pending>& staged) {
  std::vector<File*> files;
  for (Pending& p : staged) {
    if (p.file.fd() >= 0) files.push_back(&p.file);
  }
  KHOLUU_RETURN_IF_ERROR(SyncMany(files, {}));
  for (File* f : files) KHOLUU_RETURN_IF_ERROR(f->Close());
  return Status::Ok();
}

Result<BlobInfo> BlobBatch::Add(ByteSource& source, const Sha256* expected, const std::string& what) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    KHOLUU_CHECK(!done_);
  }
  KHOLUU_ASSIGN_OR_RETURN(BlobStore::Staged staged, store_->Stage(source, /*sync=*/false));
  if (expected != nullptr && staged.info.sha256 != *expected) {
    staged.file.Close().IgnoreError();
    RemoveFile(staged.temp_path).IgnoreError();
    return DataLossError(what + " was expected to hash to " + expected->ToHex() + " but hashes to " +
                         staged.info.sha256.ToHex());
  }
  std::lock_guard<std::mutex> lock(mu_);
  pending_.push_back(Pending{staged.temp_path, staged.info.sha256, expected != nullptr, std::move(staged.file)});
  ++puts_;
  size_t open = 0;
  for (const Pending& p : pending_) open += p.file.fd() >= 0 ? size_t{1} : size_t{0};
  if (open >= kMaxOpenStaged) KHOLUU_RETURN_IF_ERROR(SyncStaged(pending_).Annotate("put blob"));
  return staged.info;
}

Result<BlobInfo> BlobBatch::Put(ByteSource& source) { return Add(source, nullptr, "blob"); }

Result<BlobInfo> BlobBatch::PutFile(const std::string& path) {
  KHOLUU_ASSIGN_OR_RETURN(FileSource source, FileSource::Open(path));
  return Add(source, nullptr, path);
}

Result<BlobInfo> BlobBatch::PutBytes(std::string_view bytes) {
  StringSource source(bytes);
  return Add(source, nullptr, "blob");
}

Result<BlobInfo> BlobBatch::PutExpected(const std::string& path, const Sha256& expected) {
  KHOLUU_ASSIGN_OR_RETURN(FileSource source, FileSource::Open(path));
  return Add(source, &expected, path);
}

Status BlobBatch::Commit() {
  std::lock_guard<std::mutex> lock(mu_);
  KHOLUU_CHECK(!done_);
  done_ = true;
  // Data first: every file's bytes are durable before its name appears in
  // the store, so a crash can never leave a blob whose content is not what
  // its name says.
  Status s = SyncStaged(pending_);
  BlobStore::DirSyncs dirs;
  size_t installed = 0;
  for (; s.ok() && installed < pending_.size(); ++installed) {
    Pending& p = pending_[installed];
    s = store_->Install(p.temp_path, p.digest, p.replace_corrupt, &dirs);
  }
  // Install removed the temporary files it was given, whatever the outcome.
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(installed));
  if (!s.ok()) return std::move(s).Annotate("commit blobs");
  std::sort(dirs.dirs.begin(), dirs.dirs.end());
  dirs.dirs.erase(std::unique(dirs.dirs.begin(), dirs.dirs.end()), dirs.dirs.end());
  KHOLUU_RETURN_IF_ERROR(SyncMany({}, dirs.dirs).Annotate("commit blobs"));
  store_->MarkFanOutDurable(dirs.fan_out);
  return Status::Ok();
}

}  // namespace kholuu::archive
