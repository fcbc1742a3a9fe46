#include "tests/formats/x509/test_pki.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>

namespace kholuu::testing {
namespace {

using namespace formats::x509::internal;  // NOLINT: test helper

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "test PKI: %s failed: %s\n", what, TakeOpenSslErrors().c_str());
  std::abort();
}

PkeyPtr NewKey(bool rsa) {
  EVP_PKEY* k = rsa ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048))
                    : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (k == nullptr) Die("keygen");
  return PkeyPtr(k);
}

void AddExt(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) Die("extension");
  X509_EXTENSION_free(ext);
}

long g_serial = 1000;

enum class Kind { kCa, kSigner, kTsa, kOcsp };

Identity Make(const std::string& cn, const Identity* issuer, Kind kind, bool rsa,
              long not_before_offset, long not_after_offset) {
  Identity id;
  id.key = NewKey(rsa);
  id.cert.reset(X509_new());
  X509* c = id.cert.get();
  X509_set_version(c, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(c), ++g_serial);
  X509_NAME* name = X509_get_subject_name(c);
  auto add = [&](const char* field, const std::string& v) {
    if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(v.c_str()), -1, -1,
                                   0) != 1) {
      Die("name");
    }
  };
  add("C", "VN");
  add("O", "Ban Cơ yếu Chính phủ");
  add("CN", cn);
  X509_set_issuer_name(c, issuer != nullptr ? X509_get_subject_name(issuer->cert.get()) : name);
  X509_gmtime_adj(X509_getm_notBefore(c), not_before_offset);
  X509_gmtime_adj(X509_getm_notAfter(c), not_after_offset);
  X509_set_pubkey(c, id.key.get());
  X509* issuer_cert = issuer != nullptr ? issuer->cert.get() : c;
  AddExt(c, issuer_cert, NID_subject_key_identifier, "hash");
  AddExt(c, issuer_cert, NID_authority_key_identifier, "keyid:always");
  switch (kind) {
    case Kind::kCa:
      AddExt(c, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
      AddExt(c, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case Kind::kSigner:
      AddExt(c, issuer_cert, NID_basic_constraints, "critical,CA:FALSE");
      AddExt(c, issuer_cert, NID_key_usage, "critical,digitalSignature,nonRepudiation");
      break;
    case Kind::kTsa:
      AddExt(c, issuer_cert, NID_key_usage, "critical,digitalSignature");
      AddExt(c, issuer_cert, NID_ext_key_usage, "critical,timeStamping");
      break;
    case Kind::kOcsp:
      AddExt(c, issuer_cert, NID_key_usage, "critical,digitalSignature");
      AddExt(c, issuer_cert, NID_ext_key_usage, "OCSPSigning");
      break;
  }
  EVP_PKEY* signing_key = issuer != nullptr ? issuer->key.get() : id.key.get();
  if (X509_sign(c, signing_key, EVP_sha256()) <= 0) Die("X509_sign");
  id.der = CertToDer(c);
  return id;
}

constexpr long kDay = 86400;
constexpr long kYear = 365 * kDay;

ASN1_INTEGER* NextSerial(TS_RESP_CTX*, void*) {
  ASN1_INTEGER* s = ASN1_INTEGER_new();
  ASN1_INTEGER_set(s, ++g_serial);
  return s;
}

std::string Der(int len, unsigned char* buf) {
  if (len <= 0) Die("i2d");
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

template <typename F>
std::string DerOf(F encode, unsigned char** buf) {
  int len = encode();
  return Der(len, *buf);
}

std::string DerLength(size_t n) {
  std::string out;
  if (n < 0x80) {
    out += static_cast<char>(n);
    return out;
  }
  std::string bytes;
  while (n > 0) {
    bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
    n >>= 8;
  }
  out += static_cast<char>(0x80 | bytes.size());
  return out + bytes;
}

std::string DerWrap(unsigned char tag, const std::string& content) {
  return std::string(1, static_cast<char>(tag)) + DerLength(content.size()) + content;
}

}  // namespace

TestPki::TestPki() {
  root = Make("Cơ quan chứng thực chữ ký số Chính phủ TEST ROOT", nullptr, Kind::kCa, true, -kDay,
              20 * kYear);
  intermediate = Make("Cơ quan chứng thực chữ ký số chuyên dùng Chính phủ TEST", &root, Kind::kCa,
                      true, -kDay, 10 * kYear);
  signer = Make("Nguyễn Văn An TEST", &intermediate, Kind::kSigner, true, -kDay, 3 * kYear);
  org_seal = Make("Văn phòng Bộ Nội vụ TEST", &intermediate, Kind::kSigner, true, -kDay, 3 * kYear);
  ec_signer = Make("Trần Thị Bình TEST", &intermediate, Kind::kSigner, false, -kDay, 3 * kYear);
  expired = Make("Lê Văn Cũ TEST EXPIRED", &intermediate, Kind::kSigner, false, -3 * kYear, -kYear);
  revoked = Make("Phạm Văn Thu Hồi TEST REVOKED", &intermediate, Kind::kSigner, false, -kDay,
                 3 * kYear);
  tsa = Make("Dịch vụ cấp dấu thời gian TEST TSA", &intermediate, Kind::kTsa, false, -kDay,
             5 * kYear);
  ocsp_responder = Make("OCSP TEST", &intermediate, Kind::kOcsp, false, -kDay, 5 * kYear);
  other_root = Make("CA không tin cậy TEST UNTRUSTED ROOT", nullptr, Kind::kCa, false, -kDay,
                    10 * kYear);
  other_signer = Make("Người ký lạ TEST", &other_root, Kind::kSigner, false, -kDay, 3 * kYear);

  revoked_ca = Make("CA bị thu hồi TEST REVOKED CA", &root, Kind::kCa, false, -kDay, 10 * kYear);
  revoked_ca_signer = Make("Đỗ Văn Trung Gian TEST", &revoked_ca, Kind::kSigner, false, -kDay, 3 * kYear);

  crl_der = MakeCrl(intermediate, &revoked);
  root_crl_der = MakeCrl(root, &revoked_ca);
  revoked_ca_crl_der = MakeCrl(revoked_ca, nullptr);
}

std::string TestPki::MakeCrl(const Identity& issuer, const Identity* listed) {
  CrlPtr crl(X509_CRL_new());
  X509_CRL_set_version(crl.get(), 1);
  X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.cert.get()));
  ASN1_TIME* t = ASN1_TIME_adj(nullptr, std::time(nullptr), 0, -3600);
  X509_CRL_set1_lastUpdate(crl.get(), t);
  ASN1_TIME_adj(t, std::time(nullptr), 7, 0);
  X509_CRL_set1_nextUpdate(crl.get(), t);
  if (listed != nullptr) {
    X509_REVOKED* rev = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(rev, X509_get_serialNumber(listed->cert.get()));
    ASN1_TIME_adj(t, std::time(nullptr), 0, -3600);
    X509_REVOKED_set_revocationDate(rev, t);
    X509_CRL_add0_revoked(crl.get(), rev);
  }
  ASN1_TIME_free(t);
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), issuer.key.get(), EVP_sha256()) <= 0) Die("CRL sign");
  unsigned char* buf = nullptr;
  return DerOf([&] { return i2d_X509_CRL(crl.get(), &buf); }, &buf);
}

