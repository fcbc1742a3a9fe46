// BagIt (RFC 8493, and the earlier drafts 0.93-0.97 still found in the
// field): a validator that reports every problem, and a writer.
//
// kholuu never fetches: a bag whose fetch.txt names a file that is not
// present is invalid ("fetch-refused"). Layout and rules: docs/formats/bagit.md.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/status.h"

namespace kholuu::formats::bagit {

enum class Severity { kError, kWarning };

struct BagProblem {
  Severity severity = Severity::kError;
  std::string code;     // stable, e.g. "checksum-mismatch", "payload-oxum"
  std::string message;  // for a person
  std::string path;     // bag-relative path it concerns, if any
};

struct BagReport {
  std::string version;                 // "1.0", "0.97", ... as declared
  std::string tag_encoding;            // declared Tag-File-Character-Encoding
  std::vector<std::string> algorithms; // payload manifest algorithms found
  std::vector<std::pair<std::string, std::string>> info;  // bag-info.txt, in order
  std::vector<std::string> payload;    // payload paths ("data/..."), sorted
  uint64_t payload_bytes = 0;
  std::vector<BagProblem> problems;

  // No problem of severity kError.
  bool valid() const;
  size_t errors() const;
  size_t warnings() const;
};

struct ValidateOptions {
  bool verify_checksums = true;             // false: structure only
  uint64_t max_tag_file_bytes = 32u << 20;  // each tag file
  uint64_t max_files = 1000000;             // payload + tag files
};

// Validates the bag in directory `dir`. Problems with the bag go into the
// report (never a non-OK status). Errors: kNotFound/kFailedPrecondition when
// `dir` is not a readable directory, I/O errors while reading.
Result<BagReport> ValidateBag(const std::string& dir, const ValidateOptions& options = {});

// One payload file for WriteBag: `path` is relative to data/ ('/'-separated,
// no "..", not absolute); `source` is read once to its end.
struct PayloadEntry {
  std::string path;
  ByteSource* source = nullptr;
};

// Writes a BagIt 1.0 bag into `dir`, which must not exist: data/ with the
// payload, manifest-sha256.txt and manifest-sha512.txt, bagit.txt,
// bag-info.txt (the given fields plus Payload-Oxum and, unless given,
// Bagging-Date) and tagmanifest-sha256/sha512.txt. The bag is assembled in
// "<dir>.partial" and renamed into place, so `dir` either appears complete
// or not at all. Errors: kInvalidArgument for a bad or duplicate path,
// kAlreadyExists when `dir` exists, I/O errors.
Status WriteBag(const std::string& dir, const std::vector<PayloadEntry>& payload,
                const std::vector<std::pair<std::string, std::string>>& info);

}  // namespace kholuu::formats::bagit
