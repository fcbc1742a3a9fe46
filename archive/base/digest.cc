#include "archive/base/digest.h"

#include <openssl/evp.h>

#include <array>

#include "archive/base/status.h"

namespace kholuu {
namespace {

const EVP_MD* Md(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return EVP_md5();
    case DigestAlgorithm::kSha1:
      return EVP_sha1();
    case DigestAlgorithm::kSha224:
      return EVP_sha224();
    case DigestAlgorithm::kSha256:
      return EVP_sha256();
    case DigestAlgorithm::kSha512:
      return EVP_sha512();
  }
  KHOLUU_CHECK(false);
  return nullptr;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string_view DigestAlgorithmName(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return "md5";
    case DigestAlgorithm::kSha1:
      return "sha1";
    case DigestAlgorithm::kSha224:
      return "sha224";
    case DigestAlgorithm::kSha256:
      return "sha256";
    case DigestAlgorithm::kSha512:
      return "sha512";
  }
  return "unknown";
}

std::optional<DigestAlgorithm> ParseDigestAlgorithm(std::string_view name) {
  std::string n;
  for (char c : name) {
    if (c != '-') n.push_back(Lower(c));
  }
  for (DigestAlgorithm a : {DigestAlgorithm::kMd5, DigestAlgorithm::kSha1, DigestAlgorithm::kSha224,
                            DigestAlgorithm::kSha256, DigestAlgorithm::kSha512}) {
    if (n == DigestAlgorithmName(a)) {
      // "md-5" is not a spelling anyone uses; only SHA names take a hyphen.
      if (a == DigestAlgorithm::kMd5 && name.find('-') != std::string_view::npos) return std::nullopt;
      return a;
    }
  }
  return std::nullopt;
}

size_t DigestSize(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::kMd5:
      return 16;
    case DigestAlgorithm::kSha1:
      return 20;
    case DigestAlgorithm::kSha224:
      return 28;
    case DigestAlgorithm::kSha256:
      return 32;
    case DigestAlgorithm::kSha512:
      return 64;
  }
  return 0;
}

std::string ToHex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * raw.size(), '0');
  for (size_t i = 0; i < raw.size(); ++i) {
    const auto b = static_cast<unsigned char>(raw[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0xf];
  }
  return out;
}

struct Hasher::Impl {
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx;
};

Hasher::Hasher(DigestAlgorithm a) : algorithm_(a), impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  KHOLUU_CHECK(impl_->ctx != nullptr);
  KHOLUU_CHECK(EVP_DigestInit_ex2(impl_->ctx.get(), Md(a), nullptr) == 1);
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::Update(std::string_view bytes) {
  if (bytes.empty()) return;
  KHOLUU_CHECK(EVP_DigestUpdate(impl_->ctx.get(), bytes.data(), bytes.size()) == 1);
}

std::string Hasher::FinishRaw() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  KHOLUU_CHECK(EVP_DigestFinal_ex(impl_->ctx.get(), md.data(), &len) == 1);
  KHOLUU_CHECK(len == DigestSize(algorithm_));
  KHOLUU_CHECK(EVP_DigestInit_ex2(impl_->ctx.get(), Md(algorithm_), nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

std::string Hasher::FinishHex() { return ToHex(FinishRaw()); }

std::string HexDigestOf(DigestAlgorithm a, std::string_view bytes) {
  Hasher h(a);
  h.Update(bytes);
  return h.FinishHex();
}

}  // namespace kholuu
