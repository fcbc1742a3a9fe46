#include "indexer/analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/rbbi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "archive/base/status.h"

namespace kholuu::indexer {
namespace {

const icu::Normalizer2& Nfc() {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(err);  // shared, never freed
  KHOLUU_CHECK(U_SUCCESS(err) && n != nullptr);
  return *n;
}

const icu::Normalizer2& Nfd() {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(err);
  KHOLUU_CHECK(U_SUCCESS(err) && n != nullptr);
  return *n;
}

// Word-break prototype; each thread clones it once because a BreakIterator
// holds per-text state and is not thread-safe.
const icu::BreakIterator& WordBreakPrototype() {
  static const icu::BreakIterator* proto = [] {
    UErrorCode err = U_ZERO_ERROR;
    icu::BreakIterator* b = icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), err);
    KHOLUU_CHECK(U_SUCCESS(err) && b != nullptr);
    return b;
  }();
  return *proto;
}

// This thread's word breaker (cloning one costs more than analysing a short
// field, and Analyze() runs several times per document).
icu::BreakIterator& ThreadWordBreaker() {
  thread_local std::unique_ptr<icu::BreakIterator> bi(WordBreakPrototype().clone());
  return *bi;
}

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

constexpr UChar32 kToneMarks[] = {0x0300, 0x0301, 0x0303, 0x0309, 0x0323};
constexpr UChar32 kQualityMarks[] = {0x0302, 0x0306, 0x031B};

bool IsTone(UChar32 c) {
  for (UChar32 t : kToneMarks) {
    if (c == t) return true;
  }
  return false;
}
bool IsQuality(UChar32 c) {
  for (UChar32 t : kQualityMarks) {
    if (c == t) return true;
  }
  return false;
}
bool IsVowelBase(UChar32 c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}
bool IsLowerLatinOrD(UChar32 c) { return (c >= 'a' && c <= 'z') || c == 0x0111; }

// One letter of a decomposed syllable: its base and its vowel-quality marks.
struct Letter {
  UChar32 base;
  icu::UnicodeString marks;
};

// Moves the tone mark of one lower-case syllable to its canonical vowel
// (docs/search.md, "Tone placement"). Input and output are NFC. Words that
// are not a plain Vietnamese syllable (other letters, two tones) come back
// unchanged.
icu::UnicodeString CanonicalTone(const icu::UnicodeString& nfc) {
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString d = Nfd().normalize(nfc, err);
  if (U_FAILURE(err)) return nfc;
  std::vector<Letter> letters;
  UChar32 tone = 0;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (IsTone(c)) {
      if (tone != 0 || letters.empty()) return nfc;
      tone = c;
    } else if (IsQuality(c)) {
      if (letters.empty()) return nfc;
      letters.back().marks.append(c);
    } else if (IsLowerLatinOrD(c)) {
      letters.push_back(Letter{c, {}});
    } else {
      return nfc;
    }
  }
  if (tone == 0 || letters.size() > 8) return nfc;
  size_t first = 0;
  while (first < letters.size() && !IsVowelBase(letters[first].base)) ++first;
  if (first == letters.size()) return nfc;
  // "qu" and "gi" (before another vowel) are onsets, not part of the rhyme.
  if (first > 0 && letters[first].base == 'u' && letters[first - 1].base == 'q' &&
      first + 1 < letters.size() && IsVowelBase(letters[first + 1].base)) {
    ++first;
  } else if (first == 1 && letters[0].base == 'g' && letters[1].base == 'i' &&
             letters[1].marks.isEmpty() && letters.size() > 2 &&
             IsVowelBase(letters[2].base)) {
    ++first;
  }
  size_t last = first;
  while (last + 1 < letters.size() && IsVowelBase(letters[last + 1].base)) ++last;
  bool has_coda = last + 1 < letters.size();
  size_t n = last - first + 1;
  size_t target = first;
  bool marked = false;
  for (size_t i = first; i <= last; ++i) {
    if (!letters[i].marks.isEmpty()) {
      target = i;
      marked = true;
    }
  }
  if (!marked) {
    if (has_coda) {
      target = last;
    } else if (n >= 3) {
      target = first + 1;
    } else {
      target = first;
    }
  }
  icu::UnicodeString out;
  for (size_t i = 0; i < letters.size(); ++i) {
    out.append(letters[i].base);
    out.append(letters[i].marks);
    if (i == target) out.append(tone);
  }
  err = U_ZERO_ERROR;
  icu::UnicodeString composed = Nfc().normalize(out, err);
  return U_FAILURE(err) ? nfc : composed;
}

icu::UnicodeString FoldU(const icu::UnicodeString& s) {
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString d = Nfd().normalize(s, err);
  if (U_FAILURE(err)) return s;
  icu::UnicodeString out;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    if (c == 0x0111) c = 'd';
    if (c == 0x0110) c = 'D';
    out.append(c);
  }
  return out;
}

// Normalises one word given as an NFC UnicodeString.
icu::UnicodeString NormalizeWordU(icu::UnicodeString w) {
  w.foldCase();
  UErrorCode err = U_ZERO_ERROR;
  // Case folding can (rarely) denormalise; re-compose before tone handling.
  if (!Nfc().isNormalized(w, err)) {
    err = U_ZERO_ERROR;
    w = Nfc().normalize(w, err);
  }
  return CanonicalTone(w);
}

bool IsDocNumberChar(UChar32 c) { return u_isalnum(c) || c == '/' || c == '-'; }

