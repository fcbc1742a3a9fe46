// SHA-256 digests: the content address of every blob and the link of the
// audit chain.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "archive/base/status.h"

namespace kholuu {

// A SHA-256 digest. Value type; the all-zero digest is the default.
class Sha256 {
 public:
  static constexpr size_t kSize = 32;

  Sha256() { bytes_.fill(0); }
  explicit Sha256(const std::array<uint8_t, kSize>& bytes) : bytes_(bytes) {}

  // Parses 64 lower- or upper-case hex digits. Errors: kInvalidArgument.
  static Result<Sha256> FromHex(std::string_view hex);
  // Takes exactly 32 raw bytes. Errors: kInvalidArgument.
  static Result<Sha256> FromBytes(std::string_view raw);

  std::string ToHex() const;  // 64 lower-case hex digits
  std::string_view raw() const {
    return {reinterpret_cast<const char*>(bytes_.data()), kSize};
  }
  const std::array<uint8_t, kSize>& bytes() const { return bytes_; }
  bool IsZero() const;

  friend bool operator==(const Sha256& a, const Sha256& b) = default;
  friend auto operator<=>(const Sha256& a, const Sha256& b) = default;

 private:
  std::array<uint8_t, kSize> bytes_;
};

// Streaming SHA-256 (OpenSSL EVP). Move-only. Not thread-safe.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view bytes);
  void Update(const void* data, size_t size);
  // Returns the digest and resets the hasher for reuse.
  Sha256 Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

Sha256 Sha256Of(std::string_view bytes);

// Hashes a file by streaming it. Errors: as ErrnoError for open/read.
Result<Sha256> Sha256OfFile(const std::string& path, uint64_t* size_out = nullptr);

}  // namespace kholuu
