#include "ingest/rendition.h"

#include "formats/pdf/rendition.h"
#include "formats/pdfsig/pdf_signatures.h"

namespace kholuu::ingest {

namespace pdf = formats::pdf;
namespace pdfsig = formats::pdfsig;

Result<RenditionCheck> MakeSealedRendition(const RenditionParts& parts,
                                           const pdfsig::SealSigner* signer, int64_t now,
                                           const formats::x509::TimestampFn& timestamp) {
  pdf::EmbeddedFileSpec original;
  original.bytes = parts.original;
  original.name = parts.original_name;
  original.media_type = parts.original_media_type;
  original.description = "The original as received by the archive (bit-exact)";
  pdf::EmbeddedFileSpec report;
  report.bytes = parts.report_json;
  report.name = "signature-verification-report.json";
  report.media_type = "application/json";
  report.description = "Signature verification report of the original (kholuu)";
  pdf::RenditionOptions options;
  options.now = now;
  KHOLUU_ASSIGN_OR_RETURN(std::string built, pdf::BuildRendition(parts.copy, original, report, options));

  RenditionCheck check;
  if (signer == nullptr) {
    check.output = std::move(built);
  } else {
    pdfsig::SealOptions seal;
    seal.reason = "Bản sao lưu trữ do kholuu cấp (PDF/A-3b, kèm bản gốc)";
    seal.name = "kholuu archive seal";
    seal.signing_time = now;
    seal.timestamp = timestamp;
    KHOLUU_ASSIGN_OR_RETURN(check.output, pdfsig::SealPdf(built, *signer, seal));
    pdfsig::VerifyOptions vo;
    vo.now = now;
    KHOLUU_ASSIGN_OR_RETURN(pdfsig::PdfReport r, pdfsig::VerifyPdfSignatures(check.output, vo));
    if (r.signatures.empty()) return InternalError("rendition: the seal was not found after sealing");
    const pdfsig::SignatureReport& s = r.signatures.back();
    check.seal_integrity = std::string(formats::x509::IntegrityName(s.integrity));
    check.seal_covers_whole_document = s.covers_whole_document;
    if (s.integrity != formats::x509::Integrity::kValid || !s.covers_whole_document) {
      return InternalError("rendition: the seal does not verify (" + check.seal_integrity + ")");
    }
    if (timestamp) {
      if (!s.timestamp.has_value() || !s.timestamp->valid) {
        return InternalError("rendition: the seal's timestamp does not verify");
      }
      check.timestamped = true;
    }
  }
  // The original inside must be the original, byte for byte.
  KHOLUU_ASSIGN_OR_RETURN(std::vector<pdf::AssociatedFile> files, pdf::ExtractAssociatedFiles(check.output));
  bool found = false;
  for (const pdf::AssociatedFile& f : files) {
    if (f.relationship == "Source" && f.bytes == parts.original) found = true;
  }
  if (!found) return InternalError("rendition: the embedded original is not byte-identical");
  KHOLUU_ASSIGN_OR_RETURN(pdf::PdfaReport v, pdf::ValidatePdfa(check.output, pdf::PdfaProfile::k3b));
  if (!v.violations.empty()) {
    return InternalError("rendition: the sealed file does not validate as PDF/A-3b: " +
                         v.violations.front().clause + " " + v.violations.front().message);
  }
  return check;
}

}  // namespace kholuu::ingest
