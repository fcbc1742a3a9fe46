#include "archive/base/sha512.h"

#include <openssl/evp.h>

#include <array>

#include "archive/base/status.h"

namespace kholuu {

struct Sha512Hasher::Impl {
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx;
};

Sha512Hasher::Sha512Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  // Allocation or init failure of a built-in digest is not recoverable.
  KHOLUU_CHECK(impl_->ctx != nullptr);
  KHOLUU_CHECK(EVP_DigestInit_ex2(impl_->ctx.get(), EVP_sha512(), nullptr) == 1);
}

Sha512Hasher::~Sha512Hasher() = default;
Sha512Hasher::Sha512Hasher(Sha512Hasher&&) noexcept = default;
Sha512Hasher& Sha512Hasher::operator=(Sha512Hasher&&) noexcept = default;

void Sha512Hasher::Update(std::string_view bytes) {
  if (bytes.empty()) return;
  KHOLUU_CHECK(EVP_DigestUpdate(impl_->ctx.get(), bytes.data(), bytes.size()) == 1);
}

std::string Sha512Hasher::FinishHex() {
  std::array<unsigned char, kSize> md{};
  unsigned int len = 0;
  KHOLUU_CHECK(EVP_DigestFinal_ex(impl_->ctx.get(), md.data(), &len) == 1);
  KHOLUU_CHECK(len == kSize);
  KHOLUU_CHECK(EVP_DigestInit_ex2(impl_->ctx.get(), EVP_sha512(), nullptr) == 1);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * kSize, '0');
  for (size_t i = 0; i < kSize; ++i) {
    out[2 * i] = kDigits[md[i] >> 4];
    out[2 * i + 1] = kDigits[md[i] & 0xf];
  }
  return out;
}

std::string Sha512HexOf(std::string_view bytes) {
  Sha512Hasher h;
  h.Update(bytes);
  return h.FinishHex();
}

}  // namespace kholuu
