#include "formats/common/text.h"

#include <iconv.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace kholuu::formats {

namespace {

// The length of the well-formed UTF-8 sequence at s[i] (its code point in
// *cp), or 0 when the bytes there are not one (overlong, surrogate, cut off).
size_t Utf8SequenceAt(std::string_view s, size_t i, uint32_t* cp) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    *cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    *cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    *cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (cc & 0x3Fu);
  }
  if ((len == 3 && *cp < 0x800) || (len == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)) ||
      (*cp >= 0xD800 && *cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  uint32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t len = Utf8SequenceAt(s, i, &cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string PrintableText(std::string_view bytes, size_t max_bytes, char control) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string out;
  uint32_t cp = 0;
  for (size_t i = 0; i < bytes.size();) {
    const size_t len = Utf8SequenceAt(bytes, i, &cp);
    std::string_view piece;
    if (len == 0) {
      piece = kReplacement;
      i += 1;
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      piece = std::string_view(&control, 1);
      i += len;
    } else {
      piece = bytes.substr(i, len);
      i += len;
    }
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
  }
  return out;
}

Result<std::string> ToNfc(std::string_view s) {
  if (!IsValidUtf8(s)) return InvalidArgumentError("text is not valid UTF-8");
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) return InternalError("ICU NFC normaliser unavailable");
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  if (nfc->isNormalized(u, err) && U_SUCCESS(err)) return std::string(s);
  err = U_ZERO_ERROR;
  icu::UnicodeString out = nfc->normalize(u, err);
  if (U_FAILURE(err)) return InvalidArgumentError("text cannot be normalised to NFC");
  std::string result;
  out.toUTF8String(result);
  return result;
}

LetterCount CountLetters(std::string_view s) {
  LetterCount out;
  if (!IsValidUtf8(s)) return out;
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
  if (U_FAILURE(err)) return out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString n = nfkc->normalize(u, err);
  if (U_FAILURE(err)) return out;
  for (int32_t i = 0; i < n.length();) {
    const UChar32 c = n.char32At(i);
    i += U16_LENGTH(c);
    if (!u_isalnum(c)) continue;
    std::string utf8;
    icu::UnicodeString(c).toUTF8String(utf8);
    ++out.letters[utf8];
    ++out.total;
  }
  return out;
}

size_t LetterCount::Kept(const LetterCount& want) const {
  size_t kept = 0;
  for (const auto& [letter, n] : want.letters) {
    auto it = letters.find(letter);
    if (it != letters.end()) kept += std::min(n, it->second);
  }
  return kept;
}

namespace {
struct IconvCloser {
  void operator()(void* cd) const noexcept { iconv_close(static_cast<iconv_t>(cd)); }
};
}  // namespace

Result<std::string> ConvertToUtf8(std::string_view bytes, std::string_view encoding) {
  std::string enc(encoding);
  for (char& c : enc) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  if (enc == "UTF-8" || enc == "UTF8") {
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    if (!IsValidUtf8(bytes)) return InvalidArgumentError("bytes are not valid UTF-8");
    return std::string(bytes);
  }
  iconv_t cd = iconv_open("UTF-8", enc.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return InvalidArgumentError("unknown character encoding '" + std::string(encoding) + "'");
  }
  std::unique_ptr<void, IconvCloser> owner(cd);
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  std::string in(bytes);
  char* inp = in.data();
  size_t inleft = in.size();
  size_t used = 0;
  while (inleft > 0) {
    char* outp = out.data() + used;
    size_t outleft = out.size() - used;
    const size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
    used = out.size() - outleft;
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      return InvalidArgumentError("bytes are not valid " + std::string(encoding) + " at offset " +
                                  std::to_string(in.size() - inleft));
    }
  }
  out.resize(used);
  if (out.size() >= 3 && out.compare(0, 3, "\xEF\xBB\xBF") == 0) out.erase(0, 3);
  return out;
}

std::string_view Trim(std::string_view s, std::string_view white) {
  const size_t begin = s.find_first_not_of(white);
  if (begin == std::string_view::npos) return s.substr(s.size());
  return s.substr(begin, s.find_last_not_of(white) - begin + 1);
}

std::string FoldKey(std::string_view s) {
  if (!IsValidUtf8(s)) return std::string();
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  if (U_FAILURE(err)) return std::string();
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString d = nfd->normalize(u, err);
  if (U_FAILURE(err)) return std::string();
  std::string out;
  bool pending_space = false;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c == 0x0111 || c == 0x0110) c = 'd';  // đ Đ have no decomposition
    if (u_isalnum(c)) {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      icu::UnicodeString one(u_tolower(c));
      one.toUTF8String(out);
    } else {
      pending_space = true;
    }
  }
  return out;
}

std::string Base64Encode(std::string_view bytes, size_t line_length) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto byte = [&](size_t i) { return i < bytes.size() ? static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) : 0u; };
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + (line_length > 0 ? bytes.size() / line_length + 1 : 0));
  size_t on_line = 0;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kAlphabet[v & 63] : '=');
    on_line += 4;
    if (line_length > 0 && on_line >= line_length) {
      out.push_back('\n');
      on_line = 0;
    }
  }
  return out;
}

}  // namespace kholuu::formats
