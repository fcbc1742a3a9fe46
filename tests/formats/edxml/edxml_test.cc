#include "formats/edxml/edxml.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::edxml {
namespace {

using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;

ParseOptions With(uint64_t field, uint64_t attachment = 2ull << 30) {
  ParseOptions o;
  o.max_field_bytes = field;
  o.max_attachment_bytes = attachment;
  return o;
}

std::string Data(const std::string& name) { return std::string(KHOLUU_EDXML_TESTDATA) + "/" + name; }

bool Has(const Message& m, const std::string& code, Severity s) {
  for (const Problem& p : m.problems) {
    if (p.code == code && p.severity == s) return true;
  }
  return false;
}

std::string Dump(const Message& m) {
  std::string s;
  for (const Problem& p : m.problems) s += p.code + ": " + p.message + " [" + p.where + "]\n";
  return s;
}

TEST(EdxmlTest, DocumentPackageEveryField) {
  ASSERT_OK_AND_ASSIGN(Message m, ParseFile(Data("document_new.edxml")));
  EXPECT_EQ(m.kind, Kind::kDocument);
  EXPECT_TRUE(m.ok()) << Dump(m);
  EXPECT_EQ(m.from.organ_id, "000.00.00.G22");
  EXPECT_EQ(m.from.organ_name, "Văn phòng Chính phủ");
  EXPECT_EQ(m.from.organ_add, "16 Lê Hồng Phong, Ba Đình, Hà Nội");
  ASSERT_EQ(m.to.size(), 2u);
  EXPECT_EQ(m.to[1].organ_id, "000.00.00.H49");
  EXPECT_EQ(m.code_number, "125");
  EXPECT_EQ(m.code_notation, "VPCP-TTĐT");
  EXPECT_EQ(m.place, "Hà Nội");
  EXPECT_EQ(m.promulgation_date, "2025/07/01");
  EXPECT_EQ(m.type_name, "Công văn");
  EXPECT_EQ(m.subject, "V/v Thông báo kết quả họp giao ban tháng 7");
  EXPECT_EQ(m.signer_competence, "KT. CHỦ NHIỆM");
  EXPECT_EQ(m.signer_full_name, "Nguyễn Văn A");
  EXPECT_EQ(m.due_date, "2025/07/15");
  EXPECT_THAT(m.to_places, ::testing::ElementsAre("Như trên;", "Lưu: VT, TTĐT."));
  EXPECT_EQ(m.priority, "1");
  EXPECT_EQ(m.page_amount, "3");
  EXPECT_THAT(m.appendixes, ::testing::ElementsAre("Phụ lục I"));
  EXPECT_EQ(m.document_id, "000.00.00.G22,2025/07/01,125/VPCP-TTĐT");
  ASSERT_EQ(m.trace.size(), 1u);
  EXPECT_EQ(m.trace[0].timestamp, "2025/07/01 09:00:00");
  EXPECT_EQ(m.business.doc_type, 0);
  EXPECT_EQ(m.business.reason, "Văn bản điện tử mới");
  EXPECT_EQ(m.business.staff.staff, "Trần Thị B");
  EXPECT_TRUE(m.signature_present);
  EXPECT_TRUE(Has(m, "signature-namespace", Severity::kWarning));
  ASSERT_EQ(m.manifest.size(), 2u);
  EXPECT_EQ(m.manifest[0].content_id, "209");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].content_id, "209");  // "cid:" absent on this side
  EXPECT_TRUE(m.attachments[0].is_zip);
  EXPECT_EQ(m.attachments[0].size, 185u);
  EXPECT_EQ(m.attachments[0].sha256.ToHex(),
            "3a9970ed151ae7e550a6de34e7495b2740304068810aafcd08c192302d6495cf");
  EXPECT_FALSE(m.attachments[1].is_zip);
  EXPECT_EQ(m.attachments[1].sha256, Sha256Of("Ghi chú kèm theo."));
}

TEST(EdxmlTest, AttachmentsWrittenToFilesWhenAsked) {
  TempDir t;
  ASSERT_OK_AND_ASSIGN(Message m, ParseFile(Data("document_new.edxml"), {.attachment_dir = t.path()}));
  ASSERT_EQ(m.attachments.size(), 2u);
  ASSERT_OK_AND_ASSIGN(Sha256 h, Sha256OfFile(m.attachments[0].saved_path));
  EXPECT_EQ(h, m.attachments[0].sha256);
  EXPECT_EQ(::kholuu::testing::ReadTestFile(m.attachments[1].saved_path), "Ghi chú kèm theo.");
}

