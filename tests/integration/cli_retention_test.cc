// `kholuu retention` as archivists and scripts run it (issue 20): the
// retention a received file gets from its metadata, assignment from a
// period or a schedule entry, reassignment only with a reason, the due list
// by kind and date in text, JSON and CSV, usage errors, and a retention row
// changed behind the archive named by `audit verify`.
#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "tests/support/raw_lmdb.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::RunResult;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;
using nlohmann::json;

const std::string kFile2019 = "000.00.00.H49.2019.01.VP";
const std::string kFile2020 = "000.00.00.H49.2020.02.VP";
const std::string kOther = "000.00.00.G22.2020.03.TCCB";

class CliRetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Sub("data");
    ASSERT_EQ(Kholuu({"init"}).exit_code, 0);
    Put(kFile2019, 1);
    Put(kFile2020, 2);
    Put(kOther, 3);
  }

  RunResult Kholuu(std::vector<std::string> args) {
    std::vector<std::string> argv = {testing::BinDir() + "/kholuu"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--data", data_, "--lang", "en"});
    return testing::Run(argv);
  }

  json KholuuJson(std::vector<std::string> args, int expect_exit = 0) {
    args.push_back("--json");
    RunResult r = Kholuu(args);
    EXPECT_EQ(r.exit_code, expect_exit) << r.err << r.out;
    json j = json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  void Put(const std::string& file_code, int n) {
    const std::string path = dir_.Sub("doc-" + std::to_string(n) + ".pdf");
    testing::WriteTestFile(path, "%PDF-1.7\nvăn bản " + std::to_string(n) + "\n%%EOF\n");
    RunResult r = Kholuu({"put", path, "--file-code", file_code, "--title", "Hồ sơ " + std::to_string(n), "--subject",
                          "Văn bản " + std::to_string(n), "--issued", "2020-02-01", "--organ-name", "UBND tỉnh"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // "kind date file" of the due list.
  std::vector<std::string> Due(std::vector<std::string> args) {
    args.insert(args.begin(), {"retention", "due"});
    json j = KholuuJson(args);
    std::vector<std::string> out;
    for (const json& i : j["items"]) {
      out.push_back(i["kind"].get<std::string>() + " " + i["date"].get<std::string>() + " " +
                    i["file_code"].get<std::string>());
    }
    return out;
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(CliRetentionTest, AssignedAtIngestThenByAnArchivistWithAReason) {
  // `put` files get their metadata's period ("Vĩnh viễn" for put): nothing unassigned.
  EXPECT_TRUE(KholuuJson({"retention", "unassigned"})["files"].empty());
  // A period of years, the work's end given.
  json a = KholuuJson({"retention", "assign", kFile2019, "--period", "10 năm", "--reason", "xác định lại",
                       "--work-ended", "2019-11-30"});
  EXPECT_EQ(a["retention"], "10 năm");
  EXPECT_EQ(a["kind"], "years");
  EXPECT_EQ(a["due"]["expires"], "2029-12-31");
  // Without a reason an existing retention is kept.
  RunResult no_reason = Kholuu({"retention", "assign", kFile2019, "--period", "5 năm"});
  EXPECT_EQ(no_reason.exit_code, 2);
  EXPECT_THAT(no_reason.err, HasSubstr("needs a reason"));
  // From a schedule entry of the shipped schedule.
  json s = KholuuJson({"retention", "assign", kFile2020, "--schedule", "TT10-2022", "--entry", "3.1", "--reason",
                       "theo danh mục", "--work-ended", "2020-12-31"});
  EXPECT_EQ(s["schedule"], "TT10-2022 2022-12-19 3.1");
  EXPECT_EQ(s["due"]["expires"], "2040-12-31");  // 20 năm
  // Bad input: unknown entry, unknown file, both sources, an unreadable period, a bad date.
  EXPECT_EQ(Kholuu({"retention", "assign", kFile2020, "--schedule", "TT10-2022", "--entry", "9.9", "--reason", "x"})
                .exit_code,
            2);
  EXPECT_EQ(Kholuu({"retention", "assign", "000.00.00.H49.2020.99.VP", "--period", "5 năm"}).exit_code, 2);
  EXPECT_EQ(Kholuu({"retention", "assign", kFile2020, "--period", "5 năm", "--schedule", "TT10-2022", "--entry", "3.1",
                    "--reason", "x"})
                .exit_code,
            2);
  RunResult unreadable = Kholuu({"retention", "assign", kFile2020, "--period", "lâu dài", "--reason", "x"});
  EXPECT_EQ(unreadable.exit_code, 2);
  EXPECT_THAT(unreadable.err, HasSubstr("'lâu dài'"));
  EXPECT_EQ(Kholuu({"retention", "assign", kFile2020, "--period", "5 năm", "--reason", "x", "--work-ended",
                    "2020-02-30"})
                .exit_code,
            2);

  // The due list: by date up to as-of + within, by kind, by agency.
  EXPECT_THAT(Due({"--as-of", "2029-12-31", "--kind", "expiry"}), ::testing::ElementsAre("expiry 2029-12-31 " + kFile2019));
  EXPECT_TRUE(Due({"--as-of", "2029-12-30", "--kind", "expiry"}).empty());
  EXPECT_THAT(Due({"--as-of", "2029-12-01", "--within", "30d", "--kind", "expiry"}),
              ::testing::ElementsAre("expiry 2029-12-31 " + kFile2019));
  EXPECT_THAT(Due({"--as-of", "2050-01-01", "--kind", "expiry"}),
              ::testing::ElementsAre("expiry 2029-12-31 " + kFile2019, "expiry 2040-12-31 " + kFile2020));
  // The permanent file of the other agency goes on to the historical archive.
  std::vector<std::string> historical = Due({"--as-of", "2099-01-01", "--kind", "transfer_historical"});
  ASSERT_EQ(historical.size(), 1u);
  EXPECT_THAT(historical[0], HasSubstr(kOther));
  EXPECT_TRUE(Due({"--as-of", "2099-01-01", "--agency", "000.00.00.G22", "--kind", "expiry"}).empty());
  json overdue = KholuuJson({"retention", "due", "--as-of", "2031-01-01", "--kind", "expiry"});
  ASSERT_EQ(overdue["items"].size(), 1u);
  EXPECT_EQ(overdue["items"][0]["overdue"], true);
  EXPECT_EQ(overdue["counts"]["expiry"], 1);
  RunResult csv = Kholuu({"retention", "due", "--as-of", "2040-12-31", "--kind", "expiry", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "kind,date,overdue,file_code,organ_id,year,title,retention,schedule\r");
  EXPECT_THAT(csv.out, HasSubstr("expiry,2040-12-31,no," + kFile2020 + ",000.00.00.H49,2020,Hồ sơ 2,20 năm,"
                                 "TT10-2022 2022-12-19 3.1\r\n"));
  EXPECT_EQ(Kholuu({"retention", "due", "--within", "soon"}).exit_code, 2);
  EXPECT_EQ(Kholuu({"retention", "due", "--as-of", "31/12/2029"}).exit_code, 2);
  EXPECT_EQ(Kholuu({"retention", "due", "--kind", "destroy"}).exit_code, 2);

  // Every assignment is in the log; the catalog still verifies.
  json log = KholuuJson({"audit", "log", "--limit", "0"});
  int assignments = 0;
  for (const json& e : log) {
    if (e["action"].get<std::string>().rfind("retention.", 0) == 0) ++assignments;
  }
  EXPECT_EQ(assignments, 5);  // 3 at put, 2 reassignments
  EXPECT_EQ(KholuuJson({"audit", "verify"})["ok"], true);
}

TEST_F(CliRetentionTest, SchedulesAreListedWithTheirConfirmationState) {
  json all = KholuuJson({"retention", "schedules"});
  ASSERT_TRUE(all.is_array());
  bool tt10 = false;
  for (const json& s : all) {
    if (s["schedule"] != "TT10-2022") continue;
    tt10 = true;
    EXPECT_GT(s["entries"].get<int>(), 0);
    EXPECT_LE(s["confirmed"].get<int>(), s["entries"].get<int>());
  }
  EXPECT_TRUE(tt10);
  json one = KholuuJson({"retention", "schedules", "TT10-2022"});
  EXPECT_EQ(one["schedule"], "TT10-2022");
  EXPECT_FALSE(one["entries"].empty());
  EXPECT_EQ(Kholuu({"retention", "schedules", "NO-SUCH"}).exit_code, 2);
}

TEST_F(CliRetentionTest, AHoldStopsDestructionUntilItIsReleased) {
  json h = KholuuJson({"retention", "hold", "add", kFile2019, "--name", "Thanh tra 2026", "--reason",
                       "khiếu nại đang giải quyết", "--authority", "Thanh tra tỉnh, QĐ 12/QĐ-TTr"});
  ASSERT_EQ(h["id"], "hold-000001");
  EXPECT_EQ(h["in_force"], true);
  EXPECT_EQ(h["objects"][0], kFile2019);
  RunResult refused = Kholuu({"retention", "assign", kFile2019, "--period", "5 năm", "--reason", "x", "--stage",
                              "destroyed"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("under hold hold-000001"));
  EXPECT_THAT(refused.err, HasSubstr("destroying it is refused"));
  // Unknown objects, a missing reason: refused, nothing placed.
  EXPECT_EQ(Kholuu({"retention", "hold", "add", "000.00.00.H49.2019.99.VP", "--name", "n", "--reason", "r",
                    "--authority", "a"})
                .exit_code,
            2);
  EXPECT_EQ(Kholuu({"retention", "hold", "add", kFile2019, "--name", "n", "--authority", "a"}).exit_code, 2);
  json list = KholuuJson({"retention", "hold", "list"});
  ASSERT_EQ(list.size(), 1u);
  // `show` of the file and of its document name the hold; the file its retention.
  json file = KholuuJson({"show", kFile2019});
  ASSERT_EQ(file["holds"].size(), 1u);
  EXPECT_EQ(file["holds"][0]["id"], "hold-000001");
  EXPECT_EQ(file["retention"]["period"], "Vĩnh viễn");
  EXPECT_EQ(file["retention"]["stage"], "current");
  const std::string doc = file["documents"][0];
  EXPECT_EQ(KholuuJson({"show", doc})["holds"][0]["authority"], "Thanh tra tỉnh, QĐ 12/QĐ-TTr");
  json released = KholuuJson({"retention", "hold", "release", "hold-000001", "--reason", "đã giải quyết xong"});
  EXPECT_EQ(released["in_force"], false);
  EXPECT_EQ(released["release_reason"], "đã giải quyết xong");
  EXPECT_EQ(Kholuu({"retention", "hold", "release", "hold-000001", "--reason", "again"}).exit_code, 2);
  EXPECT_EQ(Kholuu({"retention", "assign", kFile2019, "--period", "5 năm", "--reason", "x", "--stage", "destroyed"})
                .exit_code,
            0);
  EXPECT_TRUE(KholuuJson({"show", kFile2019})["holds"].empty());
  EXPECT_EQ(KholuuJson({"audit", "verify"})["ok"], true);
}

TEST_F(CliRetentionTest, ARetentionChangedBehindTheArchiveIsNamed) {
  ASSERT_EQ(Kholuu({"retention", "assign", kFile2019, "--period", "10 năm", "--reason", "x"}).exit_code, 0);
  const std::string catalog = data_ + "/catalog";
  std::string row = testing::RawGet(catalog, "retention", kFile2019);
  ASSERT_FALSE(row.empty());
  // A shorter period written straight into the catalog: the kind of change
  // that would let a file be destroyed early.
  const size_t at = row.find(std::string("\x03\x01\x14", 3));  // tag 3 (years), length 1, zigzag 10
  ASSERT_NE(at, std::string::npos);
  row[at + 2] = 0x02;  // zigzag 1: one year
  testing::RawPut(catalog, "retention", kFile2019, row);
  RunResult r = Kholuu({"audit", "verify", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"retention\""));
  EXPECT_THAT(r.out, HasSubstr(kFile2019));
  RunResult v = Kholuu({"verify", kFile2019});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("retention " + kFile2019));
}

}  // namespace
}  // namespace kholuu
