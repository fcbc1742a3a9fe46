#include "formats/x509/tsp.h"

#include <openssl/rand.h>

#include "formats/x509/internal/ossl.h"

namespace kholuu::formats::x509 {
namespace {

using internal::AlgorPtr;
using internal::Asn1IntegerPtr;
using internal::TakeOpenSslErrors;
using internal::TsImprintPtr;
using internal::TsReqPtr;
using internal::TsRespPtr;

constexpr size_t kMaxResponseBytes = 1u << 20;

std::string_view AsView(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
          static_cast<size_t>(ASN1_STRING_length(s))};
}

std::string StatusName(long status) {
  switch (status) {
    case 0: return "granted";
    case 1: return "grantedWithMods";
    case 2: return "rejection";
    case 3: return "waiting";
    case 4: return "revocationWarning";
    case 5: return "revocationNotification";
    default: return "unknown status " + std::to_string(status);
  }
}

// PKIFailureInfo bit names (RFC 3161 §2.4.2).
std::string FailureBits(const ASN1_BIT_STRING* bits) {
  static constexpr struct {
    int bit;
    const char* name;
  } kNames[] = {{0, "badAlg"},           {2, "badRequest"},          {5, "badDataFormat"},
                {14, "timeNotAvailable"}, {15, "unacceptedPolicy"},   {16, "unacceptedExtension"},
                {17, "addInfoNotAvailable"}, {25, "systemFailure"}};
  std::string out;
  if (bits == nullptr) return out;
  for (const auto& n : kNames) {
    if (ASN1_BIT_STRING_get_bit(bits, n.bit) == 1) out += std::string(out.empty() ? "" : ", ") + n.name;
  }
  return out;
}

// The TSA's free text, made safe to print: control bytes become '?', and it
// is cut at 200 bytes.
std::string Printable(std::string_view text) {
  std::string out;
  for (char ch : text.substr(0, 200)) {
    out += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ? '?' : ch;
  }
  return out;
}

// DER of an OpenSSL object via its i2d function.
template <typename T, int (*I2d)(const T*, unsigned char**)>
Result<std::string> ToDer(const T* obj, const char* what) {
  unsigned char* buf = nullptr;
  int len = I2d(obj, &buf);
  if (len <= 0) return InternalError(std::string(what) + ": encoding: " + TakeOpenSslErrors());
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(len));
  OPENSSL_free(buf);
  return out;
}

}  // namespace

Result<uint64_t> NewTimestampNonce() {
  uint64_t n = 0;
  while (n == 0) {
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&n), sizeof n) != 1) {
      return InternalError("timestamp nonce: " + TakeOpenSslErrors());
    }
    n >>= 1;  // positive as a DER INTEGER without a sign byte, and never 0
  }
  return n;
}

Result<std::string> BuildTimestampQuery(std::string_view data_to_stamp, uint64_t nonce) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  if (EVP_Digest(data_to_stamp.data(), data_to_stamp.size(), digest, &digest_len, EVP_sha256(),
                 nullptr) != 1) {
    return InternalError("timestamp query: SHA-256: " + TakeOpenSslErrors());
  }
  AlgorPtr alg(X509_ALGOR_new());
  TsImprintPtr imprint(TS_MSG_IMPRINT_new());
  TsReqPtr req(TS_REQ_new());
  Asn1IntegerPtr n(ASN1_INTEGER_new());
  if (!alg || !imprint || !req || !n ||
      X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
      TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), digest, static_cast<int>(digest_len)) != 1 ||
      TS_REQ_set_version(req.get(), 1) != 1 || TS_REQ_set_msg_imprint(req.get(), imprint.get()) != 1 ||
      TS_REQ_set_cert_req(req.get(), 1) != 1 || ASN1_INTEGER_set_uint64(n.get(), nonce) != 1 ||
      TS_REQ_set_nonce(req.get(), n.get()) != 1) {
    return InternalError("timestamp query: " + TakeOpenSslErrors());
  }
  return ToDer<TS_REQ, i2d_TS_REQ>(req.get(), "timestamp query");
}

