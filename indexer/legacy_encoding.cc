#include "indexer/legacy_encoding.h"

#include <errno.h>
#include <iconv.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>
#include <cstdint>
#include <optional>

#include "archive/base/status.h"
#include "indexer/analyzer.h"
#include "indexer/syllables.h"

namespace kholuu::indexer {
namespace {

void AppendUtf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Decodes strict UTF-8 into code points; nullopt if invalid.
std::optional<std::u32string> DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto b0 = static_cast<unsigned char>(s[i]);
    uint32_t c;
    size_t n;
    if (b0 < 0x80) {
      c = b0;
      n = 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      c = b0 & 0x1Fu;
      n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      c = b0 & 0x0Fu;
      n = 3;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      c = b0 & 0x07u;
      n = 4;
    } else {
      return std::nullopt;
    }
    if (i + n > s.size()) return std::nullopt;
    for (size_t k = 1; k < n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return std::nullopt;
      c = (c << 6) | (b & 0x3Fu);
    }
    if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (n == 4 && (c < 0x10000 || c > 0x10FFFF))) {
      return std::nullopt;
    }
    out += static_cast<char32_t>(c);
    i += n;
  }
  return out;
}

// Windows-1252 characters in 0x80..0x9F (published code chart), so that text
// that went through a CP1252 decoder can be turned back into its bytes.
constexpr std::array<uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// The bytes behind text that was decoded as Latin-1 or CP1252, or nullopt if
// some character is outside both.
std::optional<std::string> SingleByteView(const std::u32string& cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps) {
    if (c <= 0xFF) {
      out += static_cast<char>(c);
      continue;
    }
    bool found = false;
    for (size_t i = 0; i < kCp1252High.size(); ++i) {
      if (kCp1252High[i] != 0 && kCp1252High[i] == c) {
        out += static_cast<char>(0x80 + i);
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  return out;
}

std::string Nfc(const std::string& utf8) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(err);
  KHOLUU_CHECK(U_SUCCESS(err));
  icu::UnicodeString s = n->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))),
      err);
  std::string out;
  if (U_FAILURE(err)) return utf8;
  s.toUTF8String(out);
  return out;
}

// glibc iconv, one converter per call (iconv_t carries shift state).
std::string DecodeWithIconv(std::string_view bytes, const char* charset) {
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return {};
  std::string out;
  std::string in(bytes);
  char* inp = in.data();
  size_t inleft = in.size();
  std::array<char, 4096> buf;
  while (inleft > 0) {
    char* outp = buf.data();
    size_t outleft = buf.size();
    size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
    out.append(buf.data(), static_cast<size_t>(outp - buf.data()));
    if (rc == static_cast<size_t>(-1)) {
      if (errno == E2BIG) continue;
      // Undefined or truncated byte: replace it and go on.
      out += "\xEF\xBF\xBD";
      ++inp;
      --inleft;
    }
  }
  char* outp = buf.data();
  size_t outleft = buf.size();
  iconv(cd, nullptr, nullptr, &outp, &outleft);  // flush (CP1258 buffers a base letter)
  out.append(buf.data(), static_cast<size_t>(outp - buf.data()));
  iconv_close(cd);
  return Nfc(out);
}

// VNI-Windows: an ASCII base letter followed by "mark bytes" in the Latin-1
// range; ơ, ư, đ and the i-with-tone letters are single bytes. Facts from the
// VNI-Windows code chart; each byte maps to a base letter and/or combining
// marks, and NFC composes the result.
struct VniByte {
  unsigned char byte;
  char32_t letter;  // 0 if the byte is only marks
  char32_t mark1;   // combining marks (0 if none)
  char32_t mark2;
};
constexpr char32_t kGrave = 0x0300, kAcute = 0x0301, kTilde = 0x0303, kHook = 0x0309,
                   kDot = 0x0323, kCirc = 0x0302, kBreve = 0x0306;
