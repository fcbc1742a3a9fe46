// Fixity checking, repair and garbage collection of blobs.
#pragma once

#include <functional>

#include <cstdint>
#include <string>
#include <vector>

#include "archive/archive.h"

namespace kholuu::archive {

struct FixityOptions {
  // Which blobs: all referenced ones, or a random sample of this many
  // (0 and !all means all as well).
  bool all = true;
  uint64_t sample = 0;
  uint64_t seed = 0;          // for the sample; 0 picks one from the clock
  // Where to repair from: a replica or a restored backup (an archive dir).
  std::string replica_dir;
  bool repair = false;        // REQUIRES: replica_dir when true
  bool record_events = true;  // one fixity-check event per component
  std::string agent = "kholuu fixity";
  // Called after each blob with (checked, total); may be empty. Runs on the
  // calling thread.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct FixityFailure {
  std::string sha256;                   // hex
  std::vector<std::string> components;  // component ids that reference it
  std::string problem;                  // "missing" or "corrupt"
  std::string detail;
  bool repaired = false;
  std::string repair_detail;            // why a repair failed
};

struct FixityReport {
  uint64_t checked = 0;    // distinct blobs checked
  uint64_t components = 0; // components covered
  uint64_t bytes = 0;
  std::vector<FixityFailure> failures;
  // True if every failure was repaired (or there were none).
  bool AllGood() const;
};

// Recomputes the SHA-256 of referenced blobs, records one fixity-check event
// per component (outcome success or failure; batched transactions), and with
// `repair` restores missing or corrupt blobs from the replica after verifying
// the replica's copy (audited as "blob.repair"). A failure of the archive to
// read itself is not a fixity failure: that returns a non-OK status.
Result<FixityReport> RunFixity(Archive& archive, const FixityOptions& options);

struct GcOptions {
  bool dry_run = false;
  // Blobs younger than this are kept: an ingest may have stored them and not
  // yet committed the catalog rows that reference them.
  int64_t min_age_seconds = 3600;
  std::string agent = "kholuu gc";
};

struct GcReport {
  uint64_t scanned = 0;
  uint64_t referenced = 0;
  uint64_t kept_young = 0;
  std::vector<std::string> removed;  // hex digests (or would be, in a dry run)
  uint64_t bytes_removed = 0;
};

// Removes blobs that no component references. Each removal is audited
// ("blob.gc") in a catalog transaction committed before the file is deleted,
// and the reference check runs inside that transaction, so a blob that became
// referenced meanwhile is kept.
Result<GcReport> CollectGarbage(Archive& archive, const GcOptions& options);

}  // namespace kholuu::archive
