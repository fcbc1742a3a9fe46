// Sealing a PDF: appending an incremental update that adds an invisible
// PAdES signature (ETSI.CAdES.detached, SHA-256, signing-certificate-v2:
// PAdES-B-B; with a signature timestamp: PAdES-B-T). The bytes of the input
// are kept unchanged as the first part of the output, so a PDF/A input stays
// PDF/A and earlier signatures stay valid. The layout is described in
// docs/signatures.md ("Sealing").
// Thread-safety: reentrant; no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "formats/x509/sign.h"

namespace kholuu::formats::pdfsig {

struct SealSigner {
  std::string key_pem;    // the private key, unencrypted PEM
  std::string chain_pem;  // the signer certificate first, then its issuers
};

struct SealOptions {
  std::string reason;    // UTF-8; /Reason, omitted when empty
  std::string location;  // UTF-8; /Location
  std::string name;      // UTF-8; /Name (the signer as a person reads it)
  // The signature field's name; "KholuuSeal", "KholuuSeal2", ... if taken.
  std::string field_name = "KholuuSeal";
  int64_t signing_time = 0;  // Unix seconds: /M and signingTime; 0 = now
  // If set, the CMS gets an RFC 3161 signature timestamp (PAdES-B-T).
  x509::TimestampFn timestamp;
  // Validation material written into a /DSS dictionary of the same update
  // (DER certificates, CRLs, OCSPResponses), so that a verifier can decide
  // revocation offline. Empty: no DSS is written.
  std::vector<std::string> dss_certs_der;
  std::vector<std::string> dss_crls_der;
  std::vector<std::string> dss_ocsps_der;
  // Bytes reserved for the CMS in /Contents; 0 = sized automatically (the
  // update is rebuilt once with a larger hole if the CMS does not fit).
  size_t contents_reserve = 0;
};

// Appends to `pdf` an update with: the signature dictionary (/Type /Sig,
// /Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached, exact /ByteRange,
// /Contents, /M), a merged signature field and widget (/Rect [0 0 0 0],
// /F 132) added to the first page's /Annots and to the AcroForm (/SigFlags 3),
// the catalog and page objects it changes, and a cross-reference section of
// the input's kind: a classic xref table when the input's last section is a
// table (also for hybrid files), an uncompressed cross-reference stream when
// it is a stream. Errors: kInvalidArgument for input that is not a PDF
// whose trailer, catalog and first page can be found, for an encrypted
// file, or for a bad key/chain or non-UTF-8 text; kResourceExhausted for input
// over 1 GiB; the timestamp function's error; kInternal for OpenSSL failures.
Result<std::string> SealPdf(std::string_view pdf, const SealSigner& signer, const SealOptions& options);

}  // namespace kholuu::formats::pdfsig
