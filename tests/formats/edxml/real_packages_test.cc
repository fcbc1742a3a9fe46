// Packages in the layouts real senders use (testdata/real/, sources in its
// README.md), each read and compared with the reading written by hand beside
// it in <name>.expect.json. Keys of an expectation:
//   refused             substrings the refusal message must contain
//   kind                "document" | "status"
//   from, from_name     From/OrganId, From/OrganName
//   to                  the To organ ids, in order
//   code_number, code_notation, promulgation_date, subject, type_name,
//   signer, document_id, business_document_id      as written in the package
//   business_doc_type   -1 when absent
//   trace               [[OrganId, Timestamp], ...]
//   signature_present   bool
//   attachments         [{name, size (decoded bytes), zip}]
//   status_code, status_description, status_timestamp, staff
//   response_for        ResponseFor/DocumentId of a status package
//   errors, warnings    the problem codes, as sets: nothing more, nothing less
//   undeclared_prefixes prefixes the namespace-undeclared warnings must name
//   note                for people
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "formats/edxml/edxml.h"
#include "tests/support/status_matchers.h"

namespace kholuu::formats::edxml {
namespace {

namespace fs = std::filesystem;
using ::kholuu::testing::StatusIs;
using ::testing::HasSubstr;
using Json = nlohmann::json;

const fs::path kDir = fs::path(KHOLUU_EDXML_TESTDATA) / "real";

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> Codes(const Message& m, Severity s) {
  std::set<std::string> out;
  for (const Problem& p : m.problems) {
    if (p.severity == s) out.insert(p.code);
  }
  return out;
}

std::string Dump(const Message& m) {
  std::string s;
  for (const Problem& p : m.problems) {
    s += (p.severity == Severity::kError ? "E " : "W ") + p.code + ": " + p.message + " [" + p.where + "]\n";
  }
  return s;
}

std::vector<fs::path> Packages() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() == ".edxml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Compare(const fs::path& package, const Json& want) {
  SCOPED_TRACE(package.filename().string());
  static const std::set<std::string> kKeys = {
      "refused", "kind", "from", "from_name", "to", "code_number", "code_notation", "promulgation_date",
      "subject", "type_name", "signer", "document_id", "business_document_id", "business_doc_type", "trace",
      "signature_present", "attachments", "status_code", "status_description", "status_timestamp", "staff",
      "response_for", "errors", "warnings", "undeclared_prefixes", "note"};
  for (const auto& [key, value] : want.items()) {
    EXPECT_TRUE(kKeys.count(key)) << "unknown expectation key " << key;
  }
  auto r = ParseFile(package.string());
  if (want.contains("refused")) {
    ASSERT_FALSE(r.ok()) << "read, but expected a refusal";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    for (const auto& part : want["refused"]) EXPECT_THAT(r.status().message(), HasSubstr(part.get<std::string>()));
    return;
  }
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Message& m = *r;
  auto str = [&](const char* key, const std::string& got) {
    if (want.contains(key)) {
      EXPECT_EQ(got, want[key].get<std::string>()) << key;
    }
  };
  if (want.contains("kind")) {
    EXPECT_EQ(m.kind == Kind::kStatus ? "status" : "document", want["kind"].get<std::string>()) << Dump(m);
  }
  str("from", m.from.organ_id);
  str("from_name", m.from.organ_name);
  str("code_number", m.code_number);
  str("code_notation", m.code_notation);
  str("promulgation_date", m.promulgation_date);
  str("subject", m.subject);
  str("type_name", m.type_name);
  str("signer", m.signer_full_name);
  str("document_id", m.document_id);
  str("business_document_id", m.business.document_id);
  str("status_code", m.status_code);
  str("status_description", m.description);
  str("status_timestamp", m.timestamp);
  str("staff", m.staff.staff);
  if (want.contains("response_for")) {
    ASSERT_FALSE(m.response_for.empty());
    EXPECT_EQ(m.response_for[0].document_id, want["response_for"].get<std::string>());
  }
  if (want.contains("to")) {
    std::vector<std::string> to;
    for (const Organ& o : m.to) to.push_back(o.organ_id);
    EXPECT_EQ(to, want["to"].get<std::vector<std::string>>());
  }
  if (want.contains("trace")) {
    std::vector<std::vector<std::string>> trace;
    for (const TraceHeader& t : m.trace) trace.push_back({t.organ_id, t.timestamp});
    EXPECT_EQ(trace, want["trace"].get<std::vector<std::vector<std::string>>>());
  }
  if (want.contains("business_doc_type")) {
    EXPECT_EQ(m.business.doc_type, want["business_doc_type"].get<int>());
  }
  if (want.contains("signature_present")) {
    EXPECT_EQ(m.signature_present, want["signature_present"].get<bool>());
  }
  if (want.contains("attachments")) {
    const Json& atts = want["attachments"];
    ASSERT_EQ(m.attachments.size(), atts.size());
    for (size_t i = 0; i < atts.size(); ++i) {
      EXPECT_EQ(m.attachments[i].name, atts[i]["name"].get<std::string>());
      EXPECT_EQ(m.attachments[i].size, atts[i]["size"].get<uint64_t>()) << m.attachments[i].name;
      EXPECT_EQ(m.attachments[i].is_zip, atts[i]["zip"].get<bool>()) << m.attachments[i].name;
    }
  }
  if (want.contains("errors")) {
    EXPECT_EQ(Codes(m, Severity::kError), want["errors"].get<std::set<std::string>>()) << Dump(m);
  }
  if (want.contains("warnings")) {
    EXPECT_EQ(Codes(m, Severity::kWarning), want["warnings"].get<std::set<std::string>>()) << Dump(m);
  }
  if (want.contains("undeclared_prefixes")) {
    for (const auto& prefix : want["undeclared_prefixes"]) {
      const std::string quoted = "'" + prefix.get<std::string>() + "'";
      EXPECT_TRUE(std::any_of(m.problems.begin(), m.problems.end(), [&](const Problem& p) {
        return p.code == "namespace-undeclared" && p.message.find(quoted) != std::string::npos &&
               p.message.find("line ") != std::string::npos;
      })) << quoted << "\n" << Dump(m);
    }
  }
}

TEST(EdxmlRealPackagesTest, EachReadsAsExpectedByHand) {
  const std::vector<fs::path> packages = Packages();
  size_t read = 0, documents = 0, statuses = 0;
  for (const fs::path& p : packages) {
    fs::path expect = p;
    expect.replace_extension(".expect.json");
    ASSERT_TRUE(fs::exists(expect)) << "no expectation beside " << p;
    const Json want = Json::parse(Slurp(expect));
    Compare(p, want);
    if (!want.contains("refused")) {
      ++read;
      (want.value("kind", "") == "status" ? statuses : documents) += 1;
    }
  }
  // Every expectation has its package.
  for (const auto& e : fs::directory_iterator(kDir)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 12 && name.compare(name.size() - 12, 12, ".expect.json") == 0) {
      EXPECT_TRUE(fs::exists(kDir / (name.substr(0, name.size() - 12) + ".edxml"))) << name;
    }
  }
  EXPECT_GE(read, 10u);
  EXPECT_GE(documents, 4u);
  EXPECT_GE(statuses, 4u);
}

