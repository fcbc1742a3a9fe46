#include "formats/pdf/document_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <string_view>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/common/text.h"
#include "formats/pdf/font_program.h"
#include "formats/pdf/pdfa.h"

namespace kholuu::formats::pdf {

DocBlock DocBlock::Text(std::string t, double size, bool bold, Align align) {
  DocBlock b;
  b.kind = Kind::kText;
  b.text = std::move(t);
  b.font_size = size;
  b.bold = bold;
  b.align = align;
  return b;
}

DocBlock DocBlock::Heading(std::string t, double size) {
  DocBlock b = Text(std::move(t), size, true, Align::kCenter);
  b.keep_below = 72;
  return b;
}

DocBlock DocBlock::Table(DocTable t) {
  DocBlock b;
  b.kind = Kind::kTable;
  b.table = std::move(t);
  return b;
}

DocBlock DocBlock::Space(double points) {
  DocBlock b;
  b.kind = Kind::kSpace;
  b.space = points;
  return b;
}

namespace {

// A4 portrait; margins after NĐ 30/2020 Phụ lục I (top/bottom 20 mm, left
// 30 mm, right 15 mm).
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.890;
constexpr double kLeft = 85.04;
constexpr double kRight = 42.52;
constexpr double kTop = 56.69;
constexpr double kBottom = 56.69;
constexpr double kFooterY = 28.35;
constexpr double kCellPad = 3.0;
constexpr double kLeading = 1.25;  // line height / font size

uint32_t Be16(std::string_view d, size_t at) {
  if (at + 2 > d.size()) return 0;
  return (static_cast<uint32_t>(static_cast<unsigned char>(d[at])) << 8) | static_cast<unsigned char>(d[at + 1]);
}
uint32_t Be32(std::string_view d, size_t at) { return (Be16(d, at) << 16) | Be16(d, at + 2); }
int32_t S16(std::string_view d, size_t at) { return static_cast<int16_t>(static_cast<uint16_t>(Be16(d, at))); }
void Put16(std::string* s, uint32_t v) {
  s->push_back(static_cast<char>((v >> 8) & 0xff));
  s->push_back(static_cast<char>(v & 0xff));
}
void Put32(std::string* s, uint32_t v) {
  Put16(s, v >> 16);
  Put16(s, v & 0xffff);
}
void Set32(std::string* s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*s)[at + static_cast<size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}
uint32_t TableChecksum(std::string_view t) {
  uint32_t sum = 0;
  for (size_t i = 0; i < t.size(); i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4; ++k) {
      w = (w << 8) | (i + k < t.size() ? static_cast<unsigned char>(t[i + k]) : 0u);
    }
    sum += w;
  }
  return sum;
}

// One loaded TrueType font: its program, the sfnt tables, and what the PDF
// font dictionaries need.
struct Font {
  std::string data;
  FontProgram program;
  std::map<std::string, std::string_view> tables;  // tag -> bytes (views into data)
  std::map<uint32_t, uint32_t> cmap;                // code point -> glyph
  double units_per_em = 1000;
  int32_t bbox[4] = {0, 0, 0, 0};
  int32_t ascent = 0, descent = 0, cap_height = 0;
  std::string family;                               // PostScript-ish name without spaces
  std::set<uint32_t> used;                          // glyphs shown
  std::map<uint32_t, uint32_t> to_unicode;          // glyph -> first code point shown with it

