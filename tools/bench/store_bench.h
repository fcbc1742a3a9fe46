// `kholuu-bench store`: blob ingest against sha256sum + cp + sync, catalog
// commits and catalog lookups, in one run (docs/benchmarks.md).
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

// One line for the subcommand list.
inline constexpr char kStoreSummary[] =
    "blob ingest vs sha256sum+cp+sync, catalog commits, catalog lookups";

// Runs the subcommand with the arguments that follow "store". Returns the
// process exit status (bench_common.h).
int RunStoreBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
