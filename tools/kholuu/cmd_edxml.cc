// kholuu edxml inspect FILE...   and   kholuu bagit validate DIR...
//
// Read-only: neither touches the archive. `edxml inspect` prints, per file,
// the contract shape {"file", "kind", "document_id", "from", "to", "code",
// "subject", "business_doc_type", "status_code"?, "attachments",
// "xml_signature": {"present", "valid", ...}} plus "problems". A present
// XML signature is verified by formats/xmldsig (enveloped XML-DSig, xmlsec1)
// and its signer's chain judged against `--trust-store DIR`; "valid" is null
// when there is no signature. Exit: 0 all read without errors, 1 some package
// has errors, an invalid XML signature or an untrusted signer (or a bag is
// invalid), 2 unreadable input or a bad trust store.
#include <ctime>
#include <iostream>
#include <optional>

#include "ingest/checks.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/messages.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

struct EdxmlArgs {
  std::vector<std::string> files;
  std::string trust_store;
};

namespace x509 = ingest::x509;

nlohmann::json CertJson(const x509::CertInfo& c) {
  return {{"subject", c.subject},   {"issuer", c.issuer},
          {"serial", c.serial_hex}, {"not_before", x509::FormatTime(c.not_before)},
          {"not_after", x509::FormatTime(c.not_after)}, {"key", c.key_algorithm},
          {"sha256", c.sha256_hex}};
}

nlohmann::json XmlSignatureJson(bool present, const ingest::XmlSignatureVerdict& v) {
  nlohmann::json j = {{"present", present}, {"valid", nullptr}};
  if (!present) return j;
  if (!v.report) {
    j["valid"] = false;
    j["reasons"] = {"the signature could not be verified: " + v.error};
    return j;
  }
  const auto& r = *v.report;
  j["valid"] = r.valid;
  j["signer"] = r.signer;
  j["default_namespace"] = r.default_namespace;
  j["signature_method"] = r.signature_method;
  j["weak_algorithm"] = r.weak_algorithm;
  j["trust"] = std::string(x509::TrustName(r.trust.trust));
  nlohmann::json chain = nlohmann::json::array();
  for (const auto& c : r.trust.chain) chain.push_back(CertJson(c));
  j["trust_details"] = {{"reasons", r.trust.reasons},
                        {"revocation", std::string(x509::RevocationName(r.trust.revocation))},
                        {"chain", chain}};
  if (!r.signer_cert.sha256_hex.empty()) j["signer_certificate"] = CertJson(r.signer_cert);
  // Why `valid` is what it is, then why the trust verdict is what it is.
  std::vector<std::string> reasons = r.problems;
  if (r.valid) reasons.insert(reasons.begin(), "the signature and every reference verify");
  for (const std::string& t : r.trust.reasons) reasons.push_back("trust: " + t);
  j["reasons"] = reasons;
  return j;
}

nlohmann::json OrganJson(const ingest::edxml::Organ& o) {
  return {{"organ_id", o.organ_id}, {"organ_name", o.organ_name}};
}

