// The signature verification report as JSON: the `kholuu sig verify`
// contract shape (spec/architecture.md §5.2) with the evidence behind each
// verdict. Also stored as the report component of a preserved document and
// embedded in PDF/A-3b renditions (/AFRelationship /Supplement).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "formats/pdfsig/pdf_signatures.h"

namespace kholuu::cli {

nlohmann::json SignatureJson(const formats::pdfsig::SignatureReport& s);
// {"file", "revisions", "problems", "signatures": [SignatureJson...]}
nlohmann::json SignatureReportJson(const std::string& file, const formats::pdfsig::PdfReport& r);
// A failed check: integrity not valid, untrusted signer, a signature outside
// any revision, or a change after signing that is not permitted.
bool SignatureFailed(const formats::pdfsig::SignatureReport& s);
bool AnySignatureFailed(const formats::pdfsig::PdfReport& r);

// The report embedded in a rendition, as JSON text: SignatureReportJson of a
// fresh verification when `is_pdf`, a note for any other original, and the
// verifier's error (not a failure of the caller) when the PDF cannot be read.
std::string EmbeddedReportFor(const std::string& name, bool is_pdf, std::string_view bytes,
                              const formats::pdfsig::VerifyOptions& options);

}  // namespace kholuu::cli
