#include "formats/pdf/font_program.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

namespace kholuu::formats::pdf {
namespace {

Status Bad(const std::string& what) { return DataLossError("font program: " + what); }
Status TooBig(const std::string& what) { return ResourceExhaustedError("font program: " + what); }

// Big-endian reads that fail (return false) instead of reading past the end.
class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  size_t size() const { return d_.size(); }
  bool U8(size_t at, uint32_t* v) const {
    if (at >= d_.size()) return false;
    *v = static_cast<unsigned char>(d_[at]);
    return true;
  }
  bool U16(size_t at, uint32_t* v) const {
    if (at > d_.size() || d_.size() - at < 2) return false;
    *v = (Byte(at) << 8) | Byte(at + 1);
    return true;
  }
  bool U32(size_t at, uint32_t* v) const {
    if (at > d_.size() || d_.size() - at < 4) return false;
    *v = (Byte(at) << 24) | (Byte(at + 1) << 16) | (Byte(at + 2) << 8) | Byte(at + 3);
    return true;
  }
  // An offset of `n` bytes (1..4).
  bool UN(size_t at, uint32_t n, uint32_t* v) const {
    if (n < 1 || n > 4 || at > d_.size() || d_.size() - at < n) return false;
    uint32_t r = 0;
    for (uint32_t k = 0; k < n; ++k) r = (r << 8) | Byte(at + k);
    *v = r;
    return true;
  }
  bool Has(size_t at, size_t len) const { return at <= d_.size() && d_.size() - at >= len; }
  std::string_view Sub(size_t at, size_t len) const { return d_.substr(at, len); }

