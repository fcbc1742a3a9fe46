#include "formats/pdfsig/pdf_signatures.h"

#include <gtest/gtest.h>

#include <ctime>
#include <functional>
#include <optional>

#include "tests/formats/pdfsig/test_pdf.h"
#include "tests/formats/x509/test_pki.h"
#include "tests/support/status_matchers.h"

namespace kholuu::formats::pdfsig {
namespace {

using kholuu::testing::CmsSignOptions;
using kholuu::testing::Identity;
using kholuu::testing::TestPdf;
using kholuu::testing::TestPki;
using x509::Integrity;
using x509::Trust;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

VerifyOptions Options() {
  VerifyOptions o;
  o.trust_store.anchors_der.push_back(Pki().root.der);
  o.now = static_cast<int64_t>(std::time(nullptr));
  return o;
}

TestPdf::SignSpec Spec(const Identity& who, CmsSignOptions cms = {}, std::string field = "Signature1") {
  TestPdf::SignSpec s;
  s.field = std::move(field);
  const Identity* id = &who;
  s.sign = [id, cms](std::string_view content) { return Pki().SignDetached(content, *id, cms); };
  return s;
}

// Signed with the intermediate's and the root's CRLs in the adbe attribute.
CmsSignOptions WithCrl() {
  CmsSignOptions o;
  o.adbe_crls = Pki().Crls();
  return o;
}

PdfReport Verify(const std::string& pdf) {
  auto r = VerifyPdfSignatures(pdf, Options());
  EXPECT_OK(r.status());
  return r.ok() ? *r : PdfReport{};
}

std::string Dump(const SignatureReport& s) {
  std::string out = std::string(x509::IntegrityName(s.integrity)) + " / " +
                    std::string(x509::TrustName(s.trust.trust)) + ":";
  for (const auto& p : s.problems) out += " [" + p + "]";
  for (const auto& p : s.trust.reasons) out += " {" + p + "}";
  return out;
}

TEST(PdfSigTest, ValidSignatureCoversWholeDocumentAndIsTrusted) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl())));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.field, "Signature1");
  EXPECT_EQ(s.subfilter, "ETSI.CAdES.detached");
  EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
  EXPECT_TRUE(s.covers_whole_document);
  EXPECT_FALSE(s.modified_after_signing);
  EXPECT_EQ(s.revision, 1);
  EXPECT_TRUE(s.changes.empty());
  EXPECT_EQ(s.signer, "Nguyễn Văn An TEST");
  EXPECT_EQ(s.trust.trust, Trust::kTrusted) << Dump(s);
  EXPECT_TRUE(s.signing_time.has_value());
  EXPECT_EQ(r.revisions, 2u);
}

TEST(PdfSigTest, NoTrustStoreMeansUnknown) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl())));
  VerifyOptions o;
  o.now = static_cast<int64_t>(std::time(nullptr));
  auto r = VerifyPdfSignatures(pdf.bytes(), o);
  ASSERT_OK(r.status());
  EXPECT_EQ(r->signatures[0].integrity, Integrity::kValid);
  EXPECT_EQ(r->signatures[0].trust.trust, Trust::kUnknown);
}

TEST(PdfSigTest, ByteChangedInsideSignedRangeIsDigestMismatch) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl())));
  std::string bytes = pdf.bytes();
  size_t at = bytes.find("Hello");
  ASSERT_NE(at, std::string::npos);
  bytes[at] = 'J';
  PdfReport r = Verify(bytes);
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.signatures[0].integrity, Integrity::kDigestMismatch) << Dump(r.signatures[0]);
  EXPECT_NE(r.signatures[0].trust.trust, Trust::kTrusted);
}

TEST(PdfSigTest, UnsignedPageAppendedIsReportedAsOtherChange) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl())));
  pdf.AppendPage();
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.integrity, Integrity::kValid);
  EXPECT_FALSE(s.covers_whole_document);
  EXPECT_TRUE(s.modified_after_signing);
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].change, ChangeClass::kOther);
  EXPECT_EQ(s.changes[0].revision, 2);
}

