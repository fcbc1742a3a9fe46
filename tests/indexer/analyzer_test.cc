#include "indexer/analyzer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "indexer/legacy_encoding.h"
#include "indexer/syllables.h"

namespace kholuu::indexer {
namespace {

using ::testing::ElementsAre;

// Real Vietnamese sentences (from the news and legal texts in the shared
// context and the ALQAC corpus).
const char* const kSentences[] = {
    "Ngày 15/11, Văn phòng Chính phủ tổ chức hội nghị trực tuyến toàn quốc sơ kết 1 năm thực "
    "hiện Quyết định 28/2018/QĐ-TTg của Thủ tướng Chính phủ về gửi, nhận văn bản điện tử giữa "
    "các cơ quan trong hệ thống hành chính Nhà nước.",
    "Dự và chủ trì hội nghị tại điểm cầu tại Hà Nội có đồng chí Mai Tiến Dũng, Bộ trưởng, Chủ "
    "nhiệm Văn phòng Chính phủ.",
    "Chất gây nghiện là chất kích thích hoặc ức chế thần kinh, dễ gây tình trạng nghiện đối với "
    "người sử dụng.",
    "Người nghiện ma túy từ đủ 18 tuổi trở lên bị áp dụng biện pháp xử lý hành chính đưa vào cơ "
    "sở cai nghiện bắt buộc.",
    "Quan hệ hôn nhân và gia đình có yếu tố nước ngoài; thỏa thuận trọng tài vô hiệu.",
};

std::vector<std::string> Exact(const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : Analyzer::Analyze(text).tokens) out.push_back(t.exact);
  return out;
}
std::vector<std::string> Folded(const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : Analyzer::Analyze(text).tokens) out.push_back(t.folded);
  return out;
}

std::string Normalize(const std::string& s, bool nfd) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* n =
      nfd ? icu::Normalizer2::getNFDInstance(err) : icu::Normalizer2::getNFCInstance(err);
  icu::UnicodeString u = n->normalize(icu::UnicodeString::fromUTF8(s), err);
  std::string out;
  u.toUTF8String(out);
  return out;
}

std::u32string ToU32(const std::string& s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  std::u32string out;
  for (int32_t i = 0; i < u.length();) {
    UChar32 c = u.char32At(i);
    out += static_cast<char32_t>(c);
    i += U16_LENGTH(c);
  }
  return out;
}

// ---- Encoders written for the tests from the published code charts ---------

// Splits an NFC Vietnamese letter into base (with ă â ê ô ơ ư đ kept whole)
// and tone (0 none, 1 grave, 2 hook, 3 tilde, 4 acute, 5 dot below).
struct Split {
  char32_t base;
  int tone;
};
std::optional<Split> SplitTone(char32_t c) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  icu::UnicodeString d = nfd->normalize(icu::UnicodeString(static_cast<UChar32>(c)), err);
  int tone = 0;
  icu::UnicodeString rest;
  for (int32_t i = 0; i < d.length(); ++i) {
    char16_t m = d.charAt(i);
    if (m == 0x0300) tone = 1;
    else if (m == 0x0309) tone = 2;
    else if (m == 0x0303) tone = 3;
    else if (m == 0x0301) tone = 4;
    else if (m == 0x0323) tone = 5;
    else rest.append(m);
  }
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  icu::UnicodeString base = nfc->normalize(rest, err);
  if (base.countChar32() != 1) return std::nullopt;
  return Split{static_cast<char32_t>(base.char32At(0)), tone};
}

// TCVN 5712:1993 (ABC) lower-case chart: 6 tones for each of 12 vowels.
// Columns: none, grave, hook, tilde, acute, dot below.
struct TcvnRow {
  char32_t base;
  unsigned char bytes[6];
};
const TcvnRow kTcvn[] = {
    {U'a', {'a', 0xB5, 0xB6, 0xB7, 0xB8, 0xB9}}, {U'ă', {0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6}},
    {U'â', {0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB}}, {U'e', {'e', 0xCC, 0xCE, 0xCF, 0xD0, 0xD1}},
    {U'ê', {0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6}}, {U'i', {'i', 0xD7, 0xD8, 0xDC, 0xDD, 0xDE}},
    {U'o', {'o', 0xDF, 0xE1, 0xE2, 0xE3, 0xE4}}, {U'ô', {0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9}},
    {U'ơ', {0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE}}, {U'u', {'u', 0xEF, 0xF1, 0xF2, 0xF3, 0xF4}},
    {U'ư', {0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9}}, {U'y', {'y', 0xFA, 0xFB, 0xFC, 0xFD, 0xFE}},
};

