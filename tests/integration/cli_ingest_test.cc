// `kholuu ingest`, `kholuu jobs` and `kholuu receipt` as users and agency
// scripts run them: the receipt contract of spec/architecture.md §5.2, exit
// codes, and the drop folder (--watch) with a real process.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/common/text.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using nlohmann::json;
using testing::RunResult;
using ::testing::HasSubstr;
using ::testing::Not;

class CliIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_.Sub("archive");
    ASSERT_EQ(Kholuu({"init"}).exit_code, 0);
  }

  RunResult Kholuu(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinDir() + "/kholuu"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--data");
    argv.push_back(data_);
    return testing::Run(argv);
  }

  // A package of one text document and its sidecar; `ok` false makes the
  // sidecar's checksum disagree with the file.
  std::string Package(const std::string& name, const std::string& subject, bool ok = true) {
    const std::string dir = tmp_.Sub(name);
    EXPECT_TRUE(CreateDirs(dir).ok());
    const std::string body = "Nội dung văn bản: " + subject + "\n";
    testing::WriteTestFile(dir + "/van-ban.txt", body);
    json side = {{"record_file",
                  {{"file_code", "000.00.00.H49.2025.03.VP"}, {"title", "Hồ sơ thử nghiệm tiếp nhận"},
                   {"maintenance", "10 năm"}}},
                 {"document",
                  {{"type_name", "Công văn"},
                   {"code_number", std::to_string(++number_)},
                   {"code_notation", "UBND-VP"},
                   {"issued_date", "2025-03-0" + std::to_string(1 + number_ % 9)},
                   {"organ_id", "000.00.00.H49"},
                   {"organ_name", "Ủy ban nhân dân tỉnh Mẫu"},
                   {"subject", subject},
                   {"file", {{"sha256", ok ? Sha256Of(body).ToHex() : Sha256Of("other").ToHex()}}}}}};
    testing::WriteTestFile(dir + "/van-ban.txt.json", side.dump());
    return dir;
  }

  testing::TempDir tmp_;
  std::string data_;
  int number_ = 0;
};

