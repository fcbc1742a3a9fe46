// Running an external converter (Ghostscript, LibreOffice, Tesseract, ...) as
// a sandboxed child process.
//
// The converters are large C programs that parse hostile input. Each run gets:
//  - a private work directory (WorkDir) that is its HOME, TMPDIR and cwd, and
//    that is removed, whatever happens, when the WorkDir object dies;
//  - a clean environment (only what the request lists, plus PATH, HOME,
//    TMPDIR, LANG=C.UTF-8);
//  - no network: a new, empty network namespace (only a down loopback);
//  - resource limits: wall-clock time, CPU time, address space, size of any
//    one file, total bytes in the work directory, open files;
//  - its own process group, killed as a whole (SIGKILL) when a limit trips
//    and again after the main process exits, so no helper process it forked
//    (soffice.bin, say) outlives the run;
//  - stdin from /dev/null; stdout and stderr captured as bytes, capped.
// The child is started with clone(CLONE_VM | CLONE_VFORK), as posix_spawn
// does, not fork: a large parent's page tables are not copied per run.
// See docs/adr/0053-sandboxed-converters.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::convert {

// A private temporary directory, mode 0700, removed recursively (without
// following symlinks) when the object dies. Move-only.
class WorkDir {
 public:
  // Creates `<parent>/kholuu-<tag>-XXXXXX`; parent defaults to $TMPDIR or /tmp.
  // Errors: as ErrnoError.
  static Result<WorkDir> Create(const std::string& tag, const std::string& parent = "");

  WorkDir() = default;
  ~WorkDir();
  WorkDir(WorkDir&& other) noexcept;
  WorkDir& operator=(WorkDir&& other) noexcept;
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }
  // Total bytes of the regular files below path() (not following symlinks).
  uint64_t UsedBytes() const;
  // Removes the directory now. Errors: the first removal that failed.
  Status Remove();

 private:
  explicit WorkDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

struct SandboxLimits {
  std::chrono::milliseconds wall_time{std::chrono::seconds(120)};
  uint64_t cpu_seconds = 120;                       // RLIMIT_CPU
  uint64_t address_space_bytes = 4ull << 30;        // RLIMIT_AS (0: unlimited)
  uint64_t file_size_bytes = 1ull << 30;            // RLIMIT_FSIZE, any one file
  uint64_t work_dir_bytes = 2ull << 30;             // all files in the work dir
  uint64_t open_files = 512;                        // RLIMIT_NOFILE
  uint64_t captured_output_bytes = 1u << 20;        // each of stdout, stderr
};

struct SandboxRequest {
  // argv[0] is an absolute path (see FindTool) or a name looked up in PATH.
  std::vector<std::string> argv;
  // Extra environment entries "NAME=value" (the base set is listed above).
  std::vector<std::string> env;
  SandboxLimits limits;
  // When the network namespace cannot be created (no privileges and no user
  // namespaces): fail with kFailedPrecondition if true, else run with the
  // host network and report network_isolated = false.
  bool require_network_isolation = true;
};

enum class SandboxEnd {
  kExited,         // the process exited; see exit_code
  kSignaled,       // killed by a signal it did not get from us (a crash)
  kTimedOut,       // wall_time or cpu_seconds ran out
  kOutputLimit,    // work_dir_bytes or file_size_bytes exceeded
};

// "exited", "crashed", "timed out", "output limit".
std::string_view SandboxEndName(SandboxEnd end);

struct SandboxResult {
  SandboxEnd end = SandboxEnd::kExited;
  int exit_code = -1;    // when kExited
  int signal = 0;        // when kSignaled (or the signal that ended a limit)
  std::string stdout_bytes;   // raw bytes, at most captured_output_bytes
  std::string stderr_bytes;
  bool output_truncated = false;
  bool network_isolated = false;
  double wall_seconds = 0;
  double cpu_seconds = 0;     // user + system of the whole process group's reaped children
  uint64_t work_dir_peak_bytes = 0;

  bool succeeded() const { return end == SandboxEnd::kExited && exit_code == 0; }
  // One line for reports: "gs exited 1: <last stderr line>", "soffice timed
  // out after 120 s", ... Never contains invalid UTF-8 (bytes are replaced).
  std::string Describe(const std::string& tool) const;
};

// Runs the request with `work_dir` as the private directory. Returns a result
// for every run that started, however it ended (check succeeded()); a non-OK
// status means the run could not start (tool missing: kNotFound; clone/pipe
// failure: kInternal; isolation unavailable: kFailedPrecondition).
// Thread-safe: concurrent runs are independent.
Result<SandboxResult> RunSandboxed(const SandboxRequest& request, const WorkDir& work_dir);

// Absolute path of an executable named `name` in PATH (or the given
// directories), or kNotFound naming the Debian package to install if
// `package_hint` is given.
Result<std::string> FindTool(const std::string& name, const std::string& package_hint = "");

}  // namespace kholuu::convert
