// Fuzzes the XLSX sheet reader (zip via the safe archive reader, then
// libxml2) and the batch interpretation of what it returns: any bytes give a
// Sheet or a Status, never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "formats/batch/batch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kholuu::formats::batch::SheetLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_xml_bytes = 4 << 20;
  limits.max_rows = 2000;
  limits.max_columns = 200;
  auto sheet = kholuu::formats::batch::ReadXlsx(
      std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (sheet.ok()) {
    kholuu::formats::batch::BatchOptions o;
    o.organ_id = "000.00.00.H30";
    o.page_counter = [](const std::string&) { return std::optional<int>(); };
    auto r = kholuu::formats::batch::InterpretSheet(*sheet, "/nonexistent-kholuu-fuzz", o);
    if (r.ok()) (void)r->ok();
  }
  return 0;
}
