// Embedded font programs (FontFile, FontFile2, FontFile3 streams): a bounded
// reader that extracts what PDF/A needs to compare a font dictionary with the
// font program — glyph count, glyph names, CIDs, advance widths, cmap
// subtables and the built-in encoding. It is not a rasteriser: outlines are
// not interpreted beyond what a width needs.
//
// Formats: TrueType and OpenType (sfnt: head, maxp, hhea, hmtx, loca, glyf,
// cmap formats 0/4/6/12, or a 'CFF ' table), bare CFF (name- and CID-keyed;
// Type 2 charstrings, width from the first operand or defaultWidthX), and
// Type 1 (cleartext part, eexec-encrypted private part in binary or hex,
// charstrings decrypted, width from hsbw/sbw).
//
// Hostile input: every read is bounds-checked, every count is capped by
// FontProgramLimits, subroutine calls are bounded in depth and total work.
// A malformed program is a kDataLoss Status, a program over a limit is
// kResourceExhausted; never a crash.
//
// Thread-safety: free functions without shared state; safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::formats::pdf {

struct FontProgramLimits {
  size_t max_bytes = size_t{32} << 20;  // larger programs: kResourceExhausted
  size_t max_glyphs = 65536;            // glyphs (TrueType numGlyphs, CharStrings count)
  size_t max_cmap_entries = 1u << 18;   // code -> glyph pairs over all cmap subtables
  int max_subr_depth = 10;              // Type 2 charstring subroutine nesting (CFF spec limit)
  size_t max_charstring_ops = 4096;     // operators interpreted per glyph for its width
  size_t max_charstring_work = size_t{64} << 20;  // charstring bytes scanned per font, subroutines included
};

enum class FontProgramType { kTrueType, kCff, kType1 };

struct FontProgram {
  FontProgramType type = FontProgramType::kTrueType;
  // Advance widths multiplied by this give thousandths of text space
  // (1000 / unitsPerEm for TrueType, FontMatrix[0] * 1000 for CFF/Type 1).
  double width_scale = 1.0;
  size_t glyph_count = 0;
  std::vector<double> advances;   // by glyph index; same size as glyph_count
  // TrueType: the glyph has outline data (loca entry longer than zero).
  // CFF and Type 1: always true (each charstring is a glyph).
  std::vector<bool> has_outline;
  std::vector<std::string> glyph_names;  // by glyph index: CFF name-keyed and Type 1; else empty
  bool cid_keyed = false;                // CFF with ROS
  std::vector<uint32_t> cids;            // CID-keyed CFF: CID of each glyph index
  struct Cmap {
    uint16_t platform = 0;
    uint16_t encoding = 0;
    std::map<uint32_t, uint32_t> glyphs;  // character code -> glyph index
  };
  std::vector<Cmap> cmaps;  // TrueType/OpenType only
  // Type 1 and CFF built-in encoding (code -> glyph name); empty when the
  // program uses StandardEncoding (standard_encoding is then true).
  std::map<int, std::string> encoding;
  bool standard_encoding = false;

  // The glyph index of a named glyph, if the program has glyph names.
  std::optional<uint32_t> GlyphByName(std::string_view name) const;
  // The glyph index of a CID in a CID-keyed CFF program.
  std::optional<uint32_t> GlyphByCid(uint32_t cid) const;
  // The advance of glyph `gid` in thousandths of text space, if the glyph exists.
  std::optional<double> Width1000(uint32_t gid) const;
  // The subtable for (platform, encoding), or nullptr.
  const Cmap* FindCmap(uint16_t platform, uint16_t encoding_id) const;
};

// Reads an sfnt (TrueType, or OpenType with a 'CFF ' table whose glyph
// data is then read as CFF and whose hmtx widths take precedence).
// Errors: kDataLoss (malformed or missing required table), kResourceExhausted.
Result<FontProgram> ParseTrueTypeProgram(std::string_view data, const FontProgramLimits& limits = {});

// Reads a bare CFF font (FontFile3 /Type1C or /CIDFontType0C); the first font
// of the FontSet. Errors: kDataLoss, kResourceExhausted.
Result<FontProgram> ParseCffProgram(std::string_view data, const FontProgramLimits& limits = {});

// Reads a Type 1 font program (FontFile): cleartext part, then the part after
// `eexec` decrypted (binary or hexadecimal). Errors: kDataLoss, kResourceExhausted.
Result<FontProgram> ParseType1Program(std::string_view data, const FontProgramLimits& limits = {});

// Dispatches on the data: sfnt magic (0x00010000, "true", "OTTO"), CFF
// header (major version 1), else Type 1. Errors as above.
Result<FontProgram> ParseFontProgram(std::string_view data, const FontProgramLimits& limits = {});

}  // namespace kholuu::formats::pdf
