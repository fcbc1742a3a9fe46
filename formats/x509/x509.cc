#include "formats/x509/x509.h"

#include <openssl/pem.h>

#include <ctime>

#include "archive/base/file.h"
#include "formats/x509/internal/ossl.h"

namespace kholuu::formats::x509 {
namespace {

using internal::BioPtr;
using internal::CrlPtr;
using internal::OcspBasicPtr;
using internal::OcspCertIdPtr;
using internal::OcspRespPtr;
using internal::StoreCtxPtr;
using internal::StorePtr;
using internal::X509Ptr;
using internal::X509StackPtr;

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  if (n <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<size_t>(n));
}

std::string NameToString(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || name == nullptr) return {};
  // RFC 2253 order, but keep UTF-8 bytes instead of escaping them.
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return BioToString(bio.get());
}

int64_t Asn1TimeToUnix(const ASN1_TIME* t) {
  if (t == nullptr) return 0;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

std::string CommonName(const X509_NAME* name) {
  int idx = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (idx < 0) return {};
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, s);
  if (n < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::string KeyAlgorithm(X509* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (key == nullptr) return "unknown";
  int id = EVP_PKEY_get_base_id(key);
  switch (id) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return std::string(id == EVP_PKEY_RSA ? "RSA-" : "RSA-PSS-") +
             std::to_string(EVP_PKEY_get_bits(key));
    case EVP_PKEY_EC: {
      char group[80] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_group_name(key, group, sizeof group, &len) != 1) return "EC";
      return std::string("EC-") + group;
    }
    case EVP_PKEY_ED25519:
      return "ED25519";
    case EVP_PKEY_ED448:
      return "ED448";
    default: {
      const char* sn = OBJ_nid2sn(id);
      return sn != nullptr ? sn : "unknown";
    }
  }
}

std::string Hex(const unsigned char* p, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[p[i] >> 4];
    out += kDigits[p[i] & 15];
  }
  return out;
}

CertInfo Describe(X509* cert) {
  CertInfo info;
  info.subject = NameToString(X509_get_subject_name(cert));
  info.issuer = NameToString(X509_get_issuer_name(cert));
  if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr); bn != nullptr) {
    if (char* hex = BN_bn2hex(bn); hex != nullptr) {
      info.serial_hex = hex;
      OPENSSL_free(hex);
    }
    BN_free(bn);
  }
  info.not_before = Asn1TimeToUnix(X509_get0_notBefore(cert));
  info.not_after = Asn1TimeToUnix(X509_get0_notAfter(cert));
  info.key_algorithm = KeyAlgorithm(cert);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &md_len) == 1) info.sha256_hex = Hex(md, md_len);
  info.common_name = CommonName(X509_get_subject_name(cert));
  if (info.common_name.empty()) info.common_name = info.subject;
  return info;
}

bool HasSuffix(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct RevocationVerdict {
  Revocation status = Revocation::kUnknown;
  std::string source;
  std::string reason;
};

RevocationVerdict CheckCrls(X509* leaf, X509* issuer, const RevocationData& data, int64_t at) {
  RevocationVerdict v;
  EVP_PKEY* issuer_key = X509_get0_pubkey(issuer);
  for (const std::string& der : data.crls_der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
    if (!crl) continue;
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(leaf)) != 0) continue;
    if (issuer_key == nullptr || X509_CRL_verify(crl.get(), issuer_key) != 1) {
      ERR_clear_error();
      v.reason = "a CRL names the issuer but its signature does not verify; ignored";
      continue;
    }
    X509_REVOKED* revoked = nullptr;
    if (X509_CRL_get0_by_cert(crl.get(), &revoked, leaf) == 1 && revoked != nullptr) {
      int64_t when = Asn1TimeToUnix(X509_REVOKED_get0_revocationDate(revoked));
      if (when <= at) {
        return {Revocation::kRevoked, "crl", "revoked on " + FormatTime(when) + " (CRL)"};
      }
      return {Revocation::kGood, "crl",
              "revoked on " + FormatTime(when) + ", after the validation time (CRL)"};
    }
    v = {Revocation::kGood, "crl",
         "not on the CRL issued " + FormatTime(Asn1TimeToUnix(X509_CRL_get0_lastUpdate(crl.get())))};
  }
  return v;
}

