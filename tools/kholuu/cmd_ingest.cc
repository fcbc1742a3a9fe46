// kholuu ingest PATH... [--workers N] [--organ-id ID] [--no-preserve] [--no-ocr]
//                       [--trust-store DIR] [--reply-dir DIR] [--allow-unsigned-edxml]
//                       [--archive-organ-id ID] [--archive-organ-name NAME]
// kholuu ingest --watch DIR [--settle S] [...]
// kholuu jobs [--state STATE] [--limit N]
//
// Ingests packages through ingest/pipeline.h and prints one receipt per
// package (spec/architecture.md §5.2): {"package", "status": "accepted" |
// "rejected" | "duplicate", "record_file"?, "documents": [...], "problems":
// [{"code", "severity", "message", "message_vi", "path"?}], ...}. With
// --reply-dir, the edXML Status reply of each edXML package is written there
// as <job>.status.edxml. Exit: 0 every package accepted or already accepted,
// 1 some package refused, 2 a path that does not exist or a usage error, 3
// an internal error.
//
// --watch DIR is a drop folder for agency systems (docs/ingest.md "Drop
// folder"): a package (file or directory) in DIR is taken once it is
// complete — a marker "<name>.ready" exists beside it, or its size and
// modification times have not changed for --settle seconds — ingested, and
// moved with its receipt (<name>.receipt.json) into DIR/.kholuu/accepted,
// /rejected or /duplicate. Runs until SIGINT or SIGTERM.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "archive/base/clock.h"
#include "archive/base/file.h"
#include "ingest/pipeline.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/progress.h"

namespace kholuu::cli {
namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  size_t workers = 1;
  std::string organ_id;
  std::string archive_organ_id, archive_organ_name;
  bool no_preserve = false;
  bool no_ocr = false;
  std::string trust_store;
  std::string reply_dir;
  bool allow_unsigned = false;
  std::string watch;
  double settle = 5;
  double timeout = 0;              // seconds per converter run / OCR page; 0: the tools' defaults
  uint64_t max_package_bytes = 0;  // 0: the default (IntakeOptions)
  // jobs
  std::string state;
  size_t limit = 50;
};

nlohmann::json ProblemJson(const ingest::Problem& p) {
  nlohmann::json j = {{"code", p.code},
                      {"severity", p.severity == ingest::Severity::kError ? "error" : "warning"},
                      {"message", p.message_en},
                      {"message_vi", p.message_vi}};
  if (!p.path.empty()) j["path"] = p.path;
  return j;
}

nlohmann::json ReceiptJson(const ingest::Receipt& r) {
  nlohmann::json docs = nlohmann::json::array();
  for (const auto& d : r.documents) {
    nlohmann::json j = {{"id", d.id}, {"action", d.action}, {"components", d.components}};
    if (!d.previous.empty() && d.previous != d.id) j["previous"] = d.previous;
    if (!d.code.empty()) j["code"] = d.code;
    if (!d.subject.empty()) j["subject"] = d.subject;
    if (!d.preservation.empty()) j["preservation"] = d.preservation;
    if (!d.risk.empty()) j["risk"] = d.risk;
    docs.push_back(std::move(j));
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : r.problems) problems.push_back(ProblemJson(p));
  nlohmann::json j = {{"package", r.package},
                      {"job", r.job},
                      {"kind", std::string(ingest::PackageKindName(r.kind))},
                      {"status", std::string(ingest::ReceiptStatusName(r.status))},
                      {"documents", docs},
                      {"problems", problems},
                      {"detail", r.detail},
                      {"received", FormatTimestamp(r.received_micros)},
                      {"finished", r.finished_micros > 0 ? FormatTimestamp(r.finished_micros) : ""}};
  if (!r.record_file.empty()) j["record_file"] = r.record_file;
  if (!r.edxml_status_code.empty()) j["edxml_status_code"] = r.edxml_status_code;
  return j;
}

