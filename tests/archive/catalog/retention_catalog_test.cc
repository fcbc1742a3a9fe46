// Retention in the catalog (ADR 0080): the row and its codec, the due
// index kept with it (and rewritten when the rules change), the due list
// read from the index alone, and both checked by VerifyState.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "archive/catalog/catalog.h"
#include "archive/catalog/codec.h"
#include "tests/support/fixtures.h"
#include "tests/support/raw_lmdb.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::archive {
namespace {

using model::CivilDate;
using model::FileRetention;
using model::RetentionPeriod;
using model::RetentionStage;
using ::kholuu::testing::SampleRecordFile;
using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

CivilDate D(const char* s) { return *CivilDate::Parse(s); }

class RetentionCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Catalog::Create(dir_.Sub("catalog"));
    ASSERT_OK(c.status());
    catalog_ = std::move(*c);
    ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
      for (int i = 1; i <= 6; ++i) KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(SampleRecordFile(i)));
      return Status::Ok();
    }));
  }

  static FileRetention Retention(int file, RetentionPeriod period, const char* ended,
                                 RetentionStage stage = RetentionStage::kCurrent) {
    FileRetention r;
    r.file_code = SampleRecordFile(file).file_code.ToString();
    r.facts.period = std::move(period);
    r.facts.work_ended = D(ended);
    r.stage = stage;
    r.source_text = r.facts.period.ToString();
    return r;
  }

  // The due list of `kind` up to `until`: "date file-number".
  std::vector<std::string> Due(DueKind kind, const char* until) {
    std::vector<std::string> out;
    auto r = catalog_->BeginRead();
    EXPECT_OK(r.status());
    EXPECT_OK(r->ForEachDue(kind, D(until), [&](const DueEntry& e) {
      EXPECT_EQ(e.kind, kind);
      const std::string notation = e.file_code.substr(e.file_code.rfind("2024.") + 5);
      out.push_back(e.date.ToString() + " " + notation);
      return Status::Ok();
    }));
    return out;
  }

  bool StateOk() {
    auto r = catalog_->BeginRead();
    auto report = r->VerifyState();
    EXPECT_OK(report.status());
    for (const StateProblem& p : report->problems) ADD_FAILURE() << p.table << " " << p.key << ": " << p.problem;
    return report->ok();
  }

  TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST(RetentionCodecTest, RoundTripsAndRejectsGarbage) {
  FileRetention r;
  r.file_code = "000.00.00.G22.2024.1.TCCB";
  r.facts.period = RetentionPeriod::Until("Đến khi văn bản hết hiệu lực thi hành", 2);
  r.facts.work_ended = *CivilDate::Parse("2024-12-20");
  r.facts.event = *CivilDate::Parse("2030-02-01");
  r.facts.construction = true;
  r.facts.settled = *CivilDate::Parse("2025-01-31");
  r.facts.entered_current = *CivilDate::Parse("2025-03-01");
  r.facts.historical_under_other_law = true;
  r.schedule_id = "TT10-2022";
  r.schedule_version = "2022-12-19";
  r.entry_code = "1.1";
  r.source_text = "Đến khi …";
  r.reason = "giao ban đầu";
  r.stage = RetentionStage::kWithUnit;
  r.assigned_micros = 1733616000000000;
  ASSERT_OK_AND_ASSIGN(FileRetention back, DecodeFileRetention(EncodeFileRetention(r)));
  EXPECT_EQ(back, r);
  FileRetention plain;
  plain.file_code = r.file_code;
  ASSERT_OK_AND_ASSIGN(FileRetention plain_back, DecodeFileRetention(EncodeFileRetention(plain)));
  EXPECT_EQ(plain_back, plain);
  EXPECT_THAT(DecodeFileRetention(""), StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(DecodeFileRetention(std::string("\x01", 1)).status().message(), HasSubstr("no work_ended"));

  model::RetentionRules rules;
  rules.count_whole_years = false;
  rules.transfer_historical_years = 10;
  ASSERT_OK_AND_ASSIGN(model::RetentionRules rules_back, DecodeRetentionRules(EncodeRetentionRules(rules)));
  EXPECT_EQ(rules_back, rules);
  EXPECT_THAT(DecodeRetentionRules(std::string("\x01", 1)).status().message(), HasSubstr("a rule is missing"));
}

TEST_F(RetentionCatalogTest, TheDueListComesFromTheIndexByKindAndDate) {
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.PutRetention(Retention(1, RetentionPeriod::Years(10), "2020-05-01")));
    KHOLUU_RETURN_IF_ERROR(w.PutRetention(Retention(2, RetentionPeriod::Years(5), "2019-12-31")));
    KHOLUU_RETURN_IF_ERROR(w.PutRetention(Retention(3, RetentionPeriod::Permanent(), "2021-03-01")));
    KHOLUU_RETURN_IF_ERROR(
        w.PutRetention(Retention(4, RetentionPeriod::Years(20), "2024-06-30", RetentionStage::kWithUnit)));
    KHOLUU_RETURN_IF_ERROR(w.PutRetention(Retention(5, RetentionPeriod::Until("Theo tuổi thọ thiết bị"), "2022-01-01")));
    return w.PutRetention(Retention(6, RetentionPeriod::Years(2), "2020-01-01", RetentionStage::kTransferred));
  }));
  // Expiry: file 2 (2019 + 5), file 1 (2020 + 10), file 4 (2024 + 20);
  // file 6 is transferred, file 3 permanent.
  EXPECT_THAT(Due(DueKind::kExpiry, "2099-12-31"),
              ElementsAre("2024-12-31 2.TCCB", "2030-12-31 1.TCCB", "2044-12-31 4.TCCB"));
  EXPECT_THAT(Due(DueKind::kExpiry, "2024-12-31"), ElementsAre("2024-12-31 2.TCCB"));
  EXPECT_THAT(Due(DueKind::kExpiry, "2024-12-30"), IsEmpty());
  // Only the file still with its unit is due into the current archive.
  EXPECT_THAT(Due(DueKind::kTransferCurrent, "2099-12-31"), ElementsAre("2025-12-31 4.TCCB"));
  // The permanent file goes on to the historical archive: 2021 + 1 + 5.
  EXPECT_THAT(Due(DueKind::kTransferHistorical, "2099-12-31"), ElementsAre("2027-12-31 3.TCCB"));
  // The conditional one waits for its event.
  EXPECT_THAT(Due(DueKind::kAwaiting, "2099-12-31"), ElementsAre("2022-01-01 5.TCCB"));
  EXPECT_TRUE(StateOk());

  // The event recorded: it leaves the awaiting list and expires.
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_ASSIGN_OR_RETURN(FileRetention r, w.GetRetention(SampleRecordFile(5).file_code.ToString()));
    r.facts.event = D("2031-04-01");
    r.reason = "thiết bị thanh lý";
    return w.PutRetention(r);
  }));
  EXPECT_THAT(Due(DueKind::kAwaiting, "2099-12-31"), IsEmpty());
  EXPECT_THAT(Due(DueKind::kExpiry, "2099-12-31"),
              ElementsAre("2024-12-31 2.TCCB", "2030-12-31 1.TCCB", "2031-12-31 5.TCCB", "2044-12-31 4.TCCB"));
  // Other rules: every entry is rewritten.
  model::RetentionRules rules;
  rules.transfer_historical_years = 30;
  rules.count_whole_years = false;
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.SetRetentionRules(rules); }));
  EXPECT_THAT(Due(DueKind::kTransferHistorical, "2099-12-31"), ElementsAre("2052-12-31 3.TCCB"));
  EXPECT_THAT(Due(DueKind::kExpiry, "2099-12-31"),
              ElementsAre("2024-12-31 2.TCCB", "2030-05-01 1.TCCB", "2031-04-01 5.TCCB", "2044-06-30 4.TCCB"));
  {
    ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
    EXPECT_EQ(*r.GetRetentionRules(), rules);
  }
  EXPECT_TRUE(StateOk());
}

