// The in-process text layer reader. PoDoFo is used in this file only
// through the Document class below; every PoDoFo call runs inside the one
// try block of ExtractTextLayer (PdfError is not a std::exception).
#include "formats/pdf/text_layer.h"

#include <podofo/podofo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <numbers>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "formats/common/pdf_lexical.h"
#include "formats/pdf/content.h"
#include "formats/pdf/encodings.h"
#include "formats/pdf/font_program.h"
#include "formats/pdf/internal/podofo_support.h"

namespace kholuu::formats::pdf {
namespace {

using PoDoFo::PdfError;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;

// ---------------------------------------------------------------- lexer
// Tokens of content streams and CMaps (ISO 32000-1 7.2, 7.8.2).
struct Token {
  enum Kind { kEnd, kNumber, kString, kName, kKeyword, kArrayOpen, kArrayClose, kDictOpen, kDictClose };
  Kind kind = kEnd;
  double number = 0;
  std::string text;  // decoded string bytes, name without '/', keyword
};

class Lexer {
 public:
  explicit Lexer(std::string_view data) : b_(data) {}

  Token Next() {
    Token t;
    SkipSpace();
    if (i_ >= b_.size()) return t;
    const char c = b_[i_];
    if (c == '(') {
      int depth = 0;
      const size_t s = i_;
      for (; i_ < b_.size(); ++i_) {
        if (b_[i_] == '\\') {
          ++i_;
          continue;
        }
        if (b_[i_] == '(') {
          ++depth;
        } else if (b_[i_] == ')' && --depth == 0) {
          ++i_;
          break;
        }
      }
      const size_t end = depth == 0 ? i_ - 1 : b_.size();  // an unterminated string runs to the end
      t.kind = Token::kString;
      t.text = DecodeLiteralString(b_.substr(s + 1, end > s + 1 ? end - s - 1 : 0));
      return t;
    }
    if (c == '<' && i_ + 1 < b_.size() && b_[i_ + 1] == '<') {
      i_ += 2;
      t.kind = Token::kDictOpen;
      return t;
    }
    if (c == '>' && i_ + 1 < b_.size() && b_[i_ + 1] == '>') {
      i_ += 2;
      t.kind = Token::kDictClose;
      return t;
    }
    if (c == '<') {
      const size_t s = ++i_;
      while (i_ < b_.size() && b_[i_] != '>') ++i_;
      t.kind = Token::kString;
      t.text = DecodeHexString(b_.substr(s, i_ - s));
      if (i_ < b_.size()) ++i_;
      return t;
    }
    if (c == '[' || c == ']') {
      ++i_;
      t.kind = c == '[' ? Token::kArrayOpen : Token::kArrayClose;
      return t;
    }
    if (c == '/') {
      const size_t s = ++i_;
      while (i_ < b_.size() && !IsPdfWhiteSpace(b_[i_]) && !IsPdfDelimiter(b_[i_])) ++i_;
      t.kind = Token::kName;
      t.text = std::string(b_.substr(s, i_ - s));
      return t;
    }
    const size_t s = i_;
    while (i_ < b_.size() && !IsPdfWhiteSpace(b_[i_]) && !IsPdfDelimiter(b_[i_])) ++i_;
    if (i_ == s) {  // a stray delimiter: ')', '>', '{', '}'
      ++i_;
      t.kind = Token::kKeyword;
      t.text = std::string(1, c);
      return t;
    }
    const std::string_view tok = b_.substr(s, i_ - s);
    if (IsNumber(tok)) {
      t.kind = Token::kNumber;
      t.number = ParseNumber(tok);
      return t;
    }
    t.kind = Token::kKeyword;
    t.text = std::string(tok);
    return t;
  }

  // Skips inline image data after ID: up to the first "EI" between
  // white-space (ISO 32000-1 8.9.7).
  void SkipInlineImageData() {
    if (i_ < b_.size() && IsPdfWhiteSpace(b_[i_])) ++i_;
    while (i_ + 2 <= b_.size()) {
      if (b_[i_] == 'E' && i_ + 1 < b_.size() && b_[i_ + 1] == 'I' && i_ > 0 && IsPdfWhiteSpace(b_[i_ - 1]) &&
          (i_ + 2 == b_.size() || IsPdfWhiteSpace(b_[i_ + 2]))) {
        i_ += 2;
        return;
      }
      ++i_;
    }
    i_ = b_.size();
  }

