// kholuu::ingest::Service on a real archive (LMDB, blob store, Xapian index):
// storing an original, preserving it, indexing it through the outbox,
// finding it with and without diacritics, and retrieving it bit-exact with
// the access audited.
#include "ingest/service.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::ingest {
namespace {

using testing::StatusIs;
using testing::TempDir;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(service_, Service::Init(DataDir(dir_.Sub("data")), "test:service"));
  }

  // Stores `body` as a plain-text document of file 000.00.00.H49.2024.01.VP.
  StoreResult StoreText(const std::string& body, const std::string& subject) {
    const std::string path = dir_.Sub("in-" + std::to_string(++files_) + ".txt");
    testing::WriteTestFile(path, body);
    StoreRequest req;
    req.file = path;
    auto code = model::FileCode::Parse("000.00.00.H49.2024.01.VP");
    EXPECT_OK(code.status());
    req.file_code = *code;
    req.title = "Hồ sơ về chuyển đổi số năm 2024";
    req.document.type_name = "Kế hoạch";
    req.document.code_number = "12";
    req.document.code_notation = "KH-UBND";
    req.document.issued_date = "2024-01-15";
    req.document.organ_name = "Ủy ban nhân dân tỉnh Mẫu";
    req.document.subject = subject;
    auto r = service_->Store(req);
    EXPECT_OK(r.status());
    return r.ok() ? *r : StoreResult{};
  }

  TempDir dir_;
  std::unique_ptr<Service> service_;
  int files_ = 0;
};

TEST_F(ServiceTest, StoreMintsIdsAndRecordsEverythingInOneChange) {
  StoreResult a = StoreText("Nội dung thứ nhất", "Kế hoạch chuyển đổi số");
  StoreResult b = StoreText("Nội dung thứ hai", "Báo cáo chuyển đổi số");
  EXPECT_EQ(a.document_id, "000.00.00.H49.2024.01.VP.001");
  EXPECT_EQ(b.document_id, "000.00.00.H49.2024.01.VP.002");
  EXPECT_EQ(a.component_id, a.document_id + "/1");
  EXPECT_EQ(a.media_type, "text/plain");
  EXPECT_EQ(a.sha256, Sha256Of("Nội dung thứ nhất"));

  ASSERT_OK_AND_ASSIGN(Described file, service_->Describe("000.00.00.H49.2024.01.VP"));
  ASSERT_TRUE(file.record_file.has_value());
  EXPECT_EQ(file.record_file->title, "Hồ sơ về chuyển đổi số năm 2024");
  EXPECT_EQ(file.record_file->doc_total, 2);
  EXPECT_EQ(file.documents.size(), 2u);

  ASSERT_OK_AND_ASSIGN(Described doc, service_->Describe(a.document_id));
  ASSERT_TRUE(doc.document.has_value());
  EXPECT_EQ(doc.document->organ_id, "000.00.00.H49");  // from the file code
  ASSERT_EQ(doc.events.size(), 1u);
  EXPECT_EQ(doc.events[0].type, model::EventType::kIngestion);

  ASSERT_OK_AND_ASSIGN(Described blob, service_->Describe(a.sha256.ToHex()));
  EXPECT_TRUE(blob.blob_present);
  EXPECT_EQ(blob.components, std::vector<std::string>{a.component_id});

  ASSERT_OK_AND_ASSIGN(archive::AuditReport audit, service_->VerifyAudit());
  EXPECT_TRUE(audit.ok);
  EXPECT_GE(audit.entries, 6u);  // record file, document, component, event per store
  EXPECT_THAT(service_->Describe("no-such-id"), StatusIs(StatusCode::kNotFound));
}

