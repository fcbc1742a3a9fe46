#include "formats/bagit/bag.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <ctime>
#include <map>
#include <memory>
#include <set>

#include "archive/base/digest.h"
#include "formats/common/text.h"

namespace kholuu::formats::bagit {
namespace {

using Algorithm = DigestAlgorithm;

constexpr int kMaxDepth = 64;

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      lines.push_back(cur);
      cur.clear();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

// Case- and normalisation-insensitive key for noticing entries that name the
// same file on a case-insensitive or normalising file system.
std::string AliasKey(const std::string& path) {
  auto nfc = ToNfc(path);
  std::string k = nfc.ok() ? *nfc : path;
  for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

bool IsSystemFile(const std::string& path) {
  const std::string base = path.substr(path.rfind('/') + 1);
  return base == ".DS_Store" || base == "Thumbs.db" || base == "desktop.ini" ||
         base.rfind("._", 0) == 0;
}

struct Walk {
  std::vector<std::string> payload;  // "data/..." regular files
  std::vector<std::string> tags;     // top-level and nested tag files
  std::map<std::string, uint64_t> sizes;
};

class Validator {
 public:
  Validator(std::string dir, const ValidateOptions& o) : dir_(std::move(dir)), opts_(o) {}

  Result<BagReport> Run();

 private:
  void Add(Severity s, std::string code, std::string message, std::string path = {}) {
    report_.problems.push_back({s, std::move(code), std::move(message), std::move(path)});
  }
  void Error(std::string code, std::string message, std::string path = {}) {
    Add(Severity::kError, std::move(code), std::move(message), std::move(path));
  }
  void Warn(std::string code, std::string message, std::string path = {}) {
    Add(Severity::kWarning, std::move(code), std::move(message), std::move(path));
  }
  bool V1() const { return major_ >= 1; }

  Status WalkDir(const std::string& rel, int depth);
  Result<std::string> ReadTagText(const std::string& name);
  bool ParseBagitTxt();
  // Returns false when `path` must be rejected; rewrites it normalised.
  bool CheckPath(std::string& path, const std::string& where, bool payload);
  void ParseManifest(const std::string& file, Algorithm a, bool tag);
  void ParseBagInfo();
  void ParseFetch();
  Status VerifyChecksums();

  struct Manifest {
    std::string file;
    Algorithm algorithm;
    bool tag = false;
    std::map<std::string, std::string> entries;  // path -> checksum
  };

  std::string dir_;
  ValidateOptions opts_;
  BagReport report_;
  int major_ = 0;
  int minor_ = 0;
  std::string encoding_ = "UTF-8";
  Walk walk_;
  std::vector<Manifest> manifests_;
  std::set<std::string> fetched_;  // paths named in fetch.txt
  uint64_t file_count_ = 0;
  size_t missing_system_files_ = 0;
  std::string oxum_problem_;  // set by ParseBagInfo, judged after completeness
};

Status Validator::WalkDir(const std::string& rel, int depth) {
  if (depth > kMaxDepth) {
    Error("too-deep", "directory nesting deeper than " + std::to_string(kMaxDepth), rel);
    return Status::Ok();
  }
  const std::string abs = rel.empty() ? dir_ : JoinPath(dir_, rel);
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(abs));
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string r = rel.empty() ? name : rel + "/" + name;
    if (++file_count_ > opts_.max_files) {
      Error("too-many-files", "more than " + std::to_string(opts_.max_files) + " entries");
      return Status::Ok();
    }
    struct stat st {};
    if (lstat(JoinPath(dir_, r).c_str(), &st) != 0) return ErrnoError(errno, "lstat " + r);
    if (S_ISLNK(st.st_mode)) {
      Error("symlink", "symbolic links are not allowed in a bag", r);
    } else if (S_ISDIR(st.st_mode)) {
      KHOLUU_RETURN_IF_ERROR(WalkDir(r, depth + 1));
    } else if (S_ISREG(st.st_mode)) {
      walk_.sizes[r] = static_cast<uint64_t>(st.st_size);
      if (r.rfind("data/", 0) == 0) {
        walk_.payload.push_back(r);
      } else {
        walk_.tags.push_back(r);
      }
    } else {
      Error("special-file", "device, socket or fifo in a bag", r);
    }
  }
  return Status::Ok();
}

Result<std::string> Validator::ReadTagText(const std::string& name) {
  KHOLUU_ASSIGN_OR_RETURN(std::string raw,
                          ReadFileToString(JoinPath(dir_, name), opts_.max_tag_file_bytes));
  auto text = ConvertToUtf8(raw, encoding_);
  if (!text.ok()) {
    return InvalidArgumentError(name + ": " + text.status().message());
  }
  return *text;
}

bool Validator::ParseBagitTxt() {
  const std::string path = JoinPath(dir_, "bagit.txt");
  if (!PathExists(path)) {
    Error("missing-bagit.txt", "bagit.txt is missing: not a bag", "bagit.txt");
    return false;
  }
  auto raw = ReadFileToString(path, 4096);
  if (!raw.ok()) {
    Error("bagit.txt", "bagit.txt cannot be read: " + raw.status().message(), "bagit.txt");
    return false;
  }
  if (raw->rfind("\xEF\xBB\xBF", 0) == 0 || raw->rfind("\xFE\xFF", 0) == 0 ||
      raw->rfind("\xFF\xFE", 0) == 0) {
    Error("bom-in-bagit.txt", "bagit.txt must not start with a byte-order mark", "bagit.txt");
    return false;
  }
  std::vector<std::string> lines = SplitLines(*raw);
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  const std::string kVersion = "BagIt-Version: ";
  const std::string kEncoding = "Tag-File-Character-Encoding: ";
  if (lines.empty() || lines[0].rfind(kVersion, 0) != 0) {
    Error("bagit.txt", "first line must be exactly 'BagIt-Version: M.N'", "bagit.txt");
    return false;
  }
  const std::string version = lines[0].substr(kVersion.size());
  const size_t dot = version.find('.');
  if (dot == std::string::npos || !IsDigits(version.substr(0, dot)) ||
      !IsDigits(version.substr(dot + 1)) || version.size() > 8) {
    Error("invalid-version", "BagIt-Version '" + version + "' is not M.N", "bagit.txt");
    return false;
  }
  major_ = std::stoi(version.substr(0, dot));
  minor_ = std::stoi(version.substr(dot + 1));
  report_.version = version;
  if (!((major_ == 0 && minor_ >= 93 && minor_ <= 97) || (major_ == 1 && minor_ == 0))) {
    Warn("unknown-version", "BagIt-Version " + version + " is not one kholuu knows", "bagit.txt");
  }
  if (lines.size() < 2 || lines[1].rfind(kEncoding, 0) != 0) {
    Error("missing-encoding",
          "second line must be 'Tag-File-Character-Encoding: ENCODING'", "bagit.txt");
    return false;
  }
  encoding_ = lines[1].substr(kEncoding.size());
  report_.tag_encoding = encoding_;
  if (encoding_.empty() || Trim(encoding_) != encoding_) {
    Error("bagit.txt", "malformed Tag-File-Character-Encoding '" + encoding_ + "'", "bagit.txt");
    return false;
  }
  if (lines.size() > 2) {
    if (V1()) {
      Error("bagit.txt", "bagit.txt must have exactly two lines", "bagit.txt");
    } else {
      Warn("bagit.txt", "bagit.txt has more than two lines", "bagit.txt");
    }
  }
  if (auto probe = ConvertToUtf8("", encoding_); !probe.ok()) {
    Error("unknown-encoding", probe.status().message(), "bagit.txt");
    return false;
  }
  return true;
}

bool Validator::CheckPath(std::string& path, const std::string& where, bool payload) {
  if (path.rfind("./", 0) == 0) {
    Warn("relative-path", "path starts with './': " + path, where);
    while (path.rfind("./", 0) == 0) path.erase(0, 2);
  }
  if (path.empty()) {
    Error("empty-path", "an entry has no path", where);
    return false;
  }
  const bool drive = path.size() >= 2 && std::isalpha(static_cast<unsigned char>(path[0])) &&
                     path[1] == ':';
  if (path[0] == '/' || path[0] == '\\' || drive) {
    Error("out-of-scope-path", "absolute path '" + path + "' points outside the bag", where);
    return false;
  }
  if (path[0] == '~') {
    Error("out-of-scope-path", "home-directory path '" + path + "' points outside the bag", where);
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string_view comp(path.data() + start, end - start);
    if (comp == "..") {
      Error("out-of-scope-path", "path '" + path + "' climbs out of the bag with '..'", where);
      return false;
    }
    if (comp.empty() || comp == ".") {
      Error("bad-path", "path '" + path + "' has an empty or '.' component", where);
      return false;
    }
    start = end + 1;
  }
  if (path.find('\0') != std::string::npos) {
    Error("bad-path", "path contains a NUL byte", where);
    return false;
  }
  if (payload && path.rfind("data/", 0) != 0) {
    Error("out-of-scope-path", "payload path '" + path + "' is not under data/", where);
    return false;
  }
  return true;
}

// RFC 8493 §2.1.3: in 1.0 only CR, LF and '%' are percent-encoded.
std::string DecodePercent(const std::string& p) {
  std::string out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '%' && i + 2 < p.size()) {
      const std::string code = p.substr(i + 1, 2);
      std::string up = code;
      for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (up == "0A") { out.push_back('\n'); i += 2; continue; }
      if (up == "0D") { out.push_back('\r'); i += 2; continue; }
      if (up == "25") { out.push_back('%'); i += 2; continue; }
    }
    out.push_back(p[i]);
  }
  return out;
}

