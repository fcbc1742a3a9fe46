// Writing a POSIX tar archive (pax, via libarchive) to a byte sink: the
// container of evidence bundles (ingest/evidence.h). Names are UTF-8 and
// written as pax path records, so Vietnamese names survive any locale.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "archive/base/file.h"
#include "archive/base/status.h"

namespace kholuu::formats::package {

class TarWriter {
 public:
  // Receives the archive's bytes in order; an error stops the writer.
  using Sink = std::function<Status(std::string_view bytes)>;

  // Errors: kInternal when libarchive cannot start.
  static Result<std::unique_ptr<TarWriter>> Open(Sink sink);
  ~TarWriter();
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // A regular file (mode 0644, or 0755 when `executable`) with mtime
  // `mtime` (Unix seconds). Errors: kInvalidArgument for an empty, absolute
  // or ".."-containing name; the sink's error; kInternal.
  Status AddFile(const std::string& name, std::string_view bytes, int64_t mtime, bool executable = false);
  // The same, streamed from `source`, which must yield exactly `size` bytes
  // (else kDataLoss).
  Status AddFile(const std::string& name, uint64_t size, ByteSource& source, int64_t mtime);
  // Writes the end of the archive. Nothing may be added afterwards.
  // Errors: the sink's; kInternal.
  Status Close();

 private:
  struct Impl;
  explicit TarWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kholuu::formats::package
