// Retention schedules (ingest/retention_schedule.h): retention texts as
// records and schedules write them, the shipped schedules, and import from
// an agency's CSV sheet and from the same sheet saved as XLSX by
// LibreOffice (tests/ingest/testdata/schedules/).
#include "ingest/retention_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "ingest/retention.h"
#include "tests/support/status_matchers.h"

namespace kholuu::ingest {
namespace {

using model::RetentionKind;
using model::RetentionPeriod;
using ::kholuu::testing::StatusIs;
using ::testing::HasSubstr;

const std::string kTestData = std::string(KHOLUU_SOURCE_DIR) + "/tests/ingest/testdata/schedules/";

std::string Read(const std::string& name) {
  auto bytes = ReadFileToString(kTestData + name);
  EXPECT_TRUE(bytes.ok()) << name;
  return bytes.ok() ? *bytes : "";
}

TEST(ParseRetentionTest, TheFormsRecordsAndSchedulesWrite) {
  for (const char* permanent : {"Vĩnh viễn", "vĩnh viễn", "VĨNH VIỄN", "Vinh vien", "  Vĩnh  viễn. "}) {
    ASSERT_OK_AND_ASSIGN(RetentionPeriod p, ParseRetention(permanent));
    EXPECT_EQ(p, RetentionPeriod::Permanent()) << permanent;
  }
  for (const char* seventy : {"70 năm", "70 nam", "70", "70 NĂM", "70năm"}) {
    auto p = ParseRetention(seventy);
    if (std::string(seventy) == "70năm") {
      EXPECT_FALSE(p.ok());  // one word: not a number of years
      continue;
    }
    ASSERT_TRUE(p.ok()) << seventy << ": " << p.status().message();
    EXPECT_EQ(*p, RetentionPeriod::Years(70)) << seventy;
  }
  ASSERT_OK_AND_ASSIGN(RetentionPeriod until, ParseRetention("Đến khi văn bản hết hiệu lực thi hành"));
  EXPECT_EQ(until.kind, RetentionKind::kConditional);
  EXPECT_EQ(until.condition, "Đến khi văn bản hết hiệu lực thi hành");
  EXPECT_EQ(until.years, 0);
  ASSERT_OK_AND_ASSIGN(RetentionPeriod device, ParseRetention(" Theo tuổi thọ thiết bị + 5 năm"));
  EXPECT_EQ(device.condition, "Theo tuổi thọ thiết bị");
  EXPECT_EQ(device.years, 5);
  EXPECT_EQ(device.ToString(), "Theo tuổi thọ thiết bị + 5 năm");
  ASSERT_OK_AND_ASSIGN(RetentionPeriod again, ParseRetention(device.ToString()));
  EXPECT_EQ(again, device);  // the canonical text reads back
  ASSERT_OK_AND_ASSIGN(RetentionPeriod until_then, ParseRetention("Cho đến khi thanh lý hợp đồng"));
  EXPECT_EQ(until_then.kind, RetentionKind::kConditional);

  for (const char* bad : {"", "   ", "0 năm", "0", "201 năm", "1000 năm", "mười năm", "lâu dài", "-5 năm"}) {
    EXPECT_THAT(ParseRetention(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
  EXPECT_THAT(ParseRetention("lâu dài").status().message(), HasSubstr("'lâu dài'"));
}

TEST(ScheduleTest, TheShippedSchedulesParseAndSayWhatIsUnconfirmed) {
  const std::vector<Schedule>& all = BuiltinSchedules();
  ASSERT_FALSE(all.empty());
  const Schedule* tt10 = nullptr;
  for (const Schedule& s : all) {
    if (s.id == "TT10-2022") tt10 = &s;
  }
  ASSERT_NE(tt10, nullptr);
  EXPECT_EQ(tt10->version, "2022-12-19");
  ASSERT_TRUE(tt10->effective_from.has_value());
  EXPECT_FALSE(tt10->entries.empty());
  for (const ScheduleEntry& e : tt10->entries) {
    EXPECT_FALSE(e.source.empty()) << e.code << ": every value names its source";
    if (!e.confirmed) {
      EXPECT_FALSE(e.note.empty()) << e.code << ": an unconfirmed value says why";
    }
    EXPECT_NE(tt10->Find(e.code), nullptr);
  }
  EXPECT_EQ(tt10->Find("no-such-code"), nullptr);
  // Written out and read back: the same schedule.
  ASSERT_OK_AND_ASSIGN(Schedule back, ParseScheduleJson(ScheduleToJson(*tt10)));
  EXPECT_EQ(back.entries.size(), tt10->entries.size());
  for (size_t i = 0; i < back.entries.size(); ++i) {
    EXPECT_EQ(back.entries[i].code, tt10->entries[i].code);
    EXPECT_EQ(back.entries[i].period, tt10->entries[i].period);
    EXPECT_EQ(back.entries[i].confirmed, tt10->entries[i].confirmed);
  }
  EXPECT_EQ(back.effective_from, tt10->effective_from);
}

TEST(ScheduleTest, JsonProblemsAreNamed) {
  EXPECT_THAT(ParseScheduleJson("not json"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseScheduleJson(R"({"schedule":"X","version":"1","title":"t"})").status().message(),
              HasSubstr("'entries'"));
  auto bad_retention = ParseScheduleJson(
      R"({"schedule":"X","version":"1","title":"t","entries":[{"code":"1.1","title":"a","retention":"lâu dài"}]})");
  EXPECT_THAT(bad_retention.status().message(), HasSubstr("entry 1.1"));
  auto twice = ParseScheduleJson(R"({"schedule":"X","version":"1","title":"t","entries":[
      {"code":"1","title":"a","retention":"5 năm"},{"code":"1","title":"b","retention":"Vĩnh viễn"}]})");
  EXPECT_THAT(twice.status().message(), HasSubstr("entry 1: the code is used twice"));
  auto group = ParseScheduleJson(R"({"schedule":"X","version":"1","title":"t","groups":[{"code":"1","title":"g"}],
      "entries":[{"code":"1.1","group":"9","title":"a","retention":"5 năm"}]})");
  EXPECT_THAT(group.status().message(), HasSubstr("group '9' is not a group"));
  auto id = ParseScheduleJson(R"({"schedule":"bad id","version":"1","title":"t","entries":[]})");
  EXPECT_THAT(id.status().message(), HasSubstr("id 'bad id'"));
}

ScheduleHeader Header() {
  ScheduleHeader h;
  h.id = "VD-2025";
  h.version = "2025-01-02";
  h.title = "Danh mục thời hạn bảo quản của Cơ quan Ví dụ";
  h.authority = "Cơ quan Ví dụ";
  return h;
}

void ExpectAgencyExample(const Schedule& s) {
  EXPECT_EQ(s.id, "VD-2025");
  ASSERT_EQ(s.entries.size(), 13u);
  EXPECT_EQ(s.entries[0].code, "VD.1.1");
  EXPECT_EQ(s.entries[0].period, RetentionPeriod::Permanent());
  const ScheduleEntry* quoted = s.Find("VD.1.4");
  ASSERT_NE(quoted, nullptr);
  EXPECT_EQ(quoted->title, "Kế hoạch, báo cáo tháng, quý của Phòng \"Hành chính – Tổng hợp\"");
  EXPECT_EQ(quoted->period, RetentionPeriod::Years(5));
  EXPECT_EQ(s.Find("VD.4.1")->period, RetentionPeriod::Until("Theo tuổi thọ thiết bị"));
  EXPECT_EQ(s.Find("VD.4.3")->period.kind, RetentionKind::kConditional);
  EXPECT_EQ(s.Find("VD.5.2")->period, RetentionPeriod::Years(2));
  EXPECT_FALSE(s.Find("VD.3.2")->confirmed);
  EXPECT_TRUE(s.Find("VD.3.1")->confirmed);
  EXPECT_EQ(s.groups.size(), 5u);
}

TEST(ScheduleImportTest, AnAgencysCsvSheet) {
  ASSERT_OK_AND_ASSIGN(Schedule s, ImportScheduleSheet(Read("agency-example.csv"), "agency-example.csv", Header()));
  ExpectAgencyExample(s);
}

TEST(ScheduleImportTest, TheSameSheetSavedAsXlsx) {
  ASSERT_OK_AND_ASSIGN(Schedule s, ImportScheduleSheet(Read("agency-example.xlsx"), "agency-example.xlsx", Header()));
  ExpectAgencyExample(s);
}

TEST(ScheduleImportTest, VietnameseHeadersAndProblemsByRow) {
  const std::string csv =
      "Mã,Nhóm,Tên hồ sơ,Thời hạn bảo quản\n"
      "A.1,A,Hồ sơ một,10 năm\n"
      "A.2,A,Hồ sơ hai,lâu dài\n"
      ",,,\n"
      "A.3,A,Hồ sơ ba,0 năm\n";
  auto r = ImportScheduleSheet(csv, "ds.csv", Header());
  ASSERT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), HasSubstr("row 3: retention 'lâu dài'"));
  EXPECT_THAT(r.status().message(), HasSubstr("row 5: retention '0 năm'"));
  ASSERT_OK_AND_ASSIGN(Schedule ok, ImportScheduleSheet("Mã,Nhóm,Tên hồ sơ,Thời hạn bảo quản\nA.1,A,Hồ sơ một,10 năm\n",
                                                        "ds.csv", Header()));
  EXPECT_EQ(ok.entries[0].period, RetentionPeriod::Years(10));

