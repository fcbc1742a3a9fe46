// A temporary directory removed (recursively) when the object dies.
#pragma once

#include <string>

namespace kholuu::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `contents` to `path` (plain, non-durable; for test fixtures).
void WriteTestFile(const std::string& path, const std::string& contents);
std::string ReadTestFile(const std::string& path);
// Flips one bit of the byte at `offset` in the file.
void FlipByte(const std::string& path, long offset);

}  // namespace kholuu::testing