void Validator::ParseManifest(const std::string& file, Algorithm a, bool tag) {
  auto text = ReadTagText(file);
  if (!text.ok()) {
    Error("unreadable-tag-file", text.status().message(), file);
    return;
  }
  Manifest m{file, a, tag, {}};
  size_t line_no = 0;
  for (std::string line : SplitLines(*text)) {
    ++line_no;
    const std::string where = file + ":" + std::to_string(line_no);
    if (Trim(line).empty()) continue;
    const size_t ws = line.find_first_of(" \t");
    if (ws == std::string::npos) {
      Error("malformed-manifest", "line has no path after the checksum", where);
      continue;
    }
    std::string sum = line.substr(0, ws);
    size_t p = line.find_first_not_of(" \t", ws);
    std::string path = p == std::string::npos ? std::string() : line.substr(p);
    while (!path.empty() && (path.back() == ' ' || path.back() == '\t')) path.pop_back();
    for (char& c : sum) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (sum.size() != 2 * DigestSize(a) ||
        sum.find_first_not_of("0123456789abcdef") != std::string::npos) {
      Error("malformed-checksum",
            "'" + sum + "' is not a " + std::string(DigestAlgorithmName(a)) + " checksum",
            where);
      continue;
    }
    if (!path.empty() && path[0] == '*') {
      Warn("md5sum-binary-marker", "path has md5sum's '*' binary marker; read without it", where);
      path.erase(0, 1);
    }
    if (V1()) path = DecodePercent(path);
    if (!CheckPath(path, where, !tag)) continue;
    auto [it, inserted] = m.entries.emplace(path, sum);
    if (!inserted) {
      if (it->second != sum) {
        Error("duplicate-entry", "'" + path + "' is listed twice with different checksums", where);
      } else if (V1()) {
        Error("duplicate-entry", "'" + path + "' is listed twice", where);
      } else {
        Warn("duplicate-entry", "'" + path + "' is listed twice with the same checksum", where);
      }
    }
  }
  manifests_.push_back(std::move(m));
}

