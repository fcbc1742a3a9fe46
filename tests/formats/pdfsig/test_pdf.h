// A tiny PDF writer for signature tests: a one-page base document and
// incremental updates (classic xref sections with /Prev), including a signing
// update with a placeholder /Contents whose ByteRange is fixed up before the
// detached CMS is computed over it. Test-only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kholuu::testing {

class TestPdf {
 public:
  TestPdf();  // %PDF-1.7, catalog 1, pages 2, page 3, content 4 ("Hello")

  struct SignSpec {
    std::string field = "Signature1";
    // Returns the DER to place in /Contents, given the ByteRange bytes.
    std::function<std::string(std::string_view)> sign;
    bool document_timestamp = false;
    std::optional<int> docmdp;   // certification signature with /P
    size_t contents_bytes = 12000;
  };
  // Appends a signing update. Returns false if the signature does not fit.
  bool Sign(const SignSpec& spec);
  // Appends an update adding an unsigned second page.
  void AppendPage();
  // Appends a DSS update with these certificates, CRLs and OCSP responses.
  void AddDss(const std::vector<std::string>& certs, const std::vector<std::string>& crls,
              const std::vector<std::string>& ocsps);
  // Appends an update with a free-text annotation on page 1.
  void AddAnnotation();
  // Appends an arbitrary update (object number -> body, "N 0 obj" added).
  void AppendUpdate(const std::vector<std::pair<int, std::string>>& objects);

  const std::string& bytes() const { return bytes_; }
  std::string& mutable_bytes() { return bytes_; }

 private:
  std::string Catalog() const;
  std::string Page() const;
  int NewObject() { return next_++; }

  std::string bytes_;
  int next_ = 5;
  size_t last_xref_ = 0;
  std::vector<int> fields_;
  std::vector<int> annots_;
  std::optional<int> dss_;
  std::optional<int> perms_sig_;
};

}  // namespace kholuu::testing
