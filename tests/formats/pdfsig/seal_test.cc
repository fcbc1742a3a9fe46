// SealPdf on real conforming PDF/A files of the veraPDF corpus (classic xref
// tables and cross-reference streams), on a pyHanko hybrid-xref file and on a
// PDF/A-3b rendition: our verifier, poppler's pdfsig and our PDF/A validator
// must all accept the result, and tampering must break it.
#include "formats/pdfsig/seal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <sstream>

#include "formats/pdf/pdfa.h"
#include "formats/pdf/rendition.h"
#include "formats/pdfsig/pdf_signatures.h"
#include "tests/formats/pdfsig/test_pdf.h"
#include "tests/formats/x509/test_pki.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::pdfsig {
namespace {

namespace fs = std::filesystem;
using kholuu::testing::ReadTestFile;
using kholuu::testing::TestPki;
using x509::Integrity;
using x509::Trust;

const fs::path kCorpus = KHOLUU_CORPUS_DIR;
constexpr const char* kPdfsig = "/usr/bin/pdfsig";

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

SealSigner OrgSeal() {
  return {TestPki::KeyPem(Pki().org_seal), TestPki::CertPem(Pki().org_seal) + TestPki::CertPem(Pki().intermediate)};
}

SealOptions Options() {
  SealOptions o;
  o.reason = "Niêm phong bản sao của Lưu trữ";
  o.location = "Hà Nội";
  o.name = "Trung tâm Lưu trữ TEST";
  o.dss_crls_der = Pki().Crls();
  return o;
}

VerifyOptions Verify() {
  VerifyOptions v;
  v.trust_store.anchors_der = {Pki().root.der};
  v.now = static_cast<int64_t>(std::time(nullptr));
  return v;
}

// poppler's verdict for each signature ("Signature is Valid.", ...).
std::vector<std::string> PopplerVerdicts(const std::string& pdf) {
  kholuu::testing::TempDir dir;
  kholuu::testing::WriteTestFile(dir.Sub("f.pdf"), pdf);
  auto r = kholuu::testing::Run({kPdfsig, "-nocert", dir.Sub("f.pdf")});
  std::vector<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    size_t at = line.find("- Signature Validation: ");
    if (at != std::string::npos) out.push_back(line.substr(at + 24));
  }
  return out;
}

bool HavePdfsig() { return access(kPdfsig, X_OK) == 0; }

// Checks the last signature of `sealed` as the seal.
void ExpectGoodSeal(const std::string& sealed, size_t signatures) {
  auto report = VerifyPdfSignatures(sealed, Verify());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->signatures.size(), signatures);
  const SignatureReport& s = report->signatures.back();
  EXPECT_EQ(s.integrity, Integrity::kValid) << (s.problems.empty() ? "" : s.problems[0]);
  EXPECT_TRUE(s.covers_whole_document);
  EXPECT_FALSE(s.modified_after_signing);
  EXPECT_EQ(s.subfilter, "ETSI.CAdES.detached");
  EXPECT_EQ(s.field, "KholuuSeal");
  EXPECT_EQ(s.digest_algorithm, "sha256");
  EXPECT_EQ(s.trust.trust, Trust::kTrusted) << (s.trust.reasons.empty() ? "" : s.trust.reasons[0]);
  if (HavePdfsig()) {
    auto verdicts = PopplerVerdicts(sealed);
    ASSERT_EQ(verdicts.size(), signatures);
    EXPECT_EQ(verdicts.back(), "Signature is Valid.");
  }
}

struct CorpusCase {
  const char* path;
  bool xref_stream;
};

// Conforming ("pass") veraPDF files: classic tables and cross-reference streams.
const CorpusCase kCases[] = {
    {"verapdf/PDF_A-2b/6.2 Graphics/6.2.4.3 Uncalibrated -Device colour spaces/veraPDF test suite 6-2-4-3-t01-pass-a.pdf",
     false},
    {"verapdf/PDF_A-3b/6.8 Embedded files/veraPDF test suite 6-8-t02-pass-a.pdf", false},
    {"verapdf/PDF_A-2b/6.1 File structure/6.1.12 Permissions/veraPDF test suite 6-1-12-t02-pass-a.pdf", true},
    {"verapdf/PDF_A-2b/6.2 Graphics/6.2.11 Fonts/6.2.11.6 Character encodings/veraPDF test suite 6-2-11-6-t02-pass-c.pdf",
     true},
    {"verapdf/PDF_A-2b/6.2 Graphics/6.2.11 Fonts/6.2.11.3 Composite fonts/6.2.11.3.1 General/veraPDF test suite "
     "6-2-11-3-1-t01-pass-b.pdf",
     true},
};

