// Signing (sign.h) checked by the verifying side (cms.h, x509.h): a CAdES
// detached CMS from a test-PKI identity and from a generated seal verifies,
// carries signing-certificate-v2, the signingTime asked for and, with a
// timestamp function, a signature timestamp over the signature value.
#include "formats/x509/sign.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <ctime>

#include "formats/x509/cms.h"
#include "formats/x509/x509.h"
#include "tests/formats/x509/test_pki.h"

namespace kholuu::formats::x509 {
namespace {

using kholuu::testing::TestPki;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

constexpr std::string_view kContent = "%PDF-1.7 bytes of a ByteRange, TEST";

TEST(SignTest, CadesDetachedFromAnRsaChainVerifiesAndIsTrusted) {
  auto id = LoadSigningIdentity(TestPki::KeyPem(Pki().org_seal),
                                TestPki::CertPem(Pki().org_seal) + TestPki::CertPem(Pki().intermediate));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_EQ(id->chain_der.size(), 2u);
  CadesSignOptions o;
  o.signing_time = 1763900000;
  auto cms = SignCadesDetached(kContent, *id, o);
  ASSERT_TRUE(cms.ok()) << cms.status().ToString();
  CmsCheck c = VerifyCms(*cms, kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid) << (c.problems.empty() ? "" : c.problems[0]);
  EXPECT_EQ(c.digest_algorithm, "sha256");
  EXPECT_EQ(c.signing_cert.status, SigningCertAttr::kMatches);
  ASSERT_TRUE(c.signing_time.has_value());
  EXPECT_EQ(*c.signing_time, 1763900000);
  EXPECT_EQ(c.certs_der.size(), 2u);
  EXPECT_FALSE(c.timestamp.has_value());
  EXPECT_EQ(VerifyCms(*cms, "other bytes").integrity, Integrity::kDigestMismatch);

  TrustStore store;
  store.anchors_der = {Pki().root.der};
  RevocationData rev;
  rev.crls_der = Pki().Crls();
  // The test PKI's certificates are valid around the time the test runs.
  TrustResult now = EvaluateTrust(c.signer_cert_der, c.certs_der, store, rev,
                                  {static_cast<int64_t>(std::time(nullptr)), false});
  EXPECT_EQ(now.trust, Trust::kTrusted) << now.reasons[0];
}

TEST(SignTest, TimestampFunctionAddsAVerifyingSignatureTimestamp) {
  auto id = LoadSigningIdentity(TestPki::KeyPem(Pki().ec_signer),
                                TestPki::CertPem(Pki().ec_signer) + TestPki::CertPem(Pki().intermediate));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  CadesSignOptions o;
  o.signing_time = 1763900000;
  std::string stamped;
  o.timestamp = [&](std::string_view value) -> Result<std::string> {
    stamped = std::string(value);
    return Pki().TimestampToken(value);
  };
  auto cms = SignCadesDetached(kContent, *id, o);
  ASSERT_TRUE(cms.ok()) << cms.status().ToString();
  CmsCheck c = VerifyCms(*cms, kContent);
  EXPECT_EQ(c.integrity, Integrity::kValid);
  ASSERT_TRUE(c.timestamp.has_value());
  EXPECT_TRUE(c.timestamp->ok()) << (c.timestamp->problems.empty() ? "" : c.timestamp->problems[0]);
  EXPECT_FALSE(stamped.empty());

  o.timestamp = [](std::string_view) -> Result<std::string> { return std::string(); };
  EXPECT_EQ(SignCadesDetached(kContent, *id, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(SignTest, GeneratedSealIsSelfSignedP256AndSigns) {
  auto seal = GenerateSelfSignedSeal("CN=Trung tâm Lưu trữ TEST,O=Sở Nội vụ,C=VN", 1763900000, 30);
  ASSERT_TRUE(seal.ok()) << seal.status().ToString();
  auto id = LoadSigningIdentity(seal->key_pem, seal->cert_pem);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto info = DescribeCertificate(id->chain_der[0]);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->subject, "CN=Trung tâm Lưu trữ TEST,O=Sở Nội vụ,C=VN");
  EXPECT_EQ(info->issuer, info->subject);
  EXPECT_EQ(info->key_algorithm, "EC-prime256v1");
  EXPECT_EQ(info->not_before, 1763900000);
  EXPECT_EQ(info->not_after, 1763900000 + 30 * 86400);
  auto cms = SignCadesDetached(kContent, *id, {1763900000, {}});
  ASSERT_TRUE(cms.ok());
  EXPECT_EQ(VerifyCms(*cms, kContent).integrity, Integrity::kValid);
  // Its own certificate as the only anchor: a chain, but no revocation data.
  TrustStore store;
  store.anchors_der = {id->chain_der[0]};
  EXPECT_NE(EvaluateTrust(id->chain_der[0], {}, store, {}, {1763900000 + 60, false}).trust, Trust::kUntrusted);

  auto bare = GenerateSelfSignedSeal("kholuu TEST", 1763900000, 1);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(GenerateSelfSignedSeal("", 1763900000, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateSelfSignedSeal("CN=x,NOPE=y", 1763900000, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateSelfSignedSeal("CN=x,O", 1763900000, 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(GenerateSelfSignedSeal("CN=x", 1763900000, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST(SignTest, LoadRejectsMismatchedEncryptedAndEmptyInput) {
  const std::string cert = TestPki::CertPem(Pki().org_seal);
  EXPECT_EQ(LoadSigningIdentity(TestPki::KeyPem(Pki().signer), cert).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadSigningIdentity("", cert).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadSigningIdentity(TestPki::KeyPem(Pki().org_seal), "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadSigningIdentity(TestPki::KeyPem(Pki().org_seal), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END "
                                                                  "CERTIFICATE-----\n")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // An encrypted key is refused, never prompted for.
  auto pkey = Pki().org_seal.key.get();
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  ASSERT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                          const_cast<char*>("secret")),
            1);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  std::string encrypted(data, static_cast<size_t>(n));
  EXPECT_EQ(LoadSigningIdentity(encrypted, cert).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace kholuu::formats::x509
