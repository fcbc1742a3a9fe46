// Fixity, repair, garbage collection, replica, backup and restore on real
// archives in temporary directories.
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "archive/archive.h"
#include "archive/ops/copies.h"
#include "archive/ops/fixity.h"
#include "tests/support/fixtures.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::archive {
namespace {

using ::kholuu::testing::SampleComponent;
using ::kholuu::testing::SampleDocument;
using ::kholuu::testing::SampleRecordFile;
using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class OpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(archive_, Archive::Init(dir_.Sub("data")));
    // Three documents with distinct contents, one sharing its bytes with another.
    model::RecordFile f = SampleRecordFile(1);
    f.doc_total = 3;
    std::vector<std::string> contents = {"%PDF-1.7 quyết định số 1 " + std::string(5000, 'a'),
                                         "%PDF-1.7 quyết định số 2 " + std::string(7000, 'b'),
                                         "%PDF-1.7 quyết định số 1 " + std::string(5000, 'a')};
    for (const std::string& c : contents) {
      ASSERT_OK_AND_ASSIGN(BlobInfo info, archive_->blobs().PutBytes(c));
      blobs_.push_back(info);
    }
    ASSERT_OK(archive_->catalog().Update("test", [&](WriteTxn& w) -> Status {
      KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
      for (int i = 1; i <= 3; ++i) {
        model::Document d = SampleDocument(f, i);
        KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
        const BlobInfo& b = blobs_[static_cast<size_t>(i - 1)];
        KHOLUU_RETURN_IF_ERROR(w.PutComponent(SampleComponent(d, b.sha256, b.size)));
      }
      return Status::Ok();
    }));
  }

  AuditReport Verify(Archive& a) {
    auto r = a.catalog().BeginRead();
    EXPECT_OK(r.status());
    auto rep = r->VerifyAudit();
    EXPECT_OK(rep.status());
    return *rep;
  }

  std::vector<std::string> AuditActions(Archive& a) {
    std::vector<std::string> out;
    auto r = a.catalog().BeginRead();
    EXPECT_OK(r->ForEachAuditEntry([&](const AuditEntry& e) {
      out.push_back(e.action);
      return Status::Ok();
    }));
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Archive> archive_;
  std::vector<BlobInfo> blobs_;
};

TEST_F(OpsTest, CleanArchivePassesFixityAndRecordsAnEventPerComponent) {
  FixityOptions o;
  ASSERT_OK_AND_ASSIGN(FixityReport rep, RunFixity(*archive_, o));
  EXPECT_EQ(rep.checked, 2u);     // two distinct blobs
  EXPECT_EQ(rep.components, 3u);  // three components
  EXPECT_THAT(rep.failures, IsEmpty());
  ASSERT_OK_AND_ASSIGN(ReadTxn r, archive_->catalog().BeginRead());
  ASSERT_OK_AND_ASSIGN(auto evs, r.EventsFor(SampleDocument(SampleRecordFile(1), 3).id + "/1"));
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, model::EventType::kFixityCheck);
  EXPECT_EQ(evs[0].outcome, model::EventOutcome::kSuccess);
}

TEST_F(OpsTest, FlippedByteIsFoundAndRepairedFromTheReplica) {
  ASSERT_OK_AND_ASSIGN(CopyReport sync, SyncReplica(*archive_, dir_.Sub("replica"), "test"));
  EXPECT_EQ(sync.blobs_total, 2u);
  EXPECT_EQ(sync.blobs_copied, 2u);
  std::string path = archive_->blobs().PathOf(blobs_[1].sha256);
  ::chmod(path.c_str(), 0644);
  testing::FlipByte(path, 1234);

  FixityOptions check;
  ASSERT_OK_AND_ASSIGN(FixityReport bad, RunFixity(*archive_, check));
  ASSERT_EQ(bad.failures.size(), 1u);
  EXPECT_EQ(bad.failures[0].problem, "corrupt");
  EXPECT_EQ(bad.failures[0].sha256, blobs_[1].sha256.ToHex());
  EXPECT_FALSE(bad.AllGood());

  FixityOptions repair;
  repair.repair = true;
  repair.replica_dir = dir_.Sub("replica");
  ASSERT_OK_AND_ASSIGN(FixityReport fixed, RunFixity(*archive_, repair));
  ASSERT_EQ(fixed.failures.size(), 1u);
  EXPECT_TRUE(fixed.failures[0].repaired) << fixed.failures[0].repair_detail;
  EXPECT_OK(archive_->blobs().Verify(blobs_[1].sha256));
  ASSERT_OK_AND_ASSIGN(FixityReport after, RunFixity(*archive_, check));
  EXPECT_THAT(after.failures, IsEmpty());
  auto actions = AuditActions(*archive_);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "blob.repair"), actions.end());
  EXPECT_TRUE(Verify(*archive_).ok);
}

