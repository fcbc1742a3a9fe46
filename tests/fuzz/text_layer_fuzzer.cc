// libFuzzer target for formats/pdf/text_layer: the in-process text layer
// reader must turn any input into a confident or declined result without
// crashing, hanging or growing without bound. The first byte picks what the
// rest is: (0) a whole PDF; (1) the content stream of a fixed one-page PDF
// whose resources hold a simple font with widths, a font without widths, an
// Identity-H font with a ToUnicode map, a Type 3 font and a Form XObject, so
// that the interpreter itself is fuzzed rather than the PDF parser; (2) a
// ToUnicode CMap, then looked up.
// Invariants: a declined page has no text, a confident result has no
// reason, all text is well-formed UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "formats/common/text.h"
#include "formats/pdf/text_layer.h"

namespace {

std::string Stream(const std::string& dict, std::string_view data) {
  return "<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + std::string(data) +
         "\nendstream";
}

std::string OnePage(std::string_view content) {
  std::string widths = "/FirstChar 32 /LastChar 126 /Widths [";
  for (int c = 32; c <= 126; ++c) widths += "500 ";
  widths += "]";
  const std::string cmap =
      "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
      "2 beginbfchar <0001> <1EC7> <0002> <D835DC00> endbfchar\n"
      "2 beginbfrange <0010> <0020> <0061> <0030> <0031> [<0074> <00680069>] endbfrange";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R "
      "/F4 10 0 R /F5 13 0 R >> /XObject << /X 11 0 R >> /Properties << /P << /ActualText (a) >> >> >> /Contents 4 0 R "
      "/Annots [12 0 R] >>",
      Stream("", content),
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /BaseEncoding /WinAnsiEncoding "
      "/Differences [65 /uni1EA0 /g5 /f_f_i 126 /uni0301] >> " + widths + " >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
      "<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [8 0 R] /ToUnicode 9 0 R >>",
      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 600 /W [1 [500 700] 16 32 400] >>",
      Stream("", cmap),
      "<< /Type /Font /Subtype /Type3 /FontMatrix [0.001 0 0 0.001 0 0] /FontBBox [0 0 1000 1000] /CharProcs << >> "
      "/Encoding << /Differences [65 /A /B /g3] >> /FirstChar 65 /LastChar 67 /Widths [500 500 500] >>",
      Stream("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Matrix [1 0 0 1 10 10]",
             "BT /F1 12 Tf (form) Tj ET /X Do"),
      "<< /Type /Annot /Subtype /Widget /Rect [0 0 100 20] /AP << /N 11 0 R >> >>",
      // A TrueType font without an encoding (read as WinAnsi).
      "<< /Type /Font /Subtype /TrueType /BaseFont /VnTime /FontDescriptor << /Flags 32 >> " + widths + " >>",
  };
  std::string pdf = "%PDF-1.7\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    std::string o = std::to_string(off);
    pdf += std::string(10 - o.size(), '0') + o + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

void Check(const kholuu::formats::pdf::TextLayer& t) {
  if (t.confident() != t.FirstReason().empty()) std::abort();
  for (const auto& p : t.pages) {
    if (!p.declined.empty() && !p.text.empty()) std::abort();
    if (!kholuu::formats::IsValidUtf8(p.text)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kholuu::formats::pdf;
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  TextLayerLimits limits;
  limits.max_objects = 100000;
  limits.max_stream_decoded_bytes = size_t{8} << 20;
  limits.max_total_decoded_bytes = size_t{32} << 20;
  limits.max_operators_per_page = 200000;
  limits.max_page_text_bytes = size_t{1} << 20;
  switch (data[0] % 3) {
    case 0:
      Check(ExtractTextLayer(rest, limits));
      break;
    case 1:
      Check(ExtractTextLayer(OnePage(rest), limits));
      break;
    default: {
      auto m = ToUnicodeCMap::Parse(rest);
      if (!m.ok()) {
        const auto c = m.status().code();
        if (c != kholuu::StatusCode::kDataLoss && c != kholuu::StatusCode::kResourceExhausted) std::abort();
        break;
      }
      for (uint32_t code : {0u, 1u, 0x20u, 0x41u, 0xFFu, 0x100u, 0xFFFFu, 0x10000u}) {
        for (int bytes = 1; bytes <= 4; ++bytes) {
          auto v = m->Lookup(code, bytes);
          if (v && !kholuu::formats::IsValidUtf8(*v)) std::abort();
        }
      }
      m->CodeLength(rest.substr(0, 4));
    }
  }
  return 0;
}
