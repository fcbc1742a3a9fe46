// Fuzzes the package metadata readers: the hồ sơ EAD, the document EAD and
// PREMIS events, on the same bytes (the first byte picks nothing: every
// parser sees every input).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "formats/package/mets_package.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string arc;
  auto r = kholuu::formats::package::ParseEad(in, &arc);
  if (r.ok()) (void)r->Validate();
  auto d = kholuu::formats::package::ParseEadDocument(in);
  if (d.ok()) (void)d->Validate();
  auto e = kholuu::formats::package::ParsePremisEvents(in);
  if (e.ok()) (void)e->size();
  auto t = kholuu::formats::package::ParseIsoTime(in.substr(0, 64));
  if (t.ok()) (void)kholuu::formats::package::FormatVnTime(*t);
  return 0;
}