TEST_F(RetentionCatalogTest, RefusesWhatIsNotARecordFileOrNotValid) {
  FileRetention r = Retention(1, RetentionPeriod::Years(10), "2020-05-01");
  r.file_code = "000.00.00.G22.2024.99.TCCB";
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.PutRetention(r); }),
              StatusIs(StatusCode::kFailedPrecondition));
  FileRetention bad = Retention(1, RetentionPeriod::Years(0), "2020-05-01");
  bad.schedule_id = "TT10-2022";  // without version and entry
  bad.facts.settled = D("2021-01-01");  // not a construction file
  auto refused = catalog_->Update("test", [&](WriteTxn& w) { return w.PutRetention(bad); });
  ASSERT_THAT(refused, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(refused.message(), HasSubstr("facts.period"));
  EXPECT_THAT(refused.message(), HasSubstr("schedule_id"));
  EXPECT_THAT(refused.message(), HasSubstr("facts.settled"));
  model::RetentionRules rules;
  rules.transfer_min_years = -1;
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.SetRetentionRules(rules); }),
              StatusIs(StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(ReadTxn read, catalog_->BeginRead());
  EXPECT_THAT(read.GetRetention(SampleRecordFile(1).file_code.ToString()), StatusIs(StatusCode::kNotFound));
}

