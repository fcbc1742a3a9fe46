// Helpers for the conversion tests: Vietnamese source text, office documents
// generated from it by LibreOffice, text of a PDF, syllable coverage.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::convert::testing {

// The corpus root ($KHOLUU_CORPUS_DIR), or "" when it is absent.
std::string CorpusDir();

// `count` articles of the ALQAC 2023 corpus (Vietnamese law), each one
// paragraph of real text, starting at article `first`. Empty when the corpus
// is absent.
std::vector<std::string> VietnameseParagraphs(size_t first, size_t count);

// Flat ODF documents (one XML file) whose text is set in Times New Roman:
// paragraphs of a text document, one row per paragraph of a spreadsheet
// (wrapped in a wide column), and slides of at most `words_per_slide` words.
std::string FlatOdt(const std::vector<std::string>& paragraphs);
std::string FlatOds(const std::vector<std::string>& paragraphs);
std::string FlatOdp(const std::vector<std::string>& paragraphs, size_t words_per_slide = 35);

// Saves `source` (a file LibreOffice opens) as `format` ("docx", "doc", "rtf",
// "odt", "xlsx", "xls", "ods", "pptx", "ppt", "odp") with LibreOffice in the
// sandbox and returns the bytes.
Result<std::string> LibreOfficeSaveAs(const std::string& source, const std::string& format);

// `pdftotext -enc UTF-8` of a PDF's bytes.
Result<std::string> PdfText(const std::string& pdf_bytes);

// Names of the fonts of a PDF with "yes" in pdffonts' emb column.
Result<std::vector<std::string>> EmbeddedFonts(const std::string& pdf_bytes);

// Mean absolute difference (0..255) between the first pages of two PDFs
// rendered by pdftoppm at 40 dpi in grey; an error if they do not render or
// their sizes differ.
Result<double> FirstPageDifference(const std::string& pdf_a, const std::string& pdf_b);

// Syllables of a text: maximal runs of letters (ASCII letters and any
// non-ASCII character), NFC-normalised.
std::vector<std::string> Syllables(const std::string& text);

struct Coverage {
  size_t total = 0;  // syllables of the source
  size_t found = 0;  // of those, present in the copy (as a multiset)
  std::vector<std::string> missing;  // the first few not found, for messages
  double ratio() const { return total == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(total); }
};
Coverage SyllableCoverage(const std::string& source_text, const std::string& copy_text);

}  // namespace kholuu::convert::testing
