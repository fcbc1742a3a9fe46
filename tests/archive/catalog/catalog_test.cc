#include "archive/catalog/catalog.h"

#include <lmdb.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "archive/base/file.h"
#include "archive/catalog/codec.h"
#include "tests/support/fixtures.h"
#include "tests/support/raw_lmdb.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::archive {
namespace {

using ::kholuu::testing::SampleComponent;
using ::kholuu::testing::SampleDocument;
using ::kholuu::testing::SampleRecordFile;
using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

using ::kholuu::testing::RawGet;
using ::kholuu::testing::RawPut;
using ::kholuu::testing::SeqKey;

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Catalog::Create(dir_.Sub("catalog"));
    ASSERT_OK(c.status());
    catalog_ = std::move(*c);
  }

  // Stores a record file with `docs` documents, each with one component.
  void Populate(int file_no, int docs) {
    model::RecordFile f = SampleRecordFile(file_no);
    ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
      f.doc_total = docs;
      KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
      for (int i = 1; i <= docs; ++i) {
        model::Document d = SampleDocument(f, i);
        KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
        std::string bytes = "pdf bytes of " + d.id;
        KHOLUU_RETURN_IF_ERROR(w.PutComponent(SampleComponent(d, Sha256Of(bytes), bytes.size())));
      }
      return Status::Ok();
    }));
  }

  TableCounts Counts() {
    auto r = catalog_->BeginRead();
    EXPECT_OK(r.status());
    auto c = r->Counts();
    EXPECT_OK(c.status());
    return *c;
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, RowsRoundTripThroughTablesAndIndexes) {
  Populate(1, 3);
  model::RecordFile f = SampleRecordFile(1);
  auto r = catalog_->BeginRead();
  ASSERT_OK(r.status());
  ASSERT_OK_AND_ASSIGN(model::RecordFile got, r->GetRecordFile(f.file_code.ToString()));
  EXPECT_EQ(got.title, f.title);
  EXPECT_EQ(got.doc_total, 3);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> docs, r->DocumentsInFile(f.file_code.ToString()));
  EXPECT_THAT(docs, ElementsAre("000.00.00.G22.2024.1.TCCB.001", "000.00.00.G22.2024.1.TCCB.002",
                                "000.00.00.G22.2024.1.TCCB.003"));
  model::Document d2 = SampleDocument(f, 2);
  ASSERT_OK_AND_ASSIGN(model::Document doc, r->GetDocument(d2.id));
  EXPECT_EQ(doc.subject, d2.subject);
  ASSERT_EQ(doc.signers.size(), 1u);
  EXPECT_EQ(doc.signers[0].full_name, "Trần Văn Bình");
  EXPECT_THAT(*r->DocumentsByEdxmlId(d2.edxml_document_id), ElementsAre(d2.id));
  EXPECT_THAT(*r->DocumentsByDuplicateKey(d2.DuplicateKey()), ElementsAre(d2.id));
  std::string bytes = "pdf bytes of " + d2.id;
  EXPECT_THAT(*r->ComponentsBySha256(Sha256Of(bytes)), ElementsAre(d2.id + "/1"));
  EXPECT_THAT(*r->ComponentsOfDocument(d2.id), ElementsAre(d2.id + "/1"));
  EXPECT_THAT(r->GetDocument("no-such-doc"), StatusIs(StatusCode::kNotFound));
}

TEST_F(CatalogTest, UpdatingADocumentMovesItsIndexEntries) {
  Populate(1, 1);
  model::Document d = SampleDocument(SampleRecordFile(1), 1);
  std::string old_dup = d.DuplicateKey();
  std::string old_edxml = d.edxml_document_id;
  d.code_number = "999";
  d.edxml_document_id = "000.00.00.G22,2024/03/11,999/QĐ-VPCP";
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.PutDocument(d); }));
  auto r = catalog_->BeginRead();
  ASSERT_OK(r.status());
  EXPECT_THAT(*r->DocumentsByDuplicateKey(old_dup), IsEmpty());
  EXPECT_THAT(*r->DocumentsByEdxmlId(old_edxml), IsEmpty());
  EXPECT_THAT(*r->DocumentsByDuplicateKey(d.DuplicateKey()), ElementsAre(d.id));
  EXPECT_THAT(*r->DocumentsByEdxmlId(d.edxml_document_id), ElementsAre(d.id));
  EXPECT_EQ(Counts().documents, 1u);
}

TEST_F(CatalogTest, InvalidRowIsRejectedWithEveryProblemAndNothingIsWritten) {
  Populate(1, 1);
  TableCounts before = Counts();
  model::Document bad = SampleDocument(SampleRecordFile(1), 2);
  bad.subject = "";
  bad.issued_date = "2024-02-30";
  Status s = catalog_->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(SampleRecordFile(7)));  // would be valid
    return w.PutDocument(bad);
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(s.message(), HasSubstr("subject"));
  EXPECT_THAT(s.message(), HasSubstr("issued_date"));
  TableCounts after = Counts();
  EXPECT_EQ(after.record_files, before.record_files);
  EXPECT_EQ(after.documents, before.documents);
  EXPECT_EQ(after.audit_entries, before.audit_entries);
}

