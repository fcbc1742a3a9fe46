// An RFC 3161 TSA over HTTP for tests with real processes: an
// httplib::Server on 127.0.0.1 answering with OpenSSL's TS_RESP_CTX and the
// test PKI's TSA key (tests/formats/x509/test_pki.h).
#pragma once

#include <httplib.h>

#include <atomic>
#include <string>
#include <thread>

#include "tests/formats/x509/test_pki.h"

namespace kholuu::testing {

inline const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

// An RFC 3161 TSA over HTTP on a random local port.
class TestTsa {
 public:
  enum class Mode { kGood, kGarbage };

  TestTsa() {
    server_.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests_;
      if (req.get_header_value("Content-Type") != "application/timestamp-query") {
        res.status = 415;
        return;
      }
      if (mode_ == Mode::kGood) {
        res.set_content(Pki().TimestampResponse(req.body), "application/timestamp-reply");
      } else {
        res.set_content("\x30\x82\xff\xff not a TimeStampResp", "application/timestamp-reply");
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      done_ = true;
    });
    // stop() is a no-op until the accept loop runs: wait for it.
    while (!server_.is_running() && !done_) std::this_thread::yield();
  }
  ~TestTsa() { Stop(); }
  void Stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }
  void set_mode(Mode m) { mode_ = m; }
  int requests() const { return requests_; }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<Mode> mode_{Mode::kGood};
  std::atomic<int> requests_{0};
  std::atomic<bool> done_{false};
};

}  // namespace kholuu::testing