void Validator::ParseBagInfo() {
  if (!PathExists(JoinPath(dir_, "bag-info.txt"))) return;
  auto text = ReadTagText("bag-info.txt");
  if (!text.ok()) {
    Error("unreadable-tag-file", text.status().message(), "bag-info.txt");
    return;
  }
  auto& info = report_.info;
  size_t line_no = 0;
  for (const std::string& line : SplitLines(*text)) {
    ++line_no;
    const std::string where = "bag-info.txt:" + std::to_string(line_no);
    if (line.empty()) continue;
    if (line[0] == ' ' || line[0] == '\t') {
      if (info.empty()) {
        Error("malformed-bag-info", "continuation line before any label", where);
      } else {
        info.back().second += " " + std::string(Trim(line));
      }
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string::npos || Trim(line.substr(0, colon)).empty()) {
      Error("malformed-bag-info", "line is not 'Label: value'", where);
      continue;
    }
    info.emplace_back(std::string(Trim(line.substr(0, colon))),
                      std::string(Trim(line.substr(colon + 1))));
  }
  std::string oxum;
  for (const auto& [label, value] : info) {
    std::string l = label;
    for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l != "payload-oxum") continue;
    if (!oxum.empty() && oxum != value) {
      Error("payload-oxum", "Payload-Oxum is given twice with different values", "bag-info.txt");
    }
    oxum = value;
  }
  if (oxum.empty()) return;
  const size_t dot = oxum.find('.');
  if (dot == std::string::npos || !IsDigits(oxum.substr(0, dot)) ||
      !IsDigits(oxum.substr(dot + 1)) || oxum.size() > 40) {
    Error("payload-oxum", "Payload-Oxum '" + oxum + "' is not OCTETS.COUNT", "bag-info.txt");
    return;
  }
  uint64_t octets = 0;
  for (const std::string& p : walk_.payload) octets += walk_.sizes[p];
  const std::string actual = std::to_string(octets) + "." + std::to_string(walk_.payload.size());
  if (oxum != actual) {
    oxum_problem_ = "Payload-Oxum says " + oxum + " (octets.files) but the payload is " + actual;
  }
}

