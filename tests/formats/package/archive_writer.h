// Test helper: builds zip and tar archives with libarchive's writer,
// including entries no honest archive should contain.
#pragma once

#include <string>
#include <vector>

namespace kholuu::testing {

struct TestEntry {
  enum Kind { kFile, kDir, kSymlink, kHardlink, kCharDevice, kFifo };
  std::string path;
  std::string data;  // kFile: contents; kSymlink/kHardlink: target
  Kind kind = kFile;
};

enum class TestFormat { kZip, kTar, kTarGz };

// Writes the archive to `path`; aborts the test binary on libarchive errors.
void WriteTestArchive(const std::string& path, TestFormat format,
                      const std::vector<TestEntry>& entries);
// The same, in memory.
std::string TestArchiveBytes(TestFormat format, const std::vector<TestEntry>& entries);

}  // namespace kholuu::testing
