#include "tests/formats/pdfsig/test_pdf.h"

#include <zlib.h>

#include <cstdio>
#include <algorithm>
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

int PaethOf(int a, int b, int c) {
  int p = a + b - c;
  int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return a;
  return pb <= pc ? b : c;
}

}  // namespace

std::string PngPredict(std::string_view data, size_t columns, const std::vector<int>& types) {
  std::string out;
  std::string prev(columns, '\0');
  for (size_t start = 0, r = 0; start < data.size(); start += columns, ++r) {
    std::string row(data.substr(start, columns));
    row.resize(columns, '\0');  // pad the last row
    int type = types[r % types.size()];
    out += static_cast<char>(type);
    for (size_t i = 0; i < columns; ++i) {
      int x = static_cast<unsigned char>(row[i]);
      int a = i > 0 ? static_cast<unsigned char>(row[i - 1]) : 0;
      int b = static_cast<unsigned char>(prev[i]);
      int c = i > 0 ? static_cast<unsigned char>(prev[i - 1]) : 0;
      int pred = type == 1 ? a : type == 2 ? b : type == 3 ? (a + b) / 2 : type == 4 ? PaethOf(a, b, c) : 0;
      out += static_cast<char>((x - pred) & 0xff);
    }
    prev = row;
  }
  return out;
}

std::string Deflate(std::string_view data) {
  uLongf len = compressBound(static_cast<uLong>(data.size()));
  std::string out(len, '\0');
  if (compress(reinterpret_cast<Bytef*>(out.data()), &len, reinterpret_cast<const Bytef*>(data.data()),
               static_cast<uLong>(data.size())) != Z_OK) {
    std::abort();
  }
  out.resize(len);
  return out;
}

TestPdf::TestPdf() : TestPdf(std::string_view()) {}

TestPdf::TestPdf(std::string_view leading) {
  bytes_ = std::string(leading) + "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
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
  if (!annots_.empty() || !inline_annots_.empty()) {
    std::string refs = Refs(annots_);
    refs.pop_back();  // the closing ']'
    for (const std::string& a : inline_annots_) refs += a + " ";
    p += " /Annots " + refs + "]";
  }
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
  bytes_ += "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R " +
            (trailer_keys_.empty() ? "" : trailer_keys_ + " ") + "/Prev " +
            std::to_string(last_xref_) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  last_xref_ = xref;
}

