// Vietnamese text analysis: the one place that turns text into index terms,
// used for documents and queries alike so that both sides always agree.
//
// Pipeline (docs/search.md): legacy-encoding repair (legacy_encoding.h) is a
// separate step; Analyze() then does NFC, ICU word breaking into syllables
// (UAX #29; Vietnamese has no dictionary, so each space-separated syllable is
// one word), case folding, canonical tone-mark placement ("hoà" and "hòa"
// give the same term), and a diacritic-folded form ("đường" -> "duong").
// Document numbers such as "28/2018/QĐ-TTg" are recognised whole as well.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kholuu::indexer {

struct Token {
  std::string exact;    // NFC, case-folded, canonical tone placement: "hòa"
  std::string folded;   // exact without diacritics, đ -> d: "hoa"
  uint32_t position = 0;  // 0, 1, 2, ... over the tokens of one Analyze() call
  size_t begin = 0;     // byte range in AnalyzedText::normalized
  size_t end = 0;
  bool is_number = false;
  // True when the previous token is separated from this one by spaces only
  // (no punctuation, no line break): the pair may form a bigram.
  bool joined_to_previous = false;
};

struct AnalyzedText {
  std::string normalized;  // the input in NFC (invalid UTF-8 replaced by U+FFFD)
  std::vector<Token> tokens;
  // Document numbers ("số, ký hiệu") found in the text, canonical form:
  // case-folded, diacritics folded, e.g. "28/2018/qd-ttg".
  std::vector<std::string> doc_numbers;
};

// Stateless facade over cached ICU objects. Thread-safe: each thread keeps its
// own break iterator (cloned once from a shared prototype) and a bounded cache
// of word forms, which never changes a result.
class Analyzer {
 public:
  // Analyses UTF-8 text. Never fails: invalid UTF-8 sequences become U+FFFD.
  static AnalyzedText Analyze(std::string_view utf8);

  // NFC + case fold + tone placement of one word (no breaking). "HOÀ" -> "hòa".
  static std::string NormalizeWord(std::string_view utf8);

  // Removes every diacritic and maps đ/Đ to d/D, keeping case: "Đường" -> "Duong".
  static std::string FoldDiacritics(std::string_view utf8);

  // True if `utf8` contains a letter whose folded form differs (a diacritic or đ).
  static bool HasDiacritics(std::string_view utf8);

  // Canonical form of a document number, or "" if `s` does not look like one:
  // two or more parts of letters/digits joined by '/' (and '-' inside a part),
  // at least one '/', at least one digit, at most 64 bytes. Case and
  // diacritics folded: "28/2018/QĐ-TTg" -> "28/2018/qd-ttg".
  static std::string CanonicalDocNumber(std::string_view utf8);
};

}  // namespace kholuu::indexer
