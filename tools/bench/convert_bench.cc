#include "tools/bench/convert_bench.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/status.h"
#include "formats/convert/pdfa_convert.h"
#include "formats/pdf/pdfa.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench convert [options]\n"
    "\n"
    "Times, in one run and on the same files, kholuu's PDF/A-2b conversion\n"
    "(formats/convert ConvertFileToPdfA2b: a private work directory, Ghostscript\n"
    "in the sandbox with the sRGB output intent, then our validator on the\n"
    "output) and a plain Ghostscript command on each file:\n"
    "  gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -dPDFA=2\n"
    "     -dPDFACompatibilityPolicy=1 -sColorConversionStrategy=RGB -sOutputFile=OUT FILE\n"
    "Files already PDF/A are converted anyway (convert_conformant), so both sides\n"
    "do the same work. The two sides alternate file by file. Reported per set:\n"
    "pages/s of each side (pages of the input), and how many outputs our\n"
    "validator accepts as PDF/A-2b (plain gs outputs are validated untimed).\n"
    "Sets: 'scans' (corpus/scans-real) and 'pyhanko' (the parseable unencrypted\n"
    "PDFs of corpus/pdf-pyhanko).\n"
    "\n"
    "options:\n"
    "  --corpus DIR   corpus root (default $KHOLUU_CORPUS_DIR, else ../shared/corpus)\n"
    "  --set NAME     scans, pyhanko or all (default all)\n"
    "  --runs N       timed runs of each set, median reported (default 1)\n"
    "  --gs PATH      Ghostscript for both sides (default gs in PATH)\n"
    "  --dir DIR      where the scratch directory is made (default $TMPDIR or /tmp)\n"
    "  --json         one JSON document instead of the table\n"
    "  --help         this text\n";

struct File {
  std::string path;
  int pages = 0;
};

struct Side {
  std::vector<double> run_seconds;
  size_t validated = 0;  // outputs our validator accepts (last run)
  size_t failed = 0;     // runs that produced no output (last run)
};

struct SetResult {
  std::string name;
  std::vector<File> files;
  int pages = 0;
  Side kholuu;
  Side gs;
};

// The parseable unencrypted PDFs below `dir` (same rule as the tests: our
// parser walks the page tree and there is no Encrypt entry), sorted.
std::vector<File> PdfsBelow(const std::string& dir, bool only_parseable) {
  std::vector<File> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".pdf") continue;
    auto report = formats::pdf::ValidatePdfaFile(it->path(), formats::pdf::PdfaProfile::k2b);
    if (!report.ok() || report->pages < 0 || report->encrypted) {
      if (only_parseable) continue;
    }
    out.push_back({it->path(), report.ok() ? std::max(report->pages, 0) : 0});
  }
  std::sort(out.begin(), out.end(), [](const File& a, const File& b) { return a.path < b.path; });
  return out;
}

bool ValidatesAs2b(const std::string& path) {
  auto report = formats::pdf::ValidatePdfaFile(path, formats::pdf::PdfaProfile::k2b);
  return report.ok() && report->compliant;
}

// One timed conversion by each side; returns the seconds of each.
void ConvertOne(const File& f, const std::string& gs, const std::string& scratch, bool kholuu_first,
                double* kholuu_s, double* gs_s, SetResult* set) {
  convert::ConvertOptions options;
  options.ghostscript = gs;
  options.convert_conformant = true;
  options.work_parent = scratch;
  const std::string out = scratch + "/plain-gs.pdf";
  auto run_kholuu = [&] {
    double t = NowSeconds();
    auto r = convert::ConvertFileToPdfA2b(f.path, options);
    *kholuu_s = NowSeconds() - t;
    if (r.ok() && r->validated) ++set->kholuu.validated;
    if (!r.ok() || r->output.empty()) ++set->kholuu.failed;
  };
  auto run_gs = [&] {
    RemoveFile(out).IgnoreError();
    double t = NowSeconds();
    // Through /bin/sh only to send gs's messages to /dev/null.
    Status s = RunProcess({"/bin/sh", "-c", "exec \"$@\" >/dev/null 2>&1", "sh", gs, "-q", "-dSAFER",
                           "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dPDFA=2",
                           "-dPDFACompatibilityPolicy=1", "-sColorConversionStrategy=RGB",
                           "-sOutputFile=" + out, f.path});
    *gs_s = NowSeconds() - t;
    if (!s.ok() || !PathExists(out)) {
      ++set->gs.failed;
    } else if (ValidatesAs2b(out)) {
      ++set->gs.validated;
    }
  };
  if (kholuu_first) {
    run_kholuu();
    run_gs();
  } else {
    run_gs();
    run_kholuu();
  }
}

}  // namespace

