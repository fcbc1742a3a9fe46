// kholuu preserve [DOC...] [--all] [--force] [--no-ocr] [--trust-store DIR]
//
// Carries out the preservation model (spec/architecture.md §3) for the
// original components of documents already in the archive:
//  - PDF originals with signatures: the verification report is stored as a
//    report component (application/json) with a "signature verification"
//    event whose outcome is the verdict;
//  - a checked PDF/A-2b preservation copy (formats/convert). An original that
//    already validates as PDF/A is its own copy (its format_version becomes
//    "PDF/A-<part><level>"); a copy is stored only when our validator accepts
//    it. When none can be made, a failed "normalization" event lists the
//    reasons, the document's preservation_risk says why, and the original
//    stays the only preservation object;
//  - the text for indexing (formats/text, OCR for pages without a text
//    layer, legacy 8-bit encodings repaired): an extracted_text component,
//    pages separated by form feeds.
// Converters and OCR run outside any transaction. Blobs are durable before
// one write transaction records, per document, the components, the events
// and the risk; that transaction also queues the document for the indexer.
// A crash in between leaves only unreferenced blobs (`kholuu gc`). Documents
// already preserved are skipped unless --force, which replaces the derived
// components (audited deletions).
#include <ctime>
#include <iostream>
#include <map>

#include "archive/archive.h"
#include "archive/base/clock.h"
#include "formats/convert/pdfa_convert.h"
#include "formats/pdfsig/pdf_signatures.h"
#include "formats/text/text.h"
#include "indexer/legacy_encoding.h"
#include "tools/kholuu/component_io.h"
#include "tools/kholuu/json_out.h"
#include "tools/kholuu/modules.h"
#include "tools/kholuu/sig_report.h"

