// Stage 1 of ingest: every package kind read into a checked description,
// and one test per problem code showing it raised with its path. Packages
// are built here with the project's own writers (ExportPackage, WriteBag),
// edXML text and CSV sheets; the real inputs of $KHOLUU_CORPUS_DIR (the
// BagIt conformance suite, real scans) are used when present.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/clock.h"
#include "archive/base/file.h"
#include "formats/bagit/bag.h"
#include "formats/edxml/edxml.h"
#include "formats/package/mets_package.h"
#include "formats/common/text.h"
#include "ingest/intake.h"
#include "tests/formats/package/archive_writer.h"
#include "tests/support/fixtures.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::ingest {
namespace {

using testing::TempDir;
using testing::WriteTestFile;
using testing::ReadTestFile;

// 2026-01-01T00:00:00Z: "today" for the date checks.
constexpr int64_t kNow = 1767225600LL * 1000000;

// A small PDF that identifies as PDF 1.4 and is complete (%%EOF at the end).
std::string TinyPdf(const std::string& text) {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
         "3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n% " +
         text + "\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}

std::string Describe(const Intake& in) {
  std::string s = "kind " + std::string(PackageKindName(in.kind)) + "\n";
  for (const Problem& p : in.problems) {
    s += std::string(p.severity == Severity::kError ? "  error " : "  warning ") + p.code + " [" + p.path +
         "] " + p.message_en + "\n";
  }
  return s;
}

// The problems of a code; each must carry both messages.
std::vector<Problem> Find(const Intake& in, const std::string& code) {
  std::vector<Problem> out;
  for (const Problem& p : in.problems) {
    if (p.code == code) {
      EXPECT_FALSE(p.message_en.empty());
      EXPECT_FALSE(p.message_vi.empty());
      out.push_back(p);
    }
  }
  return out;
}

// Expects `code` raised with a path containing `path_part`, with the
// severity the registry gives it.
void ExpectProblem(const Intake& in, const std::string& code, const std::string& path_part) {
  const std::vector<Problem> found = Find(in, code);
  for (const Problem& p : in.problems) {
    // Paths are relative to the package, never into the staging area.
    EXPECT_FALSE(!p.path.empty() && p.path[0] == '/') << p.code << " at " << p.path;
  }
  bool at_path = false;
  for (const Problem& p : found) {
    if (p.path.find(path_part) != std::string::npos) at_path = true;
  }
  EXPECT_TRUE(at_path) << code << " at '" << path_part << "' not raised\n" << Describe(in);
  for (const ProblemCodeInfo& info : ProblemCodes()) {
    if (info.code == code) {
      for (const Problem& p : found) EXPECT_EQ(p.severity, info.severity) << code;
    }
  }
}

class IntakeTest : public ::testing::Test {
 protected:
  IntakeOptions Options() {
    IntakeOptions o;
    o.staging_dir = t_.Sub("stage" + std::to_string(++stages_));
    o.organ_id = "000.00.00.G22";
    o.clock = &clock_;
    return o;
  }
  Intake Read(const std::string& path) { return Read(path, Options()); }
  Intake Read(const std::string& path, const IntakeOptions& o) {
    auto r = ReadPackage(path, o);
    EXPECT_OK(r.status());
    return r.ok() ? std::move(*r) : Intake{};
  }

  // A METS package of one record file and `docs` documents, exported by
  // formats/package into `dir`.
  void MakeMets(const std::string& dir, int docs = 2) {
    formats::package::Package p;
    p.object_id = "urn:uuid:0b5e3b4e-2f0e-4a57-9d55-1d0d0a5b7c01";
    p.created_micros = kNow - 86400LL * 1000000;
    p.record_file = testing::SampleRecordFile(1);
    p.record_file.doc_total = docs;
    std::vector<std::string> bytes;
    for (int i = 1; i <= docs; ++i) bytes.push_back(TinyPdf("văn bản " + std::to_string(i)));
    std::vector<StringSource> sources;
    sources.reserve(bytes.size());
    for (const std::string& b : bytes) sources.emplace_back(b);
    for (int i = 1; i <= docs; ++i) {
      formats::package::PackageDocument d;
      d.document = testing::SampleDocument(p.record_file, i);
      formats::package::PackageComponent c;
      c.component = testing::SampleComponent(d.document, Sha256(), 0);
      c.component.format_version = "1.4";
      c.source = &sources[static_cast<size_t>(i - 1)];
      d.components.push_back(std::move(c));
      p.documents.push_back(std::move(d));
    }
    ASSERT_OK(formats::package::ExportPackage(dir, p));
  }

  std::string Rep(const std::string& dir) { return dir + "/representations/rep1"; }

  TempDir t_;
  ManualClock clock_{kNow};
  int stages_ = 0;
};

// ---------------------------------------------------------------- edXML

struct EdxmlSpec {
  std::string document_id = "000.00.00.G22,2025/07/01,125/VPCP-TCCB";
  std::string attachments;  // <Attachment> elements
  std::string manifest;     // <Reference> elements
  bool signature = true;
};

std::string Attachment(const std::string& cid, const std::string& name, const std::string& type,
                       const std::string& bytes) {
  return "<Attachment><ContentId>" + cid + "</ContentId><AttachmentName>" + name +
         "</AttachmentName><ContentType>" + type + "</ContentType><ContentTransferEncoded>" + formats::Base64Encode(bytes) +
         "</ContentTransferEncoded></Attachment>";
}

std::string Reference(const std::string& cid, const std::string& name, const std::string& type) {
  return "<edXML:Reference><edXML:ContentId>cid:" + cid + "</edXML:ContentId><edXML:ContentType>" + type +
         "</edXML:ContentType><edXML:AttachmentName>" + name + "</edXML:AttachmentName></edXML:Reference>";
}

std::string Edxml(const EdxmlSpec& s) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
<edXML:edXMLHeader>
<edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:From>
<edXML:To><edXML:OrganId>000.00.00.H49</edXML:OrganId><edXML:OrganName>UBND tỉnh Quảng Ninh</edXML:OrganName></edXML:To>
<edXML:Code><edXML:CodeNumber>125</edXML:CodeNumber><edXML:CodeNotation>VPCP-TCCB</edXML:CodeNotation></edXML:Code>
<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2025/07/01</edXML:PromulgationDate></edXML:PromulgationInfo>
<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
<edXML:Subject>V/v tuyển dụng công chức năm 2025</edXML:Subject>
<edXML:Content>V/v tuyển dụng công chức năm 2025</edXML:Content>
<edXML:SignerInfo><edXML:Competence>KT. BỘ TRƯỞNG</edXML:Competence><edXML:Position>Thứ trưởng</edXML:Position><edXML:FullName>Nguyễn Văn A</edXML:FullName></edXML:SignerInfo>
<edXML:DocumentId>)" + s.document_id +
         R"(</edXML:DocumentId>
</edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType><edXML:BussinessDocReason>Văn bản điện tử mới</edXML:BussinessDocReason></edXML:Bussiness></edXML:TraceHeaderList>
)" + (s.signature ? std::string(R"(<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature>)")
                  : std::string()) +
         R"(
