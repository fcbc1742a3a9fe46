// The seal writer. The input is read with the same byte-level object scanner
// the verifier uses (the latest physical version of each object number is
// the current one); the trailer comes from the section `startxref` points to.
#include "formats/pdfsig/seal.h"

#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "archive/base/digest.h"
#include "formats/common/pdf_lexical.h"
#include "formats/pdfsig/internal/pdf_syntax.h"
#include "formats/x509/x509.h"

namespace kholuu::formats::pdfsig {
namespace {

using internal::IndirectObject;
using internal::Kind;
using internal::PdfObj;

constexpr size_t kMaxInput = size_t{1} << 30;
constexpr int kMaxDepth = 64;
constexpr std::string_view kByteRangeHole = "/ByteRange [0 0000000000 0000000000 0000000000]";

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    auto u = static_cast<unsigned char>(ch);
    out += kDigits[u >> 4];
    out += kDigits[u & 15];
  }
  return out;
}

// ---- writing objects

bool IsRegularNameChar(unsigned char c) {
  if (c < 0x21 || c > 0x7e || c == '#') return false;
  return std::string_view("()<>[]{}/%").find(static_cast<char>(c)) == std::string_view::npos;
}

std::string NameText(std::string_view name) {
  std::string out = "/";
  for (char ch : name) {
    auto u = static_cast<unsigned char>(ch);
    if (IsRegularNameChar(u)) {
      out += ch;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "#%02X", u);
      out += buf;
    }
  }
  return out;
}

std::string RealText(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s.empty() || s == "-" ? "0" : s;
}

void Write(const PdfObj& o, std::string* out) {
  switch (o.kind) {
    case Kind::kNull: *out += "null"; break;
    case Kind::kBool: *out += o.integer != 0 ? "true" : "false"; break;
    case Kind::kInt: *out += std::to_string(o.integer); break;
    case Kind::kReal: *out += RealText(o.real); break;
    case Kind::kName: *out += NameText(o.text); break;
    case Kind::kKeyword: *out += "null"; break;  // not a value: never written by a sane file
    case Kind::kRef: *out += std::to_string(o.ref_num) + " " + std::to_string(o.ref_gen) + " R"; break;
    case Kind::kString: *out += "<" + Hex(o.text) + ">"; break;
    case Kind::kArray:
      *out += '[';
      for (size_t i = 0; i < o.items.size(); ++i) {
        if (i > 0) *out += ' ';
        Write(o.items[i], out);
      }
      *out += ']';
      break;
    case Kind::kDict:
      *out += "<<";
      for (const auto& e : o.dict) {
        *out += NameText(e.first) + " ";
        Write(e.second, out);
        *out += ' ';
      }
      *out += ">>";
      break;
  }
}

std::string Text(const PdfObj& o) {
  std::string s;
  Write(o, &s);
  return s;
}

PdfObj Ref(uint32_t num, uint32_t gen = 0) {
  PdfObj o;
  o.kind = Kind::kRef;
  o.ref_num = num;
  o.ref_gen = gen;
  return o;
}

PdfObj Int(int64_t v) {
  PdfObj o;
  o.kind = Kind::kInt;
  o.integer = v;
  return o;
}

PdfObj Array(std::vector<PdfObj> items) {
  PdfObj o;
  o.kind = Kind::kArray;
  o.items = std::move(items);
  return o;
}

PdfObj Dict() {
  PdfObj o;
  o.kind = Kind::kDict;
  return o;
}

void Set(PdfObj* dict, std::string_view key, PdfObj value) {
  for (auto& e : dict->dict) {
    if (e.first == key) {
      e.second = std::move(value);
      return;
    }
  }
  dict->dict.push_back({std::string(key), std::move(value)});
}

