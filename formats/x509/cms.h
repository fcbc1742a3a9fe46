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
  kMalformed,         // not a readable CMS SignedData, or no signer certificate
};
std::string_view IntegrityName(Integrity i);  // "valid", "digest-mismatch", ...

// The ESS signing-certificate(-v2) attribute (RFC 2634, RFC 5035): does it
// identify the signer certificate? A check of its own, as EU DSS reports it:
// its outcome never changes Integrity (the signed bytes and the signature
// value are what integrity is about).
enum class SigningCertAttr {
  kAbsent,        // no such signed attribute
  kMatches,       // the hash of the signer certificate is the attribute's certHash
  kMismatch,      // no ESSCertID's hash matches the signer certificate
  kUnverifiable,  // undecodable attribute, unknown hash algorithm, or no signer certificate
};
std::string_view SigningCertAttrName(SigningCertAttr a);  // "absent" | "matches" | "does-not-match" | "unverifiable"

struct SigningCertCheck {
  SigningCertAttr status = SigningCertAttr::kAbsent;
  std::string attribute;       // "signing-certificate-v2" or "signing-certificate"; empty when absent
  std::string hash_algorithm;  // the one the attribute names: "sha1" for v1, v2's hashAlgorithm (default "sha256")
  // Whether the ESSCertID's issuerSerial names the signer certificate, by
  // RFC 5280 name matching (attribute types and values, string types,
  // case and white space not significant; RDN order not significant either)
  // and the serial's value; unset when it has none.
  std::optional<bool> issuer_serial_matches;
  std::vector<std::string> notes;  // what was found, in words
};

// The signature-policy-identifier attribute (RFC 5126 5.8.1). Reported, never
// judged against a policy document (nothing is fetched); an odd attribute is
// a note, never a reason to drop or fail the signature.
enum class PolicyAttr {
  kAbsent,
  kImplied,     // signaturePolicyImplied
  kIdentified,  // signaturePolicyId with an OID
  kMalformed,   // present but not decodable
};
std::string_view PolicyAttrName(PolicyAttr p);  // "absent" | "implied" | "identified" | "malformed"

struct PolicyCheck {
  PolicyAttr status = PolicyAttr::kAbsent;
  std::string oid;             // sigPolicyId, dotted
  std::string hash_algorithm;  // of sigPolicyHash, as named
  size_t hash_length = 0;      // bytes of sigPolicyHash
  std::vector<std::string> notes;  // e.g. "the policy hash is empty"
};

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

// One SignerInfo of a SignedData.
struct SignerCheck {
  Integrity integrity = Integrity::kMalformed;
  std::vector<std::string> problems;  // why integrity is not kValid, and warnings
  std::string signer_cert_der;        // empty when the CMS does not carry it
  CertInfo signer;
  // How the SignerInfo names its certificate (RFC 5652 5.3 sid):
  // "issuer-and-serial" or "subject-key-identifier".
  std::string signer_identifier;
  std::string digest_algorithm;        // "sha256", "sha1", ...
  std::string signature_algorithm;     // "RSA", "RSA-PSS", "ECDSA", ...
  bool weak_digest = false;            // SHA-1 or MD5
  bool has_signed_attributes = false;
  std::optional<int64_t> signing_time;  // claimed, from the signingTime attribute
  SigningCertCheck signing_cert;
  PolicyCheck policy;
  std::optional<TimestampCheck> timestamp;  // signature-time-stamp unsigned attribute
  RevocationData embedded_revocation;       // adbe-revocationInfoArchival attribute
};

struct CmsCheck {
  // Of the SignedData as a whole: kValid when every signer is valid,
  // otherwise the integrity of the first signer that is not.
  Integrity integrity = Integrity::kMalformed;
  std::vector<std::string> problems;  // the first signer's problems, then SignedData-level ones
  std::vector<SignerCheck> signers;   // every SignerInfo, in order
  std::vector<std::string> certs_der;  // every certificate in the CMS
  std::vector<std::string> crls_der;   // CRLs in the CMS certificate set
  std::string econtent_type;           // OID, dotted
  std::string econtent;                // encapsulated content, if not detached
  // The first signer, repeated for callers that show one signer.
  std::string signer_cert_der;
  CertInfo signer;
  std::string digest_algorithm;
  std::string signature_algorithm;
  bool weak_digest = false;
  bool has_signed_attributes = false;
  std::optional<int64_t> signing_time;
  SigningCertCheck signing_cert;
  PolicyCheck policy;
  std::optional<TimestampCheck> timestamp;
  RevocationData embedded_revocation;  // of every signer, plus crls_der
};

// Verifies a DER CMS SignedData and each of its SignerInfos (at most 16). When
// `detached_content` is given it is the signed content (PDF ByteRange bytes);
// otherwise the encapsulated content is used. Inputs larger than 16 MiB for
// the CMS are refused as kMalformed. Never throws or aborts on bad input.
CmsCheck VerifyCms(std::string_view cms_der, std::optional<std::string_view> detached_content);

// Verifies an RFC 3161 TimeStampToken (a CMS SignedData over TSTInfo) and
// compares its messageImprint with the digest of `imprinted_data`.
TimestampCheck VerifyTimestampToken(std::string_view token_der, std::string_view imprinted_data);

}  // namespace kholuu::formats::x509
