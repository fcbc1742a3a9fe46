#include "formats/pdfsig/pdf_signatures.h"

#include <openssl/evp.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "archive/base/file.h"
#include "formats/common/pdf_lexical.h"
#include "formats/pdfsig/internal/pdf_syntax.h"

namespace kholuu::formats::pdfsig {
namespace {

using internal::IndirectObject;
using internal::Kind;
using internal::PdfObj;

constexpr size_t kMaxStreamBytes = 16u << 20;

std::string NameOf(const PdfObj* o) { return o != nullptr && o->kind == Kind::kName ? o->text : ""; }

struct Doc {
  std::string_view data;
  std::vector<IndirectObject> objects;
  std::vector<size_t> rev_ends;
  std::map<uint32_t, size_t> latest;  // object number -> index of its last definition
  std::map<uint32_t, std::vector<size_t>> versions;  // object number -> indices of its definitions, in file order

  const IndirectObject* Latest(uint32_t num) const {
    auto it = latest.find(num);
    return it == latest.end() ? nullptr : &objects[it->second];
  }
  // Follows one reference to the latest definition.
  const PdfObj* Resolve(const PdfObj* o) const {
    for (int hops = 0; o != nullptr && o->kind == Kind::kRef && hops < 8; ++hops) {
      const IndirectObject* target = Latest(o->ref_num);
      o = target != nullptr ? &target->value : nullptr;
    }
    return o;
  }
  // The last definition of `num` that starts before `offset`.
  const IndirectObject* Before(uint32_t num, size_t offset) const {
    auto it = versions.find(num);
    if (it == versions.end()) return nullptr;
    const std::vector<size_t>& v = it->second;
    auto pos = std::partition_point(v.begin(), v.end(), [&](size_t i) { return objects[i].offset < offset; });
    return pos == v.begin() ? nullptr : &objects[*(pos - 1)];
  }
  // Follows references to their definitions as of `end` (the end of a
  // revision); `*holder` becomes the indirect object last reached.
  const PdfObj* ResolveAt(const PdfObj* o, size_t end, const IndirectObject** holder) const {
    for (int hops = 0; o != nullptr && o->kind == Kind::kRef && hops < 8; ++hops) {
      const IndirectObject* target = Before(o->ref_num, end);
      if (holder != nullptr) *holder = target;
      o = target != nullptr ? &target->value : nullptr;
    }
    return o != nullptr && o->kind == Kind::kRef ? nullptr : o;
  }
  int RevisionContaining(size_t offset) const {
    for (size_t i = 0; i < rev_ends.size(); ++i) {
      if (offset < rev_ends[i]) return static_cast<int>(i);
    }
    return -1;
  }
};

bool IsSignatureDict(const PdfObj& v) {
  if (v.kind != Kind::kDict) return false;
  const PdfObj* br = v.Get("ByteRange");
  const PdfObj* contents = v.Get("Contents");
  return br != nullptr && br->kind == Kind::kArray && contents != nullptr &&
         contents->kind == Kind::kString;
}

bool IsDocTimestamp(const PdfObj& v) {
  return NameOf(v.Get("SubFilter")) == "ETSI.RFC3161" || NameOf(v.Get("Type")) == "DocTimeStamp";
}

// Collects the object numbers reachable from `o` (refs followed to their latest definitions).
void CollectRefs(const Doc& doc, const PdfObj& o, std::set<uint32_t>* seen, int depth) {
  if (depth > 16) return;
  if (o.kind == Kind::kRef) {
    if (!seen->insert(o.ref_num).second) return;
    const IndirectObject* t = doc.Latest(o.ref_num);
    if (t != nullptr) CollectRefs(doc, t->value, seen, depth + 1);
  } else if (o.kind == Kind::kArray) {
    for (const PdfObj& i : o.items) CollectRefs(doc, i, seen, depth + 1);
  } else if (o.kind == Kind::kDict) {
    for (const auto& kv : o.dict) CollectRefs(doc, kv.second, seen, depth + 1);
  }
}

bool IsDssDict(const PdfObj& v) {
  if (v.kind != Kind::kDict || IsSignatureDict(v)) return false;
  std::string type = NameOf(v.Get("Type"));
  return type == "DSS" || type == "VRI" || v.Get("VRI") != nullptr ||
         ((v.Get("Certs") != nullptr || v.Get("OCSPs") != nullptr || v.Get("CRLs") != nullptr) &&
          v.Get("Type") == nullptr);
}

struct Dss {
  std::set<uint32_t> objects;  // everything reachable from a DSS dictionary
  std::vector<std::string> certs;
  x509::RevocationData revocation;
};

Dss CollectDss(const Doc& doc) {
  Dss dss;
  // Every version of the DSS counts for classification (an update may replace
  // arrays of an earlier one); the latest version supplies the data.
  for (const IndirectObject& o : doc.objects) {
    if (!IsDssDict(o.value)) continue;
    dss.objects.insert(o.num);
    CollectRefs(doc, o.value, &dss.objects, 0);
  }
  for (const auto& [num, idx] : doc.latest) {
    const PdfObj& v = doc.objects[idx].value;
    if (!IsDssDict(v)) continue;
    auto streams = [&](const char* key, std::vector<std::string>* out) {
      const PdfObj* arr = doc.Resolve(v.Get(key));
      if (arr == nullptr || arr->kind != Kind::kArray) return;
      for (const PdfObj& item : arr->items) {
        if (item.kind != Kind::kRef) continue;
        const IndirectObject* s = doc.Latest(item.ref_num);
        if (s == nullptr || !s->has_stream) continue;
        auto bytes = internal::DecodeStream(*s, kMaxStreamBytes);
        if (bytes.ok()) out->push_back(std::move(bytes).value());
      }
    };
    streams("Certs", &dss.certs);
    streams("CRLs", &dss.revocation.crls_der);
    streams("OCSPs", &dss.revocation.ocsp_responses_der);
  }
  return dss;
}

// "D:YYYYMMDDHHmmSSOHH'mm'" -> Unix seconds.
std::optional<int64_t> ParsePdfDate(std::string_view s) {
  if (s.substr(0, 2) == "D:") s.remove_prefix(2);
  auto num = [&](size_t at, size_t n, int dflt) -> int {
    if (s.size() < at + n) return dflt;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return dflt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() < 4) return std::nullopt;
  std::tm tm{};
  tm.tm_year = num(0, 4, 1970) - 1900;
  tm.tm_mon = num(4, 2, 1) - 1;
  tm.tm_mday = num(6, 2, 1);
  tm.tm_hour = num(8, 2, 0);
  tm.tm_min = num(10, 2, 0);
  tm.tm_sec = num(12, 2, 0);
  int64_t t = static_cast<int64_t>(timegm(&tm));
  if (s.size() > 14 && (s[14] == '+' || s[14] == '-')) {
    int64_t off = num(15, 2, 0) * 3600 + num(18, 2, 0) * 60;
    t += s[14] == '+' ? -off : off;
  }
  return t;
}

std::string FieldName(const Doc& doc, const PdfObj& field) {
  std::string name;
  const PdfObj* f = &field;
  for (int depth = 0; f != nullptr && f->kind == Kind::kDict && depth < 16; ++depth) {
    const PdfObj* t = f->Get("T");
    if (t != nullptr && t->kind == Kind::kString) {
      std::string part = internal::TextStringToUtf8(t->text);
      name = name.empty() ? part : part + "." + name;
    }
    f = doc.Resolve(f->Get("Parent"));
  }
  return name;
}

std::optional<int> DocMdpLevel(const Doc& doc, const PdfObj& sig) {
  const PdfObj* refs = doc.Resolve(sig.Get("Reference"));
  if (refs == nullptr || refs->kind != Kind::kArray) return std::nullopt;
  for (const PdfObj& item : refs->items) {
    const PdfObj* r = doc.Resolve(&item);
    if (r == nullptr || r->kind != Kind::kDict) continue;
    if (NameOf(r->Get("TransformMethod")) != "DocMDP") continue;
    const PdfObj* params = doc.Resolve(r->Get("TransformParams"));
    const PdfObj* p = params != nullptr && params->kind == Kind::kDict ? params->Get("P") : nullptr;
    if (p != nullptr && p->kind == Kind::kInt && p->integer >= 1 && p->integer <= 3) {
      return static_cast<int>(p->integer);
    }
    return 2;  // the default P
  }
  return std::nullopt;
}

// Reads /Action and /Fields of a FieldMDP TransformParams or a /Lock dictionary.
std::optional<FieldLock> ReadLock(const Doc& doc, const PdfObj* dict) {
  dict = doc.Resolve(dict);
  if (dict == nullptr || dict->kind != Kind::kDict) return std::nullopt;
  std::string action = NameOf(doc.Resolve(dict->Get("Action")));
  if (action != "All" && action != "Include" && action != "Exclude") return std::nullopt;
  FieldLock lock;
  lock.action = action;
  const PdfObj* fields = doc.Resolve(dict->Get("Fields"));
  if (fields != nullptr && fields->kind == Kind::kArray) {
    for (const PdfObj& f : fields->items) {
      const PdfObj* name = doc.Resolve(&f);
      if (name != nullptr && name->kind == Kind::kString) lock.fields.push_back(internal::TextStringToUtf8(name->text));
    }
  }
  return lock;
}

// The lock a signature sets: its FieldMDP reference, merged with its field's
// /Lock (the two should agree; when both exist, the union of what they lock is
// kept: "All" wins, otherwise Include lists are joined; an Exclude and an Include
// are kept as the Include, the stricter reading being made by the caller).
std::optional<FieldLock> FieldLockOf(const Doc& doc, const PdfObj& sig, const PdfObj* field) {
  std::vector<FieldLock> found;
  const PdfObj* refs = doc.Resolve(sig.Get("Reference"));
  if (refs != nullptr && refs->kind == Kind::kArray) {
    for (const PdfObj& item : refs->items) {
      const PdfObj* r = doc.Resolve(&item);
      if (r == nullptr || r->kind != Kind::kDict || NameOf(r->Get("TransformMethod")) != "FieldMDP") continue;
      if (auto l = ReadLock(doc, r->Get("TransformParams"))) found.push_back(*l);
    }
  }
  if (field != nullptr) {
    if (auto l = ReadLock(doc, field->Get("Lock"))) found.push_back(*l);
  }
  if (found.empty()) return std::nullopt;
  FieldLock merged = found.front();
  for (size_t i = 1; i < found.size(); ++i) {
    const FieldLock& l = found[i];
    if (merged.action == "All" || l.action == "All") {
      merged = FieldLock{"All", {}};
    } else if (merged.action == l.action && merged.action == "Include") {
      merged.fields.insert(merged.fields.end(), l.fields.begin(), l.fields.end());
    } else if (merged.action == "Exclude" && l.action == "Exclude") {
      // Locked unless excluded by both.
      std::vector<std::string> both;
      for (const std::string& f : merged.fields) {
        if (std::find(l.fields.begin(), l.fields.end(), f) != l.fields.end()) both.push_back(f);
      }
      merged.fields = both;
    } else {
      // One Include, one Exclude: lock what either locks. Approximated as
      // Exclude of the excluded names that the Include does not list.
      const FieldLock& inc = merged.action == "Include" ? merged : l;
      const FieldLock& exc = merged.action == "Include" ? l : merged;
      FieldLock out{"Exclude", {}};
      for (const std::string& f : exc.fields) {
        if (std::find(inc.fields.begin(), inc.fields.end(), f) == inc.fields.end()) out.fields.push_back(f);
      }
      merged = out;
    }
  }
  return merged;
}

// A lock in force for later revisions: set by the signature of field `by`,
// which covers revision `revision`.
struct ActiveLock {
  FieldLock lock;
  std::string by;
  int revision = 0;
};

bool NameMatches(const std::string& name, const std::string& pattern) {
  return name == pattern || (name.size() > pattern.size() && name.compare(0, pattern.size(), pattern) == 0 &&
                             name[pattern.size()] == '.');
}

// Whether `lock` locks the field called `name`. `existed` says whether the
// field existed when the lock was set: All and Exclude lock the fields of the
// signed revision; fields created later are governed by DocMDP only.
bool Locks(const FieldLock& lock, const std::string& name, bool existed) {
  auto listed = [&] {
    return std::any_of(lock.fields.begin(), lock.fields.end(),
                       [&](const std::string& f) { return NameMatches(name, f); });
  };
  if (lock.action == "All") return existed;
  if (lock.action == "Include") return listed();
  if (lock.action == "Exclude") return existed && !listed();
  return false;
}

enum class Cat { kValidation, kForm, kAnnot, kOther };

std::string Describe(const IndirectObject& o) {
  std::string type = NameOf(o.value.Get("Type"));
  std::string s = "object " + std::to_string(o.num);
  if (!type.empty()) s += " /" + type;
  if (o.in_objstm != 0) s += " (in object stream " + std::to_string(o.in_objstm) + ")";
  return s;
}

// Keys whose values differ between two dictionaries.
std::set<std::string> DiffKeys(const PdfObj& a, const PdfObj& b) {
  std::set<std::string> keys;
  for (const auto& kv : a.dict) {
    const PdfObj* other = b.Get(kv.first);
    if (other == nullptr || other->Canonical() != kv.second.Canonical()) keys.insert(kv.first);
  }
  for (const auto& kv : b.dict) {
    if (a.Get(kv.first) == nullptr) keys.insert(kv.first);
  }
  return keys;
}

bool Subset(const std::set<std::string>& keys, std::initializer_list<std::string_view> allowed) {
  for (const std::string& k : keys) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) return false;
  }
  return true;
}

