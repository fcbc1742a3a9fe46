#include <gtest/gtest.h>

#include <ctime>

#include "formats/x509/x509.h"
#include "tests/formats/x509/test_pki.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::x509 {
namespace {

using testing::TestPki;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

TrustStore Store() {
  TrustStore s;
  s.anchors_der.push_back(Pki().root.der);
  return s;
}

TrustOptions Now() {
  TrustOptions o;
  o.at = static_cast<int64_t>(std::time(nullptr));
  return o;
}

std::string Reasons(const TrustResult& r) {
  std::string out;
  for (const auto& s : r.reasons) out += s + " | ";
  return out;
}

TEST(TrustTest, LoadsPemDirectory) {
  kholuu::testing::TempDir dir;
  Pki().WriteTrustStore(dir.path());
  ASSERT_OK_AND_ASSIGN(TrustStore store, TrustStore::LoadPemDirectory(dir.path()));
  ASSERT_EQ(store.anchors_der.size(), 1u);
  EXPECT_EQ(store.anchors_der[0], Pki().root.der);
  kholuu::testing::WriteTestFile(dir.Sub("junk.pem"), "not a certificate");
  EXPECT_THAT(TrustStore::LoadPemDirectory(dir.path()),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(TrustStore::LoadPemDirectory(dir.Sub("missing")),
              kholuu::testing::StatusIs(StatusCode::kNotFound));
}

RevocationData Crls() {
  RevocationData rev;
  rev.crls_der = Pki().Crls();  // the intermediate's CRL and the root's
  return rev;
}

TEST(TrustTest, GoodChainWithCrlIsTrusted) {
  TrustResult r = EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), Crls(), Now());
  EXPECT_EQ(r.trust, Trust::kTrusted) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kGood);
  EXPECT_EQ(r.revocation_source, "crl");
  ASSERT_EQ(r.chain.size(), 3u);
  EXPECT_EQ(r.chain[2].common_name, "Cơ quan chứng thực chữ ký số Chính phủ TEST ROOT");
  // Leaf and intermediate were each checked; the anchor is not.
  ASSERT_EQ(r.chain_revocation.size(), 2u);
  EXPECT_EQ(r.chain_revocation[0].status, Revocation::kGood);
  EXPECT_EQ(r.chain_revocation[1].common_name, "Cơ quan chứng thực chữ ký số chuyên dùng Chính phủ TEST");
  EXPECT_EQ(r.chain_revocation[1].status, Revocation::kGood);
  EXPECT_EQ(r.chain_revocation[1].source, "crl");
}

TEST(TrustTest, IntermediateWithoutRevocationEvidenceIsUnknown) {
  RevocationData leaf_only;
  leaf_only.crls_der.push_back(Pki().crl_der);
  TrustResult r = EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), leaf_only, Now());
  EXPECT_EQ(r.trust, Trust::kUnknown) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kGood);  // the signer itself is fine
  EXPECT_NE(Reasons(r).find("revocation status of the intermediate certificate"), std::string::npos)
      << Reasons(r);
}

TEST(TrustTest, RevokedIntermediateIsUntrustedByCrlOrOcsp) {
  // The signer is not on its CA's CRL, but the CA is on the root's.
  RevocationData crls;
  crls.crls_der = {Pki().revoked_ca_crl_der, Pki().root_crl_der};
  TrustResult r = EvaluateTrust(Pki().revoked_ca_signer.der, {Pki().revoked_ca.der}, Store(), crls, Now());
  EXPECT_EQ(r.trust, Trust::kUntrusted) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kGood);
  ASSERT_EQ(r.chain_revocation.size(), 2u);
  EXPECT_EQ(r.chain_revocation[1].status, Revocation::kRevoked);
  EXPECT_NE(Reasons(r).find("intermediate certificate \"CA bị thu hồi TEST REVOKED CA\" revoked on"),
            std::string::npos)
      << Reasons(r);
  // Judged before the CA's revocation (a trusted timestamp): trusted.
  TrustOptions earlier = Now();
  earlier.at -= 2 * 3600;
  EXPECT_EQ(EvaluateTrust(Pki().revoked_ca_signer.der, {Pki().revoked_ca.der}, Store(), crls, earlier).trust,
            Trust::kTrusted);

  // The same by an OCSP response of the root.
  RevocationData ocsp;
  ocsp.crls_der = {Pki().revoked_ca_crl_der};
  ocsp.ocsp_responses_der = {Pki().RootOcspResponse(Pki().revoked_ca, true)};
  r = EvaluateTrust(Pki().revoked_ca_signer.der, {Pki().revoked_ca.der}, Store(), ocsp, Now());
  EXPECT_EQ(r.trust, Trust::kUntrusted) << Reasons(r);
  ASSERT_EQ(r.chain_revocation.size(), 2u);
  EXPECT_EQ(r.chain_revocation[1].source, "ocsp");
  // A good OCSP status for the intermediate completes the evidence.
  RevocationData good;
  good.crls_der = {Pki().crl_der};
  good.ocsp_responses_der = {Pki().RootOcspResponse(Pki().intermediate, false)};
  r = EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), good, Now());
  EXPECT_EQ(r.trust, Trust::kTrusted) << Reasons(r);
}