 private:
  void SkipSpace() {
    while (i_ < b_.size()) {
      if (IsPdfWhiteSpace(b_[i_])) {
        ++i_;
      } else if (b_[i_] == '%') {
        while (i_ < b_.size() && b_[i_] != '\n' && b_[i_] != '\r') ++i_;
      } else {
        break;
      }
    }
  }
  static bool IsNumber(std::string_view t) {
    size_t k = (t[0] == '+' || t[0] == '-') ? 1 : 0;
    bool digit = false, dot = false;
    for (; k < t.size(); ++k) {
      if (t[k] >= '0' && t[k] <= '9') {
        digit = true;
      } else if (t[k] == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digit;
  }
  static double ParseNumber(std::string_view t) {
    double v = 0, scale = 1;
    bool neg = false, frac = false;
    for (char ch : t) {
      if (ch == '-') {
        neg = true;
      } else if (ch == '.') {
        frac = true;
      } else if (ch >= '0' && ch <= '9') {
        if (frac) {
          scale /= 10;
          v += (ch - '0') * scale;
        } else {
          v = v * 10 + (ch - '0');
        }
      }
    }
    if (!std::isfinite(v)) v = 0;
    return neg ? -v : v;
  }

  std::string_view b_;
  size_t i_ = 0;
};

// ---------------------------------------------------------------- CMap helpers
uint32_t BytesToCode(std::string_view s) {
  uint32_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

std::u16string ToUnits(std::string_view be) {
  std::u16string u;
  for (size_t i = 0; i + 1 < be.size(); i += 2) {
    u += static_cast<char16_t>((static_cast<uint8_t>(be[i]) << 8) | static_cast<uint8_t>(be[i + 1]));
  }
  return u;
}

std::optional<std::string> UnitsToUtf8(const std::u16string& u) {
  std::string out;
  for (size_t i = 0; i < u.size(); ++i) {
    uint32_t c = u[i];
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 >= u.size() || u[i + 1] < 0xDC00 || u[i + 1] > 0xDFFF) return std::nullopt;
      c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<uint32_t>(u[i + 1]) - 0xDC00);
      ++i;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      return std::nullopt;
    }
    AppendUtf8(c, &out);
  }
  return out;
}

// A destination string: UTF-16BE; a single byte is taken as a code point
// (some producers write <20>).
std::optional<std::string> Destination(std::string_view bytes) {
  if (bytes.size() == 1) {
    std::string out;
    AppendUtf8(static_cast<uint8_t>(bytes[0]), &out);
    return out;
  }
  return Utf16BeToUtf8(bytes);
}

}  // namespace

std::optional<std::string> Utf16BeToUtf8(std::string_view bytes) {
  if (bytes.size() % 2 != 0) return std::nullopt;
  return UnitsToUtf8(ToUnits(bytes));
}

Result<ToUnicodeCMap> ToUnicodeCMap::Parse(std::string_view data) {
  constexpr size_t kMaxEntries = size_t{1} << 20;
  ToUnicodeCMap m;
  Lexer lx(data);
  bool any_block = false;
  size_t entries = 0;
  auto bad = [](const std::string& what) { return DataLossError("ToUnicode CMap: " + what); };
  for (Token t = lx.Next(); t.kind != Token::kEnd; t = lx.Next()) {
    if (t.kind != Token::kKeyword) continue;
    if (t.text == "begincodespacerange") {
      for (Token lo = lx.Next(); !(lo.kind == Token::kKeyword && lo.text == "endcodespacerange"); lo = lx.Next()) {
        Token hi = lx.Next();
        if (lo.kind != Token::kString || hi.kind != Token::kString || lo.text.empty() ||
            lo.text.size() != hi.text.size() || lo.text.size() > 4) {
          return bad("malformed codespace range");
        }
        if (++entries > kMaxEntries) return ResourceExhaustedError("ToUnicode CMap: too many entries");
        Codespace c{static_cast<int>(lo.text.size()), {}, {}};
        for (size_t k = 0; k < lo.text.size(); ++k) {
          c.lo[k] = static_cast<uint8_t>(lo.text[k]);
          c.hi[k] = static_cast<uint8_t>(hi.text[k]);
        }
        m.codespace_.push_back(c);
      }
    } else if (t.text == "beginbfchar") {
      any_block = true;
      for (Token src = lx.Next(); !(src.kind == Token::kKeyword && src.text == "endbfchar"); src = lx.Next()) {
        Token dst = lx.Next();
        if (src.kind != Token::kString || src.text.empty() || src.text.size() > 4) return bad("malformed bfchar");
        if (++entries > kMaxEntries) return ResourceExhaustedError("ToUnicode CMap: too many entries");
        std::optional<std::string> v;
        if (dst.kind == Token::kString) v = Destination(dst.text);
        else if (dst.kind == Token::kName) v = GlyphNameToUtf8(dst.text);  // allowed by 9.10.3 for bfchar
        else return bad("malformed bfchar");
        if (!v || v->empty()) continue;  // unmapped: the code stays without text
        m.single_[(uint64_t{src.text.size()} << 32) | BytesToCode(src.text)] = std::move(*v);
      }
    } else if (t.text == "beginbfrange") {
      any_block = true;
      for (Token lo = lx.Next(); !(lo.kind == Token::kKeyword && lo.text == "endbfrange"); lo = lx.Next()) {
        Token hi = lx.Next();
        Token dst = lx.Next();
        if (lo.kind != Token::kString || hi.kind != Token::kString || lo.text.empty() || lo.text.size() > 4 ||
            hi.text.size() != lo.text.size()) {
          return bad("malformed bfrange");
        }
        if (++entries > kMaxEntries) return ResourceExhaustedError("ToUnicode CMap: too many entries");
        Range r;
        r.lo = BytesToCode(lo.text);
        r.hi = BytesToCode(hi.text);
        r.bytes = static_cast<int>(lo.text.size());
        if (r.hi < r.lo) continue;
        if (dst.kind == Token::kString) {
          if (dst.text.size() == 1) dst.text.insert(dst.text.begin(), '\0');
          if (dst.text.size() % 2 != 0 || dst.text.empty()) continue;
          r.first = ToUnits(dst.text);
        } else if (dst.kind == Token::kArrayOpen) {
          for (Token e = lx.Next(); e.kind != Token::kArrayClose; e = lx.Next()) {
            if (e.kind != Token::kString) return bad("malformed bfrange array");
            if (++entries > kMaxEntries) return ResourceExhaustedError("ToUnicode CMap: too many entries");
            std::optional<std::string> v = Destination(e.text);
            r.values.push_back(v ? *v : std::string());
          }
          if (r.values.empty()) continue;
          r.hi = std::min<uint32_t>(r.hi, r.lo + static_cast<uint32_t>(r.values.size()) - 1);
        } else {
          return bad("malformed bfrange destination");
        }
        m.ranges_.push_back(std::move(r));
      }
    }
  }
  if (!any_block) return bad("no bfchar or bfrange block");
  std::stable_sort(m.ranges_.begin(), m.ranges_.end(),
                   [](const Range& a, const Range& b) { return a.bytes != b.bytes ? a.bytes < b.bytes : a.lo < b.lo; });
  return m;
}

int ToUnicodeCMap::CodeLength(std::string_view codes) const {
  for (const Codespace& c : codespace_) {
    if (codes.size() < static_cast<size_t>(c.bytes)) continue;
    bool in = true;
    for (int k = 0; k < c.bytes && in; ++k) {
      const uint8_t v = static_cast<uint8_t>(codes[static_cast<size_t>(k)]);
      in = v >= c.lo[k] && v <= c.hi[k];
    }
    if (in) return c.bytes;
  }
  return 0;
}

std::optional<std::string> ToUnicodeCMap::Lookup(uint32_t code, int bytes) const {
  if (auto it = single_.find((uint64_t{static_cast<uint32_t>(bytes)} << 32) | code); it != single_.end()) {
    return it->second;
  }
  // The last range (by lo) that starts at or before the code; overlapping
  // ranges are rare, so a few predecessors are tried as well.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), std::make_pair(bytes, code),
                             [](const std::pair<int, uint32_t>& k, const Range& r) {
                               return k.first != r.bytes ? k.first < r.bytes : k.second < r.lo;
                             });
  for (int tries = 0; it != ranges_.begin() && tries < 8; ++tries) {
    --it;
    if (it->bytes != bytes) break;
    if (code < it->lo || code > it->hi) continue;
    const uint32_t off = code - it->lo;
    if (!it->values.empty()) {
      if (it->values[off].empty()) return std::nullopt;
      return it->values[off];
    }
    std::u16string u = it->first;
    const uint32_t last = u.back() + off;
    if (last > 0xFFFF) return std::nullopt;
    u.back() = static_cast<char16_t>(last);
    return UnitsToUtf8(u);
  }
  return std::nullopt;
}

