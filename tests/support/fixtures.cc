#include "tests/support/fixtures.h"

#include <cstdio>

namespace kholuu::testing {

model::RecordFile SampleRecordFile(int n) {
  model::RecordFile f;
  f.file_code.organ_id = "000.00.00.G22";
  f.file_code.file_catalog = 2024;
  f.file_code.file_notation = std::to_string(n) + ".TCCB";
  f.title = "Hồ sơ tuyển dụng công chức năm 2024 (đợt " + std::to_string(n) + ")";
  f.maintenance = "Vĩnh viễn";
  f.rights = model::AccessLevel::kPublic;
  f.creator = "Nguyễn Văn An";
  f.language = "Tiếng Việt";
  f.start_date = "2024-01-05";
  f.end_date = "2024-12-20";
  f.doc_total = 0;
  f.page_total = 0;
  f.confidence = model::Confidence::kBornDigital;
  return f;
}

model::Document SampleDocument(const model::RecordFile& file, int ordinal) {
  model::Document d;
  d.file_code = file.file_code;
  d.doc_ordinal = ordinal;
  char ord[8];
  std::snprintf(ord, sizeof ord, "%03d", ordinal);
  d.id = file.file_code.ToString() + "." + ord;
  d.type_name = "Quyết định";
  d.code_number = std::to_string(100 + ordinal);
  d.code_notation = "QĐ-VPCP";
  d.issued_date = "2024-03-1" + std::to_string(ordinal % 10);
  d.organ_id = "000.00.00.G22";
  d.organ_name = "Văn phòng Chính phủ";
  d.subject = "Quyết định về việc công nhận kết quả tuyển dụng công chức, văn bản số " +
              std::to_string(ordinal);
  d.language = "Tiếng Việt";
  d.page_amount = 2;
  d.signers.push_back({"Bộ trưởng, Chủ nhiệm", "Trần Văn Bình"});
  d.to.push_back({"000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh"});
  d.edxml_document_id = "000.00.00.G22,2024/03/1" + std::to_string(ordinal % 10) + "," +
                        d.code_number + "/" + d.code_notation;
  return d;
}

model::Component SampleComponent(const model::Document& doc, const Sha256& digest,
                                 uint64_t size, int index) {
  model::Component c;
  c.id = doc.id + "/" + std::to_string(index);
  c.document_id = doc.id;
  c.role = model::ComponentRole::kOriginal;
  c.name = "quyet-dinh-" + std::to_string(doc.doc_ordinal) + ".pdf";
  c.sha256 = digest;
  c.size = size;
  c.media_type = "application/pdf";
  c.format_version = "1.7";
  return c;
}

std::string TextLayerPdf(const std::vector<std::string>& lines, const std::string& trailer_extra) {
  std::string content = "BT /F1 12 Tf 72 760 Td 16 TL\n";
  for (const std::string& line : lines) content += "(" + line + ") '\n";
  content += "ET";
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  auto obj = [&](const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  obj("<< /Type /Catalog /Pages 2 0 R >>");
  obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >>");
  obj("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
  obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const size_t xref = pdf.size();
  pdf += "xref\n0 6\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%010zu 00000 n \n", off);
    pdf += buf;
  }
  pdf += "trailer\n<< /Size 6 /Root 1 0 R " + trailer_extra + ">>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return pdf;
}

}  // namespace kholuu::testing