// A PDF text string: ASCII as is, anything else UTF-16BE with a BOM; as hex.
Result<std::string> TextString(std::string_view utf8) {
  bool ascii = true;
  for (char c : utf8) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return "<" + Hex(utf8) + ">";
  std::string u16 = "\xFE\xFF";
  for (size_t i = 0; i < utf8.size();) {
    auto c = static_cast<unsigned char>(utf8[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > utf8.size()) return InvalidArgumentError("the text is not UTF-8");
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(utf8[i + k]);
      if ((cc >> 6) != 2) return InvalidArgumentError("the text is not UTF-8");
      cp = (cp << 6) | (cc & 0x3f);
    }
    i += n;
    auto put16 = [&](uint32_t u) {
      u16 += static_cast<char>((u >> 8) & 0xff);
      u16 += static_cast<char>(u & 0xff);
    };
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put16(0xD800 + (cp >> 10));
      put16(0xDC00 + (cp & 0x3ff));
    } else {
      put16(cp);
    }
  }
  return "<" + Hex(u16) + ">";
}

// "D:YYYYMMDDHHmmSS+00'00'" (UTC).
std::string PdfDate(int64_t t) {
  std::string d = "D:";
  for (char c : x509::FormatTime(t)) {
    if (c >= '0' && c <= '9') d += c;
  }
  return d + "+00'00'";
}

// ---- reading the input

struct Input {
  std::string_view data;
  std::vector<IndirectObject> objects;
  std::map<uint32_t, size_t> latest;
  bool xref_stream = false;
  size_t last_xref = 0;
  PdfObj trailer;

  const IndirectObject* Latest(uint32_t num) const {
    auto it = latest.find(num);
    return it == latest.end() ? nullptr : &objects[it->second];
  }
  // Follows references (bounded); nullptr for a dangling one.
  const PdfObj* Resolve(const PdfObj* o) const {
    for (int i = 0; o != nullptr && o->kind == Kind::kRef && i < 8; ++i) {
      const IndirectObject* io = Latest(o->ref_num);
      o = io == nullptr ? nullptr : &io->value;
    }
    return o != nullptr && o->kind == Kind::kRef ? nullptr : o;
  }
};

Result<Input> ReadInput(std::string_view pdf) {
  if (pdf.size() > kMaxInput) return ResourceExhaustedError("the PDF is larger than 1 GiB");
  if (pdf.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    return InvalidArgumentError("not a PDF: no %PDF- header in the first 1024 bytes");
  }
  Input in;
  in.data = pdf;
  size_t sx = pdf.rfind("startxref");
  if (sx == std::string_view::npos) return InvalidArgumentError("the PDF has no startxref");
  size_t p = sx + 9;
  while (p < pdf.size() && IsPdfWhiteSpace(pdf[p])) ++p;
  uint64_t off = 0;
  size_t digits = 0;
  for (; p < pdf.size() && pdf[p] >= '0' && pdf[p] <= '9' && digits < 12; ++p, ++digits) {
    off = off * 10 + static_cast<uint64_t>(pdf[p] - '0');
  }
  if (digits == 0 || off >= sx) return InvalidArgumentError("the startxref offset is missing or out of range");
  in.last_xref = static_cast<size_t>(off);
  in.objects = internal::ScanObjects(pdf);
  for (size_t i = 0; i < in.objects.size(); ++i) in.latest[in.objects[i].num] = i;
  if (pdf.substr(in.last_xref, 4) == "xref") {
    size_t t = pdf.find("trailer", in.last_xref);
    if (t == std::string_view::npos || t > sx) return InvalidArgumentError("the last xref table has no trailer");
    size_t pos = t + 7;
    KHOLUU_ASSIGN_OR_RETURN(in.trailer, internal::ParseObject(pdf, &pos));
  } else {
    for (const IndirectObject& o : in.objects) {
      if (o.offset == in.last_xref && o.in_objstm == 0 && o.value.kind == Kind::kDict) {
        const PdfObj* type = o.value.Get("Type");
        if (type != nullptr && type->IsName("XRef")) {
          in.trailer = o.value;
          in.xref_stream = true;
        }
      }
    }
    if (!in.xref_stream) {
      return InvalidArgumentError("startxref points to neither an xref table nor a cross-reference stream");
    }
  }
  if (in.trailer.kind != Kind::kDict) return InvalidArgumentError("the trailer is not a dictionary");
  if (in.trailer.Get("Encrypt") != nullptr) return InvalidArgumentError("the PDF is encrypted");
  return in;
}

