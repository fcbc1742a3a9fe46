#include "formats/pdf/raw_checks.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "formats/common/pdf_lexical.h"

namespace kholuu::formats::pdf {
namespace {

bool IsEol(char c) { return c == '\r' || c == '\n'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

class Scanner {
 public:
  Scanner(std::string_view b, int part, size_t max) : b_(b), part_(part), max_(max) {}

  RawScan Run() {
    CheckHeader();
    CheckEof();
    ScanBody();
    return std::move(out_);
  }

 private:
  // Clause numbers that moved between ISO 19005-1 and -2/-3.
  const char* ObjClause() const { return part_ == 1 ? "6.1.8" : "6.1.9"; }
  const char* StreamClause() const { return part_ == 1 ? "6.1.7" : "6.1.7.1"; }

  void Add(const char* clause, std::string msg, std::string obj = {}) {
    if (out_.violations.size() >= max_) return;
    // One violation per (clause, message) is enough for a person to act on.
    for (const auto& v : out_.violations) {
      if (v.clause == clause && v.message == msg) return;
    }
    out_.violations.push_back({clause, std::move(msg), std::move(obj)});
  }

  void CheckHeader() {
    if (b_.size() < 8 || b_.substr(0, 7) != "%PDF-1." || !IsDigit(b_[7])) {
      Add("6.1.2", "the file does not start with the header %PDF-1.n at byte offset 0");
      return;
    }
    out_.header_minor_version = b_[7] - '0';
    if (part_ >= 2 && out_.header_minor_version > 7) {
      Add("6.1.2", "the header version is not between %PDF-1.0 and %PDF-1.7");
    }
    size_t i = 8;
    // The header line is exactly "%PDF-1.n" and an EOL (ISO 19005-2 6.1.2;
    // ISO 32000-1 7.5.2 for part 1).
    if (i < b_.size() && !IsEol(b_[i])) {
      Add("6.1.2", "the header %PDF-1.n is not followed directly by an end-of-line");
    }
    while (i < b_.size() && !IsEol(b_[i])) ++i;
    if (i < b_.size() && b_[i] == '\r') ++i;
    if (i < b_.size() && b_[i] == '\n') ++i;
    if (i >= b_.size() || b_[i] != '%') {
      Add("6.1.2", "the header is not followed by a comment line with binary characters");
      return;
    }
    int high = 0;
    for (size_t k = i + 1; k < b_.size() && k < i + 5; ++k) {
      if (static_cast<unsigned char>(b_[k]) > 127) ++high;
    }
    if (high < 4) {
      Add("6.1.2",
          "the comment after the header does not start with four bytes above 127 (binary marker)");
    }
  }

  void CheckEof() {
    size_t pos = b_.rfind("%%EOF");
    if (pos == std::string_view::npos) {
      Add("6.1.3", "the file does not end with %%EOF");
      return;
    }
    std::string_view tail = b_.substr(pos + 5);
    if (!(tail.empty() || tail == "\n" || tail == "\r" || tail == "\r\n")) {
      Add("6.1.3", "data follows the last %%EOF marker (only an end-of-line is allowed)");
    }
  }

  // Skips a literal string starting at b_[i] == '('; returns the index after it.
  size_t SkipString(size_t i) {
    int depth = 0;
    for (; i < b_.size(); ++i) {
      char c = b_[i];
      if (c == '\\') {
        ++i;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (--depth == 0) return i + 1;
      }
    }
    return i;
  }

  // Checks a hex string starting at b_[i] == '<' (not '<<'); returns the end.
  size_t CheckHexString(size_t i) {
    size_t start = i;
    size_t digits = 0;
    bool bad = false;
    for (++i; i < b_.size() && b_[i] != '>'; ++i) {
      if (IsHex(b_[i])) {
        ++digits;
      } else if (!IsPdfWhiteSpace(b_[i])) {
        bad = true;
      }
      if (i - start > (size_t{1} << 26)) break;  // not a string: give up quietly
    }
    const char* msg = bad ? "a hexadecimal string contains characters other than 0-9, A-F, a-f and white-space"
                          : (digits % 2 != 0 ? "a hexadecimal string has an odd number of hex digits" : nullptr);
    if (msg != nullptr) {
      if (in_obj_) {
        if (out_.object_problems.size() < 64) {
          std::string obj = std::to_string(cur_num_) + " " + std::to_string(cur_gen_) + " R";
          out_.object_problems.push_back({cur_num_, cur_gen_, cur_offset_, {"6.1.6", msg, obj}});
        }
      } else {
        Add("6.1.6", msg);
      }
    }
    return i + 1;
  }

  // Reads an unsigned decimal at i; returns false if none.
  bool ReadUint(size_t& i, uint64_t& v) {
    size_t s = i;
    v = 0;
    while (i < b_.size() && IsDigit(b_[i]) && i - s < 12) v = v * 10 + static_cast<uint64_t>(b_[i++] - '0');
    return i > s;
  }

  // At b_[i] == 'x' of "xref" at a line start.
  void CheckXref(size_t i) {
    size_t j = i + 4;
    if (j < b_.size() && b_[j] == '\r') ++j;
    if (j < b_.size() && b_[j] == '\n') ++j;
    if (j == i + 4 || (j < b_.size() && !IsDigit(b_[j]))) {
      Add(part_ == 1 ? "6.1.4" : "6.1.4",
          "the xref keyword is not followed by a single end-of-line and a subsection header");
      return;
    }
    uint64_t a = 0;
    uint64_t n = 0;
    if (!ReadUint(j, a)) return;
    if (j >= b_.size() || b_[j] != ' ' || j + 1 >= b_.size() || !IsDigit(b_[j + 1])) {
      Add("6.1.4", "an xref subsection header does not separate its two numbers by a single space");
      return;
    }
    ++j;
    ReadUint(j, n);
  }

  // b_[i] starts "obj" preceded by "N G"; returns false if not an object header.
  bool ObjectHeaderBefore(size_t i, uint32_t& num, uint16_t& gen) {
    // Walk back over "N<ws>G<ws>".
    size_t k = i;
    size_t ws1 = 0;
    while (k > 0 && IsPdfWhiteSpace(b_[k - 1])) { --k; ++ws1; }
    size_t gend = k;
    while (k > 0 && IsDigit(b_[k - 1])) --k;
    if (k == gend || ws1 == 0) return false;
    size_t gstart = k;
    size_t ws2 = 0;
    while (k > 0 && IsPdfWhiteSpace(b_[k - 1])) { --k; ++ws2; }
    size_t nend = k;
    while (k > 0 && IsDigit(b_[k - 1])) --k;
    if (k == nend || ws2 == 0) return false;
    if (gend - gstart > 5 || nend - k > 10) return false;
    header_offset_ = k;
    uint64_t n = 0;
    for (size_t q = k; q < nend; ++q) n = n * 10 + static_cast<uint64_t>(b_[q] - '0');
    uint64_t g = 0;
    for (size_t q = gstart; q < gend; ++q) g = g * 10 + static_cast<uint64_t>(b_[q] - '0');
    num = static_cast<uint32_t>(n);
    gen = static_cast<uint16_t>(g);
    if (k > 0 && !IsEol(b_[k - 1])) {
      Add(ObjClause(), "the object number is not preceded by an end-of-line",
          std::to_string(num) + " " + std::to_string(gen) + " R");
    }
    if (ws1 != 1 || ws2 != 1 || b_[gend] != ' ' || b_[nend] != ' ') {
      Add(ObjClause(), "the object number, generation number and obj keyword are not separated by single spaces",
          std::to_string(num) + " " + std::to_string(gen) + " R");
    }
    return true;
  }

  void ScanBody() {
    uint32_t cur_num = 0;
    uint16_t cur_gen = 0;
    bool in_obj = false;
    size_t i = 0;
    // Skip the header line's comment handling below: comments run to EOL.
    while (i < b_.size()) {
      char c = b_[i];
      if (c == '%') {
        while (i < b_.size() && !IsEol(b_[i])) ++i;
        continue;
      }
      if (c == '(') {
        i = SkipString(i);
        continue;
      }
      if (c == '<') {
        if (i + 1 < b_.size() && b_[i + 1] == '<') {
          i += 2;
          continue;
        }
        i = CheckHexString(i);
        continue;
      }
      if (c == 't' && b_.compare(i, 7, "trailer") == 0 && (i == 0 || IsPdfWhiteSpace(b_[i - 1]))) {
        // Every trailer (the first-page trailer of a linearized file too) carries the ID.
        size_t next = b_.find("startxref", i);
        std::string_view dict = b_.substr(i, (next == std::string_view::npos ? b_.size() : next) - i);
        // Only the first-page trailer of a linearized file is checked here; the
        // last trailer's ID is checked on the object model.
        const bool first = !seen_trailer_;
        seen_trailer_ = true;
        if (first && dict.find("/ID") == std::string_view::npos &&
            b_.substr(0, std::min<size_t>(b_.size(), 1024)).find("/Linearized") != std::string_view::npos) {
          Add("6.1.3", "a trailer of this linearized file has no ID entry", "trailer");
        }
        i += 7;
        continue;
      }
      if (c == 'x' && b_.compare(i, 4, "xref") == 0 && (i == 0 || IsEol(b_[i - 1])) &&
          (i + 4 >= b_.size() || IsPdfWhiteSpace(b_[i + 4]))) {
        CheckXref(i);
        i += 4;
        continue;
      }
      if (c == 'o' && b_.compare(i, 3, "obj") == 0 && (i + 3 >= b_.size() || IsPdfWhiteSpace(b_[i + 3]) || IsPdfDelimiter(b_[i + 3])) &&
          i > 0 && IsPdfWhiteSpace(b_[i - 1])) {
        uint32_t n = 0;
        uint16_t g = 0;
        if (ObjectHeaderBefore(i, n, g)) {
          cur_num = n;
          cur_gen = g;
          in_obj = true;
          cur_num_ = n;
          cur_gen_ = g;
          cur_offset_ = header_offset_;
          header_offset_dict_ = i + 3;
          in_obj_ = true;
          if (i + 3 < b_.size() && !IsEol(b_[i + 3])) {
            Add(ObjClause(), "the obj keyword is not followed by an end-of-line",
                std::to_string(n) + " " + std::to_string(g) + " R");
          }
        }
        i += 3;
        continue;
      }
      if (c == 'e' && b_.compare(i, 6, "endobj") == 0) {
        if (i > 0 && !IsEol(b_[i - 1]) && in_obj) {
          Add(ObjClause(), "the endobj keyword is not preceded by an end-of-line",
              std::to_string(cur_num) + " " + std::to_string(cur_gen) + " R");
        }
        if (in_obj && i + 6 < b_.size() && !IsEol(b_[i + 6])) {
          Add(ObjClause(), "the endobj keyword is not followed by an end-of-line",
              std::to_string(cur_num) + " " + std::to_string(cur_gen) + " R");
        }
        in_obj = false;
        in_obj_ = false;
        i += 6;
        continue;
      }
      if (c == 's' && in_obj && b_.compare(i, 6, "stream") == 0 && i > 0 &&
          (IsPdfWhiteSpace(b_[i - 1]) || b_[i - 1] == '>')) {
        i = ScanStream(i, cur_num, cur_gen);
        continue;
      }
      ++i;
    }
  }

  // b_[i] starts "stream"; returns the index after "endstream" (or the end).
  size_t ScanStream(size_t i, uint32_t num, uint16_t gen) {
    std::string obj = std::to_string(num) + " " + std::to_string(gen) + " R";
    size_t d = i + 6;
    if (d < b_.size() && b_[d] == '\r' && d + 1 < b_.size() && b_[d + 1] == '\n') {
      d += 2;
    } else if (d < b_.size() && b_[d] == '\n') {
      d += 1;
    } else {
      Add(StreamClause(), "the stream keyword is not followed by CR LF or LF", obj);
      if (d < b_.size() && b_[d] == '\r') ++d;
    }
    // A correct Length is trusted: the data may itself contain the bytes
    // "endstream" (ISO 32000-1 7.3.8.1 delimits the data by Length, not by
    // the keyword). Only when Length does not lead to the keyword is the
    // first "endstream" taken as the end, and the mismatch reported later.
    // When Length leads to an EOL and then the keyword, the data is exactly
    // Length bytes, even if its last byte is a CR (binary data followed by
    // the LF that ends it: "...\r" "\n" "endstream" is not a CR LF marker
    // eating a data byte).
    size_t e = std::string_view::npos;
    size_t end = std::string_view::npos;
    if (std::optional<uint64_t> len = DeclaredLength(header_offset_dict_, i); len && *len <= b_.size() - d) {
      const size_t data_end = d + static_cast<size_t>(*len);
      size_t k = data_end;
      if (k < b_.size() && b_[k] == '\r') ++k;
      if (k < b_.size() && b_[k] == '\n') ++k;
      if (b_.compare(k, 9, "endstream") == 0) {
        e = k;
        if (k > data_end) end = data_end;
      }
    }
    if (e == std::string_view::npos) e = b_.find("endstream", d);
    if (e == std::string_view::npos) return b_.size();
    if (end == std::string_view::npos) {  // not delimited by a correct Length
      end = e;
      if (end > d && b_[end - 1] == '\n') {
        --end;
        if (end > d && b_[end - 1] == '\r') --end;
      } else if (end > d && b_[end - 1] == '\r') {
        --end;
      } else {
        Add(StreamClause(), "the endstream keyword is not preceded by an end-of-line", obj);
      }
    }
    RawStream rs{num, gen, end - d, e - end, d};
    if (header_offset_dict_ < i) {
      std::string_view dict = b_.substr(header_offset_dict_, i - header_offset_dict_);
      rs.object_stream = dict.find("/ObjStm") != std::string_view::npos;
      if (dict.find("/Filter") != std::string_view::npos) {
        const bool flate_only = dict.find("/FlateDecode") != std::string_view::npos &&
                                dict.find("/DecodeParms") == std::string_view::npos &&
                                dict.find('[', dict.find("/Filter")) == std::string_view::npos;
        rs.coding = flate_only ? RawStream::Coding::kFlate : RawStream::Coding::kOther;
      }
    }
    out_.streams.push_back(rs);
    return e + 9;
  }

  // The value of the direct or indirect /Length key of the stream
  // dictionary in b_[from, to), or nullopt if absent or not an integer.
  std::optional<uint64_t> DeclaredLength(size_t from, size_t to) {
    if (from >= to || to > b_.size()) return std::nullopt;
    std::string_view dict = b_.substr(from, to - from);
    size_t p = 0;
    while ((p = dict.find("/Length", p)) != std::string_view::npos) {
      p += 7;
      // "/Length1".."/Length3" of font programs are other keys.
      if (p < dict.size() && !IsPdfWhiteSpace(dict[p]) && !IsPdfDelimiter(dict[p])) continue;
      size_t q = from + p;
      while (q < to && IsPdfWhiteSpace(b_[q])) ++q;
      uint64_t v = 0;
      if (!ReadUint(q, v)) return std::nullopt;
      // An indirect reference "N G R"?
      size_t r = q;
      while (r < to && IsPdfWhiteSpace(b_[r])) ++r;
      uint64_t gen = 0;
      size_t g = r;
      if (r > q && ReadUint(g, gen)) {
        size_t t = g;
        while (t < to && IsPdfWhiteSpace(b_[t])) ++t;
        if (t > g && t < to && b_[t] == 'R') return IndirectInteger(v);
      }
      return v;
    }
    return std::nullopt;
  }

  // The integer that is the whole body of object `num` (the last definition
  // in the file), for indirect stream lengths. The object headers are
  // indexed once, on first use.
  std::optional<uint64_t> IndirectInteger(uint64_t num) {
    if (!indexed_) {
      indexed_ = true;
      for (size_t p = b_.find("obj"); p != std::string_view::npos; p = b_.find("obj", p + 3)) {
        if (p == 0 || !IsPdfWhiteSpace(b_[p - 1])) continue;
        size_t k = p;
        while (k > 0 && IsPdfWhiteSpace(b_[k - 1])) --k;
        while (k > 0 && IsDigit(b_[k - 1])) --k;  // generation
        while (k > 0 && IsPdfWhiteSpace(b_[k - 1])) --k;
        size_t nend = k;
        while (k > 0 && IsDigit(b_[k - 1]) && nend - k < 10) --k;
        if (k == nend || (k > 0 && IsDigit(b_[k - 1]))) continue;
        uint64_t n = 0;
        size_t q = k;
        if (!ReadUint(q, n)) continue;
        object_offsets_[n] = p + 3;
      }
    }
    auto it = object_offsets_.find(num);
    if (it == object_offsets_.end()) return std::nullopt;
    size_t q = it->second;
    while (q < b_.size() && IsPdfWhiteSpace(b_[q])) ++q;
    uint64_t v = 0;
    if (!ReadUint(q, v)) return std::nullopt;
    while (q < b_.size() && IsPdfWhiteSpace(b_[q])) ++q;
    if (b_.compare(q, 6, "endobj") != 0) return std::nullopt;
    return v;
  }

  std::string_view b_;
  size_t header_offset_dict_ = 0;
  bool indexed_ = false;
  std::map<uint64_t, size_t> object_offsets_;
  uint32_t cur_num_ = 0;
  uint16_t cur_gen_ = 0;
  size_t cur_offset_ = 0;
  size_t header_offset_ = 0;
  bool in_obj_ = false;
  bool seen_trailer_ = false;
  int part_;
  size_t max_;
  RawScan out_;
};

}  // namespace

RawScan ScanRawSyntax(std::string_view bytes, int part, size_t max_violations) {
  return Scanner(bytes, part, max_violations).Run();
}

std::string FirstHexStringProblem(std::string_view b) {
  size_t i = 0;
  while (i < b.size()) {
    const char c = b[i];
    if (c == '%') {
      while (i < b.size() && !IsEol(b[i])) ++i;
    } else if (c == '(') {
      int depth = 0;
      for (; i < b.size(); ++i) {
        if (b[i] == '\\') {
          ++i;
        } else if (b[i] == '(') {
          ++depth;
        } else if (b[i] == ')' && --depth == 0) {
          ++i;
          break;
        }
      }
    } else if (c == '<' && i + 1 < b.size() && b[i + 1] == '<') {
      i += 2;
    } else if (c == '<') {
      size_t digits = 0;
      bool bad = false;
      for (++i; i < b.size() && b[i] != '>'; ++i) {
        if (IsHex(b[i])) ++digits;
        else if (!IsPdfWhiteSpace(b[i])) bad = true;
      }
      ++i;
      if (bad) return "a hexadecimal string contains characters other than 0-9, A-F, a-f and white-space";
      if (digits % 2 != 0) return "a hexadecimal string has an odd number of hex digits";
    } else {
      ++i;
    }
  }
  return {};
}

}  // namespace kholuu::formats::pdf