 private:
  uint32_t Byte(size_t at) const { return static_cast<unsigned char>(d_[at]); }
  std::string_view d_;
};

// ---------------------------------------------------------------- CFF
// CFF standard strings (Adobe Technical Note 5176, Appendix A), SIDs 0..228:
// the ISOAdobe character set. Higher standard SIDs (expert glyphs and a few
// style names) are given synthetic names "sid<N>" and so never match a PDF
// glyph name; a width check then skips the glyph rather than guess.
constexpr const char* kStdStrings[] = {
    ".notdef", "space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "quoteright",
    "parenleft", "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash", "zero", "one", "two",
    "three", "four", "five", "six", "seven", "eight", "nine", "colon", "semicolon", "less", "equal", "greater",
    "question", "at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R",
    "S", "T", "U", "V", "W", "X", "Y", "Z", "bracketleft", "backslash", "bracketright", "asciicircum",
    "underscore", "quoteleft", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p",
    "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "braceleft", "bar", "braceright", "asciitilde",
    "exclamdown", "cent", "sterling", "fraction", "yen", "florin", "section", "currency", "quotesingle",
    "quotedblleft", "guillemotleft", "guilsinglleft", "guilsinglright", "fi", "fl", "endash", "dagger",
    "daggerdbl", "periodcentered", "paragraph", "bullet", "quotesinglbase", "quotedblbase", "quotedblright",
    "guillemotright", "ellipsis", "perthousand", "questiondown", "grave", "acute", "circumflex", "tilde",
    "macron", "breve", "dotaccent", "dieresis", "ring", "cedilla", "hungarumlaut", "ogonek", "caron", "emdash",
    "AE", "ordfeminine", "Lslash", "Oslash", "OE", "ordmasculine", "ae", "dotlessi", "lslash", "oslash", "oe",
    "germandbls", "onesuperior", "logicalnot", "mu", "trademark", "Eth", "onehalf", "plusminus", "Thorn",
    "onequarter", "divide", "brokenbar", "degree", "thorn", "threequarters", "twosuperior", "registered",
    "minus", "eth", "multiply", "threesuperior", "copyright", "Aacute", "Acircumflex", "Adieresis", "Agrave",
    "Aring", "Atilde", "Ccedilla", "Eacute", "Ecircumflex", "Edieresis", "Egrave", "Iacute", "Icircumflex",
    "Idieresis", "Igrave", "Ntilde", "Oacute", "Ocircumflex", "Odieresis", "Ograve", "Otilde", "Scaron",
    "Uacute", "Ucircumflex", "Udieresis", "Ugrave", "Yacute", "Ydieresis", "Zcaron", "aacute", "acircumflex",
    "adieresis", "agrave", "aring", "atilde", "ccedilla", "eacute", "ecircumflex", "edieresis", "egrave",
    "iacute", "icircumflex", "idieresis", "igrave", "ntilde", "oacute", "ocircumflex", "odieresis", "ograve",
    "otilde", "scaron", "uacute", "ucircumflex", "udieresis", "ugrave", "yacute", "ydieresis", "zcaron"};
constexpr uint32_t kStdStringCount = sizeof(kStdStrings) / sizeof(kStdStrings[0]);
static_assert(kStdStringCount == 229);
constexpr uint32_t kStdStringsTotal = 391;  // custom strings start at SID 391

// A CFF INDEX: count, offset size, offsets; element i is [start_i, end_i).
struct CffIndex {
  uint32_t count = 0;
  std::vector<uint32_t> offsets;  // count + 1 absolute offsets
  size_t end = 0;                 // first byte after the INDEX
  std::string_view Item(const Reader& r, uint32_t i) const {
    return r.Sub(offsets[i], offsets[i + 1] - offsets[i]);
  }
};

Status ReadIndex(const Reader& r, size_t at, size_t max_count, CffIndex* out) {
  uint32_t count = 0;
  if (!r.U16(at, &count)) return Bad("CFF INDEX past the end");
  out->count = count;
  out->offsets.clear();
  if (count == 0) {
    out->end = at + 2;
    return Status::Ok();
  }
  if (count > max_count) return TooBig("CFF INDEX has too many entries");
  uint32_t off_size = 0;
  if (!r.U8(at + 2, &off_size) || off_size < 1 || off_size > 4) return Bad("CFF INDEX offset size");
  size_t base = at + 3 + size_t{count + 1} * off_size - 1;  // offsets are 1-based from here
  out->offsets.reserve(count + 1);
  uint32_t prev = 1;
  for (uint32_t i = 0; i <= count; ++i) {
    uint32_t o = 0;
    if (!r.UN(at + 3 + size_t{i} * off_size, off_size, &o)) return Bad("CFF INDEX offsets past the end");
    if (o < prev || (i == 0 && o != 1)) return Bad("CFF INDEX offsets not increasing");
    prev = o;
    if (base + o > r.size()) return Bad("CFF INDEX data past the end");
    out->offsets.push_back(static_cast<uint32_t>(base + o));
  }
  out->end = out->offsets.back();
  return Status::Ok();
}

// A DICT: operator (12 x is 1200 + x) -> operands.
using CffDict = std::map<int, std::vector<double>>;

Status ReadDict(std::string_view d, CffDict* out) {
  std::vector<double> ops;
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<unsigned char>(d[k]); };
  while (i < d.size()) {
    unsigned b0 = byte(i);
    if (b0 <= 21) {
      int op = static_cast<int>(b0);
      ++i;
      if (b0 == 12) {
        if (i >= d.size()) return Bad("CFF DICT escape at the end");
        op = 1200 + byte(i++);
      }
      (*out)[op] = ops;
      ops.clear();
    } else if (b0 == 28) {
      if (d.size() - i < 3) return Bad("CFF DICT number past the end");
      ops.push_back(static_cast<int16_t>((byte(i + 1) << 8) | byte(i + 2)));
      i += 3;
    } else if (b0 == 29) {
      if (d.size() - i < 5) return Bad("CFF DICT number past the end");
      uint32_t v = (uint32_t{byte(i + 1)} << 24) | (uint32_t{byte(i + 2)} << 16) | (uint32_t{byte(i + 3)} << 8) |
                   byte(i + 4);
      ops.push_back(static_cast<int32_t>(v));
      i += 5;
    } else if (b0 == 30) {
      // Real: nibbles 0-9 digits, a '.', b 'E', c 'E-', e '-', f end.
      std::string s;
      ++i;
      bool done = false;
      while (i < d.size() && !done && s.size() < 64) {
        unsigned v = byte(i++);
        for (unsigned nib : {v >> 4, v & 15u}) {
          if (nib <= 9) s += static_cast<char>('0' + nib);
          else if (nib == 0xa) s += '.';
          else if (nib == 0xb) s += 'E';
          else if (nib == 0xc) s += "E-";
          else if (nib == 0xe) s += '-';
          else if (nib == 0xf) { done = true; break; }
        }
      }
      if (!done) return Bad("CFF DICT real not terminated");
      ops.push_back(std::strtod(s.c_str(), nullptr));
    } else if (b0 >= 32 && b0 <= 246) {
      ops.push_back(static_cast<double>(static_cast<int>(b0) - 139));
      ++i;
    } else if (b0 >= 247 && b0 <= 254) {
      if (d.size() - i < 2) return Bad("CFF DICT number past the end");
      int b1 = byte(i + 1);
      int v = b0 <= 250 ? (static_cast<int>(b0) - 247) * 256 + b1 + 108 : -(static_cast<int>(b0) - 251) * 256 - b1 - 108;
      ops.push_back(v);
      i += 2;
    } else {
      return Bad("CFF DICT reserved byte");
    }
    if (ops.size() > 48) return Bad("CFF DICT operand stack overflow");
  }
  return Status::Ok();
}

double DictNum(const CffDict& d, int op, size_t k, double def) {
  auto it = d.find(op);
  return (it == d.end() || it->second.size() <= k) ? def : it->second[k];
}

// An offset operand: a finite non-negative integer within the data, else nullopt.
std::optional<size_t> DictOffset(const CffDict& d, int op, size_t k, size_t limit) {
  auto it = d.find(op);
  if (it == d.end() || it->second.size() <= k) return std::nullopt;
  double v = it->second[k];
  if (!std::isfinite(v) || v < 0 || v > static_cast<double>(limit)) return std::nullopt;
  return static_cast<size_t>(v);
}

uint32_t SubrBias(uint32_t count) { return count < 1240 ? 107 : count < 33900 ? 1131 : 32768; }

// Finds the advance of one Type 2 charstring: the first stack-clearing
// operator decides whether an extra first operand (the width) is present.
class Type2Width {
 public:
  // `budget` is the number of charstring bytes still allowed for the whole
  // font; each Run spends from it, so subroutine calls cannot multiply work.
  Type2Width(const Reader& r, const CffIndex& gsubrs, const CffIndex* lsubrs, const FontProgramLimits& limits,
             size_t* budget)
      : r_(r), gsubrs_(gsubrs), lsubrs_(lsubrs), limits_(limits), budget_(budget) {}