</edXML:edXMLHeader>
<edXML:edXMLBody><edXML:edXMLManifest version="1.0">)" +
         s.manifest + R"(</edXML:edXMLManifest></edXML:edXMLBody>
</edXML:edXMLEnvelope>
<AttachmentEncoded>)" + s.attachments +
         "</AttachmentEncoded>\n</edXML>\n";
}

TEST_F(IntakeTest, EdxmlDocumentWithAZippedAttachmentIsReadAndUnwrapped) {
  const std::string pdf = TinyPdf("công văn 125");
  const std::string zip = testing::TestArchiveBytes(testing::TestFormat::kZip, {{"125-VPCP.pdf", pdf}});
  EdxmlSpec s;
  s.manifest = Reference("1", "125-VPCP.zip", "application/zip");
  s.attachments = Attachment("cid:1", "125-VPCP.zip", "application/zip", zip);
  WriteTestFile(t_.Sub("goi.edxml"), Edxml(s));
  ASSERT_OK_AND_ASSIGN(PackageKind kind, DetectPackageKind(t_.Sub("goi.edxml")));
  EXPECT_EQ(kind, PackageKind::kEdxml);
  const Intake in = Read(t_.Sub("goi.edxml"));
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  EXPECT_EQ(in.kind, PackageKind::kEdxml);
  ASSERT_TRUE(in.edxml.has_value());
  EXPECT_EQ(in.edxml->document_id, s.document_id);
  EXPECT_EQ(in.edxml->from_organ_id, "000.00.00.G22");
  EXPECT_EQ(in.edxml->business_doc_type, 0);
  EXPECT_TRUE(in.edxml->signature_present);
  EXPECT_EQ(in.package_sha256, Sha256Of(ReadTestFile(t_.Sub("goi.edxml"))));
  ASSERT_EQ(in.documents.size(), 1u);
  const IntakeDocument& d = in.documents[0];
  EXPECT_EQ(d.document.issued_date, "2025-07-01");
  EXPECT_EQ(d.document.code_number, "125");
  EXPECT_EQ(d.document.code_notation, "VPCP-TCCB");
  EXPECT_EQ(d.document.edxml_document_id, s.document_id);
  ASSERT_EQ(d.files.size(), 1u);
  EXPECT_EQ(d.files[0].name, "125-VPCP.pdf");
  EXPECT_EQ(d.files[0].media_type, "application/pdf");
  EXPECT_EQ(d.files[0].format_version, "1.4");
  EXPECT_EQ(d.files[0].sha256, Sha256Of(pdf));
  EXPECT_EQ(ReadTestFile(d.files[0].staged_path), pdf);
  EXPECT_EQ(RefusalReasonVi(in), "");
}

TEST_F(IntakeTest, EdxmlStatusPackageWrittenByTheProjectIsRead) {
  formats::edxml::StatusPackage st;
  st.response_for = {"000.00.00.H49", "125/VPCP-TCCB", "2025/07/01", "000.00.00.G22,2025/07/01,125/VPCP-TCCB"};
  st.from.organ_id = "000.00.00.H49";
  st.from.organ_name = "UBND tỉnh Quảng Ninh";
  st.status_code = "03";
  st.description = "Đã tiếp nhận";
  st.timestamp = "2025/07/02 08:00:00";
  ASSERT_OK_AND_ASSIGN(std::string xml, formats::edxml::WriteStatus(st));
  WriteTestFile(t_.Sub("status.edxml"), xml);
  const Intake in = Read(t_.Sub("status.edxml"));
  EXPECT_EQ(in.kind, PackageKind::kEdxml);
  ASSERT_TRUE(in.edxml.has_value());
  EXPECT_TRUE(in.edxml->is_status);
  EXPECT_EQ(in.edxml->status_code, "03");
  EXPECT_EQ(in.edxml->document_id, st.response_for.document_id);
  EXPECT_TRUE(in.documents.empty());
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
}

TEST_F(IntakeTest, EdxmlRecallNamesTheDocumentItActsOn) {
  EdxmlSpec s;
  s.manifest = Reference("1", "a.pdf", "application/pdf");
  s.attachments = Attachment("1", "a.pdf", "application/pdf", TinyPdf("a"));
  std::string text = Edxml(s);
  text.replace(text.find("<edXML:BussinessDocType>0"), std::string("<edXML:BussinessDocType>0").size(),
               "<edXML:DocumentId>000.00.00.G22,2025/06/01,100/VPCP-TCCB</edXML:DocumentId>"
               "<edXML:BussinessDocType>1");
  WriteTestFile(t_.Sub("r.edxml"), text);
  const Intake in = Read(t_.Sub("r.edxml"));
  ASSERT_TRUE(in.edxml.has_value());
  EXPECT_EQ(in.edxml->business_doc_type, 1);
  EXPECT_EQ(in.edxml->business_document_id, "000.00.00.G22,2025/06/01,100/VPCP-TCCB");
}