TEST_F(OpsTest, MissingBlobIsReportedAndRepairFailsCleanlyWhenReplicaIsAlsoBad) {
  ASSERT_OK(SyncReplica(*archive_, dir_.Sub("replica"), "test").status());
  ASSERT_OK(RemoveFile(archive_->blobs().PathOf(blobs_[0].sha256)));
  // The replica's copy is damaged as well.
  std::string hex = blobs_[0].sha256.ToHex();
  std::string rpath = dir_.Sub("replica/blobs/sha256/" + hex.substr(0, 2) + "/" +
                               hex.substr(2, 2) + "/" + hex);
  ::chmod(rpath.c_str(), 0644);
  testing::FlipByte(rpath, 10);
  FixityOptions repair;
  repair.repair = true;
  repair.replica_dir = dir_.Sub("replica");
  ASSERT_OK_AND_ASSIGN(FixityReport rep, RunFixity(*archive_, repair));
  ASSERT_EQ(rep.failures.size(), 1u);
  EXPECT_EQ(rep.failures[0].problem, "missing");
  EXPECT_EQ(rep.failures[0].components.size(), 2u);  // shared by two documents
  EXPECT_FALSE(rep.failures[0].repaired);
  EXPECT_FALSE(archive_->blobs().Contains(blobs_[0].sha256));  // nothing bad was installed
}

TEST_F(OpsTest, SampleChecksOnlyTheRequestedNumber) {
  FixityOptions o;
  o.all = false;
  o.sample = 1;
  o.record_events = false;
  ASSERT_OK_AND_ASSIGN(FixityReport rep, RunFixity(*archive_, o));
  EXPECT_EQ(rep.checked, 1u);
}

TEST_F(OpsTest, SecondReplicaSyncCopiesOnlyWhatChanged) {
  ASSERT_OK(SyncReplica(*archive_, dir_.Sub("replica"), "test").status());
  ASSERT_OK_AND_ASSIGN(CopyReport again, SyncReplica(*archive_, dir_.Sub("replica"), "test"));
  EXPECT_EQ(again.blobs_copied, 0u);
  // The replica is itself an archive with the same rows and a valid chain.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Archive> replica, Archive::Open(dir_.Sub("replica")));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, replica->catalog().BeginRead());
  EXPECT_EQ(r.Counts()->components, 3u);
  EXPECT_TRUE(r.VerifyAudit()->ok);
}

