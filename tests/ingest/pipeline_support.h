// Test support for the ingest pipeline's end-to-end tests: packages of every
// kind built with the project's own writers (formats/package ExportPackage,
// formats/bagit WriteBag, the test PKI for signed PDFs, edXML text, CSV
// sheets, JSON sidecars), and a fixture holding a real archive (LMDB, blob
// store, Xapian index) with an Ingester, able to snapshot the archive and
// to check that a document is archived whole (found, bit-exact, preserved or
// at risk, with its events and audit entries). Test-only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/base/clock.h"
#include "ingest/pipeline.h"
#include "ingest/service.h"
#include "tests/formats/package/archive_writer.h"
#include "tests/formats/x509/test_pki.h"
#include "tests/support/temp_dir.h"

namespace kholuu::testing {

// 2026-01-01T00:00:00Z: "today" for the date checks of intake.
constexpr int64_t kPipelineNow = 1767225600LL * 1000000;

// A small complete PDF 1.4 (identifies as PDF, %%EOF at the end).
std::string TinyPdf(const std::string& text);
// A PDF of 1 + `extra_pages` pages signed (detached CMS) by the test PKI's
// signer; different page counts give different bytes.
std::string SignedPdf(int extra_pages = 0);
const TestPki& Pki();

std::string Base64(const std::string& in);

// An edXML document package (QCVN 102:2016) of Văn phòng Chính phủ.
struct EdxmlSpec {
  std::string document_id = "000.00.00.G22,2025/07/01,125/VPCP-TCCB";
  std::string code_number = "125";
  std::string promulgation_date = "2025/07/01";
  std::string subject = "V/v tuyển dụng công chức năm 2025";
  std::string attachments;  // <Attachment> elements (EdxmlAttachment)
  std::string manifest;     // <Reference> elements (EdxmlReference)
  // The XML signature element, verbatim ("" for none).
  std::string signature;
  int business_doc_type = 0;         // 0 new, 1 recall, 2 update, 3 replace
  std::string business_document_id;  // the document a recall/update acts on
};
std::string EdxmlAttachment(const std::string& cid, const std::string& name, const std::string& type,
                            const std::string& bytes);
std::string EdxmlReference(const std::string& cid, const std::string& name, const std::string& type);
std::string Edxml(const EdxmlSpec& s);
// An xmlsec1 signature template (enveloped, RSA-SHA256) for EdxmlSpec::signature.
std::string XmlSignatureTemplate();

// Signs `xml` (with XmlSignatureTemplate() in it) with the xmlsec1 command
// and the test PKI's signer; "" when xmlsec1 is not installed. `work` is a
// scratch directory.
std::string SignWithXmlsec(const std::string& xml, const std::string& work);

// A digitisation sheet (CSV) listing `paths`, one document per row, with
// the given subjects (row i: subjects[i]).
std::string BatchCsv(const std::vector<std::string>& paths, const std::vector<std::string>& subjects);

// A JSON sidecar: record file 000.00.00.G22.2024.01.TCCB and Quyết định số
// `number`/QĐ-VPCP with `subject`; `document_fields` is appended inside
// "document".
std::string SidecarJson(const std::string& subject, int number, const std::string& document_fields = "");

// Vietnamese place names and their forms without diacritics, to give each
// document of a test words of its own.
struct Words {
  std::string vi, ascii;
};
const std::vector<Words>& PlaceNames();

// A TT 05/2025 METS package of record file `file_n` with one document per
// entry of `pdfs` (subject subjects[i]), exported by formats/package.
void ExportMets(const std::string& dir, int file_n, const std::vector<std::string>& pdfs,
                const std::vector<std::string>& subjects);
// Every regular file under `dir`, as archive entries named `prefix` + path.
std::vector<TestEntry> TreeEntries(const std::string& dir, const std::string& prefix);
// A BagIt bag (WriteBag) whose payload is the files of `dir`.
void BagTree(const std::string& dir, const std::string& bag);

// What a refusal must leave untouched.
struct ArchiveSnapshot {
  archive::TableCounts counts;
  std::map<std::string, std::string> blob_files;   // relative path -> sha256 hex
  std::map<std::string, std::string> index_files;  // relative path -> sha256 hex
  uint64_t search_total = 0;                       // of a query matching the seed document
  std::vector<std::string> document_ids;
};

class PipelineTest : public ::testing::Test {
 public:
  void SetUp() override;

  // The ingester's options: organ 000.00.00.G22, the test clock, the test
  // PKI's root as trust anchor, preservation on, OCR off.
  ingest::IngestOptions& options() { return options_; }
  // Ingests `path` with the current options and expects a receipt.
  ingest::Receipt Ingest(const std::string& path);

  ArchiveSnapshot Snapshot();
  // `after` equals `before` except the jobs table and the audit entries of
  // the job `job` itself; no staging directory is left in the spool.
  void ExpectUnchanged(const ArchiveSnapshot& before, const std::string& job);

  // Search for `query` (every access level); the documents hit.
  std::vector<std::string> Find(const std::string& query);

  // The document is archived whole: `original` is one of its originals and
  // comes back bit-exact; it is found by `query_vi` and by `query_ascii`;
  // it has a preservation copy or a recorded risk, an ingestion event, the
  // audit entries of its creation; a signed PDF has its signature report
  // and a signature verification event.
  void ExpectArchived(const ingest::ReceiptDocument& doc, const std::string& original,
                      const std::string& query_vi, const std::string& query_ascii, bool signed_pdf = false);

  std::string Sub(const std::string& name) const { return dir_.Sub(name); }

  TempDir dir_;
  ManualClock clock_{kPipelineNow};
  std::unique_ptr<ingest::Service> service_;
  ingest::IngestOptions options_;
  int outs_ = 0;
};

// The problems of `r` as one line each, for failure messages.
std::string ProblemsText(const ingest::Receipt& r);

}  // namespace kholuu::testing