std::string Join(const std::set<std::string>& keys) {
  std::string out;
  for (const std::string& k : keys) out += (out.empty() ? "/" : ", /") + k;
  return out;
}

struct Classified {
  Cat cat;
  std::string detail;
};

bool IsFieldDict(const PdfObj& v) {
  return v.kind == Kind::kDict && (v.Get("FT") != nullptr || v.Get("T") != nullptr ||
                                   (NameOf(v.Get("Subtype")) == "Widget" && v.Get("Parent") != nullptr));
}

struct RevisionContext {
  const Doc& doc;
  const Dss& dss;
  const std::set<uint32_t>& doc_ts_sigs;
  const std::vector<ActiveLock>& locks;  // set by signatures covering earlier revisions
  const std::set<uint32_t>& annots_arrays;  // objects used as a page's /Annots array
  const std::map<uint32_t, size_t>& field_of_value;  // indirect /V object -> field (index in objects)
  size_t rev_begin = 0;
  size_t rev_end = 0;
};

// If the field dictionary `o` (changed in this revision) or the value object
// of such a field is locked, the reason; else empty.
std::string LockViolation(const RevisionContext& ctx, const IndirectObject& o, const PdfObj& field,
                          const std::set<std::string>& changed) {
  std::string name = FieldName(ctx.doc, field);
  if (name.empty()) return {};
  for (const ActiveLock& l : ctx.locks) {
    size_t lock_end = ctx.doc.rev_ends[static_cast<size_t>(l.revision)];
    bool existed = ctx.doc.Before(o.num, lock_end) != nullptr;
    if (!Locks(l.lock, name, existed)) continue;
    return "field \"" + name + "\" is locked by the signature \"" + l.by + "\" (FieldMDP /" + l.lock.action +
           ")" + (changed.empty() ? std::string() : "; changed " + Join(changed)) + ": not permitted";
  }
  return {};
}

