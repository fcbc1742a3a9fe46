// kholuu edxml inspect FILE...   and   kholuu bagit validate DIR...
//
// Read-only: neither touches the archive. `edxml inspect` prints, per file,
// the contract shape {"file", "kind", "document_id", "from", "to", "code",
// "subject", "business_doc_type", "status_code"?, "attachments",
// "xml_signature": {"present", "valid": null}} plus "problems". The XML
// signature is detected, not verified (verification is the signature
// component's job), so "valid" is null. Exit: 0 all read without errors,
// 1 some package has errors (or a bag is invalid), 2 unreadable input.
#include <iostream>

#include "formats/bagit/bag.h"
#include "formats/edxml/edxml.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"

namespace kholuu::cli {
namespace {

struct EdxmlArgs {
  std::vector<std::string> files;
};

nlohmann::json OrganJson(const formats::edxml::Organ& o) {
  return {{"organ_id", o.organ_id}, {"organ_name", o.organ_name}};
}

int CmdEdxmlInspect(const Common& c, const EdxmlArgs& a) {
  using namespace formats::edxml;
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  for (const std::string& f : a.files) {
    auto r = ParseFile(f);
    if (!r.ok()) {
      rc = std::max(rc, kExitUsage);
      nlohmann::json e = ErrorJson(r.status());
      e["file"] = f;
      out.push_back(e);
      if (!c.json) std::cerr << "kholuu: " << f << ": " << r.status().message() << "\n";
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
    j["xml_signature"] = {{"present", m.signature_present}, {"valid", nullptr}};
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
      std::cout << f << ": " << j["kind"].get<std::string>() << " " << j["document_id"].get<std::string>()
                << (m.ok() ? "" : " (has errors)") << "\n";
      if (m.kind == Kind::kDocument) {
        std::cout << "  from " << m.from.organ_id << " " << m.from.organ_name << "; "
                  << m.code_number << "/" << m.code_notation << ": " << m.subject << "\n";
      } else {
        std::cout << "  status " << m.status_code << " from " << m.from.organ_id << ": " << m.description << "\n";
      }
      for (const Attachment& at : m.attachments) {
        std::cout << "  attachment " << at.name << " (" << at.size << " bytes, sha256 " << at.sha256.ToHex() << ")\n";
      }
      std::cout << "  xml signature: " << (m.signature_present ? "present (not verified)" : "absent") << "\n";
      for (const Problem& p : m.problems) {
        std::cout << "  " << (p.severity == Severity::kError ? "error " : "warning ") << p.code << ": "
                  << p.message << (p.where.empty() ? "" : " [" + p.where + "]") << "\n";
      }
    }
  }
  if (c.json) std::cout << out.dump(2) << "\n";
  return rc;
}

int CmdBagitValidate(const Common& c, const EdxmlArgs& a) {
  using namespace formats::bagit;
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  for (const std::string& dir : a.files) {
    auto r = ValidateBag(dir);
    if (!r.ok()) {
      rc = std::max(rc, kExitUsage);
      nlohmann::json e = ErrorJson(r.status());
      e["bag"] = dir;
      out.push_back(e);
      std::cerr << "kholuu: " << dir << ": " << r.status().message() << "\n";
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
    if (!c.json) std::cout << dir << ": " << (r->valid() ? "valid" : "invalid") << "\n";
  }
  if (c.json) std::cout << out.dump(2) << "\n";
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
  inspect->callback([r] { *r.rc = CmdEdxmlInspect(*r.common, edxml_storage); });

  CLI::App* bagit = app.add_subcommand("bagit", "BagIt bags (RFC 8493)");
  bagit->require_subcommand(1);
  CLI::App* validate = bagit->add_subcommand("validate", "validate bags: structure, manifests, checksums");
  reg.AddCommon(validate);
  validate->add_option("DIR", bagit_storage.files, "bag directories")->required();
  validate->callback([r] { *r.rc = CmdBagitValidate(*r.common, bagit_storage); });
}

}  // namespace kholuu::cli
