// X.509 certificates, trust stores and offline trust evaluation.
//
// Everything here works offline: chains are built from certificates the
// caller supplies (the CMS, the PDF's DSS) plus the trust anchors of a
// TrustStore; revocation is decided only from CRLs and OCSP responses the
// caller supplies (embedded in the document). Nothing is fetched.
// Thread-safety: free functions are reentrant; values are plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::x509 {

// What a report says about one certificate.
struct CertInfo {
  std::string subject;      // one line, RFC 2253 order, UTF-8 ("CN=...,O=...,C=VN")
  std::string issuer;
  std::string serial_hex;   // upper-case hex
  int64_t not_before = 0;   // Unix seconds
  int64_t not_after = 0;
  std::string key_algorithm;  // "RSA-2048", "EC-prime256v1", "ED25519", ...
  std::string sha256_hex;     // of the DER
  std::string common_name;    // the CN, or the subject when there is none
};

// Parses one DER certificate. Errors: kInvalidArgument if it does not parse.
Result<CertInfo> DescribeCertificate(std::string_view der);

// Formats Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string FormatTime(int64_t unix_seconds);

// Trust anchors: every certificate in every *.pem / *.crt / *.cer file (PEM)
// of a directory. Value type.
struct TrustStore {
  std::vector<std::string> anchors_der;

  // Errors: kNotFound / kPermissionDenied for the directory (as ErrnoError);
  // kInvalidArgument naming the file when a file holds no readable
  // certificate. Files larger than 4 MiB are refused (kResourceExhausted).
  static Result<TrustStore> LoadPemDirectory(const std::string& dir);
};

// Revocation evidence found in a document, DER-encoded.
struct RevocationData {
  std::vector<std::string> crls_der;
  std::vector<std::string> ocsp_responses_der;  // full OCSPResponse structures
  void Append(const RevocationData& other);
};

enum class Trust { kTrusted, kUntrusted, kUnknown };
std::string_view TrustName(Trust t);  // "trusted" | "untrusted" | "unknown"

enum class Revocation { kGood, kRevoked, kUnknown };
std::string_view RevocationName(Revocation r);  // "good" | "revoked" | "unknown"

struct TrustOptions {
  // The time at which validity is judged (Unix seconds): the best known
  // signing time (a verified timestamp) or now.
  int64_t at = 0;
  // Require the timeStamping extended key usage on the leaf (TSA certificates).
  bool timestamping = false;
};

// Revocation status of one certificate of a built chain (not the anchor).
struct CertRevocation {
  std::string common_name;
  Revocation status = Revocation::kUnknown;
  std::string source;  // "crl", "ocsp" or ""
  std::string reason;  // what the evidence says, or why there is none
};

struct TrustResult {
  Trust trust = Trust::kUnknown;
  Revocation revocation = Revocation::kUnknown;  // of the leaf
  std::string revocation_source;                 // "crl", "ocsp" or ""
  std::vector<std::string> reasons;              // always at least one
  std::vector<CertInfo> chain;                   // leaf first, as built
  // Leaf first, then each intermediate; the anchor is not checked. Empty
  // unless a chain to an anchor was built.
  std::vector<CertRevocation> chain_revocation;
};

// Builds a chain from `leaf_der` through `intermediates_der` to an anchor of
// `store` and judges it at `options.at`:
//   kTrusted   chain reaches an anchor, every certificate valid at that time,
//              signatures good, and every certificate below the anchor (the
//              leaf and each intermediate) is positively not revoked at that
//              time by a CRL or OCSP response in `revocation` that is signed
//              by its issuer (or an authorised responder chaining to the store);
//   kUntrusted no chain to an anchor, an expired/not-yet-valid certificate,
//              a bad certificate signature, or a revoked certificate (the
//              leaf or any intermediate);
//   kUnknown   the store is empty, the leaf does not parse, or the chain is
//              good but the revocation status of the leaf or of an
//              intermediate cannot be established from the data given.
// Never fails: problems are reasons.
TrustResult EvaluateTrust(std::string_view leaf_der,
                          const std::vector<std::string>& intermediates_der,
                          const TrustStore& store, const RevocationData& revocation,
                          const TrustOptions& options);

}  // namespace kholuu::formats::x509
