// The catalog -> full-text index sync. The index (<data>/index, DataDir) is
// derived: RebuildIndex makes it anew from the catalog; DrainOutbox applies
// the catalog's pending outbox entries (written in the same transaction as
// each change that affects search). Both acknowledge outbox entries only
// after the index commit, so a crash in between re-applies them
// (idempotent) and loses none.
#pragma once

#include <functional>

#include <cstdint>
#include <string>

#include "archive/archive.h"
#include "indexer/index.h"
#include "ingest/data_dir.h"

namespace kholuu::ingest {

// The indexed form of `d`: its description, incoming-routing notes and the
// text of its extracted_text components (at most 16 MiB of body), with its
// record file's title. Errors: catalog and blob errors (kDataLoss when a
// text blob does not match its hash).
Result<indexer::IndexDocument> ToIndexDocument(const archive::TxnView& r, const archive::BlobStore& blobs,
                                               const model::Document& d);

struct SyncReport {
  uint64_t indexed = 0;   // documents written to the index
  uint64_t deleted = 0;   // documents removed from it
  uint64_t acknowledged = 0;  // outbox entries acknowledged
};

struct RebuildOptions {
  // Called on the calling thread with (documents read, documents in the
  // snapshot) every few hundred documents and at the end; may be empty.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// Rebuilds data.index() from the catalog: written into data.index_new() (one
// shard per CPU, up to 4), renamed over the old index (readers that have it
// open keep reading the old one until they reopen), then the outbox entries
// of the snapshot it was built from are acknowledged.
Result<SyncReport> RebuildIndex(archive::Archive& a, const DataDir& data, const std::string& actor,
                                const RebuildOptions& options = {});

// Applies the pending outbox entries to data.index() (created if missing)
// and acknowledges them. Errors: index and catalog errors; nothing is
// acknowledged unless the index committed.
Result<SyncReport> DrainOutbox(archive::Archive& a, const DataDir& data, const std::string& actor);

}  // namespace kholuu::ingest
