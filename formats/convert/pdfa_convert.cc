#include "formats/convert/pdfa_convert.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <utility>

#include "archive/base/file.h"

namespace kholuu::convert {
namespace {

namespace pdf = formats::pdf;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Printable ASCII only (tool output is bytes, not text), trimmed, at most 200.
std::string Printable(std::string_view bytes) {
  std::string out;
  for (char c : bytes) {
    if (out.size() >= 200) break;
    out += (c >= 0x20 && c < 0x7f) ? c : ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  size_t first = out.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : out.substr(first);
}

std::string FirstLine(std::string_view bytes) {
  size_t nl = bytes.find('\n');
  return Printable(bytes.substr(0, nl));
}

struct Classified {
  InputKind kind;
  std::string extension;  // of the private copy the converter reads
};

Result<Classified> Classify(std::string_view type_or_name) {
  const std::string t = Lower(type_or_name);
  static const std::map<std::string, Classified, std::less<>> kMediaTypes = {
      {"application/pdf", {InputKind::kPdf, "pdf"}},
      {"application/msword", {InputKind::kText, "doc"}},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
       {InputKind::kText, "docx"}},
      {"application/vnd.oasis.opendocument.text", {InputKind::kText, "odt"}},
      {"application/rtf", {InputKind::kText, "rtf"}},
      {"text/rtf", {InputKind::kText, "rtf"}},
      {"application/vnd.ms-excel", {InputKind::kSpreadsheet, "xls"}},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
       {InputKind::kSpreadsheet, "xlsx"}},
      {"application/vnd.oasis.opendocument.spreadsheet", {InputKind::kSpreadsheet, "ods"}},
      {"application/vnd.ms-powerpoint", {InputKind::kPresentation, "ppt"}},
      {"application/vnd.openxmlformats-officedocument.presentationml.presentation",
       {InputKind::kPresentation, "pptx"}},
      {"application/vnd.oasis.opendocument.presentation", {InputKind::kPresentation, "odp"}},
      {"image/tiff", {InputKind::kTiff, "tif"}},
      {"image/jpeg", {InputKind::kImage, "jpg"}},
      {"image/png", {InputKind::kImage, "png"}},
  };
  static const std::map<std::string, InputKind, std::less<>> kExtensions = {
      {"pdf", InputKind::kPdf},           {"doc", InputKind::kText},
      {"docx", InputKind::kText},         {"odt", InputKind::kText},
      {"fodt", InputKind::kText},         {"rtf", InputKind::kText},
      {"xls", InputKind::kSpreadsheet},   {"xlsx", InputKind::kSpreadsheet},
      {"ods", InputKind::kSpreadsheet},   {"fods", InputKind::kSpreadsheet},
      {"ppt", InputKind::kPresentation},  {"pptx", InputKind::kPresentation},
      {"odp", InputKind::kPresentation},  {"fodp", InputKind::kPresentation},
      {"tif", InputKind::kTiff},          {"tiff", InputKind::kTiff},
      {"jpg", InputKind::kImage},         {"jpeg", InputKind::kImage},
      {"png", InputKind::kImage},
  };
  std::string_view media = t;
  media = media.substr(0, media.find(';'));  // "text/rtf; charset=..."
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (auto it = kMediaTypes.find(media); it != kMediaTypes.end()) return it->second;
  size_t dot = t.rfind('.');
  std::string ext = dot == std::string::npos ? t : t.substr(dot + 1);
  auto it = kExtensions.find(ext);
  if (it != kExtensions.end()) return Classified{it->second, ext};
  return InvalidArgumentError("conversion to PDF/A: unsupported file type '" + Printable(type_or_name) +
                              "' (supported: pdf, doc, docx, odt, rtf, xls, xlsx, ods, ppt, pptx, "
                              "tif, tiff, jpg, jpeg, png)");
}

// A file: URL for a local absolute path (RFC 8089), percent-encoding all but
// unreserved characters and '/'.
std::string FileUrl(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
        c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

// A PostScript string literal: (, ) and \ escaped, other bytes as octal.
std::string PsString(const std::string& s) {
  std::string out = "(";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      const char oct[] = {'\\', static_cast<char>('0' + (c >> 6)), static_cast<char>('0' + ((c >> 3) & 7)),
                          static_cast<char>('0' + (c & 7)), '\0'};
      out += oct;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + ")";
}

// Font substitutions the converters read through FONTCONFIG_FILE. Nghị định
// 30/2020 prescribes Times New Roman, which Debian does not ship; Liberation
// Serif has the same advance widths and covers Vietnamese, so line and page
// breaks stay where the author saw them. The system configuration is
// included first, so every installed font stays available.
constexpr std::string_view kFontsConf = R"(<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Written by kholuu for one converter run (docs/preservation.md). -->
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <match target="pattern">
    <test qual="any" name="family"><string>Times New Roman</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Liberation Serif</string></edit>
  </match>
  <match target="pattern">
    <test qual="any" name="family"><string>Arial</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Liberation Sans</string></edit>
  </match>
  <match target="pattern">
    <test qual="any" name="family"><string>Courier New</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Liberation Mono</string></edit>
  </match>
  <alias binding="same">
    <family>serif</family>
    <prefer><family>Liberation Serif</family><family>Noto Serif</family></prefer>
  </alias>
  <alias binding="same">
    <family>sans-serif</family>
    <prefer><family>Liberation Sans</family><family>Noto Sans</family></prefer>
  </alias>
</fontconfig>
)";

// The PostScript prologue that gives Ghostscript's PDF/A output its output
// intent: an ICC stream with the sRGB profile and an OutputIntent of subtype
// GTS_PDFA1 in the catalog (ISO 19005-2, 6.2.3).
std::string PdfaDefinition(const std::string& icc_path) {
  return "%!PS\n"
         "% Written by kholuu for one Ghostscript run: the PDF/A output intent.\n"
         "/KholuuSrgb " + PsString(icc_path) + " (r) file def\n"
         "[ /_objdef {kholuu_srgb} /type /stream /OBJ pdfmark\n"
         "[ {kholuu_srgb} << /N 3 >> /PUT pdfmark\n"
         "[ {kholuu_srgb} KholuuSrgb /PUT pdfmark\n"
         "[ /_objdef {kholuu_intent} /type /dict /OBJ pdfmark\n"
         "[ {kholuu_intent} << /Type /OutputIntent /S /GTS_PDFA1\n"
         "    /DestOutputProfile {kholuu_srgb}\n"
         "    /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) >> /PUT pdfmark\n"
         "[ {Catalog} << /OutputIntents [ {kholuu_intent} ] >> /PUT pdfmark\n";
}

SandboxRequest Request(std::vector<std::string> argv, const SandboxLimits& limits,
                       const WorkDir& wd, const ConvertOptions& options) {
  SandboxRequest r;
  r.argv = std::move(argv);
  r.limits = limits;
  r.env = {"FONTCONFIG_FILE=" + wd.Sub("fonts.conf")};
  r.require_network_isolation = options.require_network_isolation;
  return r;
}

// Writes a new file of the work directory (never through a name a converter
// planted: O_EXCL). Not durable on purpose: the directory lives for one
// conversion, and fsync would cost more than the rest.
Status WriteScratch(const std::string& path, std::string_view bytes) {
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600));
  KHOLUU_RETURN_IF_ERROR(f.WriteAll(bytes));
  return f.Close();
}

