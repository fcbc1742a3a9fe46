#include "tools/bench/sig_bench.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/status.h"
#include "formats/pdfsig/pdf_signatures.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench sig [options]\n"
    "\n"
    "Times, in one run and on the same files, kholuu's signature verification\n"
    "(formats/pdfsig VerifyPdfFile, in process, no trust store) and poppler's\n"
    "'pdfsig -nocert FILE' (one process per file, output to /dev/null). Two file\n"
    "sets: every *.pdf under the pyHanko corpus, and signed PDFs generated at run\n"
    "time (a throw-away EC P-256 CA made and used with the openssl command; half\n"
    "the files carry two signatures).\n"
    "Reported: files/s and signatures/s per side (signatures as kholuu counts\n"
    "them), the ratio, and the start-up time of a pdfsig process ('pdfsig -v').\n"
    "\n"
    "options:\n"
    "  --corpus DIR      pyHanko corpus (default $KHOLUU_CORPUS_DIR/pdf-pyhanko,\n"
    "                    else ../shared/corpus/pdf-pyhanko); skipped if missing\n"
    "  --generated N     signed files to generate (default 40; 0 for none)\n"
    "  --size KIB        approximate size of each generated file (default 256)\n"
    "  --runs N          timed runs per side, alternating, median reported (default 3)\n"
    "  --pdfsig PATH     poppler's pdfsig (default /usr/bin/pdfsig)\n"
    "  --openssl PATH    the openssl command, to sign generated files (default /usr/bin/openssl)\n"
    "  --dir DIR         where the scratch directory is made (default $TMPDIR or /tmp)\n"
    "  --json            one JSON document instead of the table\n"
    "  --keep            keep the scratch directory (the generated files)\n"
    "  --help            this text\n";

// The throw-away PKI of the generated files, made with the openssl command
// (OpenSSL's library stays inside formats/ and archive/base, see
// tools/ci/check_layering.sh): a CA and two signers, EC P-256.
struct BenchPki {
  std::string openssl;
  std::string dir;
  std::string Key(const std::string& who) const { return dir + "/" + who + ".key"; }
  std::string Cert(const std::string& who) const { return dir + "/" + who + ".pem"; }
};

Status RunOk(const std::vector<std::string>& argv) {
  KHOLUU_ASSIGN_OR_RETURN(int rc, RunQuiet(argv));
  if (rc != 0) return InternalError(argv[0] + " " + argv[1] + " exited with status " + std::to_string(rc));
  return Status::Ok();
}

Status MakePki(const BenchPki& pki) {
  const std::string ec = "-newkey", ec_opt = "ec", curve = "ec_paramgen_curve:P-256";
  KHOLUU_RETURN_IF_ERROR(RunOk({pki.openssl, "req", "-x509", ec, ec_opt, "-pkeyopt", curve, "-nodes", "-keyout",
                                pki.Key("ca"), "-out", pki.Cert("ca"), "-days", "2", "-subj",
                                "/C=VN/CN=kholuu-bench CA TEST", "-addext", "basicConstraints=critical,CA:TRUE"}));
  for (const char* who : {"signer", "seal"}) {
    std::string csr = pki.dir + "/" + who + ".csr";
    KHOLUU_RETURN_IF_ERROR(RunOk({pki.openssl, "req", "-new", ec, ec_opt, "-pkeyopt", curve, "-nodes", "-keyout",
                                  pki.Key(who), "-out", csr, "-subj",
                                  std::string("/C=VN/CN=kholuu-bench ") + who + " TEST"}));
    KHOLUU_RETURN_IF_ERROR(RunOk({pki.openssl, "x509", "-req", "-in", csr, "-CA", pki.Cert("ca"), "-CAkey",
                                  pki.Key("ca"), "-CAcreateserial", "-out", pki.Cert(who), "-days", "2"}));
  }
  return Status::Ok();
}

// Detached CMS (DER) over `content`, by `who`, with the CA certificate.
Result<std::string> SignDetached(std::string_view content, const BenchPki& pki, const std::string& who) {
  const std::string in = pki.dir + "/content.bin", out = pki.dir + "/signature.der";
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(in, content));
  KHOLUU_RETURN_IF_ERROR(RunOk({pki.openssl, "cms", "-sign", "-binary", "-nosmimecap", "-md", "sha256", "-in", in,
                                "-signer", pki.Cert(who), "-inkey", pki.Key(who), "-certfile", pki.Cert("ca"),
                                "-outform", "DER", "-out", out}));
  return ReadFileToString(out, 1u << 20);
}

