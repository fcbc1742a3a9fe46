// METS packages: the checks formats/package's importer leaves to its
// caller, and the repairs of a staged copy that let a package with tolerated
// defects be imported (docs/ingest.md, "METS packages").
//
// formats/package/ImportPackage stops at the first defect and cannot tell a
// stale checksum of a metadata file (tolerated) from one of a payload file
// (refused). So before importing, every METS file of the staged package is
// scanned here for its references (mdRef, file/FLocat) with their SIZE,
// CHECKSUM and CHECKSUMTYPE; each referenced file is checked; and where the
// defect is tolerated the staged METS is patched in place (the value of one
// attribute replaced), the received METS being kept under
// <staging>/received/. The scan is a tokenizer of start tags and attributes,
// not an XML parser: the import that follows parses everything again with
// libxml2 and remains the judge of well-formedness.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "archive/base/digest.h"
#include "archive/base/file.h"
#include "formats/package/archive_reader.h"
#include "formats/package/mets_package.h"
#include "ingest/internal/intake_internal.h"

namespace kholuu::ingest::internal {
namespace {

struct Attr {
  std::string name;   // local name
  std::string value;  // entities decoded
  size_t begin = 0;   // raw value span in the text
  size_t end = 0;
};

struct Tag {
  std::string name;  // local name
  bool closing = false;
  bool self_closing = false;
  std::vector<Attr> attrs;