  double Scale(int32_t v) const { return v * 1000.0 / units_per_em; }
};

Result<Font> LoadFont(const std::string& path, const std::string& family) {
  Font f;
  KHOLUU_ASSIGN_OR_RETURN(f.data, ReadFileToString(path, 32u << 20));
  KHOLUU_ASSIGN_OR_RETURN(f.program, ParseTrueTypeProgram(f.data));
  const std::string_view d = f.data;
  const uint32_t n = Be16(d, 4);
  for (uint32_t i = 0; i < n; ++i) {
    size_t rec = 12 + 16 * static_cast<size_t>(i);
    if (rec + 16 > d.size()) return DataLossError(path + ": truncated table directory");
    uint32_t off = Be32(d, rec + 8), len = Be32(d, rec + 12);
    if (uint64_t{off} + len > d.size()) return DataLossError(path + ": a table lies outside the file");
    f.tables[std::string(d.substr(rec, 4))] = d.substr(off, len);
  }
  for (const char* need : {"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"}) {
    if (!f.tables.count(need)) return DataLossError(path + ": no '" + need + "' table");
  }
  std::string_view head = f.tables["head"], hhea = f.tables["hhea"];
  if (head.size() < 54 || hhea.size() < 36) return DataLossError(path + ": short head or hhea table");
  f.units_per_em = std::max<uint32_t>(16, Be16(head, 18));
  for (int i = 0; i < 4; ++i) f.bbox[i] = S16(head, 36 + 2 * static_cast<size_t>(i));
  f.ascent = S16(hhea, 4);
  f.descent = S16(hhea, 6);
  f.cap_height = f.ascent;
  if (auto os2 = f.tables.find("OS/2"); os2 != f.tables.end() && os2->second.size() >= 90 && Be16(os2->second, 0) >= 2) {
    f.cap_height = S16(os2->second, 88);
  }
  const FontProgram::Cmap* c = f.program.FindCmap(3, 10);
  if (c == nullptr) c = f.program.FindCmap(3, 1);
  if (c == nullptr) c = f.program.FindCmap(0, 3);
  if (c == nullptr) return DataLossError(path + ": no Unicode cmap");
  f.cmap = c->glyphs;
  f.family = family;
  return f;
}

std::vector<uint32_t> DecodeUtf8(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t n = 1;
    if (c >= 0xf0) {
      cp = c & 0x07u;
      n = 4;
    } else if (c >= 0xe0) {
      cp = c & 0x0fu;
      n = 3;
    } else if (c >= 0xc0) {
      cp = c & 0x1fu;
      n = 2;
    }
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// A run of glyphs of one font ready to show.
struct Shaped {
  std::vector<uint32_t> glyphs;
  std::vector<uint32_t> chars;
  double width = 0;  // in points
};

class Layout {
 public:
  Layout(Font* regular, Font* bold) : regular_(regular), bold_(bold) {}

  // Glyphs of `text` in `font`: control characters become spaces, a code
  // point the font lacks becomes '?'.
  Shaped Shape(Font* font, const std::vector<uint32_t>& cps, double size) {
    Shaped s;
    const uint32_t question = Lookup(font, '?');
    for (uint32_t cp : cps) {
      if (cp < 0x20 || cp == 0x7f) cp = ' ';
      uint32_t g = Lookup(font, cp);
      if (g == 0) {
        cp = '?';
        g = question;
      }
      if (g == 0) continue;
      s.glyphs.push_back(g);
      s.chars.push_back(cp);
      s.width += font->program.Width1000(g).value_or(0) * size / 1000.0;
    }
    return s;
  }

  // Breaks `text` into lines no wider than `width` (words wider than a line
  // are broken between characters). Explicit newlines are kept.
  std::vector<Shaped> Wrap(Font* font, std::string_view text, double size, double width) {
    std::vector<Shaped> lines;
    std::vector<uint32_t> all = DecodeUtf8(text);
    std::vector<std::vector<uint32_t>> paragraphs(1);
    for (uint32_t cp : all) {
      if (cp == '\n') {
        paragraphs.emplace_back();
      } else if (cp != '\r') {
        paragraphs.back().push_back(cp);
      }
    }
    const double space = Shape(font, {' '}, size).width;
    for (const std::vector<uint32_t>& para : paragraphs) {
      std::vector<std::vector<uint32_t>> words(1);
      for (uint32_t cp : para) {
        if (cp == ' ' || cp == '\t') {
          if (!words.back().empty()) words.emplace_back();
        } else {
          words.back().push_back(cp);
        }
      }
      if (words.back().empty()) words.pop_back();
      std::vector<uint32_t> line;
      double line_width = 0;
      auto flush = [&] {
        lines.push_back(Shape(font, line, size));
        line.clear();
        line_width = 0;
      };
      for (const std::vector<uint32_t>& w : words) {
        double ww = Shape(font, w, size).width;
        if (!line.empty() && line_width + space + ww > width) flush();
        if (ww > width) {  // break inside the word
          for (uint32_t cp : w) {
            double cw = Shape(font, {cp}, size).width;
            if (!line.empty() && line_width + cw > width) flush();
            line.push_back(cp);
            line_width += cw;
          }
          continue;
        }
        if (!line.empty()) {
          line.push_back(' ');
          line_width += space;
        }
        line.insert(line.end(), w.begin(), w.end());
        line_width += ww;
      }
      if (!line.empty() || words.empty()) flush();
    }
    return lines;
  }

  Font* FontFor(bool bold) { return bold ? bold_ : regular_; }
  Font* regular() { return regular_; }

 private:
  static uint32_t Lookup(Font* font, uint32_t cp) {
    auto it = font->cmap.find(cp);
    if (it == font->cmap.end() || it->second == 0 || it->second >= font->program.glyph_count) return 0;
    return it->second;
  }
  Font* regular_;
  Font* bold_;
};

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// Builds the content streams page by page.
class Pager {
 public:
  explicit Pager(Layout* layout) : layout_(layout) { NewPage(); }

  void NewPage() {
    pages_.emplace_back();
    y_ = kPageHeight - kTop;
  }
  double remaining() const { return y_ - kBottom; }
  double y() const { return y_; }
  void Down(double dy) { y_ -= dy; }
  std::vector<std::string>& pages() { return pages_; }

  // Shows `s` on the current page, or on page `page` when given.
  void ShowAt(Font* font, const Shaped& s, double size, double x, double baseline, size_t page = SIZE_MAX) {
    if (s.glyphs.empty()) return;
    std::string hex;
    char buf[8];
    for (size_t i = 0; i < s.glyphs.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%04X", s.glyphs[i] & 0xffffu);
      hex += buf;
      font->used.insert(s.glyphs[i]);
      font->to_unicode.emplace(s.glyphs[i], s.chars[i]);
    }
    const char* name = font == layout_->regular() ? "/F1" : "/F2";
    std::string& out = page < pages_.size() ? pages_[page] : pages_.back();
    out += "BT " + std::string(name) + " " + Num(size) + " Tf " + Num(x) + " " + Num(baseline) + " Td <" + hex +
                     "> Tj ET\n";
  }

  void Rect(double x, double y, double w, double h) {
    pages_.back() += Num(x) + " " + Num(y) + " " + Num(w) + " " + Num(h) + " re S\n";
  }

  void Text(const DocBlock& b) {
    Font* font = layout_->FontFor(b.bold);
    const double width = kPageWidth - kLeft - kRight;
    const double lh = b.font_size * kLeading;
    const std::vector<Shaped> lines = layout_->Wrap(font, b.text, b.font_size, width);
    if (b.keep_below > 0 && remaining() < static_cast<double>(lines.size()) * lh + b.keep_below &&
        y_ < kPageHeight - kTop) {
      NewPage();
    }
    for (const Shaped& line : lines) {
      if (remaining() < lh) NewPage();
      double x = kLeft;
      if (b.align == DocBlock::Align::kCenter) x = kLeft + (width - line.width) / 2;
      if (b.align == DocBlock::Align::kRight) x = kLeft + width - line.width;
      y_ -= lh;
      ShowAt(font, line, b.font_size, x, y_ + (lh - b.font_size) / 2 + b.font_size * 0.22);
    }
    y_ -= b.space;
  }

  void Table(const DocTable& t) {
    const double width = kPageWidth - kLeft - kRight;
    double total = 0;
    for (double w : t.widths) total += w;
    std::vector<double> cols;
    for (double w : t.widths) cols.push_back(width * w / total);
    const double size = t.font_size, lh = size * kLeading;
    auto wrap_row = [&](const std::vector<std::string>& cells, bool bold) {
      std::vector<std::vector<Shaped>> out;
      for (size_t c = 0; c < cols.size(); ++c) {
        out.push_back(layout_->Wrap(layout_->FontFor(bold), c < cells.size() ? cells[c] : "", size,
                                    cols[c] - 2 * kCellPad));
      }
      return out;
    };
    const std::vector<std::vector<Shaped>> header = wrap_row(t.header, true);
    auto lines_of = [](const std::vector<std::vector<Shaped>>& row) {
      size_t n = 1;
      for (const auto& c : row) n = std::max(n, c.size());
      return n;
    };
    auto draw = [&](const std::vector<std::vector<Shaped>>& row, bool bold, size_t from, size_t count) {
      const double h = static_cast<double>(count) * lh + 2 * kCellPad;
      double x = kLeft;
      for (size_t c = 0; c < cols.size(); ++c) {
        Rect(x, y_ - h, cols[c], h);
        for (size_t i = from; i < from + count && i < row[c].size(); ++i) {
          double base = y_ - kCellPad - static_cast<double>(i - from + 1) * lh + (lh - size) / 2 + size * 0.22;
          ShowAt(layout_->FontFor(bold), row[c][i], size, x + kCellPad, base);
        }
        x += cols[c];
      }
      y_ -= h;
    };
    const double header_h = static_cast<double>(lines_of(header)) * lh + 2 * kCellPad;
    auto start_page_if = [&](double need) {
      if (remaining() < need) NewPage();
    };
    if (!t.header.empty()) {
      start_page_if(header_h + lh + 2 * kCellPad);
      draw(header, true, 0, lines_of(header));
    }
    for (const std::vector<std::string>& cells : t.rows) {
      const std::vector<std::vector<Shaped>> row = wrap_row(cells, false);
      const size_t n = lines_of(row);
      size_t done = 0;
      while (done < n) {
        size_t fit = static_cast<size_t>(std::max(0.0, std::floor((remaining() - 2 * kCellPad) / lh)));
        // Keep a row whole when it fits on a fresh page.
        const double fresh = kPageHeight - kTop - kBottom - (t.header.empty() ? 0 : header_h);
        if (fit == 0 || (done == 0 && fit < n && static_cast<double>(n) * lh + 2 * kCellPad <= fresh)) {
          NewPage();
          if (!t.header.empty()) draw(header, true, 0, lines_of(header));
          continue;
        }
        size_t count = std::min(fit, n - done);
        draw(row, false, done, count);
        done += count;
      }
    }
  }

 private:
  Layout* layout_;
  std::vector<std::string> pages_;
  double y_ = 0;
};

// A copy of the font whose glyf table keeps only the outlines of `keep` (and
// of the glyphs their composites use); glyph numbers do not change. The
// 'post' table becomes version 3 (no glyph names); hinting tables stay.
Result<std::string> Subset(const Font& f, std::set<uint32_t> keep) {
  std::string_view loca = f.tables.at("loca"), glyf = f.tables.at("glyf"), head = f.tables.at("head");
  const bool long_loca = S16(head, 50) == 1;
  const size_t n = f.program.glyph_count;
  auto range = [&](uint32_t g, size_t* off, size_t* len) {
    size_t a = long_loca ? Be32(loca, 4 * size_t{g}) : 2 * size_t{Be16(loca, 2 * size_t{g})};
    size_t b = long_loca ? Be32(loca, 4 * (size_t{g} + 1)) : 2 * size_t{Be16(loca, 2 * (size_t{g} + 1))};
    if (b < a || b > glyf.size()) a = b = 0;
    *off = a;
    *len = b - a;
  };
  keep.insert(0);
  std::vector<uint32_t> todo(keep.begin(), keep.end());
  while (!todo.empty()) {
    uint32_t g = todo.back();
    todo.pop_back();
    if (g >= n) continue;
    size_t off = 0, len = 0;
    range(g, &off, &len);
    if (len < 10 || S16(glyf, off) >= 0) continue;
    size_t p = off + 10;
    for (int guard = 0; guard < 1000 && p + 4 <= off + len; ++guard) {
      const uint32_t flags = Be16(glyf, p), comp = Be16(glyf, p + 2);
      if (keep.insert(comp).second) todo.push_back(comp);
      p += 4 + ((flags & 0x0001u) ? 4 : 2);
      if (flags & 0x0008u) p += 2;
      else if (flags & 0x0040u) p += 4;
      else if (flags & 0x0080u) p += 8;
      if (!(flags & 0x0020u)) break;
    }
  }
  std::string new_glyf, new_loca;
  for (uint32_t g = 0; g < n; ++g) {
    Put32(&new_loca, static_cast<uint32_t>(new_glyf.size()));
    if (!keep.count(g)) continue;
    size_t off = 0, len = 0;
    range(g, &off, &len);
    new_glyf.append(glyf.substr(off, len));
    while (new_glyf.size() % 4 != 0) new_glyf.push_back('\0');
  }
  Put32(&new_loca, static_cast<uint32_t>(new_glyf.size()));

  std::map<std::string, std::string> out;
  for (const char* tag : {"OS/2", "cmap", "cvt ", "fpgm", "hhea", "hmtx", "maxp", "name", "prep"}) {
    if (auto it = f.tables.find(tag); it != f.tables.end()) out[tag] = std::string(it->second);
  }
  out["glyf"] = new_glyf;
  out["loca"] = new_loca;
  std::string h(head);
  Set32(&h, 8, 0);  // checkSumAdjustment, set below
  h[50] = 0;
  h[51] = 1;  // indexToLocFormat: long
  out["head"] = h;
  if (auto it = f.tables.find("post"); it != f.tables.end() && it->second.size() >= 32) {
    std::string post(it->second.substr(0, 32));
    Set32(&post, 0, 0x00030000);
    out["post"] = post;
  }
  const uint32_t num = static_cast<uint32_t>(out.size());
  uint32_t pow2 = 1, log2 = 0;
  while (pow2 * 2 <= num) {
    pow2 *= 2;
    ++log2;
  }
  std::string font;
  Put32(&font, 0x00010000);
  Put16(&font, num);
  Put16(&font, pow2 * 16);
  Put16(&font, log2);
  Put16(&font, num * 16 - pow2 * 16);
  size_t offset = 12 + 16 * size_t{num};
  std::string body;
  size_t head_at = 0;
  for (const auto& [tag, bytes] : out) {  // std::map: tags in ascending order, as required
    font += tag;
    Put32(&font, TableChecksum(bytes));
    Put32(&font, static_cast<uint32_t>(offset + body.size()));
    Put32(&font, static_cast<uint32_t>(bytes.size()));
    if (tag == "head") head_at = offset + body.size();
    body += bytes;
    while (body.size() % 4 != 0) body.push_back('\0');
  }
  font += body;
  Set32(&font, head_at + 8, 0xB1B0AFBAu - TableChecksum(font));
  return font;
}

std::string Deflate(std::string_view in) {
  uLongf cap = compressBound(static_cast<uLong>(in.size()));
  std::string out(cap, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &cap, reinterpret_cast<const Bytef*>(in.data()),
                static_cast<uLong>(in.size()), 9) != Z_OK) {
    return {};
  }
  out.resize(cap);
  return out;
}

std::string Utf16Hex(uint32_t cp) {
  char buf[16];
  if (cp >= 0x10000) {
    cp -= 0x10000;
    std::snprintf(buf, sizeof buf, "%04X%04X", 0xd800u + (cp >> 10), 0xdc00u + (cp & 0x3ffu));
  } else {
    std::snprintf(buf, sizeof buf, "%04X", cp);
  }
  return buf;
}

std::string XmlEscape(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          o += ' ';
        } else {
          o += c;
        }
    }
  }
  return o;
}

