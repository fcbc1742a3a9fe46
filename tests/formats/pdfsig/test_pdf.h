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

// PNG-predicts `data` as rows of `columns` bytes (one byte per pixel), row i
// with filter type `types[i % types.size()]` (0 None, 1 Sub, 2 Up, 3 Average,
// 4 Paeth), each row prefixed with its type byte.
std::string PngPredict(std::string_view data, size_t columns, const std::vector<int>& types);
// zlib-compresses `data`; aborts on failure.
std::string Deflate(std::string_view data);

class TestPdf {
 public:
  TestPdf();  // %PDF-1.7, catalog 1, pages 2, page 3, content 4 ("Hello")
  // The same document after `leading` bytes (junk before the header; every
  // offset, the ByteRanges' included, counts from the start of the file).
  explicit TestPdf(std::string_view leading);

  struct SignSpec {
    std::string field = "Signature1";
    // Returns the DER to place in /Contents, given the ByteRange bytes.
    std::function<std::string(std::string_view)> sign;
    bool document_timestamp = false;
    std::optional<int> docmdp;   // certification signature with /P
    // FieldMDP lock: /Action ("All", "Include", "Exclude") and /Fields, written
    // both as the field's /Lock and as a /Reference FieldMDP transform.
    std::optional<std::pair<std::string, std::vector<std::string>>> lock;
    size_t contents_bytes = 12000;
    // How the signature field is written.
    enum class Layout {
      kMerged,       // one field merged with its widget, in /Fields and /Annots
      kNestedKids,   // /Fields [Group] -> Group (/FT /Sig) /Kids [field] -> field /Kids [widget]:
                     // the field is "Group.<field>" and inherits /FT
      kTwoFields,    // two merged fields, <field> and <field>Copy, with the same /V
      kDirectValue,  // the signature dictionary written directly as the field's /V
      kWidgetOnly,   // the field is on the page's /Annots but not in /Fields
    };
    Layout layout = Layout::kMerged;
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
  // Appends an update with a link annotation written directly (not as an
  // indirect object) in page 1's /Annots array.
  void AddInlineAnnotation();
  // Appends an update adding a text field (merged field and widget on page 1)
  // with value `value`.
  void AddTextField(const std::string& name, const std::string& value);
  // Appends an update rewriting the text field `name` with a new /V.
  void SetFieldValue(const std::string& name, const std::string& value);
  // Appends a DSS update like AddDss, but with the DSS dictionary and the
  // catalog inside an object stream and a cross-reference stream instead of
  // a classic xref section, both FlateDecode with PNG predictors
  // (/Predictor 12, as real writers do).
  void AddDssCompressed(const std::vector<std::string>& certs, const std::vector<std::string>& crls,
                        const std::vector<std::string>& ocsps);
  // Appends an arbitrary update (object number -> body, "N 0 obj" added).
  void AppendUpdate(const std::vector<std::pair<int, std::string>>& objects);

  // Extra keys written in the trailer of every later update, e.g.
  // "/Encrypt 40 0 R" (nothing is encrypted: the parser's view only).
  void set_trailer_keys(std::string keys) { trailer_keys_ = std::move(keys); }

  const std::string& bytes() const { return bytes_; }
  std::string& mutable_bytes() { return bytes_; }

 private:
  std::string Catalog() const;
  std::string Page() const;
  int NewObject() { return next_++; }

  std::string bytes_;
  int next_ = 5;
  size_t last_xref_ = 0;
  std::string trailer_keys_;
  std::vector<int> fields_;
  std::vector<int> annots_;
  std::vector<std::string> inline_annots_;
  std::vector<std::pair<std::string, int>> text_fields_;
  std::optional<int> dss_;
  std::optional<int> perms_sig_;
};

}  // namespace kholuu::testing