  // Returns the width operand if present (nullopt: use defaultWidthX).
  // Errors: kDataLoss, kResourceExhausted (subroutine nesting or work).
  Result<std::optional<double>> Run(std::string_view cs) {
    stack_.clear();
    ops_ = 0;
    decided_ = false;
    width_.reset();
    KHOLUU_RETURN_IF_ERROR(Exec(cs, 0));
    return width_;
  }

 private:
  Status Exec(std::string_view cs, int depth) {
    if (depth > limits_.max_subr_depth) return TooBig("charstring subroutines nested too deeply");
    if (cs.size() > *budget_) return TooBig("charstrings need too much work");
    *budget_ -= cs.size();
    size_t i = 0;
    auto byte = [&](size_t k) { return static_cast<unsigned char>(cs[k]); };
    while (i < cs.size() && !decided_) {
      unsigned b0 = byte(i);
      if (b0 == 28) {
        if (cs.size() - i < 3) return Bad("charstring number past the end");
        Push(static_cast<int16_t>((byte(i + 1) << 8) | byte(i + 2)));
        i += 3;
      } else if (b0 >= 32 && b0 <= 246) {
        Push(static_cast<double>(static_cast<int>(b0) - 139));
        ++i;
      } else if (b0 >= 247 && b0 <= 254) {
        if (cs.size() - i < 2) return Bad("charstring number past the end");
        int b1 = byte(i + 1);
        Push(b0 <= 250 ? (static_cast<int>(b0) - 247) * 256 + b1 + 108 : -(static_cast<int>(b0) - 251) * 256 - b1 - 108);
        i += 2;
      } else if (b0 == 255) {
        if (cs.size() - i < 5) return Bad("charstring number past the end");
        uint32_t v = (uint32_t{byte(i + 1)} << 24) | (uint32_t{byte(i + 2)} << 16) | (uint32_t{byte(i + 3)} << 8) |
                     byte(i + 4);
        Push(static_cast<int32_t>(v) / 65536.0);
        i += 5;
      } else {
        if (++ops_ > limits_.max_charstring_ops) return TooBig("charstring too long");
        ++i;
        if (b0 == 12) {
          if (i >= cs.size()) return Bad("charstring escape at the end");
          ++i;
          decided_ = true;  // no escaped operator comes before the width
          return Status::Ok();
        }
        if (b0 == 10 || b0 == 29) {  // callsubr, callgsubr
          const CffIndex* idx = b0 == 10 ? lsubrs_ : &gsubrs_;
          if (idx == nullptr || stack_.empty()) return Bad("charstring calls a missing subroutine");
          double n = stack_.back() + SubrBias(idx->count);
          stack_.pop_back();
          if (!(n >= 0 && n < idx->count)) return Bad("charstring subroutine number out of range");
          KHOLUU_RETURN_IF_ERROR(Exec(idx->Item(r_, static_cast<uint32_t>(n)), depth + 1));
          continue;
        }
        if (b0 == 11) return Status::Ok();  // return
        size_t n = stack_.size();
        bool has_width = false;
        switch (b0) {
          case 1: case 3: case 18: case 23: case 19: case 20: case 21:  // stems, hintmask, rmoveto
            has_width = (b0 == 21 ? n == 3 : (n % 2) == 1);
            break;
          case 4: case 22:  // vmoveto, hmoveto
            has_width = n == 2;
            break;
          case 14:  // endchar (optionally with seac arguments)
            has_width = n == 1 || n == 5;
            break;
          default:
            break;
        }
        if (has_width && n > 0) width_ = stack_.front();
        decided_ = true;
      }
    }
    return Status::Ok();
  }
  void Push(double v) {
    if (stack_.size() < 48) stack_.push_back(v);
  }

  const Reader& r_;
  const CffIndex& gsubrs_;
  const CffIndex* lsubrs_;
  const FontProgramLimits& limits_;
  size_t* budget_;
  std::vector<double> stack_;
  size_t ops_ = 0;
  bool decided_ = false;
  std::optional<double> width_;
};

std::string SidName(uint32_t sid, const CffIndex& strings, const Reader& r) {
  if (sid < kStdStringCount) return kStdStrings[sid];
  if (sid < kStdStringsTotal) return "sid" + std::to_string(sid);
  uint32_t k = sid - kStdStringsTotal;
  if (k < strings.count) return std::string(strings.Item(r, k));
  return "sid" + std::to_string(sid);
}

struct PrivateInfo {
  double default_width = 0;
  double nominal_width = 0;
  CffIndex subrs;
  bool has_subrs = false;
};

Status ReadPrivate(const Reader& r, const CffDict& font_dict, const FontProgramLimits& limits, PrivateInfo* out) {
  auto size = DictOffset(font_dict, 18, 0, r.size());
  auto off = DictOffset(font_dict, 18, 1, r.size());
  if (!size || !off) return Status::Ok();  // no Private DICT: widths 0
  if (!r.Has(*off, *size)) return Bad("CFF Private DICT past the end");
  CffDict priv;
  KHOLUU_RETURN_IF_ERROR(ReadDict(r.Sub(*off, *size), &priv));
  out->default_width = DictNum(priv, 20, 0, 0);
  out->nominal_width = DictNum(priv, 21, 0, 0);
  if (auto s = DictOffset(priv, 19, 0, r.size()); s && *off + *s < r.size()) {
    KHOLUU_RETURN_IF_ERROR(ReadIndex(r, *off + *s, 65536, &out->subrs));
    out->has_subrs = true;
  }
  (void)limits;
  return Status::Ok();
}

}  // namespace

