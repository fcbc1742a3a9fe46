#include "indexer/syllable_recall.h"

#include <algorithm>
#include <map>
#include <string>

#include "indexer/analyzer.h"

namespace kholuu::indexer {

double SyllableRecall(std::string_view reference, std::string_view text) {
  std::map<std::string, size_t> have;
  for (const Token& t : Analyzer::Analyze(text).tokens) ++have[t.exact];
  size_t total = 0, found = 0;
  for (const Token& t : Analyzer::Analyze(reference).tokens) {
    if (t.is_number) continue;
    ++total;
    auto it = have.find(t.exact);
    if (it != have.end() && it->second > 0) {
      --it->second;
      ++found;
    }
  }
  return total == 0 ? 0 : static_cast<double>(found) / static_cast<double>(total);
}

}  // namespace kholuu::indexer