namespace {

// ---------------------------------------------------------------- geometry
struct Matrix {
  double a = 1, b = 0, c = 0, d = 1, e = 0, f = 0;
  // this × m (apply this first, then m), ISO 32000-1 8.3.4.
  Matrix Then(const Matrix& m) const {
    return {a * m.a + b * m.c,       a * m.b + b * m.d,       c * m.a + d * m.c,
            c * m.b + d * m.d,       e * m.a + f * m.c + m.e, e * m.b + f * m.d + m.f};
  }
};

bool Finite(const Matrix& m) {
  return std::isfinite(m.a) && std::isfinite(m.b) && std::isfinite(m.c) && std::isfinite(m.d) &&
         std::isfinite(m.e) && std::isfinite(m.f);
}

// ---------------------------------------------------------------- fonts
// What the interpreter needs of a font: code splitting, code -> text,
// code -> advance.
struct Font {
  std::string unusable;  // non-empty: the font cannot be read (why)
  bool composite = false;
  std::optional<ToUnicodeCMap> to_unicode;
  std::array<std::string, 256> simple_text;  // simple fonts, from the encoding
  std::array<double, 256> widths{};          // simple fonts, glyph space units
  std::array<bool, 256> has_width{};
  bool widths_known = false;                 // simple fonts: /Widths present
  std::vector<std::pair<std::pair<uint32_t, uint32_t>, double>> cid_widths;  // (first, last) -> w
  double default_width = 1000;               // composite /DW
  double width_scale = 0.001;                // glyph space -> text space (Type3: FontMatrix)

  // The text of one code, if mapped.
  std::optional<std::string> Text(uint32_t code, int bytes) const {
    if (to_unicode) {
      if (auto t = to_unicode->Lookup(code, bytes)) return t;
    }
    if (!composite && bytes == 1 && !simple_text[code].empty()) return simple_text[code];
    return std::nullopt;
  }
  // Advance in text space units per unit of font size; nullopt if unknown.
  std::optional<double> Width(uint32_t code) const {
    if (composite) {
      for (const auto& [range, w] : cid_widths) {
        if (code >= range.first && code <= range.second) return w * width_scale;
      }
      return default_width * width_scale;
    }
    if (code < 256 && has_width[code]) return widths[code] * width_scale;
    return std::nullopt;
  }
};

// ---------------------------------------------------------------- output
// One glyph as placed on the page.
struct Glyph {
  std::string text;
  double x = 0, base = 0, xend = 0;  // along and across its direction, device space
  double size = 0;                   // font size in device space
  int angle = 0;                     // direction in whole degrees
  bool blank = false;                // a space character
  bool width_known = true;
  uint32_t flow = 0;                 // glyphs of one flow follow each other without repositioning
  size_t seq = 0;                    // content order
};

bool IsCombiningMark(std::string_view t) {
  // U+0300..U+036F (UTF-8 CC 80 .. CD AF).
  if (t.size() < 2) return false;
  const auto b0 = static_cast<uint8_t>(t[0]), b1 = static_cast<uint8_t>(t[1]);
  return (b0 == 0xCC && b1 >= 0x80) || (b0 == 0xCD && b1 <= 0xAF);
}

// Rebuilds lines and words from the glyphs of a page the way pdftotext
// does: glyphs on one baseline form a line in the order of their position
// along it (not their order in the content stream: producers draw
// diacritics or corrections in later passes); a gap wider than kWordGap of
// the font size, or a space character, separates words.
class PageSink {
 public:
  PageSink(double x0, double y0, double x1, double y1, size_t max_bytes)
      : x0_(std::min(x0, x1)), y0_(std::min(y0, y1)), x1_(std::max(x0, x1)), y1_(std::max(y0, y1)),
        max_bytes_(max_bytes) {}

  // One glyph: its text, origin, unit baseline direction, device font size
  // and end point. Returns false when the page holds too much text.
  bool Add(const std::string& text, double ox, double oy, double dx, double dy, double size, double ex, double ey,
           bool width_known, uint32_t flow) {
    // pdftotext drops glyphs outside the page (its crop box).
    const double m = std::max(size, 1.0);
    if (ox < x0_ - m || ox > x1_ + m || oy < y0_ - m || oy > y1_ + m) return true;
    Glyph g;
    g.angle = static_cast<int>(std::lround(std::atan2(dy, dx) * 180 / std::numbers::pi));
    if (g.angle == -180) g.angle = 180;
    // Coordinates in the glyph's own direction: x along it, base across.
    const double ux = std::cos(g.angle * std::numbers::pi / 180), uy = std::sin(g.angle * std::numbers::pi / 180);
    g.x = ox * ux + oy * uy;
    g.xend = ex * ux + ey * uy;
    g.base = ux * oy - uy * ox;
    g.size = size;
    g.blank = text == " " || text == "\t" || text == "\xC2\xA0";
    g.width_known = width_known;
    g.flow = flow;
    g.seq = glyphs_.size();
    bytes_ += text.size() + 8;
    if (bytes_ > max_bytes_) return false;
    // A combining mark belongs to the glyph before it when it follows it in
    // one flow or is drawn over it; anywhere else (a later pass of marks, a
    // mark without a base) pdftotext's placement is not certain: declined.
    if (IsCombiningMark(text)) {
      const Glyph* base = glyphs_.empty() ? nullptr : &glyphs_.back();
      const double tol = 0.1 * std::max(size, 1.0);
      if (base == nullptr || base->blank || base->angle != g.angle ||
          std::fabs(base->base - g.base) >= 0.5 * std::max(size, 1.0) ||
          (base->flow != flow && (g.x < std::min(base->x, base->xend) - tol ||
                                  g.x > std::max(base->x, base->xend) + tol))) {
        if (problem_.empty()) problem_ = "a combining mark is not drawn on the glyph before it";
        return true;
      }
      glyphs_.back().text += text;
      return true;
    }
    g.text = text;
    glyphs_.push_back(std::move(g));
    return true;
  }

