// An ingest job: one received package and what became of it. The catalog
// keeps one per package (keyed by the package's SHA-256), so that a package
// submitted again is recognised, and a job interrupted by a crash is resumed
// or abandoned at the next start (docs/ingest.md "Jobs").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/model/validation.h"

namespace kholuu::model {

enum class JobState : int32_t {
  kReceived = 1,   // staged; checks, preservation and commit not finished
  kAccepted = 2,   // its records are committed (with this state, in one transaction)
  kRejected = 3,   // refused whole; nothing but this record was kept
  kAbandoned = 4,  // interrupted and could not be resumed (its staged copy is gone)
};
// "received", "accepted", "rejected", "abandoned"; "unknown" outside the enum.
std::string_view JobStateName(JobState s);

// One problem found in a package (stable code, docs/ingest.md).
struct JobProblem {
  std::string code;        // e.g. "file.checksum_mismatch", ≤ 100, required
  bool error = false;      // true: refuses the package; false: a warning
  std::string message;     // English, ≤ 2000
  std::string message_vi;  // Vietnamese, ≤ 2000
  std::string path;        // where: a path in the package, "sheet!row 7"; ≤ 1000
  friend bool operator==(const JobProblem&, const JobProblem&) = default;
};

// Value type; no shared state.
struct IngestJob {
  std::string id;            // SHA-256 (hex) of the package (docs/ingest.md)
  std::string package;       // the name it was submitted under, ≤ 1000
  std::string kind;          // "edxml", "bagit", "mets", "batch", "sidecar"
  JobState state = JobState::kReceived;
  std::string actor;         // who submitted it
  int64_t received_micros = 0;
  int64_t finished_micros = 0;  // 0 while received
  std::string record_file;   // accepted: the record file code
  std::vector<std::string> documents;  // accepted: the documents made or linked
  std::vector<JobProblem> problems;    // errors (rejected) and warnings
  std::string detail;        // a line on the outcome, ≤ 2000

  // Every problem at once. Rules: id is 64 lower-case hex digits; package,
  // kind, actor required; state in range; received_micros > 0;
  // finished_micros ≥ 0, and > 0 unless received; texts valid UTF-8 within
  // their lengths; every problem has a code.
  Problems Validate() const;
  friend bool operator==(const IngestJob&, const IngestJob&) = default;
};

}  // namespace kholuu::model
