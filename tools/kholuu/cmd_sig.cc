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

#include "ingest/checks.h"
#include "ingest/signature_report.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

namespace pdfsig = ingest::pdfsig;
namespace x509 = ingest::x509;

struct SigArgs {
  std::vector<std::string> files;
  std::string trust_store;
};

void PrintText(const std::string& file, const pdfsig::PdfReport& r) {
  std::cout << Tr(Msg::kSigHeader, {file, std::to_string(r.signatures.size()), std::to_string(r.revisions),
                                    std::to_string(r.size)})
            << "\n";
  for (const std::string& p : r.problems) std::cout << "  ! " << p << "\n";
  int n = 0;
  for (const auto& s : r.signatures) {
    std::cout << "  #" << ++n << " " << Tr(s.document_timestamp ? Msg::kSigDocumentTimestamp : Msg::kSigSignature)
              << " \"" << s.field << "\" (" << s.subfilter << ")\n";
    std::cout << "    " << Tr(Msg::kSigIntegrity) << ": " << x509::IntegrityName(s.integrity);
    if (!s.digest_algorithm.empty()) std::cout << " (" << s.digest_algorithm;
    if (!s.signature_algorithm.empty()) std::cout << ", " << s.signature_algorithm;
    if (!s.digest_algorithm.empty()) std::cout << ")";
    if (s.weak_digest) std::cout << " [WEAK DIGEST]";
    std::cout << "\n    " << Tr(Msg::kSigSigner) << ": " << (s.signer.empty() ? Tr(Msg::kSigUnknownSigner) : s.signer)
              << "\n";
    if (s.fields.size() > 1) {
      std::cout << "    fields:";
      for (const std::string& f : s.fields) std::cout << " \"" << f << "\"";
      std::cout << "\n";
    }
    if (s.signing_certificate.status != x509::SigningCertAttr::kAbsent) {
      std::cout << "    signing-certificate attribute: " << x509::SigningCertAttrName(s.signing_certificate.status)
                << " (" << s.signing_certificate.attribute << ", " << s.signing_certificate.hash_algorithm << ")\n";
      if (s.signing_certificate.status != x509::SigningCertAttr::kMatches) {
        for (const auto& note : s.signing_certificate.notes) std::cout << "      - " << note << "\n";
      }
    }
    if (s.policy.status != x509::PolicyAttr::kAbsent) {
      std::cout << "    signature policy: " << x509::PolicyAttrName(s.policy.status)
                << (s.policy.oid.empty() ? "" : " " + s.policy.oid) << "\n";
      for (const auto& note : s.policy.notes) std::cout << "      - " << note << "\n";
    }
    for (size_t i = 1; i < s.signers.size(); ++i) {
      std::cout << "    co-signer " << i + 1 << ": " << s.signers[i].signer << ", integrity "
                << x509::IntegrityName(s.signers[i].integrity) << ", trust " << x509::TrustName(s.signers[i].trust.trust)
                << "\n";
    }
    if (s.signing_time) {
      std::cout << "    " << Tr(Msg::kSigClaimedTime) << ": " << x509::FormatTime(*s.signing_time) << "\n";
    }
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
    std::cout << "    " << Tr(s.covers_whole_document ? Msg::kSigCoverageWhole : Msg::kSigCoverageNotWhole) << "; "
              << Tr(Msg::kSigRevision, {std::to_string(s.revision)})
              << (s.modified_after_signing ? "; " + Tr(Msg::kSigModifiedAfter) : "") << "\n";
    for (const auto& c : s.changes) {
      std::cout << "      "
                << Tr(Msg::kSigLaterRevision, {std::to_string(c.revision), pdfsig::ChangeClassName(c.change)})
                << "\n";
      for (const auto& d : c.details) std::cout << "        - " << d << "\n";
    }
    std::cout << "    " << Tr(Msg::kSigTrust) << ": " << x509::TrustName(s.trust.trust) << " (at " << x509::FormatTime(s.validation_time)
              << ", " << s.validation_time_source << ")\n";
    for (const auto& reason : s.trust.reasons) std::cout << "      - " << reason << "\n";
    for (const auto& p : s.problems) std::cout << "    ! " << p << "\n";
  }
}

int CmdSigVerify(const Common& c, const SigArgs& a) {
  pdfsig::VerifyOptions options;
  options.now = static_cast<int64_t>(std::time(nullptr));
  if (!a.trust_store.empty()) {
    auto store = ingest::LoadTrustAnchors(a.trust_store);
    if (!store.ok()) {
      Status s = store.status();
      if (c.json) std::cout << DumpJson(ErrorJson(s)) << "\n";
      Warn(s);
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
      Warn(s);
      out.push_back({{"file", file}, {"error", ErrorJson(s)}});
      rc = std::max(rc, ExitCodeFor(s));
      continue;
    }
    if (ingest::AnySignatureFailed(*report)) rc = std::max(rc, kExitCheckFailed);
    out.push_back(nlohmann::json::parse(ingest::SignatureReportText(file, *report)));
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
