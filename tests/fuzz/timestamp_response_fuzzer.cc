// Fuzzes the RFC 3161 TimeStampResp checks (tsp.h ExtractTimestampToken)
// against a fixed query: whatever a TSA or a man in the middle answers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "formats/x509/tsp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string* query = [] {
    auto q = kholuu::formats::x509::BuildTimestampQuery("fuzzed signature value", 4242);
    return new std::string(q.ok() ? *q : std::string());
  }();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto token = kholuu::formats::x509::ExtractTimestampToken(bytes, *query);
  (void)token;
  return 0;
}