void Validator::ParseFetch() {
  if (!PathExists(JoinPath(dir_, "fetch.txt"))) return;
  auto text = ReadTagText("fetch.txt");
  if (!text.ok()) {
    Error("unreadable-tag-file", text.status().message(), "fetch.txt");
    return;
  }
  size_t line_no = 0;
  for (const std::string& line : SplitLines(*text)) {
    ++line_no;
    const std::string where = "fetch.txt:" + std::to_string(line_no);
    if (Trim(line).empty()) continue;
    const size_t a = line.find_first_of(" \t");
    const size_t b = a == std::string::npos ? a : line.find_first_not_of(" \t", a);
    const size_t c = b == std::string::npos ? b : line.find_first_of(" \t", b);
    const size_t d = c == std::string::npos ? c : line.find_first_not_of(" \t", c);
    if (d == std::string::npos) {
      Error("malformed-fetch", "line is not 'URL LENGTH PATH'", where);
      continue;
    }
    const std::string length = line.substr(b, c - b);
    if (length != "-" && !IsDigits(length)) {
      Error("malformed-fetch", "length '" + length + "' is neither a number nor '-'", where);
    }
    std::string path(Trim(line.substr(d)));
    if (V1()) path = DecodePercent(path);
    if (!CheckPath(path, where, true)) continue;
    fetched_.insert(path);
  }
}

