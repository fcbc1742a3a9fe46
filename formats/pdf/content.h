// A small tokenizer for decoded content streams: which colour operators,
// rendering intents, graphics-state nesting and inline-image keys a stream
// uses. Never reads outside the buffer; linear time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
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
  // A painting operator that used a named colour space (cs/CS resource
  // name), with the names of the graphics states (gs) in effect at that
  // moment, in the order they were set (q/Q respected). At most
  // kMaxColourUses distinct entries; each gs list keeps its last 32 names.
  struct ColourUse {
    std::string colour_space;
    bool stroke = false;
    std::vector<std::string> gstates;
    bool operator<(const ColourUse& o) const {
      return std::tie(colour_space, stroke, gstates) < std::tie(o.colour_space, o.stroke, o.gstates);
    }
  };
  static constexpr size_t kMaxColourUses = 1024;
  std::set<ColourUse> colour_uses;
  bool inline_interpolate = false;
  int max_q_depth = 0;
  size_t max_string_bytes = 0;  // longest string operand (approximate decoded length)
  bool hex_odd = false;         // a hexadecimal string with an odd number of digits
  bool hex_non_hex = false;     // one with a character other than hex digits and white-space
  double max_abs_real = 0;      // largest |x| of a number with a decimal point
  double min_abs_nonzero_real = 0;  // smallest non-zero |x| of one (0: none)
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

// The code-to-CID part of an embedded CMap (ISO 32000-1 9.7.5): codespace
// ranges and cidrange/cidchar mappings. Codes are big-endian byte strings
// of 1 to 4 bytes. At most kMaxEntries ranges are kept.
struct CMapCids {
  static constexpr size_t kMaxEntries = 1u << 16;
  struct Codespace {
    std::string low;  // bytes; same length as high
    std::string high;
  };
  struct Range {
    uint32_t low = 0;
    uint32_t high = 0;
    size_t bytes = 0;  // code length
    uint32_t cid = 0;  // CID of `low`
  };
  std::vector<Codespace> codespaces;
  std::vector<Range> ranges;  // cidchar entries are ranges of one code; sorted by (bytes, low)

  // Splits `shown` into codes by the codespace ranges and maps each to its
  // CID (0 when the CMap does not map it). A byte sequence that matches no
  // codespace consumes one byte and yields CID 0.
  std::vector<uint32_t> Cids(std::string_view shown) const;
};

// Parses the decoded bytes of a CMap stream. Never reads outside the
// buffer; linear time plus the entry cap.
CMapCids ParseCMapCids(std::string_view data);

}  // namespace kholuu::formats::pdf