TEST_F(CatalogTest, DocumentNeedsItsRecordFileAndComponentItsDocument) {
  model::RecordFile f = SampleRecordFile(3);
  model::Document d = SampleDocument(f, 1);
  EXPECT_THAT(catalog_->Update("t", [&](WriteTxn& w) { return w.PutDocument(d); }),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(catalog_->Update("t", [&](WriteTxn& w) {
    return w.PutComponent(SampleComponent(d, Sha256Of("x"), 1));
  }), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(CatalogTest, UncommittedTransactionLeavesNoTrace) {
  TableCounts before = Counts();
  {
    ASSERT_OK_AND_ASSIGN(WriteTxn w, catalog_->BeginWrite("test"));
    ASSERT_OK(w.PutRecordFile(SampleRecordFile(1)));
    ASSERT_OK(w.Audit("test.action", "x", "y"));
    // Destroyed without Commit().
  }
  TableCounts after = Counts();
  EXPECT_EQ(after.record_files, before.record_files);
  EXPECT_EQ(after.audit_entries, before.audit_entries);
}

TEST_F(CatalogTest, EveryChangeIsAuditedAndTheChainVerifies) {
  TableCounts before = Counts();
  Populate(1, 2);  // 1 file + 2 docs + 2 components = 5 entries
  TableCounts after = Counts();
  EXPECT_EQ(after.audit_entries, before.audit_entries + 5);
  auto r = catalog_->BeginRead();
  ASSERT_OK(r.status());
  std::vector<std::string> actions;
  ASSERT_OK(r->ForEachAuditEntry([&](const AuditEntry& e) {
    actions.push_back(e.action);
    EXPECT_EQ(e.hash, e.ComputeHash());
    return Status::Ok();
  }));
  EXPECT_EQ(actions.front(), "meta.set");
  EXPECT_EQ(actions[actions.size() - 5], "record_file.create");
  EXPECT_EQ(actions.back(), "component.create");
  ASSERT_OK_AND_ASSIGN(AuditReport report, r->VerifyAudit());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, after.audit_entries);
}

TEST_F(CatalogTest, AuditVerifyNamesTheFirstAlteredEntry) {
  Populate(1, 3);
  catalog_.reset();
  std::string dir = dir_.Sub("catalog");
  std::string raw = RawGet(dir, "audit", SeqKey(5));
  ASSERT_FALSE(raw.empty());
  ASSERT_OK_AND_ASSIGN(AuditEntry e, DecodeAuditEntry(raw));
  e.actor = "mallory";  // hash left as it was
  RawPut(dir, "audit", SeqKey(5), EncodeAuditEntry(e));
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  auto r = catalog_->BeginRead();
  ASSERT_OK(r.status());
  ASSERT_OK_AND_ASSIGN(AuditReport report, r->VerifyAudit());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 5u);
  EXPECT_THAT(report.problem, HasSubstr("altered"));
}

TEST_F(CatalogTest, AuditVerifyDetectsARehashedEntryByTheNextLink) {
  Populate(1, 3);
  catalog_.reset();
  std::string dir = dir_.Sub("catalog");
  ASSERT_OK_AND_ASSIGN(AuditEntry e, DecodeAuditEntry(RawGet(dir, "audit", SeqKey(4))));
  e.detail = "rewritten";
  e.hash = e.ComputeHash();  // a careful forger recomputes the hash
  RawPut(dir, "audit", SeqKey(4), EncodeAuditEntry(e));
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  ASSERT_OK_AND_ASSIGN(AuditReport report, r.VerifyAudit());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, 5u);
  EXPECT_THAT(report.problem, HasSubstr("link"));
}

TEST_F(CatalogTest, AuditVerifyDetectsRemovedNewestEntry) {
  Populate(1, 2);
  TableCounts c = Counts();
  catalog_.reset();
  std::string dir = dir_.Sub("catalog");
  RawPut(dir, "audit", SeqKey(c.audit_entries), "");  // delete the newest
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  ASSERT_OK_AND_ASSIGN(AuditReport report, r.VerifyAudit());
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad, c.audit_entries);
}

