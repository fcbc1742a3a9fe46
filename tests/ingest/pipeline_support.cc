#include "tests/ingest/pipeline_support.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <deque>
#include <functional>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/bagit/bag.h"
#include "formats/common/text.h"
#include "formats/package/mets_package.h"
#include "tests/formats/pdfsig/test_pdf.h"
#include "tests/support/fixtures.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"

namespace kholuu::testing {

std::string TinyPdf(const std::string& text) {
  return "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
         "3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n% " +
         text + "\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}

const TestPki& Pki() {
  static const TestPki* pki = new TestPki();
  return *pki;
}

std::string SignedPdf(int extra_pages) {
  TestPdf pdf;
  for (int i = 0; i < extra_pages; ++i) pdf.AppendPage();
  TestPdf::SignSpec spec;
  spec.sign = [](std::string_view content) {
    CmsSignOptions cms;
    cms.adbe_crls = Pki().Crls();
    return Pki().SignDetached(content, Pki().signer, cms);
  };
  EXPECT_TRUE(pdf.Sign(spec));
  return pdf.bytes();
}

std::string EdxmlAttachment(const std::string& cid, const std::string& name, const std::string& type,
                            const std::string& bytes) {
  return "<Attachment><ContentId>" + cid + "</ContentId><AttachmentName>" + name +
         "</AttachmentName><ContentType>" + type + "</ContentType><ContentTransferEncoded>" + formats::Base64Encode(bytes) +
         "</ContentTransferEncoded></Attachment>";
}

std::string EdxmlReference(const std::string& cid, const std::string& name, const std::string& type) {
  return "<edXML:Reference><edXML:ContentId>cid:" + cid + "</edXML:ContentId><edXML:ContentType>" + type +
         "</edXML:ContentType><edXML:AttachmentName>" + name + "</edXML:AttachmentName></edXML:Reference>";
}

std::string XmlSignatureTemplate() {
  return R"(<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue></DigestValue></Reference></SignedInfo><SignatureValue></SignatureValue><KeyInfo><X509Data><X509Certificate></X509Certificate></X509Data></KeyInfo></Signature>)";
}

std::string SignWithXmlsec(const std::string& xml, const std::string& work) {
  const std::string xmlsec = "/usr/bin/xmlsec1";
  if (access(xmlsec.c_str(), X_OK) != 0) return "";
  EXPECT_OK(CreateDirs(work));
  WriteTestFile(work + "/key.pem", TestPki::KeyPem(Pki().signer));
  WriteTestFile(work + "/cert.pem", TestPki::CertPem(Pki().signer));
  WriteTestFile(work + "/ca.pem", TestPki::CertPem(Pki().intermediate));
  WriteTestFile(work + "/in.xml", xml);
  RunResult r = Run({xmlsec, "--sign", "--privkey-pem", work + "/key.pem," + work + "/cert.pem," + work + "/ca.pem",
                     "--output", work + "/out.xml", work + "/in.xml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? ReadTestFile(work + "/out.xml") : "";
}

std::string Edxml(const EdxmlSpec& s) {
  std::string business = "<edXML:BussinessDocType>" + std::to_string(s.business_doc_type) +
                         "</edXML:BussinessDocType><edXML:BussinessDocReason>" +
                         (s.business_doc_type == 0 ? "Văn bản điện tử mới" : "Điều chỉnh theo yêu cầu") +
                         "</edXML:BussinessDocReason>";
  if (!s.business_document_id.empty()) {
    business = "<edXML:DocumentId>" + s.business_document_id + "</edXML:DocumentId>" + business;
  }
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
<edXML:edXMLHeader>
<edXML:MessageHeader>
<edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId><edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:From>
<edXML:To><edXML:OrganId>000.00.00.H49</edXML:OrganId><edXML:OrganName>UBND tỉnh Quảng Ninh</edXML:OrganName></edXML:To>
<edXML:Code><edXML:CodeNumber>)" +
         s.code_number + R"(</edXML:CodeNumber><edXML:CodeNotation>VPCP-TCCB</edXML:CodeNotation></edXML:Code>
<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>)" +
         s.promulgation_date + R"(</edXML:PromulgationDate></edXML:PromulgationInfo>
<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
<edXML:Subject>)" + s.subject +
         R"(</edXML:Subject>
<edXML:Content>)" + s.subject +
         R"(</edXML:Content>
<edXML:SignerInfo><edXML:Competence>KT. BỘ TRƯỞNG</edXML:Competence><edXML:Position>Thứ trưởng</edXML:Position><edXML:FullName>Nguyễn Văn A</edXML:FullName></edXML:SignerInfo>
<edXML:DocumentId>)" + s.document_id +
         R"(</edXML:DocumentId>
</edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:Bussiness>)" +
         business + R"(</edXML:Bussiness></edXML:TraceHeaderList>
)" + s.signature + R"(
</edXML:edXMLHeader>
<edXML:edXMLBody><edXML:edXMLManifest version="1.0">)" +
         s.manifest + R"(</edXML:edXMLManifest></edXML:edXMLBody>
</edXML:edXMLEnvelope>
<AttachmentEncoded>)" + s.attachments +
         "</AttachmentEncoded>\n</edXML>\n";
}

std::string BatchCsv(const std::vector<std::string>& paths, const std::vector<std::string>& subjects) {
  std::string csv =
      "Số và ký hiệu hồ sơ,Tiêu đề hồ sơ,Thời hạn bảo quản,Số thứ tự văn bản trong hồ sơ,Số của văn bản,"
      "Ký hiệu của văn bản,Ngày/Tháng/Năm văn bản,,,Tên cơ quan tổ chức ban hành văn bản,Trích yếu nội dung,"
      "Đường dẫn file\n";
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    csv += "K4.01.01,Hồ sơ số hóa xã A năm 2024,Vĩnh viễn," + n + "," + std::to_string(20 + i) +
           ",QĐ-UBND,1" + n + ",3,2024,UBND xã A," + subjects.at(i) + "," + paths[i] + "\n";
  }
  return csv;
}

const std::vector<Words>& PlaceNames() {
  static const std::vector<Words> k = {
      {"Hà Giang", "ha giang"},       {"Cao Bằng", "cao bang"},       {"Lạng Sơn", "lang son"},
      {"Điện Biên", "dien bien"},     {"Lào Cai", "lao cai"},         {"Yên Bái", "yen bai"},
      {"Tuyên Quang", "tuyen quang"}, {"Thái Nguyên", "thai nguyen"}, {"Bắc Giang", "bac giang"},
      {"Hải Dương", "hai duong"},     {"Hưng Yên", "hung yen"},       {"Thái Bình", "thai binh"},
      {"Nam Định", "nam dinh"},       {"Ninh Bình", "ninh binh"},     {"Thanh Hóa", "thanh hoa"},
      {"Nghệ An", "nghe an"},         {"Hà Tĩnh", "ha tinh"},         {"Quảng Bình", "quang binh"},
      {"Quảng Trị", "quang tri"},     {"Đà Nẵng", "da nang"},         {"Quảng Ngãi", "quang ngai"},
      {"Bình Định", "binh dinh"},     {"Phú Yên", "phu yen"},         {"Khánh Hòa", "khanh hoa"},
      {"Ninh Thuận", "ninh thuan"},   {"Bình Thuận", "binh thuan"},   {"Kon Tum", "kon tum"},
      {"Gia Lai", "gia lai"},         {"Đắk Lắk", "dak lak"},         {"Lâm Đồng", "lam dong"},
      {"Tây Ninh", "tay ninh"},       {"Đồng Nai", "dong nai"},       {"Long An", "long an"},
      {"Tiền Giang", "tien giang"},   {"Bến Tre", "ben tre"},         {"Trà Vinh", "tra vinh"},
      {"Vĩnh Long", "vinh long"},     {"Đồng Tháp", "dong thap"},     {"An Giang", "an giang"},
      {"Kiên Giang", "kien giang"},   {"Cần Thơ", "can tho"},         {"Hậu Giang", "hau giang"},
      {"Sóc Trăng", "soc trang"},     {"Bạc Liêu", "bac lieu"},       {"Cà Mau", "ca mau"},
  };
  return k;
}

