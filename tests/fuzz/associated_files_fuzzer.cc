// libFuzzer target for formats/pdf ExtractAssociatedFiles: hostile PDFs must
// give a list or a clean error within the limits, never a crash, hang or
// unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/pdf/rendition.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kholuu::formats::pdf;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ExtractLimits limits;
  limits.max_input_bytes = size_t{16} << 20;
  limits.max_file_bytes = size_t{4} << 20;
  limits.max_total_bytes = size_t{16} << 20;
  limits.max_files = 50;
  limits.max_objects = 100000;
  auto files = ExtractAssociatedFiles(bytes, limits);
  if (!files.ok()) {
    if (files.status().code() == kholuu::StatusCode::kInternal) std::abort();
    return 0;
  }
  if (files->size() > limits.max_files) std::abort();
  size_t total = 0;
  for (const AssociatedFile& f : *files) {
    if (f.bytes.size() > limits.max_file_bytes) std::abort();
    total += f.bytes.size();
  }
  if (total > limits.max_total_bytes) std::abort();
  return 0;
}
