#include "tools/bench/ingest_bench.h"

#include <fcntl.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <tuple>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/status.h"
#include "formats/convert/pdfa_convert.h"
#include "formats/convert/sandbox.h"
#include "formats/pdfsig/seal.h"
#include "formats/x509/sign.h"
#include "ingest/pipeline.h"
#include "ingest/service.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench ingest [options]\n"
    "\n"
    "Generates N born-digital documents (a one-page PDF per document with its own\n"
    "text, made PDF/A-2b by Ghostscript and sealed with a throw-away key: signed\n"
    "PDF/A) and M scans (such pages rendered by gs to 200 dpi greyscale TIFF), each\n"
    "as a package of its own (the file and its JSON sidecar, docs/formats/sidecar.md),\n"
    "then times, in one run and on the same files:\n"
    "  kholuu: ingest::Ingester::IngestMany into a fresh archive, with 1 and with 2\n"
    "          workers (every stage: staging, hashing, identification, checks,\n"
    "          signature verification, PDF/A validation or conversion, text/OCR,\n"
    "          duplicates, commit, index);\n"
    "  reference, born-digital: per file 'sha256sum', 'pdfsig' and 'pdftotext'\n"
    "          run one after another;\n"
    "  reference, scans: per file 'gs -dPDFA=2' on the scan as a PDF (tiff2pdf,\n"
    "          untimed) and 'tesseract -l vie'.\n"
    "Reported: documents/s and MB/s per side, the ratios, two workers over one,\n"
    "and CPU ms per document (user + system of the process and its tools).\n"
    "\n"
    "options:\n"
    "  --born N      born-digital documents (default 60; 0 for none)\n"
    "  --scans M     scans (default 6; 0 for none)\n"
    "  --runs N      timed runs per side, alternating, median reported (default 1)\n"
    "  --dir DIR     where the scratch directory is made (default $TMPDIR or /tmp)\n"
    "  --json        one JSON document instead of the table\n"
    "  --keep        keep the scratch directory\n"
    "  --help        this text\n";

struct Tools {
  std::string gs, sha256sum, pdfsig, pdftotext, tesseract, tiff2pdf;
};

Status Need(const std::string& name, const std::string& package, std::string* path) {
  auto found = convert::FindTool(name, package);
  if (!found.ok()) return found.status();
  *path = *found;
  return Status::Ok();
}

// A one-page PDF with a few lines of text (standard font, ASCII).
std::string TextPdf(size_t n) {
  std::string content = "BT /F1 14 Tf 72 780 Td 20 TL\n";
  content += "(UY BAN NHAN DAN TINH MAU) '\n(So: " + std::to_string(n) + "/KH-UBND) '\n";
  content += "(KE HOACH trien khai gui, nhan van ban dien tu so " + std::to_string(n) + ") '\n";
  for (int line = 0; line < 24; ++line) {
    content += "(" + std::to_string(line + 1) + ". Cac so, ban, nganh cap nhat phan mem quan ly van ban " +
               std::to_string(n * 31 + static_cast<size_t>(line)) + ") '\n";
  }
  content += "ET";
  return MakeOnePagePdf(content, /*helvetica=*/true).bytes;
}

std::string Sidecar(size_t n, const std::string& kind) {
  Json j;
  j["record_file"] = {{"file_code", "000.00.00.H49.2025.07.VP"},
                      {"title", "Hồ sơ kiểm thử hiệu năng tiếp nhận"},
                      {"maintenance", "10 năm"}};
  j["document"] = {{"type_name", "Kế hoạch"},
                   {"code_number", std::to_string(n)},
                   {"code_notation", kind == "scan" ? "KH-SCAN" : "KH-UBND"},
                   {"issued_date", "2025-03-01"},
                   {"organ_id", "000.00.00.H49"},
                   {"organ_name", "Ủy ban nhân dân tỉnh Mẫu"},
                   {"subject", "Kế hoạch triển khai gửi, nhận văn bản điện tử số " + std::to_string(n)}};
  return j.dump(2);
}

struct Corpus {
  std::vector<std::string> packages;  // one directory per document
  std::vector<std::string> files;     // the document file of each
  uint64_t bytes = 0;
};