TEST(PdfSigTest, DssUpdateIsValidationDataAndSuppliesRevocation) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer)));  // no revocation data in the CMS
  EXPECT_EQ(Verify(pdf.bytes()).signatures[0].trust.trust, Trust::kUnknown);
  pdf.AddDss({Pki().intermediate.der}, Pki().Crls(), {});
  PdfReport r = Verify(pdf.bytes());
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.integrity, Integrity::kValid);
  EXPECT_TRUE(s.modified_after_signing);
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].change, ChangeClass::kValidationData);
  EXPECT_EQ(s.trust.trust, Trust::kTrusted) << Dump(s);
}

TEST(PdfSigTest, DssInPredictorCompressedObjectStreamIsRead) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer)));  // no revocation data in the CMS
  // The DSS dictionary and the new catalog sit in an object stream with
  // /Predictor 12, indexed by a cross-reference stream with /Predictor 12.
  pdf.AddDssCompressed({Pki().intermediate.der}, Pki().Crls(), {});
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
  EXPECT_EQ(s.trust.trust, Trust::kTrusted) << Dump(s);  // the CRLs were found through the object stream
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_EQ(s.changes[0].change, ChangeClass::kValidationData);
  std::string details;
  for (const auto& d : s.changes[0].details) details += d + "; ";
  EXPECT_NE(details.find("/DSS (in object stream"), std::string::npos) << details;
}

TEST(PdfSigTest, SignerThenOrganisationSeal) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl(), "NguoiKy")));
  CmsSignOptions ocsp;
  ocsp.adbe_ocsps = {Pki().OcspResponse(Pki().org_seal, false), Pki().RootOcspResponse(Pki().intermediate, false)};
  ASSERT_TRUE(pdf.Sign(Spec(Pki().org_seal, ocsp, "CoQuan")));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 2u);
  EXPECT_EQ(r.signatures[0].field, "NguoiKy");
  EXPECT_EQ(r.signatures[1].field, "CoQuan");
  for (const auto& s : r.signatures) {
    EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
    EXPECT_EQ(s.trust.trust, Trust::kTrusted) << Dump(s);
  }
  EXPECT_FALSE(r.signatures[0].covers_whole_document);
  ASSERT_EQ(r.signatures[0].changes.size(), 1u);
  EXPECT_EQ(r.signatures[0].changes[0].change, ChangeClass::kPermitted);
  EXPECT_TRUE(r.signatures[1].covers_whole_document);
  EXPECT_EQ(r.signatures[1].signer, "Văn phòng Bộ Nội vụ TEST");
}

TEST(PdfSigTest, CertificationLevelOneForbidsALaterSignature) {
  TestPdf pdf;
  TestPdf::SignSpec cert = Spec(Pki().signer, WithCrl(), "Certify");
  cert.docmdp = 1;
  ASSERT_TRUE(pdf.Sign(cert));
  ASSERT_TRUE(pdf.Sign(Spec(Pki().org_seal, {}, "Second")));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 2u);
  EXPECT_EQ(r.signatures[0].docmdp_level, 1);
  ASSERT_EQ(r.signatures[0].changes.size(), 1u);
  EXPECT_EQ(r.signatures[0].changes[0].change, ChangeClass::kOther);
}

TEST(PdfSigTest, CertificationLevelTwoForbidsAnnotationsLevelThreeAllows) {
  for (int level : {2, 3}) {
    TestPdf pdf;
    TestPdf::SignSpec cert = Spec(Pki().signer, WithCrl(), "Certify");
    cert.docmdp = level;
    ASSERT_TRUE(pdf.Sign(cert));
    pdf.AddAnnotation();
    PdfReport r = Verify(pdf.bytes());
    ASSERT_EQ(r.signatures[0].changes.size(), 1u);
    EXPECT_EQ(r.signatures[0].changes[0].change,
              level == 2 ? ChangeClass::kOther : ChangeClass::kPermitted)
        << "P=" << level;
  }
}

std::string Details(const RevisionChange& c) {
  std::string out;
  for (const auto& d : c.details) out += "[" + d + "] ";
  return out;
}

