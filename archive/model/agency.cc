#include "archive/model/agency.h"

namespace kholuu::model {

namespace {
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
}  // namespace

bool IsStrictOrganId(const std::string& code) {
  // ^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$, position by position.
  static constexpr char kPattern[] = "ddd.dd.dd.Udd";
  if (code.size() != sizeof(kPattern) - 1) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char want = kPattern[i];
    const char c = code[i];
    if (want == 'd' && !IsDigit(c)) return false;
    if (want == 'U' && !IsUpper(c)) return false;
    if (want == '.' && c != '.') return false;
  }
  return true;
}

bool IsLenientOrganId(const std::string& code) {
  if (code.empty() || code.size() > 13) return false;
  if (code.front() == '.' || code.back() == '.') return false;
  char previous = '\0';
  for (char c : code) {
    if (!IsDigit(c) && !IsUpper(c) && c != '.') return false;
    if (c == '.' && previous == '.') return false;
    previous = c;
  }
  return true;
}

Problems Agency::Validate() const {
  Problems p;
  if (organ_id.empty()) {
    p.Add("organ_id", "is required");
  } else if (!IsLenientOrganId(organ_id)) {
    p.Add("organ_id", "is not an organ id (1-13 of A-Z, 0-9 and '.', no empty segment)");
  }
  CheckText(p, "name", name, 200, /*required=*/true);
  if (!parent_id.empty() && !IsLenientOrganId(parent_id)) {
    p.Add("parent_id", "is not an organ id (1-13 of A-Z, 0-9 and '.', no empty segment)");
  }
  CheckText(p, "fonds_code", fonds_code, 30, /*required=*/false);
  return p;
}

}  // namespace kholuu::model