Status Validator::VerifyChecksums() {
  // Which algorithms each existing file needs; every file is read once.
  std::map<std::string, std::set<Algorithm>> wanted;
  for (const Manifest& m : manifests_) {
    for (const auto& [path, sum] : m.entries) {
      if (walk_.sizes.count(path)) wanted[path].insert(m.algorithm);
    }
  }
  std::map<std::pair<std::string, Algorithm>, std::string> actual;
  std::vector<char> buf(1 << 20);
  for (const auto& [path, algos] : wanted) {
    std::vector<Hasher> ds;
    for (Algorithm a : algos) ds.emplace_back(a);
    auto f = File::Open(JoinPath(dir_, path), O_RDONLY | O_NOFOLLOW);
    if (!f.ok()) {
      Error("unreadable-file", f.status().message(), path);
      continue;
    }
    while (true) {
      KHOLUU_ASSIGN_OR_RETURN(size_t n, f->Read(buf.data(), buf.size()));
      if (n == 0) break;
      for (Hasher& d : ds) d.Update(std::string_view(buf.data(), n));
    }
    for (Hasher& d : ds) actual[{path, d.algorithm()}] = d.FinishHex();
  }
  for (const Manifest& m : manifests_) {
    for (const auto& [path, sum] : m.entries) {
      auto it = actual.find({path, m.algorithm});
      if (it != actual.end() && it->second != sum) {
        Error("checksum-mismatch",
              std::string(DigestAlgorithmName(m.algorithm)) + " of '" + path + "' is " +
                  it->second + ", " + m.file + " says " + sum,
              path);
      }
    }
  }
  return Status::Ok();
}

Result<BagReport> Validator::Run() {
  if (!PathExists(dir_)) return NotFoundError("no such bag directory: " + dir_);
  if (!IsDirectory(dir_)) return FailedPreconditionError(dir_ + " is not a directory");
  if (!ParseBagitTxt()) return std::move(report_);
  KHOLUU_RETURN_IF_ERROR(WalkDir("", 0));
  std::sort(walk_.payload.begin(), walk_.payload.end());
  report_.payload = walk_.payload;
  for (const std::string& p : walk_.payload) report_.payload_bytes += walk_.sizes[p];
  if (!IsDirectory(JoinPath(dir_, "data"))) {
    Error("missing-data", "the payload directory data/ is missing", "data");
  }

  // Manifests at the top level.
  for (const std::string& t : walk_.tags) {
    if (t.find('/') != std::string::npos) continue;
    const bool tag = t.rfind("tagmanifest-", 0) == 0;
    if (!tag && t.rfind("manifest-", 0) != 0) continue;
    if (t.size() < 4 || t.compare(t.size() - 4, 4, ".txt") != 0) continue;
    const size_t from = tag ? 12 : 9;
    const std::string name = t.substr(from, t.size() - 4 - from);
    // Manifest names are the exact lower-case BagIt names ("sha256").
    auto a = ParseDigestAlgorithm(name);
    if (!a || DigestAlgorithmName(*a) != name) {
      Error("unsupported-algorithm", "kholuu cannot verify '" + name + "' checksums", t);
      continue;
    }
    ParseManifest(t, *a, tag);
    if (!tag) report_.algorithms.push_back(name);
  }
  if (report_.algorithms.empty()) {
    Error("missing-manifest", "no payload manifest (manifest-ALG.txt)");
  } else if (std::find(report_.algorithms.begin(), report_.algorithms.end(), "sha256") ==
                 report_.algorithms.end() &&
             std::find(report_.algorithms.begin(), report_.algorithms.end(), "sha512") ==
                 report_.algorithms.end()) {
    Warn("weak-algorithm", "no SHA-256 or SHA-512 payload manifest; RFC 8493 asks for one");
  }
  ParseBagInfo();
  ParseFetch();

  // Completeness: manifest entries against the files present.
  std::map<std::string, std::string> present_by_key;
  for (const auto& [path, size] : walk_.sizes) present_by_key.emplace(AliasKey(path), path);
  for (Manifest& m : manifests_) {
    std::map<std::string, std::string> resolved;
    for (const auto& [path, sum] : m.entries) {
      if (walk_.sizes.count(path)) {
        resolved.emplace(path, sum);
        continue;
      }
      auto alias = present_by_key.find(AliasKey(path));
      if (alias != present_by_key.end()) {
        auto listed = m.entries.find(alias->second);
        if (listed == m.entries.end()) {
          Warn("path-alias", "'" + path + "' names '" + alias->second +
                                 "' only up to case or Unicode normalisation", m.file);
          resolved.emplace(alias->second, sum);
        } else if (listed->second == sum) {
          Warn("duplicate-entry", "'" + path + "' and '" + alias->second +
                                      "' differ only in case or Unicode normalisation", m.file);
        } else {
          Error("duplicate-entry", "'" + path + "' and '" + alias->second +
                                       "' name one file with different checksums", m.file);
        }
        continue;
      }
      if (!m.tag && IsSystemFile(path)) {
        // Copying tools routinely drop .DS_Store and Thumbs.db; they hold
        // no record content, so their absence is reported, not fatal.
        Warn("system-file-missing", "operating-system file '" + path + "' is listed in " +
                                        m.file + " but not present", path);
        ++missing_system_files_;
      } else if (fetched_.count(path)) {
        Error("fetch-refused", "'" + path + "' is to be fetched from fetch.txt; kholuu "
                               "accepts only complete bags", path);
      } else {
        Error("missing-file", "'" + path + "' is listed in " + m.file + " but not present", path);
      }
    }
    m.entries = std::move(resolved);
    if (m.tag) continue;
    for (const std::string& p : walk_.payload) {
      if (!m.entries.count(p)) {
        Error("unlisted-file", "payload file '" + p + "' is not listed in " + m.file, p);
      }
    }
  }
  if (!oxum_problem_.empty()) {
    if (missing_system_files_ > 0) {
      Warn("payload-oxum", oxum_problem_ + "; the difference may be the missing system files",
           "bag-info.txt");
    } else {
      Error("payload-oxum", oxum_problem_, "bag-info.txt");
    }
  }
  if (!fetched_.empty()) {
    Warn("fetch-present", "fetch.txt is present; kholuu never downloads, all files must be here",
         "fetch.txt");
  }
  for (const std::string& p : walk_.payload) {
    if (IsSystemFile(p)) {
      Warn("system-file", "operating-system file in the payload", p);
    }
  }
  if (opts_.verify_checksums) KHOLUU_RETURN_IF_ERROR(VerifyChecksums());
  return std::move(report_);
}

