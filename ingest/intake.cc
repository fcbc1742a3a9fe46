#include "ingest/intake.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "archive/base/file.h"
#include "archive/model/agency.h"
#include "formats/bagit/bag.h"
#include "formats/batch/batch.h"
#include "formats/common/text.h"
#include "formats/edxml/edxml.h"
#include "formats/package/archive_reader.h"
#include "ingest/identify.h"
#include "ingest/internal/intake_internal.h"

namespace kholuu::ingest {

std::string_view PackageKindName(PackageKind kind) {
  switch (kind) {
    case PackageKind::kUnknown:
      return "unknown";
    case PackageKind::kEdxml:
      return "edxml";
    case PackageKind::kBagit:
      return "bagit";
    case PackageKind::kMets:
      return "mets";
    case PackageKind::kBatch:
      return "batch";
    case PackageKind::kSidecar:
      return "sidecar";
  }
  return "unknown";
}

bool Intake::HasErrors() const { return ErrorCount() > 0; }

size_t Intake::ErrorCount() const {
  return static_cast<size_t>(std::count_if(problems.begin(), problems.end(),
                                           [](const Problem& p) { return p.severity == Severity::kError; }));
}

size_t Intake::WarningCount() const { return problems.size() - ErrorCount(); }

std::string RefusalReasonVi(const Intake& intake) {
  bool format = false;
  bool any = false;
  for (const Problem& p : intake.problems) {
    if (p.severity != Severity::kError) continue;
    any = true;
    if (p.code.rfind("file.", 0) == 0 || p.code.rfind("package.", 0) == 0) format = true;
  }
  if (!any) return "";
  return format ? "không đúng định dạng" : "không đúng thể thức";
}

namespace internal {

bool IsSidecarName(std::string_view name) {
  if (name == kRecordFileSidecar) return true;
  return name.size() > 5 && name.substr(name.size() - 5) == ".json";
}

std::string NormaliseDate(std::string_view text) {
  std::string_view t = formats::Trim(text);
  const size_t cut = t.find_first_of(" T");
  if (cut != std::string_view::npos) t = t.substr(0, cut);
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto pad = [](std::string_view s) { return s.size() == 1 ? "0" + std::string(s) : std::string(s); };
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == '/' || t[i] == '-' || t[i] == '.') {
      parts.push_back(t.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 3 || !digits(parts[0]) || !digits(parts[1]) || !digits(parts[2])) return "";
  std::string out;
  if (parts[0].size() == 4 && parts[1].size() <= 2 && parts[2].size() <= 2) {
    out = std::string(parts[0]) + "-" + pad(parts[1]) + "-" + pad(parts[2]);
  } else if (parts[2].size() == 4 && parts[0].size() <= 2 && parts[1].size() <= 2) {
    out = std::string(parts[2]) + "-" + pad(parts[1]) + "-" + pad(parts[0]);
  } else {
    return "";
  }
  return model::IsValidDate(out) ? out : "";
}

}  // namespace internal

namespace {

using internal::Context;
using internal::MakeProblem;
using internal::ReaderProblem;
using internal::StagedFile;

// Staging is scratch: its files are not fsynced (the blob store makes its
// own durable copies) and Recover() removes whatever a crash leaves, so its
// directories are made without syncing their parents as CreateDirs does
// (two fsyncs per package saved).
Status CreateScratchDirs(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("empty directory path");
  if (IsDirectory(path)) return Status::Ok();
  const std::string parent = DirName(path);
  if (parent != path) KHOLUU_RETURN_IF_ERROR(CreateScratchDirs(parent));
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoError(errno, "mkdir " + path);
  if (!IsDirectory(path)) return FailedPreconditionError(path + " exists and is not a directory");
  return Status::Ok();
}

constexpr int64_t kVnOffsetSeconds = 7 * 3600;

std::string TodayVn(const Clock* clock) {
  const int64_t micros = (clock != nullptr ? clock : SystemClock())->NowMicros();
  const time_t secs = static_cast<time_t>(micros / 1000000 + kVnOffsetSeconds);
  struct tm tmv {};
  gmtime_r(&secs, &tmv);
  char b[16];
  strftime(b, sizeof b, "%Y-%m-%d", &tmv);
  return b;
}

std::string BaseName(const std::string& path) {
  const size_t s = path.find_last_of('/');
  return s == std::string::npos ? path : path.substr(s + 1);
}

std::string RelativeTo(const std::string& root, const std::string& abs) {
  if (abs == root) return "";
  if (abs.size() > root.size() && abs.compare(0, root.size(), root) == 0 && abs[root.size()] == '/') {
    return abs.substr(root.size() + 1);
  }
  return abs;
}

// ---------------------------------------------------------------- staging

constexpr int kMaxDepth = 64;

struct Walk {
  Context* ctx;
  std::string from_root;  // "" when only hashing in place
  std::string to_root;
  uint64_t total = 0;
  bool stopped = false;  // a limit was crossed
  std::vector<StagedFile>* out;
};

// Copies (or, without a source root, hashes in place) one regular file.
Status StageFile(Walk& w, const std::string& rel, uint64_t declared_size) {
  const IntakeOptions& o = *w.ctx->options;
  if (declared_size > o.max_file_bytes) {
    w.ctx->Add("package.too_large", "larger than " + std::to_string(o.max_file_bytes) + " bytes", rel);
    w.stopped = true;
    return Status::Ok();
  }
  if (w.total + declared_size > o.max_package_bytes) {
    w.ctx->Add("package.too_large", "the package is larger than " + std::to_string(o.max_package_bytes) + " bytes",
               rel);
    w.stopped = true;
    return Status::Ok();
  }
  if (w.out->size() >= o.max_files) {
    w.ctx->Add("package.too_large", "more than " + std::to_string(o.max_files) + " files", rel);
    w.stopped = true;
    return Status::Ok();
  }
  StagedFile f;
  f.rel = rel;
  f.abs = JoinPath(w.to_root, rel);
  if (w.from_root.empty()) {
    auto sha = Sha256OfFile(f.abs, &f.size);
    if (!sha.ok()) {
      w.ctx->Add("file.unreadable", sha.status().message(), rel);
      return Status::Ok();
    }
    f.sha256 = *sha;
  } else {
    auto in = File::Open(JoinPath(w.from_root, rel), O_RDONLY | O_NOFOLLOW);
    if (!in.ok()) {
      w.ctx->Add("file.unreadable", in.status().message(), rel);
      return Status::Ok();
    }
    KHOLUU_ASSIGN_OR_RETURN(File out, File::Open(f.abs, O_WRONLY | O_CREAT | O_EXCL, 0644));
    Sha256Hasher h;
    std::string buf(1 << 20, '\0');
    while (true) {
      auto n = in->Read(buf.data(), buf.size());
      if (!n.ok()) {
        w.ctx->Add("file.unreadable", n.status().message(), rel);
        return Status::Ok();
      }
      if (*n == 0) break;
      const std::string_view chunk(buf.data(), *n);
      h.Update(chunk);
      KHOLUU_RETURN_IF_ERROR(out.WriteAll(chunk));
      f.size += *n;
    }
    KHOLUU_RETURN_IF_ERROR(out.Close());
    f.sha256 = h.Finish();
  }
  w.total += f.size;
  w.out->push_back(std::move(f));
  return Status::Ok();
}

Status WalkDir(Walk& w, const std::string& rel, int depth) {
  const std::string src_dir = JoinPath(w.from_root.empty() ? w.to_root : w.from_root, rel);
  if (depth > kMaxDepth) {
    w.ctx->Add("package.unsafe_entry", "nested deeper than " + std::to_string(kMaxDepth) + " folders", rel);
    return Status::Ok();
  }
  auto names = ListDir(src_dir);
  if (!names.ok()) {
    w.ctx->Add("file.unreadable", names.status().message(), rel);
    return Status::Ok();
  }
  std::sort(names->begin(), names->end());
  for (const std::string& n : *names) {
    if (w.stopped) return Status::Ok();
    const std::string r = rel.empty() ? n : rel + "/" + n;
    struct stat st {};
    if (lstat(JoinPath(src_dir, n).c_str(), &st) != 0) {
      w.ctx->Add("file.unreadable", std::strerror(errno), r);
      continue;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!w.from_root.empty()) KHOLUU_RETURN_IF_ERROR(CreateScratchDirs(JoinPath(w.to_root, r)));
      KHOLUU_RETURN_IF_ERROR(WalkDir(w, r, depth + 1));
    } else if (S_ISREG(st.st_mode)) {
      KHOLUU_RETURN_IF_ERROR(StageFile(w, r, static_cast<uint64_t>(st.st_size)));
    } else {
      w.ctx->Add("package.unsafe_entry",
                 S_ISLNK(st.st_mode) ? "a symbolic link (never followed)" : "not a regular file or folder", r);
    }
  }
  return Status::Ok();
}

// Copies the directory `from` into `to` (created), or hashes `to` in place
// when `from` is empty. Files come back sorted by path.
Result<std::vector<StagedFile>> StageTree(Context& ctx, const std::string& from, const std::string& to) {
  std::vector<StagedFile> files;
  Walk w{&ctx, from, to, 0, false, &files};
  if (!from.empty()) KHOLUU_RETURN_IF_ERROR(CreateScratchDirs(to));
  KHOLUU_RETURN_IF_ERROR(WalkDir(w, "", 0));
  std::sort(files.begin(), files.end(), [](const StagedFile& a, const StagedFile& b) { return a.rel < b.rel; });
  for (const StagedFile& f : files) ctx.staged[f.abs] = f;
  return files;
}

Sha256 ManifestDigest(const std::vector<StagedFile>& files) {
  Sha256Hasher h;
  for (const StagedFile& f : files) {
    h.Update(f.sha256.ToHex() + "  " + f.rel + "\n");
  }
  return h.Finish();
}

formats::package::ArchiveLimits LimitsOf(const IntakeOptions& o) {
  formats::package::ArchiveLimits l;
  l.max_entries = o.max_files;
  l.max_entry_bytes = o.max_file_bytes;
  l.max_total_bytes = o.max_package_bytes;
  return l;
}

// Maps an unpacking failure to a problem: kInvalidArgument names the refused
// entry (or a malformed archive), kResourceExhausted a cap, kDataLoss damage.
bool ArchiveFailureToProblem(Context& ctx, const Status& s, const std::string& path) {
  const std::string& m = s.message();
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
      if (m.find("not a readable") != std::string::npos || m.find("malformed") != std::string::npos) {
        ctx.Add("package.corrupt", m, path);
      } else {
        ctx.Add("package.unsafe_entry", m, path);
      }
      return true;
    case StatusCode::kResourceExhausted:
      ctx.Add("package.too_large", m, path);
      return true;
    case StatusCode::kDataLoss:
      ctx.Add("package.corrupt", m, path);
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------- detection

// The local name of the first element of an XML text, "" if none is seen.
std::string FirstElementName(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    i = s.find('<', i);
    if (i == std::string_view::npos || i + 1 >= s.size()) return "";
    if (s.compare(i, 4, "<!--") == 0) {
      const size_t e = s.find("-->", i + 4);
      if (e == std::string_view::npos) return "";
      i = e + 3;
    } else if (s[i + 1] == '?' || s[i + 1] == '!') {
      const size_t e = s.find('>', i);
      if (e == std::string_view::npos) return "";
      i = e + 1;
    } else {
      size_t e = i + 1;
      while (e < s.size() && s[e] != ' ' && s[e] != '>' && s[e] != '/' && s[e] != '\t' && s[e] != '\r' &&
             s[e] != '\n') {
        ++e;
      }
      std::string name(s.substr(i + 1, e - i - 1));
      const size_t colon = name.find(':');
      return colon == std::string::npos ? name : name.substr(colon + 1);
    }
  }
  return "";
}

bool IsEdxmlFile(const std::string& path) {
  auto id = IdentifyFile(path);
  if (!id.ok() || (id->media_type != "application/xml" && id->media_type != "text/plain")) {
    // Junk before the XML declaration is tolerated by the reader: look for
    // the root anyway in a text-ish file.
    if (!id.ok() || id->media_type != "application/octet-stream") return false;
  }
  auto f = File::Open(path, O_RDONLY);
  if (!f.ok()) return false;
  std::string head(64 * 1024, '\0');
  auto n = f->Read(head.data(), head.size());
  if (!n.ok()) return false;
  head.resize(*n);
  const std::string root = FirstElementName(head.substr(std::min(head.size(), head.find('<'))));
  return root == "edXML" || root == "EdXMLEnvelope";
}

constexpr std::string_view kSheetPathColumn = "duong dan file";

// A metadata sheet by content: an XLSX workbook, or a CSV whose header
// (among its first 15 rows) has the "Đường dẫn file" column.
bool IsBatchSheet(const std::string& path) {
  auto id = IdentifyFile(path);
  if (!id.ok()) return false;
  if (id->media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return true;
  if (id->media_type != "text/plain" && id->media_type != "application/octet-stream") return false;
  auto text = ReadFileToString(path, 64u << 20);
  if (!text.ok()) return false;
  auto sheet = formats::batch::ReadCsv(*text);
  if (!sheet.ok()) return false;
  for (size_t r = 0; r < sheet->rows.size() && r < 15; ++r) {
    for (const formats::batch::Cell& c : sheet->rows[r]) {
      if (formats::FoldKey(c.text) == kSheetPathColumn) return true;
    }
  }
  return false;
}

// The folder of a directory package that holds METS.xml: the folder itself
// or its only subfolder (TT05 tooling zips "urn_<phông>_uuid_<UUID>/").
std::string MetsRoot(const std::string& dir) {
  if (PathExists(JoinPath(dir, "METS.xml"))) return dir;
  auto names = ListDir(dir);
  if (names.ok() && names->size() == 1 && IsDirectory(JoinPath(dir, (*names)[0])) &&
      PathExists(JoinPath(JoinPath(dir, (*names)[0]), "METS.xml"))) {
    return JoinPath(dir, (*names)[0]);
  }
  return "";
}

// Sheets at the top of `dir`, sorted.
std::vector<std::string> SheetsIn(const std::string& dir) {
  std::vector<std::string> out;
  auto names = ListDir(dir);
  if (!names.ok()) return out;
  std::sort(names->begin(), names->end());
  for (const std::string& n : *names) {
    const std::string p = JoinPath(dir, n);
    struct stat st {};
    if (lstat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && !internal::IsSidecarName(n) && IsBatchSheet(p)) {
      out.push_back(p);
    }
  }
  return out;
}

bool HasSidecars(const std::string& dir, int depth = 0) {
  if (depth > 8) return false;
  auto names = ListDir(dir);
  if (!names.ok()) return false;
  for (const std::string& n : *names) {
    const std::string p = JoinPath(dir, n);
    if (IsDirectory(p)) {
      if (HasSidecars(p, depth + 1)) return true;
    } else if (n == internal::kRecordFileSidecar) {
      return true;
    } else if (internal::IsSidecarName(n) && PathExists(p.substr(0, p.size() - 5))) {
      return true;
    }
  }
  return false;
}

// The kind of a directory's content (the payload of a bag included).
PackageKind ClassifyContent(const std::string& dir) {
  if (!MetsRoot(dir).empty()) return PackageKind::kMets;
  if (!SheetsIn(dir).empty()) return PackageKind::kBatch;
  if (HasSidecars(dir)) return PackageKind::kSidecar;
  return PackageKind::kUnknown;
}

Result<PackageKind> DetectArchive(const std::string& path) {
  auto reader = formats::package::ArchiveReader::OpenFile(path);
  if (!reader.ok()) return reader.status();
  std::set<std::string> names;
  std::set<std::string> tops;
  while (true) {
    auto next = reader->Next();
    if (!next.ok()) break;  // unsafe entries are reported when unpacking
    if (!next->has_value()) break;
    const std::string& p = (*next)->path;
    names.insert(p);
    tops.insert(p.substr(0, p.find('/')));
  }
  const std::string one = tops.size() == 1 ? *tops.begin() + "/" : std::string("\x01");
  if (names.count("bagit.txt") || names.count(one + "bagit.txt")) return PackageKind::kBagit;
  if (names.count("METS.xml") || names.count(one + "METS.xml")) return PackageKind::kMets;
  for (const std::string& n : names) {
    const std::string_view base = std::string_view(n).substr(n.rfind('/') == std::string::npos ? 0 : n.rfind('/') + 1);
    if (internal::IsSidecarName(base)) return PackageKind::kSidecar;
  }
  if (names.count("[Content_Types].xml") && names.count("xl/workbook.xml")) return PackageKind::kBatch;
  return InvalidArgumentError(path + ": an archive without bagit.txt, METS.xml, a sheet or sidecars");
}

bool IsArchiveType(const Identification& id) {
  return id.media_type == "application/zip" || id.media_type == "application/x-tar" ||
         id.media_type == "application/gzip";
}

// A sidecar beside a loose file: "X.json" for "X".
std::string SidecarOf(const std::string& path) { return path + ".json"; }

}  // namespace

Result<PackageKind> DetectPackageKind(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return ErrnoError(errno, "stat " + path);
  if (S_ISDIR(st.st_mode)) {
    if (PathExists(JoinPath(path, "bagit.txt"))) return PackageKind::kBagit;
    const PackageKind k = ClassifyContent(path);
    if (k != PackageKind::kUnknown) return k;
    return InvalidArgumentError(path + ": a folder without bagit.txt, METS.xml, a metadata sheet or sidecars");
  }
  if (!S_ISREG(st.st_mode)) return InvalidArgumentError(path + " is not a file or folder");
  if (IsEdxmlFile(path)) return PackageKind::kEdxml;
  if (PathExists(SidecarOf(path))) return PackageKind::kSidecar;
  if (internal::IsSidecarName(BaseName(path)) && BaseName(path) != internal::kRecordFileSidecar &&
      PathExists(path.substr(0, path.size() - 5))) {
    return PackageKind::kSidecar;
  }
  KHOLUU_ASSIGN_OR_RETURN(Identification id, IdentifyFile(path));
  if (id.media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || IsBatchSheet(path)) {
    return PackageKind::kBatch;
  }
  if (IsArchiveType(id)) return DetectArchive(path);
  return InvalidArgumentError(path + ": " + id.media_type +
                              " is not an edXML package, a zip or tar package, a sheet or a file with a sidecar");
}

namespace {

// ---------------------------------------------------------------- files

// Fills size, digest and format of a staged file and reports what is wrong
// with it: damaged content (error), unknown format or a declared type that
// disagrees (warnings, also kept with the document).
Status FinishFile(Context& ctx, IntakeFile& f, std::vector<Problem>* doc_warnings) {
  auto staged = ctx.staged.find(f.staged_path);
  if (staged != ctx.staged.end()) {
    f.size = staged->second.size;
    f.sha256 = staged->second.sha256;
  } else {
    auto sha = Sha256OfFile(f.staged_path, &f.size);
    if (!sha.ok()) {
      ctx.Add("file.unreadable", sha.status().message(), f.package_path);
      return Status::Ok();
    }
    f.sha256 = *sha;
  }
  auto id = IdentifyFile(f.staged_path);
  if (!id.ok()) {
    ctx.Add("file.unreadable", id.status().message(), f.package_path);
    return Status::Ok();
  }
  f.media_type = id->media_type;
  f.format_version = id->format_version;
  auto warn = [&](Problem p) {
    if (doc_warnings != nullptr) doc_warnings->push_back(p);
    ctx.Add(std::move(p));
  };
  // What the package says the file is: its declared type, else its name.
  const std::string claimed = HasMagicNumbers(f.declared_media_type) ? CanonicalMediaType(f.declared_media_type)
                                                                     : MediaTypeForName(f.package_path);
  if (id->damaged) {
    ctx.Add("file.damaged", id->damage, f.package_path);
  } else if (!id->known() && !claimed.empty()) {
    // Bytes that are no known format, sent as a PDF, an office document or
    // an image: a corrupt file, never kept as that document.
    ctx.Add("file.damaged", "sent as " + claimed + ", but the content is neither that nor any other known format",
            f.package_path);
  } else if (!id->known()) {
    warn(MakeProblem("file.unknown_format", "kept as application/octet-stream", f.package_path));
  }
  if (!id->damaged && id->known() && !DeclaredTypeAgrees(f.declared_media_type, *id)) {
    warn(MakeProblem("file.media_type_mismatch",
                     "declared " + f.declared_media_type + ", the content is " + id->media_type, f.package_path));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- metadata checks

// The notation of NĐ 30/2020 Phụ lục I II.3: groups of letters and digits
// joined by '-', the first group starting with an upper-case letter (Đ
// included); VBQPPL put the year first ("2020/NĐ-CP").
bool NotationHasShape(const std::string& notation) {
  std::string_view s = notation;
  if (s.size() > 5 && std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
      s[4] == '/') {
    s.remove_prefix(5);
  }
  if (s.empty()) return false;
  bool group_start = true;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '-') {
      if (group_start) return false;
      group_start = true;
      ++i;
      continue;
    }
    size_t len = 1;
    bool upper = false;
    bool ok = false;
    if (c >= 'A' && c <= 'Z') {
      ok = upper = true;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      ok = true;
    } else if (c == 0xC4 && i + 1 < s.size() &&
               (static_cast<unsigned char>(s[i + 1]) == 0x90 || static_cast<unsigned char>(s[i + 1]) == 0x91)) {
      len = 2;  // Đ U+0110, đ U+0111
      ok = true;
      upper = static_cast<unsigned char>(s[i + 1]) == 0x90;
    }
    if (!ok) return false;
    if (group_start && i == 0 && !upper) return false;
    group_start = false;
    i += len;
  }
  return !group_start;
}

bool IsDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void CheckOrganId(Context& ctx, const std::string& id, const std::string& field, const std::string& path,
                  std::vector<Problem>* warnings) {
  if (id.empty() || model::IsStrictOrganId(id) || !model::IsLenientOrganId(id)) return;  // invalid: Validate
  Problem p = MakeProblem("metadata.organ_id_format", field + " '" + id + "' (kept as received)", path);
  if (warnings != nullptr) warnings->push_back(p);
  ctx.Add(std::move(p));
}

void CheckDate(Context& ctx, const std::string& date, const std::string& field, const std::string& path,
               std::vector<Problem>* warnings) {
  if (!model::IsValidDate(date)) return;  // empty or invalid: Validate's
  if (date > ctx.today) {
    ctx.Add("metadata.date_future", field + " " + date + " is after today (" + ctx.today + ")", path);
  } else if (std::stoi(date.substr(0, 4)) < ctx.options->min_plausible_year) {
    Problem p = MakeProblem("metadata.date_implausible",
                            field + " " + date + " is before " + std::to_string(ctx.options->min_plausible_year), path);
    if (warnings != nullptr) warnings->push_back(p);
    ctx.Add(std::move(p));
  }
}

void AddValidation(Context& ctx, const model::Problems& problems, const std::string& path) {
  for (const model::FieldProblem& fp : problems.list()) {
    ctx.Add("metadata.invalid", fp.field + ": " + fp.message, path);
  }
}

struct CheckScope {
  bool validate = true;        // run model Validate() (batches did already)
  bool number = true;          // warn for a missing number (batches did already)
  bool signer = false;         // the kind carries signers (edXML, sidecar)
  bool doc_total = true;       // compare doc_total with the documents (batches did already)
  bool sender_organ = true;    // check the document's organ id (the edXML reader did already)
};

void CheckDocument(Context& ctx, IntakeDocument& d, const std::string& path, const CheckScope& scope) {
  model::Document& doc = d.document;
  const Intake& in = *ctx.intake;
  const bool has_file = d.record_file >= 0;
  if (scope.validate) {
    model::Document probe = doc;
    if (probe.id.empty()) probe.id = "pending";
    if (probe.doc_ordinal == 0) probe.doc_ordinal = 1;
    if (!has_file) probe.file_code = {"000.00.00.A00", 2000, "pending"};
    AddValidation(ctx, probe.Validate(), path);
  }
  auto warn = [&](Problem p) {
    d.warnings.push_back(p);
    ctx.Add(std::move(p));
  };
  if (scope.number && doc.code_number.empty()) {
    warn(MakeProblem("metadata.no_number", "(" + doc.type_name + " " + doc.issued_date + ")", path));
  }
  if (!doc.code_notation.empty() && !NotationHasShape(doc.code_notation)) {
    warn(MakeProblem("metadata.notation_format", "ký hiệu '" + doc.code_notation + "'", path));
  } else if (!doc.code_number.empty() && !IsDigits(doc.code_number)) {
    // Validate reports it as an error; nothing to add.
  }
  if (scope.signer && doc.signers.empty()) warn(MakeProblem("metadata.no_signer", "", path));
  if (scope.sender_organ) CheckOrganId(ctx, doc.organ_id, "organ_id", path, &d.warnings);
  for (size_t i = 0; i < doc.to.size(); ++i) {
    CheckOrganId(ctx, doc.to[i].organ_id, "to[" + std::to_string(i) + "].organ_id", path, &d.warnings);
  }
  CheckDate(ctx, doc.issued_date, "issued_date", path, &d.warnings);
  CheckDate(ctx, doc.arrival_date, "arrival_date", path, &d.warnings);
  if (has_file && model::IsValidDate(doc.issued_date)) {
    const model::RecordFile& rf = in.record_files[static_cast<size_t>(d.record_file)].record_file;
    if ((model::IsValidDate(rf.start_date) && doc.issued_date < rf.start_date) ||
        (model::IsValidDate(rf.end_date) && doc.issued_date > rf.end_date)) {
      warn(MakeProblem("metadata.date_outside_file",
                       doc.issued_date + " is not within " + rf.start_date + " .. " + rf.end_date, path));
    }
  }
  if (d.files.empty()) ctx.Add("metadata.document_without_file", doc.subject, path);
}

void CheckRecordFile(Context& ctx, IntakeRecordFile& f, size_t index, const std::string& path,
                     const CheckScope& scope) {
  const model::RecordFile& rf = f.record_file;
  if (scope.validate) AddValidation(ctx, rf.Validate(), path);
  CheckOrganId(ctx, rf.file_code.organ_id, "file_code.organ_id", path, &f.warnings);
  CheckDate(ctx, rf.start_date, "start_date", path, &f.warnings);
  CheckDate(ctx, rf.end_date, "end_date", path, &f.warnings);
  std::map<int32_t, int> ordinals;
  int delivered = 0;
  for (const IntakeDocument& d : ctx.intake->documents) {
    if (d.record_file != static_cast<int>(index)) continue;
    ++delivered;
    if (d.document.doc_ordinal > 0 && ++ordinals[d.document.doc_ordinal] == 2) {
      ctx.Add("metadata.inconsistent", "document ordinal " + std::to_string(d.document.doc_ordinal) + " used twice",
              path);
    }
  }
  if (scope.doc_total && rf.doc_total > 0 && rf.doc_total != delivered) {
    Problem p = MakeProblem("metadata.doc_total",
                            "doc_total " + std::to_string(rf.doc_total) + ", delivered " + std::to_string(delivered),
                            path);
    f.warnings.push_back(p);
    ctx.Add(std::move(p));
  }
}

// ---------------------------------------------------------------- edXML

int ParseSmallInt(const std::string& s) {
  if (s.empty() || s.size() > 9 || !IsDigits(s)) return 0;
  return std::stoi(s);
}

Status ReadEdxml(Context& ctx, const std::string& staged_file, const std::string& shown) {
  Intake& in = *ctx.intake;
  const IntakeOptions& o = *ctx.options;
  const std::string att_dir = JoinPath(in.staging_dir, "attachments");
  KHOLUU_RETURN_IF_ERROR(CreateScratchDirs(att_dir));
  formats::edxml::ParseOptions po;
  po.attachment_dir = att_dir;
  po.max_attachment_bytes = o.max_file_bytes;
  po.max_total_bytes = o.max_package_bytes;
  po.max_attachments = static_cast<size_t>(std::min<uint64_t>(o.max_files, 1000000));
  auto parsed = formats::edxml::ParseFile(staged_file, po);
  if (!parsed.ok()) {
    const Status& s = parsed.status();
    if (s.code() == StatusCode::kResourceExhausted) {
      ctx.Add("package.too_large", s.message(), shown);
    } else if (s.code() == StatusCode::kInvalidArgument) {
      ctx.Add("metadata.unusable", s.message(), shown);
    } else {
      return s;
    }
    return Status::Ok();
  }
  const formats::edxml::Message& m = *parsed;
  // The reader's warnings (a namespace recovered, a day-first date, a dirty
  // mã định danh...) also stay with the document they concern.
  std::vector<Problem> reader_warnings;
  for (const formats::edxml::Problem& p : m.problems) {
    const bool error = p.severity == formats::edxml::Severity::kError;
    Problem rp = ReaderProblem("edxml", p.code, error ? Severity::kError : Severity::kWarning, p.message,
                               p.where.empty() ? shown : shown + "!" + p.where);
    if (!error) reader_warnings.push_back(rp);
    ctx.Add(std::move(rp));
  }
  EdxmlInfo info;
  info.is_status = m.kind == formats::edxml::Kind::kStatus;
  info.from_organ_id = m.from.organ_id;
  info.from_organ_name = m.from.organ_name;
  info.signature_present = m.signature_present;
  info.business_doc_type = m.business.doc_type;
  info.business_document_id = m.business.document_id;
  info.business_reason = m.business.reason;
  if (info.is_status) {
    if (!m.response_for.empty()) {
      info.document_id = m.response_for[0].document_id;
      info.code = m.response_for[0].code;
      info.promulgation_date = m.response_for[0].promulgation_date;
    }
    info.status_code = m.status_code;
    info.status_description = m.description;
  } else {
    info.document_id = m.document_id;
    info.code = m.code_notation.empty() ? m.code_number : m.code_number + "/" + m.code_notation;
    info.promulgation_date = m.promulgation_date;
  }
  if (!m.signature_present) ctx.Add("edxml.unsigned", "no XML-DSig Signature element", shown);
  in.edxml = info;
  if (info.is_status) return Status::Ok();

  IntakeDocument d;
  d.metadata_path = shown + "!MessageHeader";
  d.warnings = std::move(reader_warnings);
  model::Document& doc = d.document;
  doc.direction = model::Direction::kIncoming;
  doc.type_name = m.type_name;
  doc.code_number = m.code_number;
  doc.code_notation = m.code_notation;
  const std::string date = internal::NormaliseDate(m.promulgation_date);
  doc.issued_date = date.empty() ? m.promulgation_date : date;
  doc.organ_id = m.from.organ_id;
  doc.organ_name = m.from.organ_name;
  doc.subject = m.subject;
  if (!m.signer_full_name.empty() || !m.signer_position.empty()) {
    std::string position = m.signer_position;
    if (position.empty()) position = m.signer_competence;
    doc.signers.push_back({position, m.signer_full_name});
  }
  for (const formats::edxml::Organ& t : m.to) doc.to.push_back({t.organ_id, t.organ_name});
  doc.priority = ParseSmallInt(m.priority);
  doc.issued_amount = ParseSmallInt(m.promulgation_amount);
  doc.page_amount = ParseSmallInt(m.page_amount);
  const std::string due = internal::NormaliseDate(m.due_date);
  doc.due_date = due.empty() ? m.due_date : due;
  for (const std::string& p : m.to_places) doc.to_places += (doc.to_places.empty() ? "" : "; ") + p;
  for (const formats::edxml::TraceHeader& t : m.trace) {
    doc.trace_header += (doc.trace_header.empty() ? "" : "\n") + t.organ_id + " " + t.timestamp;
  }
  doc.edxml_document_id = m.document_id;
  doc.arrival_date = ctx.today;

  for (size_t i = 0; i < m.attachments.size(); ++i) {
    const formats::edxml::Attachment& a = m.attachments[i];
    const std::string att_shown = shown + "!" + (a.name.empty() ? "attachment " + std::to_string(i + 1) : a.name);
    if (a.saved_path.empty()) continue;
    Identification id;
    auto ident = IdentifyFile(a.saved_path);
    if (ident.ok()) id = *ident;
    if (a.is_zip && id.media_type == "application/zip" && !id.damaged) {
      // Gateways zip each file before base64 (vn-records-domain §2.7): the
      // files inside are the document's.
      const std::string dir = a.saved_path + ".unzipped";
      auto files = formats::package::ExtractArchive(a.saved_path, dir, LimitsOf(o));
      if (!files.ok()) {
        if (!ArchiveFailureToProblem(ctx, files.status(), att_shown)) return files.status();
        continue;
      }
      for (const std::string& p : *files) {
        IntakeFile f;
        f.staged_path = JoinPath(dir, p);
        f.package_path = att_shown + "!" + p;
        f.name = BaseName(p);
        d.files.push_back(std::move(f));
      }
      continue;
    }
    IntakeFile f;
    f.staged_path = a.saved_path;
    f.package_path = att_shown;
    f.name = a.name.empty() ? BaseName(a.saved_path) : BaseName(a.name);
    f.declared_media_type = a.content_type;
    d.files.push_back(std::move(f));
  }
  in.documents.push_back(std::move(d));
  return Status::Ok();
}

// ---------------------------------------------------------------- batch

std::string RowPath(const std::string& sheet, size_t row, const std::string& column) {
  std::string p = sheet;
  if (row > 0) p += "!row " + std::to_string(row);
  if (!column.empty()) p += (row > 0 ? ", " : "!") + column;
  return p;
}

Problem BatchProblemOf(const formats::batch::BatchProblem& p, const std::string& sheet) {
  const std::string path = RowPath(sheet, p.row, p.column);
  if (p.code == "missing-scan") return MakeProblem("file.missing", p.message, path);
  return ReaderProblem("batch", p.code,
                       p.severity == formats::batch::Severity::kError ? Severity::kError : Severity::kWarning,
                       p.message, path);
}

Status ReadBatchPackage(Context& ctx, const std::string& root, const std::string& sheet_abs,
                        const std::vector<StagedFile>& files) {
  Intake& in = *ctx.intake;
  const std::string sheet = RelativeTo(in.staged_root, sheet_abs);
  if (ctx.options->organ_id.empty()) {
    ctx.Add("batch.organ_id_missing", "IntakeOptions::organ_id", sheet);
    return Status::Ok();
  }
  formats::batch::BatchOptions bo;
  bo.organ_id = ctx.options->organ_id;
  formats::batch::SheetLimits limits;
  limits.max_bytes = ctx.options->max_metadata_bytes;
  auto report = formats::batch::ReadBatch(sheet_abs, bo, limits);
  if (!report.ok()) {
    const Status& s = report.status();
    if (s.code() == StatusCode::kInvalidArgument) {
      ctx.Add("metadata.unusable", s.message(), sheet);
    } else if (s.code() == StatusCode::kResourceExhausted) {
      ctx.Add("package.too_large", s.message(), sheet);
    } else {
      return s;
    }
    return Status::Ok();
  }
  for (const formats::batch::BatchProblem& p : report->problems) ctx.Add(BatchProblemOf(p, sheet));
  std::set<std::string> used = {sheet_abs};
  for (const formats::batch::BatchFile& bf : report->files) {
    IntakeRecordFile rf;
    rf.record_file = bf.record_file;
    rf.arc_file_code = bf.arc_file_code;
    rf.metadata_path = RowPath(sheet, bf.row, "");
    for (const formats::batch::BatchProblem& w : bf.warnings) rf.warnings.push_back(BatchProblemOf(w, sheet));
    const int index = static_cast<int>(in.record_files.size());
    in.record_files.push_back(std::move(rf));
    for (const formats::batch::BatchDocument& bd : bf.documents) {
      IntakeDocument d;
      d.document = bd.document;
      d.record_file = index;
      d.extra = bd.extra;
      d.metadata_path = RowPath(sheet, bd.row, "");
      for (const formats::batch::BatchProblem& w : bd.warnings) d.warnings.push_back(BatchProblemOf(w, sheet));
      if (bd.declared_path.find('\\') != std::string::npos) {
        Problem p = MakeProblem("batch.windows_path", "'" + bd.declared_path + "' read as a relative path",
                                d.metadata_path);
        d.warnings.push_back(p);
        ctx.Add(std::move(p));
      }
      if (!bd.scan_path.empty()) {
        IntakeFile f;
        f.staged_path = bd.scan_path;
        f.package_path = RelativeTo(in.staged_root, bd.scan_path);
        f.name = BaseName(bd.scan_path);
        used.insert(bd.scan_path);
        d.files.push_back(std::move(f));
      }
      in.documents.push_back(std::move(d));
    }
  }
  for (const StagedFile& f : files) {
    if (f.abs.compare(0, root.size(), root) != 0) continue;
    if (!used.count(f.abs)) ctx.Add("file.unlisted", "no sheet row names it", RelativeTo(in.staged_root, f.abs));
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- BagIt

Problem BagProblemOf(const formats::bagit::BagProblem& p) {
  const Severity s = p.severity == formats::bagit::Severity::kError ? Severity::kError : Severity::kWarning;
  const bool payload = p.path.rfind("data/", 0) == 0;
  if (p.code == "missing-file" && payload) return MakeProblem("file.missing", p.message, p.path);
  if (p.code == "checksum-mismatch" && payload) return MakeProblem("file.checksum_mismatch", p.message, p.path);
  return ReaderProblem("bagit", p.code, s, p.message, p.path);
}

// ---------------------------------------------------------------- content

Status ReadContent(Context& ctx, PackageKind kind, const std::string& root, const std::vector<StagedFile>& files) {
  Intake& in = *ctx.intake;
  switch (kind) {
    case PackageKind::kMets: {
      const std::string mets_root = MetsRoot(root);
      return internal::ReadMetsPackage(ctx, mets_root, RelativeTo(in.staged_root, mets_root));
    }
    case PackageKind::kBatch: {
      const std::vector<std::string> sheets = SheetsIn(root);
      if (sheets.size() != 1) {
        ctx.Add("metadata.inconsistent", std::to_string(sheets.size()) + " metadata sheets; one is read per package",
                RelativeTo(in.staged_root, root));
        return Status::Ok();
      }
      return ReadBatchPackage(ctx, root, sheets[0], files);
    }
    case PackageKind::kSidecar:
      return internal::ReadSidecarPackage(ctx, root, files, RelativeTo(in.staged_root, root));
    default:
      return Status::Ok();
  }
}

std::string MetadataPathOf(const IntakeDocument& d) { return d.metadata_path; }

}  // namespace

Result<Intake> ReadPackage(const std::string& path, const IntakeOptions& options) {
  if (options.staging_dir.empty()) return InvalidArgumentError("ReadPackage: no staging directory");
  if (PathExists(options.staging_dir)) return AlreadyExistsError(options.staging_dir + " already exists");
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return ErrnoError(errno, "stat " + path);
  KHOLUU_RETURN_IF_ERROR(CreateScratchDirs(options.staging_dir));

  Intake in;
  in.package = path;
  in.staging_dir = options.staging_dir;
  Context ctx;
  ctx.options = &options;
  ctx.intake = &in;
  ctx.today = TodayVn(options.clock);
  const std::string stage = JoinPath(options.staging_dir, "package");
  in.staged_root = stage;

  auto detected = DetectPackageKind(path);
  if (!detected.ok()) {
    if (detected.status().code() != StatusCode::kInvalidArgument) return detected.status();
    ctx.Add("package.unrecognised", detected.status().message(), "");
    return in;
  }
  in.kind = *detected;

  // 1. Stage: copy or unpack, hashing every file.
  std::vector<StagedFile> files;
  std::string content_root = stage;
  if (S_ISDIR(st.st_mode)) {
    KHOLUU_ASSIGN_OR_RETURN(files, StageTree(ctx, path, stage));
    in.package_sha256 = ManifestDigest(files);
  } else {
    KHOLUU_ASSIGN_OR_RETURN(in.package_sha256, Sha256OfFile(path, &in.package_bytes));
    KHOLUU_ASSIGN_OR_RETURN(Identification id, IdentifyFile(path));
    if (in.kind == PackageKind::kEdxml || in.kind == PackageKind::kSidecar ||
        (in.kind == PackageKind::kBatch && !IsArchiveType(id))) {
      // Loose files: the file itself (and its sidecar), or a sheet with the
      // folder that holds it (its scans are relative to it).
      std::vector<std::string> loose;
      if (in.kind == PackageKind::kBatch) {
        KHOLUU_ASSIGN_OR_RETURN(files, StageTree(ctx, DirName(path), stage));
      } else {
        std::string main = path;
        if (in.kind == PackageKind::kSidecar && !PathExists(SidecarOf(path))) main = path.substr(0, path.size() - 5);
        loose.push_back(main);
        if (PathExists(SidecarOf(main))) loose.push_back(SidecarOf(main));
        KHOLUU_RETURN_IF_ERROR(CreateScratchDirs(stage));
        std::vector<StagedFile> staged;
        Walk w{&ctx, DirName(main), stage, 0, false, &staged};
        for (const std::string& l : loose) KHOLUU_RETURN_IF_ERROR(StageFile(w, BaseName(l), 0));
        for (const StagedFile& f : staged) ctx.staged[f.abs] = f;
        files = std::move(staged);
      }
    } else {
      auto extracted = formats::package::ExtractArchive(path, stage, LimitsOf(options));
      if (!extracted.ok()) {
        if (!ArchiveFailureToProblem(ctx, extracted.status(), BaseName(path))) return extracted.status();
        return in;
      }
      KHOLUU_ASSIGN_OR_RETURN(files, StageTree(ctx, "", stage));
    }
  }
  if (in.package_bytes == 0) {
    for (const StagedFile& f : files) in.package_bytes += f.size;
  }
  if (in.HasErrors() && files.empty()) return in;

  // 2. Read by kind.
  switch (in.kind) {
    case PackageKind::kEdxml:
      if (!files.empty()) {
        // The package is this one file: later stages verify its XML
        // signature and keep it bit-exact from here.
        in.staged_root = files[0].abs;
        KHOLUU_RETURN_IF_ERROR(ReadEdxml(ctx, files[0].abs, files[0].rel));
      }
      break;
    case PackageKind::kBagit: {
      std::string bag_root = stage;
      if (!PathExists(JoinPath(stage, "bagit.txt"))) {
        auto names = ListDir(stage);
        if (names.ok() && names->size() == 1) bag_root = JoinPath(stage, (*names)[0]);
      }
      in.staged_root = bag_root;
      auto report = formats::bagit::ValidateBag(bag_root);
      if (!report.ok()) return report.status();
      for (const formats::bagit::BagProblem& p : report->problems) ctx.Add(BagProblemOf(p));
      const std::string payload = JoinPath(bag_root, "data");
      const PackageKind inner = IsDirectory(payload) ? ClassifyContent(payload) : PackageKind::kUnknown;
      if (inner == PackageKind::kUnknown) {
        ctx.Add("metadata.missing",
                "the bag's payload holds no METS package, metadata sheet or sidecar files", "bag-info.txt");
      } else {
        in.kind = inner;
        in.in_bag = true;
        std::vector<StagedFile> payload_files;
        for (const StagedFile& f : files) {
          if (f.abs.compare(0, payload.size() + 1, payload + "/") == 0) payload_files.push_back(f);
        }
        KHOLUU_RETURN_IF_ERROR(ReadContent(ctx, inner, payload, payload_files));
      }
      break;
    }
    default:
      if (in.kind == PackageKind::kMets && MetsRoot(stage).empty()) {
        ctx.Add("metadata.missing", "no METS.xml at the top or in the only top-level folder", "");
        break;
      }
      KHOLUU_RETURN_IF_ERROR(ReadContent(ctx, in.kind, stage, files));
      break;
  }

  // 3. Files: digests and formats by content.
  for (IntakeDocument& d : in.documents) {
    for (IntakeFile& f : d.files) KHOLUU_RETURN_IF_ERROR(FinishFile(ctx, f, &d.warnings));
  }

  // 4. Metadata completeness and consistency.
  CheckScope scope;
  if (in.kind == PackageKind::kBatch) {
    scope.validate = false;
    scope.number = false;
    scope.doc_total = false;
  }
  scope.signer = in.kind == PackageKind::kEdxml || in.kind == PackageKind::kSidecar;
  scope.sender_organ = in.kind != PackageKind::kEdxml;
  for (size_t i = 0; i < in.record_files.size(); ++i) {
    CheckRecordFile(ctx, in.record_files[i], i, in.record_files[i].metadata_path, scope);
  }
  for (IntakeDocument& d : in.documents) CheckDocument(ctx, d, MetadataPathOf(d), scope);
  if (in.documents.empty() && !(in.edxml && in.edxml->is_status) && !in.HasErrors()) {
    ctx.Add("package.empty", "", "");
  }
  return in;
}

}  // namespace kholuu::ingest
