// Sample records for a new archive (tools/run). The texts are written for
// kholuu; names and numbers are fictitious.
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "archive/base/file.h"
#include "tools/kholuu/commands.h"
#include "tools/kholuu/json_out.h"

namespace kholuu::cli {
namespace {

struct SampleDoc {
  const char* file_code;
  const char* title;
  const char* type_name;
  const char* number;
  const char* notation;
  const char* issued;
  const char* organ_name;
  const char* subject;
  const char* body;
};

const SampleDoc kSamples[] = {
    {"000.00.00.H49.2024.01.VP", "Hồ sơ về triển khai gửi, nhận văn bản điện tử năm 2024",
     "Kế hoạch", "12", "KH-UBND", "2024-01-15", "Ủy ban nhân dân tỉnh Mẫu",
     "Kế hoạch triển khai gửi, nhận văn bản điện tử qua Trục liên thông văn bản quốc gia năm 2024",
     "ỦY BAN NHÂN DÂN TỈNH MẪU\nSố: 12/KH-UBND\n\nKẾ HOẠCH\nTriển khai gửi, nhận văn bản điện tử "
     "năm 2024\n\n1. Mục tiêu: 100% văn bản đi được ký số và gửi qua Trục liên thông văn bản "
     "quốc gia, trừ văn bản mật.\n2. Các sở, ban, ngành cập nhật phần mềm quản lý văn bản và "
     "báo cáo kết quả trước ngày 30 tháng 6.\n"},
    {"000.00.00.H49.2024.01.VP", "Hồ sơ về triển khai gửi, nhận văn bản điện tử năm 2024",
     "Báo cáo", "45", "BC-VP", "2024-07-02", "Văn phòng Ủy ban nhân dân tỉnh Mẫu",
     "Báo cáo kết quả gửi, nhận văn bản điện tử sáu tháng đầu năm 2024",
     "VĂN PHÒNG UBND TỈNH MẪU\nSố: 45/BC-VP\n\nBÁO CÁO\nKết quả gửi, nhận văn bản điện tử sáu "
     "tháng đầu năm 2024\n\nTổng số văn bản đi: 3.412, trong đó 3.390 văn bản được ký số. Một "
     "số văn bản bị trả lại do sai định dạng hoặc thiếu tệp đính kèm; các đơn vị đã khắc phục.\n"},
    {"000.00.00.G22.2023.05.TCCB", "Hồ sơ tuyển dụng công chức năm 2023",
     "Quyết định", "215", "QĐ-VPCP", "2023-11-20", "Văn phòng Chính phủ (mẫu)",
     "Quyết định công nhận kết quả tuyển dụng công chức năm 2023",
     "QUYẾT ĐỊNH\nVề việc công nhận kết quả tuyển dụng công chức năm 2023\n\nĐiều 1. Công nhận "
     "kết quả tuyển dụng đối với 12 thí sinh có tên trong danh sách kèm theo.\nĐiều 2. Quyết "
     "định này có hiệu lực kể từ ngày ký.\n"},
};

}  // namespace

int CmdSample(const Common& c) {
  char tmpl[] = "/tmp/kholuu-sample-XXXXXX";
  char* dir = ::mkdtemp(tmpl);
  if (dir == nullptr) {
    std::cerr << "kholuu: cannot create a temporary directory\n";
    return kExitInternal;
  }
  int rc = kExitOk;
  int i = 0;
  for (const SampleDoc& s : kSamples) {
    std::string path = std::string(dir) + "/van-ban-" + std::to_string(++i) + ".txt";
    {
      std::ofstream out(path, std::ios::binary);
      out << s.body;
    }
    PutArgs p;
    p.file = path;
    p.file_code = s.file_code;
    p.title = s.title;
    p.type_name = s.type_name;
    p.number = s.number;
    p.notation = s.notation;
    p.issued_date = s.issued;
    p.organ_name = s.organ_name;
    p.subject = s.subject;
    Common quiet = c;
    rc = CmdPut(quiet, p);
    ::unlink(path.c_str());
    if (rc != kExitOk) break;
  }
  ::rmdir(dir);
  return rc;
}

}  // namespace kholuu::cli
