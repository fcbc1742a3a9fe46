// PDF/A-3b renditions (PoDoFo rewrite of the preservation copy) and the
// associated-file reader. Every PoDoFo call runs inside a try block that
// turns PdfError and std::exception into a Status.
#include "formats/pdf/rendition.h"

#include <podofo/podofo.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "archive/base/digest.h"
#include "formats/pdf/internal/podofo_support.h"
#include "formats/pdf/xmp.h"

namespace kholuu::formats::pdf {
namespace {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfError;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfReference;
using PoDoFo::PdfString;
using PoDoFo::PdfVariant;

constexpr int kMaxTreeDepth = 32;

Status FromPdfError(const PdfError& e, std::string_view what) {
  const char* m = PdfError::ErrorMessage(e.GetError());
  return InvalidArgumentError(std::string(what) + ": " + (m != nullptr ? m : "PoDoFo error"));
}

bool IsUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n;
  }
  return true;
}

// RFC 6838 restricted names: "type/subtype" from letters, digits and !#$&-^_.+
bool IsMediaType(std::string_view m) {
  auto token = [](std::string_view t) {
    if (t.empty() || t.size() > 127) return false;
    for (char c : t) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
      if (!ok) return false;
    }
    return true;
  };
  size_t slash = m.find('/');
  return slash != std::string_view::npos && token(m.substr(0, slash)) && token(m.substr(slash + 1));
}

Status CheckSpec(const EmbeddedFileSpec& f, std::string_view role) {
  if (f.name.empty() || f.name.find('/') != std::string::npos || f.name.find('\0') != std::string::npos ||
      !IsUtf8(f.name)) {
    return InvalidArgumentError(std::string(role) + ": the file name must be non-empty UTF-8 without '/' or NUL");
  }
  if (!IsUtf8(f.description)) return InvalidArgumentError(std::string(role) + ": the description is not UTF-8");
  if (!IsMediaType(f.media_type)) {
    return InvalidArgumentError(std::string(role) + ": \"" + f.media_type + "\" is not a media type (type/subtype)");
  }
  return Status::Ok();
}

