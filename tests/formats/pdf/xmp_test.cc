// XMP parsing and the PDF/A schema checks.
#include "formats/pdf/xmp.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/status_matchers.h"

namespace kholuu::formats::pdf {
namespace {

std::string Packet(const std::string& descriptions) {
  return "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">" +
         descriptions + "</rdf:RDF></x:xmpmeta>";
}

std::vector<PdfaViolation> Violations(const std::string& descriptions, int part) {
  auto p = XmpPacket::Parse(Packet(descriptions));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  std::vector<PdfaViolation> v;
  if (p.ok()) CheckXmpSchemas(**p, part, &v);
  return v;
}

const char* kDc = "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">";

TEST(Xmp, ReadsClaimFromAttributesAndElements) {
  auto p = XmpPacket::Parse(Packet(
      "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"2\">"
      "<pdfaid:conformance>U</pdfaid:conformance></rdf:Description>"));
  ASSERT_TRUE(p.ok());
  ASSERT_NE((*p)->Value(kNsPdfaId, "part"), nullptr);
  EXPECT_EQ(*(*p)->Value(kNsPdfaId, "part"), "2");
  EXPECT_EQ(*(*p)->Value(kNsPdfaId, "conformance"), "U");
}

TEST(Xmp, ValueTypesOfPredefinedProperties) {
  EXPECT_TRUE(Violations(std::string(kDc) + "<dc:creator><rdf:Seq><rdf:li>A</rdf:li></rdf:Seq></dc:creator></rdf:Description>", 2).empty());
  // dc:creator is a Seq, not a Bag or simple text.
  EXPECT_FALSE(Violations(std::string(kDc) + "<dc:creator><rdf:Bag><rdf:li>A</rdf:li></rdf:Bag></dc:creator></rdf:Description>", 2).empty());
  EXPECT_FALSE(Violations(std::string(kDc) + "<dc:creator>A</dc:creator></rdf:Description>", 2).empty());
  // Lang Alt items need xml:lang.
  EXPECT_FALSE(Violations(std::string(kDc) + "<dc:title><rdf:Alt><rdf:li>T</rdf:li></rdf:Alt></dc:title></rdf:Description>", 1).empty());
  // Integer, Rational and Date lexical forms.
  const std::string tiff = "<rdf:Description rdf:about=\"\" xmlns:tiff=\"http://ns.adobe.com/tiff/1.0/\">";
  EXPECT_TRUE(Violations(tiff + "<tiff:ImageWidth>256</tiff:ImageWidth><tiff:XResolution>72/1</tiff:XResolution></rdf:Description>", 2).empty());
  EXPECT_FALSE(Violations(tiff + "<tiff:ImageWidth>256 mm</tiff:ImageWidth></rdf:Description>", 2).empty());
  EXPECT_FALSE(Violations(tiff + "<tiff:XResolution>72</tiff:XResolution></rdf:Description>", 2).empty());
  EXPECT_FALSE(Violations(tiff + "<tiff:DateTime>yesterday</tiff:DateTime></rdf:Description>", 2).empty());
}

TEST(Xmp, SchemaVersionDependsOnThePart) {
  // xmp:Rating exists in XMP 2005 (PDF/A-2) but not in XMP 2004 (PDF/A-1).
  const std::string d = "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmp:Rating=\"3\"/>";
  EXPECT_TRUE(Violations(d, 2).empty());
  EXPECT_FALSE(Violations(d, 1).empty());
}

TEST(Xmp, UnknownNamespaceNeedsAnExtensionSchema) {
  const std::string custom = "<rdf:Description rdf:about=\"\" xmlns:c=\"http://example.com/c/\"><c:n>1</c:n></rdf:Description>";
  auto v = Violations(custom, 2);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].clause, "6.6.2.3.2");
  const std::string ext =
      "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
      "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">"
      "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
      "<pdfaSchema:schema>C</pdfaSchema:schema><pdfaSchema:namespaceURI>http://example.com/c/</pdfaSchema:namespaceURI>"
      "<pdfaSchema:prefix>c</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">"
      "<pdfaProperty:name>n</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
      "<pdfaProperty:category>internal</pdfaProperty:category><pdfaProperty:description>d</pdfaProperty:description>"
      "</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>";
  v = Violations(ext + custom, 2);
  EXPECT_TRUE(v.empty()) << v[0].clause << " " << v[0].message;
  // The declared type is enforced.
  v = Violations(ext + "<rdf:Description rdf:about=\"\" xmlns:c=\"http://example.com/c/\"><c:n>one</c:n></rdf:Description>", 2);
  EXPECT_EQ(v.size(), 1u);
}

TEST(Xmp, RejectsDtdsAndEntities) {
  const std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
      Packet("<rdf:Description rdf:about=\"\">&b;</rdf:Description>");
  EXPECT_THAT(XmpPacket::Parse(bomb).status(), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(XmpPacket::Parse("<x:xmpmeta").status(), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(XmpPacket::Parse("<a/>").status(), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
}

TEST(Xmp, Utf16AndUtf32PacketsAreConverted) {
  const std::string utf8 = Packet("<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"1\"/>");
  std::string le16;
  std::string be32;
  for (char c : utf8) {
    le16 += c;
    le16 += '\0';
    be32 += std::string(3, '\0');
    be32 += c;
  }
  for (const std::string& enc : {le16, be32}) {
    std::string back = XmpToUtf8(enc);
    EXPECT_EQ(back, utf8);
    auto p = XmpPacket::Parse(back);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(*(*p)->Value(kNsPdfaId, "part"), "1");
  }
}

TEST(Xmp, PacketHeaderAttributes) {
  std::vector<PdfaViolation> v;
  CheckXmpPacketWrapper("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\" bytes=\"100\"?>", 1, &v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].clause, "6.7.5");
  v.clear();
  CheckXmpPacketWrapper("<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>", 1, &v);
  EXPECT_TRUE(v.empty());
}

}  // namespace
}  // namespace kholuu::formats::pdf
