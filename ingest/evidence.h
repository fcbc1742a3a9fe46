// Evidence bundles for legal review (issue 19): `kholuu evidence ID -o FILE`
// writes one tar file that lets an outsider check, offline and with standard
// tools only (sh, sha256sum, od, openssl), that a document's signed original
// is the one the archive received and that nothing about it changed since:
//
//   original/, preservation-copy/, report/, ...  the document's components
//   record/   its catalog rows, byte for byte (.row) and readable (.json),
//             and its events
//   log/      the audit entries that wrote those rows and events (canonical
//             encoding, .bin), and for each its inclusion proof in the
//             anchored Merkle tree (one small file per tree node)
//   anchor/   the anchor statement, its seal (CMS) and timestamp token
//   README.md (Vietnamese and English), SHA256SUMS, verify.sh
//
// Layout and checks: docs/formats/evidence.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "archive/base/clock.h"
#include "archive/base/status.h"
#include "ingest/anchor.h"

namespace kholuu::ingest {

class Service;

struct EvidenceOptions {
  // Receives the tar's bytes in order (required); an error stops the
  // writing. Where they go (a file written atomically, standard output, a
  // response body) is the caller's: it commits them once WriteEvidence
  // succeeds.
  std::function<Status(std::string_view bytes)> sink;
  Clock* clock = SystemClock();
};

struct EvidenceResult {
  std::string id;
  uint64_t files = 0;         // in the bundle
  uint64_t bytes = 0;         // of the tar
  uint64_t entries = 0;       // audit entries proven
  Anchor anchor;              // the anchor the proofs lead to
  bool anchor_made = false;   // made for this bundle (no earlier one covered it)
  Sha256 sha256;              // of the tar, as the audit entry records it
};

// Checks the document first (Service::VerifyRecord) and refuses with
// kDataLoss, writing nothing, when it differs from its history. Uses the
// newest anchor that covers every entry proven (a timestamped one when a
// TSA is configured), or makes one (reason "evidence"). Audited as
// "access.evidence" with the tar's SHA-256. Errors: kInvalidArgument for a
// record file id (evidence is per document); kNotFound; as MakeAnchor (a
// seal key is required); the sink's error; I/O.
Result<EvidenceResult> WriteEvidence(Service& service, const std::string& document_id,
                                     const EvidenceOptions& options);

}  // namespace kholuu::ingest
