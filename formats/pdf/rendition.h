// PDF/A-3b renditions for transfer and legal export, and reading the
// associated files of any PDF.
//
// A rendition is the preservation copy (a PDF/A-2b, -2u or -3b file) with
// the signed original embedded as an associated file (/AFRelationship
// /Source) and the signature verification report embedded as a second one
// (/Supplement), its XMP identification changed to PDF/A-3B. The exact
// layout is in docs/formats/rendition.md. Sealing it is formats/pdfsig's
// SealPdf. Thread-safety: reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "formats/pdf/pdfa.h"

namespace kholuu::formats::pdf {

// A file to embed. `bytes` must outlive the call.
struct EmbeddedFileSpec {
  std::string_view bytes;
  std::string name;         // UTF-8, e.g. "Quyết định 12.pdf"; no '/' or NUL
  std::string media_type;   // "type/subtype", e.g. "application/pdf"
  std::string description;  // UTF-8, /Desc; may be empty
  int64_t mod_time = 0;     // Unix seconds for /Params /ModDate; 0 = RenditionOptions::now
};

struct RenditionOptions {
  int64_t now = 0;  // Unix seconds for /ModDate and the XMP dates; 0 = the current time
  PdfaLimits limits;  // for both validations
};

// Builds the rendition. The preservation copy must validate (our validator,
// its own claim) as PDF/A-2b, -2u or -3b; the output is validated as
// PDF/A-3b before it is returned.
// Errors: kInvalidArgument for an empty or unusable name, a malformed media
// type, or a copy PoDoFo cannot read; kFailedPrecondition when the copy
// does not validate, or when the result would not (message: the first
// violations); kResourceExhausted as ValidatePdfa; kInternal for a library
// failure.
Result<std::string> BuildRendition(std::string_view preservation_copy, const EmbeddedFileSpec& original,
                                   const EmbeddedFileSpec& report, const RenditionOptions& options = {});

struct AssociatedFile {
  std::string name;          // /UF, else /F, as UTF-8
  std::string relationship;  // /AFRelationship ("Source", "Supplement", ...), "" if absent
  std::string media_type;    // the embedded file stream's /Subtype, "" if absent
  std::string description;   // /Desc as UTF-8
  std::string bytes;         // decoded stream data
  bool associated = false;   // listed in the catalog's /AF
};

struct ExtractLimits {
  size_t max_input_bytes = size_t{1} << 30;
  size_t max_file_bytes = size_t{1} << 30;     // one decoded file
  size_t max_total_bytes = size_t{2} << 30;    // all decoded files
  size_t max_files = 1000;
  size_t max_objects = 2'000'000;
};

// Every embedded file of `pdf` reachable from the catalog's /AF array or the
// /Names /EmbeddedFiles tree, each once, /AF entries first, in order.
// Errors: kInvalidArgument when the PDF cannot be parsed or is encrypted, or
// an embedded stream cannot be decoded; kResourceExhausted beyond a limit.
Result<std::vector<AssociatedFile>> ExtractAssociatedFiles(std::string_view pdf, const ExtractLimits& limits = {});

}  // namespace kholuu::formats::pdf