TEST_F(OpsTest, ReplicaCannotBeTheArchiveOrANonEmptyDirectory) {
  EXPECT_THAT(SyncReplica(*archive_, dir_.Sub("data"), "t"),
              StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_OK(CreateDirs(dir_.Sub("other")));
  testing::WriteTestFile(dir_.Sub("other/notes.txt"), "x");
  EXPECT_THAT(SyncReplica(*archive_, dir_.Sub("other"), "t"),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_F(OpsTest, GarbageCollectionRemovesOnlyOldUnreferencedBlobsAndAuditsIt) {
  ASSERT_OK_AND_ASSIGN(BlobInfo orphan, archive_->blobs().PutBytes("orphan bytes"));
  ASSERT_OK_AND_ASSIGN(BlobInfo young, archive_->blobs().PutBytes("young orphan"));
  // Age the first orphan by two hours.
  std::string path = archive_->blobs().PathOf(orphan.sha256);
  struct utimbuf old_times{};
  old_times.actime = old_times.modtime = ::time(nullptr) - 7200;
  ASSERT_EQ(::utime(path.c_str(), &old_times), 0);

  GcOptions dry;
  dry.dry_run = true;
  ASSERT_OK_AND_ASSIGN(GcReport plan, CollectGarbage(*archive_, dry));
  EXPECT_EQ(plan.removed, std::vector<std::string>{orphan.sha256.ToHex()});
  EXPECT_TRUE(archive_->blobs().Contains(orphan.sha256));

  ASSERT_OK_AND_ASSIGN(GcReport rep, CollectGarbage(*archive_, GcOptions{}));
  EXPECT_EQ(rep.scanned, 4u);
  EXPECT_EQ(rep.referenced, 2u);
  EXPECT_EQ(rep.kept_young, 1u);
  EXPECT_EQ(rep.removed, std::vector<std::string>{orphan.sha256.ToHex()});
  EXPECT_FALSE(archive_->blobs().Contains(orphan.sha256));
  EXPECT_TRUE(archive_->blobs().Contains(young.sha256));
  for (const BlobInfo& b : blobs_) EXPECT_TRUE(archive_->blobs().Contains(b.sha256));
  auto actions = AuditActions(*archive_);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "blob.gc"), 1);
}

// Holds (issue 20) on the paths that work on blobs and whole copies rather
// than rows: garbage collection never takes a held record's bytes (they are
// referenced, and a hold forbids the row changes that would unreference
// them); fixity repair writes back exactly the recorded bytes (their hash is
// checked), which restores a held record rather than altering it; a
// replica, a backup and a restore from it carry the hold in force.
TEST_F(OpsTest, HeldRecordsKeepTheirBytesAndTheirHoldThroughEveryCopyPath) {
  const std::string file = SampleRecordFile(1).file_code.ToString();
  model::Hold hold;
  hold.name = "Tố tụng";
  hold.reason = "vụ án hành chính đang xét xử";
  hold.authority = "Tòa án nhân dân tỉnh";
  hold.objects = {file};
  ASSERT_OK(archive_->catalog().Update("test", [&](WriteTxn& w) { return w.PlaceHold(&hold); }));
  auto held_in = [&](Archive& a) {
    auto r = a.catalog().BeginRead();
    EXPECT_OK(r.status());
    auto holds = r->HoldsCovering(SampleDocument(SampleRecordFile(1), 2).id + "/1");
    EXPECT_OK(holds.status());
    return holds.ok() && holds->size() == 1 && (*holds)[0].id == hold.id;
  };
  // Garbage collection: the held bytes are old enough to go, and stay.
  for (const BlobInfo& b : blobs_) {
    struct utimbuf old_times{};
    old_times.actime = old_times.modtime = ::time(nullptr) - 7200;
    ASSERT_EQ(::utime(archive_->blobs().PathOf(b.sha256).c_str(), &old_times), 0);
  }
  ASSERT_OK_AND_ASSIGN(GcReport gc, CollectGarbage(*archive_, GcOptions{}));
  EXPECT_THAT(gc.removed, IsEmpty());
  for (const BlobInfo& b : blobs_) EXPECT_OK(archive_->blobs().Verify(b.sha256));
  // The replica carries the hold; fixity repair restores the recorded bytes.
  ASSERT_OK(SyncReplica(*archive_, dir_.Sub("replica"), "test").status());
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Archive> replica, Archive::Open(dir_.Sub("replica")));
    EXPECT_TRUE(held_in(*replica));
  }
  const std::string path = archive_->blobs().PathOf(blobs_[1].sha256);
  ::chmod(path.c_str(), 0644);
  testing::FlipByte(path, 99);
  FixityOptions repair;
  repair.repair = true;
  repair.replica_dir = dir_.Sub("replica");
  ASSERT_OK_AND_ASSIGN(FixityReport fixed, RunFixity(*archive_, repair));
  ASSERT_EQ(fixed.failures.size(), 1u);
  EXPECT_TRUE(fixed.failures[0].repaired);
  EXPECT_OK(archive_->blobs().Verify(blobs_[1].sha256));
  // A backup taken under the hold restores with the hold in force.
  ASSERT_OK(Backup(*archive_, dir_.Sub("backup"), "test").status());
  ASSERT_OK(Restore(dir_.Sub("backup"), dir_.Sub("restored"), "test").status());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Archive> restored, Archive::Open(dir_.Sub("restored")));
  EXPECT_TRUE(held_in(*restored));
  EXPECT_TRUE(held_in(*archive_));
  EXPECT_TRUE(Verify(*archive_).ok);
}

