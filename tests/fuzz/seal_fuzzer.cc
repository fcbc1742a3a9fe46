// libFuzzer target for formats/pdfsig SealPdf: any bytes give a clean error
// or a sealed file whose new signature our verifier finds intact and
// covering the whole file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/pdfsig/pdf_signatures.h"
#include "formats/pdfsig/seal.h"
#include "formats/x509/sign.h"

namespace {

const kholuu::formats::pdfsig::SealSigner& Signer() {
  static const kholuu::formats::pdfsig::SealSigner* signer = [] {
    auto made = kholuu::formats::x509::GenerateSelfSignedSeal("CN=fuzz seal", 1700000000, 3650);
    if (!made.ok()) std::abort();
    return new kholuu::formats::pdfsig::SealSigner{made->key_pem, made->cert_pem};
  }();
  return *signer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kholuu::formats::pdfsig;
  if (size > (size_t{4} << 20)) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  SealOptions options;
  options.signing_time = 1700000000;
  auto sealed = SealPdf(bytes, Signer(), options);
  if (!sealed.ok()) {
    if (sealed.status().code() == kholuu::StatusCode::kInternal) std::abort();
    return 0;
  }
  if (sealed->compare(0, bytes.size(), bytes) != 0) std::abort();  // the input is never changed
  auto report = VerifyPdfSignatures(*sealed, {});
  if (!report.ok() || report->signatures.empty()) std::abort();
  bool found = false;
  for (const SignatureReport& s : report->signatures) {
    found = found || (s.integrity == kholuu::formats::x509::Integrity::kValid && s.covers_whole_document);
  }
  if (!found) std::abort();
  return 0;
}
