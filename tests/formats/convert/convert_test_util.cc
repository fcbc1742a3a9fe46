#include "tests/formats/convert/convert_test_util.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "formats/common/text.h"
#include "formats/convert/sandbox.h"
#include "tests/support/subprocess.h"

namespace kholuu::convert::testing {
namespace {

std::string Xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

// The opening of a flat ODF document of `mimetype`, with Times New Roman
// declared as a font face.
std::string FlatOdfHead(const std::string& mimetype) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype=")" +
         mimetype + R"(">
 <office:font-face-decls>
  <style:font-face style:name="Times New Roman" svg:font-family="'Times New Roman'" style:font-family-generic="roman" style:font-pitch="variable"/>
 </office:font-face-decls>
)";
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

}  // namespace

std::string CorpusDir() {
  std::string dir = KHOLUU_CORPUS_DIR;
  std::ifstream probe(dir + "/alqac2023/articles.json");
  return probe ? dir : std::string();
}

std::vector<std::string> VietnameseParagraphs(size_t first, size_t count) {
  std::vector<std::string> out;
  const std::string dir = CorpusDir();
  if (dir.empty()) return out;
  std::ifstream in(dir + "/alqac2023/articles.json");
  nlohmann::json articles = nlohmann::json::parse(in);
  size_t i = 0;
  for (auto it = articles.begin(); it != articles.end() && out.size() < count; ++it, ++i) {
    if (i < first) continue;
    std::string text = it.value().get<std::string>();
    std::string para;
    for (const std::string& w : Words(text)) para += (para.empty() ? "" : " ") + w;
    out.push_back(para);
  }
  return out;
}

std::string FlatOdt(const std::vector<std::string>& paragraphs) {
  std::string x = FlatOdfHead("application/vnd.oasis.opendocument.text");
  x += R"( <office:styles>
  <style:style style:name="Standard" style:family="paragraph">
   <style:paragraph-properties fo:margin-bottom="0.2cm"/>
   <style:text-properties style:font-name="Times New Roman" fo:font-size="13pt"/>
  </style:style>
 </office:styles>
 <office:body><office:text>
)";
  for (const std::string& p : paragraphs) x += "  <text:p text:style-name=\"Standard\">" + Xml(p) + "</text:p>\n";
  return x + " </office:text></office:body>\n</office:document>\n";
}

std::string FlatOds(const std::vector<std::string>& paragraphs) {
  std::string x = FlatOdfHead("application/vnd.oasis.opendocument.spreadsheet");
  x += R"( <office:automatic-styles>
  <style:style style:name="co1" style:family="table-column"><style:table-column-properties style:column-width="17cm"/></style:style>
  <style:style style:name="ce1" style:family="table-cell">
   <style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>
   <style:text-properties style:font-name="Times New Roman" fo:font-size="12pt"/>
  </style:style>
 </office:automatic-styles>
 <office:body><office:spreadsheet><table:table table:name="VanBan">
  <table:table-column table:style-name="co1" table:default-cell-style-name="ce1"/>
)";
  for (const std::string& p : paragraphs) {
    x += "  <table:table-row><table:table-cell table:style-name=\"ce1\" office:value-type=\"string\"><text:p>" +
         Xml(p) + "</text:p></table:table-cell></table:table-row>\n";
  }
  return x + " </table:table></office:spreadsheet></office:body>\n</office:document>\n";
}

std::string FlatOdp(const std::vector<std::string>& paragraphs, size_t words_per_slide) {
  std::string x = FlatOdfHead("application/vnd.oasis.opendocument.presentation");
  x += R"( <office:automatic-styles>
  <style:style style:name="P1" style:family="paragraph"><style:text-properties style:font-name="Times New Roman" fo:font-size="18pt"/></style:style>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Default"/></office:master-styles>
 <office:body><office:presentation>
)";
  std::vector<std::string> slides;
  for (const std::string& p : paragraphs) {
    std::vector<std::string> words = Words(p);
    for (size_t i = 0; i < words.size(); i += words_per_slide) {
      std::string s;
      for (size_t k = i; k < words.size() && k < i + words_per_slide; ++k) s += (s.empty() ? "" : " ") + words[k];
      slides.push_back(s);
    }
  }
  for (size_t i = 0; i < slides.size(); ++i) {
    x += "  <draw:page draw:name=\"s" + std::to_string(i + 1) +
         "\" draw:master-page-name=\"Default\"><draw:frame svg:x=\"1cm\" svg:y=\"1cm\" "
         "svg:width=\"24cm\" svg:height=\"16cm\"><draw:text-box><text:p text:style-name=\"P1\">" +
         Xml(slides[i]) + "</text:p></draw:text-box></draw:frame></draw:page>\n";
  }
  return x + " </office:presentation></office:body>\n</office:document>\n";
}

