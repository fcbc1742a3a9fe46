// `kholuu edxml inspect` with the XML-DSig verdict, through the real binary,
// on edXML packages signed in the test with the xmlsec1 command and the test
// PKI: valid, tampered after signing, and the unprefixed Signature element
// of real packages.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/formats/x509/test_pki.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using kholuu::testing::TestPki;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

constexpr const char* kXmlsec = "/usr/bin/xmlsec1";

class EdxmlSignatureCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kXmlsec, X_OK) != 0) GTEST_SKIP() << "xmlsec1 (the command) is not installed";
    kholuu::testing::WriteTestFile(dir_.Sub("key.pem"), TestPki::KeyPem(Pki().signer));
    kholuu::testing::WriteTestFile(dir_.Sub("cert.pem"), TestPki::CertPem(Pki().signer));
    kholuu::testing::WriteTestFile(dir_.Sub("ca.pem"), TestPki::CertPem(Pki().intermediate));
    std::filesystem::create_directory(dir_.Sub("trust"));
    Pki().WriteTrustStore(dir_.Sub("trust"));
    auto r = kholuu::testing::Run(
        {kXmlsec, "--sign", "--privkey-pem",
         dir_.Sub("key.pem") + "," + dir_.Sub("cert.pem") + "," + dir_.Sub("ca.pem"), "--output",
         dir_.Sub("signed.edxml"), std::string(KHOLUU_XMLDSIG_TESTDATA) + "/document_template.edxml"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    signed_ = kholuu::testing::ReadTestFile(dir_.Sub("signed.edxml"));
  }

  // Runs `kholuu edxml inspect --json [--trust-store] FILE` on `xml`.
  kholuu::testing::RunResult Inspect(const std::string& name, const std::string& xml, bool trust_store = true) {
    kholuu::testing::WriteTestFile(dir_.Sub(name), xml);
    std::vector<std::string> argv = {kholuu::testing::BinDir() + "/kholuu", "edxml", "inspect", "--json"};
    if (trust_store) {
      argv.push_back("--trust-store");
      argv.push_back(dir_.Sub("trust"));
    }
    argv.push_back(dir_.Sub(name));
    return kholuu::testing::Run(argv);
  }

  static nlohmann::json Sig(const kholuu::testing::RunResult& r) {
    auto j = nlohmann::json::parse(r.out);
    return j.at(0).at("xml_signature");
  }

  kholuu::testing::TempDir dir_;
  std::string signed_;
};

TEST_F(EdxmlSignatureCliTest, ValidSignatureReportsSignerAndTrust) {
  auto r = Inspect("valid.edxml", signed_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json s = Sig(r);
  EXPECT_EQ(s["present"], true);
  EXPECT_EQ(s["valid"], true) << s.dump(2);
  EXPECT_EQ(s["signer"], "Nguyễn Văn An TEST");
  EXPECT_EQ(s["default_namespace"], false);
  // The chain reaches the test root; XML-DSig carries no revocation data.
  EXPECT_EQ(s["trust"], "unknown") << s.dump(2);
  EXPECT_EQ(s["trust_details"]["chain"].size(), 3u) << s.dump(2);
  ASSERT_TRUE(s["reasons"].is_array());
  EXPECT_FALSE(s["reasons"].empty());

  auto text = kholuu::testing::Run(
      {kholuu::testing::BinDir() + "/kholuu", "edxml", "inspect", dir_.Sub("valid.edxml"), "--lang", "en"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("xml signature: valid, signer Nguyễn Văn An TEST"), std::string::npos) << text.out;
  // Vietnamese by default.
  auto vi = kholuu::testing::Run(
      {kholuu::testing::BinDir() + "/kholuu", "edxml", "inspect", dir_.Sub("valid.edxml"), "--lang", "vi"});
  EXPECT_NE(vi.out.find("chữ ký XML: hợp lệ, người ký Nguyễn Văn An TEST"), std::string::npos) << vi.out;
}

TEST_F(EdxmlSignatureCliTest, WithoutTrustStoreTrustIsUnknown) {
  auto r = Inspect("valid.edxml", signed_, /*trust_store=*/false);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json s = Sig(r);
  EXPECT_EQ(s["valid"], true);
  EXPECT_EQ(s["trust"], "unknown");
}

TEST_F(EdxmlSignatureCliTest, TamperedPackageIsInvalidAndExitsOne) {
  std::string xml = signed_;
  size_t at = xml.find("giao ban tháng 7</edXML:Subject>");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 4, "GIAO");
  auto r = Inspect("tampered.edxml", xml);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  nlohmann::json s = Sig(r);
  EXPECT_EQ(s["present"], true);
  EXPECT_EQ(s["valid"], false);
  EXPECT_NE(s["trust"], "trusted");
}

TEST_F(EdxmlSignatureCliTest, UnprefixedSignatureInDefaultNamespaceIsVerified) {
  std::string xml = signed_;
  const std::string decl = R"( xmlns="http://www.w3.org/2000/09/xmldsig#")";
  size_t at = xml.find(decl);
  ASSERT_NE(at, std::string::npos);
  xml.erase(at, decl.size());  // as in real packages: <Signature> in the edXML namespace
  auto r = Inspect("unprefixed.edxml", xml);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  nlohmann::json s = Sig(r);
  EXPECT_EQ(s["valid"], true) << s.dump(2);
  EXPECT_EQ(s["default_namespace"], true);
  EXPECT_EQ(s["signer"], "Nguyễn Văn An TEST");
  // Tampering is still detected in that form.
  xml.replace(xml.find("Văn phòng Chính phủ TEST"), 3, "Vxn");
  auto bad = Inspect("unprefixed-tampered.edxml", xml);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(Sig(bad)["valid"], false);
}

TEST_F(EdxmlSignatureCliTest, UnsignedPackageAndBadTrustStore) {
  std::string xml = signed_;
  size_t b = xml.find("<Signature");
  size_t e = xml.find("</Signature>");
  ASSERT_NE(b, std::string::npos);
  xml.erase(b, e + std::string("</Signature>").size() - b);
  auto r = Inspect("unsigned.edxml", xml);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  nlohmann::json s = Sig(r);
  EXPECT_EQ(s["present"], false);
  EXPECT_TRUE(s["valid"].is_null());

  auto bad = kholuu::testing::Run({kholuu::testing::BinDir() + "/kholuu", "edxml", "inspect", "--json",
                                   "--trust-store", dir_.Sub("no-such-dir"), dir_.Sub("unsigned.edxml")});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace kholuu
