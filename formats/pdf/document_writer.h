// A small PDF/A-2b writer for documents kholuu itself issues (receipts,
// refusal notices): headings, paragraphs and ruled tables in one embedded
// TrueType font family, A4 portrait, page numbers in the footer.
//
// Text is UTF-8 (normalised to NFC here, so NFD Vietnamese renders with
// precomposed glyphs). The fonts are embedded as Identity-H Type 0 fonts with
// a ToUnicode map (text extracts with its diacritics) and subset without
// renumbering glyphs: only the glyphs used (and their composite parts) keep
// their outlines. A character the font has no glyph for is shown as '?'
// (PDF/A forbids showing .notdef). No colour operator is used, so no output
// intent is needed. The result is written directly (no converter runs) and
// validated by ValidatePdfa as PDF/A-2b before it is returned.
//
// Thread-safety: reentrant; fonts are read per call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::pdf {

struct DocTable {
  // Column widths as relative weights (they are scaled to the text width).
  std::vector<double> widths;
  std::vector<std::string> header;             // bold, repeated on each page
  std::vector<std::vector<std::string>> rows;  // each row has widths.size() cells
  double font_size = 9;
};

struct DocBlock {
  enum class Kind { kText, kTable, kSpace };
  enum class Align { kLeft, kCenter, kRight };
  Kind kind = Kind::kText;
  std::string text;  // kText
  bool bold = false;
  Align align = Align::kLeft;
  double font_size = 11;
  double space = 0;  // kSpace: points; kText: extra space after
  // kText: start a new page unless this much room is left below the text
  // (keeps a heading with what follows it).
  double keep_below = 0;
  DocTable table;    // kTable

  static DocBlock Text(std::string t, double size = 11, bool bold = false, Align align = Align::kLeft);
  // Bold, centred, kept with the next 72 points.
  static DocBlock Heading(std::string t, double size = 12);
  static DocBlock Table(DocTable t);
  static DocBlock Space(double points);
};

struct DocContent {
  std::string title;    // XMP dc:title
  std::string author;   // XMP dc:creator
  std::string subject;  // XMP dc:description
  std::string language = "vi";
  std::vector<DocBlock> blocks;
  std::string footer;   // left of the page number ("Trang N/M") in the footer
};

struct DocWriteOptions {
  // TrueType fonts. Empty: the first that exists of DejaVu Serif
  // (fonts-dejavu-core) and Noto Serif (fonts-noto-core).
  std::string regular_font;
  std::string bold_font;
  int64_t now = 0;  // Unix seconds for the XMP dates; 0 = the current time
};

// Lays out and writes `content`. Errors: kFailedPrecondition when no font is
// found or the result does not validate as PDF/A-2b (message: the first
// violation; never returned as a PDF); kDataLoss for a font that cannot be
// read; kInvalidArgument for text that is not UTF-8 or a table row whose
// cell count differs from its widths.
Result<std::string> WriteDocumentPdfA2b(const DocContent& content, const DocWriteOptions& options = {});

}  // namespace kholuu::formats::pdf