TEST_F(CatalogTest, EventsGetSequenceNumbersAndAreFoundByObject) {
  Populate(1, 1);
  model::Event e;
  e.type = model::EventType::kFixityCheck;
  e.outcome = model::EventOutcome::kSuccess;
  e.object_id = "000.00.00.G22.2024.1.TCCB.001/1";
  e.detail = "sha256 matches";
  uint64_t first = 0, second = 0;
  ASSERT_OK(catalog_->Update("fixity", [&](WriteTxn& w) -> Status {
    KHOLUU_ASSIGN_OR_RETURN(first, w.AddEvent(e));
    KHOLUU_ASSIGN_OR_RETURN(second, w.AddEvent(e));
    return Status::Ok();
  }));
  EXPECT_EQ(second, first + 1);
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  ASSERT_OK_AND_ASSIGN(std::vector<model::Event> evs, r.EventsFor(e.object_id));
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].agent, "fixity");
  EXPECT_GT(evs[0].time_micros, 0);
  EXPECT_EQ(evs[1].seq, second);
}

TEST_F(CatalogTest, OutboxQueuesDocumentsUntilAcknowledged) {
  Populate(1, 2);
  std::vector<OutboxEntry> entries;
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
    ASSERT_OK(r.ForEachOutbox([&](const OutboxEntry& e) {
      entries.push_back(e);
      return Status::Ok();
    }));
  }
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].op, "upsert");
  EXPECT_EQ(entries[1].document_id, "000.00.00.G22.2024.1.TCCB.002");
  ASSERT_OK(catalog_->Update("indexer", [&](WriteTxn& w) { return w.AckOutbox(entries[0].seq); }));
  EXPECT_EQ(Counts().outbox, 1u);
}

TEST_F(CatalogTest, DeleteComponentRemovesRowAndIndexesAndIsAudited) {
  Populate(1, 1);
  model::Document d = SampleDocument(SampleRecordFile(1), 1);
  std::string bytes = "pdf bytes of " + d.id;
  ASSERT_OK(catalog_->Update("t", [&](WriteTxn& w) { return w.DeleteComponent(d.id + "/1", "test"); }));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  EXPECT_THAT(r.GetComponent(d.id + "/1"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(*r.ComponentsBySha256(Sha256Of(bytes)), IsEmpty());
  EXPECT_THAT(*r.ComponentsOfDocument(d.id), IsEmpty());
  std::string last;
  ASSERT_OK(r.ForEachAuditEntry([&](const AuditEntry& e) {
    last = e.action;
    return Status::Ok();
  }));
  EXPECT_EQ(last, "component.delete");
}

TEST(CatalogOpenTest, CreateRefusesExistingAndOpenRefusesMissing) {
  TempDir dir;
  ASSERT_OK(Catalog::Create(dir.Sub("c")).status());
  EXPECT_THAT(Catalog::Create(dir.Sub("c")), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(Catalog::Open(dir.Sub("none")), StatusIs(StatusCode::kNotFound));
  ASSERT_OK(CreateDirs(dir.Sub("empty")));
  EXPECT_THAT(Catalog::Open(dir.Sub("empty")), StatusIs(StatusCode::kNotFound));
}

TEST(CatalogOpenTest, MapGrowsInsteadOfFailing) {
  TempDir dir;
  CatalogOptions o;
  o.initial_map_size = 1 << 20;  // 1 MiB: far too small for what follows
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Create(dir.Sub("c"), o));
  uint64_t initial = c->map_size();
  model::RecordFile f = SampleRecordFile(1);
  ASSERT_OK(c->Update("t", [&](WriteTxn& w) { return w.PutRecordFile(f); }));
  std::string long_subject;
  while (long_subject.size() < 1400) long_subject += "Trích yếu nội dung rất dài ";
  long_subject = long_subject.substr(0, 480);
  // 40 transactions of 100 documents each: several MiB of rows.
  for (int batch = 0; batch < 40; ++batch) {
    ASSERT_OK(c->Update("t", [&](WriteTxn& w) -> Status {
      for (int i = 1; i <= 100; ++i) {
        model::Document d = SampleDocument(f, 1);
        d.id = f.file_code.ToString() + ".b" + std::to_string(batch) + "." + std::to_string(i);
        d.subject = long_subject;
        d.description = long_subject;
        KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
      }
      return Status::Ok();
    })) << "batch " << batch;
  }
  EXPECT_GT(c->map_size(), initial);
  ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
  EXPECT_EQ(r.Counts()->documents, 4000u);
}

TEST(CatalogOpenTest, NewerSchemaIsRefusedAndLeftUnchanged) {
  TempDir dir;
  ASSERT_OK(Catalog::Create(dir.Sub("c")).status());
  RawPut(dir.Sub("c"), "meta", "schema_version", "99");
  Result<std::unique_ptr<Catalog>> c = Catalog::Open(dir.Sub("c"));
  EXPECT_THAT(c, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(c.status().message(), HasSubstr("newer"));
  EXPECT_EQ(RawGet(dir.Sub("c"), "meta", "schema_version"), "99");
}

TEST(CatalogOpenTest, OlderSchemaIsMigratedAndAudited) {
  TempDir dir;
  model::RecordFile f = SampleRecordFile(1);
  model::Document d = SampleDocument(f, 1);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Create(dir.Sub("c")));
    ASSERT_OK(c->Update("t", [&](WriteTxn& w) -> Status {
      KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
      KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
      return w.PutComponent(SampleComponent(d, Sha256Of("a"), 1));
    }));
    ASSERT_OK(c->TEST_DowngradeToV1());
  }
  EXPECT_EQ(RawGet(dir.Sub("c"), "meta", "schema_version"), "1");
  {
    CatalogOptions ro;
    ro.read_only = true;
    EXPECT_THAT(Catalog::Open(dir.Sub("c"), ro), StatusIs(StatusCode::kFailedPrecondition));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c")));
  EXPECT_EQ(c->schema_version(), kCatalogSchemaVersion);
  ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
  EXPECT_THAT(*r.ComponentsOfDocument(d.id), ElementsAre(d.id + "/1"));
  bool migrated = false;
  ASSERT_OK(r.ForEachAuditEntry([&](const AuditEntry& e) {
    if (e.action == "catalog.migrate") migrated = true;
    return Status::Ok();
  }));
  EXPECT_TRUE(migrated);
  EXPECT_TRUE(r.VerifyAudit()->ok);
  EXPECT_TRUE(r.VerifyState()->ok());
  // Schema 4 indexed the existing entries by object.
  ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> about, r.AuditEntriesFor(d.id));
  ASSERT_EQ(about.size(), 1u);
  EXPECT_EQ(about[0].action, "document.create");
  ASSERT_OK_AND_ASSIGN(std::vector<StateProblem> row, r.VerifyRow("document", d.id));
  EXPECT_THAT(row, IsEmpty());
}

TEST(CatalogOpenTest, TruncatedFileIsDataLossNotACrash) {
  TempDir dir;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Create(dir.Sub("c")));
    model::RecordFile f = SampleRecordFile(1);
    ASSERT_OK(c->Update("t", [&](WriteTxn& w) -> Status {
      KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
      for (int i = 1; i <= 200; ++i) KHOLUU_RETURN_IF_ERROR(w.PutDocument(SampleDocument(f, i % 999 + 1)));
      return Status::Ok();
    }));
  }
  std::string file = dir.Sub("c/data.mdb");
  off_t size = static_cast<off_t>(testing::ReadTestFile(file).size());
  for (off_t keep : {size / 2, off_t{4096 * 3}, off_t{100}, off_t{0}}) {
    ASSERT_EQ(::truncate(file.c_str(), keep), 0);
    Result<std::unique_ptr<Catalog>> c = Catalog::Open(dir.Sub("c"));
    EXPECT_FALSE(c.ok()) << "opened a catalog truncated to " << keep << " bytes";
    EXPECT_THAT(c, StatusIs(StatusCode::kDataLoss)) << keep;
  }
}

