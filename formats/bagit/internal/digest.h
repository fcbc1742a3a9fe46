// Streaming digests for BagIt manifests. SHA-256 and SHA-512 come from
// archive/base; MD5 and SHA-224 (still found in older bags) are implemented
// here so that such bags can be verified. They are never used to write.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kholuu::formats::bagit::internal {

enum class Algorithm { kMd5, kSha224, kSha256, kSha512 };

// "md5", "sha224", "sha256", "sha512" (the manifest file name suffix).
std::optional<Algorithm> ParseAlgorithm(std::string_view name);
std::string_view AlgorithmName(Algorithm a);
size_t HexLength(Algorithm a);

class Digester {
 public:
  virtual ~Digester() = default;
  virtual void Update(std::string_view bytes) = 0;
  virtual std::string FinishHex() = 0;  // lower-case hex
};

std::unique_ptr<Digester> MakeDigester(Algorithm a);

}  // namespace kholuu::formats::bagit::internal
