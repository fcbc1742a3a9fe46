// kholuu get ID (--original | --preservation | --rendition) -o FILE|- [--force]
//
// -o - writes the bytes to standard output (the summary line then goes to
// stderr; --json is refused). An existing FILE is replaced only with --force.
//
// --rendition builds, on demand, the sealed PDF/A-3b rendition for transfer
// and legal export (ingest::Service::ExportRendition): the preservation copy with the
// original embedded bit-exact and the stored signature report (or a fresh
// verification when none is stored), sealed with the archive's key.
//
// Writes a document's stored bytes to FILE, verifying them against their
// SHA-256 on the way: a corrupt or missing blob gives exit 1 and no output
// file. Every retrieval is audited ("access.get") and recorded as an access
// event on the component, so legal review of an original leaves a trace.
#include <iostream>

#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/output.h"

namespace kholuu::cli {
namespace {

struct GetArgs {
  std::string id;
  bool original = false;
  bool preservation = false;
  bool rendition = false;
  std::string out;
  bool force = false;
};

int CmdGetRendition(const Common& c, const GetArgs& g, Output& out) {
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  auto made = (*a)->ExportRendition(g.id, out.path());
  if (!made.ok()) return Fail(c, made.status());
  Status copied = out.Finish();
  if (!copied.ok()) return Fail(c, copied);
  nlohmann::json j = {{"original", made->original.id},
                      {"original_sha256", made->original.sha256.ToHex()},
                      {"preservation_copy", made->copy.id},
                      {"sealed", true},
                      {"seal_integrity", made->seal_integrity},
                      {"timestamped", made->timestamped},
                      {"size", made->size},
                      {"file", g.out}};
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else if (!c.quiet) {
    (out.to_stdout() ? std::cerr : std::cout) << Tr(Msg::kGetWroteRendition, {out.shown(), made->original.id})
                                              << "\n";
  }
  return kExitOk;
}

int CmdGet(const Common& c, const GetArgs& g) {
  if (static_cast<int>(g.original) + static_cast<int>(g.preservation) +
          static_cast<int>(g.rendition) != 1) {
    return Fail(c, InvalidArgumentError("give exactly one of --original, --preservation or --rendition"));
  }
  auto out = Output::Prepare(g.out, g.force, c.json);
  if (!out.ok()) return Fail(c, out.status());
  if (g.rendition) return CmdGetRendition(c, g, *out);
  auto a = OpenService(c);
  if (!a.ok()) return Fail(c, a.status());
  model::ComponentRole role =
      g.original ? model::ComponentRole::kOriginal : model::ComponentRole::kPreservationCopy;
  auto got = (*a)->Retrieve(g.id, role, out->path());
  if (!got.ok()) return Fail(c, got.status());
  Status copied = out->Finish();
  if (!copied.ok()) return Fail(c, copied);
  const model::Component& comp = got->component;
  nlohmann::json j = {{"component", comp.id},
                      {"role", std::string(model::ComponentRoleName(comp.role))},
                      {"sha256", comp.sha256.ToHex()},
                      {"size", comp.size},
                      {"file", g.out}};
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else if (!c.quiet) {
    (out->to_stdout() ? std::cerr : std::cout)
        << Tr(Msg::kGetWrote, {out->shown(), std::to_string(comp.size), comp.sha256.ToHex()}) << "\n";
  }
  return kExitOk;
}

}  // namespace

void RegisterGetCommands(CLI::App& app, const Registry& reg) {
  static GetArgs storage;  // lives as long as the CLI app
  GetArgs* args = &storage;
  CLI::App* get = app.add_subcommand("get", "write a document's original or preservation copy");
  reg.AddCommon(get);
  get->add_option("ID", args->id, "document or component id")->required();
  get->add_flag("--original", args->original, "the bytes as received (signed original)");
  get->add_flag("--preservation", args->preservation, "the PDF/A preservation copy");
  get->add_flag("--rendition", args->rendition,
                "a sealed PDF/A-3b rendition embedding the original and its signature report");
  get->add_option("-o,--output", args->out, "output file, or - for standard output")->required();
  get->add_flag("--force", args->force, "replace an existing output file");
  Registry r = reg;
  get->callback([args, r] { *r.rc = CmdGet(*r.common, *args); });
}

}  // namespace kholuu::cli
