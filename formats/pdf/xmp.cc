#include "formats/pdf/xmp.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <set>

#include "formats/common/text.h"
#include "formats/pdf/internal/xmp_schemas.h"

namespace kholuu::formats::pdf {
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr std::string_view kNsExt = "http://www.aiim.org/pdfa/ns/extension/";
constexpr std::string_view kNsSchema = "http://www.aiim.org/pdfa/ns/schema#";
constexpr std::string_view kNsProperty = "http://www.aiim.org/pdfa/ns/property#";
constexpr std::string_view kNsType = "http://www.aiim.org/pdfa/ns/type#";
constexpr std::string_view kNsField = "http://www.aiim.org/pdfa/ns/field#";
constexpr int kMaxXmlDepth = 64;

std::string Str(const xmlChar* s) { return s ? std::string(reinterpret_cast<const char*>(s)) : ""; }

bool Convert(xmlNodePtr n, XmlNode* out, int depth) {
  if (depth > kMaxXmlDepth) return false;
  out->name = Str(n->name);
  if (n->ns) {
    out->ns = Str(n->ns->href);
    out->prefix = Str(n->ns->prefix);
  }
  for (xmlAttrPtr a = n->properties; a; a = a->next) {
    XmlNode::Attr at;
    at.name = Str(a->name);
    if (a->ns) {
      at.ns = Str(a->ns->href);
      at.prefix = Str(a->ns->prefix);
    }
    xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1);
    at.value = Str(v);
    xmlFree(v);
    out->attrs.push_back(std::move(at));
  }
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) {
      out->children.emplace_back();
      if (!Convert(c, &out->children.back(), depth + 1)) return false;
    } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      out->text += Str(c->content);
    } else if (c->type == XML_ENTITY_REF_NODE) {
      return false;  // never expand entities
    }
  }
  return true;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

const XmlNode* FindRdf(const XmlNode& n, int depth = 0) {
  if (n.ns == kRdf && n.name == "RDF") return &n;
  if (depth > 4) return nullptr;
  for (const auto& c : n.children) {
    if (const XmlNode* r = FindRdf(c, depth + 1)) return r;
  }
  return nullptr;
}

// ---- types ---------------------------------------------------------------

bool Digits(std::string_view s, size_t b, size_t n) {
  if (b + n > s.size()) return false;
  for (size_t i = b; i < b + n; ++i) if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

bool IsInteger(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  return i < s.size() && Digits(s, i, s.size() - i);
}

bool IsReal(std::string_view s) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  size_t d = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.' && !dot) dot = true;
    else if (s[i] >= '0' && s[i] <= '9') ++d;
    else return false;
  }
  return d > 0;
}

bool IsRational(std::string_view s) {
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  return IsInteger(s.substr(0, slash)) && IsInteger(s.substr(slash + 1));
}

// XMP dates: YYYY[-MM[-DD[Thh:mm[:ss[.s+]]TZD]]], TZD = Z | +hh:mm | -hh:mm.
bool IsDate(std::string_view s) {
  if (!Digits(s, 0, 4)) return false;
  if (s.size() == 4) return true;
  if (s[4] != '-' || !Digits(s, 5, 2)) return false;
  if (s.size() == 7) return true;
  if (s.size() < 10 || s[7] != '-' || !Digits(s, 8, 2)) return false;
  if (s.size() == 10) return true;
  if (s[10] != 'T' || !Digits(s, 11, 2) || s.size() < 16 || s[13] != ':' || !Digits(s, 14, 2)) return false;
  size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (!Digits(s, i + 1, 2)) return false;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      size_t f = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i == f) return false;
    }
  }
  if (i == s.size()) return true;  // local time without zone is tolerated by XMP
  if (s[i] == 'Z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  return s.size() == i + 6 && Digits(s, i + 1, 2) && s[i + 3] == ':' && Digits(s, i + 4, 2);
}

