// `kholuu convert` as scripts run it: exit codes, the JSON report, OUT
// written only for a validated copy (atomically, never over the input).
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
  RunResult rendition = Convert({kScan, "--to", "pdfa-3b-rendition", "-o", dir_.Sub("a.pdf")});
  EXPECT_EQ(rendition.exit_code, 2);
  EXPECT_THAT(rendition.err, HasSubstr("not yet supported"));
  EXPECT_EQ(Convert({kScan, "--to", "pdfa-9", "-o", dir_.Sub("a.pdf")}).exit_code, 2);
  const std::string copy = dir_.Sub("in.pdf");
  testing::WriteTestFile(copy, ReadTestFile(kScan));
  EXPECT_EQ(Convert({copy, "-o", copy}).exit_code, 2);
  EXPECT_TRUE(ReadTestFile(copy) == ReadTestFile(kScan));
  EXPECT_FALSE(PathExists(dir_.Sub("a.pdf")));
}

}  // namespace
}  // namespace kholuu