int RunConvertBench(const std::vector<std::string>& args) {
  std::string corpus = CorpusDir();
  std::string which = "all", gs = "gs", parent;
  uint64_t runs = 1;
  bool json = false;
  FlagReader reader(args);
  while (reader.Next()) {
    const std::string& a = reader.flag();
    const std::string* v = nullptr;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (a == "--json") {
      json = true;
    } else if ((a == "--corpus" || a == "--set" || a == "--gs" || a == "--dir") &&
               (v = reader.Value()) != nullptr) {
      (a == "--corpus" ? corpus : a == "--set" ? which : a == "--gs" ? gs : parent) = *v;
    } else if (a == "--runs" && (v = reader.Value()) != nullptr) {
      auto n = ParsePositive(a, *v);
      if (!n.ok()) {
        std::cerr << "kholuu-bench convert: " << n.status().message() << "\n" << kUsage;
        return kExitUsage;
      }
      runs = *n;
    } else {
      std::cerr << "kholuu-bench convert: bad argument '" << a << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  if (which != "all" && which != "scans" && which != "pyhanko") {
    std::cerr << "kholuu-bench convert: --set must be scans, pyhanko or all\n";
    return kExitUsage;
  }
  auto gs_path = convert::FindTool(gs, "ghostscript");
  if (!gs_path.ok()) {
    std::cerr << "kholuu-bench convert: " << gs_path.status().message() << "\n";
    return kExitFailed;
  }
  if (parent.empty()) {
    const char* t = std::getenv("TMPDIR");
    parent = t != nullptr && *t != '\0' ? t : "/tmp";
  }
  auto scratch = ScratchDir::Create(parent, "kholuu-bench-convert-");
  if (!scratch.ok()) {
    std::cerr << "kholuu-bench convert: " << scratch.status().message() << "\n";
    return kExitFailed;
  }

  std::vector<SetResult> sets;
  if (which != "pyhanko") sets.push_back({"scans", PdfsBelow(corpus + "/scans-real", false), 0, {}, {}});
  if (which != "scans") sets.push_back({"pyhanko", PdfsBelow(corpus + "/pdf-pyhanko", true), 0, {}, {}});
  for (SetResult& s : sets) {
    if (s.files.empty()) {
      std::cerr << "kholuu-bench convert: no PDFs for set '" << s.name << "' under " << corpus << "\n";
      return kExitUsage;
    }
    for (const File& f : s.files) s.pages += f.pages;
  }

  // The converter's version is asked once per process; do it before timing.
  convert::ConvertOptions probe;
  probe.ghostscript = *gs_path;
  const std::string agent = convert::ConverterAgent("gs", probe);

  for (SetResult& s : sets) {
    for (uint64_t run = 0; run < runs; ++run) {
      s.kholuu.validated = s.kholuu.failed = s.gs.validated = s.gs.failed = 0;
      double k_total = 0, g_total = 0;
      for (size_t i = 0; i < s.files.size(); ++i) {
        double k = 0, g = 0;
        ConvertOne(s.files[i], *gs_path, scratch->path(), (i + run) % 2 == 0, &k, &g, &s);
        k_total += k;
        g_total += g;
      }
      s.kholuu.run_seconds.push_back(k_total);
      s.gs.run_seconds.push_back(g_total);
    }
  }

  MachineInfo m = DescribeMachine(scratch->path());
  Json out;
  out["benchmark"] = "convert";
  out["machine"] = {{"cpu", m.cpu_model}, {"nproc", m.nproc}, {"kernel", m.kernel}};
  out["ghostscript"] = agent;
  out["runs"] = runs;
  out["plain_gs_command"] =
      "gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pdfwrite -dPDFA=2 -dPDFACompatibilityPolicy=1 "
      "-sColorConversionStrategy=RGB -sOutputFile=OUT FILE";
  out["sets"] = Json::array();
  for (const SetResult& s : sets) {
    const double k = Median(s.kholuu.run_seconds), g = Median(s.gs.run_seconds);
    const auto pages = static_cast<double>(s.pages);
    out["sets"].push_back({{"name", s.name},
                           {"files", s.files.size()},
                           {"pages", s.pages},
                           {"kholuu",
                            {{"seconds", k},
                             {"pages_per_s", pages / k},
                             {"validated", s.kholuu.validated},
                             {"failed", s.kholuu.failed}}},
                           {"plain_gs",
                            {{"seconds", g},
                             {"pages_per_s", pages / g},
                             {"validated_by_kholuu", s.gs.validated},
                             {"failed", s.gs.failed}}},
                           {"kholuu_time_over_gs", k / g}});
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "kholuu-bench convert: " << m.cpu_model << ", " << m.nproc << " CPUs; " << agent << "; "
            << runs << " run(s), median\n\n";
  std::printf("%-8s %5s %5s | %10s %8s %9s | %10s %8s %9s | %6s\n", "set", "files", "pages", "kholuu s",
              "pages/s", "valid", "plain gs s", "pages/s", "valid", "ratio");
  for (const auto& s : out["sets"]) {
    std::printf("%-8s %5zu %5d | %10.2f %8.2f %4zu/%-4zu | %10.2f %8.2f %4zu/%-4zu | %5.2fx\n",
                s["name"].get<std::string>().c_str(), s["files"].get<size_t>(), s["pages"].get<int>(),
                s["kholuu"]["seconds"].get<double>(), s["kholuu"]["pages_per_s"].get<double>(),
                s["kholuu"]["validated"].get<size_t>(), s["files"].get<size_t>(),
                s["plain_gs"]["seconds"].get<double>(), s["plain_gs"]["pages_per_s"].get<double>(),
                s["plain_gs"]["validated_by_kholuu"].get<size_t>(), s["files"].get<size_t>(),
                s["kholuu_time_over_gs"].get<double>());
  }
  std::printf("\nvalid: outputs our validator accepts as PDF/A-2b; ratio: kholuu time / plain gs time\n");
  return kExitOk;
}

}  // namespace kholuu::bench