TEST_F(RetentionCatalogTest, ChangesBehindTheArchiveAreNamed) {
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.PutRetention(Retention(1, RetentionPeriod::Years(10), "2020-05-01")));
    return w.PutRetention(Retention(2, RetentionPeriod::Years(5), "2019-12-31"));
  }));
  ASSERT_TRUE(StateOk());
  const std::string file1 = SampleRecordFile(1).file_code.ToString();
  const std::string file2 = SampleRecordFile(2).file_code.ToString();
  catalog_.reset();
  const std::string dir = dir_.Sub("catalog");
  // File 1 made to expire later (its row edited), file 2 hidden from the due list.
  ASSERT_OK_AND_ASSIGN(FileRetention longer, DecodeFileRetention(testing::RawGet(dir, "retention", file1)));
  longer.facts.period = RetentionPeriod::Years(70);
  testing::RawPut(dir, "retention", file1, EncodeFileRetention(longer));
  testing::RawPut(dir, "idx_due", "x2024-12-31" + file2, "");
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  ASSERT_OK_AND_ASSIGN(StateReport report, r.VerifyState());
  std::set<std::string> named;
  for (const StateProblem& p : report.problems) named.insert(p.table + " " + p.key);
  EXPECT_TRUE(named.count("retention " + file1)) << report.problems.size();
  bool due_named = false;
  for (const StateProblem& p : report.problems) {
    if (p.key.find("idx_due " + file2) == 0) {
      due_named = true;
      EXPECT_THAT(p.problem, HasSubstr("expiry 2024-12-31"));
    }
  }
  EXPECT_TRUE(due_named);
}

}  // namespace
}  // namespace kholuu::archive

