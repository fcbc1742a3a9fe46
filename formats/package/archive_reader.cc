#include "formats/package/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <set>

#include "archive/base/file.h"
#include "formats/common/text.h"

namespace kholuu::formats::package {
namespace {

constexpr size_t kMaxPathBytes = 4096;
constexpr size_t kMaxDepth = 64;

// libarchive converts entry names through the current locale's character
// set; in the "C" locale a UTF-8 name then has no readable form at all. The
// reader switches its own thread to C.UTF-8 while inside libarchive
// (uselocale is per thread, so the process locale is untouched).
class ScopedUtf8Locale {
 public:
  ScopedUtf8Locale() {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (utf8 != static_cast<locale_t>(nullptr)) previous_ = uselocale(utf8);
  }
  ~ScopedUtf8Locale() {
    if (previous_ != static_cast<locale_t>(nullptr)) uselocale(previous_);
  }
  ScopedUtf8Locale(const ScopedUtf8Locale&) = delete;
  ScopedUtf8Locale& operator=(const ScopedUtf8Locale&) = delete;

 private:
  locale_t previous_ = static_cast<locale_t>(nullptr);
};

struct ArchiveFree {
  void operator()(archive* a) const noexcept { archive_read_free(a); }
};

std::string LibError(archive* a) {
  const char* e = archive_error_string(a);
  return e != nullptr ? e : "unknown libarchive error";
}

// Normalises and checks an entry name; see ArchiveEntry::path.
Result<std::string> CheckPath(std::string raw) {
  const std::string shown = "'" + raw + "'";
  if (raw.empty()) return InvalidArgumentError("archive entry with an empty name");
  if (raw.size() > kMaxPathBytes) return InvalidArgumentError("archive entry name too long");
  if (!IsValidUtf8(raw)) return InvalidArgumentError("archive entry name is not UTF-8");
  for (char& c : raw) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidArgumentError("archive entry " + shown + " has a control character");
    }
    if (c == '\\') c = '/';
  }
  if (raw[0] == '/') return InvalidArgumentError("archive entry " + shown + " is an absolute path");
  if (raw.size() >= 2 && raw[1] == ':' &&
      ((raw[0] >= 'A' && raw[0] <= 'Z') || (raw[0] >= 'a' && raw[0] <= 'z'))) {
    return InvalidArgumentError("archive entry " + shown + " is an absolute (drive) path");
  }
  while (raw.rfind("./", 0) == 0) raw.erase(0, 2);
  while (!raw.empty() && raw.back() == '/') raw.pop_back();
  if (raw.empty()) return std::string();  // the archive's root directory itself
  size_t depth = 0;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('/', start);
    if (end == std::string::npos) end = raw.size();
    const std::string_view comp(raw.data() + start, end - start);
    if (comp == "..") {
      return InvalidArgumentError("archive entry " + shown + " leaves the target directory (..)");
    }
    if (comp.empty() || comp == ".") {
      return InvalidArgumentError("archive entry " + shown + " has an empty or '.' component");
    }
    if (++depth > kMaxDepth) return InvalidArgumentError("archive entry " + shown + " is too deep");
    start = end + 1;
  }
  return raw;
}

}  // namespace

struct ArchiveReader::Impl {
  std::unique_ptr<archive, ArchiveFree> a;
  ArchiveLimits limits;
  uint64_t archive_size = 0;
  uint64_t entries = 0;
  uint64_t total = 0;
  bool have_file = false;
  bool data_read = false;
  std::string current;
  std::set<std::string> seen;

  // Counts `n` more uncompressed bytes of the current entry.
  Status Count(uint64_t entry_bytes, uint64_t n) {
    total += n;
    if (entry_bytes > limits.max_entry_bytes) {
      return ResourceExhaustedError("archive entry '" + current + "' is larger than " +
                                    std::to_string(limits.max_entry_bytes) + " bytes");
    }
    if (total > limits.max_total_bytes) {
      return ResourceExhaustedError("archive uncompresses to more than " +
                                    std::to_string(limits.max_total_bytes) + " bytes");
    }
    if (limits.max_ratio > 0 && total > limits.ratio_floor_bytes && total / limits.max_ratio > archive_size) {
      return ResourceExhaustedError("archive expands more than " + std::to_string(limits.max_ratio) +
                                    " times its size (" + std::to_string(archive_size) +
                                    " bytes): refused as a zip bomb");
    }
    return Status::Ok();
  }

