#include "formats/pdfsig/internal/pdf_syntax.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include "formats/common/pdf_lexical.h"

namespace kholuu::formats::pdfsig::internal {
namespace {

constexpr int kMaxDepth = 64;

bool IsRegular(char c) { return !IsPdfWhiteSpace(c) && !IsPdfDelimiter(c); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void SkipWhiteAndComments(std::string_view d, size_t* pos) {
  size_t p = *pos;
  while (p < d.size()) {
    if (IsPdfWhiteSpace(d[p])) {
      ++p;
    } else if (d[p] == '%') {
      while (p < d.size() && d[p] != '\n' && d[p] != '\r') ++p;
    } else {
      break;
    }
  }
  *pos = p;
}

Status Err(const std::string& what, size_t at) {
  return InvalidArgumentError(what + " at offset " + std::to_string(at));
}

Result<PdfObj> ParseAt(std::string_view d, size_t* pos, int depth);

Result<std::string> ParseLiteralString(std::string_view d, size_t* pos) {
  size_t p = *pos + 1;  // past '('
  std::string out;
  int nesting = 1;
  while (p < d.size()) {
    char c = d[p++];
    if (c == '\\') {
      if (p >= d.size()) break;
      char e = d[p++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case '\r':
          if (p < d.size() && d[p] == '\n') ++p;
          break;
        case '\n': break;
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int i = 0; i < 2 && p < d.size() && d[p] >= '0' && d[p] <= '7'; ++i) {
              v = v * 8 + (d[p++] - '0');
            }
            out += static_cast<char>(v & 0xff);
          } else {
            out += e;
          }
      }
    } else if (c == '(') {
      ++nesting;
      out += c;
    } else if (c == ')') {
      if (--nesting == 0) {
        *pos = p;
        return out;
      }
      out += c;
    } else {
      out += c;
    }
  }
  return Err("unterminated literal string", *pos);
}

Result<std::string> ParseHexString(std::string_view d, size_t* pos) {
  size_t p = *pos + 1;  // past '<'
  std::string out;
  int hi = -1;
  while (p < d.size()) {
    char c = d[p++];
    if (c == '>') {
      if (hi >= 0) out += static_cast<char>(hi << 4);
      *pos = p;
      return out;
    }
    if (IsPdfWhiteSpace(c)) continue;
    int v = HexVal(c);
    if (v < 0) return Err("bad hex digit in string", p - 1);
    if (hi < 0) {
      hi = v;
    } else {
      out += static_cast<char>((hi << 4) | v);
      hi = -1;
    }
  }
  return Err("unterminated hex string", *pos);
}

std::string ParseName(std::string_view d, size_t* pos) {
  size_t p = *pos + 1;  // past '/'
  std::string out;
  while (p < d.size() && IsRegular(d[p])) {
    if (d[p] == '#' && p + 2 < d.size() && HexVal(d[p + 1]) >= 0 && HexVal(d[p + 2]) >= 0) {
      out += static_cast<char>(HexVal(d[p + 1]) * 16 + HexVal(d[p + 2]));
      p += 3;
    } else {
      out += d[p++];
    }
  }
  *pos = p;
  return out;
}

// Reads a non-negative integer token at p without consuming; returns end or npos.
size_t UIntEnd(std::string_view d, size_t p) {
  size_t q = p;
  while (q < d.size() && IsDigit(d[q])) ++q;
  if (q == p || q - p > 10) return std::string_view::npos;
  if (q < d.size() && IsRegular(d[q])) return std::string_view::npos;
  return q;
}

uint32_t ToU32(std::string_view digits) {
  uint64_t v = 0;
  for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v > 0xffffffffu ? 0xffffffffu : static_cast<uint32_t>(v);
}

Result<PdfObj> ParseAt(std::string_view d, size_t* pos, int depth) {
  if (depth > kMaxDepth) return Err("objects nested too deeply", *pos);
  SkipWhiteAndComments(d, pos);
  size_t p = *pos;
  if (p >= d.size()) return Err("unexpected end of data", p);
  PdfObj o;
  o.begin = p;
  char c = d[p];
  if (c == '/') {
    o.kind = Kind::kName;
    o.text = ParseName(d, pos);
  } else if (c == '(') {
    o.kind = Kind::kString;
    KHOLUU_ASSIGN_OR_RETURN(o.text, ParseLiteralString(d, pos));
  } else if (c == '<' && p + 1 < d.size() && d[p + 1] == '<') {
    o.kind = Kind::kDict;
    *pos = p + 2;
    for (;;) {
      SkipWhiteAndComments(d, pos);
      if (*pos >= d.size()) return Err("unterminated dictionary", p);
      if (d[*pos] == '>' && *pos + 1 < d.size() && d[*pos + 1] == '>') {
        *pos += 2;
        break;
      }
      if (d[*pos] != '/') return Err("dictionary key is not a name", *pos);
      std::string key = ParseName(d, pos);
      KHOLUU_ASSIGN_OR_RETURN(PdfObj value, ParseAt(d, pos, depth + 1));
      o.dict.push_back(DictEntry{std::move(key), std::move(value)});
    }
  } else if (c == '<') {
    o.kind = Kind::kString;
    o.hex = true;
    KHOLUU_ASSIGN_OR_RETURN(o.text, ParseHexString(d, pos));
  } else if (c == '[') {
    o.kind = Kind::kArray;
    *pos = p + 1;
    for (;;) {
      SkipWhiteAndComments(d, pos);
      if (*pos >= d.size()) return Err("unterminated array", p);
      if (d[*pos] == ']') {
        ++*pos;
        break;
      }
      KHOLUU_ASSIGN_OR_RETURN(PdfObj item, ParseAt(d, pos, depth + 1));
      o.items.push_back(std::move(item));
    }
  } else if (IsDigit(c) || c == '-' || c == '+' || c == '.') {
    // "N G R" reference?
    size_t e1 = UIntEnd(d, p);
    if (e1 != std::string_view::npos) {
      size_t q = e1;
      SkipWhiteAndComments(d, &q);
      size_t e2 = q > e1 ? UIntEnd(d, q) : std::string_view::npos;
      if (e2 != std::string_view::npos) {
        size_t r = e2;
        SkipWhiteAndComments(d, &r);
        if (r > e2 && r < d.size() && d[r] == 'R' && (r + 1 >= d.size() || !IsRegular(d[r + 1]))) {
          o.kind = Kind::kRef;
          o.ref_num = ToU32(d.substr(p, e1 - p));
          o.ref_gen = ToU32(d.substr(q, e2 - q));
          *pos = r + 1;
          o.end = *pos;
          return o;
        }
      }
    }
    size_t q = p;
    while (q < d.size() && (IsDigit(d[q]) || d[q] == '-' || d[q] == '+' || d[q] == '.')) ++q;
    std::string tok(d.substr(p, q - p));
    if (tok.size() > 40) return Err("number too long", p);
    *pos = q;
    if (tok.find('.') != std::string::npos) {
      o.kind = Kind::kReal;
      o.real = std::strtod(tok.c_str(), nullptr);
    } else {
      o.kind = Kind::kInt;
      errno = 0;
      o.integer = std::strtoll(tok.c_str(), nullptr, 10);
      if (errno != 0) return Err("integer out of range", p);
    }
  } else if (IsRegular(c)) {
    size_t q = p;
    while (q < d.size() && IsRegular(d[q]) && q - p < 64) ++q;
    o.text = std::string(d.substr(p, q - p));
    *pos = q;
    if (o.text == "true" || o.text == "false") {
      o.kind = Kind::kBool;
      o.integer = o.text == "true" ? 1 : 0;
    } else if (o.text == "null") {
      o.kind = Kind::kNull;
    } else {
      o.kind = Kind::kKeyword;
    }
  } else {
    return Err(std::string("unexpected character '") + c + "'", p);
  }
  o.end = *pos;
  return o;
}

void AppendCanonical(const PdfObj& o, std::string* out) {
  switch (o.kind) {
    case Kind::kNull: *out += "null"; break;
    case Kind::kBool: *out += o.integer != 0 ? "true" : "false"; break;
    case Kind::kInt: *out += std::to_string(o.integer); break;
    case Kind::kReal: *out += std::to_string(o.real); break;
    case Kind::kName: *out += "/" + o.text; break;
    case Kind::kKeyword: *out += o.text; break;
    case Kind::kRef: *out += std::to_string(o.ref_num) + " " + std::to_string(o.ref_gen) + " R"; break;
    case Kind::kString: {
      static const char kDigits[] = "0123456789abcdef";
      *out += '<';
      for (char ch : o.text) {
        auto u = static_cast<unsigned char>(ch);
        *out += kDigits[u >> 4];
        *out += kDigits[u & 15];
      }
      *out += '>';
      break;
    }
    case Kind::kArray:
      *out += '[';
      for (const PdfObj& i : o.items) {
        AppendCanonical(i, out);
        *out += ' ';
      }
      *out += ']';
      break;
    case Kind::kDict:
      *out += "<<";
      for (const auto& [k, v] : o.dict) {
        *out += "/" + k + " ";
        AppendCanonical(v, out);
        *out += ' ';
      }
      *out += ">>";
      break;
  }
}

// Parses the objects of a decoded object stream.
void ParseObjStm(const IndirectObject& stm, std::string_view decoded, std::vector<IndirectObject>* out,
                 size_t max_objects) {
  const PdfObj* n_obj = stm.value.Get("N");
  const PdfObj* first_obj = stm.value.Get("First");
  if (n_obj == nullptr || first_obj == nullptr || n_obj->kind != Kind::kInt ||
      first_obj->kind != Kind::kInt || n_obj->integer < 0 || first_obj->integer < 0 ||
      static_cast<uint64_t>(first_obj->integer) > decoded.size()) {
    return;
  }
  auto first = static_cast<size_t>(first_obj->integer);
  size_t pos = 0;
  for (int64_t i = 0; i < n_obj->integer && out->size() < max_objects; ++i) {
    auto num = ParseAt(decoded.substr(0, first), &pos, 0);
    auto off = ParseAt(decoded.substr(0, first), &pos, 0);
    if (!num.ok() || !off.ok() || num->kind != Kind::kInt || off->kind != Kind::kInt ||
        num->integer < 0 || off->integer < 0 ||
        static_cast<uint64_t>(off->integer) > decoded.size() - first) {
      return;
    }
    size_t at = first + static_cast<size_t>(off->integer);
    auto value = ParseAt(decoded, &at, 0);
    if (!value.ok()) continue;
    IndirectObject o;
    o.num = static_cast<uint32_t>(std::min<int64_t>(num->integer, 0xffffffff));
    o.offset = stm.offset;
    o.end = stm.end;
    o.in_objstm = stm.num;
    o.value = std::move(value).value();
    out->push_back(std::move(o));
  }
}

}  // namespace