Result<std::string> LibreOfficeSaveAs(const std::string& source, const std::string& format) {
  KHOLUU_ASSIGN_OR_RETURN(WorkDir wd, WorkDir::Create("lo-save"));
  std::string name = source.substr(source.rfind('/') + 1);
  const std::string stem = name.substr(0, name.rfind('.'));
  SandboxRequest r;
  r.argv = {"soffice", "--headless", "--norestore", "--nologo", "--nolockcheck",
            "-env:UserInstallation=file://" + wd.Sub("profile"), "--convert-to", format,
            "--outdir", wd.Sub("out"), source};
  r.limits.wall_time = std::chrono::seconds(180);
  r.limits.cpu_seconds = 180;
  r.limits.address_space_bytes = 0;
  KHOLUU_ASSIGN_OR_RETURN(SandboxResult res, RunSandboxed(r, wd));
  if (!res.succeeded()) return InternalError(res.Describe("soffice"));
  auto bytes = ReadFileToString(wd.Sub("out/" + stem + "." + format), 64u << 20);
  if (!bytes.ok()) return InternalError("soffice wrote no " + format + ": " + res.Describe("soffice"));
  return bytes;
}

Result<std::string> PdfText(const std::string& pdf_bytes) {
  KHOLUU_ASSIGN_OR_RETURN(WorkDir wd, WorkDir::Create("pdftext"));
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(wd.Sub("in.pdf"), pdf_bytes));
  kholuu::testing::RunResult r =
      kholuu::testing::Run({"/usr/bin/pdftotext", "-enc", "UTF-8", wd.Sub("in.pdf"), "-"});
  if (r.exit_code != 0) return InternalError("pdftotext failed: " + r.err);
  return r.out;
}

Result<std::vector<std::string>> EmbeddedFonts(const std::string& pdf_bytes) {
  KHOLUU_ASSIGN_OR_RETURN(WorkDir wd, WorkDir::Create("pdffonts"));
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(wd.Sub("in.pdf"), pdf_bytes));
  kholuu::testing::RunResult r = kholuu::testing::Run({"/usr/bin/pdffonts", wd.Sub("in.pdf")});
  if (r.exit_code != 0) return InternalError("pdffonts failed: " + r.err);
  // name type [encoding] emb sub uni object ID: the columns after the name
  // are split by spaces; "emb" is the fifth field from the end.
  std::vector<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (++n <= 2) continue;  // header and dashes
    std::vector<std::string> f = Words(line);
    if (f.size() >= 6 && f[f.size() - 5] == "yes") out.push_back(f[0]);
  }
  return out;
}

namespace {

// A binary PGM (P5, maxval 255) as written by pdftoppm -gray.
struct Gray {
  int width = 0, height = 0;
  std::string pixels;
};

Result<Gray> RenderFirstPage(const WorkDir& wd, const std::string& name, const std::string& pdf) {
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(wd.Sub(name + ".pdf"), pdf));
  kholuu::testing::RunResult r =
      kholuu::testing::Run({"/usr/bin/pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1",
                            "-singlefile", wd.Sub(name + ".pdf"), wd.Sub(name)});
  if (r.exit_code != 0) return InternalError("pdftoppm failed: " + r.err);
  KHOLUU_ASSIGN_OR_RETURN(std::string pgm, ReadFileToString(wd.Sub(name + ".pgm"), 64u << 20));
  std::istringstream in(pgm);
  std::string magic;
  int maxval = 0;
  Gray g;
  in >> magic >> g.width >> g.height >> maxval;
  in.get();
  if (magic != "P5" || maxval != 255 || g.width <= 0 || g.height <= 0) {
    return InternalError("unexpected pdftoppm output");
  }
  g.pixels = pgm.substr(static_cast<size_t>(in.tellg()));
  if (g.pixels.size() != static_cast<size_t>(g.width) * static_cast<size_t>(g.height)) {
    return InternalError("truncated pdftoppm output");
  }
  return g;
}

}  // namespace

Result<double> FirstPageDifference(const std::string& pdf_a, const std::string& pdf_b) {
  KHOLUU_ASSIGN_OR_RETURN(WorkDir wd, WorkDir::Create("render"));
  KHOLUU_ASSIGN_OR_RETURN(Gray a, RenderFirstPage(wd, "a", pdf_a));
  KHOLUU_ASSIGN_OR_RETURN(Gray b, RenderFirstPage(wd, "b", pdf_b));
  if (a.width != b.width || a.height != b.height) {
    return InternalError("page sizes differ: " + std::to_string(a.width) + "x" + std::to_string(a.height) +
                         " vs " + std::to_string(b.width) + "x" + std::to_string(b.height));
  }
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    sum += std::abs(static_cast<int>(static_cast<unsigned char>(a.pixels[i])) -
                    static_cast<int>(static_cast<unsigned char>(b.pixels[i])));
  }
  return sum / static_cast<double>(a.pixels.size());
}

std::vector<std::string> Syllables(const std::string& text) {
  auto normalised = formats::ToNfc(text);
  const std::string nfc = normalised.ok() ? *normalised : text;
  std::vector<std::string> out;
  std::string cur;
  for (char c : nfc) {
    unsigned char u = static_cast<unsigned char>(c);
    bool letter = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u >= 0x80;
    if (letter) {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

Coverage SyllableCoverage(const std::string& source_text, const std::string& copy_text) {
  std::map<std::string, size_t> have;
  for (std::string& s : Syllables(copy_text)) ++have[s];
  Coverage c;
  for (const std::string& s : Syllables(source_text)) {
    ++c.total;
    auto it = have.find(s);
    if (it != have.end() && it->second > 0) {
      --it->second;
      ++c.found;
    } else if (c.missing.size() < 12) {
      c.missing.push_back(s);
    }
  }
  return c;
}

}  // namespace kholuu::convert::testing
