#include "archive/model/record_file.h"

#include <string>

#include "tests/archive/model/model_test_util.h"
#include "tests/support/status_matchers.h"

namespace kholuu::model {
namespace {

using ::kholuu::model::testing::Fields;
using ::kholuu::model::testing::ValidRecordFile;
using ::kholuu::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(FileCodeTest, ToStringJoinsWithDots) {
  FileCode c{"000.00.00.G22", 2024, "01.TCCB"};
  EXPECT_EQ(c.ToString(), "000.00.00.G22.2024.01.TCCB");
}

TEST(FileCodeTest, ParsesStrictOrganId) {
  ASSERT_OK_AND_ASSIGN(FileCode c, FileCode::Parse("000.00.00.G22.2024.01.TCCB"));
  EXPECT_EQ(c.organ_id, "000.00.00.G22");
  EXPECT_EQ(c.file_catalog, 2024);
  EXPECT_EQ(c.file_notation, "01.TCCB");
}

TEST(FileCodeTest, StrictOrganIdRequiresYearInFifthSegment) {
  EXPECT_THAT(FileCode::Parse("000.00.00.G22.24.01"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FileCode::Parse("000.00.00.G22.2024"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FileCode::Parse("000.00.00.G22.2024."), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(FileCode::Parse("000.00.00.G22.1899.01"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(FileCodeTest, FallsBackToFirstYearSegmentForDirtyIds) {
  ASSERT_OK_AND_ASSIGN(FileCode a, FileCode::Parse("28.22.H17.2023.05.VP"));
  EXPECT_EQ(a.organ_id, "28.22.H17");
  EXPECT_EQ(a.file_catalog, 2023);
  EXPECT_EQ(a.file_notation, "05.VP");
  ASSERT_OK_AND_ASSIGN(FileCode b, FileCode::Parse("H37.DN.001.2021.HS-12"));
  EXPECT_EQ(b.organ_id, "H37.DN.001");
  EXPECT_EQ(b.file_catalog, 2021);
  EXPECT_EQ(b.file_notation, "HS-12");
  // The leftmost year-like segment wins; a later one stays in the notation.
  ASSERT_OK_AND_ASSIGN(FileCode c, FileCode::Parse("G22.2020.2021.KH"));
  EXPECT_EQ(c.organ_id, "G22");
  EXPECT_EQ(c.file_catalog, 2020);
  EXPECT_EQ(c.file_notation, "2021.KH");
}

TEST(FileCodeTest, ParseRejectsMalformedText) {
  for (const char* bad : {"", "000.00.00.G22", "2024.01", "H37.DN.001.01", "h37.2024.01",
                                 "H37..X.2024.01", "H37.2024.\xC3", ".2024.01",
                                 "ABCDEFGHIJKLMN.2024.01"}) {
    EXPECT_THAT(FileCode::Parse(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(FileCodeTest, ParseInvertsToStringForValidCodes) {
  for (const FileCode& c : {FileCode{"000.00.00.H49", 1999, "12"},
                            FileCode{"000.00.00.G22", 2200, "03.KH.Đề án"},
                            FileCode{"28.22.H17", 1900, "HS.01"},
                            FileCode{"H37.DN.001", 2024, "BC-5"}}) {
    ASSERT_OK_AND_ASSIGN(FileCode parsed, FileCode::Parse(c.ToString()));
    EXPECT_EQ(parsed, c) << c.ToString();
  }
}

TEST(RecordFileTest, ValidFileHasNoProblems) {
  EXPECT_THAT(Fields(ValidRecordFile().Validate()), IsEmpty());
  RecordFile minimal;
  minimal.file_code = {"28.22.H17", 1900, "1"};
  minimal.title = "Hồ sơ";
  EXPECT_THAT(Fields(minimal.Validate()), IsEmpty());
}

TEST(RecordFileTest, FileCodeRules) {
  RecordFile f = ValidRecordFile();
  f.file_code.organ_id = "";
  f.file_code.file_catalog = 1899;
  f.file_code.file_notation = "";
  EXPECT_THAT(Fields(f.Validate()), ElementsAre("file_code.organ_id", "file_code.file_catalog",
                                                "file_code.file_notation"));
  f.file_code = {"000.00.00.G22", 2201, std::string(21, '9')};
  EXPECT_THAT(Fields(f.Validate()),
              ElementsAre("file_code.file_catalog", "file_code.file_notation"));
  f.file_code = {"bộ nội vụ", 2200, "01.TCCB"};
  EXPECT_THAT(Fields(f.Validate()), ElementsAre("file_code.organ_id"));
}

// One row per rule: the mutation, and the single field that must be reported.
struct RecordFileCase {
  const char* name;
  void (*mutate)(RecordFile&);
  const char* field;
};

class RecordFileRuleTest : public ::testing::TestWithParam<RecordFileCase> {};

TEST_P(RecordFileRuleTest, ReportsExactlyTheBrokenField) {
  RecordFile f = ValidRecordFile();
  GetParam().mutate(f);
  EXPECT_THAT(Fields(f.Validate()), ElementsAre(GetParam().field));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RecordFileRuleTest,
    ::testing::Values(
        RecordFileCase{"title_missing", [](RecordFile& f) { f.title = "  "; }, "title"},
        RecordFileCase{"title_long", [](RecordFile& f) { f.title = std::string(501, 'a'); },
                       "title"},
        RecordFileCase{"title_bad_utf8", [](RecordFile& f) { f.title = "H\xF4 s\xF5"; },
                       "title"},
        RecordFileCase{"maintenance_long",
                       [](RecordFile& f) { f.maintenance = std::string(31, 'n'); },
                       "maintenance"},
        RecordFileCase{"rights_zero", [](RecordFile& f) { f.rights = AccessLevel{0}; },
                       "rights"},
        RecordFileCase{"rights_four", [](RecordFile& f) { f.rights = AccessLevel{4}; },
                       "rights"},
        RecordFileCase{"creator_long", [](RecordFile& f) { f.creator = std::string(31, 'c'); },
                       "creator"},
        RecordFileCase{"language_long",
                       [](RecordFile& f) { f.language = std::string(51, 'l'); }, "language"},
        RecordFileCase{"start_not_date", [](RecordFile& f) { f.start_date = "2023-02-29"; },
                       "start_date"},
        RecordFileCase{"end_not_date", [](RecordFile& f) { f.end_date = "31/12/2024"; },
                       "end_date"},
        RecordFileCase{"end_before_start", [](RecordFile& f) { f.end_date = "2024-01-14"; },
                       "end_date"},
        RecordFileCase{"doc_total_negative", [](RecordFile& f) { f.doc_total = -1; },
                       "doc_total"},
        RecordFileCase{"doc_total_five_digits", [](RecordFile& f) { f.doc_total = 10000; },
                       "doc_total"},
        RecordFileCase{"page_total_five_digits", [](RecordFile& f) { f.page_total = 10000; },
                       "page_total"},
        RecordFileCase{"description_long",
                       [](RecordFile& f) { f.description = std::string(501, 'd'); },
                       "description"},
        RecordFileCase{"keywords_bad_utf8", [](RecordFile& f) { f.keywords = "\xC0\x80"; },
                       "keywords"},
        RecordFileCase{"paper_negative", [](RecordFile& f) { f.number_of_paper = -3; },
                       "number_of_paper"},
        RecordFileCase{"confidence_four", [](RecordFile& f) { f.confidence = Confidence{4}; },
                       "confidence"},
        RecordFileCase{"risk_status_without_risk",
                       [](RecordFile& f) { f.risk_recovery_status = "02"; },
                       "risk_recovery_status"},
        RecordFileCase{"fonds_long", [](RecordFile& f) { f.fonds_code = std::string(31, 'F'); },
                       "fonds_code"},
        RecordFileCase{"created_negative", [](RecordFile& f) { f.created_micros = -1; },
                       "created_micros"}),
    [](const ::testing::TestParamInfo<RecordFileCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(RecordFileTest, BoundaryValuesAreAccepted) {
  RecordFile f = ValidRecordFile();
  f.title.clear();
  for (int i = 0; i < 500; ++i) f.title += "ệ";  // 500 code points, 1500 bytes
  f.doc_total = 9999;
  f.page_total = 9999;
  f.end_date = f.start_date;  // a one-day file
  f.confidence = Confidence::kMixed;
  f.rights = AccessLevel::kSecret;
  f.risk_recovery = true;
  f.risk_recovery_status = "02";
  f.start_date = "2024-02-29";
  f.end_date = "2024-02-29";
  EXPECT_THAT(Fields(f.Validate()), IsEmpty());
}

TEST(RecordFileTest, ReportsEveryProblemAtOnce) {
  RecordFile f;  // everything default: the required fields are missing
  f.start_date = "2024-02-30";
  f.doc_total = -5;
  EXPECT_THAT(Fields(f.Validate()),
              UnorderedElementsAre("file_code.organ_id", "file_code.file_catalog",
                                   "file_code.file_notation", "title", "start_date",
                                   "doc_total"));
  Status s = f.Validate().ToStatus("record file");
  EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_NE(s.message().find("start_date: is not a calendar date"), std::string::npos);
}

}  // namespace
}  // namespace kholuu::model
