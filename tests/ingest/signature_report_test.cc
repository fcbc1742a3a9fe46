// The stored signature report (ingest/signature_report.h): version 2 as
// written, and version 1 reports read back in version 2's terms.
#include "ingest/signature_report.h"

#include <gtest/gtest.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "tests/formats/pdfsig/test_pdf.h"
#include "tests/formats/x509/test_pki.h"
#include "tests/support/status_matchers.h"

namespace kholuu::ingest {
namespace {

using kholuu::testing::CmsSignOptions;
using kholuu::testing::Identity;
using kholuu::testing::TestPdf;
using kholuu::testing::TestPki;
namespace pdfsig = formats::pdfsig;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

pdfsig::PdfReport VerifySigned(const Identity& who, const CmsSignOptions& cms) {
  TestPdf pdf;
  TestPdf::SignSpec spec;
  spec.sign = [&](std::string_view content) { return Pki().SignDetached(content, who, cms); };
  EXPECT_TRUE(pdf.Sign(spec));
  pdfsig::VerifyOptions o;
  o.trust_store.anchors_der.push_back(Pki().root.der);
  o.now = static_cast<int64_t>(std::time(nullptr));
  auto r = pdfsig::VerifyPdfSignatures(pdf.bytes(), o);
  EXPECT_OK(r.status());
  return r.ok() ? *r : pdfsig::PdfReport{};
}

TEST(SignatureReportTest, VersionTwoCarriesFieldsSignersAndTheBindingAndReadsBack) {
  CmsSignOptions two;
  two.adbe_crls = Pki().Crls();
  two.co_signer = &Pki().org_seal;
  pdfsig::PdfReport report = VerifySigned(Pki().signer, two);
  ASSERT_EQ(report.signatures.size(), 1u);
  std::string text = SignatureReportText("a.pdf", report);
  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(j["format"], kSignatureReportFormat);
  const auto& s = j["signatures"][0];
  EXPECT_EQ(s["fields"], nlohmann::json::array({"Signature1"}));
  EXPECT_EQ(s["signers"].size(), 2u);
  EXPECT_EQ(s["signing_certificate"]["status"], "matches");
  EXPECT_EQ(s["signature_policy"]["status"], "absent");

  for (std::string_view format : {std::string_view(kSignatureReportFormat), std::string_view()}) {
    auto back = ReadSignatureReport(format, text);
    ASSERT_OK(back.status());
    EXPECT_EQ(back->version, 2);
    EXPECT_EQ(back->file, "a.pdf");
    ASSERT_EQ(back->signatures.size(), 1u);
    const StoredSignature& b = back->signatures[0];
    EXPECT_EQ(b.fields, std::vector<std::string>{"Signature1"});
    EXPECT_EQ(b.integrity, "valid");
    EXPECT_EQ(b.signers, 2u);
    EXPECT_EQ(b.signing_certificate, "matches");
    EXPECT_EQ(b.failed, SignatureFailed(report.signatures[0]));
  }
}

TEST(SignatureReportTest, SigningCertificateMismatchIsNotAFailure) {
  CmsSignOptions ess;
  ess.adbe_crls = Pki().Crls();
  ess.ess_attr_der = TestPki::DerWrap(
      0x30, TestPki::DerWrap(0x30, TestPki::DerWrap(0x30, TestPki::DerWrap(0x04, TestPki::CertHash(Pki().org_seal, EVP_sha256())))));
  pdfsig::PdfReport report = VerifySigned(Pki().signer, ess);
  ASSERT_EQ(report.signatures.size(), 1u);
  EXPECT_FALSE(SignatureFailed(report.signatures[0]));
  auto back = ReadSignatureReport(kSignatureReportFormat, SignatureReportText("a.pdf", report));
  ASSERT_OK(back.status());
  EXPECT_EQ(back->signatures[0].integrity, "valid");
  EXPECT_EQ(back->signatures[0].signing_certificate, "does-not-match");
  EXPECT_FALSE(back->signatures[0].failed);
}

// A version 1 report as kholuu wrote them before version 2 (only the members
// read back are shown; readers ignore the others).
std::string V1Report(const std::string& integrity, const std::vector<std::string>& problems) {
  nlohmann::json sig = {{"field", "Signature1"},       {"kind", "signature"},  {"integrity", integrity},
                        {"trust", "trusted"},          {"revision", 0},        {"problems", problems},
                        {"changes_after_signing", nlohmann::json::array()}};
  return nlohmann::json({{"file", "old.pdf"}, {"revisions", 1}, {"problems", nlohmann::json::array()},
                         {"signatures", {sig}}})
      .dump(2);
}

TEST(SignatureReportTest, VersionOneIsReadInVersionTwoTerms) {
  const std::string ess = "the signing-certificate attribute does not identify the signer certificate";
  // The binding alone made version 1 say invalid-signature.
  auto only_ess = ReadSignatureReport(kSignatureReportFormatV1, V1Report("invalid-signature", {ess}));
  ASSERT_OK(only_ess.status());
  EXPECT_EQ(only_ess->version, 1);
  ASSERT_EQ(only_ess->signatures.size(), 1u);
  EXPECT_EQ(only_ess->signatures[0].fields, std::vector<std::string>{"Signature1"});
  EXPECT_EQ(only_ess->signatures[0].integrity, "valid");
  EXPECT_EQ(only_ess->signatures[0].signing_certificate, "does-not-match");
  EXPECT_FALSE(only_ess->signatures[0].failed);
  // A signature value that did not verify stays invalid.
  auto both = ReadSignatureReport(
      "", V1Report("invalid-signature", {"the signature value does not verify with the signer's key: x", ess}));
  ASSERT_OK(both.status());
  EXPECT_EQ(both->version, 1);
  EXPECT_EQ(both->signatures[0].integrity, "invalid-signature");
  EXPECT_TRUE(both->signatures[0].failed);
  // Nothing said about the binding.
  auto plain = ReadSignatureReport(kSignatureReportFormatV1, V1Report("valid", {}));
  ASSERT_OK(plain.status());
  EXPECT_EQ(plain->signatures[0].signing_certificate, "not-recorded");
  EXPECT_FALSE(plain->signatures[0].failed);
}

TEST(SignatureReportTest, OtherTextIsRefused) {
  EXPECT_THAT(ReadSignatureReport("", "not json"), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadSignatureReport("", "[]"), kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadSignatureReport("kholuu signature report 9", "{\"signatures\": []}"),
              kholuu::testing::StatusIs(StatusCode::kUnimplemented));
  EXPECT_THAT(ReadSignatureReport("PDF/A-2B", "{\"signatures\": []}"),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadSignatureReport(kSignatureReportFormatV1, "{\"signatures\": [{\"field\": \"a\"}]}"),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  // A version 2 text stored under the version 1 name contradicts itself.
  EXPECT_THAT(ReadSignatureReport(kSignatureReportFormatV1,
                                  "{\"format\": \"kholuu signature report 2\", \"signatures\": []}"),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace kholuu::ingest