std::string TestPki::RootOcspResponse(const Identity& who, bool is_revoked) const {
  OcspBasicPtr basic(OCSP_BASICRESP_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), who.cert.get(), root.cert.get());
  ASN1_TIME* now = ASN1_TIME_adj(nullptr, std::time(nullptr), 0, -60);
  ASN1_TIME* revtime = ASN1_TIME_adj(nullptr, std::time(nullptr), 0, -3600);
  ASN1_TIME* next = ASN1_TIME_adj(nullptr, std::time(nullptr), 7, 0);
  OCSP_basic_add1_status(basic.get(), id,
                         is_revoked ? V_OCSP_CERTSTATUS_REVOKED : V_OCSP_CERTSTATUS_GOOD,
                         is_revoked ? OCSP_REVOKED_STATUS_CACOMPROMISE : -1,
                         is_revoked ? revtime : nullptr, now, next);
  OCSP_CERTID_free(id);
  ASN1_TIME_free(now);
  ASN1_TIME_free(revtime);
  ASN1_TIME_free(next);
  if (OCSP_basic_sign(basic.get(), root.cert.get(), root.key.get(), EVP_sha256(), nullptr, 0) != 1) {
    Die("root OCSP sign");
  }
  OcspRespPtr resp(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  unsigned char* buf = nullptr;
  return DerOf([&] { return i2d_OCSP_RESPONSE(resp.get(), &buf); }, &buf);
}