// A form with two text fields, signed with a FieldMDP lock; then one update
// changing `changed` to a new value. Returns the class of that update.
RevisionChange LockedFormChange(const std::string& action, const std::vector<std::string>& fields,
                                const std::string& changed, std::optional<int> docmdp = std::nullopt) {
  TestPdf pdf;
  pdf.AddTextField("SoTien", "100000");
  pdf.AddTextField("GhiChu", "chua xu ly");
  TestPdf::SignSpec spec = Spec(Pki().signer, WithCrl(), "NguoiKy");
  spec.lock = std::make_pair(action, fields);
  spec.docmdp = docmdp;
  EXPECT_TRUE(pdf.Sign(spec));
  pdf.SetFieldValue(changed, "999999");
  PdfReport r = Verify(pdf.bytes());
  EXPECT_EQ(r.signatures.size(), 1u);
  if (r.signatures.size() != 1u || r.signatures[0].changes.size() != 1u) {
    ADD_FAILURE() << "expected one signature and one later revision";
    return {};
  }
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
  EXPECT_TRUE(s.field_lock.has_value());
  if (s.field_lock) {
    EXPECT_EQ(s.field_lock->action, action);
  }
  return s.changes[0];
}

TEST(PdfSigTest, FieldMdpIncludeLocksListedFieldsOnly) {
  RevisionChange locked = LockedFormChange("Include", {"SoTien"}, "SoTien");
  EXPECT_EQ(locked.change, ChangeClass::kOther) << Details(locked);
  EXPECT_NE(Details(locked).find("field \"SoTien\" is locked by the signature \"NguoiKy\" (FieldMDP /Include)"),
            std::string::npos)
      << Details(locked);
  RevisionChange free = LockedFormChange("Include", {"SoTien"}, "GhiChu");
  EXPECT_EQ(free.change, ChangeClass::kPermitted) << Details(free);
}

TEST(PdfSigTest, FieldMdpExcludeLocksEverythingElse) {
  RevisionChange locked = LockedFormChange("Exclude", {"GhiChu"}, "SoTien");
  EXPECT_EQ(locked.change, ChangeClass::kOther) << Details(locked);
  RevisionChange free = LockedFormChange("Exclude", {"GhiChu"}, "GhiChu");
  EXPECT_EQ(free.change, ChangeClass::kPermitted) << Details(free);
}

TEST(PdfSigTest, FieldMdpAllLocksEveryExistingField) {
  RevisionChange locked = LockedFormChange("All", {}, "GhiChu");
  EXPECT_EQ(locked.change, ChangeClass::kOther) << Details(locked);
  EXPECT_NE(Details(locked).find("/All"), std::string::npos) << Details(locked);
  // With a certification P=2 too: form filling is allowed by DocMDP, not for a locked field.
  RevisionChange certified = LockedFormChange("Include", {"SoTien"}, "SoTien", 2);
  EXPECT_EQ(certified.change, ChangeClass::kOther) << Details(certified);
}

TEST(PdfSigTest, FieldMdpLockAppliesOnlyAfterTheLockingSignature) {
  // The field changes between a first (unlocking) signature and the locking one:
  // permitted for the first, and the locking signature covers that revision.
  TestPdf pdf;
  pdf.AddTextField("SoTien", "100000");
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl(), "NguoiKy")));
  pdf.SetFieldValue("SoTien", "200000");
  TestPdf::SignSpec seal = Spec(Pki().org_seal, WithCrl(), "CoQuan");
  seal.lock = std::make_pair(std::string("Include"), std::vector<std::string>{"SoTien"});
  ASSERT_TRUE(pdf.Sign(seal));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 2u);
  ASSERT_EQ(r.signatures[0].changes.size(), 2u);
  EXPECT_EQ(r.signatures[0].changes[0].change, ChangeClass::kPermitted) << Details(r.signatures[0].changes[0]);
  EXPECT_EQ(r.signatures[0].changes[1].change, ChangeClass::kPermitted) << Details(r.signatures[0].changes[1]);
  EXPECT_TRUE(r.signatures[1].changes.empty());
  // A change after the locking signature is not permitted, for both signatures.
  pdf.SetFieldValue("SoTien", "300000");
  r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures[0].changes.size(), 3u);
  EXPECT_EQ(r.signatures[0].changes[2].change, ChangeClass::kOther);
  ASSERT_EQ(r.signatures[1].changes.size(), 1u);
  EXPECT_EQ(r.signatures[1].changes[0].change, ChangeClass::kOther) << Details(r.signatures[1].changes[0]);
}

// DocMDP level `level` (0: no certification), then one update made by `change`.
RevisionChange CertifiedThen(int level, const std::function<void(TestPdf&)>& change) {
  TestPdf pdf;
  TestPdf::SignSpec cert = Spec(Pki().signer, WithCrl(), "Certify");
  if (level > 0) cert.docmdp = level;
  EXPECT_TRUE(pdf.Sign(cert));
  change(pdf);
  PdfReport r = Verify(pdf.bytes());
  if (r.signatures.empty() || r.signatures[0].changes.size() != 1u) {
    ADD_FAILURE() << "expected the certification and one later revision";
    return {};
  }
  return r.signatures[0].changes[0];
}

