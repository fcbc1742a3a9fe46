// Shared by the intake sources (intake.cc, mets_check.cc, sidecar.cc);
// not part of the public interface.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/sha256.h"
#include "archive/base/status.h"
#include "ingest/intake.h"

namespace kholuu::ingest::internal {

// A problem of a registered code: the messages are the code's meanings,
// followed by ": <detail>" when there is one. Unregistered codes abort
// (KHOLUU_CHECK): every code must be in ProblemCodes().
Problem MakeProblem(std::string_view code, const std::string& detail, const std::string& path);
// A problem passed on from a format reader ("bagit.", "batch.", "edxml."
// families): the code is prefix + the reader's code, the severity the
// reader's, the meaning the family's.
Problem ReaderProblem(std::string_view family, const std::string& reader_code, Severity severity,
                      const std::string& detail, const std::string& path);

// A staged regular file, hashed while it was copied.
struct StagedFile {
  std::string rel;  // relative to the staged package root, '/'-separated
  std::string abs;
  uint64_t size = 0;
  Sha256 sha256;
};

// The state one ReadPackage call builds up.
struct Context {
  const IntakeOptions* options = nullptr;
  Intake* intake = nullptr;
  std::string today;  // YYYY-MM-DD in Vietnam (UTC+7)
  // Staged files by absolute path (filled by staging).
  std::map<std::string, StagedFile> staged;

  void Add(Problem p) { intake->problems.push_back(std::move(p)); }
  void Add(std::string_view code, const std::string& detail, const std::string& path) {
    Add(MakeProblem(code, detail, path));
  }
};

// METS packages (mets_check.cc): checks every METS reference of the staged
// package at `root` (`shown_prefix` + relative path names it in problems),
// repairs the staged copy where a defect is tolerated (a stale checksum of a
// metadata file, a link to a PREMIS file that is not there, files under
// data/ that METS does not list — each a warning), imports it with
// formats/package and fills ctx.intake. Errors: I/O only.
Status ReadMetsPackage(Context& ctx, const std::string& root, const std::string& shown_prefix);

// Sidecar packages (sidecar.cc): `files` are the staged files of the
// package (relative to `root`). Errors: I/O only.
Status ReadSidecarPackage(Context& ctx, const std::string& root, const std::vector<StagedFile>& files,
                          const std::string& shown_prefix);

// True if `name` is a sidecar file name ("X.json" beside "X", or
// "record_file.json").
bool IsSidecarName(std::string_view name);
inline constexpr std::string_view kRecordFileSidecar = "record_file.json";

// "dd/mm/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "yyyy-mm-dd", "yyyy/mm/dd" (time
// part after a space or 'T' ignored) -> "YYYY-MM-DD"; "" when not a date.
std::string NormaliseDate(std::string_view text);

}  // namespace kholuu::ingest::internal