std::string TestPki::OcspResponse(const Identity& who, bool is_revoked) const {
  OcspBasicPtr basic(OCSP_BASICRESP_new());
  OCSP_CERTID* id = OCSP_cert_to_id(EVP_sha1(), who.cert.get(), intermediate.cert.get());
  ASN1_TIME* now = ASN1_TIME_adj(nullptr, std::time(nullptr), 0, -60);
  ASN1_TIME* revtime = ASN1_TIME_adj(nullptr, std::time(nullptr), 0, -3600);
  ASN1_TIME* next = ASN1_TIME_adj(nullptr, std::time(nullptr), 7, 0);
  OCSP_basic_add1_status(basic.get(), id,
                         is_revoked ? V_OCSP_CERTSTATUS_REVOKED : V_OCSP_CERTSTATUS_GOOD,
                         is_revoked ? OCSP_REVOKED_STATUS_KEYCOMPROMISE : -1,
                         is_revoked ? revtime : nullptr, now, next);
  OCSP_CERTID_free(id);
  ASN1_TIME_free(now);
  ASN1_TIME_free(revtime);
  ASN1_TIME_free(next);
  if (OCSP_basic_sign(basic.get(), ocsp_responder.cert.get(), ocsp_responder.key.get(),
                      EVP_sha256(), nullptr, 0) != 1) {
    Die("OCSP sign");
  }
  OcspRespPtr resp(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  unsigned char* buf = nullptr;
  return DerOf([&] { return i2d_OCSP_RESPONSE(resp.get(), &buf); }, &buf);
}

std::string TestPki::TimestampToken(std::string_view data) const {
  unsigned char digest[32];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
  X509_ALGOR* alg = X509_ALGOR_new();
  X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint, alg);
  TS_MSG_IMPRINT_set_msg(imprint, digest, static_cast<int>(len));
  TS_REQ* req = TS_REQ_new();
  TS_REQ_set_version(req, 1);
  TS_REQ_set_msg_imprint(req, imprint);
  TS_REQ_set_cert_req(req, 1);
  BioPtr req_bio(BIO_new(BIO_s_mem()));
  i2d_TS_REQ_bio(req_bio.get(), req);
  TS_REQ_free(req);
  TS_MSG_IMPRINT_free(imprint);
  X509_ALGOR_free(alg);
  char* req_data = nullptr;
  long req_len = BIO_get_mem_data(req_bio.get(), &req_data);
  TS_RESP* resp = Respond(std::string_view(req_data, static_cast<size_t>(req_len)));
  if (TS_RESP_get_token(resp) == nullptr) Die("timestamp");
  unsigned char* buf = nullptr;
  std::string out = DerOf([&] { return i2d_PKCS7(TS_RESP_get_token(resp), &buf); }, &buf);
  TS_RESP_free(resp);
  return out;
}

TS_RESP* TestPki::Respond(std::string_view request_der) const {
  BioPtr req_bio = MemBio(request_der);
  TS_RESP_CTX* ctx = TS_RESP_CTX_new();
  TS_RESP_CTX_set_signer_cert(ctx, tsa.cert.get());
  TS_RESP_CTX_set_signer_key(ctx, tsa.key.get());
  ASN1_OBJECT* policy = OBJ_txt2obj("1.3.6.1.4.1.99999.1", 1);
  TS_RESP_CTX_set_def_policy(ctx, policy);
  ASN1_OBJECT_free(policy);
  TS_RESP_CTX_add_md(ctx, EVP_sha256());
  TS_RESP_CTX_set_serial_cb(ctx, NextSerial, nullptr);
  STACK_OF(X509)* chain = sk_X509_new_null();
  sk_X509_push(chain, intermediate.cert.get());
  TS_RESP_CTX_set_certs(ctx, chain);  // copies
  sk_X509_free(chain);
  TS_RESP* resp = TS_RESP_create_response(ctx, req_bio.get());
  TS_RESP_CTX_free(ctx);
  if (resp == nullptr) Die("timestamp response");
  return resp;
}