TEST(SealTest, CorpusPdfaFilesStayPdfaAndVerifyWithBothXrefKinds) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  for (const CorpusCase& c : kCases) {
    SCOPED_TRACE(c.path);
    std::string input = ReadTestFile((kCorpus / c.path).string());
    auto before = pdf::ValidatePdfa(input, pdf::PdfaProfile::kAuto);
    ASSERT_TRUE(before.ok());
    ASSERT_TRUE(before->compliant) << "the chosen corpus file must conform";

    auto sealed = SealPdf(input, OrgSeal(), Options());
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    ASSERT_EQ(sealed->compare(0, input.size(), input), 0) << "the input bytes must stay a prefix";
    std::string update = sealed->substr(input.size());
    if (c.xref_stream) {
      EXPECT_NE(update.find("/Type /XRef"), std::string::npos);
      EXPECT_EQ(update.find("\nxref\n"), std::string::npos);
    } else {
      EXPECT_NE(update.find("\nxref\n"), std::string::npos);
      EXPECT_EQ(update.find("/Type /XRef"), std::string::npos);
    }
    auto after = pdf::ValidatePdfa(*sealed, pdf::PdfaProfile::kAuto);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->profile, before->profile);
    EXPECT_TRUE(after->compliant) << (after->violations.empty() ? "" : after->violations[0].clause + " " +
                                                                        after->violations[0].message);
    // One veraPDF file carries a (broken) signature of its own: the seal is one more.
    auto earlier = VerifyPdfSignatures(input, Verify());
    ASSERT_TRUE(earlier.ok());
    ExpectGoodSeal(*sealed, earlier->signatures.size() + 1);
  }
}

TEST(SealTest, HybridXrefFileGetsAClassicSection) {
  fs::path hybrid = kCorpus / "pdf-pyhanko/minimal-hybrid-xref.pdf";
  if (!fs::exists(hybrid)) GTEST_SKIP() << "corpus file not found: " << hybrid;
  std::string input = ReadTestFile(hybrid.string());
  auto sealed = SealPdf(input, OrgSeal(), Options());
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_NE(sealed->find("\nxref\n", input.size()), std::string::npos);
  ExpectGoodSeal(*sealed, 1);
}

TEST(SealTest, SealedRenditionValidatesAndTamperingTheOriginalBreaksTheSeal) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  // A signed original made by the test writer and the test PKI's signer.
  kholuu::testing::TestPdf signed_pdf;
  kholuu::testing::TestPdf::SignSpec spec;
  spec.sign = [](std::string_view c) { return Pki().SignDetached(c, Pki().signer); };
  ASSERT_TRUE(signed_pdf.Sign(spec));
  const std::string original = signed_pdf.bytes();
  const std::string report = "<report>chữ ký hợp lệ</report>";
  std::string copy = ReadTestFile((kCorpus / kCases[0].path).string());
  auto rendition = pdf::BuildRendition(copy, {original, "Công văn 45.pdf", "application/pdf", "Bản gốc", 0},
                                       {report, "xac-minh.xml", "application/xml", "Báo cáo xác minh", 0});
  ASSERT_TRUE(rendition.ok()) << rendition.status().ToString();

  auto sealed = SealPdf(*rendition, OrgSeal(), Options());
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  auto pdfa = pdf::ValidatePdfa(*sealed, pdf::PdfaProfile::k3b);
  ASSERT_TRUE(pdfa.ok());
  EXPECT_TRUE(pdfa->compliant) << (pdfa->violations.empty() ? "" : pdfa->violations[0].clause + " " +
                                                                      pdfa->violations[0].message);
  ExpectGoodSeal(*sealed, 1);

  // The embedded original is still the signed file, and its own signature
  // still verifies.
  auto files = pdf::ExtractAssociatedFiles(*sealed);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  const pdf::AssociatedFile& source = (*files)[0].relationship == "Source" ? (*files)[0] : (*files)[1];
  EXPECT_TRUE(source.bytes == original);
  auto inner = VerifyPdfSignatures(source.bytes, Verify());
  ASSERT_TRUE(inner.ok());
  ASSERT_EQ(inner->signatures.size(), 1u);
  EXPECT_EQ(inner->signatures[0].integrity, Integrity::kValid);

  // Flip a byte inside the embedded original's (compressed) stream.
  std::string tampered = *sealed;
  size_t subtype = tampered.find("/application#2Fpdf");
  ASSERT_NE(subtype, std::string::npos);
  size_t data = tampered.find("stream", subtype);
  ASSERT_NE(data, std::string::npos);
  tampered[data + 30] = static_cast<char>(tampered[data + 30] ^ 0x01);
  auto bad = VerifyPdfSignatures(tampered, Verify());
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(bad->signatures.size(), 1u);
  EXPECT_NE(bad->signatures[0].integrity, Integrity::kValid);
  if (HavePdfsig()) {
    auto verdicts = PopplerVerdicts(tampered);
    ASSERT_EQ(verdicts.size(), 1u);
    EXPECT_NE(verdicts[0], "Signature is Valid.");
  }
}

