// Fuzz target: the search query parser (indexer/query.h). Any input must
// parse or be rejected with a Status, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archive/base/status.h"
#include "indexer/analyzer.h"
#include "indexer/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view q(reinterpret_cast<const char*>(data), size);
  auto parsed = kholuu::indexer::ParseQuery(q);
  if (!parsed.ok()) return 0;
  KHOLUU_CHECK(parsed->clauses.size() <= kholuu::indexer::kMaxQueryClauses);
  for (const auto& c : parsed->clauses) {
    // What the searcher does with each clause.
    (void)kholuu::indexer::Analyzer::Analyze(c.text);
    (void)kholuu::indexer::Analyzer::HasDiacritics(c.text);
    (void)kholuu::indexer::Analyzer::CanonicalDocNumber(c.text);
  }
  return 0;
}
