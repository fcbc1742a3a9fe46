#include "tools/bench/ocr_bench.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-version.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "formats/text/text.h"
#include "indexer/syllable_recall.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

using Json = nlohmann::ordered_json;
namespace text = formats::text;

constexpr char kUsage[] =
    "usage: kholuu-bench ocr [options]\n"
    "\n"
    "Page text for indexing, kholuu (formats/text: every tool in the sandbox)\n"
    "against the plain tools on the same pages in the same run:\n"
    "  text layer   the scanned corpus (scans-real, every page has a text layer):\n"
    "               kholuu ExtractText | pdftotext CLI per file | poppler-cpp in\n"
    "               this process (the rejected in-process design, ADR 0057)\n"
    "  OCR, images  the same pages as 300 dpi grey PNGs (pdftoppm, untimed):\n"
    "               kholuu ExtractText per PNG | tesseract CLI per PNG (tsv)\n"
    "  OCR, PDFs    render + OCR of whole PDFs: kholuu ExtractText (scans with\n"
    "               force_ocr; generated pages need OCR by the normal rule) |\n"
    "               pdftoppm CLI + tesseract CLI per page\n"
    "Generated pages: ALQAC 2023 law articles typeset by LibreOffice (Noto Serif)\n"
    "and rasterised by Ghostscript (pdfimage8, 300 dpi), so no text layer is left;\n"
    "their syllable recall (indexer tokens of the source found in the OCR text)\n"
    "is reported. Tesseract runs with OMP_THREAD_LIMIT=1 on both sides, -l vie.\n"
    "\n"
    "options:\n"
    "  --corpus DIR     shared corpus (default $KHOLUU_CORPUS_DIR, else ../shared/corpus)\n"
    "  --generated N    pages of generated text, at least (default 4; 0 for none)\n"
    "  --runs N         timed runs of the text-layer sides, median (default 5)\n"
    "  --ocr-runs N     timed runs of the OCR sides, median (default 1)\n"
    "  --dir DIR        where the scratch directory is made (default $TMPDIR or /tmp)\n"
    "  --json           one JSON document instead of the table\n"
    "  --keep           keep the scratch directory\n"
    "  --help           this text\n";

struct Tools {
  std::string pdftotext = "/usr/bin/pdftotext";
  std::string pdftoppm = "/usr/bin/pdftoppm";
  std::string tesseract = "/usr/bin/tesseract";
  std::string soffice = "/usr/bin/soffice";
  std::string gs = "/usr/bin/gs";
};

struct Timing {
  std::vector<double> seconds;
  double median() const { return Median(seconds); }
};

// pages/s figures of one comparison, by side name in order.
struct Comparison {
  std::string name;
  size_t pages = 0;
  std::vector<std::pair<std::string, Timing>> sides;
  Json extra = Json::object();
};

Status Must(const std::vector<std::string>& argv) {
  KHOLUU_ASSIGN_OR_RETURN(int rc, RunQuiet(argv));
  if (rc != 0) return InternalError(argv[0] + " exited with status " + std::to_string(rc));
  return Status::Ok();
}

// Times each of `passes` `runs` times, alternating sides within a run so
// that a change in machine load hits every side alike, after one untimed
// warm-up pass of each.
Status TimeRuns(int runs, std::vector<Timing*> timings,
                const std::vector<std::function<Status()>>& passes) {
  for (const auto& pass : passes) KHOLUU_RETURN_IF_ERROR(pass());
  for (int r = 0; r < runs; ++r) {
    for (size_t i = 0; i < passes.size(); ++i) {
      double t0 = NowSeconds();
      KHOLUU_RETURN_IF_ERROR(passes[i]());
      timings[i]->seconds.push_back(NowSeconds() - t0);
    }
  }
  return Status::Ok();
}

Status KholuuPass(const std::vector<std::string>& files, const text::TextOptions& o,
                  std::vector<text::DocumentText>* out) {
  out->clear();
  for (const std::string& f : files) {
    auto d = text::ExtractTextFromFile(f, o);
    if (!d.ok()) return Status(d.status().code(), f + ": " + d.status().message());
    if (d->failed_pages > 0) {
      for (const auto& p : d->pages) {
        if (!p.error.empty())
          return InternalError(f + " page " + std::to_string(p.page) + ": " + p.error);
      }
    }
    out->push_back(std::move(d).value());
  }
  return Status::Ok();
}

