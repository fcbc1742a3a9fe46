#include "formats/convert/sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include "formats/common/text.h"

namespace kholuu::convert {
namespace {

// Closes a descriptor on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      Reset();
      fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

Status MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoError(errno, "pipe2");
  *read_end = Fd(fds[0]);
  *write_end = Fd(fds[1]);
  return Status::Ok();
}

// Sums st_size of the regular files below the directory `dirfd` (consumed).
// Does not follow symlinks; stops descending at depth 64.
uint64_t SumBytes(int dirfd, int depth) {
  DIR* dir = ::fdopendir(dirfd);
  if (dir == nullptr) {
    ::close(dirfd);
    return 0;
  }
  uint64_t total = 0;
  while (struct dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (::fstatat(::dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISREG(st.st_mode)) {
      total += static_cast<uint64_t>(st.st_size);
    } else if (S_ISDIR(st.st_mode) && depth < 64) {
      int sub = ::openat(::dirfd(dir), e->d_name,
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0) total += SumBytes(sub, depth + 1);
    }
  }
  ::closedir(dir);
  return total;
}

// Removes everything below `dirfd` (consumed); returns the first error.
Status RemoveBelow(int dirfd, const std::string& where) {
  DIR* dir = ::fdopendir(dirfd);
  if (dir == nullptr) {
    int e = errno;
    ::close(dirfd);
    return ErrnoError(e, "open " + where);
  }
  Status first;
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  for (const std::string& name : names) {
    struct stat st;
    if (::fstatat(::dirfd(dir), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      // A converter may leave a directory without write permission.
      ::fchmodat(::dirfd(dir), name.c_str(), 0700, 0);
      int sub = ::openat(::dirfd(dir), name.c_str(),
                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) {
        if (first.ok()) first = ErrnoError(errno, "open " + where + "/" + name);
        continue;
      }
      Status s = RemoveBelow(sub, where + "/" + name);
      if (!s.ok() && first.ok()) first = s;
      if (::unlinkat(::dirfd(dir), name.c_str(), AT_REMOVEDIR) != 0 && first.ok()) {
        first = ErrnoError(errno, "rmdir " + where + "/" + name);
      }
    } else if (::unlinkat(::dirfd(dir), name.c_str(), 0) != 0 && first.ok()) {
      first = ErrnoError(errno, "unlink " + where + "/" + name);
    }
  }
  ::closedir(dir);
  return first;
}

std::string LastLine(std::string_view bytes) {
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r' || bytes.back() == ' ')) {
    bytes.remove_suffix(1);
  }
  size_t nl = bytes.find_last_of('\n');
  if (nl != std::string_view::npos) bytes.remove_prefix(nl + 1);
  if (bytes.size() > 300) bytes = bytes.substr(0, 300);
  // Control characters become '?'; well-formed UTF-8 (a Vietnamese file
  // name in a converter's message) is kept.
  return formats::PrintableText(bytes, 300, '?');
}

double Seconds(const struct timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

// What the child writes on its status pipe before exec: one isolation byte
// ('N' namespaced, 'H' host network), then on failure a record
// "<stage>:<errno>" and it exits 127.
void ChildFail(int status_fd, const char* stage) {
  int e = errno;
  char buf[64];
  size_t n = 0;
  for (const char* p = stage; *p != '\0' && n < 40; ++p) buf[n++] = *p;
  buf[n++] = ':';
  char digits[12];
  int d = 0;
  do {
    digits[d++] = static_cast<char>('0' + e % 10);
    e /= 10;
  } while (e > 0 && d < 11);
  while (d > 0) buf[n++] = digits[--d];
  ssize_t ignored = ::write(status_fd, buf, n);
  (void)ignored;
  ::_exit(127);
}

// Writes `text` to /proc/self/<file>; async-signal-safe.
bool WriteProcSelf(const char* file, const char* text, size_t len) {
  int fd = ::open(file, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text, len) == static_cast<ssize_t>(len);
  ::close(fd);
  return ok;
}

// Formats "<id> <id> 1\n" into buf; async-signal-safe.
size_t IdMap(char* buf, unsigned id) {
  char digits[12];
  int d = 0;
  do {
    digits[d++] = static_cast<char>('0' + id % 10);
    id /= 10;
  } while (id > 0 && d < 11);
  size_t n = 0;
  for (int rep = 0; rep < 2; ++rep) {
    for (int i = d - 1; i >= 0; --i) buf[n++] = digits[i];
    buf[n++] = ' ';
  }
  buf[n++] = '1';
  buf[n++] = '\n';
  return n;
}

void SetLimit(int resource, uint64_t soft, uint64_t hard) {
  struct rlimit rl;
  rl.rlim_cur = soft == 0 ? RLIM_INFINITY : static_cast<rlim_t>(soft);
  rl.rlim_max = hard == 0 ? RLIM_INFINITY : static_cast<rlim_t>(hard);
  ::setrlimit(resource, &rl);
}

// Everything the child needs, prepared before the clone (no allocation after).
struct ChildPlan {
  std::vector<char*> argv;
  std::vector<char*> envp;
  const char* exe = nullptr;
  const char* cwd = nullptr;
  int stdout_fd = -1;
  int stderr_fd = -1;
  int status_fd = -1;
  bool require_isolation = true;
  SandboxLimits limits;
  unsigned uid = 0;
  unsigned gid = 0;
};

[[noreturn]] void RunChild(const ChildPlan& plan) {
  // Own session and process group, so that the parent can kill the whole tree.
  ::setsid();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);

  char isolation = 'N';
  if (::unshare(CLONE_NEWNET) != 0) {
    // Unprivileged: a user namespace that maps our own ids, then the network.
    bool ok = ::unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0;
    if (ok) {
      char buf[40];
      WriteProcSelf("/proc/self/setgroups", "deny", 4);
      size_t n = IdMap(buf, plan.uid);
      ok = WriteProcSelf("/proc/self/uid_map", buf, n);
      n = IdMap(buf, plan.gid);
      ok = WriteProcSelf("/proc/self/gid_map", buf, n) && ok;
    }
    if (!ok) {
      if (plan.require_isolation) ChildFail(plan.status_fd, "network namespace");
      isolation = 'H';
    }
  }
  if (::write(plan.status_fd, &isolation, 1) != 1) ::_exit(127);

  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull < 0) ChildFail(plan.status_fd, "open /dev/null");
  if (::dup2(devnull, 0) < 0 || ::dup2(plan.stdout_fd, 1) < 0 || ::dup2(plan.stderr_fd, 2) < 0) {
    ChildFail(plan.status_fd, "dup2");
  }
  // Keep the status pipe (close-on-exec) at fd 3; close everything above.
  if (plan.status_fd != 3) {
    if (::dup3(plan.status_fd, 3, O_CLOEXEC) < 0) ChildFail(plan.status_fd, "dup3");
  }
  ::syscall(SYS_close_range, 4u, ~0u, 0u);
  const int status_fd = 3;

  // Default dispositions, then an empty mask for the converter (the parent
  // blocked every signal around the clone: no handler of the parent may run
  // on this shared memory before the dispositions are reset).
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  const SandboxLimits& l = plan.limits;
  SetLimit(RLIMIT_CPU, l.cpu_seconds, l.cpu_seconds == 0 ? 0 : l.cpu_seconds + 2);
  SetLimit(RLIMIT_AS, l.address_space_bytes, l.address_space_bytes);
  SetLimit(RLIMIT_FSIZE, l.file_size_bytes, l.file_size_bytes);
  SetLimit(RLIMIT_NOFILE, l.open_files, l.open_files);
  struct rlimit no_core = {0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);

  if (::chdir(plan.cwd) != 0) ChildFail(status_fd, "chdir");
  ::execve(plan.exe, plan.argv.data(), plan.envp.data());
  ChildFail(status_fd, "exec");
  ::_exit(127);  // not reached
}

int ChildEntry(void* plan) { RunChild(*static_cast<const ChildPlan*>(plan)); }

// The child's stack while it shares our memory (until exec): RunChild makes
// only async-signal-safe calls with small frames.
constexpr size_t kChildStackBytes = size_t{256} << 10;

// Starts RunChild(plan) as a new process that shares this one's memory until
// it execs or exits (CLONE_VM | CLONE_VFORK, as glibc's posix_spawn does):
// unlike fork, no copy of a large parent's page tables. Returns the pid, or
// -1 with errno set.
pid_t SpawnChild(const ChildPlan& plan) {
  std::unique_ptr<char[]> stack(new char[kChildStackBytes]);
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  const pid_t pid = ::clone(ChildEntry, stack.get() + kChildStackBytes, CLONE_VM | CLONE_VFORK | SIGCHLD,
                            const_cast<ChildPlan*>(&plan));
  const int clone_errno = errno;
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = clone_errno;
  return pid;
}

}  // namespace

