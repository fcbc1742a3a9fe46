// The acceptance set of issue 7: the real scans, every parseable unencrypted
// PDF of the pyHanko corpus, and office documents in nine formats generated
// from Vietnamese law text. At least 95% must validate as PDF/A-2b with our
// validator (the rest flagged with a reason), at least 98% of the source
// syllables must be found in the copies' text, and no original may change.
// Labelled `slow` (several minutes on two cores).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/convert/pdfa_convert.h"
#include "formats/pdf/pdfa.h"
#include "tests/formats/convert/convert_test_util.h"
#include "tests/support/status_matchers.h"
#include "tests/support/temp_dir.h"

namespace kholuu::convert {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::TempDir;
using ::kholuu::testing::WriteTestFile;

struct Item {
  std::string path;         // the file converted
  std::string source_text;  // what the copy's text must contain ("" = no text layer)
  bool force = false;       // convert even if already PDF/A
};

// Every *.pdf below `dir` (sorted), or none when it is absent.
std::vector<std::string> PdfsBelow(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".pdf") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The rule for "parseable unencrypted": our PDF parser walks its page tree
// and the trailer has no Encrypt entry.
bool ParseableUnencrypted(const std::string& bytes) {
  auto report = formats::pdf::ValidatePdfa(bytes, formats::pdf::PdfaProfile::k2b);
  return report.ok() && report->pages >= 0 && !report->encrypted;
}

TEST(ConvertCorpusTest, AcceptanceSet) {
  const std::string corpus = KHOLUU_CORPUS_DIR;
  if (!PathExists(corpus + "/scans-real") || !PathExists(corpus + "/pdf-pyhanko") ||
      testing::CorpusDir().empty()) {
    GTEST_SKIP() << "corpus (scans-real, pdf-pyhanko, alqac2023) not found in " << corpus;
  }
  std::vector<Item> items;
  // The scans claim PDF/A-2b and pass: once as they are (their own copy),
  // once forced through Ghostscript (real scanned images, real text layer).
  for (const std::string& p : PdfsBelow(corpus + "/scans-real")) {
    items.push_back({p, "", false});
    items.push_back({p, "", true});
  }
  size_t pyhanko_total = 0;
  for (const std::string& p : PdfsBelow(corpus + "/pdf-pyhanko")) {
    ++pyhanko_total;
    if (ParseableUnencrypted(ReadTestFile(p))) items.push_back({p, "", false});
  }
  const size_t pdfs = items.size();

  // Office documents: three flat ODF sources, each saved in three formats.
  TempDir tmp;
  struct Source {
    std::string name;
    std::string xml;
    std::vector<std::string> formats;
    std::string text;
  };
  std::vector<Source> sources;
  {
    std::vector<std::string> t = testing::VietnameseParagraphs(10, 6);
    std::vector<std::string> s = testing::VietnameseParagraphs(30, 6);
    std::vector<std::string> p = testing::VietnameseParagraphs(50, 3);
    auto join = [](const std::vector<std::string>& v) {
      std::string out;
      for (const std::string& x : v) out += x + "\n";
      return out;
    };
    sources.push_back({"vanban.fodt", testing::FlatOdt(t), {"docx", "doc", "odt", "rtf"}, join(t)});
    sources.push_back({"bang.fods", testing::FlatOds(s), {"xlsx", "xls", "ods"}, join(s)});
    sources.push_back({"trinhchieu.fodp", testing::FlatOdp(p), {"pptx", "ppt"}, join(p)});
  }
  for (const Source& s : sources) {
    WriteTestFile(tmp.Sub(s.name), s.xml);
    for (const std::string& f : s.formats) {
      auto bytes = testing::LibreOfficeSaveAs(tmp.Sub(s.name), f);
      ASSERT_OK(bytes.status()) << s.name << " -> " << f;
      const std::string path = tmp.Sub(s.name.substr(0, s.name.find('.')) + "." + f);
      WriteTestFile(path, *bytes);
      items.push_back({path, s.text, false});
    }
  }

  size_t validated = 0;
  testing::Coverage total;
  for (Item& item : items) {
    SCOPED_TRACE(item.path);
    const std::string original = ReadTestFile(item.path);
    const bool is_pdf = item.path.size() > 4 && item.path.substr(item.path.size() - 4) == ".pdf";
    if (is_pdf) {
      auto text = testing::PdfText(original);
      if (text.ok() && testing::Syllables(*text).size() >= 3) item.source_text = *text;
    }
    ConvertOptions options;
    options.convert_conformant = item.force;
    auto r = ConvertFileToPdfA2b(item.path, options);
    ASSERT_OK(r.status());
    EXPECT_EQ(Sha256Of(ReadTestFile(item.path)), Sha256Of(original)) << "the original changed";
    std::string line = std::string(ConversionStatusName(r->status)) + " " +
                       std::to_string(r->pages) + " p " + std::to_string(r->seconds) + " s";
    if (r->validated) {
      ++validated;
      if (r->status == ConversionStatus::kAlreadyConformant) {
        EXPECT_TRUE(r->output == original);
      }
      if (!item.source_text.empty()) {
        auto text = testing::PdfText(r->output);
        ASSERT_OK(text.status());
        testing::Coverage c = testing::SyllableCoverage(item.source_text, *text);
        total.total += c.total;
        total.found += c.found;
        line += " syllables " + std::to_string(c.found) + "/" + std::to_string(c.total);
        if (!c.missing.empty()) {
          line += " missing:";
          for (const std::string& m : c.missing) line += " " + m;
        }
      }
    } else {
      EXPECT_FALSE(r->reason.empty()) << "a failure without a reason";
      line += " FLAGGED: " + r->reason;
    }
    std::printf("%-60s %s %s\n", item.path.substr(item.path.rfind('/') + 1).c_str(),
                item.force ? "forced" : "      ", line.c_str());
  }
  std::printf("pyHanko: %zu of %zu PDFs parseable and unencrypted; %zu PDFs, %zu office documents\n",
              pdfs - 6, pyhanko_total, pdfs, items.size() - pdfs);
  std::printf("validated %zu of %zu; syllables found %zu of %zu\n", validated, items.size(),
              total.found, total.total);
  EXPECT_GE(items.size(), 20u);
  EXPECT_GE(static_cast<double>(validated), 0.95 * static_cast<double>(items.size()));
  EXPECT_GT(total.total, 1000u);
  EXPECT_GE(total.ratio(), 0.98);
}

}  // namespace
}  // namespace kholuu::convert
