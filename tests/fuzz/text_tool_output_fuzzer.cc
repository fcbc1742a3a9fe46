// Fuzzes every parser formats/text runs in-process on bytes derived from
// hostile input: Tesseract TSV, pdfinfo and pdfimages -list output, the
// pdftotext page split, text cleaning and the TIFF page counter. Checks the
// invariants the extraction relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/text/text.h"

namespace t = kholuu::formats::text;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto tsv = t::ParseTesseractTsv(in);
  if (tsv.ok() && (tsv->mean_confidence > 100 || (tsv->words == 0 && !tsv->text.empty()))) {
    std::abort();
  }
  auto info = t::ParsePdfInfo(in);
  if (info.ok() && info->page_sizes.size() > static_cast<size_t>(info->pages)) std::abort();
  std::vector<int> pages = t::ParsePdfImagesList(in);
  for (size_t i = 1; i < pages.size(); ++i) {
    if (pages[i] <= pages[i - 1]) std::abort();
  }
  if (t::SplitPages(in, 7).size() > 7) std::abort();
  std::string clean = t::CleanText(in);
  if (t::CountNonSpace(clean) > clean.size()) std::abort();
  auto tiff = t::CountTiffPages(in, 50);
  if (tiff.ok() && (*tiff < 1 || *tiff > 50)) std::abort();
  return 0;
}
