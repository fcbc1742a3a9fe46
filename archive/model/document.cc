#include "archive/model/document.h"

#include <string>

#include "archive/model/agency.h"

namespace kholuu::model {

namespace {

constexpr char kKeySeparator = '\x1f';

std::string UpperNotation(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if (c == '\xC4' && i + 1 < s.size() && s[i + 1] == '\x91') {
      // U+0111 'đ' (C4 91) -> U+0110 'Đ' (C4 90), as in "QĐ-TTg".
      out += "\xC4\x90";
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

bool AllDigits(const std::string& s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void CheckOptionalOrganId(Problems& p, const std::string& field, const std::string& value) {
  if (!value.empty() && !IsLenientOrganId(value)) {
    p.Add(field, "is not an organ id (1-13 of A-Z, 0-9 and '.', no empty segment)");
  }
}

}  // namespace

std::string Document::DuplicateKey() const {
  if (code_number.empty() || code_notation.empty()) return "";
  std::string number = code_number;
  const size_t first_non_zero = number.find_first_not_of('0');
  number = first_non_zero == std::string::npos ? "0" : number.substr(first_non_zero);
  std::string key = number;
  key += kKeySeparator;
  key += UpperNotation(code_notation);
  key += kKeySeparator;
  key += organ_id.empty() ? organ_name : organ_id;
  key += kKeySeparator;
  if (IsValidDate(issued_date)) key += issued_date.substr(0, 4);
  return key;
}

Problems Document::Validate() const {
  Problems p;
  CheckText(p, "id", id, 200, /*required=*/true);
  file_code.Validate(p, "file_code.");
  CheckRange(p, "doc_ordinal", doc_ordinal, 1, 999);
  CheckRange(p, "direction", static_cast<int64_t>(direction), 1, 3);
  CheckText(p, "type_name", type_name, 100, false);
  CheckText(p, "code_number", code_number, 11, false);
  if (!AllDigits(code_number)) p.Add("code_number", "must contain only digits 0-9");
  CheckText(p, "code_notation", code_notation, 30, false);
  if (issued_date.empty()) {
    p.Add("issued_date", "is required");
  } else {
    CheckDate(p, "issued_date", issued_date);
  }
  CheckOptionalOrganId(p, "organ_id", organ_id);
  CheckText(p, "organ_name", organ_name, 200, /*required=*/true);
  CheckText(p, "subject", subject, 500, /*required=*/true, /*single_line=*/false);
  CheckText(p, "language", language, 30, false);
  CheckRange(p, "page_amount", page_amount, 0, 999);
  CheckText(p, "description", description, 500, false, /*single_line=*/false);
  for (size_t i = 0; i < signers.size(); ++i) {
    const std::string prefix = "signers[" + std::to_string(i) + "]";
    const SignerInfo& s = signers[i];
    if (s.position.empty() && s.full_name.empty()) {
      p.Add(prefix, "is empty");
      continue;
    }
    CheckText(p, prefix + ".position", s.position, 100, false);
    CheckText(p, prefix + ".full_name", s.full_name, 50, false);
  }
  for (size_t i = 0; i < to.size(); ++i) {
    const std::string prefix = "to[" + std::to_string(i) + "]";
    const Recipient& r = to[i];
    if (r.organ_id.empty() && r.organ_name.empty()) {
      p.Add(prefix, "is empty");
      continue;
    }
    CheckOptionalOrganId(p, prefix + ".organ_id", r.organ_id);
    CheckText(p, prefix + ".organ_name", r.organ_name, 200, false);
  }
  CheckRange(p, "priority", priority, 0, 9);
  CheckRange(p, "issued_amount", issued_amount, 0, 999);
  CheckDate(p, "due_date", due_date);
  CheckDate(p, "arrival_date", arrival_date);
  CheckRange(p, "arrival_number", arrival_number, 0, 9'999'999'999);
  CheckText(p, "to_places", to_places, 1000, false, /*single_line=*/false);
  CheckText(p, "trace_header", trace_header, 0, false, /*single_line=*/false);
  CheckText(p, "edxml_document_id", edxml_document_id, 200, false);
  CheckRange(p, "access", static_cast<int64_t>(access), 1, 3);
  if (created_micros < 0) p.Add("created_micros", "is negative");
  CheckText(p, "preservation_risk", preservation_risk, 2000, false, /*single_line=*/false);
  return p;
}

}  // namespace kholuu::model
