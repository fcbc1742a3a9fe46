#include "formats/x509/cms.h"

#include <gtest/gtest.h>

#include <set>

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
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMatches);
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

// ESSCertIDv2 { [hashAlgorithm], certHash, [issuerSerial] } inside SigningCertificateV2.
std::string EssV2(const std::string& alg_der, const std::string& hash, const std::string& issuer_serial) {
  std::string id = TestPki::DerWrap(0x30, alg_der + TestPki::DerWrap(0x04, hash) + issuer_serial);
  return TestPki::DerWrap(0x30, TestPki::DerWrap(0x30, id));
}

// AlgorithmIdentifier for an OID given as its DER content bytes.
std::string AlgId(const std::string& oid_content) {
  return TestPki::DerWrap(0x30, TestPki::DerWrap(0x06, oid_content) + std::string("\x05\x00", 2));
}

const std::string kSha512Oid("\x60\x86\x48\x01\x65\x03\x04\x02\x03", 9);  // 2.16.840.1.101.3.4.2.3

TEST(CmsTest, SigningCertificateIssuerSerialMatchesByRfc5280NameMatching) {
  // RDNs in reverse order, UTF8String instead of PrintableString, upper case,
  // white space around the values: the same issuer by RFC 5280 matching.
  CmsSignOptions o;
  o.ess_attr_der = EssV2("", TestPki::CertHash(Pki().signer, EVP_sha256()), TestPki::IssuerSerialDer(Pki().signer, true));
  CmsCheck c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMatches);
  EXPECT_EQ(c.signing_cert.attribute, "signing-certificate-v2");
  EXPECT_EQ(c.signing_cert.hash_algorithm, "sha256");
  ASSERT_TRUE(c.signing_cert.issuer_serial_matches.has_value());
  EXPECT_TRUE(*c.signing_cert.issuer_serial_matches);
  // The issuerSerial of another certificate (same issuer, other serial): the
  // hash still identifies the signer; the odd issuerSerial is a note.
  o.ess_attr_der = EssV2("", TestPki::CertHash(Pki().signer, EVP_sha256()), TestPki::IssuerSerialDer(Pki().org_seal, false));
  c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMatches);
  EXPECT_EQ(c.signing_cert.issuer_serial_matches, std::optional<bool>(false));
}

TEST(CmsTest, SigningCertificateHashUsesTheAlgorithmTheAttributeNames) {
  CmsSignOptions o;
  // v2 with an explicit SHA-512 hashAlgorithm.
  o.ess_attr_der = EssV2(AlgId(kSha512Oid), TestPki::CertHash(Pki().signer, EVP_sha512()), "");
  CmsCheck c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMatches);
  EXPECT_EQ(c.signing_cert.hash_algorithm, "sha512");
  // A SHA-256 hash labelled SHA-512 does not match.
  o.ess_attr_der = EssV2(AlgId(kSha512Oid), TestPki::CertHash(Pki().signer, EVP_sha256()), "");
  c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMismatch);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  // v1: SHA-1 of the certificate.
  o.ess_v1 = true;
  o.ess_attr_der = TestPki::DerWrap(0x30, TestPki::DerWrap(0x30, TestPki::DerWrap(
      0x30, TestPki::DerWrap(0x04, TestPki::CertHash(Pki().signer, EVP_sha1())) +
                TestPki::IssuerSerialDer(Pki().signer, false))));
  c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMatches);
  EXPECT_EQ(c.signing_cert.attribute, "signing-certificate");
  EXPECT_EQ(c.signing_cert.hash_algorithm, "sha1");
}

TEST(CmsTest, SigningCertificateMismatchIsASeparateFindingNotABrokenSignature) {
  CmsSignOptions o;
  o.ess_attr_der = EssV2("", TestPki::CertHash(Pki().org_seal, EVP_sha256()), TestPki::IssuerSerialDer(Pki().org_seal, false));
  std::string cms = Pki().SignDetached(kContent, Pki().signer, o);
  CmsCheck c = VerifyCms(cms, kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMismatch);
  EXPECT_EQ(SigningCertAttrName(c.signing_cert.status), "does-not-match");
  // The changed content is still caught, whatever the attribute says.
  EXPECT_EQ(VerifyCms(cms, kContent + "x").integrity, Integrity::kDigestMismatch);
  // An unknown hash algorithm and an undecodable attribute: unverifiable.
  o.ess_attr_der = EssV2(AlgId(std::string("\x2a\x03\x04", 3)), std::string(32, 'a'), "");
  c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kUnverifiable);
  o.ess_attr_der = TestPki::DerWrap(0x30, TestPki::DerWrap(0x02, "\x01"));
  c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kUnverifiable);
}

TEST(CmsTest, SignerFoundWhenTheSidIssuerIsEncodedDifferently) {
  CmsSignOptions o;
  o.reencode_sid_issuer = true;
  CmsCheck c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid) << (c.problems.empty() ? "" : c.problems[0]);
  EXPECT_EQ(c.signer.common_name, "Nguyễn Văn An TEST");
}

