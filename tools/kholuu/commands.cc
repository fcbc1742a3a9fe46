#include "tools/kholuu/commands.h"

#include <cctype>
#include <cstdio>
#include <iostream>

#include "archive/archive.h"
#include "archive/base/clock.h"
#include "archive/base/log.h"
#include "archive/ops/copies.h"
#include "archive/ops/fixity.h"
#include "tools/kholuu/json_out.h"

namespace kholuu::cli {

using archive::Archive;
using nlohmann::json;

namespace {

void Print(const Common& c, const json& j, const std::string& text) {
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << text;
    if (!text.empty() && text.back() != '\n') std::cout << "\n";
  }
  std::cout.flush();
}

Result<std::unique_ptr<Archive>> OpenArchive(const Common& c, bool read_only = false) {
  archive::ArchiveOptions o;
  o.read_only = read_only;
  return Archive::Open(c.data, o);
}

}  // namespace

int Fail(const Common& c, const Status& s) {
  if (c.json) {
    std::cout << DumpJson(ErrorJson(s)) << "\n";
  }
  std::cerr << "kholuu: " << s.message() << "\n";
  return ExitCodeFor(s);
}

int CmdInit(const Common& c) {
  Result<std::unique_ptr<Archive>> a = Archive::Init(c.data);
  if (!a.ok()) return Fail(c, a.status());
  Print(c, {{"data", c.data}}, "created an empty archive in " + c.data);
  return kExitOk;
}

int CmdShow(const Common& c, const std::string& id) {
  auto a = OpenArchive(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto r = (*a)->catalog().BeginRead();
  if (!r.ok()) return Fail(c, r.status());
  auto events_json = [&](const std::string& object) -> Result<json> {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<model::Event> evs, r->EventsFor(object));
    json arr = json::array();
    for (const auto& e : evs) arr.push_back(ToJson(e));
    return arr;
  };
  auto with_events = [&](json j, const std::string& object) -> int {
    Result<json> ev = events_json(object);
    if (!ev.ok()) return Fail(c, ev.status());
    j["events"] = *ev;
    Print(c, j, DumpJson(j));
    return kExitOk;
  };
  if (auto rf = r->GetRecordFile(id); rf.ok()) {
    json j = ToJson(*rf);
    auto docs = r->DocumentsInFile(id);
    if (!docs.ok()) return Fail(c, docs.status());
    j["documents"] = *docs;
    return with_events(j, id);
  } else if (rf.status().code() != StatusCode::kNotFound) {
    return Fail(c, rf.status());
  }
  if (auto d = r->GetDocument(id); d.ok()) {
    json j = ToJson(*d);
    auto comps = r->ComponentsOfDocument(id);
    if (!comps.ok()) return Fail(c, comps.status());
    j["components"] = *comps;
    return with_events(j, id);
  } else if (d.status().code() != StatusCode::kNotFound) {
    return Fail(c, d.status());
  }
  if (auto comp = r->GetComponent(id); comp.ok()) {
    json j = ToJson(*comp);
    j["blob_present"] = (*a)->blobs().Contains(comp->sha256);
    return with_events(j, id);
  } else if (comp.status().code() != StatusCode::kNotFound) {
    return Fail(c, comp.status());
  }
  if (auto digest = Sha256::FromHex(id); digest.ok()) {
    auto comps = r->ComponentsBySha256(*digest);
    if (!comps.ok()) return Fail(c, comps.status());
    json j = {{"kind", "blob"},
              {"sha256", digest->ToHex()},
              {"present", (*a)->blobs().Contains(*digest)},
              {"components", *comps}};
    if (auto size = (*a)->blobs().Size(*digest); size.ok()) j["size"] = *size;
    Print(c, j, DumpJson(j));
    return kExitOk;
  }
  return Fail(c, NotFoundError("nothing in the archive has the id '" + id + "'"));
}