std::string IsoTime(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class ObjectWriter {
 public:
  ObjectWriter() { out_ = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"; }
  int Reserve() {
    offsets_.push_back(0);
    return static_cast<int>(offsets_.size());
  }
  void Put(int id, const std::string& body) {
    offsets_[static_cast<size_t>(id - 1)] = out_.size();
    out_ += std::to_string(id) + " 0 obj\n" + body + "\nendobj\n";
  }
  void PutStream(int id, const std::string& dict, std::string_view data) {
    offsets_[static_cast<size_t>(id - 1)] = out_.size();
    out_ += std::to_string(id) + " 0 obj\n<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n";
    out_.append(data);
    out_ += "\nendstream\nendobj\n";
  }
  std::string Finish(int root) {
    const size_t xref = out_.size();
    out_ += "xref\n0 " + std::to_string(offsets_.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t off : offsets_) {
      char line[32];
      std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
      out_ += line;
    }
    std::string id = Sha256Of(out_).ToHex().substr(0, 32);
    out_ += "trailer\n<< /Size " + std::to_string(offsets_.size() + 1) + " /Root " + std::to_string(root) +
            " 0 R /ID [<" + id + "> <" + id + ">] >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return std::move(out_);
  }

 private:
  std::string out_;
  std::vector<size_t> offsets_;
};

// Writes one font (Type 0, CIDFontType2, descriptor, program, ToUnicode);
// returns the Type 0 font's object number.
Result<int> WriteFont(ObjectWriter* w, const Font& f) {
  KHOLUU_ASSIGN_OR_RETURN(std::string program, Subset(f, f.used));
  // Subset tag: six capitals from a hash of the glyphs kept.
  std::string key;
  for (uint32_t g : f.used) key += std::to_string(g) + ",";
  const std::string h = Sha256Of(key + f.family).ToHex();
  std::string tag;
  for (size_t i = 0; i < 6; ++i) tag.push_back(static_cast<char>('A' + (static_cast<unsigned char>(h[i]) % 26)));
  const std::string name = tag + "+" + f.family;

  const int type0 = w->Reserve(), cid = w->Reserve(), desc = w->Reserve(), file = w->Reserve(), tu = w->Reserve();
  std::string widths;
  for (uint32_t g : f.used) {
    widths += std::to_string(g) + " [" + Num(std::round(f.program.Width1000(g).value_or(0))) + "] ";
  }
  w->Put(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /" + name + " /Encoding /Identity-H /DescendantFonts [" +
                    std::to_string(cid) + " 0 R] /ToUnicode " + std::to_string(tu) + " 0 R >>");
  w->Put(cid, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /" + name +
                  " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor " +
                  std::to_string(desc) + " 0 R /CIDToGIDMap /Identity /DW 1000 /W [" + widths + "] >>");
  w->Put(desc, "<< /Type /FontDescriptor /FontName /" + name + " /Flags 34 /FontBBox [" + Num(f.Scale(f.bbox[0])) +
                   " " + Num(f.Scale(f.bbox[1])) + " " + Num(f.Scale(f.bbox[2])) + " " + Num(f.Scale(f.bbox[3])) +
                   "] /ItalicAngle 0 /Ascent " + Num(f.Scale(f.ascent)) + " /Descent " + Num(f.Scale(f.descent)) +
                   " /CapHeight " + Num(f.Scale(f.cap_height)) + " /StemV 80 /FontFile2 " + std::to_string(file) +
                   " 0 R >>");
  const std::string packed = Deflate(program);
  if (packed.empty()) return InternalError("zlib could not compress the font program");
  w->PutStream(file, "/Filter /FlateDecode /Length1 " + std::to_string(program.size()), packed);
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<std::pair<uint32_t, uint32_t>> pairs(f.to_unicode.begin(), f.to_unicode.end());
  for (size_t i = 0; i < pairs.size(); i += 100) {
    const size_t k = std::min<size_t>(100, pairs.size() - i);
    cmap += std::to_string(k) + " beginbfchar\n";
    for (size_t j = i; j < i + k; ++j) {
      char g[8];
      std::snprintf(g, sizeof g, "%04X", pairs[j].first & 0xffffu);
      cmap += "<" + std::string(g) + "> <" + Utf16Hex(pairs[j].second) + ">\n";
    }
    cmap += "endbfchar\n";
  }
  cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  w->PutStream(tu, "", cmap);
  return type0;
}

std::string FirstExisting(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    if (PathExists(p)) return p;
  }
  return "";
}

std::string FamilyOf(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') + 1);
  base = base.substr(0, base.find_last_of('.'));
  std::string out;
  for (char c : base) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') out.push_back(c);
  }
  return out.empty() ? "Font" : out;
}

Status CheckUtf8(std::string_view s, const char* what) {
  if (!IsValidUtf8(s)) return InvalidArgumentError(std::string(what) + " is not UTF-8");
  return Status::Ok();
}

Result<std::string> Nfc(std::string_view s) { return ToNfc(s); }

}  // namespace

