// kholuu convert FILE --to pdfa-2b -o OUT|- [--timeout S] [--reconvert] [--force] [--json]
// kholuu convert FILE --to pdfa-3b-rendition -o OUT [--trust-store DIR] [--no-seal]
//
// pdfa-3b-rendition: the PDF/A-2b copy as above, with FILE embedded unchanged
// (/AFRelationship /Source) and its signature verification report
// (/Supplement), sealed with the archive's key from --data (kholuu seal
// init); checked before it is written: PDF/A-3b, the embedded original
// byte-identical, the seal valid (ingest/rendition.h). JSON adds
// "rendition": {"sealed", "seal_integrity", "original_sha256",
// "report": <the signature report>}. --no-seal writes an unsealed rendition.
//
// Makes a PDF/A-2b preservation copy of FILE (formats/convert) and writes it
// to OUT atomically, only if our validator accepts it. A file that is already
// PDF/A is copied unchanged ("already_conformant"). Output with --json:
// {"file", "to", "status": "converted"|"already_conformant"|"failed",
//  "validated", "profile", "converter", "output"?, "violations": [{"clause",
//  "message", "object"?}], "reason"?, "notes"?: [...], "input_media_type"?,
//  "input_type_mismatch"?, "text"?: {"letters", "kept"}, "pages", "seconds",
//  "runs": [...]}.
// OUT "-" writes the copy to standard output (then the summary goes to
// stderr; --json is refused); an existing OUT is replaced only with --force.
// --reconvert converts a PDF even when it already validates as PDF/A.
// Exit 0 when a validated copy was written, 1 when conversion or validation
// failed (nothing written), 2 for a usage error or an unreadable or
// unsupported input, 3 for an internal error. No archive is opened.
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <iostream>

#include "archive/base/file.h"
#include "ingest/checks.h"
#include "ingest/rendition.h"
#include "ingest/seal_key.h"
#include "ingest/signature_report.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/output.h"