TEST(CatalogOpenTest, ReadOnlyOpenRefusesWrites) {
  TempDir dir;
  ASSERT_OK(Catalog::Create(dir.Sub("c")).status());
  CatalogOptions ro;
  ro.read_only = true;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c"), ro));
  EXPECT_THAT(c->BeginWrite("t"), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
  EXPECT_TRUE(r.VerifyAudit()->ok);
}

}  // namespace
}  // namespace kholuu::archive

namespace kholuu::archive {
namespace {

// A commit that cannot grow the catalog file (file size limit standing in for
// a full disk) fails with kResourceExhausted; the catalog stays as it was.
TEST(CatalogFullDiskTest, FailedCommitLeavesCatalogIntact) {
  testing::TempDir dir;
  model::RecordFile f = testing::SampleRecordFile(1);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Create(dir.Sub("c")));
    ASSERT_OK(c->Update("t", [&](WriteTxn& w) { return w.PutRecordFile(f); }));
  }
  off_t size = static_cast<off_t>(testing::ReadTestFile(dir.Sub("c/data.mdb")).size());
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{static_cast<rlim_t>(size + 8192), static_cast<rlim_t>(size + 8192)};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    auto c = Catalog::Open(dir.Sub("c"));
    if (!c.ok()) _exit(10);
    Status s = (*c)->Update("t", [&](WriteTxn& w) -> Status {
      for (int i = 1; i <= 500; ++i) {
        model::Document d = testing::SampleDocument(f, 1);
        d.id = f.file_code.ToString() + ".x" + std::to_string(i);
        KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
      }
      return Status::Ok();
    });
    if (s.code() != StatusCode::kResourceExhausted) std::fprintf(stderr, "commit: %s\n", s.ToString().c_str());
    _exit(s.code() == StatusCode::kResourceExhausted ? 0 : 11);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << "10: open failed, 11: commit did not fail as expected";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c")));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
  EXPECT_EQ(r.Counts()->documents, 0u);
  EXPECT_EQ(r.Counts()->record_files, 1u);
  EXPECT_TRUE(r.VerifyAudit()->ok);
}

}  // namespace
}  // namespace kholuu::archive

