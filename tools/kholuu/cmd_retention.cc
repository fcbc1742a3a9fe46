// kholuu retention schedules [ID [--version V]]
// kholuu retention assign FILE_CODE (--schedule ID [--version V] --entry CODE | --period TEXT)
//                         [--reason R] [--work-ended D] [--event D] [--settled D] [--construction]
//                         [--other-law] [--stage with_unit|current|transferred|destroyed]
// kholuu retention due [--as-of D] [--within DAYS] [--kind K]... [--agency ID] [--csv]
// kholuu retention unassigned
// kholuu retention hold add OBJECT... --name N --reason R --authority A [--query Q]
// kholuu retention hold release HOLD_ID --reason R
// kholuu retention hold list
//
// Retention (issue 20; ingest/retention.h, docs/retention.md). `schedules`
// lists the schedules kholuu ships, or one schedule's entries. `assign`
// (re)assigns a record file's retention (a reassignment needs --reason;
// audited). `due` lists what falls due up to --as-of (default today) plus
// --within days, from the catalog's due index: transfers to the current and
// the historical archive, expiries (destruction review), and files awaiting
// a settlement or event date; --csv writes the same rows as CSV (UTF-8).
// `unassigned` lists record files without a retention. JSON:
//   schedules: [{"schedule","version","title","authority","basis","effective_from","entries","confirmed"}]
//     or, with ID, the schedule (docs/formats/retention-schedule.md);
//   assign: {"file_code","retention","kind","years","condition","schedule"?,"work_ended",
//            "stage","due": {"transfer_current"?,"transfer_historical"?,"expires"?,"awaiting"?}};
//   due: {"as_of","until","items":[{"kind","date","overdue","file_code","organ_id","year","title",
//         "retention","schedule"?}], "counts": {kind: n}};
//   unassigned: {"files": [...]};
//   hold add / release: the hold {"id","name","reason","authority","objects","query"?,"placed","placed_by",
//     "in_force","released"?,"released_by"?,"release_reason"?}; hold list: an array of them.
// A hold in force refuses, on every path, deleting, altering or moving out
// what it covers (a record file and its documents, a document and its
// components): exit 2 naming the hold.
// Exit: 0; 2 usage, unknown file/schedule/entry, unreadable period; 3 internal.
#include <iostream>
#include <map>
#include <sstream>

#include "archive/base/clock.h"
#include "ingest/retention_schedule.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

using nlohmann::json;

struct RetentionArgs {
  std::string schedule_id, version;  // schedules ID, assign --schedule / --version
  std::string file_code, entry, period, reason, work_ended, event, settled, stage;
  bool construction = false, other_law = false;
  std::string as_of, agency, within;
  std::vector<std::string> kinds;
  bool csv = false;
  // hold
  std::vector<std::string> objects;
  std::string hold_id, name, authority, query;
};

Result<model::CivilDate> DateArg(const char* flag, const std::string& text) {
  auto d = model::CivilDate::Parse(text);
  if (!d.ok()) return InvalidArgumentError(std::string(flag) + ": " + d.status().message());
  return d;
}

model::CivilDate Today() { return model::CivilDate::FromMicros(SystemClock()->NowMicros()); }

json DueDatesJson(const model::FileRetention& r, const model::RetentionRules& rules) {
  const model::DueDates d = model::ComputeDueDates(r.facts, rules);
  json j = json::object();
  if (d.transfer_current) j["transfer_current"] = d.transfer_current->ToString();
  if (d.transfer_historical) j["transfer_historical"] = d.transfer_historical->ToString();
  if (d.expires) j["expires"] = d.expires->ToString();
  if (d.awaiting_event) j["awaiting"] = "event";
  if (d.awaiting_settlement) j["awaiting"] = "settlement";
  return j;
}

