// Text helpers shared by the format readers: UTF-8 checks, Unicode NFC
// (real packages carry NFD Vietnamese), conversion from declared legacy
// encodings, and tolerant keys for matching Vietnamese column names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "archive/base/status.h"

namespace kholuu::formats {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view s);

// `bytes` made safe to print in a message, without losing text: well-formed
// UTF-8 is kept as it is (Vietnamese letters included), each control
// character (C0, DEL, C1) becomes `control`, each byte that is not UTF-8
// becomes U+FFFD; cut at a character boundary to at most `max_bytes`.
std::string PrintableText(std::string_view bytes, size_t max_bytes = SIZE_MAX, char control = ' ');

// Unicode normalisation form C of well-formed UTF-8. Errors: kInvalidArgument
// when `s` is not UTF-8.
Result<std::string> ToNfc(std::string_view s);

// Converts bytes in `encoding` (an iconv name such as "UTF-16", "ISO-8859-1")
// to UTF-8; a UTF-8 byte-order mark is removed. Errors: kInvalidArgument for
// an unknown encoding or bytes that are not valid in it.
Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view encoding);

// A key for tolerant comparison: NFC, diacritics removed (đ -> d), lower
// case, every run of non-alphanumerics collapsed to one space, trimmed.
// "Số và ký hiệu  hồ sơ" and "so va ky hieu ho so" give the same key.
std::string FoldKey(std::string_view s);

// The letters and digits of `s` (NFKC, so that a ligature counts as its
// letters) as a multiset of UTF-8 code points, with the total: what a copy of
// a document must keep whatever its spacing, punctuation or word breaks.
// Bytes that are not UTF-8 count as nothing.
struct LetterCount {
  std::map<std::string, size_t> letters;
  size_t total = 0;
  // How many of `want`'s letters this count has (per letter, at most as many
  // as `want` has).
  size_t Kept(const LetterCount& want) const;
};
LetterCount CountLetters(std::string_view s);

// ASCII white space as C's isspace() has it in the "C" locale: space, \t,
// \n, \v, \f, \r. Trim's default.
inline constexpr std::string_view kAsciiWhiteSpace = " \t\n\v\f\r";
// White space as XML 1.0 has it (production S): space, \t, \r, \n only.
inline constexpr std::string_view kXmlWhiteSpace = " \t\r\n";

// `s` without the characters of `white` at either end: a view into `s`, so it
// must not outlive what `s` views. Callers that need another set than C's
// white space pass it, e.g. kXmlWhiteSpace.
std::string_view Trim(std::string_view s, std::string_view white = kAsciiWhiteSpace);

// `bytes` in base64 (RFC 4648 §4, with '=' padding), as edXML carries
// attachments; with `line_length` > 0 a '\n' follows every line of that many
// characters (a multiple of 4), as MIME writers do.
std::string Base64Encode(std::string_view bytes, size_t line_length = 0);

}  // namespace kholuu::formats
