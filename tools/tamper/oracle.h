// The campaign's oracle: what a trial really changed, decided without
// kholuu's own code. A catalog is read by `mdb_dump -a` (lmdb-utils, the
// LMDB project's reader) in a child process and compared, database by
// database and row by row, with the dump of the untouched copy; a blob's
// bytes are compared with the original's by the campaign itself.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::tamper {

// Every named database of an LMDB environment: name -> its (key, value)
// pairs in dump order (a DUPSORT database repeats the key).
struct CatalogDump {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> dbs;
};

// Parses the default (hex, "format=bytevalue") output of `mdb_dump -a`.
// Errors: kDataLoss when the text is not such a dump.
Result<CatalogDump> ParseMdbDump(std::string_view text);

// One difference between two dumps.
struct RowChange {
  std::string db;    // "documents", "audit", "idx_doc_file", ...
  std::string key;   // raw key bytes
  std::string kind;  // "altered", "added", "removed" (a DUPSORT pair: added/removed)
  bool record = false;  // a record (see IsRecordRow), not derived data
};

// The rows that differ, in database and key order.
std::vector<RowChange> Diff(const CatalogDump& before, const CatalogDump& after);

// Whether a row of `db` is a record — something the archive must prove
// unchanged: agencies, record files, documents, components, jobs, events,
// audit entries, and the meta keys the log covers (audit.head and those
// written by meta.set, given as `audited_meta`). Everything else (secondary
// indexes, the outbox, counters, the creation time, the schema version) is
// derived or bookkeeping.
bool IsRecordRow(std::string_view db, std::string_view key, const std::vector<std::string>& audited_meta);

// A key for people: printable ASCII as is, an 8-byte big-endian number as
// "#N", anything else in hex.
std::string PrintableKey(std::string_view key);

}  // namespace kholuu::tamper
