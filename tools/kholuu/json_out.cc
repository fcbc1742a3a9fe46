#include "tools/kholuu/json_out.h"

#include "archive/base/clock.h"

namespace kholuu::cli {

// The one mapping from status codes to exit statuses (docs/cli.md "Exit
// status"). 3 is kept for what neither the caller nor the input can fix:
// a bug or an unexpected library failure, a concurrency conflict, and the
// machine running out of a resource (disk full, file size limit, memory).
int ExitCodeFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kDataLoss:  // stored bytes fail their check
      return kExitCheckFailed;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kPermissionDenied:
    case StatusCode::kUnimplemented:  // an input or option this build does not support
    case StatusCode::kUnavailable:    // another writer, a TSA that does not answer: retry later
      return kExitUsage;
    case StatusCode::kResourceExhausted:
    case StatusCode::kAborted:
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;
}

namespace {
std::string Time(int64_t micros) { return micros == 0 ? "" : FormatTimestamp(micros); }
}  // namespace

nlohmann::json ToJson(const model::RecordFile& v) {
  return {
      {"kind", "record_file"},
      {"file_code", v.file_code.ToString()},
      {"organ_id", v.file_code.organ_id},
      {"file_catalog", v.file_code.file_catalog},
      {"file_notation", v.file_code.file_notation},
      {"title", v.title},
      {"maintenance", v.maintenance},
      {"rights", static_cast<int>(v.rights)},
      {"creator", v.creator},
      {"language", v.language},
      {"start_date", v.start_date},
      {"end_date", v.end_date},
      {"doc_total", v.doc_total},
      {"page_total", v.page_total},
      {"description", v.description},
      {"keywords", v.keywords},
      {"confidence", static_cast<int>(v.confidence)},
      {"fonds_code", v.fonds_code},
      {"created", Time(v.created_micros)},
  };
}

nlohmann::json ToJson(const model::Document& v) {
  nlohmann::json signers = nlohmann::json::array();
  for (const auto& s : v.signers) signers.push_back({{"position", s.position}, {"full_name", s.full_name}});
  nlohmann::json to = nlohmann::json::array();
  for (const auto& r : v.to) to.push_back({{"organ_id", r.organ_id}, {"organ_name", r.organ_name}});
  return {
      {"kind", "document"},
      {"id", v.id},
      {"record_file", v.file_code.ToString()},
      {"doc_ordinal", v.doc_ordinal},
      {"type_name", v.type_name},
      {"code", {{"number", v.code_number}, {"notation", v.code_notation}}},
      {"issued_date", v.issued_date},
      {"organ_id", v.organ_id},
      {"organ_name", v.organ_name},
      {"subject", v.subject},
      {"language", v.language},
      {"page_amount", v.page_amount},
      {"signers", signers},
      {"to", to},
      {"priority", v.priority},
      {"edxml_document_id", v.edxml_document_id},
      {"access", static_cast<int>(v.access)},
      {"created", Time(v.created_micros)},
      {"preservation_risk", v.preservation_risk},
  };
}

nlohmann::json ToJson(const model::Component& v) {
  return {
      {"kind", "component"},
      {"id", v.id},
      {"document", v.document_id},
      {"role", std::string(model::ComponentRoleName(v.role))},
      {"name", v.name},
      {"sha256", v.sha256.ToHex()},
      {"size", v.size},
      {"media_type", v.media_type},
      {"format_version", v.format_version},
      {"derived_from", v.derived_from},
      {"created", Time(v.created_micros)},
  };
}

nlohmann::json ToJson(const model::Event& v) {
  return {
      {"seq", v.seq},
      {"type", std::string(model::EventTypeName(v.type))},
      {"outcome", std::string(model::EventOutcomeName(v.outcome))},
      {"object", v.object_id},
      {"detail", v.detail},
      {"agent", v.agent},
      {"time", Time(v.time_micros)},
  };
}

nlohmann::json ToJson(const archive::AuditEntry& v) {
  return {
      {"seq", v.seq},       {"time", Time(v.time_micros)}, {"actor", v.actor},
      {"action", v.action}, {"object", v.object},         {"detail", v.detail},
      {"payload", v.payload.IsZero() ? "" : v.payload.ToHex()},
      {"hash", v.hash.ToHex()},
  };
}

nlohmann::json ErrorJson(const Status& s) {
  return {{"error", {{"code", std::string(StatusCodeName(s.code()))}, {"message", s.message()}}}};
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace kholuu::cli
