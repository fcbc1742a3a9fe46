// PDF/A-2b preservation copies made by external converters and checked by our
// own validator (formats/pdf).
//
// Routes (docs/preservation.md):
//  - a PDF that already validates as PDF/A (1b, 2b, 2u or 3b, by its own
//    claim) is its own preservation copy: nothing runs, the output is the
//    input bytes;
//  - any other PDF: Ghostscript (pdfwrite, -dPDFA=2, sRGB output intent);
//  - office documents (doc, docx, odt, rtf, xls, xlsx, ods, ppt, pptx, and
//    the flat ODF forms): LibreOffice headless with its PDF/A-2 export; when
//    that output does not validate, one Ghostscript pass over it;
//  - TIFF (one page per image): tiff2pdf, then Ghostscript;
//  - JPEG and PNG: LibreOffice Draw's PDF/A-2 export, then Ghostscript if
//    that does not validate.
// The route is chosen by the input's CONTENT (formats/identify), never by its
// name: a name or media type that disagrees with the content is noted
// (`input_type_mismatch`), and content that is no document of the kinds above
// — unknown bytes, a damaged file, plain XML or text — is refused before any
// converter runs. Every converter runs in the sandbox (sandbox.h) on a
// private copy of the input; the caller's bytes or file are never written.
//
// THE CONTRACT. A result is a preservation copy only when `validated` is
// true: our validator found no violation of PDF/A-2b in `output` (or, for
// kAlreadyConformant, of the file's own claimed part and level), and, for a
// PDF input, `output` has as many pages as the input. Otherwise the
// caller keeps the original as the only preservation object, records
// `violations` and `reason`, and raises a risk flag. `output` may then hold
// the converter's unvalidated bytes, for diagnosis only: never label or store
// them as PDF/A.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "formats/convert/sandbox.h"
#include "formats/pdf/pdfa.h"

namespace kholuu::convert {

// What kind of input a file is, which decides the route.
enum class InputKind {
  kPdf,
  kText,          // doc, docx, odt, fodt, rtf
  kSpreadsheet,   // xls, xlsx, ods, fods
  kPresentation,  // ppt, pptx, odp, fodp
  kTiff,
  kImage,         // jpeg, png
};

// "pdf", "text", "spreadsheet", "presentation", "tiff", "image".
std::string_view InputKindName(InputKind kind);

// The kind for a media type ("application/pdf", "image/tiff", ...), a file
// extension with or without the dot ("docx", ".PDF"), or a file name
// ("báo cáo.docx"). Errors: kInvalidArgument naming what is not supported.
Result<InputKind> InputKindFor(std::string_view type_or_name);

struct ConvertOptions {
  // Converter executables: absolute paths or names looked up in PATH. Tests
  // point these at stand-ins.
  std::string ghostscript = "gs";
  std::string libreoffice = "soffice";
  std::string tiff2pdf = "tiff2pdf";
  // Reads the text of a PDF input and of its copy (poppler's pdftotext), to
  // check that the copy kept it.
  std::string pdftotext = "pdftotext";
  // The sRGB profile written as the output intent. Empty: Ghostscript's own
  // (<prefix>/share/ghostscript/<version>/iccprofiles/srgb.icc, or
  // /usr/share/color/icc/ghostscript/srgb.icc).
  std::string srgb_profile;
  // Limits of each converter run (defaults: DefaultGhostscriptLimits() etc.).
  SandboxLimits ghostscript_limits;
  SandboxLimits libreoffice_limits;
  SandboxLimits tiff2pdf_limits;
  SandboxLimits pdftotext_limits;
  // A copy of a PDF must keep at least this share of the letters and digits
  // of the input's text (as multisets, so spacing and word breaks do not
  // count), else it is not validated: a valid PDF/A that dropped or changed
  // text is not the document. 0 turns the check off.
  double min_text_kept = 0.98;
  // Larger inputs are refused (kResourceExhausted) before anything runs.
  uint64_t max_input_bytes = uint64_t{1} << 30;
  // A converter output larger than this is refused (and not read).
  uint64_t max_output_bytes = uint64_t{1} << 30;
  // Convert a PDF even when it already validates as PDF/A (a fresh
  // Ghostscript copy instead of kAlreadyConformant). For benchmarks and
  // re-normalisation; the default follows the spec (it is its own copy).
  bool convert_conformant = false;
  // After LibreOffice or an image route: a Ghostscript pass when the first
  // output does not validate.
  bool ghostscript_retry = true;
  // Parent of the private work directories ("" = $TMPDIR or /tmp).
  std::string work_parent;
  // See SandboxRequest::require_network_isolation.
  bool require_network_isolation = true;

