#include "formats/x509/cms.h"

#include <algorithm>
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

namespace {

constexpr int kMaxSigners = 16;
constexpr const char* kOidSigPolicy = "1.2.840.113549.1.9.16.2.15";

// One attribute value, RFC 5280 7.1 / RFC 4518 style: as UTF-8, leading and
// trailing white space removed, inner runs of white space as one space,
// ASCII case folded. String types (PrintableString, UTF8String, BMPString,
// T61String...) do not matter.
std::string NormalizedValue(const ASN1_STRING* s) {
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, s);
  std::string raw;
  if (n >= 0 && utf8 != nullptr) {
    raw.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  } else {
    raw.assign(AsView(s));
  }
  OPENSSL_free(utf8);
  ERR_clear_error();
  std::string out;
  bool space = false;
  for (char c : raw) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

// Whether two names are the same name for matching purposes: the same
// attribute types with equivalent values (NormalizedValue), in any order.
bool NamesEquivalent(const X509_NAME* a, const X509_NAME* b) {
  if (a == nullptr || b == nullptr) return false;
  auto entries = [](const X509_NAME* n) {
    std::vector<std::string> out;
    for (int i = 0; i < X509_NAME_entry_count(n); ++i) {
      const X509_NAME_ENTRY* e = X509_NAME_get_entry(n, i);
      out.push_back(ObjToText(X509_NAME_ENTRY_get_object(e)) + "=" +
                    NormalizedValue(X509_NAME_ENTRY_get_data(e)));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  return entries(a) == entries(b);
}

// INTEGER content bytes without redundant leading zero octets.
std::string_view SerialMagnitude(std::string_view content) {
  while (content.size() > 1 && content[0] == '\0') content.remove_prefix(1);
  return content;
}

// The serial of `cert` as INTEGER content bytes (positive serials).
std::string CertSerialBytes(X509* cert) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
  std::string out(AsView(serial));
  if (out.empty()) out.assign(1, '\0');
  return out;
}

// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER, ... }
// against `cert`: nullopt when it does not decode.
std::optional<bool> IssuerSerialMatches(std::string_view der, X509* cert) {
  size_t pos = 0;
  auto seq = internal::ReadTlv(der, &pos);
  if (!seq || seq->tag != 0x30) return std::nullopt;
  size_t p = 0;
  auto names = internal::ReadTlv(seq->content, &p);
  auto serial = internal::ReadTlv(seq->content, &p);
  if (!names || names->tag != 0x30 || !serial || serial->tag != 0x02) return std::nullopt;
  bool serial_ok = SerialMagnitude(serial->content) == SerialMagnitude(CertSerialBytes(cert));
  bool issuer_ok = false;
  bool any_dirname = false;
  size_t q = 0;
  while (q < names->content.size()) {
    auto gn = internal::ReadTlv(names->content, &q);
    if (!gn) return std::nullopt;
    if (gn->tag != 0xa4) continue;  // directoryName [4] EXPLICIT Name
    any_dirname = true;
    const auto* n = reinterpret_cast<const unsigned char*>(gn->content.data());
    internal::X509NamePtr name(d2i_X509_NAME(nullptr, &n, static_cast<long>(gn->content.size())));
    ERR_clear_error();
    if (name && NamesEquivalent(name.get(), X509_get_issuer_name(cert))) issuer_ok = true;
  }
  if (!any_dirname) return std::nullopt;
  return issuer_ok && serial_ok;
}

// The message digest named by an AlgorithmIdentifier TLV (its OID), or null.
const EVP_MD* DigestOfAlgId(const internal::Tlv& alg, std::string* name) {
  size_t p = 0;
  auto oid = internal::ReadTlv(alg.content, &p);
  if (!oid || oid->tag != 0x06) return nullptr;
  const auto* d = reinterpret_cast<const unsigned char*>(oid->whole.data());
  Asn1ObjectPtr obj(d2i_ASN1_OBJECT(nullptr, &d, static_cast<long>(oid->whole.size())));
  ERR_clear_error();
  if (!obj) return nullptr;
  *name = DigestName(obj.get());
  return EVP_get_digestbyobj(obj.get());
}

// Checks one ESS signing-certificate(-v2) attribute value (`der`, the
// SigningCertificate(V2) SEQUENCE) against `signer`.
SigningCertCheck CheckSigningCert(std::string_view der, bool v2, X509* signer) {
  SigningCertCheck out;
  out.attribute = v2 ? "signing-certificate-v2" : "signing-certificate";
  out.status = SigningCertAttr::kUnverifiable;
  size_t pos = 0;
  auto top = internal::ReadTlv(der, &pos);
  size_t p = 0;
  auto certs = top && top->tag == 0x30 ? internal::ReadTlv(top->content, &p) : std::nullopt;
  if (!certs || certs->tag != 0x30 || certs->content.empty()) {
    out.notes.push_back("the " + out.attribute + " attribute does not decode");
    return out;
  }
  std::string signer_der = signer != nullptr ? internal::CertToDer(signer) : std::string();
  size_t q = 0;
  int index = 0;
  bool decoded_any = false;
  while (q < certs->content.size()) {
    auto id = internal::ReadTlv(certs->content, &q);
    if (!id || id->tag != 0x30) break;
    size_t r = 0;
    auto first = internal::ReadTlv(id->content, &r);
    if (!first) break;
    std::string alg_name = v2 ? "sha256" : "sha1";
    const EVP_MD* md = v2 ? EVP_sha256() : EVP_sha1();
    std::optional<internal::Tlv> hash = first;
    if (v2 && first->tag == 0x30) {  // hashAlgorithm present
      md = DigestOfAlgId(*first, &alg_name);
      hash = internal::ReadTlv(id->content, &r);
    }
    if (!hash || hash->tag != 0x04) break;
    decoded_any = true;
    std::optional<internal::Tlv> issuer_serial = internal::ReadTlv(id->content, &r);
    if (index == 0) out.hash_algorithm = alg_name;
    if (signer == nullptr) {
      out.notes.push_back("no signer certificate to compare with");
      return out;
    }
    if (index == 0 && issuer_serial && issuer_serial->tag == 0x30) {
      out.issuer_serial_matches = IssuerSerialMatches(issuer_serial->whole, signer);
    }
    if (md == nullptr) {
      if (index == 0) out.notes.push_back("unknown hash algorithm " + alg_name + " for the certificate hash");
      ++index;
      continue;
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(signer_der.data(), signer_der.size(), digest, &len, md, nullptr) == 1 &&
        hash->content == std::string_view(reinterpret_cast<char*>(digest), len)) {
      out.status = SigningCertAttr::kMatches;
      out.hash_algorithm = alg_name;
      if (index > 0) out.notes.push_back("the signer certificate is ESSCertID number " + std::to_string(index + 1) + ", not the first");
      if (index == 0 && issuer_serial && issuer_serial->tag == 0x30 &&
          IssuerSerialMatches(issuer_serial->whole, signer) == false) {
        out.notes.push_back("the certificate hash matches but the issuerSerial names another certificate");
      }
      ERR_clear_error();
      return out;
    }
    ERR_clear_error();
    ++index;
  }
  if (!decoded_any) {
    out.notes.push_back("the " + out.attribute + " attribute does not decode");
    return out;
  }
  if (out.notes.empty()) {
    out.status = SigningCertAttr::kMismatch;
    out.notes.push_back("no certificate hash (" + out.hash_algorithm + ") in the " + out.attribute +
                        " attribute is the signer certificate's");
    if (out.issuer_serial_matches == true) {
      out.notes.push_back("its issuerSerial does name the signer certificate");
    }
  }
  return out;
}

// signature-policy-identifier ::= CHOICE { SignaturePolicyId, signaturePolicyImplied NULL }
// SignaturePolicyId ::= SEQUENCE { sigPolicyId OID, sigPolicyHash OtherHashAlgAndValue, qualifiers OPTIONAL }
PolicyCheck CheckPolicy(CMS_SignerInfo* si) {
  PolicyCheck out;
  Asn1ObjectPtr oid(OBJ_txt2obj(kOidSigPolicy, 1));
  if (!oid) return out;
  int idx = CMS_signed_get_attr_by_OBJ(si, oid.get(), -1);
  if (idx < 0) return out;
  X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, idx);
  const ASN1_TYPE* t = X509_ATTRIBUTE_get0_type(attr, 0);
  if (t == nullptr) {
    out.status = PolicyAttr::kMalformed;
    out.notes.push_back("the signature-policy-identifier attribute has no value");
    return out;
  }
  if (t->type == V_ASN1_NULL) {
    out.status = PolicyAttr::kImplied;
    return out;
  }
  if (t->type != V_ASN1_SEQUENCE) {
    out.status = PolicyAttr::kMalformed;
    out.notes.push_back("the signature-policy-identifier attribute is neither a SEQUENCE nor NULL");
    return out;
  }
  std::string_view der = AsView(t->value.sequence);
  size_t pos = 0;
  auto seq = internal::ReadTlv(der, &pos);
  size_t p = 0;
  auto id = seq && seq->tag == 0x30 ? internal::ReadTlv(seq->content, &p) : std::nullopt;
  if (!id || id->tag != 0x06) {
    out.status = PolicyAttr::kMalformed;
    out.notes.push_back("the signature-policy-identifier attribute does not decode");
    return out;
  }
  const auto* d = reinterpret_cast<const unsigned char*>(id->whole.data());
  Asn1ObjectPtr obj(d2i_ASN1_OBJECT(nullptr, &d, static_cast<long>(id->whole.size())));
  ERR_clear_error();
  out.status = PolicyAttr::kIdentified;
  out.oid = obj ? ObjToText(obj.get()) : std::string();
  if (out.oid.empty()) out.notes.push_back("the policy OID does not decode");
  auto hash = internal::ReadTlv(seq->content, &p);
  size_t h = 0;
  auto alg = hash && hash->tag == 0x30 ? internal::ReadTlv(hash->content, &h) : std::nullopt;
  auto value = alg ? internal::ReadTlv(hash->content, &h) : std::nullopt;
  if (!alg || alg->tag != 0x30 || !value || value->tag != 0x04) {
    out.notes.push_back("the policy hash (sigPolicyHash) is missing or does not decode");
    return out;
  }
  const EVP_MD* md = DigestOfAlgId(*alg, &out.hash_algorithm);
  out.hash_length = value->content.size();
  if (out.hash_length == 0) {
    out.notes.push_back("the policy hash is empty (zero length)");
  } else if (md != nullptr && static_cast<int>(out.hash_length) != EVP_MD_get_size(md)) {
    out.notes.push_back("the policy hash is " + std::to_string(out.hash_length) + " bytes, not the " +
                        std::to_string(EVP_MD_get_size(md)) + " of " + out.hash_algorithm);
  }
  out.notes.push_back("the policy document is not retrieved: its hash is not checked");
  return out;
}

// Fills everything about `si` except integrity.
void DescribeSigner(CMS_SignerInfo* si, SignerCheck* out, EVP_PKEY** pkey_out, X509** signer_out,
                    const ASN1_OBJECT** dig_out) {
  EVP_PKEY* pkey = nullptr;
  X509* signer = nullptr;
  X509_ALGOR* dig_alg = nullptr;
  X509_ALGOR* sig_alg = nullptr;
  CMS_SignerInfo_get0_algs(si, &pkey, &signer, &dig_alg, &sig_alg);
  const ASN1_OBJECT* dig_obj = nullptr;
  const ASN1_OBJECT* sig_obj = nullptr;
  if (dig_alg != nullptr) X509_ALGOR_get0(&dig_obj, nullptr, nullptr, dig_alg);
  if (sig_alg != nullptr) X509_ALGOR_get0(&sig_obj, nullptr, nullptr, sig_alg);
  if (dig_obj != nullptr) out->digest_algorithm = DigestName(dig_obj);
  if (sig_obj != nullptr) out->signature_algorithm = SignatureAlgName(sig_obj, pkey);
  int dig_nid = dig_obj != nullptr ? OBJ_obj2nid(dig_obj) : NID_undef;
  out->weak_digest = dig_nid == NID_sha1 || dig_nid == NID_md5;
  if (out->weak_digest) out->problems.push_back("weak digest algorithm " + out->digest_algorithm);
  if (signer != nullptr) {
    out->signer_cert_der = internal::CertToDer(signer);
    if (auto info = DescribeCertificate(out->signer_cert_der); info.ok()) out->signer = *info;
  }
  {
    ASN1_OCTET_STRING* keyid = nullptr;
    X509_NAME* issuer = nullptr;
    ASN1_INTEGER* serial = nullptr;
    if (CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &serial) == 1) {
      out->signer_identifier = keyid != nullptr ? "subject-key-identifier" : "issuer-and-serial";
    }
  }
  out->has_signed_attributes = CMS_signed_get_attr_count(si) > 0;
  if (int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1); idx >= 0) {
    X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, idx);
    out->signing_time = AttrTime(X509_ATTRIBUTE_get0_type(attr, 0));
  }
  if (Asn1ObjectPtr oid(OBJ_txt2obj(kOidAdbeRevocation, 1)); oid) {
    std::string_view der = AttrSequence(si, oid.get(), true);
    if (!der.empty()) ParseAdbeRevocation(der, &out->embedded_revocation, &out->problems);
  }
  // ESS signing-certificate(-v2): v2 when present, else v1.
  std::string_view v2 = AttrSequence(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), true);
  std::string_view v1 = AttrSequence(si, OBJ_nid2obj(NID_id_smime_aa_signingCertificate), true);
  if (!v2.empty()) {
    out->signing_cert = CheckSigningCert(v2, true, signer);
    if (!v1.empty()) out->signing_cert.notes.push_back("a signing-certificate (v1) attribute is present too; v2 was checked");
  } else if (!v1.empty()) {
    out->signing_cert = CheckSigningCert(v1, false, signer);
  } else if (CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1) >= 0 ||
             CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificate, -1) >= 0) {
    out->signing_cert.status = SigningCertAttr::kUnverifiable;
    out->signing_cert.notes.push_back("the signing-certificate attribute is not a SEQUENCE");
  }
  out->policy = CheckPolicy(si);
  ERR_clear_error();
  *pkey_out = pkey;
  *signer_out = signer;
  *dig_out = dig_obj;
}

