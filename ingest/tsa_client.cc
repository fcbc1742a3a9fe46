#include "ingest/tsa_client.h"

#include <httplib.h>

#include "formats/x509/cms.h"
#include "formats/x509/tsp.h"

namespace kholuu::ingest {
namespace {

namespace x509 = formats::x509;

constexpr size_t kMaxUrlBytes = 2048;
constexpr size_t kMaxReplyBytes = 1u << 20;

std::string Describe(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection: return "cannot connect";
    case httplib::Error::ConnectionTimeout: return "timed out connecting";
    case httplib::Error::Read: return "the answer could not be read (closed or timed out)";
    case httplib::Error::Write: return "the query could not be sent";
    case httplib::Error::SSLConnection: return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts: return "the system CA certificates could not be loaded";
    case httplib::Error::SSLServerVerification: return "its TLS certificate does not verify";
    default: return "HTTP client error " + httplib::to_string(e);
  }
}

bool StartsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

Result<TsaUrl> ParseTsaUrl(const std::string& url) {
  if (url.size() > kMaxUrlBytes) return InvalidArgumentError("TSA URL is over 2048 bytes");
  for (char c : url) {
    const auto ch = static_cast<unsigned char>(c);
    if (ch <= 0x20 || ch == 0x7f) {
      return InvalidArgumentError("TSA URL contains a space or control character: " + url);
    }
  }
  std::string scheme;
  if (StartsWith(url, "http://")) {
    scheme = "http://";
  } else if (StartsWith(url, "https://")) {
    scheme = "https://";
  } else {
    return InvalidArgumentError("TSA URL must start with http:// or https://: " + url);
  }
  std::string rest = url.substr(scheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  TsaUrl out;
  out.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.empty()) return InvalidArgumentError("TSA URL has no host: " + url);
  if (authority.find('@') != std::string::npos) {
    return InvalidArgumentError("TSA URL must not carry user information: " + url);
  }
  if (out.path.find('#') != std::string::npos) {
    return InvalidArgumentError("TSA URL must not have a fragment: " + url);
  }
  // A port, if any, is digits after the last ':' (outside an IPv6 literal).
  size_t colon = authority.rfind(':');
  size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) == 0 || std::stoi(port) > 65535) {
      return InvalidArgumentError("TSA URL has a bad port: " + url);
    }
    if (colon == 0) return InvalidArgumentError("TSA URL has no host: " + url);
  }
  out.origin = scheme + authority;
  return out;
}

Result<x509::TimestampFn> MakeTsaTimestampFn(const std::string& url, std::chrono::seconds timeout) {
  KHOLUU_ASSIGN_OR_RETURN(TsaUrl where, ParseTsaUrl(url));
  return x509::TimestampFn([where, url, timeout](std::string_view signature_value) -> Result<std::string> {
    auto fail = [&url](const Status& s) {
      return Status(s.code(), "TSA " + url + ": " + s.message());
    };
    auto nonce = x509::NewTimestampNonce();
    if (!nonce.ok()) return fail(nonce.status());
    auto query = x509::BuildTimestampQuery(signature_value, *nonce);
    if (!query.ok()) return fail(query.status());

    httplib::Client client(where.origin);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    client.set_follow_location(false);
    client.set_keep_alive(false);
    client.enable_server_certificate_verification(true);  // https: system CA store, host name checked
    httplib::Request req;
    req.method = "POST";
    req.path = where.path;
    req.headers = {{"Content-Type", "application/timestamp-query"},
                   {"Accept", "application/timestamp-reply"}};
    req.body = *query;
    std::string reply;
    bool too_large = false;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      if (reply.size() + n > kMaxReplyBytes) {
        too_large = true;
        return false;
      }
      reply.append(data, n);
      return true;
    };
    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    if (!client.send(req, res, error)) {
      if (too_large) return fail(InvalidArgumentError("the reply is over 1 MiB"));
      return fail(FailedPreconditionError("no answer: " + Describe(error)));
    }
    if (res.status != 200) {
      return fail(FailedPreconditionError("answered HTTP " + std::to_string(res.status) +
                                          " instead of a timestamp"));
    }
    std::string type = res.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    if (type != "application/timestamp-reply" && type != "application/timestamp-response") {
      return fail(InvalidArgumentError("answered Content-Type \"" + type.substr(0, 100) +
                                       "\", not application/timestamp-reply"));
    }
    auto token = x509::ExtractTimestampToken(reply, *query);
    if (!token.ok()) return fail(token.status());
    x509::TimestampCheck check = x509::VerifyTimestampToken(*token, signature_value);
    if (!check.ok()) {
      return fail(InvalidArgumentError(
          "the timestamp token does not verify (" + std::string(x509::IntegrityName(check.integrity)) +
          (check.problems.empty() ? "" : ": " + check.problems.front()) + ")"));
    }
    return token;
  });
}

}  // namespace kholuu::ingest
