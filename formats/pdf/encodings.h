// Simple-font encodings and glyph names (ISO 32000-1 9.6.6, Annex D): the
// base encodings as code -> Unicode, and glyph names -> Unicode for the
// names of the Latin character set plus the Unicode-derived forms uniXXXX
// and uXXXX[XX]. Used by the text layer interpreter; no PoDoFo here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kholuu::formats::pdf {

enum class BaseEncoding { kNone, kStandard, kWinAnsi, kMacRoman };

// The encoding named by an /Encoding or /BaseEncoding name, kNone for others
// (MacExpertEncoding, unknown names).
BaseEncoding BaseEncodingByName(std::string_view name);

// The Unicode value of `code` in `encoding`, or 0 when the encoding leaves
// the code undefined (and always 0 for kNone).
uint32_t BaseEncodingUnicode(BaseEncoding encoding, uint8_t code);

// The text a glyph name stands for, UTF-8: a name of the Latin character set
// (Annex D.2, e.g. "eacute", "quotedblleft"), a few common ligature and
// symbol names ("ff", "ffi", "minus"), "uniXXXX..." (one or more four-digit
// groups), "uXXXX" to "uXXXXXX"; a suffix after '.' is dropped and '_'
// joins components ("f_f_i"). Empty when any component is unknown, or
// names a surrogate or a value above U+10FFFF.
std::string GlyphNameToUtf8(std::string_view name);

// Appends `cp` as UTF-8 (nothing for surrogates or values above U+10FFFF).
void AppendUtf8(uint32_t cp, std::string* out);

}  // namespace kholuu::formats::pdf
