#include "ingest/sample.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <memory>

#include "archive/base/clock.h"
#include "archive/base/file.h"
#include "archive/model/ids.h"
#include "formats/bagit/bag.h"
#include "formats/common/text.h"
#include "formats/convert/pdfa_convert.h"
#include "formats/convert/sandbox.h"
#include "formats/package/mets_package.h"
#include "formats/pdfsig/seal.h"
#include "formats/x509/sign.h"

namespace kholuu::ingest {
namespace {

struct SampleDoc {
  const char* type_name;
  const char* number;
  const char* notation;
  const char* issued;      // YYYY-MM-DD
  const char* organ_id;
  const char* organ_name;
  const char* subject;
  const char* signer_position;
  const char* signer_name;
  std::vector<const char*> body;
};

const SampleDoc kPlan = {
    "Kế hoạch", "12", "KH-UBND", "2024-01-15", "000.00.00.H49", "Ủy ban nhân dân tỉnh Mẫu",
    "Kế hoạch triển khai gửi, nhận văn bản điện tử qua Trục liên thông văn bản quốc gia năm 2024",
    "Chủ tịch", "Lê Văn Minh",
    {"ỦY BAN NHÂN DÂN TỈNH MẪU", "Số: 12/KH-UBND", "KẾ HOẠCH",
     "Triển khai gửi, nhận văn bản điện tử năm 2024",
     "1. Mục tiêu: 100% văn bản đi được ký số và gửi qua Trục liên thông văn bản quốc gia, trừ văn bản mật.",
     "2. Các sở, ban, ngành cập nhật phần mềm quản lý văn bản và báo cáo kết quả trước ngày 30 tháng 6.",
     "3. Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc và tổng hợp kết quả thực hiện."}};

const SampleDoc kReport = {
    "Báo cáo", "45", "BC-VP", "2024-07-02", "000.00.00.H49", "Văn phòng Ủy ban nhân dân tỉnh Mẫu",
    "Báo cáo kết quả gửi, nhận văn bản điện tử sáu tháng đầu năm 2024", "Chánh Văn phòng", "Trần Thị Hoa",
    {"VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH MẪU", "Số: 45/BC-VP", "BÁO CÁO",
     "Kết quả gửi, nhận văn bản điện tử sáu tháng đầu năm 2024",
     "Tổng số văn bản đi: 3.412, trong đó 3.390 văn bản được ký số.",
     "Một số văn bản bị trả lại do sai định dạng hoặc thiếu tệp đính kèm; các đơn vị đã khắc phục."}};

const SampleDoc kLetter = {
    "Công văn", "125", "VPCP-TCCB", "2025-07-01", "000.00.00.G22", "Văn phòng Chính phủ (mẫu)",
    "V/v hướng dẫn lập hồ sơ điện tử và nộp lưu vào Lưu trữ cơ quan", "Chánh Văn phòng", "Nguyễn Văn An",
    {"VĂN PHÒNG CHÍNH PHỦ (MẪU)", "Số: 125/VPCP-TCCB", "V/v hướng dẫn lập hồ sơ điện tử và nộp lưu",
     "Kính gửi: Ủy ban nhân dân tỉnh Mẫu.",
     "Đề nghị các cơ quan lập hồ sơ điện tử theo Nghị định 30/2020/NĐ-CP và nộp lưu hồ sơ đã kết thúc "
     "vào Lưu trữ cơ quan trong thời hạn 01 năm kể từ năm công việc kết thúc."}};

const SampleDoc kDecision = {
    "Quyết định", "215", "QĐ-VPCP", "2023-11-20", "000.00.00.G22", "Văn phòng Chính phủ (mẫu)",
    "Quyết định công nhận kết quả tuyển dụng công chức năm 2023", "Bộ trưởng", "Phạm Quốc Bảo",
    {"QUYẾT ĐỊNH", "Về việc công nhận kết quả tuyển dụng công chức năm 2023",
     "Điều 1. Công nhận kết quả tuyển dụng đối với 12 thí sinh có tên trong danh sách kèm theo.",
     "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."}};

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A flat ODF text document with the document's lines as paragraphs.
std::string Fodt(const SampleDoc& d) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<office:document xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\" "
      "office:mimetype=\"application/vnd.oasis.opendocument.text\">\n<office:body><office:text>\n";
  for (const char* line : d.body) x += "<text:p>" + XmlEscape(line) + "</text:p>\n";
  x += "<text:p/><text:p>" + XmlEscape(std::string(d.signer_position) + ": " + d.signer_name) + "</text:p>\n";
  x += "<text:p>Văn bản mẫu của kholuu, không có giá trị pháp lý.</text:p>\n";
  x += "</office:text></office:body></office:document>\n";
  return x;
}

// The document as a signed PDF/A-2b: converted by formats/convert (checked
// by our validator) and signed by the sample key.
Result<std::string> SignedPdfA(const SampleDoc& d, const formats::pdfsig::SealSigner& signer) {
  KHOLUU_ASSIGN_OR_RETURN(convert::ConversionResult r, convert::ConvertToPdfA2b(Fodt(d), "fodt"));
  if (!r.validated) return InternalError("sample " + std::string(d.notation) + " did not become PDF/A-2b: " + r.reason);
  formats::pdfsig::SealOptions o;
  o.reason = std::string("Ký số ") + d.type_name + " " + d.number + "/" + d.notation;
  o.name = d.signer_name;
  return formats::pdfsig::SealPdf(r.output, signer, o);
}

model::Document ModelOf(const SampleDoc& s, const model::FileCode& file, int32_t ordinal) {
  model::Document d;
  d.file_code = file;
  d.doc_ordinal = ordinal;
  d.id = model::MakeDocumentId(file, ordinal);
  d.type_name = s.type_name;
  d.code_number = s.number;
  d.code_notation = s.notation;
  d.issued_date = s.issued;
  d.organ_id = s.organ_id;
  d.organ_name = s.organ_name;
  d.subject = s.subject;
  d.language = "Tiếng Việt";
  d.signers.push_back({s.signer_position, s.signer_name});
  return d;
}

// An edXML document package (QCVN 102:2016) carrying `pdf`.
std::string Edxml(const SampleDoc& d, const std::string& pdf_name, const std::string& pdf) {
  const std::string date = std::string(d.issued).replace(4, 1, "/").replace(7, 1, "/");
  const std::string document_id = std::string(d.organ_id) + "," + date + "," + d.number + "/" + d.notation;
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">\n"
                     "<edXML:edXMLEnvelope xmlns:edXML=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\">\n"
                     "<edXML:edXMLHeader>\n<edXML:MessageHeader>\n"
                     "<edXML:From><edXML:OrganId>") +
         d.organ_id + "</edXML:OrganId><edXML:OrganName>" + XmlEscape(d.organ_name) +
         "</edXML:OrganName></edXML:From>\n"
         "<edXML:To><edXML:OrganId>000.00.00.H49</edXML:OrganId><edXML:OrganName>Ủy ban nhân dân tỉnh Mẫu"
         "</edXML:OrganName></edXML:To>\n"
         "<edXML:Code><edXML:CodeNumber>" +
         d.number + "</edXML:CodeNumber><edXML:CodeNotation>" + XmlEscape(d.notation) +
         "</edXML:CodeNotation></edXML:Code>\n"
         "<edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>" +
         date +
         "</edXML:PromulgationDate></edXML:PromulgationInfo>\n"
         "<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail><edXML:TypeName>" +
         XmlEscape(d.type_name) + "</edXML:TypeName></edXML:DocumentType>\n<edXML:Subject>" + XmlEscape(d.subject) +
         "</edXML:Subject>\n<edXML:Content>" + XmlEscape(d.subject) +
         "</edXML:Content>\n"
         "<edXML:SignerInfo><edXML:Position>" +
         XmlEscape(d.signer_position) + "</edXML:Position><edXML:FullName>" + XmlEscape(d.signer_name) +
         "</edXML:FullName></edXML:SignerInfo>\n"
         "<edXML:DocumentId>" +
         XmlEscape(document_id) +
         "</edXML:DocumentId>\n</edXML:MessageHeader>\n"
         "<edXML:TraceHeaderList><edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType>"
         "<edXML:BussinessDocReason>Văn bản điện tử mới</edXML:BussinessDocReason></edXML:Bussiness>"
         "</edXML:TraceHeaderList>\n</edXML:edXMLHeader>\n"
         "<edXML:edXMLBody><edXML:edXMLManifest version=\"1.0\"><edXML:Reference><edXML:ContentId>cid:1"
         "</edXML:ContentId><edXML:ContentType>application/pdf</edXML:ContentType><edXML:AttachmentName>" +
         XmlEscape(pdf_name) +
         "</edXML:AttachmentName></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>\n"
         "</edXML:edXMLEnvelope>\n<AttachmentEncoded><Attachment><ContentId>cid:1</ContentId><AttachmentName>" +
         XmlEscape(pdf_name) +
         "</AttachmentName><ContentType>application/pdf</ContentType><ContentTransferEncoded>" + formats::Base64Encode(pdf, 76) +
         "</ContentTransferEncoded></Attachment></AttachmentEncoded>\n</edXML>\n";
}

