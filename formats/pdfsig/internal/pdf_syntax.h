// Byte-level PDF syntax for signature analysis: a tokenizer/object parser,
// a scanner that finds every indirect object physically present in a byte
// range (including objects inside FlateDecode object streams), and the
// revision boundaries (%%EOF markers). No cross-reference table is trusted:
// signature analysis must see what is in the bytes, revision by revision.
// Hostile input: depth, sizes and counts are bounded; errors are Status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::pdfsig::internal {

struct DictEntry;

enum class Kind { kNull, kBool, kInt, kReal, kString, kName, kArray, kDict, kRef, kKeyword };

struct PdfObj {
  Kind kind = Kind::kNull;
  int64_t integer = 0;      // kInt, kBool (0/1)
  double real = 0;          // kReal
  std::string text;         // kString (decoded bytes), kName (without '/'), kKeyword
  bool hex = false;         // kString written as <...>
  uint32_t ref_num = 0;     // kRef
  uint32_t ref_gen = 0;
  size_t begin = 0;         // offset of the first byte in the parsed buffer
  size_t end = 0;           // offset just past the last byte
  std::vector<PdfObj> items;                          // kArray
  std::vector<DictEntry> dict;                        // kDict, in file order

  const PdfObj* Get(std::string_view key) const;      // nullptr if absent (kDict only)
  bool IsName(std::string_view n) const { return kind == Kind::kName && text == n; }
  // A canonical one-line rendering, used to compare object versions.
  std::string Canonical() const;
};

struct DictEntry {
  std::string first;  // key, without '/'
  PdfObj second;      // value
};

// Parses one object (and `N G R` references) at `*pos`; advances `*pos`.
// Errors: kInvalidArgument with the offset.
Result<PdfObj> ParseObject(std::string_view data, size_t* pos);

struct IndirectObject {
  uint32_t num = 0;
  uint32_t gen = 0;
  size_t offset = 0;      // of "N G obj" in the file (of the ObjStm for compressed ones)
  size_t end = 0;         // just past "endobj" (or the ObjStm's end)
  uint32_t in_objstm = 0; // object number of the containing object stream, 0 if none
  PdfObj value;
  bool has_stream = false;
  std::string_view stream;  // raw (still encoded) stream bytes, a view into the file
};

struct ScanLimits {
  size_t max_objects = 2'000'000;
  size_t max_inflated_bytes = 64u << 20;  // total for all object streams
};

// Every indirect object physically in `data`, in file order. Objects inside
// FlateDecode object streams follow their stream. Damaged objects are skipped.
std::vector<IndirectObject> ScanObjects(std::string_view data, const ScanLimits& limits = {});

// Offsets just past each "%%EOF" marker and its end-of-line: the end of each
// revision, ascending.
std::vector<size_t> RevisionEnds(std::string_view data);

// Inflates zlib data, refusing more than `max_out` bytes. Errors: kInvalidArgument.
Result<std::string> Inflate(std::string_view in, size_t max_out);

// Undoes the predictor of a FlateDecode /DecodeParms dictionary (`parms` may
// be null): /Predictor 1 (none), 2 (TIFF, 8 bits per component) or 10-15
// (PNG, the filter type of each row read from the row), with /Colors,
// /BitsPerComponent and /Columns. Errors: kInvalidArgument for out-of-range
// parameters or a bad PNG row type; kUnimplemented for TIFF with other than
// 8 bits per component and for unknown predictors.
Result<std::string> Unpredict(std::string_view data, const PdfObj* parms);

// The bytes of a stream after its filters: none, or FlateDecode (one filter,
// possibly written as a one-element array) with or without a predictor.
// Errors: kUnimplemented for other or chained filters, kInvalidArgument for
// bad data or more than `max_out` inflated bytes.
Result<std::string> DecodeStream(const IndirectObject& obj, size_t max_out);

// A PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding,
// approximated as Latin-1) as UTF-8.
std::string TextStringToUtf8(std::string_view s);

}  // namespace kholuu::formats::pdfsig::internal