// --- tool versions ------------------------------------------------------

std::string AgentFromVersionOutput(const std::string& base, const SandboxResult& r) {
  std::string line = FirstLine(r.stdout_bytes);
  if (line.empty()) line = FirstLine(r.stderr_bytes);
  if (base == "gs") {
    if (r.succeeded() && !line.empty()) return "Ghostscript " + line;
  } else if (base == "soffice" || base == "libreoffice") {
    if (r.succeeded() && !line.empty()) return line;
  } else if (base == "tiff2pdf") {
    // "LIBTIFF, Version 4.5.0" at the top of its usage text.
    size_t v = line.find("Version ");
    if (v != std::string::npos) return "tiff2pdf (LIBTIFF " + line.substr(v + 8) + ")";
  } else if (r.succeeded() && !line.empty()) {
    return base + " " + line;
  }
  return base + " (version unknown)";
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// --- one conversion ------------------------------------------------------

class Conversion {
 public:
  Conversion(const ConvertOptions& options, ConversionResult* result)
      : options_(options), result_(result) {}

  // Creates the work directory with the input copy and the font config.
  Status Prepare(std::string_view input, const std::string& extension) {
    KHOLUU_ASSIGN_OR_RETURN(wd_, WorkDir::Create("convert", options_.work_parent));
    input_path_ = wd_.Sub("input." + extension);
    KHOLUU_RETURN_IF_ERROR(WriteScratch(input_path_, input));
    return WriteScratch(wd_.Sub("fonts.conf"), kFontsConf);
  }

  const std::string& input_path() const { return input_path_; }
  const WorkDir& work_dir() const { return wd_; }

  // Runs `argv` and reads `output` into *bytes if the run exited 0 and wrote
  // it. Records the run; on failure sets the result's reason, returns false.
  bool Run(const std::string& role, std::vector<std::string> argv, const SandboxLimits& limits,
           const std::string& output, std::string* bytes) {
    ConverterRun run;
    run.tool = role;
    run.agent = ConverterAgent(role, options_);
    auto sr = RunSandboxed(Request(std::move(argv), limits, wd_, options_), wd_);
    if (!sr.ok()) {
      if (sr.status().code() == StatusCode::kFailedPrecondition) fatal_ = sr.status();
      run.description = std::string(sr.status().message());
      return Finish(std::move(run), false);
    }
    run.seconds = sr->wall_seconds;
    run.description = sr->Describe(run.tool);
    if (!sr->succeeded()) return Finish(std::move(run), false);
    struct stat st;
    // lstat: an output that is a symlink (to a file outside the work
    // directory, say) is not an output.
    if (::lstat(output.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
      run.description += " without writing its output";
      return Finish(std::move(run), false);
    }
    if (static_cast<uint64_t>(st.st_size) > options_.max_output_bytes) {
      run.description += ", but its output (" + std::to_string(st.st_size) +
                         " bytes) exceeds the limit of " +
                         std::to_string(options_.max_output_bytes) + " bytes";
      return Finish(std::move(run), false);
    }
    auto read = ReadFileToString(output, options_.max_output_bytes);
    if (!read.ok()) {
      run.description += ", but its output cannot be read: " + std::string(read.status().message());
      return Finish(std::move(run), false);
    }
    *bytes = std::move(read).value();
    return Finish(std::move(run), true);
  }

  bool Ghostscript(const std::string& in, const std::string& out_name, std::string* bytes) {
    const std::string icc = wd_.Sub("srgb.icc");
    const std::string def = wd_.Sub("pdfa_def.ps");
    Status s = CopyProfile(icc);
    if (s.ok()) s = WriteScratch(def, PdfaDefinition(icc));
    if (!s.ok()) {
      ConverterRun run;
      run.tool = "gs";
      run.agent = ConverterAgent("gs", options_);
      run.description = "gs not run: " + std::string(s.message());
      return Finish(std::move(run), false);
    }
    const std::string out = wd_.Sub(out_name);
    std::vector<std::string> argv = {
        options_.ghostscript,
        "-q",
        "-dSAFER",
        "-dBATCH",
        "-dNOPAUSE",
        "-dNOOUTERSAVE",
        "-sDEVICE=pdfwrite",
        "-dPDFA=2",
        "-dPDFACompatibilityPolicy=1",
        "-sColorConversionStrategy=RGB",
        "-sProcessColorModel=DeviceRGB",
        "-dEmbedAllFonts=true",
        "-dAutoRotatePages=/None",
        "--permit-file-read=" + wd_.path() + "/",
        "-sOutputFile=" + out,
        def,
        in,
    };
    return Run("gs", std::move(argv), options_.ghostscript_limits, out, bytes);
  }

  bool LibreOffice(const std::string& filter, std::string* bytes) {
    const std::string outdir = wd_.Sub("lo-out");
    std::vector<std::string> argv = {
        options_.libreoffice,
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "-env:UserInstallation=" + FileUrl(wd_.Sub("lo-profile")),
        "--convert-to",
        "pdf:" + filter + ":{\"SelectPdfVersion\":{\"type\":\"long\",\"value\":\"2\"}}",
        "--outdir",
        outdir,
        input_path_,
    };
    std::string stem = BaseName(input_path_);
    lo_output_ = outdir + "/" + stem.substr(0, stem.rfind('.')) + ".pdf";
    return Run("soffice", std::move(argv), options_.libreoffice_limits, lo_output_, bytes);
  }
  // Where LibreOffice() wrote its PDF.
  const std::string& lo_output() const { return lo_output_; }

  bool Tiff2pdf(std::string* bytes) {
    const std::string out = wd_.Sub("tiff.pdf");
    return Run("tiff2pdf", {options_.tiff2pdf, "-o", out, input_path_}, options_.tiff2pdf_limits,
               out, bytes);
  }

  // Validates `bytes` as PDF/A-2b into the result; true when it conforms.
  bool Validate(std::string bytes) {
    const auto start = Clock::now();
    auto report = pdf::ValidatePdfa(bytes, pdf::PdfaProfile::k2b);
    result_->validation_seconds += SecondsSince(start);
    result_->output = std::move(bytes);
    result_->profile = "2b";
    if (!report.ok()) {
      result_->validated = false;
      result_->violations.clear();
      result_->reason = "the converted copy could not be validated: " +
                        std::string(report.status().message());
      return false;
    }
    result_->validated = report->compliant;
    result_->violations = std::move(report->violations);
    result_->pages = report->pages;
    if (report->compliant) {
      result_->reason.clear();
    } else {
      const pdf::PdfaViolation& first = result_->violations.front();
      result_->reason = "the converted copy does not validate as PDF/A-2b (" +
                        std::to_string(result_->violations.size()) + " violation" +
                        (result_->violations.size() == 1 ? "" : "s") + "; first: " + first.clause +
                        " " + first.message + ")";
    }
    return report->compliant;
  }

  const Status& fatal() const { return fatal_; }
  // Agents of the successful runs, in order, joined by " + ".
  std::string Converters() const {
    std::string out;
    for (const ConverterRun& r : result_->runs) {
      if (!r.succeeded) continue;
      if (!out.empty()) out += " + ";
      out += r.agent;
    }
    return out;
  }

 private:
  bool Finish(ConverterRun run, bool ok) {
    run.succeeded = ok;
    if (!ok) result_->reason = run.description;
    result_->runs.push_back(std::move(run));
    return ok;
  }

  Status CopyProfile(const std::string& dest) {
    std::vector<std::string> candidates;
    if (!options_.srgb_profile.empty()) {
      candidates.push_back(options_.srgb_profile);
    } else {
      // "Ghostscript 10.00.0" -> the profile of that version.
      std::string agent = ConverterAgent("gs", options_);
      if (agent.rfind("Ghostscript ", 0) == 0) {
        std::string version = agent.substr(12);
        candidates.push_back("/usr/share/ghostscript/" + version + "/iccprofiles/srgb.icc");
        candidates.push_back("/usr/local/share/ghostscript/" + version + "/iccprofiles/srgb.icc");
      }
      candidates.push_back("/usr/share/color/icc/ghostscript/srgb.icc");
    }
    for (const std::string& c : candidates) {
      auto bytes = ReadFileToString(c, 1u << 20);
      if (bytes.ok()) return WriteScratch(dest, *bytes);
    }
    return NotFoundError("no sRGB ICC profile found (tried " + candidates.front() +
                         "; Debian package ghostscript)");
  }

  const ConvertOptions& options_;
  ConversionResult* result_;
  WorkDir wd_;
  std::string input_path_;
  std::string lo_output_;
  Status fatal_;
};

std::string_view LibreOfficeFilter(InputKind kind) {
  switch (kind) {
    case InputKind::kSpreadsheet: return "calc_pdf_Export";
    case InputKind::kPresentation: return "impress_pdf_Export";
    case InputKind::kImage: return "draw_pdf_Export";
    default: return "writer_pdf_Export";
  }
}

}  // namespace

// ---- public ----------------------------------------------------------------

std::string_view InputKindName(InputKind kind) {
  switch (kind) {
    case InputKind::kPdf: return "pdf";
    case InputKind::kText: return "text";
    case InputKind::kSpreadsheet: return "spreadsheet";
    case InputKind::kPresentation: return "presentation";
    case InputKind::kTiff: return "tiff";
    case InputKind::kImage: return "image";
  }
  return "unknown";
}

Result<InputKind> InputKindFor(std::string_view type_or_name) {
  KHOLUU_ASSIGN_OR_RETURN(Classified c, Classify(type_or_name));
  return c.kind;
}

std::string_view ConversionStatusName(ConversionStatus s) {
  switch (s) {
    case ConversionStatus::kConverted: return "converted";
    case ConversionStatus::kAlreadyConformant: return "already_conformant";
    case ConversionStatus::kFailed: return "failed";
  }
  return "failed";
}

SandboxLimits DefaultGhostscriptLimits() {
  SandboxLimits l;
  l.wall_time = std::chrono::seconds(600);
  l.cpu_seconds = 600;
  l.address_space_bytes = uint64_t{4} << 30;
  l.file_size_bytes = uint64_t{1} << 30;
  l.work_dir_bytes = uint64_t{3} << 30;
  return l;
}

SandboxLimits DefaultLibreOfficeLimits() {
  SandboxLimits l;
  l.wall_time = std::chrono::seconds(300);
  l.cpu_seconds = 300;
  // soffice.bin reserves far more address space than it touches; a cap low
  // enough to matter makes it abort at start. Time and disk bound it instead.
  l.address_space_bytes = 0;
  l.file_size_bytes = uint64_t{1} << 30;
  l.work_dir_bytes = uint64_t{3} << 30;
  l.open_files = 1024;
  return l;
}

SandboxLimits DefaultTiff2pdfLimits() {
  SandboxLimits l;
  l.wall_time = std::chrono::seconds(120);
  l.cpu_seconds = 120;
  l.address_space_bytes = uint64_t{2} << 30;
  l.file_size_bytes = uint64_t{1} << 30;
  l.work_dir_bytes = uint64_t{3} << 30;
  return l;
}

ConvertOptions::ConvertOptions()
    : ghostscript_limits(DefaultGhostscriptLimits()),
      libreoffice_limits(DefaultLibreOfficeLimits()),
      tiff2pdf_limits(DefaultTiff2pdfLimits()) {}

std::string ConverterAgent(const std::string& role, const ConvertOptions& options) {
  static std::mutex mu;
  static std::map<std::string, std::string>* cache = new std::map<std::string, std::string>();
  const std::string& tool = role == "gs"        ? options.ghostscript
                            : role == "soffice" ? options.libreoffice
                            : role == "tiff2pdf" ? options.tiff2pdf
                                                 : role;
  auto path = FindTool(tool);
  const std::string key = role + "\n" + (path.ok() ? *path : tool);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache->find(key);
    if (it != cache->end()) return it->second;
  }
  const std::string& base = role;
  std::string agent = base + " (version unknown)";
  auto wd = WorkDir::Create("version", options.work_parent);
  if (path.ok() && wd.ok()) {
    SandboxRequest r;
    r.argv = {*path, base == "tiff2pdf" ? "-h" : "--version"};
    r.require_network_isolation = options.require_network_isolation;
    r.limits.wall_time = std::chrono::seconds(30);
    r.limits.cpu_seconds = 30;
    r.limits.address_space_bytes = 0;
    r.limits.work_dir_bytes = 64u << 20;
    auto sr = RunSandboxed(r, *wd);
    if (sr.ok()) agent = AgentFromVersionOutput(base, *sr);
    // A run that could not even be asked is not cached: it may be transient.
    if (!sr.ok() || sr->end != SandboxEnd::kExited) return agent;
  } else {
    return agent;
  }
  std::lock_guard<std::mutex> lock(mu);
  cache->emplace(key, agent);
  return agent;
}

