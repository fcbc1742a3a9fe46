#include "tests/formats/pdfsig/test_pdf.h"

#include <cstdio>
#include <cstdlib>

namespace kholuu::testing {
namespace {

std::string Stream(const std::string& data) {
  return "<< /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

std::string Refs(const std::vector<int>& nums) {
  std::string out = "[";
  for (int n : nums) out += std::to_string(n) + " 0 R ";
  return out + "]";
}

std::string Pad10(size_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010zu", v);
  return buf;
}

}  // namespace

TestPdf::TestPdf() {
  bytes_ = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  std::string content = "BT /F1 24 Tf 72 720 Td (Hello, van ban TEST) Tj ET";
  std::vector<std::pair<int, std::string>> objs = {
      {1, Catalog()},
      {2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"},
      {3, Page()},
      {4, Stream(content)},
  };
  std::vector<size_t> offsets;
  for (auto& [num, body] : objs) {
    offsets.push_back(bytes_.size());
    bytes_ += std::to_string(num) + " 0 obj\n" + body + "\nendobj\n";
  }
  last_xref_ = bytes_.size();
  bytes_ += "xref\n0 5\n0000000000 65535 f \n";
  for (size_t off : offsets) bytes_ += Pad10(off) + " 00000 n \n";
  bytes_ += "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n" + std::to_string(last_xref_) + "\n%%EOF\n";
}

std::string TestPdf::Catalog() const {
  std::string c = "<< /Type /Catalog /Pages 2 0 R";
  if (!fields_.empty()) c += " /AcroForm << /Fields " + Refs(fields_) + " /SigFlags 3 >>";
  if (perms_sig_) c += " /Perms << /DocMDP " + std::to_string(*perms_sig_) + " 0 R >>";
  if (dss_) c += " /DSS " + std::to_string(*dss_) + " 0 R";
  return c + " >>";
}

std::string TestPdf::Page() const {
  std::string p = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R";
  if (!annots_.empty()) p += " /Annots " + Refs(annots_);
  return p + " >>";
}

void TestPdf::AppendUpdate(const std::vector<std::pair<int, std::string>>& objects) {
  bytes_ += "\n";
  std::vector<std::pair<int, size_t>> offsets;
  int size = next_;
  for (const auto& [num, body] : objects) {
    offsets.emplace_back(num, bytes_.size());
    bytes_ += std::to_string(num) + " 0 obj\n" + body + "\nendobj\n";
    if (num + 1 > size) size = num + 1;
  }
  size_t xref = bytes_.size();
  bytes_ += "xref\n";
  for (const auto& [num, off] : offsets) {
    bytes_ += std::to_string(num) + " 1\n" + Pad10(off) + " 00000 n \n";
  }
  bytes_ += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /Prev " +
            std::to_string(last_xref_) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  last_xref_ = xref;
}

bool TestPdf::Sign(const SignSpec& spec) {
  int sig = NewObject();
  int field = NewObject();
  fields_.push_back(field);
  annots_.push_back(field);
  std::string placeholder_br = "/ByteRange [0 0000000000 0000000000 0000000000]";
  std::string sig_body = spec.document_timestamp
                             ? "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 "
                             : "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ";
  sig_body += placeholder_br + " /Contents <" + std::string(spec.contents_bytes * 2, '0') + ">";
  if (!spec.document_timestamp) sig_body += " /M (D:20250115093000+07'00')";
  if (spec.docmdp) {
    sig_body += " /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type "
                "/TransformParams /P " + std::to_string(*spec.docmdp) + " /V /1.2 >> >>]";
    perms_sig_ = sig;
  }
  sig_body += " >>";
  std::string field_body = "<< /FT /Sig /T (" + spec.field + ") /V " + std::to_string(sig) +
                           " 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>";
  AppendUpdate({{1, Catalog()}, {3, Page()}, {sig, sig_body}, {field, field_body}});
  size_t br_at = bytes_.rfind(placeholder_br);
  size_t cb = bytes_.find("/Contents <", br_at) + 10;
  size_t ce = bytes_.find('>', cb) + 1;
  std::string br = "/ByteRange [0 " + Pad10(cb) + " " + Pad10(ce) + " " + Pad10(bytes_.size() - ce) + "]";
  bytes_.replace(br_at, br.size(), br);
  std::string content = bytes_.substr(0, cb) + bytes_.substr(ce);
  std::string der = spec.sign(content);
  if (der.size() > spec.contents_bytes) return false;
  static const char kDigits[] = "0123456789ABCDEF";
  for (size_t i = 0; i < der.size(); ++i) {
    auto u = static_cast<unsigned char>(der[i]);
    bytes_[cb + 1 + 2 * i] = kDigits[u >> 4];
    bytes_[cb + 2 + 2 * i] = kDigits[u & 15];
  }
  return true;
}

void TestPdf::AppendPage() {
  int page = NewObject();
  int content = NewObject();
  AppendUpdate({{2, "<< /Type /Pages /Kids [3 0 R " + std::to_string(page) + " 0 R] /Count 2 >>"},
                {page, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " +
                           std::to_string(content) + " 0 R >>"},
                {content, Stream("BT /F1 24 Tf 72 720 Td (An unsigned page) Tj ET")}});
}

void TestPdf::AddDss(const std::vector<std::string>& certs, const std::vector<std::string>& crls,
                     const std::vector<std::string>& ocsps) {
  std::vector<std::pair<int, std::string>> objs;
  auto add_streams = [&](const std::vector<std::string>& items) {
    std::vector<int> nums;
    for (const std::string& d : items) {
      int n = NewObject();
      nums.push_back(n);
      objs.emplace_back(n, Stream(d));
    }
    return Refs(nums);
  };
  std::string dss = "<< /Type /DSS /Certs " + add_streams(certs) + " /CRLs " + add_streams(crls) +
                    " /OCSPs " + add_streams(ocsps) + " >>";
  dss_ = NewObject();
  objs.emplace_back(*dss_, dss);
  objs.emplace_back(1, Catalog());
  AppendUpdate(objs);
}

void TestPdf::AddAnnotation() {
  int annot = NewObject();
  annots_.push_back(annot);
  AppendUpdate({{3, Page()},
                {annot, "<< /Type /Annot /Subtype /FreeText /Rect [100 100 300 150] /Contents "
                        "(Ghi chu TEST) /DA (/Helv 12 Tf 0 g) >>"}});
}

}  // namespace kholuu::testing