std::string SidecarJson(const std::string& subject, int number, const std::string& document_fields) {
  return R"({"record_file": {"file_code": "000.00.00.G22.2024.01.TCCB",
      "title": "Hồ sơ tuyển dụng năm 2024", "maintenance": "Vĩnh viễn", "rights": "Công khai",
      "start_date": "05/01/2024", "end_date": "20/12/2024"},
    "document": {"type_name": "Quyết định", "code_number": ")" +
         std::to_string(number) + R"(", "code_notation": "QĐ-VPCP",
      "issued_date": "15/03/2024", "organ_id": "000.00.00.G22", "organ_name": "Văn phòng Chính phủ",
      "subject": ")" +
         subject + R"(",
      "signers": [{"position": "Bộ trưởng", "full_name": "Trần Văn Bình"}])" +
         document_fields + "}}";
}

void ExportMets(const std::string& dir, int file_n, const std::vector<std::string>& pdfs,
                const std::vector<std::string>& subjects) {
  formats::package::Package p;
  p.object_id = "urn:uuid:0b5e3b4e-2f0e-4a57-9d55-1d0d0a5b7c0" + std::to_string(file_n % 10);
  p.created_micros = kPipelineNow - 86400LL * 1000000;
  p.record_file = SampleRecordFile(file_n);
  p.record_file.doc_total = static_cast<int32_t>(pdfs.size());
  std::deque<StringSource> sources;
  for (size_t i = 0; i < pdfs.size(); ++i) {
    sources.emplace_back(pdfs[i]);
    formats::package::PackageDocument d;
    d.document = SampleDocument(p.record_file, static_cast<int>(i + 1));
    d.document.subject = subjects.at(i);
    d.document.edxml_document_id.clear();
    formats::package::PackageComponent c;
    c.component = SampleComponent(d.document, Sha256(), 0);
    c.component.format_version = "1.4";
    c.source = &sources.back();
    d.components.push_back(std::move(c));
    p.documents.push_back(std::move(d));
  }
  ASSERT_OK(formats::package::ExportPackage(dir, p));
}

std::vector<TestEntry> TreeEntries(const std::string& dir, const std::string& prefix) {
  std::vector<TestEntry> out;
  std::function<void(const std::string&)> walk = [&](const std::string& rel) {
    auto names = ListDir(rel.empty() ? dir : dir + "/" + rel);
    if (!names.ok()) return;
    std::sort(names->begin(), names->end());
    for (const std::string& n : *names) {
      const std::string r = rel.empty() ? n : rel + "/" + n;
      if (IsDirectory(dir + "/" + r)) {
        walk(r);
      } else {
        out.push_back({prefix + r, ReadTestFile(dir + "/" + r)});
      }
    }
  };
  walk("");
  return out;
}

void BagTree(const std::string& dir, const std::string& bag) {
  const std::vector<TestEntry> files = TreeEntries(dir, "");
  std::deque<StringSource> sources;
  std::vector<formats::bagit::PayloadEntry> payload;
  for (const TestEntry& e : files) {
    sources.emplace_back(e.data);
    payload.push_back({e.path, &sources.back()});
  }
  ASSERT_OK(formats::bagit::WriteBag(bag, payload, {{"Source-Organization", "Văn phòng Chính phủ"}}));
}

namespace {

std::map<std::string, std::string> FileHashes(const std::string& root) {
  std::map<std::string, std::string> out;
  std::function<void(const std::string&)> walk = [&](const std::string& rel) {
    auto names = ListDir(rel.empty() ? root : root + "/" + rel);
    if (!names.ok()) return;
    for (const std::string& n : *names) {
      const std::string r = rel.empty() ? n : rel + "/" + n;
      if (IsDirectory(root + "/" + r)) {
        walk(r);
      } else {
        auto sha = Sha256OfFile(root + "/" + r);
        out[r] = sha.ok() ? sha->ToHex() : "unreadable";
      }
    }
  };
  walk("");
  return out;
}

}  // namespace

void PipelineTest::SetUp() {
  ASSERT_OK_AND_ASSIGN(service_, ingest::Service::Init(ingest::DataDir(dir_.Sub("data")), "test:pipeline"));
  options_.organ_id = "000.00.00.G22";
  options_.limits.clock = &clock_;
  options_.preservation.ocr = false;
  options_.preservation.verify.trust_store.anchors_der.push_back(Pki().root.der);
  options_.preservation.verify.now = static_cast<int64_t>(std::time(nullptr));
}

