#include "api/server.h"

#include <sys/socket.h>

#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "archive/base/log.h"

namespace kholuu::api {

struct Server::Impl {
  ingest::Service* service = nullptr;
  httplib::Server http;
  std::atomic<int> port{0};
};

namespace {

Result<archive::TableCounts> Counts(ingest::Service& a) {
  KHOLUU_ASSIGN_OR_RETURN(ingest::Stats s, a.GetStats());
  return s.counts;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Server::Server(ingest::Service* service) : impl_(std::make_unique<Impl>()) {
  impl_->service = service;
  httplib::Server& http = impl_->http;
  http.set_payload_max_length(1 << 20);
  http.set_read_timeout(10, 0);
  http.set_write_timeout(10, 0);
  http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    Result<archive::TableCounts> c = Counts(*impl_->service);
    nlohmann::json j = {{"status", c.ok() ? "ok" : "unavailable"}};
    if (!c.ok()) j["error"] = c.status().message();
    res.status = c.ok() ? 200 : 503;
    res.set_content(j.dump(), "application/json");
  });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    Result<archive::TableCounts> c = Counts(*impl_->service);
    if (!c.ok()) {
      res.status = 503;
      res.set_content("# catalog unavailable\n", "text/plain");
      return;
    }
    std::string out;
    auto gauge = [&](const char* name, const char* help, uint64_t v) {
      out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" +
             name + " " + std::to_string(v) + "\n";
    };
    gauge("kholuu_record_files", "Record files (ho so) in the catalog.", c->record_files);
    gauge("kholuu_documents", "Documents in the catalog.", c->documents);
    gauge("kholuu_components", "Stored components (bitstreams).", c->components);
    gauge("kholuu_events", "Preservation events recorded.", c->events);
    gauge("kholuu_audit_entries", "Entries in the audit chain.", c->audit_entries);
    gauge("kholuu_index_outbox", "Catalog changes waiting for the indexer.", c->outbox);
    res.set_content(out, "text/plain; version=0.0.4");
  });
  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    Result<archive::TableCounts> c = Counts(*impl_->service);
    std::string body =
        "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>kholuu</title>"
        "<h1>kholuu — kho lưu trữ hồ sơ điện tử</h1>";
    if (c.ok()) {
      body += "<p>" + std::to_string(c->record_files) + " hồ sơ, " +
              std::to_string(c->documents) + " văn bản, " + std::to_string(c->components) +
              " tệp, " + std::to_string(c->audit_entries) + " mục nhật ký kiểm toán.</p>";
    } else {
      body += "<p>Catalog unavailable: " + HtmlEscape(c.status().message()) + "</p>";
    }
    body += "<p>Data: " + HtmlEscape(impl_->service->data().root()) +
            ". Use the <code>kholuu</code> command line for now; the web interface and the "
            "/api/v1 JSON API are not built yet.</p></html>";
    res.set_content(body, "text/html; charset=utf-8");
  });
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(R"({"error":{"code":"internal","message":"unexpected exception"}})",
                        "application/json");
      });
  http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    Log(Severity::kDebug, "http.request",
        {{"method", req.method}, {"path", req.path}, {"status", std::to_string(res.status)}});
  });
}

Server::~Server() = default;

Status Server::Serve(const std::string& host, int port) {
  httplib::Server& http = impl_->http;
  // cpp-httplib's default also sets SO_REUSEPORT, with which a second server
  // on the same port starts and shares it. SO_REUSEADDR alone lets a restart
  // bind at once yet a taken port fail.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  int bound = port;
  if (port == 0) {
    bound = http.bind_to_any_port(host);
    if (bound < 0) return Status(StatusCode::kUnavailable, "cannot bind " + host);
  } else if (!http.bind_to_port(host, port)) {
    return Status(StatusCode::kUnavailable,
                  "cannot listen on " + host + ":" + std::to_string(port) +
                      " (address in use or not permitted)");
  }
  impl_->port = bound;
  Log(Severity::kInfo, "server.listening", {{"host", host}, {"port", std::to_string(bound)}});
  if (!http.listen_after_bind()) {
    return Status(StatusCode::kInternal, "server stopped unexpectedly");
  }
  impl_->port = 0;
  return Status::Ok();
}

int Server::port() const { return impl_->port.load(); }

void Server::Stop() { impl_->http.stop(); }

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return InvalidArgumentError("--listen must be HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  if (port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgumentError("bad port in --listen '" + listen + "'");
  }
  int port = std::stoi(port_text);
  if (port > 65535) return InvalidArgumentError("port out of range in '" + listen + "'");
  return std::make_pair(host, port);
}

}  // namespace kholuu::api
