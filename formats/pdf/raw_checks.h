// Byte-level PDF/A file-structure checks that an object model cannot see:
// header and binary comment, data after %%EOF, xref subsection syntax, the
// spacing of "obj"/"endobj"/"stream"/"endstream", hexadecimal strings, and
// the true byte length of every stream (compared with /Length later).
//
// Pure functions over a byte buffer; never read outside it; linear time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/pdf/pdfa.h"

namespace kholuu::formats::pdf {

// One "N G obj ... stream ... endstream" found in the bytes.
struct RawStream {
  uint32_t object = 0;
  uint16_t generation = 0;
  size_t data_length = 0;  // bytes between the EOL after "stream" and the EOL before "endstream"
  size_t eol_length = 0;   // length of that EOL before "endstream" (0, 1 or 2)
  size_t data_offset = 0;  // of the first data byte
  // The dictionary declares an object stream (/Type /ObjStm); with its
  // filtering: none, or FlateDecode alone without DecodeParms.
  bool object_stream = false;
  enum class Coding { kNone, kFlate, kOther } coding = Coding::kNone;
};

// A syntax problem inside an indirect object; reported only if that object
// is the one the cross-reference table points to (dead objects do not count).
struct RawObjectProblem {
  uint32_t object = 0;
  uint16_t generation = 0;
  size_t offset = 0;  // of the object number
  PdfaViolation violation;
};

struct RawScan {
  std::vector<RawObjectProblem> object_problems;
  std::vector<PdfaViolation> violations;
  std::vector<RawStream> streams;
  int header_minor_version = -1;  // n of "%PDF-1.n", -1 if absent
};

// `part` is 1, 2 or 3 (clause numbers differ between parts).
RawScan ScanRawSyntax(std::string_view bytes, int part, size_t max_violations);

// The first malformed hexadecimal string (odd digit count, or a character
// other than hex digits and white-space) in a run of object syntax such as
// the decoded data of an object stream; empty if none. ISO 19005 6.1.6.
std::string FirstHexStringProblem(std::string_view objects);

}  // namespace kholuu::formats::pdf
