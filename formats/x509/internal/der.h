// A minimal, bounds-checked DER TLV reader for the few structures OpenSSL
// does not decode for us (adbe-revocationInfoArchival). Definite lengths
// only; anything else is rejected.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kholuu::formats::x509::internal {

struct Tlv {
  uint8_t tag = 0;
  std::string_view whole;    // tag, length and content
  std::string_view content;  // the value bytes
};

// Reads one TLV at `*pos` in `in` and advances `*pos` past it. nullopt on
// truncation, indefinite length, multi-byte tags or a length over 2^31.
inline std::optional<Tlv> ReadTlv(std::string_view in, size_t* pos) {
  size_t p = *pos;
  if (p + 2 > in.size()) return std::nullopt;
  uint8_t tag = static_cast<uint8_t>(in[p]);
  if ((tag & 0x1f) == 0x1f) return std::nullopt;
  uint8_t first = static_cast<uint8_t>(in[p + 1]);
  size_t header = 2;
  size_t len = 0;
  if (first < 0x80) {
    len = first;
  } else {
    size_t n = first & 0x7f;
    if (n == 0 || n > 4 || p + 2 + n > in.size()) return std::nullopt;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<uint8_t>(in[p + 2 + i]);
    if (len > 0x7fffffff) return std::nullopt;
    header += n;
  }
  if (len > in.size() - p - header) return std::nullopt;
  Tlv t;
  t.tag = tag;
  t.whole = in.substr(p, header + len);
  t.content = in.substr(p + header, len);
  *pos = p + header + len;
  return t;
}

}  // namespace kholuu::formats::x509::internal
