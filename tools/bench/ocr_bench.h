// `kholuu-bench ocr`: page text for indexing (formats/text) against the plain
// tools on the same pages in the same run: text layers (kholuu's sandboxed
// pdfinfo + pdftotext, the pdftotext CLI, poppler-cpp in this process) and
// OCR (kholuu's sandboxed Tesseract, the tesseract CLI on the same images;
// whole PDFs through render + OCR). docs/benchmarks.md, section "Text and OCR".
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

inline constexpr char kOcrSummary[] =
    "page text: text layer and Tesseract OCR pages/s vs pdftotext, poppler-cpp and tesseract CLI";

// Runs the subcommand with the arguments that follow "ocr". Returns the
// process exit status (bench_common.h).
int RunOcrBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