TEST_F(IntakeTest, EdxmlUnsignedWarns) {
  EdxmlSpec s;
  s.signature = false;
  s.manifest = Reference("1", "a.pdf", "application/pdf");
  s.attachments = Attachment("1", "a.pdf", "application/pdf", TinyPdf("a"));
  WriteTestFile(t_.Sub("u.edxml"), Edxml(s));
  const Intake in = Read(t_.Sub("u.edxml"));
  ExpectProblem(in, "edxml.unsigned", "u.edxml");
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
}

TEST_F(IntakeTest, EdxmlReaderProblemsKeepTheirCodeAndElement) {
  EdxmlSpec s;
  s.document_id = "000.00.00.G22,2025/07/02,125/VPCP-TCCB";  // date disagrees with PromulgationDate
  s.manifest = Reference("1", "a.pdf", "application/pdf");
  s.attachments = Attachment("1", "a.pdf", "application/pdf", TinyPdf("a"));
  WriteTestFile(t_.Sub("m.edxml"), Edxml(s));
  const Intake in = Read(t_.Sub("m.edxml"));
  ExpectProblem(in, "edxml.document-id-mismatch", "m.edxml!");
  EXPECT_TRUE(in.HasErrors());
  EXPECT_EQ(RefusalReasonVi(in), "không đúng thể thức");
}

// A real sender's xlink:href without xmlns:xlink: read, with a warning that
// stays with the document (and so becomes a validation event on its record).
TEST_F(IntakeTest, EdxmlWithAnUndeclaredPrefixIsReadWithAWarningOnTheDocument) {
  EdxmlSpec s;
  s.manifest = Reference("1", "a.pdf", "application/pdf");
  s.attachments = Attachment("1", "a.pdf", "application/pdf", TinyPdf("a"));
  std::string text = Edxml(s);
  text.replace(text.find("<edXML:Reference>"), std::string("<edXML:Reference>").size(),
               "<edXML:Reference xlink:href=\"cid:1\" xlink:type=\"simple\">");
  WriteTestFile(t_.Sub("x.edxml"), text);
  const Intake in = Read(t_.Sub("x.edxml"));
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  ExpectProblem(in, "edxml.namespace-undeclared", "x.edxml");
  ASSERT_EQ(in.documents.size(), 1u);
  const std::vector<Problem>& w = in.documents[0].warnings;
  const auto it = std::find_if(w.begin(), w.end(), [](const Problem& p) { return p.code == "edxml.namespace-undeclared"; });
  ASSERT_NE(it, w.end()) << Describe(in);
  EXPECT_EQ(it->severity, Severity::kWarning);
  EXPECT_NE(it->message_en.find("'xlink'"), std::string::npos) << it->message_en;
  ASSERT_EQ(in.documents[0].files.size(), 1u);
}

TEST_F(IntakeTest, EdxmlDocumentWithoutAttachmentIsRefused) {
  WriteTestFile(t_.Sub("n.edxml"), Edxml(EdxmlSpec{}));
  const Intake in = Read(t_.Sub("n.edxml"));
  ExpectProblem(in, "metadata.document_without_file", "n.edxml!MessageHeader");
}

TEST_F(IntakeTest, EdxmlDeclaredTypeDisagreeingWithContentWarns) {
  EdxmlSpec s;
  s.manifest = Reference("1", "a.doc", "application/msword");
  s.attachments = Attachment("1", "a.doc", "application/msword", TinyPdf("a"));
  WriteTestFile(t_.Sub("t.edxml"), Edxml(s));
  const Intake in = Read(t_.Sub("t.edxml"));
  ExpectProblem(in, "file.media_type_mismatch", "t.edxml!a.doc");
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
}

TEST_F(IntakeTest, EdxmlThatIsNotWellFormedIsUnusableMetadata) {
  std::string text = Edxml(EdxmlSpec{});
  text.resize(text.find("</edXML:MessageHeader>"));
  text += "<broken";
  WriteTestFile(t_.Sub("b.edxml"), text);
  const Intake in = Read(t_.Sub("b.edxml"));
  ExpectProblem(in, "metadata.unusable", "b.edxml");
  EXPECT_EQ(RefusalReasonVi(in), "không đúng thể thức");
}

// ---------------------------------------------------------------- METS

