#include "formats/x509/cms.h"

#include <openssl/ess.h>

#include <ctime>

#include "formats/x509/internal/der.h"
#include "formats/x509/internal/ossl.h"

namespace kholuu::formats::x509 {
namespace {

using internal::Asn1ObjectPtr;
using internal::BioPtr;
using internal::CmsPtr;
using internal::CrlStackPtr;
using internal::TstInfoPtr;
using internal::X509StackPtr;

constexpr size_t kMaxCmsBytes = 16u << 20;
constexpr const char* kOidAdbeRevocation = "1.2.840.113583.1.1.8";
constexpr const char* kOidTstInfo = "1.2.840.113549.1.9.16.1.4";

std::string ObjToText(const ASN1_OBJECT* obj) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  if (n <= 0) return {};
  return std::string(buf, std::min(static_cast<size_t>(n), sizeof buf - 1));
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string DigestName(const ASN1_OBJECT* obj) {
  int nid = OBJ_obj2nid(obj);
  if (nid == NID_undef) return ObjToText(obj);
  return Lower(OBJ_nid2sn(nid));
}

std::string SignatureAlgName(const ASN1_OBJECT* obj, EVP_PKEY* key) {
  int nid = OBJ_obj2nid(obj);
  int pkey_nid = NID_undef;
  if (nid == NID_rsassaPss) return "RSA-PSS";
  if (OBJ_find_sigid_algs(nid, nullptr, &pkey_nid) == 1) nid = pkey_nid;
  switch (nid) {
    case NID_rsaEncryption:
      return "RSA";
    case NID_X9_62_id_ecPublicKey:
      return "ECDSA";
    case NID_ED25519:
      return "Ed25519";
    case NID_ED448:
      return "Ed448";
    case NID_dsa:
      return "DSA";
    default:
      break;
  }
  if (key != nullptr) {
    const char* sn = OBJ_nid2sn(EVP_PKEY_get_base_id(key));
    if (sn != nullptr) return sn;
  }
  return ObjToText(obj);
}

std::optional<int64_t> AttrTime(const ASN1_TYPE* t) {
  if (t == nullptr) return std::nullopt;
  if (t->type != V_ASN1_UTCTIME && t->type != V_ASN1_GENERALIZEDTIME) return std::nullopt;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t->value.utctime, &tm) != 1) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

std::string_view AsView(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
          static_cast<size_t>(ASN1_STRING_length(s))};
}

// The DER of a signed/unsigned attribute's first value when it is a SEQUENCE.
std::string_view AttrSequence(CMS_SignerInfo* si, const ASN1_OBJECT* oid, bool is_signed) {
  void* p = is_signed ? CMS_signed_get0_data_by_OBJ(si, oid, -3, V_ASN1_SEQUENCE)
                      : CMS_unsigned_get0_data_by_OBJ(si, const_cast<ASN1_OBJECT*>(oid), -3,
                                                      V_ASN1_SEQUENCE);
  return AsView(static_cast<ASN1_STRING*>(p));
}

// adbe-revocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL OPTIONAL,
//   ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] ... OPTIONAL }
void ParseAdbeRevocation(std::string_view der, RevocationData* out, std::vector<std::string>* problems) {
  size_t pos = 0;
  auto outer = internal::ReadTlv(der, &pos);
  if (!outer || outer->tag != 0x30) {
    problems->push_back("adbe-revocationInfoArchival attribute is not a SEQUENCE; ignored");
    return;
  }
  size_t p = 0;
  while (p < outer->content.size()) {
    auto field = internal::ReadTlv(outer->content, &p);
    if (!field) {
      problems->push_back("adbe-revocationInfoArchival attribute is truncated; partly ignored");
      return;
    }
    if (field->tag != 0xa0 && field->tag != 0xa1) continue;
    size_t q = 0;
    auto seq = internal::ReadTlv(field->content, &q);
    if (!seq || seq->tag != 0x30) continue;
    size_t r = 0;
    while (r < seq->content.size()) {
      auto item = internal::ReadTlv(seq->content, &r);
      if (!item) break;
      (field->tag == 0xa0 ? out->crls_der : out->ocsp_responses_der).emplace_back(item->whole);
    }
  }
}

