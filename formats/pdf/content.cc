#include "formats/pdf/content.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "formats/common/pdf_lexical.h"

namespace kholuu::formats::pdf {
namespace {

const std::set<std::string, std::less<>>& Operators() {
  // ISO 32000-1 Annex A, all content stream operators.
  static const std::set<std::string, std::less<>> kOps = {
      "b", "B", "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs", "d", "d0",
      "d1", "Do", "DP", "EI", "EMC", "ET", "EX", "f", "F", "f*", "G", "g", "gs", "h", "i",
      "ID", "j", "J", "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg", "ri",
      "s", "S", "SC", "sc", "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL",
      "Tm", "Tr", "Ts", "Tw", "Tz", "v", "w", "W", "W*", "y", "'", "\""};
  return kOps;
}

// The bytes of a literal string body (ISO 32000-1 7.3.4.2 escapes).
std::string DecodeLiteral(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) {
      out += c;
      continue;
    }
    char e = s[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case '\r':
        if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        break;
      case '\n': break;
      default:
        if (e >= '0' && e <= '7') {
          int v = e - '0';
          for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k) v = v * 8 + (s[++i] - '0');
          out += static_cast<char>(v & 0xFF);
        } else {
          out += e;
        }
    }
  }
  return out;
}

std::string DecodeHex(std::string_view s) {
  std::string out;
  int hi = -1;
  for (char c : s) {
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out += static_cast<char>(hi * 16 + v);
      hi = -1;
    }
  }
  if (hi >= 0) out += static_cast<char>(hi * 16);
  return out;
}

}  // namespace

std::string DecodeLiteralString(std::string_view body) { return DecodeLiteral(body); }

std::string DecodeHexString(std::string_view body) { return DecodeHex(body); }

