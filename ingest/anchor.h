// Anchors of the audit log (issue 19): the log's Merkle root
// (archive/audit/merkle.h) at one moment, in a short text statement sealed
// with the archive's seal key (CMS, detached) and timestamped by the
// configured RFC 3161 TSA. An anchor proves to an outsider that no entry
// up to its tree size was changed, added or removed since the TSA's time:
// the TSA's token fixes the statement in time, and whoever rewrites the log
// afterwards cannot make its first tree_size entries hash to the same root.
//
// Anchors are kept in the catalog (meta "anchor/<tree size, 20 digits>",
// written with an audited meta.set), so every backup holds them; Export
// writes them as plain files. Formats: docs/formats/storage.md "Audit tree
// and anchors"; decision: docs/adr/0076-audit-tree-and-anchors.md.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <string_view>
#include <vector>

#include "archive/archive.h"
#include "archive/base/sha256.h"
#include "archive/base/status.h"
#include "ingest/data_dir.h"

namespace kholuu::ingest {

struct Anchor {
  uint64_t tree_size = 0;  // covers audit entries 1..tree_size
  Sha256 tree_root;        // root of the tree over those entries
  Sha256 head_hash;        // hash of entry tree_size (zero when tree_size is 0)
  int64_t time = 0;        // when it was made, Unix seconds, by the archive's clock
  std::string reason;      // "manual", "backup", "interval", "evidence"
  std::string statement;   // the signed text: exactly AnchorStatement(*this)
  std::string seal;        // CMS SignedData (DER) detached over `statement`
  std::string token;       // RFC 3161 TimeStampToken (DER) over SHA-256(statement); "" if none
};

// The statement: UTF-8 lines ending in "\n":
//   kholuu-audit-anchor 1 / tree-size: N / tree-root: hex / head-hash: hex /
//   time: 2026-12-07T18:00:00Z / reason: word
std::string AnchorStatement(const Anchor& a);
// Fills the fields (not seal, token) from a statement. Errors:
// kInvalidArgument naming the first line that does not fit.
Result<Anchor> ParseAnchorStatement(std::string_view statement);

// The stored value ("KHN1", then statement, seal, token as u64be length +
// bytes). Errors: kDataLoss when malformed or the statement does not parse.
std::string EncodeAnchor(const Anchor& a);
Result<Anchor> DecodeAnchor(std::string_view bytes);

struct AnchorOptions {
  std::string reason = "manual";
  // Fail when no TSA is configured instead of making a sealed-only anchor.
  bool require_timestamp = false;
  Clock* clock = SystemClock();
};

// Anchors the log as it is now: computes the root over every entry, seals the
// statement with the seal key and has the configured TSA timestamp it (which
// must then answer), and stores it. When the newest anchor already covers the
// whole log, returns that one unchanged. Errors: as LoadSealKey (no seal key:
// kNotFound, "run kholuu seal init"); kFailedPrecondition when
// require_timestamp and no TSA is configured; the TSA's errors; catalog errors.
Result<Anchor> MakeAnchor(archive::Archive& archive, const DataDir& data, const std::string& actor,
                          const AnchorOptions& options);

// Every stored anchor, oldest (smallest tree) first. Errors: kDataLoss for a
// malformed one.
Result<std::vector<Anchor>> ListAnchors(const archive::TxnView& txn);

struct AnchorCheck {
  uint64_t tree_size = 0;
  int64_t time = 0;
  std::string reason;
  bool root_ok = false;        // the log's first tree_size entries hash to tree_root
  bool seal_ok = false;        // the CMS verifies over the statement
  std::string sealed_by;       // the seal certificate's subject
  bool timestamped = false;
  bool timestamp_ok = false;   // the token verifies and its imprint is the statement's
  int64_t timestamp_time = 0;  // the TSA's genTime, Unix seconds
  std::string tsa;             // the TSA certificate's subject
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

struct AnchorReport {
  uint64_t log_size = 0;
  std::vector<AnchorCheck> anchors;
  // The newest anchor that holds, or 0: entries up to it are proven.
  uint64_t proven_size = 0;
  bool ok() const {
    for (const AnchorCheck& a : anchors) {
      if (!a.ok()) return false;
    }
    return true;
  }
};

// Checks every stored anchor against the log in one pass over the entries:
// root and head, seal, timestamp. A mismatch is reported, not an error; run
// it after VerifyAudit (which proves the chain the tree is built over).
// Trust in the seal and TSA certificates is for the checker to decide; their
// subjects are reported. Errors: read failures, a malformed anchor.
Result<AnchorReport> VerifyAnchors(const archive::TxnView& txn);

// The hashes of entries 1..n, in order (n = 0: all). Errors: kDataLoss when
// the log has fewer than n entries or an entry does not decode.
Result<std::vector<Sha256>> AuditEntryHashes(const archive::TxnView& txn, uint64_t n = 0);

// Writes each anchor as anchor-<tree size>.txt (statement), .p7s (seal) and
// .tst (token, when there is one) into `dir` (created; existing files with
// those names are replaced). Errors: I/O.
Status ExportAnchors(const std::vector<Anchor>& anchors, const std::string& dir);

// Anchors the log every `interval` (reason "interval") on its own thread,
// from construction until destruction or Stop(): the server's anchors at
// intervals. A tick with no new entries adds nothing (MakeAnchor returns the
// newest anchor); an archive without a seal key is skipped; a failure (a TSA
// that does not answer) is logged and tried again at the next tick.
class PeriodicAnchor {
 public:
  PeriodicAnchor(archive::Archive* archive, DataDir data, std::string actor, std::chrono::seconds interval);
  ~PeriodicAnchor();
  PeriodicAnchor(const PeriodicAnchor&) = delete;
  PeriodicAnchor& operator=(const PeriodicAnchor&) = delete;
  // Stops the thread, waiting for an anchor being made. Idempotent.
  void Stop();
  uint64_t made() const;  // anchors made or found current so far

 private:
  void Loop();
  archive::Archive* archive_;
  DataDir data_;
  std::string actor_;
  std::chrono::seconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  uint64_t made_ = 0;
  std::thread thread_;
};

}  // namespace kholuu::ingest
