// The sealed PDF/A-3b rendition for transfer and legal export
// (spec/architecture.md §3.4): the preservation copy with the signed original
// embedded (/AFRelationship /Source) and the signature verification report
// (/Supplement), sealed with the archive's key (formats/pdfsig SealPdf), and
// checked before it is handed out: it must validate as PDF/A-3b, the
// embedded original must be byte-identical, and the seal must verify.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/base/status.h"
#include "formats/pdfsig/seal.h"

namespace kholuu::ingest {

struct RenditionParts {
  std::string_view copy;              // PDF/A-2b, -2u or -3b preservation copy
  std::string_view original;          // the original's bytes, embedded unchanged
  std::string original_name;          // UTF-8 file name
  std::string original_media_type;    // e.g. "application/pdf"
  std::string report_json;            // signature verification report (sig_report.h)
};

struct RenditionCheck {
  std::string output;                 // the sealed rendition
  std::string seal_integrity;         // our verifier's verdict on the seal ("valid")
  bool seal_covers_whole_document = false;
  bool timestamped = false;           // the seal carries a verified signature timestamp
};

// Builds, seals and checks. `signer` null: not sealed (for archives without a
// seal key, only when the caller explicitly allows it). `timestamp` set (a
// configured TSA, seal_key.h LoadSealTimestamp): the seal gets a signature
// timestamp (PAdES-B-T), which must then verify too. Errors: as
// BuildRendition and SealPdf (a failing TSA fails the rendition: a
// configured TSA is a promise of B-T); kInternal when the result fails its
// own checks (never returned as a rendition).
Result<RenditionCheck> MakeSealedRendition(const RenditionParts& parts,
                                           const formats::pdfsig::SealSigner* signer, int64_t now,
                                           const formats::x509::TimestampFn& timestamp = {});

}  // namespace kholuu::ingest
