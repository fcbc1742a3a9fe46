// The query language for people (docs/search.md):
//   words                  any of them, ranked (with bigrams and proximity)
//   "quoted phrase"        the syllables in this order (required)
//   field:word field:"a b" restricted to one field (required); fields:
//                          subject (trích yếu), agency, signer, type, file
//   -word  -"phrase"  -field:word   exclusion
//   2019..2021  2019-03-01..2019-06-30   issue-date range (either end may be empty)
//   28/2018/QĐ-TTg         a document number: matched whole (boosted) and by parts
// With diacritics anywhere in a clause, its exact terms are used; without,
// the diacritic-folded terms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::indexer {

struct QueryClause {
  enum class Kind { kWords, kPhrase, kDocNumber };
  Kind kind = Kind::kWords;
  std::string field;  // "" for all text, else one of the field names above
  std::string text;   // the clause's text as typed (without quotes/prefixes)
  bool excluded = false;
};

struct ParsedQuery {
  std::vector<QueryClause> clauses;
  std::string date_from;  // YYYY-MM-DD or ""
  std::string date_to;    // YYYY-MM-DD or ""
};

// Limits that keep hostile queries cheap.
inline constexpr size_t kMaxQueryBytes = 4096;
inline constexpr size_t kMaxQueryClauses = 64;

// Parses `query` (UTF-8; invalid bytes are treated as U+FFFD). Errors:
// kInvalidArgument if it is longer than kMaxQueryBytes or has more than
// kMaxQueryClauses clauses. Unknown "name:" prefixes are plain words;
// an unterminated quote runs to the end. Thread-safe.
Result<ParsedQuery> ParseQuery(std::string_view query);

}  // namespace kholuu::indexer
