// Retention of record files (issue 20, ADR 0080): assigned at ingest from
// the file's metadata ("Thời hạn bảo quản"), reassigned by an archivist from
// a schedule entry or a period text (with a reason; every change audited,
// the history in the log), and the due list read from the catalog's due
// index. Rules for archivists: docs/retention.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/base/status.h"
#include "archive/model/hold.h"
#include "archive/model/record_file.h"
#include "archive/model/retention.h"

namespace kholuu::ingest {

// The retention a record file's metadata gives it when it is received: its
// `maintenance` text read by ParseRetention; the work ended on its end date
// (else 31 December of its file-catalog year); stage current, entered on
// `received`. nullopt (and `problem` set) when the text is empty or
// unreadable: the file is then listed as without retention
// (Service::FilesWithoutRetention) until an archivist assigns one.
std::optional<model::FileRetention> RetentionFromMetadata(const model::RecordFile& file,
                                                          const model::CivilDate& received, int64_t now_micros,
                                                          std::string* problem);

// An archivist's (re)assignment. Exactly one source: a schedule entry
// (schedule_id + entry_code; version empty = the newest version of that
// schedule) or a period text. Every other field left unset keeps the
// file's current value (or, for a first assignment, the metadata's).
struct RetentionAssignment {
  std::string file_code;
  std::string schedule_id, schedule_version, entry_code;
  std::string period_text;
  std::optional<model::CivilDate> work_ended, event, settled, entered_current;
  std::optional<bool> construction, other_law;
  std::optional<model::RetentionStage> stage;
  std::string reason;  // required when the file already has a retention
};

struct DueQuery {
  model::CivilDate as_of;
  int32_t within_days = 0;              // also list what falls due this many days after as_of
  std::vector<model::DueKind> kinds;    // empty: all four
  std::string organ_id;                 // "" : every agency
};

struct DueItem {
  model::DueKind kind = model::DueKind::kExpiry;
  model::CivilDate date;     // deadline / last day kept / (awaiting) the work's end
  bool overdue = false;      // the date is before as_of (expiry: kept past its end)
  std::string file_code;
  std::string organ_id;
  int32_t year = 0;          // the file's catalog year
  std::string title;
  model::RetentionPeriod period;
  std::string schedule;      // "TT10-2022 2022-12-19 3.1", or "" from metadata
};

}  // namespace kholuu::ingest
