#include "formats/package/mets_package.h"

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "tests/formats/package/archive_writer.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::formats::package {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::StatusIs;
using ::kholuu::testing::TempDir;
using ::kholuu::testing::WriteTestFile;
using ::testing::HasSubstr;

constexpr int64_t kT0 = 1751335200000000;  // 2025-07-01T09:00:00+07:00

model::RecordFile SampleRecord() {
  model::RecordFile r;
  r.file_code = {"001.03.08.H30", 2024, "K4.01.01"};
  r.title = "Hồ sơ về việc kiện toàn Ban chỉ đạo an toàn vệ sinh thực phẩm năm 2024";
  r.maintenance = "Vĩnh viễn";
  r.rights = model::AccessLevel::kConditional;
  r.creator = "Nguyễn Thị B";
  r.language = "01";
  r.start_date = "2024-01-05";
  r.end_date = "2024-12-20";
  r.doc_total = 3;
  r.page_total = 12;
  r.description = "Có 1 văn bản thiếu số\nghi chú hai dòng";
  r.keywords = "an toàn thực phẩm; Ban chỉ đạo";
  r.number_of_paper = 7;
  r.physical_state = "01";
  r.infor_sign = "ATTP";
  r.confidence = model::Confidence::kDigitised;
  r.paper_file_code = "K4-01-01";
  r.risk_recovery = true;
  r.risk_recovery_status = "02";
  r.fonds_code = "81";
  r.created_micros = kT0 + 123456;
  return r;
}

model::Document SampleDocument(int ordinal) {
  model::Document d;
  d.file_code = {"001.03.08.H30", 2024, "K4.01.01"};
  d.doc_ordinal = ordinal;
  char id[64];
  std::snprintf(id, sizeof id, "001.03.08.H30.2024.K4.01.01.%03d", ordinal);
  d.id = id;
  d.type_name = ordinal == 1 ? "Quyết định" : "Công văn";
  d.code_number = ordinal == 3 ? "" : std::to_string(10 + ordinal);
  d.code_notation = "QĐ-CCATVSTP";
  d.issued_date = "2024-03-0" + std::to_string(ordinal);
  d.organ_id = "001.03.08.H30";
  d.organ_name = "Chi cục An toàn vệ sinh thực phẩm";
  d.subject = "Về việc kiện toàn Ban chỉ đạo <liên ngành> & \"tổ công tác\"";
  d.language = "01";
  d.page_amount = 4;
  d.description = "Bản chính";
  d.signers = {{"Chi cục trưởng", "Trần Văn C"}};
  d.to = {{"000.00.00.H30", "UBND tỉnh"}, {"", "Lưu VT"}};
  d.priority = 1;
  d.issued_amount = 5;
  d.due_date = "2024-04-01";
  d.direction = model::Direction::kIncoming;
  d.arrival_date = "2024-03-10";
  d.arrival_number = 1234;
  d.to_places = "Như trên";
  d.trace_header = "001.03.08.H30 2024/03/01 08:00:00";
  d.edxml_document_id = "001.03.08.H30,2024/03/01,11/QĐ-CCATVSTP";
  d.access = model::AccessLevel::kPublic;
  d.created_micros = kT0 + ordinal;
  return d;
}

struct Sample {
  Package package;
  std::vector<std::string> bytes;  // per component, in order
  std::vector<std::unique_ptr<StringSource>> sources;
};