// The receipt for a person, in the CLI's language: the outcome, each
// document with what was done to it, each problem with its code and its
// message in that language (the JSON keeps both languages and the codes).
void PrintReceiptText(const ingest::Receipt& r) {
  size_t errors = 0;
  for (const auto& p : r.problems) errors += p.severity == ingest::Severity::kError ? 1 : 0;
  const std::string n = std::to_string(r.documents.size());
  std::string outcome;
  switch (r.status) {
    case ingest::ReceiptStatus::kAccepted: outcome = Tr(Msg::kIngestAccepted, {n}); break;
    case ingest::ReceiptStatus::kRejected: outcome = Tr(Msg::kIngestRejected, {std::to_string(errors)}); break;
    case ingest::ReceiptStatus::kDuplicate: outcome = Tr(Msg::kIngestDuplicate); break;
  }
  std::cout << r.package << ": " << outcome << "\n";
  for (const auto& d : r.documents) {
    const std::string action = d.action == "stored"        ? Tr(Msg::kIngestActionStored)
                               : d.action == "linked"      ? Tr(Msg::kIngestActionLinked)
                               : d.action == "new_version" ? Tr(Msg::kIngestActionNewVersion)
                               : d.action == "status"      ? Tr(Msg::kIngestActionStatus)
                                                           : d.action;
    std::cout << "  " << action << " " << d.id << (d.subject.empty() ? "" : "  " + d.subject)
              << (d.preservation.empty() ? "" : "  [" + d.preservation + "]") << "\n";
  }
  for (const auto& p : r.problems) {
    std::cout << "  " << Tr(p.severity == ingest::Severity::kError ? Msg::kIngestError : Msg::kIngestWarning) << " "
              << p.code << (p.path.empty() ? "" : " [" + p.path + "]") << ": "
              << (CurrentLang() == Lang::kVi ? p.message_vi : p.message_en) << "\n";
  }
}

Status WriteReply(const IngestArgs& a, const ingest::Receipt& r) {
  if (a.reply_dir.empty() || r.edxml_status.empty()) return Status::Ok();
  KHOLUU_RETURN_IF_ERROR(CreateDirs(a.reply_dir));
  return WriteFileAtomic(a.reply_dir + "/" + r.job + ".status.edxml", r.edxml_status);
}

ingest::IngestOptions OptionsFor(const IngestArgs& a, ingest::Service& s, Status* error) {
  ingest::IngestOptions o;
  o.organ_id = a.organ_id;
  if (!a.archive_organ_id.empty()) o.archive_organ_id = a.archive_organ_id;
  if (!a.archive_organ_name.empty()) o.archive_organ_name = a.archive_organ_name;
  o.preserve = !a.no_preserve;
  o.preservation.ocr = !a.no_ocr;
  o.preservation.verify.now = static_cast<int64_t>(std::time(nullptr));
  o.preservation.agent = "kholuu ingest";
  o.require_edxml_signature = !a.allow_unsigned;
  o.threads = a.workers;
  if (a.timeout > 0) o.preservation.tool_time_limit = std::chrono::milliseconds(static_cast<int64_t>(a.timeout * 1000));
  if (a.max_package_bytes > 0) o.limits.max_package_bytes = a.max_package_bytes;
  *error = s.LoadTrustStore(a.trust_store, &o.preservation);
  return o;
}

// The archive and an Ingester for `a`, after interrupted jobs were
// recovered (Ingester::Recover).
struct Session {
  std::unique_ptr<ingest::Service> service;
  std::unique_ptr<ingest::Ingester> ingester;
  std::vector<std::string> abandoned;
};

Result<Session> OpenSession(const Common& c, const IngestArgs& a) {
  Session s;
  KHOLUU_ASSIGN_OR_RETURN(s.service, OpenService(c));
  Status loaded;
  ingest::IngestOptions options = OptionsFor(a, *s.service, &loaded);
  KHOLUU_RETURN_IF_ERROR(loaded);
  s.ingester = std::make_unique<ingest::Ingester>(s.service.get(), options);
  KHOLUU_ASSIGN_OR_RETURN(s.abandoned, s.ingester->Recover());
  return s;
}

int ExitFor(const std::vector<Result<ingest::Receipt>>& results) {
  int rc = kExitOk;
  for (const auto& r : results) {
    if (!r.ok()) {
      rc = std::max(rc, ExitCodeFor(r.status()));
    } else if (r->status == ingest::ReceiptStatus::kRejected) {
      rc = std::max(rc, kExitCheckFailed);
    }
  }
  return rc;
}

int CmdIngest(const Common& c, const IngestArgs& a) {
  if (a.paths.empty()) return Fail(c, InvalidArgumentError("give packages to ingest (or --watch DIR)"));
  auto session = OpenSession(c, a);
  if (!session.ok()) return Fail(c, session.status());
  ingest::Ingester& ingester = *session->ingester;
  if (!session->abandoned.empty() && !c.json && !c.quiet) {
    std::cerr << "kholuu: " << Tr(Msg::kIngestAbandoned, {std::to_string(session->abandoned.size())}) << "\n";
  }
  // Progress for more than one package (a single one is its own report).
  Progress bar(c, Tr(Msg::kProgressIngest), Tr(Msg::kUnitPackages));
  auto progress = [&](const ingest::IngestProgress& p) {
    if (a.paths.size() > 1) bar.Update(p.done, p.total);
  };
  auto results = ingester.IngestMany(a.paths, a.workers, progress);
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    auto& r = results[i];
    if (!r.ok()) {
      Status s = r.status();
      s.Annotate(a.paths[i]);
      Warn(s);
      nlohmann::json e = ErrorJson(s);
      e["package"] = a.paths[i];
      out.push_back(e);
      continue;
    }
    Status w = WriteReply(a, *r);
    if (!w.ok()) std::cerr << "kholuu: edXML reply: " << w.message() << "\n";
    out.push_back(ReceiptJson(*r));
    if (!c.json) PrintReceiptText(*r);
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return ExitFor(results);
}