ingest::Receipt PipelineTest::Ingest(const std::string& path) {
  ingest::Ingester ingester(service_.get(), options_);
  auto r = ingester.Ingest(path);
  EXPECT_OK(r.status());
  return r.ok() ? std::move(*r) : ingest::Receipt{};
}

ArchiveSnapshot PipelineTest::Snapshot() {
  ArchiveSnapshot s;
  auto stats = service_->GetStats();
  EXPECT_OK(stats.status());
  if (stats.ok()) s.counts = stats->counts;
  s.blob_files = FileHashes(service_->data().blobs());
  s.index_files = FileHashes(service_->data().index());
  ingest::SearchRequest req;
  req.query = "tuyen dung";
  req.access_levels = {1, 2, 3};
  auto res = service_->Search(req);
  if (res.ok()) s.search_total = res->total_estimate;
  auto ids = service_->DocumentIds();
  if (ids.ok()) s.document_ids = *ids;
  return s;
}

void PipelineTest::ExpectUnchanged(const ArchiveSnapshot& before, const std::string& job) {
  const ArchiveSnapshot after = Snapshot();
  EXPECT_EQ(after.counts.agencies, before.counts.agencies);
  EXPECT_EQ(after.counts.record_files, before.counts.record_files);
  EXPECT_EQ(after.counts.documents, before.counts.documents);
  EXPECT_EQ(after.counts.components, before.counts.components);
  EXPECT_EQ(after.counts.events, before.counts.events);
  EXPECT_EQ(after.counts.outbox, before.counts.outbox);
  EXPECT_LE(after.counts.jobs, before.counts.jobs + 1);
  EXPECT_EQ(after.document_ids, before.document_ids);
  EXPECT_EQ(after.blob_files, before.blob_files) << "the blob store changed";
  EXPECT_EQ(after.index_files, before.index_files) << "the index changed";
  EXPECT_EQ(after.search_total, before.search_total);
  // Every audit entry added is about the job record itself.
  ASSERT_GE(after.counts.audit_entries, before.counts.audit_entries);
  auto log = service_->AuditLog(after.counts.audit_entries - before.counts.audit_entries);
  ASSERT_OK(log.status());
  if (after.counts.audit_entries > before.counts.audit_entries) {
    ASSERT_EQ(log->size(), after.counts.audit_entries - before.counts.audit_entries);
  }
  for (const archive::AuditEntry& e : *log) {
    if (after.counts.audit_entries == before.counts.audit_entries) break;
    EXPECT_EQ(e.object, job) << e.action << " " << e.detail;
    EXPECT_EQ(e.action.rfind("job.", 0), 0u) << e.action;
  }
  auto audit = service_->VerifyAudit();
  ASSERT_OK(audit.status());
  EXPECT_TRUE(audit->ok) << audit->problem;
  // The staging directory is gone.
  auto spool = ListDir(service_->data().spool());
  if (spool.ok()) {
    for (const std::string& n : *spool) EXPECT_NE(n.rfind("tmp-", 0), 0u) << n;
  }
}

std::vector<std::string> PipelineTest::Find(const std::string& query) {
  ingest::SearchRequest req;
  req.query = query;
  req.limit = 100;
  req.access_levels = {1, 2, 3};
  auto res = service_->Search(req);
  EXPECT_OK(res.status()) << query;
  std::vector<std::string> out;
  if (res.ok()) {
    for (const ingest::SearchHit& h : res->hits) out.push_back(h.document);
  }
  return out;
}

