// The signature verification report: what `kholuu sig verify --json` prints
// for one file (the spec/architecture.md §5.2 contract shape plus the
// evidence behind each verdict), stored as the report component of a
// preserved document and embedded in PDF/A-3b renditions (/AFRelationship
// /Supplement). A persistent format: docs/formats/signature-report.md.
// Functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "formats/pdfsig/pdf_signatures.h"

namespace kholuu::ingest {

// The component format_version of a stored report.
inline constexpr char kSignatureReportFormat[] = "kholuu signature report 1";

// The report as JSON text (indent 2, UTF-8; bytes that are not UTF-8 become
// U+FFFD): {"file", "revisions", "problems", "signatures": [...]}.
std::string SignatureReportText(const std::string& file, const formats::pdfsig::PdfReport& r);

// A failed check: integrity not valid, untrusted signer, a signature outside
// any revision, or a change after signing that is not permitted.
bool SignatureFailed(const formats::pdfsig::SignatureReport& s);
bool AnySignatureFailed(const formats::pdfsig::PdfReport& r);

// The report embedded in a rendition, as JSON text: SignatureReportText of a
// fresh verification when `is_pdf`, a note for any other original, and the
// verifier's error (not a failure of the caller) when the PDF cannot be read.
std::string EmbeddedReportFor(const std::string& name, bool is_pdf, std::string_view bytes,
                              const formats::pdfsig::VerifyOptions& options);

}  // namespace kholuu::ingest