bool IsGps(std::string_view s) {
  if (s.size() < 4) return false;
  char ref = s.back();
  if (ref != 'N' && ref != 'S' && ref != 'E' && ref != 'W') return false;
  std::string_view body = s.substr(0, s.size() - 1);
  size_t c1 = body.find(',');
  if (c1 == std::string_view::npos || !IsInteger(body.substr(0, c1))) return false;
  std::string_view rest = body.substr(c1 + 1);
  size_t c2 = rest.find(',');
  if (c2 == std::string_view::npos) return IsReal(rest);
  return IsInteger(rest.substr(0, c2)) && IsInteger(rest.substr(c2 + 1));
}

struct TypeRef {
  enum Kind { kSimple, kBag, kSeq, kAlt, kLangAlt } kind = kSimple;
  std::string base;  // simple type or structure name
};

TypeRef ParseType(std::string_view t) {
  TypeRef r;
  const std::string_view s = Trim(t, kXmlWhiteSpace);
  auto starts = [&](std::string_view p) { return s.rfind(p, 0) == 0; };
  if (s == "Lang Alt") {
    r.kind = TypeRef::kLangAlt;
    r.base = "Text";
  } else if (starts("Bag ")) {
    r.kind = TypeRef::kBag;
    r.base = Trim(s.substr(4), kXmlWhiteSpace);
  } else if (starts("Seq ")) {
    r.kind = TypeRef::kSeq;
    r.base = Trim(s.substr(4), kXmlWhiteSpace);
  } else if (starts("Alt ")) {
    r.kind = TypeRef::kAlt;
    r.base = Trim(s.substr(4), kXmlWhiteSpace);
  } else {
    r.base = s;
  }
  return r;
}

struct StructDef {
  std::string ns;
  std::map<std::string, TypeRef, std::less<>> fields;
};

struct Schemas {
  // ns -> (name -> type); per part family: [0] part 1, [1] parts 2-3.
  std::map<std::string, std::map<std::string, TypeRef, std::less<>>, std::less<>> props[2];
  std::map<std::string, StructDef, std::less<>> structs;
};

const Schemas& Predefined() {
  static const Schemas* s = [] {
    auto* out = new Schemas;
    std::string_view t = internal::PredefinedSchemas();
    std::string ns;
    int schema_mask = 3;
    StructDef* cur_struct = nullptr;
    size_t pos = 0;
    while (pos < t.size()) {
      size_t nl = t.find('\n', pos);
      if (nl == std::string_view::npos) nl = t.size();
      std::string line(t.substr(pos, nl - pos));
      pos = nl + 1;
      if (line.empty()) continue;
      int mask = 3;
      if (line.size() > 3 && line.compare(line.size() - 3, 3, " @1") == 0) {
        mask = 1;
        line.resize(line.size() - 3);
      } else if (line.size() > 3 && line.compare(line.size() - 3, 3, " @2") == 0) {
        mask = 2;
        line.resize(line.size() - 3);
      }
      size_t sp = line.find(' ');
      std::string head = line.substr(0, sp);
      std::string rest = sp == std::string::npos ? "" : line.substr(sp + 1);
      if (head == "@schema") {
        size_t sp2 = rest.find(' ');
        ns = rest.substr(sp2 + 1);
        schema_mask = mask;
        cur_struct = nullptr;
        for (int k = 0; k < 2; ++k) {
          if (schema_mask & (1 << k)) out->props[k][ns];
        }
      } else if (head == "@struct") {
        size_t sp2 = rest.find(' ');
        StructDef& d = out->structs[rest.substr(0, sp2)];
        d.ns = rest.substr(sp2 + 1);
        cur_struct = &d;
      } else if (cur_struct != nullptr) {
        cur_struct->fields[head] = ParseType(rest);
      } else {
        for (int k = 0; k < 2; ++k) {
          if ((schema_mask & (1 << k)) && (mask & (1 << k))) out->props[k][ns][head] = ParseType(rest);
        }
      }
    }
    return out;
  }();
  return *s;
}

// ---- checking ------------------------------------------------------------

class Checker {
 public:
  Checker(int part, std::vector<PdfaViolation>* out) : part_(part), out_(out) {
    k_ = part == 1 ? 0 : 1;
  }

  void Run(const XmpPacket& p) {
    ReadExtensionSchemas(p);
    for (const XmpProperty& prop : p.properties()) CheckProperty(prop);
  }

