// PDF/A conformance checking: ISO 19005-1 level B, ISO 19005-2 levels B and
// U, ISO 19005-3 level B.
//
// The validator reads the file's bytes itself (header, comments, xref and
// stream keyword syntax, stream lengths), parses the object model with
// PoDoFo, and parses the XMP metadata with libxml2 (no network, no entity
// expansion). Every violation names the ISO 19005 clause it breaks. What is
// and is not checked is listed in docs/pdfa.md.
//
// Thread-safety: ValidatePdfa may be called from several threads at once
// (PoDoFo's global settings are written once, before the first parse).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::pdf {

enum class PdfaProfile { kAuto, k1b, k2b, k2u, k3b };

// "auto", "1b", "2b", "2u", "3b".
std::string_view PdfaProfileName(PdfaProfile p);
// Parses a name above; kInvalidArgument otherwise.
Result<PdfaProfile> ParsePdfaProfile(std::string_view name);

struct PdfaViolation {
  std::string clause;   // ISO 19005 clause of the profile's part, e.g. "6.2.11.4.1"
  std::string message;  // for a person
  std::string object;   // "12 0 R", "trailer", "XMP dc:title", or empty
};

struct PdfaReport {
  // The profile the file was checked against. With kAuto this is the file's
  // own claim (pdfaid:part and pdfaid:conformance); a file without a usable
  // claim is checked as 2b and carries a violation saying so.
  PdfaProfile profile = PdfaProfile::kAuto;
  bool compliant = false;  // no violations
  std::vector<PdfaViolation> violations;
  // Leaf pages found in the page tree, or -1 when the file could not be
  // parsed far enough to walk it.
  int pages = -1;
  // The file has an Encrypt entry (nothing was decrypted; clause 6.1.3).
  bool encrypted = false;
};

// Hostile-input bounds. A file that exceeds one is reported as a violation
// of the implementation-limits clause or as unparseable, never by a crash.
struct PdfaLimits {
  size_t max_file_bytes = size_t{1} << 30;          // larger files: kResourceExhausted
  size_t max_objects = 2'000'000;                   // PoDoFo object count cap
  size_t max_stream_decoded_bytes = size_t{64} << 20;  // one decoded stream
  size_t max_total_decoded_bytes = size_t{512} << 20;  // all decoded streams
  size_t max_violations = 200;                      // further ones are counted, not listed
  int max_depth = 64;                               // object graph walks (page tree, forms)
};

// Checks `bytes` against `profile`. A file that is not a PDF at all, or that
// PoDoFo cannot parse, is a non-compliant report (clause 6.1), not an error.
// Errors: kResourceExhausted when bytes exceed limits.max_file_bytes;
// kInternal for an unexpected library failure (never for bad input).
Result<PdfaReport> ValidatePdfa(std::string_view bytes, PdfaProfile profile,
                                const PdfaLimits& limits = {});

// Reads `path` (kNotFound, kPermissionDenied, kResourceExhausted for a file
// larger than limits.max_file_bytes) and validates it.
Result<PdfaReport> ValidatePdfaFile(const std::string& path, PdfaProfile profile,
                                    const PdfaLimits& limits = {});

}  // namespace kholuu::formats::pdf
