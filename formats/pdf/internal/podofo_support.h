// PoDoFo plumbing shared by the files of formats/pdf that use PoDoFo: its
// process-wide settings and a size-capped output stream. Private to
// formats/pdf.
#pragma once

#include <podofo/podofo.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace kholuu::formats::pdf::internal {

// Silences PoDoFo's logging and bounds its object count and recursion. The
// first call wins; call it before every parse.
void InitPodofo(size_t max_objects);

// Whether the bytes have "/Encrypt" followed by an indirect reference or a
// dictionary (not /EncryptMetadata and friends). PoDoFo is not asked to
// decrypt untrusted data (its RC4 path also leaks on failure).
bool HasEncryptEntry(std::string_view bytes);

// An output stream that refuses to grow past a cap (zip bombs): PoDoFo
// raises ePdfError_OutOfMemory and overflow() becomes true.
class CappedOutput : public PoDoFo::PdfOutputStream {
 public:
  CappedOutput(std::string* out, size_t cap) : out_(out), cap_(cap) {}
  PoDoFo::pdf_long Write(const char* buf, PoDoFo::pdf_long len) override;
  void Close() override {}
  bool overflow() const { return overflow_; }

 private:
  std::string* out_;
  size_t cap_;
  bool overflow_ = false;
};

}  // namespace kholuu::formats::pdf::internal
