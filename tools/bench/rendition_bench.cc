#include "tools/bench/rendition_bench.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "formats/pdf/pdfa.h"
#include "formats/pdf/rendition.h"
#include "formats/pdfsig/seal.h"
#include "formats/x509/sign.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench rendition [options]\n"
    "\n"
    "Inputs: every conforming ('pass') file of the veraPDF corpus folders\n"
    "PDF_A-2b, PDF_A-2u and PDF_A-3b that kholuu's validator accepts. For each,\n"
    "in process: BuildRendition (embeds a signed pyHanko PDF and a JSON report;\n"
    "includes validating the input and the output), SealPdf with a generated\n"
    "ECDSA P-256 key (PAdES-B-B), ExtractAssociatedFiles on the sealed file; and,\n"
    "as the reference for extraction, poppler's 'pdfdetach -saveall' (one process\n"
    "per file). Each timed pass is repeated --runs times; medians are reported.\n"
    "\n"
    "options:\n"
    "  --corpus DIR      shared corpus (default $KHOLUU_CORPUS_DIR)\n"
    "  --runs N          timed runs per step (default 3)\n"
    "  --pdfdetach PATH  poppler's pdfdetach (default /usr/bin/pdfdetach)\n"
    "  --dir DIR         where the scratch directory is made (default /tmp)\n"
    "  --json            one JSON document instead of the table\n"
    "  --help            this text\n";

struct Args {
  std::string corpus = KHOLUU_CORPUS_DIR;
  uint64_t runs = 3;
  std::string pdfdetach = "/usr/bin/pdfdetach";
  std::string dir = "/tmp";
  bool json = false;
};

// Median seconds of `runs` calls of `pass`; false if a pass failed.
template <typename Fn>
bool Time(uint64_t runs, Fn pass, double* median) {
  std::vector<double> t;
  for (uint64_t r = 0; r < runs; ++r) {
    double start = NowSeconds();
    if (!pass()) return false;
    t.push_back(NowSeconds() - start);
  }
  *median = Median(t);
  return true;
}

}  // namespace

