#include "formats/common/internal/xml.h"

#include <libxml/parser.h>

#include <cstring>

namespace kholuu::formats::internal {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
const char* C(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

}  // namespace

Result<XmlDocPtr> ParseXml(std::string_view bytes, const std::string& what) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return InvalidArgumentError(what + " is too large");
  if (bytes.find("<!DOCTYPE") != std::string_view::npos) {
    return InvalidArgumentError(what + ": a DOCTYPE is not allowed (no DTDs, no entities)");
  }
  xmlInitParser();
  XmlDocPtr doc(xmlReadMemory(bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                              XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR));
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    std::string msg = e != nullptr && e->message != nullptr ? e->message : "malformed XML";
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    xmlResetLastError();
    return InvalidArgumentError(what + " is not well-formed XML: " + msg +
                                (e != nullptr ? " (line " + std::to_string(e->line) + ")" : ""));
  }
  // Belt and braces: the check above sees only UTF-8 spellings.
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return InvalidArgumentError(what + ": a DOCTYPE is not allowed (no DTDs, no entities)");
  }
  if (xmlDocGetRootElement(doc.get()) == nullptr) return InvalidArgumentError(what + " has no root element");
  return doc;
}

std::vector<xmlNode*> Elements(const xmlNode* n) {
  std::vector<xmlNode*> out;
  if (n == nullptr) return out;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE) out.push_back(c);
  }
  return out;
}

std::vector<xmlNode*> Children(const xmlNode* n, const char* name) {
  std::vector<xmlNode*> out;
  for (xmlNode* c : Elements(n)) {
    if (std::strcmp(C(c->name), name) == 0) out.push_back(c);
  }
  return out;
}

xmlNode* Child(const xmlNode* n, const char* name) {
  if (n == nullptr) return nullptr;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && std::strcmp(C(c->name), name) == 0) return c;
  }
  return nullptr;
}

std::string Text(const xmlNode* n) {
  if (n == nullptr) return std::string();
  xmlChar* t = xmlNodeGetContent(n);
  if (t == nullptr) return std::string();
  std::string out(C(t));
  xmlFree(t);
  return out;
}

std::string ChildText(const xmlNode* n, const char* name) { return Text(Child(n, name)); }

std::string Attr(const xmlNode* n, const char* name, const char* ns) {
  xmlChar* v = ns == nullptr ? xmlGetNoNsProp(n, X(name)) : xmlGetNsProp(n, X(name), X(ns));
  if (v == nullptr) return std::string();
  std::string out(C(v));
  xmlFree(v);
  return out;
}

bool HasAttr(const xmlNode* n, const char* name, const char* ns) {
  return ns == nullptr ? xmlHasNsProp(n, X(name), nullptr) != nullptr
                       : xmlHasNsProp(n, X(name), X(ns)) != nullptr;
}

std::string_view LocalName(const xmlNode* n) { return C(n->name); }

std::string_view NamespaceOf(const xmlNode* n) {
  return n->ns != nullptr && n->ns->href != nullptr ? std::string_view(C(n->ns->href)) : std::string_view();
}

XmlWriter::XmlWriter() : buf_(xmlBufferCreate()), w_(nullptr) {
  if (buf_ != nullptr) w_ = xmlNewTextWriterMemory(buf_, 0);
  if (w_ == nullptr) {
    ok_ = false;
    return;
  }
  Check(xmlTextWriterSetIndent(w_, 1));
  Check(xmlTextWriterSetIndentString(w_, X("  ")));
  Check(xmlTextWriterStartDocument(w_, "1.0", "UTF-8", nullptr));
}

XmlWriter::~XmlWriter() {
  if (w_ != nullptr) xmlFreeTextWriter(w_);
  if (buf_ != nullptr) xmlBufferFree(buf_);
}

void XmlWriter::Start(const std::string& qname) {
  if (ok_) Check(xmlTextWriterStartElement(w_, X(qname.c_str())));
}

void XmlWriter::Start(const std::string& qname, Attrs attrs) {
  Start(qname);
  for (const auto& [name, value] : attrs) Attr(name, value);
}

void XmlWriter::Empty(const std::string& qname, Attrs attrs) {
  Start(qname, attrs);
  End();
}

void XmlWriter::Attr(const std::string& qname, const std::string& value) {
  if (ok_) Check(xmlTextWriterWriteAttribute(w_, X(qname.c_str()), X(value.c_str())));
}

void XmlWriter::End() {
  if (ok_) Check(xmlTextWriterEndElement(w_));
}

void XmlWriter::Leaf(const std::string& qname, const std::string& text) {
  if (ok_) Check(xmlTextWriterWriteElement(w_, X(qname.c_str()), X(text.c_str())));
}

Result<std::string> XmlWriter::Finish() {
  if (ok_) Check(xmlTextWriterEndDocument(w_));
  if (ok_) Check(xmlTextWriterFlush(w_));
  if (!ok_) return InternalError("libxml2 text writer failed");
  return std::string(C(xmlBufferContent(buf_)), static_cast<size_t>(xmlBufferLength(buf_)));
}

}  // namespace kholuu::formats::internal