// One entry of an /Annots array, as of the end of the revision (`end`).
const PdfObj* AnnotAt(const Doc& doc, const PdfObj& entry, size_t end) {
  if (entry.kind != Kind::kRef) return &entry;
  const IndirectObject* o = doc.Before(entry.ref_num, end);
  return o != nullptr ? &o->value : nullptr;
}

std::string AnnotLabel(const PdfObj& entry, const PdfObj* annot) {
  std::string subtype = annot != nullptr ? NameOf(annot->Get("Subtype")) : "";
  std::string label = "/" + (subtype.empty() ? std::string("(no subtype)") : subtype);
  label += entry.kind == Kind::kRef ? " (object " + std::to_string(entry.ref_num) + ")" : " (inline)";
  return label;
}

// Compares two /Annots arrays: added or removed annotations. Widgets of form
// fields are form changes; any other annotation added or removed is an
// annotation change (DocMDP P=3 only).
Classified DiffAnnots(const RevisionContext& ctx, const PdfObj* before, const PdfObj* after,
                      const std::string& where) {
  std::vector<const PdfObj*> old_items, new_items;
  if (before != nullptr && before->kind == Kind::kArray) {
    for (const PdfObj& i : before->items) old_items.push_back(&i);
  }
  if (after != nullptr && after->kind == Kind::kArray) {
    for (const PdfObj& i : after->items) new_items.push_back(&i);
  }
  auto contains = [](const std::vector<const PdfObj*>& list, const PdfObj& item) {
    std::string c = item.Canonical();
    return std::any_of(list.begin(), list.end(), [&](const PdfObj* x) { return x->Canonical() == c; });
  };
  Cat cat = Cat::kForm;
  std::string detail;
  auto note = [&](const std::string& what, Cat c) {
    detail += (detail.empty() ? "" : ", ") + what;
    if (c > cat) cat = c;
  };
  for (const PdfObj* item : new_items) {
    if (contains(old_items, *item)) continue;
    const PdfObj* annot = AnnotAt(ctx.doc, *item, ctx.rev_end);
    bool widget = annot != nullptr && annot->kind == Kind::kDict && NameOf(annot->Get("Subtype")) == "Widget";
    note("added " + AnnotLabel(*item, annot), widget ? Cat::kForm : Cat::kAnnot);
  }
  for (const PdfObj* item : old_items) {
    if (contains(new_items, *item)) continue;
    note("removed " + AnnotLabel(*item, AnnotAt(ctx.doc, *item, ctx.rev_begin)), Cat::kAnnot);
  }
  if (detail.empty()) detail = "reordered";
  return {cat, where + ": annotations " + detail};
}