std::optional<std::string> EncodeTcvn3(const std::string& utf8) {
  std::string out;
  for (char32_t c : ToU32(utf8)) {
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    // Capitals with marks were drawn by separate fonts at the same codes:
    // TCVN3 text loses their case (ă Ă etc. have capitals at 0xA1..0xA7).
    if (c == U'Đ' || c == U'đ') {
      out += static_cast<char>(c == U'Đ' ? 0xA7 : 0xAE);
      continue;
    }
    char32_t lower = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
    std::optional<Split> s = SplitTone(lower);
    if (!s) return std::nullopt;
    bool found = false;
    for (const TcvnRow& r : kTcvn) {
      if (r.base == s->base) {
        out += static_cast<char>(r.bytes[s->tone]);
        found = true;
      }
    }
    if (!found) return std::nullopt;
  }
  return out;
}

// VNI-Windows: ASCII base + mark byte(s).
std::optional<std::string> EncodeVni(const std::string& utf8) {
  std::string out;
  for (char32_t c : ToU32(utf8)) {
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    bool upper = u_isupper(static_cast<UChar32>(c));
    char32_t lower = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
    auto cased = [&](unsigned char b) { return static_cast<char>(upper ? b - 0x20 : b); };
    if (lower == U'đ') {
      out += cased(0xF1);
      continue;
    }
    std::optional<Split> s = SplitTone(lower);
    if (!s) return std::nullopt;
    const unsigned char tone_mark[6] = {0, 0xF8, 0xFB, 0xF5, 0xF9, 0xEF};
    const unsigned char circ[6] = {0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4};
    const unsigned char breve[6] = {0xEA, 0xE8, 0xFA, 0xFC, 0xE9, 0xEB};
    const unsigned char itone[6] = {'i', 0xEC, 0xE6, 0xF3, 0xED, 0xF2};
    switch (s->base) {
      case U'a': case U'e': case U'o': case U'u':
        out += cased(static_cast<unsigned char>(s->base));
        if (s->tone) out += cased(tone_mark[s->tone]);
        break;
      case U'y':
        out += cased('y');
        if (s->tone) out += cased(s->tone == 5 ? 0xEE : tone_mark[s->tone]);
        break;
      case U'i':
        out += cased(itone[s->tone]);
        break;
      case U'â': case U'ê': case U'ô':
        out += cased(s->base == U'â' ? 'a' : s->base == U'ê' ? 'e' : 'o');
        out += cased(circ[s->tone]);
        break;
      case U'ă':
        out += cased('a');
        out += cased(breve[s->tone]);
        break;
      case U'ơ': case U'ư':
        out += cased(s->base == U'ơ' ? 0xF4 : 0xF6);
        if (s->tone) out += cased(tone_mark[s->tone]);
        break;
      default:
        return std::nullopt;
    }
  }
  return out;
}

