// Agencies (cơ quan, tổ chức) identified by their mã định danh (QĐ 20/2020,
// QCVN 102:2016): "V1V2V3.Z1Z2.Y1Y2.L1N1N2", e.g. "000.00.00.G22".
#pragma once

#include <string>

#include "archive/model/validation.h"

namespace kholuu::model {

// True if `code` has the strict state-body form ^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$.
bool IsStrictOrganId(const std::string& code);

// True for what is accepted on input: the strict form, or the dirty forms seen
// in real data (fewer segments such as "28.22.H17", local codes such as
// "H37.DN.001"): 1-13 characters of [A-Z0-9.], no empty segment.
bool IsLenientOrganId(const std::string& code);

// Value type. Thread-safety: as for any value; no shared state.
struct Agency {
  std::string organ_id;    // mã định danh, kept as received
  std::string name;        // tên cơ quan, tổ chức (≤ 200)
  std::string parent_id;   // optional: the level above
  std::string fonds_code;  // optional: mã phông lưu trữ

  // Problems: organ_id required and lenient-valid; name required ≤ 200;
  // parent_id lenient-valid when present; fonds_code valid UTF-8, ≤ 30.
  Problems Validate() const;

  friend bool operator==(const Agency&, const Agency&) = default;
};

}  // namespace kholuu::model