namespace kholuu::archive {
namespace {

model::IngestJob SampleJob(const std::string& package) {
  model::IngestJob j;
  j.id = Sha256Of(package).ToHex();
  j.package = package;
  j.kind = "sidecar";
  j.actor = "test";
  j.received_micros = 1700000000000000;
  return j;
}

TEST_F(CatalogTest, JobsAreStoredAuditedAndListed) {
  model::IngestJob j = SampleJob("goi-1");
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.PutJob(j); }));
  j.state = model::JobState::kRejected;
  j.finished_micros = j.received_micros + 5;
  j.problems.push_back({"file.missing", true, "a listed file is missing", "thiếu tệp", "data/a.pdf"});
  j.problems.push_back({"metadata.no_signer", false, "", "", ""});
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.PutJob(j); }));
  auto r = catalog_->BeginRead();
  ASSERT_OK(r.status());
  auto got = r->GetJob(j.id);
  ASSERT_OK(got.status());
  EXPECT_EQ(*got, j);
  std::vector<std::string> ids;
  ASSERT_OK(r->ForEachJob([&](const model::IngestJob& x) {
    ids.push_back(x.id);
    return Status::Ok();
  }));
  EXPECT_THAT(ids, ElementsAre(j.id));
  EXPECT_EQ(Counts().jobs, 1u);
  EXPECT_THAT(r->GetJob(Sha256Of("other").ToHex()), StatusIs(StatusCode::kNotFound));
  std::vector<std::string> actions;
  ASSERT_OK(r->ForEachAuditEntry([&](const AuditEntry& e) {
    actions.push_back(e.action);
    return Status::Ok();
  }));
  EXPECT_THAT(actions, ::testing::Contains("job.create"));
  EXPECT_THAT(actions, ::testing::Contains("job.update"));
}

TEST(CatalogDurabilityTest, MetaLazyCommitIsVisibleAndSurvivesAProcessKill) {
  testing::TempDir dir;
  { ASSERT_OK(Catalog::Create(dir.Sub("c")).status()); }
  const model::IngestJob lazy = SampleJob("lazy"), durable = SampleJob("durable");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto c = Catalog::Open(dir.Sub("c"));
    if (!c.ok()) _exit(10);
    if (!(*c)->Update("t", [&](WriteTxn& w) { return w.PutJob(lazy); }, Catalog::Durability::kMetaLazy).ok()) {
      _exit(11);
    }
    auto r = (*c)->BeginRead();
    if (!r.ok() || !r->GetJob(lazy.id).ok()) _exit(12);  // visible at once
    ::raise(SIGKILL);
    _exit(13);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(wstatus)) << "exit " << WEXITSTATUS(wstatus);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Catalog> c, Catalog::Open(dir.Sub("c")));
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
    ASSERT_OK_AND_ASSIGN(model::IngestJob got, r.GetJob(lazy.id));
    EXPECT_EQ(got, lazy);
    EXPECT_TRUE(r.VerifyAudit()->ok);
  }
  // A durable commit after a lazy one: both there, one chain.
  ASSERT_OK(c->Update("t", [&](WriteTxn& w) { return w.PutJob(durable); }));
  c.reset();
  ASSERT_OK_AND_ASSIGN(c, Catalog::Open(dir.Sub("c")));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, c->BeginRead());
  EXPECT_TRUE(r.GetJob(lazy.id).ok());
  EXPECT_TRUE(r.GetJob(durable.id).ok());
  EXPECT_EQ(r.Counts()->jobs, 2u);
  EXPECT_TRUE(r.VerifyAudit()->ok);
}