namespace kholuu::archive {
namespace {

// One path that would destroy, alter or move out a record: run in a write
// transaction; returns its status.
struct HoldPath {
  const char* name;
  std::function<Status(WriteTxn&)> run;
};

class HoldTest : public RetentionCatalogTest {
 protected:
  void SetUp() override {
    RetentionCatalogTest::SetUp();
    ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
      for (int f = 1; f <= 2; ++f) {
        for (int i = 1; i <= 2; ++i) {
          model::Document d = testing::SampleDocument(SampleRecordFile(f), i);
          KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
          const std::string bytes = "bytes of " + d.id;
          KHOLUU_RETURN_IF_ERROR(w.PutComponent(testing::SampleComponent(d, Sha256Of(bytes), bytes.size())));
        }
        KHOLUU_RETURN_IF_ERROR(w.PutRetention(Retention(f, RetentionPeriod::Years(5), "2019-06-30")));
      }
      return Status::Ok();
    }));
  }

  std::string File(int f) { return SampleRecordFile(f).file_code.ToString(); }
  std::string Doc(int f, int i) { return testing::SampleDocument(SampleRecordFile(f), i).id; }
  std::string Comp(int f, int i) { return Doc(f, i) + "/1"; }

  // Every path of WriteTxn that must go through the hold check, aimed at
  // document `i` of record file `f` (or the file itself).
  std::vector<HoldPath> Paths(int f, int i) {
    const std::string file = File(f), doc = Doc(f, i), comp = Comp(f, i);
    return {
        {"delete a component", [comp](WriteTxn& w) { return w.DeleteComponent(comp, "test"); }},
        {"replace a component's bytes",
         [comp](WriteTxn& w) -> Status {
           KHOLUU_ASSIGN_OR_RETURN(model::Component c, w.GetComponent(comp));
           c.sha256 = Sha256Of("other bytes");
           return w.PutComponent(c);
         }},
        {"change a document",
         [doc](WriteTxn& w) -> Status {
           KHOLUU_ASSIGN_OR_RETURN(model::Document d, w.GetDocument(doc));
           d.subject += " (sửa)";
           return w.PutDocument(d);
         }},
        {"re-file a document",
         [doc](WriteTxn& w) -> Status {
           KHOLUU_ASSIGN_OR_RETURN(model::Document d, w.GetDocument(doc));
           d.file_code = SampleRecordFile(3).file_code;
           return w.PutDocument(d);
         }},
        {"change a record file's metadata",
         [file](WriteTxn& w) -> Status {
           KHOLUU_ASSIGN_OR_RETURN(model::RecordFile r, w.GetRecordFile(file));
           r.title += " (sửa)";
           return w.PutRecordFile(r);
         }},
        {"destroy a record file",
         [file](WriteTxn& w) -> Status {
           KHOLUU_ASSIGN_OR_RETURN(FileRetention r, w.GetRetention(file));
           r.stage = RetentionStage::kDestroyed;
           return w.PutRetention(r);
         }},
        {"transfer a record file out",
         [file](WriteTxn& w) -> Status {
           KHOLUU_ASSIGN_OR_RETURN(FileRetention r, w.GetRetention(file));
           r.stage = RetentionStage::kTransferred;
           return w.PutRetention(r);
         }},
    };
  }

  model::Hold Place(std::vector<std::string> objects) {
    model::Hold h;
    h.name = "Thanh tra";
    h.reason = "thanh tra việc tiếp công dân";
    h.authority = "Thanh tra tỉnh, QĐ số 12/QĐ-TTr";
    h.objects = std::move(objects);
    EXPECT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.PlaceHold(&h); }));
    return h;
  }
};

