// `kholuu convert` as scripts run it: exit codes, the JSON report, OUT
// written only for a validated copy (atomically, never over the input).
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "formats/pdf/pdfa.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::RunResult;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using nlohmann::json;

const std::string kPyhanko = std::string(KHOLUU_CORPUS_DIR) + "/pdf-pyhanko";
const std::string kScan = std::string(KHOLUU_CORPUS_DIR) + "/scans-real/001.03.08.H30.81.2024.K4.01.01.002.pdf";

RunResult Convert(std::vector<std::string> args) {
  std::vector<std::string> argv = {testing::BinDir() + "/kholuu", "convert"};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::Run(argv);
}

json Parse(const RunResult& r) {
  json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << "\nstderr: " << r.err;
  return j;
}

class CliConvertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PathExists(kPyhanko) || !PathExists(kScan)) GTEST_SKIP() << "corpus not found";
  }
  TempDir dir_;
};

TEST_F(CliConvertTest, WritesAValidatedCopy) {
  const std::string in = kPyhanko + "/minimal-signed-twice-no-sig-type.pdf";
  const std::string original = ReadTestFile(in);
  const std::string out = dir_.Sub("copy.pdf");
  RunResult r = Convert({in, "--to", "pdfa-2b", "-o", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  json j = Parse(r);
  EXPECT_EQ(j["status"], "converted");
  EXPECT_EQ(j["validated"], true);
  EXPECT_EQ(j["output"], out);
  EXPECT_EQ(j["pages"], 1);
  EXPECT_THAT(j["converter"].get<std::string>(), StartsWith("Ghostscript "));
  EXPECT_TRUE(j["violations"].empty());
  EXPECT_FALSE(j.contains("reason"));
  auto report = formats::pdf::ValidatePdfaFile(out, formats::pdf::PdfaProfile::k2b);
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->compliant);
  EXPECT_EQ(ReadTestFile(in), original);
}

TEST_F(CliConvertTest, AlreadyConformantIsCopiedUnchanged) {
  const std::string out = dir_.Sub("scan.pdf");
  RunResult r = Convert({kScan, "-o", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(Parse(r)["status"], "already_conformant");
  EXPECT_TRUE(ReadTestFile(out) == ReadTestFile(kScan));
}

TEST_F(CliConvertTest, FailureWritesNothingAndSaysWhy) {
  const std::string out = dir_.Sub("copy.pdf");
  RunResult r = Convert({kPyhanko + "/minimal-aes256.pdf", "-o", out, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = Parse(r);
  EXPECT_EQ(j["status"], "failed");
  EXPECT_EQ(j["validated"], false);
  EXPECT_THAT(j["reason"].get<std::string>(), HasSubstr("encrypted"));
  EXPECT_FALSE(j.contains("output"));
  EXPECT_FALSE(PathExists(out));
  auto left = ListDir(dir_.path());
  ASSERT_OK(left.status());
  EXPECT_TRUE(left->empty()) << "left behind: " << left->front();
}

TEST_F(CliConvertTest, UsageErrors) {
  const std::string text = dir_.Sub("notes.txt");
  testing::WriteTestFile(text, "ghi chú");
  EXPECT_EQ(Convert({text, "-o", dir_.Sub("a.pdf")}).exit_code, 2);
  EXPECT_EQ(Convert({dir_.Sub("missing.pdf"), "-o", dir_.Sub("a.pdf")}).exit_code, 2);
  // A rendition needs the archive's seal key (or --no-seal).
  RunResult rendition = Convert({kScan, "--to", "pdfa-3b-rendition", "-o", dir_.Sub("a.pdf"),
                                 "--data", dir_.Sub("no-archive")});
  EXPECT_EQ(rendition.exit_code, 2);
  EXPECT_THAT(rendition.err, HasSubstr("seal init"));
  EXPECT_EQ(Convert({kScan, "--to", "pdfa-9", "-o", dir_.Sub("a.pdf")}).exit_code, 2);
  const std::string copy = dir_.Sub("in.pdf");
  testing::WriteTestFile(copy, ReadTestFile(kScan));
  EXPECT_EQ(Convert({copy, "-o", copy}).exit_code, 2);
  EXPECT_TRUE(ReadTestFile(copy) == ReadTestFile(kScan));
  EXPECT_FALSE(PathExists(dir_.Sub("a.pdf")));
}

RunResult Kholuu(std::vector<std::string> args) {
  args.insert(args.begin(), testing::BinDir() + "/kholuu");
  return testing::Run(args);
}

// The PDF/A-3b rendition of a signed PDF that is not PDF/A: a Ghostscript
// copy carrying the signed original, bit-exact, and the verification report,
// sealed by the archive; checked here by our validator and verifier and by
// poppler's pdfdetach and pdfsig.
TEST_F(CliConvertTest, RenditionEmbedsTheSignedOriginalAndIsSealed) {
  const std::string in = kPyhanko + "/minimal-signed-twice-no-sig-type.pdf";
  const std::string original = ReadTestFile(in);
  const std::string data = dir_.Sub("archive");
  ASSERT_EQ(Kholuu({"init", "--data", data}).exit_code, 0);
  ASSERT_EQ(Kholuu({"seal", "init", "--data", data}).exit_code, 0);
  const std::string out = dir_.Sub("rendition.pdf");
  RunResult r = Convert({in, "--to", "pdfa-3b-rendition", "-o", out, "--data", data, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  json j = Parse(r);
  EXPECT_EQ(j["status"], "converted");
  EXPECT_EQ(j["rendition"]["sealed"], true);
  EXPECT_EQ(j["rendition"]["seal_integrity"], "valid");
  EXPECT_EQ(ReadTestFile(in), original) << "the input was changed";

  // The embedded report says what `kholuu sig verify` says of the original.
  json verified = Parse(Kholuu({"sig", "verify", in, "--json"}));
  ASSERT_EQ(j["rendition"]["report"]["signatures"].size(), verified[0]["signatures"].size());
  ASSERT_FALSE(verified[0]["signatures"].empty());
  for (size_t i = 0; i < verified[0]["signatures"].size(); ++i) {
    EXPECT_EQ(j["rendition"]["report"]["signatures"][i]["integrity"],
              verified[0]["signatures"][i]["integrity"]);
  }

  auto report = formats::pdf::ValidatePdfaFile(out, formats::pdf::PdfaProfile::k3b);
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->compliant) << (report->violations.empty() ? "" : report->violations[0].message);

  // poppler extracts the original bit-exact, and the report.
  const std::string detached = dir_.Sub("detached");
  ASSERT_EQ(::mkdir(detached.c_str(), 0700), 0);
  RunResult det = testing::Run({"/usr/bin/pdfdetach", "-saveall", "-o", detached, out});
  ASSERT_EQ(det.exit_code, 0) << det.err;
  EXPECT_TRUE(ReadTestFile(detached + "/minimal-signed-twice-no-sig-type.pdf") == original);
  json embedded = json::parse(ReadTestFile(detached + "/signature-verification-report.json"),
                              nullptr, false);
  EXPECT_EQ(embedded, j["rendition"]["report"]);

  // The seal: our verifier and poppler's pdfsig.
  json sealed = Parse(Kholuu({"sig", "verify", out, "--json"}));
  ASSERT_EQ(sealed[0]["signatures"].size(), 1u);
  EXPECT_EQ(sealed[0]["signatures"][0]["integrity"], "valid");
  EXPECT_EQ(sealed[0]["signatures"][0]["covers_whole_document"], true);
  RunResult pdfsig = testing::Run({"/usr/bin/pdfsig", out});
  EXPECT_THAT(pdfsig.out, HasSubstr("Signature is Valid"));

  // One changed byte anywhere in the signed range breaks the seal.
  const std::string tampered = dir_.Sub("tampered.pdf");
  std::string bytes = ReadTestFile(out);
  bytes[bytes.size() / 3] = static_cast<char>(bytes[bytes.size() / 3] ^ 0x01);
  testing::WriteTestFile(tampered, bytes);
  RunResult broken = Kholuu({"sig", "verify", tampered, "--json"});
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_THAT(broken.out, HasSubstr("digest-mismatch"));
}

}  // namespace
}  // namespace kholuu