TEST(EdxmlTest, MessyStatusPackageIsReadAndExplained) {
  ASSERT_OK_AND_ASSIGN(Message m, ParseFile(Data("status_messy.edxml")));
  EXPECT_EQ(m.kind, Kind::kStatus);
  EXPECT_TRUE(m.ok()) << Dump(m);
  EXPECT_EQ(m.status_code, "03");
  EXPECT_TRUE(Has(m, "status-code-form", Severity::kWarning));
  EXPECT_TRUE(Has(m, "junk-before-xml", Severity::kWarning));
  EXPECT_TRUE(Has(m, "nfd-text", Severity::kWarning));
  EXPECT_EQ(m.from.organ_name, "UBND tỉnh Nghệ An");  // NFC now
  EXPECT_EQ(m.description, "Đã tiếp nhận, vào sổ công văn đến");
  ASSERT_EQ(m.response_for.size(), 1u);
  EXPECT_EQ(m.response_for[0].document_id, "000.00.00.G22,2025/07/01,125/VPCP-TTĐT");
  EXPECT_EQ(m.staff.department, "Văn thư");
  EXPECT_FALSE(m.signature_present);
}

TEST(EdxmlTest, InconsistenciesAreReported) {
  ASSERT_OK_AND_ASSIGN(Message m, ParseFile(Data("document_inconsistent.edxml")));
  EXPECT_FALSE(m.ok());
  EXPECT_TRUE(Has(m, "document-id-mismatch", Severity::kError)) << Dump(m);
  EXPECT_TRUE(Has(m, "bad-date", Severity::kError));
  EXPECT_TRUE(Has(m, "manifest", Severity::kError));
  int mismatches = 0;
  for (const Problem& p : m.problems) mismatches += p.code == "document-id-mismatch";
  EXPECT_EQ(mismatches, 3) << Dump(m);  // sender, date and code all differ
}

TEST(EdxmlTest, LegacyNamespaceAndDirtyOrganIdAccepted) {
  ASSERT_OK_AND_ASSIGN(Message m, ParseFile(Data("document_legacy_ns.edxml")));
  EXPECT_EQ(m.kind, Kind::kDocument);
  EXPECT_TRUE(m.ok()) << Dump(m);
  EXPECT_TRUE(Has(m, "legacy-namespace", Severity::kWarning));
  EXPECT_TRUE(Has(m, "organ-id-format", Severity::kWarning));
  EXPECT_EQ(m.subject, "Về việc nộp lưu hồ sơ");
}

TEST(EdxmlTest, DoctypeEntitiesAreRefused) {
  for (const char* f : {"xxe.edxml", "billion_laughs.edxml"}) {
    auto r = ParseFile(Data(f));
    EXPECT_THAT(r.status(), StatusIs(StatusCode::kInvalidArgument)) << f;
    EXPECT_THAT(r.status().message(), HasSubstr("DOCTYPE")) << f;
  }
}

TEST(EdxmlTest, BrokenInputGivesSpecificErrors) {
  StringSource not_xml("this is not xml at all");
  EXPECT_THAT(Parse(not_xml).status(), StatusIs(StatusCode::kInvalidArgument));
  StringSource truncated("<?xml version=\"1.0\"?><edXML><edXMLEnvelope><edXMLHeader><MessageHeader><Subject>x");
  auto r = Parse(truncated);
  EXPECT_THAT(r.status(), StatusIs(StatusCode::kInvalidArgument));
  StringSource other("<?xml version=\"1.0\"?><html><body/></html>");
  EXPECT_THAT(Parse(other).status().message(), HasSubstr("neither MessageHeader nor Status"));
  StringSource bad64(
      "<edXML><edXMLEnvelope><edXMLHeader><Status><StatusCode>01</StatusCode></Status></edXMLHeader>"
      "</edXMLEnvelope><AttachmentEncoded><Attachment><ContentId>1</ContentId>"
      "<ContentTransferEncoded>QUJD*RA==</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>");
  EXPECT_THAT(Parse(bad64).status().message(), HasSubstr("not base64"));
  StringSource latin1("<?xml version=\"1.0\" encoding=\"UTF-8\"?><edXML><edXMLHeader><Status>"
                      "<Description>Qu\xe1n</Description></Status></edXMLHeader></edXML>");
  EXPECT_THAT(Parse(latin1).status(), StatusIs(StatusCode::kInvalidArgument));
}

TEST(EdxmlTest, CapsAreEnforced) {
  std::string big = "<edXML><edXMLHeader><Status><Description>" + std::string(5000, 'a') +
                    "</Description></Status></edXMLHeader></edXML>";
  StringSource s(big);
  EXPECT_THAT(Parse(s, With(1000)).status(), StatusIs(StatusCode::kResourceExhausted));
}

