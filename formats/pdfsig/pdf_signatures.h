// Signatures and document timestamps of a PDF, across all its revisions.
//
// VerifyPdfSignatures finds every signature through the signature fields of
// every revision (the AcroForm field tree with nested /Kids and the pages'
// widgets, over objects found by our own byte-level scan; no cross-reference
// table is trusted), one report per signature value, and checks each one's
// ByteRange, the digest and signature value of every signer (OpenSSL CMS via
// formats/x509), the ESS signing-certificate binding (a check of its own),
// its timestamps, its certificate chain against a trust
// store with the revocation data embedded in the file, and classifies every
// incremental update made after the revision it signs. See docs/signatures.md.
// Thread-safety: reentrant; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "formats/x509/cms.h"
#include "formats/x509/x509.h"

namespace kholuu::formats::pdfsig {

// What a later incremental update does, from the signature's point of view.
enum class ChangeClass {
  kValidationData,  // DSS/VRI, document timestamps: never changes the content
  kPermitted,       // form fill, signing, annotations, as the DocMDP level allows
  kOther,           // anything else: pages, content, resources... reported, never hidden
};
std::string_view ChangeClassName(ChangeClass c);  // "validation-data" | "permitted" | "other"

struct RevisionChange {
  int revision = 0;              // 0-based index of the revision
  uint64_t begin = 0, end = 0;   // its bytes in the file
  ChangeClass change = ChangeClass::kOther;
  std::vector<std::string> details;  // one line per object that decided the class
};

struct TimestampReport {
  bool valid = false;      // token verifies and its imprint matches
  int64_t time = 0;        // genTime, Unix seconds
  std::string tsa;         // TSA certificate common name
  x509::TrustResult trust; // of the TSA chain, at genTime
  std::vector<std::string> problems;
};

// A FieldMDP lock set by a signature: from its /Reference FieldMDP transform
// and/or its field's /Lock dictionary. After the signature, the listed fields
// (fully qualified names; a name also locks its descendants) must not change.
struct FieldLock {
  std::string action;               // "All", "Include" or "Exclude"
  std::vector<std::string> fields;  // for Include / Exclude
};

// One SignerInfo of a signature's CMS SignedData (nearly always just one).
struct SignerReport {
  std::string signer;  // common name
  x509::CertInfo signer_cert;
  std::string signer_identifier;  // "issuer-and-serial" | "subject-key-identifier"
  x509::Integrity integrity = x509::Integrity::kMalformed;
  std::vector<std::string> problems;
  std::string digest_algorithm;
  std::string signature_algorithm;
  bool weak_digest = false;
  std::optional<int64_t> signing_time;           // claimed: its signingTime attribute
  x509::SigningCertCheck signing_certificate;    // ESS binding, a check of its own
  x509::PolicyCheck policy;                      // signature-policy-identifier
  x509::TrustResult trust;                       // at the signature's validation_time
};

struct SignatureReport {
  std::string field;              // fully qualified field name (the first of `fields`), or "(object N)"
  std::vector<std::string> fields;  // every signature field whose /V this signature is
  uint32_t object = 0;            // object number of the signature dictionary
  std::string subfilter;          // as written, e.g. "ETSI.CAdES.detached"
  bool document_timestamp = false;
  std::vector<int64_t> byte_range;
  x509::Integrity integrity = x509::Integrity::kMalformed;
  std::vector<std::string> problems;  // integrity and coverage problems, warnings
  bool covers_whole_document = false;
  bool modified_after_signing = false;
  int revision = -1;                  // revision the signature covers, -1 if none
  std::vector<RevisionChange> changes;  // every revision after that one
  std::optional<int> docmdp_level;      // certification signature: P (1, 2 or 3)
  std::optional<FieldLock> field_lock;  // FieldMDP lock this signature sets, if any
  std::string signer;                   // signer certificate common name
  x509::CertInfo signer_cert;
  std::string digest_algorithm;
  std::string signature_algorithm;
  bool weak_digest = false;
  std::optional<int64_t> signing_time;  // claimed: signingTime attribute, else /M
  std::optional<TimestampReport> timestamp;  // signature timestamp, or the document timestamp itself
  int64_t validation_time = 0;          // the time the chain was judged at
  std::string validation_time_source;   // "signature-timestamp", "document-timestamp", "now"
  x509::TrustResult trust;
  // The ESS signing-certificate binding and the signature policy of the
  // first signer: checks of their own, never part of `integrity`.
  x509::SigningCertCheck signing_certificate;
  x509::PolicyCheck policy;
  // Every SignerInfo of the CMS (empty for legacy PKCS#1 and unreadable
  // CMS); `integrity` is kValid only when each of them is.
  std::vector<SignerReport> signers;
};

struct PdfReport {
  uint64_t size = 0;
  size_t revisions = 0;
  std::vector<SignatureReport> signatures;  // in file order
  std::vector<std::string> problems;        // document-level observations
};

struct VerifyOptions {
  x509::TrustStore trust_store;  // empty: trust is "unknown"
  int64_t now = 0;               // Unix seconds; the validation time when nothing better is known
};

// Errors: kInvalidArgument if `pdf` has no "%PDF-" header at all (one after
// leading bytes is read, with a document problem, as poppler does).
// Everything wrong with a signature is reported in its SignatureReport.
Result<PdfReport> VerifyPdfSignatures(std::string_view pdf, const VerifyOptions& options);

// Reads `path` (at most 1 GiB) and verifies it. Errors: as ReadFileToString,
// then as VerifyPdfSignatures.
Result<PdfReport> VerifyPdfFile(const std::string& path, const VerifyOptions& options);

}  // namespace kholuu::formats::pdfsig
