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

nlohmann::json SigningCertJson(const x509::SigningCertCheck& c) {
  nlohmann::json j = {{"status", std::string(x509::SigningCertAttrName(c.status))},
                      {"attribute", c.attribute},
                      {"hash_algorithm", c.hash_algorithm},
                      {"notes", c.notes}};
  j["issuer_serial_matches"] = c.issuer_serial_matches ? nlohmann::json(*c.issuer_serial_matches) : nlohmann::json();
  return j;
}

nlohmann::json PolicyJson(const x509::PolicyCheck& p) {
  return {{"status", std::string(x509::PolicyAttrName(p.status))},
          {"oid", p.oid},
          {"hash_algorithm", p.hash_algorithm},
          {"hash_length", p.hash_length},
          {"notes", p.notes}};
}

nlohmann::json SignerJson(const pdfsig::SignerReport& s) {
  nlohmann::json j = {
      {"signer", s.signer},
      {"signer_identifier", s.signer_identifier},
      {"integrity", std::string(x509::IntegrityName(s.integrity))},
      {"digest_algorithm", s.digest_algorithm},
      {"signature_algorithm", s.signature_algorithm},
      {"weak_digest", s.weak_digest},
      {"signing_certificate", SigningCertJson(s.signing_certificate)},
      {"signature_policy", PolicyJson(s.policy)},
      {"trust", std::string(x509::TrustName(s.trust.trust))},
      {"trust_details", TrustJson(s.trust)},
      {"problems", s.problems},
  };
  if (!s.signer_cert.sha256_hex.empty()) j["signer_certificate"] = CertJson(s.signer_cert);
  if (s.signing_time) j["signing_time"] = x509::FormatTime(*s.signing_time);
  return j;
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
      {"fields", s.fields.empty() ? std::vector<std::string>{s.field} : s.fields},
      {"signing_certificate", SigningCertJson(s.signing_certificate)},
      {"signature_policy", PolicyJson(s.policy)},
  };
  nlohmann::json signers = nlohmann::json::array();
  for (const auto& sr : s.signers) signers.push_back(SignerJson(sr));
  j["signers"] = signers;
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
  return {{"format", kSignatureReportFormat},
          {"file", file},
          {"revisions", r.revisions},
          {"problems", r.problems},
          {"signatures", sigs}};
}

// The problem a version 1 report added when the ESS attribute did not
// identify the signer, and the beginnings of the problems that meant the
// signature value itself did not verify.
constexpr char kV1EssProblem[] = "the signing-certificate attribute does not identify the signer certificate";
constexpr const char* kSignatureValueProblems[] = {
    "the signature value does not verify",
    "the signature over the signed bytes does not verify",
};

std::string StringMember(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Whether the stored members of one signature make it fail (SignatureFailed).
bool StoredFailed(const nlohmann::json& s, const std::string& integrity) {
  if (integrity != "valid" || StringMember(s, "trust") == "untrusted") return true;
  if (auto r = s.find("revision"); r != s.end() && r->is_number_integer() && r->get<int64_t>() < 0) return true;
  if (auto c = s.find("changes_after_signing"); c != s.end() && c->is_array()) {
    for (const auto& ch : *c) {
      if (ch.is_object() && StringMember(ch, "class") == "other") return true;
    }
  }
  if (auto signers = s.find("signers"); signers != s.end() && signers->is_array()) {
    for (const auto& sr : *signers) {
      if (!sr.is_object()) continue;
      if (StringMember(sr, "integrity") != "valid" || StringMember(sr, "trust") == "untrusted") return true;
    }
  }
  return false;
}

Result<StoredSignature> ReadStoredSignature(const nlohmann::json& s, int version) {
  if (!s.is_object()) return InvalidArgumentError("a signature of the report is not an object");
  StoredSignature out;
  out.kind = StringMember(s, "kind");
  out.integrity = StringMember(s, "integrity");
  out.trust = StringMember(s, "trust");
  if (out.integrity.empty()) return InvalidArgumentError("a signature of the report has no integrity");
  if (version >= 2) {
    auto fields = s.find("fields");
    if (fields == s.end() || !fields->is_array()) return InvalidArgumentError("a signature has no fields array");
    for (const auto& f : *fields) {
      if (f.is_string()) out.fields.push_back(f.get<std::string>());
    }
    auto ess = s.find("signing_certificate");
    out.signing_certificate = ess != s.end() && ess->is_object() ? StringMember(*ess, "status") : "absent";
    auto signers = s.find("signers");
    out.signers = signers != s.end() && signers->is_array() ? signers->size() : 0;
  } else {
    out.fields.push_back(StringMember(s, "field"));
    out.signing_certificate = "not-recorded";
    bool ess_problem = false;
    bool value_problem = false;
    if (auto problems = s.find("problems"); problems != s.end() && problems->is_array()) {
      for (const auto& p : *problems) {
        if (!p.is_string()) continue;
        const std::string& text = p.get_ref<const std::string&>();
        ess_problem |= text == kV1EssProblem;
        for (const char* v : kSignatureValueProblems) value_problem |= text.rfind(v, 0) == 0;
      }
    }
    if (ess_problem) {
      out.signing_certificate = "does-not-match";
      // Version 1 turned a valid signature into invalid-signature for this alone.
      if (out.integrity == "invalid-signature" && !value_problem) out.integrity = "valid";
    }
  }
  out.failed = StoredFailed(s, out.integrity);
  return out;
}

}  // namespace

std::string SignatureReportText(const std::string& file, const pdfsig::PdfReport& r) {
  return Dump(SignatureReportJson(file, r));
}

Result<StoredSignatureReport> ReadSignatureReport(std::string_view format_version, std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return InvalidArgumentError("the signature report is not a JSON object");
  std::string declared = StringMember(j, "format");
  std::string format = !format_version.empty() ? std::string(format_version) : declared;
  StoredSignatureReport out;
  if (format.empty() || format == kSignatureReportFormatV1) {
    out.version = 1;
  } else if (format == kSignatureReportFormat) {
    out.version = 2;
  } else if (format.rfind("kholuu signature report ", 0) == 0) {
    return UnimplementedError("signature report format '" + format + "' is newer than this reader");
  } else {
    return InvalidArgumentError("not a kholuu signature report: format '" + format + "'");
  }
  if (!declared.empty() && declared != format) {
    return InvalidArgumentError("the report says it is '" + declared + "', its component '" + format + "'");
  }
  out.file = StringMember(j, "file");
  auto sigs = j.find("signatures");
  if (sigs == j.end() || !sigs->is_array()) return InvalidArgumentError("the signature report has no signatures array");
  for (const auto& s : *sigs) {
    KHOLUU_ASSIGN_OR_RETURN(StoredSignature one, ReadStoredSignature(s, out.version));
    out.signatures.push_back(std::move(one));
  }
  return out;
}

bool SignatureFailed(const pdfsig::SignatureReport& s) {
  if (s.integrity != x509::Integrity::kValid || s.trust.trust == x509::Trust::kUntrusted) return true;
  for (const auto& sr : s.signers) {
    if (sr.integrity != x509::Integrity::kValid || sr.trust.trust == x509::Trust::kUntrusted) return true;
  }
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
