#include "ingest/checks.h"

#include "archive/base/file.h"
#include "indexer/legacy_encoding.h"

namespace kholuu::ingest {
namespace {

constexpr uint64_t kMaxEdxmlBytes = uint64_t{256} << 20;

Result<RepairedText> Repair(Result<text::DocumentText> extracted) {
  KHOLUU_RETURN_IF_ERROR(extracted.status());
  RepairedText out;
  out.text = std::move(extracted).value();
  out.text.characters = 0;
  for (text::PageText& p : out.text.pages) {
    RepairedPage r;
    if (indexer::MayNeedRepair(p.text)) {
      indexer::RepairedText fixed = indexer::RepairEncoding(p.text);
      if (fixed.encoding != indexer::LegacyEncoding::kUtf8) {
        r.encoding = std::string(indexer::LegacyEncodingName(fixed.encoding));
        p.text = std::move(fixed.text);
        p.characters = text::CountNonSpace(p.text);
      }
    }
    out.text.characters += p.characters;
    out.repaired.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<x509::TrustStore> LoadTrustAnchors(const std::string& dir) {
  auto store = x509::TrustStore::LoadPemDirectory(dir);
  if (!store.ok()) return Status(store.status()).Annotate("trust store");
  return std::move(store).value();
}

bool XmlSignatureVerdict::failed() const {
  if (!report) return !error.empty();
  return report->present && (!report->valid || report->trust.trust == x509::Trust::kUntrusted);
}

XmlSignatureVerdict VerifyEdxmlSignature(std::string_view xml, const x509::TrustStore& store, int64_t now) {
  XmlSignatureVerdict v;
  auto r = formats::xmldsig::VerifyEdxmlSignature(xml, store, now);
  if (!r.ok()) {
    v.error = r.status().message();
    return v;
  }
  v.report = std::move(r).value();
  return v;
}

XmlSignatureVerdict VerifyEdxmlSignatureFile(const std::string& path, const x509::TrustStore& store, int64_t now) {
  auto bytes = ReadFileToString(path, kMaxEdxmlBytes);
  if (!bytes.ok()) {
    XmlSignatureVerdict v;
    v.error = bytes.status().message();
    return v;
  }
  return VerifyEdxmlSignature(*bytes, store, now);
}

Result<RepairedText> ExtractRepairedText(std::string_view bytes, const text::TextOptions& options) {
  return Repair(text::ExtractText(bytes, options));
}

Result<RepairedText> ExtractRepairedTextFromFile(const std::string& path, const text::TextOptions& options) {
  return Repair(text::ExtractTextFromFile(path, options));
}

PlainText RepairPlainText(std::string_view bytes) {
  indexer::RepairedText r = indexer::RepairEncoding(bytes);
  return {std::move(r.text), std::string(indexer::LegacyEncodingName(r.encoding))};
}

void SetConverterTimeLimit(std::chrono::milliseconds limit, conversion::ConvertOptions* options) {
  const auto cpu = static_cast<uint64_t>((limit.count() + 999) / 1000);
  for (conversion::SandboxLimits* l : {&options->ghostscript_limits, &options->libreoffice_limits,
                                       &options->tiff2pdf_limits, &options->pdftotext_limits}) {
    l->wall_time = limit;
    l->cpu_seconds = cpu;
  }
}

}  // namespace kholuu::ingest
