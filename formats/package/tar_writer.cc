#include "formats/package/tar_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <vector>

namespace kholuu::formats::package {
namespace {

// libarchive converts names through the thread's locale; this keeps UTF-8
// for the duration of a call whatever the process's locale is.
class Utf8Locale {
 public:
  Utf8Locale() : utf8_(newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr))) {
    if (utf8_ != static_cast<locale_t>(nullptr)) previous_ = uselocale(utf8_);
  }
  ~Utf8Locale() {
    if (utf8_ == static_cast<locale_t>(nullptr)) return;
    uselocale(previous_);
    freelocale(utf8_);
  }
  Utf8Locale(const Utf8Locale&) = delete;
  Utf8Locale& operator=(const Utf8Locale&) = delete;

 private:
  locale_t utf8_;
  locale_t previous_ = static_cast<locale_t>(nullptr);
};

struct EntryDeleter {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

bool SafeName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.size() > 1024) return false;
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t slash = name.find('/', pos);
    if (slash == std::string::npos) slash = name.size();
    const std::string_view part(name.data() + pos, slash - pos);
    if (part.empty() || part == "." || part == "..") return false;
    pos = slash + 1;
  }
  return name.find('\0') == std::string::npos;
}

}  // namespace

struct TarWriter::Impl {
  archive* a = nullptr;
  Sink sink;
  Status sink_status;
  bool closed = false;

  ~Impl() {
    if (a != nullptr) archive_write_free(a);
  }

  Status Error(const char* what) {
    if (!sink_status.ok()) return sink_status;
    const char* msg = archive_error_string(a);
    return InternalError(std::string("tar: ") + what + ": " + (msg != nullptr ? msg : "libarchive failed"));
  }

  static la_ssize_t Write(archive*, void* client, const void* buf, size_t size) {
    Impl* self = static_cast<Impl*>(client);
    self->sink_status = self->sink(std::string_view(static_cast<const char*>(buf), size));
    if (!self->sink_status.ok()) return -1;
    return static_cast<la_ssize_t>(size);
  }

  Status Header(const std::string& name, uint64_t size, int64_t mtime, bool executable) {
    if (closed) return FailedPreconditionError("tar: closed");
    if (!SafeName(name)) return InvalidArgumentError("tar: unsafe entry name \"" + name + "\"");
    std::unique_ptr<archive_entry, EntryDeleter> e(archive_entry_new());
    archive_entry_set_pathname_utf8(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), executable ? 0755 : 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(e.get(), static_cast<time_t>(mtime), 0);
    if (archive_write_header(a, e.get()) != ARCHIVE_OK) return Error("header");
    return Status::Ok();
  }

  Status Data(const char* p, size_t n) {
    while (n > 0) {
      la_ssize_t w = archive_write_data(a, p, n);
      if (w <= 0) return Error("data");
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::Ok();
  }
};

TarWriter::TarWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TarWriter::~TarWriter() = default;

Result<std::unique_ptr<TarWriter>> TarWriter::Open(Sink sink) {
  Utf8Locale utf8;
  auto impl = std::make_unique<Impl>();
  impl->sink = std::move(sink);
  impl->a = archive_write_new();
  if (impl->a == nullptr) return InternalError("tar: out of memory");
  if (archive_write_set_format_pax_restricted(impl->a) != ARCHIVE_OK) return impl->Error("format");
  archive_write_set_bytes_in_last_block(impl->a, 1);
  if (archive_write_open(impl->a, impl.get(), nullptr, &Impl::Write, nullptr) != ARCHIVE_OK) {
    return impl->Error("open");
  }
  return std::unique_ptr<TarWriter>(new TarWriter(std::move(impl)));
}

Status TarWriter::AddFile(const std::string& name, std::string_view bytes, int64_t mtime, bool executable) {
  Utf8Locale utf8;
  KHOLUU_RETURN_IF_ERROR(impl_->Header(name, bytes.size(), mtime, executable));
  return impl_->Data(bytes.data(), bytes.size());
}

Status TarWriter::AddFile(const std::string& name, uint64_t size, ByteSource& source, int64_t mtime) {
  Utf8Locale utf8;
  KHOLUU_RETURN_IF_ERROR(impl_->Header(name, size, mtime, false));
  std::vector<char> buf(1 << 16);
  uint64_t done = 0;
  for (;;) {
    KHOLUU_ASSIGN_OR_RETURN(size_t n, source.Read(buf.data(), buf.size()));
    if (n == 0) break;
    if (n > size - done) return DataLossError("tar: " + name + " is longer than " + std::to_string(size) + " bytes");
    KHOLUU_RETURN_IF_ERROR(impl_->Data(buf.data(), n));
    done += n;
  }
  if (done != size) return DataLossError("tar: " + name + " ended after " + std::to_string(done) + " of " +
                                         std::to_string(size) + " bytes");
  return Status::Ok();
}

Status TarWriter::Close() {
  if (impl_->closed) return Status::Ok();
  impl_->closed = true;
  if (archive_write_close(impl_->a) != ARCHIVE_OK) return impl_->Error("close");
  return Status::Ok();
}

}  // namespace kholuu::formats::package
