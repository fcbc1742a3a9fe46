// An RFC 3161 time-stamping client over HTTP(S) (RFC 3161 §3.4): POSTs a
// TimeStampReq (Content-Type application/timestamp-query) to the archive's
// configured TSA and returns the checked TimeStampToken, for
// formats/pdfsig SealOptions::timestamp (PAdES-B-T). See docs/signatures.md
// ("Sealing") and docs/adr/0061-tsa-client.md.
#pragma once

#include <chrono>
#include <string>

#include "archive/base/status.h"
#include "formats/x509/sign.h"

namespace kholuu::ingest {

struct TsaUrl {
  std::string origin;  // "http://host[:port]" or "https://host[:port]"
  std::string path;    // "/..." (at least "/")
};

// Splits and checks a TSA URL: http:// or https:// (verified against the
// system's CA store), a host, an optional port, an optional path. Errors:
// kInvalidArgument for another scheme, no host, user info, whitespace or
// control characters, a fragment, or more than 2048 bytes.
Result<TsaUrl> ParseTsaUrl(const std::string& url);

// A TimestampFn that, per call, builds a query with a fresh nonce, POSTs it
// to `url` (no redirects; `timeout` for connecting, sending and receiving
// each), and accepts only an HTTP 200 application/timestamp-reply of at
// most 1 MiB whose token answers the query (tsp.h ExtractTimestampToken)
// and whose signature and imprint verify (cms.h VerifyTimestampToken).
// Every error names the TSA's URL. Errors from the maker: as ParseTsaUrl.
Result<formats::x509::TimestampFn> MakeTsaTimestampFn(const std::string& url,
                                                      std::chrono::seconds timeout = std::chrono::seconds(30));

}  // namespace kholuu::ingest