void Fill(Sample& s, const std::vector<std::string>& contents) {
  s.package.object_id = "urn:81:uuid:9C13E70E-08B2-4C54-8BAF-979B35D01B4D";
  s.package.created_micros = kT0;
  s.package.creator_name = "Chi cục An toàn vệ sinh thực phẩm";
  s.package.record_file = SampleRecord();
  s.bytes = contents;
  // The sources view these strings: no reallocation after this point.
  s.bytes.reserve(contents.size() + 1);
  for (size_t i = 0; i < contents.size(); ++i) {
    PackageDocument d;
    d.document = SampleDocument(static_cast<int>(i) + 1);
    s.sources.push_back(std::make_unique<StringSource>(s.bytes[i]));
    PackageComponent c;
    c.component.id = d.document.id + "/1";
    c.component.document_id = d.document.id;
    c.component.role = model::ComponentRole::kOriginal;
    c.component.name = "Scan " + std::to_string(i + 1) + ".PDF";
    c.component.media_type = "application/pdf";
    c.component.format_version = "1.4";
    c.component.created_micros = kT0 + 5;
    c.source = s.sources.back().get();
    d.components.push_back(std::move(c));
    s.package.documents.push_back(std::move(d));
  }
  // A second component (a derived text) on the first document.
  s.bytes.push_back("văn bản trích xuất");
  s.sources.push_back(std::make_unique<StringSource>(s.bytes.back()));
  PackageComponent t;
  t.component.id = s.package.documents[0].document.id + "/2";
  t.component.document_id = s.package.documents[0].document.id;
  t.component.role = model::ComponentRole::kExtractedText;
  t.component.name = "text.txt";
  t.component.media_type = "text/plain";
  t.component.derived_from = s.package.documents[0].document.id + "/1";
  t.component.created_micros = kT0 + 6;
  t.source = s.sources.back().get();
  s.package.documents[0].components.push_back(std::move(t));
  model::Event e1;
  e1.seq = 7;
  e1.type = model::EventType::kIngestion;
  e1.outcome = model::EventOutcome::kSuccess;
  e1.object_id = s.package.record_file.file_code.ToString();
  e1.detail = "nhận từ lô số hóa\r\nhai dòng";
  e1.agent = "kholuu ingest";
  e1.time_micros = kT0 + 999999;
  model::Event e2 = e1;
  e2.seq = 8;
  e2.type = model::EventType::kFixityCheck;
  e2.outcome = model::EventOutcome::kWarning;
  e2.object_id = s.package.documents.back().document.id + "/1";
  e2.detail = "";
  e2.agent = "kholuu fixity";
  e2.time_micros = kT0 + 3600000000;
  s.package.events = {e1, e2};
}

// The documents' components in package order, with their bytes.
void ExpectSameAsExported(const Sample& s, const Package& got) {
  EXPECT_EQ(got.object_id, s.package.object_id);
  EXPECT_EQ(got.created_micros, s.package.created_micros);
  EXPECT_EQ(got.creator_name, s.package.creator_name);
  EXPECT_EQ(got.record_file, s.package.record_file);
  EXPECT_EQ(got.events, s.package.events);
  ASSERT_EQ(got.documents.size(), s.package.documents.size());
  size_t k = 0;
  std::vector<std::string> order;  // bytes in component order: docs first comps, then the extra
  for (size_t i = 0; i < got.documents.size(); ++i) {
    const PackageDocument& want = s.package.documents[i];
    const PackageDocument& have = got.documents[i];
    EXPECT_EQ(have.document, want.document) << i;
    ASSERT_EQ(have.components.size(), want.components.size()) << i;
    for (size_t c = 0; c < have.components.size(); ++c) {
      model::Component expected = want.components[c].component;
      const std::string& bytes = (i == 0 && c == 1) ? s.bytes.back() : s.bytes[i];
      expected.sha256 = Sha256Of(bytes);
      expected.size = bytes.size();
      EXPECT_EQ(have.components[c].component, expected) << i << "/" << c;
      EXPECT_EQ(ReadTestFile(have.components[c].path), bytes);
      ++k;
    }
  }
  EXPECT_EQ(k, s.bytes.size());
}