// Matches a SignerInfo whose certificate OpenSSL did not find (its
// issuerAndSerialNumber encoded differently from the certificate's issuer)
// by RFC 5280 name matching and the serial's value.
void FindSignerLeniently(CMS_SignerInfo* si, STACK_OF(X509) * certs) {
  X509* have = nullptr;
  CMS_SignerInfo_get0_algs(si, nullptr, &have, nullptr, nullptr);
  if (have != nullptr || certs == nullptr) return;
  ASN1_OCTET_STRING* keyid = nullptr;
  X509_NAME* issuer = nullptr;
  ASN1_INTEGER* serial = nullptr;
  if (CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &serial) != 1 || issuer == nullptr || serial == nullptr) {
    ERR_clear_error();
    return;
  }
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    X509* c = sk_X509_value(certs, i);
    if (SerialMagnitude(AsView(serial)) == SerialMagnitude(CertSerialBytes(c)) &&
        NamesEquivalent(issuer, X509_get_issuer_name(c))) {
      CMS_SignerInfo_set1_signer_cert(si, c);
      return;
    }
  }
}

}  // namespace

std::string_view SigningCertAttrName(SigningCertAttr a) {
  switch (a) {
    case SigningCertAttr::kAbsent: return "absent";
    case SigningCertAttr::kMatches: return "matches";
    case SigningCertAttr::kMismatch: return "does-not-match";
    case SigningCertAttr::kUnverifiable: return "unverifiable";
  }
  return "unverifiable";
}

