// Identifies a file's format by its content (magic bytes and structure),
// never by its name: what ingest records as a component's media type and
// format version, what it compares a package's declared type against, and
// what decides a conversion's route (formats/convert). Rules and the list of
// formats: docs/ingest.md, "Identifying formats".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/base/status.h"

namespace kholuu::formats::identify {

// Value type.
struct Identification {
  // "application/pdf", "image/tiff", ..., "application/octet-stream" when the
  // content matches nothing known.
  std::string media_type;
  // "1.7" (PDF header), "89a" (GIF), "1.0" (XML declaration), "UTF-8" (text),
  // "" when the format has no version or it cannot be read.
  std::string format_version;
  // The content starts like the format but is cut short or damaged in a way
  // that makes it unusable (a PDF without %%EOF, a PNG without IEND, a ZIP
  // without its central directory). `damage` says what.
  bool damaged = false;
  std::string damage;

  bool known() const { return media_type != "application/octet-stream"; }
};

// Identifies the file at `path` (a regular file). Reads at most the first and
// last 64 KiB, and for ZIP containers the entry names plus "mimetype" and
// "[Content_Types].xml". Errors: as ErrnoError when the file cannot be read.
Result<Identification> IdentifyFile(const std::string& path);

// The same for content held in memory (the whole file). Never fails.
Identification IdentifyBytes(std::string_view content);

// The media type with parameters removed and letters lower-cased, and
// common aliases mapped to one name ("image/jpg" -> "image/jpeg",
// "text/xml" -> "application/xml", "application/x-pdf" -> "application/pdf").
std::string CanonicalMediaType(std::string_view media_type);

// True when a declared media type says nothing (empty or
// application/octet-stream) or names the same format as `identified`
// (after CanonicalMediaType; a declared "application/zip" is also accepted
// for the ZIP-based office formats, and "application/xml" or "text/plain"
// for each other's content, which is text either way).
bool DeclaredTypeAgrees(std::string_view declared, const Identification& identified);

// The media type a file name's extension stands for, among the formats
// identified by their magic numbers (pdf, docx/xlsx/pptx, odt/ods/odp,
// doc/xls/ppt, rtf, tif/tiff, jpg/jpeg, png, jp2, gif, zip, gz; not tar,
// whose old form has no magic):
// "application/pdf" for "Báo cáo.PDF"; "" for any other name (text, XML and
// CSV included: their content has no magic to contradict the name).
std::string MediaTypeForName(std::string_view file_name);

// True when content of `media_type` (canonical) always carries the magic
// numbers this identification reads: content that does not is not of that
// type, whatever it is called. False for text-based types and unknown ones.
bool HasMagicNumbers(std::string_view media_type);

}  // namespace kholuu::formats::identify