TEST(MetsPackageTest, ExportThenImportGivesTheSameValuesAndBytes) {
  TempDir t;
  Sample s;
  Fill(s, {std::string(70000, 'a'), "%PDF-1.4 second", std::string("\0\1\2binary", 9)});
  ASSERT_OK(ExportPackage(t.Sub("pkg"), s.package));
  EXPECT_FALSE(PathExists(t.Sub("pkg.partial")));
  ASSERT_OK_AND_ASSIGN(Package got, ImportPackage(t.Sub("pkg")));
  ExpectSameAsExported(s, got);
  EXPECT_EQ(got.arc_file_code, "001.03.08.H30.2024.K4.01.01");
}

TEST(MetsPackageTest, LayoutIsTheTt05One) {
  TempDir t;
  Sample s;
  Fill(s, {"one", "two"});
  ASSERT_OK(ExportPackage(t.Sub("pkg"), s.package));
  const std::string rep = t.Sub("pkg/representations/rep1");
  for (const std::string& f :
       {t.Sub("pkg/METS.xml"), t.Sub("pkg/metadata/descriptive/EAD.xml"),
        t.Sub("pkg/metadata/preservation/PREMIS.xml"), rep + "/METS.xml",
        rep + "/metadata/preservation/PREMIS_rep1.xml",
        rep + "/metadata/descriptive/EAD_doc_001.03.08.H30.2024.K4.01.01.001.xml",
        rep + "/data/001.03.08.H30.2024.K4.01.01.001.pdf", rep + "/data/001.03.08.H30.2024.K4.01.01.001_2.txt",
        rep + "/data/001.03.08.H30.2024.K4.01.01.002.pdf"}) {
    EXPECT_TRUE(PathExists(f)) << f;
  }
  const std::string mets = ReadTestFile(t.Sub("pkg/METS.xml"));
  EXPECT_THAT(mets, HasSubstr("xmlns:csip=\"https://DILCIS.eu/XML/METS/CSIPExtensionMETS\""));
  EXPECT_THAT(mets, HasSubstr("csip:OAISPACKAGETYPE=\"AIP\""));
  EXPECT_THAT(mets, HasSubstr("OBJID=\"urn:81:uuid:9C13E70E-08B2-4C54-8BAF-979B35D01B4D\""));
  EXPECT_THAT(mets, HasSubstr("CREATEDATE=\"2025-07-01T09:00:00+07:00\""));
  EXPECT_THAT(mets, HasSubstr("CHECKSUMTYPE=\"SHA-256\""));
  EXPECT_THAT(mets, HasSubstr("LABEL=\"CSIP\""));
  EXPECT_THAT(mets, HasSubstr("xlink:href=\"metadata/descriptive/EAD.xml\""));
  const std::string ead = ReadTestFile(t.Sub("pkg/metadata/descriptive/EAD.xml"));
  EXPECT_THAT(ead, HasSubstr("<arcFileCode>001.03.08.H30.2024.K4.01.01</arcFileCode>"));
  EXPECT_THAT(ead, HasSubstr("<mode>02</mode>"));
  EXPECT_THAT(ead, HasSubstr("<confidenceLevel>02</confidenceLevel>"));
  const std::string premis = ReadTestFile(t.Sub("pkg/metadata/preservation/PREMIS.xml"));
  EXPECT_THAT(premis, HasSubstr("xmlns:premis=\"http://www.loc.gov/premis/v3\""));
  EXPECT_THAT(premis, HasSubstr("<premis:eventDateTime>2025-07-01T09:00:00.999999+07:00"));
  const std::string doc = ReadTestFile(rep + "/metadata/descriptive/EAD_doc_001.03.08.H30.2024.K4.01.01.001.xml");
  EXPECT_THAT(doc, HasSubstr("<docCode>001.03.08.H30.2024.K4.01.01.001</docCode>"));
  EXPECT_THAT(doc, HasSubstr("<docOrdinal>001</docOrdinal>"));
}

