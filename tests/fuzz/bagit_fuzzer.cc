// Fuzzes the BagIt validator's tag-file parsing. The input is split on the
// byte 0x00 into bagit.txt, manifest-sha256.txt, bag-info.txt, fetch.txt and
// tagmanifest-sha256.txt of a small bag with one payload file.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "formats/bagit/bag.h"

namespace {

void Put(const std::string& path, const std::string& bytes) {
  auto f = kholuu::File::Open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (f.ok()) f->WriteAll(bytes).IgnoreError();
}

std::string MakeDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/bagit-fuzz-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) abort();
  return tmpl;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string dir = MakeDir();
  static const char* kFiles[] = {"bagit.txt", "manifest-sha256.txt", "bag-info.txt", "fetch.txt",
                                 "tagmanifest-sha256.txt"};
  std::vector<std::string> parts(1);
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && parts.size() < 5) {
      parts.emplace_back();
    } else {
      parts.back().push_back(static_cast<char>(data[i]));
    }
  }
  kholuu::CreateDirs(dir + "/data").IgnoreError();
  Put(dir + "/data/hello.txt", "hello\n");
  for (size_t i = 0; i < 5; ++i) {
    if (i < parts.size()) {
      Put(dir + "/" + kFiles[i], parts[i]);
    } else {
      unlink((dir + "/" + kFiles[i]).c_str());
    }
  }
  auto r = kholuu::formats::bagit::ValidateBag(dir);
  if (r.ok()) (void)r->valid();
  return 0;
}