int CmdSchedules(const Common& c, const RetentionArgs& a) {
  const std::vector<ingest::Schedule>& all = ingest::BuiltinSchedules();
  if (!a.schedule_id.empty()) {
    for (const ingest::Schedule& s : all) {
      if (s.id != a.schedule_id || (!a.version.empty() && s.version != a.version)) continue;
      if (c.json) {
        std::cout << ingest::ScheduleToJson(s) << "\n";
        return kExitOk;
      }
      std::string text = s.id + " " + s.version + ": " + s.title + "\n";
      for (const ingest::ScheduleEntry& e : s.entries) {
        text += "  " + e.code + "  " + e.period.ToString() + "  " + e.title + (e.confirmed ? "" : "  [?]") + "\n";
      }
      Print(c, json(), text);
      return kExitOk;
    }
    return Fail(c, NotFoundError("no retention schedule " + a.schedule_id));
  }
  json arr = json::array();
  std::string text;
  for (const ingest::Schedule& s : all) {
    size_t confirmed = 0;
    for (const ingest::ScheduleEntry& e : s.entries) confirmed += e.confirmed ? 1 : 0;
    arr.push_back({{"schedule", s.id},
                   {"version", s.version},
                   {"title", s.title},
                   {"authority", s.authority},
                   {"basis", s.basis},
                   {"effective_from", s.effective_from ? json(s.effective_from->ToString()) : json(nullptr)},
                   {"entries", s.entries.size()},
                   {"confirmed", confirmed}});
    text += s.id + " " + s.version + "  " + std::to_string(s.entries.size()) + " entries (" +
            std::to_string(confirmed) + " confirmed)  " + s.title + "\n";
  }
  Print(c, arr, text);
  return kExitOk;
}

int CmdAssign(const Common& c, const RetentionArgs& a) {
  ingest::RetentionAssignment r;
  r.file_code = a.file_code;
  r.schedule_id = a.schedule_id;
  r.schedule_version = a.version;
  r.entry_code = a.entry;
  r.period_text = a.period;
  r.reason = a.reason;
  auto date = [&](const char* flag, const std::string& text, std::optional<model::CivilDate>* out) -> Status {
    if (text.empty()) return Status::Ok();
    KHOLUU_ASSIGN_OR_RETURN(model::CivilDate d, DateArg(flag, text));
    *out = d;
    return Status::Ok();
  };
  for (Status s : {date("--work-ended", a.work_ended, &r.work_ended), date("--event", a.event, &r.event),
                   date("--settled", a.settled, &r.settled)}) {
    if (!s.ok()) return Fail(c, s);
  }
  if (a.construction) r.construction = true;
  if (a.other_law) r.other_law = true;
  if (!a.stage.empty()) {
    auto stage = model::ParseRetentionStage(a.stage);
    if (!stage.ok()) return Fail(c, stage.status());
    r.stage = *stage;
  }
  auto service = OpenService(c);
  if (!service.ok()) return Fail(c, service.status());
  auto done = (*service)->AssignRetention(r);
  if (!done.ok()) return Fail(c, done.status());
  auto rules = (*service)->RetentionRules();
  if (!rules.ok()) return Fail(c, rules.status());
  const model::FileRetention& f = *done;
  json j = {{"file_code", f.file_code},
            {"retention", f.facts.period.ToString()},
            {"kind", f.facts.period.kind == model::RetentionKind::kPermanent ? "permanent"
                     : f.facts.period.kind == model::RetentionKind::kYears   ? "years"
                                                                              : "conditional"},
            {"years", f.facts.period.years},
            {"condition", f.facts.period.condition},
            {"work_ended", f.facts.work_ended.ToString()},
            {"stage", std::string(model::RetentionStageName(f.stage))},
            {"due", DueDatesJson(f, *rules)}};
  if (!f.schedule_id.empty()) j["schedule"] = f.ScheduleRef();
  Print(c, j, Tr(Msg::kRetentionAssigned, {f.file_code, f.facts.period.ToString()}));
  return kExitOk;
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

int CmdDue(const Common& c, const RetentionArgs& a) {
  ingest::DueQuery q;
  if (a.as_of.empty()) {
    q.as_of = Today();
  } else {
    auto d = DateArg("--as-of", a.as_of);
    if (!d.ok()) return Fail(c, d.status());
    q.as_of = *d;
  }
  if (!a.within.empty()) {
    // "30" or "30d": days.
    std::string digits = a.within;
    if (digits.back() == 'd') digits.pop_back();
    if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
      return Fail(c, InvalidArgumentError("--within takes a number of days, e.g. 30 or 30d, not '" + a.within + "'"));
    }
    q.within_days = std::stoi(digits);
  }
  q.organ_id = a.agency;
  for (const std::string& k : a.kinds) {
    auto kind = model::ParseDueKind(k);
    if (!kind.ok()) return Fail(c, kind.status());
    q.kinds.push_back(*kind);
  }
  auto service = OpenService(c, /*read_only=*/true);
  if (!service.ok()) return Fail(c, service.status());
  auto items = (*service)->DueList(q);
  if (!items.ok()) return Fail(c, items.status());
  const std::string until = model::CivilDate::FromDays(q.as_of.Days() + q.within_days).ToString();
  if (a.csv) {
    std::cout << "kind,date,overdue,file_code,organ_id,year,title,retention,schedule\r\n";
    for (const ingest::DueItem& i : *items) {
      std::cout << model::DueKindName(i.kind) << "," << i.date.ToString() << "," << (i.overdue ? "yes" : "no") << ","
                << CsvCell(i.file_code) << "," << CsvCell(i.organ_id) << "," << i.year << "," << CsvCell(i.title)
                << "," << CsvCell(i.period.ToString()) << "," << CsvCell(i.schedule) << "\r\n";
    }
    return kExitOk;
  }
  json arr = json::array();
  std::map<std::string, size_t> counts;
  std::string text;
  for (const ingest::DueItem& i : *items) {
    const std::string kind(model::DueKindName(i.kind));
    ++counts[kind];
    json one = {{"kind", kind},       {"date", i.date.ToString()}, {"overdue", i.overdue},
                {"file_code", i.file_code}, {"organ_id", i.organ_id}, {"year", i.year},
                {"title", i.title},   {"retention", i.period.ToString()}};
    if (!i.schedule.empty()) one["schedule"] = i.schedule;
    arr.push_back(std::move(one));
    text += kind + "  " + i.date.ToString() + (i.overdue ? " !" : "  ") + " " + i.file_code + "  " +
            i.period.ToString() + "  " + i.title + "\n";
  }
  if (items->empty()) text = Tr(Msg::kRetentionNothingDue, {until}) + "\n";
  Print(c, {{"as_of", q.as_of.ToString()}, {"until", until}, {"items", arr}, {"counts", counts}}, text);
  return kExitOk;
}

