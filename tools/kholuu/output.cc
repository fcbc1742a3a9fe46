#include "tools/kholuu/output.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "archive/base/file.h"
#include "tools/kholuu/messages.h"

namespace kholuu::cli {

Result<Output> Output::Prepare(const std::string& path, bool force, bool json) {
  Output o;
  o.target_ = path;
  if (path.empty()) return UsageError(Msg::kUsageError, {"-o FILE"});
  if (path == "-") {
    if (json) return UsageError(Msg::kOutputStdoutWithJson);
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/kholuu-out-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) return ErrnoError(errno, "mkdtemp " + tmpl);
    o.stdout_ = true;
    o.staging_dir_ = tmpl;
    o.path_ = tmpl + "/out";
    return o;
  }
  if (IsDirectory(path)) return UsageError(Msg::kOutputIsDirectory, {path});
  if (PathExists(path) && !force) return UsageError(Msg::kOutputExists, {path});
  o.path_ = path;
  return o;
}

Output::Output(Output&& other) noexcept
    : stdout_(other.stdout_), target_(std::move(other.target_)), path_(std::move(other.path_)),
      staging_dir_(std::move(other.staging_dir_)), stream_(std::move(other.stream_)) {
  other.staging_dir_.clear();
  other.stream_.reset();
}

Output::~Output() {
  if (!staging_dir_.empty()) RemoveTree(staging_dir_).IgnoreError();
}

Status Output::Write(std::string_view bytes) {
  if (!stdout_) return WriteFileAtomic(path_, bytes);
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
    return ErrnoError(errno, "write to standard output");
  }
  return Status::Ok();
}

Status Output::Finish() {
  if (!stdout_) return Status::Ok();
  std::FILE* in = std::fopen(path_.c_str(), "rb");
  if (in == nullptr) return ErrnoError(errno, "open " + path_);
  char buf[1 << 16];
  size_t n = 0;
  Status s;
  while (s.ok() && (n = std::fread(buf, 1, sizeof buf, in)) > 0) s = Write(std::string_view(buf, n));
  if (s.ok() && std::ferror(in)) s = ErrnoError(errno, "read " + path_);
  std::fclose(in);
  return s;
}

Status Output::Append(std::string_view bytes) {
  if (stdout_) return Write(bytes);
  if (!stream_) {
    KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(path_));
    stream_.emplace(std::move(w));
  }
  return stream_->Append(bytes);
}

Status Output::Commit() {
  if (stdout_) return Status::Ok();
  if (!stream_) KHOLUU_RETURN_IF_ERROR(Append({}));
  return stream_->Commit();
}

}  // namespace kholuu::cli