constexpr VniByte kVni[] = {
    // Tone marks after a vowel (lower case, then upper case).
    {0xF9, 0, kAcute, 0}, {0xF8, 0, kGrave, 0}, {0xFB, 0, kHook, 0}, {0xF5, 0, kTilde, 0},
    {0xEF, 0, kDot, 0}, {0xD9, 0, kAcute, 0}, {0xD8, 0, kGrave, 0}, {0xDB, 0, kHook, 0},
    {0xD5, 0, kTilde, 0}, {0xCF, 0, kDot, 0},
    // Circumflex (+ tone) after a, e, o.
    {0xE2, 0, kCirc, 0}, {0xE1, 0, kCirc, kAcute}, {0xE0, 0, kCirc, kGrave},
    {0xE5, 0, kCirc, kHook}, {0xE3, 0, kCirc, kTilde}, {0xE4, 0, kCirc, kDot},
    {0xC2, 0, kCirc, 0}, {0xC1, 0, kCirc, kAcute}, {0xC0, 0, kCirc, kGrave},
    {0xC5, 0, kCirc, kHook}, {0xC3, 0, kCirc, kTilde}, {0xC4, 0, kCirc, kDot},
    // Breve (+ tone) after a.
    {0xEA, 0, kBreve, 0}, {0xE9, 0, kBreve, kAcute}, {0xE8, 0, kBreve, kGrave},
    {0xFA, 0, kBreve, kHook}, {0xFC, 0, kBreve, kTilde}, {0xEB, 0, kBreve, kDot},
    {0xCA, 0, kBreve, 0}, {0xC9, 0, kBreve, kAcute}, {0xC8, 0, kBreve, kGrave},
    {0xDA, 0, kBreve, kHook}, {0xDC, 0, kBreve, kTilde}, {0xCB, 0, kBreve, kDot},
    // Dot below after y.
    {0xEE, 0, kDot, 0}, {0xCE, 0, kDot, 0},
    // Letters.
    {0xF4, 0x01A1, 0, 0}, {0xD4, 0x01A0, 0, 0},  // ơ Ơ
    {0xF6, 0x01B0, 0, 0}, {0xD6, 0x01AF, 0, 0},  // ư Ư
    {0xF1, 0x0111, 0, 0}, {0xD1, 0x0110, 0, 0},  // đ Đ
    {0xED, 'i', kAcute, 0}, {0xEC, 'i', kGrave, 0}, {0xE6, 'i', kHook, 0},
    {0xF3, 'i', kTilde, 0}, {0xF2, 'i', kDot, 0},
    {0xCD, 'I', kAcute, 0}, {0xCC, 'I', kGrave, 0}, {0xC6, 'I', kHook, 0},
    {0xD3, 'I', kTilde, 0}, {0xD2, 'I', kDot, 0},
};

std::string DecodeVni(std::string_view bytes) {
  static const std::array<const VniByte*, 256> table = [] {
    std::array<const VniByte*, 256> t{};
    for (const VniByte& v : kVni) t[v.byte] = &v;
    return t;
  }();
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  bool after_letter = false;
  for (char ch : bytes) {
    auto b = static_cast<unsigned char>(ch);
    const VniByte* v = table[b];
    if (v != nullptr && (v->letter != 0 || after_letter)) {
      if (v->letter != 0) AppendUtf8(out, v->letter);
      if (v->mark1 != 0) AppendUtf8(out, v->mark1);
      if (v->mark2 != 0) AppendUtf8(out, v->mark2);
      after_letter = true;
      continue;
    }
    AppendUtf8(out, b);  // ASCII, or a Latin-1 byte with no VNI meaning
    after_letter = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
  }
  return Nfc(out);
}

struct Score {
  size_t words = 0;
  size_t valid = 0;
  // Valid minus invalid words. A U+FFFD (undecodable byte) counts as an
  // invalid word: it splits "tho\xFBa" into two words that look valid.
  long net() const { return 2 * static_cast<long>(valid) - static_cast<long>(words); }
};

