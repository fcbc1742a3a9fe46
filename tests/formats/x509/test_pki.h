// A test PKI built at test time with the OpenSSL API: root, intermediate,
// signer, organisation seal, TSA, OCSP responder, and the odd ones (expired,
// revoked, ECDSA, an untrusted root). Subjects are shaped like the
// government CA's and marked TEST. Test-only; not thread-safe.
#pragma once

#include <openssl/evp.h>

#include <string>
#include <string_view>
#include <vector>

#include "formats/x509/internal/ossl.h"

namespace kholuu::testing {

struct Identity {
  formats::x509::internal::X509Ptr cert;
  formats::x509::internal::PkeyPtr key;
  std::string der;  // of cert
};

struct CmsSignOptions {
  const EVP_MD* md = nullptr;  // default SHA-256
  bool pss = false;            // RSASSA-PSS instead of PKCS#1 v1.5
  bool cades = true;           // add signing-certificate-v2
  bool timestamp = false;      // add an RFC 3161 signature timestamp from the TSA
  std::vector<std::string> adbe_crls;   // adbe-revocationInfoArchival CRLs
  std::vector<std::string> adbe_ocsps;  // adbe-revocationInfoArchival OCSP responses
  // When not empty: the DER value of an ESS signing-certificate attribute
  // written instead of OpenSSL's (v1 when ess_v1, else -v2; `cades` ignored).
  std::string ess_attr_der;
  bool ess_v1 = false;
  // When not empty: the DER value of a signature-policy-identifier attribute.
  std::string policy_attr_der;
  // A second SignerInfo, by this identity, in the same SignedData.
  const Identity* co_signer = nullptr;
  // The issuer of the first SignerInfo's issuerAndSerialNumber re-encoded:
  // its RDNs in reverse order, every value a UTF8String (the same name by
  // RFC 5280 matching, other bytes).
  bool reencode_sid_issuer = false;
  // The SignerIdentifier as subjectKeyIdentifier [0] (CMS_USE_KEYID) instead
  // of issuerAndSerialNumber.
  bool sid_key_id = false;
};

class TestPki {
 public:
  // Builds everything; aborts the test binary on an OpenSSL failure.
  TestPki();

  Identity root;          // RSA, self-signed, "Cơ quan chứng thực ... TEST"
  Identity intermediate;  // RSA, issued by root
  Identity signer;        // RSA, the competent signer (người ký)
  Identity org_seal;      // RSA, the organisation's seal certificate
  Identity ec_signer;     // ECDSA P-256
  Identity expired;       // EC, validity ended a year ago
  Identity revoked;       // EC, on crl_der since an hour ago
  Identity tsa;           // EC, EKU timeStamping (critical)
  Identity ocsp_responder;  // EC, EKU OCSPSigning, issued by intermediate
  Identity other_root;    // EC, not in the trust store
  Identity other_signer;  // EC, issued by other_root
  Identity revoked_ca;    // EC, an intermediate CA issued by root, on root_crl_der
  Identity revoked_ca_signer;  // EC, issued by revoked_ca (itself not revoked)
  std::string crl_der;    // by intermediate, lists `revoked`
  std::string root_crl_der;        // by root, lists `revoked_ca` (intermediate is good)
  std::string revoked_ca_crl_der;  // by revoked_ca, empty

  // Revocation data for a signer under `intermediate`: its CRL and the root's.
  std::vector<std::string> Crls() const { return {crl_der, root_crl_der}; }
  // An OCSP response signed by root itself about a certificate root issued
  // (intermediate or revoked_ca).
  std::string RootOcspResponse(const Identity& who, bool is_revoked) const;

  // An OCSP response by ocsp_responder about `who` (issued by intermediate).
  std::string OcspResponse(const Identity& who, bool is_revoked) const;
  // DER helpers for hand-made attributes.
  static std::string DerWrap(unsigned char tag, const std::string& content);
  // IssuerSerial { GeneralNames { directoryName issuer-of-who }, serial } with
  // the issuer re-encoded as reencode_sid_issuer describes when `reencode`.
  static std::string IssuerSerialDer(const Identity& who, bool reencode);
  // The digest of who's DER certificate with `md`.
  static std::string CertHash(const Identity& who, const EVP_MD* md);

  // Detached CMS SignedData over `content` by `who`, with intermediate in the certs.
  std::string SignDetached(std::string_view content, const Identity& who,
                           const CmsSignOptions& options = {}) const;
  // An RFC 3161 TimeStampToken (DER ContentInfo) over SHA-256(data) by tsa.
  std::string TimestampToken(std::string_view data) const;
  // A DER TimeStampResp by tsa answering the DER TimeStampReq `request_der`
  // as OpenSSL's TS_RESP_CTX does (a rejection with badAlg unless SHA-256,
  // badDataFormat for a request that does not parse).
  std::string TimestampResponse(std::string_view request_der) const;
  // Writes root as PEM into `dir`/root.pem (dir must exist).
  void WriteTrustStore(const std::string& dir) const;
  // PEM of a certificate / private key (for the xmlsec1 command line).
  static std::string CertPem(const Identity& id);
  static std::string KeyPem(const Identity& id);

 private:
  TS_RESP* Respond(std::string_view request_der) const;  // caller frees
  // A CRL by `issuer`, valid from an hour ago for a week, listing `listed`
  // (revoked an hour ago) unless it is null.
  static std::string MakeCrl(const Identity& issuer, const Identity* listed);
};

}  // namespace kholuu::testing