const PdfObj* FirstPage(const Input& in, const PdfObj& catalog, PdfObj* page_ref) {
  const PdfObj* node_ref = catalog.Get("Pages");
  for (int depth = 0; depth < kMaxDepth && node_ref != nullptr && node_ref->kind == Kind::kRef; ++depth) {
    const PdfObj* node = in.Resolve(node_ref);
    if (node == nullptr || node->kind != Kind::kDict) return nullptr;
    const PdfObj* type = node->Get("Type");
    const PdfObj* kids = in.Resolve(node->Get("Kids"));
    if ((type != nullptr && type->IsName("Page")) || kids == nullptr) {
      *page_ref = *node_ref;
      return node;
    }
    if (kids->kind != Kind::kArray || kids->items.empty()) return nullptr;
    node_ref = &kids->items[0];
  }
  return nullptr;
}

// A certification signature (catalog /Perms /DocMDP) with /P 1.
bool DocMdpForbidsChanges(const Input& in, const PdfObj& catalog) {
  const PdfObj* perms = in.Resolve(catalog.Get("Perms"));
  const PdfObj* sig = perms != nullptr && perms->kind == Kind::kDict ? in.Resolve(perms->Get("DocMDP")) : nullptr;
  const PdfObj* refs = sig != nullptr && sig->kind == Kind::kDict ? in.Resolve(sig->Get("Reference")) : nullptr;
  if (refs == nullptr || refs->kind != Kind::kArray) return false;
  for (const PdfObj& r : refs->items) {
    const PdfObj* ref = in.Resolve(&r);
    if (ref == nullptr || ref->kind != Kind::kDict) continue;
    const PdfObj* method = ref->Get("TransformMethod");
    if (method == nullptr || !method->IsName("DocMDP")) continue;
    const PdfObj* params = in.Resolve(ref->Get("TransformParams"));
    const PdfObj* p = params != nullptr && params->kind == Kind::kDict ? params->Get("P") : nullptr;
    if (p != nullptr && p->kind == Kind::kInt && p->integer == 1) return true;
  }
  return false;
}

// The items of an array written inline or as an indirect object.
std::vector<PdfObj> ArrayItems(const Input& in, const PdfObj* o) {
  const PdfObj* a = in.Resolve(o);
  return a != nullptr && a->kind == Kind::kArray ? a->items : std::vector<PdfObj>{};
}

struct Update {
  std::vector<std::pair<uint32_t, std::string>> objects;  // number -> "N G obj ... endobj" text
  std::map<uint32_t, uint32_t> gens;
  uint32_t size = 0;
};

void AddObject(Update* u, uint32_t num, uint32_t gen, const std::string& body) {
  u->objects.emplace_back(num, std::to_string(num) + " " + std::to_string(gen) + " obj\n" + body + "\nendobj\n");
  u->gens[num] = gen;
}

uint32_t GenOf(const Input& in, uint32_t num) {
  const IndirectObject* o = in.Latest(num);
  return o == nullptr || o->in_objstm != 0 ? 0 : o->gen;
}

std::string Pad10(size_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%010zu", v);
  return buf;
}

// Runs of consecutive object numbers: (first, count), ascending.
std::vector<std::pair<uint32_t, uint32_t>> Subsections(const std::map<uint32_t, size_t>& offsets) {
  std::vector<std::pair<uint32_t, uint32_t>> runs;
  for (const auto& entry : offsets) {
    if (!runs.empty() && runs.back().first + runs.back().second == entry.first) {
      ++runs.back().second;
    } else {
      runs.emplace_back(entry.first, 1);
    }
  }
  return runs;
}

