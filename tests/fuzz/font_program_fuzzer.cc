// libFuzzer target for formats/pdf/font_program: any bytes, read as
// TrueType/OpenType, CFF or Type 1, give a FontProgram or a DataLoss /
// ResourceExhausted status, never a crash, a hang or unbounded memory, and
// a result is internally consistent. The first byte picks the reader so
// each one sees arbitrary input, not only input with the right magic.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/pdf/font_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kholuu::formats::pdf;
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  FontProgramLimits limits;
  limits.max_bytes = size_t{4} << 20;
  kholuu::Result<FontProgram> r = data[0] % 4 == 0   ? ParseTrueTypeProgram(bytes, limits)
                                  : data[0] % 4 == 1 ? ParseCffProgram(bytes, limits)
                                  : data[0] % 4 == 2 ? ParseType1Program(bytes, limits)
                                                     : ParseFontProgram(bytes, limits);
  if (!r.ok()) {
    kholuu::StatusCode c = r.status().code();
    if (c != kholuu::StatusCode::kDataLoss && c != kholuu::StatusCode::kResourceExhausted) std::abort();
    return 0;
  }
  if (r->advances.size() != r->glyph_count || r->has_outline.size() != r->glyph_count) std::abort();
  if (r->glyph_count > limits.max_glyphs) std::abort();
  if (!r->glyph_names.empty() && r->glyph_names.size() != r->glyph_count) std::abort();
  size_t entries = 0;
  for (const auto& c : r->cmaps) entries += c.glyphs.size();
  if (entries > limits.max_cmap_entries) std::abort();
  return 0;
}