  // The page's text, lines ending in '\n'; *declined gets why the page
  // cannot be read with certainty (a gap next to a glyph of unknown width
  // had to be measured, a misplaced combining mark), else stays empty.
  std::string Finish(std::string* declined) {
    bool unknown_gap = false;
    std::stable_sort(glyphs_.begin(), glyphs_.end(), [](const Glyph& a, const Glyph& b) {
      if (a.angle != b.angle) return a.angle < b.angle;
      return a.base > b.base;
    });
    std::string out;
    size_t i = 0;
    std::vector<const Glyph*> line;
    while (i < glyphs_.size()) {
      // One line: the glyphs of one direction within half a font size of
      // the first (highest) baseline.
      line.clear();
      const Glyph& first = glyphs_[i];
      double tol = 0.5 * std::max(first.size, 1e-3);
      while (i < glyphs_.size() && glyphs_[i].angle == first.angle && first.base - glyphs_[i].base <= tol) {
        tol = std::max(tol, 0.5 * glyphs_[i].size);
        line.push_back(&glyphs_[i++]);
      }
      std::stable_sort(line.begin(), line.end(), [](const Glyph* a, const Glyph* b) { return a->x < b->x; });
      std::string text;
      const Glyph* prev = nullptr;
      bool space = false;
      for (const Glyph* g : line) {
        if (g->blank) {
          space = prev != nullptr;
          continue;
        }
        if (prev != nullptr) {
          const double ref = std::max(std::max(g->size, prev->size), 1e-6);
          // A glyph drawn again at (nearly) the same place: fake bold.
          if (g->text == prev->text && std::fabs(g->x - prev->x) < 0.1 * ref) continue;
          const double gap = g->x - prev->xend;
          const bool contiguous = g->flow == prev->flow && g->seq == prev->seq + 1;
          if (!prev->width_known && !contiguous && !space) unknown_gap = true;
          if (space || gap > kWordGap * ref) text += ' ';
        }
        text += g->text;
        prev = g;
        space = false;
      }
      if (!text.empty()) out += text + "\n";
    }
    *declined = !problem_.empty() ? problem_
                : unknown_gap     ? "a font without glyph widths is placed by position"
                                  : "";
    return out;
  }

 private:
  // A gap of more than this fraction of the font size separates words
  // (poppler's minWordBreakSpace is 0.1; 0.15 is kinder to tight kerning).
  static constexpr double kWordGap = 0.15;

  double x0_, y0_, x1_, y1_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::string problem_;  // the first reason to decline, from Add
  std::vector<Glyph> glyphs_;
};

// ---------------------------------------------------------------- document
class Declined {
 public:
  explicit Declined(std::string why) : why_(std::move(why)) {}
  const std::string& why() const { return why_; }

 private:
  std::string why_;
};

class Document {
 public:
  Document(std::string_view bytes, const TextLayerLimits& limits) : bytes_(bytes), limits_(limits) {}

  void Run(TextLayer* out) {
    objs_.SetAutoDelete(true);
    parser_ = std::make_unique<PoDoFo::PdfParser>(&objs_);
    parser_->ParseFile(bytes_.data(), static_cast<long>(bytes_.size()), /*bLoadOnDemand=*/true);
    const PdfObject* root = Get(Get(parser_->GetTrailer(), "Root"), "Pages");
    if (root == nullptr) throw Declined("the document has no page tree");
    // Depth-first in document order; inherited attributes travel along.
    struct Node {
      const PdfObject* node;
      int depth;
    };
    std::vector<Node> stack{{root, 0}};
    std::unordered_set<const PdfObject*> seen;
    while (!stack.empty()) {
      const Node n = stack.back();
      stack.pop_back();
      if (n.node == nullptr || !n.node->IsDictionary()) continue;
      // poppler and PoDoFo walk broken trees differently: decline them.
      if (!seen.insert(n.node).second) throw Declined("the page tree is circular");
      if (n.depth > 64) throw Declined("the page tree is too deep");
      const PdfObject* kids = Get(n.node, "Kids");
      if (kids != nullptr && kids->IsArray()) {
        const auto& arr = kids->GetArray();
        for (size_t k = arr.size(); k-- > 0;) stack.push_back({Resolve(&arr[k]), n.depth + 1});
        continue;
      }
      if (++out->page_count > 100000) throw Declined("more than 100000 pages");
      if (out->pages.size() < limits_.max_pages) out->pages.push_back(ReadPage(n.node));
    }
    if (out->page_count == 0) throw Declined("the page tree has no pages");
    if (Number(Get(root, "Count")).value_or(-1) != out->page_count) {
      throw Declined("the page tree's Count differs from its pages");
    }
    // Form fields whose appearances a viewer is to make: pdftotext makes
    // them, this reader does not.
    if (const PdfObject* acro = Get(Get(parser_->GetTrailer(), "Root"), "AcroForm")) {
      const PdfObject* na = Get(acro, "NeedAppearances");
      if (na != nullptr && na->IsBool() && na->GetBool()) throw Declined("the form asks for new appearances");
    }
  }

 private:
  const PdfObject* Resolve(const PdfObject* o) {
    for (int hops = 0; o != nullptr && o->IsReference() && hops < 16; ++hops) {
      o = objs_.GetObject(o->GetReference());
    }
    return (o != nullptr && o->IsReference()) ? nullptr : o;
  }
  const PdfObject* Get(const PdfObject* dict, const char* key) {
    dict = Resolve(dict);
    if (dict == nullptr || !dict->IsDictionary()) return nullptr;
    return Resolve(dict->GetDictionary().GetKey(PdfName(key)));
  }
  const PdfObject* Get(const PdfObject* dict, const std::string& key) { return Get(dict, key.c_str()); }
  std::string NameOf(const PdfObject* o) { return (o != nullptr && o->IsName()) ? o->GetName().GetName() : ""; }
  std::string GetName(const PdfObject* dict, const char* key) { return NameOf(Get(dict, key)); }
  static std::optional<double> Number(const PdfObject* o) {
    if (o == nullptr) return std::nullopt;
    if (o->IsNumber()) return static_cast<double>(o->GetNumber());
    if (o->IsReal()) return o->GetReal();
    return std::nullopt;
  }
  const PdfObject* Inherited(const PdfObject* page, const char* key) {
    for (int i = 0; page != nullptr && i < 64; ++i) {
      if (const PdfObject* v = Get(page, key)) return v;
      page = Get(page, "Parent");
    }
    return nullptr;
  }

