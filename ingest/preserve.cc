#include "ingest/preserve.h"

#include <algorithm>
#include <atomic>

#include "archive/base/clock.h"
#include "archive/model/ids.h"
#include "formats/convert/pdfa_convert.h"
#include "ingest/checks.h"
#include "ingest/internal/events.h"
#include "ingest/component_io.h"
#include "ingest/signature_report.h"
#include "ingest/store.h"

namespace kholuu::ingest {
namespace {

using internal::Clip;
using internal::MakeEvent;

bool IsPdf(const model::Component& c) { return c.media_type == "application/pdf"; }
bool IsPlainText(const model::Component& c) { return c.media_type == "text/plain"; }

// Stores `bytes` as a blob and returns the component row for it, with a
// provisional id that RecordPreservation replaces.
Result<model::Component> StoreDerived(archive::BlobBatch& blobs, const model::Component& from,
                                      model::ComponentRole role, std::string name, std::string media_type,
                                      std::string format_version, std::string_view bytes) {
  KHOLUU_ASSIGN_OR_RETURN(archive::BlobInfo info, blobs.PutBytes(bytes));
  static std::atomic<int> pending{0};
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
Status VerifySignatures(archive::BlobBatch& blobs, std::string_view bytes, const PreserveOptions& options,
                        PreservedOriginal* d) {
  auto report = pdfsig::VerifyPdfSignatures(bytes, options.verify);
  if (!report.ok()) {
    // Not a readable PDF for the signature parser: recorded, not fatal.
    d->events.push_back(MakeEvent(model::EventType::kSignatureVerification, model::EventOutcome::kWarning,
                                  d->original.id, "signatures not checked: " + report.status().message(),
                                  options.agent));
    d->signatures.checked = false;
    d->signatures.reason = report.status().message();
    return Status::Ok();
  }
  d->signatures.checked = true;
  d->signatures.count = report->signatures.size();
  if (report->signatures.empty()) return Status::Ok();
  d->signatures.failed = AnySignatureFailed(*report);
  KHOLUU_ASSIGN_OR_RETURN(
      model::Component rc,
      StoreDerived(blobs, d->original, model::ComponentRole::kReport, StemOf(d->original.name) + ".signatures.json",
                   "application/json", kSignatureReportFormat, SignatureReportText(d->original.name, *report)));
  d->components.push_back(rc);
  std::string detail = std::to_string(report->signatures.size()) + " signature(s): ";
  for (size_t i = 0; i < report->signatures.size(); ++i) {
    const auto& s = report->signatures[i];
    if (i > 0) detail += "; ";
    detail += "\"" + s.field + "\" " + std::string(formats::x509::IntegrityName(s.integrity)) + ", trust " +
              std::string(formats::x509::TrustName(s.trust.trust)) +
              (s.covers_whole_document ? "" : ", not the whole document") +
              (s.signer.empty() ? "" : ", signer " + s.signer) +
              (s.signers.size() > 1 ? ", " + std::to_string(s.signers.size()) + " signers" : "") +
              (s.signing_certificate.status == formats::x509::SigningCertAttr::kMismatch
                   ? ", signing-certificate attribute does not match"
                   : "");
  }
  d->events.push_back(MakeEvent(model::EventType::kSignatureVerification,
                                d->signatures.failed ? model::EventOutcome::kFailure : model::EventOutcome::kSuccess,
                                d->original.id, detail, options.agent + " (formats/pdfsig)"));
  return Status::Ok();
}

// The PDF/A-2b copy. Returns the bytes text should be taken from.
Result<std::string> MakeCopy(archive::BlobBatch& blobs, std::string_view bytes, const PreserveOptions& options,
                             PreservedOriginal* d) {
  // The route follows the content; the name only tells Office 97 formats
  // apart where the compound file does not.
  convert::ConvertOptions co;
  if (options.tool_time_limit.count() > 0) SetConverterTimeLimit(options.tool_time_limit, &co);
  auto conv = convert::ConvertToPdfA2b(bytes, d->original.name, co);
  if (!conv.ok()) {
    d->risk = "no preservation copy: " + conv.status().message();
    d->events.push_back(MakeEvent(model::EventType::kNormalisation, model::EventOutcome::kFailure,
                                  d->original.id, d->risk, options.agent));
    d->copy.status = "failed";
    d->copy.reason = conv.status().message();
    return std::string(bytes);
  }
  const convert::ConversionResult& r = *conv;
  std::string agent = options.agent + (r.converter.empty() ? "" : " (" + r.converter + ")");
  // What the converter did beyond a plain conversion, and a name that
  // disagreed with the content, stay with the event.
  std::string remarks;
  if (r.input_type_mismatch) {
    remarks += "; the content is " + r.input_media_type + ", not what the name '" + d->original.name + "' says";
  }
  for (const std::string& n : r.notes) remarks += "; " + n;
  if (r.validated && r.status == convert::ConversionStatus::kAlreadyConformant) {
    model::MarkOwnPreservationCopy(d->original, r.profile);
    d->original_changed = true;
    d->events.push_back(MakeEvent(model::EventType::kValidation, model::EventOutcome::kSuccess, d->original.id,
                                  "conforms to " + d->original.format_version +
                                      ": the original is its own preservation copy",
                                  options.agent + " (formats/pdf)"));
    d->copy.status = "already_conformant";
    d->copy.profile = r.profile;
    d->copy.pages = r.pages;
    return std::string(bytes);
  }
  if (r.validated) {
    KHOLUU_ASSIGN_OR_RETURN(model::Component copy,
                            StoreDerived(blobs, d->original, model::ComponentRole::kPreservationCopy,
                                         StemOf(d->original.name) + ".pdfa.pdf", "application/pdf", "PDF/A-2B",
                                         r.output));
    d->components.push_back(copy);
    d->events.push_back(MakeEvent(model::EventType::kNormalisation, model::EventOutcome::kSuccess, d->original.id,
                                  Clip("PDF/A-2b copy " + copy.sha256.ToHex() + " (" + std::to_string(r.pages) +
                                           " pages), validated by kholuu" + remarks,
                                       1990),
                                  agent));
    d->copy.status = "converted";
    d->copy.converter = r.converter;
    d->copy.pages = r.pages;
    return r.output;
  }
  std::string why = r.reason.empty() ? "the copy does not validate as PDF/A-2b" : r.reason;
  for (size_t i = 0; i < r.violations.size() && i < 8; ++i) {
    why += "\n" + r.violations[i].clause + " " + r.violations[i].message;
  }
  if (r.violations.size() > 8) why += "\n… " + std::to_string(r.violations.size() - 8) + " more";
  d->risk = Clip("no valid PDF/A-2b copy: " + why + remarks, 1990);
  d->events.push_back(
      MakeEvent(model::EventType::kNormalisation, model::EventOutcome::kFailure, d->original.id, d->risk, agent));
  d->copy.status = "failed";
  d->copy.reason = why;
  for (const auto& v : r.violations) d->copy.violations.push_back({v.clause, v.message});
  return std::string(bytes);
}

// Text for indexing from `source` (the copy when there is one).
Status MakeText(archive::BlobBatch& blobs, const std::string& source, const PreserveOptions& options,
                PreservedOriginal* d) {
  std::string joined;
  TextOutcome& t = d->text;
  if (IsPlainText(d->original)) {
    PlainText r = RepairPlainText(source);
    joined = std::move(r.text);
    t.method = "plain-text";
    t.encoding = std::move(r.encoding);
  } else {
    text::TextOptions to;
    to.ocr = options.ocr;
    if (options.tool_time_limit.count() > 0) to.page_time_limit = options.tool_time_limit;
    // The PDF our validator parsed (the original as its own copy, or the
    // copy): its page count is known, so text extraction need not ask pdfinfo.
    if (d->copy.status == "already_conformant" || d->copy.status == "converted") {
      to.known_pages = std::max(d->copy.pages, 0);
    }
    auto x = ExtractRepairedText(source, to);
    if (!x.ok()) {
      t.reason = x.status().message();
      return Status::Ok();  // the document is kept; it is only not full-text searchable
    }
    double confidence_sum = 0;
    for (size_t i = 0; i < x->text.pages.size(); ++i) {
      const text::PageText& p = x->text.pages[i];
      if (i > 0) joined += '\f';
      joined += p.text;
      if (!x->repaired[i].encoding.empty()) ++t.repaired_encodings[x->repaired[i].encoding];
      if (p.method == text::TextMethod::kOcr) confidence_sum += p.ocr_confidence;
    }
    t.pages = x->text.pages.size();
    t.ocr_pages = x->text.ocr_pages;
    t.failed_pages = x->text.failed_pages;
    t.characters = x->text.characters;
    if (x->text.ocr_pages > 0) t.ocr_mean_confidence = confidence_sum / static_cast<double>(x->text.ocr_pages);
  }
  if (joined.empty()) return Status::Ok();
  const model::Component& from =
      d->components.empty() || d->components.back().role != model::ComponentRole::kPreservationCopy
          ? d->original
          : d->components.back();
  KHOLUU_ASSIGN_OR_RETURN(model::Component tc,
                          StoreDerived(blobs, from, model::ComponentRole::kExtractedText,
                                       StemOf(d->original.name) + ".txt", "text/plain", "UTF-8", joined));
  d->components.push_back(tc);
  return Status::Ok();
}

bool IsDerivedRole(model::ComponentRole r) {
  return r == model::ComponentRole::kPreservationCopy || r == model::ComponentRole::kExtractedText ||
         r == model::ComponentRole::kReport;
}


}  // namespace

Result<PreservedOriginal> PreserveOriginal(archive::BlobBatch& blobs, const model::Component& original,
                                           std::string_view bytes, const PreserveOptions& options) {
  PreservedOriginal d;
  d.original = original;
  if (IsPdf(original)) KHOLUU_RETURN_IF_ERROR(VerifySignatures(blobs, bytes, options, &d));
  std::string text_source;
  if (!IsPlainText(original)) {
    KHOLUU_ASSIGN_OR_RETURN(text_source, MakeCopy(blobs, bytes, options, &d));
  } else {
    text_source = std::string(bytes);
    d.events.push_back(MakeEvent(model::EventType::kValidation, model::EventOutcome::kSuccess, original.id,
                                 "plain text: preserved as it is, no PDF/A copy made", options.agent));
    d.copy.status = "not_applicable";
    d.copy.reason = "plain text";
  }
  KHOLUU_RETURN_IF_ERROR(MakeText(blobs, text_source, options, &d));
  return d;
}

std::string RiskOf(const std::vector<PreservedOriginal>& preserved) {
  std::string risk;
  for (const PreservedOriginal& d : preserved) {
    if (!d.risk.empty()) risk += (risk.empty() ? "" : "\n") + d.original.name + ": " + d.risk;
  }
  return Clip(risk, 1990);
}

Result<std::vector<RecordedComponent>> RecordPreservation(archive::WriteTxn& w, const std::string& document_id,
                                                          std::vector<PreservedOriginal>& preserved,
                                                          bool replace_derived) {
  std::vector<RecordedComponent> made;
  KHOLUU_ASSIGN_OR_RETURN(model::Document doc, w.GetDocument(document_id));
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, w.ComponentsOfDocument(document_id));
  if (replace_derived) {
    for (const std::string& id : ids) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component old, w.GetComponent(id));
      if (IsDerivedRole(old.role)) {
        KHOLUU_RETURN_IF_ERROR(w.DeleteComponent(id, "replaced by a new preservation run"));
      }
    }
  }
  int32_t next = model::NextComponentIndex(ids);
  for (PreservedOriginal& d : preserved) {
    if (d.original_changed) KHOLUU_RETURN_IF_ERROR(w.PutComponent(d.original));
    std::map<std::string, std::string> renamed;  // provisional id -> id
    for (model::Component comp : d.components) {
      std::string id = model::MakeComponentId(document_id, next++);
      renamed[comp.id] = id;
      comp.id = id;
      comp.document_id = document_id;
      if (auto it = renamed.find(comp.derived_from); it != renamed.end()) comp.derived_from = it->second;
      KHOLUU_RETURN_IF_ERROR(w.PutComponent(comp));
      made.push_back({comp.id, comp.role, comp.format_version, comp.sha256, comp.size});
    }
    for (model::Event& e : d.events) KHOLUU_RETURN_IF_ERROR(w.AddEvent(e).status());
  }
  doc.preservation_risk = RiskOf(preserved);
  KHOLUU_RETURN_IF_ERROR(w.PutDocument(doc));  // also queues the document for the indexer
  return made;
}