  Status Drain(const std::function<Status(std::string_view)>* sink) {
    std::vector<char> buf(64 << 10);
    uint64_t entry_bytes = 0;
    while (true) {
      const la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
      if (n == 0) break;
      if (n < 0) {
        return DataLossError("archive entry '" + current + "': " + LibError(a.get()));
      }
      entry_bytes += static_cast<uint64_t>(n);
      KHOLUU_RETURN_IF_ERROR(Count(entry_bytes, static_cast<uint64_t>(n)));
      if (sink != nullptr) {
        KHOLUU_RETURN_IF_ERROR((*sink)(std::string_view(buf.data(), static_cast<size_t>(n))));
      }
    }
    data_read = true;
    return Status::Ok();
  }
};

namespace {

Result<std::unique_ptr<archive, ArchiveFree>> NewReader() {
  std::unique_ptr<archive, ArchiveFree> a(archive_read_new());
  if (!a) return InternalError("archive_read_new failed");
  // Only zip and tar, and only filters built into libarchive: never an
  // external decompression program.
  if (archive_read_support_format_zip(a.get()) != ARCHIVE_OK ||
      archive_read_support_format_tar(a.get()) != ARCHIVE_OK ||
      archive_read_support_filter_none(a.get()) != ARCHIVE_OK ||
      archive_read_support_filter_gzip(a.get()) != ARCHIVE_OK) {
    return InternalError("libarchive lacks zip, tar or gzip: " + LibError(a.get()));
  }
  return a;
}

}  // namespace

ArchiveReader::ArchiveReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveReader::ArchiveReader(ArchiveReader&&) noexcept = default;
ArchiveReader& ArchiveReader::operator=(ArchiveReader&&) noexcept = default;
ArchiveReader::~ArchiveReader() = default;

Result<ArchiveReader> ArchiveReader::OpenFile(const std::string& path, const ArchiveLimits& limits) {
  ScopedUtf8Locale utf8;
  KHOLUU_ASSIGN_OR_RETURN(File probe, File::Open(path, O_RDONLY));
  KHOLUU_ASSIGN_OR_RETURN(uint64_t size, probe.Size());
  auto impl = std::make_unique<Impl>();
  KHOLUU_ASSIGN_OR_RETURN(impl->a, NewReader());
  impl->limits = limits;
  impl->archive_size = size;
  if (archive_read_open_filename(impl->a.get(), path.c_str(), 64 << 10) != ARCHIVE_OK) {
    return InvalidArgumentError(path + " is not a readable zip or tar archive: " +
                                LibError(impl->a.get()));
  }
  return ArchiveReader(std::move(impl));
}

Result<ArchiveReader> ArchiveReader::OpenMemory(std::string_view data, const ArchiveLimits& limits) {
  ScopedUtf8Locale utf8;
  auto impl = std::make_unique<Impl>();
  KHOLUU_ASSIGN_OR_RETURN(impl->a, NewReader());
  impl->limits = limits;
  impl->archive_size = data.size();
  if (archive_read_open_memory(impl->a.get(), data.data(), data.size()) != ARCHIVE_OK) {
    return InvalidArgumentError("not a readable zip or tar archive: " + LibError(impl->a.get()));
  }
  return ArchiveReader(std::move(impl));
}