TEST_F(CatalogTest, StateVerificationNamesEveryRowChangedBehindTheArchive) {
  Populate(1, 3);
  model::Agency agency;
  agency.organ_id = "000.00.00.H49";
  agency.name = "Ủy ban nhân dân tỉnh";
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.PutAgency(agency));
    KHOLUU_RETURN_IF_ERROR(w.PutJob(SampleJob("goi-1")));
    KHOLUU_RETURN_IF_ERROR(w.SetMeta("seal.key", "fingerprint"));
    model::Event e;
    e.type = model::EventType::kIngestion;
    e.outcome = model::EventOutcome::kSuccess;
    e.object_id = "x";
    return w.AddEvent(e).status();
  }));
  std::string doc2, comp3;
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
    ASSERT_OK_AND_ASSIGN(StateReport clean, r.VerifyState());
    EXPECT_TRUE(clean.ok()) << (clean.problems.empty() ? "" : clean.problems[0].problem);
    const TableCounts c = *r.Counts();
    // Every row of every audited table, the events, and the audited meta keys.
    EXPECT_GE(clean.rows, c.agencies + c.record_files + c.documents + c.components + c.jobs + c.events);
    ASSERT_OK(r.ForEachDocument([&](const model::Document& d) {
      if (doc2.empty() || d.id < doc2) doc2 = d.id;
      return Status::Ok();
    }));
    ASSERT_OK(r.ForEachComponent([&](const model::Component& x) {
      comp3 = x.id;
      return Status::Ok();
    }));
  }
  // A deleted component is history too: deleted through the archive, fine.
  catalog_.reset();
  const std::string dir = dir_.Sub("catalog");
  // 1. A document's stored value altered (one byte of its encoding).
  std::string v = testing::RawGet(dir, "documents", doc2);
  ASSERT_FALSE(v.empty());
  v[v.size() / 2] = static_cast<char>(v[v.size() / 2] ^ 0x20);
  testing::RawPut(dir, "documents", doc2, v);
  // 2. A component removed.
  testing::RawPut(dir, "components", comp3, "");
  // 3. A row inserted that no entry recorded.
  testing::RawPut(dir, "agencies", "000.00.00.X99", testing::RawGet(dir, "agencies", agency.organ_id));
  // 4. An event altered, 5. an audited meta value altered.
  std::string ev = testing::RawGet(dir, "events", testing::SeqKey(1));
  ASSERT_FALSE(ev.empty());
  ev.back() = static_cast<char>(ev.back() ^ 1);
  testing::RawPut(dir, "events", testing::SeqKey(1), ev);
  testing::RawPut(dir, "meta", "seal.key", "another");

  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  EXPECT_TRUE(r.VerifyAudit()->ok);  // the chain cannot see any of it
  ASSERT_OK_AND_ASSIGN(StateReport report, r.VerifyState());
  EXPECT_FALSE(report.ok());
  std::vector<std::string> named, index;
  for (const StateProblem& p : report.problems) {
    (p.table == "index" ? index : named).push_back(p.table + " " + p.key);
  }
  EXPECT_THAT(named, UnorderedElementsAre("document " + doc2, "component " + comp3, "agency 000.00.00.X99",
                                          "event 1", "event ", "meta seal.key"));
  // The removed component is still listed by its document's index.
  EXPECT_THAT(index, Contains(HasSubstr("idx_comp_doc " + comp3.substr(0, comp3.rfind('/')) + " -> " + comp3)));
  EXPECT_EQ(report.problem_count, named.size() + index.size());
  for (const StateProblem& p : report.problems) {
    if (p.table == "agency") {
      EXPECT_EQ(p.entry, 0u) << "an inserted row has no entry";
    }
    if (p.table == "document") {
      EXPECT_GT(p.entry, 0u);
    }
  }
}

TEST_F(CatalogTest, StateVerificationNamesIndexEntriesChangedBehindTheArchive) {
  Populate(2, 3);
  std::string doc, comp;
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
    ASSERT_OK_AND_ASSIGN(StateReport clean, r.VerifyState());
    ASSERT_TRUE(clean.ok()) << (clean.problems.empty() ? "" : clean.problems[0].problem);
    ASSERT_OK(r.ForEachComponent([&](const model::Component& x) {
      comp = x.id;
      doc = x.document_id;
      return Status::Ok();
    }));
  }
  catalog_.reset();
  const std::string dir = dir_.Sub("catalog");
  // A document's components hidden (its index key removed), and a file
  // made to list a document it does not hold.
  testing::RawPut(dir, "idx_comp_doc", doc, "");
  testing::RawPut(dir, "idx_doc_file", "000.00.00.X99.2024.01.VP", doc);

  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  EXPECT_TRUE(r.VerifyAudit()->ok);
  EXPECT_TRUE(r.ComponentsOfDocument(doc)->empty());  // what `show` would list
  ASSERT_OK_AND_ASSIGN(StateReport report, r.VerifyState());
  EXPECT_FALSE(report.ok());
  std::vector<std::string> named;
  for (const StateProblem& p : report.problems) {
    EXPECT_EQ(p.table, "index");
    named.push_back(p.key);
  }
  EXPECT_THAT(named, Contains("idx_comp_doc " + doc + " -> " + comp));
  EXPECT_THAT(named, Contains("idx_doc_file 000.00.00.X99.2024.01.VP -> " + doc));
}

