// libFuzzer target for archive/catalog/codec: every decoder must accept any
// bytes without crashing, and whatever decodes must survive encode -> decode
// unchanged, with a stable re-encoding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "archive/catalog/codec.h"

namespace {

[[noreturn]] void Fail(const char* type, const char* what) {
  std::fprintf(stderr, "codec_fuzzer: %s: %s\n", type, what);
  std::abort();
}

template <typename T, typename Decode, typename Encode>
void Check(std::string_view input, const char* type, Decode decode, Encode encode) {
  kholuu::Result<T> first = decode(input);
  if (!first.ok()) {
    if (first.status().code() != kholuu::StatusCode::kDataLoss) {
      Fail(type, "decode failed with a code other than kDataLoss");
    }
    return;
  }
  const std::string encoded = encode(*first);
  kholuu::Result<T> second = decode(encoded);
  if (!second.ok()) Fail(type, "re-encoded value does not decode");
  if (!(*second == *first)) Fail(type, "value changed in encode/decode round trip");
  if (encode(*second) != encoded) Fail(type, "re-encoding is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace a = kholuu::archive;
  namespace m = kholuu::model;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Check<m::Agency>(input, "Agency", a::DecodeAgency, a::EncodeAgency);
  Check<m::RecordFile>(input, "RecordFile", a::DecodeRecordFile, a::EncodeRecordFile);
  Check<m::Document>(input, "Document", a::DecodeDocument, a::EncodeDocument);
  Check<m::Component>(input, "Component", a::DecodeComponent, a::EncodeComponent);
  Check<m::Event>(input, "Event", a::DecodeEvent, a::EncodeEvent);
  Check<m::FileRetention>(input, "FileRetention", a::DecodeFileRetention, a::EncodeFileRetention);
  Check<m::RetentionRules>(input, "RetentionRules", a::DecodeRetentionRules, a::EncodeRetentionRules);
  Check<m::Hold>(input, "Hold", a::DecodeHold, a::EncodeHold);
  // The field reader alone, over the body after the format byte.
  if (size > 0) {
    a::FieldReader reader(input.substr(1));
    uint64_t tag = 0;
    std::string_view value;
    while (reader.Next(&tag, &value)) {
      int64_t ignored = 0;
      (void)a::DecodeInt(value, &ignored);
    }
  }
  return 0;
}
