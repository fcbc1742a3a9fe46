// `kholuu-bench sig`: PDF signature verification (formats/pdfsig
// VerifyPdfFile) against poppler's `pdfsig -nocert` on the same files in the
// same run: the pdf-pyhanko corpus and signed files generated at run time
// (docs/benchmarks-sig.md).
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

// One line for the subcommand list.
inline constexpr char kSigSummary[] =
    "PDF signature verification vs poppler pdfsig -nocert, files/s and signatures/s";

// Runs the subcommand with the arguments that follow "sig". Returns the
// process exit status (bench_common.h).
int RunSigBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
