// Fuzz target: Vietnamese analysis and legacy-encoding repair
// (indexer/analyzer.h, indexer/legacy_encoding.h) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archive/base/status.h"
#include "indexer/analyzer.h"
#include "indexer/legacy_encoding.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kholuu::indexer;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  RepairedText r = RepairEncoding(in);
  KHOLUU_CHECK(r.valid_syllables <= r.words);
  AnalyzedText a = Analyzer::Analyze(r.text);
  uint32_t pos = 0;
  for (const Token& t : a.tokens) {
    KHOLUU_CHECK(t.begin < t.end && t.end <= a.normalized.size());
    KHOLUU_CHECK(t.position == pos++);
    KHOLUU_CHECK(!t.exact.empty());
    (void)Analyzer::NormalizeWord(t.exact);
  }
  return 0;
}
