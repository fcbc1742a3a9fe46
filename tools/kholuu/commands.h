// The kholuu CLI commands. Each returns the process exit status and writes
// its result to stdout: one JSON document with --json, readable text otherwise.
#pragma once

#include <cstdint>
#include <string>

#include <memory>

#include <nlohmann/json.hpp>

#include "archive/base/status.h"
#include "ingest/service.h"

namespace kholuu::cli {

struct Common {
  std::string data;   // archive directory
  bool json = false;
  bool quiet = false;     // --quiet: no progress, no informational lines on stderr
  bool progress = false;  // --progress: progress on stderr even when it is not a terminal
  std::string actor;  // recorded in audit entries: "cli:<user>"
};

// Reports a failed command: the error JSON on stdout with --json (invalid
// UTF-8 in a message is replaced, never thrown; the message stays the
// library's), the human message (messages.h Describe) on stderr.
// Returns the exit status for `s` (json_out.h).
int Fail(const Common& c, const Status& s);

// Writes a command's result to stdout: `j` with --json, else `text` (a
// newline added when missing).
void Print(const Common& c, const nlohmann::json& j, const std::string& text);

// Writes "kholuu: <Describe(s)>" to stderr, for a failure that does not end
// the command (one file of several).
void Warn(const Status& s);

// A date given on the command line: empty, or a real calendar date
// YYYY-MM-DD. Errors: kInvalidArgument naming `option` and the value.
Status CheckDateOption(const std::string& option, const std::string& value);

// The archive of --data, opened for `c.actor`.
Result<std::unique_ptr<ingest::Service>> OpenService(const Common& c, bool read_only = false);

int CmdInit(const Common& c);
int CmdShow(const Common& c, const std::string& id);
int CmdStats(const Common& c);

struct FixityArgs {
  bool all = false;
  uint64_t sample = 0;
  bool repair = false;
  std::string replica;
  bool no_events = false;
};
int CmdFixity(const Common& c, const FixityArgs& a);

int CmdAuditVerify(const Common& c);
int CmdVerify(const Common& c, const std::string& id);
int CmdAuditLog(const Common& c, uint64_t limit);

int CmdBackup(const Common& c, const std::string& dir);
int CmdBackupVerify(const Common& c, const std::string& dir);
int CmdRestore(const Common& c, const std::string& backup_dir);
int CmdReplicaSync(const Common& c, const std::string& dir);

struct GcArgs {
  bool dry_run = false;
  int64_t min_age_seconds = 3600;
};
int CmdGc(const Common& c, const GcArgs& a);

// Stores a file as a document's original in a new or existing record file
// (ingest/store.h). For operators and tests.
struct PutArgs {
  std::string file;
  std::string file_code;     // "ORGAN.YEAR.NOTATION"
  std::string title;         // record file title if created
  std::string subject;
  std::string issued_date;
  std::string organ_name;
  std::string number;
  std::string notation;
  std::string type_name;
  uint64_t max_bytes = 0;    // 0: the default (ingest::kMaxOriginalBytes)
};
int CmdPut(const Common& c, const PutArgs& a);

// Seeds an archive with the sample packages of ingest/sample.h, through
// the ingest pipeline (tools/run).
int CmdSample(const Common& c);

}  // namespace kholuu::cli