json HoldJson(const model::Hold& h) {
  json j = {{"id", h.id},
            {"name", h.name},
            {"reason", h.reason},
            {"authority", h.authority},
            {"objects", h.objects},
            {"placed", FormatTimestamp(h.placed_micros)},
            {"placed_by", h.placed_by},
            {"in_force", h.in_force()}};
  if (!h.query.empty()) j["query"] = h.query;
  if (!h.in_force()) {
    j["released"] = FormatTimestamp(h.released_micros);
    j["released_by"] = h.released_by;
    j["release_reason"] = h.release_reason;
  }
  return j;
}

std::string HoldText(const model::Hold& h) {
  std::string objects;
  for (const std::string& o : h.objects) objects += (objects.empty() ? "" : ", ") + o;
  return h.id + "  " + (h.in_force() ? Tr(Msg::kHoldInForce) : Tr(Msg::kHoldReleased)) + "  " + h.name + " — " +
         h.authority + ": " + h.reason + "\n    " + objects;
}

int CmdHoldAdd(const Common& c, const RetentionArgs& a) {
  model::Hold h;
  h.name = a.name;
  h.reason = a.reason;
  h.authority = a.authority;
  h.objects = a.objects;
  h.query = a.query;
  auto service = OpenService(c);
  if (!service.ok()) return Fail(c, service.status());
  auto placed = (*service)->PlaceHold(std::move(h));
  if (!placed.ok()) return Fail(c, placed.status());
  Print(c, HoldJson(*placed), HoldText(*placed));
  return kExitOk;
}

int CmdHoldRelease(const Common& c, const RetentionArgs& a) {
  auto service = OpenService(c);
  if (!service.ok()) return Fail(c, service.status());
  auto released = (*service)->ReleaseHold(a.hold_id, a.reason);
  if (!released.ok()) return Fail(c, released.status());
  Print(c, HoldJson(*released), HoldText(*released));
  return kExitOk;
}

int CmdHoldList(const Common& c) {
  auto service = OpenService(c, /*read_only=*/true);
  if (!service.ok()) return Fail(c, service.status());
  auto holds = (*service)->Holds();
  if (!holds.ok()) return Fail(c, holds.status());
  json arr = json::array();
  std::string text;
  for (const model::Hold& h : *holds) {
    arr.push_back(HoldJson(h));
    text += HoldText(h) + "\n";
  }
  if (holds->empty()) text = Tr(Msg::kHoldNone) + "\n";
  Print(c, arr, text);
  return kExitOk;
}

int CmdUnassigned(const Common& c) {
  auto service = OpenService(c, /*read_only=*/true);
  if (!service.ok()) return Fail(c, service.status());
  auto files = (*service)->FilesWithoutRetention();
  if (!files.ok()) return Fail(c, files.status());
  std::string text;
  for (const std::string& f : *files) text += f + "\n";
  Print(c, {{"files", *files}}, text);
  return kExitOk;
}

}  // namespace