// VISCII (RFC 1456): the code points that differ from Latin-1.
const std::pair<unsigned char, char32_t> kViscii[] = {
    {0x02, 0x1EB2}, {0x05, 0x1EB4}, {0x06, 0x1EAA}, {0x14, 0x1EF6}, {0x19, 0x1EF8}, {0x1E, 0x1EF4},
    {0x80, 0x1EA0}, {0x81, 0x1EAE}, {0x82, 0x1EB0}, {0x83, 0x1EB6}, {0x84, 0x1EA4}, {0x85, 0x1EA6},
    {0x86, 0x1EA8}, {0x87, 0x1EAC}, {0x88, 0x1EBC}, {0x89, 0x1EB8}, {0x8A, 0x1EBE}, {0x8B, 0x1EC0},
    {0x8C, 0x1EC2}, {0x8D, 0x1EC4}, {0x8E, 0x1EC6}, {0x8F, 0x1ED0}, {0x90, 0x1ED2}, {0x91, 0x1ED4},
    {0x92, 0x1ED6}, {0x93, 0x1ED8}, {0x94, 0x1EE2}, {0x95, 0x1EDA}, {0x96, 0x1EDC}, {0x97, 0x1EDE},
    {0x98, 0x1ECA}, {0x99, 0x1ECE}, {0x9A, 0x1ECC}, {0x9B, 0x1EC8}, {0x9C, 0x1EE6}, {0x9D, 0x0168},
    {0x9E, 0x1EE4}, {0x9F, 0x1EF2}, {0xA0, 0x00D5}, {0xA1, 0x1EAF}, {0xA2, 0x1EB1}, {0xA3, 0x1EB7},
    {0xA4, 0x1EA5}, {0xA5, 0x1EA7}, {0xA6, 0x1EA9}, {0xA7, 0x1EAD}, {0xA8, 0x1EBD}, {0xA9, 0x1EB9},
    {0xAA, 0x1EBF}, {0xAB, 0x1EC1}, {0xAC, 0x1EC3}, {0xAD, 0x1EC5}, {0xAE, 0x1EC7}, {0xAF, 0x1ED1},
    {0xB0, 0x1ED3}, {0xB1, 0x1ED5}, {0xB2, 0x1ED7}, {0xB3, 0x1EE0}, {0xB4, 0x01A0}, {0xB5, 0x1ED9},
    {0xB6, 0x1EDD}, {0xB7, 0x1EDF}, {0xB8, 0x1ECB}, {0xB9, 0x1EF0}, {0xBA, 0x1EE8}, {0xBB, 0x1EEA},
    {0xBC, 0x1EEC}, {0xBD, 0x01A1}, {0xBE, 0x1EDB}, {0xBF, 0x01AF}, {0xC4, 0x1EA2}, {0xC5, 0x0102},
    {0xC6, 0x1EB3}, {0xC7, 0x1EB5}, {0xCB, 0x1EBA}, {0xCE, 0x0128}, {0xCF, 0x1EF3}, {0xD0, 0x0110},
    {0xD1, 0x1EE9}, {0xD5, 0x1EA1}, {0xD6, 0x1EF7}, {0xD7, 0x1EEB}, {0xD8, 0x1EED}, {0xDB, 0x1EF9},
    {0xDC, 0x1EF5}, {0xDE, 0x1EE1}, {0xDF, 0x01B0}, {0xE4, 0x1EA3}, {0xE5, 0x0103}, {0xE6, 0x1EEF},
    {0xE7, 0x1EAB}, {0xEB, 0x1EBB}, {0xEE, 0x0129}, {0xEF, 0x1EC9}, {0xF0, 0x0111}, {0xF1, 0x1EF1},
    {0xF6, 0x1ECF}, {0xF7, 0x1ECD}, {0xF8, 0x1EE5}, {0xFB, 0x0169}, {0xFC, 0x1EE7}, {0xFE, 0x1EE3},
    {0xFF, 0x1EEE}};

std::optional<std::string> EncodeViscii(const std::string& utf8) {
  std::string out;
  for (char32_t c : ToU32(utf8)) {
    bool found = false;
    for (const auto& [b, u] : kViscii) {
      if (u == c) {
        out += static_cast<char>(b);
        found = true;
        break;
      }
    }
    if (found) continue;
    bool remapped = false;
    for (const auto& [b, u] : kViscii) remapped = remapped || b == c;
    if (c > 0xFF || remapped) return std::nullopt;
    out += static_cast<char>(c);
  }
  return out;
}