 private:
  const char* TypeClause() const { return part_ == 1 ? "6.7.2" : "6.6.2.3.1"; }
  const char* ExtClause() const { return part_ == 1 ? "6.7.8" : "6.6.2.3.3"; }

  void Add(std::string clause, std::string msg, std::string obj) {
    if (out_->size() > 500) return;
    out_->push_back({std::move(clause), std::move(msg), std::move(obj)});
  }

  // ----- extension schemas (pdfaExtension:schemas)
  void ReadExtensionSchemas(const XmpPacket& p) {
    for (const XmpProperty& prop : p.properties()) {
      if (prop.ns != kNsExt) continue;
      if (prop.name != "schemas" || prop.element == nullptr) continue;
      if (prop.prefix != "pdfaExtension") {
        Add(ExtClause(), "the PDF/A extension schema container uses the prefix " + prop.prefix + ", not pdfaExtension",
            "XMP pdfaExtension:schemas");
      }
      const XmlNode* bag = ArrayOf(*prop.element);
      if (bag == nullptr || bag->name != "Bag") {
        Add(ExtClause(), "pdfaExtension:schemas is not a Bag of schema descriptions", "XMP pdfaExtension:schemas");
        continue;
      }
      for (const XmlNode& li : bag->children) ReadSchema(li);
    }
  }

  // Fields of a structure value (rdf:parseType="Resource", a nested
  // rdf:Description, or attributes), as (ns, name, node-or-attr).
  struct Field {
    std::string ns;
    std::string name;
    std::string prefix;
    const XmlNode* node = nullptr;
    std::string attr;
  };

  static bool IsResource(const XmlNode& n) {
    const XmlNode::Attr* a = n.FindAttr(kRdf, "parseType");
    return a != nullptr && a->value == "Resource";
  }

  // Returns false if `n` is not a structure.
  static bool StructFields(const XmlNode& n, std::vector<Field>* fields) {
    const XmlNode* holder = nullptr;
    if (IsResource(n)) {
      holder = &n;
    } else if (n.children.size() == 1 && n.children[0].ns == kRdf && n.children[0].name == "Description") {
      holder = &n.children[0];
    } else if (n.children.empty() && IsBlank(n.text)) {
      holder = &n;  // attributes only
    } else {
      return false;
    }
    for (const auto& a : holder->attrs) {
      if (a.ns == kRdf || a.ns == kXmlNs || a.ns.empty()) continue;
      fields->push_back({a.ns, a.name, a.prefix, nullptr, a.value});
    }
    for (const auto& c : holder->children) fields->push_back({c.ns, c.name, c.prefix, &c, {}});
    return holder != &n || !fields->empty() || IsResource(n);
  }

  static const XmlNode* ArrayOf(const XmlNode& n) {
    if (n.children.size() != 1) return nullptr;
    const XmlNode& c = n.children[0];
    if (c.ns != kRdf || (c.name != "Bag" && c.name != "Seq" && c.name != "Alt")) return nullptr;
    return &c;
  }

  static std::string TextOf(const Field& f) {
    if (f.node == nullptr) return f.attr;
    return std::string(Trim(f.node->text, kXmlWhiteSpace));
  }

  void CheckPrefix(const Field& f, const char* want) {
    if (f.prefix != want) {
      Add(ExtClause(), std::string("an extension schema field uses the prefix ") + f.prefix + ", not " + want,
          "XMP pdfaExtension:schemas");
    }
  }