Classified ClassifyObject(const RevisionContext& ctx, const IndirectObject& o) {
  const Doc& doc = ctx.doc;
  const Dss& dss = ctx.dss;
  const std::set<uint32_t>& doc_ts_sigs = ctx.doc_ts_sigs;
  const size_t rev_begin = ctx.rev_begin;
  const PdfObj& v = o.value;
  std::string type = NameOf(v.Get("Type"));
  const IndirectObject* prev = doc.Before(o.num, rev_begin);
  bool unchanged = prev != nullptr && prev->value.Canonical() == v.Canonical() &&
                   prev->stream == o.stream;
  if (unchanged) return {Cat::kValidation, Describe(o) + " rewritten unchanged"};
  if (dss.objects.count(o.num) != 0 || IsDssDict(v)) return {Cat::kValidation, Describe(o) + ": DSS/VRI validation data"};
  if (IsSignatureDict(v)) {
    if (IsDocTimestamp(v)) return {Cat::kValidation, Describe(o) + ": document timestamp"};
    return {Cat::kForm, Describe(o) + ": a new signature"};
  }
  if (const PdfObj* val = v.Get("V"); val != nullptr && val->kind == Kind::kRef &&
                                      doc_ts_sigs.count(val->ref_num) != 0) {
    return {Cat::kValidation, Describe(o) + ": document timestamp field"};
  }
  if (type == "Catalog") {
    if (prev == nullptr) return {Cat::kOther, Describe(o) + ": a new document catalog"};
    std::set<std::string> diff = DiffKeys(prev->value, v);
    if (Subset(diff, {"DSS", "Extensions"})) return {Cat::kValidation, Describe(o) + ": catalog, changed " + Join(diff)};
    if (Subset(diff, {"DSS", "Extensions", "AcroForm"})) return {Cat::kForm, Describe(o) + ": catalog, changed " + Join(diff)};
    return {Cat::kOther, Describe(o) + ": catalog, changed " + Join(diff)};
  }
  if (type == "Page") {
    if (prev == nullptr) return {Cat::kOther, Describe(o) + ": a page added"};
    std::set<std::string> diff = DiffKeys(prev->value, v);
    if (!Subset(diff, {"Annots"})) return {Cat::kOther, Describe(o) + ": page changed " + Join(diff)};
    const PdfObj* before = prev->value.Get("Annots");
    const PdfObj* after = v.Get("Annots");
    // An indirect /Annots array: resolved as of the start and end of this revision.
    if (before != nullptr && before->kind == Kind::kRef) {
      const IndirectObject* a = doc.Before(before->ref_num, rev_begin);
      before = a != nullptr ? &a->value : nullptr;
    }
    if (after != nullptr && after->kind == Kind::kRef) {
      const IndirectObject* a = doc.Before(after->ref_num, ctx.rev_end);
      after = a != nullptr ? &a->value : nullptr;
    }
    return DiffAnnots(ctx, before, after, Describe(o) + ": page");
  }
  if (ctx.annots_arrays.count(o.num) != 0 && v.kind == Kind::kArray) {
    return DiffAnnots(ctx, prev != nullptr ? &prev->value : nullptr, &v, Describe(o) + ": /Annots array");
  }
  if (IsFieldDict(v) && prev != nullptr) {
    std::string why = LockViolation(ctx, o, v, DiffKeys(prev->value, v));
    if (!why.empty()) return {Cat::kOther, Describe(o) + ": " + why};
  }
  if (prev != nullptr && !ctx.locks.empty()) {
    // The value object of a locked field (a /V written indirectly).
    auto f = ctx.field_of_value.find(o.num);
    if (f != ctx.field_of_value.end()) {
      std::string why = LockViolation(ctx, doc.objects[f->second], doc.objects[f->second].value, {});
      if (!why.empty()) return {Cat::kOther, Describe(o) + ": value of " + why};
    }
  }
  if (v.kind == Kind::kDict && (v.Get("FT") != nullptr || NameOf(v.Get("Subtype")) == "Widget")) {
    return {Cat::kForm, Describe(o) + ": form field or widget"};
  }
  if (v.kind == Kind::kDict && v.Get("Fields") != nullptr && type.empty()) {
    return {Cat::kForm, Describe(o) + ": interactive form dictionary"};
  }
  if (v.kind == Kind::kDict && (type == "Annot" || (v.Get("Rect") != nullptr && v.Get("Subtype") != nullptr && !o.has_stream))) {
    return {Cat::kAnnot, Describe(o) + ": annotation /" + NameOf(v.Get("Subtype"))};
  }
  if (o.has_stream && prev == nullptr && NameOf(v.Get("Subtype")) == "Form") {
    return {Cat::kForm, Describe(o) + ": a new appearance stream"};
  }
  if (o.has_stream && (type == "XRef" || type == "ObjStm")) {
    return {Cat::kValidation, Describe(o) + ": cross-reference/object stream container"};
  }
  if (v.kind == Kind::kArray &&
      std::all_of(v.items.begin(), v.items.end(), [](const PdfObj& i) { return i.kind == Kind::kRef; })) {
    return {Cat::kForm, Describe(o) + ": array of references (annotations or fields)"};
  }
  if (type == "Metadata") return {Cat::kForm, Describe(o) + ": XMP metadata updated"};
  if (v.kind == Kind::kDict && type.empty() && !o.has_stream && !v.dict.empty()) {
    std::set<std::string> keys;
    for (const auto& kv : v.dict) keys.insert(kv.first);
    if (Subset(keys, {"CreationDate", "ModDate", "Producer", "Creator", "Title", "Author",
                      "Subject", "Keywords", "Trapped"})) {
      return {Cat::kForm, Describe(o) + ": document information (metadata) updated"};
    }
  }
  return {Cat::kOther, Describe(o) + (prev == nullptr ? ": added" : ": changed")};
}

RevisionChange ClassifyRevision(const Doc& doc, const Dss& dss, const std::set<uint32_t>& doc_ts_sigs,
                                const std::vector<ActiveLock>& all_locks, const std::set<uint32_t>& annots_arrays,
                                const std::map<uint32_t, size_t>& field_of_value, int rev,
                                std::optional<int> docmdp) {
  RevisionChange change;
  change.revision = rev;
  change.begin = rev == 0 ? 0 : doc.rev_ends[static_cast<size_t>(rev) - 1];
  change.end = doc.rev_ends[static_cast<size_t>(rev)];
  std::vector<ActiveLock> locks;
  for (const ActiveLock& l : all_locks) {
    if (l.revision < rev) locks.push_back(l);
  }
  RevisionContext ctx{doc,           dss,
                      doc_ts_sigs,   locks,
                      annots_arrays, field_of_value,
                      static_cast<size_t>(change.begin), static_cast<size_t>(change.end)};
  bool other = false, form = false, annot = false;
  for (const IndirectObject& o : doc.objects) {
    if (o.offset < change.begin || o.offset >= change.end) continue;
    Classified c = ClassifyObject(ctx, o);
    switch (c.cat) {
      case Cat::kValidation: break;
      case Cat::kForm: form = true; break;
      case Cat::kAnnot: annot = true; break;
      case Cat::kOther: other = true; break;
    }
    if (c.cat != Cat::kValidation || change.details.size() < 50) change.details.push_back(c.detail);
  }
  if (other) {
    change.change = ChangeClass::kOther;
  } else if (form || annot) {
    int level = docmdp.value_or(0);
    bool allowed = level == 0 || (level == 3) || (level == 2 && !annot);
    change.change = allowed ? ChangeClass::kPermitted : ChangeClass::kOther;
    if (!allowed) {
      change.details.push_back("the certification (DocMDP P=" + std::to_string(level) +
                               ") does not permit these changes");
    } else if (level == 0) {
      change.details.push_back("no DocMDP restriction: form filling, signing and annotations are permitted");
    }
  } else {
    change.change = ChangeClass::kValidationData;
  }
  return change;
}

// Whether a trailer (classic, or of a cross-reference stream) names an
// /Encrypt dictionary: strings such as field names are then encrypted (the
// signature's /Contents and the signed bytes never are, ISO 32000-1 7.6.1).
bool IsEncrypted(const Doc& doc) {
  for (const IndirectObject& o : doc.objects) {
    if (NameOf(o.value.Get("Type")) == "XRef" && o.value.Get("Encrypt") != nullptr) return true;
  }
  size_t at = 0;
  for (int n = 0; n < 4096; ++n) {
    at = doc.data.find("trailer", at);
    if (at == std::string_view::npos) return false;
    at += 7;
    size_t pos = at;
    auto t = internal::ParseObject(doc.data, &pos);
    if (t.ok() && t->kind == Kind::kDict && t->Get("Encrypt") != nullptr) return true;
  }
  return false;
}

// A signature dictionary as found through the document's fields.
struct FoundSig {
  const IndirectObject* holder = nullptr;  // the indirect object whose bytes hold the dictionary
  const PdfObj* dict = nullptr;            // holder->value, or a direct /V inside it
  std::vector<std::string> fields;         // names of every field whose /V it is, first seen first
  const PdfObj* field = nullptr;           // the first such field dictionary (for /Lock)
  int first_snapshot = -1;                 // the first revision whose field tree reaches it
  std::vector<std::string> notes;
};

// Whether a field's /V is meant as a signature: a dictionary typed /Sig or
// /DocTimeStamp, or carrying /ByteRange or /Contents (a damaged or forged
// signature is still reported, as malformed).
bool LooksLikeSignature(const PdfObj& v) {
  if (v.kind != Kind::kDict) return false;
  std::string type = NameOf(v.Get("Type"));
  return type == "Sig" || type == "DocTimeStamp" || v.Get("ByteRange") != nullptr || v.Get("Contents") != nullptr;
}

