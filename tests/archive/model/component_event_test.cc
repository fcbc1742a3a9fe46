#include <string>

#include "archive/model/component.h"
#include "archive/model/event.h"
#include "tests/archive/model/model_test_util.h"
#include "tests/support/status_matchers.h"

namespace kholuu::model {
namespace {

using ::kholuu::model::testing::Fields;
using ::kholuu::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

Component ValidComponent() {
  Component c;
  c.id = "000.00.00.G22.2024.01.TCCB.001/1";
  c.document_id = "000.00.00.G22.2024.01.TCCB.001";
  c.role = ComponentRole::kOriginal;
  c.name = "Quyết định 05-QĐ-TTg (bản ký số).pdf";
  c.sha256 = Sha256Of("%PDF-1.7 ...");
  c.size = 1'048'576;
  c.media_type = "application/pdf";
  c.format_version = "1.7";
  c.created_micros = 1'709'164'800'000'000;
  return c;
}

Event ValidEvent() {
  Event e;
  e.seq = 17;
  e.type = EventType::kFixityCheck;
  e.outcome = EventOutcome::kSuccess;
  e.object_id = "000.00.00.G22.2024.01.TCCB.001/1";
  e.detail = "Mã băm SHA-256 khớp";
  e.agent = "kholuu fixity";
  e.time_micros = 1'709'164'800'000'000;
  return e;
}

TEST(ComponentRoleTest, NamesRoundTrip) {
  for (int32_t v = 1; v <= 5; ++v) {
    const auto role = static_cast<ComponentRole>(v);
    const std::string_view name = ComponentRoleName(role);
    EXPECT_NE(name, "unknown");
    ASSERT_OK_AND_ASSIGN(ComponentRole parsed, ParseComponentRole(name));
    EXPECT_EQ(parsed, role);
  }
  EXPECT_EQ(ComponentRoleName(ComponentRole::kPreservationCopy), "preservation_copy");
  EXPECT_EQ(ComponentRoleName(ComponentRole{9}), "unknown");
  EXPECT_THAT(ParseComponentRole("unknown"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseComponentRole("Original"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseComponentRole(""), StatusIs(StatusCode::kInvalidArgument));
}

TEST(ComponentTest, ValidComponentHasNoProblems) {
  EXPECT_THAT(Fields(ValidComponent().Validate()), IsEmpty());
  Component c = ValidComponent();
  c.media_type = "text/plain; charset=utf-8";
  c.role = ComponentRole::kExtractedText;
  c.derived_from = "000.00.00.G22.2024.01.TCCB.001/2";
  EXPECT_THAT(Fields(c.Validate()), IsEmpty());
}

TEST(ComponentTest, EachRuleBothWays) {
  struct Case {
    void (*mutate)(Component&);
    const char* field;
  };
  const Case cases[] = {
      {[](Component& c) { c.id.clear(); }, "id"},
      {[](Component& c) { c.document_id = " "; }, "document_id"},
      {[](Component& c) { c.role = ComponentRole{0}; }, "role"},
      {[](Component& c) { c.role = ComponentRole{6}; }, "role"},
      {[](Component& c) { c.name = "b\xE1o c\xE1o.pdf"; }, "name"},  // Latin-1, not UTF-8
      {[](Component& c) { c.sha256 = Sha256(); }, "sha256"},
      {[](Component& c) { c.media_type.clear(); }, "media_type"},
      {[](Component& c) { c.media_type = "pdf"; }, "media_type"},
      {[](Component& c) { c.media_type = "application/"; }, "media_type"},
      {[](Component& c) { c.media_type = "application /pdf"; }, "media_type"},
      {[](Component& c) { c.media_type = "a/b/c"; }, "media_type"},
      {[](Component& c) { c.derived_from = c.id; }, "derived_from"},
      {[](Component& c) { c.created_micros = -1; }, "created_micros"},
  };
  for (const Case& k : cases) {
    Component c = ValidComponent();
    k.mutate(c);
    EXPECT_THAT(Fields(c.Validate()), ElementsAre(k.field));
  }
}

TEST(ComponentTest, ReportsEveryProblemAtOnce) {
  Component c;
  EXPECT_THAT(Fields(c.Validate()), ElementsAre("id", "document_id", "sha256", "media_type"));
}

TEST(EventNamesTest, PremisVocabulary) {
  EXPECT_EQ(EventTypeName(EventType::kIngestion), "ingestion");
  EXPECT_EQ(EventTypeName(EventType::kValidation), "validation");
  EXPECT_EQ(EventTypeName(EventType::kSignatureVerification), "signature verification");
  EXPECT_EQ(EventTypeName(EventType::kNormalisation), "normalization");
  EXPECT_EQ(EventTypeName(EventType::kFixityCheck), "fixity check");
  EXPECT_EQ(EventTypeName(EventType::kAccess), "access");
  EXPECT_EQ(EventTypeName(EventType::kDisposition), "disposition");
  EXPECT_EQ(EventTypeName(EventType::kReplication), "replication");
  EXPECT_EQ(EventTypeName(EventType::kRepair), "repair");
  EXPECT_EQ(EventTypeName(EventType::kDeletion), "deletion");
  EXPECT_EQ(EventTypeName(EventType{0}), "unknown");
  EXPECT_EQ(EventOutcomeName(EventOutcome::kSuccess), "success");
  EXPECT_EQ(EventOutcomeName(EventOutcome::kFailure), "failure");
  EXPECT_EQ(EventOutcomeName(EventOutcome::kWarning), "warning");
  EXPECT_EQ(EventOutcomeName(EventOutcome{4}), "unknown");
}

TEST(EventNamesTest, ParseInvertsName) {
  for (int32_t v = 1; v <= 10; ++v) {
    const auto t = static_cast<EventType>(v);
    ASSERT_OK_AND_ASSIGN(EventType parsed, ParseEventType(EventTypeName(t)));
    EXPECT_EQ(parsed, t);
  }
  for (int32_t v = 1; v <= 3; ++v) {
    const auto o = static_cast<EventOutcome>(v);
    ASSERT_OK_AND_ASSIGN(EventOutcome parsed, ParseEventOutcome(EventOutcomeName(o)));
    EXPECT_EQ(parsed, o);
  }
  EXPECT_THAT(ParseEventType("fixity_check"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseEventOutcome("ok"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(EventTest, ValidEventHasNoProblems) {
  EXPECT_THAT(Fields(ValidEvent().Validate()), IsEmpty());
  Event e = ValidEvent();
  e.detail = "Dòng 1\nDòng 2";
  EXPECT_THAT(Fields(e.Validate()), IsEmpty());
}

TEST(EventTest, EachRuleBothWays) {
  struct Case {
    void (*mutate)(Event&);
    const char* field;
  };
  const Case cases[] = {
      {[](Event& e) { e.type = EventType{11}; }, "type"},
      {[](Event& e) { e.outcome = EventOutcome{0}; }, "outcome"},
      {[](Event& e) { e.object_id.clear(); }, "object_id"},
      {[](Event& e) { e.detail = "\xC3\x28"; }, "detail"},
      {[](Event& e) { e.detail = std::string(2001, 'd'); }, "detail"},
      {[](Event& e) { e.agent.clear(); }, "agent"},
      {[](Event& e) { e.time_micros = 0; }, "time_micros"},
      {[](Event& e) { e.time_micros = -1; }, "time_micros"},
  };
  for (const Case& k : cases) {
    Event e = ValidEvent();
    k.mutate(e);
    EXPECT_THAT(Fields(e.Validate()), ElementsAre(k.field));
  }
}

TEST(EventTest, ReportsEveryProblemAtOnce) {
  Event e;
  EXPECT_THAT(Fields(e.Validate()), ElementsAre("object_id", "agent", "time_micros"));
}

}  // namespace
}  // namespace kholuu::model
