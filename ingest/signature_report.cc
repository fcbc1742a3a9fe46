#include "ingest/signature_report.h"

#include <nlohmann/json.hpp>

namespace kholuu::ingest {

namespace pdfsig = formats::pdfsig;
namespace x509 = formats::x509;

namespace {

std::string Dump(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json CertJson(const x509::CertInfo& c) {
  return {{"subject", c.subject},   {"issuer", c.issuer},
          {"serial", c.serial_hex}, {"not_before", x509::FormatTime(c.not_before)},
          {"not_after", x509::FormatTime(c.not_after)}, {"key", c.key_algorithm},
          {"sha256", c.sha256_hex}};
}

nlohmann::json TrustJson(const x509::TrustResult& t) {
  nlohmann::json chain = nlohmann::json::array();
  for (const auto& c : t.chain) chain.push_back(CertJson(c));
  nlohmann::json chain_revocation = nlohmann::json::array();
  for (const auto& r : t.chain_revocation) {
    chain_revocation.push_back({{"certificate", r.common_name},
                                {"status", std::string(x509::RevocationName(r.status))},
                                {"source", r.source},
                                {"reason", r.reason}});
  }
  return {{"verdict", std::string(x509::TrustName(t.trust))},
          {"revocation", std::string(x509::RevocationName(t.revocation))},
          {"revocation_source", t.revocation_source},
          {"chain_revocation", chain_revocation},
          {"reasons", t.reasons},
          {"chain", chain}};
}

nlohmann::json SignatureJson(const pdfsig::SignatureReport& s) {
  nlohmann::json j = {
      {"field", s.field},
      {"subfilter", s.subfilter},
      {"kind", s.document_timestamp ? "document-timestamp" : "signature"},
      {"integrity", std::string(x509::IntegrityName(s.integrity))},
      {"covers_whole_document", s.covers_whole_document},
      {"modified_after_signing", s.modified_after_signing},
      {"signer", s.signer},
      {"trust", std::string(x509::TrustName(s.trust.trust))},
      {"byte_range", s.byte_range},
      {"revision", s.revision},
      {"digest_algorithm", s.digest_algorithm},
      {"signature_algorithm", s.signature_algorithm},
      {"weak_digest", s.weak_digest},
      {"problems", s.problems},
      {"validation_time", x509::FormatTime(s.validation_time)},
      {"validation_time_source", s.validation_time_source},
      {"trust_details", TrustJson(s.trust)},
  };
  if (!s.signer_cert.sha256_hex.empty()) j["signer_certificate"] = CertJson(s.signer_cert);
  if (s.signing_time) j["signing_time"] = x509::FormatTime(*s.signing_time);
  if (s.docmdp_level) j["docmdp_level"] = *s.docmdp_level;
  if (s.field_lock) j["field_lock"] = {{"action", s.field_lock->action}, {"fields", s.field_lock->fields}};
  if (s.timestamp) {
    j["timestamp"] = {{"time", x509::FormatTime(s.timestamp->time)},
                      {"valid", s.timestamp->valid},
                      {"tsa", s.timestamp->tsa},
                      {"trust", std::string(x509::TrustName(s.timestamp->trust.trust))},
                      {"problems", s.timestamp->problems}};
  }
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : s.changes) {
    changes.push_back({{"revision", c.revision},
                       {"bytes", {c.begin, c.end}},
                       {"class", std::string(pdfsig::ChangeClassName(c.change))},
                       {"details", c.details}});
  }
  j["changes_after_signing"] = changes;
  return j;
}

nlohmann::json SignatureReportJson(const std::string& file, const pdfsig::PdfReport& r) {
  nlohmann::json sigs = nlohmann::json::array();
  for (const auto& s : r.signatures) sigs.push_back(SignatureJson(s));
  return {{"file", file}, {"revisions", r.revisions}, {"problems", r.problems}, {"signatures", sigs}};
}

}  // namespace

std::string SignatureReportText(const std::string& file, const pdfsig::PdfReport& r) {
  return Dump(SignatureReportJson(file, r));
}

bool SignatureFailed(const pdfsig::SignatureReport& s) {
  if (s.integrity != x509::Integrity::kValid || s.trust.trust == x509::Trust::kUntrusted) return true;
  if (s.revision < 0) return true;
  for (const auto& c : s.changes) {
    if (c.change == pdfsig::ChangeClass::kOther) return true;
  }
  return false;
}

bool AnySignatureFailed(const pdfsig::PdfReport& r) {
  for (const auto& s : r.signatures) {
    if (SignatureFailed(s)) return true;
  }
  return false;
}

std::string EmbeddedReportFor(const std::string& name, bool is_pdf, std::string_view bytes,
                              const pdfsig::VerifyOptions& options) {
  if (!is_pdf) {
    return Dump({{"file", name},
                     {"signatures", nlohmann::json::array()},
                     {"note", "not a PDF: no embedded signatures to verify"}});
  }
  auto report = pdfsig::VerifyPdfSignatures(bytes, options);
  if (!report.ok()) {
    return Dump({{"file", name},
                     {"signatures", nlohmann::json::array()},
                     {"error", {{"code", std::string(StatusCodeName(report.status().code()))}, {"message", report.status().message()}}}});
  }
  return Dump(SignatureReportJson(name, *report));
}


}  // namespace kholuu::ingest