RevocationVerdict CheckOcsp(X509* leaf, X509* issuer, STACK_OF(X509) * certs, X509_STORE* store,
                            const RevocationData& data, int64_t at) {
  RevocationVerdict v;
  for (const std::string& der : data.ocsp_responses_der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    OcspRespPtr resp(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
    if (!resp || OCSP_response_status(resp.get()) != OCSP_RESPONSE_STATUS_SUCCESSFUL) continue;
    OcspBasicPtr basic(OCSP_response_get1_basic(resp.get()));
    if (!basic) continue;
    bool matched = false;
    for (const EVP_MD* md : {EVP_sha1(), EVP_sha256()}) {
      OcspCertIdPtr id(OCSP_cert_to_id(md, leaf, issuer));
      int status = -1, reason = -1;
      ASN1_GENERALIZEDTIME *rev_time = nullptr, *this_upd = nullptr, *next_upd = nullptr;
      if (!id || OCSP_resp_find_status(basic.get(), id.get(), &status, &reason, &rev_time,
                                       &this_upd, &next_upd) != 1) {
        continue;
      }
      matched = true;
      if (OCSP_basic_verify(basic.get(), certs, store, 0) != 1) {
        ERR_clear_error();
        v.reason = "an OCSP response names the certificate but its signature or responder "
                   "does not verify; ignored";
        break;
      }
      if (status == V_OCSP_CERTSTATUS_REVOKED) {
        int64_t when = Asn1TimeToUnix(rev_time);
        if (when <= at) return {Revocation::kRevoked, "ocsp", "revoked on " + FormatTime(when) + " (OCSP)"};
        return {Revocation::kGood, "ocsp",
                "revoked on " + FormatTime(when) + ", after the validation time (OCSP)"};
      }
      if (status == V_OCSP_CERTSTATUS_GOOD) {
        return {Revocation::kGood, "ocsp",
                "OCSP status good at " + FormatTime(Asn1TimeToUnix(this_upd))};
      }
      v.reason = "OCSP status unknown";
      break;
    }
    (void)matched;
  }
  return v;
}

}  // namespace

Result<CertInfo> DescribeCertificate(std::string_view der) {
  X509Ptr cert = internal::ParseCertDer(der);
  if (!cert) {
    ERR_clear_error();
    return InvalidArgumentError("not a DER X.509 certificate");
  }
  return Describe(cert.get());
}

std::string FormatTime(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "invalid-time";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<TrustStore> TrustStore::LoadPemDirectory(const std::string& dir) {
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  TrustStore store;
  for (const std::string& name : names) {
    if (!HasSuffix(name, ".pem") && !HasSuffix(name, ".crt") && !HasSuffix(name, ".cer")) continue;
    std::string path = dir + "/" + name;
    KHOLUU_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path, 4u << 20));
    BioPtr bio = internal::MemBio(text);
    size_t found = 0;
    for (;;) {
      X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
      if (!cert) break;
      store.anchors_der.push_back(internal::CertToDer(cert.get()));
      ++found;
    }
    ERR_clear_error();
    if (found == 0) return InvalidArgumentError("trust store file " + path + " holds no PEM certificate");
  }
  return store;
}

void RevocationData::Append(const RevocationData& other) {
  crls_der.insert(crls_der.end(), other.crls_der.begin(), other.crls_der.end());
  ocsp_responses_der.insert(ocsp_responses_der.end(), other.ocsp_responses_der.begin(),
                            other.ocsp_responses_der.end());
}

