// Shared fixtures for the model tests: fully valid values with real
// Vietnamese data, and a helper listing the fields a validation reported.
#pragma once

#include <string>
#include <vector>

#include "archive/model/component.h"
#include "archive/model/document.h"
#include "archive/model/event.h"
#include "archive/model/record_file.h"
#include "archive/model/validation.h"

namespace kholuu::model::testing {

inline std::vector<std::string> Fields(const Problems& p) {
  std::vector<std::string> fields;
  for (const FieldProblem& fp : p.list()) fields.push_back(fp.field);
  return fields;
}

inline RecordFile ValidRecordFile() {
  RecordFile f;
  f.file_code = {"000.00.00.G22", 2024, "01.TCCB"};
  f.title = "Hồ sơ về việc tuyển dụng công chức năm 2024";
  f.maintenance = "Vĩnh viễn";
  f.rights = AccessLevel::kConditional;
  f.creator = "Nguyễn Thị Hương";
  f.language = "Tiếng Việt";
  f.start_date = "2024-01-15";
  f.end_date = "2024-12-31";
  f.doc_total = 42;
  f.page_total = 318;
  f.description = "Bao gồm quyết định, tờ trình và biên bản họp hội đồng.";
  return f;
}

inline Document ValidDocument() {
  Document d;
  d.id = "000.00.00.G22.2024.01.TCCB.001";
  d.file_code = {"000.00.00.G22", 2024, "01.TCCB"};
  d.doc_ordinal = 1;
  d.direction = Direction::kOutgoing;
  d.type_name = "Quyết định";
  d.code_number = "05";
  d.code_notation = "QĐ-TTg";
  d.issued_date = "2024-02-29";
  d.organ_id = "000.00.00.G22";
  d.organ_name = "Văn phòng Chính phủ";
  d.subject = "Về việc phê duyệt Đề án chuyển đổi số trong công tác văn thư, lưu trữ";
  d.language = "Tiếng Việt";
  d.page_amount = 12;
  d.signers = {{"Bộ trưởng, Chủ nhiệm", "Trần Văn Sơn"}};
  d.to = {{"000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh"},
          {"000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An"}};
  d.priority = 2;
  d.issued_amount = 25;
  d.due_date = "2024-03-15";
  return d;
}

}  // namespace kholuu::model::testing