TEST(TrustTest, GoodChainWithoutRevocationDataIsUnknown) {
  TrustResult r = EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), {}, Now());
  EXPECT_EQ(r.trust, Trust::kUnknown) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kUnknown);
}

TEST(TrustTest, OcspGoodAndRevoked) {
  RevocationData good;
  good.crls_der.push_back(Pki().root_crl_der);  // for the intermediate
  good.ocsp_responses_der.push_back(Pki().OcspResponse(Pki().org_seal, false));
  TrustResult r = EvaluateTrust(Pki().org_seal.der, {Pki().intermediate.der}, Store(), good, Now());
  EXPECT_EQ(r.trust, Trust::kTrusted) << Reasons(r);
  EXPECT_EQ(r.revocation_source, "ocsp");
  RevocationData bad;
  bad.ocsp_responses_der.push_back(Pki().OcspResponse(Pki().org_seal, true));
  r = EvaluateTrust(Pki().org_seal.der, {Pki().intermediate.der}, Store(), bad, Now());
  EXPECT_EQ(r.trust, Trust::kUntrusted) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kRevoked);
}

TEST(TrustTest, RevokedOnCrlIsUntrustedButNotBeforeRevocation) {
  RevocationData rev = Crls();
  TrustResult r = EvaluateTrust(Pki().revoked.der, {Pki().intermediate.der}, Store(), rev, Now());
  EXPECT_EQ(r.trust, Trust::kUntrusted) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kRevoked);
  // Judged at a time (e.g. a trusted timestamp) before the revocation date.
  TrustOptions earlier = Now();
  earlier.at -= 2 * 3600;
  r = EvaluateTrust(Pki().revoked.der, {Pki().intermediate.der}, Store(), rev, earlier);
  EXPECT_EQ(r.trust, Trust::kTrusted) << Reasons(r);
}

TEST(TrustTest, ExpiredUntrustedRootAndNoStore) {
  RevocationData rev;
  rev.crls_der.push_back(Pki().crl_der);
  TrustResult r = EvaluateTrust(Pki().expired.der, {Pki().intermediate.der}, Store(), rev, Now());
  EXPECT_EQ(r.trust, Trust::kUntrusted);
  EXPECT_NE(Reasons(r).find("expired"), std::string::npos) << Reasons(r);

  r = EvaluateTrust(Pki().other_signer.der, {Pki().other_root.der}, Store(), rev, Now());
  EXPECT_EQ(r.trust, Trust::kUntrusted) << Reasons(r);

  r = EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, TrustStore{}, rev, Now());
  EXPECT_EQ(r.trust, Trust::kUnknown);
  r = EvaluateTrust("garbage", {}, Store(), rev, Now());
  EXPECT_EQ(r.trust, Trust::kUnknown);
}

TEST(TrustTest, TsaNeedsTimestampingPurpose) {
  TrustOptions o = Now();
  o.timestamping = true;
  RevocationData rev = Crls();
  EXPECT_EQ(EvaluateTrust(Pki().tsa.der, {Pki().intermediate.der}, Store(), rev, o).trust,
            Trust::kTrusted);
  EXPECT_EQ(EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), rev, o).trust,
            Trust::kUntrusted);
}

}  // namespace
}  // namespace kholuu::formats::x509