TEST_F(CatalogTest, OneRowIsCheckedThroughItsOwnEntries) {
  Populate(1, 2);
  std::string doc, newest;
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
    ASSERT_OK(r.ForEachDocument([&](const model::Document& d) {
      doc = d.id;
      return Status::Ok();
    }));
    ASSERT_OK_AND_ASSIGN(std::vector<AuditEntry> about, r.AuditEntriesFor(doc));
    ASSERT_FALSE(about.empty());
    for (const AuditEntry& e : about) EXPECT_EQ(e.object, doc);
    ASSERT_OK_AND_ASSIGN(std::vector<StateProblem> ok, r.VerifyRow("document", doc));
    EXPECT_THAT(ok, IsEmpty());
    EXPECT_THAT(r.VerifyRow("document", "no-such-id"), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(r.VerifyRow("blob", doc), StatusIs(StatusCode::kInvalidArgument));
    // The newest entry holds in its place against the recorded head.
    ASSERT_OK_AND_ASSIGN(TableCounts c, r.Counts());
    EXPECT_EQ(*r.CheckAuditEntryInPlace(c.audit_entries), "");
    EXPECT_EQ(*r.CheckAuditEntryInPlace(1), "");
  }
  catalog_.reset();
  const std::string dir = dir_.Sub("catalog");
  // The entry that wrote the document altered (its hash left): the row's
  // check names the entry, though the row itself is intact.
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  uint64_t seq = 0;
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
    seq = r.AuditEntriesFor(doc)->back().seq;
  }
  catalog_.reset();
  std::string entry = testing::RawGet(dir, "audit", testing::SeqKey(seq));
  const size_t at = entry.find("test");
  ASSERT_NE(at, std::string::npos);
  entry[at] = 'b';
  testing::RawPut(dir, "audit", testing::SeqKey(seq), entry);
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  ASSERT_OK_AND_ASSIGN(std::vector<StateProblem> bad, r.VerifyRow("document", doc));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].entry, seq);
  EXPECT_THAT(bad[0].problem, HasSubstr("was altered"));
}

TEST_F(CatalogTest, AnInvalidJobIsRefused) {
  model::IngestJob j = SampleJob("goi-2");
  j.id = "not-a-digest";
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.PutJob(j); }),
              StatusIs(StatusCode::kInvalidArgument));
  j = SampleJob("goi-2");
  j.state = model::JobState::kAccepted;  // finished without a finishing time
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.PutJob(j); }),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(Counts().jobs, 0u);
}

TEST_F(CatalogTest, ADocumentLinkedIntoAnotherFileIsListedInBoth) {
  Populate(1, 2);
  Populate(2, 1);
  const std::string file1 = SampleRecordFile(1).file_code.ToString();
  const std::string file2 = SampleRecordFile(2).file_code.ToString();
  const std::string doc = SampleDocument(SampleRecordFile(1), 2).id;
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.LinkDocument(file2, doc, "sent again"); }));
  auto r = catalog_->BeginRead();
  ASSERT_OK(r.status());
  auto in1 = r->DocumentsInFile(file1);
  auto in2 = r->DocumentsInFile(file2);
  ASSERT_OK(in1.status());
  ASSERT_OK(in2.status());
  EXPECT_EQ(in1->size(), 2u);
  EXPECT_EQ(in2->size(), 2u);
  EXPECT_THAT(*in2, ::testing::Contains(doc));
  EXPECT_EQ(Counts().documents, 3u);  // linked, not copied
  // Updating the document keeps the link; an unknown file or document is refused.
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_ASSIGN_OR_RETURN(model::Document d, w.GetDocument(doc));
    d.preservation_risk = "x";
    return w.PutDocument(d);
  }));
  auto r2 = catalog_->BeginRead();
  ASSERT_OK(r2.status());
  EXPECT_THAT(*r2->DocumentsInFile(file2), ::testing::Contains(doc));
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.LinkDocument("000.00.00.X99.2024.9", doc, ""); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.LinkDocument(file2, "no-such-doc", ""); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_F(CatalogTest, ALinkOutlivesRefilingAndTheIndexesStayTrueToTheLog) {
  Populate(1, 2);
  Populate(2, 1);
  Populate(3, 1);
  const std::string file1 = SampleRecordFile(1).file_code.ToString();
  const std::string file2 = SampleRecordFile(2).file_code.ToString();
  const std::string file3 = SampleRecordFile(3).file_code.ToString();
  const std::string doc = SampleDocument(SampleRecordFile(1), 2).id;
  auto refile = [&](const std::string& into) {
    return catalog_->Update("test", [&](WriteTxn& w) -> Status {
      KHOLUU_ASSIGN_OR_RETURN(model::Document d, w.GetDocument(doc));
      KHOLUU_ASSIGN_OR_RETURN(d.file_code, model::FileCode::Parse(into));
      return w.PutDocument(d);
    });
  };
  auto state_ok = [&]() {
    auto r = catalog_->BeginRead();
    EXPECT_OK(r.status());
    auto report = r->VerifyState();
    EXPECT_OK(report.status());
    for (const StateProblem& p : report->problems) ADD_FAILURE() << p.table << " " << p.key << ": " << p.problem;
    return report->ok();
  };
  // Linked twice into file 2 (two entries, one index entry), then owned by
  // file 2 (owner and link are one entry), then moved on to file 3: file 2
  // still lists it, because the link was never undone.
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.LinkDocument(file2, doc, "sent again"); }));
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.LinkDocument(file2, doc, "and again"); }));
  EXPECT_TRUE(state_ok());
  ASSERT_OK(refile(file2));
  EXPECT_TRUE(state_ok());
  ASSERT_OK(refile(file3));
  EXPECT_TRUE(state_ok());
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  EXPECT_THAT(*r.DocumentsInFile(file1), Not(Contains(doc)));
  EXPECT_THAT(*r.DocumentsInFile(file2), Contains(doc));
  EXPECT_THAT(*r.DocumentsInFile(file3), Contains(doc));
  for (const std::string& f : {file1, file2, file3}) {
    ASSERT_OK_AND_ASSIGN(PartsCheck parts, r.CheckParts("record_file", f));
    EXPECT_THAT(parts.problems, IsEmpty()) << f << ": " << parts.problems[0].problem;
    EXPECT_EQ(parts.parts, *r.DocumentsInFile(f));
  }
}

