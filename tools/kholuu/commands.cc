#include "tools/kholuu/commands.h"

#include <cctype>
#include <cstdio>
#include <iostream>

#include "archive/base/clock.h"
#include "ingest/service.h"
#include "archive/model/validation.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/progress.h"

namespace kholuu::cli {

using ingest::Service;
using nlohmann::json;

void Print(const Common& c, const json& j, const std::string& text) {
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << text;
    if (!text.empty() && text.back() != '\n') std::cout << "\n";
  }
  std::cout.flush();
}

Result<std::unique_ptr<Service>> OpenService(const Common& c, bool read_only) {
  return Service::Open(ingest::DataDir(c.data), c.actor, read_only);
}

namespace {

}  // namespace

int Fail(const Common& c, const Status& s) {
  if (c.json) {
    std::cout << DumpJson(ErrorJson(s)) << "\n";
  }
  Warn(s);
  return ExitCodeFor(s);
}

void Warn(const Status& s) {
  const std::string text = Describe(s);  // may log the original first
  std::cerr << "kholuu: " << text << "\n";
}

Status CheckDateOption(const std::string& option, const std::string& value) {
  if (value.empty() || model::IsValidDate(value)) return Status::Ok();
  return UsageError(Msg::kBadDate, {option, value});
}

int CmdInit(const Common& c) {
  Result<std::unique_ptr<Service>> a = Service::Init(ingest::DataDir(c.data), c.actor);
  if (!a.ok()) return Fail(c, a.status());
  Print(c, {{"data", c.data}}, Tr(Msg::kInitDone, {c.data}));
  return kExitOk;
}

