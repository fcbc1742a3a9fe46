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
    const IndirectObject* found = nullptr;
    for (const IndirectObject& o : objects) {
      if (o.offset >= offset) break;
      if (o.num == num) found = &o;
    }
    return found;
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

void VerifyOne(const Doc& doc, const Dss& dss, const IndirectObject& sig_obj,
               const VerifyOptions& options, SignatureReport* rep) {
  const PdfObj& sig = sig_obj.value;
  std::string_view data = doc.data;
  rep->object = sig_obj.num;
  rep->subfilter = NameOf(sig.Get("SubFilter"));
  rep->document_timestamp = IsDocTimestamp(sig);
  if (sig_obj.in_objstm != 0) rep->problems.push_back("signature dictionary inside an object stream");
  if (const PdfObj* m = sig.Get("M"); m != nullptr && m->kind == Kind::kString) {
    rep->signing_time = ParsePdfDate(m->text);
  }
  const PdfObj* br = sig.Get("ByteRange");
  const PdfObj* contents = sig.Get("Contents");
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
  if (pdf.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    return InvalidArgumentError("not a PDF: no %PDF- header in the first 1024 bytes");
  }
  Doc doc;
  doc.data = pdf;
  doc.objects = internal::ScanObjects(pdf);
  doc.rev_ends = internal::RevisionEnds(pdf);
  for (size_t i = 0; i < doc.objects.size(); ++i) doc.latest[doc.objects[i].num] = i;
  PdfReport report;
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
  std::set<uint32_t> doc_ts_sigs;
  std::vector<const IndirectObject*> sigs;
  std::map<uint32_t, const PdfObj*> field_of;  // signature object -> field dictionary
  for (const auto& [num, idx] : doc.latest) {
    const IndirectObject& o = doc.objects[idx];
    if (IsSignatureDict(o.value)) {
      sigs.push_back(&o);
      if (IsDocTimestamp(o.value)) doc_ts_sigs.insert(num);
    }
    const PdfObj* v = o.value.kind == Kind::kDict ? o.value.Get("V") : nullptr;
    if (v != nullptr && v->kind == Kind::kRef) field_of[v->ref_num] = &o.value;
  }
  std::sort(sigs.begin(), sigs.end(),
            [](const IndirectObject* a, const IndirectObject* b) { return a->offset < b->offset; });
  for (const IndirectObject* s : sigs) {
    SignatureReport rep;
    auto f = field_of.find(s->num);
    rep.field = f != field_of.end() ? FieldName(doc, *f->second) : "";
    if (rep.field.empty()) rep.field = "(object " + std::to_string(s->num) + ")";
    rep.docmdp_level = DocMdpLevel(doc, s->value);
    rep.field_lock = FieldLockOf(doc, s->value, f != field_of.end() ? f->second : nullptr);
    VerifyOne(doc, dss, *s, options, &rep);
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