std::string TestPki::TimestampResponse(std::string_view request_der) const {
  TS_RESP* resp = Respond(request_der);
  unsigned char* buf = nullptr;
  std::string out = DerOf([&] { return i2d_TS_RESP(resp, &buf); }, &buf);
  TS_RESP_free(resp);
  return out;
}

std::string TestPki::SignDetached(std::string_view content, const Identity& who,
                                  const CmsSignOptions& options) const {
  unsigned int flags = CMS_PARTIAL | CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP;
  X509StackPtr extra(sk_X509_new_null());
  X509_up_ref(intermediate.cert.get());
  sk_X509_push(extra.get(), intermediate.cert.get());
  CmsPtr cms(CMS_sign(nullptr, nullptr, extra.get(), nullptr, flags));
  if (!cms) Die("CMS_sign");
  bool own_ess = !options.ess_attr_der.empty();
  unsigned int si_flags = flags | (options.cades && !own_ess ? CMS_CADES : 0u) | (options.pss ? CMS_KEY_PARAM : 0u) |
                          (options.sid_key_id ? CMS_USE_KEYID : 0u);
  CMS_SignerInfo* si = CMS_add1_signer(cms.get(), who.cert.get(), who.key.get(),
                                       options.md != nullptr ? options.md : EVP_sha256(), si_flags);
  if (si == nullptr) Die("CMS_add1_signer");
  if (own_ess) {
    int nid = options.ess_v1 ? NID_id_smime_aa_signingCertificate : NID_id_smime_aa_signingCertificateV2;
    if (CMS_signed_add1_attr_by_NID(si, nid, V_ASN1_SEQUENCE, options.ess_attr_der.data(),
                                    static_cast<int>(options.ess_attr_der.size())) != 1) {
      Die("ESS attribute");
    }
  }
  if (!options.policy_attr_der.empty()) {
    ASN1_OBJECT* oid = OBJ_txt2obj("1.2.840.113549.1.9.16.2.15", 1);
    int type = options.policy_attr_der == std::string("\x05\x00", 2) ? V_ASN1_NULL : V_ASN1_SEQUENCE;
    const void* bytes = type == V_ASN1_NULL ? nullptr : options.policy_attr_der.data();
    // NULL with length -1: with a length, OpenSSL 3.0 makes an ASN1_STRING
    // that an ASN1_TYPE of type NULL never frees (a leak under ASan).
    const int length = type == V_ASN1_NULL ? -1 : static_cast<int>(options.policy_attr_der.size());
    if (CMS_signed_add1_attr_by_OBJ(si, oid, type, bytes, length) != 1) {
      Die("policy attribute");
    }
    ASN1_OBJECT_free(oid);
  }
  if (options.co_signer != nullptr &&
      CMS_add1_signer(cms.get(), options.co_signer->cert.get(), options.co_signer->key.get(), EVP_sha256(),
                      flags | CMS_CADES) == nullptr) {
    Die("CMS_add1_signer (co-signer)");
  }
  if (options.pss) {
    EVP_PKEY_CTX* pctx = CMS_SignerInfo_get0_pkey_ctx(si);
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0) Die("PSS padding");
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
  }
  if (!options.adbe_crls.empty() || !options.adbe_ocsps.empty()) {
    std::string body;
    if (!options.adbe_crls.empty()) {
      std::string seq;
      for (const auto& c : options.adbe_crls) seq += c;
      body += DerWrap(0xa0, DerWrap(0x30, seq));
    }
    if (!options.adbe_ocsps.empty()) {
      std::string seq;
      for (const auto& c : options.adbe_ocsps) seq += c;
      body += DerWrap(0xa1, DerWrap(0x30, seq));
    }
    std::string attr = DerWrap(0x30, body);
    ASN1_OBJECT* oid = OBJ_txt2obj("1.2.840.113583.1.1.8", 1);
    // For V_ASN1_SEQUENCE, the bytes are the full DER of the value.
    if (CMS_signed_add1_attr_by_OBJ(si, oid, V_ASN1_SEQUENCE, attr.data(),
                                    static_cast<int>(attr.size())) != 1) {
      Die("adbe attribute");
    }
    ASN1_OBJECT_free(oid);
  }
  BioPtr data = MemBio(content);
  if (CMS_final(cms.get(), data.get(), nullptr, flags) != 1) Die("CMS_final");
  if (options.timestamp) {
    ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
    std::string token = TimestampToken(std::string_view(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(sig)),
        static_cast<size_t>(ASN1_STRING_length(sig))));
    if (CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                      token.data(), static_cast<int>(token.size())) != 1) {
      Die("timestamp attribute");
    }
  }
  if (options.reencode_sid_issuer) {
    ASN1_OCTET_STRING* keyid = nullptr;
    X509_NAME* issuer = nullptr;
    ASN1_INTEGER* serial = nullptr;
    if (CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &serial) != 1 || issuer == nullptr) Die("signer id");
    X509NamePtr copy(X509_NAME_dup(issuer));
    while (X509_NAME_entry_count(issuer) > 0) X509_NAME_ENTRY_free(X509_NAME_delete_entry(issuer, 0));
    for (int i = X509_NAME_entry_count(copy.get()) - 1; i >= 0; --i) {
      const X509_NAME_ENTRY* e = X509_NAME_get_entry(copy.get(), i);
      const ASN1_STRING* v = X509_NAME_ENTRY_get_data(e);
      if (X509_NAME_add_entry_by_OBJ(issuer, X509_NAME_ENTRY_get_object(e), V_ASN1_UTF8STRING,
                                     ASN1_STRING_get0_data(v), ASN1_STRING_length(v), -1, 0) != 1) {
        Die("re-encode issuer");
      }
    }
  }
  unsigned char* buf = nullptr;
  return DerOf([&] { return i2d_CMS_ContentInfo(cms.get(), &buf); }, &buf);
}

