// Builds small PDF files in memory for the validator tests: numbered
// objects, a correct cross-reference table and trailer.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace kholuu::testing {

struct TestPdf {
  std::string header = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::string> objects;  // bodies of objects 1..n
  std::string trailer_extra = "/ID [<00112233445566778899AABBCCDDEEFF> <00112233445566778899AABBCCDDEEFF>]";
  std::string tail = "";             // appended after %%EOF\n

  // A stream object body with a correct /Length.
  static std::string Stream(const std::string& dict_entries, const std::string& data) {
    return "<< " + dict_entries + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data +
           "\nendstream";
  }

  std::string Build() const {
    std::string out = header;
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objects.size(); ++i) {
      offsets.push_back(out.size());
      out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    size_t xref = out.size();
    out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t off : offsets) {
      char line[32];
      std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
      out += line;
    }
    out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " + trailer_extra +
           " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n" + tail;
    return out;
  }
};

inline std::string XmpPacketFor(const std::string& part, const std::string& conformance,
                                const std::string& extra_descriptions = "") {
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
         "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"" +
         part + "\" pdfaid:conformance=\"" + conformance + "\"/>\n" + extra_descriptions +
         "</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>";
}

// A one-page PDF/A file that conforms to `part` (1, 2 or 3) level B.
inline TestPdf MinimalPdfa(const std::string& part = "1", const std::string& content = "0 0 m 100 100 l S",
                           const std::string& extra_xmp = "", const std::string& page_extra = "") {
  TestPdf p;
  p.objects = {
      "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> /Contents 5 0 R " + page_extra +
          " >>",
      TestPdf::Stream("/Type /Metadata /Subtype /XML", XmpPacketFor(part, "B", extra_xmp)),
      TestPdf::Stream("", content),
  };
  return p;
}

}  // namespace kholuu::testing
