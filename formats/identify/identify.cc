#include "formats/identify/identify.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "archive/base/file.h"
#include "formats/package/archive_reader.h"

namespace kholuu::formats::identify {
namespace {

constexpr size_t kWindow = 64 * 1024;

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

Identification Make(std::string type, std::string version = "") {
  Identification id;
  id.media_type = std::move(type);
  id.format_version = std::move(version);
  return id;
}

Identification Damaged(Identification id, std::string why) {
  id.damaged = true;
  id.damage = std::move(why);
  return id;
}

// Valid UTF-8 (RFC 3629) without NUL or control characters other than tab,
// LF, CR and form feed. A multi-byte sequence cut at the end of `s` is
// accepted when `truncated` (the window ends mid-file).
bool LooksLikeUtf8Text(std::string_view s, bool truncated) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + n >= s.size()) return truncated;
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0u) != 0x80u) return false;
      cp = (cp << 6) | (cc & 0x3fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string_view SkipBomAndSpace(std::string_view s) {
  if (StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) s.remove_prefix(1);
  return s;
}

// The value of pseudo-attribute `name` in an XML declaration.
std::string DeclAttr(std::string_view decl, std::string_view name) {
  size_t p = decl.find(name);
  if (p == std::string_view::npos) return "";
  p = decl.find_first_of("\"'", p + name.size());
  if (p == std::string_view::npos) return "";
  const char q = decl[p];
  const size_t e = decl.find(q, p + 1);
  if (e == std::string_view::npos || e - p > 16) return "";
  return std::string(decl.substr(p + 1, e - p - 1));
}

// A flat ODF document (fodt, fods, fodp, fodg): the root element is
// office:document and names its type in office:mimetype.
std::optional<Identification> IdentifyFlatOdf(std::string_view s) {
  const size_t root = s.find("<office:document");
  if (root == std::string_view::npos || root > 4096) return std::nullopt;
  const char after = root + 16 < s.size() ? s[root + 16] : '\0';
  if (after != ' ' && after != '\t' && after != '\r' && after != '\n') return std::nullopt;
  const size_t close = s.find('>', root);
  const std::string_view tag = s.substr(root, close == std::string_view::npos ? std::string_view::npos : close - root);
  size_t p = tag.find("office:mimetype=");
  if (p == std::string_view::npos || p + 17 >= tag.size()) return std::nullopt;
  const char q = tag[p + 16];
  const size_t e = tag.find(q, p + 17);
  if ((q != '"' && q != '\'') || e == std::string_view::npos) return std::nullopt;
  const std::string_view type = tag.substr(p + 17, e - p - 17);
  if (!StartsWith(type, "application/vnd.oasis.opendocument.") || type.size() > 80) return std::nullopt;
  return Make(std::string(type) + "-flat-xml");
}

std::optional<Identification> IdentifyXml(std::string_view head, bool truncated) {
  std::string_view s = SkipBomAndSpace(head);
  if (StartsWith(s, "<?xml")) {
    if (std::optional<Identification> odf = IdentifyFlatOdf(s)) return odf;
    const size_t end = s.find("?>");
    std::string version = end == std::string_view::npos ? "" : DeclAttr(s.substr(0, end), "version");
    return Make("application/xml", version);
  }
  // No declaration: XML 1.0 text that opens with an element or a comment.
  if ((StartsWith(s, "<") && s.size() > 1 &&
       (std::isalpha(static_cast<unsigned char>(s[1])) || s[1] == '_' || StartsWith(s, "<!--"))) &&
      LooksLikeUtf8Text(s, truncated)) {
    return Make("application/xml", "1.0");
  }
  return std::nullopt;
}

std::string PdfVersion(std::string_view head, size_t at) {
  // "%PDF-1.7" or "%PDF-2.0"
  std::string v;
  for (size_t i = at + 5; i < head.size() && v.size() < 4; ++i) {
    const char c = head[i];
    if ((c >= '0' && c <= '9') || c == '.') {
      v.push_back(c);
    } else {
      break;
    }
  }
  return v;
}

// The ZIP-based formats: OOXML by the main part in [Content_Types].xml, ODF
// by the "mimetype" entry, else a plain ZIP.
Identification IdentifyZip(Result<formats::package::ArchiveReader> reader) {
  Identification zip = Make("application/zip");
  if (!reader.ok()) return Damaged(zip, "not a readable ZIP: " + reader.status().message());
  std::string content_types;
  std::string odf_mimetype;
  bool any = false;
  while (true) {
    auto next = reader->Next();
    if (!next.ok()) {
      // An unsafe or malformed entry does not stop identification: the
      // container is a ZIP either way; unpacking rules are applied where the
      // package is unpacked.
      if (!any) return Damaged(zip, next.status().message());
      break;
    }
    if (!next->has_value()) break;
    any = true;
    const formats::package::ArchiveEntry& e = **next;
    if (e.type != formats::package::EntryType::kFile) continue;
    if (e.path == "[Content_Types].xml") {
      auto text = reader->ReadDataToString(1u << 20);
      if (text.ok()) content_types = std::move(*text);
    } else if (e.path == "mimetype") {
      auto text = reader->ReadDataToString(256);
      if (text.ok()) odf_mimetype = std::move(*text);
    }
  }
  if (!odf_mimetype.empty() && StartsWith(odf_mimetype, "application/vnd.oasis.opendocument.")) {
    while (!odf_mimetype.empty() && (odf_mimetype.back() == '\n' || odf_mimetype.back() == '\r')) {
      odf_mimetype.pop_back();
    }
    return Make(odf_mimetype);
  }
  if (!content_types.empty()) {
    struct Main {
      std::string_view marker, type;
    };
    static constexpr Main kMains[] = {
        {"wordprocessingml.document.main+xml",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"ms-word.document.macroEnabled.main+xml", "application/vnd.ms-word.document.macroEnabled.12"},
        {"spreadsheetml.sheet.main+xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"ms-excel.sheet.macroEnabled.main+xml", "application/vnd.ms-excel.sheet.macroEnabled.12"},
        {"presentationml.presentation.main+xml",
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
        {"ms-powerpoint.presentation.macroEnabled.main+xml",
         "application/vnd.ms-powerpoint.presentation.macroEnabled.12"},
    };
    for (const Main& m : kMains) {
      if (content_types.find(m.marker) != std::string::npos) return Make(std::string(m.type));
    }
  }
  return zip;
}

// OLE2 compound files: the stream names of the directory tell Word, Excel
// and PowerPoint apart. The names are UTF-16LE in directory entries; they
// are looked for in the directory sector named by the header and, failing
// that, in the first window of the file.
std::string Utf16Le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

// Reads up to `n` bytes at `offset`; "" when that is not possible.
using ReadAt = std::function<Result<std::string>(uint64_t offset, size_t n)>;

Result<Identification> IdentifyOle2(const ReadAt& read_at, std::string_view head) {
  Identification ole = Make("application/x-ole-storage");
  if (head.size() < 512) return Damaged(ole, "compound file header cut short");
  const auto u16 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(head[at])) |
           (static_cast<uint32_t>(static_cast<unsigned char>(head[at + 1])) << 8);
  };
  const auto u32 = [&](size_t at) { return u16(at) | (u16(at + 2) << 16); };
  const uint32_t shift = u16(0x1e);
  std::string dir;
  if (shift == 9 || shift == 12) {
    const uint64_t sector = uint64_t{1} << shift;
    const uint64_t first = u32(0x30);
    const uint64_t offset = (first + 1) * sector;
    if (first < 0xfffffffa) {
      KHOLUU_ASSIGN_OR_RETURN(dir, read_at(offset, static_cast<size_t>(sector) * 4));
    }
  }
  const std::string where = dir + std::string(head);
  if (where.find(Utf16Le("WordDocument")) != std::string::npos) return Make("application/msword");
  if (where.find(Utf16Le("Workbook")) != std::string::npos || where.find(Utf16Le("Book")) != std::string::npos) {
    return Make("application/vnd.ms-excel");
  }
  if (where.find(Utf16Le("PowerPoint Document")) != std::string::npos) {
    return Make("application/vnd.ms-powerpoint");
  }
  return ole;
}

// What the rules below look at: the size, the first and the last window,
// random access for the OLE2 directory, and a ZIP reader over the whole.
struct Source {
  uint64_t size = 0;
  std::string_view head;  // the first min(size, kWindow) bytes
  std::string_view tail;  // the last min(size, kWindow) bytes
  ReadAt read_at;
  std::function<Result<formats::package::ArchiveReader>(const formats::package::ArchiveLimits&)> open_zip;
};

Result<Identification> Identify(const Source& src);

// Reads up to `n` bytes of `f` at `offset` (fewer at the end of the file).
Result<std::string> PRead(File& f, uint64_t offset, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    const ssize_t r = pread(f.fd(), out.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "pread");
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  out.resize(got);
  return out;
}

}  // namespace

