#include "archive/base/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>

namespace kholuu {
namespace {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kDebug: return "DEBUG";
    case Severity::kInfo: return "INFO";
    case Severity::kWarning: return "WARN";
    case Severity::kError: return "ERROR";
  }
  return "?";
}

class StderrSink final : public LogSink {
 public:
  void Write(Severity severity, std::string_view event,
             std::initializer_list<LogField> fields) override {
    std::timespec ts{};
    std::timespec_get(&ts, TIME_UTC);
    std::tm tm{};
    gmtime_r(&ts.tv_sec, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string line = std::string(when) + " " + std::string(SeverityName(severity)) +
                       " " + std::string(event);
    for (const LogField& f : fields) {
      line += " ";
      line += f.key;
      line += "=";
      bool quote = f.value.find_first_of(" \t\"") != std::string::npos || f.value.empty();
      if (quote) line += '"';
      for (char c : f.value) {
        if (c == '"' || c == '\\') line += '\\';
        if (c == '\n') {
          line += "\\n";
          continue;
        }
        line += c;
      }
      if (quote) line += '"';
    }
    line += '\n';
    std::lock_guard<std::mutex> lock(mu_);
    std::fwrite(line.data(), 1, line.size(), stderr);
  }

 private:
  std::mutex mu_;
};

StderrSink& DefaultSink() {
  static StderrSink* sink = new StderrSink();  // never destroyed: usable at exit
  return *sink;
}

std::atomic<LogSink*> g_sink{nullptr};

Severity InitialSeverity() {
  const char* env = std::getenv("KHOLUU_LOG");
  if (env != nullptr && std::strcmp(env, "debug") == 0) return Severity::kDebug;
  if (env != nullptr && std::strcmp(env, "warn") == 0) return Severity::kWarning;
  if (env != nullptr && std::strcmp(env, "error") == 0) return Severity::kError;
  return Severity::kInfo;
}

std::atomic<Severity> g_min{InitialSeverity()};

}  // namespace

LogSink* SetLogSink(LogSink* sink) { return g_sink.exchange(sink); }

void SetMinLogSeverity(Severity severity) { g_min.store(severity); }

void Log(Severity severity, std::string_view event,
         std::initializer_list<LogField> fields) {
  if (static_cast<int>(severity) < static_cast<int>(g_min.load())) return;
  LogSink* sink = g_sink.load();
  if (sink == nullptr) sink = &DefaultSink();
  sink->Write(severity, event, fields);
}

}  // namespace kholuu
