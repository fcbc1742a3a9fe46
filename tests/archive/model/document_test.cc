#include "archive/model/document.h"

#include <string>

#include "tests/archive/model/model_test_util.h"
#include "tests/support/status_matchers.h"

namespace kholuu::model {
namespace {

using ::kholuu::model::testing::Fields;
using ::kholuu::model::testing::ValidDocument;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(DocumentTest, ValidDocumentHasNoProblems) {
  EXPECT_THAT(Fields(ValidDocument().Validate()), IsEmpty());
  Document incoming = ValidDocument();
  incoming.direction = Direction::kIncoming;
  incoming.arrival_date = "2024-03-01";
  incoming.arrival_number = 9'999'999'999;
  incoming.to_places = "Vụ Tổ chức cán bộ;\nVăn phòng Bộ";
  incoming.trace_header = "Chuyển Vụ Pháp chế xử lý.\nHạn báo cáo: 15/3.";
  incoming.edxml_document_id = "000.00.00.G22,2024/02/29,05/QĐ-TTg";
  incoming.organ_id.clear();  // optional: organ_name identifies the body
  EXPECT_THAT(Fields(incoming.Validate()), IsEmpty());
}

struct DocumentCase {
  const char* name;
  void (*mutate)(Document&);
  const char* field;
};

class DocumentRuleTest : public ::testing::TestWithParam<DocumentCase> {};

TEST_P(DocumentRuleTest, ReportsExactlyTheBrokenField) {
  Document d = ValidDocument();
  GetParam().mutate(d);
  EXPECT_THAT(Fields(d.Validate()), ElementsAre(GetParam().field));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, DocumentRuleTest,
    ::testing::Values(
        DocumentCase{"id_missing", [](Document& d) { d.id.clear(); }, "id"},
        DocumentCase{"file_code_year", [](Document& d) { d.file_code.file_catalog = 0; },
                     "file_code.file_catalog"},
        DocumentCase{"ordinal_zero", [](Document& d) { d.doc_ordinal = 0; }, "doc_ordinal"},
        DocumentCase{"ordinal_1000", [](Document& d) { d.doc_ordinal = 1000; }, "doc_ordinal"},
        DocumentCase{"direction_4", [](Document& d) { d.direction = Direction{4}; },
                     "direction"},
        DocumentCase{"type_name_long", [](Document& d) { d.type_name = std::string(101, 't'); },
                     "type_name"},
        DocumentCase{"number_letters", [](Document& d) { d.code_number = "5a"; },
                     "code_number"},
        DocumentCase{"number_long", [](Document& d) { d.code_number = "123456789012"; },
                     "code_number"},
        DocumentCase{"notation_long",
                     [](Document& d) { d.code_notation = std::string(31, 'Q'); },
                     "code_notation"},
        DocumentCase{"notation_separator", [](Document& d) { d.code_notation = "QĐ\x1fTTg"; },
                     "code_notation"},
        DocumentCase{"issued_missing", [](Document& d) { d.issued_date.clear(); },
                     "issued_date"},
        DocumentCase{"issued_not_leap", [](Document& d) { d.issued_date = "2023-02-29"; },
                     "issued_date"},
        DocumentCase{"organ_id_bad", [](Document& d) { d.organ_id = "000.00.00.G22x"; },
                     "organ_id"},
        DocumentCase{"organ_name_missing", [](Document& d) { d.organ_name.clear(); },
                     "organ_name"},
        DocumentCase{"organ_name_long",
                     [](Document& d) { d.organ_name = std::string(201, 'o'); }, "organ_name"},
        DocumentCase{"subject_missing", [](Document& d) { d.subject = "\n"; }, "subject"},
        DocumentCase{"subject_long", [](Document& d) { d.subject = std::string(501, 's'); },
                     "subject"},
        DocumentCase{"language_long", [](Document& d) { d.language = std::string(31, 'l'); },
                     "language"},
        DocumentCase{"pages_1000", [](Document& d) { d.page_amount = 1000; }, "page_amount"},
        DocumentCase{"description_bad_utf8", [](Document& d) { d.description = "\xED\xA0\x80"; },
                     "description"},
        DocumentCase{"signer_position_long",
                     [](Document& d) { d.signers[0].position = std::string(101, 'p'); },
                     "signers[0].position"},
        DocumentCase{"signer_name_long",
                     [](Document& d) { d.signers.push_back({"", std::string(51, 'n')}); },
                     "signers[1].full_name"},
        DocumentCase{"signer_empty", [](Document& d) { d.signers.push_back({}); },
                     "signers[1]"},
        DocumentCase{"recipient_id_bad", [](Document& d) { d.to[1].organ_id = "h41"; },
                     "to[1].organ_id"},
        DocumentCase{"recipient_name_long",
                     [](Document& d) { d.to[0].organ_name = std::string(201, 'r'); },
                     "to[0].organ_name"},
        DocumentCase{"recipient_empty", [](Document& d) { d.to.push_back({}); }, "to[2]"},
        DocumentCase{"priority_10", [](Document& d) { d.priority = 10; }, "priority"},
        DocumentCase{"priority_negative", [](Document& d) { d.priority = -1; }, "priority"},
        DocumentCase{"issued_amount_1000", [](Document& d) { d.issued_amount = 1000; },
                     "issued_amount"},
        DocumentCase{"due_not_date", [](Document& d) { d.due_date = "2024-3-15"; },
                     "due_date"},
        DocumentCase{"arrival_not_date", [](Document& d) { d.arrival_date = "2024-02-31"; },
                     "arrival_date"},
        DocumentCase{"arrival_number_11_digits",
                     [](Document& d) { d.arrival_number = 10'000'000'000; }, "arrival_number"},
        DocumentCase{"to_places_long",
                     [](Document& d) { d.to_places = std::string(1001, 'x'); }, "to_places"},
        DocumentCase{"trace_bad_utf8", [](Document& d) { d.trace_header = "\xF8"; },
                     "trace_header"},
        DocumentCase{"access_zero", [](Document& d) { d.access = AccessLevel{0}; }, "access"},
        DocumentCase{"created_negative", [](Document& d) { d.created_micros = -7; },
                     "created_micros"},
        DocumentCase{"risk_long",
                     [](Document& d) { d.preservation_risk = std::string(2001, 'r'); },
                     "preservation_risk"}),
    [](const ::testing::TestParamInfo<DocumentCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(DocumentTest, ReportsEveryProblemAtOnce) {
  Document d;
  d.code_number = "số 5";
  d.signers.push_back({});
  EXPECT_THAT(Fields(d.Validate()),
              UnorderedElementsAre("id", "file_code.organ_id", "file_code.file_catalog",
                                   "file_code.file_notation", "doc_ordinal", "code_number",
                                   "issued_date", "organ_name", "subject", "signers[0]"));
}

TEST(DuplicateKeyTest, CombinesNumberNotationOrganAndYear) {
  Document d = ValidDocument();
  EXPECT_EQ(d.DuplicateKey(), std::string("5\x1fQĐ-TTG\x1f" "000.00.00.G22\x1f" "2024"));
}

TEST(DuplicateKeyTest, NormalisesCaseLeadingZerosAndVietnameseD) {
  Document a = ValidDocument();
  Document b = ValidDocument();
  b.code_number = "5";
  b.code_notation = "qđ-ttg";  // lower-case, with U+0111
  b.issued_date = "2024-12-31";
  b.subject = "Một trích yếu khác";
  EXPECT_EQ(a.DuplicateKey(), b.DuplicateKey());
  b.code_notation = "QD-TTg";  // D without stroke is a different notation
  EXPECT_NE(a.DuplicateKey(), b.DuplicateKey());
}

TEST(DuplicateKeyTest, DistinguishesEachPart) {
  const std::string base = ValidDocument().DuplicateKey();
  Document d = ValidDocument();
  d.code_number = "06";
  EXPECT_NE(d.DuplicateKey(), base);
  d = ValidDocument();
  d.code_notation = "QĐ-BNV";
  EXPECT_NE(d.DuplicateKey(), base);
  d = ValidDocument();
  d.organ_id = "000.00.00.H49";
  EXPECT_NE(d.DuplicateKey(), base);
  d = ValidDocument();
  d.issued_date = "2025-01-02";
  EXPECT_NE(d.DuplicateKey(), base);
  d = ValidDocument();
  d.code_number = "0";
  EXPECT_EQ(d.DuplicateKey().substr(0, 2), "0\x1f");
}

TEST(DuplicateKeyTest, UsesOrganNameWithoutOrganId) {
  Document d = ValidDocument();
  d.organ_id.clear();
  EXPECT_EQ(d.DuplicateKey(), std::string("5\x1fQĐ-TTG\x1fVăn phòng Chính phủ\x1f" "2024"));
}

TEST(DuplicateKeyTest, SeparatorPreventsAmbiguity) {
  // Without a separator "1"+"2/QĐ" and "12"+"/QĐ" could collide.
  Document a = ValidDocument();
  a.code_number = "1";
  a.code_notation = "2QĐ";
  Document b = ValidDocument();
  b.code_number = "12";
  b.code_notation = "QĐ";
  EXPECT_NE(a.DuplicateKey(), b.DuplicateKey());
}

TEST(DuplicateKeyTest, EmptyWithoutNumberOrNotation) {
  Document d = ValidDocument();
  d.code_number.clear();
  EXPECT_EQ(d.DuplicateKey(), "");
  d = ValidDocument();
  d.code_notation.clear();
  EXPECT_EQ(d.DuplicateKey(), "");
}

}  // namespace
}  // namespace kholuu::model