  void ReadSchema(const XmlNode& li) {
    std::vector<Field> fields;
    if (!StructFields(li, &fields)) {
      Add(ExtClause(), "an extension schema description is not a structure", "XMP pdfaExtension:schemas");
      return;
    }
    std::string uri;
    std::string prefix;
    const XmlNode* props = nullptr;
    const XmlNode* types = nullptr;
    bool has_schema = false;
    for (const Field& f : fields) {
      if (f.ns != kNsSchema) {
        Add(ExtClause(), "extension schema field " + f.prefix + ":" + f.name + " is not in the pdfaSchema namespace",
            "XMP pdfaExtension:schemas");
        continue;
      }
      CheckPrefix(f, "pdfaSchema");
      if (f.name == "namespaceURI") uri = TextOf(f);
      else if (f.name == "prefix") prefix = TextOf(f);
      else if (f.name == "schema") has_schema = true;
      else if (f.name == "property") props = f.node;
      else if (f.name == "valueType") types = f.node;
      else Add(ExtClause(), "unknown extension schema field pdfaSchema:" + f.name, "XMP pdfaExtension:schemas");
    }
    if (uri.empty() || prefix.empty() || !has_schema) {
      Add(ExtClause(), "an extension schema lacks pdfaSchema:schema, namespaceURI or prefix",
          "XMP pdfaExtension:schemas");
    }
    if (types != nullptr) {
      const XmlNode* seq = ArrayOf(*types);
      if (seq == nullptr || seq->name != "Seq") {
        Add(ExtClause(), "pdfaSchema:valueType is not a Seq", "XMP pdfaExtension:schemas");
      } else {
        for (const XmlNode& t : seq->children) ReadValueType(t);
      }
    }
    auto& target = ext_props_[uri];
    if (props != nullptr) {
      const XmlNode* seq = ArrayOf(*props);
      if (seq == nullptr || seq->name != "Seq") {
        Add(ExtClause(), "pdfaSchema:property is not a Seq", "XMP pdfaExtension:schemas");
        return;
      }
      for (const XmlNode& p : seq->children) {
        std::vector<Field> pf;
        if (!StructFields(p, &pf)) {
          Add(ExtClause(), "an extension property description is not a structure", "XMP pdfaExtension:schemas");
          continue;
        }
        std::string name, vt, cat;
        bool has_desc = false;
        for (const Field& f : pf) {
          if (f.ns != kNsProperty) {
            Add(ExtClause(), "extension property field " + f.prefix + ":" + f.name + " is not in the pdfaProperty namespace",
                "XMP pdfaExtension:schemas");
            continue;
          }
          CheckPrefix(f, "pdfaProperty");
          if (f.name == "name") name = TextOf(f);
          else if (f.name == "valueType") vt = TextOf(f);
          else if (f.name == "category") cat = TextOf(f);
          else if (f.name == "description") has_desc = true;
          else Add(ExtClause(), "unknown extension property field pdfaProperty:" + f.name, "XMP pdfaExtension:schemas");
        }
        if (name.empty() || vt.empty() || cat.empty() || !has_desc) {
          Add(ExtClause(), "an extension property lacks name, valueType, category or description",
              "XMP pdfaExtension:schemas");
        }
        if (!cat.empty() && cat != "internal" && cat != "external") {
          Add(ExtClause(), "pdfaProperty:category is \"" + cat + "\", not internal or external",
              "XMP pdfaExtension:schemas");
        }
        if (!name.empty()) target[name] = ParseType(vt);
      }
    }
  }

