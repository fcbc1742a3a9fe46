// `kholuu verify ID`: one record file or document checked against its
// history, fast enough to run on every retrieval of an original (issue 19).
//
// For a document: its catalog row and every component's row against the
// audit entries that wrote them (TxnView::VerifyRow, through the by-object
// index, each entry checked in its place), its events and its components'
// events against their event.create entries, and every component's blob
// re-hashed in the archive and in the replica (when one has been synced).
// The index that lists a record's parts (a document's components, a file's
// documents) is compared with the rows and the log (TxnView::CheckParts),
// and every part either side names is verified, so a part hidden from the
// index is still checked and named.
// For a record file: its own row and events, then each of its documents.
// Not covered here: the chain as a whole and the anchors (`kholuu audit
// verify`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kholuu::ingest {

struct RecordCheck {
  std::string what;     // "state", "events", "index", "blob", "replica"
  std::string object;   // the row's key, or a blob's SHA-256
  bool ok = true;
  std::string detail;   // what differs; for a good blob its size
};

struct RecordVerification {
  std::string id;
  std::string kind;     // "record_file" or "document"
  std::vector<RecordCheck> checks;   // every failure, and the blobs checked
  uint64_t rows = 0;    // catalog rows compared with their history
  uint64_t events = 0;  // events compared
  uint64_t blobs = 0;   // blob copies re-hashed (archive and replica)
  uint64_t bytes = 0;   // bytes re-hashed
  bool replica = false; // a replica was checked too
  bool ok() const {
    for (const RecordCheck& c : checks) {
      if (!c.ok) return false;
    }
    return true;
  }
};

}  // namespace kholuu::ingest
