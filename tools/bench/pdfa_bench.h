// kholuu-bench pdfa: PDF/A validation throughput and peak memory over a
// folder of PDFs, with `qpdf --check` on the same files in the same run.
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

// Usage: kholuu-bench pdfa [--dir DIR] [--profile P] [--repeat N] [--qpdf PATH]
//                          [--kholuu PATH] [--json]
// DIR defaults to the shared corpus ($KHOLUU_CORPUS_DIR or
// ../shared/corpus). Prints files/s and peak RSS for: the validator in this
// process, `kholuu pdfa validate FILE` as one process per file (when the
// kholuu binary is found), and `qpdf --check FILE` per file (when qpdf is
// installed). `args` may start with the program or subcommand name (a first
// argument that is not an option is skipped, and so is "pdfa"). A flag given
// last without its value gets an empty one. Returns 0, or 2 on a usage error
// or an empty folder.
int RunPdfaBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
