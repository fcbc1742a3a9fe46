// The client side of the RFC 3161 Time-Stamp Protocol: the TimeStampReq a
// TSA is sent and the checks on the TimeStampResp it answers. Transport
// (HTTP) is the caller's. Verifying the token's own signature is cms.h
// VerifyTimestampToken. Thread-safety: reentrant; values are plain data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/base/status.h"

namespace kholuu::formats::x509 {

// A fresh random nonce for a query (non-zero, 63 bits). Errors: kInternal
// when the random generator fails.
Result<uint64_t> NewTimestampNonce();

// A DER TimeStampReq (version 1) for `data_to_stamp`: messageImprint =
// SHA-256 of the data, certReq TRUE (the TSA's certificate goes into the
// token, so the token verifies offline), and `nonce`. No reqPolicy: the
// TSA's default policy. Errors: kInternal for an OpenSSL failure.
Result<std::string> BuildTimestampQuery(std::string_view data_to_stamp, uint64_t nonce);

// Checks a DER TimeStampResp against the DER TimeStampReq it answers
// (`query_der`, as built by BuildTimestampQuery) and returns its
// TimeStampToken (DER ContentInfo). Errors:
//   kInvalidArgument  the query does not parse; the response does not parse
//                     (or has trailing bytes, or is over 1 MiB); the status
//                     is granted but there is no token; the token's
//                     messageImprint (algorithm or digest) or nonce differs
//                     from the query's (a replayed or misrouted answer)
//   kFailedPrecondition  PKIStatus is not granted / grantedWithMods; the
//                     message names the status, the failure bits and the
//                     TSA's status text
// Does not verify the token's signature (VerifyTimestampToken does).
Result<std::string> ExtractTimestampToken(std::string_view resp_der, std::string_view query_der);

}  // namespace kholuu::formats::x509
