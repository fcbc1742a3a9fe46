// SHA-512 digests, for BagIt manifests (RFC 8493 recommends SHA-512 beside
// SHA-256). The archive's content addresses stay SHA-256 (sha256.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kholuu {

// Streaming SHA-512 (OpenSSL EVP). Move-only. Not thread-safe.
class Sha512Hasher {
 public:
  static constexpr size_t kSize = 64;

  Sha512Hasher();
  ~Sha512Hasher();
  Sha512Hasher(Sha512Hasher&&) noexcept;
  Sha512Hasher& operator=(Sha512Hasher&&) noexcept;
  Sha512Hasher(const Sha512Hasher&) = delete;
  Sha512Hasher& operator=(const Sha512Hasher&) = delete;

  void Update(std::string_view bytes);
  // Returns the digest as 128 lower-case hex digits and resets the hasher.
  std::string FinishHex();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot SHA-512 as 128 lower-case hex digits.
std::string Sha512HexOf(std::string_view bytes);

}  // namespace kholuu
