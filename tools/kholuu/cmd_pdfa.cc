// kholuu pdfa validate FILE... [--profile 1b|2b|2u|3b|auto]
//
// Checks each file against a PDF/A profile (formats/pdf). Output with
// --json: an array of {"file", "profile", "compliant", "violations":
// [{"clause", "message", "object"?}]}. Exit 0 if every file is compliant,
// 1 if any is not, 2 for a usage error or an unreadable file, 3 for an
// internal error. No archive is opened: --data is accepted and ignored.
#include <iostream>

#include "ingest/checks.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

struct PdfaArgs {
  std::vector<std::string> files;
  std::string profile = "auto";
};

int CmdPdfaValidate(const Common& c, const PdfaArgs& a) {
  auto profile = ingest::pdfa::ParsePdfaProfile(a.profile);
  if (!profile.ok()) {
    if (c.json) std::cout << DumpJson(ErrorJson(profile.status())) << "\n";
    Warn(profile.status());
    return ExitCodeFor(profile.status());
  }
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  for (const std::string& f : a.files) {
    auto r = ingest::pdfa::ValidatePdfaFile(f, *profile);
    if (!r.ok()) {
      Warn(Status(r.status()).Annotate(f));
      nlohmann::json e = ErrorJson(r.status());
      e["file"] = f;
      out.push_back(e);
      rc = std::max(rc, ExitCodeFor(r.status()));
      continue;
    }
    nlohmann::json v = nlohmann::json::array();
    for (const auto& viol : r->violations) {
      nlohmann::json j = {{"clause", viol.clause}, {"message", viol.message}};
      if (!viol.object.empty()) j["object"] = viol.object;
      v.push_back(j);
    }
    out.push_back({{"file", f},
                   {"profile", std::string(ingest::pdfa::PdfaProfileName(r->profile))},
                   {"compliant", r->compliant},
                   {"violations", v}});
    if (!r->compliant) rc = std::max(rc, kExitCheckFailed);
    if (!c.json) {
      std::cout << f << ": PDF/A-" << ingest::pdfa::PdfaProfileName(r->profile) << " "
                << Tr(r->compliant ? Msg::kPdfaCompliant : Msg::kPdfaNotCompliant) << "\n";
      for (const auto& viol : r->violations) {
        std::cout << "  " << viol.clause << "  " << viol.message;
        if (!viol.object.empty()) std::cout << "  [" << viol.object << "]";
        std::cout << "\n";
      }
    }
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return rc;
}

}  // namespace

void RegisterPdfaCommands(CLI::App& app, const Registry& reg) {
  static PdfaArgs storage;  // lives as long as the CLI app
  PdfaArgs* args = &storage;
  CLI::App* pdfa = app.add_subcommand("pdfa", "PDF/A conformance");
  pdfa->require_subcommand(1);
  CLI::App* validate = pdfa->add_subcommand("validate", "check files against a PDF/A profile (exit 1 if any fails)");
  reg.AddCommon(validate);
  validate->add_option("FILE", args->files, "PDF files")->required();
  validate->add_option("--profile", args->profile, "1b, 2b, 2u, 3b or auto (the file's own claim; default)");
  Registry r = reg;
  validate->callback([args, r] { *r.rc = CmdPdfaValidate(*r.common, *args); });
}

}  // namespace kholuu::cli
