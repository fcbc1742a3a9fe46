#include "archive/base/sha256.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "archive/base/file.h"

namespace kholuu {

Result<Sha256> Sha256::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kSize) {
    return InvalidArgumentError("sha256 must be 64 hex digits, got " +
                                std::to_string(hex.size()) + " characters");
  }
  std::array<uint8_t, kSize> out{};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < kSize; ++i) {
    int hi = nibble(hex[2 * i]);
    int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return InvalidArgumentError("sha256 has a non-hex digit");
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return Sha256(out);
}

Result<Sha256> Sha256::FromBytes(std::string_view raw) {
  if (raw.size() != kSize) return InvalidArgumentError("sha256 must be 32 bytes");
  std::array<uint8_t, kSize> out{};
  for (size_t i = 0; i < kSize; ++i) out[i] = static_cast<uint8_t>(raw[i]);
  return Sha256(out);
}

std::string Sha256::ToHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * kSize, '0');
  for (size_t i = 0; i < kSize; ++i) {
    out[2 * i] = kDigits[bytes_[i] >> 4];
    out[2 * i + 1] = kDigits[bytes_[i] & 0xf];
  }
  return out;
}

bool Sha256::IsZero() const {
  for (uint8_t b : bytes_) {
    if (b != 0) return false;
  }
  return true;
}

struct Sha256Hasher::Impl {
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  // Allocation or init failure of the built-in digest is not recoverable.
  KHOLUU_CHECK(impl_->ctx != nullptr);
  KHOLUU_CHECK(EVP_DigestInit_ex2(impl_->ctx.get(), EVP_sha256(), nullptr) == 1);
}

Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::Update(std::string_view bytes) { Update(bytes.data(), bytes.size()); }

void Sha256Hasher::Update(const void* data, size_t size) {
  if (size == 0) return;
  KHOLUU_CHECK(EVP_DigestUpdate(impl_->ctx.get(), data, size) == 1);
}

Sha256 Sha256Hasher::Finish() {
  std::array<uint8_t, Sha256::kSize> out{};
  unsigned int len = 0;
  KHOLUU_CHECK(EVP_DigestFinal_ex(impl_->ctx.get(), out.data(), &len) == 1);
  KHOLUU_CHECK(len == Sha256::kSize);
  KHOLUU_CHECK(EVP_DigestInit_ex2(impl_->ctx.get(), EVP_sha256(), nullptr) == 1);
  return Sha256(out);
}

Sha256 Sha256Of(std::string_view bytes) {
  Sha256Hasher h;
  h.Update(bytes);
  return h.Finish();
}

Result<Sha256> Sha256OfFile(const std::string& path, uint64_t* size_out) {
  KHOLUU_ASSIGN_OR_RETURN(File file, File::Open(path, O_RDONLY));
  Sha256Hasher hasher;
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  for (;;) {
    KHOLUU_ASSIGN_OR_RETURN(size_t n, file.Read(buf.data(), buf.size()));
    if (n == 0) break;
    hasher.Update(buf.data(), n);
    total += n;
  }
  if (size_out != nullptr) *size_out = total;
  return hasher.Finish();
}

}  // namespace kholuu