// Walks the field tree of one revision (definitions as of `end`): every
// field reachable from the AcroForm /Fields, through nested /Kids, and from
// the widgets in the pages' /Annots (with their /Parent chain), so that a
// signature field missing from /Fields is found as viewers find it.
class FieldWalk {
 public:
  // `encrypted_names`: field names are encrypted strings, not shown.
  FieldWalk(const Doc& doc, size_t end, int snapshot, bool encrypted_names, std::vector<FoundSig>* found,
            std::map<const PdfObj*, size_t>* index, size_t* budget)
      : doc_(doc), end_(end), snapshot_(snapshot), encrypted_names_(encrypted_names), found_(found), index_(index),
        budget_(budget) {}

  void Root(const PdfObj* ref_or_dict, const IndirectObject* holder) {
    const IndirectObject* h = holder;
    const PdfObj* node = doc_.ResolveAt(ref_or_dict, end_, &h);
    if (node == nullptr || node->kind != Kind::kDict) return;
    // A widget or kid reached from a page: start from its top ancestor.
    std::vector<std::pair<const PdfObj*, const IndirectObject*>> chain{{node, h}};
    for (int depth = 0; depth < 32; ++depth) {
      const IndirectObject* ph = chain.back().second;
      const PdfObj* parent = doc_.ResolveAt(chain.back().first->Get("Parent"), end_, &ph);
      if (parent == nullptr || parent->kind != Kind::kDict || parent == chain.back().first) break;
      if (std::any_of(chain.begin(), chain.end(), [&](const auto& c) { return c.first == parent; })) break;
      chain.emplace_back(parent, ph);
    }
    Node(chain.back().first, chain.back().second, "", "", 0);
  }

 private:
  void Node(const PdfObj* node, const IndirectObject* holder, const std::string& parent_name,
            const std::string& parent_ft, int depth) {
    if (depth > 32 || *budget_ == 0 || !visited_.insert(node).second) return;
    --*budget_;
    std::string name = parent_name;
    if (const PdfObj* t = node->Get("T"); !encrypted_names_ && t != nullptr && t->kind == Kind::kString) {
      std::string part = internal::TextStringToUtf8(t->text);
      name = name.empty() ? part : name + "." + part;
    }
    std::string ft = node->Get("FT") != nullptr ? NameOf(node->Get("FT")) : parent_ft;
    if (const PdfObj* v = node->Get("V"); v != nullptr) {
      const IndirectObject* vh = holder;
      const PdfObj* value = doc_.ResolveAt(v, end_, &vh);
      if (value != nullptr && vh != nullptr && (ft == "Sig" || IsSignatureDict(*value)) && LooksLikeSignature(*value)) {
        Record(vh, value, name.empty() ? "(object " + std::to_string(holder != nullptr ? holder->num : vh->num) + ")" : name,
               node);
      }
    }
    const PdfObj* kids = doc_.ResolveAt(node->Get("Kids"), end_, nullptr);
    if (kids == nullptr || kids->kind != Kind::kArray) return;
    for (const PdfObj& k : kids->items) {
      const IndirectObject* kh = holder;
      const PdfObj* kid = doc_.ResolveAt(&k, end_, &kh);
      if (kid != nullptr && kid->kind == Kind::kDict) Node(kid, kh, name, ft, depth + 1);
    }
  }

  void Record(const IndirectObject* holder, const PdfObj* dict, const std::string& name, const PdfObj* field) {
    auto [it, added] = index_->emplace(dict, found_->size());
    if (added) {
      FoundSig f;
      f.holder = holder;
      f.dict = dict;
      f.field = field;
      f.first_snapshot = snapshot_;
      found_->push_back(std::move(f));
    }
    FoundSig& f = (*found_)[it->second];
    if (std::find(f.fields.begin(), f.fields.end(), name) == f.fields.end()) f.fields.push_back(name);
  }

  const Doc& doc_;
  size_t end_;
  int snapshot_;
  bool encrypted_names_;
  std::vector<FoundSig>* found_;
  std::map<const PdfObj*, size_t>* index_;
  size_t* budget_;
  std::set<const PdfObj*> visited_;
};

std::string ByteRangeText(const PdfObj& sig) {
  const PdfObj* br = sig.Get("ByteRange");
  return br != nullptr ? br->Canonical() : "(none)";
}

