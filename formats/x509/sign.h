// Creating signatures: CAdES detached CMS SignedData (the CMS of a PAdES
// signature) and self-signed seal certificates. The counterpart of cms.h,
// which verifies. Keys are handled as PEM text so that no OpenSSL type
// appears here. Thread-safety: reentrant; values are plain data.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::x509 {

// A private key and its certificate chain, checked to belong together.
struct SigningIdentity {
  std::string key_pem;                 // unencrypted PKCS#8 or traditional PEM
  std::vector<std::string> chain_der;  // leaf first, then its issuers (no need for the root)
};

// Parses `key_pem` (one private key) and `chain_pem` (one or more
// certificates, leaf first). Errors: kInvalidArgument when either does not
// parse, holds nothing, the key is encrypted, or the leaf certificate's
// public key is not the key's.
Result<SigningIdentity> LoadSigningIdentity(std::string_view key_pem, std::string_view chain_pem);

// Returns an RFC 3161 TimeStampToken (DER ContentInfo) whose messageImprint
// is the SHA-256 of `signature_value` (a TSA client hashes it and asks).
using TimestampFn = std::function<Result<std::string>(std::string_view signature_value)>;

struct CadesSignOptions {
  int64_t signing_time = 0;  // Unix seconds, written as the signingTime attribute
  TimestampFn timestamp;     // if set: id-aa-signatureTimeStampToken unsigned attribute
};

// Detached CMS SignedData over `content`: SHA-256, one SignerInfo with the
// signed attributes contentType, messageDigest, signingTime and
// ESS signing-certificate-v2 (CAdES-BES), and the whole chain in the
// certificate set. Errors: kInvalidArgument for a bad identity, the
// timestamp function's error, kInternal for an OpenSSL failure.
Result<std::string> SignCadesDetached(std::string_view content, const SigningIdentity& identity,
                                      const CadesSignOptions& options);

struct SealCertificate {
  std::string key_pem;   // PKCS#8, unencrypted: store it with mode 0600
  std::string cert_pem;
};

// A new ECDSA P-256 key and a self-signed certificate for it: subject =
// issuer = `subject` ("CN=...,O=...,C=VN", UTF-8, RFC 2253-like order, or a
// bare common name), valid from `now` for `days` days, key usage
// digitalSignature + nonRepudiation, not a CA. Errors: kInvalidArgument for
// an empty or unparseable subject or days <= 0; kInternal for OpenSSL.
Result<SealCertificate> GenerateSelfSignedSeal(std::string_view subject, int64_t now, int days);

}  // namespace kholuu::formats::x509