// Born-digital: text PDF -> PDF/A-2b (Ghostscript, our validator) -> sealed.
Status MakeBorn(const std::string& dir, size_t n, Corpus* out) {
  KHOLUU_ASSIGN_OR_RETURN(auto cert,
                          formats::x509::GenerateSelfSignedSeal("CN=kholuu-bench signer TEST,O=kholuu,C=VN",
                                                                static_cast<int64_t>(std::time(nullptr)), 2));
  formats::pdfsig::SealSigner signer{cert.key_pem, cert.cert_pem};
  for (size_t i = 0; i < n; ++i) {
    KHOLUU_ASSIGN_OR_RETURN(convert::ConversionResult pdfa, convert::ConvertToPdfA2b(TextPdf(i + 1), "application/pdf"));
    if (!pdfa.validated) return InternalError("generated PDF " + std::to_string(i) + " did not become PDF/A: " + pdfa.reason);
    formats::pdfsig::SealOptions o;
    o.reason = "Ký số văn bản " + std::to_string(i + 1);
    KHOLUU_ASSIGN_OR_RETURN(std::string sealed, formats::pdfsig::SealPdf(pdfa.output, signer, o));
    const std::string pkg = dir + "/born-" + std::to_string(i + 1);
    KHOLUU_RETURN_IF_ERROR(CreateDirs(pkg));
    const std::string file = pkg + "/ke-hoach.pdf";
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(file, sealed));
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(file + ".json", Sidecar(i + 1, "born")));
    out->packages.push_back(pkg);
    out->files.push_back(file);
    out->bytes += sealed.size();
  }
  return Status::Ok();
}

// Scans: the text page rendered to a 200 dpi greyscale TIFF.
Status MakeScans(const std::string& dir, size_t n, const Tools& t, Corpus* out, std::vector<std::string>* as_pdf) {
  for (size_t i = 0; i < n; ++i) {
    const std::string pkg = dir + "/scan-" + std::to_string(i + 1);
    KHOLUU_RETURN_IF_ERROR(CreateDirs(pkg));
    const std::string src = dir + "/scan-src-" + std::to_string(i + 1) + ".pdf";
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(src, TextPdf(1000 + i)));
    const std::string tif = pkg + "/trang.tif";
    KHOLUU_RETURN_IF_ERROR(RunProcess({"/bin/sh", "-c", "exec \"$@\" >/dev/null 2>&1", "sh", t.gs, "-q", "-dSAFER",
                                       "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffgray", "-r200",
                                       "-sCompression=lzw", "-o", tif, src}));
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(tif + ".json", Sidecar(1000 + i, "scan")));
    const std::string pdf = dir + "/scan-" + std::to_string(i + 1) + ".pdf";
    KHOLUU_RETURN_IF_ERROR(RunProcess({"/bin/sh", "-c", "exec \"$@\" >/dev/null 2>&1", "sh", t.tiff2pdf, "-o", pdf, tif}));
    KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(tif, O_RDONLY));
    KHOLUU_ASSIGN_OR_RETURN(uint64_t size, f.Size());
    out->packages.push_back(pkg);
    out->files.push_back(tif);
    out->bytes += size;
    as_pdf->push_back(pdf);
  }
  return Status::Ok();
}

// CPU seconds (user + system) of this process and of its waited-for
// children: the cost of a side whatever else runs on the machine.
double CpuSeconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    struct rusage u {};
    ::getrusage(who, &u);
    total += static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
             static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  }
  return total;
}

struct Timed {
  double seconds = 0;
  double cpu_seconds = 0;
  size_t accepted = 0, failed = 0;
};

// Ingests `c` into a fresh archive under `parent` with `workers` workers.
Result<Timed> RunKholuu(const std::string& parent, const Corpus& c, size_t workers, int run) {
  const std::string data = parent + "/archive-" + std::to_string(workers) + "-" + std::to_string(run);
  KHOLUU_ASSIGN_OR_RETURN(auto service, ingest::Service::Init(ingest::DataDir(data), "bench"));
  ingest::IngestOptions o;
  o.preservation.verify.now = static_cast<int64_t>(std::time(nullptr));
  ingest::Ingester ingester(service.get(), o);
  KHOLUU_RETURN_IF_ERROR(SyncFileSystem(parent));
  Timed t;
  const double start = NowSeconds(), cpu_start = CpuSeconds();
  auto results = ingester.IngestMany(c.packages, workers);
  t.seconds = NowSeconds() - start;
  t.cpu_seconds = CpuSeconds() - cpu_start;
  for (const auto& r : results) {
    if (r.ok() && r->status == ingest::ReceiptStatus::kAccepted) {
      ++t.accepted;
    } else {
      ++t.failed;
      if (t.failed == 1) {
        std::cerr << "kholuu-bench ingest: "
                  << (r.ok() ? (r->problems.empty() ? r->detail : r->problems[0].code + " " + r->problems[0].message_en)
                             : r.status().message())
                  << "\n";
      }
    }
  }
  RemoveTree(data).IgnoreError();
  return t;
}