Result<FontProgram> ParseCffProgram(std::string_view data, const FontProgramLimits& limits) {
  if (data.size() > limits.max_bytes) return TooBig("larger than the limit");
  Reader r(data);
  uint32_t major = 0, hdr = 0;
  if (!r.U8(0, &major) || !r.U8(2, &hdr) || major != 1 || hdr < 4) return Bad("not a CFF header");
  CffIndex names, tops, strings, gsubrs;
  KHOLUU_RETURN_IF_ERROR(ReadIndex(r, hdr, 65536, &names));
  KHOLUU_RETURN_IF_ERROR(ReadIndex(r, names.end, 65536, &tops));
  KHOLUU_RETURN_IF_ERROR(ReadIndex(r, tops.end, 65536, &strings));
  KHOLUU_RETURN_IF_ERROR(ReadIndex(r, strings.end, 65536, &gsubrs));
  if (tops.count < 1) return Bad("CFF has no Top DICT");
  CffDict top;
  KHOLUU_RETURN_IF_ERROR(ReadDict(tops.Item(r, 0), &top));
  FontProgram fp;
  fp.type = FontProgramType::kCff;
  double m0 = DictNum(top, 1207, 0, 0.001);
  fp.width_scale = (std::isfinite(m0) && m0 > 0 && m0 < 1) ? m0 * 1000.0 : 1.0;
  fp.cid_keyed = top.count(1230) > 0;
  auto cs_off = DictOffset(top, 17, 0, r.size());
  if (!cs_off) return Bad("CFF has no CharStrings");
  CffIndex charstrings;
  KHOLUU_RETURN_IF_ERROR(ReadIndex(r, *cs_off, limits.max_glyphs, &charstrings));
  const uint32_t n = charstrings.count;
  if (n == 0) return Bad("CFF has no glyphs");
  fp.glyph_count = n;
  fp.has_outline.assign(n, true);

  // charset: glyph index -> SID (name-keyed) or CID.
  std::vector<uint32_t> ids(n, 0);
  const size_t charset = DictOffset(top, 15, 0, r.size()).value_or(0);
  if (charset <= 2) {
    // Predefined ISOAdobe (0); Expert sets (1, 2) are not mapped to names here.
    for (uint32_t g = 0; g < n; ++g) ids[g] = charset == 0 ? g : (g == 0 ? 0 : kStdStringsTotal + 100000 + g);
  } else {
    uint32_t fmt = 0;
    if (!r.U8(charset, &fmt)) return Bad("CFF charset past the end");
    size_t p = charset + 1;
    uint32_t g = 1;
    if (fmt == 0) {
      for (; g < n; ++g, p += 2) {
        if (!r.U16(p, &ids[g])) return Bad("CFF charset past the end");
      }
    } else if (fmt == 1 || fmt == 2) {
      while (g < n) {
        uint32_t first = 0, left = 0;
        if (!r.U16(p, &first) || !(fmt == 1 ? r.U8(p + 2, &left) : r.U16(p + 2, &left))) {
          return Bad("CFF charset past the end");
        }
        p += fmt == 1 ? 3 : 4;
        for (uint32_t k = 0; k <= left && g < n; ++k) ids[g++] = first + k;
      }
    } else {
      return Bad("CFF charset format");
    }
  }
  if (fp.cid_keyed) {
    fp.cids = ids;
  } else {
    fp.glyph_names.reserve(n);
    for (uint32_t g = 0; g < n; ++g) fp.glyph_names.push_back(SidName(ids[g], strings, r));
  }

  // Built-in encoding (name-keyed only): 0 standard, 1 expert, else custom.
  if (!fp.cid_keyed) {
    const size_t enc = DictOffset(top, 16, 0, r.size()).value_or(0);
    if (enc == 0) {
      fp.standard_encoding = true;
    } else if (enc > 1) {
      uint32_t fmt = 0;
      if (r.U8(enc, &fmt)) {
        uint32_t cnt = 0;
        if ((fmt & 0x7f) == 0 && r.U8(enc + 1, &cnt)) {
          for (uint32_t k = 0; k < cnt && k + 1 < n; ++k) {
            uint32_t code = 0;
            if (!r.U8(enc + 2 + k, &code)) break;
            fp.encoding[static_cast<int>(code)] = fp.glyph_names[k + 1];
          }
        } else if ((fmt & 0x7f) == 1 && r.U8(enc + 1, &cnt)) {
          uint32_t g = 1;
          for (uint32_t k = 0; k < cnt; ++k) {
            uint32_t first = 0, left = 0;
            if (!r.U8(enc + 2 + 2 * k, &first) || !r.U8(enc + 3 + 2 * k, &left)) break;
            for (uint32_t c = first; c <= first + left && g < n && c < 256; ++c) {
              fp.encoding[static_cast<int>(c)] = fp.glyph_names[g++];
            }
          }
        }
      }
    }
  }

  // Widths: per glyph Private DICT (FDSelect for CID-keyed fonts).
  std::vector<PrivateInfo> privs;
  std::vector<uint32_t> fd_of(n, 0);
  if (fp.cid_keyed) {
    auto fda = DictOffset(top, 1236, 0, r.size());
    CffIndex fdarray;
    if (fda) KHOLUU_RETURN_IF_ERROR(ReadIndex(r, *fda, 256, &fdarray));
    for (uint32_t k = 0; k < fdarray.count; ++k) {
      CffDict fd;
      KHOLUU_RETURN_IF_ERROR(ReadDict(fdarray.Item(r, k), &fd));
      privs.emplace_back();
      KHOLUU_RETURN_IF_ERROR(ReadPrivate(r, fd, limits, &privs.back()));
    }
    if (auto fds = DictOffset(top, 1237, 0, r.size())) {
      uint32_t fmt = 0;
      if (!r.U8(*fds, &fmt)) return Bad("CFF FDSelect past the end");
      if (fmt == 0) {
        for (uint32_t g = 0; g < n; ++g) {
          if (!r.U8(*fds + 1 + g, &fd_of[g])) return Bad("CFF FDSelect past the end");
        }
      } else if (fmt == 3) {
        uint32_t nr = 0;
        if (!r.U16(*fds + 1, &nr)) return Bad("CFF FDSelect past the end");
        for (uint32_t k = 0; k < nr; ++k) {
          uint32_t first = 0, fd = 0, next = 0;
          size_t p = *fds + 3 + size_t{k} * 3;
          if (!r.U16(p, &first) || !r.U8(p + 2, &fd) || !r.U16(p + 3, &next)) return Bad("CFF FDSelect past the end");
          for (uint32_t g = first; g < next && g < n; ++g) fd_of[g] = fd;
        }
      } else {
        return Bad("CFF FDSelect format");
      }
    }
  }
  if (privs.empty()) {
    privs.emplace_back();
    KHOLUU_RETURN_IF_ERROR(ReadPrivate(r, top, limits, &privs.back()));
  }
  fp.advances.assign(n, 0);
  size_t budget = limits.max_charstring_work;
  for (uint32_t g = 0; g < n; ++g) {
    const PrivateInfo& pi = privs[fd_of[g] < privs.size() ? fd_of[g] : 0];
    Type2Width w(r, gsubrs, pi.has_subrs ? &pi.subrs : nullptr, limits, &budget);
    Result<std::optional<double>> wr = w.Run(charstrings.Item(r, g));
    if (!wr.ok()) return wr.status();
    fp.advances[g] = wr->has_value() ? pi.nominal_width + **wr : pi.default_width;
  }
  return fp;
}

