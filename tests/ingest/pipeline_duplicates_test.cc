// Duplicates through the whole pipeline ("one document sent several times"):
// the same package again is answered "duplicate" and changes nothing; the
// same bytes or the same edXML DocumentId in another package are linked to
// the existing document (one blob, listed in both record files); an edXML
// update or replacement is a new version with events on both; a recall is
// an event and the document is kept.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/edxml/edxml.h"
#include "tests/ingest/pipeline_support.h"
#include "tests/support/status_matchers.h"

namespace kholuu::testing {
namespace {

using ingest::Receipt;
using ingest::ReceiptStatus;

class PipelineDuplicatesTest : public PipelineTest {
 protected:
  void SetUp() override {
    PipelineTest::SetUp();
    options().preserve = false;  // duplicates are decided before preservation
  }

  bool Contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  std::vector<model::Event> EventsOf(const std::string& id) {
    auto d = service_->Describe(id);
    EXPECT_OK(d.status());
    return d.ok() ? d->events : std::vector<model::Event>{};
  }

  bool HasEvent(const std::string& id, model::EventType type, const std::string& part) {
    for (const model::Event& e : EventsOf(id)) {
      if (e.type == type && e.detail.find(part) != std::string::npos) return true;
    }
    return false;
  }

  // The original components of the archive holding `bytes`.
  size_t OriginalsOf(const std::string& bytes) {
    auto d = service_->Describe(Sha256Of(bytes).ToHex());
    EXPECT_OK(d.status());
    return d.ok() ? d->components.size() : 0;
  }