  void ReadValueType(const XmlNode& t) {
    std::vector<Field> tf;
    if (!StructFields(t, &tf)) {
      Add(ExtClause(), "an extension value type is not a structure", "XMP pdfaExtension:schemas");
      return;
    }
    std::string type, uri, prefix;
    bool has_desc = false;
    StructDef def;
    for (const Field& f : tf) {
      if (f.ns != kNsType) {
        Add(ExtClause(), "extension value type field " + f.prefix + ":" + f.name + " is not in the pdfaType namespace",
            "XMP pdfaExtension:schemas");
        continue;
      }
      CheckPrefix(f, "pdfaType");
      if (f.name == "type") type = TextOf(f);
      else if (f.name == "namespaceURI") uri = TextOf(f);
      else if (f.name == "prefix") prefix = TextOf(f);
      else if (f.name == "description") has_desc = true;
      else if (f.name == "field" && f.node != nullptr) {
        const XmlNode* seq = ArrayOf(*f.node);
        if (seq == nullptr || seq->name != "Seq") {
          Add(ExtClause(), "pdfaType:field is not a Seq", "XMP pdfaExtension:schemas");
          continue;
        }
        for (const XmlNode& fl : seq->children) {
          std::vector<Field> ff;
          if (!StructFields(fl, &ff)) continue;
          std::string fname, fvt;
          bool fdesc = false;
          for (const Field& x : ff) {
            if (x.ns != kNsField) {
              Add(ExtClause(), "extension field description uses " + x.prefix + ":" + x.name +
                                   ", not the pdfaField namespace", "XMP pdfaExtension:schemas");
              continue;
            }
            CheckPrefix(x, "pdfaField");
            if (x.name == "name") fname = TextOf(x);
            else if (x.name == "valueType") fvt = TextOf(x);
            else if (x.name == "description") fdesc = true;
            else Add(ExtClause(), "unknown extension field pdfaField:" + x.name, "XMP pdfaExtension:schemas");
          }
          if (fname.empty() || fvt.empty() || !fdesc) {
            Add(ExtClause(), "an extension field lacks name, valueType or description", "XMP pdfaExtension:schemas");
          }
          if (!fname.empty()) def.fields[fname] = ParseType(fvt);
        }
      } else {
        Add(ExtClause(), "unknown extension value type field pdfaType:" + f.name, "XMP pdfaExtension:schemas");
      }
    }
    if (type.empty() || uri.empty() || prefix.empty() || !has_desc) {
      Add(ExtClause(), "an extension value type lacks type, namespaceURI, prefix or description",
          "XMP pdfaExtension:schemas");
    }
    def.ns = uri;
    if (!type.empty()) ext_structs_[type] = std::move(def);
  }

  // ----- property checks
  const StructDef* FindStruct(std::string_view name) const {
    auto e = ext_structs_.find(name);
    if (e != ext_structs_.end()) return &e->second;
    const auto& s = Predefined().structs;
    auto p = s.find(name);
    return p == s.end() ? nullptr : &p->second;
  }

  bool KnownSimple(std::string_view b) const {
    static const std::set<std::string, std::less<>> kSimple = {
        "Text", "ProperName", "AgentName", "URI", "URL", "MIMEType", "Locale", "GUID",
        "RenditionClass", "XPath", "Integer", "Real", "Boolean", "Date", "Rational",
        "GPSCoordinate", "Lang Alt"};
    return kSimple.count(b) > 0;
  }

  // Checks a simple value's lexical form; returns an empty string or a reason.
  static std::string CheckLexical(std::string_view base, const std::string& v) {
    if (base == "Integer" && !IsInteger(v)) return "is not an Integer";
    if (base == "Real" && !IsReal(v)) return "is not a Real";
    if (base == "Boolean" && v != "True" && v != "False") return "is not True or False";
    if (base == "Date" && !IsDate(v)) return "is not an XMP Date";
    if (base == "Rational" && !IsRational(v)) return "is not a Rational (n/d)";
    if (base == "GPSCoordinate" && !IsGps(v)) return "is not a GPSCoordinate";
    return {};
  }