TEST_F(IntakeTest, MetsDirectoryZipAndBagAreReadAlike) {
  MakeMets(t_.Sub("pkg"));
  testing::WriteTestArchive(t_.Sub("pkg.zip"), testing::TestFormat::kZip, [&] {
    std::vector<testing::TestEntry> e;
    for (const char* rel :
         {"METS.xml", "metadata/descriptive/EAD.xml", "metadata/preservation/PREMIS.xml",
          "representations/rep1/METS.xml", "representations/rep1/metadata/preservation/PREMIS_rep1.xml"}) {
      e.push_back({std::string("urn_uuid_x/") + rel, ReadTestFile(t_.Sub("pkg/") + rel)});
    }
    auto names = ListDir(Rep(t_.Sub("pkg")) + "/data");
    for (const std::string& n : *names) {
      e.push_back({"urn_uuid_x/representations/rep1/data/" + n, ReadTestFile(Rep(t_.Sub("pkg")) + "/data/" + n)});
    }
    auto eads = ListDir(Rep(t_.Sub("pkg")) + "/metadata/descriptive");
    for (const std::string& n : *eads) {
      e.push_back({"urn_uuid_x/representations/rep1/metadata/descriptive/" + n,
                   ReadTestFile(Rep(t_.Sub("pkg")) + "/metadata/descriptive/" + n)});
    }
    return e;
  }());
  // The bag: the package folder as the payload, written by WriteBag.
  std::vector<std::string> rels;
  std::vector<std::string> contents;
  std::function<void(const std::string&)> walk = [&](const std::string& rel) {
    auto names = ListDir(t_.Sub("pkg") + (rel.empty() ? "" : "/" + rel));
    for (const std::string& n : *names) {
      const std::string r = rel.empty() ? n : rel + "/" + n;
      if (IsDirectory(t_.Sub("pkg/") + r)) {
        walk(r);
      } else {
        rels.push_back(r);
        contents.push_back(ReadTestFile(t_.Sub("pkg/") + r));
      }
    }
  };
  walk("");
  std::vector<StringSource> sources;
  sources.reserve(contents.size());
  std::vector<formats::bagit::PayloadEntry> payload;
  for (size_t i = 0; i < rels.size(); ++i) {
    sources.emplace_back(contents[i]);
    payload.push_back({rels[i], &sources.back()});
  }
  ASSERT_OK(formats::bagit::WriteBag(t_.Sub("bag"), payload, {{"Source-Organization", "Văn phòng Chính phủ"}}));

  for (const std::string& path : {t_.Sub("pkg"), t_.Sub("pkg.zip"), t_.Sub("bag")}) {
    SCOPED_TRACE(path);
    const Intake in = Read(path);
    EXPECT_FALSE(in.HasErrors()) << Describe(in);
    EXPECT_EQ(in.WarningCount(), 0u) << Describe(in);
    EXPECT_EQ(in.kind, PackageKind::kMets);
    EXPECT_EQ(in.in_bag, path == t_.Sub("bag"));
    ASSERT_EQ(in.record_files.size(), 1u);
    EXPECT_EQ(in.record_files[0].record_file.file_code.ToString(), "000.00.00.G22.2024.1.TCCB");
    ASSERT_EQ(in.documents.size(), 2u);
    for (const IntakeDocument& d : in.documents) {
      EXPECT_EQ(d.record_file, 0);
      ASSERT_EQ(d.files.size(), 1u);
      EXPECT_EQ(d.files[0].media_type, "application/pdf");
      EXPECT_EQ(ReadTestFile(d.files[0].staged_path).substr(0, 8), "%PDF-1.4");
    }
    EXPECT_EQ(in.documents[1].document.id, "000.00.00.G22.2024.1.TCCB.002");
  }
}

// Replaces the first `SIZE="<n>"` after `anchor` in a METS file by SIZE="".
void EmptySizeAfter(const std::string& mets, const std::string& anchor) {
  std::string text = ReadTestFile(mets);
  size_t at = text.find(anchor);
  ASSERT_NE(at, std::string::npos);
  at = text.rfind("<mets:file ", at);
  const size_t s = text.find("SIZE=\"", at);
  const size_t e = text.find('"', s + 6);
  text.replace(s, e - s + 1, "SIZE=\"\"");
  WriteTestFile(mets, text);
}

TEST_F(IntakeTest, MetsEmptySizeIsAWarning) {
  MakeMets(t_.Sub("pkg"));
  EmptySizeAfter(Rep(t_.Sub("pkg")) + "/METS.xml", "\"data/");
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "metadata.size_missing", "representations/rep1/data/");
  // The edit made the root METS's checksum of the representation METS stale.
  ExpectProblem(in, "metadata.checksum_stale", "representations/rep1/METS.xml");
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  EXPECT_EQ(in.documents.size(), 2u);
}

TEST_F(IntakeTest, MetsStaleChecksumOfAMetadataFileIsAWarning) {
  MakeMets(t_.Sub("pkg"));
  const std::string ead = t_.Sub("pkg/metadata/descriptive/EAD.xml");
  WriteTestFile(ead, ReadTestFile(ead) + "\n<!-- edited after packaging -->\n");
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "metadata.checksum_stale", "metadata/descriptive/EAD.xml");
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  ASSERT_EQ(in.record_files.size(), 1u);
  // The received METS is kept beside the repaired one.
  EXPECT_TRUE(PathExists(in.staging_dir + "/received/METS.xml"));
}

TEST_F(IntakeTest, MetsLinkToAMissingPremisFileIsAWarning) {
  MakeMets(t_.Sub("pkg"));
  ASSERT_OK(RemoveFile(Rep(t_.Sub("pkg")) + "/metadata/preservation/PREMIS_rep1.xml"));
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "metadata.link_missing", "representations/rep1/metadata/preservation/PREMIS_rep1.xml");
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  EXPECT_EQ(in.documents.size(), 2u);
}

TEST_F(IntakeTest, MetsMissingPayloadFileIsRefused) {
  MakeMets(t_.Sub("pkg"));
  auto names = ListDir(Rep(t_.Sub("pkg")) + "/data");
  ASSERT_OK(RemoveFile(Rep(t_.Sub("pkg")) + "/data/" + (*names)[0]));
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "file.missing", "representations/rep1/data/" + (*names)[0]);
  EXPECT_EQ(RefusalReasonVi(in), "không đúng định dạng");
}

TEST_F(IntakeTest, MetsAlteredPayloadFileIsRefused) {
  MakeMets(t_.Sub("pkg"));
  auto names = ListDir(Rep(t_.Sub("pkg")) + "/data");
  testing::FlipByte(Rep(t_.Sub("pkg")) + "/data/" + (*names)[0], 20);
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "file.checksum_mismatch", "representations/rep1/data/" + (*names)[0]);
}

TEST_F(IntakeTest, MetsUnlistedPayloadFileWarnsAndIsNotKept) {
  MakeMets(t_.Sub("pkg"));
  WriteTestFile(Rep(t_.Sub("pkg")) + "/data/Thumbs.db", "junk");
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "file.unlisted", "representations/rep1/data/Thumbs.db");
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  for (const IntakeDocument& d : in.documents) {
    for (const IntakeFile& f : d.files) EXPECT_EQ(f.name.find("Thumbs"), std::string::npos);
  }
}

TEST_F(IntakeTest, MetsWithoutItsEadIsRefused) {
  MakeMets(t_.Sub("pkg"));
  ASSERT_OK(RemoveFile(t_.Sub("pkg/metadata/descriptive/EAD.xml")));
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "metadata.missing", "metadata/descriptive/EAD.xml");
}

