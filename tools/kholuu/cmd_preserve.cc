// kholuu preserve [DOC...] [--all] [--force] [--no-ocr] [--trust-store DIR] [--timeout S]
//
// Carries out the preservation model (spec/architecture.md §3) for the
// original components of documents already in the archive
// (ingest/preserve.h): the signature report, a checked PDF/A-2b copy (or the
// PDF/A original as its own copy, or a risk recorded on the document), and
// the text for the index. Documents already preserved are skipped unless
// --force, which replaces the derived components (audited deletions).
// Exit 1 when a document is at risk.
#include <chrono>
#include <ctime>
#include <iostream>

#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/progress.h"

namespace kholuu::cli {
namespace {

struct PreserveArgs {
  std::vector<std::string> documents;
  bool all = false;
  bool force = false;
  bool no_ocr = false;
  std::string trust_store;
  double timeout = 0;  // seconds per converter run / OCR page; 0: the tools' defaults
};

nlohmann::json OriginalJson(const ingest::PreservedOriginal& d) {
  nlohmann::json j = {{"original", d.original.id}};
  if (d.original.media_type == "application/pdf") {
    if (!d.signatures.checked) {
      j["signatures"] = {{"checked", false}, {"reason", d.signatures.reason}};
    } else if (d.signatures.count == 0) {
      j["signatures"] = {{"checked", true}, {"count", 0}};
    } else {
      j["signatures"] = {{"checked", true}, {"count", d.signatures.count}, {"failed", d.signatures.failed}};
    }
  }
  const ingest::CopyOutcome& c = d.copy;
  if (c.status == "already_conformant") {
    j["copy"] = {{"status", c.status}, {"profile", c.profile}};
  } else if (c.status == "converted") {
    j["copy"] = {{"status", c.status}, {"converter", c.converter}, {"pages", c.pages}};
  } else if (c.status == "failed" && !c.violations.empty()) {
    nlohmann::json v = nlohmann::json::array();
    for (const auto& x : c.violations) v.push_back({{"clause", x.clause}, {"message", x.message}});
    j["copy"] = {{"status", c.status}, {"reason", c.reason}, {"violations", v}};
  } else {
    j["copy"] = {{"status", c.status}, {"reason", c.reason}};
  }
  const ingest::TextOutcome& t = d.text;
  if (!t.reason.empty()) {
    j["text"] = {{"pages", 0}, {"reason", t.reason}};
  } else if (t.method == "plain-text") {
    j["text"] = {{"method", t.method}, {"encoding", t.encoding}};
  } else {
    j["text"] = {{"pages", t.pages},           {"ocr_pages", t.ocr_pages},
                 {"failed_pages", t.failed_pages}, {"characters", t.characters},
                 {"repaired_encodings", t.repaired_encodings}};
    if (t.ocr_mean_confidence >= 0) j["text"]["ocr_mean_confidence"] = t.ocr_mean_confidence;
  }
  return j;
}

nlohmann::json ResultJson(const ingest::PreserveResult& r) {
  nlohmann::json out = {{"document", r.document},
                        {"status", std::string(ingest::PreserveStateName(r.state))}};
  if (r.state == ingest::PreserveResult::State::kSkipped) {
    out["reason"] = r.reason;
    return out;
  }
  if (!r.risk.empty()) out["risk"] = r.risk;
  nlohmann::json made = nlohmann::json::array();
  for (const auto& m : r.components) {
    made.push_back({{"id", m.id},
                    {"role", std::string(model::ComponentRoleName(m.role))},
                    {"format_version", m.format_version},
                    {"sha256", m.sha256.ToHex()},
                    {"size", m.size}});
  }
  out["components"] = made;
  nlohmann::json per_original = nlohmann::json::array();
  for (const auto& d : r.originals) per_original.push_back(OriginalJson(d));
  out["originals"] = per_original;
  return out;
}

int CmdPreserve(const Common& c, const PreserveArgs& args) {
  if (args.all == !args.documents.empty()) {
    return Fail(c, InvalidArgumentError("give document ids or --all, not both"));
  }
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  ingest::PreserveOptions options;
  options.force = args.force;
  options.ocr = !args.no_ocr;
  if (args.timeout > 0) options.tool_time_limit = std::chrono::milliseconds(static_cast<int64_t>(args.timeout * 1000));
  options.verify.now = static_cast<int64_t>(std::time(nullptr));
  Status loaded = (*a)->LoadTrustStore(args.trust_store, &options);
  if (!loaded.ok()) return Fail(c, loaded);
  std::vector<std::string> ids = args.documents;
  if (args.all) {
    auto all = (*a)->DocumentIds();
    if (!all.ok()) return Fail(c, all.status());
    ids = std::move(all).value();
  }
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  Progress progress(c, Tr(Msg::kProgressPreserve), Tr(Msg::kUnitDocuments));
  uint64_t done = 0;
  for (const std::string& id : ids) {
    auto res = (*a)->Preserve(options, id);
    progress.Update(++done, ids.size());
    if (!res.ok()) {
      Status s = res.status();
      s.Annotate(id);
      Warn(s);
      out.push_back({{"document", id}, {"status", "error"}, {"error", ErrorJson(s)["error"]}});
      rc = std::max(rc, ExitCodeFor(s));
      continue;
    }
    if (res->state == ingest::PreserveResult::State::kAtRisk) rc = std::max(rc, kExitCheckFailed);
    if (!c.json) {
      const std::string_view state = ingest::PreserveStateName(res->state);
      std::cout << id << ": "
                << (state == "preserved" ? Tr(Msg::kPreserved)
                    : state == "at_risk" ? Tr(Msg::kPreserveAtRisk)
                    : state == "skipped" ? Tr(Msg::kPreserveSkipped)
                                         : std::string(state));
      if (!res->risk.empty()) std::cout << " — " << res->risk;
      if (!res->reason.empty()) std::cout << " (" << res->reason << ")";
      std::cout << "\n";
    }
    out.push_back(ResultJson(*res));
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return rc;
}

}  // namespace

void RegisterPreserveCommands(CLI::App& app, const Registry& reg) {
  static PreserveArgs storage;
  PreserveArgs* args = &storage;
  CLI::App* cmd = app.add_subcommand(
      "preserve", "verify signatures, make checked PDF/A-2b copies and text for stored documents");
  reg.AddCommon(cmd);
  cmd->add_option("DOC", args->documents, "document ids");
  cmd->add_flag("--all", args->all, "every document");
  cmd->add_flag("--force", args->force, "redo documents already preserved");
  cmd->add_flag("--no-ocr", args->no_ocr, "do not OCR pages without a text layer");
  cmd->add_option("--timeout", args->timeout,
                  "seconds each converter run and each page's OCR may take (default: the tools' own limits)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--trust-store", args->trust_store,
                  "directory of PEM trust anchors (default <data>/trust if present)");
  Registry r = reg;
  cmd->callback([args, r] { *r.rc = CmdPreserve(*r.common, *args); });
}

}  // namespace kholuu::cli
