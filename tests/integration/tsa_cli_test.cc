// The archive's TSA end to end, with real processes: an HTTP RFC 3161 TSA
// runs in the test (httplib::Server on 127.0.0.1, answering with OpenSSL's
// TS_RESP_CTX and the test PKI's TSA key); `kholuu seal init --tsa` points
// the archive at it; `kholuu convert --to pdfa-3b-rendition` then seals with
// a signature timestamp that `kholuu sig verify` finds valid. A TSA that is
// down or answers garbage fails the command and no file is written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/formats/x509/test_pki.h"
#include "tests/integration/test_tsa.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

const std::string kSigned =
    std::string(KHOLUU_CORPUS_DIR) + "/pdf-pyhanko/minimal-signed-twice-no-sig-type.pdf";

class TsaCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kSigned)) GTEST_SKIP() << "corpus absent: " << kSigned;
    ASSERT_GT(Pki().tsa.der.size(), 0u);  // the PKI before the server thread uses it
    ASSERT_EQ(Kholuu({"init"}).exit_code, 0);
  }
  RunResult Kholuu(std::vector<std::string> args) {
    args.insert(args.begin(), BinDir() + "/kholuu");
    args.push_back("--data");
    args.push_back(data_);
    return kholuu::testing::Run(args);
  }
  RunResult Rendition(const std::string& out) {
    return Kholuu({"convert", kSigned, "--to", "pdfa-3b-rendition", "-o", out, "--json"});
  }
  TempDir dir_;
  std::string data_ = dir_.Sub("archive");
};

TEST_F(TsaCliTest, RenditionSealCarriesAValidTimestampFromTheConfiguredTsa) {
  TestTsa tsa;
  RunResult init = Kholuu({"seal", "init", "--tsa", tsa.url(), "--json"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(json::parse(init.out)["tsa"], tsa.url());
  EXPECT_EQ(ReadTestFile(data_ + "/keys/tsa-url"), tsa.url() + "\n");

  const std::string out = dir_.Sub("rendition.pdf");
  RunResult r = Rendition(out);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(json::parse(r.out)["rendition"]["timestamped"], true);
  EXPECT_GE(tsa.requests(), 1);

  RunResult verify = Kholuu({"sig", "verify", out, "--json"});
  json sealed = json::parse(verify.out);
  ASSERT_EQ(sealed[0]["signatures"].size(), 1u) << verify.out;
  const json& seal = sealed[0]["signatures"][0];
  EXPECT_EQ(seal["integrity"], "valid");
  ASSERT_TRUE(seal.contains("timestamp")) << seal.dump();
  EXPECT_EQ(seal["timestamp"]["valid"], true) << seal["timestamp"].dump();
  EXPECT_THAT(seal["timestamp"]["tsa"].get<std::string>(), HasSubstr("TEST TSA"));

  // The configuration change is in the audit log.
  RunResult log = Kholuu({"audit", "log", "--json", "--limit", "10"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  bool audited = false;
  for (const auto& e : json::parse(log.out)) {
    if (e["action"] == "seal.tsa") audited = e["detail"].get<std::string>().find(tsa.url()) != std::string::npos;
  }
  EXPECT_TRUE(audited) << log.out;
}

TEST_F(TsaCliTest, GarbageFromTheTsaFailsTheCommandAndWritesNothing) {
  TestTsa tsa;
  ASSERT_EQ(Kholuu({"seal", "init", "--tsa", tsa.url()}).exit_code, 0);
  tsa.set_mode(TestTsa::Mode::kGarbage);
  const std::string out = dir_.Sub("rendition.pdf");
  RunResult r = Rendition(out);
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.err, HasSubstr("TSA " + tsa.url()));
  EXPECT_THAT(r.err, HasSubstr("TimeStampResp"));
  EXPECT_GE(tsa.requests(), 1);
  EXPECT_FALSE(fs::exists(out));

  RunResult sealed = Kholuu({"seal", "pdf", kSigned, "-o", dir_.Sub("sealed.pdf")});
  EXPECT_NE(sealed.exit_code, 0);
  EXPECT_THAT(sealed.err, HasSubstr("TSA " + tsa.url()));
  EXPECT_FALSE(fs::exists(dir_.Sub("sealed.pdf")));
}

TEST_F(TsaCliTest, TsaThatIsDownFailsTheCommandUntilItIsRemoved) {
  std::string url;
  {
    TestTsa tsa;
    url = tsa.url();
  }  // stopped: nothing listens on its port any more
  ASSERT_EQ(Kholuu({"seal", "init", "--tsa", url}).exit_code, 0);
  const std::string out = dir_.Sub("rendition.pdf");
  RunResult r = Rendition(out);
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.err, HasSubstr("TSA " + url));
  EXPECT_FALSE(fs::exists(out));

  // Without a TSA the seal is PAdES-B-B again.
  ASSERT_EQ(Kholuu({"seal", "tsa", "--none"}).exit_code, 0);
  EXPECT_FALSE(fs::exists(data_ + "/keys/tsa-url"));
  RunResult plain = Rendition(out);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(json::parse(plain.out)["rendition"]["timestamped"], false);
  EXPECT_TRUE(fs::exists(out));
}

TEST_F(TsaCliTest, BadTsaUrlsAreRefused) {
  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  ASSERT_EQ(Kholuu({"seal", "tsa", "http://127.0.0.1:1/tsa"}).exit_code, 0);
  for (const std::string bad : {"ftp://tsa.example/", "http://", "http://user@tsa.example/",
                                "http://tsa.example:99999/", "tsa.example"}) {
    RunResult r = Kholuu({"seal", "tsa", bad});
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
  }
  EXPECT_EQ(ReadTestFile(data_ + "/keys/tsa-url"), "http://127.0.0.1:1/tsa\n");
  EXPECT_EQ(Kholuu({"seal", "tsa"}).exit_code, 2);  // neither a URL nor --none
}

}  // namespace
}  // namespace kholuu::testing
