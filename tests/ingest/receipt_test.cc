// ingest/receipt.h: the transfer receipt (biên bản giao nhận), the file list
// (mục lục hồ sơ) and the refusal notice of ingested packages, as JSON and as
// PDF/A-2b: checked against the catalog, validated by our validator, read
// back with poppler's pdftotext, and sealed with the archive's key.
#include "ingest/receipt.h"

#include <gtest/gtest.h>

#include <ctime>
#include <set>
#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "ingest/checks.h"
#include "ingest/pipeline.h"
#include "ingest/seal_key.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::ingest {
namespace {

using testing::StatusIs;
using testing::TempDir;
using testing::WriteTestFile;

const char kOriginal[] =
    "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN\nQuyết định phê duyệt danh mục hồ sơ nộp lưu năm 2024.\n";

std::string Sidecar(const std::string& file_fields) {
  return R"({"record_file": {"file_code": "000.00.00.H41.2024.01.VP",
      "title": "Hồ sơ nộp lưu của Văn phòng năm 2024", "maintenance": "Vĩnh viễn", "rights": "Công khai",
      "start_date": "05/01/2024", "end_date": "20/12/2024"},
    "document": {"type_name": "Quyết định", "code_number": "125", "code_notation": "QĐ-UBND",
      "issued_date": "15/03/2024", "organ_id": "000.00.00.H41", "organ_name": "Ủy ban nhân dân tỉnh Nghệ An",
      "subject": "Quyết định phê duyệt danh mục hồ sơ nộp lưu vào Lưu trữ lịch sử tỉnh",
      "page_amount": 3,
      "signers": [{"position": "Chủ tịch", "full_name": "Nguyễn Văn An"}])" +
         file_fields + "}}";
}