std::string_view PolicyAttrName(PolicyAttr p) {
  switch (p) {
    case PolicyAttr::kAbsent: return "absent";
    case PolicyAttr::kImplied: return "implied";
    case PolicyAttr::kIdentified: return "identified";
    case PolicyAttr::kMalformed: return "malformed";
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
  if (n_signers < 1) return fail(Integrity::kMalformed, "SignedData has no SignerInfo");
  if (n_signers > kMaxSigners) {
    return fail(Integrity::kMalformed, "SignedData has " + std::to_string(n_signers) + " signers; at most " +
                                           std::to_string(kMaxSigners) + " are verified");
  }
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
  // Attaches each signer's certificate (matched by issuer+serial or SKI) to its SignerInfo.
  CMS_set1_signers_certs(cms.get(), nullptr, 0);
  ERR_clear_error();
  for (int i = 0; i < n_signers; ++i) FindSignerLeniently(sk_CMS_SignerInfo_value(signers, i), certs.get());

  // The content, digested once for every digest algorithm of the SignedData.
  BioPtr content;
  std::string content_problem;
  if (detached_content.has_value()) {
    content = internal::MemBio(*detached_content);
  } else {
    ASN1_OCTET_STRING** econtent = CMS_get0_content(cms.get());
    if (econtent == nullptr || *econtent == nullptr) {
      content_problem = "detached CMS and no content given";
    } else {
      out.econtent = std::string(AsView(*econtent));
      content = internal::MemBio(out.econtent);
    }
  }
  BIO* chain = nullptr;
  if (content) {
    chain = CMS_dataInit(cms.get(), content.get());
    if (chain == nullptr) {
      content_problem = "cannot set up the content digest: " + internal::TakeOpenSslErrors();
    } else {
      char buf[1 << 16];
      while (BIO_read(chain, buf, sizeof buf) > 0) {
      }
    }
  }

  for (int i = 0; i < n_signers; ++i) {
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, i);
    SignerCheck sc;
    EVP_PKEY* pkey = nullptr;
    X509* signer = nullptr;
    const ASN1_OBJECT* dig_obj = nullptr;
    DescribeSigner(si, &sc, &pkey, &signer, &dig_obj);
    auto set = [&](Integrity v, std::string why) {
      sc.integrity = v;
      sc.problems.push_back(std::move(why));
    };
    if (dig_obj == nullptr || EVP_get_digestbyobj(dig_obj) == nullptr) {
      set(Integrity::kUnsupported, "unsupported digest algorithm " + sc.digest_algorithm);
    } else if (signer == nullptr) {
      set(Integrity::kMalformed, "the signer certificate is not in the CMS");
    } else if (!content_problem.empty()) {
      set(content_problem.rfind("cannot set up", 0) == 0 ? Integrity::kUnsupported : Integrity::kMalformed,
          content_problem);
    } else {
      int content_ok = CMS_SignerInfo_verify_content(si, chain);
      std::string content_err = internal::TakeOpenSslErrors();
      if (sc.has_signed_attributes) {
        int sig_ok = CMS_SignerInfo_verify(si);
        std::string sig_err = internal::TakeOpenSslErrors();
        if (content_ok != 1) {
          set(Integrity::kDigestMismatch, "the digest of the signed bytes does not match the messageDigest attribute");
        } else if (sig_ok != 1 && (sig_err.find("invalid digest") != std::string::npos ||
                                   sig_err.find("unsupported") != std::string::npos)) {
          // OpenSSL cannot verify this algorithm combination (e.g. Ed25519 in
          // OpenSSL 3.0 CMS): we do not know, which is not the same as invalid.
          set(Integrity::kUnsupported, "the signature algorithm cannot be verified here (" +
                                           sc.signature_algorithm + " with " + sc.digest_algorithm + "): " + sig_err);
        } else if (sig_ok != 1) {
          set(Integrity::kInvalidSignature, "the signature value does not verify with the signer's key: " + sig_err);
        } else {
          sc.integrity = Integrity::kValid;
        }
      } else if (content_ok != 1) {
        set(Integrity::kInvalidSignature,
            "the signature over the signed bytes does not verify (no signed attributes): " + content_err);
      } else {
        sc.integrity = Integrity::kValid;
      }
    }
    if (sc.signing_cert.status == SigningCertAttr::kMismatch) {
      sc.problems.push_back("the signing-certificate attribute does not identify the signer certificate (a separate check; the signature itself is " +
                            std::string(IntegrityName(sc.integrity)) + ")");
    }
    // Signature timestamp (RFC 3161 token over the signature value).
    std::string_view token = AttrSequence(si, OBJ_nid2obj(NID_id_smime_aa_timeStampToken), false);
    if (!token.empty()) {
      ASN1_OCTET_STRING* sig_value = CMS_SignerInfo_get0_signature(si);
      sc.timestamp = VerifyTimestampToken(token, AsView(sig_value));
    }
    ERR_clear_error();
    out.embedded_revocation.Append(sc.embedded_revocation);
    out.signers.push_back(std::move(sc));
  }
  if (chain != nullptr) FreeChainUpTo(chain, content.get());
  for (const std::string& crl : out.crls_der) out.embedded_revocation.crls_der.push_back(crl);

  const SignerCheck& first = out.signers.front();
  out.integrity = Integrity::kValid;
  for (size_t i = 0; i < out.signers.size(); ++i) {
    if (out.signers[i].integrity == Integrity::kValid) continue;
    out.integrity = out.signers[i].integrity;
    if (i > 0) {
      out.problems.push_back("signer " + std::to_string(i + 1) + " of " + std::to_string(out.signers.size()) +
                             " (" + out.signers[i].signer.common_name + ") is " +
                             std::string(IntegrityName(out.signers[i].integrity)));
    }
    break;
  }
  out.problems.insert(out.problems.begin(), first.problems.begin(), first.problems.end());
  if (out.signers.size() > 1) {
    out.problems.push_back("SignedData has " + std::to_string(out.signers.size()) + " signers; each is verified");
  }
  out.signer_cert_der = first.signer_cert_der;
  out.signer = first.signer;
  out.digest_algorithm = first.digest_algorithm;
  out.signature_algorithm = first.signature_algorithm;
  out.weak_digest = first.weak_digest;
  out.has_signed_attributes = first.has_signed_attributes;
  out.signing_time = first.signing_time;
  out.signing_cert = first.signing_cert;
  out.policy = first.policy;
  out.timestamp = first.timestamp;
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
