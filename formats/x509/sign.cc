#include "formats/x509/sign.h"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "formats/x509/internal/ossl.h"

namespace kholuu::formats::x509 {
namespace {

using internal::BioPtr;
using internal::CmsPtr;
using internal::PkeyPtr;
using internal::X509Ptr;
using internal::X509StackPtr;

using Asn1TimePtr = std::unique_ptr<ASN1_TIME, internal::Deleter<ASN1_TIME, ASN1_TIME_free>>;
using X509ExtPtr = std::unique_ptr<X509_EXTENSION, internal::Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using BnPtr = std::unique_ptr<BIGNUM, internal::Deleter<BIGNUM, BN_free>>;

// Refuses to prompt for a passphrase: encrypted keys fail to load.
int NoPassphrase(char*, int, int, void*) { return 0; }

Result<PkeyPtr> ParseKey(std::string_view pem) {
  BioPtr bio = internal::MemBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    return InvalidArgumentError("the private key PEM does not parse (or is encrypted): " +
                                internal::TakeOpenSslErrors());
  }
  return key;
}

Status Internal(std::string_view what) {
  return InternalError(std::string(what) + ": " + internal::TakeOpenSslErrors());
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

// "CN=a,O=b,C=VN" (most specific first) or a bare common name.
Result<internal::X509NamePtr> ParseSubject(std::string_view subject) {
  if (subject.empty()) return InvalidArgumentError("the certificate subject is empty");
  std::vector<std::pair<std::string, std::string>> rdns;
  if (subject.find('=') == std::string_view::npos) {
    rdns.emplace_back("CN", std::string(subject));
  } else {
    size_t start = 0;
    while (start <= subject.size()) {
      size_t comma = subject.find(',', start);
      std::string_view part = subject.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                                     : comma - start);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      size_t eq = part.find('=');
      if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size()) {
        return InvalidArgumentError("the subject part \"" + std::string(part) + "\" is not TYPE=value");
      }
      rdns.emplace_back(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  internal::X509NamePtr name(X509_NAME_new());
  if (!name) return Internal("X509_NAME_new");
  // X509_NAME lists the least specific RDN first.
  for (auto it = rdns.rbegin(); it != rdns.rend(); ++it) {
    const auto* value = reinterpret_cast<const unsigned char*>(it->second.c_str());
    if (X509_NAME_add_entry_by_txt(name.get(), it->first.c_str(), MBSTRING_UTF8, value, -1, -1, 0) != 1) {
      internal::TakeOpenSslErrors();
      return InvalidArgumentError("unknown or invalid subject attribute " + it->first + "=" + it->second);
    }
  }
  return name;
}

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) return Internal("certificate extension");
  return Status::Ok();
}

}  // namespace

Result<SigningIdentity> LoadSigningIdentity(std::string_view key_pem, std::string_view chain_pem) {
  KHOLUU_ASSIGN_OR_RETURN(PkeyPtr key, ParseKey(key_pem));
  SigningIdentity id;
  id.key_pem = std::string(key_pem);
  BioPtr bio = internal::MemBio(chain_pem);
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr));
    if (!cert) break;
    id.chain_der.push_back(internal::CertToDer(cert.get()));
    if (id.chain_der.size() == 1 && X509_check_private_key(cert.get(), key.get()) != 1) {
      internal::TakeOpenSslErrors();
      return InvalidArgumentError("the first certificate of the chain is not the private key's certificate");
    }
  }
  internal::TakeOpenSslErrors();  // the end-of-input "no start line"
  if (id.chain_der.empty()) return InvalidArgumentError("the certificate PEM holds no certificate");
  return id;
}

Result<std::string> SignCadesDetached(std::string_view content, const SigningIdentity& identity,
                                      const CadesSignOptions& options) {
  KHOLUU_ASSIGN_OR_RETURN(PkeyPtr key, ParseKey(identity.key_pem));
  if (identity.chain_der.empty()) return InvalidArgumentError("the signing identity has no certificate");
  X509Ptr leaf = internal::ParseCertDer(identity.chain_der[0]);
  if (!leaf) return InvalidArgumentError("the signer certificate does not parse");
  X509StackPtr extra(sk_X509_new_null());
  for (size_t i = 1; i < identity.chain_der.size(); ++i) {
    X509Ptr c = internal::ParseCertDer(identity.chain_der[i]);
    if (!c) return InvalidArgumentError("certificate " + std::to_string(i) + " of the chain does not parse");
    if (sk_X509_push(extra.get(), c.get()) <= 0) return Internal("sk_X509_push");
    c.release();  // owned by the stack
  }
  const unsigned int flags = CMS_PARTIAL | CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP;
  CmsPtr cms(CMS_sign(nullptr, nullptr, extra.get(), nullptr, flags));
  if (!cms) return Internal("CMS_sign");
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), leaf.get(), key.get(), EVP_sha256(), flags | CMS_CADES);
  if (si == nullptr) return Internal("CMS_add1_signer");
  // Our own signingTime, so that the PDF's /M can state the same instant
  // (OpenSSL would otherwise add the current time).
  Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(options.signing_time)));
  if (!when || CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, when->type, when.get(), -1) != 1) {
    return Internal("signingTime attribute");
  }
  BioPtr data = internal::MemBio(content);
  if (CMS_final(cms.get(), data.get(), nullptr, flags) != 1) return Internal("CMS_final");
  if (options.timestamp) {
    ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
    std::string_view value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)),
                           static_cast<size_t>(ASN1_STRING_length(sig)));
    KHOLUU_ASSIGN_OR_RETURN(std::string token, options.timestamp(value));
    if (token.empty()) return InvalidArgumentError("the timestamp function returned no token");
    if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token.data(),
                                      static_cast<int>(token.size())) != 1) {
      return Internal("signature timestamp attribute");
    }
  }
  unsigned char* buf = nullptr;
  int n = i2d_CMS_ContentInfo(cms.get(), &buf);
  if (n <= 0) return Internal("i2d_CMS_ContentInfo");
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

Result<SealCertificate> GenerateSelfSignedSeal(std::string_view subject, int64_t now, int days) {
  if (days <= 0) return InvalidArgumentError("the validity must be at least one day");
  KHOLUU_ASSIGN_OR_RETURN(internal::X509NamePtr name, ParseSubject(subject));
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return Internal("EC key generation");
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1) return Internal("X509_new");
  BnPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return Internal("serial number");
  }
  if (X509_set_subject_name(cert.get(), name.get()) != 1 || X509_set_issuer_name(cert.get(), name.get()) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(now)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(now + int64_t{days} * 86400)) == nullptr ||
      X509_set_pubkey(cert.get(), key.get()) != 1) {
    return Internal("certificate fields");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  KHOLUU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
  KHOLUU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,nonRepudiation"));
  KHOLUU_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) return Internal("X509_sign");
  SealCertificate out;
  BioPtr kbio(BIO_new(BIO_s_mem()));
  BioPtr cbio(BIO_new(BIO_s_mem()));
  if (!kbio || !cbio || PEM_write_bio_PrivateKey(kbio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_X509(cbio.get(), cert.get()) != 1) {
    return Internal("PEM output");
  }
  out.key_pem = BioText(kbio.get());
  out.cert_pem = BioText(cbio.get());
  return out;
}

}  // namespace kholuu::formats::x509