TEST(PdfSigTest, DocMdpLevelTwoPermitsFormFillAndSigningButNoOtherAnnotation) {
  using Change = std::function<void(TestPdf&)>;
  Change add_field = [](TestPdf& p) { p.AddTextField("YKien", "dong y"); };
  Change free_text = [](TestPdf& p) { p.AddAnnotation(); };
  Change inline_link = [](TestPdf& p) { p.AddInlineAnnotation(); };
  Change second_sig = [](TestPdf& p) { EXPECT_TRUE(p.Sign(Spec(Pki().org_seal, WithCrl(), "CoQuan"))); };
  // P=2: a new filled field (widget) and a signature are permitted...
  RevisionChange c = CertifiedThen(2, add_field);
  EXPECT_EQ(c.change, ChangeClass::kPermitted) << Details(c);
  EXPECT_NE(Details(c).find("added /Widget"), std::string::npos) << Details(c);
  c = CertifiedThen(2, second_sig);
  EXPECT_EQ(c.change, ChangeClass::kPermitted) << Details(c);
  // ...an annotation is not, whether an indirect object or written inline in /Annots.
  c = CertifiedThen(2, free_text);
  EXPECT_EQ(c.change, ChangeClass::kOther) << Details(c);
  EXPECT_NE(Details(c).find("added /FreeText"), std::string::npos) << Details(c);
  c = CertifiedThen(2, inline_link);
  EXPECT_EQ(c.change, ChangeClass::kOther) << Details(c);
  EXPECT_NE(Details(c).find("added /Link (inline)"), std::string::npos) << Details(c);
  // P=3 permits annotations; P=1 permits nothing; no certification permits all three.
  for (const auto& f : {free_text, inline_link}) {
    c = CertifiedThen(3, f);
    EXPECT_EQ(c.change, ChangeClass::kPermitted) << Details(c);
    c = CertifiedThen(0, f);
    EXPECT_EQ(c.change, ChangeClass::kPermitted) << Details(c);
  }
  c = CertifiedThen(1, add_field);
  EXPECT_EQ(c.change, ChangeClass::kOther) << Details(c);
}

TEST(PdfSigTest, RemovedAnnotationIsAnAnnotationChange) {
  TestPdf pdf;
  pdf.AddAnnotation();
  TestPdf::SignSpec cert = Spec(Pki().signer, WithCrl(), "Certify");
  cert.docmdp = 2;
  ASSERT_TRUE(pdf.Sign(cert));
  // Page 1 rewritten with only the signature widget: the FreeText annotation is gone.
  std::string bytes = pdf.bytes();
  size_t sig_field = bytes.rfind("/FT /Sig");
  size_t obj = bytes.rfind(" 0 obj", sig_field);
  size_t num_begin = bytes.rfind('\n', obj) + 1;
  std::string field_num = bytes.substr(num_begin, obj - num_begin);
  pdf.AppendUpdate({{3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [" +
                            field_num + " 0 R] >>"}});
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  ASSERT_EQ(r.signatures[0].changes.size(), 1u);
  EXPECT_EQ(r.signatures[0].changes[0].change, ChangeClass::kOther) << Details(r.signatures[0].changes[0]);
  EXPECT_NE(Details(r.signatures[0].changes[0]).find("removed /FreeText"), std::string::npos)
      << Details(r.signatures[0].changes[0]);
}

TEST(PdfSigTest, ExpiredRevokedAndUntrustedRoot) {
  struct Case {
    const Identity* who;
    const char* expect;
  };
  CmsSignOptions crl = WithCrl();
  for (const Case& c : {Case{&Pki().expired, "expired"}, Case{&Pki().revoked, "revoked"},
                        Case{&Pki().other_signer, "unable to get local issuer"}}) {
    TestPdf pdf;
    ASSERT_TRUE(pdf.Sign(Spec(*c.who, c.who == &Pki().revoked ? CmsSignOptions{} : crl)));
    if (c.who == &Pki().revoked) pdf.AddDss({}, {Pki().crl_der}, {});  // CRL embedded in the DSS
    PdfReport r = Verify(pdf.bytes());
    ASSERT_EQ(r.signatures.size(), 1u);
    const SignatureReport& s = r.signatures[0];
    EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
    EXPECT_EQ(s.trust.trust, Trust::kUntrusted) << Dump(s);
    EXPECT_NE(Dump(s).find(c.expect), std::string::npos) << Dump(s);
  }
}

TEST(PdfSigTest, RevokedIntermediateInDssIsUntrusted) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().revoked_ca_signer)));
  // The CA certificate and the CRLs arrive later, in a DSS update (LTV).
  pdf.AddDss({Pki().revoked_ca.der}, {Pki().revoked_ca_crl_der}, {});
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.signatures[0].integrity, Integrity::kValid) << Dump(r.signatures[0]);
  // Signer good, the root's CRL missing: unknown, naming the intermediate.
  EXPECT_EQ(r.signatures[0].trust.trust, Trust::kUnknown) << Dump(r.signatures[0]);
  EXPECT_NE(Dump(r.signatures[0]).find("intermediate certificate"), std::string::npos) << Dump(r.signatures[0]);
  pdf.AddDss({Pki().revoked_ca.der}, {Pki().revoked_ca_crl_der, Pki().root_crl_der}, {});
  r = Verify(pdf.bytes());
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.trust.trust, Trust::kUntrusted) << Dump(s);
  EXPECT_EQ(s.trust.revocation, x509::Revocation::kGood);  // the signer itself
  EXPECT_NE(Dump(s).find("intermediate certificate \"CA bị thu hồi TEST REVOKED CA\" revoked"), std::string::npos)
      << Dump(s);
  ASSERT_EQ(s.changes.size(), 2u);
  EXPECT_EQ(s.changes[1].change, ChangeClass::kValidationData);
}

