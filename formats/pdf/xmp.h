// XMP metadata for PDF/A: parsing (libxml2, no network, no DTD, no entity
// expansion) into a small RDF model, the PDF/A identification claim, and
// the schema checks of ISO 19005-1 6.7 and ISO 19005-2/-3 6.6: every
// property must belong to a predefined XMP schema (XMP 2004 for part 1, XMP
// 2005 for parts 2 and 3) or to an extension schema declared in the packet,
// with a value of the declared type.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "formats/pdf/pdfa.h"

namespace kholuu::formats::pdf {

// An XML element with namespace URIs resolved.
struct XmlNode {
  std::string ns;
  std::string name;
  std::string prefix;
  std::vector<XmlNode> children;
  struct Attr {
    std::string ns;
    std::string name;
    std::string prefix;
    std::string value;
  };
  std::vector<Attr> attrs;
  std::string text;  // concatenated character data directly inside

  const Attr* FindAttr(std::string_view ns, std::string_view name) const;
};

// One top-level property of an rdf:Description about the document.
struct XmpProperty {
  std::string ns;
  std::string name;
  std::string prefix;
  // Either an attribute value (simple) or an element.
  bool is_attribute = false;
  std::string attr_value;
  const XmlNode* element = nullptr;
};

// Converts a packet in UTF-16 or UTF-32 (detected from its first
// character or byte order mark) to UTF-8; UTF-8 input is returned as is
// (without a BOM).
std::string XmpToUtf8(std::string_view bytes);

class XmpPacket {
 public:
  // Parses a metadata packet already converted with XmpToUtf8. kInvalidArgument with the parser's
  // message if the XML is not well-formed, has a DTD, or has no rdf:RDF.
  static Result<std::unique_ptr<XmpPacket>> Parse(std::string_view bytes);

  const std::vector<XmpProperty>& properties() const { return props_; }

  // The simple text value of a property (the x-default item of a Lang Alt,
  // the first item of an array) or nullptr if absent.
  const std::string* Value(std::string_view ns, std::string_view name) const;
  // All items of an array property (one item for a simple value).
  std::vector<std::string> Items(std::string_view ns, std::string_view name) const;

 private:
  XmlNode root_;
  std::vector<XmpProperty> props_;
  std::map<std::string, std::string, std::less<>> values_;
  std::map<std::string, std::vector<std::string>, std::less<>> items_;
};

inline constexpr std::string_view kNsPdfaId = "http://www.aiim.org/pdfa/ns/id/";
inline constexpr std::string_view kNsDc = "http://purl.org/dc/elements/1.1/";
inline constexpr std::string_view kNsXmp = "http://ns.adobe.com/xap/1.0/";
inline constexpr std::string_view kNsPdf = "http://ns.adobe.com/pdf/1.3/";

// Checks every property of `packet` against the predefined schemas of
// `part` (1, 2 or 3) and the packet's own extension schemas; appends
// violations.
void CheckXmpSchemas(const XmpPacket& packet, int part, std::vector<PdfaViolation>* out);

// Checks the raw packet bytes: xpacket header attributes (bytes, encoding).
void CheckXmpPacketWrapper(std::string_view bytes, int part, std::vector<PdfaViolation>* out);

}  // namespace kholuu::formats::pdf
