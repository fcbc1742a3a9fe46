// Enveloped XML-DSig of edXML packages (QCVN 102:2016), verified with xmlsec1
// (OpenSSL backend) over libxml2.
//
// Hostile input: no network access (XML_PARSE_NONET, same-document
// references only), no entity expansion and no DOCTYPE at all (refused), an
// allow-list of transforms (no XSLT, no XPath). Real packages often write
// the Signature element without a prefix and without the xmldsig namespace,
// so it falls into the edXML default namespace; such a Signature is moved
// into the xmldsig namespace before verification and the report says so.
// Thread-safety: VerifyEdxmlSignature may be called from several threads
// (xmlsec is initialised once per process).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "formats/x509/x509.h"

namespace kholuu::formats::xmldsig {

struct XmlSignatureReport {
  bool present = false;           // a Signature element with SignedInfo exists
  bool valid = false;             // the signature and every reference verify
  bool default_namespace = false; // the unprefixed, un-namespaced Signature was tolerated
  std::string signature_method;   // Algorithm URI of SignatureMethod
  bool weak_algorithm = false;    // SHA-1 (or MD5) signature or digest
  std::string signer;             // CN of the X509Certificate in KeyInfo
  x509::CertInfo signer_cert;
  x509::TrustResult trust;        // of that certificate against the trust store (no revocation data)
  std::vector<std::string> problems;
};

// Verifies the first enveloped signature of `xml` (at most 256 MiB).
// Errors: kInvalidArgument when the XML is not well-formed or carries a
// DOCTYPE; kResourceExhausted when larger than the limit; kInternal when
// xmlsec cannot be initialised. A missing signature is present=false, not
// an error.
Result<XmlSignatureReport> VerifyEdxmlSignature(std::string_view xml, const x509::TrustStore& store,
                                                int64_t now);

}  // namespace kholuu::formats::xmldsig