Result<std::optional<ArchiveEntry>> ArchiveReader::Next() {
  ScopedUtf8Locale utf8;
  Impl& m = *impl_;
  if (m.have_file && !m.data_read) KHOLUU_RETURN_IF_ERROR(m.Drain(nullptr));
  m.have_file = false;
  while (true) {
    archive_entry* e = nullptr;
    const int r = archive_read_next_header(m.a.get(), &e);
    if (r == ARCHIVE_EOF) return std::optional<ArchiveEntry>();
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      return InvalidArgumentError("malformed archive: " + LibError(m.a.get()));
    }
    if (++m.entries > m.limits.max_entries) {
      return ResourceExhaustedError("archive has more than " + std::to_string(m.limits.max_entries) +
                                    " entries");
    }
    const char* name = archive_entry_pathname_utf8(e);
    if (name == nullptr) name = archive_entry_pathname(e);
    if (name == nullptr) return InvalidArgumentError("archive entry without a name");
    KHOLUU_ASSIGN_OR_RETURN(std::string path, CheckPath(name));
    const std::string shown = "archive entry '" + std::string(name) + "'";
    if (archive_entry_hardlink(e) != nullptr) return InvalidArgumentError(shown + " is a hard link");
    if (archive_entry_is_encrypted(e)) return InvalidArgumentError(shown + " is encrypted");
    ArchiveEntry out;
    switch (archive_entry_filetype(e)) {
      case AE_IFREG:
        out.type = EntryType::kFile;
        break;
      case AE_IFDIR:
        out.type = EntryType::kDirectory;
        break;
      case AE_IFLNK:
        return InvalidArgumentError(shown + " is a symbolic link");
      case AE_IFCHR:
      case AE_IFBLK:
        return InvalidArgumentError(shown + " is a device file");
      case AE_IFIFO:
        return InvalidArgumentError(shown + " is a fifo");
      case AE_IFSOCK:
        return InvalidArgumentError(shown + " is a socket");
      default:
        return InvalidArgumentError(shown + " has an unknown file type");
    }
    if (path.empty()) {
      if (out.type == EntryType::kDirectory) continue;  // "./"
      return InvalidArgumentError(shown + " names no file");
    }
    if (out.type == EntryType::kFile && archive_entry_size_is_set(e) && archive_entry_size(e) > 0 &&
        static_cast<uint64_t>(archive_entry_size(e)) > m.limits.max_entry_bytes) {
      return ResourceExhaustedError(shown + " declares more than " +
                                    std::to_string(m.limits.max_entry_bytes) + " bytes");
    }
    if (!m.seen.insert(path).second) {
      return InvalidArgumentError("archive entry '" + path + "' occurs twice");
    }
    out.path = path;
    m.current = path;
    m.have_file = out.type == EntryType::kFile;
    m.data_read = false;
    return std::optional<ArchiveEntry>(std::move(out));
  }
}

Status ArchiveReader::ReadData(const std::function<Status(std::string_view)>& sink) {
  if (!impl_->have_file || impl_->data_read) {
    return FailedPreconditionError("no archive file entry to read");
  }
  ScopedUtf8Locale utf8;
  return impl_->Drain(&sink);
}

Result<std::string> ArchiveReader::ReadDataToString(uint64_t max_bytes) {
  std::string out;
  KHOLUU_RETURN_IF_ERROR(ReadData([&](std::string_view chunk) -> Status {
    if (out.size() + chunk.size() > max_bytes) {
      return ResourceExhaustedError("archive entry '" + impl_->current + "' is larger than " +
                                    std::to_string(max_bytes) + " bytes");
    }
    out.append(chunk);
    return Status::Ok();
  }));
  return out;
}

namespace {

Result<std::vector<std::string>> ExtractInto(ArchiveReader& r, const std::string& root) {
  std::vector<std::string> files;
  KHOLUU_RETURN_IF_ERROR(CreateDirs(root));
  while (true) {
    KHOLUU_ASSIGN_OR_RETURN(std::optional<ArchiveEntry> e, r.Next());
    if (!e) break;
    const std::string target = JoinPath(root, e->path);
    if (e->type == EntryType::kDirectory) {
      KHOLUU_RETURN_IF_ERROR(CreateDirs(target));
      continue;
    }
    KHOLUU_RETURN_IF_ERROR(CreateDirs(DirName(target)));
    if (IsDirectory(target)) {
      return InvalidArgumentError("archive entry '" + e->path + "' is both a file and a directory");
    }
    KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(target));
    KHOLUU_RETURN_IF_ERROR(r.ReadData([&w](std::string_view chunk) { return w.Append(chunk); }));
    KHOLUU_RETURN_IF_ERROR(w.Commit());
    files.push_back(e->path);
  }
  return files;
}

}  // namespace

Result<std::vector<std::string>> ExtractArchive(const std::string& archive_path,
                                                const std::string& dest_dir,
                                                const ArchiveLimits& limits) {
  if (PathExists(dest_dir)) return AlreadyExistsError(dest_dir + " already exists");
  KHOLUU_ASSIGN_OR_RETURN(ArchiveReader r, ArchiveReader::OpenFile(archive_path, limits));
  const std::string partial = dest_dir + ".partial";
  KHOLUU_RETURN_IF_ERROR(RemoveTree(partial));
  auto files = ExtractInto(r, partial);
  if (!files.ok()) {
    RemoveTree(partial).IgnoreError();
    return files.status();
  }
  if (rename(partial.c_str(), dest_dir.c_str()) != 0) {
    Status e = ErrnoError(errno, "rename " + partial);
    RemoveTree(partial).IgnoreError();
    return e;
  }
  KHOLUU_RETURN_IF_ERROR(SyncDir(DirName(dest_dir)));
  return files;
}

}  // namespace kholuu::formats::package
