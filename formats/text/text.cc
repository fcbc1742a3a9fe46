#include "formats/text/text.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>

#include "archive/base/file.h"
#include "formats/convert/sandbox.h"
#include "formats/pdf/text_layer.h"

namespace kholuu::formats::text {
namespace {

using convert::RunSandboxed;
using convert::SandboxLimits;
using convert::SandboxRequest;
using convert::SandboxResult;
using convert::WorkDir;

constexpr uint64_t kMaxInputBytes = 2ull << 30;
// Room for the tools' own files (a rendered page, TSV, text) beside the input.
constexpr uint64_t kWorkRoomBytes = 1ull << 30;
// The walk of a TIFF's image directories stops counting here.
constexpr int kMaxTiffPages = 1'000'000;

std::string_view Sniff(std::string_view b) {
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "pdf";
  if (b.substr(0, 4) == std::string_view("II*\0", 4) ||
      b.substr(0, 4) == std::string_view("MM\0*", 4) ||
      b.substr(0, 4) == std::string_view("II+\0", 4) ||
      b.substr(0, 4) == std::string_view("MM\0+", 4)) {
    return "tiff";
  }
  if (b.substr(0, 3) == "\xFF\xD8\xFF") return "jpeg";
  if (b.substr(0, 8) == "\x89PNG\r\n\x1A\n") return "png";
  return "";
}

Status ValidateOptions(const TextOptions& o) {
  if (o.dpi < 72 || o.dpi > 600) {
    return InvalidArgumentError("text: dpi must be 72..600, not " + std::to_string(o.dpi));
  }
  if (o.page_limit == 0) return InvalidArgumentError("text: page limit must be at least 1");
  if (o.page_time_limit.count() <= 0)
    return InvalidArgumentError("text: page time limit must be positive");
  const bool lang_ok = !o.languages.empty() && o.languages.size() <= 64 &&
                       o.languages.front() != '+' &&
                       std::all_of(o.languages.begin(), o.languages.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '_' || c == '+';
                       });
  if (!lang_ok) {
    return InvalidArgumentError("text: languages must look like 'vie' or 'vie+eng', not '" +
                                CleanText(o.languages.substr(0, 64)) + "'");
  }
  return Status::Ok();
}

// One run's limits: `time` of wall clock (and as much CPU), the work dir may
// hold the input plus kWorkRoomBytes.
SandboxLimits Limits(std::chrono::milliseconds time, uint64_t input_bytes) {
  SandboxLimits l;
  l.wall_time = time;
  l.cpu_seconds = static_cast<uint64_t>((time.count() + 999) / 1000);
  l.work_dir_bytes = input_bytes + kWorkRoomBytes;
  l.file_size_bytes = kWorkRoomBytes;
  l.captured_output_bytes = 4u << 20;
  return l;
}

// State of one extraction: the work dir holding the input and the options.
class Extraction {
 public:
  Extraction(const TextOptions& o, WorkDir wd, std::string input, uint64_t input_bytes)
      : o_(o), wd_(std::move(wd)), input_(std::move(input)), input_bytes_(input_bytes) {}

  // `layer`: the text layer read in process (confident), or nullptr to run pdftotext.
  Result<DocumentText> Pdf(const pdf::TextLayer* layer);
  Result<DocumentText> Image(std::string_view format, std::string_view bytes);

 private:
  Result<SandboxResult> Run(std::vector<std::string> argv, std::chrono::milliseconds time) {
    SandboxRequest req;
    req.argv = std::move(argv);
    // One OCR thread per page: predictable CPU use beside other work.
    req.env = {"OMP_THREAD_LIMIT=1"};
    req.limits = Limits(time, input_bytes_);
    return RunSandboxed(req, wd_);
  }
  // Runs Tesseract on `image` (TIFF page `tiff_page` if >= 0) into `page`.
  Status Ocr(const std::string& image, int dpi, int tiff_page, PageText* page);
  // Renders PDF page `page` (size in points, 0 if unknown) and OCRs it.
  Status OcrPdfPage(std::pair<double, double> size, PageText* page);

