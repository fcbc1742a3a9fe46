// The ingest pipeline end to end, for every package kind, on a real archive
// (LMDB catalog, blob store, Xapian index): edXML with a signed PDF, TT 05
// METS as folder, zip and tar, a digitisation batch, JSON sidecars, BagIt
// bags. After each, every document is found by a Vietnamese query with and
// without diacritics (the index fed from the outbox), its original comes
// back bit-exact, and its preservation copy or risk, signature report,
// events and audit entries are there. The real inputs of $KHOLUU_CORPUS_DIR
// (the BagIt conformance suite, pyHanko's signed PDFs, real scans) are used
// when present; the tests on them skip with a message otherwise.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/edxml/edxml.h"
#include "tests/ingest/pipeline_support.h"
#include "tests/support/status_matchers.h"

namespace kholuu::testing {
namespace {

using ingest::Receipt;
using ingest::ReceiptStatus;

std::vector<std::string> Subdirs(const std::string& dir) {
  std::vector<std::string> out;
  auto names = ListDir(dir);
  if (!names.ok()) return out;
  for (const std::string& n : *names) {
    if (IsDirectory(JoinPath(dir, n))) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class PipelineE2eTest : public PipelineTest {};

// ---------------------------------------------------------------- edXML

TEST_F(PipelineE2eTest, EdxmlWithASignedPdfAttachment) {
  const std::string pdf = SignedPdf();
  EdxmlSpec s;
  s.subject = "V/v phòng chống thiên tai tỉnh Quảng Ninh năm 2025";
  s.manifest = EdxmlReference("1", "125-VPCP.pdf", "application/pdf");
  s.attachments = EdxmlAttachment("1", "125-VPCP.pdf", "application/pdf", pdf);
  const std::string xml = Edxml(s);
  WriteTestFile(Sub("goi.edxml"), xml);

  const Receipt r = Ingest(Sub("goi.edxml"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  EXPECT_EQ(r.kind, ingest::PackageKind::kEdxml);
  EXPECT_EQ(r.job, Sha256Of(xml).ToHex());
  ASSERT_EQ(r.documents.size(), 1u);
  EXPECT_EQ(r.documents[0].action, "stored");
  ExpectArchived(r.documents[0], pdf, "phòng chống thiên tai", "phong chong thien tai", /*signed_pdf=*/true);
  // The edXML message itself is kept bit-exact with its document.
  ASSERT_OK_AND_ASSIGN(ingest::Described d, service_->Describe(r.documents[0].id));
  bool message_kept = false;
  for (const std::string& c : d.components) {
    ASSERT_OK_AND_ASSIGN(ingest::Described cd, service_->Describe(c));
    if (cd.component->sha256 == Sha256Of(xml)) {
      ASSERT_OK(service_->Retrieve(c, model::ComponentRole::kOriginal, Sub("message.xml")).status());
      message_kept = ReadTestFile(Sub("message.xml")) == xml;
    }
  }
  EXPECT_TRUE(message_kept);
  EXPECT_EQ(d.document->edxml_document_id, s.document_id);
  // Acceptance is answered with a Status package 03 that our reader reads.
  EXPECT_EQ(r.edxml_status_code, "03");
  StringSource src(r.edxml_status);
  ASSERT_OK_AND_ASSIGN(formats::edxml::Message reply, formats::edxml::Parse(src));
  EXPECT_EQ(reply.kind, formats::edxml::Kind::kStatus);
  EXPECT_EQ(reply.status_code, "03");
}

// A real sender's package with xlink:href but no xmlns:xlink is archived;
// the recovery is a warning event on the document's record.
TEST_F(PipelineE2eTest, EdxmlWithAnUndeclaredPrefixIsArchivedWithAWarningEvent) {
  const std::string pdf = SignedPdf();
  EdxmlSpec s;
  s.manifest = EdxmlReference("1", "125-VPCP.pdf", "application/pdf");
  s.attachments = EdxmlAttachment("1", "125-VPCP.pdf", "application/pdf", pdf);
  std::string xml = Edxml(s);
  const size_t at = xml.find("<edXML:Reference>");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, std::string("<edXML:Reference>").size(), "<edXML:Reference xlink:href=\"cid:1\">");
  WriteTestFile(Sub("xlink.edxml"), xml);
  const Receipt r = Ingest(Sub("xlink.edxml"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  ASSERT_EQ(r.documents.size(), 1u);
  ASSERT_OK_AND_ASSIGN(ingest::Described d, service_->Describe(r.documents[0].id));
  bool warned = false;
  for (const model::Event& e : d.events) {
    warned = warned || (e.type == model::EventType::kValidation && e.outcome == model::EventOutcome::kWarning &&
                        e.detail.find("edxml.namespace-undeclared") != std::string::npos &&
                        e.detail.find("'xlink'") != std::string::npos);
  }
  EXPECT_TRUE(warned);
}

// Regression: the pipeline verified the XML signature of "the staged
// package" at Intake::staged_root, which for a loose edXML file was the
// staging folder, not the file: every XML-signed package was refused as
// signature.unverifiable, and the edXML message was never kept.
TEST_F(PipelineE2eTest, EdxmlWithAValidXmlSignatureIsAcceptedAndKept) {
  const std::string pdf = TinyPdf("công văn ký số XML");
  EdxmlSpec s;
  s.subject = "V/v báo cáo kết quả chuyển đổi số tỉnh Bình Định";
  s.signature = XmlSignatureTemplate();
  s.manifest = EdxmlReference("1", "cv.pdf", "application/pdf");
  s.attachments = EdxmlAttachment("1", "cv.pdf", "application/pdf", pdf);
  const std::string xml = SignWithXmlsec(Edxml(s), Sub("sign"));
  if (xml.empty()) GTEST_SKIP() << "xmlsec1 (the command) is not installed";
  WriteTestFile(Sub("signed.edxml"), xml);
  const Receipt r = Ingest(Sub("signed.edxml"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  ASSERT_EQ(r.documents.size(), 1u);
  ExpectArchived(r.documents[0], pdf, "chuyển đổi số Bình Định", "chuyen doi so binh dinh");
  // The signed message itself, bit-exact: the XML signature stays checkable.
  ASSERT_OK_AND_ASSIGN(ingest::Described d, service_->Describe(r.documents[0].id));
  bool message_kept = false;
  for (const std::string& c : d.components) {
    ASSERT_OK_AND_ASSIGN(ingest::Described cd, service_->Describe(c));
    if (cd.component->sha256 == Sha256Of(xml)) {
      ASSERT_OK(service_->Retrieve(c, model::ComponentRole::kOriginal, Sub("message.xml")).status());
      message_kept = ReadTestFile(Sub("message.xml")) == xml;
    }
  }
  EXPECT_TRUE(message_kept);
}

// ---------------------------------------------------------------- METS

enum class MetsForm { kDir, kZip, kTar };

class MetsE2eTest : public PipelineTest, public ::testing::WithParamInterface<MetsForm> {};

TEST_P(MetsE2eTest, Tt05PackageIsArchived) {
  const std::vector<std::string> pdfs = {TinyPdf("văn bản 1"), SignedPdf()};
  const std::vector<std::string> subjects = {"Quyết định thành lập hội đồng thi tuyển tỉnh Lạng Sơn",
                                             "Quyết định công nhận kết quả thi tuyển tỉnh Cà Mau"};
  ExportMets(Sub("pkg"), 1, pdfs, subjects);
  std::string path = Sub("pkg");
  if (GetParam() != MetsForm::kDir) {
    path = Sub(GetParam() == MetsForm::kZip ? "pkg.zip" : "pkg.tar");
    WriteTestArchive(path, GetParam() == MetsForm::kZip ? TestFormat::kZip : TestFormat::kTar,
                     TreeEntries(Sub("pkg"), "goi-tt05/"));
  }
  const Receipt r = Ingest(path);
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  EXPECT_EQ(r.kind, ingest::PackageKind::kMets);
  EXPECT_EQ(r.record_file, "000.00.00.G22.2024.1.TCCB");
  ASSERT_EQ(r.documents.size(), 2u);
  ExpectArchived(r.documents[0], pdfs[0], "hội đồng thi tuyển Lạng Sơn", "hoi dong thi tuyen lang son");
  ExpectArchived(r.documents[1], pdfs[1], "kết quả thi tuyển Cà Mau", "ket qua thi tuyen ca mau",
                 /*signed_pdf=*/true);
  ASSERT_OK_AND_ASSIGN(ingest::Described f, service_->Describe(r.record_file));
  ASSERT_TRUE(f.record_file.has_value());
  EXPECT_EQ(f.documents.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Forms, MetsE2eTest, ::testing::Values(MetsForm::kDir, MetsForm::kZip, MetsForm::kTar),
                         [](const ::testing::TestParamInfo<MetsForm>& i) {
                           return i.param == MetsForm::kDir ? "Dir" : i.param == MetsForm::kZip ? "Zip" : "Tar";
                         });

// ---------------------------------------------------------------- batches

TEST_F(PipelineE2eTest, DigitisationBatchWithGeneratedFiles) {
  ASSERT_OK(CreateDirs(Sub("lo/scans")));
  const std::vector<std::string> pdfs = {TinyPdf("trang 1"), TinyPdf("trang 2")};
  WriteTestFile(Sub("lo/scans/1.pdf"), pdfs[0]);
  WriteTestFile(Sub("lo/scans/2.pdf"), pdfs[1]);
  WriteTestFile(Sub("lo/danh muc.csv"), BatchCsv({"scans/1.pdf", "scans\\2.pdf"},
                                                 {"Quyết định giao đất cho hộ gia đình xã Hà Tĩnh",
                                                  "Quyết định thu hồi đất xã Bến Tre"}));
  const Receipt r = Ingest(Sub("lo"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  EXPECT_EQ(r.kind, ingest::PackageKind::kBatch);
  ASSERT_EQ(r.documents.size(), 2u);
  ExpectArchived(r.documents[0], pdfs[0], "giao đất Hà Tĩnh", "giao dat ha tinh");
  ExpectArchived(r.documents[1], pdfs[1], "thu hồi đất Bến Tre", "thu hoi dat ben tre");
  // The Windows path is a warning kept with the document.
  ASSERT_OK_AND_ASSIGN(ingest::Described d, service_->Describe(r.documents[1].id));
  bool warned = false;
  for (const model::Event& e : d.events) {
    warned = warned || (e.outcome == model::EventOutcome::kWarning &&
                        e.detail.find("batch.windows_path") != std::string::npos);
  }
  EXPECT_TRUE(warned);
}

// Real scans (corpus/scans-real) with OCR on: OCR is slow on two cores, so only the
// two shortest scans (three pages).
TEST_F(PipelineE2eTest, RealScansAsABatchWithOcr) {
  const std::string scans = std::string(KHOLUU_CORPUS_DIR) + "/scans-real";
  if (!IsDirectory(scans)) GTEST_SKIP() << "real scans not found at " << scans;
  auto names = ListDir(scans);
  ASSERT_TRUE(names.ok());
  std::vector<std::pair<uint64_t, std::string>> by_size;
  for (const std::string& n : *names) {
    by_size.push_back({ReadTestFile(scans + "/" + n).size(), n});
  }
  std::sort(by_size.begin(), by_size.end());
  if (by_size.size() > 2) by_size.resize(2);
  ASSERT_OK(CreateDirs(Sub("lo/scans")));
  std::vector<std::string> rel, bytes, subjects;
  const std::vector<Words>& words = PlaceNames();
  for (size_t i = 0; i < by_size.size(); ++i) {
    bytes.push_back(ReadTestFile(scans + "/" + by_size[i].second));
    WriteTestFile(Sub("lo/scans/") + by_size[i].second, bytes.back());
    rel.push_back("scans\\" + by_size[i].second);
    subjects.push_back("Hồ sơ địa chính số hóa tỉnh " + words[i].vi);
  }
  WriteTestFile(Sub("lo/sheet.csv"), BatchCsv(rel, subjects));
  options().preservation.ocr = true;
  const Receipt r = Ingest(Sub("lo"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  ASSERT_EQ(r.documents.size(), by_size.size());
  for (size_t i = 0; i < r.documents.size(); ++i) {
    ExpectArchived(r.documents[i], bytes[i], "địa chính " + words[i].vi, "dia chinh " + words[i].ascii);
    // The scan's pages were read by OCR into an extracted text.
    ASSERT_OK_AND_ASSIGN(ingest::Described d, service_->Describe(r.documents[i].id));
    bool text = false;
    for (const std::string& c : d.components) {
      ASSERT_OK_AND_ASSIGN(ingest::Described cd, service_->Describe(c));
      text = text || cd.component->role == model::ComponentRole::kExtractedText;
    }
    EXPECT_TRUE(text) << r.documents[i].id;
  }
}

// ---------------------------------------------------------------- sidecars

TEST_F(PipelineE2eTest, SidecarFolder) {
  ASSERT_OK(CreateDirs(Sub("d/sub")));
  const std::string a = TinyPdf("quyết định"), b = SignedPdf();
  WriteTestFile(Sub("d/a.pdf"), a);
  WriteTestFile(Sub("d/a.pdf.json"), SidecarJson("Quyết định bổ nhiệm cán bộ huyện Điện Biên", 5,
                                                 R"(, "file": {"sha256": ")" + Sha256Of(a).ToHex() + R"("})"));
  WriteTestFile(Sub("d/sub/b.pdf"), b);
  WriteTestFile(Sub("d/sub/b.pdf.json"), SidecarJson("Quyết định điều động cán bộ huyện Đồng Tháp", 6));
  const Receipt r = Ingest(Sub("d"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  EXPECT_EQ(r.kind, ingest::PackageKind::kSidecar);
  EXPECT_EQ(r.record_file, "000.00.00.G22.2024.01.TCCB");
  ASSERT_EQ(r.documents.size(), 2u);
  const ingest::ReceiptDocument& da = r.documents[0].subject.find("bổ nhiệm") != std::string::npos
                                          ? r.documents[0] : r.documents[1];
  const ingest::ReceiptDocument& db = &da == &r.documents[0] ? r.documents[1] : r.documents[0];
  ExpectArchived(da, a, "bổ nhiệm Điện Biên", "bo nhiem dien bien");
  ExpectArchived(db, b, "điều động Đồng Tháp", "dieu dong dong thap", /*signed_pdf=*/true);
}

TEST_F(PipelineE2eTest, LooseFileWithItsSidecar) {
  const std::string pdf = SignedPdf();
  WriteTestFile(Sub("qd.pdf"), pdf);
  WriteTestFile(Sub("qd.pdf.json"), SidecarJson("Quyết định khen thưởng giáo viên tỉnh Kon Tum", 7));
  const Receipt r = Ingest(Sub("qd.pdf"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  ASSERT_EQ(r.documents.size(), 1u);
  ExpectArchived(r.documents[0], pdf, "khen thưởng giáo viên", "khen thuong giao vien", /*signed_pdf=*/true);
}

// pyHanko's signed test PDFs (those with a signature and no encryption,
// chosen by content), each as a loose file with its sidecar.
TEST_F(PipelineE2eTest, PyhankoSignedPdfsWithSidecars) {
  const std::string dir = std::string(KHOLUU_CORPUS_DIR) + "/pdf-pyhanko";
  if (!IsDirectory(dir)) GTEST_SKIP() << "pyHanko PDFs not found at " << dir;
  auto names = ListDir(dir);
  ASSERT_TRUE(names.ok());
  std::sort(names->begin(), names->end());
  const std::vector<Words>& words = PlaceNames();
  size_t n = 0;
  for (const std::string& name : *names) {
    if (n == 8) break;
    const std::string path = dir + "/" + name;
    if (IsDirectory(path)) continue;
    const std::string bytes = ReadTestFile(path);
    if (bytes.find("/ByteRange") == std::string::npos || bytes.find("/Encrypt") != std::string::npos) continue;
    SCOPED_TRACE(name);
    const std::string pkg = Sub("p" + std::to_string(n));
    ASSERT_OK(CreateDirs(pkg));
    WriteTestFile(pkg + "/" + name, bytes);
    WriteTestFile(pkg + "/" + name + ".json",
                  SidecarJson("Công văn trao đổi tài liệu tỉnh " + words[n].vi, 30 + static_cast<int>(n)));
    const Receipt r = Ingest(pkg + "/" + name);
    ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
    ASSERT_EQ(r.documents.size(), 1u);
    ExpectArchived(r.documents[0], bytes, "tài liệu tỉnh " + words[n].vi, "tai lieu tinh " + words[n].ascii,
                   /*signed_pdf=*/true);
    ++n;
  }
  EXPECT_GE(n, 4u);
}

// ---------------------------------------------------------------- BagIt

TEST_F(PipelineE2eTest, BagWithSidecarPayload) {
  ASSERT_OK(CreateDirs(Sub("payload")));
  const std::string pdf = SignedPdf();
  WriteTestFile(Sub("payload/qd.pdf"), pdf);
  WriteTestFile(Sub("payload/qd.pdf.json"), SidecarJson("Quyết định cấp phép xây dựng tỉnh Gia Lai", 8));
  BagTree(Sub("payload"), Sub("bag"));
  const Receipt r = Ingest(Sub("bag"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  EXPECT_EQ(r.kind, ingest::PackageKind::kSidecar);
  ASSERT_EQ(r.documents.size(), 1u);
  ExpectArchived(r.documents[0], pdf, "cấp phép xây dựng Gia Lai", "cap phep xay dung gia lai", true);
}

TEST_F(PipelineE2eTest, BagWithTt05Payload) {
  const std::vector<std::string> pdfs = {TinyPdf("một"), TinyPdf("hai")};
  ExportMets(Sub("pkg"), 3, pdfs, {"Báo cáo tổng kết công tác văn thư tỉnh Long An",
                                   "Báo cáo tổng kết công tác lưu trữ tỉnh Trà Vinh"});
  BagTree(Sub("pkg"), Sub("bag"));
  const Receipt r = Ingest(Sub("bag"));
  ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  EXPECT_EQ(r.kind, ingest::PackageKind::kMets);
  ASSERT_EQ(r.documents.size(), 2u);
  ExpectArchived(r.documents[0], pdfs[0], "công tác văn thư Long An", "cong tac van thu long an");
  ExpectArchived(r.documents[1], pdfs[1], "công tác lưu trữ Trà Vinh", "cong tac luu tru tra vinh");
}

// The Library of Congress suite's valid bags through the whole pipeline.
// They carry no record metadata, so each is refused for exactly that
// (metadata.missing, no bag error) and leaves the archive unchanged; their
// payloads, described by sidecars and bagged again, are then archived.
TEST_F(PipelineE2eTest, BagitConformanceValidBags) {
  const std::string suite = std::string(KHOLUU_CORPUS_DIR) + "/bagit-conformance";
  if (!IsDirectory(suite)) GTEST_SKIP() << "BagIt conformance suite not found at " << suite;
  // A seed document, so that "unchanged" compares a non-empty archive.
  const std::string seed = TinyPdf("seed");
  WriteTestFile(Sub("seed.pdf"), seed);
  WriteTestFile(Sub("seed.pdf.json"), SidecarJson("Quyết định tuyển dụng viên chức", 1));
  ASSERT_EQ(Ingest(Sub("seed.pdf")).status, ReceiptStatus::kAccepted);

  const std::vector<Words>& words = PlaceNames();
  size_t bags = 0, docs = 0;
  std::set<std::string> seen = {Sha256Of(seed).ToHex()};
  for (const std::string& version : Subdirs(suite)) {
    if (version.empty() || version[0] != 'v') continue;
    const std::string valid = suite + "/" + version + "/valid";
    for (const std::string& bag : Subdirs(valid)) {
      const std::string path = valid + "/" + bag;
      SCOPED_TRACE(path);
      const ArchiveSnapshot before = Snapshot();
      const Receipt r = Ingest(path);
      EXPECT_EQ(r.status, ReceiptStatus::kRejected) << ProblemsText(r);
      for (const ingest::Problem& p : r.problems) {
        if (p.severity == ingest::Severity::kError) {
          EXPECT_EQ(p.code, "metadata.missing") << ProblemsText(r);
        }
      }
      ExpectUnchanged(before, r.job);
      ++bags;

      // The same payload files, each with a sidecar, in a bag of ours.
      // Bytes seen before would be linked to their first document (tested
      // in pipeline_duplicates_test), and an empty file is damaged: both
      // are left out here.
      std::vector<TestEntry> payload;
      for (TestEntry& e : TreeEntries(path + "/data", "")) {
        if (!e.data.empty() && seen.insert(Sha256Of(e.data).ToHex()).second) payload.push_back(std::move(e));
      }
      if (payload.empty() || docs + payload.size() > words.size()) continue;
      const std::string pd = Sub("payload-" + std::to_string(bags));
      std::vector<size_t> word_of;
      for (const TestEntry& e : payload) {
        const std::string file = pd + "/" + e.path;
        ASSERT_OK(CreateDirs(file.substr(0, file.rfind('/'))));
        WriteTestFile(file, e.data);
        WriteTestFile(file + ".json", SidecarJson("Tài liệu chuyển giao từ tỉnh " + words[docs + word_of.size()].vi,
                                                  100 + static_cast<int>(docs + word_of.size())));
        word_of.push_back(docs + word_of.size());
      }
      BagTree(pd, pd + ".bag");
      const Receipt accepted = Ingest(pd + ".bag");
      ASSERT_EQ(accepted.status, ReceiptStatus::kAccepted) << ProblemsText(accepted);
      ASSERT_EQ(accepted.documents.size(), payload.size());
      for (const ingest::ReceiptDocument& d : accepted.documents) {
        // Which payload file: by the place name in its subject.
        size_t k = payload.size();
        for (size_t i = 0; i < payload.size(); ++i) {
          if (d.subject.find(words[word_of[i]].vi) != std::string::npos) k = i;
        }
        ASSERT_LT(k, payload.size()) << d.subject;
        ExpectArchived(d, payload[k].data, "chuyển giao " + words[word_of[k]].vi,
                       "chuyen giao " + words[word_of[k]].ascii);
      }
      docs += payload.size();
    }
  }
  EXPECT_GE(bags, 20u);
  EXPECT_GE(docs, 5u);
}

}  // namespace
}  // namespace kholuu::testing