Result<std::string> WriteDocumentPdfA2b(const DocContent& content_in, const DocWriteOptions& options) {
  // NFC everything first (and reject what is not UTF-8).
  DocContent content = content_in;
  for (std::string* s : {&content.title, &content.author, &content.subject, &content.footer}) {
    KHOLUU_RETURN_IF_ERROR(CheckUtf8(*s, "the document's metadata"));
    KHOLUU_ASSIGN_OR_RETURN(*s, Nfc(*s));
  }
  for (DocBlock& b : content.blocks) {
    KHOLUU_RETURN_IF_ERROR(CheckUtf8(b.text, "a text block"));
    KHOLUU_ASSIGN_OR_RETURN(b.text, Nfc(b.text));
    if (b.kind != DocBlock::Kind::kTable) continue;
    if (b.table.widths.empty()) return InvalidArgumentError("a table without columns");
    for (double w : b.table.widths) {
      if (!(w > 0)) return InvalidArgumentError("a table column's width must be positive");
    }
    if (!b.table.header.empty() && b.table.header.size() != b.table.widths.size()) {
      return InvalidArgumentError("a table's header has " + std::to_string(b.table.header.size()) + " cells for " +
                                  std::to_string(b.table.widths.size()) + " columns");
    }
    for (std::string& h : b.table.header) {
      KHOLUU_RETURN_IF_ERROR(CheckUtf8(h, "a table cell"));
      KHOLUU_ASSIGN_OR_RETURN(h, Nfc(h));
    }
    for (std::vector<std::string>& row : b.table.rows) {
      if (row.size() != b.table.widths.size()) {
        return InvalidArgumentError("a table row has " + std::to_string(row.size()) + " cells for " +
                                    std::to_string(b.table.widths.size()) + " columns");
      }
      for (std::string& c : row) {
        KHOLUU_RETURN_IF_ERROR(CheckUtf8(c, "a table cell"));
        KHOLUU_ASSIGN_OR_RETURN(c, Nfc(c));
      }
    }
  }

  std::string regular_path = options.regular_font, bold_path = options.bold_font;
  if (regular_path.empty()) {
    regular_path = FirstExisting({"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
                                  "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"});
  }
  if (bold_path.empty()) {
    bold_path = FirstExisting({"/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
                               "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"});
  }
  if (regular_path.empty()) {
    return FailedPreconditionError("no font with Vietnamese glyphs found (install fonts-dejavu-core)");
  }
  if (bold_path.empty()) bold_path = regular_path;
  KHOLUU_ASSIGN_OR_RETURN(Font regular, LoadFont(regular_path, FamilyOf(regular_path)));
  KHOLUU_ASSIGN_OR_RETURN(Font bold, LoadFont(bold_path, FamilyOf(bold_path)));

  Layout layout(&regular, &bold);
  Pager pager(&layout);
  for (const DocBlock& b : content.blocks) {
    switch (b.kind) {
      case DocBlock::Kind::kText:
        pager.Text(b);
        break;
      case DocBlock::Kind::kTable:
        pager.Table(b.table);
        break;
      case DocBlock::Kind::kSpace:
        if (pager.remaining() < b.space) {
          pager.NewPage();
        } else {
          pager.Down(b.space);
        }
        break;
    }
  }
  std::vector<std::string>& pages = pager.pages();
  const size_t count = pages.size();
  for (size_t i = 0; i < count; ++i) {
    std::string label = "Trang " + std::to_string(i + 1) + "/" + std::to_string(count);
    const double size = 8;
    Shaped num = layout.Shape(&regular, DecodeUtf8(label), size);
    pager.ShowAt(&regular, num, size, kPageWidth - kRight - num.width, kFooterY, i);
    if (!content.footer.empty()) {
      pager.ShowAt(&regular, layout.Shape(&regular, DecodeUtf8(content.footer), size), size, kLeft, kFooterY, i);
    }
  }

  const int64_t now = options.now != 0 ? options.now : static_cast<int64_t>(std::time(nullptr));
  ObjectWriter w;
  const int catalog = w.Reserve(), page_tree = w.Reserve(), metadata = w.Reserve();
  KHOLUU_ASSIGN_OR_RETURN(int f1, WriteFont(&w, regular));
  int f2 = f1;
  if (!bold.used.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(f2, WriteFont(&w, bold));
  }
  std::string kids;
  const std::string resources =
      "<< /Font << /F1 " + std::to_string(f1) + " 0 R /F2 " + std::to_string(f2) + " 0 R >> >>";
  for (const std::string& page : pages) {
    const int p = w.Reserve(), c = w.Reserve();
    kids += std::to_string(p) + " 0 R ";
    w.Put(p, "<< /Type /Page /Parent " + std::to_string(page_tree) + " 0 R /MediaBox [0 0 " + Num(kPageWidth) + " " +
                 Num(kPageHeight) + "] /Resources " + resources + " /Contents " + std::to_string(c) + " 0 R >>");
    const std::string packed = Deflate(page);
    if (packed.empty()) return InternalError("zlib could not compress a page");
    w.PutStream(c, "/Filter /FlateDecode", packed);
  }
  w.Put(page_tree, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(count) + " >>");
  const std::string date = IsoTime(now);
  const std::string xmp =
      "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n</rdf:Description>\n"
      "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "<dc:format>application/pdf</dc:format>\n"
      "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + XmlEscape(content.title) + "</rdf:li></rdf:Alt></dc:title>\n"
      "<dc:creator><rdf:Seq><rdf:li>" + XmlEscape(content.author) + "</rdf:li></rdf:Seq></dc:creator>\n"
      "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + XmlEscape(content.subject) +
      "</rdf:li></rdf:Alt></dc:description>\n"
      "<dc:language><rdf:Bag><rdf:li>" + XmlEscape(content.language) + "</rdf:li></rdf:Bag></dc:language>\n"
      "</rdf:Description>\n"
      "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
      "<xmp:CreateDate>" + date + "</xmp:CreateDate><xmp:ModifyDate>" + date + "</xmp:ModifyDate><xmp:MetadataDate>" +
      date + "</xmp:MetadataDate><xmp:CreatorTool>kholuu</xmp:CreatorTool>\n</rdf:Description>\n"
      "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
      "<pdf:Producer>kholuu document writer</pdf:Producer>\n</rdf:Description>\n"
      "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
  w.PutStream(metadata, "/Type /Metadata /Subtype /XML", xmp);
  std::string lang;
  for (char c : content.language) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') lang.push_back(c);
  }
  w.Put(catalog, "<< /Type /Catalog /Pages " + std::to_string(page_tree) + " 0 R /Metadata " +
                     std::to_string(metadata) + " 0 R" + (lang.empty() ? "" : " /Lang (" + lang + ")") + " >>");
  std::string pdf = w.Finish(catalog);

  KHOLUU_ASSIGN_OR_RETURN(PdfaReport report, ValidatePdfa(pdf, PdfaProfile::k2b));
  if (!report.compliant) {
    const PdfaViolation& v = report.violations.front();
    return FailedPreconditionError("the written PDF does not validate as PDF/A-2b: " + v.clause + " " + v.message +
                                   (v.object.empty() ? "" : " (" + v.object + ")"));
  }
  return pdf;
}

}  // namespace kholuu::formats::pdf
