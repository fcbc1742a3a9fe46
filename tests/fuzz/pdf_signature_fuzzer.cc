// Fuzzes the PDF signature locator: object scanner, object streams,
// ByteRange/coverage checks, CMS decoding of /Contents, change classification.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/pdfsig/pdf_signatures.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  kholuu::formats::pdfsig::VerifyOptions options;
  options.now = 1700000000;
  auto report = kholuu::formats::pdfsig::VerifyPdfSignatures(bytes, options);
  (void)report;
  return 0;
}
