// The tamper campaign of issue 19: on copies of a real archive, change bytes
// at a random place in the catalog, a blob, the replica, the audit log or the
// index, then run the real `kholuu` commands (audit verify, verify ID,
// fixity, show, search) as separate processes and classify what they said
// against an independent oracle (oracle.h). docs/tamper.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "archive/base/status.h"

namespace kholuu::tamper {

struct CampaignOptions {
  uint64_t trials = 80;
  uint64_t seed = 1;
  std::string kholuu;     // the kholuu program under test
  std::string mdb_dump;   // the oracle's reader
  std::string corpus;     // the shared corpus (pdf-pyhanko/, scans-real/); "" for none
  std::string work;       // scratch directory (the base archive and each trial's copy)
  std::string out;        // results JSON ("" for none)
  bool sample = true;     // seed the base archive with `kholuu sample`
  int64_t only_trial = -1;  // run this trial only (its number in the full run)
  double timeout_seconds = 60;
  bool verbose = false;
};

struct CampaignSummary {
  uint64_t trials = 0;
  uint64_t failures = 0;  // SILENT + CRASH trials
  std::map<std::string, std::map<std::string, uint64_t>> table;  // target -> outcome -> count
};

// Builds the base archive under options.work, runs the trials, prints the
// table per target × outcome to stdout and writes every trial to
// options.out. Errors: when the base archive cannot be built or a baseline
// command fails on the untouched copy (the campaign would mean nothing).
Result<CampaignSummary> RunCampaign(const CampaignOptions& options);

}  // namespace kholuu::tamper