std::string_view PreserveStateName(PreserveResult::State s) {
  switch (s) {
    case PreserveResult::State::kPreserved: return "preserved";
    case PreserveResult::State::kAtRisk: return "at_risk";
    case PreserveResult::State::kSkipped: return "skipped";
  }
  return "unknown";
}

Result<PreserveResult> PreserveDocument(archive::Archive& a, const std::string& actor,
                                        const PreserveOptions& options, const std::string& document_id) {
  PreserveResult out;
  out.document = document_id;
  std::vector<model::Component> originals;
  bool already = false;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, a.catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(model::Document doc, r.GetDocument(document_id));
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.ComponentsOfDocument(doc.id));
    for (const std::string& id : ids) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component comp, r.GetComponent(id));
      if (comp.role == model::ComponentRole::kOriginal) originals.push_back(comp);
      if (comp.role == model::ComponentRole::kPreservationCopy ||
          comp.role == model::ComponentRole::kExtractedText || model::IsOwnPreservationCopy(comp)) {
        already = true;
      }
    }
    if (!doc.preservation_risk.empty()) already = true;
  }
  if (already && !options.force) {
    out.reason = "already preserved (use --force to redo)";
    return out;
  }
  if (originals.empty()) {
    out.reason = "no original component";
    return out;
  }
  archive::BlobBatch blobs = a.blobs().NewBatch();
  for (const model::Component& original : originals) {
    KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadComponentBytes(a, original, kMaxOriginalBytes));
    KHOLUU_ASSIGN_OR_RETURN(PreservedOriginal d, PreserveOriginal(blobs, original, bytes, options));
    out.originals.push_back(std::move(d));
  }
  KHOLUU_RETURN_IF_ERROR(blobs.Commit());
  KHOLUU_RETURN_IF_ERROR(a.catalog().Update(actor, [&](archive::WriteTxn& w) -> Status {
    KHOLUU_ASSIGN_OR_RETURN(out.components, RecordPreservation(w, document_id, out.originals, options.force));
    return Status::Ok();
  }));
  out.risk = RiskOf(out.originals);
  out.state = out.risk.empty() ? PreserveResult::State::kPreserved : PreserveResult::State::kAtRisk;
  return out;
}

}  // namespace kholuu::ingest