TEST_F(IntakeTest, MetsWithBrokenEadIsUnusable) {
  MakeMets(t_.Sub("pkg"));
  const std::string ead = t_.Sub("pkg/metadata/descriptive/EAD.xml");
  std::string text = ReadTestFile(ead);
  text.resize(text.size() / 2);
  WriteTestFile(ead, text);
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "metadata.unusable", "METS.xml");
}

// ---------------------------------------------------------------- archives

TEST_F(IntakeTest, ZipSlipEntryIsRefused) {
  testing::WriteTestArchive(t_.Sub("evil.zip"), testing::TestFormat::kZip,
                            {{"METS.xml", "<mets/>"}, {"../../etc/evil", "x"}});
  const Intake in = Read(t_.Sub("evil.zip"));
  ExpectProblem(in, "package.unsafe_entry", "evil.zip");
  EXPECT_FALSE(PathExists(in.staging_dir + "/package"));
}

TEST_F(IntakeTest, SymlinkInAFolderPackageIsRefused) {
  MakeMets(t_.Sub("pkg"));
  ASSERT_EQ(symlink("/etc/passwd", (Rep(t_.Sub("pkg")) + "/data/link.pdf").c_str()), 0);
  const Intake in = Read(t_.Sub("pkg"));
  ExpectProblem(in, "package.unsafe_entry", "representations/rep1/data/link.pdf");
}

TEST_F(IntakeTest, TruncatedArchiveIsCorrupt) {
  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 1103515245u + 12345u;
    noise.push_back(static_cast<char>(x >> 24));
  }
  std::string zip = testing::TestArchiveBytes(testing::TestFormat::kTarGz,
                                              {{"METS.xml", "<mets/>"}, {"representations/rep1/data/a.bin", noise}});
  zip.resize(zip.size() / 2);
  WriteTestFile(t_.Sub("cut.tar.gz"), zip);
  const Intake in = Read(t_.Sub("cut.tar.gz"));
  ExpectProblem(in, "package.corrupt", "cut.tar.gz");
}

TEST_F(IntakeTest, LimitsAreEnforced) {
  MakeMets(t_.Sub("pkg"));
  IntakeOptions o = Options();
  o.max_files = 3;
  const Intake in = Read(t_.Sub("pkg"), o);
  ExpectProblem(in, "package.too_large", "");
}

TEST_F(IntakeTest, UnrecognisedPackage) {
  WriteTestFile(t_.Sub("x.bin"), std::string("\x01\x02\x03\x04 not a package"));
  EXPECT_THAT(DetectPackageKind(t_.Sub("x.bin")), testing::StatusIs(StatusCode::kInvalidArgument));
  const Intake in = Read(t_.Sub("x.bin"));
  EXPECT_EQ(in.kind, PackageKind::kUnknown);
  EXPECT_EQ(Find(in, "package.unrecognised").size(), 1u);
  EXPECT_TRUE(in.HasErrors());
}

TEST_F(IntakeTest, StagingMustBeNew) {
  MakeMets(t_.Sub("pkg"));
  IntakeOptions o = Options();
  ASSERT_OK(CreateDirs(o.staging_dir));
  EXPECT_THAT(ReadPackage(t_.Sub("pkg"), o), testing::StatusIs(StatusCode::kAlreadyExists));
  o.staging_dir.clear();
  EXPECT_THAT(ReadPackage(t_.Sub("pkg"), o), testing::StatusIs(StatusCode::kInvalidArgument));
}

// ---------------------------------------------------------------- BagIt

TEST_F(IntakeTest, PlainBagHasNoRecordMetadata) {
  const std::string pdf = TinyPdf("x");
  StringSource src(pdf);
  ASSERT_OK(formats::bagit::WriteBag(t_.Sub("bag"), {{"a.pdf", &src}}, {}));
  const Intake in = Read(t_.Sub("bag"));
  EXPECT_EQ(in.kind, PackageKind::kBagit);
  ExpectProblem(in, "metadata.missing", "bag-info.txt");
}

TEST_F(IntakeTest, BagProblemsAreMapped) {
  const std::string pdf = TinyPdf("x");
  const std::string json = R"({"document": {"issued_date": "2024-03-01", "organ_name": "UBND xã A",
    "subject": "Báo cáo", "code_number": "12", "code_notation": "BC-UBND",
    "signers": [{"position": "Chủ tịch", "full_name": "Lê Văn C"}]}})";
  StringSource a(pdf), b(json), c(pdf);
  ASSERT_OK(formats::bagit::WriteBag(t_.Sub("bag"), {{"a.pdf", &a}, {"a.pdf.json", &b}, {"c.pdf", &c}}, {}));
  testing::FlipByte(t_.Sub("bag/data/a.pdf"), 12);
  ASSERT_OK(RemoveFile(t_.Sub("bag/data/c.pdf")));
  WriteTestFile(t_.Sub("bag/bag-info.txt"), ReadTestFile(t_.Sub("bag/bag-info.txt")) + "Contact-Name: X\n");
  const Intake in = Read(t_.Sub("bag"));
  EXPECT_EQ(in.kind, PackageKind::kSidecar);
  EXPECT_TRUE(in.in_bag);
  ExpectProblem(in, "file.checksum_mismatch", "data/a.pdf");
  ExpectProblem(in, "file.missing", "data/c.pdf");
  ExpectProblem(in, "bagit.checksum-mismatch", "bag-info.txt");
}

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

