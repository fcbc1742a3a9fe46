// Fuzzes ingest's unpacking and reading of a received package
// (ingest::ReadPackage: staging, safe unpacking, kind detection, format
// identification, the kind's reader and the metadata checks). The first
// byte chooses how the rest is laid out as a package in a fresh folder:
//   0: the bytes as a zip file     1: as a tar file
//   2: as an edXML file            3: as a digitisation sheet (CSV) beside a PDF
//   4: as the JSON sidecar of a PDF 5: as METS.xml of a folder package
// Names are not trusted by intake (it detects by content), so each layout
// may be read as any kind. It must never crash or hang; small caps keep a
// zip bomb from taking long.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "archive/base/file.h"
#include "ingest/intake.h"

namespace {

void Put(const std::string& path, const std::string& bytes) {
  auto f = kholuu::File::Open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (f.ok()) f->WriteAll(bytes).IgnoreError();
}

std::string MakeDir() {
  const char* base = getenv("TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/ingest-fuzz-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) abort();
  return tmpl;
}

const char kPdf[] =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    "3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string root = MakeDir();
  static const kholuu::ManualClock clock(1767225600LL * 1000000);
  if (size == 0) return 0;
  const std::string dir = root + "/p";
  const std::string stage = root + "/stage";
  kholuu::RemoveTree(dir).IgnoreError();
  kholuu::RemoveTree(stage).IgnoreError();
  if (!kholuu::CreateDirs(dir).ok()) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string package;
  switch (data[0] % 6) {
    case 0:
      package = dir + "/goi.zip";
      Put(package, body);
      break;
    case 1:
      package = dir + "/goi.tar";
      Put(package, body);
      break;
    case 2:
      package = dir + "/goi.edxml";
      Put(package, body);
      break;
    case 3:
      Put(dir + "/sheet.csv", body);
      Put(dir + "/1.pdf", kPdf);
      package = dir;
      break;
    case 4:
      Put(dir + "/a.pdf", kPdf);
      Put(dir + "/a.pdf.json", body);
      package = dir;
      break;
    default:
      Put(dir + "/METS.xml", body);
      package = dir;
      break;
  }
  kholuu::ingest::IntakeOptions o;
  o.staging_dir = stage;
  o.organ_id = "000.00.00.G22";
  o.clock = &clock;
  o.max_package_bytes = 64u << 20;
  o.max_file_bytes = 32u << 20;
  o.max_files = 2000;
  o.max_metadata_bytes = 4u << 20;
  auto in = kholuu::ingest::ReadPackage(package, o);
  if (in.ok()) {
    (void)in->HasErrors();
    (void)kholuu::ingest::RefusalReasonVi(*in);
  }
  kholuu::RemoveTree(stage).IgnoreError();
  kholuu::RemoveTree(dir).IgnoreError();
  return 0;
}