std::string_view TrustName(Trust t) {
  switch (t) {
    case Trust::kTrusted: return "trusted";
    case Trust::kUntrusted: return "untrusted";
    case Trust::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view RevocationName(Revocation r) {
  switch (r) {
    case Revocation::kGood: return "good";
    case Revocation::kRevoked: return "revoked";
    case Revocation::kUnknown: return "unknown";
  }
  return "unknown";
}

TrustResult EvaluateTrust(std::string_view leaf_der,
                          const std::vector<std::string>& intermediates_der,
                          const TrustStore& store, const RevocationData& revocation,
                          const TrustOptions& options) {
  TrustResult result;
  X509Ptr leaf = internal::ParseCertDer(leaf_der);
  if (!leaf) {
    ERR_clear_error();
    result.reasons.push_back("signer certificate missing or unreadable");
    return result;
  }
  if (store.anchors_der.empty()) {
    result.chain.push_back(Describe(leaf.get()));
    result.reasons.push_back("no trust store configured (--trust-store DIR)");
    return result;
  }
  StorePtr x_store(X509_STORE_new());
  X509StackPtr untrusted(sk_X509_new_null());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!x_store || !untrusted || !ctx) {
    result.reasons.push_back("out of memory building the chain");
    return result;
  }
  for (const std::string& der : store.anchors_der) {
    X509Ptr anchor = internal::ParseCertDer(der);
    if (anchor) X509_STORE_add_cert(x_store.get(), anchor.get());  // takes its own reference
  }
  for (const std::string& der : intermediates_der) {
    X509Ptr c = internal::ParseCertDer(der);
    if (c && sk_X509_push(untrusted.get(), c.get()) > 0) c.release();
  }
  ERR_clear_error();
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(x_store.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(options.at));
  if (X509_STORE_CTX_init(ctx.get(), x_store.get(), leaf.get(), untrusted.get()) != 1) {
    result.reasons.push_back("cannot initialise chain building: " + internal::TakeOpenSslErrors());
    return result;
  }
  if (options.timestamping) X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_TIMESTAMP_SIGN);
  int ok = X509_verify_cert(ctx.get());
  if (ok != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    int depth = X509_STORE_CTX_get_error_depth(ctx.get());
    X509* bad = X509_STORE_CTX_get_current_cert(ctx.get());
    std::string who = bad != nullptr ? CommonName(X509_get_subject_name(bad)) : "?";
    result.trust = Trust::kUntrusted;
    result.reasons.push_back(std::string("chain: ") + X509_verify_cert_error_string(err) +
                             " (depth " + std::to_string(depth) + ", " + who + ", at " +
                             FormatTime(options.at) + ")");
    result.chain.push_back(Describe(leaf.get()));
    ERR_clear_error();
    return result;
  }
  X509StackPtr chain(X509_STORE_CTX_get1_chain(ctx.get()));
  if (!chain || sk_X509_num(chain.get()) < 1) {
    result.reasons.push_back("chain building returned no chain");
    return result;
  }
  for (int i = 0; i < sk_X509_num(chain.get()); ++i) {
    result.chain.push_back(Describe(sk_X509_value(chain.get(), i)));
  }
  result.reasons.push_back("chain to trust anchor \"" + result.chain.back().common_name +
                           "\" valid at " + FormatTime(options.at));
  if (sk_X509_num(chain.get()) < 2) {
    // The leaf is itself an anchor: nothing to revoke it.
    result.trust = Trust::kTrusted;
    result.revocation = Revocation::kGood;
    result.reasons.push_back("the signer certificate is itself a trust anchor");
    return result;
  }
  // Revocation of every certificate below the anchor, each against its issuer
  // in the built chain (ADR 0045).
  const int n = sk_X509_num(chain.get());
  bool any_revoked = false, any_unknown = false;
  for (int i = 0; i + 1 < n; ++i) {
    X509* cert = sk_X509_value(chain.get(), i);
    X509* issuer = sk_X509_value(chain.get(), i + 1);
    RevocationVerdict crl = CheckCrls(cert, issuer, revocation, options.at);
    RevocationVerdict verdict = crl;
    if (crl.status != Revocation::kRevoked) {
      RevocationVerdict ocsp = CheckOcsp(cert, issuer, chain.get(), x_store.get(), revocation, options.at);
      if (ocsp.status == Revocation::kRevoked ||
          (crl.status == Revocation::kUnknown && ocsp.status == Revocation::kGood)) {
        verdict = ocsp;
      } else if (crl.status == Revocation::kUnknown && !ocsp.reason.empty()) {
        verdict.reason = ocsp.reason;
      }
    }
    CertRevocation cr;
    cr.common_name = result.chain[static_cast<size_t>(i)].common_name;
    cr.status = verdict.status;
    cr.source = verdict.source;
    cr.reason = verdict.reason;
    result.chain_revocation.push_back(cr);
    if (i == 0) {
      result.revocation = verdict.status;
      result.revocation_source = verdict.source;
    }
    const std::string who =
        i == 0 ? std::string("signer certificate") : "intermediate certificate \"" + cr.common_name + "\"";
    switch (verdict.status) {
      case Revocation::kRevoked:
        any_revoked = true;
        result.reasons.push_back(who + " " + verdict.reason);
        break;
      case Revocation::kGood:
        result.reasons.push_back(who + " not revoked: " + verdict.reason);
        break;
      case Revocation::kUnknown:
        any_unknown = true;
        result.reasons.push_back("revocation status of the " + who +
                                 " unknown: no usable CRL or OCSP response in the document" +
                                 (verdict.reason.empty() ? "" : " (" + verdict.reason + ")"));
        break;
    }
  }
  result.trust = any_revoked ? Trust::kUntrusted : any_unknown ? Trust::kUnknown : Trust::kTrusted;
  ERR_clear_error();
  return result;
}

}  // namespace kholuu::formats::x509
