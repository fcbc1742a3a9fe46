// `kholuu-bench rendition`: PDF/A-3b renditions (formats/pdf BuildRendition),
// seals (formats/pdfsig SealPdf) and associated-file extraction
// (ExtractAssociatedFiles) against poppler's `pdfdetach -saveall` on the same
// files in the same run (docs/benchmarks.md, "Renditions and seals").
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

inline constexpr char kRenditionSummary[] =
    "PDF/A-3b renditions and seals: files/s; extraction vs poppler pdfdetach -saveall";

// Runs the subcommand with the arguments that follow "rendition". Returns the
// process exit status (bench_common.h).
int RunRenditionBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