// Every signature of the document: the /V of every signature field of every
// revision, each signature dictionary once however many fields refer to it,
// and each signature value once however many dictionaries carry it (the
// dictionary that appeared first is kept; the others are noted).
// Signature dictionaries that no field refers to are document problems, not
// signatures, unless no field tree could be read at all.
std::vector<FoundSig> FindSignatures(const Doc& doc, std::vector<std::string>* problems) {
  std::vector<FoundSig> found;
  std::map<const PdfObj*, size_t> index;
  std::set<uint32_t> catalogs, pages;
  for (const IndirectObject& o : doc.objects) {
    std::string type = NameOf(o.value.Get("Type"));
    if (type == "Catalog") catalogs.insert(o.num);
    if (type == "Page") pages.insert(o.num);
  }
  std::vector<size_t> ends = doc.rev_ends;
  if (ends.empty() || ends.back() < doc.data.size()) ends.push_back(doc.data.size());
  size_t budget = 2'000'000;
  bool form_read = false;
  bool encrypted = IsEncrypted(doc);
  if (encrypted) {
    problems->push_back("the document is encrypted: field names are encrypted strings and not shown "
                        "(signatures are read and verified: their values and signed bytes are not encrypted)");
  }
  for (size_t r = 0; r < ends.size(); ++r) {
    FieldWalk walk(doc, ends[r], static_cast<int>(r), encrypted, &found, &index, &budget);
    for (uint32_t num : catalogs) {
      const IndirectObject* cat = doc.Before(num, ends[r]);
      if (cat == nullptr || NameOf(cat->value.Get("Type")) != "Catalog") continue;
      form_read = true;
      const IndirectObject* ah = cat;
      const PdfObj* acro = doc.ResolveAt(cat->value.Get("AcroForm"), ends[r], &ah);
      const PdfObj* fields = acro != nullptr && acro->kind == Kind::kDict
                                 ? doc.ResolveAt(acro->Get("Fields"), ends[r], nullptr)
                                 : nullptr;
      if (fields == nullptr || fields->kind != Kind::kArray) continue;
      for (const PdfObj& f : fields->items) walk.Root(&f, ah);
    }
    for (uint32_t num : pages) {
      const IndirectObject* page = doc.Before(num, ends[r]);
      if (page == nullptr || NameOf(page->value.Get("Type")) != "Page") continue;
      const PdfObj* annots = doc.ResolveAt(page->value.Get("Annots"), ends[r], nullptr);
      if (annots == nullptr || annots->kind != Kind::kArray) continue;
      for (const PdfObj& a : annots->items) {
        const IndirectObject* h = page;
        const PdfObj* annot = doc.ResolveAt(&a, ends[r], &h);
        if (annot != nullptr && annot->kind == Kind::kDict && NameOf(annot->Get("Subtype")) == "Widget") {
          walk.Root(&a, page);
        }
      }
    }
  }
  if (budget == 0) {
    problems->push_back("the field trees are too large: the walk stopped after 2,000,000 field nodes, "
                        "signatures of later revisions may be missing");
  }
  // One signature per signature value.
  std::vector<FoundSig> out;
  std::map<std::string, size_t> by_value;
  for (FoundSig& f : found) {
    const PdfObj* c = f.dict->Get("Contents");
    std::string value = c != nullptr && c->kind == Kind::kString ? c->text : std::string();
    while (!value.empty() && value.back() == '\0') value.pop_back();  // zero padding of the hole
    auto [it, added] = by_value.emplace(value, out.size());
    if (value.empty() || added) {
      if (value.empty()) by_value.erase(it);
      out.push_back(std::move(f));
      continue;
    }
    FoundSig& kept = out[it->second];
    // `kept` becomes the dictionary that appeared first (the one the value
    // was made for; later copies are what an attacker would add); `f` the other.
    if (f.first_snapshot < kept.first_snapshot ||
        (f.first_snapshot == kept.first_snapshot && f.holder->offset < kept.holder->offset)) {
      std::swap(kept, f);
      kept.notes.insert(kept.notes.end(), f.notes.begin(), f.notes.end());
    }
    const FoundSig* other = &f;
    for (const std::string& n : other->fields) {
      if (std::find(kept.fields.begin(), kept.fields.end(), n) == kept.fields.end()) kept.fields.push_back(n);
    }
    std::string where = "object " + std::to_string(other->holder->num);
    if (ByteRangeText(*other->dict) == ByteRangeText(*kept.dict)) {
      kept.notes.push_back("the same signature is also written in " + where + "; counted once");
    } else {
      kept.notes.push_back("another signature dictionary (" + where + ") carries the same signature value with /ByteRange " +
                           ByteRangeText(*other->dict) + ": counted once, as the dictionary that appeared first");
    }
  }
  std::sort(out.begin(), out.end(), [](const FoundSig& a, const FoundSig& b) {
    return a.holder->offset != b.holder->offset ? a.holder->offset < b.holder->offset : a.dict->begin < b.dict->begin;
  });
  // Signature dictionaries no field refers to.
  std::set<std::string> values;
  for (const FoundSig& f : out) {
    const PdfObj* c = f.dict->Get("Contents");
    if (c != nullptr) values.insert(c->text);
  }
  std::vector<FoundSig> orphans;
  for (const auto& [num, idx] : doc.latest) {
    const IndirectObject& o = doc.objects[idx];
    if (!IsSignatureDict(o.value) || index.count(&o.value) != 0) continue;
    if (values.count(o.value.Get("Contents")->text) != 0) continue;
    if (form_read) {
      bool ur = false;
      for (uint32_t c : catalogs) {
        const PdfObj* perms = doc.Resolve(doc.Latest(c)->value.Get("Perms"));
        const PdfObj* ur3 = perms != nullptr && perms->kind == Kind::kDict ? perms->Get("UR3") : nullptr;
        if (ur3 == nullptr) ur3 = perms != nullptr && perms->kind == Kind::kDict ? perms->Get("UR") : nullptr;
        ur |= ur3 != nullptr && ur3->kind == Kind::kRef && ur3->ref_num == num;
      }
      problems->push_back("object " + std::to_string(num) + " is a signature dictionary that no signature field refers to" +
                          (ur ? " (the usage-rights signature of /Perms)" : "") + ": not reported as a signature");
      continue;
    }
    FoundSig f;
    f.holder = &o;
    f.dict = &o.value;
    f.notes.push_back("no signature field refers to this signature dictionary (the document's form could not be read)");
    orphans.push_back(std::move(f));
  }
  for (FoundSig& f : orphans) out.push_back(std::move(f));
  std::stable_sort(out.begin(), out.end(), [](const FoundSig& a, const FoundSig& b) {
    return a.holder->offset < b.holder->offset;
  });
  return out;
}