TEST(PdfSigTest, AlgorithmsSha1EcdsaRsaPss) {
  CmsSignOptions sha1 = WithCrl();
  sha1.md = EVP_sha1();
  CmsSignOptions pss = WithCrl();
  pss.pss = true;
  struct Case {
    const Identity* who;
    CmsSignOptions cms;
    const char* alg;
    bool weak;
  };
  for (const Case& c : {Case{&Pki().signer, sha1, "RSA", true}, Case{&Pki().ec_signer, WithCrl(), "ECDSA", false},
                        Case{&Pki().signer, pss, "RSA-PSS", false}}) {
    TestPdf pdf;
    ASSERT_TRUE(pdf.Sign(Spec(*c.who, c.cms)));
    PdfReport r = Verify(pdf.bytes());
    ASSERT_EQ(r.signatures.size(), 1u);
    EXPECT_EQ(r.signatures[0].integrity, Integrity::kValid) << c.alg << Dump(r.signatures[0]);
    EXPECT_EQ(r.signatures[0].signature_algorithm, c.alg);
    EXPECT_EQ(r.signatures[0].weak_digest, c.weak) << c.alg;
  }
}

TEST(PdfSigTest, TruncatedAndGarbageContentsAreMalformed) {
  TestPdf truncated;
  TestPdf::SignSpec t = Spec(Pki().signer);
  auto real = t.sign;
  t.sign = [real](std::string_view content) {
    std::string der = real(content);
    return der.substr(0, der.size() / 2);
  };
  ASSERT_TRUE(truncated.Sign(t));
  TestPdf garbage;
  TestPdf::SignSpec g = Spec(Pki().signer);
  g.sign = [](std::string_view) { return std::string("\x30\x82\xff\xff garbage in Contents", 24); };
  ASSERT_TRUE(garbage.Sign(g));
  for (const TestPdf* pdf : {&truncated, &garbage}) {
    PdfReport r = Verify(pdf->bytes());
    ASSERT_EQ(r.signatures.size(), 1u);
    EXPECT_EQ(r.signatures[0].integrity, Integrity::kMalformed) << Dump(r.signatures[0]);
    EXPECT_FALSE(r.signatures[0].problems.empty());
  }
}

