// The data directory's layout: the one place that names every path under
// an archive's directory. The CLI, the server and the tests take paths from
// here, never by joining strings of their own.
//
//   <data>/KHOLUU        marker (archive/archive.h)
//   <data>/catalog/      LMDB catalog
//   <data>/blobs/        content-addressed blob store
//   <data>/index/        full-text index (derived; `kholuu reindex`)
//   <data>/keys/         the archive's seal key, certificate chain, TSA URL
//   <data>/trust/        PEM trust anchors for signature verification
//   <data>/spool/        packages being staged and unpacked by ingest
//   <data>/jobs/         per-job scratch space of ingest workers
//   <data>/WRITER        flock(2)ed by the one process that writes (service.h)
//   <data>/replica       (catalog meta "replica.path": where replicas live)
#pragma once

#include <string>

namespace kholuu::ingest {

// Value type; no I/O.
class DataDir {
 public:
  explicit DataDir(std::string root) : root_(std::move(root)) {}

  // $KHOLUU_DATA when set and not empty, else "./var/kholuu".
  static DataDir Default();

  const std::string& root() const { return root_; }
  std::string catalog() const { return root_ + "/catalog"; }
  std::string blobs() const { return root_ + "/blobs"; }
  std::string index() const { return root_ + "/index"; }
  // Where a rebuild writes before it is renamed over index(), and where the
  // replaced index waits to be removed.
  std::string index_new() const { return root_ + "/index.new"; }
  std::string index_old() const { return root_ + "/index.old"; }
  std::string keys() const { return root_ + "/keys"; }
  std::string seal_key() const { return keys() + "/seal-key.pem"; }
  std::string seal_cert() const { return keys() + "/seal-cert.pem"; }
  std::string tsa_url() const { return keys() + "/tsa-url"; }
  std::string trust() const { return root_ + "/trust"; }
  std::string spool() const { return root_ + "/spool"; }
  std::string jobs() const { return root_ + "/jobs"; }
  std::string writer_lock() const { return root_ + "/WRITER"; }

 private:
  std::string root_;
};

}  // namespace kholuu::ingest