// CP1258: base letters (Latin-1 plus ă â ê ô ơ ư đ) followed by a combining
// tone byte.
std::optional<std::string> EncodeCp1258(const std::string& utf8) {
  const std::pair<char32_t, unsigned char> bases[] = {
      {U'ă', 0xE3}, {U'Ă', 0xC3}, {U'â', 0xE2}, {U'Â', 0xC2}, {U'ê', 0xEA}, {U'Ê', 0xCA},
      {U'ô', 0xF4}, {U'Ô', 0xD4}, {U'ơ', 0xF5}, {U'Ơ', 0xD5}, {U'ư', 0xFD}, {U'Ư', 0xDD},
      {U'đ', 0xF0}, {U'Đ', 0xD0}};
  const unsigned char tones[6] = {0, 0xCC, 0xD2, 0xDE, 0xEC, 0xF2};
  std::string out;
  for (char32_t c : ToU32(utf8)) {
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    std::optional<Split> s = SplitTone(c);
    if (!s) return std::nullopt;
    bool found = s->base < 0x80;
    if (found) out += static_cast<char>(s->base);
    for (const auto& [u, b] : bases) {
      if (!found && u == s->base) {
        out += static_cast<char>(b);
        found = true;
      }
    }
    if (!found) return std::nullopt;
    if (s->tone) out += static_cast<char>(tones[s->tone]);
  }
  return out;
}

// What pdftotext prints for legacy-font text: each byte as a Latin-1 character.
std::string AsLatin1Utf8(const std::string& bytes) {
  std::string out;
  for (char ch : bytes) {
    auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xC0 | (b >> 6));
      out += static_cast<char>(0x80 | (b & 0x3F));
    }
  }
  return out;
}

// ---- Analyzer ---------------------------------------------------------------

TEST(Analyzer, NfcAndNfdGiveTheSameTerms) {
  for (const char* s : kSentences) {
    std::string nfc = Normalize(s, false);
    std::string nfd = Normalize(s, true);
    ASSERT_NE(nfc, nfd);
    EXPECT_EQ(Exact(nfc), Exact(nfd)) << s;
    EXPECT_EQ(Folded(nfc), Folded(nfd)) << s;
  }
}

TEST(Analyzer, ToneMarkPlacementIsCanonical) {
  EXPECT_EQ(Analyzer::NormalizeWord("hoà"), Analyzer::NormalizeWord("hòa"));
  EXPECT_EQ(Analyzer::NormalizeWord("thuỷ"), Analyzer::NormalizeWord("thủy"));
  EXPECT_EQ(Analyzer::NormalizeWord("khoẻ"), Analyzer::NormalizeWord("khỏe"));
  EXPECT_EQ(Analyzer::NormalizeWord("HOÀ"), "hòa");
  EXPECT_EQ(Analyzer::NormalizeWord("baỏ"), "bảo");  // a typo with the mark misplaced
  // Syllables with a marked vowel or a final consonant keep their only valid form.
  EXPECT_EQ(Analyzer::NormalizeWord("người"), "người");
  EXPECT_EQ(Analyzer::NormalizeWord("hoàng"), "hoàng");
  EXPECT_EQ(Analyzer::NormalizeWord("quý"), "quý");
  EXPECT_EQ(Analyzer::NormalizeWord("giữa"), "giữa");
  EXPECT_EQ(Analyzer::NormalizeWord("nghĩa"), "nghĩa");
  EXPECT_EQ(Analyzer::NormalizeWord("ngoài"), "ngoài");
  EXPECT_EQ(Analyzer::NormalizeWord("rượu"), "rượu");
}

TEST(Analyzer, FoldsDiacriticsAndDStroke) {
  EXPECT_EQ(Analyzer::FoldDiacritics("đường Đà Nẵng"), "duong Da Nang");
  EXPECT_THAT(Folded("QUYẾT ĐỊNH hoà hòa"), ElementsAre("quyet", "dinh", "hoa", "hoa"));
  EXPECT_TRUE(Analyzer::HasDiacritics("văn bản"));
  EXPECT_TRUE(Analyzer::HasDiacritics("dd đ"));
  EXPECT_FALSE(Analyzer::HasDiacritics("van ban 2019"));
}