namespace kholuu::cli {
namespace {

namespace pdfsig = formats::pdfsig;
namespace text = formats::text;

struct PreserveArgs {
  std::vector<std::string> documents;
  bool all = false;
  bool force = false;
  bool no_ocr = false;
  std::string trust_store;
};

constexpr uint64_t kMaxOriginalBytes = uint64_t{1} << 30;
constexpr size_t kMaxDetail = 1900;  // Event::detail allows 2000 code points

std::string Clip(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  s.resize(cut);
  return s + "…";
}

bool IsPdf(const model::Component& c) {
  return c.media_type == "application/pdf";
}
bool IsPlainText(const model::Component& c) {
  return c.media_type == "text/plain";
}

// What was made for one original, ready to be recorded.
struct Derived {
  model::Component original;       // possibly with format_version updated
  bool original_changed = false;
  std::vector<model::Component> components;  // new rows (blobs already durable)
  std::vector<model::Event> events;
  std::string risk;                // empty: a checked preservation copy exists
  nlohmann::json summary = nlohmann::json::object();
};

model::Event MakeEvent(model::EventType type, model::EventOutcome outcome, const std::string& object,
                       std::string detail, const std::string& agent) {
  model::Event e;
  e.type = type;
  e.outcome = outcome;
  e.object_id = object;
  e.detail = Clip(std::move(detail), kMaxDetail);
  e.agent = Clip(agent, 190);
  return e;
}

// Stores `bytes` as a blob and returns the component row for it, with a
// provisional id ("pending/<n>") that the recording transaction replaces.
Result<model::Component> StoreDerived(archive::Archive& a, const model::Component& from,
                                      model::ComponentRole role, std::string name,
                                      std::string media_type, std::string format_version,
                                      std::string_view bytes) {
  KHOLUU_ASSIGN_OR_RETURN(archive::BlobInfo info, a.blobs().PutBytes(bytes));
  static int pending = 0;
  model::Component c;
  c.id = "pending/" + std::to_string(++pending);
  c.document_id = from.document_id;
  c.role = role;
  c.name = std::move(name);
  c.sha256 = info.sha256;
  c.size = info.size;
  c.media_type = std::move(media_type);
  c.format_version = std::move(format_version);
  c.derived_from = from.id;
  c.created_micros = SystemClock()->NowMicros();
  return c;
}

std::string StemOf(const std::string& name) {
  size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

// Signature verification of a PDF original: report component + event.
Status VerifySignatures(archive::Archive& a, const std::string& bytes, const PreserveArgs& args,
                        const pdfsig::VerifyOptions& options, Derived* d) {
  (void)args;
  auto report = pdfsig::VerifyPdfSignatures(bytes, options);
  if (!report.ok()) {
    // Not a readable PDF for the signature parser: recorded, not fatal.
    d->events.push_back(MakeEvent(model::EventType::kSignatureVerification,
                                  model::EventOutcome::kWarning, d->original.id,
                                  "signatures not checked: " + report.status().message(),
                                  "kholuu preserve"));
    d->summary["signatures"] = {{"checked", false}, {"reason", report.status().message()}};
    return Status::Ok();
  }
  if (report->signatures.empty()) {
    d->summary["signatures"] = {{"checked", true}, {"count", 0}};
    return Status::Ok();
  }
  nlohmann::json j = SignatureReportJson(d->original.name, *report);
  bool failed = AnySignatureFailed(*report);
  KHOLUU_ASSIGN_OR_RETURN(
      model::Component rc,
      StoreDerived(a, d->original, model::ComponentRole::kReport,
                   StemOf(d->original.name) + ".signatures.json", "application/json",
                   "kholuu signature report 1", DumpJson(j)));
  d->components.push_back(rc);
  std::string detail = std::to_string(report->signatures.size()) + " signature(s): ";
  for (size_t i = 0; i < report->signatures.size(); ++i) {
    const auto& s = report->signatures[i];
    if (i > 0) detail += "; ";
    detail += "\"" + s.field + "\" " + std::string(formats::x509::IntegrityName(s.integrity)) +
              ", trust " + std::string(formats::x509::TrustName(s.trust.trust)) +
              (s.covers_whole_document ? "" : ", not the whole document") +
              (s.signer.empty() ? "" : ", signer " + s.signer);
  }
  d->events.push_back(MakeEvent(model::EventType::kSignatureVerification,
                                failed ? model::EventOutcome::kFailure : model::EventOutcome::kSuccess,
                                d->original.id, detail, "kholuu preserve (formats/pdfsig)"));
  d->summary["signatures"] = {{"checked", true}, {"count", report->signatures.size()},
                              {"failed", failed}};
  return Status::Ok();
}

// The PDF/A-2b copy. Returns the bytes text should be taken from.
Result<std::string> MakeCopy(archive::Archive& a, const std::string& bytes, Derived* d) {
  auto conv = convert::ConvertToPdfA2b(bytes, d->original.media_type.empty() ? d->original.name
                                                                               : d->original.media_type);
  if (!conv.ok() && conv.status().code() == StatusCode::kInvalidArgument) {
    // An unsupported media type may still have a convertible name.
    conv = convert::ConvertToPdfA2b(bytes, d->original.name);
  }
  if (!conv.ok()) {
    d->risk = "no preservation copy: " + conv.status().message();
    d->events.push_back(MakeEvent(model::EventType::kNormalisation, model::EventOutcome::kFailure,
                                  d->original.id, d->risk, "kholuu preserve"));
    d->summary["copy"] = {{"status", "failed"}, {"reason", conv.status().message()}};
    return bytes;
  }
  const convert::ConversionResult& r = *conv;
  std::string agent = "kholuu preserve" + (r.converter.empty() ? "" : " (" + r.converter + ")");
  if (r.validated && r.status == convert::ConversionStatus::kAlreadyConformant) {
    std::string profile = r.profile;
    for (char& ch : profile) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    d->original.format_version = "PDF/A-" + profile;
    d->original_changed = true;
    d->events.push_back(MakeEvent(model::EventType::kValidation, model::EventOutcome::kSuccess,
                                  d->original.id,
                                  "conforms to PDF/A-" + profile + ": the original is its own preservation copy",
                                  "kholuu preserve (formats/pdf)"));
    d->summary["copy"] = {{"status", "already_conformant"}, {"profile", r.profile}};
    return bytes;
  }
  if (r.validated) {
    KHOLUU_ASSIGN_OR_RETURN(
        model::Component copy,
        StoreDerived(a, d->original, model::ComponentRole::kPreservationCopy,
                     StemOf(d->original.name) + ".pdfa.pdf", "application/pdf", "PDF/A-2B", r.output));
    d->components.push_back(copy);
    d->events.push_back(MakeEvent(model::EventType::kNormalisation, model::EventOutcome::kSuccess,
                                  d->original.id,
                                  "PDF/A-2b copy " + copy.sha256.ToHex() + " (" +
                                      std::to_string(r.pages) + " pages), validated by kholuu",
                                  agent));
    d->summary["copy"] = {{"status", "converted"}, {"converter", r.converter}, {"pages", r.pages}};
    return r.output;
  }
  std::string why = r.reason.empty() ? "the copy does not validate as PDF/A-2b" : r.reason;
  for (size_t i = 0; i < r.violations.size() && i < 8; ++i) {
    why += "\n" + r.violations[i].clause + " " + r.violations[i].message;
  }
  if (r.violations.size() > 8) why += "\n… " + std::to_string(r.violations.size() - 8) + " more";
  d->risk = Clip("no valid PDF/A-2b copy: " + why, 1990);
  d->events.push_back(MakeEvent(model::EventType::kNormalisation, model::EventOutcome::kFailure,
                                d->original.id, d->risk, agent));
  nlohmann::json violations = nlohmann::json::array();
  for (const auto& v : r.violations) violations.push_back({{"clause", v.clause}, {"message", v.message}});
  d->summary["copy"] = {{"status", "failed"}, {"reason", why}, {"violations", violations}};
  return bytes;
}

// Text for indexing from `source` (the copy when there is one).
Status MakeText(archive::Archive& a, const std::string& source, const PreserveArgs& args,
                Derived* d) {
  std::string joined;
  nlohmann::json summary;
  if (IsPlainText(d->original)) {
    indexer::RepairedText t = indexer::RepairEncoding(source);
    joined = std::move(t.text);
    summary = {{"method", "plain-text"},
               {"encoding", std::string(indexer::LegacyEncodingName(t.encoding))}};
  } else {
    text::TextOptions options;
    options.ocr = !args.no_ocr;
    auto t = text::ExtractText(source, options);
    if (!t.ok()) {
      d->summary["text"] = {{"pages", 0}, {"reason", t.status().message()}};
      return Status::Ok();  // the document is kept; it is only not full-text searchable
    }
    std::map<std::string, int> encodings;
    double confidence_sum = 0;
    for (size_t i = 0; i < t->pages.size(); ++i) {
      const text::PageText& p = t->pages[i];
      if (i > 0) joined += '\f';
      if (indexer::MayNeedRepair(p.text)) {
        indexer::RepairedText r = indexer::RepairEncoding(p.text);
        if (r.encoding != indexer::LegacyEncoding::kUtf8) {
          ++encodings[std::string(indexer::LegacyEncodingName(r.encoding))];
        }
        joined += r.text;
      } else {
        joined += p.text;
      }
      if (p.method == text::TextMethod::kOcr) confidence_sum += p.ocr_confidence;
    }
    summary = {{"pages", t->pages.size()}, {"ocr_pages", t->ocr_pages},
               {"failed_pages", t->failed_pages}, {"characters", t->characters},
               {"repaired_encodings", encodings}};
    if (t->ocr_pages > 0) summary["ocr_mean_confidence"] = confidence_sum / static_cast<double>(t->ocr_pages);
  }
  if (joined.empty()) {
    d->summary["text"] = summary;
    return Status::Ok();
  }
  const model::Component& from = d->components.empty() ||
                                         d->components.back().role != model::ComponentRole::kPreservationCopy
                                     ? d->original
                                     : d->components.back();
  KHOLUU_ASSIGN_OR_RETURN(model::Component tc,
                          StoreDerived(a, from, model::ComponentRole::kExtractedText,
                                       StemOf(d->original.name) + ".txt", "text/plain", "UTF-8", joined));
  d->components.push_back(tc);
  d->summary["text"] = summary;
  return Status::Ok();
}

// Next free component index of a document ("<doc>/<n>").
int NextIndex(const std::vector<std::string>& ids) {
  int next = 1;
  for (const std::string& id : ids) {
    size_t slash = id.rfind('/');
    if (slash == std::string::npos) continue;
    int n = std::atoi(id.c_str() + slash + 1);
    if (n >= next) next = n + 1;
  }
  return next;
}

bool IsDerivedRole(model::ComponentRole r) {
  return r == model::ComponentRole::kPreservationCopy || r == model::ComponentRole::kExtractedText ||
         r == model::ComponentRole::kReport;
}

// Preserves one document. Returns its JSON summary.
Result<nlohmann::json> PreserveDocument(archive::Archive& a, const Common& c, const PreserveArgs& args,
                                        const pdfsig::VerifyOptions& verify_options,
                                        const std::string& doc_id, bool* at_risk) {
  std::vector<model::Component> originals;
  std::vector<std::string> component_ids;
  bool already = false;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, a.catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(model::Document doc, r.GetDocument(doc_id));
    KHOLUU_ASSIGN_OR_RETURN(component_ids, r.ComponentsOfDocument(doc.id));
    for (const std::string& id : component_ids) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component comp, r.GetComponent(id));
      if (comp.role == model::ComponentRole::kOriginal) originals.push_back(comp);
      if (comp.role == model::ComponentRole::kPreservationCopy ||
          comp.role == model::ComponentRole::kExtractedText ||
          (comp.role == model::ComponentRole::kOriginal && comp.format_version.rfind("PDF/A", 0) == 0)) {
        already = true;
      }
    }
    if (!doc.preservation_risk.empty()) already = true;
  }
  nlohmann::json out = {{"document", doc_id}};
  if (already && !args.force) {
    out["status"] = "skipped";
    out["reason"] = "already preserved (use --force to redo)";
    return out;
  }
  if (originals.empty()) {
    out["status"] = "skipped";
    out["reason"] = "no original component";
    return out;
  }
  std::vector<Derived> results;
  for (const model::Component& original : originals) {
    Derived d;
    d.original = original;
    d.summary["original"] = original.id;
    KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadComponentBytes(a, original, kMaxOriginalBytes));
    if (IsPdf(original)) KHOLUU_RETURN_IF_ERROR(VerifySignatures(a, bytes, args, verify_options, &d));
    std::string text_source = bytes;
    if (!IsPlainText(original)) {
      KHOLUU_ASSIGN_OR_RETURN(text_source, MakeCopy(a, bytes, &d));
    } else {
      d.events.push_back(MakeEvent(model::EventType::kValidation, model::EventOutcome::kSuccess,
                                   original.id, "plain text: preserved as it is, no PDF/A copy made",
                                   "kholuu preserve"));
      d.summary["copy"] = {{"status", "not_applicable"}, {"reason", "plain text"}};
    }
    KHOLUU_RETURN_IF_ERROR(MakeText(a, text_source, args, &d));
    results.push_back(std::move(d));
  }

  std::string risk;
  for (const Derived& d : results) {
    if (!d.risk.empty()) risk += (risk.empty() ? "" : "\n") + d.original.name + ": " + d.risk;
  }
  risk = Clip(risk, 1990);
  nlohmann::json made = nlohmann::json::array();
  KHOLUU_RETURN_IF_ERROR(a.catalog().Update(c.actor, [&](archive::WriteTxn& w) -> Status {
    made = nlohmann::json::array();
    KHOLUU_ASSIGN_OR_RETURN(model::Document doc, w.GetDocument(doc_id));
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, w.ComponentsOfDocument(doc_id));
    if (args.force) {
      for (const std::string& id : ids) {
        KHOLUU_ASSIGN_OR_RETURN(model::Component old, w.GetComponent(id));
        if (IsDerivedRole(old.role)) {
          KHOLUU_RETURN_IF_ERROR(w.DeleteComponent(id, "replaced by kholuu preserve --force"));
        }
      }
    }
    int next = NextIndex(ids);
    for (Derived& d : results) {
      if (d.original_changed) KHOLUU_RETURN_IF_ERROR(w.PutComponent(d.original));
      std::map<std::string, std::string> renamed;  // provisional id -> id
      for (model::Component comp : d.components) {
        std::string id = doc_id + "/" + std::to_string(next++);
        renamed[comp.id] = id;
        comp.id = id;
        if (auto it = renamed.find(comp.derived_from); it != renamed.end()) comp.derived_from = it->second;
        KHOLUU_RETURN_IF_ERROR(w.PutComponent(comp));
        made.push_back({{"id", comp.id},
                        {"role", std::string(model::ComponentRoleName(comp.role))},
                        {"format_version", comp.format_version},
                        {"sha256", comp.sha256.ToHex()},
                        {"size", comp.size}});
      }
      for (model::Event& e : d.events) KHOLUU_RETURN_IF_ERROR(w.AddEvent(e).status());
    }
    doc.preservation_risk = risk;
    return w.PutDocument(doc);  // also queues the document for the indexer
  }));
  nlohmann::json per_original = nlohmann::json::array();
  for (const Derived& d : results) per_original.push_back(d.summary);
  out["status"] = risk.empty() ? "preserved" : "at_risk";
  if (!risk.empty()) out["risk"] = risk;
  out["components"] = made;
  out["originals"] = per_original;
  *at_risk = *at_risk || !risk.empty();
  return out;
}