Result<Timed> RunBornReference(const Tools& t, const Corpus& c) {
  const double start = NowSeconds(), cpu_start = CpuSeconds();
  for (const std::string& f : c.files) {
    for (const std::vector<std::string>& argv : {std::vector<std::string>{t.sha256sum, f},
                                                std::vector<std::string>{t.pdfsig, f},
                                                std::vector<std::string>{t.pdftotext, f, "-"}}) {
      KHOLUU_ASSIGN_OR_RETURN(int rc, RunQuiet(argv));
      if (rc != 0 && argv[0] != t.pdfsig) return InternalError(argv[0] + " " + f + " exited with " + std::to_string(rc));
    }
  }
  Timed out;
  out.seconds = NowSeconds() - start;
  out.cpu_seconds = CpuSeconds() - cpu_start;
  return out;
}

Result<Timed> RunScanReference(const Tools& t, const Corpus& c, const std::vector<std::string>& as_pdf,
                               const std::string& scratch) {
  const double start = NowSeconds(), cpu_start = CpuSeconds();
  for (size_t i = 0; i < c.files.size(); ++i) {
    KHOLUU_RETURN_IF_ERROR(RunProcess({"/bin/sh", "-c", "exec \"$@\" >/dev/null 2>&1", "sh", t.gs, "-q", "-dSAFER",
                                       "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dPDFA=2",
                                       "-dPDFACompatibilityPolicy=1", "-sColorConversionStrategy=RGB",
                                       "-o", scratch + "/ref-gs.pdf", as_pdf[i]}));
    KHOLUU_RETURN_IF_ERROR(RunProcess({"/bin/sh", "-c", "exec \"$@\" >/dev/null 2>&1", "sh", t.tesseract, c.files[i],
                                       scratch + "/ref-ocr", "-l", "vie"}));
  }
  Timed out;
  out.seconds = NowSeconds() - start;
  out.cpu_seconds = CpuSeconds() - cpu_start;
  return out;
}

}  // namespace

