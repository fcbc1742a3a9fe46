#include "tools/bench/retention_bench.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "archive/base/status.h"
#include "archive/catalog/catalog.h"
#include "ingest/service.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench retention [--files N] [--batch B] [--runs R] [--dir DIR] [--json] [--keep]\n"
    "\n"
    "Builds an archive of N record files (default 100000; 1000000 for the figures),\n"
    "B per write transaction (default 1000), each with a retention whose period,\n"
    "end year and stage are drawn from a fixed mix (permanent, 5..70 years,\n"
    "conditional, with the unit or in the archive), through the catalog as in\n"
    "production (audited); what fell due before 2029-12-15 has been acted on\n"
    "(transferred, destroyed). Times the due list as of 2029-12-15 (transfers and\n"
    "expiries 30 days ahead and to the end of 2030; files awaiting a date): Service::DueList\n"
    "(the due index) against a scan of every retention with the same date\n"
    "rules, which must give the same entries. Also: creating the record files\n"
    "with and without their retention (what assignment adds). Median of R runs.\n";

struct Options {
  uint64_t files = 100000;
  uint64_t batch = 1000;
  uint64_t runs = 3;
  ScratchFlags scratch;
};

int Fail(const std::string& what, const Status& s) {
  std::cerr << "kholuu-bench retention: " << what << ": " << s.message() << "\n";
  return kExitFailed;
}

model::RecordFile FileN(uint64_t i) {
  model::RecordFile f;
  f.file_code.organ_id = "000.00.00.H" + std::to_string(10 + i % 50);
  f.file_code.file_catalog = static_cast<int32_t>(1960 + i % 66);
  f.file_code.file_notation = std::to_string(i) + ".VP";
  f.title = "Hồ sơ số " + std::to_string(i);
  f.end_date = std::to_string(f.file_code.file_catalog) + "-12-31";
  return f;
}

// The date the due list is asked for.
constexpr model::CivilDate kAsOf{2029, 12, 15};

model::FileRetention RetentionN(const model::RecordFile& f, uint64_t i, const model::CivilDate& as_of = kAsOf) {
  static const int32_t kYears[] = {5, 10, 15, 20, 50, 70};
  model::FileRetention r;
  r.file_code = f.file_code.ToString();
  switch (i % 10) {
    case 0:
    case 1:
      r.facts.period = model::RetentionPeriod::Permanent();
      break;
    case 2:
      r.facts.period = model::RetentionPeriod::Until("Đến khi văn bản hết hiệu lực thi hành");
      if (i % 20 == 2) r.facts.event = model::CivilDate{2030 + static_cast<int32_t>(i % 7), 6, 30};
      break;
    default:
      r.facts.period = model::RetentionPeriod::Years(kYears[i % 6]);
  }
  r.facts.work_ended = *model::CivilDate::Parse(f.end_date);
  r.stage = i % 7 == 0 ? model::RetentionStage::kWithUnit : model::RetentionStage::kCurrent;
  if (r.stage == model::RetentionStage::kCurrent) r.facts.entered_current = r.facts.work_ended.AddMonths(6);
  r.source_text = r.facts.period.ToString();
  // An archive that has acted on what fell due before the bench's date: a
  // file whose transfer deadline passed is in the archive, one that was due
  // for the historical archive went there, one that expired was destroyed.
  const model::DueDates d = model::ComputeDueDates(r.facts, model::RetentionRules{});
  if (r.stage == model::RetentionStage::kWithUnit && d.transfer_current && *d.transfer_current < as_of) {
    r.stage = model::RetentionStage::kCurrent;
    r.facts.entered_current = *d.transfer_current;
  }
  const model::DueDates after = model::ComputeDueDates(r.facts, model::RetentionRules{});
  if (after.expires && *after.expires < as_of) r.stage = model::RetentionStage::kDestroyed;
  if (after.transfer_historical && *after.transfer_historical < as_of) r.stage = model::RetentionStage::kTransferred;
  return r;
}

}  // namespace

