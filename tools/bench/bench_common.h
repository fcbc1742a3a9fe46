// Helpers shared by kholuu-bench subcommands: a scratch directory, machine
// description, running reference tools, command-line values and statistics.
//
// Exit status of every subcommand: 0 all figures measured, 1 a measurement
// failed (an archive call or a reference tool returned an error), 2 usage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::bench {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// What the figures were measured on. Every field is best effort: an unknown
// value is "unknown" (or 0), never an error.
struct MachineInfo {
  std::string cpu_model;     // "model name" of the first CPU in /proc/cpuinfo
  bool cpu_sha_ni = false;   // x86 SHA extensions ("sha_ni" flag)
  uint64_t nproc = 0;        // online CPUs
  uint64_t mem_total_bytes = 0;
  std::string kernel;        // uname: "Linux 6.1.0-13-amd64 x86_64"
  std::string dir;           // the directory measured
  std::string fs_type;       // statfs(2) of `dir`: "ext4", "xfs", "tmpfs", ...
  uint64_t fs_free_bytes = 0;
};

MachineInfo DescribeMachine(const std::string& dir);

// A directory created with mkdtemp(3) under `parent` and removed, with
// everything in it, when this object is destroyed (unless kept). Move-only.
class ScratchDir {
 public:
  // Errors: as ErrnoError (kNotFound if `parent` is missing).
  static Result<ScratchDir> Create(const std::string& parent, std::string_view prefix);

  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir& operator=(ScratchDir&&) = delete;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir();

  const std::string& path() const { return path_; }
  void set_keep(bool keep) { keep_ = keep; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool keep_ = false;
};

// The shared test corpus: $KHOLUU_CORPUS_DIR if set and not empty, else
// ../shared/corpus (relative to the working directory).
std::string CorpusDir();

// Where scratch directories go: `given` if not empty, else $TMPDIR, else /tmp.
std::string ScratchParent(const std::string& given);

// syncfs(2) on the file system holding `dir`, so that the next measurement
// does not pay for writeback left over from the previous one.
Status SyncFileSystem(const std::string& dir);

// Runs `argv` (argv[0] is an absolute path) with stdout and stderr inherited
// and waits for it. Errors: kInternal if it cannot be started, is killed by a
// signal or exits non-zero (the message says which).
Status RunProcess(const std::vector<std::string>& argv);

// Runs argv (argv[0] an absolute path) with stdout and stderr on /dev/null;
// returns its exit status (128 + signal when killed). Errors: as ErrnoError
// when it cannot be started.
Result<int> RunQuiet(const std::vector<std::string>& argv);

// First line of a command's standard output, run through /bin/sh; "unknown"
// if it cannot be run. For tool versions ("sha256sum --version").
std::string FirstLineOf(const std::string& shell_command);

class FlagReader;

// The flags of every bench that builds its own scratch archive: --json,
// --keep (the scratch directory stays), --dir DIR (where it goes).
struct ScratchFlags {
  bool json = false;
  bool keep = false;
  std::string dir;
};
// Takes the reader's current flag when it is one of ScratchFlags's: true
// then; false for any other flag. Errors: --dir without a value.
Result<bool> TakeScratchFlag(FlagReader& reader, ScratchFlags* flags);

// A positive integer command-line value. Errors: kInvalidArgument naming `flag`.
Result<uint64_t> ParsePositive(std::string_view flag, std::string_view text);
// A positive number of seconds. Errors: kInvalidArgument naming `flag`.
Result<double> ParseSeconds(std::string_view flag, std::string_view text);

// Reads a subcommand's arguments in order. Each argument is a flag; a flag
// that takes a value takes the argument after it. With `inline_values`, an
// argument "--name=value" is the flag "--name" with its value; without, it is
// a flag of that whole name (which no subcommand knows). What a missing value
// or an unknown flag means is the caller's: each subcommand says it its way.
//
//   FlagReader r(args);
//   while (r.Next()) {
//     if (r.flag() == "--json") {
//       json = true;
//     } else if (r.flag() == "--runs") {
//       KHOLUU_ASSIGN_OR_RETURN(runs, r.PositiveValue());
//     } else {
//       return InvalidArgumentError("unknown option '" + r.arg() + "'");
//     }
//   }
//
// `args` must outlive the reader. Not thread-safe.
class FlagReader {
 public:
  explicit FlagReader(const std::vector<std::string>& args, bool inline_values = false)
      : args_(args), inline_values_(inline_values) {}

  // Moves to the next argument (past any value taken); false at the end.
  bool Next();

  // The current flag, without an inline value.
  const std::string& flag() const { return flag_; }
  // The current argument as given, with its inline value if any.
  const std::string& arg() const { return args_[index_]; }
  // The position of the current argument in `args`.
  size_t index() const { return index_; }

  // The current flag's value: its inline value, else the next argument, which
  // is then taken (Next() skips it). nullptr when there is none; nothing is
  // taken then.
  const std::string* Value();
  // Value(), or kInvalidArgument "FLAG needs a value" when there is none.
  Result<std::string> RequiredValue();
  // RequiredValue() read by ParsePositive. Errors: as both.
  Result<uint64_t> PositiveValue();
  // For a flag without a value. Errors: kInvalidArgument "FLAG takes no
  // value" when one was given inline.
  Status NoValue() const;

 private:
  const std::vector<std::string>& args_;
  const bool inline_values_;
  size_t index_ = 0;
  size_t next_ = 0;  // the argument after the current one and what it took
  std::string flag_;
  std::optional<std::string> inline_value_;
};

// A one-page A4 PDF 1.7 (classic xref) showing `content` as its content
// stream; with `helvetica`, the page's resources name the standard font
// Helvetica as /F1 (object 5). `next_object` is the first free object number,
// for incremental updates (sig bench).
struct OnePagePdf {
  std::string bytes;
  int next_object = 0;
  size_t xref_offset = 0;  // of its cross-reference table (an update's /Prev)
};
OnePagePdf MakeOnePagePdf(std::string_view content, bool helvetica);

// Median of the values (mean of the middle two for an even count); 0 if empty.
double Median(std::vector<double> values);

// Monotonic time in seconds, for plain timed runs.
double NowSeconds();

// "%.*f" of `value` with `digits` decimals.
std::string Fixed(double value, int digits);

}  // namespace kholuu::bench