// A classic xref section (subsections of consecutive numbers) and trailer.
std::string XrefTable(const std::map<uint32_t, size_t>& offsets, const Update& u, const std::string& trailer_keys,
                      size_t xref_at) {
  std::string s = "xref\n";
  for (const auto& [first, count] : Subsections(offsets)) {
    s += std::to_string(first) + " " + std::to_string(count) + "\n";
    for (uint32_t num = first; num < first + count; ++num) {
      char gen[8];
      std::snprintf(gen, sizeof gen, "%05u", u.gens.at(num));
      s += Pad10(offsets.at(num)) + " " + gen + " n \n";
    }
  }
  return s + "trailer\n<< " + trailer_keys + " >>\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
}

// An uncompressed cross-reference stream (object `num`, at `xref_at`).
std::string XrefStream(std::map<uint32_t, size_t> offsets, const Update& u, const std::string& trailer_keys,
                       uint32_t num, size_t xref_at) {
  offsets[num] = xref_at;
  std::string rows, index;
  for (const auto& [first, count] : Subsections(offsets)) {
    index += std::to_string(first) + " " + std::to_string(count) + " ";
    for (uint32_t n = first; n < first + count; ++n) {
      uint32_t gen = n == num ? 0 : u.gens.at(n);
      rows += '\x01';
      for (int b = 3; b >= 0; --b) rows += static_cast<char>((offsets.at(n) >> (8 * b)) & 0xff);
      rows += static_cast<char>((gen >> 8) & 0xff);
      rows += static_cast<char>(gen & 0xff);
    }
  }
  index.pop_back();
  return std::to_string(num) + " 0 obj\n<< /Type /XRef " + trailer_keys + " /Index [" + index +
         "] /W [1 4 2] /Length " + std::to_string(rows.size()) + " >>\nstream\n" + rows +
         "\nendstream\nendobj\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
}

struct Built {
  std::string bytes;
  size_t contents_begin = 0;  // offset of '<'
  size_t contents_end = 0;    // just past '>'
};

