#include "formats/convert/pdfa_convert.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "archive/base/file.h"
#include "formats/common/text.h"
#include "formats/identify/identify.h"

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

// Tool output or a file name made safe to print (control characters become
// spaces, UTF-8 such as Vietnamese names is kept), trimmed, at most 200 bytes.
std::string Printable(std::string_view bytes) {
  return std::string(formats::Trim(formats::PrintableText(bytes, 200), " "));
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

// The route for content identified as `id` (formats/identify); `claimed` is
// what the caller's type or name said, used only where the content alone is
// ambiguous (an OLE2 compound file whose streams name no Office program).
Result<Classified> ClassifyContent(const formats::identify::Identification& id,
                                   const Result<Classified>& claimed, std::string_view type_or_name) {
  const std::string said = claimed.ok() ? "'" + Printable(type_or_name) + "'" : "an unsupported type";
  // A damaged PDF goes to the PDF route, which flags it without converting
  // (see ConvertToPdfA2b); other damaged content is refused here.
  if (id.damaged && id.media_type != "application/pdf") {
    return InvalidArgumentError("conversion to PDF/A refused: the content is a damaged " + id.media_type +
                                " (" + id.damage + "); the caller said " + said);
  }
  static const std::map<std::string, Classified, std::less<>> kByContent = {
      {"application/pdf", {InputKind::kPdf, "pdf"}},
      {"application/msword", {InputKind::kText, "doc"}},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", {InputKind::kText, "docx"}},
      {"application/vnd.ms-word.document.macroenabled.12", {InputKind::kText, "docm"}},
      {"application/vnd.oasis.opendocument.text", {InputKind::kText, "odt"}},
      {"application/vnd.oasis.opendocument.text-flat-xml", {InputKind::kText, "fodt"}},
      {"application/rtf", {InputKind::kText, "rtf"}},
      {"application/vnd.ms-excel", {InputKind::kSpreadsheet, "xls"}},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {InputKind::kSpreadsheet, "xlsx"}},
      {"application/vnd.ms-excel.sheet.macroenabled.12", {InputKind::kSpreadsheet, "xlsm"}},
      {"application/vnd.oasis.opendocument.spreadsheet", {InputKind::kSpreadsheet, "ods"}},
      {"application/vnd.oasis.opendocument.spreadsheet-flat-xml", {InputKind::kSpreadsheet, "fods"}},
      {"application/vnd.ms-powerpoint", {InputKind::kPresentation, "ppt"}},
      {"application/vnd.openxmlformats-officedocument.presentationml.presentation",
       {InputKind::kPresentation, "pptx"}},
      {"application/vnd.ms-powerpoint.presentation.macroenabled.12", {InputKind::kPresentation, "pptm"}},
      {"application/vnd.oasis.opendocument.presentation", {InputKind::kPresentation, "odp"}},
      {"application/vnd.oasis.opendocument.presentation-flat-xml", {InputKind::kPresentation, "fodp"}},
      {"image/tiff", {InputKind::kTiff, "tif"}},
      {"image/jpeg", {InputKind::kImage, "jpg"}},
      {"image/png", {InputKind::kImage, "png"}},
  };
  const std::string type = formats::identify::CanonicalMediaType(id.media_type);
  if (auto it = kByContent.find(type); it != kByContent.end()) return it->second;
  if (type == "application/x-ole-storage" && claimed.ok() &&
      (claimed->extension == "doc" || claimed->extension == "xls" || claimed->extension == "ppt")) {
    return *claimed;
  }
  return InvalidArgumentError("conversion to PDF/A refused: the content is " +
                              (id.known() ? "a " + id.media_type + " file" : std::string("not a known format")) +
                              ", not a document kholuu converts; the caller said " + said +
                              " (the route is chosen by content, never by name)");
}