// Verifies the signature dictionary `sig`, written in the bytes of `sig_obj`
// (the dictionary itself, or a field holding it as a direct /V).
void VerifyOne(const Doc& doc, const Dss& dss, const IndirectObject& sig_obj, const PdfObj& sig,
               const VerifyOptions& options, SignatureReport* rep) {
  std::string_view data = doc.data;
  rep->object = sig_obj.num;
  rep->subfilter = NameOf(sig.Get("SubFilter"));
  rep->document_timestamp = IsDocTimestamp(sig);
  if (sig_obj.in_objstm != 0) rep->problems.push_back("signature dictionary inside an object stream");
  if (const PdfObj* m = sig.Get("M"); m != nullptr && m->kind == Kind::kString) {
    rep->signing_time = ParsePdfDate(m->text);
  }
  const PdfObj* br = doc.ResolveAt(sig.Get("ByteRange"), doc.data.size(), nullptr);
  const PdfObj* contents = sig.Get("Contents");
  if (br == nullptr || br->kind != Kind::kArray || contents == nullptr || contents->kind != Kind::kString) {
    rep->integrity = x509::Integrity::kMalformed;
    rep->problems.push_back(std::string("the signature dictionary has no ") +
                            (br == nullptr || br->kind != Kind::kArray ? "/ByteRange array" : "/Contents string") +
                            ": nothing is signed");
    return;
  }
  if (sig.Get("ByteRange")->kind == Kind::kRef) rep->problems.push_back("/ByteRange is an indirect object");
  bool br_ok = !br->items.empty() && br->items.size() % 2 == 0 && br->items.size() <= 64;
  for (const PdfObj& i : br->items) {
    if (i.kind != Kind::kInt || i.integer < 0) br_ok = false;
    rep->byte_range.push_back(i.kind == Kind::kInt ? i.integer : -1);
  }
  if (!br_ok) {
    rep->integrity = x509::Integrity::kMalformed;
    rep->problems.push_back("ByteRange must be pairs of non-negative integers");
    return;
  }
  auto u = [&](size_t i) { return static_cast<uint64_t>(rep->byte_range[i]); };
  uint64_t size = data.size();
  // Ranges must lie in the file, ascending and without overlap.
  uint64_t prev_end = 0;
  for (size_t i = 0; i < rep->byte_range.size(); i += 2) {
    if (u(i) > size || u(i + 1) > size - u(i) || (i > 0 && u(i) < prev_end)) {
      rep->integrity = x509::Integrity::kMalformed;
      rep->problems.push_back("ByteRange overlaps or lies beyond the end of the file (" +
                              std::to_string(size) + " bytes)");
      return;
    }
    prev_end = u(i) + u(i + 1);
  }
  bool standard = rep->byte_range.size() == 4;
  if (!standard) {
    rep->problems.push_back("ByteRange has " + std::to_string(rep->byte_range.size() / 2) +
                            " range(s); a signature must cover two ranges around /Contents");
  }
  if (u(0) != 0) rep->problems.push_back("ByteRange does not start at offset 0");
  bool gap_ok = standard && sig_obj.in_objstm == 0 && u(0) + u(1) == contents->begin &&
                u(2) == contents->end;
  if (standard && !gap_ok) {
    rep->problems.push_back("the ByteRange gap [" + std::to_string(u(0) + u(1)) + ", " +
                            std::to_string(u(2)) + ") is not exactly the /Contents string [" +
                            std::to_string(contents->begin) + ", " + std::to_string(contents->end) + ")");
  }
  if (!contents->hex) rep->problems.push_back("/Contents is not a hexadecimal string");
  uint64_t signed_end = prev_end;
  for (size_t i = 0; i < doc.rev_ends.size(); ++i) {
    if (doc.rev_ends[i] == signed_end) rep->revision = static_cast<int>(i);
  }
  if (rep->revision < 0) {
    rep->problems.push_back("the signed range ends at offset " + std::to_string(signed_end) +
                            ", which is not the end of a revision");
  }
  rep->covers_whole_document = u(0) == 0 && gap_ok && signed_end == size;
  for (uint64_t p = signed_end; p < size; ++p) {
    if (!IsPdfWhiteSpace(data[p])) {
      rep->modified_after_signing = true;
      break;
    }
  }
  std::string content;
  for (size_t i = 0; i < rep->byte_range.size(); i += 2) content.append(data.substr(u(i), u(i + 1)));
  const std::string& der = contents->text;

  std::vector<std::string> intermediates = dss.certs;
  x509::RevocationData revocation = dss.revocation;
  if (rep->subfilter == "adbe.x509.rsa_sha1") {
    rep->integrity = x509::Integrity::kUnsupported;
    rep->problems.push_back("legacy sub-filter adbe.x509.rsa_sha1 (PKCS#1 signature) is not verified");
  } else if (rep->document_timestamp) {
    x509::TimestampCheck t = x509::VerifyTimestampToken(der, content);
    rep->integrity = t.integrity == x509::Integrity::kValid && !t.imprint_matches
                         ? x509::Integrity::kDigestMismatch
                         : t.integrity;
    rep->problems.insert(rep->problems.end(), t.problems.begin(), t.problems.end());
    rep->signer = t.tsa.common_name;
    rep->signer_cert = t.tsa;
    rep->digest_algorithm = t.hash_algorithm;
    TimestampReport ts;
    ts.valid = t.ok();
    ts.time = t.gen_time;
    ts.tsa = t.tsa.common_name;
    ts.problems = t.problems;
    intermediates.insert(intermediates.end(), t.certs_der.begin(), t.certs_der.end());
    x509::TrustOptions topt;
    topt.at = t.gen_time != 0 ? t.gen_time : options.now;
    topt.timestamping = true;
    ts.trust = x509::EvaluateTrust(t.tsa_cert_der, intermediates, options.trust_store, revocation, topt);
    rep->trust = ts.trust;
    rep->validation_time = topt.at;
    rep->validation_time_source = "document-timestamp";
    rep->signing_time = t.gen_time;
    rep->timestamp = std::move(ts);
  } else {
    if (rep->subfilter != "adbe.pkcs7.detached" && rep->subfilter != "ETSI.CAdES.detached" &&
        rep->subfilter != "adbe.pkcs7.sha1") {
      rep->problems.push_back("unknown sub-filter /" + rep->subfilter + "; verified as detached CMS");
    }
    std::optional<std::string_view> detached = std::string_view(content);
    if (rep->subfilter == "adbe.pkcs7.sha1") detached.reset();  // SHA-1 of the ranges is encapsulated
    x509::CmsCheck c = x509::VerifyCms(der, detached);
    if (rep->subfilter == "adbe.pkcs7.sha1" && c.integrity == x509::Integrity::kValid) {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int md_len = 0;
      EVP_Digest(content.data(), content.size(), md, &md_len, EVP_sha1(), nullptr);
      if (c.econtent != std::string_view(reinterpret_cast<const char*>(md), md_len)) {
        c.integrity = x509::Integrity::kDigestMismatch;
        c.problems.push_back("the encapsulated SHA-1 does not match the signed bytes");
      }
    }
    rep->integrity = c.integrity;
    rep->problems.insert(rep->problems.end(), c.problems.begin(), c.problems.end());
    rep->signer = c.signer.common_name;
    rep->signer_cert = c.signer;
    rep->digest_algorithm = c.digest_algorithm;
    rep->signature_algorithm = c.signature_algorithm;
    rep->weak_digest = c.weak_digest;
    if (c.signing_time.has_value()) rep->signing_time = c.signing_time;
    intermediates.insert(intermediates.end(), c.certs_der.begin(), c.certs_der.end());
    revocation.Append(c.embedded_revocation);
    rep->validation_time = options.now;
    rep->validation_time_source = "now";
    if (c.timestamp.has_value()) {
      TimestampReport ts;
      ts.valid = c.timestamp->ok();
      ts.time = c.timestamp->gen_time;
      ts.tsa = c.timestamp->tsa.common_name;
      ts.problems = c.timestamp->problems;
      std::vector<std::string> tsa_chain = intermediates;
      tsa_chain.insert(tsa_chain.end(), c.timestamp->certs_der.begin(), c.timestamp->certs_der.end());
      x509::TrustOptions topt;
      topt.at = ts.time;
      topt.timestamping = true;
      ts.trust = x509::EvaluateTrust(c.timestamp->tsa_cert_der, tsa_chain, options.trust_store, revocation, topt);
      if (ts.valid && ts.trust.trust != x509::Trust::kUntrusted) {
        rep->validation_time = ts.time;
        rep->validation_time_source = "signature-timestamp";
      }
      rep->timestamp = std::move(ts);
    }
    x509::TrustOptions opt;
    opt.at = rep->validation_time;
    rep->trust = x509::EvaluateTrust(c.signer_cert_der, intermediates, options.trust_store, revocation, opt);
    rep->signing_certificate = c.signing_cert;
    rep->policy = c.policy;
    for (size_t i = 0; i < c.signers.size(); ++i) {
      const x509::SignerCheck& sc = c.signers[i];
      SignerReport sr;
      sr.signer = sc.signer.common_name;
      sr.signer_cert = sc.signer;
      sr.signer_identifier = sc.signer_identifier;
      sr.integrity = sc.integrity;
      if (i == 0) sr.integrity = c.signers.size() == 1 ? c.integrity : sc.integrity;
      sr.problems = sc.problems;
      sr.digest_algorithm = sc.digest_algorithm;
      sr.signature_algorithm = sc.signature_algorithm;
      sr.weak_digest = sc.weak_digest;
      sr.signing_time = sc.signing_time;
      sr.signing_certificate = sc.signing_cert;
      sr.policy = sc.policy;
      sr.trust = i == 0 ? rep->trust
                        : x509::EvaluateTrust(sc.signer_cert_der, intermediates, options.trust_store, revocation, opt);
      rep->signers.push_back(std::move(sr));
    }
  }
}

}  // namespace