TEST(MetsPackageTest, RoundTripsTheRealScansThroughAZip) {
  const std::string scans = std::string(KHOLUU_CORPUS_DIR) + "/scans-real";
  if (!IsDirectory(scans)) GTEST_SKIP() << "corpus scans-real not present in " << KHOLUU_CORPUS_DIR;
  std::vector<std::string> contents;
  for (const char* n : {"001.03.08.H30.81.2024.K4.01.01.001.pdf", "001.03.08.H30.81.2024.K4.01.01.002.pdf",
                        "001.03.08.H30.81.2024.K4.01.01.003.pdf"}) {
    ASSERT_OK_AND_ASSIGN(std::string b, ReadFileToString(scans + "/" + n));
    contents.push_back(std::move(b));
  }
  TempDir t;
  Sample s;
  Fill(s, contents);
  ASSERT_OK(ExportPackage(t.Sub("pkg"), s.package));
  // Zip it as the TT05 tooling ships it: one top-level folder named by OBJID.
  std::vector<::kholuu::testing::TestEntry> entries;
  std::vector<std::string> stack = {""};
  while (!stack.empty()) {
    const std::string rel = stack.back();
    stack.pop_back();
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> names, ListDir(JoinPath(t.Sub("pkg"), rel)));
    for (const std::string& n : names) {
      const std::string r = rel.empty() ? n : rel + "/" + n;
      if (IsDirectory(JoinPath(t.Sub("pkg"), r))) {
        stack.push_back(r);
      } else {
        entries.push_back({"urn_81_uuid_9C13E70E/" + r, ReadTestFile(JoinPath(t.Sub("pkg"), r))});
      }
    }
  }
  ::kholuu::testing::WriteTestArchive(t.Sub("pkg.zip"), ::kholuu::testing::TestFormat::kZip, entries);
  ASSERT_OK_AND_ASSIGN(Package got, ImportPackageArchive(t.Sub("pkg.zip"), t.Sub("work")));
  ExpectSameAsExported(s, got);
}

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Fill(s_, {"first scan bytes", "second scan bytes"});
    ASSERT_OK(ExportPackage(dir_, s_.package));
  }
  std::string Rep(const std::string& rel) const { return dir_ + "/representations/rep1/" + rel; }
  // Replaces `from` by `to` in `file`; returns {old text, new text}.
  static std::pair<std::string, std::string> Replace(const std::string& file, const std::string& from,
                                                     const std::string& to) {
    const std::string old_text = ReadTestFile(file);
    std::string text = old_text;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    WriteTestFile(file, text);
    return {old_text, text};
  }
  // Updates the SIZE and CHECKSUM that `mets` records for a file whose text
  // changed, so that only the change under test is wrong.
  static std::pair<std::string, std::string> FixSum(const std::string& mets,
                                                    const std::pair<std::string, std::string>& change) {
    const std::string old_sum = Sha256Of(change.first).ToHex();
    const std::string old_mets = ReadTestFile(mets);
    std::string m = old_mets;
    const size_t s = m.find(old_sum);
    EXPECT_NE(s, std::string::npos);
    if (s == std::string::npos) return {old_mets, m};
    m.replace(s, old_sum.size(), Sha256Of(change.second).ToHex());
    const std::string old_size = "SIZE=\"" + std::to_string(change.first.size()) + "\"";
    const size_t z = m.rfind(old_size, s);
    EXPECT_NE(z, std::string::npos);
    if (z != std::string::npos) {
      m.replace(z, old_size.size(), "SIZE=\"" + std::to_string(change.second.size()) + "\"");
    }
    WriteTestFile(mets, m);
    return {old_mets, m};
  }
  TempDir t_;
  std::string dir_ = t_.Sub("pkg");
  Sample s_;
};

