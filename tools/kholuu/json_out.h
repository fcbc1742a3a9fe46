// JSON rendering of archive values for `--json` output, and the exit-status
// contract: 0 success, 1 a check failed, 2 usage or unreadable input,
// 3 internal error.
#pragma once

#include <nlohmann/json.hpp>

#include "archive/base/status.h"
#include "ingest/service.h"
#include "archive/model/component.h"
#include "archive/model/document.h"
#include "archive/model/event.h"
#include "archive/model/record_file.h"

namespace kholuu::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;

// Exit status for a failed operation: 1 kDataLoss; 2 invalid argument, not
// found, already exists, failed precondition, permission denied,
// unimplemented, unavailable; 3 resource exhausted, aborted, internal.
int ExitCodeFor(const Status& s);

nlohmann::json ToJson(const model::RecordFile& v);
nlohmann::json ToJson(const model::Document& v);
nlohmann::json ToJson(const model::Component& v);
nlohmann::json ToJson(const model::Event& v);
nlohmann::json ToJson(const archive::AuditEntry& v);
nlohmann::json ErrorJson(const Status& s);

// Pretty-printed JSON (indent 2). Never throws on text that is not UTF-8
// (file names, converter output): such bytes become U+FFFD.
std::string DumpJson(const nlohmann::json& j);

}  // namespace kholuu::cli
