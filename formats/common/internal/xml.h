// libxml2 helpers shared by the package and batch readers/writers. Internal:
// includes libxml2 headers; only formats/ .cc files include it.
#pragma once

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::internal {

struct XmlDocFree {
  void operator()(xmlDoc* d) const noexcept { xmlFreeDoc(d); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Parses UTF-8 XML safely: no network, no DTD loading, no entity
// substitution, default size limits; a document carrying a DOCTYPE is refused
// outright (no DTD means no entity can be declared: no XXE, no expansion).
// `what` names the document in errors. Errors: kInvalidArgument.
Result<XmlDocPtr> ParseXml(std::string_view bytes, const std::string& what);

// Element children of `n` with local name `name` (any namespace).
std::vector<xmlNode*> Children(const xmlNode* n, const char* name);
// The first such child, or nullptr.
xmlNode* Child(const xmlNode* n, const char* name);
// All element children.
std::vector<xmlNode*> Elements(const xmlNode* n);
// Text content (concatenated), "" for nullptr.
std::string Text(const xmlNode* n);
// Text of the first child `name`, "" if absent.
std::string ChildText(const xmlNode* n, const char* name);
// Attribute without namespace, or in namespace `ns` when given; "" if absent.
std::string Attr(const xmlNode* n, const char* name, const char* ns = nullptr);
bool HasAttr(const xmlNode* n, const char* name, const char* ns = nullptr);
std::string_view LocalName(const xmlNode* n);
std::string_view NamespaceOf(const xmlNode* n);

// A libxml2 text writer into memory. Errors are collected and reported by
// Finish() (kInternal); text must be valid UTF-8 (the callers check).
class XmlWriter {
 public:
  XmlWriter();
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  using Attrs = std::initializer_list<std::pair<const char*, std::string>>;

  void Start(const std::string& qname);
  // Start(qname) followed by Attr() for each pair, in order.
  void Start(const std::string& qname, Attrs attrs);
  void Attr(const std::string& qname, const std::string& value);
  void End();
  // An element with attributes and no content: Start(qname, attrs); End().
  void Empty(const std::string& qname, Attrs attrs);
  // <qname>text</qname>
  void Leaf(const std::string& qname, const std::string& text);
  Result<std::string> Finish();

 private:
  void Check(int rc) {
    if (rc < 0) ok_ = false;
  }
  xmlBuffer* buf_;
  xmlTextWriter* w_;
  bool ok_ = true;
};

}  // namespace kholuu::formats::internal