const PdfObj* PdfObj::Get(std::string_view key) const {
  for (const auto& [k, v] : dict) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string PdfObj::Canonical() const {
  std::string out;
  AppendCanonical(*this, &out);
  return out;
}

Result<PdfObj> ParseObject(std::string_view data, size_t* pos) { return ParseAt(data, pos, 0); }

std::vector<IndirectObject> ScanObjects(std::string_view d, const ScanLimits& limits) {
  std::vector<IndirectObject> out;
  size_t inflated = 0;
  size_t search = 0;
  while (out.size() < limits.max_objects) {
    size_t hit = d.find("obj", search);
    if (hit == std::string_view::npos) break;
    search = hit + 3;
    if (hit + 3 < d.size() && IsRegular(d[hit + 3])) continue;
    // Walk back over "N G " before "obj".
    size_t q = hit;
    if (q == 0 || !IsPdfWhiteSpace(d[q - 1])) continue;
    while (q > 0 && IsPdfWhiteSpace(d[q - 1])) --q;
    size_t gen_end = q;
    while (q > 0 && IsDigit(d[q - 1])) --q;
    if (q == gen_end || q == 0 || !IsPdfWhiteSpace(d[q - 1])) continue;
    size_t gen_begin = q;
    while (q > 0 && IsPdfWhiteSpace(d[q - 1])) --q;
    size_t num_end = q;
    while (q > 0 && IsDigit(d[q - 1])) --q;
    if (q == num_end || num_end - q > 10 || gen_end - gen_begin > 10) continue;
    if (q > 0 && !IsPdfWhiteSpace(d[q - 1]) && !IsPdfDelimiter(d[q - 1])) continue;
    IndirectObject o;
    o.num = ToU32(d.substr(q, num_end - q));
    o.gen = ToU32(d.substr(gen_begin, gen_end - gen_begin));
    o.offset = q;
    size_t pos = hit + 3;
    auto value = ParseAt(d, &pos, 0);
    if (!value.ok()) continue;
    o.value = std::move(value).value();
    size_t after = pos;
    SkipWhiteAndComments(d, &after);
    if (d.substr(after, 6) == "stream") {
      size_t s = after + 6;
      if (s < d.size() && d[s] == '\r') ++s;
      if (s < d.size() && d[s] == '\n') ++s;
      size_t stream_end = std::string_view::npos;
      const PdfObj* len = o.value.Get("Length");
      if (len != nullptr && len->kind == Kind::kInt && len->integer >= 0 &&
          static_cast<uint64_t>(len->integer) <= d.size() - s) {
        size_t e = s + static_cast<size_t>(len->integer);
        size_t t = e;
        SkipWhiteAndComments(d, &t);
        if (d.substr(t, 9) == "endstream") stream_end = e;
      }
      if (stream_end == std::string_view::npos) {
        size_t e = d.find("endstream", s);
        if (e == std::string_view::npos) continue;
        stream_end = e;
        // The EOL before endstream is not data.
        if (stream_end > s && d[stream_end - 1] == '\n') --stream_end;
        if (stream_end > s && d[stream_end - 1] == '\r') --stream_end;
      }
      o.has_stream = true;
      o.stream = d.substr(s, stream_end - s);
      pos = d.find("endstream", stream_end);
      if (pos == std::string_view::npos) continue;
      pos += 9;
    }
    size_t endobj = pos;
    SkipWhiteAndComments(d, &endobj);
    if (d.substr(endobj, 6) == "endobj") {
      endobj += 6;
    } else {
      endobj = pos;  // tolerated: missing endobj
    }
    o.end = endobj;
    search = endobj;
    bool is_objstm = o.has_stream &&
                     o.value.Get("Type") != nullptr && o.value.Get("Type")->IsName("ObjStm");
    out.push_back(std::move(o));
    if (is_objstm && inflated < limits.max_inflated_bytes) {
      auto decoded = DecodeStream(out.back(), limits.max_inflated_bytes - inflated);
      if (decoded.ok()) {
        inflated += decoded->size();
        IndirectObject stm = out.back();
        ParseObjStm(stm, *decoded, &out, limits.max_objects);
      }
    }
  }
  return out;
}

std::vector<size_t> RevisionEnds(std::string_view d) {
  std::vector<size_t> ends;
  size_t p = 0;
  while ((p = d.find("%%EOF", p)) != std::string_view::npos) {
    size_t e = p + 5;
    if (e < d.size() && d[e] == '\r') ++e;
    if (e < d.size() && d[e] == '\n') ++e;
    ends.push_back(e);
    p += 5;
  }
  return ends;
}

Result<std::string> Inflate(std::string_view in, size_t max_out) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit(&zs) != Z_OK) return InternalError("inflateInit failed");
  std::string out;
  char buf[1 << 15];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), 0xffffffffu));
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_out) {
      inflateEnd(&zs);
      return InvalidArgumentError("inflated stream larger than " + std::to_string(max_out) + " bytes");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) break;  // truncated input
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END && out.empty()) return InvalidArgumentError("bad FlateDecode data");
  return out;
}