  const TextOptions& o_;
  WorkDir wd_;
  std::string input_;
  uint64_t input_bytes_;
};

Status Extraction::Ocr(const std::string& image, int dpi, int tiff_page, PageText* page) {
  const std::string base = wd_.Sub("ocr");
  std::vector<std::string> argv = {o_.tools.tesseract, image, base, "-l", o_.languages};
  if (dpi > 0) {
    argv.push_back("--dpi");
    argv.push_back(std::to_string(dpi));
  }
  if (tiff_page >= 0) {
    argv.push_back("-c");
    argv.push_back("tessedit_page_number=" + std::to_string(tiff_page));
  }
  argv.push_back("tsv");
  ::unlink((base + ".tsv").c_str());
  KHOLUU_ASSIGN_OR_RETURN(SandboxResult r, Run(argv, o_.page_time_limit));
  if (!r.succeeded()) return InvalidArgumentError(r.Describe("tesseract"));
  auto tsv = ReadFileToString(base + ".tsv", kWorkRoomBytes);
  ::unlink((base + ".tsv").c_str());
  if (!tsv.ok()) return InvalidArgumentError("tesseract wrote no TSV: " + tsv.status().message());
  KHOLUU_ASSIGN_OR_RETURN(OcrText ocr, ParseTesseractTsv(*tsv));
  if (ocr.words == 0) return Status::Ok();  // nothing legible: the caller keeps what it has
  page->text = std::move(ocr.text);
  page->method = TextMethod::kOcr;
  page->ocr_confidence = ocr.mean_confidence;
  page->ocr_words = ocr.words;
  return Status::Ok();
}

Status Extraction::OcrPdfPage(std::pair<double, double> size, PageText* page) {
  int dpi = o_.dpi;
  const double w = size.first, h = size.second;
  if (w > 0 && h > 0) {
    // pixels = (w/72 * dpi) * (h/72 * dpi) <= max_render_pixels
    const double cap = 72.0 * std::sqrt(static_cast<double>(o_.max_render_pixels) / (w * h));
    dpi = std::max(1, std::min(dpi, static_cast<int>(std::floor(cap))));
  }
  const std::string out = wd_.Sub("page");
  const std::string n = std::to_string(page->page);
  KHOLUU_ASSIGN_OR_RETURN(
      SandboxResult r, Run({o_.tools.pdftoppm, "-r", std::to_string(dpi), "-gray", "-f", n, "-l", n,
                            "-singlefile", input_, out},
                           o_.page_time_limit));
  const std::string image = out + ".pgm";
  if (!r.succeeded()) {
    ::unlink(image.c_str());
    return InvalidArgumentError(r.Describe("pdftoppm"));
  }
  Status s = Ocr(image, dpi, -1, page);
  ::unlink(image.c_str());
  return s;
}

// Fills doc->pages[0..n) from per-page layer text and returns the pages to
// OCR (ascending).
std::vector<int> LayerPages(const std::vector<std::string_view>& layer_pages, int n, const TextOptions& o,
                            DocumentText* doc) {
  doc->pages.resize(static_cast<size_t>(n));
  std::vector<int> wanted;
  for (int p = 1; p <= n; ++p) {
    PageText& page = doc->pages[static_cast<size_t>(p - 1)];
    page.page = p;
    if (static_cast<size_t>(p) <= layer_pages.size())
      page.text = CleanText(layer_pages[static_cast<size_t>(p - 1)]);
    page.characters = CountNonSpace(page.text);
    page.method = page.characters > 0 ? TextMethod::kTextLayer : TextMethod::kNone;
    if (page.method != TextMethod::kTextLayer) page.text.clear();
    if (o.ocr && (o.force_ocr || page.characters < o.min_layer_chars)) wanted.push_back(p);
  }
  return wanted;
}

// The document from a confident in-process text layer; *wanted gets the
// pages to OCR.
DocumentText FromLayer(const pdf::TextLayer& layer, const TextOptions& o, std::vector<int>* wanted) {
  DocumentText doc;
  doc.format = "pdf";
  doc.layer_reader = "kholuu";
  doc.page_count = layer.page_count;
  const int n = static_cast<int>(std::min<size_t>(layer.pages.size(), o.page_limit));
  doc.truncated = static_cast<size_t>(layer.page_count) > o.page_limit;
  std::vector<std::string_view> texts;
  for (int p = 0; p < n; ++p) texts.push_back(layer.pages[static_cast<size_t>(p)].text);
  *wanted = LayerPages(texts, n, o, &doc);
  return doc;
}

Result<DocumentText> Extraction::Pdf(const pdf::TextLayer* layer) {
  DocumentText doc;
  std::vector<int> wanted;  // pages that need OCR
  PdfInfo info;
  bool have_info = false;
  const std::string last = std::to_string(o_.page_limit);
  auto load_info = [&]() -> Status {
    KHOLUU_ASSIGN_OR_RETURN(
        SandboxResult info_run,
        Run({o_.tools.pdfinfo, "-f", "1", "-l", last, input_}, o_.page_time_limit));
    if (!info_run.succeeded()) return InvalidArgumentError(info_run.Describe("pdfinfo"));
    KHOLUU_ASSIGN_OR_RETURN(info, ParsePdfInfo(info_run.stdout_bytes));
    have_info = true;
    return Status::Ok();
  };
  int n = 0;
  if (layer != nullptr) {
    doc = FromLayer(*layer, o_, &wanted);
    n = static_cast<int>(doc.pages.size());
  } else {
    doc.format = "pdf";
    doc.layer_reader = "pdftotext";
    if (o_.known_pages > 0) {
      info.pages = o_.known_pages;
    } else {
      KHOLUU_RETURN_IF_ERROR(load_info());
    }
    if (info.pages == 0) return InvalidArgumentError("pdf has no pages");
    doc.page_count = info.pages;
    n = static_cast<int>(std::min<size_t>(static_cast<size_t>(info.pages), o_.page_limit));
    doc.truncated = static_cast<size_t>(info.pages) > o_.page_limit;

    // The text layer of pages 1..n in one run: page_time_limit per 50 pages.
    const std::string text_path = wd_.Sub("layer.txt");
    const auto layer_time = o_.page_time_limit * ((n + 49) / 50);
    KHOLUU_ASSIGN_OR_RETURN(SandboxResult text_run,
                            Run({o_.tools.pdftotext, "-enc", "UTF-8", "-f", "1", "-l",
                                 std::to_string(n), input_, text_path},
                                layer_time));
    if (!text_run.succeeded()) return InvalidArgumentError(text_run.Describe("pdftotext"));
    KHOLUU_ASSIGN_OR_RETURN(std::string text, ReadFileToString(text_path, kWorkRoomBytes));
    ::unlink(text_path.c_str());
    wanted = LayerPages(SplitPages(text, static_cast<size_t>(n)), n, o_, &doc);
  }
  const auto layer_time = o_.page_time_limit * ((n + 49) / 50);
  if (!wanted.empty() && !o_.force_ocr) {
    // Only pages that show an image are worth OCR.
    KHOLUU_ASSIGN_OR_RETURN(
        SandboxResult images_run,
        Run({o_.tools.pdfimages, "-list", "-f", "1", "-l", std::to_string(n), input_}, layer_time));
    std::vector<int> imaged;
    if (images_run.succeeded()) {
      imaged = ParsePdfImagesList(images_run.stdout_bytes);
    } else {
      // Not knowing which pages show images, OCR none: the pages say why.
      for (int p : wanted) {
        doc.pages[static_cast<size_t>(p - 1)].error =
            images_run.Describe("pdfimages") + " (page images not listed, no OCR)";
      }
    }
    std::vector<int> both;
    std::set_intersection(wanted.begin(), wanted.end(), imaged.begin(), imaged.end(),
                          std::back_inserter(both));
    wanted = std::move(both);
  }
  // Rendering for OCR is capped by the page sizes: pdfinfo gives them.
  if (!wanted.empty() && !have_info) KHOLUU_RETURN_IF_ERROR(load_info());
  for (size_t i = 0; i < wanted.size(); ++i) {
    const int p = wanted[i];
    PageText& page = doc.pages[static_cast<size_t>(p - 1)];
    const auto size = static_cast<size_t>(p) <= info.page_sizes.size()
                          ? info.page_sizes[static_cast<size_t>(p - 1)]
                          : std::pair<double, double>(0, 0);
    Status s = OcrPdfPage(size, &page);
    if (!s.ok()) page.error = s.message();
    if (o_.ocr_progress) o_.ocr_progress(i + 1, wanted.size());
  }
  return doc;
}

Result<DocumentText> Extraction::Image(std::string_view format, std::string_view bytes) {
  DocumentText doc;
  doc.format = std::string(format);
  int pages = 1;
  if (format == "tiff") {
    KHOLUU_ASSIGN_OR_RETURN(pages, CountTiffPages(bytes, kMaxTiffPages));
  }
  doc.page_count = pages;
  const int n = static_cast<int>(std::min<size_t>(static_cast<size_t>(pages), o_.page_limit));
  doc.truncated = static_cast<size_t>(pages) > o_.page_limit;
  doc.pages.resize(static_cast<size_t>(n));
  for (int p = 1; p <= n; ++p) {
    PageText& page = doc.pages[static_cast<size_t>(p - 1)];
    page.page = p;
    if (!o_.ocr) continue;
    Status s = Ocr(input_, 0, pages > 1 ? p - 1 : -1, &page);
    if (!s.ok()) page.error = s.message();
    if (o_.ocr_progress) o_.ocr_progress(static_cast<uint64_t>(p), static_cast<uint64_t>(n));
  }
  return doc;
}

void Summarise(DocumentText* doc) {
  for (PageText& p : doc->pages) {
    p.characters = CountNonSpace(p.text);
    if (p.characters == 0) {
      p.method = TextMethod::kNone;
      p.text.clear();
      p.ocr_confidence = -1;
      p.ocr_words = 0;
    }
    doc->characters += p.characters;
    if (p.method == TextMethod::kOcr) ++doc->ocr_pages;
    if (!p.error.empty()) ++doc->failed_pages;
  }
}

}  // namespace

