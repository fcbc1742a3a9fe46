// kholuud's HTTP server.
//
// Routes today (unauthenticated, as the contract allows for these):
//   GET /healthz   200 {"status":"ok"} when the catalog can be read, else 503
//   GET /metrics   Prometheus text: row counts of the catalog
//   GET /          a small status page
// The authenticated JSON API under /api/v1 is specified in its own issue.
//
// Thread-safety: Serve() runs on the calling thread; Stop() may be called from
// any thread (e.g. a signal-waiting thread).
#pragma once

#include <memory>
#include <string>

#include "archive/base/status.h"
#include "ingest/service.h"

namespace kholuu::api {

class Server {
 public:
  // `service` must outlive the server.
  explicit Server(ingest::Service* service);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (port 0 picks a free one) and serves until Stop().
  // Errors: kInvalidArgument (bad address), kUnavailable (cannot bind).
  Status Serve(const std::string& host, int port);
  // The bound port once Serve() is listening, else 0.
  int port() const;
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits "HOST:PORT". Errors: kInvalidArgument.
Result<std::pair<std::string, int>> ParseListen(const std::string& listen);

}  // namespace kholuu::api