// ---------------------------------------------------------------- sfnt
Result<FontProgram> ParseTrueTypeProgram(std::string_view data, const FontProgramLimits& limits) {
  if (data.size() > limits.max_bytes) return TooBig("larger than the limit");
  Reader r(data);
  uint32_t num_tables = 0;
  if (!r.U16(4, &num_tables)) return Bad("sfnt header past the end");
  std::map<std::string, std::string_view> tables;
  for (uint32_t t = 0; t < num_tables; ++t) {
    size_t rec = 12 + size_t{t} * 16;
    uint32_t off = 0, len = 0;
    if (!r.Has(rec, 16) || !r.U32(rec + 8, &off) || !r.U32(rec + 12, &len)) return Bad("sfnt table directory past the end");
    // A table that extends past the end is cut at the end (common in subsets);
    // one that starts past it is treated as absent.
    if (off >= r.size()) continue;
    tables.emplace(std::string(r.Sub(rec, 4)), r.Sub(off, std::min<size_t>(len, r.size() - off)));
  }
  auto table = [&](const char* tag) -> std::optional<Reader> {
    auto it = tables.find(tag);
    if (it == tables.end()) return std::nullopt;
    return Reader(it->second);
  };
  FontProgram fp;
  std::optional<Reader> cff = table("CFF ");
  if (cff && !tables.count("glyf")) {
    auto c = ParseCffProgram(tables["CFF "], limits);
    if (!c.ok()) return c.status();
    fp = std::move(*c);
  }
  fp.type = FontProgramType::kTrueType;
  auto head = table("head");
  auto maxp = table("maxp");
  if (!head || !maxp) return Bad("sfnt without head or maxp");
  uint32_t upem = 0, loc_format = 0, num_glyphs = 0;
  if (!head->U16(18, &upem) || !head->U16(50, &loc_format) || !maxp->U16(4, &num_glyphs)) return Bad("head or maxp too short");
  if (upem < 16 || upem > 16384) return Bad("head unitsPerEm out of range");
  if (num_glyphs == 0) return Bad("maxp numGlyphs is 0");
  if (num_glyphs > limits.max_glyphs) return TooBig("too many glyphs");
  fp.width_scale = 1000.0 / upem;
  fp.glyph_count = num_glyphs;
  fp.advances.assign(num_glyphs, 0);
  if (fp.has_outline.size() != num_glyphs) fp.has_outline.assign(num_glyphs, true);
  if (fp.glyph_names.size() > num_glyphs) fp.glyph_names.resize(num_glyphs);
  if (fp.cids.size() > num_glyphs) fp.cids.resize(num_glyphs);
  auto hhea = table("hhea");
  auto hmtx = table("hmtx");
  if (hhea && hmtx) {
    uint32_t nh = 0;
    if (!hhea->U16(34, &nh)) return Bad("hhea too short");
    nh = std::min(nh, num_glyphs);
    uint32_t last = 0;
    for (uint32_t g = 0; g < num_glyphs; ++g) {
      if (g < nh) {
        if (!hmtx->U16(size_t{g} * 4, &last)) return Bad("hmtx shorter than numberOfHMetrics");
      }
      fp.advances[g] = last;  // glyphs past numberOfHMetrics share the last advance
    }
  } else if (!cff) {
    return Bad("sfnt without hhea or hmtx");
  }
  if (auto loca = table("loca"); loca && tables.count("glyf")) {
    uint32_t prev = 0;
    for (uint32_t g = 0; g <= num_glyphs; ++g) {
      uint32_t v = 0;
      bool ok = loc_format == 0 ? loca->U16(size_t{g} * 2, &v) : loca->U32(size_t{g} * 4, &v);
      if (!ok) return Bad("loca shorter than numGlyphs + 1 entries");
      if (loc_format == 0) v *= 2;
      if (g > 0) fp.has_outline[g - 1] = v > prev;
      prev = v;
    }
  } else if (!cff) {
    return Bad("TrueType font without loca or glyf");
  }
  // cmap subtables: formats 0, 4, 6 and 12.
  if (auto cmap = table("cmap")) {
    uint32_t nsub = 0;
    if (!cmap->U16(2, &nsub)) return Bad("cmap too short");
    size_t entries = 0;
    for (uint32_t s = 0; s < nsub && s < 64; ++s) {
      uint32_t pid = 0, eid = 0, off = 0, fmt = 0;
      if (!cmap->U16(4 + size_t{s} * 8, &pid) || !cmap->U16(6 + size_t{s} * 8, &eid) ||
          !cmap->U32(8 + size_t{s} * 8, &off)) {
        return Bad("cmap encoding records past the end");
      }
      FontProgram::Cmap cm;
      cm.platform = static_cast<uint16_t>(pid);
      cm.encoding = static_cast<uint16_t>(eid);
      if (!cmap->U16(off, &fmt)) return Bad("cmap subtable past the end");
      auto add = [&](uint32_t code, uint32_t gid) -> Status {
        if (++entries > limits.max_cmap_entries) return TooBig("cmap has too many entries");
        if (gid != 0) cm.glyphs[code] = gid;
        return Status::Ok();
      };
      if (fmt == 0) {
        for (uint32_t c = 0; c < 256; ++c) {
          uint32_t g = 0;
          if (!cmap->U8(off + 6 + c, &g)) return Bad("cmap format 0 past the end");
          KHOLUU_RETURN_IF_ERROR(add(c, g));
        }
      } else if (fmt == 4) {
        uint32_t segx2 = 0;
        if (!cmap->U16(off + 6, &segx2)) return Bad("cmap format 4 past the end");
        uint32_t segs = segx2 / 2;
        size_t ends = off + 14, starts = ends + segx2 + 2, deltas = starts + segx2, ranges = deltas + segx2;
        for (uint32_t k = 0; k < segs; ++k) {
          uint32_t end = 0, start = 0, delta = 0, ro = 0;
          if (!cmap->U16(ends + 2 * k, &end) || !cmap->U16(starts + 2 * k, &start) ||
              !cmap->U16(deltas + 2 * k, &delta) || !cmap->U16(ranges + 2 * k, &ro)) {
            return Bad("cmap format 4 segments past the end");
          }
          if (start > end || start == 0xFFFF) continue;
          for (uint32_t c = start; c <= end; ++c) {
            uint32_t g = 0;
            if (ro == 0) {
              g = (c + delta) & 0xFFFF;
            } else {
              size_t at = ranges + 2 * k + ro + 2 * size_t{c - start};
              if (!cmap->U16(at, &g)) return Bad("cmap format 4 glyph array past the end");
              if (g != 0) g = (g + delta) & 0xFFFF;
            }
            KHOLUU_RETURN_IF_ERROR(add(c, g));
          }
        }
      } else if (fmt == 6) {
        uint32_t first = 0, cnt = 0;
        if (!cmap->U16(off + 6, &first) || !cmap->U16(off + 8, &cnt)) return Bad("cmap format 6 past the end");
        for (uint32_t k = 0; k < cnt; ++k) {
          uint32_t g = 0;
          if (!cmap->U16(off + 10 + 2 * size_t{k}, &g)) return Bad("cmap format 6 past the end");
          KHOLUU_RETURN_IF_ERROR(add(first + k, g));
        }
      } else if (fmt == 12) {
        uint32_t groups = 0;
        if (!cmap->U32(off + 12, &groups)) return Bad("cmap format 12 past the end");
        for (uint32_t k = 0; k < groups; ++k) {
          uint32_t a = 0, b = 0, g = 0;
          size_t p = off + 16 + size_t{k} * 12;
          if (!cmap->U32(p, &a) || !cmap->U32(p + 4, &b) || !cmap->U32(p + 8, &g)) return Bad("cmap format 12 past the end");
          if (a > b || b > 0x10FFFF) return Bad("cmap format 12 group out of range");
          for (uint32_t c = a; c <= b; ++c) KHOLUU_RETURN_IF_ERROR(add(c, g + (c - a)));
        }
      }
      fp.cmaps.push_back(std::move(cm));
    }
  }
  return fp;
}

