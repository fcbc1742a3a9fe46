// kholuu sig verify FILE... [--trust-store DIR] [--json]
//
// Verifies every signature and document timestamp of each PDF and prints the
// evidence: the contract's JSON shape (spec/architecture.md §5.2) plus the
// details behind each verdict, or a readable report. Exit status: 0 when
// every signature is intact, covers its revision and no later update is
// outside what is permitted, and no signer is untrusted; 1 when any check
// failed; 2 for unreadable input or a bad trust store; 3 internal error.
#include <ctime>
#include <iostream>

#include "formats/pdfsig/pdf_signatures.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

namespace pdfsig = formats::pdfsig;
namespace x509 = formats::x509;

struct SigArgs {
  std::vector<std::string> files;
  std::string trust_store;
};

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

bool Failed(const pdfsig::SignatureReport& s) {
  if (s.integrity != x509::Integrity::kValid || s.trust.trust == x509::Trust::kUntrusted) return true;
  if (s.revision < 0) return true;
  for (const auto& c : s.changes) {
    if (c.change == pdfsig::ChangeClass::kOther) return true;
  }
  return false;
}

void PrintText(const std::string& file, const pdfsig::PdfReport& r) {
  std::cout << file << ": " << r.signatures.size() << " signature(s), " << r.revisions
            << " revision(s), " << r.size << " bytes\n";
  for (const std::string& p : r.problems) std::cout << "  ! " << p << "\n";
  int n = 0;
  for (const auto& s : r.signatures) {
    std::cout << "  #" << ++n << " " << (s.document_timestamp ? "document timestamp" : "signature")
              << " \"" << s.field << "\" (" << s.subfilter << ")\n";
    std::cout << "    integrity: " << x509::IntegrityName(s.integrity);
    if (!s.digest_algorithm.empty()) std::cout << " (" << s.digest_algorithm;
    if (!s.signature_algorithm.empty()) std::cout << ", " << s.signature_algorithm;
    if (!s.digest_algorithm.empty()) std::cout << ")";
    if (s.weak_digest) std::cout << " [WEAK DIGEST]";
    std::cout << "\n    signer: " << (s.signer.empty() ? "(unknown)" : s.signer) << "\n";
    if (s.signing_time) std::cout << "    claimed signing time: " << x509::FormatTime(*s.signing_time) << "\n";
    if (s.timestamp) {
      std::cout << "    timestamp: " << x509::FormatTime(s.timestamp->time) << " by " << s.timestamp->tsa
                << (s.timestamp->valid ? " (valid" : " (INVALID") << ", TSA "
                << x509::TrustName(s.timestamp->trust.trust) << ")\n";
    }
    if (s.docmdp_level) std::cout << "    certification: DocMDP P=" << *s.docmdp_level << "\n";
    if (s.field_lock) {
      std::cout << "    field lock: FieldMDP /" << s.field_lock->action;
      for (const std::string& f : s.field_lock->fields) std::cout << " \"" << f << "\"";
      std::cout << "\n";
    }
    std::cout << "    coverage: " << (s.covers_whole_document ? "whole document" : "NOT the whole document")
              << "; revision " << s.revision << (s.modified_after_signing ? "; modified after signing" : "") << "\n";
    for (const auto& c : s.changes) {
      std::cout << "      later revision " << c.revision << ": " << pdfsig::ChangeClassName(c.change) << "\n";
      for (const auto& d : c.details) std::cout << "        - " << d << "\n";
    }
    std::cout << "    trust: " << x509::TrustName(s.trust.trust) << " (at " << x509::FormatTime(s.validation_time)
              << ", " << s.validation_time_source << ")\n";
    for (const auto& reason : s.trust.reasons) std::cout << "      - " << reason << "\n";
    for (const auto& p : s.problems) std::cout << "    ! " << p << "\n";
  }
}

int CmdSigVerify(const Common& c, const SigArgs& a) {
  pdfsig::VerifyOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  if (!a.trust_store.empty()) {
    auto store = x509::TrustStore::LoadPemDirectory(a.trust_store);
    if (!store.ok()) {
      Status s = store.status();
      s.Annotate("trust store");
      if (c.json) std::cout << DumpJson(ErrorJson(s)) << "\n";
      std::cerr << "kholuu: " << s.message() << "\n";
      return ExitCodeFor(s);
    }
    options.trust_store = std::move(store).value();
  }
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  for (const std::string& file : a.files) {
    auto report = pdfsig::VerifyPdfFile(file, options);
    if (!report.ok()) {
      Status s = report.status();
      s.Annotate(file);
      std::cerr << "kholuu: " << s.message() << "\n";
      out.push_back({{"file", file}, {"error", ErrorJson(s)}});
      rc = std::max(rc, ExitCodeFor(s));
      continue;
    }
    nlohmann::json sigs = nlohmann::json::array();
    for (const auto& s : report->signatures) {
      sigs.push_back(SignatureJson(s));
      if (Failed(s)) rc = std::max(rc, kExitCheckFailed);
    }
    out.push_back({{"file", file}, {"revisions", report->revisions}, {"problems", report->problems},
                   {"signatures", sigs}});
    if (!c.json) PrintText(file, *report);
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return rc;
}

}  // namespace

void RegisterSigCommands(CLI::App& app, const Registry& reg) {
  static SigArgs storage;  // lives as long as the CLI app
  SigArgs* args = &storage;
  CLI::App* sig = app.add_subcommand("sig", "digital signatures");
  sig->require_subcommand(1);
  CLI::App* verify = sig->add_subcommand("verify", "verify every signature and document timestamp of PDFs");
  reg.AddCommon(verify);
  verify->add_option("FILE", args->files, "PDF files")->required();
  verify->add_option("--trust-store", args->trust_store, "directory of PEM trust anchors");
  Registry r = reg;
  verify->callback([args, r] { *r.rc = CmdSigVerify(*r.common, *args); });
}

}  // namespace kholuu::cli
