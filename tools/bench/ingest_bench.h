// `kholuu-bench ingest`: the ingest pipeline (ingest/pipeline.h) on
// born-digital signed PDF/A documents and on scans, in documents/s and MB/s
// with one and two workers, next to the stand-alone tools on the same files
// in the same run (docs/benchmarks.md, "Ingest").
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

inline constexpr char kIngestSummary[] =
    "ingest pipeline, documents/s and MB/s, 1 and 2 workers, vs sha256sum+pdfsig+pdftotext and gs+tesseract";

int RunIngestBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