std::string Pad10(size_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010zu", v);
  return buf;
}

// A one-page PDF whose content stream is about `size` bytes, signed by
// `signers` in turn, each in its own incremental update (classic xref).
Result<std::string> SignedPdf(size_t size, const std::vector<std::string>& signers, const BenchPki& pki) {
  std::string content = "BT /F1 10 Tf 72 800 Td 12 TL\n";
  for (int line = 0; content.size() < size; ++line) {
    content += "(Dong " + std::to_string(line) + ": van ban thu nghiem TEST, khong co gia tri phap ly) '\n";
  }
  content += "ET";
  OnePagePdf base = MakeOnePagePdf(content, /*helvetica=*/false);
  std::string pdf = std::move(base.bytes);
  size_t xref = base.xref_offset;
  std::string fields;
  int next = base.next_object;
  for (const std::string& who : signers) {
    int sig = next++, field = next++;
    fields += std::to_string(field) + " 0 R ";
    const std::string placeholder = "/ByteRange [0 0000000000 0000000000 0000000000]";
    std::vector<std::pair<int, std::string>> objs = {
        {1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + fields + "] /SigFlags 3 >> >>"},
        {3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [" + fields + "] >>"},
        {sig, "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached " + placeholder +
                  " /Contents <" + std::string(8192 * 2, '0') + "> /M (D:20250115093000+07'00') >>"},
        {field, "<< /FT /Sig /T (Sig" + std::to_string(field) + ") /V " + std::to_string(sig) +
                    " 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>"}};
    pdf += "\n";
    std::string table;
    for (const auto& [num, body] : objs) {
      table += std::to_string(num) + " 1\n" + Pad10(pdf.size()) + " 00000 n \n";
      pdf += std::to_string(num) + " 0 obj\n" + body + "\nendobj\n";
    }
    size_t this_xref = pdf.size();
    pdf += "xref\n" + table + "trailer\n<< /Size " + std::to_string(next) + " /Root 1 0 R /Prev " +
           std::to_string(xref) + " >>\nstartxref\n" + std::to_string(this_xref) + "\n%%EOF\n";
    xref = this_xref;
    size_t br_at = pdf.rfind(placeholder);
    size_t cb = pdf.find("/Contents <", br_at) + 10;
    size_t ce = pdf.find('>', cb) + 1;
    std::string br = "/ByteRange [0 " + Pad10(cb) + " " + Pad10(ce) + " " + Pad10(pdf.size() - ce) + "]";
    pdf.replace(br_at, br.size(), br);
    KHOLUU_ASSIGN_OR_RETURN(std::string der, SignDetached(pdf.substr(0, cb) + pdf.substr(ce), pki, who));
    if (der.size() > 8192) return InternalError("signature larger than its placeholder");
    static const char kDigits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < der.size(); ++i) {
      auto u = static_cast<unsigned char>(der[i]);
      pdf[cb + 1 + 2 * i] = kDigits[u >> 4];
      pdf[cb + 2 + 2 * i] = kDigits[u & 15];
    }
  }
  return pdf;
}

struct Side {
  std::vector<double> seconds;
  double median() const { return Median(seconds); }
};

struct SetResult {
  std::string name;
  std::vector<std::string> files;
  uint64_t bytes = 0;
  uint64_t signatures = 0;      // as kholuu counts them
  uint64_t kholuu_errors = 0;   // files VerifyPdfFile refused (not a PDF...)
  uint64_t pdfsig_crashes = 0;  // pdfsig killed by a signal
  Side kholuu, pdfsig;
};

// One pass of kholuu over the files. Returns signatures found.
uint64_t KholuuPass(const std::vector<std::string>& files, uint64_t* errors) {
  formats::pdfsig::VerifyOptions options;  // no trust store: like -nocert
  options.now = static_cast<int64_t>(std::time(nullptr));
  uint64_t sigs = 0;
  *errors = 0;
  for (const std::string& f : files) {
    auto r = formats::pdfsig::VerifyPdfFile(f, options);
    if (r.ok()) {
      sigs += r->signatures.size();
    } else {
      ++*errors;
    }
  }
  return sigs;
}

