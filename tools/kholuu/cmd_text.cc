// kholuu text FILE [--json] [--no-ocr] [--force-ocr] [--lang vie] [--pages N]
//                  [--dpi D] [--page-timeout S]
//
// Per-page text of a PDF or a scan (formats/text; docs/text.md), with the
// legacy-encoding repair of the indexer applied to each page (TCVN3, VNI,
// ... text layers come out as Latin-1 look-alikes). Output with --json:
// {"file", "format", "page_count", "truncated", "pages": [{"page", "method",
// "confidence"?, "words"?, "characters", "repaired_encoding"?, "error"?,
// "text"}], "characters", "ocr_pages", "failed_pages", "layer_reader"? (PDFs:
// "kholuu" or "pdftotext"), "layer_fallback"? (why not in process)}. Without --json: the
// text, pages separated by a form feed. Exit 0, 1 if a page could not be
// read (its error is in the output), 2 for usage or an unreadable file, 3
// for an internal error. No archive is opened: --data is accepted and ignored.
#include <iostream>

#include "ingest/checks.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/progress.h"

namespace kholuu::cli {
namespace {

namespace text = ingest::text;

struct TextArgs {
  std::string file;
  bool no_ocr = false;
  bool force_ocr = false;
  std::string lang = "vie";
  size_t pages = 5000;
  int dpi = 300;
  double page_timeout = 120;
};

int CmdText(const Common& c, const TextArgs& a) {
  text::TextOptions o;
  o.ocr = !a.no_ocr;
  o.force_ocr = a.force_ocr;
  o.languages = a.lang;
  o.page_limit = a.pages;
  o.dpi = a.dpi;
  if (!(a.page_timeout > 0 && a.page_timeout < 86400)) {
    return Fail(
        c, InvalidArgumentError("--page-timeout must be more than 0 and less than 86400 seconds"));
  }
  o.page_time_limit = std::chrono::milliseconds(static_cast<int64_t>(a.page_timeout * 1000));
  Progress progress(c, Tr(Msg::kProgressOcr), Tr(Msg::kUnitPages));
  if (progress.enabled()) o.ocr_progress = progress.Callback();
  auto r = ingest::ExtractRepairedTextFromFile(a.file, o);
  if (!r.ok()) return Fail(c, Status(r.status().code(), a.file + ": " + r.status().message()));
  text::DocumentText& d = r->text;

  nlohmann::json pages = nlohmann::json::array();
  for (size_t i = 0; i < d.pages.size(); ++i) {
    const text::PageText& p = d.pages[i];
    const std::string& repaired = r->repaired[i].encoding;
    nlohmann::json j = {{"page", p.page}, {"method", std::string(text::TextMethodName(p.method))}};
    if (p.method == text::TextMethod::kOcr) {
      j["confidence"] = p.ocr_confidence;
      j["words"] = p.ocr_words;
    }
    j["characters"] = p.characters;
    if (!repaired.empty()) j["repaired_encoding"] = repaired;
    if (!p.error.empty()) {
      j["error"] = p.error;
      std::cerr << "kholuu: " << a.file << " page " << p.page << ": " << p.error << "\n";
    }
    j["text"] = p.text;
    pages.push_back(std::move(j));
  }
  if (c.json) {
    nlohmann::json out = {{"file", a.file},
                          {"format", d.format},
                          {"page_count", d.page_count},
                          {"truncated", d.truncated},
                          {"pages", pages},
                          {"characters", d.characters},
                          {"ocr_pages", d.ocr_pages},
                          {"failed_pages", d.failed_pages}};
    if (!d.layer_reader.empty()) out["layer_reader"] = d.layer_reader;
    if (!d.layer_fallback.empty()) out["layer_fallback"] = d.layer_fallback;
    std::cout << DumpJson(out) << "\n";
  } else {
    for (size_t i = 0; i < d.pages.size(); ++i) {
      if (i > 0) std::cout << '\f';
      std::cout << d.pages[i].text;
    }
  }
  return d.failed_pages > 0 ? kExitCheckFailed : kExitOk;
}

}  // namespace

void RegisterTextCommands(CLI::App& app, const Registry& reg) {
  static TextArgs storage;  // lives as long as the CLI app
  TextArgs* args = &storage;
  CLI::App* cmd = app.add_subcommand(
      "text",
      "per-page text of a PDF or scan: text layer, else Tesseract OCR (exit 1 if a page failed)");
  reg.AddCommon(cmd);
  cmd->add_option("FILE", args->file, "PDF, TIFF, JPEG or PNG file")->required();
  cmd->add_flag("--no-ocr", args->no_ocr, "never OCR; pages without a text layer stay empty");
  cmd->add_flag("--force-ocr", args->force_ocr, "OCR every page, even those with a text layer");
  cmd->add_option("--lang", args->lang, "Tesseract languages (default vie; e.g. vie+eng)");
  cmd->add_option("--pages", args->pages, "extract at most N pages (default 5000)")
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  cmd->add_option("--dpi", args->dpi, "rendering resolution for OCR (72..600, default 300)");
  cmd->add_option("--page-timeout", args->page_timeout,
                  "seconds each tool run for one page may take (default 120)");
  Registry r = reg;
  cmd->callback([args, r] { *r.rc = CmdText(*r.common, *args); });
}

}  // namespace kholuu::cli