// Frees the BIOs CMS_dataInit pushed in front of `keep` (which the caller owns).
void FreeChainUpTo(BIO* chain, BIO* keep) {
  while (chain != nullptr && chain != keep) {
    BIO* next = BIO_pop(chain);
    BIO_free(chain);
    chain = next;
  }
}

}  // namespace

std::string_view IntegrityName(Integrity i) {
  switch (i) {
    case Integrity::kValid: return "valid";
    case Integrity::kDigestMismatch: return "digest-mismatch";
    case Integrity::kInvalidSignature: return "invalid-signature";
    case Integrity::kUnsupported: return "unsupported";
    case Integrity::kMalformed: return "malformed";
  }
  return "malformed";
}

CmsCheck VerifyCms(std::string_view cms_der, std::optional<std::string_view> detached_content) {
  CmsCheck out;
  auto fail = [&](Integrity i, std::string why) {
    out.integrity = i;
    out.problems.push_back(std::move(why));
    ERR_clear_error();
    return out;
  };
  if (cms_der.size() > kMaxCmsBytes) return fail(Integrity::kMalformed, "CMS larger than 16 MiB");
  if (cms_der.empty()) return fail(Integrity::kMalformed, "empty signature value");
  const auto* p = reinterpret_cast<const unsigned char*>(cms_der.data());
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
  if (!cms) return fail(Integrity::kMalformed, "not a DER CMS ContentInfo");
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    return fail(Integrity::kMalformed, "CMS content type is not SignedData");
  }
  STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
  int n_signers = signers != nullptr ? sk_CMS_SignerInfo_num(signers) : 0;
  if (n_signers != 1) {
    return fail(Integrity::kMalformed,
                "SignedData has " + std::to_string(n_signers) + " signers; exactly one expected");
  }
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
  out.econtent_type = ObjToText(CMS_get0_eContentType(cms.get()));

  X509StackPtr certs(CMS_get1_certs(cms.get()));
  for (int i = 0; certs && i < sk_X509_num(certs.get()); ++i) {
    out.certs_der.push_back(internal::CertToDer(sk_X509_value(certs.get(), i)));
  }
  CrlStackPtr crls(CMS_get1_crls(cms.get()));
  for (int i = 0; crls && i < sk_X509_CRL_num(crls.get()); ++i) {
    unsigned char* buf = nullptr;
    int len = i2d_X509_CRL(sk_X509_CRL_value(crls.get(), i), &buf);
    if (len > 0) {
      out.crls_der.emplace_back(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
      OPENSSL_free(buf);
    }
  }
  ERR_clear_error();
  // Attaches the signer's certificate (matched by issuer+serial or SKI) to the SignerInfo.
  CMS_set1_signers_certs(cms.get(), nullptr, 0);
  ERR_clear_error();
  EVP_PKEY* pkey = nullptr;
  X509* signer = nullptr;
  X509_ALGOR* dig_alg = nullptr;
  X509_ALGOR* sig_alg = nullptr;
  CMS_SignerInfo_get0_algs(si, &pkey, &signer, &dig_alg, &sig_alg);
  const ASN1_OBJECT* dig_obj = nullptr;
  const ASN1_OBJECT* sig_obj = nullptr;
  if (dig_alg != nullptr) X509_ALGOR_get0(&dig_obj, nullptr, nullptr, dig_alg);
  if (sig_alg != nullptr) X509_ALGOR_get0(&sig_obj, nullptr, nullptr, sig_alg);
  if (dig_obj != nullptr) out.digest_algorithm = DigestName(dig_obj);
  if (sig_obj != nullptr) out.signature_algorithm = SignatureAlgName(sig_obj, pkey);
  int dig_nid = dig_obj != nullptr ? OBJ_obj2nid(dig_obj) : NID_undef;
  out.weak_digest = dig_nid == NID_sha1 || dig_nid == NID_md5;
  if (out.weak_digest) out.problems.push_back("weak digest algorithm " + out.digest_algorithm);
  if (signer != nullptr) {
    out.signer_cert_der = internal::CertToDer(signer);
    if (auto info = DescribeCertificate(out.signer_cert_der); info.ok()) out.signer = *info;
  }
  out.has_signed_attributes = CMS_signed_get_attr_count(si) > 0;
  if (int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1); idx >= 0) {
    X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, idx);
    out.signing_time = AttrTime(X509_ATTRIBUTE_get0_type(attr, 0));
  }
  // Revocation data Adobe-style, inside the signed attributes.
  if (Asn1ObjectPtr oid(OBJ_txt2obj(kOidAdbeRevocation, 1)); oid) {
    std::string_view der = AttrSequence(si, oid.get(), true);
    if (!der.empty()) ParseAdbeRevocation(der, &out.embedded_revocation, &out.problems);
  }
  for (const std::string& crl : out.crls_der) out.embedded_revocation.crls_der.push_back(crl);

  if (dig_obj == nullptr || EVP_get_digestbyobj(dig_obj) == nullptr) {
    return fail(Integrity::kUnsupported, "unsupported digest algorithm " + out.digest_algorithm);
  }
  if (signer == nullptr) {
    return fail(Integrity::kMalformed, "the signer certificate is not in the CMS");
  }
  // Content digest (and, without signed attributes, the signature itself).
  BioPtr content;
  if (detached_content.has_value()) {
    content = internal::MemBio(*detached_content);
  } else {
    ASN1_OCTET_STRING** econtent = CMS_get0_content(cms.get());
    if (econtent == nullptr || *econtent == nullptr) {
      return fail(Integrity::kMalformed, "detached CMS and no content given");
    }
    out.econtent = std::string(AsView(*econtent));
    content = internal::MemBio(out.econtent);
  }
  BIO* chain = CMS_dataInit(cms.get(), content.get());
  if (chain == nullptr) return fail(Integrity::kUnsupported, "cannot set up the content digest: " + internal::TakeOpenSslErrors());
  char buf[1 << 16];
  while (BIO_read(chain, buf, sizeof buf) > 0) {
  }
  int content_ok = CMS_SignerInfo_verify_content(si, chain);
  std::string content_err = internal::TakeOpenSslErrors();
  FreeChainUpTo(chain, content.get());
  if (out.has_signed_attributes) {
    int sig_ok = CMS_SignerInfo_verify(si);
    std::string sig_err = internal::TakeOpenSslErrors();
    if (content_ok != 1) {
      out.integrity = Integrity::kDigestMismatch;
      out.problems.push_back("the digest of the signed bytes does not match the messageDigest attribute");
    } else if (sig_ok != 1 && (sig_err.find("invalid digest") != std::string::npos ||
                               sig_err.find("unsupported") != std::string::npos)) {
      // OpenSSL cannot verify this algorithm combination (e.g. Ed25519 in
      // OpenSSL 3.0 CMS): we do not know, which is not the same as invalid.
      out.integrity = Integrity::kUnsupported;
      out.problems.push_back("the signature algorithm cannot be verified here (" +
                             out.signature_algorithm + " with " + out.digest_algorithm + "): " + sig_err);
    } else if (sig_ok != 1) {
      out.integrity = Integrity::kInvalidSignature;
      out.problems.push_back("the signature value does not verify with the signer's key: " + sig_err);
    } else {
      out.integrity = Integrity::kValid;
    }
  } else if (content_ok != 1) {
    out.integrity = Integrity::kInvalidSignature;
    out.problems.push_back("the signature over the signed bytes does not verify (no signed attributes): " + content_err);
  } else {
    out.integrity = Integrity::kValid;
  }

  // ESS signing-certificate(-v2): binds the signer certificate into the signature.
  std::string_view v2 = AttrSequence(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), true);
  std::string_view v1 = AttrSequence(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificate), true);
  if (!v2.empty() || !v1.empty()) {
    const auto* q2 = reinterpret_cast<const unsigned char*>(v2.data());
    const auto* q1 = reinterpret_cast<const unsigned char*>(v1.data());
    ESS_SIGNING_CERT_V2* ssv2 =
        v2.empty() ? nullptr : d2i_ESS_SIGNING_CERT_V2(nullptr, &q2, static_cast<long>(v2.size()));
    ESS_SIGNING_CERT* ss =
        v1.empty() ? nullptr : d2i_ESS_SIGNING_CERT(nullptr, &q1, static_cast<long>(v1.size()));
    // The signer itself, another reference: X509_dup re-decodes the
    // certificate and gives null for one that does not parse again (a
    // fuzzed signature algorithm), which OpenSSL's check then dereferenced.
    X509StackPtr chain_certs(sk_X509_new_null());
    int match = 0;
    if ((ss != nullptr || ssv2 != nullptr) && chain_certs && X509_up_ref(signer) == 1) {
      if (sk_X509_push(chain_certs.get(), signer) > 0) {
        match = OSSL_ESS_check_signing_certs(ss, ssv2, chain_certs.get(), 1);
      } else {
        X509_free(signer);
      }
    }
    ESS_SIGNING_CERT_free(ss);
    ESS_SIGNING_CERT_V2_free(ssv2);
    out.signing_cert_attr = match == 1 ? SigningCertAttr::kMatches : SigningCertAttr::kMismatch;
    if (match != 1) {
      out.problems.push_back("the signing-certificate attribute does not identify the signer certificate");
      if (out.integrity == Integrity::kValid) out.integrity = Integrity::kInvalidSignature;
    }
    ERR_clear_error();
  }

  // Signature timestamp (RFC 3161 token over the signature value).
  std::string_view token = AttrSequence(si, OBJ_nid2obj(NID_id_smime_aa_timeStampToken), false);
  if (!token.empty()) {
    ASN1_OCTET_STRING* sig_value = CMS_SignerInfo_get0_signature(si);
    out.timestamp = VerifyTimestampToken(token, AsView(sig_value));
  }
  ERR_clear_error();
  return out;
}

