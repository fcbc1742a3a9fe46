#include "tools/bench/bench_common.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "archive/base/file.h"
#include "formats/common/text.h"

extern char** environ;

namespace kholuu::bench {
namespace {

std::string FileSystemName(uint64_t magic) {
  // Magic numbers from <linux/magic.h>; only the common ones.
  struct Known {
    uint64_t magic;
    const char* name;
  };
  static constexpr Known kKnown[] = {
      {0xEF53, "ext4"},           {0x58465342, "xfs"},      {0x9123683E, "btrfs"},
      {0x01021994, "tmpfs"},      {0x794C7630, "overlayfs"}, {0x2FC12FC1, "zfs"},
      {0xF2F52010, "f2fs"},       {0x6969, "nfs"},          {0xFE534D42, "smb2"},
      {0x65735546, "fuse"},       {0x858458F6, "ramfs"},    {0x01021997, "9p"},
  };
  for (const Known& k : kKnown) {
    if (k.magic == magic) return k.name;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(magic));
  return buf;
}

// What is trimmed from /proc/cpuinfo fields and tool output lines: spaces,
// tabs and line ends (not \v or \f, which C's white space would add).
constexpr std::string_view kLineSpace = " \t\r\n";

}  // namespace

MachineInfo DescribeMachine(const std::string& dir) {
  MachineInfo m;
  m.cpu_model = "unknown";
  m.kernel = "unknown";
  m.fs_type = "unknown";
  m.dir = dir;

  std::ifstream cpuinfo("/proc/cpuinfo");
  bool have_model = false, have_flags = false;
  for (std::string line; (!have_model || !have_flags) && std::getline(cpuinfo, line);) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string_view key =
        formats::Trim(std::string_view(line).substr(0, colon), kLineSpace);
    if (key == "model name" && !have_model) {
      m.cpu_model = formats::Trim(std::string_view(line).substr(colon + 1), kLineSpace);
      have_model = true;
    } else if (key == "flags" && !have_flags) {
      m.cpu_sha_ni = (line + " ").find(" sha_ni ") != std::string::npos;
      have_flags = true;
    }
  }

  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus > 0) m.nproc = static_cast<uint64_t>(cpus);

  std::ifstream meminfo("/proc/meminfo");
  for (std::string line; std::getline(meminfo, line);) {
    if (line.rfind("MemTotal:", 0) == 0) {
      m.mem_total_bytes = std::strtoull(line.c_str() + 9, nullptr, 10) * 1024;
      break;
    }
  }

  utsname u{};
  if (::uname(&u) == 0) {
    m.kernel = std::string(u.sysname) + " " + u.release + " " + u.machine;
  }

  struct statfs sfs {};
  if (::statfs(dir.c_str(), &sfs) == 0) {
    m.fs_type = FileSystemName(static_cast<uint64_t>(sfs.f_type));
  }
  struct statvfs svfs {};
  if (::statvfs(dir.c_str(), &svfs) == 0) {
    m.fs_free_bytes = uint64_t{svfs.f_bavail} * uint64_t{svfs.f_frsize};
  }
  return m;
}

Result<ScratchDir> ScratchDir::Create(const std::string& parent, std::string_view prefix) {
  std::string templ = JoinPath(parent, std::string(prefix) + "XXXXXX");
  if (::mkdtemp(templ.data()) == nullptr) {
    return ErrnoError(errno, "create a scratch directory in " + parent);
  }
  return ScratchDir(std::move(templ));
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())), keep_(other.keep_) {}

ScratchDir::~ScratchDir() {
  if (path_.empty() || keep_) return;
  Status s = RemoveTree(path_);
  if (!s.ok()) std::fprintf(stderr, "kholuu-bench: %s\n", s.ToString().c_str());
}

Status SyncFileSystem(const std::string& dir) {
  KHOLUU_ASSIGN_OR_RETURN(File d, File::Open(dir, O_RDONLY | O_DIRECTORY));
  if (::syncfs(d.fd()) != 0) return ErrnoError(errno, "syncfs " + dir);
  return Status::Ok();
}

