// The clock seam: production code reads time through a Clock so that tests
// can fix it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/base/status.h"

namespace kholuu {

// Thread-safety: implementations are safe for concurrent use.
class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC.
  virtual int64_t NowMicros() const = 0;
};

// The system's real-time clock. The returned object lives forever.
Clock* SystemClock();

// A clock that only moves when told to. For tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t micros) : now_(micros) {}
  int64_t NowMicros() const override { return now_; }
  void Advance(int64_t micros) { now_ += micros; }
  void Set(int64_t micros) { now_ = micros; }

 private:
  int64_t now_;
};

// "2026-11-23T15:04:05.123456Z".
std::string FormatTimestamp(int64_t micros);

// Parses "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)". Errors: kInvalidArgument.
Result<int64_t> ParseTimestamp(std::string_view text);

}  // namespace kholuu