TEST(SealTest, TimestampCallbackMakesPadesBT) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  std::string input = ReadTestFile((kCorpus / kCases[3].path).string());
  SealOptions o = Options();
  int calls = 0;
  o.timestamp = [&](std::string_view value) -> Result<std::string> {
    ++calls;
    return Pki().TimestampToken(value);  // an in-process TSA (OpenSSL TS_RESP API)
  };
  auto sealed = SealPdf(input, OrgSeal(), o);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_GE(calls, 1);
  ExpectGoodSeal(*sealed, 1);
  auto report = VerifyPdfSignatures(*sealed, Verify());
  ASSERT_TRUE(report.ok());
  const SignatureReport& s = report->signatures[0];
  ASSERT_TRUE(s.timestamp.has_value());
  EXPECT_TRUE(s.timestamp->valid) << (s.timestamp->problems.empty() ? "" : s.timestamp->problems[0]);
  EXPECT_EQ(s.validation_time_source, "signature-timestamp");

  // A failing TSA fails the seal; nothing half-written is returned.
  o.timestamp = [](std::string_view) -> Result<std::string> { return InternalError("TSA unreachable"); };
  auto failed = SealPdf(input, OrgSeal(), o);
  EXPECT_EQ(failed.status().code(), StatusCode::kInternal);
  EXPECT_NE(failed.status().message().find("TSA unreachable"), std::string::npos);
}

TEST(SealTest, SealingTwiceKeepsTheFirstSealValid) {
  if (!fs::is_directory(kCorpus / "verapdf")) GTEST_SKIP() << "corpus not found at " << kCorpus;
  std::string input = ReadTestFile((kCorpus / kCases[0].path).string());
  auto once = SealPdf(input, OrgSeal(), Options());
  ASSERT_TRUE(once.ok());
  auto twice = SealPdf(*once, OrgSeal(), Options());
  ASSERT_TRUE(twice.ok()) << twice.status().ToString();
  auto report = VerifyPdfSignatures(*twice, Verify());
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->signatures.size(), 2u);
  EXPECT_EQ(report->signatures[1].field, "KholuuSeal2");
  EXPECT_EQ(report->signatures[0].integrity, Integrity::kValid);
  EXPECT_TRUE(report->signatures[0].modified_after_signing);
  EXPECT_NE(report->signatures[0].changes.at(0).change, ChangeClass::kOther);  // adding a signature is permitted
  EXPECT_EQ(report->signatures[1].integrity, Integrity::kValid);
  EXPECT_TRUE(report->signatures[1].covers_whole_document);
}

TEST(SealTest, RejectsBadInputAndBadKeys) {
  SealOptions o = Options();
  EXPECT_EQ(SealPdf("hello", OrgSeal(), o).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SealPdf("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", OrgSeal(), o).status().code(),
            StatusCode::kInvalidArgument);
  kholuu::testing::TestPdf plain;
  // A key that is not the certificate's.
  SealSigner wrong{TestPki::KeyPem(Pki().signer), TestPki::CertPem(Pki().org_seal)};
  EXPECT_EQ(SealPdf(plain.bytes(), wrong, o).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SealPdf(plain.bytes(), {"junk", "junk"}, o).status().code(), StatusCode::kInvalidArgument);
  o.reason = std::string("\xc3\x28");  // not UTF-8
  EXPECT_EQ(SealPdf(plain.bytes(), OrgSeal(), o).status().code(), StatusCode::kInvalidArgument);
  fs::path encrypted = kCorpus / "pdf-pyhanko/minimal-aes256.pdf";
  if (fs::exists(encrypted)) {
    EXPECT_EQ(SealPdf(ReadTestFile(encrypted.string()), OrgSeal(), Options()).status().code(),
              StatusCode::kInvalidArgument);
  }
  // A certified document that permits no change at all.
  kholuu::testing::TestPdf certified;
  kholuu::testing::TestPdf::SignSpec spec;
  spec.sign = [](std::string_view c) { return Pki().SignDetached(c, Pki().signer); };
  spec.docmdp = 1;
  ASSERT_TRUE(certified.Sign(spec));
  EXPECT_EQ(SealPdf(certified.bytes(), OrgSeal(), Options()).status().code(), StatusCode::kFailedPrecondition);
  // The test writer's own base document (no PDF/A) seals and verifies too.
  auto sealed = SealPdf(plain.bytes(), OrgSeal(), Options());
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  ExpectGoodSeal(*sealed, 1);
}

}  // namespace
}  // namespace kholuu::formats::pdfsig
