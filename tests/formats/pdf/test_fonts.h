// Builds small font programs byte by byte for the font reader and PDF/A font
// tests: TrueType (head, maxp, hhea, hmtx, loca, glyf, cmap), bare CFF with
// Type 2 charstrings (one local subroutine), and Type 1 with eexec and
// charstring encryption. Only what the reader needs; outlines are empty
// or a single byte.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kholuu::testing {

inline void Put8(std::string& s, uint32_t v) { s += static_cast<char>(v & 0xFF); }
inline void Put16(std::string& s, uint32_t v) {
  Put8(s, v >> 8);
  Put8(s, v);
}
inline void Put32(std::string& s, uint32_t v) {
  Put16(s, v >> 16);
  Put16(s, v);
}

struct TtCmap {
  uint16_t platform;
  uint16_t encoding;
  std::map<uint32_t, uint16_t> glyphs;  // code -> glyph index
};

// A TrueType font: glyph i has advances[i] and an outline when outline[i].
inline std::string BuildTrueType(const std::vector<uint16_t>& advances, const std::vector<bool>& outline,
                                 uint16_t units_per_em, const std::vector<TtCmap>& cmaps) {
  const auto n = static_cast<uint32_t>(advances.size());
  std::string head(54, '\0');
  head[18] = static_cast<char>(units_per_em >> 8);
  head[19] = static_cast<char>(units_per_em & 0xFF);
  head[51] = 1;  // long loca offsets
  std::string maxp;
  Put32(maxp, 0x00005000);
  Put16(maxp, n);
  std::string hhea(36, '\0');
  hhea[34] = static_cast<char>(n >> 8);
  hhea[35] = static_cast<char>(n & 0xFF);
  std::string hmtx, loca, glyf;
  for (uint32_t g = 0; g < n; ++g) {
    Put16(hmtx, advances[g]);
    Put16(hmtx, 0);
    Put32(loca, static_cast<uint32_t>(glyf.size()));
    if (g < outline.size() && outline[g]) glyf += std::string(12, '\0');
  }
  Put32(loca, static_cast<uint32_t>(glyf.size()));
  // cmap: format 4, one segment per mapping plus the final 0xFFFF segment.
  std::string cmap;
  Put16(cmap, 0);
  Put16(cmap, static_cast<uint32_t>(cmaps.size()));
  std::vector<std::string> subs;
  for (const TtCmap& c : cmaps) {
    std::vector<std::pair<uint32_t, uint16_t>> segs(c.glyphs.begin(), c.glyphs.end());
    segs.emplace_back(0xFFFF, 0);
    auto segx2 = static_cast<uint32_t>(segs.size() * 2);
    std::string s;
    Put16(s, 4);
    Put16(s, 16 + segx2 * 4);
    Put16(s, 0);
    Put16(s, segx2);
    Put16(s, 0);
    Put16(s, 0);
    Put16(s, 0);
    for (auto& [code, g] : segs) Put16(s, code);
    Put16(s, 0);
    for (auto& [code, g] : segs) Put16(s, code);
    for (auto& [code, g] : segs) Put16(s, code == 0xFFFF ? 1 : (g - code) & 0xFFFF);
    for (size_t k = 0; k < segs.size(); ++k) Put16(s, 0);
    subs.push_back(s);
  }
  uint32_t off = 4 + 8 * static_cast<uint32_t>(cmaps.size());
  for (size_t k = 0; k < cmaps.size(); ++k) {
    Put16(cmap, cmaps[k].platform);
    Put16(cmap, cmaps[k].encoding);
    Put32(cmap, off);
    off += static_cast<uint32_t>(subs[k].size());
  }
  for (const std::string& s : subs) cmap += s;
  std::vector<std::pair<std::string, std::string>> tables = {{"cmap", cmap}, {"glyf", glyf}, {"head", head},
                                                             {"hhea", hhea}, {"hmtx", hmtx}, {"loca", loca},
                                                             {"maxp", maxp}};
  std::string out;
  Put32(out, 0x00010000);
  Put16(out, static_cast<uint32_t>(tables.size()));
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, 0);
  uint32_t data_off = 12 + 16 * static_cast<uint32_t>(tables.size());
  std::string body;
  for (auto& [tag, t] : tables) {
    out += tag;
    Put32(out, 0);
    Put32(out, data_off + static_cast<uint32_t>(body.size()));
    Put32(out, static_cast<uint32_t>(t.size()));
    body += t;
    while (body.size() % 4) body += '\0';
  }
  return out + body;
}

// Type 2 / DICT integer operand.
inline std::string CffInt(int v) {
  std::string s;
  if (v >= -107 && v <= 107) {
    Put8(s, static_cast<uint32_t>(v + 139));
  } else if (v >= 108 && v <= 1131) {
    Put8(s, static_cast<uint32_t>(247 + (v - 108) / 256));
    Put8(s, static_cast<uint32_t>((v - 108) % 256));
  } else if (v <= -108 && v >= -1131) {
    Put8(s, static_cast<uint32_t>(251 + (-v - 108) / 256));
    Put8(s, static_cast<uint32_t>((-v - 108) % 256));
  } else {
    Put8(s, 28);
    Put16(s, static_cast<uint32_t>(v) & 0xFFFF);
  }
  return s;
}
inline std::string CffInt5(uint32_t v) {  // fixed-size DICT integer, for offsets
  std::string s;
  Put8(s, 29);
  Put32(s, v);
  return s;
}
inline std::string CffIndexOf(const std::vector<std::string>& items) {
  std::string s;
  Put16(s, static_cast<uint32_t>(items.size()));
  if (items.empty()) return s;
  Put8(s, 4);
  uint32_t o = 1;
  Put32(s, o);
  for (const std::string& it : items) Put32(s, o += static_cast<uint32_t>(it.size()));
  for (const std::string& it : items) s += it;
  return s;
}