Result<std::string> ExtractTimestampToken(std::string_view resp_der, std::string_view query_der) {
  const auto* qp = reinterpret_cast<const unsigned char*>(query_der.data());
  TsReqPtr req(d2i_TS_REQ(nullptr, &qp, static_cast<long>(query_der.size())));
  if (!req || TS_REQ_get_msg_imprint(req.get()) == nullptr) {
    TakeOpenSslErrors();
    return InvalidArgumentError("timestamp query does not parse");
  }
  if (resp_der.empty()) return InvalidArgumentError("timestamp response is empty");
  if (resp_der.size() > kMaxResponseBytes) {
    return InvalidArgumentError("timestamp response is over 1 MiB (" + std::to_string(resp_der.size()) +
                                " bytes)");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(resp_der.data());
  const unsigned char* end = p + resp_der.size();
  TsRespPtr resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(resp_der.size())));
  if (!resp) {
    std::string why = TakeOpenSslErrors();
    return InvalidArgumentError("timestamp response is not a DER TimeStampResp" +
                                (why.empty() ? std::string() : " (" + why + ")"));
  }
  if (p != end) {
    return InvalidArgumentError("timestamp response has " + std::to_string(end - p) +
                                " bytes after the TimeStampResp");
  }

  TS_STATUS_INFO* info = TS_RESP_get_status_info(resp.get());
  const long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(info));
  if (status != 0 && status != 1) {
    std::string msg = "the TSA did not grant the timestamp: " + StatusName(status);
    std::string bits = FailureBits(TS_STATUS_INFO_get0_failure_info(info));
    if (!bits.empty()) msg += " (" + bits + ")";
    const STACK_OF(ASN1_UTF8STRING)* text = TS_STATUS_INFO_get0_text(info);
    for (int i = 0; text != nullptr && i < sk_ASN1_UTF8STRING_num(text); ++i) {
      msg += (i == 0 ? ": \"" : " / \"") + Printable(AsView(sk_ASN1_UTF8STRING_value(text, i))) + "\"";
    }
    return FailedPreconditionError(msg);
  }
  PKCS7* token = TS_RESP_get_token(resp.get());
  TS_TST_INFO* tst = TS_RESP_get_tst_info(resp.get());
  if (token == nullptr || tst == nullptr) {
    return InvalidArgumentError("timestamp response is granted but carries no token");
  }

  // The token must answer this query: same hash algorithm and digest, same nonce.
  TS_MSG_IMPRINT* want = TS_REQ_get_msg_imprint(req.get());
  TS_MSG_IMPRINT* got = TS_TST_INFO_get_msg_imprint(tst);
  const ASN1_OBJECT* want_alg = nullptr;
  const ASN1_OBJECT* got_alg = nullptr;
  X509_ALGOR_get0(&want_alg, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(want));
  X509_ALGOR_get0(&got_alg, nullptr, nullptr, TS_MSG_IMPRINT_get_algo(got));
  if (want_alg == nullptr || got_alg == nullptr || OBJ_cmp(want_alg, got_alg) != 0) {
    return InvalidArgumentError("timestamp token's messageImprint uses another hash algorithm than the query");
  }
  if (AsView(TS_MSG_IMPRINT_get_msg(want)) != AsView(TS_MSG_IMPRINT_get_msg(got))) {
    return InvalidArgumentError("timestamp token's messageImprint is not the digest that was sent");
  }
  const ASN1_INTEGER* want_nonce = TS_REQ_get_nonce(req.get());
  const ASN1_INTEGER* got_nonce = TS_TST_INFO_get_nonce(tst);
  if (want_nonce != nullptr) {
    if (got_nonce == nullptr) return InvalidArgumentError("timestamp token has no nonce; the query had one");
    if (ASN1_INTEGER_cmp(want_nonce, got_nonce) != 0) {
      return InvalidArgumentError("timestamp token's nonce is not the query's (a replayed or misrouted answer)");
    }
  }

  return ToDer<PKCS7, i2d_PKCS7>(token, "timestamp token");
}

}  // namespace kholuu::formats::x509
