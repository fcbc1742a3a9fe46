// The signature verification report: what `kholuu sig verify --json` prints
// for one file (the spec/architecture.md §5.2 contract shape plus the
// evidence behind each verdict), stored as the report component of a
// preserved document and embedded in PDF/A-3b renditions (/AFRelationship
// /Supplement). A persistent format: docs/formats/signature-report.md.
// Functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

#include "formats/pdfsig/pdf_signatures.h"

namespace kholuu::ingest {

// The component format_version of a stored report. Version 2 (2026-12):
// `integrity` no longer includes the ESS signing-certificate binding (now
// `signing_certificate`), and `fields`, `signature_policy` and `signers` were
// added. Reports of version 1 stay as they were written; see
// docs/formats/signature-report.md for reading them.
inline constexpr char kSignatureReportFormat[] = "kholuu signature report 2";
inline constexpr char kSignatureReportFormatV1[] = "kholuu signature report 1";

// The report as JSON text (indent 2, UTF-8; bytes that are not UTF-8 become
// U+FFFD): {"format", "file", "revisions", "problems", "signatures": [...]}.
std::string SignatureReportText(const std::string& file, const formats::pdfsig::PdfReport& r);

// A stored report read back: the verdicts of each signature, in the terms of
// the current version whatever version it was written in.
struct StoredSignature {
  std::vector<std::string> fields;  // every field whose /V it is (version 1: its one field)
  std::string kind;                 // "signature" | "document-timestamp"
  // Of the signed bytes and every signature value only. A version 1 report
  // counted a signing-certificate mismatch as "invalid-signature"; read back,
  // such a signature is "valid" with signing_certificate "does-not-match"
  // when nothing else was wrong with its signature value.
  std::string integrity;
  // The ESS binding: "absent" | "matches" | "does-not-match" | "unverifiable";
  // "not-recorded" for a version 1 report that did not mention it.
  std::string signing_certificate;
  std::string trust;      // "trusted" | "untrusted" | "unknown" (of the first signer)
  size_t signers = 1;     // SignerInfos (version 1: recorded as one)
  bool failed = false;    // as SignatureFailed judges, from the stored members
};

struct StoredSignatureReport {
  int version = 0;  // 1 or 2
  std::string file;
  std::vector<StoredSignature> signatures;
};

// Reads a stored report of version 1 or 2. `format_version` is the
// component's (kSignatureReportFormat or kSignatureReportFormatV1); empty
// when unknown (an embedded copy): then version 2 reports are recognised by
// their "format" member and anything without one is read as version 1.
// Errors: kInvalidArgument for text that is not such a report, kUnimplemented
// for a later version.
Result<StoredSignatureReport> ReadSignatureReport(std::string_view format_version, std::string_view json);

// A failed check: integrity not valid (of any signer), an untrusted signer
// (any of them), a signature outside any revision, or a change after signing
// that is not permitted. The ESS signing-certificate binding and the
// signature policy are reported, not judged here.
bool SignatureFailed(const formats::pdfsig::SignatureReport& s);
bool AnySignatureFailed(const formats::pdfsig::PdfReport& r);

// The report embedded in a rendition, as JSON text: SignatureReportText of a
// fresh verification when `is_pdf`, a note for any other original, and the
// verifier's error (not a failure of the caller) when the PDF cannot be read.
std::string EmbeddedReportFor(const std::string& name, bool is_pdf, std::string_view bytes,
                              const formats::pdfsig::VerifyOptions& options);

}  // namespace kholuu::ingest