  ConvertOptions();
};

SandboxLimits DefaultGhostscriptLimits();   // 600 s wall and CPU, 4 GiB address space
SandboxLimits DefaultLibreOfficeLimits();   // 300 s wall and CPU, no address-space cap
SandboxLimits DefaultTiff2pdfLimits();      // 120 s wall and CPU, 2 GiB address space
SandboxLimits DefaultPdftotextLimits();     // 120 s wall and CPU, 2 GiB address space

enum class ConversionStatus {
  kConverted,          // output is a new PDF/A-2b copy (check `validated`)
  kAlreadyConformant,  // the input is PDF/A already; output == input
  kFailed,             // no copy that validates; see reason and violations
};

// "converted", "already_conformant", "failed".
std::string_view ConversionStatusName(ConversionStatus s);

// One converter process that ran.
struct ConverterRun {
  std::string tool;         // "gs", "soffice", "tiff2pdf"
  std::string agent;        // PREMIS-agent-like: "Ghostscript 10.00.0"
  bool succeeded = false;   // exited 0 and wrote its output
  std::string description;  // SandboxResult::Describe(), or what was missing
  double seconds = 0;
};

struct ConversionResult {
  ConversionStatus status = ConversionStatus::kFailed;
  InputKind kind = InputKind::kPdf;  // by content
  // The input's media type identified by content (formats/identify), and
  // whether the caller's type or name said another kind (or none supported).
  std::string input_media_type;
  bool input_type_mismatch = false;
  // See THE CONTRACT above.
  bool validated = false;
  // The PDF/A part and level `validated` refers to: "2b" for a conversion, the
  // file's own claim for kAlreadyConformant.
  std::string profile = "2b";
  std::string output;
  // Our validator's findings on the last output (or on the input, when it was
  // refused before conversion, e.g. encrypted).
  std::vector<formats::pdf::PdfaViolation> violations;
  // Why there is no validated copy; empty when validated.
  std::string reason;
  // "Ghostscript 10.00.0", "LibreOffice 7.4.7.2 + Ghostscript 10.00.0", or
  // "" when nothing ran.
  std::string converter;
  std::vector<ConverterRun> runs;
  // What the copy changes beyond the format, for the record (e.g.
  // "annotations flattened: ..."): a copy with notes is
  // still validated, and the notes belong in its normalisation event.
  std::vector<std::string> notes;
  // The text check of a PDF input (ConvertOptions::min_text_kept): letters
  // and digits of the input's text, and how many of them the copy has; -1
  // when not checked (another route, no text layer, or the check is off).
  int64_t text_letters = -1;
  int64_t text_letters_kept = -1;
  int pages = -1;               // pages of the output, -1 when unknown
  double seconds = 0;           // the whole call
  double validation_seconds = 0;
};

// Converts `input` into a PDF/A-2b copy. The route follows the content;
// `type_or_name` (a media type, extension or file name, see InputKindFor) is
// what the caller believes it is, used only to tell Office 97 formats apart
// when the content cannot. A converter that fails, crashes, hangs or floods
// its work directory is a kFailed result with the reason, never an error.
// Errors: kInvalidArgument when the content is not a convertible document
// (unknown, damaged, or of an unsupported format: the message says what it
// was identified as and what the caller said); kResourceExhausted when
// the input exceeds max_input_bytes; kFailedPrecondition when the sandbox
// cannot isolate the converter; kInternal when a work directory cannot be
// made or read.
// Thread-safe: concurrent calls use separate work directories.
Result<ConversionResult> ConvertToPdfA2b(std::string_view input, std::string_view type_or_name,
                                         const ConvertOptions& options = {});

// Reads `path` (kNotFound, kPermissionDenied, kResourceExhausted) and converts
// it, with the file name as the caller's claim. The file is only read.
Result<ConversionResult> ConvertFileToPdfA2b(const std::string& path,
                                             const ConvertOptions& options = {});

// The version of the converter playing `role` ("gs", "soffice", "tiff2pdf";
// the executable is the one `options` names), as a PREMIS-agent-like name:
// "Ghostscript 10.00.0", "LibreOffice 7.4.7.2 40(Build:2)", "tiff2pdf
// (LIBTIFF 4.5.0)". Asked once per executable per process (in the sandbox)
// and cached; "<role> (version unknown)" if it cannot be asked.
std::string ConverterAgent(const std::string& role, const ConvertOptions& options);

}  // namespace kholuu::convert
