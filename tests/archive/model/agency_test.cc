#include "archive/model/agency.h"

#include "tests/archive/model/model_test_util.h"
#include "tests/support/status_matchers.h"

namespace kholuu::model {
namespace {

using ::kholuu::model::testing::Fields;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(OrganIdTest, StrictAcceptsStateBodies) {
  EXPECT_TRUE(IsStrictOrganId("000.00.00.G22"));  // Văn phòng Chính phủ
  EXPECT_TRUE(IsStrictOrganId("000.00.00.H49"));  // UBND tỉnh Quảng Ninh
  EXPECT_TRUE(IsStrictOrganId("001.03.08.H30"));
}

TEST(OrganIdTest, StrictRejectsEverythingElse) {
  EXPECT_FALSE(IsStrictOrganId(""));
  EXPECT_FALSE(IsStrictOrganId("28.22.H17"));
  EXPECT_FALSE(IsStrictOrganId("H37.DN.001"));
  EXPECT_FALSE(IsStrictOrganId("000.00.00.g22"));   // lower-case group
  EXPECT_FALSE(IsStrictOrganId("000.00.00.G2"));
  EXPECT_FALSE(IsStrictOrganId("000.00.00.G222"));
  EXPECT_FALSE(IsStrictOrganId("000-00-00-G22"));
  EXPECT_FALSE(IsStrictOrganId("0000.0.00.G22"));
  EXPECT_FALSE(IsStrictOrganId("000.00.00.222"));
  EXPECT_FALSE(IsStrictOrganId(" 000.00.00.G22"));
}

TEST(OrganIdTest, LenientAcceptsDirtyRealWorldForms) {
  EXPECT_TRUE(IsLenientOrganId("000.00.00.G22"));
  EXPECT_TRUE(IsLenientOrganId("28.22.H17"));
  EXPECT_TRUE(IsLenientOrganId("H37.DN.001"));
  EXPECT_TRUE(IsLenientOrganId("G22"));
}

TEST(OrganIdTest, LenientRejectsGarbage) {
  EXPECT_FALSE(IsLenientOrganId(""));
  EXPECT_FALSE(IsLenientOrganId("000.00.00.G221"));  // 14 characters
  EXPECT_FALSE(IsLenientOrganId(".00.G22"));
  EXPECT_FALSE(IsLenientOrganId("00.G22."));
  EXPECT_FALSE(IsLenientOrganId("00..G22"));
  EXPECT_FALSE(IsLenientOrganId("h37.dn.001"));
  EXPECT_FALSE(IsLenientOrganId("H37 DN 001"));
  EXPECT_FALSE(IsLenientOrganId("Đ37.DN"));
}

TEST(AgencyTest, ValidAgencyHasNoProblems) {
  Agency a{"000.00.00.G22", "Văn phòng Chính phủ", "", "G22"};
  EXPECT_THAT(Fields(a.Validate()), IsEmpty());
  a.parent_id = "28.22.H17";
  EXPECT_THAT(Fields(a.Validate()), IsEmpty());
}

TEST(AgencyTest, ReportsEveryProblemAtOnce) {
  Agency a{"000.00.00.g22", "", "..", std::string(31, 'P')};
  EXPECT_THAT(Fields(a.Validate()), ElementsAre("organ_id", "name", "parent_id", "fonds_code"));
  a.organ_id.clear();
  a.name = std::string(201, 'x');
  EXPECT_THAT(Fields(a.Validate()), ElementsAre("organ_id", "name", "parent_id", "fonds_code"));
}

TEST(AgencyTest, NameLimitIsInCodePoints) {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "Đ";  // 400 bytes, 200 code points
  Agency a{"000.00.00.H41", name, "", ""};
  EXPECT_THAT(Fields(a.Validate()), IsEmpty());
  a.name += "Đ";
  EXPECT_THAT(Fields(a.Validate()), ElementsAre("name"));
}

}  // namespace
}  // namespace kholuu::model
