// `kholuu-bench retention`: the due list (`kholuu retention due`) over a
// catalog of N record files, read from the catalog's due index, next to the
// same list computed by scanning every record file's retention in the same
// run (what "not by scanning every record" saves); and what storing a
// retention adds to creating a record file (docs/benchmarks.md,
// "Retention").
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

inline constexpr char kRetentionSummary[] =
    "retention due list over N record files from the due index, vs a scan of every record file";

int RunRetentionBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
