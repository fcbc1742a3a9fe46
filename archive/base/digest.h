// Message digests by algorithm, for formats that name their checksum
// algorithm (BagIt manifests, METS CHECKSUMTYPE, PREMIS fixity). Backed by
// OpenSSL EVP; no digest is implemented by hand. The archive's own content
// addresses are SHA-256 (sha256.h).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kholuu {

// MD5 and SHA-1 are here only to verify what others wrote (old bags);
// kholuu writes SHA-256 and SHA-512.
enum class DigestAlgorithm { kMd5, kSha1, kSha224, kSha256, kSha512 };

// Lower-case BagIt names: "md5", "sha1", "sha224", "sha256", "sha512".
std::string_view DigestAlgorithmName(DigestAlgorithm a);
// Inverse of DigestAlgorithmName, case-insensitive; also accepts the
// hyphenated forms "SHA-1", "SHA-224", "SHA-256", "SHA-512" used by METS and
// PREMIS. nullopt for anything else.
std::optional<DigestAlgorithm> ParseDigestAlgorithm(std::string_view name);
// Digest size in bytes (16, 20, 28, 32, 64).
size_t DigestSize(DigestAlgorithm a);

// Streaming digest. Move-only; a moved-from Hasher must not be used.
// Not thread-safe. Allocation or initialisation failure of a built-in
// OpenSSL digest aborts (KHOLUU_CHECK): it is not recoverable.
class Hasher {
 public:
  explicit Hasher(DigestAlgorithm a);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  DigestAlgorithm algorithm() const { return algorithm_; }

  void Update(std::string_view bytes);
  // The digest as 2*DigestSize() lower-case hex digits; the hasher is reset
  // and may be reused.
  std::string FinishHex();
  // The raw DigestSize() bytes; resets like FinishHex().
  std::string FinishRaw();

 private:
  struct Impl;
  DigestAlgorithm algorithm_;
  std::unique_ptr<Impl> impl_;
};

// One-shot digest as lower-case hex.
std::string HexDigestOf(DigestAlgorithm a, std::string_view bytes);

// Lower-case hex of raw bytes.
std::string ToHex(std::string_view raw);

}  // namespace kholuu