// poppler-cpp in this process: every page's text, as UTF-8.
Status PopplerPass(const std::vector<std::string>& files, size_t* chars) {
  *chars = 0;
  for (const std::string& f : files) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(f));
    if (!doc) return InternalError("poppler-cpp cannot open " + f);
    for (int i = 0; i < doc->pages(); ++i) {
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      if (!page) return InternalError("poppler-cpp: no page " + std::to_string(i) + " in " + f);
      poppler::byte_array utf8 = page->text().to_utf8();
      *chars += utf8.size();
    }
  }
  return Status::Ok();
}

// Writes ALQAC law text of at least `pages` pages to `dir`/gen.txt and makes
// the image-only `dir`/gen.pdf from it. Returns the source text.
Result<std::string> GeneratePages(const std::string& corpus, const Tools& tools, uint64_t pages,
                                  const std::string& dir) {
  std::ifstream in(corpus + "/alqac2023/articles.json");
  if (!in) return NotFoundError(corpus + "/alqac2023/articles.json not found");
  nlohmann::json articles = nlohmann::json::parse(in, nullptr, false);
  if (!articles.is_object()) return InvalidArgumentError("articles.json is not a JSON object");
  std::string source;
  for (const auto& [key, value] : articles.items()) {
    if (!value.is_string()) continue;
    source += value.get<std::string>() + "\n";
    if (source.size() >= pages * 2600) break;
  }
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(dir + "/gen.txt", source));
  KHOLUU_RETURN_IF_ERROR(
      Must({tools.soffice, "--headless", "-env:UserInstallation=file://" + dir + "/lo",
            "--infilter=Text (encoded):UTF8,LF,Noto Serif,vi", "--convert-to", "pdf", "--outdir",
            dir, dir + "/gen.txt"}));
  KHOLUU_RETURN_IF_ERROR(
      Must({tools.gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfimage8", "-r300", "-o",
            dir + "/gen-image.pdf", dir + "/gen.pdf"}));
  return source;
}

Json Figures(const Comparison& c) {
  Json j = {{"name", c.name}, {"pages", c.pages}};
  for (const auto& [side, t] : c.sides) {
    double s = t.median();
    j[side] = {{"seconds", s}, {"pages_per_s", s > 0 ? static_cast<double>(c.pages) / s : 0}};
  }
  for (const auto& [k, v] : c.extra.items()) j[k] = v;
  return j;
}

int Failed(const std::string& what, const Status& s) {
  std::cerr << "kholuu-bench ocr: " << what << ": " << s.message() << "\n";
  return kExitFailed;
}

}  // namespace