// ---------------------------------------------------------------- Type 1
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0'; }
bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int HexVal(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

// eexec / charstring decryption (Type 1 Font Format, chapter 7).
std::string Decrypt(std::string_view in, uint16_t key, size_t skip) {
  std::string out;
  out.reserve(in.size());
  uint16_t r = key;
  for (char ch : in) {
    auto c = static_cast<uint8_t>(ch);
    out += static_cast<char>(c ^ (r >> 8));
    r = static_cast<uint16_t>((c + r) * 52845u + 22719u);
  }
  return out.size() >= skip ? out.substr(skip) : std::string();
}

// The next whitespace-delimited token at *p (PostScript names keep their '/').
std::string_view Token(std::string_view s, size_t* p) {
  while (*p < s.size() && IsSpace(s[*p])) ++*p;
  size_t b = *p;
  if (*p < s.size() && (s[*p] == '[' || s[*p] == ']' || s[*p] == '{' || s[*p] == '}')) {
    ++*p;
    return s.substr(b, 1);
  }
  if (*p < s.size() && s[*p] == '/') ++*p;
  while (*p < s.size() && !IsSpace(s[*p]) && s[*p] != '/' && s[*p] != '[' && s[*p] != ']' && s[*p] != '{' && s[*p] != '}') ++*p;
  return s.substr(b, *p - b);
}

bool ToInt(std::string_view t, long* v) {
  if (t.empty() || t.size() > 10) return false;
  long r = 0;
  size_t i = t[0] == '-' ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i) {
    if (t[i] < '0' || t[i] > '9') return false;
    r = r * 10 + (t[i] - '0');
  }
  *v = t[0] == '-' ? -r : r;
  return true;
}

