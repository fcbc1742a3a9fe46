#include "ingest/retention.h"

#include <algorithm>

#include "archive/archive.h"
#include "archive/base/clock.h"
#include "archive/catalog/catalog.h"
#include "ingest/internal/events.h"
#include "ingest/internal/retention_at_ingest.h"
#include "ingest/retention_schedule.h"
#include "ingest/service.h"

namespace kholuu::ingest {
namespace {

// A record file's retention before its period is known: the work ended on
// its end date (else the last day of the year it was formed, its file
// catalog); in the current archive since it was received (not before the
// work ended).
model::FileRetention FirstRetention(const model::RecordFile& file, const model::CivilDate& received) {
  model::FileRetention r;
  r.file_code = file.file_code.ToString();
  auto ended = model::CivilDate::Parse(file.end_date);
  r.facts.work_ended = ended.ok() ? *ended : model::CivilDate::EndOfYear(file.file_code.file_catalog);
  r.facts.entered_current = std::max(received, r.facts.work_ended);
  r.stage = model::RetentionStage::kCurrent;
  return r;
}

// The schedule `id` at `version` (empty: the newest version).
Result<const Schedule*> FindSchedule(const std::string& id, const std::string& version) {
  const Schedule* best = nullptr;
  for (const Schedule& s : BuiltinSchedules()) {
    if (s.id != id) continue;
    if (!version.empty() ? s.version == version : (best == nullptr || s.version > best->version)) best = &s;
  }
  if (best == nullptr) {
    return NotFoundError("no retention schedule " + id + (version.empty() ? "" : " version " + version) +
                         " (kholuu retention schedules lists them)");
  }
  return best;
}

}  // namespace

std::optional<model::FileRetention> RetentionFromMetadata(const model::RecordFile& file,
                                                          const model::CivilDate& received, int64_t now_micros,
                                                          std::string* problem) {
  if (file.maintenance.empty()) {
    *problem = "the file's metadata gives no retention period (Thời hạn bảo quản)";
    return std::nullopt;
  }
  auto period = ParseRetention(file.maintenance);
  if (!period.ok()) {
    *problem = period.status().message();
    return std::nullopt;
  }
  model::FileRetention r = FirstRetention(file, received);
  r.facts.period = std::move(*period);
  r.source_text = file.maintenance;
  r.reason = "from the file's metadata at ingest";
  r.assigned_micros = now_micros;
  if (model::Problems p = r.Validate(); !p.empty()) {
    *problem = p.ToStatus("retention").message();
    return std::nullopt;
  }
  return r;
}

namespace internal {

Status AssignRetentionAtIngest(archive::WriteTxn& w, const model::RecordFile& file, int64_t now_micros,
                               const std::string& agent) {
  std::string problem;
  auto r = RetentionFromMetadata(file, model::CivilDate::FromMicros(now_micros), now_micros, &problem);
  if (r) return w.PutRetention(*r);
  return w
      .AddEvent(MakeEvent(model::EventType::kValidation, model::EventOutcome::kWarning, file.file_code.ToString(),
                          "retention not assigned: " + problem + "; assign one with kholuu retention assign", agent))
      .status();
}

}  // namespace internal

Result<model::FileRetention> Service::AssignRetention(const RetentionAssignment& a) {
  const bool from_schedule = !a.schedule_id.empty() || !a.entry_code.empty();
  const bool from_text = !a.period_text.empty();
  if (from_schedule == from_text) {
    return InvalidArgumentError("give either a schedule entry (--schedule ID --entry CODE) or a period (--period TEXT)");
  }
  model::RetentionPeriod period;
  std::string schedule_id, schedule_version, entry_code;
  if (from_schedule) {
    if (a.schedule_id.empty() || a.entry_code.empty()) {
      return InvalidArgumentError("a schedule entry needs both the schedule id and the entry code");
    }
    KHOLUU_ASSIGN_OR_RETURN(const Schedule* s, FindSchedule(a.schedule_id, a.schedule_version));
    const ScheduleEntry* e = s->Find(a.entry_code);
    if (e == nullptr) return NotFoundError("schedule " + s->id + " " + s->version + " has no entry " + a.entry_code);
    period = e->period;
    schedule_id = s->id;
    schedule_version = s->version;
    entry_code = e->code;
  } else {
    KHOLUU_ASSIGN_OR_RETURN(period, ParseRetention(a.period_text));
  }
  model::FileRetention out;
  const int64_t now = SystemClock()->NowMicros();
  KHOLUU_RETURN_IF_ERROR(archive_->catalog().Update(actor_, [&](archive::WriteTxn& w) -> Status {
    auto file = w.GetRecordFile(a.file_code);
    if (!file.ok()) {
      if (file.status().code() == StatusCode::kNotFound) return NotFoundError("no record file " + a.file_code);
      return file.status();
    }
    auto old = w.GetRetention(a.file_code);
    if (!old.ok() && old.status().code() != StatusCode::kNotFound) return old.status();
    if (old.ok()) {
      if (a.reason.empty()) {
        return InvalidArgumentError("record file " + a.file_code + " already has a retention (" +
                                    old->facts.period.ToString() + "); a reassignment needs a reason (--reason)");
      }
      out = *old;
    } else {
      out = FirstRetention(*file, model::CivilDate::FromMicros(file->created_micros));
    }
    out.facts.period = period;
    out.schedule_id = schedule_id;
    out.schedule_version = schedule_version;
    out.entry_code = entry_code;
    out.source_text = from_text ? a.period_text : "";
    out.reason = a.reason.empty() ? "assigned" : a.reason;
    if (a.work_ended) out.facts.work_ended = *a.work_ended;
    if (a.event) out.facts.event = *a.event;
    if (a.settled) out.facts.settled = *a.settled;
    if (a.entered_current) out.facts.entered_current = *a.entered_current;
    if (a.construction) out.facts.construction = *a.construction;
    if (a.other_law) out.facts.historical_under_other_law = *a.other_law;
    if (a.stage) out.stage = *a.stage;
    // An event date belongs to a conditional period only; one left from an
    // earlier conditional period goes with it.
    if (out.facts.period.kind != model::RetentionKind::kConditional && !a.event) out.facts.event.reset();
    out.assigned_micros = now;
    return w.PutRetention(out);
  }));
  return out;
}

Result<std::vector<DueItem>> Service::DueList(const DueQuery& q) const {
  std::vector<model::DueKind> kinds = q.kinds;
  if (kinds.empty()) {
    kinds = {model::DueKind::kTransferCurrent, model::DueKind::kTransferHistorical, model::DueKind::kExpiry,
             model::DueKind::kAwaiting};
  }
  if (q.within_days < 0 || q.within_days > 36500) {
    return InvalidArgumentError("--within must be 0 to 36500 days");
  }
  const model::CivilDate until = model::CivilDate::FromDays(q.as_of.Days() + q.within_days);
  std::vector<DueItem> out;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  for (model::DueKind kind : kinds) {
    KHOLUU_RETURN_IF_ERROR(r.ForEachDue(kind, until, [&](const archive::DueEntry& e) -> Status {
      KHOLUU_ASSIGN_OR_RETURN(model::FileCode code, model::FileCode::Parse(e.file_code));
      if (!q.organ_id.empty() && code.organ_id != q.organ_id) return Status::Ok();
      DueItem item;
      item.kind = e.kind;
      item.date = e.date;
      item.file_code = e.file_code;
      item.organ_id = code.organ_id;
      item.year = code.file_catalog;
      // Expiry: the last day kept, so due for review after it; the other
      // deadlines are overdue once passed.
      item.overdue = e.kind != model::DueKind::kAwaiting && e.date < q.as_of;
      if (auto file = r.GetRecordFile(e.file_code); file.ok()) item.title = file->title;
      KHOLUU_ASSIGN_OR_RETURN(model::FileRetention ret, r.GetRetention(e.file_code));
      item.period = ret.facts.period;
      item.schedule = ret.ScheduleRef();
      out.push_back(std::move(item));
      return Status::Ok();
    }));
  }
  return out;
}

Result<std::vector<std::string>> Service::FilesWithoutRetention() const {
  std::vector<std::string> out;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  KHOLUU_RETURN_IF_ERROR(r.ForEachRecordFile([&](const model::RecordFile& f) -> Status {
    const std::string key = f.file_code.ToString();
    auto ret = r.GetRetention(key);
    if (ret.ok()) return Status::Ok();
    if (ret.status().code() != StatusCode::kNotFound) return ret.status();
    out.push_back(key);
    return Status::Ok();
  }));
  return out;
}

Result<model::Hold> Service::PlaceHold(model::Hold hold) {
  KHOLUU_RETURN_IF_ERROR(
      archive_->catalog().Update(actor_, [&](archive::WriteTxn& w) { return w.PlaceHold(&hold); }));
  return hold;
}

Result<model::Hold> Service::ReleaseHold(const std::string& id, const std::string& reason) {
  if (reason.empty()) return InvalidArgumentError("releasing a hold needs a reason (--reason)");
  model::Hold out;
  KHOLUU_RETURN_IF_ERROR(archive_->catalog().Update(actor_, [&](archive::WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.ReleaseHold(id, reason));
    KHOLUU_ASSIGN_OR_RETURN(out, w.GetHold(id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<model::Hold>> Service::Holds() const {
  std::vector<model::Hold> out;
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  KHOLUU_RETURN_IF_ERROR(r.ForEachHold([&](const model::Hold& h) -> Status {
    out.push_back(h);
    return Status::Ok();
  }));
  std::stable_partition(out.begin(), out.end(), [](const model::Hold& h) { return h.in_force(); });
  return out;
}

Result<model::RetentionRules> Service::RetentionRules() const {
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive_->catalog().BeginRead());
  return r.GetRetentionRules();
}

Status Service::SetRetentionRules(const model::RetentionRules& rules) {
  return archive_->catalog().Update(actor_, [&](archive::WriteTxn& w) { return w.SetRetentionRules(rules); });
}

}  // namespace kholuu::ingest