int RunIngestBench(const std::vector<std::string>& args) {
  uint64_t born = 60, scans = 6, runs = 1;
  bool json = false, keep = false;
  std::string parent;
  FlagReader reader(args);
  while (reader.Next()) {
    const std::string& a = reader.flag();
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (a == "--json" || a == "--keep") {
      (a == "--json" ? json : keep) = true;
    } else if (a == "--born" || a == "--scans") {
      const std::string* v = reader.Value();
      if (v == nullptr) {
        std::cerr << "kholuu-bench ingest: " << a << " needs a value\n";
        return kExitUsage;
      }
      char* end = nullptr;
      const unsigned long long n = std::strtoull(v->c_str(), &end, 10);
      if (end == v->c_str() || *end != '\0' || n > 100000) {
        std::cerr << "kholuu-bench ingest: " << a << " takes a number up to 100000\n";
        return kExitUsage;
      }
      (a == "--born" ? born : scans) = n;
    } else if (a == "--runs") {
      auto v = reader.PositiveValue();
      if (!v.ok()) {
        std::cerr << "kholuu-bench ingest: " << v.status().message() << "\n";
        return kExitUsage;
      }
      runs = *v;
    } else if (a == "--dir") {
      auto v = reader.RequiredValue();
      if (!v.ok()) {
        std::cerr << "kholuu-bench ingest: " << v.status().message() << "\n";
        return kExitUsage;
      }
      parent = *v;
    } else {
      std::cerr << "kholuu-bench ingest: unknown option '" << reader.arg() << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  Tools t;
  for (auto [name, pkg, path] : {std::tuple{"gs", "ghostscript", &t.gs}, std::tuple{"sha256sum", "coreutils", &t.sha256sum},
                                 std::tuple{"pdfsig", "poppler-utils", &t.pdfsig},
                                 std::tuple{"pdftotext", "poppler-utils", &t.pdftotext},
                                 std::tuple{"tesseract", "tesseract-ocr", &t.tesseract},
                                 std::tuple{"tiff2pdf", "libtiff-tools", &t.tiff2pdf}}) {
    Status s = Need(name, pkg, path);
    if (!s.ok()) {
      std::cerr << "kholuu-bench ingest: " << s.message() << "\n";
      return kExitFailed;
    }
  }
  auto scratch = ScratchDir::Create(ScratchParent(parent), "kholuu-bench-ingest-");
  if (!scratch.ok()) {
    std::cerr << "kholuu-bench ingest: " << scratch.status().message() << "\n";
    return kExitFailed;
  }
  scratch->set_keep(keep);
  const std::string dir = scratch->path();
  Corpus born_c, scan_c;
  std::vector<std::string> scan_pdfs;
  std::cerr << "kholuu-bench ingest: generating " << born << " signed PDF/A documents and " << scans << " scans…\n";
  Status made = MakeBorn(dir + "/in", born, &born_c);
  if (made.ok()) made = MakeScans(dir + "/in", scans, t, &scan_c, &scan_pdfs);
  if (!made.ok()) {
    std::cerr << "kholuu-bench ingest: generating the inputs: " << made.message() << "\n";
    return kExitFailed;
  }
  struct Set {
    const char* name;
    const Corpus* corpus;
    std::vector<double> one, two, ref;
    std::vector<double> one_cpu, two_cpu, ref_cpu;
    size_t failed = 0;
  };
  std::vector<Set> sets;
  if (born > 0) sets.push_back({"born-digital signed PDF/A", &born_c, {}, {}, {}, {}, {}, {}, 0});
  if (scans > 0) sets.push_back({"scans (TIFF, conversion + OCR)", &scan_c, {}, {}, {}, {}, {}, {}, 0});
  for (Set& s : sets) {
    const bool is_born = s.corpus == &born_c;
    for (uint64_t r = 0; r < runs; ++r) {
      for (size_t workers : {size_t{1}, size_t{2}}) {
        auto k = RunKholuu(dir, *s.corpus, workers, static_cast<int>(r));
        if (!k.ok()) {
          std::cerr << "kholuu-bench ingest: " << k.status().message() << "\n";
          return kExitFailed;
        }
        s.failed += k->failed;
        (workers == 1 ? s.one : s.two).push_back(k->seconds);
        (workers == 1 ? s.one_cpu : s.two_cpu).push_back(k->cpu_seconds);
      }
      SyncFileSystem(dir).IgnoreError();
      auto ref = is_born ? RunBornReference(t, *s.corpus) : RunScanReference(t, *s.corpus, scan_pdfs, dir);
      if (!ref.ok()) {
        std::cerr << "kholuu-bench ingest: reference: " << ref.status().message() << "\n";
        return kExitFailed;
      }
      s.ref.push_back(ref->seconds);
      s.ref_cpu.push_back(ref->cpu_seconds);
    }
  }
  MachineInfo m = DescribeMachine(dir);
  Json out;
  out["machine"] = {{"cpu", m.cpu_model}, {"nproc", m.nproc}, {"fs", m.fs_type}};
  out["runs"] = runs;
  out["sets"] = Json::array();
  int rc = kExitOk;
  for (const Set& s : sets) {
    const double n = static_cast<double>(s.corpus->packages.size());
    const double mb = static_cast<double>(s.corpus->bytes) / 1e6;
    const double one = Median(s.one), two = Median(s.two), ref = Median(s.ref);
    // CPU milliseconds per document (user + system, tools included).
    const double one_cpu = Median(s.one_cpu) * 1e3 / n, two_cpu = Median(s.two_cpu) * 1e3 / n,
                 ref_cpu = Median(s.ref_cpu) * 1e3 / n;
    Json j = {{"set", s.name},
              {"documents", s.corpus->packages.size()},
              {"bytes", s.corpus->bytes},
              {"failed", s.failed},
              {"kholuu_1_worker",
               {{"seconds", one}, {"docs_per_s", n / one}, {"mb_per_s", mb / one}, {"cpu_ms_per_doc", one_cpu}}},
              {"kholuu_2_workers",
               {{"seconds", two}, {"docs_per_s", n / two}, {"mb_per_s", mb / two}, {"cpu_ms_per_doc", two_cpu}}},
              {"reference",
               {{"seconds", ref}, {"docs_per_s", n / ref}, {"mb_per_s", mb / ref}, {"cpu_ms_per_doc", ref_cpu}}},
              {"two_over_one", one / two},
              {"kholuu_2_workers_over_reference", ref / two}};
    if (s.failed > 0) rc = kExitFailed;
    out["sets"].push_back(j);
    if (!json) {
      std::printf("%s: %zu documents, %.1f MB\n", s.name, s.corpus->packages.size(), mb);
      std::printf("  kholuu, 1 worker   %8.2f docs/s  %7.2f MB/s  (%.2f s, CPU %.1f ms/doc)\n", n / one, mb / one, one,
                  one_cpu);
      std::printf("  kholuu, 2 workers  %8.2f docs/s  %7.2f MB/s  (%.2f s, CPU %.1f ms/doc)  x%.2f of 1 worker\n",
                  n / two, mb / two, two, two_cpu, one / two);
      std::printf("  reference          %8.2f docs/s  %7.2f MB/s  (%.2f s, CPU %.1f ms/doc)  %s\n", n / ref, mb / ref,
                  ref, ref_cpu, s.corpus == &born_c ? "sha256sum + pdfsig + pdftotext" : "gs -dPDFA=2 + tesseract -l vie");
      if (s.failed > 0) std::printf("  %zu package(s) not accepted (see stderr)\n", s.failed);
    }
  }
  out["reference_tools"] = {{"gs", FirstLineOf(t.gs + " --version")},
                            {"tesseract", FirstLineOf(t.tesseract + " --version 2>&1")},
                            {"pdfsig", FirstLineOf(t.pdfsig + " -v 2>&1")}};
  if (json) std::cout << out.dump(2) << "\n";
  return rc;
}

}  // namespace kholuu::bench
