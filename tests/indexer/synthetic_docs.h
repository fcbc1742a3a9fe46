// Deterministic index documents for the indexer's tests: Vietnamese
// syllables drawn with a skew (the first ones often, the last ones rarely),
// so that terms have very different frequencies and BM25 weights.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "indexer/index.h"

namespace kholuu::indexer::testing_docs {

inline std::string Text(uint32_t seed, size_t words) {
  static const char* kSyllables[] = {
      "của", "và", "các", "cơ", "quan", "văn", "bản", "hồ", "sơ", "lưu", "trữ", "điện", "tử",
      "quyết", "định", "báo", "cáo", "nhà", "nước", "hành", "chính", "công", "văn", "thư",
      "chế", "độ", "định", "kỳ", "nghị", "quy", "phạm", "pháp", "luật", "thông", "tư", "hướng",
      "dẫn", "nộp", "bảo", "quản", "tiêu", "hủy", "thời", "hạn", "giá", "trị", "mật", "số",
      "hóa", "tài", "liệu", "lịch", "sử", "đất", "đai", "thuế", "ngân", "sách", "xây", "dựng"};
  constexpr size_t kCount = sizeof(kSyllables) / sizeof(kSyllables[0]);
  std::string out;
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < words; ++i) {
    x = x * 1664525u + 1013904223u;
    uint32_t r = (x >> 8) % 1000;
    size_t k = static_cast<size_t>(r * r) / (1000 * 1000 / kCount);  // skewed to the front
    if (!out.empty()) out += ' ';
    out += kSyllables[std::min(k, kCount - 1)];
  }
  return out;
}

// Document i: id "d<i>", two agencies, two types, eight years, level 1.
inline IndexDocument Doc(int i, const std::string& suffix = "") {
  IndexDocument d;
  d.id = "d" + std::to_string(i);
  d.subject = Text(static_cast<uint32_t>(i) + 7, 8) + suffix;
  d.body = Text(static_cast<uint32_t>(i), 60 + static_cast<size_t>(i % 40));
  d.issued_date = std::to_string(2015 + i % 8) + "-03-01";
  d.agency_id = i % 3 == 0 ? "G09" : "G22";
  d.agency_name = i % 3 == 0 ? "Bộ Nội vụ" : "Văn phòng Chính phủ";
  d.type_name = i % 2 == 0 ? "Công văn" : "Quyết định";
  d.access_level = 1;
  return d;
}

}  // namespace kholuu::indexer::testing_docs