// What formats/edxml writes for the replies of ingest (01, 02, 03, 15) reads
// back as the status it is, without a problem.
TEST(EdxmlRealPackagesTest, OwnStatusRepliesReadBack) {
  for (const char* code : {"01", "02", "03", "15"}) {
    StatusPackage s;
    s.response_for = {"000.00.00.G09", "312/VTLTNN-NVTW", "2025/06/20", "000.00.00.G09,2025/06/20,312/VTLTNN-NVTW"};
    s.from.organ_id = "000.00.00.H29";
    s.from.organ_name = "Trung tâm Lưu trữ lịch sử";
    s.status_code = code;
    s.description = std::string(code) == "02" ? "thiếu chữ ký số" : "Đã tiếp nhận";
    s.timestamp = "2025/06/20 10:00:00";
    ASSERT_OK_AND_ASSIGN(std::string xml, WriteStatus(s));
    StringSource src(xml);
    ASSERT_OK_AND_ASSIGN(Message m, Parse(src));
    EXPECT_EQ(m.kind, Kind::kStatus) << code;
    EXPECT_EQ(m.status_code, code);
    EXPECT_EQ(m.timestamp, s.timestamp);
    EXPECT_TRUE(m.problems.empty()) << code << "\n" << Dump(m);
  }
}