TEST(PdfSigTest, SignatureTimestampAndDocumentTimestamp) {
  TestPdf pdf;
  CmsSignOptions o = WithCrl();
  o.timestamp = true;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, o)));
  TestPdf::SignSpec ts;
  ts.field = "DocTS";
  ts.document_timestamp = true;
  ts.sign = [](std::string_view content) { return Pki().TimestampToken(content); };
  ASSERT_TRUE(pdf.Sign(ts));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 2u);
  const SignatureReport& s = r.signatures[0];
  ASSERT_TRUE(s.timestamp.has_value());
  EXPECT_TRUE(s.timestamp->valid);
  EXPECT_EQ(s.validation_time_source, "signature-timestamp");
  EXPECT_EQ(s.validation_time, s.timestamp->time);
  const SignatureReport& d = r.signatures[1];
  EXPECT_TRUE(d.document_timestamp);
  EXPECT_EQ(d.subfilter, "ETSI.RFC3161");
  EXPECT_EQ(d.integrity, Integrity::kValid) << Dump(d);
  EXPECT_TRUE(d.covers_whole_document);
  // The document timestamp update is validation data for the first signature...
  ASSERT_EQ(s.changes.size(), 1u);
  EXPECT_NE(s.changes[0].change, ChangeClass::kOther);
  // ...and a changed byte breaks the timestamp's imprint.
  std::string bytes = pdf.bytes();
  bytes[bytes.find("Hello")] = 'J';
  PdfReport bad = Verify(bytes);
  EXPECT_EQ(bad.signatures[1].integrity, Integrity::kDigestMismatch);
}

TEST(PdfSigTest, EveryFieldLayoutIsWalked) {
  using Layout = TestPdf::SignSpec::Layout;
  struct Case {
    Layout layout;
    std::vector<std::string> fields;
  };
  for (const Case& c : {Case{Layout::kMerged, {"Signature1"}}, Case{Layout::kNestedKids, {"Group.Signature1"}},
                        Case{Layout::kTwoFields, {"Signature1", "Signature1Copy"}},
                        Case{Layout::kDirectValue, {"Signature1"}}, Case{Layout::kWidgetOnly, {"Signature1"}}}) {
    TestPdf pdf;
    TestPdf::SignSpec spec = Spec(Pki().signer, WithCrl());
    spec.layout = c.layout;
    ASSERT_TRUE(pdf.Sign(spec));
    // A second, ordinary signature after it: both are found, the first's change permitted.
    ASSERT_TRUE(pdf.Sign(Spec(Pki().org_seal, WithCrl(), "Seal")));
    PdfReport r = Verify(pdf.bytes());
    ASSERT_EQ(r.signatures.size(), 2u) << static_cast<int>(c.layout);
    const SignatureReport& s = r.signatures[0];
    EXPECT_EQ(s.fields, c.fields) << static_cast<int>(c.layout);
    EXPECT_EQ(s.field, c.fields.front());
    EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
    ASSERT_EQ(s.changes.size(), 1u);
    EXPECT_EQ(s.changes[0].change, ChangeClass::kPermitted) << Details(s.changes[0]);
    EXPECT_EQ(r.signatures[1].fields, std::vector<std::string>{"Seal"});
    EXPECT_TRUE(r.signatures[1].covers_whole_document);
  }
}

TEST(PdfSigTest, ADirectSignatureValueRewrittenLaterIsOneSignature) {
  // The field holding the signature dictionary directly is written again in
  // a later update (its flags changed): the copy of the dictionary it
  // carries is the same signature, reported once, from the revision it signs.
  TestPdf pdf;
  TestPdf::SignSpec spec = Spec(Pki().signer, WithCrl());
  spec.layout = TestPdf::SignSpec::Layout::kDirectValue;
  ASSERT_TRUE(pdf.Sign(spec));
  const std::string& b = pdf.bytes();
  size_t field_at = b.find("<< /FT /Sig /T (Signature1) /V << /Type /Sig");
  ASSERT_NE(field_at, std::string::npos);
  size_t obj_at = b.rfind(" 0 obj\n", field_at);
  size_t num_at = b.rfind('\n', obj_at) + 1;
  int num = std::stoi(b.substr(num_at, obj_at - num_at));
  std::string body = b.substr(field_at, b.find("\nendobj", field_at) - field_at);
  body.replace(body.find("/F 132"), 6, "/F 4");
  pdf.AppendUpdate({{num, body}});
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.fields, std::vector<std::string>{"Signature1"});
  EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
  EXPECT_EQ(s.revision, 1);
  EXPECT_TRUE(s.modified_after_signing);
  EXPECT_EQ(s.changes.size(), 1u);
}

