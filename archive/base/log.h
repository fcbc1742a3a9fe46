// Diagnostic logging: one line per event to a replaceable sink (stderr by
// default). Event names are stable dotted identifiers ("blob.put_failed").
// Fields carry ids, sizes and durations, never record content.
//
// The audit chain is not logging: audit entries are data in the catalog.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace kholuu {

enum class Severity { kDebug, kInfo, kWarning, kError };

struct LogField {
  std::string_view key;
  std::string value;
};

// Thread-safety: implementations must be safe for concurrent Write calls.
class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Write(Severity severity, std::string_view event,
                     std::initializer_list<LogField> fields) = 0;
};

// Installs `sink` (nullptr restores the stderr sink) and returns the previous
// one. The sink must outlive its installation.
LogSink* SetLogSink(LogSink* sink);

// Messages below this severity are dropped (default kInfo; KHOLUU_LOG=debug
// in the environment lowers it).
void SetMinLogSeverity(Severity severity);

void Log(Severity severity, std::string_view event,
         std::initializer_list<LogField> fields = {});

}  // namespace kholuu
