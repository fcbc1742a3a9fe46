// Agreement with an independent implementation (poppler's pdfsig) and the
// CLI contract of `kholuu sig verify`, on generated files and on the pyHanko
// corpus (../shared/corpus/pdf-pyhanko).
#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "formats/pdfsig/pdf_signatures.h"
#include "tests/formats/pdfsig/test_pdf.h"
#include "tests/formats/x509/test_pki.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::pdfsig {
namespace {

using kholuu::testing::TestPdf;
using kholuu::testing::TestPki;

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

constexpr const char* kPdfsig = "/usr/bin/pdfsig";

struct PopplerSig {
  std::string field;
  std::string validation;  // "Signature is Valid.", "Digest Mismatch.", ...
};

std::vector<PopplerSig> RunPdfsig(const std::string& path) {
  auto r = kholuu::testing::Run({kPdfsig, "-nocert", path});
  std::vector<PopplerSig> out;
  std::istringstream in(r.out);
  std::string line;
  auto value = [](const std::string& l) {
    size_t c = l.find(": ");
    return c == std::string::npos ? std::string() : l.substr(c + 2);
  };
  while (std::getline(in, line)) {
    if (line.rfind("Signature #", 0) == 0) out.emplace_back();
    if (out.empty()) continue;
    if (line.find("- Signature Field Name:") != std::string::npos) out.back().field = value(line);
    if (line.find("- Signature Validation:") != std::string::npos) out.back().validation = value(line);
  }
  return out;
}

TestPdf::SignSpec Spec() {
  TestPdf::SignSpec s;
  s.sign = [](std::string_view c) { return Pki().SignDetached(c, Pki().signer); };
  return s;
}

TEST(PdfsigAgreementTest, GeneratedValidAndTamperedFiles) {
  if (access(kPdfsig, X_OK) != 0) GTEST_SKIP() << "poppler-utils' pdfsig is not installed";
  kholuu::testing::TempDir dir;
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec()));
  std::string tampered = pdf.bytes();
  tampered[tampered.find("Hello")] = 'J';
  kholuu::testing::WriteTestFile(dir.Sub("valid.pdf"), pdf.bytes());
  kholuu::testing::WriteTestFile(dir.Sub("tampered.pdf"), tampered);
  VerifyOptions o;
  o.now = static_cast<int64_t>(std::time(nullptr));
  for (const char* name : {"valid.pdf", "tampered.pdf"}) {
    auto poppler = RunPdfsig(dir.Sub(name));
    auto ours = VerifyPdfFile(dir.Sub(name), o);
    ASSERT_TRUE(ours.ok());
    ASSERT_EQ(poppler.size(), 1u) << name;
    ASSERT_EQ(ours->signatures.size(), 1u);
    bool poppler_valid = poppler[0].validation == "Signature is Valid.";
    EXPECT_EQ(poppler_valid, std::string(name) == "valid.pdf") << poppler[0].validation;
    EXPECT_EQ(ours->signatures[0].integrity == x509::Integrity::kValid, poppler_valid) << name;
    EXPECT_EQ(poppler[0].field, "Signature1");
  }
}