  // Value given as an element: returns an empty string if it matches `t`.
  std::string CheckNode(const XmlNode& n, const TypeRef& t, int depth) {
    if (depth > 16) return "is nested too deeply";
    if (t.kind != TypeRef::kSimple) {
      const XmlNode* arr = ArrayOf(n);
      if (arr == nullptr) return "is not an array (" + std::string(t.kind == TypeRef::kBag ? "Bag" : t.kind == TypeRef::kSeq ? "Seq" : "Alt") + ")";
      std::string want = t.kind == TypeRef::kBag ? "Bag" : t.kind == TypeRef::kSeq ? "Seq" : "Alt";
      if (arr->name != want) return "is an rdf:" + arr->name + ", not an rdf:" + want;
      TypeRef item{TypeRef::kSimple, t.base};
      for (const XmlNode& li : arr->children) {
        if (li.ns != kRdf || li.name != "li") return "has an array item that is not rdf:li";
        if (t.kind == TypeRef::kLangAlt && li.FindAttr(kXmlNs, "lang") == nullptr) {
          return "is a Lang Alt item without xml:lang";
        }
        std::string r = CheckNode(li, item, depth + 1);
        if (!r.empty()) return "has an item that " + r;
      }
      return {};
    }
    if (KnownSimple(t.base)) {
      // rdf:resource gives a URI value.
      if (const XmlNode::Attr* res = n.FindAttr(kRdf, "resource")) return CheckLexical(t.base, res->value);
      // A qualified value: rdf:value inside a Resource.
      if (IsResource(n) || (n.children.size() == 1 && n.children[0].name == "Description")) {
        const XmlNode& h = IsResource(n) ? n : n.children[0];
        for (const XmlNode& c : h.children) {
          if (c.ns == kRdf && c.name == "value") return CheckNode(c, t, depth + 1);
        }
        if (const XmlNode::Attr* v = h.FindAttr(kRdf, "value")) return CheckLexical(t.base, v->value);
        return "is a structure, not a simple " + t.base;
      }
      if (!n.children.empty()) return "is not a simple " + t.base + " value";
      return CheckLexical(t.base, std::string(Trim(n.text, kXmlWhiteSpace)));
    }
    const StructDef* sd = FindStruct(t.base);
    if (sd == nullptr) return "has an undefined value type " + t.base;
    std::vector<Field> fields;
    if (!StructFields(n, &fields)) return "is not a " + t.base + " structure";
    for (const Field& f : fields) {
      auto it = sd->fields.find(f.name);
      if (it == sd->fields.end() || (!sd->ns.empty() && f.ns != sd->ns)) {
        return "has a field " + f.prefix + ":" + f.name + " not defined for " + t.base;
      }
      std::string r = f.node ? CheckNode(*f.node, it->second, depth + 1)
                             : (it->second.kind == TypeRef::kSimple && KnownSimple(it->second.base)
                                    ? CheckLexical(it->second.base, f.attr)
                                    : "is not a simple value");
      if (!r.empty()) return "field " + f.name + " " + r;
    }
    return {};
  }

  void CheckProperty(const XmpProperty& p) {
    const std::string obj = "XMP " + p.prefix + ":" + p.name;
    if (p.ns == kNsPdfaId && p.prefix != "pdfaid") {
      Add(part_ == 1 ? "6.7.11" : "6.6.4", "the PDF/A identification schema uses the prefix " + p.prefix + ", not pdfaid", obj);
    }
    const TypeRef* type = nullptr;
    const auto& pre = Predefined().props[k_];
    auto sit = pre.find(p.ns);
    if (sit != pre.end()) {
      auto it = sit->second.find(p.name);
      if (it == sit->second.end()) {
        Add(TypeClause(), "property " + p.prefix + ":" + p.name + " is not defined in its predefined schema " + p.ns, obj);
        return;
      }
      type = &it->second;
    } else {
      auto eit = ext_props_.find(p.ns);
      if (eit == ext_props_.end()) {
        Add(part_ == 1 ? "6.7.8" : "6.6.2.3.2",
            "property " + p.prefix + ":" + p.name + " uses namespace " + p.ns +
                ", which is neither a predefined schema nor described by an extension schema",
            obj);
        return;
      }
      auto it = eit->second.find(p.name);
      if (it == eit->second.end()) {
        Add(part_ == 1 ? "6.7.8" : "6.6.2.3.2",
            "property " + p.prefix + ":" + p.name + " is not described by its extension schema", obj);
        return;
      }
      type = &it->second;
      if (type->kind == TypeRef::kSimple && !KnownSimple(type->base) && FindStruct(type->base) == nullptr) {
        Add(part_ == 1 ? "6.7.8" : "6.6.2.3.2",
            "the extension schema gives " + p.prefix + ":" + p.name + " an undefined value type " + type->base, obj);
        return;
      }
    }
    std::string r;
    if (p.is_attribute) {
      if (type->kind != TypeRef::kSimple || !KnownSimple(type->base)) {
        r = "is a simple value, not a " + type->base;
      } else {
        r = CheckLexical(type->base, p.attr_value);
      }
    } else {
      r = CheckNode(*p.element, *type, 0);
    }
    if (!r.empty()) {
      Add(TypeClause(), "the value of " + p.prefix + ":" + p.name + " " + r, obj);
    }
  }

