// CMS (RFC 5652) SignedData verification and RFC 3161 timestamp tokens.
//
// Integrity only: whether the signed content and the signature value match
// the signer certificate carried in the CMS. Whether that certificate is
// trusted is x509.h's EvaluateTrust. Hostile input gives kMalformed or
// kUnsupported with a reason, never a crash. Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/x509/x509.h"

namespace kholuu::formats::x509 {

enum class Integrity {
  kValid,             // digest and signature value both match
  kDigestMismatch,    // the content's digest differs from messageDigest
  kInvalidSignature,  // the signature value does not verify with the signer's key
  kUnsupported,       // well-formed but an algorithm or structure we do not verify
  kMalformed,         // not a readable CMS SignedData with one signer
};
std::string_view IntegrityName(Integrity i);  // "valid", "digest-mismatch", ...

// ESS signing-certificate(-v2) attribute binding the signer certificate.
enum class SigningCertAttr { kAbsent, kMatches, kMismatch };

struct TimestampCheck {
  Integrity integrity = Integrity::kMalformed;  // of the token's own signature
  bool imprint_matches = false;  // messageImprint == hash(imprinted data)
  int64_t gen_time = 0;          // Unix seconds
  std::string hash_algorithm;    // of the imprint ("sha256")
  std::string tsa_cert_der;      // empty if the token carries none
  std::vector<std::string> certs_der;  // all certificates in the token
  CertInfo tsa;
  std::vector<std::string> problems;
  // True when the token verifies and its imprint matches.
  bool ok() const { return integrity == Integrity::kValid && imprint_matches; }
};

struct CmsCheck {
  Integrity integrity = Integrity::kMalformed;
  std::vector<std::string> problems;  // why integrity is not kValid, and warnings
  std::string signer_cert_der;        // empty when the CMS does not carry it
  CertInfo signer;
  std::vector<std::string> certs_der;  // every certificate in the CMS
  std::vector<std::string> crls_der;   // CRLs in the CMS certificate set
  std::string digest_algorithm;        // "sha256", "sha1", ...
  std::string signature_algorithm;     // "RSA", "RSA-PSS", "ECDSA", ...
  bool weak_digest = false;            // SHA-1 or MD5
  bool has_signed_attributes = false;
  std::optional<int64_t> signing_time;  // claimed, from the signingTime attribute
  SigningCertAttr signing_cert_attr = SigningCertAttr::kAbsent;
  std::optional<TimestampCheck> timestamp;  // signature-time-stamp unsigned attribute
  RevocationData embedded_revocation;       // adbe-revocationInfoArchival attribute
  std::string econtent_type;                // OID, dotted
  std::string econtent;                     // encapsulated content, if not detached
};

// Verifies a DER CMS SignedData with exactly one SignerInfo. When
// `detached_content` is given it is the signed content (PDF ByteRange bytes);
// otherwise the encapsulated content is used. Inputs larger than 16 MiB for
// the CMS are refused as kMalformed. Never throws or aborts on bad input.
CmsCheck VerifyCms(std::string_view cms_der, std::optional<std::string_view> detached_content);

// Verifies an RFC 3161 TimeStampToken (a CMS SignedData over TSTInfo) and
// compares its messageImprint with the digest of `imprinted_data`.
TimestampCheck VerifyTimestampToken(std::string_view token_der, std::string_view imprinted_data);

}  // namespace kholuu::formats::x509
