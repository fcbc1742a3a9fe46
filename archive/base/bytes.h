// Big-endian u64 and length-prefixed byte strings: the framing of the
// audit entries (archive/audit) and of stored anchors (ingest/anchor.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kholuu {

// Appends `v` as 8 bytes, most significant first.
inline void PutU64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Appends `b` as its length (PutU64) followed by its bytes.
inline void PutBytes(std::string& out, std::string_view b) {
  PutU64(out, b.size());
  out.append(b);
}

// Reads 8 bytes at *pos; false (and *pos unchanged) when fewer remain.
inline bool GetU64(std::string_view in, size_t* pos, uint64_t* v) {
  if (in.size() - *pos < 8) return false;
  uint64_t r = 0;
  for (size_t i = 0; i < 8; ++i) r = (r << 8) | static_cast<uint8_t>(in[*pos + i]);
  *pos += 8;
  *v = r;
  return true;
}

// Reads what PutBytes wrote; false when the length or the bytes run past `in`.
inline bool GetBytes(std::string_view in, size_t* pos, std::string_view* out) {
  uint64_t n = 0;
  if (!GetU64(in, pos, &n)) return false;
  if (n > in.size() - *pos) return false;
  *out = in.substr(*pos, static_cast<size_t>(n));
  *pos += static_cast<size_t>(n);
  return true;
}

}  // namespace kholuu