// Produces a package with one large attachment without ever holding it.
class GeneratedPackage : public ByteSource {
 public:
  explicit GeneratedPackage(uint64_t groups) : groups_(groups) {
    head_ =
        "<?xml version=\"1.0\"?><edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXMLEnvelope>"
        "<edXMLHeader><Status><ResponseFor><DocumentId>000.00.00.G22,2025/07/01,1/X</DocumentId>"
        "</ResponseFor><From><OrganId>000.00.00.H41</OrganId></From><StatusCode>01</StatusCode>"
        "<Timestamp>2025/07/01 10:00:00</Timestamp></Status></edXMLHeader><edXMLBody><edXMLManifest>"
        "<Reference><ContentId>cid:1</ContentId></Reference></edXMLManifest></edXMLBody></edXMLEnvelope>"
        "<AttachmentEncoded><Attachment><ContentId>cid:1</ContentId><ContentTransferEncoded>";
    tail_ = "</ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>";
  }
  Result<size_t> Read(char* buf, size_t size) override {
    size_t n = 0;
    while (n < size) {
      if (pos_ < head_.size()) {
        buf[n++] = head_[pos_++];
      } else if (emitted_ < groups_ * 4) {
        buf[n++] = "QUJD"[emitted_++ % 4];  // "ABC"
        if (emitted_ % 76 == 0 && n < size) buf[n++] = '\n';
      } else if (tail_pos_ < tail_.size()) {
        buf[n++] = tail_[tail_pos_++];
      } else {
        break;
      }
    }
    return n;
  }

 private:
  std::string head_, tail_;
  uint64_t groups_;
  size_t pos_ = 0, tail_pos_ = 0;
  uint64_t emitted_ = 0;
};

TEST(EdxmlTest, LargeAttachmentIsStreamed) {
  const uint64_t groups = 8u << 20;  // 32 MiB of base64, 24 MiB decoded
  GeneratedPackage pkg(groups);
  ASSERT_OK_AND_ASSIGN(Message m, Parse(pkg, With(1u << 16)));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].size, groups * 3);
  Sha256Hasher h;
  for (uint64_t i = 0; i < groups; ++i) h.Update("ABC");
  EXPECT_EQ(m.attachments[0].sha256, h.Finish());
  GeneratedPackage again(groups);
  EXPECT_THAT(Parse(again, With(1u << 16, 1u << 20)).status(),
              StatusIs(StatusCode::kResourceExhausted));
}

TEST(EdxmlStatusWriterTest, RoundTripsThroughTheReader) {
  StatusPackage s;
  s.response_for = {"000.00.00.G22", "125/VPCP-TTĐT", "2025/07/01", "000.00.00.G22,2025/07/01,125/VPCP-TTĐT"};
  s.from.organ_id = "000.00.00.H41";
  s.from.organ_name = "Lưu trữ lịch sử tỉnh <Nghệ An> & \"kho\"";
  s.status_code = "02";
  s.description = "Từ chối: tệp đính kèm không khớp manifest";
  s.timestamp = "2025/07/01 10:30:00";
  s.staff.staff = "Phạm D";
  ASSERT_OK_AND_ASSIGN(std::string xml, WriteStatus(s));
  EXPECT_THAT(xml, HasSubstr("xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\""));
  StringSource src(xml);
  ASSERT_OK_AND_ASSIGN(Message m, Parse(src));
  EXPECT_EQ(m.kind, Kind::kStatus);
  EXPECT_TRUE(m.ok()) << Dump(m);
  EXPECT_EQ(m.status_code, "02");
  EXPECT_EQ(m.description, s.description);
  EXPECT_EQ(m.from.organ_name, s.from.organ_name);
  EXPECT_EQ(m.response_for[0].document_id, s.response_for.document_id);
  EXPECT_EQ(m.staff.staff, "Phạm D");
}

TEST(EdxmlStatusWriterTest, RefusesBadStatus) {
  StatusPackage s;
  s.response_for.document_id = "x";
  s.from.organ_id = "000.00.00.H41";
  s.status_code = "07";
  EXPECT_THAT(WriteStatus(s).status(), StatusIs(StatusCode::kInvalidArgument));
  s.status_code = "02";
  EXPECT_THAT(WriteStatus(s).status().message(), HasSubstr("reason"));
  s.status_code = "01";
  s.description = "\xff";
  EXPECT_THAT(WriteStatus(s).status(), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace kholuu::formats::edxml