int RunOcrBench(const std::vector<std::string>& args) {
  std::string corpus = CorpusDir();
  std::string parent;
  uint64_t generated = 4, runs = 5, ocr_runs = 1;
  bool json = false, keep = false;
  FlagReader reader(args);
  while (reader.Next()) {
    const std::string& a = reader.flag();
    const std::string* v = nullptr;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--keep") {
      keep = true;
    } else if ((a == "--corpus" || a == "--dir") && (v = reader.Value()) != nullptr) {
      (a == "--corpus" ? corpus : parent) = *v;
    } else if ((a == "--generated" || a == "--runs" || a == "--ocr-runs") &&
               (v = reader.Value()) != nullptr) {
      if (a == "--generated" && *v == "0") {
        generated = 0;
        continue;
      }
      auto n = ParsePositive(a, *v);
      if (!n.ok()) {
        std::cerr << "kholuu-bench ocr: " << n.status().message() << "\n" << kUsage;
        return kExitUsage;
      }
      (a == "--generated" ? generated : a == "--runs" ? runs : ocr_runs) = *n;
    } else {
      std::cerr << "kholuu-bench ocr: bad argument '" << a << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  Tools tools;
  for (const std::string& t : {tools.pdftotext, tools.pdftoppm, tools.tesseract}) {
    if (::access(t.c_str(), X_OK) != 0) {
      std::cerr << "kholuu-bench ocr: " << t << " is not executable\n";
      return kExitFailed;
    }
  }
  parent = ScratchParent(parent);
  auto scratch = ScratchDir::Create(parent, "kholuu-ocr-bench");
  if (!scratch.ok()) return Failed("scratch directory", scratch.status());
  scratch->set_keep(keep);
  const std::string dir = scratch->path();
  // One OCR thread on both sides (formats/text sets the same in its sandbox).
  ::setenv("OMP_THREAD_LIMIT", "1", 1);
  poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);

  std::vector<std::string> scans;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(corpus + "/scans-real", ec)) {
    if (e.path().extension() == ".pdf") scans.push_back(e.path().string());
  }
  std::sort(scans.begin(), scans.end());
  std::string source;
  std::vector<std::string> generated_pdf;
  if (generated > 0) {
    auto s = GeneratePages(corpus, tools, generated, dir);
    if (!s.ok()) return Failed("generating pages", s.status());
    source = std::move(s).value();
    generated_pdf.push_back(dir + "/gen-image.pdf");
  }
  if (scans.empty() && generated_pdf.empty()) {
    std::cerr << "kholuu-bench ocr: no scans in " << corpus
              << "/scans-real and no generated pages\n";
    return kExitFailed;
  }

  std::vector<Comparison> out;
  std::vector<text::DocumentText> docs;
  size_t scan_pages = 0;

  // 1. Text layers of the scans.
  if (!scans.empty()) {
    Comparison c;
    c.name = "text layer, scans-real";
    text::TextOptions o;
    Timing k, cli, cpp;
    size_t cpp_bytes = 0;
    Status s = TimeRuns(
        static_cast<int>(runs), {&k, &cli, &cpp},
        {[&] { return KholuuPass(scans, o, &docs); },
         [&]() -> Status {
           for (const std::string& f : scans) {
             KHOLUU_RETURN_IF_ERROR(Must({tools.pdftotext, "-enc", "UTF-8", f, dir + "/cli.txt"}));
           }
           return Status::Ok();
         },
         [&] { return PopplerPass(scans, &cpp_bytes); }});
    if (!s.ok()) return Failed("text layer", s);
    size_t chars = 0;
    for (const auto& d : docs) {
      scan_pages += d.pages.size();
      chars += d.characters;
    }
    c.pages = scan_pages;
    c.sides = {{"kholuu", k}, {"pdftotext_cli", cli}, {"poppler_cpp_in_process", cpp}};
    c.extra["files"] = scans.size();
    c.extra["kholuu_characters"] = chars;
    out.push_back(std::move(c));
  }

  // 2. OCR of the same images: every page as a 300 dpi grey PNG.
  std::vector<std::string> pngs;
  std::vector<std::string> all_pdfs = scans;
  all_pdfs.insert(all_pdfs.end(), generated_pdf.begin(), generated_pdf.end());
  for (size_t i = 0; i < all_pdfs.size(); ++i) {
    const std::string prefix = dir + "/img" + std::to_string(i);
    if (Status s = Must({tools.pdftoppm, "-r", "300", "-gray", "-png", all_pdfs[i], prefix});
        !s.ok()) {
      return Failed("rendering " + all_pdfs[i], s);
    }
  }
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".png") pngs.push_back(e.path().string());
  }
  std::sort(pngs.begin(), pngs.end());
  {
    Comparison c;
    c.name = "OCR, same PNG pages";
    c.pages = pngs.size();
    Timing k, cli;
    text::TextOptions o;
    Status s = TimeRuns(
        static_cast<int>(ocr_runs), {&k, &cli},
        {[&] { return KholuuPass(pngs, o, &docs); },
         [&]() -> Status {
           for (const std::string& png : pngs) {
             KHOLUU_RETURN_IF_ERROR(Must({tools.tesseract, png, dir + "/cli", "-l", "vie", "tsv"}));
           }
           return Status::Ok();
         }});
    if (!s.ok()) return Failed("OCR of images", s);
    double conf = 0;
    size_t ocr_pages = 0;
    for (const auto& d : docs) {
      for (const auto& p : d.pages) {
        if (p.method == text::TextMethod::kOcr) {
          conf += p.ocr_confidence;
          ++ocr_pages;
        }
      }
    }
    c.sides = {{"kholuu", k}, {"tesseract_cli", cli}};
    c.extra["ocr_pages"] = ocr_pages;
    c.extra["mean_confidence"] = ocr_pages > 0 ? conf / static_cast<double>(ocr_pages) : -1;
    out.push_back(std::move(c));
  }

  // 3. Whole PDFs: render + OCR.
  for (int set = 0; set < 2; ++set) {
    const std::vector<std::string>& files = set == 0 ? scans : generated_pdf;
    if (files.empty()) continue;
    Comparison c;
    c.name = set == 0 ? "render + OCR, scans-real (forced)" : "render + OCR, generated image-only";
    text::TextOptions o;
    o.force_ocr = set == 0;
    Timing k, cli;
    // The plain side renders as many pages per file as kholuu's first pass found.
    std::vector<size_t> page_counts;
    Status s = TimeRuns(
        static_cast<int>(ocr_runs), {&k, &cli},
        {[&]() -> Status {
           KHOLUU_RETURN_IF_ERROR(KholuuPass(files, o, &docs));
           page_counts.clear();
           for (const auto& d : docs) page_counts.push_back(d.pages.size());
           return Status::Ok();
         },
         [&]() -> Status {
           for (size_t i = 0; i < files.size(); ++i) {
             for (size_t p = 1; p <= page_counts[i]; ++p) {
               const std::string n = std::to_string(p);
               KHOLUU_RETURN_IF_ERROR(Must({tools.pdftoppm, "-r", "300", "-gray", "-f", n, "-l", n,
                                            "-singlefile", files[i], dir + "/cli-page"}));
               KHOLUU_RETURN_IF_ERROR(Must({tools.tesseract, dir + "/cli-page.pgm", dir + "/cli",
                                            "-l", "vie", "--dpi", "300", "tsv"}));
             }
           }
           return Status::Ok();
         }});
    if (!s.ok()) return Failed("render + OCR", s);
    std::string all;
    size_t pages = 0;
    for (const auto& d : docs) {
      pages += d.pages.size();
      for (const auto& p : d.pages) all += p.text + "\n";
    }
    c.pages = pages;
    c.sides = {{"kholuu", k}, {"pdftoppm_tesseract_cli", cli}};
    if (set == 1) c.extra["syllable_recall"] = indexer::SyllableRecall(source, all);
    out.push_back(std::move(c));
  }

  MachineInfo m = DescribeMachine(dir);
  Json j;
  j["machine"] = {{"cpu", m.cpu_model}, {"nproc", m.nproc}, {"kernel", m.kernel}};
  j["tools"] = {{"tesseract", FirstLineOf(tools.tesseract + " --version 2>&1")},
                {"pdftotext", FirstLineOf(tools.pdftotext + " -v 2>&1")},
                {"poppler_cpp", poppler::version_string()}};
  j["runs"] = runs;
  j["ocr_runs"] = ocr_runs;
  j["comparisons"] = Json::array();
  for (const Comparison& c : out) j["comparisons"].push_back(Figures(c));
  if (json) {
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "kholuu-bench ocr: " << m.cpu_model << ", " << m.nproc << " CPUs; "
            << j["tools"]["tesseract"].get<std::string>() << ", OMP_THREAD_LIMIT=1; median of "
            << runs << " (text layer) / " << ocr_runs << " (OCR) timed runs\n\n";
  std::printf("%-38s %6s  %-24s %10s %9s\n", "comparison", "pages", "side", "pages/s", "s");
  for (const Json& c : j["comparisons"]) {
    bool first = true;
    for (const auto& [k, v] : c.items()) {
      if (!v.is_object()) continue;
      std::printf("%-38s %6s  %-24s %10.2f %9.2f\n",
                  first ? c["name"].get<std::string>().c_str() : "",
                  first ? std::to_string(c["pages"].get<size_t>()).c_str() : "", k.c_str(),
                  v["pages_per_s"].get<double>(), v["seconds"].get<double>());
      first = false;
    }
    if (c.contains("mean_confidence")) {
      std::printf("%-38s %6s  mean word confidence %.1f\n", "", "",
                  c["mean_confidence"].get<double>());
    }
    if (c.contains("syllable_recall")) {
      std::printf("%-38s %6s  syllable recall %.4f\n", "", "", c["syllable_recall"].get<double>());
    }
  }
  return kExitOk;
}

}  // namespace kholuu::bench
