// The METS + EAD + PREMIS package of a hồ sơ, as Circular 05/2025/TT-BNV
// tooling builds it (E-ARK CSIP style AIP). Export writes one from plain
// values and byte sources; import reads one back into values and verified
// files. The exact layout, element lists and rules: docs/formats/package.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/status.h"
#include "archive/model/component.h"
#include "archive/model/document.h"
#include "archive/model/event.h"
#include "archive/model/record_file.h"
#include "formats/package/archive_reader.h"

namespace kholuu::formats::package {

// One bitstream of a document (representations/rep1/data/...).
struct PackageComponent {
  // Export: sha256 and size may be left zero (they are computed); when set
  // they must match the bytes. Import: filled from the verified file.
  model::Component component;
  ByteSource* source = nullptr;  // export only; read once to its end
  std::string path;              // import only: absolute path of the verified file
};

struct PackageDocument {
  model::Document document;  // document.id is the docCode; it names the data files
  std::vector<PackageComponent> components;
};

// Value type. Thread-safety: none needed (no shared state).
struct Package {
  // METS @OBJID: "urn:uuid:<UUID>" or "urn:<mã phông>:uuid:<UUID>".
  std::string object_id;
  int64_t created_micros = 0;  // METS CREATEDATE (written with +07:00)
  std::string creator_name;    // metsHdr agent ROLE="CREATOR" (optional)
  // arcFileCode as written in EAD.xml. Export: ignored (file_code.ToString()
  // is written). Import: the raw value.
  std::string arc_file_code;
  model::RecordFile record_file;
  std::vector<PackageDocument> documents;
  std::vector<model::Event> events;
};

// Writes `package` into directory `dir`, which must not exist
// (kAlreadyExists). Assembled in "<dir>.partial" and renamed, so `dir`
// appears complete or not at all. Errors: kInvalidArgument when a value does
// not validate (RecordFile/Document/Component/Event::Validate), a docCode
// cannot name a file, a document has no component, or object_id is not a urn;
// kDataLoss when a component's declared sha256/size differ from its bytes;
// I/O errors. Source errors are returned as is.
Status ExportPackage(const std::string& dir, const Package& package);

struct ImportLimits {
  uint64_t max_metadata_bytes = 64u << 20;  // each XML file
  size_t max_documents = 100000;
  size_t max_events = 1000000;
};

// Reads the package in directory `dir`. Every file METS references is
// verified (present, a regular file, size and SHA-256 as declared) and every
// file under representations/rep1/data must be referenced; the values are
// checked with their Validate(). Errors: kNotFound when METS.xml is missing;
// kInvalidArgument for malformed or inconsistent metadata (the message names
// the file and element) or an unsafe href; kDataLoss for a missing,
// truncated or altered file; I/O errors.
Result<Package> ImportPackage(const std::string& dir, const ImportLimits& limits = {});

// Extracts a zipped package safely (ExtractArchive) into `work_dir` (which
// must not exist) and imports it. The package root is `work_dir` itself, or
// its only top-level directory. Errors: as ExtractArchive and ImportPackage.
Result<Package> ImportPackageArchive(const std::string& archive_path, const std::string& work_dir,
                                     const ArchiveLimits& archive_limits = {},
                                     const ImportLimits& limits = {});

// The metadata parsers on bytes (used by ImportPackage; exposed for fuzzing).
// Errors: kInvalidArgument.
Result<model::RecordFile> ParseEad(std::string_view xml, std::string* arc_file_code = nullptr);
Result<model::Document> ParseEadDocument(std::string_view xml);
Result<std::vector<model::Event>> ParsePremisEvents(std::string_view xml);

// ISO 8601 with the Vietnam offset: "2025-07-01T09:00:00+07:00", with
// ".ffffff" when the microseconds are not zero.
std::string FormatVnTime(int64_t micros);
// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)" into microseconds since the
// epoch. Errors: kInvalidArgument.
Result<int64_t> ParseIsoTime(std::string_view text);

}  // namespace kholuu::formats::package
