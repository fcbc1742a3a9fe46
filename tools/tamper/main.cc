// kholuu-tamper: the tamper campaign of issue 19 (docs/tamper.md).
//
//   kholuu-tamper [--trials N] [--seed S] [--out FILE] [--work DIR] ...
//
// Exit status: 0 no trial passed silently or crashed, 1 at least one did
// (each is printed), 2 usage, 3 the campaign itself could not run.
#include <stdlib.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "tools/tamper/campaign.h"
#include "tools/tamper/process.h"

namespace {

constexpr char kUsage[] =
    "usage: kholuu-tamper [options]\n"
    "\n"
    "Builds a real archive (kholuu init, sample, put of corpus files, seal init,\n"
    "anchor make, replica sync, reindex), then runs N trials on copies of it: each changes bytes at a random\n"
    "place in the catalog, a blob, the replica, the audit log or the index, runs\n"
    "kholuu audit verify, verify ID, fixity, show and search as separate processes\n"
    "and classifies the trial against an independent oracle (mdb_dump). Prints a\n"
    "table per target and outcome; exit 1 if any trial was SILENT or CRASH.\n"
    "\n"
    "options:\n"
    "  --trials N     number of trials (default 80)\n"
    "  --seed S       seed of the trials (default 1); the same seed, the same trials\n"
    "  --trial I      run trial I only (as numbered in a run with this seed)\n"
    "  --out FILE     every trial as JSON\n"
    "  --work DIR     scratch directory (default: a new one under $TMPDIR or /tmp, removed after)\n"
    "  --kholuu PATH  the kholuu program (default: next to this one)\n"
    "  --corpus DIR   the shared corpus (default $KHOLUU_CORPUS_DIR, else ../shared/corpus)\n"
    "  --no-sample    do not seed the base archive with `kholuu sample`\n"
    "  --timeout S    time limit of each command, seconds (default 60)\n"
    "  --verbose      one line per trial on stderr\n";

bool ParseNumber(const std::string& text, uint64_t* out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return false;
  *out = std::strtoull(text.c_str(), nullptr, 10);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using kholuu::tamper::CampaignOptions;
  CampaignOptions o;
  o.kholuu = kholuu::tamper::SelfDir() + "/kholuu";
  const char* corpus = std::getenv("KHOLUU_CORPUS_DIR");
  o.corpus = corpus != nullptr && *corpus != '\0' ? corpus : "../shared/corpus";
  std::string work;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    uint64_t n = 0;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--no-sample") {
      o.sample = false;
    } else if (a == "--verbose") {
      o.verbose = true;
    } else if (a == "--trials" || a == "--seed" || a == "--trial" || a == "--timeout") {
      const std::string* v = value();
      if (v == nullptr || !ParseNumber(*v, &n) || (a != "--seed" && a != "--trial" && n == 0)) {
        std::cerr << "kholuu-tamper: " << a << " takes a whole number" << (a == "--seed" ? "" : " above 0") << "\n";
        return 2;
      }
      if (a == "--trials") o.trials = n;
      if (a == "--seed") o.seed = n;
      if (a == "--trial") o.only_trial = static_cast<int64_t>(n);
      if (a == "--timeout") o.timeout_seconds = static_cast<double>(n);
    } else if (a == "--out" || a == "--work" || a == "--kholuu" || a == "--corpus") {
      const std::string* v = value();
      if (v == nullptr) {
        std::cerr << "kholuu-tamper: " << a << " needs a value\n";
        return 2;
      }
      (a == "--out" ? o.out : a == "--work" ? work : a == "--kholuu" ? o.kholuu : o.corpus) = *v;
    } else {
      std::cerr << "kholuu-tamper: unknown option '" << a << "'\n\n" << kUsage;
      return 2;
    }
  }
  o.mdb_dump = kholuu::tamper::FindOnPath("mdb_dump");
  if (o.mdb_dump.empty()) {
    std::cerr << "kholuu-tamper: mdb_dump not found (Debian package lmdb-utils): the oracle needs it\n";
    return 3;
  }
  if (!kholuu::PathExists(o.kholuu)) {
    std::cerr << "kholuu-tamper: " << o.kholuu << " not found (--kholuu)\n";
    return 3;
  }
  if (!kholuu::PathExists(o.corpus)) {
    std::cerr << "kholuu-tamper: no corpus at " << o.corpus << "; the base archive holds the samples only\n";
    o.corpus.clear();
  }
  bool remove_work = false;
  if (work.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/kholuu-tamper-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      std::cerr << "kholuu-tamper: cannot create a scratch directory in " << tmpl << "\n";
      return 3;
    }
    work = tmpl;
    remove_work = true;
  }
  o.work = work;
  auto summary = kholuu::tamper::RunCampaign(o);
  if (remove_work) kholuu::RemoveTree(work).IgnoreError();
  if (!summary.ok()) {
    std::cerr << "kholuu-tamper: " << summary.status().message() << "\n";
    return 3;
  }
  return summary->failures == 0 ? 0 : 1;
}
