#include "formats/x509/cms.h"

#include <gtest/gtest.h>

#include "tests/formats/x509/test_pki.h"

namespace kholuu::formats::x509 {
namespace {

using testing::CmsSignOptions;
using testing::TestPki;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

const std::string kContent = "%PDF-1.7 signed bytes of a văn bản";

TEST(CmsTest, ValidRsaSignatureWithSigningCertificateV2) {
  std::string cms = Pki().SignDetached(kContent, Pki().signer);
  CmsCheck c = VerifyCms(cms, kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid) << (c.problems.empty() ? "" : c.problems[0]);
  EXPECT_EQ(c.digest_algorithm, "sha256");
  EXPECT_EQ(c.signature_algorithm, "RSA");
  EXPECT_FALSE(c.weak_digest);
  EXPECT_EQ(c.signing_cert_attr, SigningCertAttr::kMatches);
  EXPECT_TRUE(c.signing_time.has_value());
  EXPECT_EQ(c.signer.common_name, "Nguyễn Văn An TEST");
  EXPECT_NE(c.signer.subject.find("O=Ban Cơ yếu Chính phủ"), std::string::npos) << c.signer.subject;
  EXPECT_EQ(c.certs_der.size(), 2u);  // signer + intermediate
}

TEST(CmsTest, ChangedContentIsDigestMismatch) {
  std::string cms = Pki().SignDetached(kContent, Pki().signer);
  std::string changed = kContent;
  changed[3] = 'X';
  EXPECT_EQ(VerifyCms(cms, changed).integrity, Integrity::kDigestMismatch);
}

TEST(CmsTest, EcdsaAndRsaPssVerify) {
  CmsCheck ec = VerifyCms(Pki().SignDetached(kContent, Pki().ec_signer), kContent);
  EXPECT_EQ(ec.integrity, Integrity::kValid);
  EXPECT_EQ(ec.signature_algorithm, "ECDSA");
  CmsSignOptions pss;
  pss.pss = true;
  CmsCheck p = VerifyCms(Pki().SignDetached(kContent, Pki().signer, pss), kContent);
  EXPECT_EQ(p.integrity, Integrity::kValid) << (p.problems.empty() ? "" : p.problems[0]);
  EXPECT_EQ(p.signature_algorithm, "RSA-PSS");
}

TEST(CmsTest, Sha1IsValidButFlaggedWeak) {
  CmsSignOptions o;
  o.md = EVP_sha1();
  CmsCheck c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_TRUE(c.weak_digest);
  EXPECT_EQ(c.digest_algorithm, "sha1");
}

TEST(CmsTest, TamperedSignatureValueIsInvalidSignature) {
  std::string cms = Pki().SignDetached(kContent, Pki().signer);
  // The RSA signature value is the last 256 bytes of the SignerInfo (no unsigned attrs).
  cms[cms.size() - 10] = static_cast<char>(cms[cms.size() - 10] ^ 0x01);
  CmsCheck c = VerifyCms(cms, kContent);
  EXPECT_EQ(c.integrity, Integrity::kInvalidSignature);
}

TEST(CmsTest, GarbageAndTruncationAreMalformed) {
  EXPECT_EQ(VerifyCms("", kContent).integrity, Integrity::kMalformed);
  EXPECT_EQ(VerifyCms("garbage, not DER at all", kContent).integrity, Integrity::kMalformed);
  std::string cms = Pki().SignDetached(kContent, Pki().signer);
  for (size_t cut : {size_t{1}, size_t{10}, cms.size() / 2, cms.size() - 1}) {
    CmsCheck c = VerifyCms(std::string_view(cms).substr(0, cut), kContent);
    EXPECT_EQ(c.integrity, Integrity::kMalformed) << "cut at " << cut;
    EXPECT_FALSE(c.problems.empty());
  }
}

TEST(CmsTest, SignatureTimestampImprintChecked) {
  CmsSignOptions o;
  o.timestamp = true;
  CmsCheck c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  ASSERT_EQ(c.integrity, Integrity::kValid);
  ASSERT_TRUE(c.timestamp.has_value());
  EXPECT_TRUE(c.timestamp->ok()) << (c.timestamp->problems.empty() ? "" : c.timestamp->problems[0]);
  EXPECT_GT(c.timestamp->gen_time, 0);
  EXPECT_EQ(c.timestamp->tsa.common_name, "Dịch vụ cấp dấu thời gian TEST TSA");
  // The same token over different data: imprint mismatch.
  std::string token = Pki().TimestampToken("some other signature value");
  TimestampCheck t = VerifyTimestampToken(token, "not the same");
  EXPECT_EQ(t.integrity, Integrity::kValid);
  EXPECT_FALSE(t.imprint_matches);
  EXPECT_FALSE(t.ok());
  EXPECT_TRUE(VerifyTimestampToken(token, "some other signature value").ok());
}

TEST(CmsTest, AdbeRevocationAttributeIsExtracted) {
  CmsSignOptions o;
  o.adbe_crls = {Pki().crl_der};
  o.adbe_ocsps = {Pki().OcspResponse(Pki().signer, false)};
  CmsCheck c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  ASSERT_EQ(c.embedded_revocation.crls_der.size(), 1u);
  EXPECT_EQ(c.embedded_revocation.crls_der[0], Pki().crl_der);
  EXPECT_EQ(c.embedded_revocation.ocsp_responses_der.size(), 1u);
}

}  // namespace
}  // namespace kholuu::formats::x509