  auto no_column = ImportScheduleSheet("Mã,Tên\nA.1,x\n", "ds.csv", Header());
  EXPECT_THAT(no_column.status().message(), HasSubstr("no column 'title', 'retention'"));
  EXPECT_THAT(ImportScheduleSheet("x", "ds.ods", Header()), StatusIs(StatusCode::kInvalidArgument));
  ScheduleHeader no_id = Header();
  no_id.id = "";
  EXPECT_THAT(ImportScheduleSheet(Read("agency-example.csv"), "a.csv", no_id).status().message(), HasSubstr("id ''"));
}

}  // namespace
}  // namespace kholuu::ingest

namespace kholuu::ingest {
namespace {

TEST(RetentionFromMetadataTest, TheFilesOwnPeriodOrAReasonWhyNot) {
  model::RecordFile f;
  ASSERT_OK_AND_ASSIGN(f.file_code, model::FileCode::Parse("000.00.00.H49.2021.05.VP"));
  f.maintenance = "70 năm";
  f.end_date = "2021-09-30";
  const model::CivilDate received = *model::CivilDate::Parse("2023-04-01");
  std::string problem;
  auto r = RetentionFromMetadata(f, received, 42, &problem);
  ASSERT_TRUE(r.has_value()) << problem;
  EXPECT_EQ(r->facts.period, model::RetentionPeriod::Years(70));
  EXPECT_EQ(r->facts.work_ended.ToString(), "2021-09-30");
  EXPECT_EQ(r->facts.entered_current, received);
  EXPECT_EQ(r->stage, model::RetentionStage::kCurrent);
  EXPECT_EQ(r->source_text, "70 năm");
  // No end date: the end of the year the file was formed.
  f.end_date.clear();
  r = RetentionFromMetadata(f, received, 42, &problem);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->facts.work_ended.ToString(), "2021-12-31");
  // Nothing, or something unreadable: no retention, and why.
  f.maintenance = "";
  EXPECT_FALSE(RetentionFromMetadata(f, received, 42, &problem).has_value());
  EXPECT_THAT(problem, HasSubstr("no retention period"));
  f.maintenance = "lâu dài";
  EXPECT_FALSE(RetentionFromMetadata(f, received, 42, &problem).has_value());
  EXPECT_THAT(problem, HasSubstr("'lâu dài'"));
}

}  // namespace
}  // namespace kholuu::ingest