  // Decoded stream data, bounded; throws Declined when it cannot be had.
  std::string Decode(const PdfObject* o) {
    std::string out;
    if (o == nullptr || !o->HasStream()) throw Declined("a content stream is missing");
    const size_t left = limits_.max_total_decoded_bytes > decoded_ ? limits_.max_total_decoded_bytes - decoded_ : 0;
    internal::CappedOutput sink(&out, std::min(limits_.max_stream_decoded_bytes, left));
    try {
      o->GetStream()->GetFilteredCopy(&sink);
    } catch (const PdfError&) {
      decoded_ += out.size();
      throw Declined(sink.overflow() ? "a stream decodes to more bytes than allowed" : "a stream cannot be decoded");
    }
    decoded_ += out.size();
    return out;
  }

  TextLayerPage ReadPage(const PdfObject* page) {
    TextLayerPage p;
    double box[4] = {0, 0, 612, 792};
    const PdfObject* b = Inherited(page, "CropBox");
    if (b == nullptr || !b->IsArray() || b->GetArray().size() != 4) b = Inherited(page, "MediaBox");
    if (b != nullptr && b->IsArray() && b->GetArray().size() == 4) {
      for (size_t i = 0; i < 4; ++i) box[i] = Number(Resolve(&b->GetArray()[i])).value_or(box[i]);
    }
    PageSink sink(box[0], box[1], box[2], box[3], limits_.max_page_text_bytes);
    try {
      std::string data;
      const PdfObject* contents = Get(page, "Contents");
      if (contents != nullptr && contents->IsArray()) {
        for (const PdfObject& c : contents->GetArray()) {
          data += Decode(Resolve(&c));
          data += '\n';
        }
      } else if (contents != nullptr) {
        data = Decode(contents);
      }
      operators_ = 0;
      form_stack_.clear();
      Interpret(data, Inherited(page, "Resources"), TextState{}, 0, &sink);
      Annotations(page, &sink);
      std::string why;
      p.text = sink.Finish(&why);
      if (!why.empty()) throw Declined(why);
    } catch (const Declined& d) {
      p.text.clear();
      p.declined = d.why();
    } catch (const PdfError& e) {
      const char* m = PdfError::ErrorMessage(e.GetError());
      p.text.clear();
      p.declined = std::string("PoDoFo cannot read the page: ") + (m != nullptr ? m : "error");
    }
    return p;
  }

  // The font of resource `name`, loaded once per font dictionary.
  const Font& FontOf(const PdfObject* resources, const std::string& name) {
    const PdfObject* f = Get(Get(resources, "Font"), name);
    if (f == nullptr || !f->IsDictionary()) throw Declined("the font /" + name + " is not in the resources");
    auto it = fonts_.find(f);
    if (it != fonts_.end()) return *it->second;
    auto font = std::make_unique<Font>();
    LoadFont(f, font.get());
    return *fonts_.emplace(f, std::move(font)).first->second;
  }