int RunRenditionBench(const std::vector<std::string>& argv) {
  Args a;
  FlagReader reader(argv);
  while (reader.Next()) {
    const std::string& k = reader.flag();
    const std::string* v = nullptr;
    if (k == "--help") {
      std::cout << kUsage;
      return kExitOk;
    } else if (k == "--json") {
      a.json = true;
    } else if ((k == "--corpus" || k == "--pdfdetach" || k == "--dir" || k == "--runs") && (v = reader.Value())) {
      if (k == "--corpus") a.corpus = *v;
      if (k == "--pdfdetach") a.pdfdetach = *v;
      if (k == "--dir") a.dir = *v;
      if (k == "--runs") {
        auto n = ParsePositive("--runs", *v);
        if (!n.ok()) {
          std::cerr << n.status().message() << "\n";
          return kExitUsage;
        }
        a.runs = *n;
      }
    } else {
      std::cerr << "kholuu-bench rendition: bad option " << k << "\n\n" << kUsage;
      return kExitUsage;
    }
  }
  auto original = ReadFileToString(a.corpus + "/pdf-pyhanko/extensions-direct.pdf");
  if (!original.ok()) {
    std::cerr << "kholuu-bench rendition: " << original.status().message() << "\n";
    return kExitFailed;
  }
  const std::string report = R"({"signatures":[{"signer":"Nguyễn Văn A","integrity":"valid"}]})";
  std::vector<std::string> copies;
  uint64_t input_bytes = 0;
  for (const char* part : {"PDF_A-2b", "PDF_A-2u", "PDF_A-3b"}) {
    fs::path root = fs::path(a.corpus) / "verapdf" / part;
    if (!fs::is_directory(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file() || e.path().filename().string().find("pass") == std::string::npos) continue;
      auto bytes = ReadFileToString(e.path().string());
      if (!bytes.ok()) continue;
      auto r = formats::pdf::ValidatePdfa(*bytes, formats::pdf::PdfaProfile::kAuto);
      if (!r.ok() || !r->compliant) continue;
      input_bytes += bytes->size();
      copies.push_back(std::move(*bytes));
    }
  }
  if (copies.empty()) {
    std::cerr << "kholuu-bench rendition: no conforming veraPDF files under " << a.corpus << "\n";
    return kExitFailed;
  }
  auto key = formats::x509::GenerateSelfSignedSeal("CN=kholuu-bench seal", 1763900000, 3650);
  if (!key.ok()) return kExitFailed;
  formats::pdfsig::SealSigner signer{key->key_pem, key->cert_pem};
  formats::pdf::EmbeddedFileSpec orig{*original, "Quyết định ký số.pdf", "application/pdf", "Bản gốc", 0};
  formats::pdf::EmbeddedFileSpec rep{report, "xac-minh.json", "application/json", "Báo cáo", 0};

  std::vector<std::string> renditions(copies.size()), sealed(copies.size());
  size_t built = 0;
  double t_build = 0, t_seal = 0, t_extract = 0, t_detach = 0;
  bool ok = Time(a.runs, [&] {
    built = 0;
    for (size_t i = 0; i < copies.size(); ++i) {
      auto r = formats::pdf::BuildRendition(copies[i], orig, rep);
      if (r.ok()) renditions[built++] = std::move(*r);
    }
    return built > 0;
  }, &t_build);
  renditions.resize(built);
  sealed.resize(built);
  ok = ok && Time(a.runs, [&] {
    for (size_t i = 0; i < renditions.size(); ++i) {
      auto s = formats::pdfsig::SealPdf(renditions[i], signer, {});
      if (!s.ok()) {
        std::cerr << "kholuu-bench rendition: SealPdf: " << s.status().ToString() << "\n";
        return false;
      }
      sealed[i] = std::move(*s);
    }
    return true;
  }, &t_seal);
  ok = ok && Time(a.runs, [&] {
    for (const std::string& s : sealed) {
      auto f = formats::pdf::ExtractAssociatedFiles(s);
      if (!f.ok()) {
        std::cerr << "kholuu-bench rendition: ExtractAssociatedFiles: " << f.status().ToString() << "\n";
        return false;
      }
      bool found = false;
      for (const auto& file : *f) found = found || (file.relationship == "Source" && file.bytes == *original);
      if (!found) {
        std::cerr << "kholuu-bench rendition: the embedded original was not extracted intact\n";
        return false;
      }
    }
    return true;
  }, &t_extract);
  auto scratch = ScratchDir::Create(a.dir, "kholuu-bench-rendition-");
  if (!ok || !scratch.ok()) {
    std::cerr << "kholuu-bench rendition: a step failed (renditions built: " << built << " of " << copies.size()
              << ")\n";
    return kExitFailed;
  }
  for (size_t i = 0; i < sealed.size(); ++i) {
    if (!WriteFileAtomic(scratch->path() + "/" + std::to_string(i) + ".pdf", sealed[i]).ok()) return kExitFailed;
  }
  ok = Time(a.runs, [&] {
    for (size_t i = 0; i < sealed.size(); ++i) {
      std::string out = scratch->path() + "/x" + std::to_string(i);
      if (!fs::is_directory(out) && !fs::create_directory(out)) return false;
      if (!RunProcess({a.pdfdetach, "-saveall", "-o", out, scratch->path() + "/" + std::to_string(i) + ".pdf"}).ok()) {
        return false;
      }
    }
    return true;
  }, &t_detach);
  if (!ok) {
    std::cerr << "kholuu-bench rendition: pdfdetach failed\n";
    return kExitFailed;
  }
  const double n = static_cast<double>(built);
  MachineInfo m = DescribeMachine(a.dir);
  Json j = {{"inputs", copies.size()},
            {"renditions", built},
            {"input_mib", static_cast<double>(input_bytes) / (1 << 20)},
            {"original_bytes", original->size()},
            {"runs", a.runs},
            {"build_files_per_s", n / t_build},
            {"seal_files_per_s", n / t_seal},
            {"extract_files_per_s", n / t_extract},
            {"pdfdetach_files_per_s", n / t_detach},
            {"cpu", m.cpu_model},
            {"nproc", m.nproc},
            {"pdfdetach_version", FirstLineOf(a.pdfdetach + " -v 2>&1; true")}};
  if (a.json) {
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::printf("inputs %zu conforming veraPDF files (%.2f MiB), %zu renditions, original %zu bytes, runs %llu\n",
              copies.size(), static_cast<double>(input_bytes) / (1 << 20), built, original->size(),
              static_cast<unsigned long long>(a.runs));
  std::printf("%-44s %10s\n", "step (median of runs)", "files/s");
  std::printf("%-44s %10s\n", "BuildRendition (incl. 2 validations)", Fixed(n / t_build, 1).c_str());
  std::printf("%-44s %10s\n", "SealPdf (PAdES-B-B, ECDSA P-256)", Fixed(n / t_seal, 1).c_str());
  std::printf("%-44s %10s\n", "ExtractAssociatedFiles", Fixed(n / t_extract, 1).c_str());
  std::printf("%-44s %10s\n", "pdfdetach -saveall (one process per file)", Fixed(n / t_detach, 1).c_str());
  std::printf("cpu: %s, %llu cpus; %s\n", m.cpu_model.c_str(), static_cast<unsigned long long>(m.nproc),
              FirstLineOf(a.pdfdetach + " -v 2>&1; true").c_str());
  return kExitOk;
}

}  // namespace kholuu::bench