  const Attr* Find(std::string_view n) const {
    for (const Attr& a : attrs) {
      if (a.name == n) return &a;
    }
    return nullptr;
  }
};

std::string LocalName(std::string_view n) {
  const size_t c = n.find(':');
  return std::string(c == std::string_view::npos ? n : n.substr(c + 1));
}

std::string DecodeEntities(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    const size_t e = s.find(';', i);
    if (e == std::string_view::npos) {
      out.push_back(s[i]);
      continue;
    }
    const std::string_view ent = s.substr(i + 1, e - i - 1);
    if (ent == "amp") out.push_back('&');
    else if (ent == "lt") out.push_back('<');
    else if (ent == "gt") out.push_back('>');
    else if (ent == "quot") out.push_back('"');
    else if (ent == "apos") out.push_back('\'');
    else if (!ent.empty() && ent[0] == '#') {
      unsigned long cp = 0;
      const std::string num(ent.substr(1));
      cp = (!num.empty() && (num[0] == 'x' || num[0] == 'X')) ? std::strtoul(num.c_str() + 1, nullptr, 16)
                                                               : std::strtoul(num.c_str(), nullptr, 10);
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else {
        out.append(s.substr(i, e - i + 1));  // kept raw; hrefs are ASCII in practice
      }
    } else {
      out.append(s.substr(i, e - i + 1));
    }
    i = e;
  }
  return out;
}

// Calls `on_tag` for every start and end tag. False when the text is not
// tag-shaped (an unterminated tag, a DOCTYPE): the importer will say why.
template <typename F>
bool ScanTags(std::string_view x, F on_tag) {
  size_t i = 0;
  while ((i = x.find('<', i)) != std::string_view::npos) {
    if (x.compare(i, 4, "<!--") == 0) {
      const size_t e = x.find("-->", i);
      if (e == std::string_view::npos) return false;
      i = e + 3;
      continue;
    }
    if (x.compare(i, 9, "<![CDATA[") == 0) {
      const size_t e = x.find("]]>", i);
      if (e == std::string_view::npos) return false;
      i = e + 3;
      continue;
    }
    if (x.compare(i, 2, "<!") == 0) return false;  // DOCTYPE: refused by the importer
    if (x.compare(i, 2, "<?") == 0) {
      const size_t e = x.find("?>", i);
      if (e == std::string_view::npos) return false;
      i = e + 2;
      continue;
    }
    Tag t;
    size_t p = i + 1;
    if (p < x.size() && x[p] == '/') {
      t.closing = true;
      ++p;
    }
    const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    size_t n = p;
    while (n < x.size() && !is_space(x[n]) && x[n] != '>' && x[n] != '/') ++n;
    t.name = LocalName(x.substr(p, n - p));
    p = n;
    while (true) {
      while (p < x.size() && is_space(x[p])) ++p;
      if (p >= x.size()) return false;
      if (x[p] == '>') break;
      if (x[p] == '/') {
        t.self_closing = true;
        ++p;
        continue;
      }
      size_t eq = p;
      while (eq < x.size() && x[eq] != '=' && !is_space(x[eq]) && x[eq] != '>') ++eq;
      Attr a;
      a.name = LocalName(x.substr(p, eq - p));
      while (eq < x.size() && is_space(x[eq])) ++eq;
      if (eq >= x.size() || x[eq] != '=') return false;
      ++eq;
      while (eq < x.size() && is_space(x[eq])) ++eq;
      if (eq >= x.size() || (x[eq] != '"' && x[eq] != '\'')) return false;
      const char q = x[eq];
      const size_t close = x.find(q, eq + 1);
      if (close == std::string_view::npos) return false;
      a.begin = eq + 1;
      a.end = close;
      a.value = DecodeEntities(x.substr(a.begin, a.end - a.begin));
      t.attrs.push_back(std::move(a));
      p = close + 1;
    }
    on_tag(t);
    i = p + 1;
  }
  return true;
}

// One reference of a METS file to another file.
struct Ref {
  bool metadata = false;    // mdRef (else file/FLocat)
  std::string section;      // mdRef: the enclosing section (dmdSec, digiprovMD, ...)
  std::string mdtype;       // mdRef: MDTYPE
  std::string use;          // file: the fileGrp USE
  std::string href;         // percent-decoded
  std::optional<Attr> size, checksum, checksum_type, mdtype_attr;
};

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool SafeRelative(const std::string& href) {
  if (href.empty() || href[0] == '/' || href.find('\\') != std::string::npos || href.find(':') != std::string::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= href.size()) {
    size_t e = href.find('/', start);
    if (e == std::string::npos) e = href.size();
    const std::string part = href.substr(start, e - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = e + 1;
  }
  return true;
}

bool ScanRefs(std::string_view xml, std::vector<Ref>* refs) {
  std::vector<std::string> stack;
  std::optional<Ref> file;
  std::string use;
  const bool ok = ScanTags(xml, [&](const Tag& t) {
    if (t.closing) {
      if (!stack.empty()) stack.pop_back();
      if (t.name == "file" && file) {
        refs->push_back(std::move(*file));
        file.reset();
      }
      return;
    }
    if (t.name == "fileGrp") {
      const Attr* u = t.Find("USE");
      use = u != nullptr ? u->value : "";
    }
    if (t.name == "mdRef") {
      Ref r;
      r.metadata = true;
      r.section = stack.empty() ? "" : stack.back();
      if (const Attr* a = t.Find("href")) r.href = PercentDecode(a->value);
      if (const Attr* a = t.Find("MDTYPE")) {
        r.mdtype = a->value;
        r.mdtype_attr = *a;
      }
      if (const Attr* a = t.Find("SIZE")) r.size = *a;
      if (const Attr* a = t.Find("CHECKSUM")) r.checksum = *a;
      if (const Attr* a = t.Find("CHECKSUMTYPE")) r.checksum_type = *a;
      refs->push_back(std::move(r));
    } else if (t.name == "file") {
      file = Ref{};
      file->use = use;
      if (const Attr* a = t.Find("SIZE")) file->size = *a;
      if (const Attr* a = t.Find("CHECKSUM")) file->checksum = *a;
      if (const Attr* a = t.Find("CHECKSUMTYPE")) file->checksum_type = *a;
    } else if (t.name == "FLocat" && file) {
      if (const Attr* a = t.Find("href")) file->href = PercentDecode(a->value);
    }
    if (!t.self_closing) stack.push_back(t.name);
    if (t.self_closing && t.name == "file" && file) {
      refs->push_back(std::move(*file));
      file.reset();
    }
  });
  return ok;
}

struct Edit {
  size_t begin, end;
  std::string value;
};

// Writes `text` with `edits` applied to `path`, keeping the received file
// under <staging>/received/<shown> the first time.
Status Patch(Context& ctx, const std::string& path, const std::string& shown, const std::string& text,
             std::vector<Edit> edits) {
  const std::string keep = JoinPath(JoinPath(ctx.intake->staging_dir, "received"), shown);
  if (!PathExists(keep)) {
    KHOLUU_RETURN_IF_ERROR(CreateDirs(DirName(keep)));
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(keep, text));
  }
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.begin > b.begin; });
  std::string out = text;
  for (const Edit& e : edits) out.replace(e.begin, e.end - e.begin, e.value);
  return WriteFileAtomic(path, out);
}

