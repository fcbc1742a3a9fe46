#include "formats/bagit/internal/digest.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "archive/base/sha256.h"
#include "archive/base/sha512.h"

namespace kholuu::formats::bagit::internal {
namespace {

std::string Hex(const uint8_t* p, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 0xf];
  }
  return out;
}

uint32_t Rotl(uint32_t x, uint32_t c) { return (x << c) | (x >> (32 - c)); }
uint32_t Rotr(uint32_t x, uint32_t c) { return (x >> c) | (x << (32 - c)); }

// Shared 64-byte block buffering for the Merkle–Damgård digests below.
class BlockDigester : public Digester {
 public:
  void Update(std::string_view bytes) override {
    for (char ch : bytes) {
      block_[fill_++] = static_cast<uint8_t>(ch);
      if (fill_ == 64) {
        Compress(block_.data());
        fill_ = 0;
      }
    }
    length_ += bytes.size();
  }

 protected:
  virtual void Compress(const uint8_t* block) = 0;
  // Pads with the bit length written little- or big-endian.
  void Pad(bool little_endian) {
    const uint64_t bits = length_ * 8;
    block_[fill_++] = 0x80;
    if (fill_ > 56) {
      while (fill_ < 64) block_[fill_++] = 0;
      Compress(block_.data());
      fill_ = 0;
    }
    while (fill_ < 56) block_[fill_++] = 0;
    for (size_t i = 0; i < 8; ++i) {
      const size_t shift = little_endian ? 8 * i : 8 * (7 - i);
      block_[56 + i] = static_cast<uint8_t>(bits >> shift);
    }
    Compress(block_.data());
    fill_ = 0;
    length_ = 0;
  }

 private:
  std::array<uint8_t, 64> block_{};
  size_t fill_ = 0;
  uint64_t length_ = 0;
};

// MD5 as specified in RFC 1321.
class Md5 final : public BlockDigester {
 public:
  Md5() { Reset(); }
  std::string FinishHex() override {
    Pad(true);
    std::array<uint8_t, 16> out{};
    for (size_t i = 0; i < 4; ++i) {
      for (size_t k = 0; k < 4; ++k) out[4 * i + k] = static_cast<uint8_t>(h_[i] >> (8 * k));
    }
    Reset();
    return Hex(out.data(), out.size());
  }

 private:
  void Reset() { h_ = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u}; }
  void Compress(const uint8_t* b) override {
    static constexpr uint32_t kShift[64] = {
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    static const std::array<uint32_t, 64> kK = [] {
      std::array<uint32_t, 64> k{};
      // K[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 §3.4.
      for (size_t i = 0; i < 64; ++i) {
        k[i] = static_cast<uint32_t>(static_cast<uint64_t>(
            std::abs(std::sin(static_cast<double>(i + 1))) * 4294967296.0));
      }
      return k;
    }();
    uint32_t m[16];
    for (size_t i = 0; i < 16; ++i) {
      m[i] = static_cast<uint32_t>(b[4 * i]) | static_cast<uint32_t>(b[4 * i + 1]) << 8 |
             static_cast<uint32_t>(b[4 * i + 2]) << 16 | static_cast<uint32_t>(b[4 * i + 3]) << 24;
    }
    uint32_t a = h_[0], bb = h_[1], c = h_[2], d = h_[3];
    for (size_t i = 0; i < 64; ++i) {
      uint32_t f = 0;
      size_t g = 0;
      if (i < 16) {
        f = (bb & c) | (~bb & d);
        g = i;
      } else if (i < 32) {
        f = (d & bb) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = bb ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (bb | ~d);
        g = (7 * i) % 16;
      }
      const uint32_t tmp = d;
      d = c;
      c = bb;
      bb = bb + Rotl(a + f + kK[i] + m[g], kShift[i]);
      a = tmp;
    }
    h_[0] += a;
    h_[1] += bb;
    h_[2] += c;
    h_[3] += d;
  }
  std::array<uint32_t, 4> h_{};
};

