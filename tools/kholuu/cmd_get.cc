// kholuu get ID (--original | --preservation) -o FILE
//
// Writes a document's stored bytes to FILE, verifying them against their
// SHA-256 on the way: a corrupt or missing blob gives exit 1 and no output
// file. Every retrieval is audited ("access.get") and recorded as an access
// event on the component, so legal review of an original leaves a trace.
#include <fcntl.h>

#include <iostream>

#include "archive/archive.h"
#include "archive/base/file.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

struct GetArgs {
  std::string id;
  bool original = false;
  bool preservation = false;
  std::string out;
};

// Picks the component of `document_id` with the wanted role.
Result<model::Component> FindComponent(const archive::TxnView& r, const std::string& id,
                                       model::ComponentRole role) {
  if (auto c = r.GetComponent(id); c.ok()) return c;
  KHOLUU_ASSIGN_OR_RETURN(model::Document d, r.GetDocument(id));
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.ComponentsOfDocument(d.id));
  for (const std::string& cid : ids) {
    KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(cid));
    if (c.role == role) return c;
  }
  // A PDF/A original is its own preservation copy (architecture §3).
  if (role == model::ComponentRole::kPreservationCopy) {
    for (const std::string& cid : ids) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(cid));
      if (c.role == model::ComponentRole::kOriginal && c.format_version.rfind("PDF/A", 0) == 0) {
        return c;
      }
    }
  }
  return NotFoundError("document " + id + " has no " +
                       std::string(model::ComponentRoleName(role)) + " component");
}

Status Retrieve(archive::Archive& a, const model::Component& c, const std::string& out) {
  KHOLUU_ASSIGN_OR_RETURN(archive::BlobReader reader, a.blobs().Open(c.sha256, /*verify=*/true));
  KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(out));
  std::string buf(1 << 20, '\0');
  for (;;) {
    // The final Read fails with kDataLoss if the bytes do not match: the
    // writer is then abandoned and no output file appears.
    KHOLUU_ASSIGN_OR_RETURN(size_t n, reader.Read(buf.data(), buf.size()));
    if (n == 0) break;
    KHOLUU_RETURN_IF_ERROR(w.Append(std::string_view(buf.data(), n)));
  }
  return w.Commit();
}

int CmdGet(const Common& c, const GetArgs& g) {
  if (g.original == g.preservation) {
    return Fail(c, InvalidArgumentError("give exactly one of --original or --preservation"));
  }
  auto a = archive::Archive::Open(c.data);
  if (!a.ok()) return Fail(c, a.status());
  model::ComponentRole role =
      g.original ? model::ComponentRole::kOriginal : model::ComponentRole::kPreservationCopy;
  model::Component comp;
  {
    auto r = (*a)->catalog().BeginRead();
    if (!r.ok()) return Fail(c, r.status());
    auto found = FindComponent(*r, g.id, role);
    if (!found.ok()) return Fail(c, found.status());
    comp = *found;
  }
  Status s = Retrieve(**a, comp, g.out);
  Status logged = (*a)->catalog().Update(c.actor, [&](archive::WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.Audit("access.get", comp.id,
                                   std::string(model::ComponentRoleName(comp.role)) +
                                       (s.ok() ? " retrieved" : " retrieval failed: " + s.message()),
                                   comp.sha256));
    model::Event e;
    e.type = model::EventType::kAccess;
    e.outcome = s.ok() ? model::EventOutcome::kSuccess : model::EventOutcome::kFailure;
    e.object_id = comp.id;
    e.detail = s.ok() ? "retrieved, sha256 verified" : s.message();
    return w.AddEvent(e).status();
  });
  if (!s.ok()) return Fail(c, std::move(s).Annotate("get " + comp.id));
  if (!logged.ok()) return Fail(c, logged);
  nlohmann::json j = {{"component", comp.id},
                      {"role", std::string(model::ComponentRoleName(comp.role))},
                      {"sha256", comp.sha256.ToHex()},
                      {"size", comp.size},
                      {"file", g.out}};
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << "wrote " << g.out << " (" << comp.size << " bytes, sha256 " << comp.sha256.ToHex()
              << " verified)\n";
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
  get->add_option("-o,--output", args->out, "output file")->required();
  Registry r = reg;
  get->callback([args, r] { *r.rc = CmdGet(*r.common, *args); });
}

}  // namespace kholuu::cli