TEST(PdfSigTest, HeaderAfterLeadingBytesIsReadWithAWarning) {
  for (size_t junk : {size_t{100}, size_t{5000}}) {
    TestPdf pdf(std::string(junk, 'x') + "\n");
    ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl())));
    PdfReport r = Verify(pdf.bytes());
    ASSERT_EQ(r.signatures.size(), 1u) << junk;
    EXPECT_EQ(r.signatures[0].integrity, Integrity::kValid) << Dump(r.signatures[0]);
    EXPECT_TRUE(r.signatures[0].covers_whole_document);
    ASSERT_FALSE(r.problems.empty());
    EXPECT_NE(r.problems[0].find("%PDF-"), std::string::npos) << r.problems[0];
  }
}

// The signature dictionary object of the first signature in `pdf`, as written.
std::string SigObjectBody(const std::string& pdf) {
  size_t at = pdf.find("<< /Type /Sig ");
  size_t end = pdf.find("\nendobj", at);
  return pdf.substr(at, end - at);
}

TEST(PdfSigTest, ASignatureIsCountedOnceAndOnlyThroughItsFields) {
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl())));
  std::string body = SigObjectBody(pdf.bytes());
  // A copy of the signature dictionary with a shifted ByteRange (a signature
  // wrapping attempt), referred to by a second field; and a copy with
  // another signature value that no field refers to.
  std::string shifted = body;
  shifted.replace(shifted.find("/ByteRange [0 "), 14, "/ByteRange [1 ");
  std::string other = body;
  size_t hex = other.find("/Contents <") + 11;
  other[hex] = other[hex] == '3' ? '4' : '3';
  pdf.AppendUpdate({{90, shifted},
                    {91, "<< /FT /Sig /T (Wrapped) /V 90 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R >>"},
                    {92, other},
                    {1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R 91 0 R] /SigFlags 3 >> >>"}});
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.fields, (std::vector<std::string>{"Signature1", "Wrapped"}));
  std::string problems;
  for (const auto& p : s.problems) problems += p + "\n";
  EXPECT_NE(problems.find("carries the same signature value"), std::string::npos) << problems;
  std::string doc_problems;
  for (const auto& p : r.problems) doc_problems += p + "\n";
  EXPECT_NE(doc_problems.find("object 92 is a signature dictionary that no signature field refers to"),
            std::string::npos)
      << doc_problems;
}

TEST(PdfSigTest, EverySignatureOfACertifiedLockedAndAnnotatedFormIsFound) {
  TestPdf pdf;
  pdf.AddTextField("SoTien", "100000");
  TestPdf::SignSpec cert = Spec(Pki().signer, WithCrl(), "Certify");
  cert.docmdp = 2;
  ASSERT_TRUE(pdf.Sign(cert));
  TestPdf::SignSpec locked = Spec(Pki().org_seal, WithCrl(), "Approve");
  locked.lock = std::make_pair(std::string("Include"), std::vector<std::string>{"SoTien"});
  locked.layout = TestPdf::SignSpec::Layout::kNestedKids;
  ASSERT_TRUE(pdf.Sign(locked));
  pdf.AddAnnotation();
  ASSERT_TRUE(pdf.Sign(Spec(Pki().ec_signer, WithCrl(), "Late")));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 3u);
  EXPECT_EQ(r.signatures[0].field, "Certify");
  EXPECT_EQ(r.signatures[1].field, "Group.Approve");
  EXPECT_EQ(r.signatures[2].field, "Late");
  for (const auto& s : r.signatures) EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
  // The annotation after the P=2 certification is not permitted; the last
  // signature is after it and intact.
  ASSERT_EQ(r.signatures[0].changes.size(), 3u);
  EXPECT_EQ(r.signatures[0].changes[1].change, ChangeClass::kOther) << Details(r.signatures[0].changes[1]);
  EXPECT_TRUE(r.signatures[2].covers_whole_document);
}