int CmdStats(const Common& c) {
  auto a = OpenArchive(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto r = (*a)->catalog().BeginRead();
  if (!r.ok()) return Fail(c, r.status());
  auto counts = r->Counts();
  if (!counts.ok()) return Fail(c, counts.status());
  json j = {{"agencies", counts->agencies},         {"record_files", counts->record_files},
            {"documents", counts->documents},       {"components", counts->components},
            {"events", counts->events},             {"audit_entries", counts->audit_entries},
            {"outbox", counts->outbox},             {"schema_version", (*a)->catalog().schema_version()},
            {"map_size", (*a)->catalog().map_size()}};
  Print(c, j, DumpJson(j));
  return kExitOk;
}

int CmdFixity(const Common& c, const FixityArgs& args) {
  auto a = OpenArchive(c);
  if (!a.ok()) return Fail(c, a.status());
  archive::FixityOptions o;
  o.all = args.sample == 0 || args.all;
  o.sample = args.sample;
  o.repair = args.repair;
  o.replica_dir = args.replica;
  o.record_events = !args.no_events;
  o.agent = c.actor + " (fixity)";
  if (o.repair && o.replica_dir.empty()) {
    auto r = (*a)->catalog().BeginRead();
    if (!r.ok()) return Fail(c, r.status());
    auto path = r->GetMeta("replica.path");
    if (!path.ok()) {
      return Fail(c, InvalidArgumentError(
                         "--repair needs --replica DIR (no replica has been synced yet)"));
    }
    o.replica_dir = *path;
  }
  auto report = archive::RunFixity(**a, o);
  if (!report.ok()) return Fail(c, report.status());
  json failures = json::array();
  std::string text = "checked " + std::to_string(report->checked) + " blobs (" +
                     std::to_string(report->components) + " components, " +
                     std::to_string(report->bytes) + " bytes)\n";
  for (const auto& f : report->failures) {
    json fj = {{"sha256", f.sha256},   {"problem", f.problem},   {"detail", f.detail},
               {"components", f.components}, {"repaired", f.repaired}};
    if (!f.repair_detail.empty()) fj["repair_error"] = f.repair_detail;
    failures.push_back(fj);
    text += f.problem + " " + f.sha256 + (f.repaired ? " (repaired from replica)" : "") + ": " +
            f.detail + "\n";
    if (!f.repair_detail.empty()) text += "  repair failed: " + f.repair_detail + "\n";
  }
  json j = {{"checked", report->checked},
            {"components", report->components},
            {"bytes", report->bytes},
            {"failures", failures}};
  Print(c, j, text);
  return report->AllGood() ? kExitOk : kExitCheckFailed;
}

int CmdAuditVerify(const Common& c) {
  auto a = OpenArchive(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto r = (*a)->catalog().BeginRead();
  if (!r.ok()) return Fail(c, r.status());
  auto report = r->VerifyAudit();
  if (!report.ok()) return Fail(c, report.status());
  json j = {{"entries", report->entries}, {"ok", report->ok}};
  std::string text = std::to_string(report->entries) + " audit entries, chain ";
  if (report->ok) {
    text += "intact";
  } else {
    j["first_bad"] = report->first_bad;
    j["problem"] = report->problem;
    text += "BROKEN at entry " + std::to_string(report->first_bad) + ": " + report->problem;
  }
  Print(c, j, text);
  return report->ok ? kExitOk : kExitCheckFailed;
}

int CmdAuditLog(const Common& c, uint64_t limit) {
  auto a = OpenArchive(c, /*read_only=*/true);
  if (!a.ok()) return Fail(c, a.status());
  auto r = (*a)->catalog().BeginRead();
  if (!r.ok()) return Fail(c, r.status());
  std::vector<archive::AuditEntry> all;
  Status s = r->ForEachAuditEntry([&](const archive::AuditEntry& e) -> Status {
    all.push_back(e);
    if (limit > 0 && all.size() > limit) all.erase(all.begin());
    return Status::Ok();
  });
  if (!s.ok()) return Fail(c, s);
  json arr = json::array();
  std::string text;
  for (const auto& e : all) {
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
std::string CopyText(const std::string& what, const archive::CopyReport& r) {
  return what + " " + r.dir + ": " + std::to_string(r.blobs_copied) + " of " +
         std::to_string(r.blobs_total) + " blobs copied (" + std::to_string(r.bytes_copied) +
         " bytes), catalog " + std::to_string(r.catalog_bytes) + " bytes, verified";
}
}  // namespace

int CmdBackup(const Common& c, const std::string& dir) {
  auto a = OpenArchive(c);
  if (!a.ok()) return Fail(c, a.status());
  auto r = archive::Backup(**a, dir, c.actor);
  if (!r.ok()) return Fail(c, r.status());
  Print(c, CopyJson(*r), CopyText("backup", *r));
  return kExitOk;
}

int CmdBackupVerify(const Common& c, const std::string& dir) {
  auto r = archive::VerifyBackup(dir);
  if (!r.ok()) return Fail(c, r.status());
  json j = {{"files", r->files}, {"ok", r->ok()}, {"problems", r->problems}};
  std::string text = std::to_string(r->files) + " files checked";
  for (const auto& p : r->problems) text += "\n" + p;
  Print(c, j, text);
  return r->ok() ? kExitOk : kExitCheckFailed;
}

int CmdRestore(const Common& c, const std::string& backup_dir) {
  auto r = archive::Restore(backup_dir, c.data, c.actor);
  if (!r.ok()) return Fail(c, r.status());
  Print(c, CopyJson(*r), CopyText("restored into", *r));
  return kExitOk;
}

int CmdReplicaSync(const Common& c, const std::string& dir) {
  auto a = OpenArchive(c);
  if (!a.ok()) return Fail(c, a.status());
  auto r = archive::SyncReplica(**a, dir, c.actor);
  if (!r.ok()) return Fail(c, r.status());
  Print(c, CopyJson(*r), CopyText("replica", *r));
  return kExitOk;
}

int CmdGc(const Common& c, const GcArgs& args) {
  auto a = OpenArchive(c);
  if (!a.ok()) return Fail(c, a.status());
  archive::GcOptions o;
  o.dry_run = args.dry_run;
  o.min_age_seconds = args.min_age_seconds;
  o.agent = c.actor + " (gc)";
  auto r = archive::CollectGarbage(**a, o);
  if (!r.ok()) return Fail(c, r.status());
  json j = {{"scanned", r->scanned},       {"referenced", r->referenced},
            {"kept_young", r->kept_young}, {"removed", r->removed},
            {"bytes_removed", r->bytes_removed}, {"dry_run", args.dry_run}};
  std::string text = std::string(args.dry_run ? "would remove " : "removed ") +
                     std::to_string(r->removed.size()) + " of " + std::to_string(r->scanned) +
                     " blobs (" + std::to_string(r->bytes_removed) + " bytes)";
  Print(c, j, text);
  return kExitOk;
}

namespace {
// By extension only; format identification proper belongs to formats/.
std::string GuessMediaType(const std::string& name) {
  size_t dot = name.rfind('.');
  std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext == "pdf") return "application/pdf";
  if (ext == "txt") return "text/plain";
  if (ext == "xml") return "application/xml";
  if (ext == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (ext == "doc") return "application/msword";
  if (ext == "tif" || ext == "tiff") return "image/tiff";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  return "application/octet-stream";
}
}  // namespace

int CmdPut(const Common& c, const PutArgs& p) {
  auto a = OpenArchive(c);
  if (!a.ok()) return Fail(c, a.status());
  auto code = model::FileCode::Parse(p.file_code);
  if (!code.ok()) return Fail(c, code.status());
  auto info = (*a)->blobs().PutFile(p.file);
  if (!info.ok()) {
    Status s = info.status();
    if (s.code() == StatusCode::kNotFound) s = InvalidArgumentError(s.message());
    return Fail(c, s);
  }
  std::string doc_id;
  std::string file_key = code->ToString();
  Status s = (*a)->catalog().Update(c.actor, [&](archive::WriteTxn& w) -> Status {
    int64_t now = SystemClock()->NowMicros();
    auto rf = w.GetRecordFile(file_key);
    model::RecordFile file;
    if (rf.ok()) {
      file = *rf;
    } else if (rf.status().code() == StatusCode::kNotFound) {
      file.file_code = *code;
      file.title = p.title.empty() ? p.subject : p.title;
      file.maintenance = "Vĩnh viễn";
      file.language = "Tiếng Việt";
      file.created_micros = now;
    } else {
      return rf.status();
    }
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> docs, w.DocumentsInFile(file_key));
    file.doc_total = static_cast<int32_t>(docs.size() + 1);
    KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(file));
    model::Document d;
    d.file_code = *code;
    d.doc_ordinal = static_cast<int32_t>(docs.size() + 1);
    char ord[8];
    std::snprintf(ord, sizeof ord, "%03d", d.doc_ordinal);
    d.id = file_key + "." + ord;
    d.type_name = p.type_name;
    d.code_number = p.number;
    d.code_notation = p.notation;
    d.issued_date = p.issued_date;
    d.organ_id = code->organ_id;
    d.organ_name = p.organ_name;
    d.subject = p.subject;
    d.language = "Tiếng Việt";
    d.created_micros = now;
    KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
    model::Component comp;
    comp.id = d.id + "/1";
    comp.document_id = d.id;
    comp.role = model::ComponentRole::kOriginal;
    std::string name = p.file;
    if (size_t slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
    comp.name = name;
    comp.sha256 = info->sha256;
    comp.size = info->size;
    comp.media_type = GuessMediaType(name);
    comp.created_micros = now;
    KHOLUU_RETURN_IF_ERROR(w.PutComponent(comp));
    model::Event e;
    e.type = model::EventType::kIngestion;
    e.object_id = d.id;
    e.detail = "stored original " + name + " sha256 " + info->sha256.ToHex();
    KHOLUU_ASSIGN_OR_RETURN(uint64_t seq, w.AddEvent(e));
    (void)seq;
    doc_id = d.id;
    return Status::Ok();
  });
  if (!s.ok()) return Fail(c, s);
  Print(c, {{"document", doc_id}, {"record_file", file_key}, {"sha256", info->sha256.ToHex()}},
        "stored " + doc_id + " (sha256 " + info->sha256.ToHex() + ")");
  return kExitOk;
}

}  // namespace kholuu::cli
