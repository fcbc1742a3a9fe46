// Preservation of a document's originals (spec/architecture.md §3):
//  - a PDF original's signatures are verified; with signatures, the report
//    (ingest/signature_report.h) is stored as a report component and a
//    "signature verification" event carries the verdict;
//  - a checked PDF/A-2b preservation copy (formats/convert). An original that
//    already validates as PDF/A is its own copy (model::IsOwnPreservationCopy);
//    a copy is stored only when our validator accepts it. When none can be
//    made, a failed "normalization" event lists the reasons, the document's
//    preservation_risk says why, and the original stays the only
//    preservation object;
//  - the text for indexing (formats/text; OCR for pages without a text
//    layer; legacy 8-bit encodings repaired): an extracted_text component,
//    pages separated by form feeds.
//
// The work is split in two so that the ingest pipeline can run the heavy
// part on worker threads and record everything of a package in one
// transaction: PreserveOriginal converts, verifies and extracts outside any
// transaction and puts its blobs into the caller's BlobBatch, which the
// caller commits (durable) before RecordPreservation writes the components,
// events and risk in its WriteTxn. A crash in between leaves only
// unreferenced blobs (`kholuu gc`).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "archive/archive.h"
#include "archive/model/component.h"
#include "archive/model/event.h"
#include "formats/pdfsig/pdf_signatures.h"

namespace kholuu::ingest {

struct PreserveOptions {
  bool ocr = true;             // OCR pages without a text layer
  bool force = false;          // PreserveDocument: redo a preserved document
  formats::pdfsig::VerifyOptions verify;  // trust store and validation time
  std::string agent = "kholuu preserve";  // events' agent prefix
  // > 0: the wall-clock and CPU limit of each converter run and of each
  // page's rendering and OCR; one that exceeds it is killed and the
  // document recorded at risk ("no preservation copy: ... time limit").
  // 0: the tools' defaults (formats/convert DefaultGhostscriptLimits, ...).
  std::chrono::milliseconds tool_time_limit{0};
};

// What was found and made for one original.
struct SignatureOutcome {
  bool checked = false;        // false: the PDF could not be parsed for signatures
  std::string reason;          // why not checked
  size_t count = 0;
  bool failed = false;         // AnySignatureFailed
};
struct CopyViolation {
  std::string clause, message;
};
struct CopyOutcome {
  // "converted", "already_conformant", "failed", "not_applicable"
  std::string status;
  std::string profile;         // already_conformant: the original's profile ("2b")
  std::string converter;       // converted: the tool
  int pages = 0;
  std::string reason;          // failed / not_applicable
  std::vector<CopyViolation> violations;
};
struct TextOutcome {
  std::string method;          // "plain-text" or "" (pages below)
  std::string encoding;        // plain-text: the encoding repaired from
  size_t pages = 0, ocr_pages = 0, failed_pages = 0, characters = 0;
  std::map<std::string, int> repaired_encodings;  // encoding -> pages
  double ocr_mean_confidence = -1;  // < 0: no OCR page
  std::string reason;          // extraction failed: the document is only not searchable
};

// The result of the heavy part for one original: new component rows whose
// blobs are durable, with provisional ids ("pending/<n>") that
// RecordPreservation replaces, and the events to record.
struct PreservedOriginal {
  model::Component original;   // format_version possibly updated
  bool original_changed = false;
  std::vector<model::Component> components;
  std::vector<model::Event> events;
  std::string risk;            // empty: a checked preservation copy exists
  SignatureOutcome signatures;
  CopyOutcome copy;
  TextOutcome text;
};

// Verifies, converts and extracts for `original` whose verified bytes are
// `bytes`; the blobs it makes go into `blobs`, and may be referenced once
// the caller has committed that batch. Thread-safe (a batch takes Puts from
// several threads). Errors: I/O of the blob store; a conversion or
// extraction that fails is an outcome, not an error.
Result<PreservedOriginal> PreserveOriginal(archive::BlobBatch& blobs, const model::Component& original,
                                           std::string_view bytes, const PreserveOptions& options);

struct RecordedComponent {
  std::string id;
  model::ComponentRole role = model::ComponentRole::kOriginal;
  std::string format_version;
  Sha256 sha256;
  uint64_t size = 0;
};

// Records `preserved` (the results for originals of `document_id`) in `w`:
// component ids minted after the document's existing ones, derived_from
// remapped, events added, the document's preservation_risk set (which also
// queues it for the indexer). With `replace_derived`, the document's
// existing preservation copies, texts and reports are deleted first
// (audited). Returns the components made, in order. Errors: as WriteTxn.
Result<std::vector<RecordedComponent>> RecordPreservation(archive::WriteTxn& w, const std::string& document_id,
                                                          std::vector<PreservedOriginal>& preserved,
                                                          bool replace_derived);

// The preservation risk of a document made of `preserved` ("" when none).
std::string RiskOf(const std::vector<PreservedOriginal>& preserved);

struct PreserveResult {
  std::string document;
  enum class State { kPreserved, kAtRisk, kSkipped } state = State::kSkipped;
  std::string reason;          // kSkipped
  std::string risk;            // kAtRisk
  std::vector<RecordedComponent> components;
  std::vector<PreservedOriginal> originals;
};
std::string_view PreserveStateName(PreserveResult::State s);  // "preserved", "at_risk", "skipped"

// The whole step for a document already in the archive (`kholuu preserve`):
// skipped when already preserved (a copy, a text, a PDF/A original or a
// recorded risk) unless options.force, or when it has no original.
// Errors: kNotFound for an unknown document; blob errors (kDataLoss when an
// original does not match its hash); catalog errors.
Result<PreserveResult> PreserveDocument(archive::Archive& a, const std::string& actor,
                                        const PreserveOptions& options, const std::string& document_id);

}  // namespace kholuu::ingest