// ---- WorkDir ---------------------------------------------------------------

Result<WorkDir> WorkDir::Create(const std::string& tag, const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* t = ::getenv("TMPDIR");
    base = (t != nullptr && *t != '\0') ? t : "/tmp";
  }
  std::string templ = base + "/kholuu-" + tag + "-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) return ErrnoError(errno, "mkdtemp " + templ);
  return WorkDir(std::string(buf.data()));
}

WorkDir::~WorkDir() { Remove().IgnoreError(); }

WorkDir::WorkDir(WorkDir&& other) noexcept : path_(std::exchange(other.path_, "")) {}

WorkDir& WorkDir::operator=(WorkDir&& other) noexcept {
  if (this != &other) {
    Remove().IgnoreError();
    path_ = std::exchange(other.path_, "");
  }
  return *this;
}

uint64_t WorkDir::UsedBytes() const {
  if (path_.empty()) return 0;
  int fd = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return 0;
  return SumBytes(fd, 0);
}

Status WorkDir::Remove() {
  if (path_.empty()) return Status::Ok();
  std::string path = std::exchange(path_, "");
  ::chmod(path.c_str(), 0700);
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::Ok();
    return ErrnoError(errno, "open " + path);
  }
  Status s = RemoveBelow(fd, path);
  if (::rmdir(path.c_str()) != 0 && s.ok()) s = ErrnoError(errno, "rmdir " + path);
  return s;
}