// The Library of Congress suite through intake: the package-level outcome
// (problems from the bag checks: bagit.* and file.*) is the suite's; record
// metadata is a separate matter (these bags carry none).
TEST_F(IntakeTest, BagitConformanceSuiteOutcomes) {
  const std::string suite = std::string(KHOLUU_CORPUS_DIR) + "/bagit-conformance";
  if (!IsDirectory(suite)) GTEST_SKIP() << "BagIt conformance suite not found at " << suite;
  int checked = 0;
  for (const std::string& version : Subdirs(suite)) {
    if (version.empty() || version[0] != 'v') continue;
    for (const std::string& category : Subdirs(JoinPath(suite, version))) {
      if (category == "windows-only") continue;
      for (const std::string& bag : Subdirs(JoinPath(JoinPath(suite, version), category))) {
        const std::string path = suite + "/" + version + "/" + category + "/" + bag;
        SCOPED_TRACE(path);
        const Intake in = Read(path);
        size_t bag_errors = 0, bag_warnings = 0;
        for (const Problem& p : in.problems) {
          if (p.code.rfind("bagit.", 0) != 0 && p.code.rfind("file.", 0) != 0 &&
              p.code.rfind("package.", 0) != 0) {
            continue;
          }
          (p.severity == Severity::kError ? bag_errors : bag_warnings)++;
        }
        if (category == "valid") {
          EXPECT_EQ(bag_errors, 0u) << Describe(in);
        } else if (category == "warning") {
          EXPECT_EQ(bag_errors, 0u) << Describe(in);
          EXPECT_GT(bag_warnings, 0u) << Describe(in);
        } else {
          EXPECT_GT(bag_errors, 0u) << Describe(in);
          EXPECT_TRUE(in.HasErrors());
        }
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 50);
}

// ---------------------------------------------------------------- batches

std::string BatchCsv(const std::vector<std::string>& paths, const std::string& number = "12") {
  std::string csv =
      "Số và ký hiệu hồ sơ,Tiêu đề hồ sơ,Thời hạn bảo quản,Số thứ tự văn bản trong hồ sơ,Số của văn bản,"
      "Ký hiệu của văn bản,Ngày/Tháng/Năm văn bản,,,Tên cơ quan tổ chức ban hành văn bản,Trích yếu nội dung,"
      "Đường dẫn file\n";
  int i = 0;
  for (const std::string& p : paths) {
    ++i;
    csv += "K4.01.01,Hồ sơ số hóa xã A năm 2024,Vĩnh viễn," + std::to_string(i) + "," + number +
           ",QĐ-UBND,1" + std::to_string(i) + ",3,2024,UBND xã A,Quyết định số " + std::to_string(i) + "," + p +
           "\n";
  }
  return csv;
}

TEST_F(IntakeTest, BatchFolderIsRead) {
  ASSERT_OK(CreateDirs(t_.Sub("lo/scans")));
  WriteTestFile(t_.Sub("lo/scans/1.pdf"), TinyPdf("1"));
  WriteTestFile(t_.Sub("lo/scans/2.pdf"), TinyPdf("2"));
  WriteTestFile(t_.Sub("lo/danh muc.csv"), BatchCsv({"scans/1.pdf", "scans\\2.pdf"}));
  ASSERT_OK_AND_ASSIGN(PackageKind kind, DetectPackageKind(t_.Sub("lo")));
  EXPECT_EQ(kind, PackageKind::kBatch);
  const Intake in = Read(t_.Sub("lo"));
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  ASSERT_EQ(in.record_files.size(), 1u);
  ASSERT_EQ(in.documents.size(), 2u);
  EXPECT_EQ(in.documents[0].files[0].media_type, "application/pdf");
  ExpectProblem(in, "batch.windows_path", "danh muc.csv!row 3");
  EXPECT_EQ(in.documents[1].warnings.size(), 1u);
}

TEST_F(IntakeTest, BatchMissingScanAndUnlistedScan) {
  ASSERT_OK(CreateDirs(t_.Sub("lo/scans")));
  WriteTestFile(t_.Sub("lo/scans/1.pdf"), TinyPdf("1"));
  WriteTestFile(t_.Sub("lo/scans/extra.pdf"), TinyPdf("x"));
  WriteTestFile(t_.Sub("lo/sheet.csv"), BatchCsv({"scans/1.pdf", "scans/2.pdf"}));
  const Intake in = Read(t_.Sub("lo"));
  ExpectProblem(in, "file.missing", "sheet.csv!row 3");
  ExpectProblem(in, "file.unlisted", "scans/extra.pdf");
}

TEST_F(IntakeTest, BatchReaderProblemsKeepTheirCode) {
  ASSERT_OK(CreateDirs(t_.Sub("lo")));
  WriteTestFile(t_.Sub("lo/1.pdf"), TinyPdf("1"));
  std::string csv = BatchCsv({"1.pdf"});
  csv.replace(csv.find("Tiêu đề hồ sơ"), std::string("Tiêu đề hồ sơ").size(), "Ghi chú");
  WriteTestFile(t_.Sub("lo/sheet.csv"), csv);
  const Intake in = Read(t_.Sub("lo"));
  ExpectProblem(in, "batch.missing-column", "sheet.csv");
}

TEST_F(IntakeTest, BatchNeedsTheAgency) {
  ASSERT_OK(CreateDirs(t_.Sub("lo")));
  WriteTestFile(t_.Sub("lo/1.pdf"), TinyPdf("1"));
  WriteTestFile(t_.Sub("lo/sheet.csv"), BatchCsv({"1.pdf"}));
  IntakeOptions o = Options();
  o.organ_id.clear();
  const Intake in = Read(t_.Sub("lo"), o);
  ExpectProblem(in, "batch.organ_id_missing", "sheet.csv");
}

TEST_F(IntakeTest, RealScansAsABatch) {
  const std::string scans = std::string(KHOLUU_CORPUS_DIR) + "/scans-real";
  if (!IsDirectory(scans)) GTEST_SKIP() << "real scans not found at " << scans;
  auto names = ListDir(scans);
  ASSERT_TRUE(names.ok());
  std::sort(names->begin(), names->end());
  ASSERT_OK(CreateDirs(t_.Sub("lo/scans")));
  std::vector<std::string> rel;
  for (const std::string& n : *names) {
    WriteTestFile(t_.Sub("lo/scans/") + n, ReadTestFile(scans + "/" + n));
    rel.push_back("scans\\" + n);
  }
  WriteTestFile(t_.Sub("lo/sheet.csv"), BatchCsv(rel));
  const Intake in = Read(t_.Sub("lo"));
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  ASSERT_EQ(in.documents.size(), names->size());
  for (const IntakeDocument& d : in.documents) {
    ASSERT_EQ(d.files.size(), 1u);
    EXPECT_EQ(d.files[0].media_type, "application/pdf");
    EXPECT_EQ(d.files[0].format_version, "1.5");
    EXPECT_EQ(d.files[0].sha256, Sha256Of(ReadTestFile(scans + "/" + d.files[0].name)));
  }
}

// ---------------------------------------------------------------- sidecars

std::string Sidecar(const std::string& document_fields, const std::string& extra_top = "") {
  return R"({)" + extra_top + R"("record_file": {"file_code": "000.00.00.G22.2024.01.TCCB",
      "title": "Hồ sơ tuyển dụng năm 2024", "maintenance": "Vĩnh viễn", "rights": "Công khai",
      "start_date": "05/01/2024", "end_date": "20/12/2024"},
    "document": {"type_name": "Quyết định", "code_number": "05", "code_notation": "QĐ-VPCP",
      "issued_date": "15/03/2024", "organ_id": "000.00.00.G22", "organ_name": "Văn phòng Chính phủ",
      "subject": "Quyết định công nhận kết quả tuyển dụng",
      "signers": [{"position": "Bộ trưởng", "full_name": "Trần Văn Bình"}])" +
         document_fields + "}}";
}

TEST_F(IntakeTest, SidecarLooseFileIsRead) {
  const std::string pdf = TinyPdf("qđ 05");
  WriteTestFile(t_.Sub("qd05.pdf"), pdf);
  WriteTestFile(t_.Sub("qd05.pdf.json"),
                Sidecar(R"(, "file": {"sha256": ")" + Sha256Of(pdf).ToHex() + R"(", "media_type": "application/pdf"})"));
  WriteTestFile(t_.Sub("unrelated.txt"), "not part of it");
  for (const std::string& path : {t_.Sub("qd05.pdf"), t_.Sub("qd05.pdf.json")}) {
    ASSERT_OK_AND_ASSIGN(PackageKind kind, DetectPackageKind(path));
    EXPECT_EQ(kind, PackageKind::kSidecar);
    const Intake in = Read(path);
    EXPECT_FALSE(in.HasErrors()) << Describe(in);
    EXPECT_EQ(in.WarningCount(), 0u) << Describe(in);
    ASSERT_EQ(in.record_files.size(), 1u);
    EXPECT_EQ(in.record_files[0].record_file.start_date, "2024-01-05");
    EXPECT_EQ(in.record_files[0].record_file.rights, model::AccessLevel::kPublic);
    ASSERT_EQ(in.documents.size(), 1u);
    EXPECT_EQ(in.documents[0].document.issued_date, "2024-03-15");
    EXPECT_EQ(in.documents[0].document.code_number, "05");
    EXPECT_EQ(in.documents[0].document.file_code.ToString(), "000.00.00.G22.2024.01.TCCB");
    EXPECT_EQ(in.documents[0].files[0].sha256, Sha256Of(pdf));
  }
}

class SidecarDir : public IntakeTest {
 protected:
  // A folder with one PDF and its sidecar (document fields added).
  Intake ReadOne(const std::string& document_fields, const std::string& bytes = "",
                 const std::string& extra_top = "") {
    const std::string dir = t_.Sub("d" + std::to_string(++dirs_));
    EXPECT_OK(CreateDirs(dir));
    WriteTestFile(dir + "/a.pdf", bytes.empty() ? TinyPdf("a") : bytes);
    WriteTestFile(dir + "/a.pdf.json", Sidecar(document_fields, extra_top));
    return Read(dir);
  }
  int dirs_ = 0;
};

TEST_F(SidecarDir, ChecksumAndSizeMismatch) {
  Intake in = ReadOne(R"(, "file": {"sha256": ")" + std::string(64, 'a') + R"(", "size": 3})");
  ExpectProblem(in, "file.checksum_mismatch", "a.pdf");
  ExpectProblem(in, "file.size_mismatch", "a.pdf");
}

TEST_F(SidecarDir, DamagedAndUnknownContent) {
  std::string cut = TinyPdf("a");
  cut.resize(cut.size() - 10);
  ExpectProblem(ReadOne("", cut), "file.damaged", "a.pdf");
  // Bytes of no known format sent as a PDF (by name), or as a docx (by its
  // declared type): corrupt, refused.
  const std::string junk("\x00\x01\x02\x03\xff\xfe", 6);
  const Intake as_pdf = ReadOne("", junk);
  ExpectProblem(as_pdf, "file.damaged", "a.pdf");
  ASSERT_FALSE(Find(as_pdf, "file.damaged").empty());
  EXPECT_THAT(Find(as_pdf, "file.damaged").front().message_en, ::testing::HasSubstr("sent as application/pdf"));
  const Intake as_docx = ReadOne(
      R"(, "file": {"media_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})", junk);
  ASSERT_FALSE(Find(as_docx, "file.damaged").empty());
  EXPECT_THAT(Find(as_docx, "file.damaged").front().message_en, ::testing::HasSubstr("wordprocessingml"));
  // The same bytes under a name that promises no format: kept, with a warning.
  const std::string dir = t_.Sub("unknown");
  ASSERT_OK(CreateDirs(dir));
  WriteTestFile(dir + "/a.dat", junk);
  WriteTestFile(dir + "/a.dat.json", Sidecar(""));
  const Intake unknown = Read(dir);
  ExpectProblem(unknown, "file.unknown_format", "a.dat");
  EXPECT_FALSE(unknown.HasErrors()) << Describe(unknown);
}