struct Actual {
  bool present = false;
  uint64_t size = 0;
  std::string declared_digest;  // in CHECKSUMTYPE, lower-case hex ("" if the type is unknown)
};

Result<Actual> Measure(const std::string& path, const std::string& checksum_type) {
  Actual a;
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return a;
  a.present = true;
  const auto algo = ParseDigestAlgorithm(checksum_type);
  KHOLUU_ASSIGN_OR_RETURN(FileSource src, FileSource::Open(path));
  std::optional<Hasher> h;
  if (algo) h.emplace(*algo);
  std::string buf(1 << 20, '\0');
  while (true) {
    KHOLUU_ASSIGN_OR_RETURN(size_t n, src.Read(buf.data(), buf.size()));
    if (n == 0) break;
    if (h) h->Update(std::string_view(buf.data(), n));
    a.size += n;
  }
  if (h) a.declared_digest = h->FinishHex();
  return a;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct MetsFileResult {
  bool errors = false;
  std::set<std::string> listed;  // package-relative paths of listed files
};

// Checks the references of one METS file (`rel` relative to `root`) and
// patches what is tolerated. `original_sha256_of_patched` maps each
// representation METS already patched here to the SHA-256 of its received
// bytes, so that the root's reference to it is corrected without a warning
// when it matched what was received.
Status CheckMetsFile(Context& ctx, const std::string& root, const std::string& rel, const std::string& prefix,
                     const std::map<std::string, std::string>& original_sha256_of_patched,
                     MetsFileResult* result) {
  const std::string path = JoinPath(root, rel);
  const std::string shown = prefix.empty() ? rel : prefix + "/" + rel;
  auto text = ReadFileToString(path, ctx.options->max_metadata_bytes);
  if (!text.ok()) return Status::Ok();  // the importer reports it
  std::vector<Ref> refs;
  if (!ScanRefs(*text, &refs)) return Status::Ok();
  const std::string base = rel.find('/') == std::string::npos ? "" : DirName(rel);
  std::vector<Edit> edits;
  for (const Ref& r : refs) {
    if (r.href.empty() || !SafeRelative(r.href)) continue;  // the importer refuses it
    const std::string target_rel = base.empty() ? r.href : base + "/" + r.href;
    const std::string target_shown = prefix.empty() ? target_rel : prefix + "/" + target_rel;
    const bool rep_mets = !r.metadata && r.use.rfind("Representations/", 0) == 0 &&
                          target_rel.size() >= 9 && target_rel.compare(target_rel.size() - 9, 9, "/METS.xml") == 0;
    const bool metadata = r.metadata || rep_mets;
    const std::string type = r.checksum_type ? r.checksum_type->value : "";
    KHOLUU_ASSIGN_OR_RETURN(Actual a, Measure(JoinPath(root, target_rel), type));
    if (!r.metadata) result->listed.insert(target_rel);
    if (!a.present) {
      if (r.metadata && r.mdtype == "PREMIS" && r.mdtype_attr) {
        ctx.Add("metadata.link_missing", "PREMIS file (" + r.section + ") not there; read without it", target_shown);
        edits.push_back({r.mdtype_attr->begin, r.mdtype_attr->end, "OTHER"});
      } else if (metadata) {
        ctx.Add("metadata.missing", "referenced from " + shown, target_shown);
        result->errors = true;
      } else {
        ctx.Add("file.missing", "listed in " + shown, target_shown);
        result->errors = true;
      }
      continue;
    }
    if (!r.size || r.size->value.empty()) {
      ctx.Add("metadata.size_missing", "SIZE of " + target_rel + " in " + shown, target_shown);
    }
    if (a.declared_digest.empty() || !r.checksum) continue;  // unsupported or absent: the importer says so
    const bool size_ok = !r.size || r.size->value.empty() || r.size->value == std::to_string(a.size);
    const bool sum_ok = Lower(r.checksum->value) == a.declared_digest;
    if (size_ok && sum_ok) continue;
    if (metadata) {
      // A representation METS patched here: its declared digest is stale
      // only if it did not match the received bytes either.
      auto orig = original_sha256_of_patched.find(target_rel);
      const bool ours = orig != original_sha256_of_patched.end() && Lower(type) == "sha-256" &&
                        Lower(r.checksum->value) == orig->second;
      if (!ours) {
        ctx.Add("metadata.checksum_stale",
                type + " of " + target_rel + " declared in " + shown + " is not the file's; the file is read as it is",
                target_shown);
      }
      edits.push_back({r.checksum->begin, r.checksum->end, a.declared_digest});
      if (r.size && !r.size->value.empty() && !size_ok) {
        edits.push_back({r.size->begin, r.size->end, std::to_string(a.size)});
      }
    } else if (!sum_ok) {
      ctx.Add("file.checksum_mismatch", type + " differs from " + shown, target_shown);
      result->errors = true;
    } else {
      ctx.Add("file.size_mismatch",
              std::to_string(a.size) + " bytes, " + shown + " says " + r.size->value, target_shown);
      result->errors = true;
    }
  }
  if (!edits.empty()) KHOLUU_RETURN_IF_ERROR(Patch(ctx, path, shown, *text, std::move(edits)));
  return Status::Ok();
}

// Representation METS files named by the root METS (Representations/ fileGrps).
std::vector<std::string> RepresentationMets(const std::string& root_text) {
  std::vector<Ref> refs;
  std::vector<std::string> out;
  if (!ScanRefs(root_text, &refs)) return out;
  for (const Ref& r : refs) {
    if (!r.metadata && r.use.rfind("Representations/", 0) == 0 && SafeRelative(r.href) && r.href.size() >= 9 &&
        r.href.compare(r.href.size() - 9, 9, "/METS.xml") == 0) {
      out.push_back(r.href);
    }
  }
  return out;
}

Status WalkFiles(const std::string& root, const std::string& rel, std::vector<std::string>* out, int depth) {
  if (depth > 64) return Status::Ok();
  auto names = ListDir(JoinPath(root, rel));
  if (!names.ok()) return Status::Ok();
  for (const std::string& n : *names) {
    const std::string r = rel + "/" + n;
    if (IsDirectory(JoinPath(root, r))) {
      KHOLUU_RETURN_IF_ERROR(WalkFiles(root, r, out, depth + 1));
    } else {
      out->push_back(r);
    }
  }
  return Status::Ok();
}

// Maps an import failure to a problem; false for an I/O failure.
bool ImportFailure(Context& ctx, const Status& s, const std::string& shown) {
  const std::string& m = s.message();
  switch (s.code()) {
    case StatusCode::kNotFound:
      ctx.Add("metadata.missing", m, shown);
      return true;
    case StatusCode::kDataLoss:
      if (m.find("PREMIS fixity") != std::string::npos) {
        ctx.Add("metadata.inconsistent", m, shown);
      } else if (m.find("is missing") != std::string::npos) {
        ctx.Add("file.missing", m, shown);
      } else if (m.find("METS says") != std::string::npos) {
        ctx.Add("file.size_mismatch", m, shown);
      } else {
        ctx.Add("file.checksum_mismatch", m, shown);
      }
      return true;
    case StatusCode::kInvalidArgument:
      ctx.Add("metadata.unusable", m, shown);
      return true;
    case StatusCode::kResourceExhausted:
      ctx.Add("package.too_large", m, shown);
      return true;
    default:
      return false;
  }
}

}  // namespace