namespace {

// An integer entry of a DecodeParms dictionary within [lo, hi], else `dflt`
// when absent. Errors: kInvalidArgument when present but out of range.
Result<int64_t> ParmInt(const PdfObj* parms, std::string_view key, int64_t dflt, int64_t lo, int64_t hi) {
  const PdfObj* v = parms != nullptr ? parms->Get(key) : nullptr;
  if (v == nullptr || v->kind == Kind::kNull) return dflt;
  if (v->kind != Kind::kInt || v->integer < lo || v->integer > hi) {
    return InvalidArgumentError("DecodeParms /" + std::string(key) + " out of range");
  }
  return v->integer;
}

uint8_t Paeth(uint8_t a, uint8_t b, uint8_t c) {
  int p = a + b - c;
  int pa = p > a ? p - a : a - p;
  int pb = p > b ? p - b : b - p;
  int pc = p > c ? p - c : c - p;
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

}  // namespace

Result<std::string> Unpredict(std::string_view data, const PdfObj* parms) {
  KHOLUU_ASSIGN_OR_RETURN(int64_t predictor, ParmInt(parms, "Predictor", 1, 0, 15));
  if (predictor <= 1) return std::string(data);
  KHOLUU_ASSIGN_OR_RETURN(int64_t colors, ParmInt(parms, "Colors", 1, 1, 32));
  KHOLUU_ASSIGN_OR_RETURN(int64_t bpc, ParmInt(parms, "BitsPerComponent", 8, 1, 16));
  KHOLUU_ASSIGN_OR_RETURN(int64_t columns, ParmInt(parms, "Columns", 1, 1, int64_t{1} << 24));
  if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) {
    return InvalidArgumentError("DecodeParms /BitsPerComponent must be 1, 2, 4, 8 or 16");
  }
  // Bytes per complete pixel (at least 1) and per row; bounded by the ranges above.
  const auto bpp = static_cast<size_t>(std::max<int64_t>(1, colors * bpc / 8));
  const auto row = static_cast<size_t>((colors * bpc * columns + 7) / 8);
  std::string out;
  if (predictor == 2) {
    // TIFF predictor 2: each component is a difference from the one a pixel before.
    if (bpc != 8) return UnimplementedError("TIFF predictor with BitsPerComponent other than 8");
    out.assign(data);
    for (size_t start = 0; start < out.size(); start += row) {
      size_t end = std::min(out.size(), start + row);
      for (size_t i = start + bpp; i < end; ++i) {
        out[i] = static_cast<char>(static_cast<uint8_t>(out[i]) + static_cast<uint8_t>(out[i - bpp]));
      }
    }
    return out;
  }
  if (predictor < 10) return UnimplementedError("stream predictor " + std::to_string(predictor));
  // PNG predictors (10-15): every row starts with its own filter type byte;
  // the value of /Predictor only says which one the writer preferred.
  out.reserve(data.size() / (row + 1) * row + row);
  std::string prev(row, '\0');
  std::string cur(row, '\0');
  for (size_t pos = 0; pos < data.size();) {
    const auto type = static_cast<uint8_t>(data[pos++]);
    const size_t n = std::min(row, data.size() - pos);  // a short last row is decoded as far as it goes
    for (size_t i = 0; i < n; ++i) {
      const auto x = static_cast<uint8_t>(data[pos + i]);
      const uint8_t a = i >= bpp ? static_cast<uint8_t>(cur[i - bpp]) : 0;
      const auto b = static_cast<uint8_t>(prev[i]);
      const uint8_t c = i >= bpp ? static_cast<uint8_t>(prev[i - bpp]) : 0;
      uint8_t v = 0;
      switch (type) {
        case 0: v = x; break;
        case 1: v = static_cast<uint8_t>(x + a); break;
        case 2: v = static_cast<uint8_t>(x + b); break;
        case 3: v = static_cast<uint8_t>(x + (a + b) / 2); break;
        case 4: v = static_cast<uint8_t>(x + Paeth(a, b, c)); break;
        default:
          return InvalidArgumentError("bad PNG predictor row type " + std::to_string(type) + " at byte " +
                                      std::to_string(pos - 1));
      }
      cur[i] = static_cast<char>(v);
    }
    out.append(cur, 0, n);
    pos += n;
    std::swap(prev, cur);
  }
  return out;
}