  std::string EdxmlFile(const std::string& name, const EdxmlSpec& s) {
    WriteTestFile(Sub(name), Edxml(s));
    return Sub(name);
  }
};

TEST_F(PipelineDuplicatesTest, SamePackageTwiceIsADuplicateAndChangesNothing) {
  ASSERT_OK(CreateDirs(Sub("d")));
  WriteTestFile(Sub("d/a.pdf"), TinyPdf("a"));
  WriteTestFile(Sub("d/a.pdf.json"), SidecarJson("Quyết định thành lập tổ công tác tỉnh Hà Giang", 11));
  const Receipt first = Ingest(Sub("d"));
  ASSERT_EQ(first.status, ReceiptStatus::kAccepted) << ProblemsText(first);
  const ArchiveSnapshot before = Snapshot();

  // The same package copied elsewhere: the same content, the same job.
  ASSERT_OK(CreateDirs(Sub("copy")));
  WriteTestFile(Sub("copy/a.pdf"), ReadTestFile(Sub("d/a.pdf")));
  WriteTestFile(Sub("copy/a.pdf.json"), ReadTestFile(Sub("d/a.pdf.json")));
  for (const std::string& path : {Sub("d"), Sub("copy")}) {
    const Receipt again = Ingest(path);
    EXPECT_EQ(again.status, ReceiptStatus::kDuplicate) << ProblemsText(again);
    EXPECT_EQ(again.job, first.job);
    ASSERT_EQ(again.documents.size(), 1u);
    EXPECT_EQ(again.documents[0].id, first.documents[0].id);
    EXPECT_NE(again.detail.find("nothing changed"), std::string::npos) << again.detail;
  }
  const ArchiveSnapshot after = Snapshot();
  EXPECT_EQ(after.counts.documents, before.counts.documents);
  EXPECT_EQ(after.counts.components, before.counts.components);
  EXPECT_EQ(after.counts.events, before.counts.events);
  EXPECT_EQ(after.counts.record_files, before.counts.record_files);
  EXPECT_EQ(after.counts.jobs, before.counts.jobs);
  EXPECT_EQ(after.counts.audit_entries, before.counts.audit_entries);
  EXPECT_EQ(after.counts.outbox, before.counts.outbox);
  EXPECT_EQ(after.blob_files, before.blob_files);
  EXPECT_EQ(after.index_files, before.index_files);
}

TEST_F(PipelineDuplicatesTest, RefusedPackageAgainIsAnsweredRefusedAndChangesNothing) {
  ASSERT_OK(CreateDirs(Sub("d")));
  WriteTestFile(Sub("d/a.pdf"), TinyPdf("a"));
  WriteTestFile(Sub("d/a.pdf.json"), SidecarJson("", 12));  // no subject: metadata.invalid
  const Receipt first = Ingest(Sub("d"));
  ASSERT_EQ(first.status, ReceiptStatus::kRejected) << ProblemsText(first);
  const ArchiveSnapshot before = Snapshot();
  const Receipt again = Ingest(Sub("d"));
  EXPECT_EQ(again.status, ReceiptStatus::kRejected);
  EXPECT_EQ(again.problems.size(), first.problems.size());
  const ArchiveSnapshot after = Snapshot();
  EXPECT_EQ(after.counts.jobs, before.counts.jobs);
  EXPECT_EQ(after.counts.audit_entries, before.counts.audit_entries);
}

TEST_F(PipelineDuplicatesTest, SamePdfInAnotherPackageAndRecordFileIsLinked) {
  const std::string shared = SignedPdf();
  ASSERT_OK(CreateDirs(Sub("d")));
  WriteTestFile(Sub("d/qd.pdf"), shared);
  WriteTestFile(Sub("d/qd.pdf.json"), SidecarJson("Quyết định phê duyệt đề án tỉnh Sóc Trăng", 13));
  const Receipt first = Ingest(Sub("d"));
  ASSERT_EQ(first.status, ReceiptStatus::kAccepted) << ProblemsText(first);
  ASSERT_EQ(first.documents.size(), 1u);
  const std::string doc = first.documents[0].id;
  const std::string blob = Sha256Of(shared).ToHex();

  // A METS package of another record file: its first document is the same PDF.
  ExportMets(Sub("pkg"), 2, {shared, TinyPdf("khác")},
             {"Quyết định phê duyệt đề án (bản gửi kèm hồ sơ)", "Tờ trình đề án tỉnh Bạc Liêu"});
  const ArchiveSnapshot before = Snapshot();
  const Receipt second = Ingest(Sub("pkg"));
  ASSERT_EQ(second.status, ReceiptStatus::kAccepted) << ProblemsText(second);
  ASSERT_EQ(second.documents.size(), 2u);
  EXPECT_EQ(second.documents[0].action, "linked");
  EXPECT_EQ(second.documents[0].id, doc);
  EXPECT_EQ(second.documents[0].previous, doc);
  EXPECT_EQ(second.documents[1].action, "stored");
  const ArchiveSnapshot after = Snapshot();
  EXPECT_EQ(after.counts.documents, before.counts.documents + 1);  // only the other one
  // One blob, one original component for the shared bytes.
  EXPECT_EQ(OriginalsOf(shared), 1u);
  EXPECT_EQ(after.blob_files.size(), before.blob_files.size() + 1);
  size_t named = 0;
  for (const auto& [path, sha] : after.blob_files) named += sha == blob ? 1u : 0u;
  EXPECT_EQ(named, 1u);
  // Listed in both record files.
  ASSERT_OK_AND_ASSIGN(ingest::Described f1, service_->Describe(first.record_file));
  ASSERT_OK_AND_ASSIGN(ingest::Described f2, service_->Describe(second.record_file));
  EXPECT_NE(first.record_file, second.record_file);
  EXPECT_TRUE(Contains(f1.documents, doc));
  EXPECT_TRUE(Contains(f2.documents, doc));
  EXPECT_TRUE(Contains(f2.documents, second.documents[1].id));
  EXPECT_TRUE(HasEvent(doc, model::EventType::kIngestion, "not stored twice"));
  // The link is audited.
  ASSERT_OK_AND_ASSIGN(std::vector<archive::AuditEntry> log, service_->AuditLog(0));
  bool linked = false;
  for (const archive::AuditEntry& e : log) linked = linked || (e.action == "document.link" && e.object == doc);
  EXPECT_TRUE(linked);
}

TEST_F(PipelineDuplicatesTest, SameEdxmlDocumentIdAgainIsLinked) {
  EdxmlSpec s;
  s.subject = "V/v kiểm tra công tác văn thư lưu trữ tỉnh An Giang";
  s.manifest = EdxmlReference("1", "cv.pdf", "application/pdf");
  s.attachments = EdxmlAttachment("1", "cv.pdf", "application/pdf", SignedPdf());
  const Receipt first = Ingest(EdxmlFile("a.edxml", s));
  ASSERT_EQ(first.status, ReceiptStatus::kAccepted) << ProblemsText(first);
  // The gateway sends it again, re-encoded (another attachment name, new
  // signing time): other bytes, the same DocumentId.
  EdxmlSpec again = s;
  const std::string resent = SignedPdf(1);
  again.manifest = EdxmlReference("1", "cv-gui-lai.pdf", "application/pdf");
  again.attachments = EdxmlAttachment("1", "cv-gui-lai.pdf", "application/pdf", resent);
  const ArchiveSnapshot before = Snapshot();
  const Receipt second = Ingest(EdxmlFile("b.edxml", again));
  ASSERT_EQ(second.status, ReceiptStatus::kAccepted) << ProblemsText(second);
  ASSERT_EQ(second.documents.size(), 1u);
  EXPECT_EQ(second.documents[0].action, "linked");
  EXPECT_EQ(second.documents[0].id, first.documents[0].id);
  EXPECT_EQ(Snapshot().counts.documents, before.counts.documents);
  EXPECT_TRUE(HasEvent(first.documents[0].id, model::EventType::kIngestion, "same edXML DocumentId"));
  EXPECT_EQ(second.edxml_status_code, "03");
}

TEST_F(PipelineDuplicatesTest, EdxmlUpdateIsANewVersionWithEventsOnBoth) {
  for (int type : {2, 3}) {
    SCOPED_TRACE("BussinessDocType " + std::to_string(type));
    TempDir t;
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<ingest::Service> svc,
                         ingest::Service::Init(ingest::DataDir(t.Sub("data")), "test:pipeline"));
    service_.swap(svc);
    EdxmlSpec s;
    s.subject = "Quyết định phân bổ kinh phí tỉnh Tiền Giang";
    s.manifest = EdxmlReference("1", "qd.pdf", "application/pdf");
    const std::string v1 = SignedPdf();
    s.attachments = EdxmlAttachment("1", "qd.pdf", "application/pdf", v1);
    const Receipt first = Ingest(EdxmlFile("v1-" + std::to_string(type) + ".edxml", s));
    ASSERT_EQ(first.status, ReceiptStatus::kAccepted) << ProblemsText(first);
    const std::string doc = first.documents.at(0).id;

    // The update: the same document, corrected, acting on the first.
    EdxmlSpec u = s;
    u.subject = "Quyết định phân bổ kinh phí tỉnh Tiền Giang (điều chỉnh)";
    const std::string v2 = SignedPdf(1);
    u.attachments = EdxmlAttachment("1", "qd.pdf", "application/pdf", v2);
    u.business_doc_type = type;
    u.business_document_id = s.document_id;
    const Receipt second = Ingest(EdxmlFile("v2-" + std::to_string(type) + ".edxml", u));
    ASSERT_EQ(second.status, ReceiptStatus::kAccepted) << ProblemsText(second);
    ASSERT_EQ(second.documents.size(), 1u);
    EXPECT_EQ(second.documents[0].action, "new_version");
    EXPECT_EQ(second.documents[0].previous, doc);
    const std::string next = second.documents[0].id;
    EXPECT_NE(next, doc);
    // Both versions are kept, each with its own original.
    ASSERT_OK_AND_ASSIGN(ingest::Described d1, service_->Describe(doc));
    ASSERT_OK_AND_ASSIGN(ingest::Described d2, service_->Describe(next));
    EXPECT_EQ(d1.document->subject, s.subject);
    EXPECT_EQ(d2.document->subject, u.subject);
    EXPECT_EQ(OriginalsOf(v1), 1u);
    EXPECT_EQ(OriginalsOf(v2), 1u);
    EXPECT_TRUE(HasEvent(doc, model::EventType::kIngestion, "superseded by " + next));
    EXPECT_TRUE(HasEvent(next, model::EventType::kIngestion, "received in edxml package"));
    service_.swap(svc);
  }
}

// An update re-issued on another day has its own DocumentId but the same
// số/ký hiệu, organ and year as the document it updates: it is still a new
// version of that document (QĐ 28: the business code decides), not a copy
// of it to be linked.
TEST_F(PipelineDuplicatesTest, EdxmlUpdateWithItsOwnDocumentIdIsANewVersion) {
  EdxmlSpec s;
  s.subject = "Kế hoạch đào tạo cán bộ tỉnh Hậu Giang";
  s.manifest = EdxmlReference("1", "kh.pdf", "application/pdf");
  s.attachments = EdxmlAttachment("1", "kh.pdf", "application/pdf", SignedPdf());
  const Receipt first = Ingest(EdxmlFile("v1.edxml", s));
  ASSERT_EQ(first.status, ReceiptStatus::kAccepted) << ProblemsText(first);
  const std::string doc = first.documents.at(0).id;

  EdxmlSpec u = s;
  u.promulgation_date = "2025/07/05";
  u.document_id = "000.00.00.G22,2025/07/05,125/VPCP-TCCB";
  u.subject = "Kế hoạch đào tạo cán bộ tỉnh Hậu Giang (thay thế)";
  u.attachments = EdxmlAttachment("1", "kh.pdf", "application/pdf", SignedPdf(1));
  u.business_doc_type = 3;
  u.business_document_id = s.document_id;
  const Receipt second = Ingest(EdxmlFile("v2.edxml", u));
  ASSERT_EQ(second.status, ReceiptStatus::kAccepted) << ProblemsText(second);
  ASSERT_EQ(second.documents.size(), 1u);
  EXPECT_EQ(second.documents[0].action, "new_version");
  EXPECT_EQ(second.documents[0].previous, doc);
  EXPECT_NE(second.documents[0].id, doc);
  EXPECT_TRUE(HasEvent(doc, model::EventType::kIngestion, "superseded by " + second.documents[0].id));
}

TEST_F(PipelineDuplicatesTest, EdxmlRecallIsAnEventAndTheDocumentIsKept) {
  EdxmlSpec s;
  s.subject = "Thông báo lịch tiếp công dân tỉnh Vĩnh Long";
  s.manifest = EdxmlReference("1", "tb.pdf", "application/pdf");
  const std::string pdf = SignedPdf();
  s.attachments = EdxmlAttachment("1", "tb.pdf", "application/pdf", pdf);
  const Receipt first = Ingest(EdxmlFile("a.edxml", s));
  ASSERT_EQ(first.status, ReceiptStatus::kAccepted) << ProblemsText(first);
  const std::string doc = first.documents.at(0).id;

  EdxmlSpec recall = s;
  recall.business_doc_type = 1;
  recall.business_document_id = s.document_id;
  const ArchiveSnapshot before = Snapshot();
  const Receipt second = Ingest(EdxmlFile("recall.edxml", recall));
  ASSERT_EQ(second.status, ReceiptStatus::kAccepted) << ProblemsText(second);
  ASSERT_EQ(second.documents.size(), 1u);
  EXPECT_EQ(second.documents[0].action, "recalled");
  EXPECT_EQ(second.documents[0].id, doc);
  EXPECT_TRUE(HasEvent(doc, model::EventType::kDisposition, "recalled by the sender"));
  // Kept: the document, its original, and nothing new stored.
  const ArchiveSnapshot after = Snapshot();
  EXPECT_EQ(after.counts.documents, before.counts.documents);
  EXPECT_EQ(after.document_ids, before.document_ids);
  EXPECT_EQ(OriginalsOf(pdf), 1u);
  ASSERT_OK(service_->Retrieve(doc, model::ComponentRole::kOriginal, Sub("kept.pdf")).status());
  EXPECT_TRUE(ReadTestFile(Sub("kept.pdf")) == pdf);
  // The sender is told the recall was taken (status 15).
  EXPECT_EQ(second.edxml_status_code, "15");
  StringSource src(second.edxml_status);
  ASSERT_OK_AND_ASSIGN(formats::edxml::Message reply, formats::edxml::Parse(src));
  EXPECT_EQ(reply.status_code, "15");
}

}  // namespace
}  // namespace kholuu::testing
