// `kholuu seal init` and `kholuu seal pdf`: key files and modes, audit,
// import of an OpenSSL-made key, refusals, and a sealed corpus PDF/A file
// that `kholuu sig verify` and poppler's pdfsig accept.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class SealCliTest : public ::testing::Test {
 protected:
  RunResult Kholuu(std::vector<std::string> args) {
    args.insert(args.begin(), BinDir() + "/kholuu");
    args.push_back("--data");
    args.push_back(data_);
    return kholuu::testing::Run(args);
  }
  int Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
    return static_cast<int>(st.st_mode & 0777);
  }
  TempDir dir_;
  std::string data_ = dir_.Sub("archive");
};

TEST_F(SealCliTest, InitGeneratesAuditsAndRefusesToOverwrite) {
  ASSERT_EQ(Kholuu({"init"}).exit_code, 0);
  RunResult r = Kholuu({"seal", "init", "--json", "--subject", "CN=Lưu trữ lịch sử TEST,O=Sở Nội vụ,C=VN"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["generated"], true);
  EXPECT_EQ(j["audited"], true);
  EXPECT_EQ(j["key_algorithm"], "EC-prime256v1");
  EXPECT_NE(j["subject"].get<std::string>().find("CN=Lưu trữ lịch sử TEST"), std::string::npos) << j["subject"];
  EXPECT_EQ(Mode(data_ + "/keys/seal-key.pem"), 0600);
  EXPECT_EQ(Mode(data_ + "/keys"), 0700);
  EXPECT_EQ(ReadTestFile(data_ + "/keys/seal-key.pem").rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);

  RunResult log = Kholuu({"audit", "log", "--json", "--limit", "5"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  bool audited = false;
  for (const auto& e : json::parse(log.out)) {
    if (e["action"] == "seal.init") {
      audited = true;
      EXPECT_NE(e["detail"].get<std::string>().find("generated"), std::string::npos);
    }
  }
  EXPECT_TRUE(audited);

  std::string before = ReadTestFile(data_ + "/keys/seal-key.pem");
  EXPECT_EQ(Kholuu({"seal", "init"}).exit_code, 2);  // exists, no --replace
  EXPECT_EQ(ReadTestFile(data_ + "/keys/seal-key.pem"), before);
  EXPECT_EQ(Kholuu({"seal", "init", "--replace"}).exit_code, 0);
  EXPECT_NE(ReadTestFile(data_ + "/keys/seal-key.pem"), before);
}

TEST_F(SealCliTest, ImportsAnOpenSslKeyAndRejectsAMismatch) {
  if (access("/usr/bin/openssl", X_OK) != 0) GTEST_SKIP() << "openssl is not installed";
  fs::create_directories(data_);  // a data directory without an archive: nothing to audit
  const std::string key = dir_.Sub("k.pem"), cert = dir_.Sub("c.pem"), key2 = dir_.Sub("k2.pem");
  RunResult gen = kholuu::testing::Run({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                       cert, "-days", "30", "-subj", "/C=VN/O=TEST/CN=Imported seal TEST"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_EQ(kholuu::testing::Run({"/usr/bin/openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                 key2}).exit_code,
            0);
  EXPECT_EQ(Kholuu({"seal", "init", "--key", key2, "--cert", cert}).exit_code, 2);  // not the cert's key
  EXPECT_FALSE(fs::exists(data_ + "/keys/seal-key.pem"));
  EXPECT_EQ(Kholuu({"seal", "init", "--key", key}).exit_code, 2);  // --cert missing
  RunResult r = Kholuu({"seal", "init", "--json", "--key", key, "--cert", cert});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["generated"], false);
  EXPECT_EQ(j["audited"], false);
  EXPECT_EQ(j["key_algorithm"], "RSA-2048");
  EXPECT_EQ(Mode(data_ + "/keys/seal-key.pem"), 0600);
}

TEST_F(SealCliTest, SealsACorpusFileThatBothVerifiersAccept) {
  const fs::path input = fs::path(KHOLUU_CORPUS_DIR) /
                         "verapdf/PDF_A-2b/6.2 Graphics/6.2.11 Fonts/6.2.11.6 Character encodings/"
                         "veraPDF test suite 6-2-11-6-t02-pass-c.pdf";
  if (!fs::exists(input)) GTEST_SKIP() << "corpus file not found: " << input;
  fs::create_directories(data_);
  const std::string out = dir_.Sub("sealed.pdf");
  EXPECT_EQ(Kholuu({"seal", "pdf", input.string(), "-o", out}).exit_code, 2);  // no key yet
  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  RunResult r = Kholuu({"seal", "pdf", input.string(), "-o", out, "--location", "Hà Nội"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  RunResult v = kholuu::testing::Run({BinDir() + "/kholuu", "sig", "verify", "--json", out});
  json j = json::parse(v.out);
  ASSERT_TRUE(j.is_array()) << v.out;
  ASSERT_EQ(j[0]["signatures"].size(), 1u) << v.out;
  EXPECT_EQ(j[0]["signatures"][0]["integrity"], "valid") << v.out;
  RunResult pdfa = kholuu::testing::Run({BinDir() + "/kholuu", "pdfa", "validate", out});
  EXPECT_EQ(pdfa.exit_code, 0) << pdfa.out;
  if (access("/usr/bin/pdfsig", X_OK) == 0) {
    RunResult p = kholuu::testing::Run({"/usr/bin/pdfsig", "-nocert", out});
    EXPECT_NE(p.out.find("Signature is Valid."), std::string::npos) << p.out;
  }
  // A key file others can read is refused.
  ASSERT_EQ(::chmod((data_ + "/keys/seal-key.pem").c_str(), 0644), 0);
  EXPECT_EQ(Kholuu({"seal", "pdf", input.string(), "-o", dir_.Sub("again.pdf")}).exit_code, 2);
}

}  // namespace
}  // namespace kholuu::testing
