// kholuu-bench: the project's benchmark program. Each subcommand measures one
// area and, where a reference tool does the same job, runs it side by side in
// the same process run (docs/benchmarks.md).
//
//   kholuu-bench SUBCOMMAND [options]      kholuu-bench SUBCOMMAND --help
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "tools/bench/bench_common.h"
#include "tools/bench/convert_bench.h"
#include "tools/bench/ingest_bench.h"
#include "tools/bench/ir_bench.h"
#include "tools/bench/ocr_bench.h"
#include "tools/bench/pdfa_bench.h"
#include "tools/bench/rendition_bench.h"
#include "tools/bench/sig_bench.h"
#include "tools/bench/search_bench.h"
#include "tools/bench/store_bench.h"
#include "tools/bench/retention_bench.h"
#include "tools/bench/verify_bench.h"

namespace {

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args);
};

// Later subcommands add one line here.
constexpr Subcommand kSubcommands[] = {
    {"store", kholuu::bench::kStoreSummary, &kholuu::bench::RunStoreBench},
    {"ir", kholuu::bench::kIrSummary, &kholuu::bench::RunIrBench},
    {"pdfa", "PDF/A validation: files/s and peak memory, vs qpdf --check", &kholuu::bench::RunPdfaBench},
    {"sig", kholuu::bench::kSigSummary, &kholuu::bench::RunSigBench},
    {"search", kholuu::bench::kSearchSummary, &kholuu::bench::RunSearchBench},
    {"convert", kholuu::bench::kConvertSummary, &kholuu::bench::RunConvertBench},
    {"rendition", kholuu::bench::kRenditionSummary, &kholuu::bench::RunRenditionBench},
    {"ocr", kholuu::bench::kOcrSummary, &kholuu::bench::RunOcrBench},
    {"ingest", kholuu::bench::kIngestSummary, &kholuu::bench::RunIngestBench},
    {"verify", kholuu::bench::kVerifySummary, &kholuu::bench::RunVerifyBench},
    {"retention", kholuu::bench::kRetentionSummary, &kholuu::bench::RunRetentionBench},
};

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "usage: kholuu-bench SUBCOMMAND [options]\n"
               "       kholuu-bench SUBCOMMAND --help\n\nsubcommands:\n");
  for (const Subcommand& s : kSubcommands) std::fprintf(out, "  %-10s %s\n", s.name, s.summary);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintUsage(stderr);
    return kholuu::bench::kExitUsage;
  }
  const std::string_view name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return kholuu::bench::kExitOk;
  }
  for (const Subcommand& s : kSubcommands) {
    if (name == s.name) return s.run(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  std::fprintf(stderr, "kholuu-bench: unknown subcommand '%s'\n\n", args.front().c_str());
  PrintUsage(stderr);
  return kholuu::bench::kExitUsage;
}