std::string_view ChangeClassName(ChangeClass c) {
  switch (c) {
    case ChangeClass::kValidationData: return "validation-data";
    case ChangeClass::kPermitted: return "permitted";
    case ChangeClass::kOther: return "other";
  }
  return "other";
}

Result<PdfReport> VerifyPdfSignatures(std::string_view pdf, const VerifyOptions& options) {
  size_t header = pdf.find("%PDF-");
  if (header == std::string_view::npos) return InvalidArgumentError("not a PDF: no %PDF- header");
  Doc doc;
  doc.data = pdf;
  doc.objects = internal::ScanObjects(pdf);
  doc.rev_ends = internal::RevisionEnds(pdf);
  for (size_t i = 0; i < doc.objects.size(); ++i) {
    doc.latest[doc.objects[i].num] = i;
    doc.versions[doc.objects[i].num].push_back(i);
  }
  PdfReport report;
  if (header >= 1024) {
    report.problems.push_back("the %PDF- header is at offset " + std::to_string(header) +
                              ", not within the first 1024 bytes; read anyway (ByteRange offsets count from the start of the file)");
  } else if (header > 0) {
    report.problems.push_back("the file has " + std::to_string(header) + " bytes before its %PDF- header");
  }
  report.size = pdf.size();
  report.revisions = doc.rev_ends.size();
  if (doc.rev_ends.empty()) report.problems.push_back("no %%EOF marker: the file is truncated or damaged");
  size_t last_end = doc.rev_ends.empty() ? 0 : doc.rev_ends.back();
  bool trailing = false;
  for (size_t p = last_end; p < pdf.size(); ++p) {
    if (!IsPdfWhiteSpace(pdf[p])) trailing = true;
  }
  if (trailing && !doc.rev_ends.empty()) {
    report.problems.push_back(std::to_string(pdf.size() - last_end) +
                              " bytes after the last %%EOF are not part of any revision");
  }
  Dss dss = CollectDss(doc);
  std::vector<FoundSig> found = FindSignatures(doc, &report.problems);
  std::set<uint32_t> doc_ts_sigs;
  for (const FoundSig& f : found) {
    if (IsDocTimestamp(*f.dict) && f.holder->value.kind == Kind::kDict && &f.holder->value == f.dict) {
      doc_ts_sigs.insert(f.holder->num);
    }
  }
  for (const FoundSig& f : found) {
    SignatureReport rep;
    rep.fields = f.fields;
    rep.field = f.fields.empty() ? "(object " + std::to_string(f.holder->num) + ")" : f.fields.front();
    rep.docmdp_level = DocMdpLevel(doc, *f.dict);
    rep.field_lock = FieldLockOf(doc, *f.dict, f.field);
    rep.problems = f.notes;
    VerifyOne(doc, dss, *f.holder, *f.dict, options, &rep);
    report.signatures.push_back(std::move(rep));
  }
  std::vector<ActiveLock> locks;
  for (const SignatureReport& rep : report.signatures) {
    if (rep.field_lock && rep.revision >= 0) locks.push_back({*rep.field_lock, rep.field, rep.revision});
  }
  std::map<uint32_t, size_t> field_of_value;
  for (const auto& [num, idx] : doc.latest) {
    const PdfObj& v = doc.objects[idx].value;
    const PdfObj* val = IsFieldDict(v) ? v.Get("V") : nullptr;
    if (val != nullptr && val->kind == Kind::kRef) field_of_value[val->ref_num] = idx;
  }
  // Every object ever used as a page's indirect /Annots array.
  std::set<uint32_t> annots_arrays;
  for (const IndirectObject& o : doc.objects) {
    if (NameOf(o.value.Get("Type")) != "Page") continue;
    const PdfObj* a = o.value.Get("Annots");
    if (a != nullptr && a->kind == Kind::kRef) annots_arrays.insert(a->ref_num);
  }
  // Document timestamps bound the signing time of what they cover.
  for (SignatureReport& rep : report.signatures) {
    if (rep.document_timestamp || rep.validation_time_source == "signature-timestamp") continue;
    for (const SignatureReport& ts : report.signatures) {
      if (!ts.document_timestamp || !ts.timestamp || !ts.timestamp->valid) continue;
      if (ts.revision < rep.revision || rep.revision < 0) continue;
      if (ts.timestamp->trust.trust == x509::Trust::kUntrusted) continue;
      if (rep.validation_time_source == "now" || ts.timestamp->time < rep.validation_time) {
        rep.validation_time = ts.timestamp->time;
        rep.validation_time_source = "document-timestamp";
      }
    }
  }
  // Certification level of the document: the lowest P of a certification signature.
  std::optional<int> doc_mdp;
  for (const SignatureReport& rep : report.signatures) {
    if (rep.docmdp_level && (!doc_mdp || *rep.docmdp_level < *doc_mdp)) doc_mdp = rep.docmdp_level;
  }
  std::map<int, RevisionChange> classified;
  for (SignatureReport& rep : report.signatures) {
    if (rep.revision >= 0) {
      for (size_t r = static_cast<size_t>(rep.revision) + 1; r < doc.rev_ends.size(); ++r) {
        int ri = static_cast<int>(r);
        if (classified.count(ri) == 0) classified[ri] = ClassifyRevision(doc, dss, doc_ts_sigs, locks, annots_arrays, field_of_value, ri, doc_mdp);
        rep.changes.push_back(classified[ri]);
      }
    }
    if (trailing || (rep.revision < 0 && rep.modified_after_signing)) {
      RevisionChange tail;
      tail.revision = static_cast<int>(doc.rev_ends.size());
      tail.begin = last_end;
      if (rep.revision < 0 && rep.byte_range.size() >= 2) {
        // End of the last signed range; the values come from the file, so
        // clamp instead of trusting them (negative or overflowing sums).
        int64_t start = rep.byte_range[rep.byte_range.size() - 2];
        int64_t len = rep.byte_range.back();
        int64_t end = 0;
        if (start >= 0 && len >= 0 && !__builtin_add_overflow(start, len, &end)) {
          tail.begin = std::min<uint64_t>(static_cast<uint64_t>(end), pdf.size());
        }
      }
      tail.end = pdf.size();
      tail.change = ChangeClass::kOther;
      tail.details.push_back("bytes after the signed range that are not a complete revision");
      rep.changes.push_back(tail);
    }
    bool other_change = false;
    for (const RevisionChange& c : rep.changes) other_change |= c.change == ChangeClass::kOther;
    if (other_change) rep.problems.push_back("the document was changed after signing in a way that is not permitted (see changes)");
    if (rep.integrity != x509::Integrity::kValid && rep.trust.trust == x509::Trust::kTrusted) {
      rep.trust.trust = x509::Trust::kUntrusted;
      rep.trust.reasons.push_back(std::string("the signature itself is ") + std::string(x509::IntegrityName(rep.integrity)));
    }
  }
  return report;
}

Result<PdfReport> VerifyPdfFile(const std::string& path, const VerifyOptions& options) {
  KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path, uint64_t{1} << 30));
  return VerifyPdfSignatures(bytes, options);
}

}  // namespace kholuu::formats::pdfsig
