#include "archive/model/job.h"

namespace kholuu::model {

std::string_view JobStateName(JobState s) {
  switch (s) {
    case JobState::kReceived: return "received";
    case JobState::kAccepted: return "accepted";
    case JobState::kRejected: return "rejected";
    case JobState::kAbandoned: return "abandoned";
  }
  return "unknown";
}

Problems IngestJob::Validate() const {
  Problems p;
  bool hex = id.size() == 64;
  for (char c : id) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!hex) p.Add("id", "must be the package's SHA-256 as 64 lower-case hex digits");
  CheckText(p, "package", package, 1000, /*required=*/true);
  CheckText(p, "kind", kind, 20, /*required=*/true);
  CheckText(p, "actor", actor, 200, /*required=*/true);
  CheckRange(p, "state", static_cast<int64_t>(state), 1, 4);
  if (received_micros <= 0) p.Add("received_micros", "must be positive");
  if (finished_micros < 0) p.Add("finished_micros", "must not be negative");
  if (state != JobState::kReceived && finished_micros == 0) {
    p.Add("finished_micros", "a finished job has a finishing time");
  }
  CheckText(p, "record_file", record_file, 200, /*required=*/false);
  for (size_t i = 0; i < documents.size(); ++i) {
    CheckText(p, "documents[" + std::to_string(i) + "]", documents[i], 200, /*required=*/true);
  }
  for (size_t i = 0; i < problems.size(); ++i) {
    const std::string f = "problems[" + std::to_string(i) + "].";
    CheckText(p, f + "code", problems[i].code, 100, /*required=*/true);
    CheckText(p, f + "message", problems[i].message, 2000, false, /*single_line=*/false);
    CheckText(p, f + "message_vi", problems[i].message_vi, 2000, false, /*single_line=*/false);
    CheckText(p, f + "path", problems[i].path, 1000, false);
  }
  CheckText(p, "detail", detail, 2000, /*required=*/false, /*single_line=*/false);
  return p;
}

}  // namespace kholuu::model