TEST_F(HoldTest, EveryPathIsRefusedWhileTheHoldIsInForceAndAllowedAfter) {
  const model::Hold h = Place({File(1)});
  EXPECT_EQ(h.id, "hold-000001");
  EXPECT_EQ(h.placed_by, "test");
  for (const HoldPath& p : Paths(1, 1)) {
    const Status s = catalog_->Update("test", p.run);
    EXPECT_THAT(s, StatusIs(StatusCode::kFailedPrecondition)) << p.name;
    EXPECT_THAT(s.message(), HasSubstr("hold-000001")) << p.name;
    EXPECT_THAT(s.message(), HasSubstr("Thanh tra tỉnh")) << p.name;
  }
  // The other record file is not held: its paths run (each in its own
  // transaction, rolled back by returning an error afterwards).
  for (const HoldPath& p : Paths(2, 1)) {
    const Status s = catalog_->Update("test", [&](WriteTxn& w) -> Status {
      KHOLUU_RETURN_IF_ERROR(p.run(w));
      return Status(StatusCode::kAborted, "roll back");
    });
    EXPECT_THAT(s, StatusIs(StatusCode::kAborted)) << p.name << ": " << s.message();
  }
  // What a hold allows on what it holds: recording a preservation risk, the
  // counts of a record file, a new component.
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) -> Status {
    KHOLUU_ASSIGN_OR_RETURN(model::Document d, w.GetDocument(Doc(1, 2)));
    d.preservation_risk = "encrypted";
    KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
    KHOLUU_ASSIGN_OR_RETURN(model::RecordFile r, w.GetRecordFile(File(1)));
    r.doc_total = 3;
    KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(r));
    const std::string bytes = "a preservation copy";
    model::Component c = testing::SampleComponent(d, Sha256Of(bytes), bytes.size());
    c.id = Doc(1, 2) + "/2";
    return w.PutComponent(c);
  }));
  EXPECT_TRUE(StateOk());
  // Released: the paths run again.
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.ReleaseHold(h.id, "thanh tra kết thúc"); }));
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.ReleaseHold(h.id, "again"); }),
              StatusIs(StatusCode::kFailedPrecondition));
  for (const HoldPath& p : Paths(1, 1)) {
    const Status s = catalog_->Update("test", [&](WriteTxn& w) -> Status {
      KHOLUU_RETURN_IF_ERROR(p.run(w));
      return Status(StatusCode::kAborted, "roll back");
    });
    EXPECT_THAT(s, StatusIs(StatusCode::kAborted)) << p.name << ": " << s.message();
  }
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  ASSERT_OK_AND_ASSIGN(model::Hold released, r.GetHold(h.id));
  EXPECT_FALSE(released.in_force());
  EXPECT_EQ(released.release_reason, "thanh tra kết thúc");
}

TEST_F(HoldTest, AHeldDocumentHoldsItsComponentsAndALinkedFileItsDocuments) {
  Place({Doc(2, 1)});
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  EXPECT_EQ(r.HoldsCovering(Comp(2, 1))->size(), 1u);
  EXPECT_EQ(r.HoldsCovering(Doc(2, 1))->size(), 1u);
  EXPECT_TRUE(r.HoldsCovering(Doc(2, 2))->empty());
  EXPECT_TRUE(r.HoldsCovering(File(2))->empty());  // the document, not its file
  // A document linked into a held file is held through the link.
  ASSERT_OK(catalog_->Update("test", [&](WriteTxn& w) { return w.LinkDocument(File(1), Doc(2, 2), "gửi lại"); }));
  Place({File(1)});
  ASSERT_OK_AND_ASSIGN(ReadTxn r2, catalog_->BeginRead());
  EXPECT_EQ(r2.HoldsCovering(Comp(2, 2))->size(), 1u);
  // Objects must exist; the hold must say who and why.
  model::Hold bad;
  bad.name = "x";
  bad.reason = "y";
  bad.authority = "z";
  bad.objects = {"000.00.00.G22.2024.99.TCCB"};
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.PlaceHold(&bad); }),
              StatusIs(StatusCode::kNotFound));
  bad.objects = {File(2)};
  bad.authority = "";
  EXPECT_THAT(catalog_->Update("test", [&](WriteTxn& w) { return w.PlaceHold(&bad); }),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(HoldTest, AHoldRemovedBehindTheArchiveIsNamed) {
  Place({File(1)});
  ASSERT_TRUE(StateOk());
  catalog_.reset();
  const std::string dir = dir_.Sub("catalog");
  testing::RawDelDup(dir, "idx_hold_obj", File(1), "hold-000001");
  ASSERT_OK_AND_ASSIGN(catalog_, Catalog::Open(dir));
  ASSERT_OK_AND_ASSIGN(ReadTxn r, catalog_->BeginRead());
  EXPECT_TRUE(r.HoldsCovering(File(1))->empty());  // the hold no longer bites ...
  ASSERT_OK_AND_ASSIGN(StateReport report, r.VerifyState());
  bool named = false;  // ... and audit verify says so
  for (const StateProblem& p : report.problems) {
    named = named || p.key == "idx_hold_obj " + File(1) + " -> hold-000001";
  }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace kholuu::archive