ContentUse ScanContent(std::string_view b) {
  ContentUse u;
  std::vector<std::string> operands;  // names only (others as "")
  std::vector<std::string> texts;     // string operands since the last operator
  std::string font;                   // current font resource name (Tf)
  std::vector<std::string> font_stack;  // saved by q, restored by Q
  bool invisible = false;               // text rendering mode 3 (Tr)
  std::vector<bool> invisible_stack;
  std::string last_number;              // the previous operand, if a number
  // Colour spaces selected by name and graphics states applied, for the
  // overprint rule; saved by q, restored by Q.
  struct PaintState {
    std::string fill_cs;
    std::string stroke_cs;
    std::vector<std::string> gstates;
  };
  PaintState paint;
  std::vector<PaintState> paint_stack;
  auto note_paint = [&](bool fill, bool stroke) {
    for (int k = 0; k < 2; ++k) {
      const bool is_stroke = k == 1;
      if (!(is_stroke ? stroke : fill)) continue;
      const std::string& cs = is_stroke ? paint.stroke_cs : paint.fill_cs;
      if (cs.empty() || u.colour_uses.size() >= ContentUse::kMaxColourUses) continue;
      u.colour_uses.insert({cs, is_stroke, paint.gstates});
    }
  };
  int q = 0;
  size_t i = 0;
  const size_t n = b.size();
  while (i < n) {
    char c = b[i];
    if (IsPdfWhiteSpace(c)) { ++i; continue; }
    if (c == '%') { while (i < n && b[i] != '\n' && b[i] != '\r') ++i; continue; }
    if (c == '(') {
      int depth = 0;
      size_t s = i;
      for (; i < n; ++i) {
        if (b[i] == '\\') { ++i; continue; }
        if (b[i] == '(') ++depth;
        else if (b[i] == ')' && --depth == 0) { ++i; break; }
      }
      size_t len = i - s >= 2 ? i - s - 2 : 0;
      if (len > u.max_string_bytes) u.max_string_bytes = len;
      operands.emplace_back();
      texts.push_back(DecodeLiteral(b.substr(s + 1, len)));
      continue;
    }
    if (c == '<' && i + 1 < n && b[i + 1] == '<') { operands.emplace_back("<<"); i += 2; continue; }
    if (c == '>' && i + 1 < n && b[i + 1] == '>') { operands.emplace_back(">>"); i += 2; continue; }
    if (c == '<') {
      size_t s = i;
      size_t digits = 0;
      for (++i; i < n && b[i] != '>'; ++i) {
        const char h = b[i];
        if ((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')) ++digits;
        else if (!IsPdfWhiteSpace(h)) u.hex_non_hex = true;
      }
      if (digits % 2 != 0) u.hex_odd = true;
      if ((i - s) / 2 > u.max_string_bytes) u.max_string_bytes = (i - s) / 2;
      texts.push_back(DecodeHex(b.substr(s + 1, i - s - 1)));
      ++i;
      operands.emplace_back();
      continue;
    }
    if (c == '[' || c == ']' || c == '{' || c == '}') { operands.emplace_back(); ++i; continue; }
    if (c == '/') {
      size_t s = ++i;
      while (i < n && !IsPdfWhiteSpace(b[i]) && !IsPdfDelimiter(b[i])) ++i;
      operands.emplace_back("/" + std::string(b.substr(s, i - s)));
      continue;
    }
    size_t s = i;
    while (i < n && !IsPdfWhiteSpace(b[i]) && !IsPdfDelimiter(b[i])) ++i;
    if (i == s) { ++i; continue; }  // stray delimiter such as ')'
    std::string_view tok = b.substr(s, i - s);
    char f = tok[0];
    if ((f >= '0' && f <= '9') || f == '-' || f == '+' || f == '.') {
      bool real = tok.find('.') != std::string_view::npos;
      double v = 0;  // integer part: enough for the upper limits
      for (char ch : tok) {
        if (ch == '.') break;
        if (ch >= '0' && ch <= '9') v = v * 10 + (ch - '0');
      }
      if (real) {
        u.max_abs_real = std::max(u.max_abs_real, v);
        // The whole value, for the lower limit on non-zero reals.
        std::string_view digits = tok;
        if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
        double full = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), full);
        if (ec == std::errc() && end == digits.data() + digits.size() && full != 0 &&
            (u.min_abs_nonzero_real == 0 || full < u.min_abs_nonzero_real)) {
          u.min_abs_nonzero_real = full;
        }
      } else {
        u.max_abs_integer = std::max(u.max_abs_integer, v);
      }
      operands.emplace_back();
      last_number = std::string(tok);
      continue;
    }
    if (tok == "true" || tok == "false" || tok == "null") { operands.emplace_back(); continue; }
    // An operator.
    std::string op(tok);
    if (op == "rg" || op == "k" || op == "g") paint.fill_cs.clear();
    if (op == "RG" || op == "K" || op == "G") paint.stroke_cs.clear();
    if (op == "f" || op == "F" || op == "f*" || op == "sh" || op == "Tj" || op == "TJ" || op == "'" || op == "\"") {
      note_paint(true, false);
    } else if (op == "S" || op == "s") {
      note_paint(false, true);
    } else if (op == "B" || op == "B*" || op == "b" || op == "b*") {
      note_paint(true, true);
    }
    if (op == "rg" || op == "RG") u.device_rgb = true;
    else if (op == "k" || op == "K") u.device_cmyk = true;
    else if (op == "g" || op == "G") u.device_gray = true;
    else if ((op == "cs" || op == "CS") && !operands.empty()) {
      const std::string& nm = operands.back();
      if (nm == "/DeviceRGB") u.device_rgb = true;
      else if (nm == "/DeviceCMYK") u.device_cmyk = true;
      else if (nm == "/DeviceGray") u.device_gray = true;
      else if (nm.size() > 1 && nm[0] == '/') u.colour_space_names.push_back(nm.substr(1));
      std::string& cur = op == "cs" ? paint.fill_cs : paint.stroke_cs;
      cur = nm.size() > 1 && nm[0] == '/' ? nm.substr(1) : std::string();
      if (cur == "DeviceRGB" || cur == "DeviceCMYK" || cur == "DeviceGray" || cur == "Pattern") cur.clear();
    } else if ((op == "Do" || op == "gs" || op == "sh" || op == "scn" || op == "SCN") && !operands.empty() &&
               operands.back().size() > 1 && operands.back()[0] == '/') {
      std::string nm = operands.back().substr(1);
      if (op == "Do") u.xobjects.insert(nm);
      else if (op == "gs") {
        u.ext_gstates.insert(nm);
        if (paint.gstates.size() >= 32) paint.gstates.erase(paint.gstates.begin());
        paint.gstates.push_back(nm);
      }
      else if (op == "sh") u.shadings.insert(nm);
      else u.patterns.insert(nm);
    } else if (op == "Tf" && operands.size() >= 2 && operands[operands.size() - 2].size() > 1 &&
               operands[operands.size() - 2][0] == '/') {
      font = operands[operands.size() - 2].substr(1);
      u.fonts.insert(font);
    } else if (op == "Tj" || op == "TJ" || op == "'" || op == "\"") {
      // Invisible text (rendering mode 3) paints no glyphs: its widths and
      // glyph choices are not checked (as veraPDF's glyph rules).
      if (!font.empty()) {
        std::string& shown = invisible ? u.shown_invisible_text[font] : u.shown_text[font];
        for (const std::string& t : texts) {
          if (shown.size() + t.size() <= ContentUse::kMaxShownBytes) shown += t;
        }
      }
    } else if (op == "Tr") {
      invisible = last_number == "3";
    } else if (op == "ri" && !operands.empty() && operands.back().size() > 1) {
      u.rendering_intents.push_back(operands.back().substr(1));
    } else if (op == "q") {
      ++q;
      if (q > u.max_q_depth) u.max_q_depth = q;
      if (font_stack.size() < 256) {
        font_stack.push_back(font);
        invisible_stack.push_back(invisible);
        paint_stack.push_back(paint);
      }
    } else if (op == "Q") {
      if (q > 0) --q;
      if (!font_stack.empty()) {
        font = font_stack.back();
        font_stack.pop_back();
        invisible = invisible_stack.back();
        invisible_stack.pop_back();
        paint = std::move(paint_stack.back());
        paint_stack.pop_back();
      }
    } else if (op == "BI") {
      // Inline image dictionary up to ID, then binary data up to EI.
      std::vector<std::string> dict;
      while (i < n) {
        while (i < n && IsPdfWhiteSpace(b[i])) ++i;
        if (i + 1 < n && b[i] == 'I' && b[i + 1] == 'D' && (i + 2 >= n || IsPdfWhiteSpace(b[i + 2]))) { i += 2; break; }
        size_t t = i;
        if (i < n && b[i] == '/') ++i;
        while (i < n && !IsPdfWhiteSpace(b[i]) && (!IsPdfDelimiter(b[i]) || i == t)) ++i;
        if (i == t) ++i;
        dict.emplace_back(b.substr(t, i - t));
      }
      for (size_t k = 0; k + 1 < dict.size(); ++k) {
        const std::string& key = dict[k];
        const std::string& val = dict[k + 1];
        if ((key == "/F" || key == "/Filter") && val.size() > 1 && val[0] == '/') u.inline_filters.push_back(val.substr(1));
        if ((key == "/CS" || key == "/ColorSpace") && val.size() > 1 && val[0] == '/') u.inline_colour_spaces.push_back(val.substr(1));
        if ((key == "/I" || key == "/Interpolate") && val == "true") u.inline_interpolate = true;
        if (key == "/Intent" && val.size() > 1 && val[0] == '/') u.inline_intents.push_back(val.substr(1));
      }
      // Skip the image data: the first "EI" delimited by white-space.
      while (i + 2 < n && !(IsPdfWhiteSpace(b[i]) && b[i + 1] == 'E' && b[i + 2] == 'I' && (i + 3 >= n || IsPdfWhiteSpace(b[i + 3])))) ++i;
      i += 3;
    } else if (!Operators().count(op)) {
      // ISO 19005 forbids undefined operators even between BX and EX.
      if (u.unknown_operators.size() < 16) u.unknown_operators.insert(op);
    }
    operands.clear();
    texts.clear();
  }
  return u;
}