TEST_F(TamperTest, AlteredMissingOrExtraDataFiles) {
  const std::string pdf = Rep("data/001.03.08.H30.2024.K4.01.01.002.pdf");
  ::kholuu::testing::FlipByte(pdf, 3);
  auto r = ImportPackage(dir_);
  EXPECT_THAT(r, StatusIs(StatusCode::kDataLoss));
  EXPECT_THAT(r.status().message(), HasSubstr("SHA-256 mismatch"));
  ::unlink(pdf.c_str());
  EXPECT_THAT(ImportPackage(dir_), StatusIs(StatusCode::kDataLoss));
  WriteTestFile(pdf, "second scan bytes");
  ASSERT_OK(ImportPackage(dir_).status());
  WriteTestFile(Rep("data/stray.pdf"), "not listed");
  auto extra = ImportPackage(dir_);
  EXPECT_THAT(extra, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(extra.status().message(), HasSubstr("stray.pdf"));
  ::unlink(Rep("data/stray.pdf").c_str());
  ASSERT_EQ(::symlink("/etc/passwd", Rep("data/link.pdf").c_str()), 0);
  EXPECT_THAT(ImportPackage(dir_), StatusIs(StatusCode::kInvalidArgument));
}

TEST_F(TamperTest, AlteredMetadataIsCaughtByItsChecksum) {
  const std::string ead = dir_ + "/metadata/descriptive/EAD.xml";
  std::string text = ReadTestFile(ead);
  text.replace(text.find("Hồ sơ"), 3, "HO ");
  WriteTestFile(ead, text);
  EXPECT_THAT(ImportPackage(dir_), StatusIs(StatusCode::kDataLoss));
}

TEST_F(TamperTest, UnsafeHrefsAreRefused) {
  // Checksums fixed, so that the href itself is what is refused.
  FixSum(dir_ + "/METS.xml", Replace(Rep("METS.xml"), "xlink:href=\"data/001.03.08.H30.2024.K4.01.01.002.pdf\"",
                                     "xlink:href=\"../../../../etc/passwd\""));
  auto slip = ImportPackage(dir_);
  EXPECT_THAT(slip, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(slip.status().message(), HasSubstr("leaves the package"));
}

TEST_F(TamperTest, DoctypeAndEntitiesAreRefused) {
  FixSum(dir_ + "/METS.xml", Replace(dir_ + "/metadata/descriptive/EAD.xml", "<ead",
                                     "<!DOCTYPE ead [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<ead"));
  auto xxe = ImportPackage(dir_);
  EXPECT_THAT(xxe, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(xxe.status().message(), HasSubstr("DOCTYPE"));
}

TEST_F(TamperTest, InconsistentMetadataNamesTheFileAndElement) {
  FixSum(dir_ + "/METS.xml",
         FixSum(Rep("METS.xml"), Replace(Rep("metadata/descriptive/EAD_doc_001.03.08.H30.2024.K4.01.01.001.xml"),
                                         "<numberOfPage>4<", "<numberOfPage>four<")));
  auto r = ImportPackage(dir_);
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), HasSubstr("EAD_doc_001.03.08.H30.2024.K4.01.01.001.xml <numberOfPage>"));
}

TEST_F(TamperTest, EmptyTitleFailsValidation) {
  FixSum(dir_ + "/METS.xml",
         Replace(dir_ + "/metadata/descriptive/EAD.xml", "<title>" + s_.package.record_file.title + "</title>",
                 "<title></title>"));
  auto r = ImportPackage(dir_);
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), HasSubstr("title"));
}