// A page scanned: the document's PDF rendered by Ghostscript to a 200 dpi
// greyscale TIFF, in the converters' sandbox.
Result<std::string> ScanOf(const std::string& pdf) {
  KHOLUU_ASSIGN_OR_RETURN(std::string gs, convert::FindTool("gs", "ghostscript"));
  KHOLUU_ASSIGN_OR_RETURN(convert::WorkDir work, convert::WorkDir::Create("sample-scan"));
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(work.Sub("in.pdf"), pdf));
  convert::SandboxRequest req;
  req.argv = {gs, "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffgray", "-r200", "-sCompression=lzw",
              "-sOutputFile=" + work.Sub("scan.tif"), work.Sub("in.pdf")};
  req.require_network_isolation = false;
  KHOLUU_ASSIGN_OR_RETURN(convert::SandboxResult r, convert::RunSandboxed(req, work));
  if (!r.succeeded()) return InternalError(r.Describe("gs"));
  return ReadFileToString(work.Sub("scan.tif"), 256u << 20);
}

// Regular files below `dir`, as paths relative to it ('/'-separated), sorted.
Result<std::vector<std::string>> FilesBelow(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file(ec)) out.push_back(fs::relative(it->path(), dir, ec).generic_string());
  }
  if (ec) return InternalError("list " + dir + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<std::vector<std::string>> WriteSamplePackages(const std::string& dir) {
  if (PathExists(dir)) return AlreadyExistsError(dir + " already exists");
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  const int64_t now = SystemClock()->NowMicros();
  KHOLUU_ASSIGN_OR_RETURN(formats::x509::SealCertificate key,
                          formats::x509::GenerateSelfSignedSeal(
                              "CN=Ký số mẫu của kholuu (không có giá trị pháp lý),O=kholuu,C=VN", now / 1000000, 3650));
  const formats::pdfsig::SealSigner signer{key.key_pem, key.cert_pem};
  std::vector<std::string> paths;

  // 1. A TT 05/2025 METS + EAD + PREMIS package of a closed hồ sơ, in a bag.
  {
    formats::package::Package p;
    p.object_id = "urn:uuid:" + Sha256Of("kholuu sample " + std::to_string(now)).ToHex().substr(0, 32).insert(8, "-")
                                      .insert(13, "-").insert(18, "-").insert(23, "-");
    p.created_micros = now;
    p.creator_name = "Văn phòng Ủy ban nhân dân tỉnh Mẫu";
    model::RecordFile& f = p.record_file;
    f.file_code = {"000.00.00.H49", 2024, "01.VP"};
    f.title = "Hồ sơ về triển khai gửi, nhận văn bản điện tử năm 2024";
    f.maintenance = "Vĩnh viễn";
    f.language = "Tiếng Việt";
    f.start_date = "2024-01-15";
    f.end_date = "2024-07-02";
    f.doc_total = 2;
    f.creator = "Trần Thị Hoa";
    f.confidence = model::Confidence::kBornDigital;
    std::vector<std::string> pdfs;
    for (const SampleDoc* s : {&kPlan, &kReport}) {
      KHOLUU_ASSIGN_OR_RETURN(std::string pdf, SignedPdfA(*s, signer));
      pdfs.push_back(std::move(pdf));
    }
    std::vector<std::unique_ptr<StringSource>> sources;
    int32_t ordinal = 0;
    for (const SampleDoc* s : {&kPlan, &kReport}) {
      formats::package::PackageDocument pd;
      pd.document = ModelOf(*s, f.file_code, ++ordinal);
      formats::package::PackageComponent pc;
      pc.component.id = model::MakeComponentId(pd.document.id, 1);
      pc.component.document_id = pd.document.id;
      pc.component.role = model::ComponentRole::kOriginal;
      pc.component.name = pd.document.id + ".pdf";
      pc.component.media_type = "application/pdf";
      sources.push_back(std::make_unique<StringSource>(pdfs[static_cast<size_t>(ordinal - 1)]));
      pc.source = sources.back().get();
      pd.components.push_back(std::move(pc));
      p.documents.push_back(std::move(pd));
    }
    const std::string mets = dir + "/.mets-hoso-vp-2024";
    KHOLUU_RETURN_IF_ERROR(formats::package::ExportPackage(mets, p));
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> files, FilesBelow(mets));
    std::vector<FileSource> file_sources;
    file_sources.reserve(files.size());
    std::vector<formats::bagit::PayloadEntry> payload;
    for (const std::string& rel : files) {
      KHOLUU_ASSIGN_OR_RETURN(FileSource src, FileSource::Open(mets + "/" + rel));
      file_sources.push_back(std::move(src));
    }
    for (size_t i = 0; i < files.size(); ++i) payload.push_back({files[i], &file_sources[i]});
    const std::string bag = dir + "/hoso-vp-2024-bagit";
    KHOLUU_RETURN_IF_ERROR(formats::bagit::WriteBag(
        bag, payload, {{"Source-Organization", "Văn phòng Ủy ban nhân dân tỉnh Mẫu"},
                       {"External-Description", "Hồ sơ nộp lưu mẫu (TT 05/2025/TT-BNV)"}}));
    KHOLUU_RETURN_IF_ERROR(RemoveTree(mets));
    paths.push_back(bag);
  }

  // 2. An edXML package from the axis, its PDF signed by the sender.
  {
    KHOLUU_ASSIGN_OR_RETURN(std::string pdf, SignedPdfA(kLetter, signer));
    const std::string path = dir + "/cong-van-125-VPCP-TCCB.edxml";
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(path, Edxml(kLetter, "125-VPCP-TCCB.pdf", pdf)));
    paths.push_back(path);
  }

  // 3. A digitisation batch: a metadata sheet and a scanned page.
  {
    KHOLUU_ASSIGN_OR_RETURN(convert::ConversionResult r, convert::ConvertToPdfA2b(Fodt(kDecision), "fodt"));
    if (!r.validated) return InternalError("sample decision did not become PDF/A-2b: " + r.reason);
    KHOLUU_ASSIGN_OR_RETURN(std::string tiff, ScanOf(r.output));
    const std::string batch = dir + "/so-hoa-tccb-2023";
    KHOLUU_RETURN_IF_ERROR(CreateDirs(batch + "/scans"));
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(batch + "/scans/qd-215.tif", tiff));
    const std::string csv =
        "Số và ký hiệu hồ sơ,Tiêu đề hồ sơ,Thời hạn bảo quản,Số thứ tự văn bản trong hồ sơ,Số của văn bản,"
        "Ký hiệu của văn bản,Ngày/Tháng/Năm văn bản,,,Tên cơ quan tổ chức ban hành văn bản,Trích yếu nội dung,"
        "Đường dẫn file\n"
        "05.TCCB,Hồ sơ tuyển dụng công chức năm 2023,70 năm,1,215,QĐ-VPCP,20,11,2023,Văn phòng Chính phủ (mẫu),"
        "Quyết định công nhận kết quả tuyển dụng công chức năm 2023,scans/qd-215.tif\n";
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(batch + "/danh-muc.csv", csv));
    paths.push_back(batch);
  }
  return paths;
}

}  // namespace kholuu::ingest