TEST_F(SidecarDir, DeclaredMediaType) {
  ExpectProblem(ReadOne(R"(, "file": {"media_type": "image/jpeg"})"), "file.media_type_mismatch", "a.pdf");
}

TEST_F(SidecarDir, MetadataValues) {
  ExpectProblem(ReadOne(R"(, "subject": "")"), "metadata.invalid", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "colour": "blue")"), "metadata.unknown_field", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "code_number": "")"), "metadata.no_number", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "code_notation": "qd bnv")"), "metadata.notation_format", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "signers": [])"), "metadata.no_signer", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "organ_id": "28.22.H17")"), "metadata.organ_id_format", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "issued_date": "2030-01-01")"), "metadata.date_future", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "issued_date": "1700-01-01")"), "metadata.date_implausible", "a.pdf.json");
  ExpectProblem(ReadOne(R"(, "issued_date": "2023-06-01")"), "metadata.date_outside_file", "a.pdf.json");
  // Legitimate incompleteness is accepted.
  EXPECT_FALSE(ReadOne(R"(, "code_number": "", "signers": [])").HasErrors());
}

TEST_F(SidecarDir, DocTotalDiffers) {
  std::string s = Sidecar("");
  s.replace(s.find("\"title\""), 0, "\"doc_total\": 3, ");
  ASSERT_OK(CreateDirs(t_.Sub("dt")));
  WriteTestFile(t_.Sub("dt/a.pdf"), TinyPdf("a"));
  WriteTestFile(t_.Sub("dt/a.pdf.json"), s);
  const Intake in = Read(t_.Sub("dt"));
  ExpectProblem(in, "metadata.doc_total", "a.pdf.json");
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
}