std::string PdfDate(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "D:%04d%02d%02d%02d%02d%02d+00'00'", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

PdfString Utf8Text(const std::string& s) { return PdfString(reinterpret_cast<const PoDoFo::pdf_utf8*>(s.c_str())); }

std::string Utf8Of(const PdfObject* o) {
  if (o == nullptr || !(o->IsString() || o->IsHexString())) return {};
  const PdfString& s = o->GetString();
  return s.IsValid() ? s.GetStringUtf8() : std::string();
}

std::string FirstViolations(const PdfaReport& r) {
  std::string out;
  for (size_t i = 0; i < r.violations.size() && i < 5; ++i) {
    if (!out.empty()) out += "; ";
    out += r.violations[i].clause + " " + r.violations[i].message;
    if (!r.violations[i].object.empty()) out += " (" + r.violations[i].object + ")";
  }
  if (r.violations.size() > 5) out += "; and " + std::to_string(r.violations.size() - 5) + " more";
  return out;
}

// Sets every pdfaid:part / pdfaid:conformance value in the packet (attribute
// or element form, whatever prefix the namespace is bound to).
Result<std::string> RewritePdfaId(std::string xmp) {
  std::set<std::string> prefixes;
  const std::string uri = std::string(kNsPdfaId);
  for (size_t p = xmp.find(uri); p != std::string::npos; p = xmp.find(uri, p + 1)) {
    size_t eq = xmp.rfind('=', p);
    size_t colon = xmp.rfind("xmlns:", p);
    // Only a namespace declaration: xmlns:PREFIX="URI" or xmlns:PREFIX='URI'.
    if (eq == std::string::npos || colon == std::string::npos || colon > eq || p != eq + 2 ||
        (xmp[eq + 1] != '"' && xmp[eq + 1] != '\'')) {
      continue;
    }
    std::string prefix = xmp.substr(colon + 6, eq - colon - 6);
    bool name = !prefix.empty();
    for (char c : prefix) {
      name = name && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
    }
    if (name) prefixes.insert(prefix);
  }
  int part_done = 0;
  for (const std::string& pre : prefixes) {
    for (auto [prop, value] : {std::pair<std::string, std::string>{pre + ":part", "3"}, {pre + ":conformance", "B"}}) {
      for (size_t p = xmp.find(prop); p != std::string::npos; p = xmp.find(prop, p + 1)) {
        size_t after = p + prop.size();
        if (after >= xmp.size()) break;
        char next = xmp[after];
        if (p > 0 && xmp[p - 1] == '<' && next == '>') {  // <pdfaid:part>2</pdfaid:part>
          size_t end = xmp.find('<', after);
          if (end == std::string::npos) break;
          xmp.replace(after + 1, end - after - 1, value);
        } else if (p > 0 && (xmp[p - 1] == ' ' || xmp[p - 1] == '\n' || xmp[p - 1] == '\r' || xmp[p - 1] == '\t')) {
          size_t q = after;
          while (q < xmp.size() && (xmp[q] == ' ' || xmp[q] == '\n' || xmp[q] == '\r' || xmp[q] == '\t')) ++q;
          if (q >= xmp.size() || xmp[q] != '=') continue;
          ++q;
          while (q < xmp.size() && (xmp[q] == ' ' || xmp[q] == '\n' || xmp[q] == '\r' || xmp[q] == '\t')) ++q;
          if (q >= xmp.size() || (xmp[q] != '"' && xmp[q] != '\'')) continue;
          size_t end = xmp.find(xmp[q], q + 1);
          if (end == std::string::npos) break;
          xmp.replace(q + 1, end - q - 1, value);
        } else {
          continue;
        }
        if (prop == pre + ":part") ++part_done;
      }
    }
  }
  if (part_done == 0) return FailedPreconditionError("the XMP metadata has no pdfaid:part to rewrite");
  return xmp;
}

PdfObject* Deref(PoDoFo::PdfVecObjects& objs, PdfObject* o) {
  for (int i = 0; o != nullptr && o->IsReference() && i < 8; ++i) o = objs.GetObject(o->GetReference());
  return o != nullptr && o->IsReference() ? nullptr : o;
}

PdfObject* Key(PoDoFo::PdfVecObjects& objs, PdfObject* dict, const char* key) {
  if (dict == nullptr || !dict->IsDictionary()) return nullptr;
  return Deref(objs, dict->GetDictionary().GetKey(PdfName(key)));
}

// Collects the (key, value) pairs of a name tree, depth- and count-bounded.
void CollectNames(PoDoFo::PdfVecObjects& objs, PdfObject* node, int depth,
                  std::vector<std::pair<PdfString, PdfObject>>* out) {
  if (node == nullptr || !node->IsDictionary() || depth > kMaxTreeDepth || out->size() > 100000) return;
  if (PdfObject* names = Key(objs, node, "Names"); names != nullptr && names->IsArray()) {
    const PdfArray& a = names->GetArray();
    for (size_t i = 0; i + 1 < a.size(); i += 2) {
      if (a[i].IsString() || a[i].IsHexString()) out->emplace_back(a[i].GetString(), a[i + 1]);
    }
  }
  if (PdfObject* kids = Key(objs, node, "Kids"); kids != nullptr && kids->IsArray()) {
    for (const PdfObject& k : kids->GetArray()) CollectNames(objs, Deref(objs, const_cast<PdfObject*>(&k)), depth + 1, out);
  }
}

// Adds an embedded file stream and its file specification; returns the
// specification's reference.
PdfReference Embed(PoDoFo::PdfVecObjects& objs, const EmbeddedFileSpec& f, const char* relationship, int64_t now) {
  PdfObject* stream = objs.CreateObject("EmbeddedFile");
  PdfDictionary& sd = stream->GetDictionary();
  sd.AddKey(PdfName("Subtype"), PdfName(f.media_type));
  PdfDictionary params;
  params.AddKey(PdfName("Size"), PdfVariant(static_cast<PoDoFo::pdf_int64>(f.bytes.size())));
  params.AddKey(PdfName("ModDate"), PdfString(PdfDate(f.mod_time != 0 ? f.mod_time : now)));
  Hasher md5(DigestAlgorithm::kMd5);
  md5.Update(f.bytes);
  std::string sum = md5.FinishRaw();
  params.AddKey(PdfName("CheckSum"), PdfString(sum.data(), static_cast<PoDoFo::pdf_long>(sum.size()), true));
  sd.AddKey(PdfName("Params"), params);
  stream->GetStream()->Set(f.bytes.data(), static_cast<PoDoFo::pdf_long>(f.bytes.size()));  // FlateDecode

  PdfObject* spec = objs.CreateObject("Filespec");
  PdfDictionary& d = spec->GetDictionary();
  d.AddKey(PdfName("F"), PdfString(f.name.data(), static_cast<PoDoFo::pdf_long>(f.name.size())));
  d.AddKey(PdfName("UF"), Utf8Text(f.name));
  if (!f.description.empty()) d.AddKey(PdfName("Desc"), Utf8Text(f.description));
  d.AddKey(PdfName("AFRelationship"), PdfName(relationship));
  PdfDictionary ef;
  ef.AddKey(PdfName("F"), stream->Reference());
  ef.AddKey(PdfName("UF"), stream->Reference());
  d.AddKey(PdfName("EF"), ef);
  return spec->Reference();
}

// PoDoFo 0.9.8 derives the trailer /ID from the Info dictionary and the
// current second, so two renditions written in the same second can share
// one. Both elements become the MD5 of the output instead (same length, in
// place: no offset moves).
void SetFileIdentifier(std::string* pdf) {
  size_t trailer = pdf->rfind("trailer");
  size_t id = trailer == std::string::npos ? std::string::npos : pdf->find("/ID [ <", trailer);
  if (id == std::string::npos) return;
  size_t first = id + 7;
  size_t second = pdf->find('<', first);
  if (second == std::string::npos || second - first != 34 || pdf->compare(second + 33, 1, ">") != 0) return;
  std::string md5 = HexDigestOf(DigestAlgorithm::kMd5, *pdf);
  for (char& c : md5) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  pdf->replace(first, 32, md5);
  pdf->replace(second + 1, 32, md5);
}

// The copy's own document information dictionary, read before PoDoFo's
// PdfMemDocument changes it; nullopt when the trailer has none.
std::optional<PdfDictionary> OriginalInfo(std::string_view copy) {
  PoDoFo::PdfVecObjects objs;
  objs.SetAutoDelete(true);
  PoDoFo::PdfParser parser(&objs);
  parser.ParseFile(copy.data(), static_cast<long>(copy.size()), /*bLoadOnDemand=*/true);
  const PdfObject* trailer = parser.GetTrailer();
  if (trailer == nullptr || !trailer->IsDictionary()) return std::nullopt;
  PdfObject* info = Deref(objs, const_cast<PdfObject*>(trailer->GetDictionary().GetKey(PdfName("Info"))));
  if (info == nullptr || !info->IsDictionary()) return std::nullopt;
  return info->GetDictionary();
}

// Signature fields of the copy (FT /Sig, inherited through Kids): removes
// their values and collects the signature dictionaries they referenced. A
// full rewrite moves every byte, so a signature of the copy can no longer
// cover the file (ISO 19005-2 6.4.3); the signed original travels intact as
// the rendition's /Source file.
void DropSignatureValues(PoDoFo::PdfVecObjects& objs, PdfObject* field, bool sig, int depth,
                         std::set<PdfReference>* seen, std::vector<PdfReference>* values) {
  if (field == nullptr || !field->IsDictionary() || depth > kMaxTreeDepth) return;
  if (field->Reference().ObjectNumber() != 0 && !seen->insert(field->Reference()).second) return;
  PdfDictionary& d = field->GetDictionary();
  if (const PdfObject* ft = d.GetKey(PdfName("FT")); ft != nullptr && ft->IsName()) sig = ft->GetName() == PdfName("Sig");
  if (sig && d.HasKey(PdfName("V"))) {
    if (const PdfObject* v = d.GetKey(PdfName("V")); v->IsReference()) values->push_back(v->GetReference());
    d.RemoveKey(PdfName("V"));
  }
  if (PdfObject* kids = Key(objs, field, "Kids"); kids != nullptr && kids->IsArray()) {
    for (PdfObject& k : kids->GetArray()) DropSignatureValues(objs, Deref(objs, &k), sig, depth + 1, seen, values);
  }
}

// The rewrite itself; PoDoFo exceptions propagate to the caller.
Result<std::string> Rewrite(std::string_view copy, const EmbeddedFileSpec& original, const EmbeddedFileSpec& report,
                            int64_t now) {
  const std::optional<PdfDictionary> original_info = OriginalInfo(copy);
  std::unique_ptr<PdfObject> dropped_info;  // outlives doc, which may still point at it
  std::vector<std::unique_ptr<PdfObject>> dropped_signatures;  // likewise
  PoDoFo::PdfMemDocument doc;
  doc.LoadFromBuffer(copy.data(), static_cast<long>(copy.size()));
  PoDoFo::PdfVecObjects& objs = doc.GetObjects();
  PdfObject* catalog = doc.GetCatalog();
  if (catalog == nullptr || !catalog->IsDictionary()) return InvalidArgumentError("the copy has no catalog");
  // PoDoFo stamps the Info dictionary when it loads a file (ModDate; and a
  // new Info with CreationDate and Producer "PoDoFo" for a file without
  // one), which would contradict the XMP. Put back what the copy had.
  auto* trailer = const_cast<PdfObject*>(doc.GetTrailer());
  PdfObject* info = Deref(objs, trailer->GetDictionary().GetKey(PdfName("Info")));
  if (original_info.has_value() && info != nullptr && info->IsDictionary()) {
    info->GetDictionary() = *original_info;
  } else if (!original_info.has_value() && trailer->GetDictionary().GetKey(PdfName("Info")) != nullptr) {
    const PdfObject* ref = trailer->GetDictionary().GetKey(PdfName("Info"));
    if (ref->IsReference()) {
      PdfReference r = ref->GetReference();
      dropped_info.reset(objs.RemoveObject(r, /*bMarkAsFree=*/false));
    }
    trailer->GetDictionary().RemoveKey(PdfName("Info"));
  }

  // Signatures of the copy: values dropped (see DropSignatureValues), and
  // with them the permissions that point at them (/Perms DocMDP, UR3).
  if (PdfObject* acro = Key(objs, catalog, "AcroForm"); acro != nullptr) {
    std::set<PdfReference> seen;
    std::vector<PdfReference> values;
    if (PdfObject* fields = Key(objs, acro, "Fields"); fields != nullptr && fields->IsArray()) {
      for (PdfObject& f : fields->GetArray()) DropSignatureValues(objs, Deref(objs, &f), false, 0, &seen, &values);
    }
    if (!values.empty()) {
      catalog->GetDictionary().RemoveKey(PdfName("Perms"));
      std::set<PdfReference> unique(values.begin(), values.end());
      for (const PdfReference& r : unique) dropped_signatures.emplace_back(objs.RemoveObject(r, /*bMarkAsFree=*/false));
    }
  }

  // XMP identification: PDF/A-3B, stored unfiltered.
  PdfObject* meta = Key(objs, catalog, "Metadata");
  if (meta == nullptr || !meta->HasStream()) return FailedPreconditionError("the copy has no XMP metadata stream");
  char* buf = nullptr;
  PoDoFo::pdf_long len = 0;
  meta->GetStream()->GetFilteredCopy(&buf, &len);
  std::string xmp(buf, static_cast<size_t>(len));
  PoDoFo::podofo_free(buf);
  KHOLUU_ASSIGN_OR_RETURN(std::string new_xmp, RewritePdfaId(std::move(xmp)));
  meta->GetStream()->Set(new_xmp.data(), static_cast<PoDoFo::pdf_long>(new_xmp.size()), PoDoFo::TVecFilters());

  // Name tree: existing entries (made associated files too) plus ours.
  PdfObject* names = Key(objs, catalog, "Names");
  if (names == nullptr) {
    catalog->GetDictionary().AddKey(PdfName("Names"), PdfDictionary());
    names = catalog->GetDictionary().GetKey(PdfName("Names"));
  }
  if (!names->IsDictionary()) return InvalidArgumentError("the catalog's /Names is not a dictionary");
  std::vector<std::pair<PdfString, PdfObject>> entries;
  CollectNames(objs, Key(objs, names, "EmbeddedFiles"), 0, &entries);

  PdfArray af;
  if (PdfObject* old_af = Key(objs, catalog, "AF"); old_af != nullptr && old_af->IsArray()) af = old_af->GetArray();
  std::set<std::string> taken;
  for (auto& [key, value] : entries) {
    taken.insert(key.GetStringUtf8());
    PdfObject* spec = Deref(objs, &value);
    if (spec == nullptr || !spec->IsDictionary() || !value.IsReference()) continue;
    PdfDictionary& d = spec->GetDictionary();
    if (!d.HasKey(PdfName("AFRelationship"))) d.AddKey(PdfName("AFRelationship"), PdfName("Unspecified"));
    if (!d.HasKey(PdfName("UF")) && d.HasKey(PdfName("F"))) d.AddKey(PdfName("UF"), *d.GetKey(PdfName("F")));
    bool listed = false;
    for (const PdfObject& a : af) listed = listed || (a.IsReference() && a.GetReference() == value.GetReference());
    if (!listed) af.push_back(value.GetReference());
  }
  auto unique_key = [&](const std::string& name) {
    std::string k = name;
    for (int i = 2; taken.count(k) > 0; ++i) k = name + " (" + std::to_string(i) + ")";
    taken.insert(k);
    return k;
  };
  PdfReference src = Embed(objs, original, "Source", now);
  PdfReference sup = Embed(objs, report, "Supplement", now);
  entries.emplace_back(Utf8Text(unique_key(original.name)), PdfObject(src));
  entries.emplace_back(Utf8Text(unique_key(report.name)), PdfObject(sup));
  af.push_back(src);
  af.push_back(sup);
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first.GetStringUtf8() < b.first.GetStringUtf8(); });
  PdfArray flat;
  for (auto& [key, value] : entries) {
    flat.push_back(key);
    flat.push_back(value);
  }
  PdfObject* tree = objs.CreateObject();
  tree->GetDictionary().AddKey(PdfName("Names"), flat);
  names->GetDictionary().AddKey(PdfName("EmbeddedFiles"), tree->Reference());
  catalog->GetDictionary().AddKey(PdfName("AF"), af);

  doc.SetWriteMode(PoDoFo::ePdfWriteMode_Clean);  // "N G obj" and "stream" on their own lines (PDF/A 6.1.7, 6.1.9)
  PoDoFo::PdfRefCountedBuffer out;
  PoDoFo::PdfOutputDevice device(&out);
  doc.Write(&device);
  std::string bytes(out.GetBuffer(), device.GetLength());
  SetFileIdentifier(&bytes);
  return bytes;
}