// A name-keyed CFF font: glyph 0 .notdef plus `names` (custom strings) with
// `widths` (index 0 is .notdef's). Glyphs whose width equals default_width
// omit the width operand; glyph 1 reaches its endchar through a local
// subroutine.
inline std::string BuildCff(const std::vector<std::string>& names, const std::vector<int>& widths,
                            int default_width, int nominal_width) {
  std::vector<std::string> strings = names;
  std::vector<std::string> charstrings;
  for (size_t g = 0; g < widths.size(); ++g) {
    std::string cs;
    if (widths[g] != default_width) cs += CffInt(widths[g] - nominal_width);
    if (g == 1) {
      cs += CffInt(0) + CffInt(0) + CffInt(-107);  // dx dy, subr 0 (bias 107)
      Put8(cs, 10);                                // callsubr
    } else {
      Put8(cs, 14);  // endchar
    }
    charstrings.push_back(cs);
  }
  std::string subr;
  Put8(subr, 21);  // rmoveto
  Put8(subr, 14);  // endchar
  std::string priv = CffInt(default_width) + "\x14" + CffInt(nominal_width) + "\x15";
  const size_t priv_fixed = priv.size() + 6;  // + Subrs offset operand and operator
  std::string charset;
  Put8(charset, 0);
  for (size_t k = 0; k < names.size(); ++k) Put16(charset, static_cast<uint32_t>(391 + k));
  const std::string name_index = CffIndexOf({"Test"});
  const std::string string_index = CffIndexOf(strings);
  const std::string gsubrs = CffIndexOf({});
  const size_t top_size = 6 + 6 + 11;  // charset, CharStrings, Private
  const size_t top_index_size = 2 + 1 + 8 + top_size;
  const size_t charset_off = 4 + name_index.size() + top_index_size + string_index.size() + gsubrs.size();
  const std::string cs_index = CffIndexOf(charstrings);
  const size_t cs_off = charset_off + charset.size();
  const size_t priv_off = cs_off + cs_index.size();
  priv += CffInt5(static_cast<uint32_t>(priv_fixed)) + "\x13";
  std::string top = CffInt5(static_cast<uint32_t>(charset_off)) + "\x0f" + CffInt5(static_cast<uint32_t>(cs_off)) +
                    "\x11" + CffInt5(static_cast<uint32_t>(priv.size())) + CffInt5(static_cast<uint32_t>(priv_off)) +
                    "\x12";
  std::string out("\x01\x00\x04\x04", 4);
  out += name_index + CffIndexOf({top}) + string_index + gsubrs + charset + cs_index + priv + CffIndexOf({subr});
  return out;
}

inline std::string Type1Encrypt(const std::string& plain, uint16_t key) {
  std::string out;
  uint16_t r = key;
  for (char ch : plain) {
    auto c = static_cast<uint8_t>(static_cast<uint8_t>(ch) ^ (r >> 8));
    out += static_cast<char>(c);
    r = static_cast<uint16_t>((c + r) * 52845u + 22719u);
  }
  return out;
}

// A Type 1 font with glyphs (name, width) after .notdef (width 0), built-in
// encoding code -> name, FontMatrix scale a (0.001 for 1000 units per em).
inline std::string BuildType1(const std::vector<std::pair<std::string, int>>& glyphs,
                              const std::map<int, std::string>& encoding, const std::string& matrix_a = "0.001") {
  std::string clear = "%!FontType1-1.0: KhTest 001\n12 dict begin\n/FontName /KhTest def\n/FontMatrix [" +
                      matrix_a + " 0 0 " + matrix_a + " 0 0] readonly def\n/Encoding 256 array\n"
                      "0 1 255 {1 index exch /.notdef put} for\n";
  for (auto& [code, name] : encoding) clear += "dup " + std::to_string(code) + " /" + name + " put\n";
  clear += "readonly def\ncurrentdict end\ncurrentfile eexec\n";
  std::string priv = "dup /Private 8 dict dup begin\n/lenIV 4 def\n/Subrs 0 array\n2 index /CharStrings " +
                     std::to_string(glyphs.size() + 1) + " dict dup begin\n";
  std::vector<std::pair<std::string, int>> all = {{".notdef", 0}};
  all.insert(all.end(), glyphs.begin(), glyphs.end());
  for (auto& [name, w] : all) {
    std::string cs = "abcd" + CffInt(0);
    if (w >= -1131 && w <= 1131) {
      cs += CffInt(w);
    } else {
      Put8(cs, 255);  // Type 1 has no 16-bit form: 255 and a 32-bit integer
      Put32(cs, static_cast<uint32_t>(w));
    }
    Put8(cs, 13);  // hsbw
    Put8(cs, 14);  // endchar
    std::string enc = Type1Encrypt(cs, 4330);
    priv += "/" + name + " " + std::to_string(enc.size()) + " RD " + enc + " ND\n";
  }
  priv += "end\nend\nreadonly put\nnoaccess put\ndup /FontName get exch definefont pop\nmark currentfile closefile\n";
  return clear + Type1Encrypt("wxyz" + priv, 55665) + "\n" + std::string(512, '0') + "\ncleartomark\n";
}

}  // namespace kholuu::testing
