// `kholuu-bench verify`: what `kholuu audit verify` (the chain walk and every
// record against its history) costs over a catalog of N documents, and what
// `kholuu verify ID` costs per record, next to `sha256sum` over the same
// bytes in the same run (docs/benchmarks.md, "Verification").
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

inline constexpr char kVerifySummary[] =
    "audit verify over N records and verify ID per record, vs sha256sum over the same bytes";

int RunVerifyBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