int RunRetentionBench(const std::vector<std::string>& args) {
  Options o;
  FlagReader reader(args);
  while (reader.Next()) {
    const std::string& a = reader.flag();
    auto common = TakeScratchFlag(reader, &o.scratch);
    if (!common.ok()) return Fail("usage", common.status());
    if (*common) continue;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (a == "--files" || a == "--batch" || a == "--runs") {
      auto v = reader.PositiveValue();
      if (!v.ok()) return Fail("usage", v.status());
      (a == "--files" ? o.files : a == "--batch" ? o.batch : o.runs) = *v;
    } else {
      std::cerr << "kholuu-bench retention: unknown option '" << reader.arg() << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  auto scratch = ScratchDir::Create(ScratchParent(o.scratch.dir), "kholuu-bench-retention-");
  if (!scratch.ok()) return Fail("scratch directory", scratch.status());
  scratch->set_keep(o.scratch.keep);

  // Creating the record files, without and then with their retention: two
  // archives, the same files.
  double plain_seconds = 0, with_seconds = 0;
  std::unique_ptr<ingest::Service> service;
  for (int with : {0, 1}) {
    const std::string data = scratch->path() + (with ? "/with" : "/plain");
    auto s = ingest::Service::Init(ingest::DataDir(data), "bench");
    if (!s.ok()) return Fail("init", s.status());
    archive::Catalog& catalog = (*s)->archive().catalog();
    const double t0 = NowSeconds();
    for (uint64_t first = 0; first < o.files; first += o.batch) {
      Status st = catalog.Update("bench", [&](archive::WriteTxn& w) -> Status {
        for (uint64_t i = first; i < std::min(o.files, first + o.batch); ++i) {
          const model::RecordFile f = FileN(i);
          KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
          if (with) KHOLUU_RETURN_IF_ERROR(w.PutRetention(RetentionN(f, i)));
        }
        return Status::Ok();
      });
      if (!st.ok()) return Fail("building the catalog", st);
    }
    (with ? with_seconds : plain_seconds) = NowSeconds() - t0;
    if (with) service = std::move(*s);
  }

  // The due list: every kind up to a year ahead of 2030-01-01, and the
  // expiries of 2030 alone; each from the index and by a full scan.
  const model::CivilDate as_of = kAsOf;
  struct Query {
    const char* name;
    std::vector<model::DueKind> kinds;
    int32_t within;
  };
  const std::vector<Query> queries = {
      {"transfers and expiries, 30 days",
       {model::DueKind::kTransferCurrent, model::DueKind::kTransferHistorical, model::DueKind::kExpiry},
       30},
      {"transfers and expiries, to 2030-12-31",
       {model::DueKind::kTransferCurrent, model::DueKind::kTransferHistorical, model::DueKind::kExpiry},
       381},
      {"awaiting a date (all)", {model::DueKind::kAwaiting}, 0},
  };
  Json results = Json::array();
  std::string text;
  for (const Query& q : queries) {
    ingest::DueQuery dq;
    dq.as_of = as_of;
    dq.within_days = q.within;
    dq.kinds = q.kinds;
    std::vector<double> index_s, scan_s;
    size_t index_items = 0, scan_items = 0;
    const model::CivilDate until = model::CivilDate::FromDays(as_of.Days() + q.within);
    for (uint64_t r = 0; r < o.runs; ++r) {
      double t0 = NowSeconds();
      auto items = service->DueList(dq);
      index_s.push_back(NowSeconds() - t0);
      if (!items.ok()) return Fail("due list", items.status());
      index_items = items->size();
      // The reference: read every retention and compute its dates.
      t0 = NowSeconds();
      auto rules = service->RetentionRules();
      if (!rules.ok()) return Fail("rules", rules.status());
      auto txn = service->archive().catalog().BeginRead();
      if (!txn.ok()) return Fail("read", txn.status());
      size_t n = 0;
      Status st = txn->ForEachRetention([&](const model::FileRetention& ret) -> Status {
        const bool with_unit = ret.stage == model::RetentionStage::kWithUnit;
        if (!with_unit && ret.stage != model::RetentionStage::kCurrent) return Status::Ok();
        const model::DueDates d = model::ComputeDueDates(ret.facts, *rules);
        for (model::DueKind k : q.kinds) {
          std::optional<model::CivilDate> date;
          if (k == model::DueKind::kTransferCurrent && with_unit) date = d.transfer_current;
          if (k == model::DueKind::kTransferHistorical && !with_unit) date = d.transfer_historical;
          if (k == model::DueKind::kExpiry) date = d.expires;
          if (k == model::DueKind::kAwaiting && (d.awaiting_event || (with_unit && d.awaiting_settlement))) {
            date = ret.facts.work_ended;
          }
          if (date && *date <= until) ++n;
        }
        return Status::Ok();
      });
      scan_s.push_back(NowSeconds() - t0);
      if (!st.ok()) return Fail("scan", st);
      scan_items = n;
    }
    if (index_items != scan_items) {
      return Fail(q.name, InternalError("the due index gives " + std::to_string(index_items) +
                                        " entries, the scan " + std::to_string(scan_items)));
    }
    results.push_back({{"query", q.name},
                       {"items", index_items},
                       {"index_seconds", Median(index_s)},
                       {"scan_seconds", Median(scan_s)}});
    char line[256];
    std::snprintf(line, sizeof line, "  %-34s %8zu entries: due index %.3f s, full scan %.3f s (x%.1f)\n", q.name,
                  index_items, Median(index_s), Median(scan_s), Median(scan_s) / std::max(Median(index_s), 1e-9));
    text += line;
  }
  const MachineInfo m = DescribeMachine(scratch->path());
  Json out = {{"machine", {{"cpu", m.cpu_model}, {"nproc", m.nproc}, {"fs", m.fs_type}}},
              {"files", o.files},
              {"create_seconds", {{"without_retention", plain_seconds}, {"with_retention", with_seconds}}},
              {"due", results}};
  if (o.scratch.json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%llu record files: created in %.1f s without retention, %.1f s with it: %.1f us per file "
              "for its retention and due entries\n",
              static_cast<unsigned long long>(o.files), plain_seconds, with_seconds,
              1e6 * (with_seconds - plain_seconds) / static_cast<double>(std::max<uint64_t>(o.files, 1)));
  std::cout << "due list as of " << as_of.ToString() << ":\n" << text;
  return kExitOk;
}

}  // namespace kholuu::bench