Status PdfsigPass(const std::string& pdfsig, const std::vector<std::string>& files, uint64_t* crashes) {
  *crashes = 0;
  for (const std::string& f : files) {
    KHOLUU_ASSIGN_OR_RETURN(int rc, RunQuiet({pdfsig, "-nocert", f}));
    if (rc >= 128) ++*crashes;
  }
  return Status::Ok();
}

Status Measure(const std::string& pdfsig, int runs, SetResult* set) {
  // Warm-up: one untimed pass of each side (page cache, lazy initialisation).
  uint64_t errors = 0, crashes = 0;
  set->signatures = KholuuPass(set->files, &errors);
  set->kholuu_errors = errors;
  KHOLUU_RETURN_IF_ERROR(PdfsigPass(pdfsig, set->files, &crashes));
  set->pdfsig_crashes = crashes;
  for (int r = 0; r < runs; ++r) {
    double t0 = NowSeconds();
    KholuuPass(set->files, &errors);
    double t1 = NowSeconds();
    KHOLUU_RETURN_IF_ERROR(PdfsigPass(pdfsig, set->files, &crashes));
    double t2 = NowSeconds();
    set->kholuu.seconds.push_back(t1 - t0);
    set->pdfsig.seconds.push_back(t2 - t1);
  }
  return Status::Ok();
}

}  // namespace