// The width (wx) set by hsbw or sbw at the start of a decrypted Type 1 charstring.
std::optional<double> Type1Width(std::string_view cs) {
  std::vector<double> st;
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<unsigned char>(cs[k]); };
  while (i < cs.size() && st.size() < 24) {
    unsigned v = byte(i);
    if (v >= 32 && v <= 246) {
      st.push_back(static_cast<int>(v) - 139);
      ++i;
    } else if (v >= 247 && v <= 254) {
      if (cs.size() - i < 2) return std::nullopt;
      int w = byte(i + 1);
      st.push_back(v <= 250 ? (static_cast<int>(v) - 247) * 256 + w + 108 : -(static_cast<int>(v) - 251) * 256 - w - 108);
      i += 2;
    } else if (v == 255) {
      if (cs.size() - i < 5) return std::nullopt;
      uint32_t x = (uint32_t{byte(i + 1)} << 24) | (uint32_t{byte(i + 2)} << 16) | (uint32_t{byte(i + 3)} << 8) |
                   byte(i + 4);
      st.push_back(static_cast<int32_t>(x));
      i += 5;
    } else if (v == 13) {  // hsbw: sbx wx
      return st.size() >= 2 ? std::optional<double>(st[st.size() - 1]) : std::nullopt;
    } else if (v == 12 && i + 1 < cs.size() && byte(i + 1) == 7) {  // sbw: sbx sby wx wy
      return st.size() >= 4 ? std::optional<double>(st[st.size() - 2]) : std::nullopt;
    } else if (v == 12 && i + 1 < cs.size() && byte(i + 1) == 12 && st.size() >= 2) {  // div
      double b = st.back();
      st.pop_back();
      if (b == 0) return std::nullopt;
      st.back() /= b;
      i += 2;
    } else {
      return std::nullopt;  // hsbw/sbw must come first
    }
  }
  return std::nullopt;
}

}  // namespace