bool ValidRelative(const std::string& p) {
  if (p.empty() || p[0] == '/' || p.find('\0') != std::string::npos ||
      p.find('\n') != std::string::npos || p.find('\r') != std::string::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    const std::string_view comp(p.data() + start, end - start);
    if (comp.empty() || comp == "." || comp == "..") return false;
    start = end + 1;
  }
  return true;
}

std::string EncodeManifestPath(const std::string& p) {
  std::string out;
  for (char c : p) {
    if (c == '%') {
      out += "%25";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Status WriteBagInto(const std::string& root, const std::vector<PayloadEntry>& payload,
                    const std::vector<std::pair<std::string, std::string>>& info) {
  KHOLUU_RETURN_IF_ERROR(CreateDirs(JoinPath(root, "data")));
  std::string m256;
  std::string m512;
  uint64_t octets = 0;
  std::vector<char> buf(1 << 20);
  for (const PayloadEntry& e : payload) {
    const std::string rel = "data/" + e.path;
    const std::string abs = JoinPath(root, rel);
    KHOLUU_RETURN_IF_ERROR(CreateDirs(DirName(abs)));
    KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(abs));
    Hasher d256(Algorithm::kSha256);
    Hasher d512(Algorithm::kSha512);
    while (true) {
      KHOLUU_ASSIGN_OR_RETURN(size_t n, e.source->Read(buf.data(), buf.size()));
      if (n == 0) break;
      const std::string_view chunk(buf.data(), n);
      d256.Update(chunk);
      d512.Update(chunk);
      KHOLUU_RETURN_IF_ERROR(w.Append(chunk));
    }
    octets += w.bytes_written();
    KHOLUU_RETURN_IF_ERROR(w.Commit());
    m256 += d256.FinishHex() + "  " + EncodeManifestPath(rel) + "\n";
    m512 += d512.FinishHex() + "  " + EncodeManifestPath(rel) + "\n";
  }
  std::string bag_info;
  bool has_date = false;
  for (const auto& [label, value] : info) {
    if (label.empty() || label.find(':') != std::string::npos ||
        label.find('\n') != std::string::npos || Trim(label) != label) {
      return InvalidArgumentError("bag-info label '" + label + "' is not allowed");
    }
    if (label == "Payload-Oxum") continue;
    if (label == "Bagging-Date") has_date = true;
    std::string v;
    for (char c : value) v += (c == '\n' || c == '\r') ? std::string("\n  ") : std::string(1, c);
    bag_info += label + ": " + v + "\n";
  }
  if (!has_date) {
    const time_t now = time(nullptr);
    struct tm tmv {};
    gmtime_r(&now, &tmv);
    char date[16];
    strftime(date, sizeof date, "%Y-%m-%d", &tmv);
    bag_info += std::string("Bagging-Date: ") + date + "\n";
  }
  bag_info += "Payload-Oxum: " + std::to_string(octets) + "." + std::to_string(payload.size()) + "\n";
  const std::vector<std::pair<std::string, std::string>> tags = {
      {"bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"},
      {"bag-info.txt", bag_info},
      {"manifest-sha256.txt", m256},
      {"manifest-sha512.txt", m512}};
  std::string t256;
  std::string t512;
  for (const auto& [name, body] : tags) {
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(JoinPath(root, name), body));
    Hasher d256(Algorithm::kSha256);
    Hasher d512(Algorithm::kSha512);
    d256.Update(body);
    d512.Update(body);
    t256 += d256.FinishHex() + "  " + name + "\n";
    t512 += d512.FinishHex() + "  " + name + "\n";
  }
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(JoinPath(root, "tagmanifest-sha256.txt"), t256));
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(JoinPath(root, "tagmanifest-sha512.txt"), t512));
  return Status::Ok();
}

}  // namespace