void PipelineTest::ExpectArchived(const ingest::ReceiptDocument& rd, const std::string& original,
                                  const std::string& query_vi, const std::string& query_ascii, bool signed_pdf) {
  SCOPED_TRACE("document " + rd.id);
  ASSERT_FALSE(rd.id.empty());
  ASSERT_OK_AND_ASSIGN(ingest::Described d, service_->Describe(rd.id));
  ASSERT_TRUE(d.document.has_value());

  // The original, bit-exact, by its component id.
  std::string original_id, original_type;
  bool report = false, copy = false;
  for (const std::string& cid : d.components) {
    ASSERT_OK_AND_ASSIGN(ingest::Described c, service_->Describe(cid));
    ASSERT_TRUE(c.component.has_value());
    EXPECT_TRUE(c.blob_present) << cid;
    if (c.component->role == model::ComponentRole::kOriginal && c.component->sha256 == Sha256Of(original)) {
      original_id = cid;
      original_type = c.component->media_type;
    }
    report = report || c.component->role == model::ComponentRole::kReport;
    copy = copy || c.component->role == model::ComponentRole::kPreservationCopy;
  }
  ASSERT_FALSE(original_id.empty()) << "no original with the received bytes";
  const std::string out = Sub("retrieved-" + std::to_string(++outs_));
  ASSERT_OK_AND_ASSIGN(ingest::Retrieved got, service_->Retrieve(original_id, model::ComponentRole::kOriginal, out));
  EXPECT_EQ(got.component.id, original_id);
  EXPECT_TRUE(ReadTestFile(out) == original) << "the original did not come back bit-exact";

  // Preservation: a checked copy (or a PDF/A original standing as its own),
  // or a recorded risk with the failed normalisation event.
  EXPECT_TRUE(rd.preservation == "preserved" || rd.preservation == "at_risk") << rd.preservation;
  if (rd.preservation == "preserved") {
    EXPECT_TRUE(d.document->preservation_risk.empty());
  }
  if (rd.preservation == "preserved" && original_type == "application/pdf") {
    const std::string pc = Sub("copy-" + std::to_string(++outs_));
    EXPECT_OK(service_->Retrieve(rd.id, model::ComponentRole::kPreservationCopy, pc).status());
  } else if (rd.preservation == "at_risk") {
    EXPECT_FALSE(copy);
    EXPECT_FALSE(d.document->preservation_risk.empty());
    EXPECT_EQ(d.document->preservation_risk, rd.risk);
  }

  // Events: the ingestion of the document and of its original.
  bool ingested = false, sig_event = false;
  for (const model::Event& e : d.events) {
    ingested = ingested || (e.type == model::EventType::kIngestion && e.outcome == model::EventOutcome::kSuccess);
    sig_event = sig_event || e.type == model::EventType::kSignatureVerification;
  }
  EXPECT_TRUE(ingested);
  ASSERT_OK_AND_ASSIGN(ingest::Described oc, service_->Describe(original_id));
  bool original_ingested = false;
  for (const model::Event& e : oc.events) {
    original_ingested = original_ingested || e.type == model::EventType::kIngestion;
    sig_event = sig_event || e.type == model::EventType::kSignatureVerification;
  }
  EXPECT_TRUE(original_ingested);
  if (signed_pdf) {
    EXPECT_TRUE(report) << "no signature report component";
    EXPECT_TRUE(sig_event) << "no signature verification event";
  }

  // Audit: the creation of the document and of its original, and the
  // retrieval just made; the chain verifies.
  ASSERT_OK_AND_ASSIGN(std::vector<archive::AuditEntry> log, service_->AuditLog(0));
  bool doc_created = false, comp_created = false, accessed = false;
  for (const archive::AuditEntry& e : log) {
    doc_created = doc_created || (e.action == "document.create" && e.object == rd.id);
    comp_created = comp_created || (e.action == "component.create" && e.object == original_id);
    accessed = accessed || (e.action == "access.get" && e.object == original_id);
  }
  EXPECT_TRUE(doc_created);
  EXPECT_TRUE(comp_created);
  EXPECT_TRUE(accessed);
  ASSERT_OK_AND_ASSIGN(archive::AuditReport audit, service_->VerifyAudit());
  EXPECT_TRUE(audit.ok) << audit.problem;

  // Found with and without diacritics.
  for (const std::string& q : {query_vi, query_ascii}) {
    const std::vector<std::string> hits = Find(q);
    EXPECT_NE(std::find(hits.begin(), hits.end(), rd.id), hits.end()) << "not found by '" << q << "'";
  }
}

std::string ProblemsText(const ingest::Receipt& r) {
  std::string s = std::string(ingest::ReceiptStatusName(r.status)) + ": " + r.detail + "\n";
  for (const ingest::Problem& p : r.problems) {
    s += std::string(p.severity == ingest::Severity::kError ? "  error " : "  warning ") + p.code + " [" +
         p.path + "] " + p.message_en + "\n";
  }
  return s;
}

}  // namespace kholuu::testing