void RegisterRetentionCommands(CLI::App& app, const Registry& reg) {
  static RetentionArgs storage;  // lives as long as the CLI app
  RetentionArgs* args = &storage;
  Registry r = reg;
  CLI::App* ret = app.add_subcommand("retention", "retention: schedules, assignment, due lists (thời hạn bảo quản)");
  ret->require_subcommand(1);

  CLI::App* sch = ret->add_subcommand("schedules", "the retention schedules kholuu ships, or one schedule's entries");
  reg.AddCommon(sch);
  sch->add_option("ID", args->schedule_id, "a schedule's id: list its entries");
  sch->add_option("--version", args->version, "the schedule's version (default: every version)");
  sch->callback([args, r] { *r.rc = CmdSchedules(*r.common, *args); });

  CLI::App* as = ret->add_subcommand("assign", "assign or reassign a record file's retention (audited)");
  reg.AddCommon(as);
  as->add_option("FILE_CODE", args->file_code, "the record file")->required();
  as->add_option("--schedule", args->schedule_id, "a schedule id (with --entry)");
  as->add_option("--version", args->version, "the schedule's version (default: the newest)");
  as->add_option("--entry", args->entry, "the schedule entry's code");
  as->add_option("--period", args->period, "a period: \"Vĩnh viễn\", \"10 năm\", \"Đến khi …\"");
  as->add_option("--reason", args->reason, "why (required to change an existing retention)");
  as->add_option("--work-ended", args->work_ended, "YYYY-MM-DD the work ended (default: the file's end date)");
  as->add_option("--event", args->event, "YYYY-MM-DD the event of a conditional period happened");
  as->add_option("--settled", args->settled, "YYYY-MM-DD a construction file's final settlement");
  as->add_flag("--construction", args->construction, "a construction (xây dựng cơ bản) file");
  as->add_flag("--other-law", args->other_law, "another law sets the historical transfer (30 years)");
  as->add_option("--stage", args->stage, "with_unit, current, transferred or destroyed");
  as->callback([args, r] { *r.rc = CmdAssign(*r.common, *args); });

  CLI::App* due = ret->add_subcommand("due", "what falls due: transfers, expiries, files awaiting a date");
  reg.AddCommon(due);
  due->add_option("--as-of", args->as_of, "YYYY-MM-DD (default: today)");
  due->add_option("--within", args->within, "also what falls due this many days later: 30 or 30d (default 0)");
  due->add_option("--kind", args->kinds, "transfer_current, transfer_historical, expiry or awaiting (repeatable)");
  due->add_option("--agency", args->agency, "one agency's files (mã định danh)");
  due->add_flag("--csv", args->csv, "CSV on standard output instead of text or JSON");
  due->callback([args, r] { *r.rc = CmdDue(*r.common, *args); });

  CLI::App* hold = ret->add_subcommand("hold", "holds: what may not be destroyed, altered or moved out");
  hold->require_subcommand(1);
  CLI::App* ha = hold->add_subcommand("add", "place a hold on record files and documents (audited)");
  reg.AddCommon(ha);
  ha->add_option("OBJECT", args->objects, "record file codes and document ids")->required();
  ha->add_option("--name", args->name, "a short name")->required();
  ha->add_option("--reason", args->reason, "why")->required();
  ha->add_option("--authority", args->authority, "who ordered it (decision, body)")->required();
  ha->add_option("--query", args->query, "the saved search the objects were found by");
  ha->callback([args, r] { *r.rc = CmdHoldAdd(*r.common, *args); });
  CLI::App* hr = hold->add_subcommand("release", "release a hold (audited)");
  reg.AddCommon(hr);
  hr->add_option("HOLD_ID", args->hold_id, "the hold")->required();
  hr->add_option("--reason", args->reason, "why it ends")->required();
  hr->callback([args, r] { *r.rc = CmdHoldRelease(*r.common, *args); });
  CLI::App* hl = hold->add_subcommand("list", "every hold, in force first");
  reg.AddCommon(hl);
  hl->callback([r] { *r.rc = CmdHoldList(*r.common); });

  CLI::App* un = ret->add_subcommand("unassigned", "record files without a retention");
  reg.AddCommon(un);
  un->callback([r] { *r.rc = CmdUnassigned(*r.common); });
}

}  // namespace kholuu::cli
