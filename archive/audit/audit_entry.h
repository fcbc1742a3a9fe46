// Entries of the tamper-evident audit chain.
//
// Each entry's hash is SHA-256 over its canonical encoding, which includes the
// previous entry's hash; the first entry's previous hash is all zeros. Changing,
// inserting or deleting any entry breaks every later link. Entries are written
// by the catalog in the same LMDB transaction as the change they record.
// Encoding: docs/formats/storage.md "Audit entries".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "archive/base/sha256.h"
#include "archive/base/status.h"

namespace kholuu::archive {

struct AuditEntry {
  uint64_t seq = 0;          // 1, 2, 3, ... without gaps
  int64_t time_micros = 0;   // UTC
  std::string actor;         // who: "cli:root", "kholuud:user-id", "system"
  std::string action;        // what: "record_file.create", "blob.gc", ...
  std::string object;        // which object id
  std::string detail;        // free text, no record content
  Sha256 payload;            // SHA-256 of the value written, or zero
  Sha256 prev_hash;          // hash of entry seq-1, zero for seq 1
  Sha256 hash;               // ComputeHash() of this entry

  // SHA-256 of the canonical encoding of every field except `hash`.
  Sha256 ComputeHash() const;
};

// Stored value: the canonical encoding followed by the 32-byte hash.
std::string EncodeAuditEntry(const AuditEntry& e);
// Errors: kDataLoss if malformed (the message says where).
Result<AuditEntry> DecodeAuditEntry(std::string_view bytes);

}  // namespace kholuu::archive