Result<Built> BuildUpdate(const Input& in, const SealOptions& options, int64_t when, size_t reserve) {
  const PdfObj* root_ref = in.trailer.Get("Root");
  if (root_ref == nullptr || root_ref->kind != Kind::kRef) return InvalidArgumentError("the trailer has no /Root");
  const PdfObj* catalog_p = in.Resolve(root_ref);
  if (catalog_p == nullptr || catalog_p->kind != Kind::kDict) {
    return InvalidArgumentError("the document catalog cannot be found");
  }
  PdfObj catalog = *catalog_p;
  if (DocMdpForbidsChanges(in, catalog)) {
    return FailedPreconditionError("the document is certified with DocMDP P=1: no change is permitted, not even a seal");
  }
  PdfObj page_ref;
  const PdfObj* page_p = FirstPage(in, catalog, &page_ref);
  if (page_p == nullptr) return InvalidArgumentError("the first page cannot be found");
  PdfObj page = *page_p;

  Update u;
  uint32_t next = 1;
  if (const PdfObj* size = in.trailer.Get("Size"); size != nullptr && size->kind == Kind::kInt && size->integer > 0 &&
                                                     size->integer < 8'388'607) {
    next = static_cast<uint32_t>(size->integer);
  }
  if (!in.latest.empty()) next = std::max(next, in.latest.rbegin()->first + 1);
  if (next + 16 + options.dss_certs_der.size() + options.dss_crls_der.size() + options.dss_ocsps_der.size() >
      8'388'607) {
    return InvalidArgumentError("the PDF has too many objects to add a signature");
  }
  const uint32_t sig_num = next++;
  const uint32_t field_num = next++;

  // The AcroForm: inline in the catalog, or its own object.
  // (Copied out: `catalog` is modified below, which may move its entries.)
  const PdfObj* form_entry = catalog.Get("AcroForm");
  const PdfObj* form_p = in.Resolve(form_entry);
  const bool form_indirect = form_entry != nullptr && form_entry->kind == Kind::kRef && form_p != nullptr &&
                             form_p->kind == Kind::kDict;
  const uint32_t form_num = form_indirect ? form_entry->ref_num : 0;
  PdfObj form = form_p != nullptr && form_p->kind == Kind::kDict ? *form_p : Dict();
  form_entry = form_p = nullptr;
  std::vector<PdfObj> fields = ArrayItems(in, form.Get("Fields"));
  std::set<std::string> taken;
  for (const PdfObj& f : fields) {
    const PdfObj* fd = in.Resolve(&f);
    const PdfObj* t = fd != nullptr && fd->kind == Kind::kDict ? fd->Get("T") : nullptr;
    if (t != nullptr && t->kind == Kind::kString) taken.insert(internal::TextStringToUtf8(t->text));
  }
  std::string field_name = options.field_name.empty() ? "KholuuSeal" : options.field_name;
  for (int i = 2; taken.count(field_name) > 0; ++i) {
    field_name = (options.field_name.empty() ? "KholuuSeal" : options.field_name) + std::to_string(i);
  }
  fields.push_back(Ref(field_num));
  Set(&form, "Fields", Array(std::move(fields)));
  Set(&form, "SigFlags", Int(3));

  std::vector<PdfObj> annots = ArrayItems(in, page.Get("Annots"));
  annots.push_back(Ref(field_num));
  Set(&page, "Annots", Array(std::move(annots)));

  // Validation material.
  bool catalog_changed = !form_indirect;
  if (!options.dss_certs_der.empty() || !options.dss_crls_der.empty() || !options.dss_ocsps_der.empty()) {
    PdfObj dss = Dict();
    Set(&dss, "Type", [] {
      PdfObj n;
      n.kind = Kind::kName;
      n.text = "DSS";
      return n;
    }());
    auto streams = [&](const char* key, const std::vector<std::string>& items) {
      if (items.empty()) return;
      std::vector<PdfObj> refs;
      for (const std::string& der : items) {
        uint32_t n = next++;
        AddObject(&u, n, 0, "<< /Length " + std::to_string(der.size()) + " >>\nstream\n" + der + "\nendstream");
        refs.push_back(Ref(n));
      }
      Set(&dss, key, Array(std::move(refs)));
    };
    streams("Certs", options.dss_certs_der);
    streams("CRLs", options.dss_crls_der);
    streams("OCSPs", options.dss_ocsps_der);
    uint32_t dss_num = next++;
    AddObject(&u, dss_num, 0, Text(dss));
    Set(&catalog, "DSS", Ref(dss_num));
    catalog_changed = true;
  }
  if (form_indirect) {
    AddObject(&u, form_num, GenOf(in, form_num), Text(form));
  } else {
    Set(&catalog, "AcroForm", form);
  }
  if (catalog_changed) AddObject(&u, root_ref->ref_num, GenOf(in, root_ref->ref_num), Text(catalog));
  AddObject(&u, page_ref.ref_num, GenOf(in, page_ref.ref_num), Text(page));

  KHOLUU_ASSIGN_OR_RETURN(std::string field_text, TextString(field_name));
  AddObject(&u, field_num, 0,
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T " + field_text + " /V " + std::to_string(sig_num) +
                " 0 R /Rect [0 0 0 0] /F 132 /P " + Text(page_ref) + " >>");
  std::string sig = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached " +
                    std::string(kByteRangeHole) + " /Contents <" + std::string(reserve * 2, '0') + "> /M " +
                    "(" + PdfDate(when) + ")";
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"Name", &options.name},
                                   {"Reason", &options.reason},
                                   {"Location", &options.location}}) {
    if (value->empty()) continue;
    KHOLUU_ASSIGN_OR_RETURN(std::string t, TextString(*value));
    sig += std::string(" /") + key + " " + t;
  }
  AddObject(&u, sig_num, 0, sig + " >>");

  // Lay out the update.
  Built b;
  b.bytes.reserve(in.data.size() + reserve * 2 + 4096);
  b.bytes.append(in.data);
  if (b.bytes.back() != '\n' && b.bytes.back() != '\r') b.bytes += '\n';
  std::map<uint32_t, size_t> offsets;
  for (const auto& [num, text] : u.objects) {
    offsets[num] = b.bytes.size();
    if (num == sig_num) {
      b.contents_begin = b.bytes.size() + text.find("/Contents <") + 10;
      b.contents_end = b.contents_begin + reserve * 2 + 2;
    }
    b.bytes += text;
  }
  std::string keys = "/Size " + std::to_string(in.xref_stream ? next + 1 : next) + " /Root " + Text(*root_ref);
  if (const PdfObj* info = in.trailer.Get("Info"); info != nullptr && info->kind == Kind::kRef) {
    keys += " /Info " + Text(*info);
  }
  if (const PdfObj* id = in.trailer.Get("ID");
      id != nullptr && id->kind == Kind::kArray && id->items.size() == 2 && id->items[0].kind == Kind::kString) {
    // The first identifier is permanent; the second changes with each update.
    Hasher h(DigestAlgorithm::kMd5);
    h.Update(in.data);
    h.Update(std::to_string(when));
    keys += " /ID [" + Text(id->items[0]) + " <" + h.FinishHex() + ">]";
  }
  keys += " /Prev " + std::to_string(in.last_xref);
  size_t xref_at = b.bytes.size();
  b.bytes += in.xref_stream ? XrefStream(offsets, u, keys, next, xref_at) : XrefTable(offsets, u, keys, xref_at);
  return b;
}

}  // namespace

