#include "tools/bench/bench_common.h"
#include "tools/bench/pdfa_bench.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/pdf/pdfa.h"

extern char** environ;

namespace kholuu::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Figures {
  std::string name;
  size_t files = 0;
  double seconds = 0;
  long peak_rss_kb = 0;
  size_t not_ok = 0;  // non-compliant (validator) or non-zero exit (tools)
  bool ran = false;
};

// Runs argv with stdout/stderr to /dev/null; returns exit status (-1 on
// spawn failure) and raises *peak_kb to the child's max RSS.
int RunChild(const std::vector<std::string>& args, long* peak_kb) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  rusage ru{};
  if (wait4(pid, &status, 0, &ru) < 0) return -1;
  *peak_kb = std::max(*peak_kb, ru.ru_maxrss);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Figures RunTool(const std::string& name, const std::vector<std::string>& prefix, const std::vector<std::string>& files,
                int repeat) {
  Figures f;
  f.name = name;
  auto t0 = Clock::now();
  for (int r = 0; r < repeat; ++r) {
    for (const std::string& file : files) {
      std::vector<std::string> args = prefix;
      args.push_back(file);
      if (RunChild(args, &f.peak_rss_kb) != 0 && r == 0) ++f.not_ok;
      ++f.files;
    }
  }
  f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  f.ran = true;
  return f;
}

std::string Which(const std::string& prog) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string cand = p.substr(start, end - start) + "/" + prog;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
    start = end + 1;
  }
  return {};
}

void Print(const Figures& f, bool json, bool last) {
  double fps = f.seconds > 0 ? static_cast<double>(f.files) / f.seconds : 0;
  if (json) {
    std::printf("    {\"name\": \"%s\", \"files\": %zu, \"seconds\": %.3f, \"files_per_second\": %.1f, "
                "\"peak_rss_kb\": %ld, \"not_ok\": %zu}%s\n",
                f.name.c_str(), f.files, f.seconds, fps, f.peak_rss_kb, f.not_ok, last ? "" : ",");
  } else {
    std::printf("%-34s %7zu files %8.3f s %9.1f files/s  peak RSS %7ld KiB  (%zu not ok)\n", f.name.c_str(), f.files,
                f.seconds, fps, f.peak_rss_kb, f.not_ok);
  }
}

}  // namespace

int RunPdfaBench(const std::vector<std::string>& args) {
  std::string dir = CorpusDir();
  std::string profile_name = "auto";
  std::string qpdf = Which("qpdf");
  std::string kholuu;
  int repeat = 1;
  bool json = false;
  {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && fs::exists(self.parent_path() / "kholuu")) kholuu = (self.parent_path() / "kholuu").string();
  }
  FlagReader reader(args);
  auto next = [&reader]() -> std::string {
    const std::string* v = reader.Value();
    return v != nullptr ? *v : std::string();
  };
  while (reader.Next()) {
    const std::string& a = reader.flag();
    if (a == "pdfa" || (reader.index() == 0 && a.rfind("--", 0) != 0)) continue;  // program or subcommand name
    if (a == "--dir") dir = next();
    else if (a == "--profile") profile_name = next();
    else if (a == "--repeat") repeat = std::max(1, std::atoi(next().c_str()));
    else if (a == "--qpdf") qpdf = next();
    else if (a == "--kholuu") kholuu = next();
    else if (a == "--json") json = true;
    else {
      std::fprintf(stderr, "kholuu-bench pdfa: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  auto profile = formats::pdf::ParsePdfaProfile(profile_name);
  if (!profile.ok()) {
    std::fprintf(stderr, "kholuu-bench pdfa: %s\n", profile.status().message().c_str());
    return 2;
  }
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); ++it) {
    std::string ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".pdf" || ext == ".PDF")) files.push_back(it->path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "kholuu-bench pdfa: no PDF files under %s\n", dir.c_str());
    return 2;
  }

  // Child processes first: Linux carries the parent's peak RSS into a
  // spawned child's ru_maxrss, so the tools run while this process is
  // still small; that floor is printed with the figures.
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  std::vector<Figures> all;
  if (!kholuu.empty()) {
    all.push_back(RunTool("kholuu pdfa validate (per file)", {kholuu, "pdfa", "validate", "--profile", profile_name},
                          files, repeat));
  }
  if (!qpdf.empty()) all.push_back(RunTool("qpdf --check (per file)", {qpdf, "--check"}, files, repeat));

  Figures in_process;
  in_process.name = "validator (in process)";
  auto t0 = Clock::now();
  for (int r = 0; r < repeat; ++r) {
    for (const std::string& f : files) {
      auto rep = formats::pdf::ValidatePdfaFile(f, *profile);
      if ((!rep.ok() || !rep->compliant) && r == 0) ++in_process.not_ok;
      ++in_process.files;
    }
  }
  in_process.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  in_process.peak_rss_kb = self.ru_maxrss;
  in_process.ran = true;

  all.insert(all.begin(), in_process);

  if (json) {
    std::printf("{\n  \"dir\": \"%s\",\n  \"child_rss_floor_kb\": %ld,\n  \"runs\": [\n", dir.c_str(), before.ru_maxrss);
  } else {
    std::printf("kholuu-bench pdfa: %zu files under %s, %d pass(es); child peak RSS includes a %ld KiB floor\n",
                files.size(), dir.c_str(), repeat, before.ru_maxrss);
  }
  for (size_t i = 0; i < all.size(); ++i) Print(all[i], json, i + 1 == all.size());
  if (json) std::printf("  ]\n}\n");
  if (qpdf.empty() && !json) std::printf("(qpdf not found: install the Debian package qpdf for the comparison)\n");
  return 0;
}

}  // namespace kholuu::bench