TEST_F(CliIngestTest, ReceiptsFollowTheContractAndExitCodesTellTheOutcome) {
  const std::string good = Package("goi-1", "Công văn về lịch tiếp công dân tháng ba");
  const std::string bad = Package("goi-2", "Công văn có tệp bị sửa", /*ok=*/false);

  RunResult r = Kholuu({"ingest", good, "--json", "--no-ocr"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json receipts = json::parse(r.out);
  ASSERT_EQ(receipts.size(), 1u);
  const json& a = receipts[0];
  for (const char* k : {"package", "status", "record_file", "documents", "problems", "job"}) {
    EXPECT_TRUE(a.contains(k)) << k;
  }
  EXPECT_EQ(a["status"], "accepted");
  EXPECT_EQ(a["record_file"], "000.00.00.H49.2025.03.VP");
  ASSERT_EQ(a["documents"].size(), 1u);
  const std::string doc = a["documents"][0]["id"];
  EXPECT_EQ(a["documents"][0]["action"], "stored");

  // Refused: exit 1, the problem with its code, messages and path.
  r = Kholuu({"ingest", bad, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json refused = json::parse(r.out)[0];
  EXPECT_EQ(refused["status"], "rejected");
  ASSERT_FALSE(refused["problems"].empty());
  bool named = false;
  for (const json& p : refused["problems"]) {
    EXPECT_FALSE(p["message"].get<std::string>().empty());
    EXPECT_FALSE(p["message_vi"].get<std::string>().empty());
    named = named || (p["code"] == "file.checksum_mismatch" && p["path"].get<std::string>().find("van-ban.txt") !=
                                                                      std::string::npos);
  }
  EXPECT_TRUE(named) << r.out;

  // The receipts for a person, in the CLI's language (Vietnamese by
  // default): outcome, problem code and the message in that language only.
  RunResult vi = Kholuu({"ingest", bad, "--lang", "vi"});
  EXPECT_EQ(vi.exit_code, 1);
  EXPECT_THAT(vi.out, HasSubstr("bị từ chối — "));
  EXPECT_THAT(vi.out, HasSubstr("lỗi file.checksum_mismatch"));
  EXPECT_THAT(vi.out, Not(HasSubstr(refused["problems"][0]["message"].get<std::string>())));
  RunResult en = Kholuu({"ingest", bad, "--lang", "en"});
  EXPECT_THAT(en.out, HasSubstr("rejected — "));
  EXPECT_THAT(en.out, HasSubstr("error file.checksum_mismatch"));
  EXPECT_THAT(Kholuu({"ingest", good, "--lang", "vi"}).out, HasSubstr("đã tiếp nhận trước đó"));

  // The same package again: duplicate, exit 0, nothing changes.
  RunResult before = Kholuu({"stats", "--json"});
  r = Kholuu({"ingest", good, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)[0]["status"], "duplicate");
  json stats_before = json::parse(before.out), stats_after = json::parse(Kholuu({"stats", "--json"}).out);
  EXPECT_EQ(stats_after["documents"], stats_before["documents"]);
  EXPECT_EQ(stats_after["components"], stats_before["components"]);

  // A path that does not exist: exit 2, and the others are still judged.
  r = Kholuu({"ingest", tmp_.Sub("no-such-package"), Package("goi-3", "Công văn thứ ba về tiếp dân"), "--json"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  json mixed = json::parse(r.out);
  ASSERT_EQ(mixed.size(), 2u);
  EXPECT_TRUE(mixed[0].contains("error"));
  EXPECT_EQ(mixed[1]["status"], "accepted");

  // Found without diacritics, as soon as ingest returns.
  r = Kholuu({"search", "lich tiep cong dan", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json hits = json::parse(r.out)["hits"];
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0]["document"], doc);

  // Jobs and the receipt of the accepted package.
  r = Kholuu({"jobs", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json jobs = json::parse(r.out);
  EXPECT_EQ(jobs.size(), 3u);
  r = Kholuu({"receipt", a["job"], "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(doc), std::string::npos);
}

TEST_F(CliIngestTest, AnEdxmlPackageIsAnsweredWithAStatusPackageFromTheArchive) {
  const std::string attachment = "Nội dung công văn về lịch họp giao ban quý hai.\n";
  const std::string edxml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">\n"
      "<edXML:edXMLEnvelope xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXML:edXMLHeader>"
      "<edXML:MessageHeader><edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Văn phòng "
      "Chính phủ</edXML:OrganName></edXML:From><edXML:To><edXML:OrganId>000.00.00.H49</edXML:OrganId>"
      "<edXML:OrganName>UBND tỉnh</edXML:OrganName></edXML:To><edXML:Code><edXML:CodeNumber>77</edXML:CodeNumber>"
      "<edXML:CodeNotation>VPCP-HC</edXML:CodeNotation></edXML:Code><edXML:PromulgationInfo><edXML:Place>Hà Nội"
      "</edXML:Place><edXML:PromulgationDate>2025/04/02</edXML:PromulgationDate></edXML:PromulgationInfo>"
      "<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>"
      "<edXML:Subject>V/v lịch họp giao ban quý hai</edXML:Subject>"
      "<edXML:DocumentId>000.00.00.G22,2025/04/02,77/VPCP-HC</edXML:DocumentId></edXML:MessageHeader>"
      "</edXML:edXMLHeader><edXML:edXMLBody><edXML:edXMLManifest version=\"1.0\"><edXML:Reference>"
      "<edXML:ContentId>cid:1</edXML:ContentId><edXML:ContentType>text/plain</edXML:ContentType>"
      "<edXML:AttachmentName>77.txt</edXML:AttachmentName></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>"
      "</edXML:edXMLEnvelope><AttachmentEncoded><Attachment><ContentId>cid:1</ContentId><AttachmentName>77.txt"
      "</AttachmentName><ContentType>text/plain</ContentType><ContentTransferEncoded>" +
      formats::Base64Encode(attachment) + "</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>\n";
  const std::string file = tmp_.Sub("cv-77.edxml");
  testing::WriteTestFile(file, edxml);
  const std::string replies = tmp_.Sub("replies");
  // Unsigned: refused with the reason of the axis, unless allowed.
  RunResult r = Kholuu({"ingest", file, "--json", "--reply-dir", replies, "--archive-organ-id", "000.00.00.H99"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  json refused = json::parse(r.out)[0];
  EXPECT_EQ(refused["edxml_status_code"], "02");
  std::string reply = testing::ReadTestFile(replies + "/" + refused["job"].get<std::string>() + ".status.edxml");
  EXPECT_NE(reply.find("thiếu chữ ký số"), std::string::npos) << reply;
  EXPECT_NE(reply.find("000.00.00.H99"), std::string::npos) << reply;
  EXPECT_NE(reply.find("000.00.00.G22,2025/04/02,77/VPCP-HC"), std::string::npos) << reply;

  r = Kholuu({"ingest", file, "--json", "--reply-dir", replies, "--allow-unsigned-edxml", "--archive-organ-id",
              "000.00.00.H99"});
  // The same bytes were refused before: the refusal stands.
  EXPECT_EQ(r.exit_code, 1) << r.err;
  testing::WriteTestFile(file, edxml + " ");  // another package (one byte more)
  r = Kholuu({"ingest", file, "--json", "--reply-dir", replies, "--allow-unsigned-edxml", "--archive-organ-id",
              "000.00.00.H99"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  json accepted = json::parse(r.out)[0];
  EXPECT_EQ(accepted["status"], "accepted");
  EXPECT_EQ(accepted["edxml_status_code"], "03");
  EXPECT_EQ(accepted["record_file"], "000.00.00.G22.2025.LT");
  reply = testing::ReadTestFile(replies + "/" + accepted["job"].get<std::string>() + ".status.edxml");
  EXPECT_NE(reply.find("000.00.00.H99"), std::string::npos) << reply;
}

TEST_F(CliIngestTest, TheDropFolderTakesACompletePackageAndFilesItWithItsReceipt) {
  const std::string drop = tmp_.Sub("drop");
  ASSERT_TRUE(CreateDirs(drop).ok());
  const pid_t pid = testing::Start({testing::BinDir() + "/kholuu", "ingest", "--watch", drop, "--settle", "0.3",
                                    "--json", "--no-ocr", "--data", data_},
                                   tmp_.Sub("watch.out"));
  ASSERT_GT(pid, 0);
  // Written under a name the watcher ignores, renamed when complete.
  const std::string src = Package("den-1", "Công văn đến qua thư mục nhận về phòng chống lụt bão");
  ASSERT_EQ(::rename(src.c_str(), (drop + "/den-1.partial").c_str()), 0);
  ASSERT_EQ(::rename((drop + "/den-1.partial").c_str(), (drop + "/den-1").c_str()), 0);
  const std::string bad = Package("den-2", "Công văn hỏng", /*ok=*/false);
  ASSERT_EQ(::rename(bad.c_str(), (drop + "/den-2").c_str()), 0);
  testing::WriteTestFile(drop + "/den-2.ready", "");

  bool filed = false;
  for (int i = 0; i < 300 && !filed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    filed = PathExists(drop + "/.kholuu/accepted/den-1.receipt.json") &&
            PathExists(drop + "/.kholuu/rejected/den-2.receipt.json");
  }
  ::kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  ASSERT_TRUE(filed) << testing::ReadTestFile(tmp_.Sub("watch.out"));
  EXPECT_TRUE(IsDirectory(drop + "/.kholuu/accepted/den-1"));
  EXPECT_FALSE(PathExists(drop + "/den-1"));
  EXPECT_FALSE(PathExists(drop + "/den-2.ready"));
  json receipt = json::parse(testing::ReadTestFile(drop + "/.kholuu/accepted/den-1.receipt.json"));
  EXPECT_EQ(receipt["status"], "accepted");
  json refusal = json::parse(testing::ReadTestFile(drop + "/.kholuu/rejected/den-2.receipt.json"));
  EXPECT_EQ(refusal["status"], "rejected");

  RunResult r = Kholuu({"search", "phong chong lut bao", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(json::parse(r.out)["hits"].empty());
}

}  // namespace
}  // namespace kholuu

namespace kholuu {
namespace {

// A device or a pipe is no package (issue 19, bounded inputs): refused at
// once as bad input, each with its own name, and no job is recorded.
TEST_F(CliIngestTest, DevicesAndPipesAreRefusedAtOnceWithoutAJob) {
  RunResult zero = Kholuu({"ingest", "/dev/zero", "--json"});
  EXPECT_EQ(zero.exit_code, 2) << zero.out << zero.err;
  EXPECT_THAT(zero.err, ::testing::HasSubstr("/dev/zero is not a file or folder"));

  const std::string fifo = tmp_.Sub("ống");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  RunResult pipe = Kholuu({"ingest", fifo});
  EXPECT_EQ(pipe.exit_code, 2) << pipe.out << pipe.err;
  EXPECT_THAT(pipe.err, ::testing::HasSubstr(fifo + " is not a file or folder"));
  EXPECT_THAT(pipe.err, ::testing::Not(::testing::HasSubstr("/dev/zero")));

  RunResult jobs = Kholuu({"jobs", "--json"});
  ASSERT_EQ(jobs.exit_code, 0) << jobs.err;
  EXPECT_EQ(json::parse(jobs.out).size(), 0u) << jobs.out;
}

}  // namespace
}  // namespace kholuu

namespace kholuu {
namespace {

// A configurable size limit on packages (issue 19): over it, the package is
// refused with package.too_large and nothing is archived; under it, accepted.
TEST_F(CliIngestTest, PackageSizeLimitIsConfigurableAndNamed) {
  const std::string pkg = Package("goi-lon", "Văn bản vượt giới hạn kích thước");
  RunResult small = Kholuu({"ingest", pkg, "--no-preserve", "--max-package-bytes", "64", "--json"});
  EXPECT_EQ(small.exit_code, 1) << small.out << small.err;
  EXPECT_NE(small.out.find("package.too_large"), std::string::npos) << small.out;
  EXPECT_NE(small.out.find("64 bytes"), std::string::npos) << small.out;
  RunResult stats = Kholuu({"stats", "--json"});
  EXPECT_EQ(json::parse(stats.out)["documents"], 0) << stats.out;

  RunResult bad = Kholuu({"ingest", pkg, "--max-package-bytes", "0"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

}  // namespace
}  // namespace kholuu
