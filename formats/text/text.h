// Per-page text of a PDF or a scanned image, for indexing.
//
// PDF pages take their text layer: read in process by formats/pdf's
// interpreter (formats/pdf/text_layer.h) when it is confident of every page,
// else by poppler's pdftotext (docs/adr/0069-in-process-text-layer.md). A page whose text
// layer is negligible (fewer than TextOptions::min_layer_chars non-space
// characters) while the page shows an image is rendered (pdftoppm, grey,
// TextOptions::dpi) and read by Tesseract. TIFF (every page), JPEG and PNG
// files go to Tesseract directly. Every external tool runs in the sandbox of
// formats/convert/sandbox.h with per-run limits; nothing of poppler or
// Tesseract runs in this process (docs/adr/0057-text-extraction-in-the-sandbox.md);
// the in-process reader uses only PoDoFo, as the PDF/A validator does.
//
// Text is UTF-8 in Unicode NFC. Legacy 8-bit Vietnamese encodings (TCVN3,
// VNI) are NOT repaired here: formats may not depend on indexer/, so callers
// pass the text through indexer::RepairEncoding (tools/kholuu does, and
// reports the encoding it repaired). docs/text.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::text {

// Programs run for extraction: names looked up in PATH or absolute paths.
// Tests point one at a fake tool to simulate hangs and crashes.
struct TextTools {
  std::string pdfinfo = "pdfinfo";
  std::string pdftotext = "pdftotext";
  std::string pdfimages = "pdfimages";
  std::string pdftoppm = "pdftoppm";
  std::string tesseract = "tesseract";
};

struct TextOptions {
  bool ocr = true;                // false: pages without a text layer get method "none"
  bool force_ocr = false;         // OCR every page, text layer or not (comparisons, benchmarks)
  std::string languages = "vie";  // Tesseract -l value: "vie", "vie+eng"
  int dpi = 300;                  // rendering resolution of PDF pages for OCR (72..600)
  size_t page_limit = 5000;       // pages beyond it are not extracted (DocumentText::truncated)
  // Each tool run for one page (render, OCR) gets this much wall time; the
  // text layer of the whole document gets it once per 50 pages.
  std::chrono::milliseconds page_time_limit{std::chrono::seconds(120)};
  // A page whose text layer has fewer non-space characters than this, and
  // that shows at least one image, is OCR'd.
  size_t min_layer_chars = 16;
  // Rendered pages are capped at this many pixels (the dpi is lowered for
  // larger pages), so a hostile MediaBox cannot fill the disk.
  uint64_t max_render_pixels = 60'000'000;
  // > 0: the PDF's page count as the caller already knows it (from its own
  // parse, e.g. our PDF/A validator's). pdfinfo is then run only when a page
  // is to be OCR'd (for the page sizes the rendering is capped by), which
  // saves one tool run per document with a text layer.
  int known_pages = 0;
  // Read the text layer in process (formats/pdf ExtractTextLayer) and run
  // pdftotext only when that reader declines a page. false: always
  // pdftotext (comparisons, tests of the tool path).
  bool in_process_layer = true;
  // Called after each page OCR'd with (pages done, pages to OCR), from the
  // calling thread; unset: nothing is reported.
  std::function<void(uint64_t done, uint64_t total)> ocr_progress;
  TextTools tools;
};

enum class TextMethod { kTextLayer, kOcr, kNone };

// "text-layer", "ocr", "none".
std::string_view TextMethodName(TextMethod m);

struct PageText {
  int page = 0;      // 1-based
  std::string text;  // UTF-8, NFC; lines end with '\n'
  TextMethod method = TextMethod::kNone;
  double ocr_confidence = -1;  // mean Tesseract word confidence 0..100 when kOcr, else -1
  size_t ocr_words = 0;        // words the confidence is the mean of
  size_t characters = 0;       // Unicode code points of `text` that are not white space
  // Why the page has no text although it should (a tool failed, timed out or
  // was stopped by a limit), else empty. The other pages are still extracted.
  std::string error;
};

struct DocumentText {
  std::string format;      // "pdf", "tiff", "jpeg", "png"
  int page_count = 0;      // pages in the input
  bool truncated = false;  // page_count > TextOptions::page_limit
  std::vector<PageText> pages;
  size_t characters = 0;    // sum over pages
  size_t ocr_pages = 0;     // pages with method kOcr
  size_t failed_pages = 0;  // pages with a non-empty error
  // PDFs: who read the text layer, "kholuu" (in process) or "pdftotext";
  // empty for images. When pdftotext read it although the in-process
  // reader was asked, `layer_fallback` says why that reader declined.
  std::string layer_reader;
  std::string layer_fallback;
};

// Extracts the text of a PDF, TIFF, JPEG or PNG given as bytes (the format is
// recognised by its signature). Errors: kInvalidArgument for an unknown
// format or a file the tools cannot read (the message says why, e.g.
// "pdfinfo exited 1: Couldn't read xref table"), including when the text
// layer run is stopped by a limit; kNotFound when a tool is not installed;
// kFailedPrecondition when the sandbox cannot isolate the tools; kInternal
// for local failures. A failed page is reported in PageText::error, not here.
// Thread-safe.
Result<DocumentText> ExtractText(std::string_view bytes, const TextOptions& options = {});

// ExtractText of a file's bytes (at most 2 GiB).
Result<DocumentText> ExtractTextFromFile(const std::string& path, const TextOptions& options = {});

// ---- Parsers of tool output (exposed for tests and the fuzz target) ----------

// What Tesseract's TSV output says about one page.
struct OcrText {
  std::string text;             // words joined by ' ', lines by '\n', paragraphs by a blank line
  double mean_confidence = -1;  // over words with a confidence >= 0; -1 if none
  size_t words = 0;
};

// Parses `tesseract ... tsv` output (header line, then level, page_num,
// block_num, par_num, line_num, word_num, left, top, width, height, conf,
// text). Invalid UTF-8 in words is replaced by U+FFFD. Errors:
// kInvalidArgument for a missing header or a malformed row.
Result<OcrText> ParseTesseractTsv(std::string_view tsv);

// What pdfinfo prints: the page count and each page's size in points.
struct PdfInfo {
  int pages = 0;
  bool encrypted = false;
  std::vector<std::pair<double, double>> page_sizes;  // [page-1] = {width, height}; may be short
};

// Parses `pdfinfo -f 1 -l N` output. Errors: kInvalidArgument when there is no
// "Pages:" line or a number is out of range.
Result<PdfInfo> ParsePdfInfo(std::string_view out);

// Pages listed by `pdfimages -list` as having at least one image (1-based,
// ascending, unique). Lines that are not image rows are ignored.
std::vector<int> ParsePdfImagesList(std::string_view out);

// Splits pdftotext output into pages at form feeds (the last page's form feed
// is optional). Returns at most `max_pages` pages.
std::vector<std::string_view> SplitPages(std::string_view text, size_t max_pages);

// Number of images in a TIFF file (the IFD chain), at most `max_pages`.
// Errors: kInvalidArgument for a bad header, an offset outside the file or a
// loop in the chain.
Result<int> CountTiffPages(std::string_view bytes, int max_pages);

// Makes tool output fit for PageText::text: invalid UTF-8 replaced by U+FFFD,
// control characters other than '\n' and '\t' dropped, '\r' as '\n', then NFC.
std::string CleanText(std::string_view raw);

// Unicode code points of `text` (UTF-8) that are not white space.
size_t CountNonSpace(std::string_view text);

}  // namespace kholuu::formats::text