// The index forms of one word as broken out of NFC text.
struct WordForms {
  std::string exact;   // ToUtf8(NormalizeWordU(word))
  std::string folded;  // ToUtf8(FoldU(NormalizeWordU(word)))
};

// Normalising a word takes several ICU normalisations; a text repeats few
// distinct words (a Vietnamese text has a few thousand syllables), so each
// thread keeps the forms of the words it has seen. The forms depend on the
// word only, so the cache never changes a result. Bounded: cleared when full.
const WordForms& CachedForms(const UChar* word, int32_t length) {
  constexpr size_t kMaxEntries = 1 << 17;
  thread_local std::unordered_map<std::u16string, WordForms> cache;
  std::u16string key(reinterpret_cast<const char16_t*>(word), static_cast<size_t>(length));
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  if (cache.size() >= kMaxEntries) cache.clear();
  icu::UnicodeString exact = NormalizeWordU(icu::UnicodeString(word, length));
  WordForms f{ToUtf8(exact), ToUtf8(FoldU(exact))};
  return cache.emplace(std::move(key), std::move(f)).first->second;
}

}  // namespace

std::string Analyzer::NormalizeWord(std::string_view utf8) {
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString w = Nfc().normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))),
      err);
  if (U_FAILURE(err)) return {};
  return ToUtf8(NormalizeWordU(w));
}

std::string Analyzer::FoldDiacritics(std::string_view utf8) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  return ToUtf8(FoldU(s));
}

bool Analyzer::HasDiacritics(std::string_view utf8) {
  for (char ch : utf8) {
    if (static_cast<unsigned char>(ch) >= 0x80) {
      UErrorCode err = U_ZERO_ERROR;
      icu::UnicodeString s = Nfc().normalize(
          icu::UnicodeString::fromUTF8(
              icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))),
          err);
      return U_SUCCESS(err) && FoldU(s) != s;
    }
  }
  return false;
}

std::string Analyzer::CanonicalDocNumber(std::string_view utf8) {
  if (utf8.empty() || utf8.size() > 64) return {};
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  int parts = 1;
  bool digit = false;
  bool letter = false;
  UChar32 prev = '/';
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (c == '/') {
      if (prev == '/' || prev == '-') return {};
      ++parts;
    } else if (c == '-') {
      if (prev == '/' || prev == '-') return {};
    } else if (u_isdigit(c)) {
      digit = true;
    } else if (u_isalpha(c)) {
      letter = true;
    } else {
      return {};
    }
    prev = c;
  }
  if (prev == '/' || prev == '-' || parts < 2 || !digit || !letter) return {};
  s.foldCase();
  UErrorCode err = U_ZERO_ERROR;
  s = Nfc().normalize(s, err);
  if (U_FAILURE(err)) return {};
  return ToUtf8(FoldU(s));
}

AnalyzedText Analyzer::Analyze(std::string_view utf8) {
  AnalyzedText out;
  UErrorCode err = U_ZERO_ERROR;
  icu::UnicodeString text = Nfc().normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))),
      err);
  if (U_FAILURE(err)) return out;
  out.normalized = ToUtf8(text);

  // UTF-16 index -> UTF-8 byte offset in out.normalized.
  std::vector<size_t> off(static_cast<size_t>(text.length()) + 1, 0);
  size_t bytes = 0;
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    int32_t len = U16_LENGTH(c);
    for (int32_t k = 0; k < len; ++k) off[static_cast<size_t>(i + k)] = bytes;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += len;
  }
  off[static_cast<size_t>(text.length())] = bytes;

  icu::BreakIterator* bi = &ThreadWordBreaker();
  bi->setText(text);
  int32_t start = bi->first();
  int32_t prev_end = -1;
  uint32_t pos = 0;
  for (int32_t end = bi->next(); end != icu::BreakIterator::DONE; start = end, end = bi->next()) {
    int32_t status = bi->getRuleStatus();
    if (status < UBRK_WORD_NUMBER) continue;  // spaces, punctuation
    Token t;
    t.is_number = status < UBRK_WORD_NUMBER_LIMIT;
    const WordForms& forms = CachedForms(text.getBuffer() + start, end - start);
    t.exact = forms.exact;
    t.folded = forms.folded;
    t.begin = off[static_cast<size_t>(start)];
    t.end = off[static_cast<size_t>(end)];
    t.position = pos++;
    if (prev_end >= 0) {
      bool joined = true;
      int newlines = 0;
      for (int32_t i = prev_end; i < start; ++i) {
        UChar c = text.charAt(i);
        if (c == '\n') ++newlines;
        if (!u_isUWhiteSpace(c) || newlines > 1) {
          joined = false;
          break;
        }
      }
      t.joined_to_previous = joined;
    }
    prev_end = end;
    out.tokens.push_back(std::move(t));
  }

  // Document numbers: maximal runs of letters, digits, '/' and '-'.
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    if (!IsDocNumberChar(c)) {
      i += U16_LENGTH(c);
      continue;
    }
    int32_t j = i;
    while (j < text.length() && IsDocNumberChar(text.char32At(j))) j += U16_LENGTH(text.char32At(j));
    int32_t b = i;
    int32_t e = j;
    while (e > b && (text.charAt(e - 1) == '-' || text.charAt(e - 1) == '/')) --e;
    if (e - b >= 3 && text.indexOf(u'/', b, e - b) >= 0) {
      std::string canon = CanonicalDocNumber(ToUtf8(icu::UnicodeString(text, b, e - b)));
      if (!canon.empty()) out.doc_numbers.push_back(std::move(canon));
    }
    i = j;
  }
  return out;
}

}  // namespace kholuu::indexer