// True when every finding is about annotations (PDF/A-2 6.3: types,
// appearances, flags), which drawing them into the page removes.
bool OnlyAnnotationFindings(const std::vector<pdf::PdfaViolation>& violations) {
  if (violations.empty()) return false;
  for (const pdf::PdfaViolation& v : violations) {
    if (v.clause.rfind("6.3.", 0) != 0 && v.clause.rfind("6.5.", 0) != 0) return false;
  }
  return true;
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

  // `extra` goes before the input (e.g. -dPreserveAnnots=false).
  bool Ghostscript(const std::string& in, const std::string& out_name, std::string* bytes,
                   const std::vector<std::string>& extra = {}) {
    const std::string icc = wd_.Sub("srgb.icc");
    const std::string def = wd_.Sub("pdfa_def.ps");
    Status s = Status::Ok();
    if (!pdfa_definition_written_) {  // once per work directory: a second pass reuses them
      s = CopyProfile(icc);
      if (s.ok()) s = WriteScratch(def, PdfaDefinition(icc));
      pdfa_definition_written_ = s.ok();
    }
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
    };
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(def);
    argv.push_back(in);
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
    if (report->compliant && expected_pages_ <= 0 && pages_from_poppler_) {
      const std::optional<PopplerText>& in = InputText();
      if (!in || in->pages <= 0) {
        result_->validated = false;
        result_->reason = "neither kholuu's parser nor poppler can read the original, so the copy cannot be "
                          "checked against it";
        return false;
      }
      expected_pages_ = in->pages;
    }
    if (report->compliant && expected_pages_ > 0 && report->pages != expected_pages_) {
      // Valid PDF/A, but not the document: never a preservation copy.
      result_->validated = false;
      result_->reason = "the converted copy has " + std::to_string(report->pages) + " page" +
                        (report->pages == 1 ? "" : "s") + " where the original has " +
                        std::to_string(expected_pages_) + ": pages were lost or added";
      return false;
    }
    if (report->compliant && check_text_ && !TextKept()) {
      result_->validated = false;
      return false;
    }
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

  // The page count every output must have (the input's, when known; <= 0:
  // not checked).
  void ExpectPages(int pages) { expected_pages_ = pages; }
  // Every output must keep the input's text (a PDF input; see
  // ConvertOptions::min_text_kept).
  void ExpectText() { check_text_ = options_.min_text_kept > 0; }
  // The input's page count is poppler's (our parser could not read it).
  void ExpectPagesFromPoppler() { pages_from_poppler_ = true; }

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
  // The text of the PDF at `path` by pdftotext in the sandbox; an error
  // says why it could not be read. Not a converter run: not in `runs`.
  Result<std::string> PdfText(const std::string& path, const std::string& out_name) {
    const std::string out = wd_.Sub(out_name);
    auto sr = RunSandboxed(
        Request({options_.pdftotext, "-q", "-enc", "UTF-8", path, out}, options_.pdftotext_limits, wd_, options_),
        wd_);
    if (!sr.ok()) return sr.status();
    if (!sr->succeeded()) return InvalidArgumentError(sr->Describe("pdftotext"));
    return ReadFileToString(out, options_.max_output_bytes);
  }

  // Compares the text of the last output (result_->output) with the
  // input's; false (with the reason set) when the copy lost text.
  struct PopplerText {
    formats::LetterCount letters;
    int pages = 0;  // pdftotext ends every page with a form feed
  };
  // The input's text as poppler reads it, once; nullopt when it cannot.
  const std::optional<PopplerText>& InputText() {
    if (!input_text_read_) {
      input_text_read_ = true;
      auto text = PdfText(input_path_, "input.txt");
      if (text.ok()) {
        input_text_ = PopplerText{formats::CountLetters(*text),
                                  static_cast<int>(std::count(text->begin(), text->end(), '\f'))};
      }
    }
    return input_text_;
  }

  bool TextKept() {
    // An input whose text cannot be read, or that has none, has nothing to
    // compare with.
    if (!InputText() || InputText()->letters.total == 0) return true;
    const formats::LetterCount* input_letters = &InputText()->letters;
    const std::string copy = wd_.Sub("check-" + std::to_string(++text_checks_) + ".pdf");
    Status written = WriteScratch(copy, result_->output);
    auto text = written.ok() ? PdfText(copy, "check-" + std::to_string(text_checks_) + ".txt")
                             : Result<std::string>(written);
    if (!text.ok()) {
      result_->reason = "the text of the converted copy cannot be read (" + std::string(text.status().message()) +
                        "); the original's can";
      return false;
    }
    const formats::LetterCount have = formats::CountLetters(*text);
    const size_t kept = have.Kept(*input_letters);
    result_->text_letters = static_cast<int64_t>(input_letters->total);
    result_->text_letters_kept = static_cast<int64_t>(kept);
    if (static_cast<double>(kept) >= options_.min_text_kept * static_cast<double>(input_letters->total)) {
      return true;
    }
    result_->reason = "the converted copy keeps " + std::to_string(kept) + " of the " +
                      std::to_string(input_letters->total) +
                      " letters and digits of the original's text: text was lost or changed";
    return false;
  }

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
  bool pdfa_definition_written_ = false;
  bool check_text_ = false;
  bool pages_from_poppler_ = false;
  bool input_text_read_ = false;
  std::optional<PopplerText> input_text_;
  int text_checks_ = 0;
  Status fatal_;
  int expected_pages_ = -1;
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

SandboxLimits DefaultPdftotextLimits() { return DefaultTiff2pdfLimits(); }

ConvertOptions::ConvertOptions()
    : ghostscript_limits(DefaultGhostscriptLimits()),
      libreoffice_limits(DefaultLibreOfficeLimits()),
      tiff2pdf_limits(DefaultTiff2pdfLimits()),
      pdftotext_limits(DefaultPdftotextLimits()) {}

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
  if (input.size() > options.max_input_bytes) {
    return ResourceExhaustedError("conversion input of " + std::to_string(input.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(options.max_input_bytes) + " bytes");
  }
  const Result<Classified> claimed = Classify(type_or_name);
  const formats::identify::Identification id = formats::identify::IdentifyBytes(input);
  KHOLUU_ASSIGN_OR_RETURN(Classified c, ClassifyContent(id, claimed, type_or_name));
  ConversionResult result;
  result.kind = c.kind;
  result.input_media_type = id.media_type;
  const auto same_format = [](std::string a, std::string b) {
    for (std::string* e : {&a, &b}) {
      if (*e == "tiff") *e = "tif";
      if (*e == "jpeg") *e = "jpg";
    }
    return a == b;
  };
  result.input_type_mismatch = !claimed.ok() || !same_format(claimed->extension, c.extension);
  if (id.damaged) {
    // Never converted: a converter would repair it into a copy that silently
    // lacks what was cut off.
    result.reason = "the PDF is damaged (" + id.damage + "); it is kept as it is and not converted";
    result.seconds = SecondsSince(start);
    return result;
  }
  auto done = [&]() -> Result<ConversionResult> {
    result.seconds = SecondsSince(start);
    if (result.validated) result.reason.clear();
    return std::move(result);
  };

  int input_pages = -1;  // known for PDFs our parser reads
  std::string unparsed;  // why our parser could not read a PDF input
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
    if (own.encrypted) {
      result.violations = std::move(own.violations);
      result.reason = "the PDF is encrypted; it is kept as it is (PDF/A forbids encryption "
                      "and kholuu does not decrypt)";
      return done();
    }
    if (own.pages < 0) {
      // Our parser cannot walk it, yet other readers may (PoDoFo 0.9.8 refuses
      // some valid cross-reference streams): Ghostscript converts, and
      // poppler's reading of the original decides pages and text.
      std::string why = "kholuu's parser cannot read the original";
      for (const auto& v : own.violations) {
        if (v.message.rfind("the file cannot be parsed", 0) == 0) why += " (" + v.message + ")";
      }
      unparsed = why + "; the copy's pages and text were checked against poppler's reading of it";
    }
    input_pages = own.pages;
  }

  Conversion conv(options, &result);
  conv.ExpectPages(input_pages);
  if (c.kind == InputKind::kPdf) conv.ExpectText();
  if (!unparsed.empty()) conv.ExpectPagesFromPoppler();
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
      if (!validated && OnlyAnnotationFindings(result.violations)) {
        // Annotations PDF/A does not allow as they are (no appearance
        // stream, a forbidden type): one more pass that draws them into the
        // page, noted on the result.
        const std::string first_reason = result.reason;
        std::string flat;
        validated = conv.Ghostscript(conv.input_path(), "gs-flat.pdf", &flat, {"-dPreserveAnnots=false"}) &&
                    conv.Validate(std::move(flat));
        if (validated) {
          result.notes.push_back(
              "annotations flattened: drawn into the page content where they have an appearance, otherwise "
              "not kept (the copy as they were: " +
              first_reason + ")");
        } else {
          result.reason = first_reason + "; with annotations flattened: " + result.reason;
        }
      }
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
  if (!unparsed.empty()) {
    if (validated) {
      result.notes.push_back(unparsed);
    } else {
      result.reason = unparsed.substr(0, unparsed.find(';')) + "; " + result.reason;
    }
  }
  result.converter = conv.Converters();
  result.status = validated ? ConversionStatus::kConverted : ConversionStatus::kFailed;
  return done();
}

Result<ConversionResult> ConvertFileToPdfA2b(const std::string& path, const ConvertOptions& options) {
  KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path, options.max_input_bytes));
  return ConvertToPdfA2b(bytes, path, options);
}

}  // namespace kholuu::convert
