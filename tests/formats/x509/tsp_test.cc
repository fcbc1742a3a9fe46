// The RFC 3161 client messages (tsp.h) against the test PKI's TSA (OpenSSL's
// TS_RESP_CTX answering our query): a granted answer yields a token that
// verifies over the stamped data; rejections, answers to another query
// (nonce or imprint), and malformed bytes are refused with specific errors.
#include "formats/x509/tsp.h"

#include <gtest/gtest.h>

#include "formats/x509/cms.h"
#include "formats/x509/internal/ossl.h"
#include "tests/formats/x509/test_pki.h"
#include "tests/support/status_matchers.h"

namespace kholuu::formats::x509 {
namespace {

using kholuu::testing::StatusIs;
using kholuu::testing::TestPki;
using ::testing::HasSubstr;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

constexpr std::string_view kSignature = "a CMS signature value, TEST";

TEST(TspTest, QueryCarriesSha256ImprintCertReqAndNonce) {
  ASSERT_OK_AND_ASSIGN(std::string q, BuildTimestampQuery(kSignature, 0x1234567890abcdefULL >> 1));
  const auto* p = reinterpret_cast<const unsigned char*>(q.data());
  internal::TsReqPtr req(d2i_TS_REQ(nullptr, &p, static_cast<long>(q.size())));
  ASSERT_TRUE(req);
  EXPECT_EQ(TS_REQ_get_version(req.get()), 1);
  EXPECT_EQ(TS_REQ_get_cert_req(req.get()), 1);
  uint64_t nonce = 0;
  ASSERT_EQ(ASN1_INTEGER_get_uint64(&nonce, TS_REQ_get_nonce(req.get())), 1);
  EXPECT_EQ(nonce, 0x1234567890abcdefULL >> 1);
  TS_MSG_IMPRINT* imprint = TS_REQ_get_msg_imprint(req.get());
  const ASN1_OBJECT* alg = nullptr;
  X509_ALGOR_get0(&alg, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
  EXPECT_EQ(OBJ_obj2nid(alg), NID_sha256);
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>(kSignature.data()), kSignature.size(), digest);
  ASN1_OCTET_STRING* msg = TS_MSG_IMPRINT_get_msg(imprint);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(msg)),
                        static_cast<size_t>(ASN1_STRING_length(msg))),
            std::string(reinterpret_cast<const char*>(digest), sizeof digest));
}

TEST(TspTest, NoncesAreFreshAndNonZero) {
  ASSERT_OK_AND_ASSIGN(uint64_t a, NewTimestampNonce());
  ASSERT_OK_AND_ASSIGN(uint64_t b, NewTimestampNonce());
  EXPECT_NE(a, 0u);
  EXPECT_NE(a, b);
}

TEST(TspTest, GrantedAnswerYieldsATokenOverTheData) {
  ASSERT_OK_AND_ASSIGN(uint64_t nonce, NewTimestampNonce());
  ASSERT_OK_AND_ASSIGN(std::string q, BuildTimestampQuery(kSignature, nonce));
  std::string resp = Pki().TimestampResponse(q);
  ASSERT_OK_AND_ASSIGN(std::string token, ExtractTimestampToken(resp, q));
  TimestampCheck t = VerifyTimestampToken(token, kSignature);
  EXPECT_TRUE(t.ok()) << (t.problems.empty() ? "" : t.problems[0]);
  EXPECT_EQ(t.hash_algorithm, "sha256");
  EXPECT_FALSE(t.tsa_cert_der.empty());  // certReq TRUE: the TSA's certificate is in the token
  EXPECT_FALSE(VerifyTimestampToken(token, "other data").imprint_matches);
}

TEST(TspTest, AnswerToAnotherNonceIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::string mine, BuildTimestampQuery(kSignature, 1111));
  ASSERT_OK_AND_ASSIGN(std::string other, BuildTimestampQuery(kSignature, 2222));
  auto token = ExtractTimestampToken(Pki().TimestampResponse(other), mine);
  EXPECT_THAT(token, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(token.status().message(), HasSubstr("nonce"));
}

TEST(TspTest, AnswerForOtherDataIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::string mine, BuildTimestampQuery(kSignature, 77));
  ASSERT_OK_AND_ASSIGN(std::string other, BuildTimestampQuery("another signature", 77));
  auto token = ExtractTimestampToken(Pki().TimestampResponse(other), mine);
  EXPECT_THAT(token, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(token.status().message(), HasSubstr("messageImprint"));
}

TEST(TspTest, RejectionNamesStatusFailureBitsAndTsaText) {
  ASSERT_OK_AND_ASSIGN(std::string q, BuildTimestampQuery(kSignature, 5));
  // OpenSSL's TSA rejects a request it cannot parse with badDataFormat.
  std::string rejection = Pki().TimestampResponse("not a TimeStampReq");
  auto token = ExtractTimestampToken(rejection, q);
  EXPECT_THAT(token, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(token.status().message(), HasSubstr("rejection"));
  EXPECT_THAT(token.status().message(), HasSubstr("badDataFormat"));
  EXPECT_THAT(token.status().message(), HasSubstr("\""));  // the TSA's status text, quoted
}

TEST(TspTest, MalformedResponsesAreRefused) {
  ASSERT_OK_AND_ASSIGN(std::string q, BuildTimestampQuery(kSignature, 9));
  std::string good = Pki().TimestampResponse(q);
  ASSERT_TRUE(ExtractTimestampToken(good, q).ok());
  const std::string cases[] = {
      "",
      "<html>502 Bad Gateway</html>",
      good.substr(0, good.size() / 2),
      good + "x",
      std::string("\x30\x05\x30\x03\x02\x01\x00", 7),  // granted, no token
      std::string(2u << 20, '\x30'),
  };
  for (const std::string& bad : cases) {
    auto token = ExtractTimestampToken(bad, q);
    EXPECT_THAT(token, StatusIs(StatusCode::kInvalidArgument)) << bad.size() << " bytes";
  }
  // The token itself is not a response either.
  EXPECT_THAT(ExtractTimestampToken(Pki().TimestampToken(kSignature), q),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(TspTest, BadQueryIsRefused) {
  ASSERT_OK_AND_ASSIGN(std::string q, BuildTimestampQuery(kSignature, 9));
  EXPECT_THAT(ExtractTimestampToken(Pki().TimestampResponse(q), "garbage"),
              StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace kholuu::formats::x509