int CmdEdxmlInspect(const Common& c, const EdxmlArgs& a) {
  using namespace ingest::edxml;
  x509::TrustStore store;
  if (!a.trust_store.empty()) {
    auto loaded = ingest::LoadTrustAnchors(a.trust_store);
    if (!loaded.ok()) {
      Status s = loaded.status();
      if (c.json) std::cout << DumpJson(ErrorJson(s)) << "\n";
      Warn(s);
      return ExitCodeFor(s);
    }
    store = std::move(loaded).value();
  }
  const auto now = static_cast<int64_t>(std::time(nullptr));
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  for (const std::string& f : a.files) {
    auto r = ParseFile(f);
    if (!r.ok()) {
      rc = std::max(rc, ExitCodeFor(r.status()));
      nlohmann::json e = ErrorJson(r.status());
      e["file"] = f;
      out.push_back(e);
      if (!c.json) Warn(Status(r.status()).Annotate(f));
      continue;
    }
    const Message& m = *r;
    if (!m.ok()) rc = std::max(rc, kExitCheckFailed);
    nlohmann::json j;
    j["file"] = f;
    j["kind"] = m.kind == Kind::kDocument ? "document" : "status";
    j["document_id"] = m.kind == Kind::kDocument
                           ? m.document_id
                           : (m.response_for.empty() ? std::string() : m.response_for[0].document_id);
    j["from"] = OrganJson(m.from);
    j["to"] = nlohmann::json::array();
    for (const Organ& o : m.to) j["to"].push_back(OrganJson(o));
    j["code"] = {{"number", m.code_number}, {"notation", m.code_notation}};
    j["subject"] = m.subject;
    j["business_doc_type"] = m.business.doc_type >= 0 ? nlohmann::json(m.business.doc_type) : nlohmann::json();
    if (m.kind == Kind::kStatus) {
      j["status_code"] = m.status_code;
      j["description"] = m.description;
    }
    j["attachments"] = nlohmann::json::array();
    for (const Attachment& at : m.attachments) {
      j["attachments"].push_back({{"name", at.name},
                                  {"content_type", at.content_type},
                                  {"size", at.size},
                                  {"sha256", at.sha256.ToHex()},
                                  {"zip", at.is_zip}});
    }
    ingest::XmlSignatureVerdict sig;
    if (m.signature_present) sig = ingest::VerifyEdxmlSignatureFile(f, store, now);
    if (sig.failed()) rc = std::max(rc, kExitCheckFailed);
    j["xml_signature"] = XmlSignatureJson(m.signature_present, sig);
    j["problems"] = nlohmann::json::array();
    for (const Problem& p : m.problems) {
      j["problems"].push_back({{"severity", p.severity == Severity::kError ? "error" : "warning"},
                               {"code", p.code},
                               {"message", p.message},
                               {"where", p.where}});
    }
    j["ok"] = m.ok();
    out.push_back(j);
    if (!c.json) {
      std::cout << f << ": " << Tr(m.kind == Kind::kDocument ? Msg::kEdxmlDocument : Msg::kEdxmlStatus) << " "
                << j["document_id"].get<std::string>() << (m.ok() ? "" : " " + Tr(Msg::kEdxmlHasErrors)) << "\n";
      if (m.kind == Kind::kDocument) {
        std::cout << "  " << Tr(Msg::kEdxmlFrom) << " " << m.from.organ_id << " " << m.from.organ_name << "; "
                  << m.code_number << "/" << m.code_notation << ": " << m.subject << "\n";
      } else {
        std::cout << "  " << Tr(Msg::kEdxmlStatus) << " " << m.status_code << " — " << Tr(Msg::kEdxmlFrom) << " "
                  << m.from.organ_id << ": " << m.description << "\n";
      }
      for (const Attachment& at : m.attachments) {
        std::cout << "  " << Tr(Msg::kEdxmlAttachment, {at.name, std::to_string(at.size), at.sha256.ToHex()}) << "\n";
      }
      const nlohmann::json& xs = j["xml_signature"];
      if (!m.signature_present) {
        std::cout << "  " << Tr(Msg::kEdxmlSignatureAbsent) << "\n";
      } else {
        std::cout << "  " << Tr(xs["valid"].get<bool>() ? Msg::kEdxmlSignatureValid : Msg::kEdxmlSignatureInvalid);
        if (xs.contains("signer")) {
          std::cout << ", " << Tr(Msg::kSigSigner) << " "
                    << (xs["signer"].get<std::string>().empty() ? Tr(Msg::kSigUnknownSigner)
                                                                : xs["signer"].get<std::string>())
                    << ", " << Tr(Msg::kSigTrust) << " " << xs["trust"].get<std::string>();
        }
        std::cout << "\n";
        for (const auto& reason : xs["reasons"]) std::cout << "    - " << reason.get<std::string>() << "\n";
      }
      for (const Problem& p : m.problems) {
        std::cout << "  " << Tr(p.severity == Severity::kError ? Msg::kIngestError : Msg::kIngestWarning) << " "
                  << p.code << ": " << p.message << (p.where.empty() ? "" : " [" + p.where + "]") << "\n";
      }
    }
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return rc;
}

int CmdBagitValidate(const Common& c, const EdxmlArgs& a) {
  using namespace ingest::bagit;
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  for (const std::string& dir : a.files) {
    auto r = ValidateBag(dir);
    if (!r.ok()) {
      rc = std::max(rc, ExitCodeFor(r.status()));
      nlohmann::json e = ErrorJson(r.status());
      e["bag"] = dir;
      out.push_back(e);
      Warn(Status(r.status()).Annotate(dir));
      continue;
    }
    if (!r->valid()) rc = std::max(rc, kExitCheckFailed);
    nlohmann::json j = {{"bag", dir}, {"valid", r->valid()}, {"version", r->version},
                        {"algorithms", r->algorithms}, {"payload_files", r->payload.size()},
                        {"payload_bytes", r->payload_bytes}};
    j["problems"] = nlohmann::json::array();
    for (const BagProblem& p : r->problems) {
      j["problems"].push_back({{"severity", p.severity == Severity::kError ? "error" : "warning"},
                               {"code", p.code}, {"message", p.message}, {"path", p.path}});
      // Warnings go to stderr so BagIt test harnesses see them.
      std::cerr << dir << ": " << (p.severity == Severity::kError ? "error " : "warning ") << p.code
                << ": " << p.message << "\n";
    }
    out.push_back(j);
    if (!c.json) std::cout << dir << ": " << Tr(r->valid() ? Msg::kBagValid : Msg::kBagInvalid) << "\n";
  }
  if (c.json) std::cout << DumpJson(out) << "\n";
  return rc;
}

}  // namespace

void RegisterEdxmlCommands(CLI::App& app, const Registry& reg) {
  static EdxmlArgs edxml_storage;
  static EdxmlArgs bagit_storage;
  Registry r = reg;
  CLI::App* edxml = app.add_subcommand("edxml", "edXML packages from the exchange axis");
  edxml->require_subcommand(1);
  CLI::App* inspect = edxml->add_subcommand("inspect", "parse and check edXML packages");
  reg.AddCommon(inspect);
  inspect->add_option("FILE", edxml_storage.files, "edXML files")->required();
  inspect->add_option("--trust-store", edxml_storage.trust_store,
                      "directory of PEM trust anchors for the XML signature's signer");
  inspect->callback([r] { *r.rc = CmdEdxmlInspect(*r.common, edxml_storage); });

  CLI::App* bagit = app.add_subcommand("bagit", "BagIt bags (RFC 8493)");
  bagit->require_subcommand(1);
  CLI::App* validate = bagit->add_subcommand("validate", "validate bags: structure, manifests, checksums");
  reg.AddCommon(validate);
  validate->add_option("DIR", bagit_storage.files, "bag directories")->required();
  validate->callback([r] { *r.rc = CmdBagitValidate(*r.common, bagit_storage); });
}

}  // namespace kholuu::cli
