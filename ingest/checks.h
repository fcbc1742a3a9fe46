// Checks of files that are not (yet) in the archive: the stand-alone
// commands (`kholuu pdfa validate`, `sig verify`, `edxml inspect`, `bagit
// validate`, `text`, `convert`) and the ingest pipeline's stages call the
// same functions, so a file checked by hand is judged exactly as at ingest.
//
// The readers' own result types are re-exported under ingest:: (the
// namespace aliases below): programs above ingest include this header, never
// formats/ or indexer/ directly (tools/ci/check_layering.sh). Functions are
// thread-safe unless said otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/bagit/bag.h"
#include "formats/convert/pdfa_convert.h"
#include "formats/edxml/edxml.h"
#include "formats/pdf/pdfa.h"
#include "formats/pdfsig/pdf_signatures.h"
#include "formats/text/text.h"
#include "formats/x509/x509.h"
#include "formats/xmldsig/xmldsig.h"

namespace kholuu::ingest {

namespace x509 = formats::x509;
namespace pdfa = formats::pdf;
namespace pdfsig = formats::pdfsig;
namespace edxml = formats::edxml;
namespace bagit = formats::bagit;
namespace text = formats::text;
namespace conversion = ::kholuu::convert;

// Sets the wall-clock and CPU time limit of every converter run (Ghostscript,
// LibreOffice, tiff2pdf, pdftotext) to `limit` (> 0); a run that exceeds it
// is killed and the conversion fails with that reason.
void SetConverterTimeLimit(std::chrono::milliseconds limit, conversion::ConvertOptions* options);

// The PEM trust anchors of `dir`. Errors: annotated "trust store".
Result<x509::TrustStore> LoadTrustAnchors(const std::string& dir);

// The verdict on an edXML package's enveloped XML signature. `report` is
// empty when verification itself could not run (the reason is in `error`).
struct XmlSignatureVerdict {
  std::optional<formats::xmldsig::XmlSignatureReport> report;
  std::string error;
  // Verification could not run, or a present signature is invalid or its
  // signer untrusted.
  bool failed() const;
};
// Verifies the XML signature of the edXML package `xml` (at most 256 MiB)
// against `store` at `now` (seconds since the epoch).
XmlSignatureVerdict VerifyEdxmlSignature(std::string_view xml, const x509::TrustStore& store, int64_t now);
XmlSignatureVerdict VerifyEdxmlSignatureFile(const std::string& path, const x509::TrustStore& store, int64_t now);

// Per-page text (formats/text) with legacy 8-bit encodings (TCVN3, VNI,
// VISCII, CP1258) repaired page by page (indexer/legacy_encoding.h); a page's
// character count follows its repaired text.
struct RepairedPage {
  std::string encoding;   // the legacy encoding repaired from; "" when none
};
struct RepairedText {
  text::DocumentText text;
  std::vector<RepairedPage> repaired;  // one per page of text.pages
};
Result<RepairedText> ExtractRepairedText(std::string_view bytes, const text::TextOptions& options);
Result<RepairedText> ExtractRepairedTextFromFile(const std::string& path, const text::TextOptions& options);

// A plain-text file's bytes as UTF-8, repaired from a legacy encoding when
// they are in one; `encoding` names what was found ("utf-8" when none).
struct PlainText {
  std::string text;
  std::string encoding;
};
PlainText RepairPlainText(std::string_view bytes);

}  // namespace kholuu::ingest