// --- drop folder -----------------------------------------------------------

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

// Size and newest modification time of a file or a directory tree.
std::pair<uint64_t, int64_t> Footprint(const std::string& path) {
  namespace fs = std::filesystem;
  uint64_t size = 0;
  int64_t newest = 0;
  auto note = [&](const fs::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return;
    size += static_cast<uint64_t>(st.st_size);
    newest = std::max<int64_t>(newest, static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  };
  note(path);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      note(it->path());
    }
  }
  return {size, newest};
}

int CmdWatch(const Common& c, const IngestArgs& a) {
  namespace fs = std::filesystem;
  if (!IsDirectory(a.watch)) return Fail(c, InvalidArgumentError(a.watch + " is not a directory"));
  auto session = OpenSession(c, a);
  if (!session.ok()) return Fail(c, session.status());
  ingest::Ingester& ingester = *session->ingester;
  const std::string done_root = a.watch + "/.kholuu";
  for (const char* sub : {"accepted", "rejected", "duplicate", "failed"}) {
    Status s = CreateDirs(done_root + "/" + sub);
    if (!s.ok()) return Fail(c, s);
  }
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  std::cerr << "kholuu: watching " << a.watch << " (a package is taken when <name>.ready exists or it has not "
            << "changed for " << a.settle << " s; Ctrl-C stops)\n";
  struct Seen {
    std::pair<uint64_t, int64_t> footprint;
    std::chrono::steady_clock::time_point since;
  };
  std::map<std::string, Seen> seen;
  const auto settle = std::chrono::milliseconds(static_cast<int64_t>(a.settle * 1000));
  while (!g_stop) {
    std::vector<std::string> ready;
    std::error_code ec;
    std::set<std::string> present;
    for (const auto& e : fs::directory_iterator(a.watch, ec)) {
      const std::string name = e.path().filename().string();
      if (name.empty() || name[0] == '.' || (name.size() > 6 && name.substr(name.size() - 6) == ".ready")) continue;
      if (name.size() > 8 && name.substr(name.size() - 8) == ".partial") continue;
      present.insert(name);
      const std::string path = e.path().string();
      if (PathExists(path + ".ready")) {
        ready.push_back(name);
        continue;
      }
      auto fp = Footprint(path);
      auto now = std::chrono::steady_clock::now();
      auto it = seen.find(name);
      if (it == seen.end() || it->second.footprint != fp) {
        seen[name] = {fp, now};
      } else if (now - it->second.since >= settle) {
        ready.push_back(name);
      }
    }
    for (auto it = seen.begin(); it != seen.end();) it = present.count(it->first) ? std::next(it) : seen.erase(it);
    for (const std::string& name : ready) {
      if (g_stop) break;
      const std::string path = a.watch + "/" + name;
      auto r = ingester.Ingest(path);
      std::string where = "failed";
      std::string receipt;
      if (r.ok()) {
        where = std::string(ingest::ReceiptStatusName(r->status));
        receipt = DumpJson(ReceiptJson(*r));
        Status w = WriteReply(a, *r);
        if (!w.ok()) std::cerr << "kholuu: edXML reply: " << w.message() << "\n";
      } else {
        receipt = DumpJson(ErrorJson(r.status()));
      }
      // A package that failed for a reason of ours (disk, catalog) stays to be
      // retried; only judged ones move.
      if (!r.ok() && r.status().code() != StatusCode::kNotFound) {
        std::cerr << "kholuu: " << name << ": " << r.status().message() << " (will retry)\n";
        seen.erase(name);
        continue;
      }
      const std::string dest_dir = done_root + "/" + where;
      std::string dest = dest_dir + "/" + name;
      if (PathExists(dest)) dest += "." + std::to_string(SystemClock()->NowMicros());
      Status w = WriteFileAtomic(dest + ".receipt.json", receipt + "\n");
      fs::rename(path, dest, ec);
      if (PathExists(path + ".ready")) RemoveFile(path + ".ready").IgnoreError();
      seen.erase(name);
      if (c.json) {
        std::cout << receipt << "\n";
      } else if (r.ok()) {
        PrintReceiptText(*r);
      }
      std::cout.flush();
      if (!w.ok() || ec) std::cerr << "kholuu: could not file " << name << " under " << dest_dir << "\n";
    }
    for (int i = 0; i < 10 && !g_stop; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return kExitOk;
}

int CmdJobs(const Common& c, const IngestArgs& a) {
  auto service = OpenService(c, /*read_only=*/true);
  if (!service.ok()) return Fail(c, service.status());
  auto jobs = (*service)->Jobs();
  if (!jobs.ok()) return Fail(c, jobs.status());
  std::sort(jobs->begin(), jobs->end(),
            [](const model::IngestJob& x, const model::IngestJob& y) { return x.received_micros > y.received_micros; });
  nlohmann::json out = nlohmann::json::array();
  size_t n = 0;
  for (const model::IngestJob& j : *jobs) {
    if (!a.state.empty() && a.state != model::JobStateName(j.state)) continue;
    if (a.limit > 0 && n++ >= a.limit) break;
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : j.problems) {
      problems.push_back({{"code", p.code}, {"severity", p.error ? "error" : "warning"}, {"message", p.message},
                          {"message_vi", p.message_vi}, {"path", p.path}});
    }
    out.push_back({{"job", j.id},
                   {"package", j.package},
                   {"kind", j.kind},
                   {"state", std::string(model::JobStateName(j.state))},
                   {"actor", j.actor},
                   {"received", FormatTimestamp(j.received_micros)},
                   {"finished", j.finished_micros > 0 ? FormatTimestamp(j.finished_micros) : ""},
                   {"record_file", j.record_file},
                   {"documents", j.documents},
                   {"problems", problems},
                   {"detail", j.detail}});
    if (!c.json) {
      std::cout << j.id.substr(0, 16) << "  " << model::JobStateName(j.state) << "  " << j.kind << "  " << j.package
                << "  " << j.detail << "\n";
    }
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return kExitOk;
}

}  // namespace

void RegisterIngestCommands(CLI::App& app, const Registry& reg) {
  static IngestArgs storage;
  IngestArgs* args = &storage;
  Registry r = reg;
  CLI::App* cmd = app.add_subcommand(
      "ingest", "ingest packages: edXML, BagIt, METS+EAD+PREMIS (dir/zip/tar), batches, files with sidecars");
  reg.AddCommon(cmd);
  cmd->add_option("PATH", args->paths, "packages (files or directories)");
  cmd->add_option("--workers", args->workers,
                  "packages in parallel, and documents of one package in parallel (default 1)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--organ-id", args->organ_id, "the sending agency's mã định danh (batches, sidecars)");
  cmd->add_flag("--no-preserve", args->no_preserve,
                "store originals only; signature reports, PDF/A copies and text later (kholuu preserve)");
  cmd->add_flag("--no-ocr", args->no_ocr, "do not OCR pages without a text layer");
  cmd->add_option("--timeout", args->timeout,
                  "seconds each converter run and each page's OCR may take (default: the tools' own limits)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-package-bytes", args->max_package_bytes,
                  "refuse a package larger than this, all files uncompressed (default 16 GiB)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--trust-store", args->trust_store, "PEM trust anchors (default <data>/trust if present)");
  cmd->add_option("--reply-dir", args->reply_dir, "write each edXML package's Status reply here");
  cmd->add_option("--archive-organ-id", args->archive_organ_id,
                  "the archive's own mã định danh, the sender of edXML Status replies (default $KHOLUU_ORGAN_ID)")
      ->envname("KHOLUU_ORGAN_ID");
  cmd->add_option("--archive-organ-name", args->archive_organ_name,
                  "the archive's name in edXML Status replies (default $KHOLUU_ORGAN_NAME)")
      ->envname("KHOLUU_ORGAN_NAME");
  cmd->add_flag("--allow-unsigned-edxml", args->allow_unsigned,
                "accept edXML documents without any digital signature (refused by default)");
  cmd->add_option("--watch", args->watch, "a drop folder to watch instead of PATHs");
  cmd->add_option("--settle", args->settle, "--watch: seconds a package must stay unchanged (default 5)");
  cmd->callback([args, r] {
    *r.rc = args->watch.empty() ? CmdIngest(*r.common, *args) : CmdWatch(*r.common, *args);
  });

  CLI::App* jobs = app.add_subcommand("jobs", "ingest jobs, newest first");
  reg.AddCommon(jobs);
  jobs->add_option("--state", args->state, "received, accepted, rejected or abandoned");
  jobs->add_option("--limit", args->limit, "at most N (default 50, 0 = all)");
  jobs->callback([args, r] { *r.rc = CmdJobs(*r.common, *args); });
}

}  // namespace kholuu::cli
