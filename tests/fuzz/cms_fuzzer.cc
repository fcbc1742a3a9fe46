// Fuzzes CMS SignedData decoding/verification and RFC 3161 token checks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/x509/cms.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto c = kholuu::formats::x509::VerifyCms(bytes, std::string_view("content"));
  auto t = kholuu::formats::x509::VerifyTimestampToken(bytes, "imprinted");
  (void)c;
  (void)t;
  return 0;
}
