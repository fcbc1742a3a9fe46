// libFuzzer target for formats/pdf: the PDF/A validator must turn any bytes
// into a report (or a non-internal error) without crashing, hanging or
// growing without bound, and a report is compliant exactly when it lists no
// violation. The first byte picks the profile so every part's rules run.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "formats/pdf/pdfa.h"
#include "formats/pdf/xmp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kholuu::formats::pdf;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static constexpr PdfaProfile kProfiles[] = {PdfaProfile::kAuto, PdfaProfile::k1b, PdfaProfile::k2b,
                                              PdfaProfile::k2u, PdfaProfile::k3b};
  PdfaProfile profile = size > 0 ? kProfiles[data[0] % 5] : PdfaProfile::kAuto;
  PdfaLimits limits;
  limits.max_file_bytes = size_t{16} << 20;
  limits.max_objects = 100000;
  limits.max_stream_decoded_bytes = size_t{8} << 20;
  limits.max_total_decoded_bytes = size_t{32} << 20;
  kholuu::Result<PdfaReport> r = ValidatePdfa(bytes, profile, limits);
  if (!r.ok()) {
    if (r.status().code() == kholuu::StatusCode::kInternal) {
      std::fprintf(stderr, "pdfa_fuzzer: internal error: %s\n", r.status().message().c_str());
      std::abort();
    }
    return 0;
  }
  if (r->compliant != r->violations.empty()) std::abort();
  // The XMP path on its own as well (packets are small; the validator only
  // reaches it through a parseable PDF).
  if (size < (1u << 16)) {
    auto x = XmpPacket::Parse(XmpToUtf8(bytes));
    if (x.ok()) {
      std::vector<PdfaViolation> v;
      CheckXmpSchemas(**x, 2, &v);
      CheckXmpSchemas(**x, 1, &v);
    }
  }
  return 0;
}
