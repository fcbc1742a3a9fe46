// `kholuu preserve`, `get --rendition` and the search over extracted text,
// end to end with the real CLI, converters and OCR: a signed PDF that is not
// PDF/A gets a checked copy and a report and stays bit-exact; a PDF/A scan is
// its own copy; an encrypted PDF is flagged at risk; an image-only PDF made
// here from Vietnamese text is OCR'd and found by a query with and without
// diacritics.
#include <sys/stat.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::RunResult;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;
using nlohmann::json;

const std::string kCorpus = KHOLUU_CORPUS_DIR;
const std::string kSigned = kCorpus + "/pdf-pyhanko/minimal-signed-twice-no-sig-type.pdf";
const std::string kScan = kCorpus + "/scans-real/001.03.08.H30.81.2024.K4.01.01.002.pdf";
const std::string kEncrypted = kCorpus + "/pdf-pyhanko/minimal-aes256.pdf";

// A short passage of real Vietnamese text (Luật Lưu trữ 2024 wording).
const char* kPassage =
    "Tài liệu lưu trữ điện tử phải được bảo quản an toàn, bảo đảm tính toàn vẹn, "
    "xác thực và khả năng truy cập lâu dài. Cơ quan lưu trữ có trách nhiệm kiểm tra "
    "định kỳ, sao lưu dự phòng và chuyển đổi định dạng khi cần thiết.";

RunResult Kholuu(std::vector<std::string> args) {
  args.insert(args.begin(), testing::BinDir() + "/kholuu");
  return testing::Run(args);
}

json Parse(const RunResult& r) {
  json j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << "\nstderr: " << r.err;
  return j;
}

class CliPreserveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& p : {kSigned, kScan, kEncrypted, std::string("/usr/bin/soffice"),
                                 std::string("/usr/bin/gs"), std::string("/usr/bin/tesseract")}) {
      if (!PathExists(p)) GTEST_SKIP() << p << " not found";
    }
    data_ = dir_.Sub("archive");
    ASSERT_EQ(Kholuu({"init", "--data", data_}).exit_code, 0);
  }

  std::string Put(const std::string& file, const std::string& subject) {
    RunResult r = Kholuu({"put", "--data", data_, "--json", "--file-code", "000.00.00.G22.2024.07.VT",
                          "--subject", subject, "--issued", "2024-05-01", "--organ-name",
                          "Văn phòng Chính phủ", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Parse(r)["document"].get<std::string>();
  }

  // An image-only PDF of kPassage: LibreOffice sets it, Ghostscript rasterises it.
  std::string MakeImageOnlyPdf() {
    testing::WriteTestFile(dir_.Sub("passage.txt"), kPassage);
    RunResult lo = testing::Run({"/usr/bin/soffice", "--headless",
                                 "-env:UserInstallation=file://" + dir_.Sub("lo-profile"),
                                 "--infilter=Text (encoded):UTF8,LF,Noto Serif,vi", "--convert-to",
                                 "pdf", "--outdir", dir_.path(), dir_.Sub("passage.txt")});
    EXPECT_EQ(lo.exit_code, 0) << lo.err;
    RunResult gs = testing::Run({"/usr/bin/gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE",
                                 "-sDEVICE=pdfimage8", "-r300", "-o", dir_.Sub("scan-only.pdf"),
                                 dir_.Sub("passage.pdf")});
    EXPECT_EQ(gs.exit_code, 0) << gs.err;
    return dir_.Sub("scan-only.pdf");
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(CliPreserveTest, PreservesFlagsAndFindsOcrText) {
  const std::string signed_bytes = ReadTestFile(kSigned);
  const std::string signed_doc = Put(kSigned, "Văn bản ký số");
  const std::string scan_doc = Put(kScan, "Bản chụp");
  const std::string encrypted_doc = Put(kEncrypted, "Tệp mã hóa");
  const std::string image_doc = Put(MakeImageOnlyPdf(), "Bản quét không có lớp chữ");

  RunResult r = Kholuu({"preserve", "--all", "--data", data_, "--json"});
  EXPECT_EQ(r.exit_code, 1) << "one document is at risk: " << r.err;
  std::map<std::string, json> by_doc;
  for (const json& d : Parse(r)) by_doc[d["document"].get<std::string>()] = d;

  // The signed PDF: a report, a validated PDF/A-2b copy, text.
  const json& s = by_doc[signed_doc];
  EXPECT_EQ(s["status"], "preserved");
  std::map<std::string, std::string> roles;
  for (const json& c : s["components"]) roles[c["role"]] = c["format_version"];
  EXPECT_EQ(roles["report"], "kholuu signature report 2");
  EXPECT_EQ(roles["preservation_copy"], "PDF/A-2B");
  EXPECT_TRUE(roles.count("extracted_text"));
  EXPECT_EQ(s["originals"][0]["signatures"]["count"], 2);

  // Its original is handed out bit-exact; the copy validates.
  ASSERT_EQ(Kholuu({"get", signed_doc, "--original", "-o", dir_.Sub("orig.pdf"), "--data", data_})
                .exit_code, 0);
  EXPECT_TRUE(ReadTestFile(dir_.Sub("orig.pdf")) == signed_bytes);
  ASSERT_EQ(Kholuu({"get", signed_doc, "--preservation", "-o", dir_.Sub("copy.pdf"), "--data", data_})
                .exit_code, 0);
  json copy_check = Parse(Kholuu({"pdfa", "validate", dir_.Sub("copy.pdf"), "--profile", "2b", "--json"}));
  EXPECT_EQ(copy_check[0]["compliant"], true);

  // The PDF/A scan is its own preservation copy: nothing new stored for it but text.
  const json& sc = by_doc[scan_doc];
  EXPECT_EQ(sc["status"], "preserved");
  EXPECT_EQ(sc["originals"][0]["copy"]["status"], "already_conformant");
  ASSERT_EQ(Kholuu({"get", scan_doc, "--preservation", "-o", dir_.Sub("scan.pdf"), "--data", data_})
                .exit_code, 0);
  EXPECT_TRUE(ReadTestFile(dir_.Sub("scan.pdf")) == ReadTestFile(kScan));

  // The encrypted PDF: at risk, and the record says why.
  const json& e = by_doc[encrypted_doc];
  EXPECT_EQ(e["status"], "at_risk");
  EXPECT_THAT(e["risk"].get<std::string>(), HasSubstr("encrypted"));
  json shown = Parse(Kholuu({"show", encrypted_doc, "--data", data_, "--json"}));
  EXPECT_THAT(shown["preservation_risk"].get<std::string>(), HasSubstr("encrypted"));
  RunResult no_copy = Kholuu({"get", encrypted_doc, "--preservation", "-o", dir_.Sub("x.pdf"),
                              "--data", data_});
  EXPECT_NE(no_copy.exit_code, 0);

  // The image-only PDF was OCR'd.
  const json& im = by_doc[image_doc];
  EXPECT_GE(im["originals"][0]["text"]["ocr_pages"], 1);
  EXPECT_GT(im["originals"][0]["text"]["ocr_mean_confidence"], 50.0);

  // Search finds the OCR'd words, with and without diacritics.
  ASSERT_EQ(Kholuu({"reindex", "--data", data_}).exit_code, 0);
  for (const std::string q : {"bảo quản an toàn", "bao quan an toan", "\"sao lưu dự phòng\""}) {
    json hits = Parse(Kholuu({"search", q, "--data", data_, "--json"}));
    bool found = false;
    for (const json& h : hits["hits"]) found = found || h["document"] == image_doc;
    EXPECT_TRUE(found) << q << " did not find the OCR'd scan: " << hits.dump();
  }

  // A second run skips what is done; the audit chain is intact.
  json again = Parse(Kholuu({"preserve", signed_doc, "--data", data_, "--json"}));
  EXPECT_EQ(again[0]["status"], "skipped");
  json audit = Parse(Kholuu({"audit", "verify", "--data", data_, "--json"}));
  EXPECT_EQ(audit["ok"], true);

  // The rendition for legal export: sealed, PDF/A-3b, the original inside bit-exact.
  RunResult no_key = Kholuu({"get", signed_doc, "--rendition", "-o", dir_.Sub("r.pdf"), "--data", data_});
  EXPECT_EQ(no_key.exit_code, 2);
  EXPECT_THAT(no_key.err, HasSubstr("seal init"));
  ASSERT_EQ(Kholuu({"seal", "init", "--data", data_}).exit_code, 0);
  RunResult rendition = Kholuu({"get", signed_doc, "--rendition", "-o", dir_.Sub("r.pdf"),
                                "--data", data_, "--json"});
  ASSERT_EQ(rendition.exit_code, 0) << rendition.err;
  EXPECT_EQ(Parse(rendition)["seal_integrity"], "valid");
  json r_check = Parse(Kholuu({"pdfa", "validate", dir_.Sub("r.pdf"), "--json"}));
  EXPECT_EQ(r_check[0]["profile"], "3b");
  EXPECT_EQ(r_check[0]["compliant"], true);
  const std::string detached = dir_.Sub("detached");
  ASSERT_EQ(::mkdir(detached.c_str(), 0700), 0);
  ASSERT_EQ(testing::Run({"/usr/bin/pdfdetach", "-saveall", "-o", detached, dir_.Sub("r.pdf")})
                .exit_code, 0);
  EXPECT_TRUE(ReadTestFile(detached + "/minimal-signed-twice-no-sig-type.pdf") == signed_bytes);
  EXPECT_THAT(testing::Run({"/usr/bin/pdfsig", dir_.Sub("r.pdf")}).out, HasSubstr("Signature is Valid"));
}

TEST_F(CliPreserveTest, ForceReplacesDerivedComponents) {
  const std::string doc = Put(kSigned, "Văn bản ký số");
  ASSERT_EQ(Kholuu({"preserve", doc, "--data", data_}).exit_code, 0);
  json first = Parse(Kholuu({"show", doc, "--data", data_, "--json"}));
  ASSERT_EQ(Kholuu({"preserve", doc, "--force", "--data", data_}).exit_code, 0);
  json second = Parse(Kholuu({"show", doc, "--data", data_, "--json"}));
  EXPECT_EQ(second["components"].size(), first["components"].size());
  EXPECT_NE(second["components"], first["components"]);
  EXPECT_EQ(Parse(Kholuu({"audit", "verify", "--data", data_, "--json"}))["ok"], true);
  EXPECT_EQ(Kholuu({"preserve", "--data", data_}).exit_code, 2) << "no ids and no --all";
}

// A time limit on the converters (issue 19): a run that exceeds it is
// killed, the document is recorded at risk with the reason, and nothing else
// of it is lost; without the limit the same document is preserved.
TEST_F(CliPreserveTest, ConverterTimeLimitIsConfigurableAndNamed) {
  const std::string doc = Put(kSigned, "Văn bản ký số");
  RunResult r = Kholuu({"preserve", doc, "--timeout", "0.001", "--data", data_, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
  EXPECT_NE(r.out.find("timed out"), std::string::npos) << r.out;
  EXPECT_EQ(Kholuu({"preserve", doc, "--timeout", "-1", "--data", data_}).exit_code, 2);
  EXPECT_EQ(Parse(Kholuu({"audit", "verify", "--data", data_, "--json"}))["ok"], true);
  RunResult again = Kholuu({"preserve", doc, "--force", "--data", data_, "--json"});
  EXPECT_EQ(again.exit_code, 0) << again.err << again.out;
}

}  // namespace
}  // namespace kholuu