TEST(Analyzer, TokensPositionsOffsetsAndAdjacency) {
  AnalyzedText a = Analyzer::Analyze("Văn bản, 18 tuổi\n\nĐiều 5");
  ASSERT_EQ(a.tokens.size(), 6u);
  EXPECT_EQ(a.tokens[0].exact, "văn");
  EXPECT_EQ(a.normalized.substr(a.tokens[0].begin, a.tokens[0].end - a.tokens[0].begin), "Văn");
  EXPECT_EQ(a.tokens[4].exact, "điều");
  EXPECT_EQ(a.normalized.substr(a.tokens[4].begin, a.tokens[4].end - a.tokens[4].begin), "Điều");
  EXPECT_TRUE(a.tokens[1].joined_to_previous);   // văn bản
  EXPECT_FALSE(a.tokens[2].joined_to_previous);  // comma
  EXPECT_TRUE(a.tokens[2].is_number);
  EXPECT_FALSE(a.tokens[4].joined_to_previous);  // paragraph break
  for (size_t i = 0; i < a.tokens.size(); ++i) EXPECT_EQ(a.tokens[i].position, i);
}

TEST(Analyzer, DocumentNumbersWholeAndByParts) {
  AnalyzedText a = Analyzer::Analyze("thực hiện Quyết định 28/2018/QĐ-TTg và Công văn 125/ABC-VP.");
  EXPECT_THAT(a.doc_numbers, ElementsAre("28/2018/qd-ttg", "125/abc-vp"));
  std::vector<std::string> e;
  for (const Token& t : a.tokens) e.push_back(t.exact);
  EXPECT_THAT(e, ::testing::IsSupersetOf({"28", "2018", "qđ", "ttg", "125", "abc", "vp"}));
  EXPECT_EQ(Analyzer::CanonicalDocNumber("28/2018/QĐ-TTg"), "28/2018/qd-ttg");
  EXPECT_EQ(Analyzer::CanonicalDocNumber("15/11"), "");       // a date, no letters
  EXPECT_EQ(Analyzer::CanonicalDocNumber("và/hoặc"), "");     // no digit
  EXPECT_EQ(Analyzer::CanonicalDocNumber("12//ND"), "");
}

TEST(Analyzer, InvalidUtf8DoesNotCrash) {
  std::string bad = "v\xC3n b\xFF\xFEn \xE1\x80";
  AnalyzedText a = Analyzer::Analyze(bad);
  EXPECT_FALSE(a.normalized.empty());
}

TEST(Syllables, FromHunspellList) {
  EXPECT_TRUE(IsVietnameseSyllable("người"));
  EXPECT_TRUE(IsVietnameseSyllable("hòa"));  // the list says "hoà"; both normalise alike
  EXPECT_TRUE(IsVietnameseSyllable("thủy"));
  EXPECT_FALSE(IsVietnameseSyllable("v¨n"));
  EXPECT_FALSE(IsVietnameseSyllable("xyzw"));
}

// ---- Legacy encodings ---------------------------------------------------------

struct Case {
  LegacyEncoding encoding;
  std::optional<std::string> (*encode)(const std::string&);
};
const Case kCases[] = {{LegacyEncoding::kTcvn3, &EncodeTcvn3},
                       {LegacyEncoding::kVni, &EncodeVni},
                       {LegacyEncoding::kViscii, &EncodeViscii},
                       {LegacyEncoding::kCp1258, &EncodeCp1258}};

TEST(LegacyEncoding, EachEncodingRepairsToTheSameTerms) {
  for (const Case& c : kCases) {
    for (const char* s : kSentences) {
      std::optional<std::string> bytes = c.encode(s);
      ASSERT_TRUE(bytes.has_value()) << LegacyEncodingName(c.encoding) << ": " << s;
      ASSERT_NE(*bytes, s);
      RepairedText r = RepairEncoding(*bytes);
      EXPECT_EQ(r.encoding, c.encoding) << LegacyEncodingName(c.encoding) << ": " << s;
      EXPECT_EQ(Exact(r.text), Exact(s)) << LegacyEncodingName(c.encoding);
      size_t valid = 0;
      for (const std::string& w : Exact(s)) valid += IsVietnameseSyllable(w) ? 1u : 0u;
      EXPECT_EQ(r.valid_syllables, valid) << r.text;
      // The same bytes seen through Latin-1 (pdftotext on a .VnTime PDF).
      RepairedText r2 = RepairEncoding(AsLatin1Utf8(*bytes));
      EXPECT_EQ(r2.encoding, c.encoding) << LegacyEncodingName(c.encoding);
      EXPECT_EQ(Exact(r2.text), Exact(s)) << LegacyEncodingName(c.encoding);
    }
  }
}

