// Where a command's `-o FILE` goes: a file, never one that exists unless
// --force (then replaced atomically), or standard output for "-" (then
// nothing else is printed on stdout).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "archive/base/file.h"
#include "archive/base/status.h"

namespace kholuu::cli {

class Output {
 public:
  // Errors (kInvalidArgument, naming the path): an empty path; an existing
  // file without `force`; a directory; "-" together with `json`.
  static Result<Output> Prepare(const std::string& path, bool force, bool json);

  Output(Output&& other) noexcept;
  Output& operator=(Output&&) = delete;
  Output(const Output&) = delete;
  ~Output();  // removes the private staging directory of "-"

  bool to_stdout() const { return stdout_; }
  // What to show the user: the path, or "-".
  const std::string& shown() const { return target_; }
  // Where a library that writes a file atomically should write: the target,
  // or for "-" a file in a private temporary directory that Finish() copies.
  const std::string& path() const { return path_; }

  // Writes `bytes`: atomically to the file, or to stdout.
  Status Write(std::string_view bytes);
  // After a library wrote path(): for "-", copies it to stdout; no-op for a file.
  Status Finish();

  // Streaming, for a library that writes to a byte sink: Append() the
  // pieces in order (straight to stdout for "-", else to a temporary file
  // beside the target), then Commit() puts the file in place atomically.
  // Without Commit() a file target is left untouched.
  Status Append(std::string_view bytes);
  Status Commit();

 private:
  Output() = default;
  bool stdout_ = false;
  std::string target_;
  std::string path_;
  std::string staging_dir_;
  std::optional<AtomicFileWriter> stream_;
};

}  // namespace kholuu::cli