// SHA-224 (FIPS 180-4): the SHA-256 compression with its own initial values,
// truncated to 224 bits.
class Sha224 final : public BlockDigester {
 public:
  Sha224() { Reset(); }
  std::string FinishHex() override {
    Pad(false);
    std::array<uint8_t, 28> out{};
    for (size_t i = 0; i < 7; ++i) {
      for (size_t k = 0; k < 4; ++k) out[4 * i + k] = static_cast<uint8_t>(h_[i] >> (8 * (3 - k)));
    }
    Reset();
    return Hex(out.data(), out.size());
  }

 private:
  void Reset() {
    h_ = {0xc1059ed8u, 0x367cd507u, 0x3070dd17u, 0xf70e5939u,
          0xffc00b31u, 0x68581511u, 0x64f98fa7u, 0xbefa4fa4u};
  }
  void Compress(const uint8_t* b) override {
    static constexpr uint32_t kK[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2};
    uint32_t w[64];
    for (size_t i = 0; i < 16; ++i) {
      w[i] = static_cast<uint32_t>(b[4 * i]) << 24 | static_cast<uint32_t>(b[4 * i + 1]) << 16 |
             static_cast<uint32_t>(b[4 * i + 2]) << 8 | static_cast<uint32_t>(b[4 * i + 3]);
    }
    for (size_t i = 16; i < 64; ++i) {
      const uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h_[0], bb = h_[1], c = h_[2], d = h_[3], e = h_[4], f = h_[5], g = h_[6],
             h = h_[7];
    for (size_t i = 0; i < 64; ++i) {
      const uint32_t s1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
      const uint32_t ch = (e & f) ^ (~e & g);
      const uint32_t t1 = h + s1 + ch + kK[i] + w[i];
      const uint32_t s0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
      const uint32_t maj = (a & bb) ^ (a & c) ^ (bb & c);
      const uint32_t t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = bb;
      bb = a;
      a = t1 + t2;
    }
    h_[0] += a;
    h_[1] += bb;
    h_[2] += c;
    h_[3] += d;
    h_[4] += e;
    h_[5] += f;
    h_[6] += g;
    h_[7] += h;
  }
  std::array<uint32_t, 8> h_{};
};

class Sha256Digester final : public Digester {
 public:
  void Update(std::string_view bytes) override { h_.Update(bytes); }
  std::string FinishHex() override { return h_.Finish().ToHex(); }

 private:
  Sha256Hasher h_;
};

class Sha512Digester final : public Digester {
 public:
  void Update(std::string_view bytes) override { h_.Update(bytes); }
  std::string FinishHex() override { return h_.FinishHex(); }

 private:
  Sha512Hasher h_;
};

}  // namespace

std::optional<Algorithm> ParseAlgorithm(std::string_view name) {
  if (name == "md5") return Algorithm::kMd5;
  if (name == "sha224") return Algorithm::kSha224;
  if (name == "sha256") return Algorithm::kSha256;
  if (name == "sha512") return Algorithm::kSha512;
  return std::nullopt;
}

std::string_view AlgorithmName(Algorithm a) {
  switch (a) {
    case Algorithm::kMd5: return "md5";
    case Algorithm::kSha224: return "sha224";
    case Algorithm::kSha256: return "sha256";
    case Algorithm::kSha512: return "sha512";
  }
  return "?";
}

size_t HexLength(Algorithm a) {
  switch (a) {
    case Algorithm::kMd5: return 32;
    case Algorithm::kSha224: return 56;
    case Algorithm::kSha256: return 64;
    case Algorithm::kSha512: return 128;
  }
  return 0;
}

std::unique_ptr<Digester> MakeDigester(Algorithm a) {
  switch (a) {
    case Algorithm::kMd5: return std::make_unique<Md5>();
    case Algorithm::kSha224: return std::make_unique<Sha224>();
    case Algorithm::kSha256: return std::make_unique<Sha256Digester>();
    case Algorithm::kSha512: return std::make_unique<Sha512Digester>();
  }
  return nullptr;
}

}  // namespace kholuu::formats::bagit::internal
