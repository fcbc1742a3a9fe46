#include "formats/pdf/internal/podofo_support.h"

#include <mutex>

namespace kholuu::formats::pdf::internal {
namespace {

std::once_flag g_podofo_init;

class QuietLog : public PoDoFo::PdfError::LogMessageCallback {
 public:
  void LogMessage(PoDoFo::ELogSeverity, const char*, const char*, va_list&) override {}
  void LogMessage(PoDoFo::ELogSeverity, const wchar_t*, const wchar_t*, va_list&) override {}
};

}  // namespace

void InitPodofo(size_t max_objects) {
  std::call_once(g_podofo_init, [&] {
    static QuietLog quiet;
    PoDoFo::PdfError::SetLogMessageCallback(&quiet);
    PoDoFo::PdfError::EnableLogging(false);
    PoDoFo::PdfError::EnableDebug(false);
    PoDoFo::PdfParser::SetMaxObjectCount(static_cast<long>(max_objects));
    PoDoFo::PdfTokenizer::RecursionGuard::SetMaxRecursionDepth(256);
  });
}

bool HasEncryptEntry(std::string_view b) {
  for (size_t p = b.find("/Encrypt"); p != std::string_view::npos; p = b.find("/Encrypt", p + 8)) {
    size_t q = p + 8;
    if (q < b.size() && !(b[q] == ' ' || b[q] == '\r' || b[q] == '\n' || b[q] == '\t' || b[q] == '<')) continue;
    while (q < b.size() && (b[q] == ' ' || b[q] == '\r' || b[q] == '\n' || b[q] == '\t')) ++q;
    if (q < b.size() && ((b[q] >= '0' && b[q] <= '9') || (b[q] == '<' && q + 1 < b.size() && b[q + 1] == '<'))) return true;
  }
  return false;
}

PoDoFo::pdf_long CappedOutput::Write(const char* buf, PoDoFo::pdf_long len) {
  if (len < 0) return 0;
  size_t n = static_cast<size_t>(len);
  if (out_->size() + n > cap_) {
    overflow_ = true;
    PODOFO_RAISE_ERROR_INFO(PoDoFo::ePdfError_OutOfMemory, "decoded stream exceeds the size limit");
  }
  out_->append(buf, n);
  return len;
}

}  // namespace kholuu::formats::pdf::internal