  void LoadFont(const PdfObject* f, Font* font) {
    const std::string subtype = GetName(f, "Subtype");
    if (const PdfObject* tu = Get(f, "ToUnicode"); tu != nullptr && tu->HasStream()) {
      auto cmap = ToUnicodeCMap::Parse(Decode(tu));
      if (cmap.ok()) font->to_unicode = std::move(*cmap);
    }
    if (subtype == "Type0") {
      font->composite = true;
      const std::string enc = GetName(f, "Encoding");
      if (enc == "Identity-V") {
        font->unusable = "vertical writing (Identity-V)";
      } else if (enc != "Identity-H") {
        font->unusable = "the CMap " + (enc.empty() ? std::string("(embedded)") : enc) + " is not read";
      } else if (!font->to_unicode) {
        font->unusable = "a composite font without a ToUnicode map";
      }
      const PdfObject* desc = Get(f, "DescendantFonts");
      const PdfObject* cid = (desc != nullptr && desc->IsArray() && !desc->GetArray().empty())
                                 ? Resolve(&desc->GetArray()[0])
                                 : nullptr;
      font->default_width = Number(Get(cid, "DW")).value_or(1000);
      const PdfObject* w = Get(cid, "W");
      if (w != nullptr && w->IsArray()) {
        const auto& a = w->GetArray();
        for (size_t i = 0; i + 1 < a.size() && font->cid_widths.size() < 65536;) {
          auto first = Number(Resolve(&a[i]));
          const PdfObject* next = Resolve(&a[i + 1]);
          if (!first || *first < 0) break;
          const auto c0 = static_cast<uint32_t>(std::min(*first, 4294967295.0));
          if (next != nullptr && next->IsArray()) {
            uint32_t c = c0;
            for (const PdfObject& e : next->GetArray()) {
              if (auto v = Number(Resolve(&e))) font->cid_widths.push_back({{c, c}, *v});
              ++c;
            }
            i += 2;
          } else if (i + 2 < a.size()) {
            auto last = Number(next);
            auto v = Number(Resolve(&a[i + 2]));
            if (last && v && *last >= *first) {
              font->cid_widths.push_back({{c0, static_cast<uint32_t>(std::min(*last, 4294967295.0))}, *v});
            }
            i += 3;
          } else {
            break;
          }
        }
      }
      return;
    }
    if (subtype != "Type1" && subtype != "MMType1" && subtype != "TrueType" && subtype != "Type3") {
      font->unusable = "a font of subtype " + (subtype.empty() ? std::string("(none)") : subtype);
      return;
    }
    if (subtype == "Type3") {
      const PdfObject* fm = Get(f, "FontMatrix");
      if (fm != nullptr && fm->IsArray() && fm->GetArray().size() == 6) {
        font->width_scale = Number(Resolve(&fm->GetArray()[0])).value_or(0.001);
      }
    }
    // Widths (ISO 32000-1 9.6.2.1); MissingWidth for codes outside them.
    const PdfObject* desc = Get(f, "FontDescriptor");
    const PdfObject* widths = Get(f, "Widths");
    if (widths != nullptr && widths->IsArray()) {
      font->widths_known = true;
      const auto missing = Number(Get(desc, "MissingWidth")).value_or(0);
      font->widths.fill(missing);
      font->has_width.fill(true);
      const double first = Number(Get(f, "FirstChar")).value_or(0);
      const auto& a = widths->GetArray();
      for (size_t i = 0; i < a.size(); ++i) {
        const double code = first + static_cast<double>(i);
        if (code < 0 || code > 255) continue;
        if (auto v = Number(Resolve(&a[i]))) font->widths[static_cast<size_t>(code)] = *v;
      }
    }
    // Encoding (ISO 32000-1 9.6.6): base encoding, then Differences.
    const PdfObject* enc = Get(f, "Encoding");
    std::string base_name = NameOf(enc);
    if (enc != nullptr && enc->IsDictionary()) base_name = GetName(enc, "BaseEncoding");
    BaseEncoding base = BaseEncodingByName(base_name);
    const int flags = static_cast<int>(Number(Get(desc, "Flags")).value_or(0));
    const bool symbolic = (flags & 4) != 0 && (flags & 32) == 0;
    const std::string base_font = GetName(f, "BaseFont");
    std::map<int, std::string> builtin;  // an embedded Type 1 / CFF program's own encoding
    if (base == BaseEncoding::kNone && subtype != "Type3") {
      const PdfObject* program = Get(desc, "FontFile");
      if (program == nullptr) program = Get(desc, "FontFile3");
      if (program != nullptr && subtype != "TrueType") {
        auto fp = ParseFontProgram(Decode(program));
        if (fp.ok() && fp->standard_encoding) base = BaseEncoding::kStandard;
        else if (fp.ok()) builtin = fp->encoding;
      } else if (subtype == "TrueType") {
        // A non-symbolic TrueType font without an encoding is read as
        // WinAnsi by poppler, embedded or not; legacy Vietnamese fonts
        // (TCVN3 .VnTime) come this way, and their repair (ADR 0059)
        // expects those Latin-1 look-alikes. Symbolic ones are declined.
        if (!symbolic) base = BaseEncoding::kWinAnsi;
      } else if (program == nullptr && Get(desc, "FontFile2") == nullptr && !symbolic &&
                 base_font.find("Symbol") == std::string::npos && base_font.find("Dingbats") == std::string::npos) {
        // A non-embedded, non-symbolic font: the standard encoding
        // (the Latin standard 14 fonts), as viewers do.
        base = BaseEncoding::kStandard;
      }
    }
    for (int code = 0; code < 256; ++code) {
      if (auto b = builtin.find(code); b != builtin.end()) {
        font->simple_text[static_cast<size_t>(code)] = GlyphNameToUtf8(b->second);
      } else if (uint32_t u = BaseEncodingUnicode(base, static_cast<uint8_t>(code)); u != 0) {
        AppendUtf8(u, &font->simple_text[static_cast<size_t>(code)]);
      }
    }
    const PdfObject* diff = Get(enc, "Differences");
    if (diff != nullptr && diff->IsArray()) {
      long code = -1;
      for (const PdfObject& e : diff->GetArray()) {
        const PdfObject* v = Resolve(&e);
        if (v == nullptr) continue;
        if (v->IsNumber()) {
          code = v->GetNumber();
        } else if (v->IsName() && code >= 0 && code < 256) {
          font->simple_text[static_cast<size_t>(code)] = GlyphNameToUtf8(v->GetName().GetName());
          ++code;
        }
      }
    }
  }

  // ------------------------------------------------------------ interpreter
  struct Operand {
    Token::Kind kind = Token::kEnd;
    double number = 0;
    std::string text;
    std::vector<Operand> items;  // arrays
    bool actual_text = false;    // a dictionary with an ActualText entry
  };

  struct TextState {
    Matrix ctm;
    double char_space = 0, word_space = 0, scale = 1, leading = 0, size = 0, rise = 0;
    const Font* font = nullptr;
    std::string font_name;
  };

  // Reads one operand that starts with token `t` (arrays and dictionaries nest).
  Operand ReadOperand(Lexer& lx, Token t, int depth) {
    Operand o;
    o.kind = t.kind;
    o.number = t.number;
    o.text = std::move(t.text);
    if (t.kind == Token::kArrayOpen || t.kind == Token::kDictOpen) {
      if (depth > 32) throw Declined("a content stream nests arrays or dictionaries too deeply");
      const Token::Kind close = t.kind == Token::kArrayOpen ? Token::kArrayClose : Token::kDictClose;
      for (Token e = lx.Next(); e.kind != close; e = lx.Next()) {
        if (e.kind == Token::kEnd) throw Declined("a content stream ends inside an array or dictionary");
        if (e.kind == Token::kKeyword) throw Declined("an operator inside an array or dictionary");
        if (t.kind == Token::kDictOpen && e.kind == Token::kName && e.text == "ActualText") o.actual_text = true;
        Operand inner = ReadOperand(lx, std::move(e), depth + 1);
        if (inner.actual_text) o.actual_text = true;
        if (o.items.size() < (size_t{1} << 20)) o.items.push_back(std::move(inner));
      }
    }
    return o;
  }