TEST(PdfSigTest, EachSignerIsReportedAndTheSigningCertificateCheckIsSeparate) {
  CmsSignOptions two = WithCrl();
  two.co_signer = &Pki().org_seal;
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, two)));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  const SignatureReport& s = r.signatures[0];
  EXPECT_EQ(s.integrity, Integrity::kValid) << Dump(s);
  ASSERT_EQ(s.signers.size(), 2u);
  for (const auto& sr : s.signers) {
    EXPECT_EQ(sr.integrity, Integrity::kValid);
    EXPECT_EQ(sr.trust.trust, Trust::kTrusted) << sr.signer;
  }
  EXPECT_NE(s.signers[0].signer, s.signers[1].signer);

  // A signing-certificate-v2 naming another certificate: intact, and the
  // binding reported as its own finding.
  CmsSignOptions ess = WithCrl();
  ess.ess_attr_der = TestPki::DerWrap(
      0x30, TestPki::DerWrap(0x30, TestPki::DerWrap(0x30, TestPki::DerWrap(0x04, TestPki::CertHash(Pki().org_seal, EVP_sha256())))));
  TestPdf other;
  ASSERT_TRUE(other.Sign(Spec(Pki().signer, ess)));
  r = Verify(other.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.signatures[0].integrity, Integrity::kValid) << Dump(r.signatures[0]);
  EXPECT_EQ(r.signatures[0].signing_certificate.status, x509::SigningCertAttr::kMismatch);

  // A zero-length policy hash: the signature is listed, the policy noted.
  CmsSignOptions policy = WithCrl();
  policy.policy_attr_der = TestPki::DerWrap(
      0x30, TestPki::DerWrap(0x06, std::string("\x60\x4c\x01\x02", 4)) +
                TestPki::DerWrap(0x30, TestPki::DerWrap(0x30, TestPki::DerWrap(0x06, std::string("\x60\x86\x48\x01\x65\x03\x04\x02\x01", 9))) +
                                           TestPki::DerWrap(0x04, "")));
  TestPdf third;
  ASSERT_TRUE(third.Sign(Spec(Pki().signer, policy)));
  r = Verify(third.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.signatures[0].integrity, Integrity::kValid) << Dump(r.signatures[0]);
  EXPECT_EQ(r.signatures[0].policy.status, x509::PolicyAttr::kIdentified);
  EXPECT_EQ(r.signatures[0].policy.hash_length, 0u);
}

TEST(PdfSigTest, EncryptedDocumentSignatureIsVerifiedWithoutItsFieldName) {
  // Field names of an encrypted PDF are encrypted strings; the signature
  // value and the signed bytes are not encrypted and verify as they are.
  TestPdf pdf;
  pdf.set_trailer_keys("/Encrypt 40 0 R");
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer, WithCrl())));
  PdfReport r = Verify(pdf.bytes());
  ASSERT_EQ(r.signatures.size(), 1u);
  EXPECT_EQ(r.signatures[0].integrity, Integrity::kValid) << Dump(r.signatures[0]);
  EXPECT_EQ(r.signatures[0].field.rfind("(object ", 0), 0u) << r.signatures[0].field;
  std::string doc_problems;
  for (const auto& p : r.problems) doc_problems += p + "\n";
  EXPECT_NE(doc_problems.find("encrypted"), std::string::npos) << doc_problems;
}

TEST(PdfSigTest, HostileInputs) {
  EXPECT_THAT(VerifyPdfSignatures("not a pdf", Options()),
              kholuu::testing::StatusIs(StatusCode::kInvalidArgument));
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec(Pki().signer)));
  const std::string& full = pdf.bytes();
  // Every truncation of a signed file: no crash, never "covers whole document" and valid.
  for (size_t cut = 10; cut < full.size(); cut += 97) {
    auto r = VerifyPdfSignatures(std::string_view(full).substr(0, cut), Options());
    if (!r.ok()) continue;
    for (const auto& s : r->signatures) {
      EXPECT_FALSE(s.covers_whole_document && s.integrity == Integrity::kValid) << cut;
    }
  }
  // A ByteRange beyond the file.
  std::string bad = full;
  size_t br = bad.find("/ByteRange [0 ");
  bad.replace(br, 14, "/ByteRange [9 ");
  auto r = VerifyPdfSignatures(bad, Options());
  ASSERT_OK(r.status());
  EXPECT_FALSE(r->signatures[0].covers_whole_document);
  EXPECT_NE(r->signatures[0].integrity, Integrity::kValid);
  // Deeply nested arrays do not overflow the stack.
  std::string deep = "%PDF-1.7\n1 0 obj\n" + std::string(100000, '[') + "\nendobj\n%%EOF\n";
  EXPECT_OK(VerifyPdfSignatures(deep, Options()).status());
}

}  // namespace
}  // namespace kholuu::formats::pdfsig