Result<ConversionResult> ConvertToPdfA2b(std::string_view input, std::string_view type_or_name,
                                         const ConvertOptions& options) {
  const auto start = Clock::now();
  KHOLUU_ASSIGN_OR_RETURN(Classified c, Classify(type_or_name));
  if (input.size() > options.max_input_bytes) {
    return ResourceExhaustedError("conversion input of " + std::to_string(input.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(options.max_input_bytes) + " bytes");
  }
  ConversionResult result;
  result.kind = c.kind;
  auto done = [&]() -> Result<ConversionResult> {
    result.seconds = SecondsSince(start);
    if (result.validated) result.reason.clear();
    return std::move(result);
  };

  if (c.kind == InputKind::kPdf) {
    // Already PDF/A by its own claim: its own preservation copy.
    const auto vstart = Clock::now();
    pdf::PdfaLimits vlimits;
    vlimits.max_file_bytes = std::max<size_t>(vlimits.max_file_bytes, input.size());
    KHOLUU_ASSIGN_OR_RETURN(pdf::PdfaReport own,
                            pdf::ValidatePdfa(input, pdf::PdfaProfile::kAuto, vlimits));
    result.validation_seconds += SecondsSince(vstart);
    if (own.compliant && !options.convert_conformant) {
      result.status = ConversionStatus::kAlreadyConformant;
      result.validated = true;
      result.profile = std::string(pdf::PdfaProfileName(own.profile));
      result.output = std::string(input);
      result.pages = own.pages;
      return done();
    }
    if (own.encrypted || own.pages < 0) {
      result.violations = std::move(own.violations);
      if (own.encrypted) {
        result.reason = "the PDF is encrypted; it is kept as it is (PDF/A forbids encryption "
                        "and kholuu does not decrypt)";
      } else {
        std::string why;
        for (const auto& v : result.violations) {
          if (v.message.rfind("the file cannot be parsed", 0) == 0) why = v.message;
        }
        result.reason = "the PDF cannot be parsed" + (why.empty() ? std::string() : ": " + why);
      }
      return done();
    }
  }

  Conversion conv(options, &result);
  Status prepared = conv.Prepare(input, c.extension);
  if (!prepared.ok()) {
    return InternalError("conversion: cannot prepare a work directory: " +
                         std::string(prepared.message()));
  }
  std::string bytes;
  bool validated = false;
  switch (c.kind) {
    case InputKind::kPdf:
      validated = conv.Ghostscript(conv.input_path(), "gs.pdf", &bytes) && conv.Validate(std::move(bytes));
      break;
    case InputKind::kTiff:
      validated = conv.Tiff2pdf(&bytes) &&
                  conv.Ghostscript(conv.work_dir().Sub("tiff.pdf"), "gs.pdf", &bytes) &&
                  conv.Validate(std::move(bytes));
      break;
    case InputKind::kText:
    case InputKind::kSpreadsheet:
    case InputKind::kPresentation:
    case InputKind::kImage: {
      if (!conv.LibreOffice(std::string(LibreOfficeFilter(c.kind)), &bytes)) break;
      validated = conv.Validate(std::move(bytes));
      if (!validated && options.ghostscript_retry) {
        std::string first_reason = result.reason;
        std::string gs_bytes;
        validated = conv.Ghostscript(conv.lo_output(), "gs.pdf", &gs_bytes) &&
                    conv.Validate(std::move(gs_bytes));
        if (!validated) result.reason = first_reason + "; after one Ghostscript pass: " + result.reason;
      }
      break;
    }
  }
  if (!conv.fatal().ok()) return conv.fatal();
  result.converter = conv.Converters();
  result.status = validated ? ConversionStatus::kConverted : ConversionStatus::kFailed;
  return done();
}

Result<ConversionResult> ConvertFileToPdfA2b(const std::string& path, const ConvertOptions& options) {
  KHOLUU_RETURN_IF_ERROR(Classify(path).status());  // before reading anything
  KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path, options.max_input_bytes));
  return ConvertToPdfA2b(bytes, path, options);
}

}  // namespace kholuu::convert