bool TestPdf::Sign(const SignSpec& spec) {
  using Layout = SignSpec::Layout;
  int sig = NewObject();
  int field = NewObject();
  if (spec.layout != Layout::kNestedKids && spec.layout != Layout::kWidgetOnly) fields_.push_back(field);
  if (spec.layout != Layout::kNestedKids) annots_.push_back(field);
  std::string placeholder_br = "/ByteRange [0 0000000000 0000000000 0000000000]";
  std::string sig_body = spec.document_timestamp
                             ? "<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161 "
                             : "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ";
  sig_body += placeholder_br + " /Contents <" + std::string(spec.contents_bytes * 2, '0') + ">";
  if (!spec.document_timestamp) sig_body += " /M (D:20250115093000+07'00')";
  std::string lock_params;
  if (spec.lock) {
    lock_params = "/Action /" + spec.lock->first;
    if (!spec.lock->second.empty()) {
      lock_params += " /Fields [";
      for (const std::string& f : spec.lock->second) lock_params += "(" + f + ") ";
      lock_params += "]";
    }
  }
  std::string refs;
  if (spec.docmdp) {
    refs += "<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type "
            "/TransformParams /P " + std::to_string(*spec.docmdp) + " /V /1.2 >> >>";
    perms_sig_ = sig;
  }
  if (spec.lock) {
    refs += "<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams " +
            lock_params + " /V /1.2 >> >>";
  }
  if (!refs.empty()) sig_body += " /Reference [" + refs + "]";
  sig_body += " >>";
  std::string value = spec.layout == Layout::kDirectValue ? sig_body : std::to_string(sig) + " 0 R";
  std::string lock = spec.lock ? " /Lock << /Type /SigFieldLock " + lock_params + " >>" : "";
  std::string field_body = "<< /FT /Sig /T (" + spec.field + ") /V " + value +
                           " /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R" + lock + " >>";
  std::vector<std::pair<int, std::string>> objs;
  if (spec.layout != Layout::kDirectValue) objs.emplace_back(sig, sig_body);
  if (spec.layout == Layout::kNestedKids) {
    int group = NewObject();
    int widget = NewObject();
    fields_.push_back(group);
    annots_.push_back(widget);
    objs.emplace_back(group, "<< /T (Group) /FT /Sig /Kids [" + std::to_string(field) + " 0 R] >>");
    field_body = "<< /T (" + spec.field + ") /Parent " + std::to_string(group) + " 0 R /V " + value + lock +
                 " /Kids [" + std::to_string(widget) + " 0 R] >>";
    objs.emplace_back(widget, "<< /Type /Annot /Subtype /Widget /Parent " + std::to_string(field) +
                                  " 0 R /Rect [0 0 0 0] /F 132 /P 3 0 R >>");
  }
  if (spec.layout == Layout::kTwoFields) {
    int copy = NewObject();
    fields_.push_back(copy);
    annots_.push_back(copy);
    objs.emplace_back(copy, "<< /FT /Sig /T (" + spec.field + "Copy) /V " + value +
                                " /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>");
  }
  objs.emplace_back(field, field_body);
  objs.insert(objs.begin(), {{1, Catalog()}, {3, Page()}});
  AppendUpdate(objs);
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

void TestPdf::AddDssCompressed(const std::vector<std::string>& certs, const std::vector<std::string>& crls,
                               const std::vector<std::string>& ocsps) {
  // Stream objects cannot live in an object stream: they are written plainly.
  std::vector<std::pair<int, std::string>> plain;
  auto add_streams = [&](const std::vector<std::string>& items) {
    std::vector<int> nums;
    for (const std::string& d : items) {
      int n = NewObject();
      nums.push_back(n);
      plain.emplace_back(n, Stream(d));
    }
    return Refs(nums);
  };
  std::string dss = "<< /Type /DSS /Certs " + add_streams(certs) + " /CRLs " + add_streams(crls) +
                    " /OCSPs " + add_streams(ocsps) + " >>";
  dss_ = NewObject();
  std::vector<std::pair<int, std::string>> packed = {{*dss_, dss}, {1, Catalog()}};
  int objstm = NewObject();
  int xref = NewObject();

  bytes_ += "\n";
  std::vector<std::pair<int, std::string>> entries;  // object number -> 7-byte xref row
  auto row = [](int type, size_t field2, int field3) {
    std::string r(7, '\0');
    r[0] = static_cast<char>(type);
    for (int i = 0; i < 4; ++i) r[static_cast<size_t>(1 + i)] = static_cast<char>((field2 >> (8 * (3 - i))) & 0xff);
    r[5] = static_cast<char>((field3 >> 8) & 0xff);
    r[6] = static_cast<char>(field3 & 0xff);
    return r;
  };
  for (const auto& [num, body] : plain) {
    entries.emplace_back(num, row(1, bytes_.size(), 0));
    bytes_ += std::to_string(num) + " 0 obj\n" + body + "\nendobj\n";
  }
  std::string header, objects;
  for (size_t i = 0; i < packed.size(); ++i) {
    header += std::to_string(packed[i].first) + " " + std::to_string(objects.size()) + " ";
    objects += packed[i].second + "\n";
    entries.emplace_back(packed[i].first, row(2, static_cast<size_t>(objstm), static_cast<int>(i)));
  }
  std::string encoded = Deflate(PngPredict(header + objects, 8, {2, 1, 4, 3, 0}));
  entries.emplace_back(objstm, row(1, bytes_.size(), 0));
  bytes_ += std::to_string(objstm) + " 0 obj\n<< /Type /ObjStm /N " + std::to_string(packed.size()) +
            " /First " + std::to_string(header.size()) +
            " /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 8 >> /Length " +
            std::to_string(encoded.size()) + " >>\nstream\n" + encoded + "\nendstream\nendobj\n";
  size_t xref_at = bytes_.size();
  entries.emplace_back(xref, row(1, xref_at, 0));
  std::sort(entries.begin(), entries.end());
  std::string table, index;
  for (const auto& [num, r] : entries) {
    table += r;
    index += std::to_string(num) + " 1 ";
  }
  std::string xref_data = Deflate(PngPredict(table, 7, {2}));
  bytes_ += std::to_string(xref) + " 0 obj\n<< /Type /XRef /Size " + std::to_string(next_) + " /Index [" + index +
            "] /W [1 4 2] /Root 1 0 R /Prev " + std::to_string(last_xref_) +
            " /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >> /Length " +
            std::to_string(xref_data.size()) + " >>\nstream\n" + xref_data + "\nendstream\nendobj\n";
  bytes_ += "startxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  last_xref_ = xref_at;
}

void TestPdf::AddAnnotation() {
  int annot = NewObject();
  annots_.push_back(annot);
  AppendUpdate({{3, Page()},
                {annot, "<< /Type /Annot /Subtype /FreeText /Rect [100 100 300 150] /Contents "
                        "(Ghi chu TEST) /DA (/Helv 12 Tf 0 g) >>"}});
}

void TestPdf::AddInlineAnnotation() {
  inline_annots_.push_back(
      "<< /Type /Annot /Subtype /Link /Rect [72 600 300 620] /Border [0 0 0] "
      "/A << /S /URI /URI (https://example.invalid/TEST) >> >>");
  AppendUpdate({{3, Page()}});
}

namespace {
std::string TextField(const std::string& name, const std::string& value) {
  return "<< /FT /Tx /T (" + name + ") /V (" + value +
         ") /Type /Annot /Subtype /Widget /Rect [72 500 300 520] /F 4 /P 3 0 R /DA (/Helv 10 Tf 0 g) >>";
}
}  // namespace

void TestPdf::AddTextField(const std::string& name, const std::string& value) {
  int field = NewObject();
  fields_.push_back(field);
  annots_.push_back(field);
  text_fields_.emplace_back(name, field);
  AppendUpdate({{1, Catalog()}, {3, Page()}, {field, TextField(name, value)}});
}

void TestPdf::SetFieldValue(const std::string& name, const std::string& value) {
  for (const auto& [n, num] : text_fields_) {
    if (n == name) {
      AppendUpdate({{num, TextField(name, value)}});
      return;
    }
  }
  std::abort();  // no such field: a bug in the test
}

}  // namespace kholuu::testing
