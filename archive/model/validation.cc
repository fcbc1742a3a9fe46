#include "archive/model/validation.h"

#include <cstdint>
#include <string>

namespace kholuu::model {

Status Problems::ToStatus(std::string_view what) const {
  if (list_.empty()) return Status::Ok();
  std::string message(what);
  if (!message.empty()) message += ": ";
  for (size_t i = 0; i < list_.size(); ++i) {
    if (i > 0) message += "; ";
    message += list_[i].field;
    message += ": ";
    message += list_[i].message;
  }
  return InvalidArgumentError(std::move(message));
}

long Utf8Length(const std::string& s) {
  long count = 0;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    size_t extra = 0;
    uint32_t cp = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      extra = 1;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      extra = 2;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      extra = 3;
      cp = b0 & 0x07u;
    } else {
      return -1;  // continuation byte first, C0/C1 overlong lead, or F5..FF
    }
    if (n - i - 1 < extra) return -1;
    for (size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0u) != 0x80u) return -1;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    // Overlong three- and four-byte forms, surrogates, and values past U+10FFFF.
    if (extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return -1;
    if (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return -1;
    i += extra + 1;
    ++count;
  }
  return count;
}

namespace {

bool IsBlank(const std::string& s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') return false;
  }
  return true;
}

// Control characters are single bytes in UTF-8, so a byte scan is exact.
bool HasForbiddenControl(const std::string& s, bool single_line) {
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b != 0x7F) continue;
    if (!single_line && (b == '\t' || b == '\n' || b == '\r')) continue;
    return true;
  }
  return false;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

}  // namespace

void CheckRequired(Problems& p, const std::string& field, const std::string& value) {
  if (IsBlank(value)) p.Add(field, "is required");
}

void CheckMaxLength(Problems& p, const std::string& field, const std::string& value,
                    size_t max_code_points) {
  const long length = Utf8Length(value);
  if (length < 0) {
    p.Add(field, "is not valid UTF-8");
  } else if (static_cast<size_t>(length) > max_code_points) {
    p.Add(field, "is " + std::to_string(length) + " characters long; the limit is " +
                     std::to_string(max_code_points));
  }
}

void CheckUtf8(Problems& p, const std::string& field, const std::string& value) {
  if (Utf8Length(value) < 0) p.Add(field, "is not valid UTF-8");
}

void CheckDate(Problems& p, const std::string& field, const std::string& value) {
  if (!value.empty() && !IsValidDate(value)) {
    p.Add(field, "is not a calendar date YYYY-MM-DD");
  }
}

void CheckText(Problems& p, const std::string& field, const std::string& value,
               size_t max_code_points, bool required, bool single_line) {
  const long length = Utf8Length(value);
  if (length < 0) {
    p.Add(field, "is not valid UTF-8");
  } else if (required && IsBlank(value)) {
    p.Add(field, "is required");
  } else if (max_code_points > 0 && static_cast<size_t>(length) > max_code_points) {
    p.Add(field, "is " + std::to_string(length) + " characters long; the limit is " +
                     std::to_string(max_code_points));
  } else if (HasForbiddenControl(value, single_line)) {
    p.Add(field, "contains a control character");
  }
}

void CheckRange(Problems& p, const std::string& field, int64_t value, int64_t min,
                int64_t max) {
  if (value < min || value > max) {
    p.Add(field, "is " + std::to_string(value) + "; must be between " + std::to_string(min) +
                     " and " + std::to_string(max));
  }
}

bool IsValidDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  static constexpr size_t kDigitPositions[] = {0, 1, 2, 3, 5, 6, 8, 9};
  for (size_t i : kDigitPositions) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  auto digits = [&s](size_t from, size_t count) {
    int v = 0;
    for (size_t i = from; i < from + count; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int year = digits(0, 4);
  const int month = digits(5, 2);
  const int day = digits(8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max_day = kDays[month - 1];
  if (month == 2 && IsLeapYear(year)) max_day = 29;
  return day <= max_day;
}

}  // namespace kholuu::model
