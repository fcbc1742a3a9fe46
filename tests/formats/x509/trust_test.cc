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

TEST(TrustTest, GoodChainWithCrlIsTrusted) {
  RevocationData rev;
  rev.crls_der.push_back(Pki().crl_der);
  TrustResult r = EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), rev, Now());
  EXPECT_EQ(r.trust, Trust::kTrusted) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kGood);
  EXPECT_EQ(r.revocation_source, "crl");
  ASSERT_EQ(r.chain.size(), 3u);
  EXPECT_EQ(r.chain[2].common_name, "Cơ quan chứng thực chữ ký số Chính phủ TEST ROOT");
}

TEST(TrustTest, GoodChainWithoutRevocationDataIsUnknown) {
  TrustResult r = EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), {}, Now());
  EXPECT_EQ(r.trust, Trust::kUnknown) << Reasons(r);
  EXPECT_EQ(r.revocation, Revocation::kUnknown);
}

TEST(TrustTest, OcspGoodAndRevoked) {
  RevocationData good;
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
  RevocationData rev;
  rev.crls_der.push_back(Pki().crl_der);
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
  RevocationData rev;
  rev.crls_der.push_back(Pki().crl_der);
  EXPECT_EQ(EvaluateTrust(Pki().tsa.der, {Pki().intermediate.der}, Store(), rev, o).trust,
            Trust::kTrusted);
  EXPECT_EQ(EvaluateTrust(Pki().signer.der, {Pki().intermediate.der}, Store(), rev, o).trust,
            Trust::kUntrusted);
}

}  // namespace
}  // namespace kholuu::formats::x509