// The recovery rule: an undeclared prefix is read by local name with one
// warning per prefix; every other namespace or XML error refuses the package
// with its line and column.
TEST(EdxmlRealPackagesTest, NamespaceRecoveryAndRefusals) {
  const std::string head =
      "<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><edXMLEnvelope><edXMLHeader>"
      "<ed:MessageHeader><ed:ResponseFor><ed:DocumentId>000.00.00.G22,2025/07/01,1/VPCP</ed:DocumentId>"
      "</ed:ResponseFor><From><OrganId>000.00.00.H41</OrganId></From><ed:StatusCode SOAP-ENV:x='1'>03</ed:StatusCode>"
      "<Timestamp>2025/07/01 10:00:00</Timestamp></ed:MessageHeader>";
  const std::string complete = head + "</edXMLHeader></edXMLEnvelope></edXML>";
  StringSource ok(complete);
  ASSERT_OK_AND_ASSIGN(Message m, Parse(ok));
  EXPECT_EQ(m.kind, Kind::kStatus);
  EXPECT_EQ(m.status_code, "03");
  EXPECT_EQ(Codes(m, Severity::kWarning), std::set<std::string>{"namespace-undeclared"}) << Dump(m);
  EXPECT_EQ(std::count_if(m.problems.begin(), m.problems.end(),
                          [](const Problem& p) { return p.code == "namespace-undeclared"; }),
            2);  // ed (4 start tags) and SOAP-ENV (1)
  EXPECT_THAT(Dump(m), HasSubstr("'ed' is used without a declaration (first at line 1, column"));
  EXPECT_THAT(Dump(m), HasSubstr("4 uses"));

  const std::string bad_qname = head + "<a:b:c/></edXMLHeader></edXMLEnvelope></edXML>";
  StringSource qname(bad_qname);
  auto q = Parse(qname);
  EXPECT_THAT(q.status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(q.status().message(), HasSubstr("XML namespace error at line 1, column"));

  const std::string unbalanced = head + "</edXMLEnvelope></edXML>";
  StringSource mismatch(unbalanced);
  auto mm = Parse(mismatch);
  EXPECT_THAT(mm.status().message(), HasSubstr("not well-formed XML at line 1, column"));
  EXPECT_THAT(mm.status().message(), HasSubstr("Opening and ending tag mismatch: edXMLHeader"));
}

// A StatusCode with a DocumentId of its own beside it is still a status.
TEST(EdxmlRealPackagesTest, StatusWithItsOwnDocumentIdIsAStatus) {
  const std::string xml =
      "<edXML xmlns='http://www.mic.gov.vn/TBT/QCVN_102_2016'><edXMLEnvelope><edXMLHeader><MessageHeader>"
      "<ResponseFor><DocumentId>000.00.00.G22,2025/07/01,1/VPCP</DocumentId></ResponseFor>"
      "<From><OrganId>000.00.00.H41</OrganId></From><StatusCode>06</StatusCode>"
      "<Timestamp>2025-07-03T09:00:00+07:00</Timestamp><DocumentId>status-7f3a</DocumentId>"
      "</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>";
  StringSource src(xml);
  ASSERT_OK_AND_ASSIGN(Message m, Parse(src));
  EXPECT_EQ(m.kind, Kind::kStatus);
  EXPECT_EQ(m.status_code, "06");
  EXPECT_TRUE(m.problems.empty()) << Dump(m);
}

// A header holding both a document's fields and a StatusCode stays a
// document and says so.
TEST(EdxmlRealPackagesTest, MixedHeaderIsADocument) {
  StringSource s(
      "<edXML><edXMLHeader><MessageHeader><From><OrganId>000.00.00.G22</OrganId></From>"
      "<To><OrganId>000.00.00.H41</OrganId></To><Code><CodeNumber>1</CodeNumber><CodeNotation>VPCP</CodeNotation>"
      "</Code><PromulgationInfo><PromulgationDate>2025/07/01</PromulgationDate></PromulgationInfo>"
      "<Subject>V/v</Subject><StatusCode>01</StatusCode><DocumentId>000.00.00.G22,2025/07/01,1/VPCP</DocumentId>"
      "</MessageHeader></edXMLHeader></edXML>");
  ASSERT_OK_AND_ASSIGN(Message m, Parse(s));
  EXPECT_EQ(m.kind, Kind::kDocument);
  EXPECT_TRUE(Codes(m, Severity::kWarning).count("mixed-header")) << Dump(m);
  EXPECT_TRUE(m.ok()) << Dump(m);
}

}  // namespace
}  // namespace kholuu::formats::edxml