  int part_;
  int k_;
  std::vector<PdfaViolation>* out_;
  std::map<std::string, std::map<std::string, TypeRef, std::less<>>, std::less<>> ext_props_;
  std::map<std::string, StructDef, std::less<>> ext_structs_;
};

std::once_flag g_xml_init;

}  // namespace

const XmlNode::Attr* XmlNode::FindAttr(std::string_view ans, std::string_view aname) const {
  for (const Attr& a : attrs) {
    if (a.ns == ans && a.name == aname) return &a;
  }
  return nullptr;
}

std::string XmpToUtf8(std::string_view b) {
  // XMP packets may be UTF-8, UTF-16 or UTF-32 (either byte order); detect
  // from the first character, which is '<' or a byte order mark.
  auto u = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(b[i])); };
  int width = 1;
  bool big = false;
  if (b.size() >= 4 && u(0) == 0 && u(1) == 0 && (u(2) == 0xFE || u(3) == '<')) { width = 4; big = true; }
  else if (b.size() >= 4 && (u(0) == '<' || u(0) == 0xFF) && u(2) == 0 && u(3) == 0 && (u(1) == 0 || u(1) == 0xFE)) { width = 4; }
  else if (b.size() >= 2 && ((u(0) == 0 && u(1) == '<') || (u(0) == 0xFE && u(1) == 0xFF))) { width = 2; big = true; }
  else if (b.size() >= 2 && ((u(0) == '<' && u(1) == 0) || (u(0) == 0xFF && u(1) == 0xFE))) { width = 2; }
  if (width == 1) {
    if (b.size() >= 3 && u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) return std::string(b.substr(3));
    return std::string(b);
  }
  std::string out;
  out.reserve(b.size() / static_cast<size_t>(width));
  auto put = [&](uint32_t c) {
    if (c == 0xFEFF) return;
    if (c < 0x80) out += static_cast<char>(c);
    else if (c < 0x800) { out += static_cast<char>(0xC0 | (c >> 6)); out += static_cast<char>(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { out += static_cast<char>(0xE0 | (c >> 12)); out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)); out += static_cast<char>(0x80 | (c & 0x3F)); }
    else if (c < 0x110000) { out += static_cast<char>(0xF0 | (c >> 18)); out += static_cast<char>(0x80 | ((c >> 12) & 0x3F)); out += static_cast<char>(0x80 | ((c >> 6) & 0x3F)); out += static_cast<char>(0x80 | (c & 0x3F)); }
    else out += "\xEF\xBF\xBD";
  };
  size_t w = static_cast<size_t>(width);
  for (size_t i = 0; i + w <= b.size(); i += w) {
    uint32_t c;
    if (w == 4) c = big ? (u(i) << 24 | u(i + 1) << 16 | u(i + 2) << 8 | u(i + 3)) : (u(i + 3) << 24 | u(i + 2) << 16 | u(i + 1) << 8 | u(i));
    else c = big ? (u(i) << 8 | u(i + 1)) : (u(i + 1) << 8 | u(i));
    if (w == 2 && c >= 0xD800 && c < 0xDC00 && i + 4 <= b.size()) {
      uint32_t lo = big ? (u(i + 2) << 8 | u(i + 3)) : (u(i + 3) << 8 | u(i + 2));
      if (lo >= 0xDC00 && lo < 0xE000) { c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00); i += 2; }
    }
    put(c);
  }
  return out;
}