TEST_F(ServiceTest, StoreOfAMissingFileChangesNothing) {
  ASSERT_OK_AND_ASSIGN(Stats before, service_->GetStats());
  StoreRequest req;
  req.file = dir_.Sub("missing.pdf");
  req.file_code = *model::FileCode::Parse("000.00.00.H49.2024.01.VP");
  req.document.issued_date = "2024-01-15";
  req.document.organ_name = "UBND";
  req.document.subject = "x";
  EXPECT_THAT(service_->Store(req), StatusIs(StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(Stats after, service_->GetStats());
  EXPECT_EQ(after.counts.documents, before.counts.documents);
  EXPECT_EQ(after.counts.audit_entries, before.counts.audit_entries);
}

TEST_F(ServiceTest, PreservedTextIsFoundWithAndWithoutDiacriticsAfterTheOutboxDrains) {
  StoreResult a = StoreText("Ủy ban nhân dân tỉnh triển khai chữ ký số cho văn bản đi.", "Kế hoạch chữ ký số");
  StoreText("Báo cáo tình hình tuyển dụng công chức.", "Báo cáo tuyển dụng");

  PreserveOptions options;
  ASSERT_OK_AND_ASSIGN(PreserveResult p, service_->Preserve(options, a.document_id));
  EXPECT_EQ(p.state, PreserveResult::State::kPreserved) << p.risk;
  ASSERT_EQ(p.components.size(), 1u);  // the extracted text
  EXPECT_EQ(p.components[0].role, model::ComponentRole::kExtractedText);
  EXPECT_EQ(p.components[0].id, a.document_id + "/2");
  EXPECT_EQ(p.originals.at(0).copy.status, "not_applicable");
  // Preserved once: a second run is skipped.
  ASSERT_OK_AND_ASSIGN(PreserveResult again, service_->Preserve(options, a.document_id));
  EXPECT_EQ(again.state, PreserveResult::State::kSkipped);

  ASSERT_OK_AND_ASSIGN(SyncReport sync, service_->DrainOutbox());
  EXPECT_GE(sync.indexed, 2u);
  EXPECT_GE(sync.acknowledged, 2u);
  ASSERT_OK_AND_ASSIGN(Stats stats, service_->GetStats());
  EXPECT_EQ(stats.counts.outbox, 0u);

  for (const char* q : {"chữ ký số văn bản đi", "chu ky so van ban di"}) {
    SearchRequest req;
    req.query = q;
    ASSERT_OK_AND_ASSIGN(SearchResults res, service_->Search(req));
    ASSERT_FALSE(res.hits.empty()) << q;
    EXPECT_EQ(res.hits[0].document, a.document_id) << q;
  }
  // A rebuild finds the same and leaves the outbox empty.
  ASSERT_OK_AND_ASSIGN(SyncReport rebuilt, service_->RebuildIndex());
  EXPECT_EQ(rebuilt.indexed, 2u);
  SearchRequest req;
  req.query = "tuyen dung cong chuc";
  ASSERT_OK_AND_ASSIGN(SearchResults res, service_->Search(req));
  ASSERT_EQ(res.hits.size(), 1u);
  EXPECT_EQ(res.hits[0].document, "000.00.00.H49.2024.01.VP.002");
}

TEST_F(ServiceTest, RetrieveIsBitExactAuditedAndRefusesACorruptBlob) {
  const std::string body = "Bản gốc: từng byte phải được giữ nguyên.\r\n\x01\x02";
  StoreResult a = StoreText(body, "Bản gốc");
  const std::string out = dir_.Sub("out.txt");
  ASSERT_OK_AND_ASSIGN(Retrieved got, service_->Retrieve(a.document_id, model::ComponentRole::kOriginal, out));
  EXPECT_EQ(got.component.id, a.component_id);
  EXPECT_EQ(testing::ReadTestFile(out), body);
  // The access: an audit entry, then its event (audited as event.create).
  ASSERT_OK_AND_ASSIGN(std::vector<archive::AuditEntry> log, service_->AuditLog(2));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].action, "access.get");
  EXPECT_EQ(log[0].object, a.component_id);
  EXPECT_EQ(log[0].actor, "test:service");
  EXPECT_EQ(log[1].action, "event.create");

  // A text original is no preservation copy.
  EXPECT_THAT(service_->Retrieve(a.document_id, model::ComponentRole::kPreservationCopy, dir_.Sub("p")),
              StatusIs(StatusCode::kNotFound));

  // Damage the blob: retrieval fails with kDataLoss, writes nothing, and the
  // failed access is audited too.
  const std::string hex = a.sha256.ToHex();
  testing::FlipByte(dir_.Sub("data/blobs/sha256/" + hex.substr(0, 2) + "/" + hex.substr(2, 2) + "/" + hex), 3);
  const std::string out2 = dir_.Sub("out2.txt");
  EXPECT_THAT(service_->Retrieve(a.document_id, model::ComponentRole::kOriginal, out2),
              StatusIs(StatusCode::kDataLoss));
  EXPECT_FALSE(PathExists(out2));
  ASSERT_OK_AND_ASSIGN(log, service_->AuditLog(2));
  EXPECT_EQ(log[0].action, "access.get");
  EXPECT_NE(log[0].detail.find("failed"), std::string::npos) << log[0].detail;
}

TEST_F(ServiceTest, OneWriterPerArchiveAndReadersBesideIt) {
  const DataDir data(dir_.Sub("data"));
  // service_ (from SetUp) is the writer.
  auto second = Service::Open(data, "test:second");
  ASSERT_THAT(second.status(), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_NE(second.status().message().find("open for writing by another process"), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find("actor test:service"), std::string::npos) << second.status().message();
  EXPECT_NE(second.status().message().find("pid " + std::to_string(::getpid())), std::string::npos);
  // Readers are never refused.
  ASSERT_OK_AND_ASSIGN(auto reader, Service::Open(data, "test:reader", /*read_only=*/true));
  EXPECT_OK(reader->GetStats().status());

  // Another process: refused while this one holds the archive, and the
  // archive is free again once the writer is gone.
  int to_parent[2];
  ASSERT_EQ(::pipe(to_parent), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(to_parent[0]);
    auto s = Service::Open(data, "test:child");
    const char verdict = s.ok() ? 'y' : (s.status().code() == StatusCode::kFailedPrecondition ? 'n' : 'e');
    if (::write(to_parent[1], &verdict, 1) != 1) _exit(3);
    _exit(0);
  }
  ::close(to_parent[1]);
  char verdict = 0;
  ASSERT_EQ(::read(to_parent[0], &verdict, 1), 1);
  ::close(to_parent[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_EQ(verdict, 'n');

  service_.reset();
  ASSERT_OK_AND_ASSIGN(auto third, Service::Open(data, "test:third"));
  EXPECT_OK(third->GetStats().status());
}

}  // namespace
}  // namespace kholuu::ingest
