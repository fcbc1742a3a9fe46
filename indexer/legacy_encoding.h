// Repair of Vietnamese text in legacy 8-bit encodings (TCVN3/ABC, VNI-Windows,
// VISCII, CP1258), as found in text extracted from old PDFs and Word files.
//
// The input is either raw bytes (not valid UTF-8) or UTF-8 whose characters
// are all single bytes seen through Latin-1/CP1252 ("V¨n b¶n", what
// pdftotext gives for .VnTime fonts). Each candidate decoding is scored by
// how many of its words are valid Vietnamese syllables (a syllable list built
// from the Debian hunspell-vi dictionary, syllables.h); the best one wins and
// the text as given wins ties.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kholuu::indexer {

enum class LegacyEncoding { kUtf8, kTcvn3, kVni, kViscii, kCp1258 };

// "utf-8", "tcvn3", "vni", "viscii", "cp1258".
std::string_view LegacyEncodingName(LegacyEncoding e);

struct RepairedText {
  std::string text;  // UTF-8 (NFC when a legacy decoding was chosen)
  LegacyEncoding encoding = LegacyEncoding::kUtf8;  // what the input was read as
  size_t words = 0;             // letter words in `text`
  size_t valid_syllables = 0;   // of which valid Vietnamese syllables
};

// Picks the decoding with the most valid syllables. Never fails: invalid
// UTF-8 that no legacy decoding explains better is returned with U+FFFD
// replacements. Thread-safe.
RepairedText RepairEncoding(std::string_view input);

// False when RepairEncoding(input) certainly returns `input` unchanged as
// kUtf8: pure ASCII, or valid UTF-8 with a character outside Latin-1 and
// CP1252 (so it cannot be a single-byte view of legacy bytes). True when it
// may re-decode. One pass, no allocation: callers with mostly Unicode text
// skip RepairEncoding's scoring with it. Thread-safe.
bool MayNeedRepair(std::string_view input);

// Decodes `bytes` as `e` into UTF-8 NFC ("" for kUtf8 input that is not valid
// UTF-8 is never returned: invalid sequences become U+FFFD). Exposed for tests.
std::string DecodeLegacy(std::string_view bytes, LegacyEncoding e);

}  // namespace kholuu::indexer