std::string_view TextMethodName(TextMethod m) {
  switch (m) {
    case TextMethod::kTextLayer:
      return "text-layer";
    case TextMethod::kOcr:
      return "ocr";
    case TextMethod::kNone:
      return "none";
  }
  return "none";
}

Result<DocumentText> ExtractText(std::string_view bytes, const TextOptions& options) {
  KHOLUU_RETURN_IF_ERROR(ValidateOptions(options));
  if (bytes.size() > kMaxInputBytes) return InvalidArgumentError("text: input larger than 2 GiB");
  const std::string_view format = Sniff(bytes);
  if (format.empty()) {
    return InvalidArgumentError("text: not a PDF, TIFF, JPEG or PNG file (unknown signature)");
  }
  // A confident in-process text layer needs no tool unless a page is to be
  // OCR'd (docs/adr/0069-in-process-text-layer.md).
  std::optional<pdf::TextLayer> layer;
  std::string fallback;
  if (format == "pdf" && options.in_process_layer) {
    pdf::TextLayerLimits limits;
    limits.max_pages = options.page_limit;
    layer = pdf::ExtractTextLayer(bytes, limits);
    if (!layer->confident()) {
      fallback = layer->FirstReason();
      layer.reset();
    } else {
      std::vector<int> wanted;
      DocumentText doc = FromLayer(*layer, options, &wanted);
      if (wanted.empty()) {
        Summarise(&doc);
        return doc;
      }
    }
  }
  KHOLUU_ASSIGN_OR_RETURN(WorkDir wd, WorkDir::Create("text"));
  const std::string input =
      wd.Sub(std::string("input.") + (format == "jpeg" ? "jpg" : std::string(format)));
  {
    KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(input, O_WRONLY | O_CREAT | O_EXCL, 0600));
    KHOLUU_RETURN_IF_ERROR(f.WriteAll(bytes));
    KHOLUU_RETURN_IF_ERROR(f.Close());
  }
  Extraction x(options, std::move(wd), input, bytes.size());
  Result<DocumentText> doc = format == "pdf" ? x.Pdf(layer ? &*layer : nullptr) : x.Image(format, bytes);
  if (doc.ok()) {
    doc->layer_fallback = std::move(fallback);
    Summarise(&*doc);
  }
  return doc;
}

Result<DocumentText> ExtractTextFromFile(const std::string& path, const TextOptions& options) {
  KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path, kMaxInputBytes));
  return ExtractText(bytes, options);
}

}  // namespace kholuu::formats::text