TEST_F(OpsTest, BackupAndRestoreGiveBackTheSameArchive) {
  ASSERT_OK_AND_ASSIGN(CopyReport b, Backup(*archive_, dir_.Sub("backup"), "test"));
  EXPECT_EQ(b.blobs_total, 2u);
  ASSERT_OK_AND_ASSIGN(VerifyCopyReport check, VerifyBackup(dir_.Sub("backup")));
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.files, 3u);  // catalog + 2 blobs

  ASSERT_OK_AND_ASSIGN(CopyReport r, Restore(dir_.Sub("backup"), dir_.Sub("restored"), "test"));
  EXPECT_EQ(r.blobs_copied, 2u);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Archive> restored, Archive::Open(dir_.Sub("restored")));
  ASSERT_OK_AND_ASSIGN(ReadTxn orig, archive_->catalog().BeginRead());
  ASSERT_OK_AND_ASSIGN(ReadTxn copy, restored->catalog().BeginRead());
  EXPECT_EQ(copy.Counts()->documents, orig.Counts()->documents);
  EXPECT_EQ(copy.Counts()->components, orig.Counts()->components);
  model::Document d = SampleDocument(SampleRecordFile(1), 2);
  EXPECT_EQ(copy.GetDocument(d.id)->subject, d.subject);
  for (const BlobInfo& bl : blobs_) EXPECT_OK(restored->blobs().Verify(bl.sha256));
  EXPECT_TRUE(copy.VerifyAudit()->ok);
  auto actions = AuditActions(*restored);
  EXPECT_EQ(actions.back(), "archive.restore");
}

TEST_F(OpsTest, DamagedBackupIsRefusedAndNothingIsRestored) {
  ASSERT_OK(Backup(*archive_, dir_.Sub("backup"), "test").status());
  std::string hex = blobs_[1].sha256.ToHex();
  std::string p = dir_.Sub("backup/blobs/sha256/" + hex.substr(0, 2) + "/" + hex.substr(2, 2) +
                           "/" + hex);
  ::chmod(p.c_str(), 0644);
  testing::FlipByte(p, 99);
  ASSERT_OK_AND_ASSIGN(VerifyCopyReport check, VerifyBackup(dir_.Sub("backup")));
  ASSERT_EQ(check.problems.size(), 1u);
  EXPECT_THAT(check.problems[0], HasSubstr(hex));
  Result<CopyReport> r = Restore(dir_.Sub("backup"), dir_.Sub("restored"), "test");
  EXPECT_THAT(r, StatusIs(StatusCode::kDataLoss));
  EXPECT_FALSE(PathExists(dir_.Sub("restored")));
}

TEST_F(OpsTest, RestoreRefusesToOverwriteAnArchiveAndBackupRefusesNonEmpty) {
  ASSERT_OK(Backup(*archive_, dir_.Sub("backup"), "test").status());
  EXPECT_THAT(Restore(dir_.Sub("backup"), dir_.Sub("data"), "test"),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Backup(*archive_, dir_.Sub("backup"), "test"),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Restore(dir_.Sub("nope"), dir_.Sub("r2"), "t"), StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace kholuu::archive