// MayNeedRepair is only a shortcut: when it says no, RepairEncoding keeps the
// text as given.
TEST(LegacyEncoding, MayNeedRepairNeverHidesARepair) {
  std::vector<std::string> inputs = {"", "Annual report 2019", "văn bản điện tử",
                                     "Le caf\xC3\xA9", "V\xC2\xA8n b\xC2\xB6n",
                                     "v\xA8n b\xB6n", "\xE2\x80\x9Cquoted\xE2\x80\x9D",
                                     "ti\xE1\xBA\xBFng Vi\xE1\xBB\x87t \xFF"};
  for (const char* s : kSentences) {
    inputs.push_back(s);
    for (const Case& c : kCases) {
      if (auto b = c.encode(s)) {
        inputs.push_back(*b);
        inputs.push_back(AsLatin1Utf8(*b));
      }
    }
  }
  for (const std::string& in : inputs) {
    if (!MayNeedRepair(in)) {
      RepairedText r = RepairEncoding(in);
      EXPECT_EQ(r.encoding, LegacyEncoding::kUtf8) << in;
      EXPECT_EQ(r.text, in);
    }
  }
  EXPECT_FALSE(MayNeedRepair("văn bản điện tử"));
  EXPECT_FALSE(MayNeedRepair("plain ascii"));
  EXPECT_TRUE(MayNeedRepair("V\xC2\xA8n b\xC2\xB6n"));   // Latin-1 view of TCVN3
  EXPECT_TRUE(MayNeedRepair("v\xA8n b\xB6n"));             // raw TCVN3 bytes
  EXPECT_TRUE(MayNeedRepair("văn bản \xFF"));              // invalid UTF-8 later on
}

TEST(LegacyEncoding, UnicodeAndAsciiTextIsLeftAlone) {
  for (const char* s : kSentences) {
    RepairedText r = RepairEncoding(s);
    EXPECT_EQ(r.encoding, LegacyEncoding::kUtf8);
    EXPECT_EQ(r.text, s);
    RepairedText d = RepairEncoding(Normalize(s, true));
    EXPECT_EQ(d.encoding, LegacyEncoding::kUtf8);
  }
  EXPECT_EQ(RepairEncoding("Annual report 2019, page 3").encoding, LegacyEncoding::kUtf8);
  // French in Latin-1 is not Vietnamese in any encoding better than as given.
  RepairedText fr = RepairEncoding("Le caf\xC3\xA9 est tr\xC3\xA8s bon");
  EXPECT_EQ(fr.text, "Le caf\xC3\xA9 est tr\xC3\xA8s bon");
}

// Every ALQAC article, in every encoding, gives the terms of the original.
TEST(LegacyEncoding, CorpusArticlesRoundTrip) {
  std::string path = std::string(KHOLUU_CORPUS_DIR) + "/alqac2023/articles.json";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "ALQAC corpus not found at " << path;
  nlohmann::json articles = nlohmann::json::parse(in);
  size_t checked = 0;
  for (auto it = articles.begin(); it != articles.end() && checked < 150; ++it, ++checked) {
    // Keep the letters every encoding has; other symbols become spaces.
    std::string text;
    for (char32_t c : ToU32(Normalize(it.value().get<std::string>(), false))) {
      std::string one;
      icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(one);
      bool ok = c < 0x80 || (EncodeVni(one) && EncodeTcvn3(one) && EncodeViscii(one) && EncodeCp1258(one));
      text += ok ? one : " ";
    }
    for (const Case& c : kCases) {
      std::optional<std::string> bytes = c.encode(text);
      ASSERT_TRUE(bytes.has_value());
      RepairedText r = RepairEncoding(*bytes);
      EXPECT_EQ(r.encoding, c.encoding) << it.key() << " " << LegacyEncodingName(c.encoding);
      EXPECT_EQ(Exact(r.text), Exact(text)) << it.key() << " " << LegacyEncodingName(c.encoding);
    }
  }
}

}  // namespace
}  // namespace kholuu::indexer
