// Fuzzes the edXML reader: any bytes must give a Message or a Status, never
// a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archive/base/file.h"
#include "formats/edxml/edxml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kholuu::StringSource in(std::string_view(reinterpret_cast<const char*>(data), size));
  kholuu::formats::edxml::ParseOptions o;
  o.max_field_bytes = 1 << 16;
  o.max_attachment_bytes = 1 << 20;
  o.max_elements = 100000;
  auto r = kholuu::formats::edxml::Parse(in, o);
  if (r.ok()) (void)r->ok();
  return 0;
}
