#include "formats/xmldsig/xmldsig.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>

#include "tests/formats/x509/test_pki.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::xmldsig {
namespace {

using kholuu::testing::TestPki;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

constexpr const char* kXmlsec = "/usr/bin/xmlsec1";

// An edXML skeleton (QCVN 102:2016 shape, fictitious values) with a signature
// template whose Signature element declares the xmldsig namespace as default.
std::string Template(const std::string& sig_method, const std::string& digest) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Cơ quan A TEST</edXML:OrganName></edXML:From>
        <edXML:Subject>V/v thử nghiệm chữ ký TEST</edXML:Subject>
        <edXML:DocumentId>000.00.00.G22,2025/07/01,125/ABC-VP</edXML:DocumentId>
      </edXML:MessageHeader>
      <Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><SignatureMethod Algorithm=")" +
         sig_method + R"("/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms><DigestMethod Algorithm=")" +
         digest + R"("/><DigestValue></DigestValue></Reference></SignedInfo><SignatureValue></SignatureValue><KeyInfo><X509Data><X509Certificate></X509Certificate></X509Data></KeyInfo></Signature>
    </edXML:edXMLHeader>
  </edXML:edXMLEnvelope>
</edXML>
)";
}

class XmlDsigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kXmlsec, X_OK) != 0) GTEST_SKIP() << "xmlsec1 (the command) is not installed";
    kholuu::testing::WriteTestFile(dir_.Sub("key.pem"), TestPki::KeyPem(Pki().signer));
    kholuu::testing::WriteTestFile(dir_.Sub("cert.pem"), TestPki::CertPem(Pki().signer));
    kholuu::testing::WriteTestFile(dir_.Sub("ca.pem"), TestPki::CertPem(Pki().intermediate));
    store_.anchors_der.push_back(Pki().root.der);
  }
  std::string Sign(const std::string& tmpl) {
    kholuu::testing::WriteTestFile(dir_.Sub("tmpl.xml"), tmpl);
    auto r = kholuu::testing::Run({kXmlsec, "--sign", "--privkey-pem",
                                   dir_.Sub("key.pem") + "," + dir_.Sub("cert.pem") + "," + dir_.Sub("ca.pem"), "--output",
                                   dir_.Sub("signed.xml"), dir_.Sub("tmpl.xml")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return kholuu::testing::ReadTestFile(dir_.Sub("signed.xml"));
  }
  XmlSignatureReport Verify(const std::string& xml) {
    auto r = VerifyEdxmlSignature(xml, store_, static_cast<int64_t>(std::time(nullptr)));
    EXPECT_OK(r.status());
    return r.ok() ? *r : XmlSignatureReport{};
  }

  kholuu::testing::TempDir dir_;
  x509::TrustStore store_;
};

const char* kRsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const char* kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

TEST_F(XmlDsigTest, ValidEnvelopedSignature) {
  XmlSignatureReport r = Verify(Sign(Template(kRsaSha256, kSha256)));
  EXPECT_TRUE(r.present);
  EXPECT_TRUE(r.valid) << (r.problems.empty() ? "" : r.problems[0]);
  EXPECT_FALSE(r.default_namespace);
  EXPECT_FALSE(r.weak_algorithm);
  EXPECT_EQ(r.signer, "Nguyễn Văn An TEST");
  // The chain reaches the test root, but XML-DSig carries no revocation data.
  EXPECT_EQ(r.trust.trust, x509::Trust::kUnknown) << (r.trust.reasons.empty() ? "" : r.trust.reasons[0]);
}

TEST_F(XmlDsigTest, TamperedContentFails) {
  std::string xml = Sign(Template(kRsaSha256, kSha256));
  size_t at = xml.find("TEST</edXML:Subject>");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 4, "FAKE");
  XmlSignatureReport r = Verify(xml);
  EXPECT_TRUE(r.present);
  EXPECT_FALSE(r.valid);
}

TEST_F(XmlDsigTest, UnprefixedSignatureInDefaultNamespaceIsTolerated) {
  std::string xml = Sign(Template("http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                                  "http://www.w3.org/2000/09/xmldsig#sha1"));
  // As in real packages: the Signature element without the xmldsig namespace.
  std::string decl = R"( xmlns="http://www.w3.org/2000/09/xmldsig#")";
  size_t at = xml.find(decl);
  ASSERT_NE(at, std::string::npos);
  xml.erase(at, decl.size());
  XmlSignatureReport r = Verify(xml);
  EXPECT_TRUE(r.present);
  EXPECT_TRUE(r.default_namespace);
  EXPECT_TRUE(r.valid) << (r.problems.empty() ? "" : r.problems.back());
  EXPECT_TRUE(r.weak_algorithm);
}

TEST_F(XmlDsigTest, NoSignatureAndHostileXml) {
  XmlSignatureReport none = Verify("<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"/>");
  EXPECT_FALSE(none.present);
  EXPECT_FALSE(none.valid);
  EXPECT_THAT(VerifyEdxmlSignature("<a><b></a>", store_, 0),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>)";
  EXPECT_THAT(VerifyEdxmlSignature(xxe, store_, 0),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><a>&b;</a>)";
  EXPECT_THAT(VerifyEdxmlSignature(laughs, store_, 0),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  // A reference to an external URI is not fetched: the signature fails to process.
  std::string ext = Template(kRsaSha256, kSha256);
  ext.replace(ext.find("URI=\"\""), 6, "URI=\"http://127.0.0.1:9/x\"");
  XmlSignatureReport r = Verify(ext);
  EXPECT_FALSE(r.valid);
}

}  // namespace
}  // namespace kholuu::formats::xmldsig
