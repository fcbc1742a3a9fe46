// Refusals through the whole pipeline: one case for every problem code of
// severity error in ingest::ProblemCodes() (a representative code for each
// reader family bagit.*, batch.*, edxml.*) and for the signature stage's
// own codes. Each case ingests a package with that defect into an archive
// that already holds a document, and shows the refusal (receipt rejected,
// the code with its path) and the archive unchanged: catalog counts (all
// but the jobs table and the job's own audit entries), every blob file,
// every index file, a search. edXML refusals answer with a Status 02 that
// formats/edxml reads back, carrying the reason.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <ctime>
#include <functional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/bagit/bag.h"
#include "formats/edxml/edxml.h"
#include "ingest/checks.h"
#include "tests/ingest/pipeline_support.h"
#include "tests/support/status_matchers.h"

namespace kholuu::testing {
namespace {

using ingest::Receipt;
using ingest::ReceiptStatus;

class PipelineRefusalTest;

struct RefusalCase {
  using Builder = std::function<std::string(PipelineRefusalTest&, std::string* skip)>;
  RefusalCase(std::string c, std::string p, Builder b, std::string reason = "")
      : code(std::move(c)), path_part(std::move(p)), build(std::move(b)), edxml_reason(std::move(reason)) {}
  std::string code;        // the problem code expected, with severity error
  std::string path_part;   // part of its path ("" for the package as a whole)
  // Builds the package under the test's directory; returns its path, or ""
  // to skip (the reason in *skip).
  Builder build;
  std::string edxml_reason;  // edXML: the Status 02 reason expected
};

// Test names and messages show the code, not the bytes of the case.
void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.code; }

class PipelineRefusalTest : public PipelineTest, public ::testing::WithParamInterface<RefusalCase> {
 protected:
  void SetUp() override {
    PipelineTest::SetUp();
    // A seed document in the archive (with its index), so that "unchanged"
    // compares something.
    const std::string seed = TinyPdf("seed");
    WriteTestFile(Sub("seed.pdf"), seed);
    WriteTestFile(Sub("seed.pdf.json"), SidecarJson("Quyết định tuyển dụng viên chức tỉnh Nghệ An", 1));
    const Receipt r = Ingest(Sub("seed.pdf"));
    ASSERT_EQ(r.status, ReceiptStatus::kAccepted) << ProblemsText(r);
  }

