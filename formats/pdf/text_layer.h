// The text layer of a PDF, read in process: a content-stream interpreter
// that follows the text state (ISO 32000-1 9.3, 9.4), the graphics state's
// CTM, Form XObjects, and maps each shown code to Unicode through the font's
// ToUnicode CMap or its encoding (9.10.2). Words and lines are rebuilt from
// glyph positions and widths, the way poppler's pdftotext does it: a gap
// wider than a fraction of the font size is a space, a change of baseline a
// new line. Text in every rendering mode counts, invisible (3) included.
//
// Confident or declined: a page whose text cannot be read with certainty
// (a shown code without a Unicode mapping, a CMap other than Identity-H, an
// undecodable stream, ActualText replacements, vertical writing, a
// combining mark not drawn on the glyph before it, a limit reached) is declined with the reason, and the caller uses another
// extractor (formats/text falls back to pdftotext). The document is
// declined as a whole when it cannot be parsed or is encrypted.
//
// Hostile input: PoDoFo 0.9.8 parses (as for the PDF/A validator); every
// stream decode, form nesting, operator count and output size is bounded by
// TextLayerLimits. Thread-safe (no shared state besides PoDoFo's one-time
// settings).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::pdf {

struct TextLayerLimits {
  size_t max_pages = 5000;                             // pages read; the rest are only counted
  size_t max_objects = 2'000'000;                      // PoDoFo object count cap
  size_t max_stream_decoded_bytes = size_t{64} << 20;  // one decoded stream
  size_t max_total_decoded_bytes = size_t{256} << 20;  // all decoded streams of the document
  int max_form_depth = 16;                             // nested Form XObjects
  size_t max_operators_per_page = 4'000'000;           // operators interpreted, forms included
  size_t max_page_text_bytes = size_t{8} << 20;        // UTF-8 text of one page
};

struct TextLayerPage {
  std::string text;      // UTF-8 (not normalised), lines end with '\n'; empty when declined
  std::string declined;  // why the page is not confident; empty when it is
};

struct TextLayer {
  int page_count = 0;     // leaf pages of the page tree (0 when declined as a whole)
  std::string declined;   // why the document as a whole is declined; else empty
  std::vector<TextLayerPage> pages;  // pages 1..min(page_count, limits.max_pages)

  // No document-level reason and no declined page.
  bool confident() const;
  // The first reason: the document's, else the first declined page's
  // ("page 3: ..."); empty when confident().
  std::string FirstReason() const;
};

// Reads the text layer of the PDF in `bytes`. Never fails: what cannot be
// read is declined (see above).
TextLayer ExtractTextLayer(std::string_view bytes, const TextLayerLimits& limits = {});

// ---- Exposed for tests and the fuzz target ----------------------------------

// A ToUnicode CMap (ISO 32000-1 9.10.3): codespace ranges, bfchar and bfrange
// (destination strings or arrays), codes of 1 to 4 bytes.
class ToUnicodeCMap {
 public:
  // Errors: kDataLoss when the data has no mapping block or a malformed
  // entry; kResourceExhausted past 1 << 20 entries.
  static Result<ToUnicodeCMap> Parse(std::string_view data);

  // The length in bytes of the code that starts `codes` per the codespace
  // ranges (1..4), or 0 when no range matches or there are none.
  int CodeLength(std::string_view codes) const;
  // The UTF-8 text of a `bytes`-byte code, if mapped.
  std::optional<std::string> Lookup(uint32_t code, int bytes) const;
  bool has_codespace() const { return !codespace_.empty(); }

 private:
  struct Codespace {
    int bytes;
    uint8_t lo[4];
    uint8_t hi[4];
  };
  struct Range {
    uint32_t lo = 0, hi = 0;
    int bytes = 1;
    std::u16string first;             // destination of lo; the last unit counts up
    std::vector<std::string> values;  // array form: UTF-8 per code; else empty
  };
  std::vector<Codespace> codespace_;
  std::map<uint64_t, std::string> single_;  // (bytes << 32 | code) -> UTF-8
  std::vector<Range> ranges_;               // sorted by (bytes, lo) after Parse
};

// UTF-16BE bytes as UTF-8; nullopt for an odd length or an unpaired surrogate.
std::optional<std::string> Utf16BeToUtf8(std::string_view bytes);

}  // namespace kholuu::formats::pdf