TEST_F(CatalogTest, OneRecordsPartsAreCheckedAgainstItsRowsAndLog) {
  Populate(1, 3);
  Populate(2, 1);
  const std::string file1 = SampleRecordFile(1).file_code.ToString();
  const std::string file2 = SampleRecordFile(2).file_code.ToString();
  const std::string doc1 = SampleDocument(SampleRecordFile(1), 1).id;
  const std::string doc3 = SampleDocument(SampleRecordFile(1), 3).id;
  std::string comp1;
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
    for (const std::string& f : {file1, file2}) {
      ASSERT_OK_AND_ASSIGN(PartsCheck parts, r.CheckParts("record_file", f));
      EXPECT_THAT(parts.problems, IsEmpty());
      EXPECT_EQ(parts.parts, *r.DocumentsInFile(f));
    }
    ASSERT_OK_AND_ASSIGN(PartsCheck parts, r.CheckParts("document", doc1));
    EXPECT_THAT(parts.problems, IsEmpty());
    ASSERT_EQ(parts.parts.size(), 1u);
    comp1 = parts.parts[0];
    EXPECT_THAT(r.CheckParts("agency", doc1), StatusIs(StatusCode::kInvalidArgument));
  }
  catalog_.reset();
  const std::string dir = dir_.Sub("catalog");
  // doc1's component hidden from its index; doc3 hidden from its file;
  // file 2 made to list a document of file 1.
  testing::RawPut(dir, "idx_comp_doc", doc1, "");
  testing::RawDelDup(dir, "idx_doc_file", file1, doc3);
  testing::RawPut(dir, "idx_doc_file", file2, doc1);
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  auto keys = [](const PartsCheck& p) {
    std::vector<std::string> out;
    for (const StateProblem& x : p.problems) {
      EXPECT_EQ(x.table, "index");
      out.push_back(x.key + (x.problem.rfind("missing", 0) == 0 ? " missing" : " extra"));
    }
    return out;
  };
  ASSERT_OK_AND_ASSIGN(PartsCheck d1, r.CheckParts("document", doc1));
  EXPECT_THAT(keys(d1), ElementsAre("idx_comp_doc " + doc1 + " -> " + comp1 + " missing"));
  EXPECT_THAT(d1.parts, ElementsAre(comp1));  // still verified
  ASSERT_OK_AND_ASSIGN(PartsCheck f1, r.CheckParts("record_file", file1));
  EXPECT_THAT(keys(f1), ElementsAre("idx_doc_file " + file1 + " -> " + doc3 + " missing"));
  EXPECT_THAT(f1.parts, Contains(doc3));
  ASSERT_OK_AND_ASSIGN(PartsCheck f2, r.CheckParts("record_file", file2));
  EXPECT_THAT(keys(f2), ElementsAre("idx_doc_file " + file2 + " -> " + doc1 + " extra"));
}

TEST(JobCodecTest, RoundTripsAndRejectsGarbage) {
  model::IngestJob j;
  j.id = std::string(64, 'a');
  j.package = "gói tin.edxml";
  j.kind = "edxml";
  j.state = model::JobState::kAccepted;
  j.actor = "cli:root";
  j.received_micros = 1;
  j.finished_micros = 2;
  j.record_file = "000.00.00.G22.2025.LT";
  j.documents = {"a", "", "c"};
  j.problems = {{"edxml.unsigned", false, "m", "tin nhắn", "p"}, {"", false, "", "", ""}};
  j.detail = "accepted";
  auto back = DecodeJob(EncodeJob(j));
  ASSERT_OK(back.status());
  EXPECT_EQ(*back, j);
  std::string bytes = EncodeJob(j);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    auto r = DecodeJob(std::string_view(bytes).substr(0, cut));
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    }
  }
}

}  // namespace
}  // namespace kholuu::archive
