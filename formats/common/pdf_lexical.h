// The character classes of PDF's lexical conventions (ISO 32000-1, 7.2.2),
// shared by the byte-level PDF readers (formats/pdf, formats/pdfsig).
#pragma once

namespace kholuu::formats {

// True for the six PDF white-space characters (ISO 32000-1, Table 1): NUL,
// HT, LF, FF, CR and SPACE. Not VT: unlike C's isspace(), PDF does not count
// it, and unlike isspace() it does count NUL.
constexpr bool IsPdfWhiteSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

// True for the ten PDF delimiter characters (ISO 32000-1, Table 2):
// ( ) < > [ ] { } / %.
constexpr bool IsPdfDelimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

}  // namespace kholuu::formats