Result<FontProgram> ParseType1Program(std::string_view data, const FontProgramLimits& limits) {
  if (data.size() > limits.max_bytes) return TooBig("larger than the limit");
  // A PFB segment header (0x80 0x01 len32le) may precede the cleartext.
  std::string joined;
  if (data.size() >= 6 && static_cast<unsigned char>(data[0]) == 0x80) {
    size_t p = 0;
    while (p + 6 <= data.size() && static_cast<unsigned char>(data[p]) == 0x80 && data[p + 1] != 3) {
      uint32_t len = static_cast<uint32_t>(static_cast<unsigned char>(data[p + 2])) |
                     static_cast<uint32_t>(static_cast<unsigned char>(data[p + 3])) << 8 |
                     static_cast<uint32_t>(static_cast<unsigned char>(data[p + 4])) << 16 |
                     static_cast<uint32_t>(static_cast<unsigned char>(data[p + 5])) << 24;
      p += 6;
      size_t take = std::min<size_t>(len, data.size() - p);
      joined.append(data.substr(p, take));
      p += take;
    }
    data = joined;
  }
  size_t ex = data.find("eexec");
  if (data.substr(0, 2) != "%!" || ex == std::string_view::npos) return Bad("not a Type 1 font program");
  std::string_view clear = data.substr(0, ex);
  FontProgram fp;
  fp.type = FontProgramType::kType1;
  fp.width_scale = 1.0;
  // FontMatrix [a b c d e f]: widths are in glyph space; a * 1000 converts.
  if (size_t m = clear.find("/FontMatrix"); m != std::string_view::npos) {
    size_t p = m + 11;
    std::string_view t = Token(clear, &p);
    if (t == "[" || t == "{") {
      std::string a(Token(clear, &p));
      char* end = nullptr;
      double v = std::strtod(a.c_str(), &end);
      if (end != a.c_str() && std::isfinite(v) && v > 0 && v < 1) fp.width_scale = v * 1000;
    }
  } else {
    fp.width_scale = 1.0;  // the default [0.001 0 0 0.001 0 0]
  }
  if (size_t e = clear.find("/Encoding"); e != std::string_view::npos) {
    size_t p = e + 9;
    std::string_view t = Token(clear, &p);
    if (t == "StandardEncoding") {
      fp.standard_encoding = true;
    } else {
      // "dup <code> /<name> put" entries up to the closing "def".
      size_t guard = 0;
      while (p < clear.size() && guard++ < 4096) {
        t = Token(clear, &p);
        if (t.empty() || t == "def" || t == "readonly") break;
        if (t != "dup") continue;
        long code = 0;
        if (!ToInt(Token(clear, &p), &code)) continue;
        std::string_view name = Token(clear, &p);
        if (code >= 0 && code < 256 && name.size() > 1 && name[0] == '/') fp.encoding[static_cast<int>(code)] = std::string(name.substr(1));
      }
    }
  }
  // The encrypted part: binary, or hexadecimal when its first four bytes are hex digits.
  size_t p = ex + 5;
  while (p < data.size() && IsSpace(data[p])) ++p;
  std::string_view enc = data.substr(p);
  std::string bin;
  if (enc.size() >= 4 && IsHex(enc[0]) && IsHex(enc[1]) && IsHex(enc[2]) && IsHex(enc[3])) {
    int hi = -1;
    for (char c : enc) {
      if (IsSpace(c)) continue;
      if (!IsHex(c)) break;
      if (hi < 0) {
        hi = HexVal(c);
      } else {
        bin += static_cast<char>(hi * 16 + HexVal(c));
        hi = -1;
      }
    }
    enc = bin;
  }
  const std::string priv = Decrypt(enc, 55665, 4);
  std::string_view pv(priv);
  long len_iv = 4;
  if (size_t l = pv.find("/lenIV"); l != std::string_view::npos) {
    size_t q = l + 6;
    long v = 0;
    if (ToInt(Token(pv, &q), &v) && v >= -1 && v <= 64) len_iv = v;
  }
  size_t cs = pv.find("/CharStrings");
  if (cs == std::string_view::npos) return Bad("Type 1 program has no CharStrings");
  size_t q = cs + 12;
  long declared = 0;
  if (!ToInt(Token(pv, &q), &declared) || declared < 0) return Bad("Type 1 CharStrings count");
  // "/name len RD <len bytes> ND" until "end".
  while (q < pv.size()) {
    std::string_view name = Token(pv, &q);
    if (name.empty() || name == "end") break;
    if (name[0] != '/' || name.size() < 2) continue;  // "dict", "dup", "begin", ...
    long len = 0;
    if (!ToInt(Token(pv, &q), &len)) continue;
    std::string_view rd = Token(pv, &q);
    if (rd != "RD" && rd != "-|") continue;
    ++q;  // exactly one space separates RD from the binary data
    if (len < 0 || q > pv.size() || static_cast<size_t>(len) > pv.size() - q) return Bad("Type 1 charstring past the end");
    if (fp.glyph_count >= limits.max_glyphs) return TooBig("too many glyphs");
    std::string_view raw = pv.substr(q, static_cast<size_t>(len));
    q += static_cast<size_t>(len);
    std::string plain = len_iv < 0 ? std::string(raw) : Decrypt(raw, 4330, static_cast<size_t>(len_iv));
    std::optional<double> w = Type1Width(plain);
    fp.glyph_names.emplace_back(name.substr(1));
    fp.advances.push_back(w.value_or(0));
    fp.has_outline.push_back(true);
    ++fp.glyph_count;
  }
  if (fp.glyph_count == 0) return Bad("Type 1 program has no glyphs");
  return fp;
}

Result<FontProgram> ParseFontProgram(std::string_view data, const FontProgramLimits& limits) {
  if (data.size() >= 4) {
    std::string_view m = data.substr(0, 4);
    if (m == std::string_view("\0\1\0\0", 4) || m == "true" || m == "OTTO") return ParseTrueTypeProgram(data, limits);
    if (data[0] == 1 && data[1] == 0) return ParseCffProgram(data, limits);
  }
  return ParseType1Program(data, limits);
}

std::optional<uint32_t> FontProgram::GlyphByName(std::string_view name) const {
  for (size_t g = 0; g < glyph_names.size(); ++g) {
    if (glyph_names[g] == name) return static_cast<uint32_t>(g);
  }
  return std::nullopt;
}

std::optional<uint32_t> FontProgram::GlyphByCid(uint32_t cid) const {
  for (size_t g = 0; g < cids.size(); ++g) {
    if (cids[g] == cid) return static_cast<uint32_t>(g);
  }
  return std::nullopt;
}

std::optional<double> FontProgram::Width1000(uint32_t gid) const {
  if (gid >= advances.size()) return std::nullopt;
  return advances[gid] * width_scale;
}

const FontProgram::Cmap* FontProgram::FindCmap(uint16_t platform, uint16_t encoding_id) const {
  for (const Cmap& c : cmaps) {
    if (c.platform == platform && c.encoding == encoding_id) return &c;
  }
  return nullptr;
}

}  // namespace kholuu::formats::pdf