// ---- running ---------------------------------------------------------------

std::string_view SandboxEndName(SandboxEnd end) {
  switch (end) {
    case SandboxEnd::kExited: return "exited";
    case SandboxEnd::kSignaled: return "crashed";
    case SandboxEnd::kTimedOut: return "timed out";
    case SandboxEnd::kOutputLimit: return "output limit";
  }
  return "unknown";
}

std::string SandboxResult::Describe(const std::string& tool) const {
  std::string d = tool + " ";
  switch (end) {
    case SandboxEnd::kExited:
      d += "exited " + std::to_string(exit_code);
      break;
    case SandboxEnd::kSignaled:
      d += "crashed (signal " + std::to_string(signal) + ")";
      break;
    case SandboxEnd::kTimedOut:
      d += "timed out after " + std::to_string(static_cast<int>(wall_seconds + 0.5)) +
           " s (cpu " + std::to_string(static_cast<int>(cpu_seconds + 0.5)) + " s)";
      break;
    case SandboxEnd::kOutputLimit:
      d += "stopped: output limit exceeded (" + std::to_string(work_dir_peak_bytes) +
           " bytes written)";
      break;
  }
  std::string last = LastLine(stderr_bytes);
  if (last.empty()) last = LastLine(stdout_bytes);
  if (!last.empty()) d += ": " + last;
  return d;
}