TEST(CmsTest, SignerIdentifiedBySubjectKeyIdentifierIsFound) {
  // RFC 5652 5.3: sid is issuerAndSerialNumber or subjectKeyIdentifier; both
  // identify the signer (poppler 22's pdfsig reports "Unknown Validation
  // Failure" for the second; docs/signatures.md).
  CmsSignOptions o;
  o.sid_key_id = true;
  std::string cms = Pki().SignDetached(kContent, Pki().signer, o);
  CmsCheck c = VerifyCms(cms, kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid) << (c.problems.empty() ? "" : c.problems[0]);
  EXPECT_EQ(c.signer.common_name, "Nguyễn Văn An TEST");
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMatches);
  ASSERT_EQ(c.signers.size(), 1u);
  EXPECT_EQ(c.signers[0].signer_identifier, "subject-key-identifier");
  EXPECT_EQ(VerifyCms(Pki().SignDetached(kContent, Pki().signer), kContent).signers[0].signer_identifier,
            "issuer-and-serial");
  EXPECT_EQ(VerifyCms(cms, kContent + "x").integrity, Integrity::kDigestMismatch);
}

TEST(CmsTest, SignaturePolicyIsReportedAndNeverDropsTheSignature) {
  const std::string policy_oid = TestPki::DerWrap(0x06, std::string("\x60\x4c\x01\x02", 4));
  CmsSignOptions o;
  // sigPolicyHash with a zero-length hash value.
  o.policy_attr_der = TestPki::DerWrap(0x30, policy_oid + TestPki::DerWrap(0x30, AlgId(kSha512Oid) + TestPki::DerWrap(0x04, "")));
  CmsCheck c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.policy.status, PolicyAttr::kIdentified);
  EXPECT_EQ(c.policy.oid, "2.16.76.1.2");
  EXPECT_EQ(c.policy.hash_algorithm, "sha512");
  EXPECT_EQ(c.policy.hash_length, 0u);
  ASSERT_FALSE(c.policy.notes.empty());
  EXPECT_NE(c.policy.notes[0].find("empty"), std::string::npos) << c.policy.notes[0];
  // signaturePolicyImplied, and a policy attribute that is not one.
  o.policy_attr_der = std::string("\x05\x00", 2);
  c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.policy.status, PolicyAttr::kImplied);
  o.policy_attr_der = TestPki::DerWrap(0x30, TestPki::DerWrap(0x04, "x"));
  c = VerifyCms(Pki().SignDetached(kContent, Pki().signer, o), kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  EXPECT_EQ(c.policy.status, PolicyAttr::kMalformed);
  EXPECT_EQ(VerifyCms(Pki().SignDetached(kContent, Pki().signer), kContent).policy.status, PolicyAttr::kAbsent);
}

TEST(CmsTest, EverySignerOfASignedDataIsVerified) {
  CmsSignOptions o;
  o.co_signer = &Pki().ec_signer;
  std::string cms = Pki().SignDetached(kContent, Pki().signer, o);
  CmsCheck c = VerifyCms(cms, kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid) << (c.problems.empty() ? "" : c.problems[0]);
  ASSERT_EQ(c.signers.size(), 2u);
  // DER sorts the SET OF SignerInfos: either may come first.
  std::set<std::string> names = {c.signers[0].signer.common_name, c.signers[1].signer.common_name};
  EXPECT_EQ(names, (std::set<std::string>{"Nguyễn Văn An TEST", DescribeCertificate(Pki().ec_signer.der)->common_name}));
  for (const SignerCheck& s : c.signers) {
    EXPECT_EQ(s.integrity, Integrity::kValid);
    EXPECT_EQ(s.signing_cert.status, SigningCertAttr::kMatches);
  }
  // Both digests are over the same content: a changed byte breaks both.
  CmsCheck changed = VerifyCms(cms, kContent + "x");
  EXPECT_EQ(changed.integrity, Integrity::kDigestMismatch);
  for (const SignerCheck& s : changed.signers) EXPECT_EQ(s.integrity, Integrity::kDigestMismatch);
  // The second signature value damaged: the first signer stays valid, the
  // SignedData is not.
  std::string bad = cms;
  size_t last = bad.size() - 1;  // the last SignerInfo's signature value ends the DER
  bad[last - 2] = static_cast<char>(bad[last - 2] ^ 0x01);
  CmsCheck damaged = VerifyCms(bad, kContent);
  ASSERT_EQ(damaged.signers.size(), 2u);
  EXPECT_EQ(damaged.signers.front().integrity, Integrity::kValid);
  EXPECT_EQ(damaged.signers.back().integrity, Integrity::kInvalidSignature);
  EXPECT_EQ(damaged.integrity, Integrity::kInvalidSignature);
}

}  // namespace
}  // namespace kholuu::formats::x509