int CmdPreserve(const Common& c, const PreserveArgs& args) {
  if (args.all == !args.documents.empty()) {
    return Fail(c, InvalidArgumentError("give document ids or --all, not both"));
  }
  auto a = archive::Archive::Open(c.data);
  if (!a.ok()) return Fail(c, a.status());
  pdfsig::VerifyOptions verify_options;
  verify_options.now = static_cast<int64_t>(std::time(nullptr));
  std::string trust_dir = args.trust_store.empty() ? c.data + "/trust" : args.trust_store;
  if (!args.trust_store.empty() || IsDirectory(trust_dir)) {
    auto store = formats::x509::TrustStore::LoadPemDirectory(trust_dir);
    if (!store.ok()) return Fail(c, Status(store.status()).Annotate("trust store"));
    verify_options.trust_store = std::move(store).value();
  }
  std::vector<std::string> ids = args.documents;
  if (args.all) {
    auto r = (*a)->catalog().BeginRead();
    if (!r.ok()) return Fail(c, r.status());
    Status s = r->ForEachDocument([&](const model::Document& d) {
      ids.push_back(d.id);
      return Status::Ok();
    });
    if (!s.ok()) return Fail(c, s);
  }
  nlohmann::json out = nlohmann::json::array();
  int rc = kExitOk;
  bool at_risk = false;
  for (const std::string& id : ids) {
    auto res = PreserveDocument(**a, c, args, verify_options, id, &at_risk);
    if (!res.ok()) {
      Status s = res.status();
      s.Annotate(id);
      std::cerr << "kholuu: " << s.message() << "\n";
      out.push_back({{"document", id}, {"status", "error"}, {"error", ErrorJson(s)["error"]}});
      rc = std::max(rc, ExitCodeFor(s));
      continue;
    }
    if (!c.json) {
      std::cout << id << ": " << (*res)["status"].get<std::string>();
      if (res->contains("risk")) std::cout << " — " << (*res)["risk"].get<std::string>();
      if (res->contains("reason")) std::cout << " (" << (*res)["reason"].get<std::string>() << ")";
      std::cout << "\n";
    }
    out.push_back(std::move(res).value());
  }
  if (at_risk) rc = std::max(rc, kExitCheckFailed);
  if (c.json) std::cout << DumpJson(out) << "\n";
  return rc;
}

}  // namespace

void RegisterPreserveCommands(CLI::App& app, const Registry& reg) {
  static PreserveArgs storage;
  PreserveArgs* args = &storage;
  CLI::App* cmd = app.add_subcommand(
      "preserve", "verify signatures, make checked PDF/A-2b copies and text for stored documents");
  reg.AddCommon(cmd);
  cmd->add_option("DOC", args->documents, "document ids");
  cmd->add_flag("--all", args->all, "every document");
  cmd->add_flag("--force", args->force, "redo documents already preserved");
  cmd->add_flag("--no-ocr", args->no_ocr, "do not OCR pages without a text layer");
  cmd->add_option("--trust-store", args->trust_store,
                  "directory of PEM trust anchors (default <data>/trust if present)");
  Registry r = reg;
  cmd->callback([args, r] { *r.rc = CmdPreserve(*r.common, *args); });
}

}  // namespace kholuu::cli