namespace kholuu::cli {
namespace {

struct ConvertArgs {
  std::string file;
  std::string to = "pdfa-2b";
  std::string output;
  double timeout_seconds = 0;
  bool force = false;      // replace an existing output file
  bool reconvert = false;  // convert a PDF that already validates
  std::string trust_store;
  bool no_seal = false;
};

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

nlohmann::json ResultJson(const ConvertArgs& a, const ingest::conversion::ConversionResult& r, bool written) {
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
                        {"kind", std::string(ingest::conversion::InputKindName(r.kind))},
                        {"status", std::string(ingest::conversion::ConversionStatusName(r.status))},
                        {"validated", r.validated},
                        {"profile", r.profile},
                        {"converter", r.converter},
                        {"violations", v},
                        {"pages", r.pages},
                        {"seconds", r.seconds},
                        {"runs", runs}};
  if (written) out["output"] = a.output;
  if (!r.reason.empty()) out["reason"] = r.reason;
  if (!r.notes.empty()) out["notes"] = r.notes;
  if (!r.input_media_type.empty()) out["input_media_type"] = r.input_media_type;
  if (r.input_type_mismatch) out["input_type_mismatch"] = true;
  if (r.text_letters >= 0) out["text"] = {{"letters", r.text_letters}, {"kept", r.text_letters_kept}};
  return out;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The signature verification report embedded in a rendition: the same JSON
// as `kholuu sig verify --json` for a PDF, a note for any other original.
Result<std::string> ReportFor(const Common& c, const ConvertArgs& a, const std::string& bytes,
                              ingest::conversion::InputKind kind) {
  const bool is_pdf = kind == ingest::conversion::InputKind::kPdf;
  ingest::pdfsig::VerifyOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  std::string trust_dir = a.trust_store.empty() ? ingest::DataDir(c.data).trust() : a.trust_store;
  if (is_pdf && (!a.trust_store.empty() || IsDirectory(trust_dir))) {
    auto store = ingest::LoadTrustAnchors(trust_dir);
    if (!store.ok()) return store.status();
    options.trust_store = std::move(store).value();
  }
  return ingest::EmbeddedReportFor(BaseName(a.file), is_pdf, bytes, options);
}

int CmdConvert(const Common& c, const ConvertArgs& a) {
  const bool rendition = a.to == "pdfa-3b-rendition";
  if (a.to != "pdfa-2b" && !rendition) {
    return Fail(c, InvalidArgumentError("--to: unknown target '" + a.to +
                                        "' (pdfa-2b or pdfa-3b-rendition)"));
  }
  if (SameFile(a.file, a.output)) {
    return Fail(c, InvalidArgumentError("-o must not be the input file (conversion never "
                                        "writes its input)"));
  }
  auto out = Output::Prepare(a.output, a.force, c.json);
  if (!out.ok()) return Fail(c, out.status());
  ingest::conversion::ConvertOptions options;
  options.convert_conformant = a.reconvert;
  if (a.timeout_seconds > 0) {
    const auto t = std::chrono::milliseconds(static_cast<int64_t>(a.timeout_seconds * 1000));
    const auto cpu = static_cast<uint64_t>(a.timeout_seconds + 0.999);
    for (ingest::conversion::SandboxLimits* l : {&options.ghostscript_limits, &options.libreoffice_limits,
                               &options.tiff2pdf_limits}) {
      l->wall_time = t;
      l->cpu_seconds = cpu;
    }
  }
  auto r = ingest::conversion::ConvertFileToPdfA2b(a.file, options);
  if (!r.ok()) {
    Status s = r.status();
    // An input too large to read is an unreadable input, not an internal error.
    if (s.code() == StatusCode::kResourceExhausted) {
      s = InvalidArgumentError(std::string(s.message()));
    }
    if (s.message().find(a.file) == std::string::npos) s.Annotate(a.file);
    return Fail(c, s);
  }
  bool written = false;
  nlohmann::json rendition_json;
  if (r->validated && rendition) {
    // A PDF/A-1b original is its own preservation copy but cannot carry
    // associated files: the rendition starts from a fresh PDF/A-2b copy.
    if (r->status == ingest::conversion::ConversionStatus::kAlreadyConformant && r->profile == "1b") {
      options.convert_conformant = true;
      r = ingest::conversion::ConvertFileToPdfA2b(a.file, options);
      if (!r.ok()) return Fail(c, r.status());
    }
  }
  if (r->validated && rendition) {
    auto original = ReadFileToString(a.file, options.max_input_bytes);
    if (!original.ok()) return Fail(c, original.status());
    auto report = ReportFor(c, a, *original, r->kind);
    if (!report.ok()) return Fail(c, report.status());
    ingest::pdfsig::SealSigner signer;
    ingest::x509::TimestampFn timestamp;
    if (!a.no_seal) {
      auto loaded = ingest::LoadSealKey(ingest::DataDir(c.data));
      if (!loaded.ok()) {
        return Fail(c, Status(loaded.status().code(),
                              loaded.status().message() + " (seal key of " + c.data +
                                  "; or give --no-seal)"));
      }
      signer = std::move(loaded).value();
      auto ts = ingest::LoadSealTimestamp(ingest::DataDir(c.data));
      if (!ts.ok()) return Fail(c, ts.status());
      timestamp = std::move(ts).value();
    }
    ingest::RenditionParts parts;
    parts.copy = r->output;
    parts.original = *original;
    parts.original_name = BaseName(a.file);
    parts.original_media_type = r->kind == ingest::conversion::InputKind::kPdf ? "application/pdf"
                                                                      : "application/octet-stream";
    parts.report_json = *report;
    auto made = ingest::MakeSealedRendition(parts, a.no_seal ? nullptr : &signer,
                                    static_cast<int64_t>(std::time(nullptr)), timestamp);
    if (!made.ok()) return Fail(c, made.status());
    Status w = out->Write(made->output);
    if (!w.ok()) return Fail(c, w);
    written = true;
    rendition_json = nlohmann::json::object();
    rendition_json["sealed"] = !a.no_seal;
    rendition_json["seal_integrity"] = made->seal_integrity;
    rendition_json["timestamped"] = made->timestamped;
    rendition_json["original_sha256"] = Sha256Of(*original).ToHex();
    rendition_json["report"] = nlohmann::json::parse(*report, nullptr, false);
  } else if (r->validated) {
    Status w = out->Write(r->output);
    if (!w.ok()) return Fail(c, w);
    written = true;
  }
  if (c.json) {
    nlohmann::json result = ResultJson(a, *r, written);
    if (!rendition_json.is_null()) result["rendition"] = rendition_json;
    std::cout << DumpJson(result) << "\n";
  } else if (!c.quiet || !written) {
    std::ostream& os = out->to_stdout() ? std::cerr : std::cout;
    os << a.file << ": " << ingest::conversion::ConversionStatusName(r->status);
    if (written && rendition) {
      os << " -> " << a.output << " (PDF/A-3b rendition"
                << (a.no_seal ? ", not sealed" : ", sealed") << ")";
    } else if (written) {
      os << " -> " << a.output << " (PDF/A-" << r->profile << ", validated)";
    }
    if (!r->converter.empty()) os << " by " << r->converter;
    os << ", " << r->pages << " pages, " << r->seconds << " s\n";
    if (!r->reason.empty()) os << "  reason: " << r->reason << "\n";
    for (const auto& viol : r->violations) {
      os << "  " << viol.clause << "  " << viol.message;
      if (!viol.object.empty()) os << "  [" << viol.object << "]";
      os << "\n";
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
  cmd->add_option("-o,--output", args->output, "where to write the copy (atomically), or - for standard output")
      ->required();
  cmd->add_option("--timeout", args->timeout_seconds,
                  "wall and CPU seconds allowed to each converter run (defaults per converter)");
  cmd->add_option("--trust-store", args->trust_store,
                  "rendition: PEM trust anchors for the signature report (default <data>/trust)");
  cmd->add_flag("--no-seal", args->no_seal, "rendition: do not seal with the archive's key");
  cmd->add_flag("--reconvert", args->reconvert,
                "convert a PDF even if it already validates as PDF/A (default: copy it unchanged)");
  cmd->add_flag("--force", args->force, "replace an existing output file");
  Registry r = reg;
  cmd->callback([args, r] { *r.rc = CmdConvert(*r.common, *args); });
}

}  // namespace kholuu::cli