namespace {

// One token of a CMap: a hex string's bytes, an integer, or a keyword.
struct CMapToken {
  enum Kind { kHex, kInt, kWord } kind = kWord;
  std::string bytes;
  uint64_t value = 0;
};

}  // namespace

CMapCids ParseCMapCids(std::string_view b) {
  CMapCids out;
  std::vector<CMapToken> pending;  // operands since the last begin... keyword
  enum Section { kNone, kCodespace, kCidRange, kCidChar } section = kNone;
  size_t i = 0;
  const size_t n = b.size();
  auto flush = [&]() {
    if (section == kCodespace) {
      for (size_t k = 0; k + 1 < pending.size() && out.codespaces.size() < 256; k += 2) {
        const CMapToken& lo = pending[k];
        const CMapToken& hi = pending[k + 1];
        if (lo.kind == CMapToken::kHex && hi.kind == CMapToken::kHex && lo.bytes.size() == hi.bytes.size() &&
            !lo.bytes.empty() && lo.bytes.size() <= 4 && out.codespaces.size() < CMapCids::kMaxEntries) {
          out.codespaces.push_back({lo.bytes, hi.bytes});
        }
      }
    } else if (section == kCidRange || section == kCidChar) {
      const size_t step = section == kCidRange ? 3 : 2;
      for (size_t k = 0; k + step - 1 < pending.size(); k += step) {
        const CMapToken& lo = pending[k];
        const CMapToken& hi = section == kCidRange ? pending[k + 1] : pending[k];
        const CMapToken& cid = pending[k + step - 1];
        if (lo.kind != CMapToken::kHex || hi.kind != CMapToken::kHex || cid.kind != CMapToken::kInt) continue;
        if (lo.bytes.empty() || lo.bytes.size() > 4 || lo.bytes.size() != hi.bytes.size()) continue;
        if (out.ranges.size() >= CMapCids::kMaxEntries) break;
        auto value = [](const std::string& s) {
          uint32_t v = 0;
          for (char c : s) v = (v << 8) | static_cast<unsigned char>(c);
          return v;
        };
        out.ranges.push_back({value(lo.bytes), value(hi.bytes), lo.bytes.size(),
                              static_cast<uint32_t>(std::min<uint64_t>(cid.value, 0xFFFFFFFFu))});
      }
    }
    pending.clear();
  };
  while (i < n) {
    char c = b[i];
    if (IsPdfWhiteSpace(c)) { ++i; continue; }
    if (c == '%') { while (i < n && b[i] != '\n' && b[i] != '\r') ++i; continue; }
    if (c == '<' && i + 1 < n && b[i + 1] == '<') { i += 2; continue; }
    if (c == '<') {
      size_t s = ++i;
      while (i < n && b[i] != '>') ++i;
      CMapToken t;
      t.kind = CMapToken::kHex;
      t.bytes = DecodeHex(b.substr(s, i - s));
      if (i < n) ++i;
      if (section != kNone && pending.size() < 3 * CMapCids::kMaxEntries) pending.push_back(std::move(t));
      continue;
    }
    if (c == '(') {  // a literal string (e.g. in CIDSystemInfo): skipped
      int depth = 0;
      for (; i < n; ++i) {
        if (b[i] == '\\') { ++i; continue; }
        if (b[i] == '(') ++depth;
        else if (b[i] == ')' && --depth == 0) { ++i; break; }
      }
      continue;
    }
    size_t s = i;
    while (i < n && !IsPdfWhiteSpace(b[i]) && !IsPdfDelimiter(b[i])) ++i;
    if (i == s) { ++i; continue; }
    std::string_view tok = b.substr(s, i - s);
    if (tok[0] >= '0' && tok[0] <= '9') {
      CMapToken t;
      t.kind = CMapToken::kInt;
      for (char ch : tok) {
        if (ch < '0' || ch > '9' || t.value > 0xFFFFFFFFull) break;
        t.value = t.value * 10 + static_cast<uint64_t>(ch - '0');
      }
      if (section != kNone && pending.size() < 3 * CMapCids::kMaxEntries) pending.push_back(t);
      continue;
    }
    if (tok == "begincodespacerange") { flush(); section = kCodespace; }
    else if (tok == "begincidrange") { flush(); section = kCidRange; }
    else if (tok == "begincidchar") { flush(); section = kCidChar; }
    else if (tok == "endcodespacerange" || tok == "endcidrange" || tok == "endcidchar") { flush(); section = kNone; }
  }
  flush();
  // Sorted for lookup by code length and first code (overlapping ranges,
  // which ISO 32000 leaves undefined, resolve to the latest start below).
  std::stable_sort(out.ranges.begin(), out.ranges.end(), [](const CMapCids::Range& a, const CMapCids::Range& c) {
    return a.bytes != c.bytes ? a.bytes < c.bytes : a.low < c.low;
  });
  return out;
}