std::vector<std::string> CorpusPdfs() {
  std::vector<std::string> out;
  std::string root = std::string(KHOLUU_CORPUS_DIR) + "/pdf-pyhanko";
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) return out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".pdf") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(PdfsigAgreementTest, PyhankoCorpusIntegrityAgreesWithPoppler) {
  std::vector<std::string> files = CorpusPdfs();
  if (files.empty()) GTEST_SKIP() << "corpus pdf-pyhanko not found under " << KHOLUU_CORPUS_DIR;
  bool have_pdfsig = access(kPdfsig, X_OK) == 0;
  VerifyOptions o;
  o.now = static_cast<int64_t>(std::time(nullptr));
  size_t compared = 0;
  for (const std::string& file : files) {
    auto ours = VerifyPdfFile(file, o);  // must not crash, whatever the file
    if (file.find("/coverage-anomalies/") != std::string::npos && ours.ok()) {
      for (const auto& s : ours->signatures) {
        EXPECT_FALSE(s.covers_whole_document) << file << " " << s.field;
      }
    }
    if (!have_pdfsig || !ours.ok()) continue;
    std::map<std::string, const SignatureReport*> by_field;
    for (const auto& s : ours->signatures) by_field[s.field] = &s;
    for (const PopplerSig& p : RunPdfsig(file)) {
      bool valid = p.validation == "Signature is Valid.";
      bool mismatch = p.validation == "Digest Mismatch.";
      if (!valid && !mismatch) continue;
      auto it = by_field.find(p.field);
      if (it == by_field.end()) {
        ADD_FAILURE() << file << ": poppler reports field " << p.field << ", kholuu does not";
        continue;
      }
      ++compared;
      EXPECT_EQ(it->second->integrity == x509::Integrity::kValid, valid)
          << file << " field " << p.field << ": poppler says " << p.validation << ", kholuu "
          << x509::IntegrityName(it->second->integrity);
    }
  }
  if (have_pdfsig) {
    EXPECT_GT(compared, 0u);
  }
}

TEST(SigCliTest, JsonContractAndExitCodes) {
  kholuu::testing::TempDir dir;
  TestPdf pdf;
  ASSERT_TRUE(pdf.Sign(Spec()));
  kholuu::testing::WriteTestFile(dir.Sub("valid.pdf"), pdf.bytes());
  std::string tampered = pdf.bytes();
  tampered[tampered.find("Hello")] = 'J';
  kholuu::testing::WriteTestFile(dir.Sub("tampered.pdf"), tampered);
  std::filesystem::create_directory(dir.Sub("trust"));
  Pki().WriteTrustStore(dir.Sub("trust"));
  std::string kholuu = kholuu::testing::BinDir() + "/kholuu";

  auto ok = kholuu::testing::Run({kholuu, "sig", "verify", "--json", "--trust-store", dir.Sub("trust"),
                                  dir.Sub("valid.pdf")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  nlohmann::json j = nlohmann::json::parse(ok.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["file"], dir.Sub("valid.pdf"));
  const auto& s = j[0]["signatures"][0];
  for (const char* key : {"field", "subfilter", "integrity", "covers_whole_document",
                          "modified_after_signing", "signer", "trust", "signing_time"}) {
    EXPECT_TRUE(s.contains(key)) << key;
  }
  EXPECT_EQ(s["integrity"], "valid");
  EXPECT_EQ(s["covers_whole_document"], true);
  EXPECT_EQ(s["signer"], "Nguyễn Văn An TEST");
  EXPECT_EQ(s["trust"], "unknown");  // no revocation data in this file

  auto bad = kholuu::testing::Run({kholuu, "sig", "verify", "--json", dir.Sub("tampered.pdf")});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(nlohmann::json::parse(bad.out)[0]["signatures"][0]["integrity"], "digest-mismatch");

  auto text = kholuu::testing::Run({kholuu, "sig", "verify", dir.Sub("valid.pdf")});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("integrity: valid"), std::string::npos) << text.out;

  kholuu::testing::WriteTestFile(dir.Sub("not.pdf"), "hello");
  EXPECT_EQ(kholuu::testing::Run({kholuu, "sig", "verify", dir.Sub("not.pdf")}).exit_code, 2);
  EXPECT_EQ(kholuu::testing::Run({kholuu, "sig", "verify", dir.Sub("missing.pdf")}).exit_code, 2);
  EXPECT_EQ(kholuu::testing::Run({kholuu, "sig", "verify", "--trust-store", dir.Sub("nope"),
                                  dir.Sub("valid.pdf")}).exit_code, 2);
}

}  // namespace
}  // namespace kholuu::formats::pdfsig
