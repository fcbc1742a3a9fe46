// kholuu anchor make [--reason R] [--require-timestamp]
// kholuu anchor list
// kholuu anchor export DIR
// kholuu evidence ID -o FILE|- [--force]
//
// Anchors fix the audit log's Merkle root in a statement sealed with the
// archive's key and timestamped by its TSA (ingest/anchor.h); `audit verify`
// checks them. `evidence` writes a document's evidence bundle for legal
// review (ingest/evidence.h). Exit 0 on success; 1 when the document differs
// from its history (no bundle written); 2 for usage, a missing seal key, an
// existing output without --force, a TSA that fails; 3 internal.
#include <iostream>

#include "ingest/anchor.h"
#include "ingest/evidence.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/output.h"

namespace kholuu::cli {

nlohmann::json AnchorJson(const ingest::Anchor& a) {
  return {{"tree_size", a.tree_size},
          {"tree_root", a.tree_root.ToHex()},
          {"head_hash", a.head_hash.ToHex()},
          {"time", FormatTimestamp(a.time * 1000000)},
          {"reason", a.reason},
          {"timestamped", !a.token.empty()}};
}

std::string AnchorText(const ingest::Anchor& a) {
  return Tr(Msg::kAnchorText, {std::to_string(a.tree_size), a.tree_root.ToHex().substr(0, 16),
                               FormatTimestamp(a.time * 1000000), a.reason,
                               Tr(a.token.empty() ? Msg::kAnchorSealedOnly : Msg::kAnchorSealedAndTimestamped)});
}

namespace {

int CmdAnchorMake(const Common& c, const std::string& reason, bool require_timestamp) {
  auto s = OpenService(c);
  if (!s.ok()) return Fail(c, s.status());
  ingest::AnchorOptions o;
  o.reason = reason;
  o.require_timestamp = require_timestamp;
  auto a = (*s)->AnchorLog(o);
  if (!a.ok()) return Fail(c, a.status());
  Print(c, AnchorJson(*a), AnchorText(*a));
  return kExitOk;
}

int CmdAnchorList(const Common& c) {
  auto s = OpenService(c, /*read_only=*/true);
  if (!s.ok()) return Fail(c, s.status());
  auto all = (*s)->Anchors();
  if (!all.ok()) return Fail(c, all.status());
  nlohmann::json arr = nlohmann::json::array();
  std::string text;
  for (const ingest::Anchor& a : *all) {
    arr.push_back(AnchorJson(a));
    text += AnchorText(a) + "\n";
  }
  if (all->empty()) text = Tr(Msg::kAnchorNone) + "\n";
  Print(c, arr, text);
  return kExitOk;
}

int CmdAnchorExport(const Common& c, const std::string& dir) {
  auto s = OpenService(c, /*read_only=*/true);
  if (!s.ok()) return Fail(c, s.status());
  auto all = (*s)->Anchors();
  if (!all.ok()) return Fail(c, all.status());
  Status w = ingest::ExportAnchors(*all, dir);
  if (!w.ok()) return Fail(c, w);
  Print(c, {{"dir", dir}, {"anchors", all->size()}},
        Tr(Msg::kAnchorsExported, {std::to_string(all->size()), dir}));
  return kExitOk;
}

int CmdEvidence(const Common& c, const std::string& id, const std::string& out, bool force) {
  auto dest = Output::Prepare(out, force, c.json);
  if (!dest.ok()) return Fail(c, dest.status());
  auto s = OpenService(c);
  if (!s.ok()) return Fail(c, s.status());
  ingest::EvidenceOptions o;
  o.sink = [&](std::string_view bytes) { return dest->Append(bytes); };
  auto r = ingest::WriteEvidence(**s, id, o);
  if (r.ok()) {
    if (Status committed = dest->Commit(); !committed.ok()) return Fail(c, committed);
  }
  if (!r.ok()) {
    if (r.status().code() == StatusCode::kDataLoss) {
      Fail(c, r.status());
      return kExitCheckFailed;
    }
    return Fail(c, r.status());
  }
  if (out == "-") {
    std::cerr << "kholuu: " << Tr(Msg::kEvidenceToStdout, {id, std::to_string(r->bytes)}) << "\n";
    return kExitOk;
  }
  nlohmann::json j = {{"id", r->id},         {"out", out},         {"files", r->files},
                      {"bytes", r->bytes},   {"entries", r->entries}, {"sha256", r->sha256.ToHex()},
                      {"anchor", AnchorJson(r->anchor)}, {"anchor_made", r->anchor_made}};
  Print(c, j,
        Tr(Msg::kEvidenceWritten,
           {id, out, std::to_string(r->files), std::to_string(r->entries), AnchorText(r->anchor)}));
  return kExitOk;
}

}  // namespace

void RegisterAnchorCommands(CLI::App& app, const Registry& reg) {
  CLI::App* anchor = app.add_subcommand("anchor", "anchors of the audit log (sealed, timestamped Merkle roots)");
  anchor->require_subcommand(1);

  static std::string reason = "manual";
  static bool require_ts = false;
  CLI::App* make = anchor->add_subcommand("make", "anchor the audit log as it is now");
  reg.AddCommon(make);
  make->add_option("--reason", reason, "a word recorded in the statement (default manual)");
  make->add_flag("--require-timestamp", require_ts, "fail when no TSA is configured");
  make->callback([reg] { *reg.rc = CmdAnchorMake(*reg.common, reason, require_ts); });

  CLI::App* list = anchor->add_subcommand("list", "list the stored anchors");
  reg.AddCommon(list);
  list->callback([reg] { *reg.rc = CmdAnchorList(*reg.common); });

  static std::string dir;
  CLI::App* exp = anchor->add_subcommand("export", "write every anchor as files to DIR");
  reg.AddCommon(exp);
  exp->add_option("DIR", dir, "directory (created)")->required();
  exp->callback([reg] { *reg.rc = CmdAnchorExport(*reg.common, dir); });

  static std::string id, out;
  static bool force = false;
  CLI::App* ev = app.add_subcommand(
      "evidence", "write a document's evidence bundle for legal review, checkable offline (tar)");
  reg.AddCommon(ev);
  ev->add_option("ID", id, "document id")->required();
  ev->add_option("-o,--out", out, "output tar file, or - for standard output")->required();
  ev->add_flag("--force", force, "replace an existing output file");
  ev->callback([reg] { *reg.rc = CmdEvidence(*reg.common, id, out, force); });
}

}  // namespace kholuu::cli
