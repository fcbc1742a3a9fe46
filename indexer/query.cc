#include "indexer/query.h"

#include <array>
#include <cctype>

#include "indexer/analyzer.h"

namespace kholuu::indexer {
namespace {

constexpr std::array<std::string_view, 5> kFields = {"subject", "agency", "signer", "type", "file"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "2019" -> from "2019-01-01" / to "2019-12-31"; "2019-03-05" as is; else "".
std::string DateBound(std::string_view s, bool upper) {
  if (s.size() == 4 && IsDigits(s)) return std::string(s) + (upper ? "-12-31" : "-01-01");
  if (s.size() == 10 && IsDigits(s.substr(0, 4)) && s[4] == '-' && IsDigits(s.substr(5, 2)) &&
      s[7] == '-' && IsDigits(s.substr(8, 2))) {
    return std::string(s);
  }
  return {};
}

}  // namespace

Result<ParsedQuery> ParseQuery(std::string_view q) {
  if (q.size() > kMaxQueryBytes) {
    return InvalidArgumentError("query longer than " + std::to_string(kMaxQueryBytes) + " bytes");
  }
  ParsedQuery out;
  std::string words;  // consecutive plain words, kept together for bigrams
  auto flush_words = [&] {
    if (!words.empty()) {
      out.clauses.push_back(QueryClause{QueryClause::Kind::kWords, "", words, false});
      words.clear();
    }
  };
  size_t i = 0;
  while (i < q.size()) {
    if (IsSpace(q[i])) {
      ++i;
      continue;
    }
    bool excluded = false;
    if (q[i] == '-' && i + 1 < q.size() && !IsSpace(q[i + 1])) {
      excluded = true;
      ++i;
    }
    std::string field;
    for (std::string_view f : kFields) {
      if (q.substr(i, f.size()) == f && i + f.size() < q.size() && q[i + f.size()] == ':') {
        field = std::string(f);
        i += f.size() + 1;
        break;
      }
    }
    if (i < q.size() && q[i] == '"') {
      size_t end = q.find('"', i + 1);
      std::string_view body = q.substr(i + 1, end == std::string_view::npos ? std::string_view::npos
                                                                            : end - i - 1);
      i = end == std::string_view::npos ? q.size() : end + 1;
      flush_words();
      out.clauses.push_back(QueryClause{QueryClause::Kind::kPhrase, field, std::string(body), excluded});
    } else {
      size_t end = i;
      while (end < q.size() && !IsSpace(q[end])) ++end;
      std::string_view word = q.substr(i, end - i);
      i = end;
      if (word.empty()) continue;
      size_t dots = word.find("..");
      if (!excluded && field.empty() && dots != std::string_view::npos) {
        std::string from = DateBound(word.substr(0, dots), false);
        std::string to = DateBound(word.substr(dots + 2), true);
        bool from_ok = dots == 0 || !from.empty();
        bool to_ok = dots + 2 == word.size() || !to.empty();
        if (from_ok && to_ok && (dots != 0 || dots + 2 != word.size())) {
          out.date_from = from;
          out.date_to = to;
          continue;
        }
      }
      if (excluded || !field.empty()) {
        flush_words();
        out.clauses.push_back(QueryClause{QueryClause::Kind::kWords, field, std::string(word), excluded});
        continue;
      }
      // A document number keeps its whole-number clause and its parts as words.
      std::string_view trimmed = word;
      while (!trimmed.empty() && (trimmed.back() == ',' || trimmed.back() == '.' ||
                                  trimmed.back() == ';' || trimmed.back() == ')')) {
        trimmed.remove_suffix(1);
      }
      while (!trimmed.empty() && trimmed.front() == '(') trimmed.remove_prefix(1);
      if (!Analyzer::CanonicalDocNumber(trimmed).empty()) {
        out.clauses.push_back(
            QueryClause{QueryClause::Kind::kDocNumber, "", std::string(trimmed), false});
      }
      if (!words.empty()) words += ' ';
      words += word;
    }
    if (out.clauses.size() > kMaxQueryClauses) {
      return InvalidArgumentError("query has more than " + std::to_string(kMaxQueryClauses) +
                                  " clauses");
    }
  }
  flush_words();
  if (out.clauses.size() > kMaxQueryClauses) {
    return InvalidArgumentError("query has more than " + std::to_string(kMaxQueryClauses) + " clauses");
  }
  return out;
}

}  // namespace kholuu::indexer