Result<std::string> DecodeStream(const IndirectObject& obj, size_t max_out) {
  const PdfObj* filter = obj.value.Get("Filter");
  const PdfObj* parms = obj.value.Get("DecodeParms");
  if (filter == nullptr || filter->kind == Kind::kNull) {
    if (obj.stream.size() > max_out) return InvalidArgumentError("stream too large");
    return std::string(obj.stream);
  }
  const PdfObj* f = filter;
  if (filter->kind == Kind::kArray) {
    if (filter->items.size() != 1) return UnimplementedError("chained stream filters");
    f = &filter->items[0];
    if (parms != nullptr && parms->kind == Kind::kArray) {
      parms = parms->items.empty() ? nullptr : &parms->items[0];
    }
  }
  if (!f->IsName("FlateDecode")) return UnimplementedError("stream filter /" + f->text);
  if (parms != nullptr && parms->kind != Kind::kDict) parms = nullptr;  // null or indirect: defaults
  KHOLUU_ASSIGN_OR_RETURN(std::string inflated, Inflate(obj.stream, max_out));
  if (parms == nullptr || parms->Get("Predictor") == nullptr) return inflated;
  // Undoing a predictor never grows the data.
  return Unpredict(inflated, parms);
}

std::string TextStringToUtf8(std::string_view s) {
  std::string out;
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xfe &&
      static_cast<unsigned char>(s[1]) == 0xff) {
    for (size_t i = 2; i + 1 < s.size(); i += 2) {
      uint32_t cp = (static_cast<uint32_t>(static_cast<unsigned char>(s[i])) << 8) |
                    static_cast<unsigned char>(s[i + 1]);
      if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < s.size()) {
        uint32_t lo = (static_cast<uint32_t>(static_cast<unsigned char>(s[i + 2])) << 8) |
                      static_cast<unsigned char>(s[i + 3]);
        if (lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          i += 2;
        }
      }
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else if (cp < 0x10000) {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else {
        out += static_cast<char>(0xf0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      }
    }
    return out;
  }
  if (s.size() >= 3 && s.substr(0, 3) == "\xef\xbb\xbf") return std::string(s.substr(3));
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    if (u < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xc0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3f));
    }
  }
  return out;
}

}  // namespace kholuu::formats::pdfsig::internal