Score ScoreText(const std::string& utf8) {
  Score s;
  AnalyzedText a = Analyzer::Analyze(utf8);
  for (const Token& t : a.tokens) {
    if (t.is_number) continue;
    ++s.words;
    if (IsVietnameseSyllable(t.exact)) ++s.valid;
  }
  for (size_t p = utf8.find("\xEF\xBF\xBD"); p != std::string::npos; p = utf8.find("\xEF\xBF\xBD", p + 3)) {
    ++s.words;
  }
  return s;
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

std::string_view LegacyEncodingName(LegacyEncoding e) {
  switch (e) {
    case LegacyEncoding::kUtf8: return "utf-8";
    case LegacyEncoding::kTcvn3: return "tcvn3";
    case LegacyEncoding::kVni: return "vni";
    case LegacyEncoding::kViscii: return "viscii";
    case LegacyEncoding::kCp1258: return "cp1258";
  }
  return "unknown";
}

std::string DecodeLegacy(std::string_view bytes, LegacyEncoding e) {
  switch (e) {
    case LegacyEncoding::kUtf8: return ReplaceInvalidUtf8(bytes);
    case LegacyEncoding::kTcvn3: return DecodeWithIconv(bytes, "TCVN5712-1");
    case LegacyEncoding::kViscii: return DecodeWithIconv(bytes, "VISCII");
    case LegacyEncoding::kCp1258: return DecodeWithIconv(bytes, "CP1258");
    case LegacyEncoding::kVni: return DecodeVni(bytes);
  }
  return ReplaceInvalidUtf8(bytes);
}

bool MayNeedRepair(std::string_view s) {
  bool high = false;
  bool beyond = false;  // a character outside Latin-1 and CP1252
  for (size_t i = 0; i < s.size();) {
    auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    high = true;
    size_t n = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xF0 && b0 <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return true;  // not UTF-8: raw legacy bytes
    uint32_t c = b0 & (n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u);
    for (size_t k = 1; k < n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return true;
      c = (c << 6) | (b & 0x3Fu);
    }
    if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (n == 4 && (c < 0x10000 || c > 0x10FFFF))) {
      return true;
    }
    if (c > 0xFF) {
      bool cp1252 = false;
      for (uint16_t x : kCp1252High) cp1252 = cp1252 || (x != 0 && x == c);
      beyond = beyond || !cp1252;
    }
    i += n;
  }
  // Valid UTF-8 beyond Latin-1/CP1252, or pure ASCII, is kept as given.
  return high && !beyond;
}

RepairedText RepairEncoding(std::string_view input) {
  RepairedText best;
  std::optional<std::u32string> cps = DecodeUtf8(input);
  std::optional<std::string> bytes;
  if (cps) {
    best.text = std::string(input);
    bytes = SingleByteView(*cps);
  } else {
    best.text = ReplaceInvalidUtf8(input);
    bytes = std::string(input);
  }
  Score s = ScoreText(best.text);
  long best_net = s.net();
  best.words = s.words;
  best.valid_syllables = s.valid;
  bool has_high = false;
  if (bytes) {
    for (char c : *bytes) has_high = has_high || static_cast<unsigned char>(c) >= 0x80;
  }
  // Pure ASCII, text beyond Latin-1, or already all-valid text is left alone.
  if (!bytes || !has_high || s.valid == s.words) return best;
  for (LegacyEncoding e : {LegacyEncoding::kTcvn3, LegacyEncoding::kVni, LegacyEncoding::kViscii,
                           LegacyEncoding::kCp1258}) {
    std::string decoded = DecodeLegacy(*bytes, e);
    Score c = ScoreText(decoded);
    if (c.net() > best_net) {
      best_net = c.net();
      best.text = std::move(decoded);
      best.encoding = e;
      best.words = c.words;
      best.valid_syllables = c.valid;
    }
  }
  return best;
}

}  // namespace kholuu::indexer
