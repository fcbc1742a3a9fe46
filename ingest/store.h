// Storing one file as a document's original in a new or existing record
// file: the operator's `kholuu put`, and the last step of every ingest path
// that commits a single document. The blob is durable before the one
// transaction that records the record file (created when missing), the
// document, its original component and an ingestion event (audited, and
// queued for the indexer).
#pragma once

#include <cstdint>
#include <string>

#include "archive/archive.h"
#include "archive/model/document.h"

namespace kholuu::ingest {

// The largest original the archive takes by default (put, ingest, preserve).
inline constexpr uint64_t kMaxOriginalBytes = uint64_t{1} << 30;

struct StoreRequest {
  std::string file;              // path of the bytes to store
  std::string name;              // component name; default: the file's base name
  std::string media_type;        // default: identified from the bytes
  model::FileCode file_code;     // the record file (hồ sơ)
  std::string title;             // its title when it is created (default: the subject)
  // The document's metadata; id, file_code, doc_ordinal, organ_id (taken
  // from the file code when empty) and created_micros are set by StoreOriginal.
  model::Document document;
  // Refused (kInvalidArgument) when larger; the file must be a regular file.
  uint64_t max_bytes = kMaxOriginalBytes;
};

struct StoreResult {
  std::string document_id;
  std::string record_file;
  std::string component_id;
  Sha256 sha256;
  uint64_t size = 0;
  std::string media_type;
};

// Stores request.file. The document gets the next ordinal in its record
// file. Errors: kInvalidArgument when the file cannot be read, is not a
// regular file (a device, a directory, a pipe), is larger than max_bytes
// (also when it grows past it while being read), or the metadata does not
// validate (every problem named); catalog and blob errors.
// Nothing is recorded unless everything is.
Result<StoreResult> StoreOriginal(archive::Archive& a, const std::string& actor, const StoreRequest& request);

}  // namespace kholuu::ingest
