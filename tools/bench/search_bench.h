// `kholuu-bench search`: indexing throughput, index size and query latency of
// the full-text index on a synthetic corpus of real Vietnamese text, with
// SQLite FTS5 (tokenize='unicode61 remove_diacritics 2') indexing and querying
// the same documents with the same queries in the same run
// (docs/benchmarks-search.md).
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

// One line for the subcommand list.
inline constexpr char kSearchSummary[] =
    "index docs/s, MB/s, size and query p50/p99 on 100k-1M Vietnamese docs vs SQLite FTS5";

// Runs the subcommand with the arguments that follow "search". Returns the
// process exit status (bench_common.h): 0 measured, 1 a measurement failed,
// 2 usage or unreadable corpus.
int RunSearchBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