TEST(MetsPackageTest, ExportRefusesBadInputAndLeavesNothing) {
  TempDir t;
  {
    Sample s;
    Fill(s, {"a"});
    s.package.record_file.title = "";
    EXPECT_THAT(ExportPackage(t.Sub("p"), s.package), StatusIs(StatusCode::kInvalidArgument));
  }
  {
    Sample s;
    Fill(s, {"a"});
    s.package.documents[0].components[0].component.sha256 = Sha256Of("something else");
    EXPECT_THAT(ExportPackage(t.Sub("p"), s.package), StatusIs(StatusCode::kDataLoss));
  }
  {
    Sample s;
    Fill(s, {"a"});
    s.package.object_id = "9C13E70E";
    EXPECT_THAT(ExportPackage(t.Sub("p"), s.package), StatusIs(StatusCode::kInvalidArgument));
  }
  {
    Sample s;
    Fill(s, {"a"});
    s.package.documents[0].document.id = "../x";
    for (auto& c : s.package.documents[0].components) c.component.document_id = "../x";
    EXPECT_THAT(ExportPackage(t.Sub("p"), s.package), StatusIs(StatusCode::kInvalidArgument));
  }
  EXPECT_FALSE(PathExists(t.Sub("p")));
  EXPECT_FALSE(PathExists(t.Sub("p.partial")));
  Sample s;
  Fill(s, {"a"});
  EXPECT_THAT(ExportPackage(t.path(), s.package), StatusIs(StatusCode::kAlreadyExists));
}

TEST(MetsPackageTest, ReadsTt05EadWithoutKholuuExtensions) {
  const std::string ead =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ead><arcFileCode>001.03.08.H30.81.2024.K4.01.01</arcFileCode>"
      "<title>Tập quyết định</title><maintenance>01</maintenance><mode>1</mode><language>01</language>"
      "<startDate>2024-01-01</startDate><endDate>2024-12-31</endDate><totalDoc>3</totalDoc>"
      "<numberOfPaper>10</numberOfPaper><numberOfPage>50</numberOfPage><riskRecovery>1</riskRecovery>"
      "<riskRecoveryStatus>02</riskRecoveryStatus></ead>";
  std::string arc;
  ASSERT_OK_AND_ASSIGN(model::RecordFile r, ParseEad(ead, &arc));
  EXPECT_EQ(arc, "001.03.08.H30.81.2024.K4.01.01");
  EXPECT_EQ(r.file_code.organ_id, "001.03.08.H30");
  EXPECT_EQ(r.file_code.file_catalog, 2024);
  EXPECT_EQ(r.file_code.file_notation, "K4.01.01");
  EXPECT_EQ(r.fonds_code, "81");
  EXPECT_EQ(r.rights, model::AccessLevel::kPublic);
  EXPECT_EQ(r.number_of_paper, 10);
  EXPECT_TRUE(r.risk_recovery);
  EXPECT_TRUE(r.Validate().empty());
  EXPECT_THAT(ParseEad("<ead><title>x</title></ead>"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseEad("<ead><arcFileCode>1</arcFileCode><totalDoc>x</totalDoc></ead>"),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseEad("<ead><arcFileCode>"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(MetsPackageTest, Iso8601WithTheVietnamOffset) {
  EXPECT_EQ(FormatVnTime(kT0), "2025-07-01T09:00:00+07:00");
  EXPECT_EQ(FormatVnTime(kT0 + 5), "2025-07-01T09:00:00.000005+07:00");
  ASSERT_OK_AND_ASSIGN(int64_t t, ParseIsoTime("2025-07-01T09:00:00+07:00"));
  EXPECT_EQ(t, kT0);
  ASSERT_OK_AND_ASSIGN(int64_t z, ParseIsoTime("2025-07-01T02:00:00.5Z"));
  EXPECT_EQ(z, kT0 + 500000);
  for (int64_t v : {int64_t{0}, kT0 + 1, kT0 + 999999, int64_t{951782400000000}}) {
    ASSERT_OK_AND_ASSIGN(int64_t back, ParseIsoTime(FormatVnTime(v)));
    EXPECT_EQ(back, v);
  }
  for (const char* bad : {"2025-07-01", "2025-02-30T00:00:00Z", "2025-07-01T09:00:00", "2025-07-01T24:00:00Z",
                          "2025-07-01T09:00:00+7:00", "2025-07-01T09:00:00.Z", "x"}) {
    EXPECT_THAT(ParseIsoTime(bad), StatusIs(StatusCode::kInvalidArgument)) << bad;
  }
}

}  // namespace
}  // namespace kholuu::formats::package
