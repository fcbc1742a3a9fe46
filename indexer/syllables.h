// The set of valid Vietnamese syllables, built from the word list of the
// Debian package hunspell-vi (vi_VN.dic, embedded at build time), each entry
// put through Analyzer::NormalizeWord.
#pragma once

#include <string_view>

namespace kholuu::indexer {

// True if `normalized_word` (the Token::exact form) is a known syllable.
// Thread-safe; the set is built on first use.
bool IsVietnameseSyllable(std::string_view normalized_word);

}  // namespace kholuu::indexer