Result<std::string> SealPdf(std::string_view pdf, const SealSigner& signer, const SealOptions& options) {
  KHOLUU_ASSIGN_OR_RETURN(x509::SigningIdentity identity, x509::LoadSigningIdentity(signer.key_pem, signer.chain_pem));
  KHOLUU_ASSIGN_OR_RETURN(Input in, ReadInput(pdf));
  const int64_t when = options.signing_time != 0 ? options.signing_time : static_cast<int64_t>(std::time(nullptr));
  size_t reserve = options.contents_reserve != 0 ? options.contents_reserve : (options.timestamp ? 16384 : 8192);
  for (int attempt = 0; attempt < 2; ++attempt) {
    KHOLUU_ASSIGN_OR_RETURN(Built b, BuildUpdate(in, options, when, reserve));
    std::string br = "/ByteRange [0 " + std::to_string(b.contents_begin) + " " + std::to_string(b.contents_end) +
                     " " + std::to_string(b.bytes.size() - b.contents_end) + "]";
    size_t hole = b.bytes.rfind(kByteRangeHole, b.contents_begin);
    if (hole == std::string::npos || br.size() > kByteRangeHole.size()) {
      return InternalError("the ByteRange placeholder was not written");
    }
    br.resize(kByteRangeHole.size(), ' ');
    b.bytes.replace(hole, br.size(), br);
    std::string signed_bytes = b.bytes.substr(0, b.contents_begin);
    signed_bytes.append(b.bytes, b.contents_end, std::string::npos);
    x509::CadesSignOptions cades;
    cades.signing_time = when;
    cades.timestamp = options.timestamp;
    KHOLUU_ASSIGN_OR_RETURN(std::string cms, x509::SignCadesDetached(signed_bytes, identity, cades));
    if (cms.size() <= reserve) {
      std::string hex = Hex(cms);
      b.bytes.replace(b.contents_begin + 1, hex.size(), hex);
      return std::move(b.bytes);
    }
    if (options.contents_reserve != 0) {
      return ResourceExhaustedError("the signature (" + std::to_string(cms.size()) +
                                    " bytes) does not fit the reserved " + std::to_string(reserve) + " bytes");
    }
    reserve = cms.size() + 2048;  // a timestamp token may come out a little longer
  }
  return ResourceExhaustedError("the signature does not fit the space reserved for it");
}

}  // namespace kholuu::formats::pdfsig