 public:
  std::string Write(const std::string& rel, const std::string& bytes) {
    const std::string path = Sub(rel);
    EXPECT_OK(CreateDirs(path.substr(0, path.rfind('/'))));
    WriteTestFile(path, bytes);
    return path;
  }
  // A folder with a.pdf (or `bytes`) and its sidecar (extra document fields).
  std::string SidecarDir(const std::string& fields, const std::string& bytes = "") {
    Write("d/a.pdf", bytes.empty() ? TinyPdf("a") : bytes);
    Write("d/a.pdf.json", SidecarJson("Quyết định khen thưởng tập thể tỉnh Thái Bình", 2, fields));
    return Sub("d");
  }
  std::string Mets() {
    ExportMets(Sub("pkg"), 4, {TinyPdf("một"), TinyPdf("hai")},
               {"Báo cáo kiểm kê tài liệu tỉnh Bắc Giang", "Danh mục tài liệu tỉnh Bắc Giang"});
    return Sub("pkg");
  }
  std::string FirstPayload() {
    auto names = ListDir(Sub("pkg/representations/rep1/data"));
    EXPECT_TRUE(names.ok() && !names->empty());
    return Sub("pkg/representations/rep1/data/") + (*names)[0];
  }
  std::string EdxmlPackage(EdxmlSpec s, const std::string& name = "goi.edxml") {
    return Write(name, Edxml(s));
  }
  static EdxmlSpec SignedPdfSpec() {
    EdxmlSpec s;
    s.manifest = EdxmlReference("1", "cv.pdf", "application/pdf");
    s.attachments = EdxmlAttachment("1", "cv.pdf", "application/pdf", SignedPdf());
    return s;
  }
  std::string Batch(const std::string& csv) {
    Write("lo/1.pdf", TinyPdf("1"));
    Write("lo/sheet.csv", csv);
    return Sub("lo");
  }
};

std::vector<RefusalCase> Cases() {
  using T = PipelineRefusalTest;
  std::vector<RefusalCase> c;
  c.push_back({"package.unrecognised", "",
               [](T& t, std::string*) { return t.Write("x.bin", std::string("\x01\x02\x03 not a package")); }});
  c.push_back({"package.unsafe_entry", "evil.zip", [](T& t, std::string*) {
                 WriteTestArchive(t.Sub("evil.zip"), TestFormat::kZip,
                                  {{"METS.xml", "<mets/>"}, {"../../etc/evil", "x"}});
                 return t.Sub("evil.zip");
               }});
  c.push_back({"package.corrupt", "cut.tar.gz", [](T& t, std::string*) {
                 std::string noise;
                 uint32_t x = 12345;
                 for (int i = 0; i < 200000; ++i) {
                   x = x * 1103515245u + 12345u;
                   noise.push_back(static_cast<char>(x >> 24));
                 }
                 std::string tgz = TestArchiveBytes(TestFormat::kTarGz,
                                                    {{"METS.xml", "<mets/>"}, {"representations/rep1/data/a.bin", noise}});
                 tgz.resize(tgz.size() / 2);
                 return t.Write("cut.tar.gz", tgz);
               }});
  c.push_back({"package.too_large", "", [](T& t, std::string*) {
                 t.options().limits.max_files = 3;
                 return t.Mets();
               }});
  c.push_back({"package.empty", "", [](T& t, std::string*) {
                 t.Write("d/record_file.json",
                         R"({"record_file": {"file_code": "000.00.00.G22.2024.01.TCCB", "title": "Hồ sơ"}})");
                 return t.Sub("d");
               }});
  c.push_back({"file.missing", "representations/rep1/data/", [](T& t, std::string*) {
                 const std::string pkg = t.Mets();
                 EXPECT_OK(RemoveFile(t.FirstPayload()));
                 return pkg;
               }});
  c.push_back({"file.checksum_mismatch", "representations/rep1/data/", [](T& t, std::string*) {
                 const std::string pkg = t.Mets();
                 FlipByte(t.FirstPayload(), 20);
                 return pkg;
               }});
  c.push_back({"file.size_mismatch", "a.pdf",
               [](T& t, std::string*) { return t.SidecarDir(R"(, "file": {"size": 3})"); }});
  c.push_back({"file.damaged", "a.pdf", [](T& t, std::string*) {
                 std::string cut = TinyPdf("a");
                 cut.resize(cut.size() - 10);
                 return t.SidecarDir("", cut);
               }});
  // file.unreadable: a file the walk cannot open. Root reads every file
  // whatever its mode, so as root the case is skipped (intake_test has the
  // same case at intake level, with the same limit).
  c.push_back({"file.unreadable", "a.pdf", [](T& t, std::string* skip) {
                 if (geteuid() == 0) {
                   *skip = "root reads every file: file.unreadable cannot be provoked";
                   return std::string();
                 }
                 const std::string d = t.SidecarDir("");
                 EXPECT_EQ(chmod((d + "/a.pdf").c_str(), 0), 0);
                 return d;
               }});
  c.push_back({"metadata.missing", "bag-info.txt", [](T& t, std::string*) {
                 const std::string pdf = TinyPdf("x");
                 StringSource src(pdf);
                 EXPECT_OK(formats::bagit::WriteBag(t.Sub("bag"), {{"a.pdf", &src}}, {}));
                 return t.Sub("bag");
               }});
  c.push_back({"metadata.unusable", "a.pdf.json", [](T& t, std::string*) {
                 t.Write("d/a.pdf", TinyPdf("a"));
                 t.Write("d/a.pdf.json", "{ not json");
                 t.Write("d/b.pdf", TinyPdf("b"));
                 t.Write("d/b.pdf.json", SidecarJson("Quyết định tỉnh Thái Bình", 3));
                 return t.Sub("d");
               }});
  c.push_back({"metadata.invalid", "a.pdf.json",
               [](T& t, std::string*) { return t.SidecarDir(R"(, "subject": "")"); }});
  c.push_back({"metadata.inconsistent", "b.pdf.json", [](T& t, std::string*) {
                 t.Write("d/a.pdf", TinyPdf("a"));
                 t.Write("d/a.pdf.json", SidecarJson("Quyết định tỉnh Thái Bình", 3));
                 std::string other = SidecarJson("Quyết định tỉnh Nam Định", 4);
                 other.replace(other.find("Hồ sơ tuyển dụng"), std::string("Hồ sơ tuyển dụng").size(), "Hồ sơ khác");
                 t.Write("d/b.pdf", TinyPdf("b"));
                 t.Write("d/b.pdf.json", other);
                 return t.Sub("d");
               }});
  c.push_back({"metadata.document_without_file", "goi.edxml!MessageHeader",
               [](T& t, std::string*) { return t.EdxmlPackage(EdxmlSpec{}); }, "không đúng thể thức"});
  c.push_back({"metadata.date_future", "a.pdf.json",
               [](T& t, std::string*) { return t.SidecarDir(R"(, "issued_date": "2030-01-01")"); }});
  c.push_back({"batch.organ_id_missing", "sheet.csv", [](T& t, std::string*) {
                 t.options().organ_id.clear();
                 return t.Batch(BatchCsv({"1.pdf"}, {"Quyết định tỉnh Phú Yên"}));
               }});
  c.push_back({"bagit.checksum-mismatch", "bag-info.txt", [](T& t, std::string*) {
                 const std::string pdf = TinyPdf("x"), json = SidecarJson("Quyết định tỉnh Khánh Hòa", 5);
                 StringSource a(pdf);
                 StringSource b(json);
                 EXPECT_OK(formats::bagit::WriteBag(t.Sub("bag"), {{"a.pdf", &a}, {"a.pdf.json", &b}}, {}));
                 WriteTestFile(t.Sub("bag/bag-info.txt"), ReadTestFile(t.Sub("bag/bag-info.txt")) + "Contact-Name: X\n");
                 return t.Sub("bag");
               }});
  c.push_back({"batch.missing-column", "sheet.csv", [](T& t, std::string*) {
                 std::string csv = BatchCsv({"1.pdf"}, {"Quyết định tỉnh Phú Yên"});
                 csv.replace(csv.find("Tiêu đề hồ sơ"), std::string("Tiêu đề hồ sơ").size(), "Ghi chú");
                 return t.Batch(csv);
               }});
  c.push_back({"edxml.document-id-mismatch", "goi.edxml!",
               [](T& t, std::string*) {
                 EdxmlSpec s = T::SignedPdfSpec();
                 s.document_id = "000.00.00.G22,2025/07/02,125/VPCP-TCCB";  // not the PromulgationDate
                 return t.EdxmlPackage(s);
               },
               "không đúng thể thức"});
  // The signature stage (pipeline.cc), edXML only.
  c.push_back({"signature.missing", "",
               [](T& t, std::string*) {
                 EdxmlSpec s;
                 s.manifest = EdxmlReference("1", "cv.pdf", "application/pdf");
                 s.attachments = EdxmlAttachment("1", "cv.pdf", "application/pdf", TinyPdf("chưa ký"));
                 return t.EdxmlPackage(s);
               },
               "thiếu chữ ký số"});
  c.push_back({"signature.invalid", "",
               [](T& t, std::string* skip) {
                 EdxmlSpec s = T::SignedPdfSpec();
                 s.signature = XmlSignatureTemplate();
                 std::string xml = SignWithXmlsec(Edxml(s), t.Sub("sign"));
                 if (xml.empty()) {
                   *skip = "xmlsec1 (the command) is not installed";
                   return std::string();
                 }
                 // Changed after signing.
                 xml.replace(xml.find("tuyển dụng"), std::string("tuyển dụng").size(), "TUYỂN DỤNG");
                 return t.Write("goi.edxml", xml);
               },
               "không đúng thể thức"});
  // signature.unverifiable is given when the XML signature check cannot
  // run at all (ingest::VerifyEdxmlSignature without a report): XML that is
  // not well-formed or has a DOCTYPE, over 256 MiB, xmlsec failing to
  // start, the staged file unreadable. Every one of these is refused by
  // intake first (metadata.unusable, package.too_large) or is no defect of
  // a package, so no whole package can produce it since the staged_root fix
  // (before it, every XML-signed package did): see
  // SignatureUnverifiableIsTheCheckWithoutAVerdict below.
  c.push_back({"signature.unverifiable", "", [](T&, std::string* skip) {
                 *skip = "no whole package can produce signature.unverifiable (tested at check level)";
                 return std::string();
               }});
  return c;
}

TEST_P(PipelineRefusalTest, IsRefusedAndTheArchiveIsUnchanged) {
  const RefusalCase& c = GetParam();
  std::string skip;
  const std::string path = c.build(*this, &skip);
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_FALSE(path.empty());
  const ArchiveSnapshot before = Snapshot();
  ASSERT_GE(before.counts.documents, 1u);
  ASSERT_FALSE(before.index_files.empty());
  ASSERT_GT(before.search_total, 0u);

  const Receipt r = Ingest(path);
  EXPECT_EQ(r.status, ReceiptStatus::kRejected) << ProblemsText(r);
  bool found = false;
  for (const ingest::Problem& p : r.problems) {
    if (p.code == c.code && p.severity == ingest::Severity::kError &&
        p.path.find(c.path_part) != std::string::npos) {
      found = true;
      EXPECT_FALSE(p.message_en.empty());
      EXPECT_FALSE(p.message_vi.empty());
      EXPECT_TRUE(p.path.empty() || p.path[0] != '/') << p.path;
    }
  }
  EXPECT_TRUE(found) << c.code << " at '" << c.path_part << "' not in\n" << ProblemsText(r);
  EXPECT_TRUE(r.documents.empty());
  ExpectUnchanged(before, r.job);

  // The job keeps the refusal and its problems.
  ASSERT_OK_AND_ASSIGN(std::vector<model::IngestJob> jobs, service_->Jobs());
  bool job_kept = false;
  for (const model::IngestJob& j : jobs) {
    if (j.id != r.job) continue;
    job_kept = j.state == model::JobState::kRejected;
    bool code_kept = false;
    for (const model::JobProblem& p : j.problems) code_kept = code_kept || p.code == c.code;
    EXPECT_TRUE(code_kept);
  }
  EXPECT_TRUE(job_kept);

  if (!c.edxml_reason.empty()) {
    EXPECT_EQ(r.edxml_status_code, "02");
    StringSource src(r.edxml_status);
    ASSERT_OK_AND_ASSIGN(formats::edxml::Message reply, formats::edxml::Parse(src));
    EXPECT_EQ(reply.kind, formats::edxml::Kind::kStatus);
    EXPECT_EQ(reply.status_code, "02");
    EXPECT_EQ(reply.description, c.edxml_reason);
    ASSERT_FALSE(reply.response_for.empty());
    EXPECT_FALSE(reply.response_for[0].document_id.empty());
  } else {
    EXPECT_TRUE(r.edxml_status.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Codes, PipelineRefusalTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<RefusalCase>& i) {
                           std::string n;
                           for (char ch : i.param.code) n.push_back(std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_');
                           return n;
                         });

// The signature stage's verdict when verification cannot run, at the
// level of the check the pipeline calls; and the same package through the
// pipeline, refused by intake before the signature stage.
TEST_F(PipelineTest, SignatureUnverifiableIsTheCheckWithoutAVerdict) {
  EdxmlSpec s;
  s.signature = XmlSignatureTemplate();
  s.manifest = EdxmlReference("1", "cv.pdf", "application/pdf");
  s.attachments = EdxmlAttachment("1", "cv.pdf", "application/pdf", SignedPdf());
  std::string xml = Edxml(s);
  xml.insert(xml.find("<edXML xmlns"), "<!DOCTYPE edXML [<!ENTITY x \"y\">]>\n");
  const ingest::XmlSignatureVerdict v =
      ingest::VerifyEdxmlSignature(xml, options().preservation.verify.trust_store, std::time(nullptr));
  EXPECT_FALSE(v.report.has_value());
  EXPECT_FALSE(v.error.empty());
  EXPECT_TRUE(v.failed());

  WriteTestFile(Sub("doctype.edxml"), xml);
  const Receipt r = Ingest(Sub("doctype.edxml"));
  EXPECT_EQ(r.status, ReceiptStatus::kRejected);
  bool unusable = false;
  for (const ingest::Problem& p : r.problems) unusable = unusable || p.code == "metadata.unusable";
  EXPECT_TRUE(unusable) << ProblemsText(r);
}

// Every error code of the registry has a case above (a family "x.*" by one
// of its codes), and so do the signature stage's codes.
TEST(PipelineRefusalCoverage, EveryErrorCodeHasACase) {
  std::set<std::string> covered;
  for (const RefusalCase& c : Cases()) covered.insert(c.code);
  std::vector<std::string> wanted = {"signature.missing", "signature.invalid", "signature.unverifiable"};
  for (const ingest::ProblemCodeInfo& info : ingest::ProblemCodes()) {
    if (info.severity == ingest::Severity::kError) wanted.push_back(std::string(info.code));
  }
  for (const std::string& code : wanted) {
    bool has = covered.count(code) > 0;
    if (code.size() > 2 && code.substr(code.size() - 2) == ".*") {
      const std::string family = code.substr(0, code.size() - 1);
      for (const std::string& c : covered) has = has || c.rfind(family, 0) == 0;
    }
    EXPECT_TRUE(has) << "no refusal case for " << code;
  }
}

}  // namespace
}  // namespace kholuu::testing