// Owns a zlib inflate state.
class Inflater {
 public:
  Inflater() { ok_ = inflateInit(&zs_) == Z_OK; }
  ~Inflater() {
    if (ok_) inflateEnd(&zs_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Inflates all of `in` into *out, refusing more than `cap` bytes.
  Status Run(std::string_view in, size_t cap, std::string* out) {
    if (!ok_) return InternalError("zlib inflateInit failed");
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    char buf[1 << 16];
    while (true) {
      zs_.next_out = reinterpret_cast<Bytef*>(buf);
      zs_.avail_out = sizeof buf;
      int rc = inflate(&zs_, Z_NO_FLUSH);
      size_t got = sizeof buf - zs_.avail_out;
      if (out->size() + got > cap) return ResourceExhaustedError("an embedded file exceeds the size limit");
      out->append(buf, got);
      if (rc == Z_STREAM_END) return Status::Ok();
      if (rc == Z_BUF_ERROR && zs_.avail_in == 0) return InvalidArgumentError("the compressed data is truncated");
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return InvalidArgumentError(std::string("bad compressed data: ") + (zs_.msg != nullptr ? zs_.msg : "zlib error"));
      }
    }
  }

 private:
  z_stream zs_{};
  bool ok_ = false;
};

// The decoded data of an embedded file stream, at most `cap` bytes.
// FlateDecode without a predictor (what writers use for embedded files) and
// unfiltered data are handled here, so that a zip bomb stops cleanly (PoDoFo
// 0.9.8 leaks its zlib state when a sink refuses data); other filters go
// through PoDoFo. PoDoFo exceptions propagate.
Status DecodeEmbedded(PoDoFo::PdfVecObjects& objs, PdfObject* stream, size_t cap, std::string* out) {
  PdfObject* filter = Key(objs, stream, "Filter");
  if (filter != nullptr && filter->IsArray() && filter->GetArray().size() == 1) filter = &filter->GetArray()[0];
  PdfObject* parms = Key(objs, stream, "DecodeParms");
  if (parms != nullptr && parms->IsArray() && parms->GetArray().size() == 1) parms = &parms->GetArray()[0];
  PdfObject* predictor = parms != nullptr && parms->IsDictionary() ? Key(objs, parms, "Predictor") : nullptr;
  const bool plain_parms = parms == nullptr || parms->IsNull() ||
                           (parms->IsDictionary() && (predictor == nullptr || (predictor->IsNumber() &&
                                                                               predictor->GetNumber() <= 1)));
  const bool flate = filter != nullptr && filter->IsName() && filter->GetName().GetName() == "FlateDecode";
  if ((filter == nullptr || flate) && plain_parms) {
    std::string raw;
    internal::CappedOutput sink(&raw, flate ? std::numeric_limits<size_t>::max() : cap);
    try {
      stream->GetStream()->GetCopy(&sink);
    } catch (const PdfError&) {
      if (sink.overflow()) return ResourceExhaustedError("an embedded file exceeds the size limit");
      throw;
    }
    if (!flate) {
      *out = std::move(raw);
      return Status::Ok();
    }
    Inflater inflater;
    return inflater.Run(raw, cap, out);
  }
  internal::CappedOutput sink(out, cap);
  try {
    stream->GetStream()->GetFilteredCopy(&sink);
  } catch (const PdfError&) {
    if (sink.overflow()) return ResourceExhaustedError("an embedded file exceeds the size limit");
    throw;
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> BuildRendition(std::string_view preservation_copy, const EmbeddedFileSpec& original,
                                   const EmbeddedFileSpec& report, const RenditionOptions& options) {
  KHOLUU_RETURN_IF_ERROR(CheckSpec(original, "original"));
  KHOLUU_RETURN_IF_ERROR(CheckSpec(report, "report"));
  KHOLUU_ASSIGN_OR_RETURN(PdfaReport in, ValidatePdfa(preservation_copy, PdfaProfile::kAuto, options.limits));
  if (!in.compliant || (in.profile != PdfaProfile::k2b && in.profile != PdfaProfile::k2u &&
                        in.profile != PdfaProfile::k3b)) {
    return FailedPreconditionError("the preservation copy is not a valid PDF/A-2b, -2u or -3b file (checked as " +
                                   std::string(PdfaProfileName(in.profile)) + "): " + FirstViolations(in));
  }
  const int64_t now = options.now != 0 ? options.now : static_cast<int64_t>(std::time(nullptr));
  internal::InitPodofo(options.limits.max_objects);
  Result<std::string> out = InternalError("not built");
  try {
    out = Rewrite(preservation_copy, original, report, now);
  } catch (const PdfError& e) {
    return FromPdfError(e, "rewriting the preservation copy");
  } catch (const std::exception& e) {
    return InternalError(std::string("rewriting the preservation copy: ") + e.what());
  }
  if (!out.ok()) return out;
  KHOLUU_ASSIGN_OR_RETURN(PdfaReport check, ValidatePdfa(*out, PdfaProfile::k3b, options.limits));
  if (!check.compliant) {
    return FailedPreconditionError("the rendition does not validate as PDF/A-3b: " + FirstViolations(check));
  }
  return out;
}

Result<std::vector<AssociatedFile>> ExtractAssociatedFiles(std::string_view pdf, const ExtractLimits& limits) {
  if (pdf.size() > limits.max_input_bytes) return ResourceExhaustedError("the PDF exceeds the input size limit");
  if (internal::HasEncryptEntry(pdf)) return InvalidArgumentError("the PDF is encrypted");
  internal::InitPodofo(limits.max_objects);
  std::vector<AssociatedFile> files;
  try {
    PoDoFo::PdfVecObjects objs;
    objs.SetAutoDelete(true);
    PoDoFo::PdfParser parser(&objs);
    parser.ParseFile(pdf.data(), static_cast<long>(pdf.size()), /*bLoadOnDemand=*/true);
    const PdfObject* trailer = parser.GetTrailer();
    PdfObject* catalog =
        trailer != nullptr ? Key(objs, const_cast<PdfObject*>(trailer), "Root") : nullptr;
    if (catalog == nullptr || !catalog->IsDictionary()) return InvalidArgumentError("the PDF has no catalog");

    std::vector<std::pair<PdfObject*, bool>> specs;  // (spec, listed in /AF)
    std::set<const PdfObject*> seen;
    if (PdfObject* af = Key(objs, catalog, "AF"); af != nullptr && af->IsArray()) {
      for (PdfObject& e : af->GetArray()) {
        PdfObject* s = Deref(objs, &e);
        if (s != nullptr && s->IsDictionary() && seen.insert(s).second) specs.emplace_back(s, true);
      }
    }
    std::vector<std::pair<PdfString, PdfObject>> entries;
    CollectNames(objs, Key(objs, Key(objs, catalog, "Names"), "EmbeddedFiles"), 0, &entries);
    for (auto& [key, value] : entries) {
      PdfObject* s = Deref(objs, &value);
      if (s != nullptr && s->IsDictionary() && seen.insert(s).second) specs.emplace_back(s, false);
    }
    size_t total = 0;
    for (auto& [spec, listed] : specs) {
      PdfObject* ef = Key(objs, spec, "EF");
      PdfObject* stream = Key(objs, ef, "UF");
      if (stream == nullptr) stream = Key(objs, ef, "F");
      if (stream == nullptr || !stream->HasStream()) continue;  // a reference to an external file
      if (files.size() >= limits.max_files) return ResourceExhaustedError("the PDF has too many embedded files");
      AssociatedFile f;
      f.associated = listed;
      f.name = Utf8Of(Key(objs, spec, "UF"));
      if (f.name.empty()) f.name = Utf8Of(Key(objs, spec, "F"));
      f.description = Utf8Of(Key(objs, spec, "Desc"));
      if (PdfObject* r = Key(objs, spec, "AFRelationship"); r != nullptr && r->IsName()) {
        f.relationship = r->GetName().GetName();
      }
      if (PdfObject* st = Key(objs, stream, "Subtype"); st != nullptr && st->IsName()) {
        f.media_type = st->GetName().GetName();
      }
      try {
        Status s = DecodeEmbedded(objs, stream, std::min(limits.max_file_bytes, limits.max_total_bytes - total),
                                  &f.bytes);
        if (!s.ok()) return std::move(s).Annotate("the embedded file \"" + f.name + "\"");
      } catch (const PdfError& e) {
        return FromPdfError(e, "decoding the embedded file \"" + f.name + "\"");
      }
      total += f.bytes.size();
      files.push_back(std::move(f));
    }
  } catch (const PdfError& e) {
    return FromPdfError(e, "reading the PDF");
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("reading the PDF: ") + e.what());
  }
  return files;
}

}  // namespace kholuu::formats::pdf