Result<Identification> IdentifyFile(const std::string& path) {
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_RDONLY));
  KHOLUU_ASSIGN_OR_RETURN(uint64_t size, f.Size());
  KHOLUU_ASSIGN_OR_RETURN(std::string head, PRead(f, 0, kWindow));
  std::string tail;
  if (size > head.size()) {
    const uint64_t from = size > kWindow ? size - kWindow : 0;
    KHOLUU_ASSIGN_OR_RETURN(tail, PRead(f, from, static_cast<size_t>(size - from)));
  } else {
    tail = head;
  }
  Source src;
  src.size = size;
  src.head = head;
  src.tail = tail;
  src.read_at = [&f](uint64_t offset, size_t n) { return PRead(f, offset, n); };
  src.open_zip = [&path](const formats::package::ArchiveLimits& limits) {
    return formats::package::ArchiveReader::OpenFile(path, limits);
  };
  return Identify(src);
}

Identification IdentifyBytes(std::string_view content) {
  Source src;
  src.size = content.size();
  src.head = content.substr(0, kWindow);
  src.tail = content.substr(content.size() > kWindow ? content.size() - kWindow : 0);
  src.read_at = [content](uint64_t offset, size_t n) -> Result<std::string> {
    if (offset >= content.size()) return std::string();
    return std::string(content.substr(static_cast<size_t>(offset), n));
  };
  src.open_zip = [content](const formats::package::ArchiveLimits& limits) {
    return formats::package::ArchiveReader::OpenMemory(content, limits);
  };
  auto id = Identify(src);
  // Identify fails only when reading fails, which memory does not.
  return id.ok() ? *id : Make("application/octet-stream");
}