std::string PdfToText(const TempDir& dir, const std::string& pdf) {
  const std::string path = dir.Sub("receipt-text.pdf");
  WriteTestFile(path, pdf);
  testing::RunResult r = testing::Run({"/usr/bin/pdftotext", "-enc", "UTF-8", path, "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Cells wrap: one space for every run of white space.
  std::string out;
  for (char c : r.out) {
    const bool white = c == ' ' || c == '\n' || c == '\f' || c == '\t';
    if (!white) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  return out;
}

class ReceiptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(service_, Service::Init(data_, "test:receipt"));
    IngestOptions o;
    o.organ_id = "000.00.00.H41";
    o.preserve = false;  // keep it fast: the originals only
    o.index = false;
    ingester_ = std::make_unique<Ingester>(service_.get(), o);
  }

  // Ingests a sidecar pair; `file_fields` are added to the document.
  Receipt IngestPair(const std::string& name, const std::string& file_fields) {
    const std::string dir = dir_.Sub("pkg-" + name);
    EXPECT_OK(CreateDirs(dir));
    WriteTestFile(dir + "/qd-125.txt", kOriginal);
    WriteTestFile(dir + "/qd-125.txt.json", Sidecar(file_fields));
    auto r = ingester_->Ingest(dir);
    EXPECT_OK(r.status());
    return r.ok() ? *r : Receipt{};
  }

  TempDir dir_;
  DataDir data_{dir_.Sub("data")};
  std::unique_ptr<Service> service_;
  std::unique_ptr<Ingester> ingester_;
};

TEST_F(ReceiptTest, TransferReceiptMatchesTheCatalog) {
  Receipt in = IngestPair("ok", R"(, "file": {"sha256": ")" + Sha256Of(kOriginal).ToHex() + R"("})");
  ASSERT_EQ(in.status, ReceiptStatus::kAccepted) << in.detail;
  ASSERT_EQ(in.documents.size(), 1u);

  ASSERT_OK_AND_ASSIGN(TransferReceipt rc, BuildReceipt(*service_, in.job));
  EXPECT_EQ(rc.kind, ReceiptKind::kTransfer);
  EXPECT_EQ(rc.job, in.job);
  EXPECT_EQ(rc.number, "BB-" + in.job.substr(0, 12));
  EXPECT_EQ(rc.state, "accepted");
  EXPECT_EQ(rc.package_kind, "sidecar");
  EXPECT_EQ(rc.sender_organ_id, "000.00.00.H41");
  EXPECT_EQ(rc.sender_organ_name, "Ủy ban nhân dân tỉnh Nghệ An");
  ASSERT_EQ(rc.record_files.size(), 1u);
  EXPECT_EQ(rc.record_files[0].file_code, in.record_file);
  EXPECT_EQ(rc.record_files[0].maintenance, "Vĩnh viễn");
  EXPECT_EQ(rc.record_files[0].documents, 1);
  ASSERT_EQ(rc.documents.size(), 1u);
  const ReceiptListEntry& e = rc.documents[0];
  ASSERT_OK_AND_ASSIGN(Described d, service_->Describe(in.documents[0].id));
  ASSERT_TRUE(d.document.has_value());
  EXPECT_EQ(e.id, d.document->id);
  EXPECT_EQ(e.code, "125/QĐ-UBND");
  EXPECT_EQ(e.issued_date, d.document->issued_date);
  EXPECT_EQ(e.issued_date, "2024-03-15");
  EXPECT_EQ(e.subject, d.document->subject);
  EXPECT_EQ(e.organ_name, "Ủy ban nhân dân tỉnh Nghệ An");
  EXPECT_EQ(e.pages, 3);
  EXPECT_EQ(e.maintenance, "Vĩnh viễn");
  ASSERT_EQ(e.originals.size(), 1u);
  EXPECT_EQ(e.originals[0].name, "qd-125.txt");
  EXPECT_EQ(e.originals[0].sha256, Sha256Of(kOriginal).ToHex());
  EXPECT_EQ(e.originals[0].size, sizeof kOriginal - 1);
  EXPECT_EQ(rc.total_bytes, sizeof kOriginal - 1);

  // A unique prefix finds the job; a malformed id or an unknown one does not.
  ASSERT_OK_AND_ASSIGN(TransferReceipt by_prefix, BuildReceipt(*service_, in.job.substr(0, 10)));
  EXPECT_EQ(by_prefix.job, in.job);
  EXPECT_THAT(BuildReceipt(*service_, "xyz").status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(BuildReceipt(*service_, std::string(64, '0')).status(), StatusIs(StatusCode::kNotFound));

  // JSON: the documented shape.
  nlohmann::json j = nlohmann::json::parse(ReceiptJson(rc));
  EXPECT_EQ(j["format"], "kholuu.receipt/1");
  EXPECT_EQ(j["kind"], "transfer_receipt");
  EXPECT_EQ(j["job"], in.job);
  EXPECT_EQ(j["sender"]["organ_id"], "000.00.00.H41");
  EXPECT_EQ(j["record_files"][0]["maintenance"], "Vĩnh viễn");
  EXPECT_EQ(j["documents"][0]["code"], "125/QĐ-UBND");
  EXPECT_EQ(j["documents"][0]["originals"][0]["sha256"], Sha256Of(kOriginal).ToHex());
  EXPECT_EQ(j["totals"]["documents"], 1);
  EXPECT_TRUE(j["problems"].is_array());
  nlohmann::json list = nlohmann::json::parse(ReceiptJson(rc, /*list_only=*/true));
  EXPECT_EQ(list["kind"], "file_list");
  EXPECT_FALSE(list.contains("problems"));
  EXPECT_EQ(list["documents"][0]["subject"], d.document->subject);

  // PDF: valid PDF/A-2b, Vietnamese text with diacritics, the số/ký hiệu.
  ReceiptPdfOptions po;
  ASSERT_OK_AND_ASSIGN(ReceiptPdf p, RenderReceiptPdf(data_, rc, po));
  EXPECT_FALSE(p.sealed);  // no seal key installed
  std::printf("transfer receipt: %zu bytes, %d pages, %.3f s\n", p.pdf.size(), p.pages, p.seconds);
  ASSERT_OK_AND_ASSIGN(pdfa::PdfaReport v, pdfa::ValidatePdfa(p.pdf, pdfa::PdfaProfile::k2b));
  EXPECT_TRUE(v.compliant) << (v.violations.empty() ? "" : v.violations[0].clause + " " + v.violations[0].message);
  const std::string text = PdfToText(dir_, p.pdf);
  for (const char* want : {"BIÊN BẢN", "Về việc giao nhận hồ sơ, tài liệu nộp lưu", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                           "MỤC LỤC HỒ SƠ", "125/QĐ-UBND", "Ủy ban nhân dân tỉnh Nghệ An", "Vĩnh viễn",
                           "Hồ sơ nộp lưu của Văn phòng năm 2024", "qd-125.txt"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }

  ReceiptPdfOptions list_only;
  list_only.list_only = true;
  ASSERT_OK_AND_ASSIGN(ReceiptPdf l, RenderReceiptPdf(data_, rc, list_only));
  const std::string list_text = PdfToText(dir_, l.pdf);
  EXPECT_NE(list_text.find("MỤC LỤC VĂN BẢN"), std::string::npos);
  EXPECT_EQ(list_text.find("BIÊN BẢN"), std::string::npos);
}

TEST_F(ReceiptTest, SealedReceiptVerifiesAndStillValidates) {
  Receipt in = IngestPair("seal", "");
  ASSERT_EQ(in.status, ReceiptStatus::kAccepted) << in.detail;
  SealKeySource source;
  source.subject = "CN=Kho lưu trữ thử nghiệm,O=kholuu test,C=VN";
  source.now = static_cast<int64_t>(std::time(nullptr));
  ASSERT_OK(InstallSealKey(data_, source, false).status());

  ASSERT_OK_AND_ASSIGN(TransferReceipt rc, BuildReceipt(*service_, in.job));
  ASSERT_OK_AND_ASSIGN(ReceiptPdf p, RenderReceiptPdf(data_, rc));
  EXPECT_TRUE(p.sealed);
  EXPECT_FALSE(p.timestamped);
  ASSERT_OK_AND_ASSIGN(pdfa::PdfaReport v, pdfa::ValidatePdfa(p.pdf, pdfa::PdfaProfile::k2b));
  EXPECT_TRUE(v.compliant) << (v.violations.empty() ? "" : v.violations[0].clause + " " + v.violations[0].message);
  ASSERT_OK_AND_ASSIGN(pdfsig::PdfReport sig, pdfsig::VerifyPdfSignatures(p.pdf, pdfsig::VerifyOptions{}));
  ASSERT_EQ(sig.signatures.size(), 1u);
  EXPECT_EQ(sig.signatures[0].integrity, x509::Integrity::kValid);
  EXPECT_TRUE(sig.signatures[0].covers_whole_document);
  EXPECT_NE(PdfToText(dir_, p.pdf).find("125/QĐ-UBND"), std::string::npos);

  // seal = false: never sealed, even with a key.
  ReceiptPdfOptions no_seal;
  no_seal.seal = false;
  ASSERT_OK_AND_ASSIGN(ReceiptPdf plain, RenderReceiptPdf(data_, rc, no_seal));
  EXPECT_FALSE(plain.sealed);
}

TEST_F(ReceiptTest, RefusalNoticeListsEveryProblem) {
  Receipt in = IngestPair("bad", R"(, "file": {"sha256": ")" + std::string(64, 'a') + R"(", "size": 3})");
  ASSERT_EQ(in.status, ReceiptStatus::kRejected);
  ASSERT_OK_AND_ASSIGN(TransferReceipt rc, BuildReceipt(*service_, in.job));
  EXPECT_EQ(rc.kind, ReceiptKind::kRefusal);
  EXPECT_EQ(rc.number, "TB-" + in.job.substr(0, 12));
  EXPECT_TRUE(rc.documents.empty());
  std::set<std::string> codes;
  for (const model::JobProblem& p : rc.problems) codes.insert(p.code);
  EXPECT_TRUE(codes.count("file.checksum_mismatch"));
  EXPECT_TRUE(codes.count("file.size_mismatch"));

  nlohmann::json j = nlohmann::json::parse(ReceiptJson(rc));
  EXPECT_EQ(j["kind"], "refusal_notice");
  EXPECT_EQ(j["state"], "rejected");
  ASSERT_EQ(j["problems"].size(), rc.problems.size());
  for (const auto& p : j["problems"]) {
    EXPECT_FALSE(p["message_vi"].get<std::string>().empty());
    EXPECT_FALSE(p["message"].get<std::string>().empty());
  }

  ASSERT_OK_AND_ASSIGN(ReceiptPdf p, RenderReceiptPdf(data_, rc));
  ASSERT_OK_AND_ASSIGN(pdfa::PdfaReport v, pdfa::ValidatePdfa(p.pdf, pdfa::PdfaProfile::k2b));
  EXPECT_TRUE(v.compliant);
  const std::string text = PdfToText(dir_, p.pdf);
  EXPECT_NE(text.find("THÔNG BÁO"), std::string::npos) << text;
  EXPECT_NE(text.find("từ chối tiếp nhận"), std::string::npos) << text;
  for (const std::string& code : codes) EXPECT_NE(text.find(code), std::string::npos) << code << "\n" << text;
  for (const model::JobProblem& pr : rc.problems) {
    EXPECT_NE(text.find(pr.path), std::string::npos) << pr.path;
  }
  // A refused package has no file list.
  ReceiptPdfOptions list_only;
  list_only.list_only = true;
  EXPECT_THAT(RenderReceiptPdf(data_, rc, list_only).status(),
              StatusIs(StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace kholuu::ingest
