// Parsers of what the extraction tools print: Tesseract TSV, pdfinfo,
// pdfimages -list, pdftotext pages; and the TIFF page counter. All of it sees
// bytes derived from hostile input, so every parser is bounded and total
// (tests/fuzz/text_tool_output_fuzzer.cc).
#include <charconv>
#include <cmath>
#include <set>
#include <tuple>

#include "formats/common/text.h"
#include "formats/text/text.h"

namespace kholuu::formats::text {
namespace {

// Decodes one UTF-8 code point at s[*i] and advances *i; returns -1 (and
// advances one byte) for an invalid sequence.
int32_t DecodeUtf8(std::string_view s, size_t* i) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  if (b0 < 0x80) {
    ++*i;
    return b0;
  }
  size_t len = 0;
  int32_t cp = 0;
  int32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++*i;
    return -1;
  }
  if (*i + len > s.size()) {
    ++*i;
    return -1;
  }
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    if ((b & 0xC0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return -1;
  }
  *i += len;
  return cp;
}

void AppendUtf8(std::string* out, int32_t cp) {
  const auto c = static_cast<uint32_t>(cp);
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool IsSpace(int32_t cp) {
  return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Splits `s` at `sep`; the piece after the last separator is included.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Whitespace-separated tokens of one line.
std::vector<std::string_view> Tokens(std::string_view line) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

uint64_t ReadUint(std::string_view b, size_t at, size_t width, bool little) {
  uint64_t v = 0;
  for (size_t k = 0; k < width; ++k) {
    const uint64_t byte = static_cast<unsigned char>(b[at + (little ? width - 1 - k : k)]);
    v = (v << 8) | byte;
  }
  return v;
}

}  // namespace

std::string CleanText(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    int32_t cp = DecodeUtf8(raw, &i);
    if (cp < 0) {
      AppendUtf8(&out, 0xFFFD);
    } else if (cp == '\r') {
      if (i < raw.size() && raw[i] == '\n') continue;  // "\r\n" -> "\n"
      out.push_back('\n');
    } else if (cp == '\n' || cp == '\t' || (cp >= 0x20 && cp != 0x7F)) {
      AppendUtf8(&out, cp);
    }
  }
  Result<std::string> nfc = ToNfc(out);
  return nfc.ok() ? std::move(nfc).value() : out;
}

size_t CountNonSpace(std::string_view text) {
  size_t n = 0;
  size_t i = 0;
  while (i < text.size()) {
    int32_t cp = DecodeUtf8(text, &i);
    if (!IsSpace(cp)) ++n;
  }
  return n;
}

Result<OcrText> ParseTesseractTsv(std::string_view tsv) {
  std::vector<std::string_view> lines = Split(tsv, '\n');
  if (lines.empty() || TrimSpaces(lines[0]).substr(0, 6) != "level\t") {
    return InvalidArgumentError("tesseract tsv: no header line");
  }
  OcrText out;
  double conf_sum = 0;
  size_t conf_count = 0;
  bool have_line = false;
  std::tuple<long, long, long> para{};  // page, block, paragraph
  std::tuple<long, long, long, long> line_key{};
  std::string raw;
  for (size_t n = 1; n < lines.size(); ++n) {
    std::string_view row = lines[n];
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (row.empty()) continue;
    std::vector<std::string_view> f = Split(row, '\t');
    if (f.size() < 11) {
      return InvalidArgumentError("tesseract tsv: row " + std::to_string(n + 1) + " has " +
                                  std::to_string(f.size()) + " fields, expected 12");
    }
    long v[6];
    for (size_t k = 0; k < 6; ++k) {
      if (!ParseNumber(f[k], &v[k])) {
        return InvalidArgumentError("tesseract tsv: row " + std::to_string(n + 1) + ": field " +
                                    std::to_string(k + 1) + " is not a number");
      }
    }
    double conf = 0;
    if (!ParseNumber(f[10], &conf) || !std::isfinite(conf)) {
      return InvalidArgumentError("tesseract tsv: row " + std::to_string(n + 1) +
                                  ": bad confidence");
    }
    if (v[0] != 5) continue;  // page, block, paragraph and line rows carry no text
    std::string_view word = f.size() > 11 ? TrimSpaces(f[11]) : std::string_view();
    if (word.empty()) continue;
    std::tuple<long, long, long> p{v[1], v[2], v[3]};
    std::tuple<long, long, long, long> l{v[1], v[2], v[3], v[4]};
    if (!have_line) {
      have_line = true;
    } else if (p != para) {
      raw += "\n\n";
    } else if (l != line_key) {
      raw += "\n";
    } else {
      raw += " ";
    }
    para = p;
    line_key = l;
    raw += word;
    ++out.words;
    if (conf >= 0) {
      conf_sum += std::min(conf, 100.0);
      ++conf_count;
    }
  }
  if (have_line) raw += "\n";
  out.text = CleanText(raw);
  if (conf_count > 0) out.mean_confidence = conf_sum / static_cast<double>(conf_count);
  return out;
}

Result<PdfInfo> ParsePdfInfo(std::string_view out) {
  PdfInfo info;
  bool have_pages = false;
  for (std::string_view line : Split(out, '\n')) {
    if (line.substr(0, 6) == "Pages:") {
      std::string_view n = TrimSpaces(line.substr(6));
      if (!ParseNumber(n, &info.pages) || info.pages < 0 || info.pages > 10'000'000) {
        return InvalidArgumentError("pdfinfo: bad page count '" + CleanText(n.substr(0, 40)) + "'");
      }
      have_pages = true;
    } else if (line.substr(0, 10) == "Encrypted:") {
      info.encrypted = TrimSpaces(line.substr(10)).substr(0, 3) == "yes";
    } else if (line.substr(0, 5) == "Page ") {
      // "Page    1 size: 595.276 x 841.89 pts (A4)"
      std::vector<std::string_view> t = Tokens(line);
      int page = 0;
      double w = 0, h = 0;
      if (t.size() >= 6 && t[2] == "size:" && t[4] == "x" && ParseNumber(t[1], &page) &&
          ParseNumber(t[3], &w) && ParseNumber(t[5], &h) && std::isfinite(w) && std::isfinite(h) &&
          w > 0 && h > 0 && static_cast<size_t>(page) == info.page_sizes.size() + 1) {
        info.page_sizes.emplace_back(w, h);
      }
    }
  }
  if (!have_pages) return InvalidArgumentError("pdfinfo: no page count in its output");
  if (info.page_sizes.size() > static_cast<size_t>(info.pages)) {
    info.page_sizes.resize(static_cast<size_t>(info.pages));
  }
  return info;
}

std::vector<int> ParsePdfImagesList(std::string_view out) {
  std::set<int> pages;
  for (std::string_view line : Split(out, '\n')) {
    std::vector<std::string_view> t = Tokens(line);
    int page = 0, num = 0;
    if (t.size() >= 3 && ParseNumber(t[0], &page) && ParseNumber(t[1], &num) && page > 0 &&
        (t[2] == "image" || t[2] == "mask" || t[2] == "smask" || t[2] == "stencil")) {
      pages.insert(page);
    }
  }
  return std::vector<int>(pages.begin(), pages.end());
}

std::vector<std::string_view> SplitPages(std::string_view text, size_t max_pages) {
  std::vector<std::string_view> pages;
  if (text.empty() || max_pages == 0) return pages;
  // pdftotext ends every page with a form feed; a missing last one is tolerated.
  if (text.back() == '\f') text.remove_suffix(1);
  for (std::string_view p : Split(text, '\f')) {
    pages.push_back(p);
    if (pages.size() == max_pages) break;
  }
  return pages;
}

Result<int> CountTiffPages(std::string_view b, int max_pages) {
  if (b.size() < 8) return InvalidArgumentError("tiff: file too short");
  bool little;
  if (b.substr(0, 2) == "II") {
    little = true;
  } else if (b.substr(0, 2) == "MM") {
    little = false;
  } else {
    return InvalidArgumentError("tiff: bad byte-order mark");
  }
  const uint64_t version = ReadUint(b, 2, 2, little);
  bool big = false;
  if (version == 43) {
    big = true;
    if (b.size() < 16 || ReadUint(b, 4, 2, little) != 8) {
      return InvalidArgumentError("tiff: bad BigTIFF header");
    }
  } else if (version != 42) {
    return InvalidArgumentError("tiff: bad version " + std::to_string(version));
  }
  const size_t count_width = big ? 8 : 2;
  const size_t entry_width = big ? 20 : 12;
  const size_t offset_width = big ? 8 : 4;
  uint64_t offset = ReadUint(b, big ? 8 : 4, offset_width, little);
  std::set<uint64_t> seen;
  int pages = 0;
  while (offset != 0 && pages < max_pages) {
    if (offset < (big ? 16u : 8u) || offset > b.size() || b.size() - offset < count_width) {
      return InvalidArgumentError("tiff: image directory " + std::to_string(pages + 1) +
                                  " at offset " + std::to_string(offset) + " is outside the file");
    }
    if (!seen.insert(offset).second) {
      return InvalidArgumentError("tiff: loop in the chain of image directories");
    }
    const uint64_t entries = ReadUint(b, static_cast<size_t>(offset), count_width, little);
    const uint64_t room = b.size() - offset - count_width;
    if (entries > room / entry_width || room - entries * entry_width < offset_width) {
      return InvalidArgumentError("tiff: image directory " + std::to_string(pages + 1) +
                                  " runs past the end of the file");
    }
    ++pages;
    offset = ReadUint(b, static_cast<size_t>(offset + count_width + entries * entry_width),
                      offset_width, little);
  }
  if (pages == 0) return InvalidArgumentError("tiff: no image directory");
  return pages;
}

}  // namespace kholuu::formats::text