namespace {

Result<Identification> Identify(const Source& src) {
  const uint64_t size = src.size;
  const std::string_view head = src.head;
  const std::string_view tail = src.tail;
  const std::string_view h = head;
  const bool whole = size <= head.size();

  if (size == 0) return Damaged(Make("application/octet-stream"), "the file is empty");

  // PDF: the header may follow up to 1024 bytes of junk (ISO 32000-1 7.5.2
  // readers tolerate it); the last %%EOF must sit near the end.
  const size_t pdf = h.substr(0, 1024 + 8).find("%PDF-");
  if (pdf != std::string_view::npos) {
    Identification id = Make("application/pdf", PdfVersion(h, pdf));
    const std::string_view last = std::string_view(tail).substr(tail.size() > 1024 ? tail.size() - 1024 : 0);
    if (last.find("%%EOF") == std::string_view::npos) return Damaged(id, "no %%EOF at the end: the PDF is cut short");
    return id;
  }
  const auto magic = [&](const char* m, size_t n) { return h.size() >= n && h.compare(0, n, std::string_view(m, n)) == 0; };
  if (magic("II*\0", 4) || magic("MM\0*", 4)) return Make("image/tiff");
  if (magic("II+\0", 4) || magic("MM\0+", 4)) return Make("image/tiff", "BigTIFF");
  if (magic("\xFF\xD8\xFF", 3)) {
    std::string version;
    if (h.size() > 13 && h.compare(6, 5, std::string_view("JFIF\0", 5)) == 0) {
      version = std::to_string(static_cast<unsigned char>(h[11])) + "." +
                (static_cast<unsigned char>(h[12]) < 10 ? "0" : "") +
                std::to_string(static_cast<unsigned char>(h[12]));
    } else if (h.size() > 10 && h.compare(6, 4, "Exif") == 0) {
      version = "Exif";
    }
    return Make("image/jpeg", version);
  }
  if (magic("\x89PNG\r\n\x1A\n", 8)) {
    Identification id = Make("image/png");
    if (tail.size() < 12 || tail.compare(tail.size() - 8, 4, "IEND") != 0) {
      return Damaged(id, "no IEND chunk at the end: the PNG is cut short");
    }
    return id;
  }
  if (magic("\0\0\0\x0CjP  \r\n\x87\n", 12)) return Make("image/jp2");
  if (magic("\xFF\x4F\xFF\x51", 4)) return Make("image/j2k");
  if (magic("GIF87a", 6) || magic("GIF89a", 6)) return Make("image/gif", std::string(h.substr(3, 3)));
  if (magic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) return IdentifyOle2(src.read_at, h);
  if (magic("PK\x03\x04", 4) || magic("PK\x05\x06", 4)) {
    formats::package::ArchiveLimits limits;
    limits.max_entries = 20000;
    Identification id = IdentifyZip(src.open_zip(limits));
    // The end-of-central-directory record is within the last 64 KiB + 22.
    if (!id.damaged && tail.find(std::string_view("PK\x05\x06", 4)) == std::string::npos) {
      return Damaged(id, "no end of central directory: the ZIP is cut short");
    }
    return id;
  }
  if (magic("{\\rtf", 5)) return Make("application/rtf", std::string(h.substr(5, 1)));
  if (magic("\x1F\x8B", 2)) return Make("application/gzip");
  if (h.size() >= 262 && h.compare(257, 5, "ustar") == 0) return Make("application/x-tar");
  if (std::optional<Identification> xml = IdentifyXml(h, !whole)) return *xml;
  if (LooksLikeUtf8Text(SkipBomAndSpace(h), !whole) && !SkipBomAndSpace(h).empty()) {
    return Make("text/plain", "UTF-8");
  }
  return Make("application/octet-stream");
}

}  // namespace

