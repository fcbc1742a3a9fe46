// Retention assigned when a record file is first received (issue 20):
// shared by the ingest pipeline and `put`. Internal to ingest/.
#pragma once

#include <cstdint>
#include <string>

#include "archive/base/status.h"
#include "archive/catalog/catalog.h"
#include "archive/model/record_file.h"

namespace kholuu::ingest::internal {

// In the transaction that creates `file`: stores the retention its metadata
// gives it (RetentionFromMetadata, received at `now_micros`), or, when the
// metadata has none or an unreadable one, records a warning event on the
// file saying so (the file then waits for an archivist's assignment; it is
// never refused for it).
Status AssignRetentionAtIngest(archive::WriteTxn& w, const model::RecordFile& file, int64_t now_micros,
                               const std::string& agent);

}  // namespace kholuu::ingest::internal