  // Runs a content stream; `initial` is the graphics state it starts with
  // (a form inherits its caller's, ISO 32000-1 8.10.1).
  void Interpret(std::string_view data, const PdfObject* resources, const TextState& initial, int depth,
                 PageSink* sink) {
    Lexer lx(data);
    std::vector<Operand> ops;
    std::vector<TextState> saved;
    TextState gs = initial;
    Matrix tm, tlm;
    bool moved = true;  // the text position was set since the last glyph
    auto num = [&](size_t i) {
      if (ops.size() < i + 1) return 0.0;
      const Operand& o = ops[ops.size() - 1 - i];
      return o.kind == Token::kNumber ? o.number : 0.0;
    };
    auto need = [&](size_t n, const char* op) {
      if (ops.size() < n) throw Declined(std::string("the operator ") + op + " lacks operands");
    };
    auto next_line = [&](double tx, double ty) {
      tlm = Matrix{1, 0, 0, 1, tx, ty}.Then(tlm);
      tm = tlm;
      moved = true;
    };
    auto show = [&](const std::string& s) {
      if (gs.font == nullptr) throw Declined("text is shown without a font");
      const Font& f = *gs.font;
      if (!f.unusable.empty()) throw Declined("the font /" + gs.font_name + ": " + f.unusable);
      size_t i = 0;
      while (i < s.size()) {
        int len = 1;
        if (f.composite) {
          len = f.to_unicode && f.to_unicode->has_codespace() ? f.to_unicode->CodeLength(s.substr(i)) : 2;
          if (len == 0) len = 2;  // Identity-H codes are two bytes
          if (i + static_cast<size_t>(len) > s.size()) throw Declined("a string ends inside a character code");
        }
        const uint32_t code = BytesToCode(std::string_view(s).substr(i, static_cast<size_t>(len)));
        i += static_cast<size_t>(len);
        std::optional<std::string> text = f.Text(code, len);
        if (!text || text->empty()) {
          throw Declined("the font /" + gs.font_name + " has no Unicode mapping for code " + std::to_string(code));
        }
        const std::optional<double> w = f.Width(code);
        const Matrix trm = Matrix{gs.size * gs.scale, 0, 0, gs.size, 0, gs.rise}.Then(tm).Then(gs.ctm);
        const double xlen = std::hypot(trm.a, trm.b);
        const double ysize = std::fabs(trm.a * trm.d - trm.b * trm.c) / std::max(xlen, 1e-12);
        const double dirx = xlen > 1e-12 ? trm.a / xlen : 1, diry = xlen > 1e-12 ? trm.b / xlen : 0;
        double tx = (w.value_or(0.5) * gs.size + gs.char_space) * gs.scale;
        if (len == 1 && code == 32) tx += gs.word_space * gs.scale;
        const Matrix adv = Matrix{1, 0, 0, 1, tx, 0}.Then(tm);
        const Matrix end = Matrix{1, 0, 0, 1, 0, gs.rise}.Then(adv).Then(gs.ctm);
        if (!Finite(trm) || !Finite(end)) throw Declined("a glyph position is not finite");
        if (moved) ++flow_;
        if (!sink->Add(*text, trm.e, trm.f, dirx, diry, ysize, end.e, end.f, w.has_value(), flow_)) {
          throw Declined("the page text exceeds its size limit");
        }
        moved = false;
        tm = adv;
      }
    };
    for (Token t = lx.Next(); t.kind != Token::kEnd; t = lx.Next()) {
      if (t.kind != Token::kKeyword) {
        if (ops.size() > 4096) throw Declined("a content stream has too many operands");
        ops.push_back(ReadOperand(lx, std::move(t), 0));
        continue;
      }
      if (++operators_ > limits_.max_operators_per_page) throw Declined("the page has too many operators");
      const std::string& op = t.text;
      if (op == "BT") {
        tm = tlm = Matrix{};
        moved = true;
      } else if (op == "Tf") {
        need(2, "Tf");
        const Operand& name = ops[ops.size() - 2];
        if (name.kind != Token::kName) throw Declined("Tf without a font name");
        gs.font_name = name.text;
        gs.font = &FontOf(resources, name.text);
        gs.size = num(0);
      } else if (op == "Td") {
        need(2, "Td");
        next_line(num(1), num(0));
      } else if (op == "TD") {
        need(2, "TD");
        gs.leading = -num(0);
        next_line(num(1), num(0));
      } else if (op == "Tm") {
        need(6, "Tm");
        tm = tlm = Matrix{num(5), num(4), num(3), num(2), num(1), num(0)};
        moved = true;
      } else if (op == "T*") {
        next_line(0, -gs.leading);
      } else if (op == "TL") {
        gs.leading = num(0);
      } else if (op == "Tc") {
        gs.char_space = num(0);
      } else if (op == "Tw") {
        gs.word_space = num(0);
      } else if (op == "Tz") {
        gs.scale = num(0) / 100;
      } else if (op == "Ts") {
        gs.rise = num(0);
      } else if (op == "Tj" || op == "'" || op == "\"") {
        need(op == "\"" ? 3 : 1, op.c_str());
        if (op == "\"") {
          gs.word_space = num(2);
          gs.char_space = num(1);
        }
        if (op != "Tj") next_line(0, -gs.leading);
        if (ops.back().kind != Token::kString) throw Declined(op + " without a string");
        show(ops.back().text);
      } else if (op == "TJ") {
        need(1, "TJ");
        if (ops.back().kind != Token::kArrayOpen) throw Declined("TJ without an array");
        for (const Operand& e : ops.back().items) {
          if (e.kind == Token::kString) {
            show(e.text);
          } else if (e.kind == Token::kNumber) {
            tm = Matrix{1, 0, 0, 1, -e.number / 1000 * gs.size * gs.scale, 0}.Then(tm);
          }
        }
      } else if (op == "q") {
        if (saved.size() >= 256) throw Declined("graphics states nest too deeply");
        saved.push_back(gs);
      } else if (op == "Q") {
        if (!saved.empty()) {
          gs = saved.back();
          saved.pop_back();
        }
      } else if (op == "cm") {
        need(6, "cm");
        gs.ctm = Matrix{num(5), num(4), num(3), num(2), num(1), num(0)}.Then(gs.ctm);
        moved = true;
      } else if (op == "Do") {
        need(1, "Do");
        if (ops.back().kind == Token::kName) DoXObject(resources, ops.back().text, gs, depth, sink);
        moved = true;
      } else if (op == "BDC" || op == "DP") {
        if (!ops.empty() && ops.back().actual_text) throw Declined("marked content with ActualText");
        if (!ops.empty() && ops.back().kind == Token::kName) {
          const PdfObject* props = Get(Get(resources, "Properties"), ops.back().text);
          if (props != nullptr && props->IsDictionary() && props->GetDictionary().HasKey(PdfName("ActualText"))) {
            throw Declined("marked content with ActualText");
          }
        }
      } else if (op == "BI") {
        // The inline image's dictionary runs to ID, its data to EI.
        for (Token k = lx.Next(); !(k.kind == Token::kKeyword && k.text == "ID"); k = lx.Next()) {
          if (k.kind == Token::kEnd) throw Declined("an inline image without data");
        }
        lx.SkipInlineImageData();
      }
      ops.clear();
    }
  }