TEST_F(IntakeTest, SidecarProblemsOfTheFolder) {
  ASSERT_OK(CreateDirs(t_.Sub("d")));
  WriteTestFile(t_.Sub("d/a.pdf"), TinyPdf("a"));
  WriteTestFile(t_.Sub("d/a.pdf.json"), Sidecar(""));
  WriteTestFile(t_.Sub("d/b.pdf"), TinyPdf("b"));
  std::string other = Sidecar("");
  other.replace(other.find("Hồ sơ tuyển dụng"), std::string("Hồ sơ tuyển dụng").size(), "Hồ sơ khác");
  WriteTestFile(t_.Sub("d/b.pdf.json"), other);
  WriteTestFile(t_.Sub("d/c.pdf"), TinyPdf("c"));
  WriteTestFile(t_.Sub("d/c.pdf.json"), "{ not json");
  WriteTestFile(t_.Sub("d/gone.pdf.json"), Sidecar(""));
  WriteTestFile(t_.Sub("d/stray.pdf"), TinyPdf("s"));
  const Intake in = Read(t_.Sub("d"));
  EXPECT_EQ(in.kind, PackageKind::kSidecar);
  ExpectProblem(in, "metadata.inconsistent", "b.pdf.json");
  ExpectProblem(in, "metadata.unusable", "c.pdf.json");
  ExpectProblem(in, "file.missing", "gone.pdf");
  ExpectProblem(in, "file.unlisted", "stray.pdf");
  // c.pdf has an unusable sidecar: it is not listed either.
  ExpectProblem(in, "file.unlisted", "c.pdf");
}

TEST_F(IntakeTest, RecordFileAloneIsAnEmptyPackage) {
  ASSERT_OK(CreateDirs(t_.Sub("d")));
  WriteTestFile(t_.Sub("d/record_file.json"),
                R"({"record_file": {"file_code": "000.00.00.G22.2024.01.TCCB", "title": "Hồ sơ"}})");
  const Intake in = Read(t_.Sub("d"));
  ExpectProblem(in, "package.empty", "");
}

TEST_F(IntakeTest, RealScansWithSidecars) {
  const std::string scans = std::string(KHOLUU_CORPUS_DIR) + "/scans-real";
  if (!IsDirectory(scans)) GTEST_SKIP() << "real scans not found at " << scans;
  auto names = ListDir(scans);
  ASSERT_TRUE(names.ok());
  ASSERT_OK(CreateDirs(t_.Sub("d")));
  for (const std::string& n : *names) {
    const std::string bytes = ReadTestFile(scans + "/" + n);
    WriteTestFile(t_.Sub("d/") + n, bytes);
    WriteTestFile(t_.Sub("d/") + n + ".json",
                  Sidecar(R"(, "file": {"sha256": ")" + Sha256Of(bytes).ToHex() + R"(", "media_type": "application/pdf"})"));
  }
  const Intake in = Read(t_.Sub("d"));
  EXPECT_FALSE(in.HasErrors()) << Describe(in);
  EXPECT_EQ(in.documents.size(), names->size());
  for (const IntakeDocument& d : in.documents) EXPECT_EQ(d.files[0].media_type, "application/pdf");
}

TEST(ProblemCodesTest, FileUnreadableNeedsAnUnprivilegedUser) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads every file: file.unreadable cannot be provoked";
  TempDir t;
  ManualClock clock(kNow);
  ASSERT_OK(CreateDirs(t.Sub("d")));
  WriteTestFile(t.Sub("d/a.pdf"), TinyPdf("a"));
  WriteTestFile(t.Sub("d/a.pdf.json"), Sidecar(""));
  ASSERT_EQ(chmod(t.Sub("d/a.pdf").c_str(), 0), 0);
  IntakeOptions o;
  o.staging_dir = t.Sub("stage");
  o.clock = &clock;
  ASSERT_OK_AND_ASSIGN(Intake in, ReadPackage(t.Sub("d"), o));
  ExpectProblem(in, "file.unreadable", "a.pdf");
}

// Every registered code is documented in docs/ingest.md.
TEST(ProblemCodesTest, EveryCodeIsDocumented) {
  const std::string doc_path = std::string(KHOLUU_SOURCE_DIR) + "/docs/ingest.md";
  std::ifstream f(doc_path);
  if (!f) GTEST_SKIP() << doc_path << " not found (built out of tree)";
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string doc = ss.str();
  for (const ProblemCodeInfo& info : ProblemCodes()) {
    EXPECT_NE(doc.find("`" + std::string(info.code) + "`"), std::string::npos) << info.code;
    EXPECT_FALSE(info.meaning_vi.empty());
  }
}

}  // namespace
}  // namespace kholuu::ingest
