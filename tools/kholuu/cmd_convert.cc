// kholuu convert FILE --to pdfa-2b -o OUT [--timeout S] [--force] [--json]
//
// Makes a PDF/A-2b preservation copy of FILE (formats/convert) and writes it
// to OUT atomically, only if our validator accepts it. A file that is already
// PDF/A is copied unchanged ("already_conformant"). Output with --json:
// {"file", "to", "status": "converted"|"already_conformant"|"failed",
//  "validated", "profile", "converter", "output"?, "violations": [{"clause",
//  "message", "object"?}], "reason"?, "pages", "seconds", "runs": [...]}.
// Exit 0 when a validated copy was written, 1 when conversion or validation
// failed (nothing written), 2 for a usage error or an unreadable or
// unsupported input, 3 for an internal error. No archive is opened.
#include <sys/stat.h>

#include <chrono>
#include <iostream>

#include "archive/base/file.h"
#include "formats/convert/pdfa_convert.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

struct ConvertArgs {
  std::string file;
  std::string to = "pdfa-2b";
  std::string output;
  double timeout_seconds = 0;
  bool force = false;
};

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

nlohmann::json ResultJson(const ConvertArgs& a, const convert::ConversionResult& r, bool written) {
  nlohmann::json v = nlohmann::json::array();
  for (const auto& viol : r.violations) {
    nlohmann::json j = {{"clause", viol.clause}, {"message", viol.message}};
    if (!viol.object.empty()) j["object"] = viol.object;
    v.push_back(j);
  }
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : r.runs) {
    runs.push_back({{"tool", run.tool},
                    {"agent", run.agent},
                    {"succeeded", run.succeeded},
                    {"description", run.description},
                    {"seconds", run.seconds}});
  }
  nlohmann::json out = {{"file", a.file},
                        {"to", a.to},
                        {"kind", std::string(convert::InputKindName(r.kind))},
                        {"status", std::string(convert::ConversionStatusName(r.status))},
                        {"validated", r.validated},
                        {"profile", r.profile},
                        {"converter", r.converter},
                        {"violations", v},
                        {"pages", r.pages},
                        {"seconds", r.seconds},
                        {"runs", runs}};
  if (written) out["output"] = a.output;
  if (!r.reason.empty()) out["reason"] = r.reason;
  return out;
}

int CmdConvert(const Common& c, const ConvertArgs& a) {
  if (a.to == "pdfa-3b-rendition") {
    // The PDF/A-3b rendition (preservation copy + embedded signed original +
    // verification report, sealed) is wired here when it exists.
    return Fail(c, InvalidArgumentError("--to pdfa-3b-rendition: not yet supported"));
  }
  if (a.to != "pdfa-2b") {
    return Fail(c, InvalidArgumentError("--to: unknown target '" + a.to +
                                        "' (pdfa-2b or pdfa-3b-rendition)"));
  }
  if (SameFile(a.file, a.output)) {
    return Fail(c, InvalidArgumentError("-o must not be the input file (conversion never "
                                        "writes its input)"));
  }
  convert::ConvertOptions options;
  options.convert_conformant = a.force;
  if (a.timeout_seconds > 0) {
    const auto t = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_seconds * 1000));
    const auto cpu = static_cast<uint64_t>(a.timeout_seconds + 0.999);
    for (convert::SandboxLimits* l : {&options.ghostscript_limits, &options.libreoffice_limits,
                               &options.tiff2pdf_limits}) {
      l->wall_time = t;
      l->cpu_seconds = cpu;
    }
  }
  auto r = convert::ConvertFileToPdfA2b(a.file, options);
  if (!r.ok()) {
    Status s = r.status();
    // An input too large to read is an unreadable input, not an internal error.
    if (s.code() == StatusCode::kResourceExhausted) {
      s = InvalidArgumentError(std::string(s.message()));
    }
    return Fail(c, s);
  }
  bool written = false;
  if (r->validated) {
    Status w = WriteFileAtomic(a.output, r->output);
    if (!w.ok()) return Fail(c, w);
    written = true;
  }
  if (c.json) {
    std::cout << ResultJson(a, *r, written).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    std::cout << a.file << ": " << convert::ConversionStatusName(r->status);
    if (written) std::cout << " -> " << a.output << " (PDF/A-" << r->profile << ", validated)";
    if (!r->converter.empty()) std::cout << " by " << r->converter;
    std::cout << ", " << r->pages << " pages, " << r->seconds << " s\n";
    if (!r->reason.empty()) std::cout << "  reason: " << r->reason << "\n";
    for (const auto& viol : r->violations) {
      std::cout << "  " << viol.clause << "  " << viol.message;
      if (!viol.object.empty()) std::cout << "  [" << viol.object << "]";
      std::cout << "\n";
    }
  }
  return written ? kExitOk : kExitCheckFailed;
}

}  // namespace

void RegisterConvertCommands(CLI::App& app, const Registry& reg) {
  static ConvertArgs storage;  // lives as long as the CLI app
  ConvertArgs* args = &storage;
  CLI::App* cmd = app.add_subcommand(
      "convert", "make a validated PDF/A-2b preservation copy (exit 1 if none validates)");
  reg.AddCommon(cmd);
  cmd->add_option("FILE", args->file, "pdf, doc(x), odt, rtf, xls(x), ods, ppt(x), tif(f), jpg, png")
      ->required();
  cmd->add_option("--to", args->to, "pdfa-2b (default) or pdfa-3b-rendition");
  cmd->add_option("-o,--output", args->output, "where to write the copy (atomically)")->required();
  cmd->add_option("--timeout", args->timeout_seconds,
                  "wall and CPU seconds allowed to each converter run (defaults per converter)");
  cmd->add_flag("--force", args->force,
                 "convert a PDF even if it already validates as PDF/A (default: copy it unchanged)");
  Registry r = reg;
  cmd->callback([args, r] { *r.rc = CmdConvert(*r.common, *args); });
}

}  // namespace kholuu::cli
