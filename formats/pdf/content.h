// A small tokenizer for decoded content streams: which colour operators,
// rendering intents, graphics-state nesting and inline-image keys a stream
// uses. Never reads outside the buffer; linear time.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kholuu::formats::pdf {

struct ContentUse {
  bool device_rgb = false;   // rg/RG, or cs/CS /DeviceRGB
  bool device_cmyk = false;  // k/K, or cs/CS /DeviceCMYK
  bool device_gray = false;  // g/G, or cs/CS /DeviceGray
  std::vector<std::string> colour_space_names;  // operands of cs/CS (resource names)
  std::vector<std::string> rendering_intents;   // operands of ri
  std::vector<std::string> inline_filters;      // /F or /Filter values of inline images
  std::vector<std::string> inline_colour_spaces;  // /CS or /ColorSpace of inline images
  std::vector<std::string> inline_intents;        // /Intent of inline images
  std::set<std::string> unknown_operators;
  // Resource names the stream uses (without the leading '/').
  std::set<std::string> xobjects;      // Do
  std::set<std::string> ext_gstates;   // gs
  std::set<std::string> fonts;         // Tf
  std::set<std::string> shadings;      // sh
  std::set<std::string> patterns;      // name operand of scn/SCN
  // Font resource name -> bytes of the strings shown with it (Tj, TJ, ', "),
  // concatenated; at most kMaxShownBytes per font. A font's codes are read
  // from these bytes per its encoding (one byte for simple fonts).
  static constexpr size_t kMaxShownBytes = size_t{1} << 16;
  std::map<std::string, std::string> shown_text;
  std::map<std::string, std::string> shown_invisible_text;  // the same, in rendering mode 3
  bool inline_interpolate = false;
  int max_q_depth = 0;
  size_t max_string_bytes = 0;  // longest string operand (approximate decoded length)
  double max_abs_real = 0;      // largest |x| of a number with a decimal point
  double max_abs_integer = 0;   // largest |x| of an integer operand
};

ContentUse ScanContent(std::string_view data);

// The bytes of a literal string's body (between the outer parentheses), with
// the escapes of ISO 32000-1 7.3.4.2 resolved.
std::string DecodeLiteralString(std::string_view body);

// The bytes of a hexadecimal string's body (between '<' and '>'); white
// space and other non-hex characters are skipped, an odd last digit is
// followed by 0 (7.3.4.3).
std::string DecodeHexString(std::string_view body);

}  // namespace kholuu::formats::pdf