bool BagReport::valid() const { return errors() == 0; }

size_t BagReport::errors() const {
  return static_cast<size_t>(std::count_if(problems.begin(), problems.end(), [](const BagProblem& p) {
    return p.severity == Severity::kError;
  }));
}

size_t BagReport::warnings() const { return problems.size() - errors(); }

Result<BagReport> ValidateBag(const std::string& dir, const ValidateOptions& options) {
  Validator v(dir, options);
  return v.Run();
}

Status WriteBag(const std::string& dir, const std::vector<PayloadEntry>& payload,
                const std::vector<std::pair<std::string, std::string>>& info) {
  std::set<std::string> seen;
  for (const PayloadEntry& e : payload) {
    if (!ValidRelative(e.path)) return InvalidArgumentError("bad payload path '" + e.path + "'");
    if (e.source == nullptr) return InvalidArgumentError("payload '" + e.path + "' has no source");
    if (!seen.insert(e.path).second) {
      return InvalidArgumentError("payload path '" + e.path + "' given twice");
    }
  }
  if (PathExists(dir)) return AlreadyExistsError(dir + " already exists");
  const std::string partial = dir + ".partial";
  KHOLUU_RETURN_IF_ERROR(RemoveTree(partial));
  Status s = WriteBagInto(partial, payload, info);
  if (!s.ok()) {
    RemoveTree(partial).IgnoreError();
    return s;
  }
  if (rename(partial.c_str(), dir.c_str()) != 0) {
    Status e = ErrnoError(errno, "rename " + partial);
    RemoveTree(partial).IgnoreError();
    return e;
  }
  return SyncDir(DirName(dir));
}

}  // namespace kholuu::formats::bagit
