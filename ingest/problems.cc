// The problem codes of stage 1 of ingest. docs/ingest.md, "Problem codes",
// is this table in prose; a test checks that every code here is there.
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"
#include "ingest/internal/intake_internal.h"
#include "ingest/intake.h"

namespace kholuu::ingest {

const std::vector<ProblemCodeInfo>& ProblemCodes() {
  static const std::vector<ProblemCodeInfo> kCodes = {
      // The package as a whole.
      {"package.unrecognised", Severity::kError, "not a package kind kholuu reads",
       "không nhận dạng được loại gói tin"},
      {"package.unsafe_entry", Severity::kError, "unsafe entry in the package",
       "gói tin có mục không an toàn"},
      {"package.corrupt", Severity::kError, "the package archive cannot be read",
       "tệp nén của gói tin bị hỏng, không đọc được"},
      {"package.too_large", Severity::kError, "the package exceeds a size or count limit",
       "gói tin vượt quá giới hạn dung lượng hoặc số lượng"},
      {"package.empty", Severity::kError, "the package holds no document",
       "gói tin không có văn bản nào"},
      // Files.
      {"file.missing", Severity::kError, "a listed file is missing", "thiếu tệp đã kê khai"},
      {"file.checksum_mismatch", Severity::kError, "a file does not match its checksum",
       "tệp không khớp mã kiểm tra (checksum)"},
      {"file.size_mismatch", Severity::kError, "a file does not have its declared size",
       "kích thước tệp khác kích thước đã kê khai"},
      {"file.damaged", Severity::kError, "a file is damaged or cut short",
       "tệp bị hỏng hoặc không đầy đủ"},
      {"file.unreadable", Severity::kError, "a file cannot be read", "không đọc được tệp"},
      {"file.unlisted", Severity::kWarning, "a file is in the package but not listed; it is not kept",
       "tệp có trong gói tin nhưng không được kê khai; tệp không được lưu"},
      {"file.media_type_mismatch", Severity::kWarning,
       "the declared media type differs from the content", "định dạng kê khai khác với nội dung tệp"},
      {"file.unknown_format", Severity::kWarning, "the file's format is not recognised",
       "không nhận dạng được định dạng tệp"},
      // Metadata.
      {"metadata.missing", Severity::kError, "metadata is missing", "thiếu dữ liệu đặc tả (siêu dữ liệu)"},
      {"metadata.unusable", Severity::kError, "metadata cannot be read",
       "không đọc được dữ liệu đặc tả (siêu dữ liệu)"},
      {"metadata.invalid", Severity::kError, "a metadata value breaks the rules of NĐ 30/2020 or TT 05/2025",
       "giá trị đặc tả không đúng quy định của NĐ 30/2020 hoặc TT 05/2025"},
      {"metadata.inconsistent", Severity::kError, "metadata contradicts itself",
       "dữ liệu đặc tả mâu thuẫn"},
      {"metadata.document_without_file", Severity::kError, "a document has no file",
       "văn bản không có tệp đính kèm"},
      {"metadata.date_future", Severity::kError, "a date lies in the future", "ngày tháng ở tương lai"},
      {"metadata.date_implausible", Severity::kWarning, "a date is implausibly old",
       "ngày tháng quá xa, khó tin"},
      {"metadata.date_outside_file", Severity::kWarning, "a document's date lies outside its file's dates",
       "ngày văn bản nằm ngoài thời gian của hồ sơ"},
      {"metadata.doc_total", Severity::kWarning, "the file's document count differs from the documents delivered",
       "tổng số văn bản của hồ sơ khác số văn bản được giao"},
      {"metadata.no_number", Severity::kWarning, "a document has no number", "văn bản không có số"},
      {"metadata.notation_format", Severity::kWarning, "a number or notation does not have the NĐ 30/2020 shape",
       "số, ký hiệu văn bản không đúng thể thức NĐ 30/2020"},
      {"metadata.no_signer", Severity::kWarning, "a document names no signer",
       "văn bản không có thông tin người ký"},
      {"metadata.organ_id_format", Severity::kWarning, "a mã định danh is not in the QCVN 102 form",
       "mã định danh không đúng dạng QCVN 102"},
      {"metadata.unknown_field", Severity::kWarning, "a metadata field is not known; it is ignored",
       "trường dữ liệu đặc tả không xác định; bị bỏ qua"},
      {"metadata.checksum_stale", Severity::kWarning, "a metadata file does not match its declared checksum",
       "tệp đặc tả không khớp mã kiểm tra đã kê khai"},
      {"metadata.size_missing", Severity::kWarning, "a METS reference has no size",
       "tham chiếu METS không ghi kích thước"},
      {"metadata.link_missing", Severity::kWarning, "a metadata file that METS links to is not there",
       "thiếu tệp đặc tả được METS tham chiếu"},
      // Format-specific.
      {"batch.windows_path", Severity::kWarning, "a scan path is written Windows-style (\\)",
       "đường dẫn tệp viết theo kiểu Windows (\\)"},
      {"batch.organ_id_missing", Severity::kError, "the agency's mã định danh was not given for the batch",
       "chưa cung cấp mã định danh của cơ quan cho lô số hóa"},
      {"edxml.unsigned", Severity::kWarning, "the edXML package carries no digital signature",
       "gói tin edXML không có chữ ký số"},
      // Reader families: the code after the dot is the reader's own.
      {"bagit.*", Severity::kError, "BagIt", "BagIt"},
      {"batch.*", Severity::kError, "digitisation sheet",
       "bảng kê số hóa"},
      {"edxml.*", Severity::kError, "edXML", "gói tin edXML"},
  };
  return kCodes;
}

namespace internal {
namespace {

const ProblemCodeInfo* Find(std::string_view code) {
  for (const ProblemCodeInfo& info : ProblemCodes()) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

}  // namespace

Problem MakeProblem(std::string_view code, const std::string& detail, const std::string& path) {
  const ProblemCodeInfo* info = Find(code);
  KHOLUU_CHECK(info != nullptr);
  Problem p;
  p.code = std::string(code);
  p.severity = info->severity;
  p.message_en = std::string(info->meaning_en);
  p.message_vi = std::string(info->meaning_vi);
  if (!detail.empty()) {
    p.message_en += ": " + detail;
    p.message_vi += ": " + detail;
  }
  p.path = path;
  return p;
}

Problem ReaderProblem(std::string_view family, const std::string& reader_code, Severity severity,
                      const std::string& detail, const std::string& path) {
  const ProblemCodeInfo* info = Find(std::string(family) + ".*");
  KHOLUU_CHECK(info != nullptr);
  Problem p;
  p.code = std::string(family) + "." + reader_code;
  p.severity = severity;
  p.message_en = std::string(info->meaning_en) + ": " + detail;
  p.message_vi = std::string(info->meaning_vi) + ": " + detail;
  p.path = path;
  return p;
}

}  // namespace internal
}  // namespace kholuu::ingest