std::string CanonicalMediaType(std::string_view media_type) {
  std::string t(media_type.substr(0, media_type.find(';')));
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(t.begin());
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Alias {
    std::string_view from, to;
  };
  static constexpr Alias kAliases[] = {
      {"image/jpg", "image/jpeg"},           {"image/pjpeg", "image/jpeg"},
      {"image/tif", "image/tiff"},           {"image/x-tiff", "image/tiff"},
      {"application/x-pdf", "application/pdf"}, {"text/pdf", "application/pdf"},
      {"text/xml", "application/xml"},       {"application/x-zip-compressed", "application/zip"},
      {"application/x-zip", "application/zip"}, {"image/x-png", "image/png"},
      {"image/jpx", "image/jp2"},            {"application/doc", "application/msword"},
      {"application/vnd.msword", "application/msword"}, {"application/x-msexcel", "application/vnd.ms-excel"},
      {"application/excel", "application/vnd.ms-excel"},
  };
  for (const Alias& a : kAliases) {
    if (t == a.from) return std::string(a.to);
  }
  return t;
}

namespace {
struct ExtensionType {
  std::string_view extension, media_type;
};
constexpr ExtensionType kMagicTypes[] = {
    {"pdf", "application/pdf"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"odp", "application/vnd.oasis.opendocument.presentation"},
    {"doc", "application/msword"},
    {"xls", "application/vnd.ms-excel"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"rtf", "application/rtf"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"png", "image/png"},
    {"jp2", "image/jp2"},
    {"gif", "image/gif"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
};
}  // namespace

std::string MediaTypeForName(std::string_view file_name) {
  const size_t slash = file_name.find_last_of("/\\");
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  const size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(file_name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const ExtensionType& e : kMagicTypes) {
    if (e.extension == ext) return std::string(e.media_type);
  }
  return "";
}

bool HasMagicNumbers(std::string_view media_type) {
  const std::string t = CanonicalMediaType(media_type);
  for (const ExtensionType& e : kMagicTypes) {
    if (e.media_type == t) return true;
  }
  return false;
}

bool DeclaredTypeAgrees(std::string_view declared, const Identification& identified) {
  const std::string d = CanonicalMediaType(declared);
  if (d.empty() || d == "application/octet-stream") return true;
  const std::string i = CanonicalMediaType(identified.media_type);
  if (d == i) return true;
  const bool zip_based = i.rfind("application/vnd.openxmlformats-", 0) == 0 ||
                         i.rfind("application/vnd.oasis.opendocument.", 0) == 0 ||
                         i.find("macroenabled") != std::string::npos;
  if (d == "application/zip" && zip_based) return true;
  const bool flat_odf = i.size() > 9 && i.compare(i.size() - 9, 9, "-flat-xml") == 0;
  const bool text_d = d == "application/xml" || d == "text/plain";
  const bool text_i = i == "application/xml" || i == "text/plain" || flat_odf;
  if (text_d && text_i) return true;
  // A format known to OLE2 only as a compound file: any Office 97 type.
  if (i == "application/x-ole-storage" &&
      (d == "application/msword" || d == "application/vnd.ms-excel" || d == "application/vnd.ms-powerpoint")) {
    return true;
  }
  return false;
}

}  // namespace kholuu::formats::identify