int RunSigBench(const std::vector<std::string>& args) {
  std::string corpus = CorpusDir() + "/pdf-pyhanko";
  std::string pdfsig = "/usr/bin/pdfsig";
  std::string openssl = "/usr/bin/openssl";
  std::string parent;
  uint64_t generated = 40, size_kib = 256, runs = 3;
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
    } else if ((a == "--corpus" || a == "--pdfsig" || a == "--openssl" || a == "--dir") && (v = reader.Value()) != nullptr) {
      (a == "--corpus" ? corpus : a == "--pdfsig" ? pdfsig : a == "--openssl" ? openssl : parent) = *v;
    } else if ((a == "--generated" || a == "--size" || a == "--runs") && (v = reader.Value()) != nullptr) {
      uint64_t n = 0;
      if (a == "--generated" && *v == "0") {
        generated = 0;
        continue;
      }
      auto parsed = ParsePositive(a, *v);
      if (!parsed.ok()) {
        std::cerr << "kholuu-bench sig: " << parsed.status().message() << "\n" << kUsage;
        return kExitUsage;
      }
      n = *parsed;
      (a == "--generated" ? generated : a == "--size" ? size_kib : runs) = n;
    } else {
      std::cerr << "kholuu-bench sig: bad argument '" << a << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  if (generated > 0 && access(openssl.c_str(), X_OK) != 0) {
    std::cerr << "kholuu-bench sig: " << openssl << " is not executable (needed to sign the generated files)\n";
    return kExitFailed;
  }
  if (access(pdfsig.c_str(), X_OK) != 0) {
    std::cerr << "kholuu-bench sig: " << pdfsig << " is not executable (apt-get install poppler-utils)\n";
    return kExitFailed;
  }
  parent = ScratchParent(parent);
  auto scratch = ScratchDir::Create(parent, "kholuu-sig-bench");
  if (!scratch.ok()) {
    std::cerr << "kholuu-bench sig: " << scratch.status().message() << "\n";
    return kExitFailed;
  }
  scratch->set_keep(keep);

  std::vector<SetResult> sets;
  std::error_code ec;
  if (std::filesystem::is_directory(corpus, ec)) {
    SetResult s;
    s.name = "pdf-pyhanko";
    for (const auto& e : std::filesystem::recursive_directory_iterator(corpus, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".pdf") {
        s.files.push_back(e.path().string());
        s.bytes += e.file_size();
      }
    }
    std::sort(s.files.begin(), s.files.end());
    if (!s.files.empty()) sets.push_back(std::move(s));
  } else {
    std::cerr << "kholuu-bench sig: corpus " << corpus << " not found; only generated files are measured\n";
  }
  if (generated > 0) {
    BenchPki pki{openssl, scratch->path()};
    if (Status st = MakePki(pki); !st.ok()) {
      std::cerr << "kholuu-bench sig: test PKI: " << st.message() << "\n";
      return kExitFailed;
    }
    SetResult s;
    s.name = "generated";
    for (uint64_t i = 0; i < generated; ++i) {
      std::vector<std::string> who = {"signer"};
      if (i % 2 == 1) who.push_back("seal");
      auto pdf = SignedPdf(size_kib * 1024, who, pki);
      if (!pdf.ok()) {
        std::cerr << "kholuu-bench sig: generating: " << pdf.status().message() << "\n";
        return kExitFailed;
      }
      std::string path = scratch->path() + "/signed-" + std::to_string(i) + ".pdf";
      if (Status w = WriteFileAtomic(path, *pdf); !w.ok()) {
        std::cerr << "kholuu-bench sig: " << w.message() << "\n";
        return kExitFailed;
      }
      s.files.push_back(path);
      s.bytes += pdf->size();
    }
    sets.push_back(std::move(s));
  }
  if (sets.empty()) {
    std::cerr << "kholuu-bench sig: no files to measure\n";
    return kExitFailed;
  }

  // Start-up cost of one pdfsig process, to read its per-file figure with.
  std::vector<double> startup;
  for (int i = 0; i < 20; ++i) {
    double t0 = NowSeconds();
    if (!RunQuiet({pdfsig, "-v"}).ok()) break;
    startup.push_back(NowSeconds() - t0);
  }
  for (SetResult& s : sets) {
    if (Status st = Measure(pdfsig, static_cast<int>(runs), &s); !st.ok()) {
      std::cerr << "kholuu-bench sig: " << st.message() << "\n";
      return kExitFailed;
    }
  }

  MachineInfo m = DescribeMachine(scratch->path());
  Json out;
  out["machine"] = {{"cpu", m.cpu_model}, {"nproc", m.nproc}, {"kernel", m.kernel}};
  out["pdfsig"] = {{"path", pdfsig}, {"version", FirstLineOf(pdfsig + " -v 2>&1")},
                   {"startup_seconds_median", Median(startup)}};
  out["runs"] = runs;
  out["sets"] = Json::array();
  for (const SetResult& s : sets) {
    double k = s.kholuu.median(), p = s.pdfsig.median();
    auto n = static_cast<double>(s.files.size());
    auto sig = static_cast<double>(s.signatures);
    out["sets"].push_back({{"name", s.name},
                           {"files", s.files.size()},
                           {"bytes", s.bytes},
                           {"signatures", s.signatures},
                           {"kholuu_refused_files", s.kholuu_errors},
                           {"pdfsig_crashed_files", s.pdfsig_crashes},
                           {"kholuu", {{"seconds", k}, {"files_per_s", n / k}, {"signatures_per_s", sig / k}}},
                           {"pdfsig", {{"seconds", p}, {"files_per_s", n / p}, {"signatures_per_s", sig / p}}},
                           {"speedup", p / k}});
  }
  if (json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "kholuu-bench sig: " << m.cpu_model << ", " << m.nproc << " CPUs; " << runs
            << " timed runs per side, median\n"
            << "pdfsig: " << out["pdfsig"]["version"].get<std::string>() << ", process start-up "
            << Fixed(Median(startup) * 1000, 1) << " ms\n\n";
  std::printf("%-12s %6s %9s %6s | %12s %12s | %12s %12s | %7s\n", "set", "files", "MiB", "sigs", "kholuu f/s",
              "kholuu sig/s", "pdfsig f/s", "pdfsig sig/s", "ratio");
  for (const auto& s : out["sets"]) {
    std::printf("%-12s %6zu %9.1f %6llu | %12.1f %12.1f | %12.1f %12.1f | %6.1fx\n",
                s["name"].get<std::string>().c_str(), s["files"].get<size_t>(),
                static_cast<double>(s["bytes"].get<uint64_t>()) / (1 << 20),
                static_cast<unsigned long long>(s["signatures"].get<uint64_t>()),
                s["kholuu"]["files_per_s"].get<double>(), s["kholuu"]["signatures_per_s"].get<double>(),
                s["pdfsig"]["files_per_s"].get<double>(), s["pdfsig"]["signatures_per_s"].get<double>(),
                s["speedup"].get<double>());
  }
  return kExitOk;
}

}  // namespace kholuu::bench