std::string TestPki::DerWrap(unsigned char tag, const std::string& content) {
  return kholuu::testing::DerWrap(tag, content);
}

std::string TestPki::IssuerSerialDer(const Identity& who, bool reencode) {
  X509NamePtr name(X509_NAME_dup(X509_get_issuer_name(who.cert.get())));
  if (reencode) {
    X509NamePtr out(X509_NAME_new());
    for (int i = X509_NAME_entry_count(name.get()) - 1; i >= 0; --i) {
      const X509_NAME_ENTRY* e = X509_NAME_get_entry(name.get(), i);
      const ASN1_STRING* v = X509_NAME_ENTRY_get_data(e);
      // Upper case and padded with white space: the same value by RFC 5280 matching.
      std::string text = "  " + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(v)),
                                            static_cast<size_t>(ASN1_STRING_length(v))) + " ";
      for (char& c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      if (X509_NAME_add_entry_by_OBJ(out.get(), X509_NAME_ENTRY_get_object(e), V_ASN1_UTF8STRING,
                                     reinterpret_cast<const unsigned char*>(text.data()),
                                     static_cast<int>(text.size()), -1, 0) != 1) {
        Die("issuer name");
      }
    }
    name = std::move(out);
  }
  unsigned char* buf = nullptr;
  std::string name_der = DerOf([&] { return i2d_X509_NAME(name.get(), &buf); }, &buf);
  const ASN1_INTEGER* serial = X509_get0_serialNumber(who.cert.get());
  std::string serial_der = DerWrap(0x02, std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(serial)),
                                                     static_cast<size_t>(ASN1_STRING_length(serial))));
  if (static_cast<unsigned char>(serial_der[2]) & 0x80) {
    serial_der = DerWrap(0x02, std::string(1, '\0') + serial_der.substr(2));
  }
  return DerWrap(0x30, DerWrap(0x30, DerWrap(0xa4, name_der)) + serial_der);
}

std::string TestPki::CertHash(const Identity& who, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(who.der.data(), who.der.size(), out, &len, md, nullptr) != 1) Die("digest");
  return std::string(reinterpret_cast<char*>(out), len);
}

void TestPki::WriteTrustStore(const std::string& dir) const {
  std::ofstream(dir + "/root.pem") << CertPem(root);
}

std::string TestPki::CertPem(const Identity& id) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), id.cert.get());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string TestPki::KeyPem(const Identity& id) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), id.key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace kholuu::testing
