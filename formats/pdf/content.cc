#include "formats/pdf/content.h"

#include <algorithm>

namespace kholuu::formats::pdf {
namespace {

bool IsWhite(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}
bool IsDelim(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

const std::set<std::string, std::less<>>& Operators() {
  // ISO 32000-1 Annex A, all content stream operators.
  static const std::set<std::string, std::less<>> kOps = {
      "b", "B", "b*", "B*", "BDC", "BI", "BMC", "BT", "BX", "c", "cm", "CS", "cs", "d", "d0",
      "d1", "Do", "DP", "EI", "EMC", "ET", "EX", "f", "F", "f*", "G", "g", "gs", "h", "i",
      "ID", "j", "J", "K", "k", "l", "m", "M", "MP", "n", "q", "Q", "re", "RG", "rg", "ri",
      "s", "S", "SC", "sc", "SCN", "scn", "sh", "T*", "Tc", "Td", "TD", "Tf", "Tj", "TJ", "TL",
      "Tm", "Tr", "Ts", "Tw", "Tz", "v", "w", "W", "W*", "y", "'", "\""};
  return kOps;
}

}  // namespace

ContentUse ScanContent(std::string_view b) {
  ContentUse u;
  std::vector<std::string> operands;  // names only (others as "")
  int q = 0;
  size_t i = 0;
  const size_t n = b.size();
  while (i < n) {
    char c = b[i];
    if (IsWhite(c)) { ++i; continue; }
    if (c == '%') { while (i < n && b[i] != '\n' && b[i] != '\r') ++i; continue; }
    if (c == '(') {
      int depth = 0;
      size_t s = i;
      for (; i < n; ++i) {
        if (b[i] == '\\') { ++i; continue; }
        if (b[i] == '(') ++depth;
        else if (b[i] == ')' && --depth == 0) { ++i; break; }
      }
      size_t len = i - s >= 2 ? i - s - 2 : 0;
      if (len > u.max_string_bytes) u.max_string_bytes = len;
      operands.emplace_back();
      continue;
    }
    if (c == '<' && i + 1 < n && b[i + 1] == '<') { operands.emplace_back("<<"); i += 2; continue; }
    if (c == '>' && i + 1 < n && b[i + 1] == '>') { operands.emplace_back(">>"); i += 2; continue; }
    if (c == '<') {
      size_t s = i;
      while (i < n && b[i] != '>') ++i;
      if ((i - s) / 2 > u.max_string_bytes) u.max_string_bytes = (i - s) / 2;
      ++i;
      operands.emplace_back();
      continue;
    }
    if (c == '[' || c == ']' || c == '{' || c == '}') { operands.emplace_back(); ++i; continue; }
    if (c == '/') {
      size_t s = ++i;
      while (i < n && !IsWhite(b[i]) && !IsDelim(b[i])) ++i;
      operands.emplace_back("/" + std::string(b.substr(s, i - s)));
      continue;
    }
    size_t s = i;
    while (i < n && !IsWhite(b[i]) && !IsDelim(b[i])) ++i;
    if (i == s) { ++i; continue; }  // stray delimiter such as ')'
    std::string_view tok = b.substr(s, i - s);
    char f = tok[0];
    if ((f >= '0' && f <= '9') || f == '-' || f == '+' || f == '.') {
      bool real = tok.find('.') != std::string_view::npos;
      double v = 0;  // integer part only: enough for the limits
      for (char ch : tok) {
        if (ch == '.') break;
        if (ch >= '0' && ch <= '9') v = v * 10 + (ch - '0');
      }
      if (real) u.max_abs_real = std::max(u.max_abs_real, v);
      else u.max_abs_integer = std::max(u.max_abs_integer, v);
      operands.emplace_back();
      continue;
    }
    if (tok == "true" || tok == "false" || tok == "null") { operands.emplace_back(); continue; }
    // An operator.
    std::string op(tok);
    if (op == "rg" || op == "RG") u.device_rgb = true;
    else if (op == "k" || op == "K") u.device_cmyk = true;
    else if (op == "g" || op == "G") u.device_gray = true;
    else if ((op == "cs" || op == "CS") && !operands.empty()) {
      const std::string& nm = operands.back();
      if (nm == "/DeviceRGB") u.device_rgb = true;
      else if (nm == "/DeviceCMYK") u.device_cmyk = true;
      else if (nm == "/DeviceGray") u.device_gray = true;
      else if (nm.size() > 1 && nm[0] == '/') u.colour_space_names.push_back(nm.substr(1));
    } else if ((op == "Do" || op == "gs" || op == "sh" || op == "scn" || op == "SCN") && !operands.empty() &&
               operands.back().size() > 1 && operands.back()[0] == '/') {
      std::string nm = operands.back().substr(1);
      if (op == "Do") u.xobjects.insert(nm);
      else if (op == "gs") u.ext_gstates.insert(nm);
      else if (op == "sh") u.shadings.insert(nm);
      else u.patterns.insert(nm);
    } else if (op == "Tf" && operands.size() >= 2 && operands[operands.size() - 2].size() > 1 &&
               operands[operands.size() - 2][0] == '/') {
      u.fonts.insert(operands[operands.size() - 2].substr(1));
    } else if (op == "ri" && !operands.empty() && operands.back().size() > 1) {
      u.rendering_intents.push_back(operands.back().substr(1));
    } else if (op == "q") {
      ++q;
      if (q > u.max_q_depth) u.max_q_depth = q;
    } else if (op == "Q") {
      if (q > 0) --q;
    } else if (op == "BI") {
      // Inline image dictionary up to ID, then binary data up to EI.
      std::vector<std::string> dict;
      while (i < n) {
        while (i < n && IsWhite(b[i])) ++i;
        if (i + 1 < n && b[i] == 'I' && b[i + 1] == 'D' && (i + 2 >= n || IsWhite(b[i + 2]))) { i += 2; break; }
        size_t t = i;
        if (i < n && b[i] == '/') ++i;
        while (i < n && !IsWhite(b[i]) && (!IsDelim(b[i]) || i == t)) ++i;
        if (i == t) ++i;
        dict.emplace_back(b.substr(t, i - t));
      }
      for (size_t k = 0; k + 1 < dict.size(); ++k) {
        const std::string& key = dict[k];
        const std::string& val = dict[k + 1];
        if ((key == "/F" || key == "/Filter") && val.size() > 1 && val[0] == '/') u.inline_filters.push_back(val.substr(1));
        if ((key == "/CS" || key == "/ColorSpace") && val.size() > 1 && val[0] == '/') u.inline_colour_spaces.push_back(val.substr(1));
        if ((key == "/I" || key == "/Interpolate") && val == "true") u.inline_interpolate = true;
        if (key == "/Intent" && val.size() > 1 && val[0] == '/') u.inline_intents.push_back(val.substr(1));
      }
      // Skip the image data: the first "EI" delimited by white-space.
      while (i + 2 < n && !(IsWhite(b[i]) && b[i + 1] == 'E' && b[i + 2] == 'I' && (i + 3 >= n || IsWhite(b[i + 3])))) ++i;
      i += 3;
    } else if (!Operators().count(op)) {
      // ISO 19005 forbids undefined operators even between BX and EX.
      if (u.unknown_operators.size() < 16) u.unknown_operators.insert(op);
    }
    operands.clear();
  }
  return u;
}

}  // namespace kholuu::formats::pdf