Result<std::unique_ptr<XmpPacket>> XmpPacket::Parse(std::string_view bytes) {
  std::call_once(g_xml_init, [] { xmlInitParser(); });
  if (bytes.size() > (size_t{64} << 20)) return InvalidArgumentError("XMP packet larger than 64 MiB");
  // No network, no entity substitution, no DTD loading; errors are returned,
  // not printed.
  const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  // Bytes arrive here as UTF-8 (XmpToUtf8); say so, whatever a declaration claims.
  xmlDocPtr doc = xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), "xmp.xml", "UTF-8", opts);
  if (doc == nullptr) {
    const xmlError* e = xmlGetLastError();
    std::string msg =
        e && e->message ? std::string(Trim(e->message, kXmlWhiteSpace)) : "not well-formed";
    return InvalidArgumentError("XMP is not well-formed XML: " + msg);
  }
  struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
  };
  std::unique_ptr<xmlDoc, DocFree> holder(doc);
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return InvalidArgumentError("XMP contains a document type declaration");
  }
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if (root == nullptr) return InvalidArgumentError("XMP has no root element");
  auto p = std::make_unique<XmpPacket>();
  if (!Convert(root, &p->root_, 0)) {
    return InvalidArgumentError("XMP is nested too deeply or uses entity references");
  }
  const XmlNode* rdf = FindRdf(p->root_);
  if (rdf == nullptr) return InvalidArgumentError("XMP has no rdf:RDF element");
  for (const XmlNode& d : rdf->children) {
    if (d.ns != kRdf || d.name != "Description") continue;
    for (const auto& a : d.attrs) {
      if (a.ns == kRdf || a.ns == kXmlNs || a.ns.empty()) continue;
      XmpProperty prop{a.ns, a.name, a.prefix, true, a.value, nullptr};
      p->props_.push_back(prop);
    }
    for (const XmlNode& c : d.children) {
      XmpProperty prop{c.ns, c.name, c.prefix, false, {}, &c};
      p->props_.push_back(prop);
    }
  }
  for (const XmpProperty& prop : p->props_) {
    std::string key = prop.ns + " " + prop.name;
    std::vector<std::string> items;
    std::string value;
    if (prop.is_attribute) {
      value = prop.attr_value;
      items.push_back(value);
    } else {
      const XmlNode& n = *prop.element;
      if (n.children.size() == 1 && n.children[0].ns == kRdf &&
          (n.children[0].name == "Alt" || n.children[0].name == "Seq" || n.children[0].name == "Bag")) {
        const XmlNode& arr = n.children[0];
        bool have_default = false;
        for (const XmlNode& li : arr.children) {
          items.emplace_back(Trim(li.text, kXmlWhiteSpace));
          const XmlNode::Attr* lang = li.FindAttr(kXmlNs, "lang");
          if (lang && lang->value == "x-default" && !have_default) {
            value = Trim(li.text, kXmlWhiteSpace);
            have_default = true;
          }
        }
        if (!have_default && !items.empty()) value = items.front();
      } else if (n.children.empty()) {
        value = Trim(n.text, kXmlWhiteSpace);
        items.push_back(value);
      } else {
        continue;
      }
    }
    if (!p->values_.count(key)) p->values_[key] = value;
    if (!p->items_.count(key)) p->items_[key] = items;
  }
  return p;
}

const std::string* XmpPacket::Value(std::string_view ns, std::string_view name) const {
  auto it = values_.find(std::string(ns) + " " + std::string(name));
  return it == values_.end() ? nullptr : &it->second;
}

std::vector<std::string> XmpPacket::Items(std::string_view ns, std::string_view name) const {
  auto it = items_.find(std::string(ns) + " " + std::string(name));
  return it == items_.end() ? std::vector<std::string>{} : it->second;
}

void CheckXmpSchemas(const XmpPacket& packet, int part, std::vector<PdfaViolation>* out) {
  Checker(part, out).Run(packet);
}

void CheckXmpPacketWrapper(std::string_view bytes, int part, std::vector<PdfaViolation>* out) {
  size_t b = bytes.find("<?xpacket");
  if (b == std::string_view::npos) return;
  size_t e = bytes.find("?>", b);
  if (e == std::string_view::npos) return;
  std::string_view pi = bytes.substr(b, e - b);
  const char* clause = part == 1 ? "6.7.5" : "6.6.2.1";
  if (pi.find("bytes=") != std::string_view::npos) {
    out->push_back({clause, "the xpacket header uses the bytes attribute", "XMP packet header"});
  }
  if (pi.find("encoding=") != std::string_view::npos) {
    out->push_back({clause, "the xpacket header uses the encoding attribute", "XMP packet header"});
  }
}

}  // namespace kholuu::formats::pdf