  // Annotation appearances are drawn over the page, and pdftotext reads
  // their text (signature widgets, stamps, free text): the normal
  // appearance of every annotation that is not hidden (ISO 32000-1 12.5.5).
  void Annotations(const PdfObject* page, PageSink* sink) {
    const PdfObject* annots = Get(page, "Annots");
    if (annots == nullptr || !annots->IsArray()) return;
    size_t count = 0;
    for (const PdfObject& e : annots->GetArray()) {
      if (++count > 10000) throw Declined("the page has too many annotations");
      const PdfObject* a = Resolve(&e);
      const int flags = static_cast<int>(Number(Get(a, "F")).value_or(0));
      if ((flags & (2 | 32)) != 0) continue;  // Hidden, NoView
      const PdfObject* ap = Get(Get(a, "AP"), "N");
      if (ap != nullptr && !ap->HasStream() && ap->IsDictionary()) {
        const std::string state = GetName(a, "AS");
        ap = state.empty() ? nullptr : Get(ap, state);
      }
      if (ap == nullptr || !ap->HasStream()) continue;
      const PdfObject* rect = Get(a, "Rect");
      const PdfObject* bbox = Get(ap, "BBox");
      double r[4], bb[4];
      if (!Rect(rect, r) || !Rect(bbox, bb)) continue;
      // The form's BBox under its Matrix, mapped onto the annotation's Rect.
      const Matrix m = FormMatrix(ap);
      double xs[4], ys[4];
      const double cx[4] = {bb[0], bb[2], bb[0], bb[2]}, cy[4] = {bb[1], bb[1], bb[3], bb[3]};
      for (int k = 0; k < 4; ++k) {
        xs[k] = cx[k] * m.a + cy[k] * m.c + m.e;
        ys[k] = cx[k] * m.b + cy[k] * m.d + m.f;
      }
      const double tx0 = *std::min_element(xs, xs + 4), tx1 = *std::max_element(xs, xs + 4);
      const double ty0 = *std::min_element(ys, ys + 4), ty1 = *std::max_element(ys, ys + 4);
      if (tx1 - tx0 < 1e-9 || ty1 - ty0 < 1e-9) continue;
      const double sx = (r[2] - r[0]) / (tx1 - tx0), sy = (r[3] - r[1]) / (ty1 - ty0);
      const Matrix fit{sx, 0, 0, sy, r[0] - tx0 * sx, r[1] - ty0 * sy};
      TextState gs;
      gs.ctm = m.Then(fit);
      const std::string data = Decode(ap);
      form_stack_.push_back(ap);
      Interpret(data, Get(ap, "Resources"), gs, 1, sink);
      form_stack_.pop_back();
    }
  }

  // A rectangle [x0 y0 x1 y1], normalised.
  bool Rect(const PdfObject* o, double out[4]) {
    if (o == nullptr || !o->IsArray() || o->GetArray().size() != 4) return false;
    for (size_t i = 0; i < 4; ++i) {
      auto v = Number(Resolve(&o->GetArray()[i]));
      if (!v || !std::isfinite(*v)) return false;
      out[i] = *v;
    }
    if (out[0] > out[2]) std::swap(out[0], out[2]);
    if (out[1] > out[3]) std::swap(out[1], out[3]);
    return true;
  }

  Matrix FormMatrix(const PdfObject* form) {
    Matrix m;
    const PdfObject* mo = Get(form, "Matrix");
    if (mo != nullptr && mo->IsArray() && mo->GetArray().size() == 6) {
      double v[6];
      for (size_t i = 0; i < 6; ++i) v[i] = Number(Resolve(&mo->GetArray()[i])).value_or(i == 0 || i == 3 ? 1 : 0);
      m = Matrix{v[0], v[1], v[2], v[3], v[4], v[5]};
    }
    return m;
  }

  void DoXObject(const PdfObject* resources, const std::string& name, const TextState& gs, int depth,
                 PageSink* sink) {
    const PdfObject* x = Get(Get(resources, "XObject"), name);
    if (x == nullptr || GetName(x, "Subtype") != "Form") return;  // images and missing objects show no text
    if (depth + 1 > limits_.max_form_depth) throw Declined("Form XObjects nest too deeply");
    if (std::find(form_stack_.begin(), form_stack_.end(), x) != form_stack_.end()) {
      throw Declined("a Form XObject draws itself");
    }
    const Matrix m = FormMatrix(x);
    const PdfObject* own = Get(x, "Resources");
    const std::string data = Decode(x);
    form_stack_.push_back(x);
    TextState inner = gs;
    inner.ctm = m.Then(gs.ctm);
    Interpret(data, own != nullptr ? own : resources, inner, depth + 1, sink);
    form_stack_.pop_back();
  }

  std::string_view bytes_;
  const TextLayerLimits& limits_;
  PoDoFo::PdfVecObjects objs_;
  std::unique_ptr<PoDoFo::PdfParser> parser_;
  size_t decoded_ = 0;
  size_t operators_ = 0;
  uint32_t flow_ = 0;
  std::vector<const PdfObject*> form_stack_;
  std::unordered_map<const PdfObject*, std::unique_ptr<Font>> fonts_;
};

}  // namespace

bool TextLayer::confident() const {
  if (!declined.empty()) return false;
  return std::all_of(pages.begin(), pages.end(), [](const TextLayerPage& p) { return p.declined.empty(); });
}

std::string TextLayer::FirstReason() const {
  if (!declined.empty()) return declined;
  for (size_t i = 0; i < pages.size(); ++i) {
    if (!pages[i].declined.empty()) return "page " + std::to_string(i + 1) + ": " + pages[i].declined;
  }
  return {};
}

TextLayer ExtractTextLayer(std::string_view bytes, const TextLayerLimits& limits) {
  TextLayer out;
  auto decline = [&](std::string why) {
    out = TextLayer{};
    out.declined = std::move(why);
    return out;
  };
  if (internal::HasEncryptEntry(bytes)) return decline("the file is encrypted");
  internal::InitPodofo(limits.max_objects);
  try {
    Document doc(bytes, limits);
    doc.Run(&out);
  } catch (const Declined& d) {
    return decline(d.why());
  } catch (const PdfError& e) {
    const char* m = PdfError::ErrorMessage(e.GetError());
    return decline(std::string("PoDoFo cannot read the file: ") + (m != nullptr ? m : "parse error"));
  } catch (const std::bad_alloc&) {
    return decline("the file needs more memory than allowed");
  } catch (const std::exception& e) {
    return decline(std::string("the file cannot be read: ") + e.what());
  }
  return out;
}

}  // namespace kholuu::formats::pdf