TimestampCheck VerifyTimestampToken(std::string_view token_der, std::string_view imprinted_data) {
  TimestampCheck out;
  CmsCheck cms = VerifyCms(token_der, std::nullopt);
  out.integrity = cms.integrity;
  out.certs_der = cms.certs_der;
  out.tsa_cert_der = cms.signer_cert_der;
  out.tsa = cms.signer;
  for (const std::string& p : cms.problems) out.problems.push_back("timestamp token: " + p);
  if (cms.econtent.empty()) {
    if (out.problems.empty()) out.problems.push_back("timestamp token has no TSTInfo");
    return out;
  }
  if (cms.econtent_type != kOidTstInfo) {
    out.integrity = Integrity::kMalformed;
    out.problems.push_back("timestamp token content is not TSTInfo");
    return out;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(cms.econtent.data());
  TstInfoPtr tst(d2i_TS_TST_INFO(nullptr, &p, static_cast<long>(cms.econtent.size())));
  if (!tst) {
    out.integrity = Integrity::kMalformed;
    out.problems.push_back("TSTInfo does not parse");
    ERR_clear_error();
    return out;
  }
  const ASN1_GENERALIZEDTIME* gen = TS_TST_INFO_get_time(tst.get());
  std::tm tm{};
  if (gen != nullptr && ASN1_TIME_to_tm(gen, &tm) == 1) out.gen_time = static_cast<int64_t>(timegm(&tm));
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(tst.get());
  const ASN1_OBJECT* alg_obj = nullptr;
  X509_ALGOR_get0(&alg_obj, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(imprint));
  const EVP_MD* md = alg_obj != nullptr ? EVP_get_digestbyobj(alg_obj) : nullptr;
  if (md == nullptr) {
    out.problems.push_back("unsupported messageImprint hash algorithm");
    ERR_clear_error();
    return out;
  }
  out.hash_algorithm = DigestName(alg_obj);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(imprinted_data.data(), imprinted_data.size(), digest, &len, md, nullptr) != 1) {
    out.problems.push_back("cannot hash the imprinted data");
    ERR_clear_error();
    return out;
  }
  std::string_view expected = AsView(TS_MSG_IMPRINT_get_msg(imprint));
  out.imprint_matches = expected == std::string_view(reinterpret_cast<char*>(digest), len);
  if (!out.imprint_matches) out.problems.push_back("timestamp messageImprint does not match the signed data");
  ERR_clear_error();
  return out;
}

}  // namespace kholuu::formats::x509
