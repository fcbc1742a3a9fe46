// kholuu get ID (--original | --preservation | --rendition) -o FILE
//
// --rendition builds, on demand, the sealed PDF/A-3b rendition for transfer
// and legal export (rendition_export.h): the preservation copy with the
// original embedded bit-exact and the stored signature report (or a fresh
// verification when none is stored), sealed with the archive's key.
//
// Writes a document's stored bytes to FILE, verifying them against their
// SHA-256 on the way: a corrupt or missing blob gives exit 1 and no output
// file. Every retrieval is audited ("access.get") and recorded as an access
// event on the component, so legal review of an original leaves a trace.
#include <fcntl.h>

#include <ctime>
#include <iostream>

#include "archive/archive.h"
#include "archive/base/file.h"
#include "tools/kholuu/component_io.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/rendition_export.h"
#include "tools/kholuu/seal_key.h"
#include "tools/kholuu/sig_report.h"

namespace kholuu::cli {
namespace {

struct GetArgs {
  std::string id;
  bool original = false;
  bool preservation = false;
  bool rendition = false;
  std::string out;
};

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

// The stored signature report derived from `original`, else a fresh
// verification of its bytes (PDF), else a note.
Result<std::string> ReportOf(archive::Archive& a, const archive::TxnView& r,
                             const model::Component& original, const std::string& bytes) {
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.ComponentsOfDocument(original.document_id));
  for (const std::string& id : ids) {
    KHOLUU_ASSIGN_OR_RETURN(model::Component comp, r.GetComponent(id));
    if (comp.role == model::ComponentRole::kReport && comp.derived_from == original.id) {
      return ReadComponentBytes(a, comp, 64u << 20);
    }
  }
  formats::pdfsig::VerifyOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  return EmbeddedReportFor(original.name, original.media_type == "application/pdf", bytes, options);
}

int CmdGetRendition(const Common& c, const GetArgs& g) {
  auto a = archive::Archive::Open(c.data);
  if (!a.ok()) return Fail(c, a.status());
  auto signer = LoadSealKey(c.data);
  if (!signer.ok()) return Fail(c, signer.status());
  auto timestamp = LoadSealTimestamp(c.data);
  if (!timestamp.ok()) return Fail(c, timestamp.status());
  model::Component original, copy;
  std::string original_bytes, copy_bytes, report;
  Status s = [&]() -> Status {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, (*a)->catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(original, FindComponent(r, g.id, model::ComponentRole::kOriginal));
    if (original.role != model::ComponentRole::kOriginal) {
      return InvalidArgumentError(g.id + " is a " +
                                  std::string(model::ComponentRoleName(original.role)) +
                                  ", not an original: give the document or its original");
    }
    KHOLUU_ASSIGN_OR_RETURN(copy, FindComponent(r, original.document_id,
                                                model::ComponentRole::kPreservationCopy));
    KHOLUU_ASSIGN_OR_RETURN(original_bytes, ReadComponentBytes(**a, original));
    KHOLUU_ASSIGN_OR_RETURN(copy_bytes, ReadComponentBytes(**a, copy));
    KHOLUU_ASSIGN_OR_RETURN(report, ReportOf(**a, r, original, original_bytes));
    return Status::Ok();
  }();
  if (!s.ok()) {
    if (s.code() == StatusCode::kNotFound) {
      s = FailedPreconditionError(s.message() + " (run: kholuu preserve " + g.id + ")");
    }
    return Fail(c, s);
  }
  RenditionParts parts;
  parts.copy = copy_bytes;
  parts.original = original_bytes;
  parts.original_name = original.name;
  parts.original_media_type = original.media_type;
  parts.report_json = report;
  auto made = MakeSealedRendition(parts, &*signer, static_cast<int64_t>(std::time(nullptr)), *timestamp);
  Status written = made.ok() ? WriteFileAtomic(g.out, made->output) : made.status();
  Status logged = (*a)->catalog().Update(c.actor, [&](archive::WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(w.Audit("access.rendition", original.id,
                                   written.ok() ? "sealed PDF/A-3b rendition exported"
                                                : "rendition failed: " + written.message(),
                                   original.sha256));
    model::Event e;
    e.type = model::EventType::kAccess;
    e.outcome = written.ok() ? model::EventOutcome::kSuccess : model::EventOutcome::kFailure;
    e.object_id = original.id;
    e.detail = written.ok() ? "exported as a sealed PDF/A-3b rendition (copy " + copy.id + ")"
                            : written.message();
    return w.AddEvent(e).status();
  });
  if (!written.ok()) return Fail(c, std::move(written).Annotate("rendition of " + g.id));
  if (!logged.ok()) return Fail(c, logged);
  nlohmann::json j = {{"original", original.id},
                      {"original_sha256", original.sha256.ToHex()},
                      {"preservation_copy", copy.id},
                      {"sealed", true},
                      {"seal_integrity", made->seal_integrity},
                      {"timestamped", made->timestamped},
                      {"size", made->output.size()},
                      {"file", g.out}};
  if (c.json) {
    std::cout << DumpJson(j) << "\n";
  } else {
    std::cout << "wrote " << g.out << " (sealed PDF/A-3b rendition of " << original.id
              << ", original embedded bit-exact)\n";
  }
  return kExitOk;
}

int CmdGet(const Common& c, const GetArgs& g) {
  if (static_cast<int>(g.original) + static_cast<int>(g.preservation) +
          static_cast<int>(g.rendition) != 1) {
    return Fail(c, InvalidArgumentError("give exactly one of --original, --preservation or --rendition"));
  }
  if (g.rendition) return CmdGetRendition(c, g);
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
  get->add_flag("--rendition", args->rendition,
                "a sealed PDF/A-3b rendition embedding the original and its signature report");
  get->add_option("-o,--output", args->out, "output file")->required();
  Registry r = reg;
  get->callback([args, r] { *r.rc = CmdGet(*r.common, *args); });
}

}  // namespace kholuu::cli