std::vector<uint32_t> CMapCids::Cids(std::string_view shown) const {
  std::vector<uint32_t> out;
  size_t i = 0;
  while (i < shown.size()) {
    size_t len = 0;
    for (size_t want = 1; want <= 4 && len == 0 && i + want <= shown.size(); ++want) {
      for (const Codespace& cs : codespaces) {
        if (cs.low.size() != want) continue;
        bool in = true;
        for (size_t k = 0; k < want && in; ++k) {
          auto v = static_cast<unsigned char>(shown[i + k]);
          in = v >= static_cast<unsigned char>(cs.low[k]) && v <= static_cast<unsigned char>(cs.high[k]);
        }
        if (in) {
          len = want;
          break;
        }
      }
    }
    if (len == 0) {
      out.push_back(0);
      ++i;
      continue;
    }
    uint32_t code = 0;
    for (size_t k = 0; k < len; ++k) code = (code << 8) | static_cast<unsigned char>(shown[i + k]);
    uint32_t cid = 0;
    auto it = std::upper_bound(ranges.begin(), ranges.end(), std::make_pair(len, code),
                               [](const std::pair<size_t, uint32_t>& key, const Range& r) {
                                 return key.first != r.bytes ? key.first < r.bytes : key.second < r.low;
                               });
    // The nearest ranges starting at or below the code (a few, for nesting).
    for (int k = 0; k < 8 && it != ranges.begin(); ++k) {
      --it;
      if (it->bytes != len) break;
      if (code <= it->high) {
        cid = it->cid + (code - it->low);
        break;
      }
    }
    out.push_back(cid);
    i += len;
  }
  return out;
}

}  // namespace kholuu::formats::pdf