Status RunProcess(const std::vector<std::string>& argv) {
  std::vector<std::string> storage = argv;
  std::vector<char*> args;
  args.reserve(storage.size() + 1);
  for (std::string& a : storage) args.push_back(a.data());
  args.push_back(nullptr);

  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ);
  if (rc != 0) return ErrnoError(rc, "start " + argv[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError(errno, "wait for " + argv[0]);
  }
  if (WIFSIGNALED(status)) {
    return InternalError(argv[0] + " was killed by signal " + std::to_string(WTERMSIG(status)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return InternalError(argv[0] + " exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  return Status::Ok();
}

std::string CorpusDir() {
  const char* env = std::getenv("KHOLUU_CORPUS_DIR");
  return env != nullptr && *env != '\0' ? env : "../shared/corpus";
}

std::string ScratchParent(const std::string& given) {
  if (!given.empty()) return given;
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
}

Result<int> RunQuiet(const std::vector<std::string>& argv) {
  std::vector<std::string> storage = argv;
  std::vector<char*> args;
  for (std::string& a : storage) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return ErrnoError(rc, "start " + argv[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError(errno, "wait for " + argv[0]);
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

std::string FirstLineOf(const std::string& shell_command) {
  FILE* pipe = ::popen(shell_command.c_str(), "r");
  if (pipe == nullptr) return "unknown";
  char buf[512];
  std::string line;
  if (std::fgets(buf, sizeof buf, pipe) != nullptr) line = formats::Trim(buf, kLineSpace);
  // Drain so the child does not die of SIGPIPE before pclose reaps it.
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) {
  }
  int status = ::pclose(pipe);
  if (status != 0 || line.empty()) return "unknown";
  return line;
}

Result<uint64_t> ParsePositive(std::string_view flag, std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
    return InvalidArgumentError(std::string(flag) + " wants a positive integer, not '" +
                                std::string(text) + "'");
  }
  return value;
}

bool FlagReader::Next() {
  if (next_ >= args_.size()) return false;
  index_ = next_++;
  flag_ = args_[index_];
  inline_value_.reset();
  const size_t eq = flag_.find('=');
  if (inline_values_ && flag_.rfind("--", 0) == 0 && eq != std::string::npos) {
    inline_value_ = flag_.substr(eq + 1);
    flag_.resize(eq);
  }
  return true;
}

const std::string* FlagReader::Value() {
  if (inline_value_.has_value()) return &*inline_value_;
  if (next_ >= args_.size()) return nullptr;
  return &args_[next_++];
}

Result<std::string> FlagReader::RequiredValue() {
  const std::string* v = Value();
  if (v == nullptr) return InvalidArgumentError(flag_ + " needs a value");
  return *v;
}

Result<uint64_t> FlagReader::PositiveValue() {
  KHOLUU_ASSIGN_OR_RETURN(std::string v, RequiredValue());
  return ParsePositive(flag_, v);
}

Result<bool> TakeScratchFlag(FlagReader& reader, ScratchFlags* flags) {
  const std::string& f = reader.flag();
  if (f == "--json" || f == "--keep") {
    KHOLUU_RETURN_IF_ERROR(reader.NoValue());
    (f == "--json" ? flags->json : flags->keep) = true;
    return true;
  }
  if (f == "--dir") {
    KHOLUU_ASSIGN_OR_RETURN(flags->dir, reader.RequiredValue());
    return true;
  }
  return false;
}

Status FlagReader::NoValue() const {
  if (inline_value_.has_value()) return InvalidArgumentError(flag_ + " takes no value");
  return Status::Ok();
}

Result<double> ParseSeconds(std::string_view flag, std::string_view text) {
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(s.c_str(), &end);
  if (s.empty() || errno != 0 || end != s.c_str() + s.size() || !(value > 0.0) ||
      value > 3600.0) {
    return InvalidArgumentError(std::string(flag) + " wants seconds in (0, 3600], not '" + s +
                                "'");
  }
  return value;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return (values[mid - 1] + values[mid]) / 2.0;
}

double NowSeconds() {
  using Clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
}

std::string Fixed(double value, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, value);
  return buf;
}

OnePagePdf MakeOnePagePdf(std::string_view content, bool helvetica) {
  OnePagePdf out;
  std::string& pdf = out.bytes;
  pdf = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  std::vector<size_t> offsets;
  auto obj = [&](int num, const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(num) + " 0 obj\n" + body + "\nendobj\n";
  };
  obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
  obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  obj(3, std::string("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R") +
             (helvetica ? " /Resources << /Font << /F1 5 0 R >> >> >>" : " >>"));
  obj(4, "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + std::string(content) + "\nendstream");
  if (helvetica) obj(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  out.next_object = static_cast<int>(offsets.size()) + 1;
  const size_t xref = pdf.size();
  out.xref_offset = xref;
  pdf += "xref\n0 " + std::to_string(out.next_object) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%010zu", off);
    pdf += std::string(buf) + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(out.next_object) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace kholuu::bench