int CmdShow(const Common& c, const std::string& id) {
  auto a = OpenService(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto d = (*a)->Describe(id);
  if (!d.ok()) return Fail(c, d.status());
  json j;
  if (d->record_file) {
    j = ToJson(*d->record_file);
    j["documents"] = d->documents;
  } else if (d->document) {
    j = ToJson(*d->document);
    j["components"] = d->components;
  } else if (d->component) {
    j = ToJson(*d->component);
    j["blob_present"] = d->blob_present;
  } else {
    j = {{"kind", "blob"},
         {"sha256", d->blob->ToHex()},
         {"present", d->blob_present},
         {"components", d->components}};
    if (d->blob_size) j["size"] = *d->blob_size;
  }
  if (!d->blob) {
    json events = json::array();
    for (const auto& e : d->events) events.push_back(ToJson(e));
    j["events"] = events;
    // Retention (a record file) and the holds in force (issue 20).
    if (d->record_file) {
      if (d->retention) {
        const model::FileRetention& r = *d->retention;
        json ret = {{"period", r.facts.period.ToString()},
                    {"work_ended", r.facts.work_ended.ToString()},
                    {"stage", std::string(model::RetentionStageName(r.stage))}};
        if (!r.schedule_id.empty()) ret["schedule"] = r.ScheduleRef();
        j["retention"] = ret;
      } else {
        j["retention"] = nullptr;
      }
    }
    json holds = json::array();
    for (const model::Hold& h : d->holds) {
      holds.push_back({{"id", h.id}, {"name", h.name}, {"authority", h.authority}, {"reason", h.reason}});
    }
    j["holds"] = holds;
  }
  Print(c, j, DumpJson(j));
  return kExitOk;
}

int CmdStats(const Common& c) {
  auto a = OpenService(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto st = (*a)->GetStats();
  if (!st.ok()) return Fail(c, st.status());
  const archive::TableCounts& n = st->counts;
  json j = {{"agencies", n.agencies},         {"record_files", n.record_files},
            {"documents", n.documents},       {"components", n.components},
            {"events", n.events},             {"audit_entries", n.audit_entries},
            {"outbox", n.outbox},             {"schema_version", st->schema_version},
            {"map_size", st->map_size}};
  Print(c, j, DumpJson(j));
  return kExitOk;
}

int CmdFixity(const Common& c, const FixityArgs& args) {
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  archive::FixityOptions o;
  o.all = args.sample == 0 || args.all;
  o.sample = args.sample;
  o.repair = args.repair;
  o.replica_dir = args.replica;
  o.record_events = !args.no_events;
  o.agent = c.actor + " (fixity)";
  Progress progress(c, Tr(Msg::kProgressFixity), Tr(Msg::kUnitBlobs));
  if (progress.enabled()) o.progress = progress.Callback();
  auto report = (*a)->Fixity(o);
  if (!report.ok()) return Fail(c, report.status());
  json failures = json::array();
  std::string text = Tr(Msg::kFixityChecked, {std::to_string(report->checked), std::to_string(report->components),
                                              std::to_string(report->bytes)}) +
                     "\n";
  for (const auto& f : report->failures) {
    json fj = {{"sha256", f.sha256},   {"problem", f.problem},   {"detail", f.detail},
               {"components", f.components}, {"repaired", f.repaired}};
    if (!f.repair_detail.empty()) fj["repair_error"] = f.repair_detail;
    failures.push_back(fj);
    text += f.problem + " " + f.sha256 + (f.repaired ? Tr(Msg::kFixityRepaired) : "") + ": " + f.detail + "\n";
    if (!f.repair_detail.empty()) text += Tr(Msg::kFixityRepairFailed, {f.repair_detail}) + "\n";
  }
  json j = {{"checked", report->checked},
            {"components", report->components},
            {"bytes", report->bytes},
            {"failures", failures}};
  Print(c, j, text);
  return report->AllGood() ? kExitOk : kExitCheckFailed;
}

int CmdAuditVerify(const Common& c) {
  auto a = OpenService(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto report = (*a)->VerifyAudit();
  if (!report.ok()) return Fail(c, report.status());
  auto state = (*a)->VerifyState();
  if (!state.ok()) return Fail(c, state.status());
  const bool ok = report->ok && state->ok();
  json j = {{"entries", report->entries}, {"ok", ok}, {"chain_ok", report->ok}};
  std::string text;
  if (report->ok) {
    text = Tr(Msg::kAuditChainIntact, {std::to_string(report->entries)});
  } else {
    j["first_bad"] = report->first_bad;
    j["problem"] = report->problem;
    text = Tr(Msg::kAuditChainBroken,
              {std::to_string(report->entries), std::to_string(report->first_bad), report->problem});
  }
  // The records themselves, each against the history the chain holds.
  json problems = json::array();
  for (const archive::StateProblem& p : state->problems) {
    problems.push_back({{"table", p.table}, {"key", p.key}, {"entry", p.entry}, {"problem", p.problem}});
  }
  j["state"] = {{"rows", state->rows}, {"ok", state->ok()}, {"problem_count", state->problem_count},
                {"problems", problems}};
  text += "\n";
  if (state->ok()) {
    text += Tr(Msg::kAuditStateAllAsRecorded, {std::to_string(state->rows)});
  } else {
    text += Tr(Msg::kAuditStateDiffer, {std::to_string(state->rows), std::to_string(state->problem_count)});
    for (const archive::StateProblem& p : state->problems) {
      text += "\n  " + p.table + " " + p.key + ": " + p.problem;
    }
    if (state->problem_count > state->problems.size()) {
      text += "\n  " + Tr(Msg::kAndMore, {std::to_string(state->problem_count - state->problems.size())});
    }
  }
  // The anchors: no entry before one was changed, added or removed.
  auto anchors = (*a)->VerifyAnchors();
  if (!anchors.ok()) return Fail(c, anchors.status());
  json list = json::array();
  for (const ingest::AnchorCheck& k : anchors->anchors) {
    list.push_back({{"tree_size", k.tree_size},
                    {"time", FormatTimestamp(k.time * 1000000)},
                    {"reason", k.reason},
                    {"ok", k.ok()},
                    {"root_ok", k.root_ok},
                    {"seal_ok", k.seal_ok},
                    {"sealed_by", k.sealed_by},
                    {"timestamped", k.timestamped},
                    {"timestamp_ok", k.timestamp_ok},
                    {"timestamp_time", k.timestamped ? json(FormatTimestamp(k.timestamp_time * 1000000)) : json(nullptr)},
                    {"tsa", k.tsa},
                    {"problems", k.problems}});
  }
  j["anchors"] = {{"count", anchors->anchors.size()}, {"ok", anchors->ok()},
                  {"proven_entries", anchors->proven_size}, {"list", list}};
  if (anchors->anchors.empty()) {
    text += "\n" + Tr(Msg::kAnchorNoneInVerify);
  } else {
    text += "\n" + Tr(anchors->ok() ? Msg::kAnchorsHold : Msg::kAnchorsFail,
                      {std::to_string(anchors->anchors.size()), std::to_string(anchors->proven_size)});
    for (const ingest::AnchorCheck& k : anchors->anchors) {
      for (const std::string& p : k.problems) text += "\n  " + Tr(Msg::kAnchorProblem, {std::to_string(k.tree_size), p});
    }
  }
  const bool all_ok = ok && anchors->ok();
  j["ok"] = all_ok;
  Print(c, j, text);
  return all_ok ? kExitOk : kExitCheckFailed;
}

int CmdVerify(const Common& c, const std::string& id) {
  auto a = OpenService(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto v = (*a)->VerifyRecord(id);
  if (!v.ok()) return Fail(c, v.status());
  json checks = json::array();
  std::string text;
  for (const ingest::RecordCheck& k : v->checks) {
    checks.push_back({{"what", k.what}, {"object", k.object}, {"ok", k.ok}, {"detail", k.detail}});
    if (!k.ok) text += "  " + k.what + " " + k.object + ": " + k.detail + "\n";
  }
  json j = {{"id", v->id},          {"kind", v->kind},     {"ok", v->ok()},   {"rows", v->rows},
            {"events", v->events},  {"blobs", v->blobs},   {"bytes", v->bytes}, {"replica", v->replica},
            {"checks", checks}};
  std::string head = Tr(Msg::kVerifyHead, {v->kind, v->id, std::to_string(v->rows), std::to_string(v->events),
                                           std::to_string(v->blobs),
                                           Tr(v->replica ? Msg::kVerifyReplica : Msg::kVerifyNoReplica)});
  Print(c, j, head + (v->ok() ? Tr(Msg::kVerifyAllAsRecorded) : Tr(Msg::kVerifyDifferences) + "\n" + text));
  return v->ok() ? kExitOk : kExitCheckFailed;
}

int CmdAuditLog(const Common& c, uint64_t limit) {
  auto a = OpenService(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto all = (*a)->AuditLog(limit);
  if (!all.ok()) return Fail(c, all.status());
  json arr = json::array();
  std::string text;
  for (const auto& e : *all) {
    arr.push_back(ToJson(e));
    text += std::to_string(e.seq) + " " + FormatTimestamp(e.time_micros) + " " + e.actor + " " +
            e.action + " " + e.object + (e.detail.empty() ? "" : " — " + e.detail) + "\n";
  }
  Print(c, arr, text);
  return kExitOk;
}

namespace {
json CopyJson(const archive::CopyReport& r) {
  return {{"dir", r.dir},
          {"blobs_total", r.blobs_total},
          {"blobs_copied", r.blobs_copied},
          {"bytes_copied", r.bytes_copied},
          {"catalog_bytes", r.catalog_bytes},
          {"audit_entries", r.audit_entries}};
}
std::string CopyText(Msg what, const archive::CopyReport& r) {
  return Tr(Msg::kCopyDone, {Tr(what), r.dir, std::to_string(r.blobs_copied), std::to_string(r.blobs_total),
                             std::to_string(r.bytes_copied), std::to_string(r.catalog_bytes)});
}
}  // namespace

int CmdBackup(const Common& c, const std::string& dir) {
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  Progress progress(c, Tr(Msg::kProgressBackup), Tr(Msg::kUnitBlobs));
  archive::CopyOptions options;
  if (progress.enabled()) options.progress = progress.Callback();
  auto r = (*a)->Backup(dir, options);
  if (!r.ok()) return Fail(c, r.status());
  json j = CopyJson(r->copy);
  std::string text = CopyText(Msg::kCopyBackup, r->copy);
  if (r->anchor) {
    j["anchor"] = AnchorJson(*r->anchor);
    text += "\n" + AnchorText(*r->anchor);
  } else {
    j["anchor"] = nullptr;
    j["anchor_problem"] = r->anchor_problem;
    text += "\n" + Tr(Msg::kBackupNotAnchored, {r->anchor_problem});
  }
  Print(c, j, text);
  return kExitOk;
}

int CmdBackupVerify(const Common& c, const std::string& dir) {
  auto r = Service::VerifyBackup(dir);
  if (!r.ok()) return Fail(c, r.status());
  json j = {{"files", r->files}, {"ok", r->ok()}, {"problems", r->problems}};
  std::string text = Tr(Msg::kBackupFilesChecked, {std::to_string(r->files)});
  for (const auto& p : r->problems) text += "\n" + p;
  Print(c, j, text);
  return r->ok() ? kExitOk : kExitCheckFailed;
}

int CmdRestore(const Common& c, const std::string& backup_dir) {
  Progress progress(c, Tr(Msg::kProgressRestore), Tr(Msg::kUnitBlobs));
  archive::CopyOptions options;
  if (progress.enabled()) options.progress = progress.Callback();
  auto r = Service::Restore(backup_dir, ingest::DataDir(c.data), c.actor, options);
  if (!r.ok()) return Fail(c, r.status());
  Print(c, CopyJson(*r), CopyText(Msg::kCopyRestored, *r));
  return kExitOk;
}

int CmdReplicaSync(const Common& c, const std::string& dir) {
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  Progress progress(c, Tr(Msg::kProgressReplica), Tr(Msg::kUnitBlobs));
  archive::CopyOptions options;
  if (progress.enabled()) options.progress = progress.Callback();
  auto r = (*a)->SyncReplica(dir, options);
  if (!r.ok()) return Fail(c, r.status());
  Print(c, CopyJson(*r), CopyText(Msg::kCopyReplica, *r));
  return kExitOk;
}

int CmdGc(const Common& c, const GcArgs& args) {
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  archive::GcOptions o;
  o.dry_run = args.dry_run;
  o.min_age_seconds = args.min_age_seconds;
  o.agent = c.actor + " (gc)";
  auto r = (*a)->CollectGarbage(o);
  if (!r.ok()) return Fail(c, r.status());
  json j = {{"scanned", r->scanned},       {"referenced", r->referenced},
            {"kept_young", r->kept_young}, {"removed", r->removed},
            {"bytes_removed", r->bytes_removed}, {"dry_run", args.dry_run}};
  std::string text = Tr(args.dry_run ? Msg::kGcWouldRemove : Msg::kGcRemoved,
                       {std::to_string(r->removed.size()), std::to_string(r->scanned),
                        std::to_string(r->bytes_removed)});
  Print(c, j, text);
  return kExitOk;
}

int CmdPut(const Common& c, const PutArgs& p) {
  Status date = CheckDateOption("--issued", p.issued_date);
  if (!date.ok()) return Fail(c, date);
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  auto code = model::FileCode::Parse(p.file_code);
  if (!code.ok()) return Fail(c, code.status());
  ingest::StoreRequest req;
  req.file = p.file;
  req.file_code = *code;
  req.title = p.title;
  req.document.type_name = p.type_name;
  req.document.code_number = p.number;
  req.document.code_notation = p.notation;
  req.document.issued_date = p.issued_date;
  req.document.organ_name = p.organ_name;
  req.document.subject = p.subject;
  if (p.max_bytes > 0) req.max_bytes = p.max_bytes;
  auto r = (*a)->Store(req);
  if (!r.ok()) return Fail(c, r.status());
  Print(c, {{"document", r->document_id}, {"record_file", r->record_file}, {"sha256", r->sha256.ToHex()}},
        Tr(Msg::kPutStored, {r->document_id, r->sha256.ToHex()}));
  return kExitOk;
}

}  // namespace kholuu::cli