Status ReadMetsPackage(Context& ctx, const std::string& root, const std::string& shown_prefix) {
  Intake& in = *ctx.intake;
  const std::string root_shown = shown_prefix.empty() ? "METS.xml" : shown_prefix + "/METS.xml";
  auto root_text = ReadFileToString(JoinPath(root, "METS.xml"), ctx.options->max_metadata_bytes);
  if (!root_text.ok()) {
    if (root_text.status().code() == StatusCode::kResourceExhausted) {
      ctx.Add("package.too_large", root_text.status().message(), root_shown);
    } else {
      ctx.Add("metadata.unusable", root_text.status().message(), root_shown);
    }
    return Status::Ok();
  }
  // Representation METS first: patching one changes its digest, which the
  // root METS declares.
  MetsFileResult result;
  std::map<std::string, std::string> patched;
  for (const std::string& rep : RepresentationMets(*root_text)) {
    const std::string rep_path = JoinPath(root, rep);
    auto before = Sha256OfFile(rep_path);
    if (!before.ok()) continue;  // missing: reported with the root's references
    KHOLUU_RETURN_IF_ERROR(CheckMetsFile(ctx, root, rep, shown_prefix, {}, &result));
    auto after = Sha256OfFile(rep_path);
    if (after.ok() && !(*after == *before)) patched[rep] = before->ToHex();
    // Files under the representation's data/ that its METS does not list:
    // warned about and moved aside (not kept), so that the import reads the rest.
    const std::string data = DirName(rep) + "/data";
    std::vector<std::string> present;
    if (IsDirectory(JoinPath(root, data))) KHOLUU_RETURN_IF_ERROR(WalkFiles(root, data, &present, 0));
    for (const std::string& f : present) {
      if (result.listed.count(f)) continue;
      const std::string shown = shown_prefix.empty() ? f : shown_prefix + "/" + f;
      ctx.Add("file.unlisted", "not in " + rep, shown);
      const std::string aside = JoinPath(JoinPath(in.staging_dir, "unlisted"), shown);
      KHOLUU_RETURN_IF_ERROR(CreateDirs(DirName(aside)));
      if (std::rename(JoinPath(root, f).c_str(), aside.c_str()) != 0) {
        return ErrnoError(errno, "rename " + JoinPath(root, f));
      }
    }
  }
  KHOLUU_RETURN_IF_ERROR(CheckMetsFile(ctx, root, "METS.xml", shown_prefix, patched, &result));
  if (result.errors) return Status::Ok();  // refused: the import would stop at the first one

  formats::package::ImportLimits limits;
  limits.max_metadata_bytes = ctx.options->max_metadata_bytes;
  auto package = formats::package::ImportPackage(root, limits);
  if (!package.ok()) {
    if (!ImportFailure(ctx, package.status(), root_shown)) return package.status();
    return Status::Ok();
  }
  IntakeRecordFile rf;
  rf.record_file = package->record_file;
  rf.arc_file_code = package->arc_file_code;
  rf.metadata_path = (shown_prefix.empty() ? "" : shown_prefix + "/") + "metadata/descriptive/EAD.xml";
  in.record_files.push_back(std::move(rf));
  for (formats::package::PackageDocument& pd : package->documents) {
    IntakeDocument d;
    d.document = pd.document;
    d.record_file = 0;
    const std::string ead_doc = "representations/rep1/metadata/descriptive/EAD_doc_" + pd.document.id + ".xml";
    d.metadata_path = (shown_prefix.empty() ? "" : shown_prefix + "/") +
                      (PathExists(JoinPath(root, ead_doc)) ? ead_doc : "representations/rep1/METS.xml");
    for (const formats::package::PackageComponent& pc : pd.components) {
      IntakeFile f;
      f.staged_path = pc.path;
      const std::string rel = pc.path.substr(std::min(pc.path.size(), root.size() + 1));
      f.package_path = shown_prefix.empty() ? rel : shown_prefix + "/" + rel;
      f.name = pc.component.name;
      f.declared_media_type = pc.component.media_type;
      d.files.push_back(std::move(f));
    }
    in.documents.push_back(std::move(d));
  }
  for (model::Event& e : package->events) in.events.push_back(std::move(e));
  return Status::Ok();
}

}  // namespace kholuu::ingest::internal
