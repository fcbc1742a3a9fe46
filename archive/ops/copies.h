// The second copy: a replica kept in step, and verified backup/restore.
//
// A replica and a backup are both archive directories (same layout, same
// marker), so either can be opened, checked with fixity and audit verify, and
// used as a repair source. A backup also carries MANIFEST-SHA256, a
// sha256sum-compatible list of every file in it, so that it can be checked
// with standard tools on another machine (`sha256sum -c MANIFEST-SHA256`).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "archive/archive.h"

namespace kholuu::archive {

inline constexpr char kBackupManifest[] = "MANIFEST-SHA256";

struct CopyReport {
  std::string dir;
  uint64_t blobs_total = 0;    // blobs the copy references
  uint64_t blobs_copied = 0;   // copied this time
  uint64_t bytes_copied = 0;
  uint64_t catalog_bytes = 0;
  uint64_t audit_entries = 0;  // in the copied catalog
};

struct CopyOptions {
  // Called on the calling thread after each blob with (blobs done, blobs the
  // snapshot references); may be empty.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// Brings `replica_dir` in step with the archive: every blob referenced by a
// consistent snapshot of the catalog is copied (verified) if the replica lacks
// it or holds a bad copy, then the snapshot replaces the replica's catalog
// atomically. Creates the replica on first use. Records the replica's path in
// the catalog (meta "replica.path") and audits "replica.sync".
// Errors: kFailedPrecondition if replica_dir is a non-empty non-archive, or
// is the archive itself.
Result<CopyReport> SyncReplica(Archive& archive, const std::string& replica_dir,
                               const std::string& agent, const CopyOptions& options = {});

// Writes a new backup into `backup_dir` (must not exist or be empty): catalog
// snapshot, the blobs it references, and MANIFEST-SHA256; then re-reads and
// verifies everything it wrote. Audited as "archive.backup".
Result<CopyReport> Backup(Archive& archive, const std::string& backup_dir,
                          const std::string& agent, const CopyOptions& options = {});

// Parses MANIFEST-SHA256 text: lines "<64 hex>  <relative path>", LF-ended,
// empty lines ignored. Paths must be relative and free of ".." components.
// Errors: kDataLoss naming the first bad line.
Result<std::map<std::string, Sha256>> ParseBackupManifest(std::string_view text);

struct VerifyCopyReport {
  uint64_t files = 0;
  std::vector<std::string> problems;  // "path: why"
  bool ok() const { return problems.empty(); }
};

// Checks every file in a backup against its MANIFEST-SHA256, and that every
// blob the backup's catalog references is listed and present.
Result<VerifyCopyReport> VerifyBackup(const std::string& backup_dir);

// Restores a backup into `data_dir` (must not hold an archive; created if
// missing). The backup is verified first (nothing is written if it fails:
// kDataLoss listing the problems); after copying, the restored archive is
// opened, its audit chain verified and every referenced blob re-hashed; then
// "archive.restore" is audited in it. options.progress counts the blobs
// copied.
Result<CopyReport> Restore(const std::string& backup_dir, const std::string& data_dir,
                           const std::string& agent, const CopyOptions& options = {});

}  // namespace kholuu::archive