Result<std::string> FindTool(const std::string& name, const std::string& package_hint) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
  } else {
    const char* env = ::getenv("PATH");
    std::string_view path = (env != nullptr && *env != '\0') ? env : "/usr/local/bin:/usr/bin:/bin";
    while (!path.empty()) {
      size_t colon = path.find(':');
      std::string dir(path.substr(0, colon));
      path = colon == std::string_view::npos ? std::string_view() : path.substr(colon + 1);
      if (dir.empty()) continue;
      std::string candidate = dir + "/" + name;
      struct stat st;
      if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
          ::access(candidate.c_str(), X_OK) == 0) {
        return candidate;
      }
    }
  }
  std::string msg = "converter '" + name + "' is not installed";
  if (!package_hint.empty()) msg += " (Debian package " + package_hint + ")";
  return NotFoundError(msg);
}

Result<SandboxResult> RunSandboxed(const SandboxRequest& request, const WorkDir& work_dir) {
  if (request.argv.empty()) return InvalidArgumentError("sandbox: empty argv");
  if (work_dir.path().empty()) return InvalidArgumentError("sandbox: no work directory");
  KHOLUU_ASSIGN_OR_RETURN(std::string exe, FindTool(request.argv[0]));

  std::string tmp = work_dir.Sub("tmp");
  if (::mkdir(tmp.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError(errno, "mkdir " + tmp);

  std::vector<std::string> env = {
      "PATH=/usr/local/bin:/usr/bin:/bin",
      "HOME=" + work_dir.path(),
      "TMPDIR=" + tmp,
      "LANG=C.UTF-8",
      "LC_ALL=C.UTF-8",
  };
  env.insert(env.end(), request.env.begin(), request.env.end());
  std::vector<std::string> argv = request.argv;

  Fd out_r, out_w, err_r, err_w, st_r, st_w;
  KHOLUU_RETURN_IF_ERROR(MakePipe(&out_r, &out_w));
  KHOLUU_RETURN_IF_ERROR(MakePipe(&err_r, &err_w));
  KHOLUU_RETURN_IF_ERROR(MakePipe(&st_r, &st_w));

  ChildPlan plan;
  for (std::string& a : argv) plan.argv.push_back(a.data());
  plan.argv.push_back(nullptr);
  for (std::string& e : env) plan.envp.push_back(e.data());
  plan.envp.push_back(nullptr);
  plan.exe = exe.c_str();
  plan.cwd = work_dir.path().c_str();
  plan.stdout_fd = out_w.get();
  plan.stderr_fd = err_w.get();
  plan.status_fd = st_w.get();
  plan.require_isolation = request.require_network_isolation;
  plan.limits = request.limits;
  plan.uid = ::getuid();
  plan.gid = ::getgid();

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = SpawnChild(plan);
  if (pid < 0) return ErrnoError(errno, "clone");

  out_w.Reset();
  err_w.Reset();
  st_w.Reset();

  // The status pipe closes at exec (or carries the failure record).
  std::string status_bytes;
  for (;;) {
    char buf[128];
    ssize_t n = ::read(st_r.get(), buf, sizeof buf);
    if (n > 0) {
      status_bytes.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  SandboxResult result;
  result.network_isolated = !status_bytes.empty() && status_bytes[0] == 'N';
  if (status_bytes.size() > 1 || status_bytes.empty()) {
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    std::string record = status_bytes.empty() ? "unknown" : status_bytes.substr(1);
    if (status_bytes.size() > 1 && status_bytes[0] != 'N' && status_bytes[0] != 'H') {
      record = status_bytes;  // failed before the isolation byte
    }
    if (record.rfind("network namespace", 0) == 0) {
      return FailedPreconditionError("sandbox: cannot isolate " + argv[0] +
                                     " from the network (" + record + ")");
    }
    return InternalError("sandbox: cannot start " + argv[0] + " (" + record + ")");
  }

  const SandboxLimits& limits = request.limits;
  const auto deadline = start + limits.wall_time;
  bool out_open = true, err_open = true, exited = false, killed = false;
  SandboxEnd kill_reason = SandboxEnd::kExited;
  int wstatus = 0;
  struct rusage usage {};
  auto last_size_check = start;
  auto exit_time = start;

  auto kill_group = [&](SandboxEnd reason) {
    if (!killed) {
      killed = true;
      kill_reason = reason;
    }
    ::kill(-pid, SIGKILL);
    if (!exited) ::kill(pid, SIGKILL);
  };
  auto append = [&](std::string* dst, const char* buf, size_t n) {
    size_t room = limits.captured_output_bytes > dst->size()
                      ? static_cast<size_t>(limits.captured_output_bytes - dst->size())
                      : 0;
    if (n > room) result.output_truncated = true;
    dst->append(buf, std::min(n, room));
  };

  while (out_open || err_open || !exited) {
    struct pollfd pfds[2];
    nfds_t nfds = 0;
    int out_idx = -1, err_idx = -1;
    if (out_open) {
      out_idx = static_cast<int>(nfds);
      pfds[nfds++] = {out_r.get(), POLLIN, 0};
    }
    if (err_open) {
      err_idx = static_cast<int>(nfds);
      pfds[nfds++] = {err_r.get(), POLLIN, 0};
    }
    int ready = nfds > 0 ? ::poll(pfds, nfds, 50) : (::usleep(20000), 0);
    if (ready < 0 && errno != EINTR) {
      kill_group(SandboxEnd::kSignaled);
      break;
    }
    char buf[65536];
    for (int idx : {out_idx, err_idx}) {
      if (idx < 0 || ready <= 0) continue;
      if ((pfds[idx].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
      ssize_t n = ::read(pfds[idx].fd, buf, sizeof buf);
      if (n > 0) {
        append(idx == out_idx ? &result.stdout_bytes : &result.stderr_bytes, buf,
               static_cast<size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        (idx == out_idx ? out_open : err_open) = false;
      }
    }
    if (!exited) {
      pid_t w = ::wait4(pid, &wstatus, WNOHANG, &usage);
      if (w == pid) {
        exited = true;
        exit_time = std::chrono::steady_clock::now();
        // Helpers the converter forked die with it; their pipes then close.
        ::kill(-pid, SIGKILL);
      }
    }
    auto now = std::chrono::steady_clock::now();
    if (!exited && now >= deadline) kill_group(SandboxEnd::kTimedOut);
    if (now - last_size_check >= std::chrono::milliseconds(200) || exited) {
      last_size_check = now;
      uint64_t used = work_dir.UsedBytes();
      result.work_dir_peak_bytes = std::max(result.work_dir_peak_bytes, used);
      if (limits.work_dir_bytes != 0 && used > limits.work_dir_bytes && !exited) {
        kill_group(SandboxEnd::kOutputLimit);
      }
    }
    // A helper that escaped the process group may hold the pipes open.
    if (exited && now >= exit_time + std::chrono::seconds(2)) break;
  }
  ::kill(-pid, SIGKILL);

  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.cpu_seconds = Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
  if (killed) {
    result.end = kill_reason;
    result.signal = SIGKILL;
  } else if (WIFEXITED(wstatus)) {
    result.end = SandboxEnd::kExited;
    result.exit_code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    result.signal = WTERMSIG(wstatus);
    if (result.signal == SIGXCPU ||
        (result.signal == SIGKILL && limits.cpu_seconds != 0 &&
         result.cpu_seconds + 0.5 >= static_cast<double>(limits.cpu_seconds))) {
      result.end = SandboxEnd::kTimedOut;
    } else if (result.signal == SIGXFSZ) {
      result.end = SandboxEnd::kOutputLimit;
    } else {
      result.end = SandboxEnd::kSignaled;
    }
  }
  return result;
}

}  // namespace kholuu::convert
