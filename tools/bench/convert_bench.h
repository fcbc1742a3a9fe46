// `kholuu-bench convert`: PDF/A-2b conversion (formats/convert, sandboxed
// Ghostscript plus our validator) against a plain `gs -sDEVICE=pdfwrite
// -dPDFA=2` on the same files in the same run, in pages per second
// (docs/benchmarks.md, "Conversion to PDF/A-2b").
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

// One line for the subcommand list.
inline constexpr char kConvertSummary[] =
    "PDF/A-2b conversion incl. validation vs plain gs -dPDFA=2, pages/s";

// Runs the subcommand with the arguments that follow "convert". Returns the
// process exit status (bench_common.h).
int RunConvertBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
