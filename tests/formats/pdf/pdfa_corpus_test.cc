// The validator on the shared corpora: the veraPDF corpus score (the targets
// of issue 3) and a no-crash run over every PDF under the corpus directory
// (pyHanko's broken xrefs, circular page trees and encrypted files included).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "formats/pdf/pdfa.h"

namespace kholuu::formats::pdf {
namespace {

namespace fs = std::filesystem;

const std::string kCorpus = KHOLUU_CORPUS_DIR;

TEST(PdfaCorpus, VeraPdfAccuracyPerPartAndClause) {
  const fs::path root = fs::path(kCorpus) / "verapdf";
  if (!fs::is_directory(root)) GTEST_SKIP() << "veraPDF corpus not found at " << root;
  std::map<std::string, std::pair<int, int>> parts;    // part -> (files, correct)
  std::map<std::string, std::pair<int, int>> clauses;  // part/clause -> (files, correct)
  for (const auto& part_dir : fs::directory_iterator(root)) {
    const std::string part = part_dir.path().filename().string();  // PDF_A-2b
    if (part.rfind("PDF_A-", 0) != 0) continue;
    auto profile = ParsePdfaProfile(part.substr(6));
    ASSERT_TRUE(profile.ok()) << part;
    for (const auto& e : fs::recursive_directory_iterator(part_dir.path())) {
      if (!e.is_regular_file() || e.path().extension() != ".pdf") continue;
      const std::string name = e.path().filename().string();
      bool pass = name.find("-pass-") != std::string::npos;
      if (!pass && name.find("-fail-") == std::string::npos) continue;
      auto r = ValidatePdfaFile(e.path().string(), *profile);
      ASSERT_TRUE(r.ok()) << e.path() << ": " << r.status().ToString();
      const int ok = r->compliant == pass ? 1 : 0;
      const std::string clause = fs::relative(e.path(), part_dir.path()).begin()->string();
      parts[part].first++;
      parts[part].second += ok;
      clauses[part + "/" + clause].first++;
      clauses[part + "/" + clause].second += ok;
    }
  }
  ASSERT_FALSE(parts.empty()) << "no PDF_A-* folders under " << root;
  for (const auto& [part, v] : parts) {
    EXPECT_GE(100.0 * v.second / v.first, 95.0) << part << ": " << v.second << "/" << v.first;
  }
  for (const auto& [clause, v] : clauses) {
    if (v.first < 5) continue;
    EXPECT_GE(100.0 * v.second / v.first, 85.0) << clause << ": " << v.second << "/" << v.first;
  }
}

TEST(PdfaCorpus, EveryCorpusPdfGivesAReportOrAnError) {
  if (!fs::is_directory(kCorpus)) GTEST_SKIP() << "corpus not found at " << kCorpus;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(kCorpus)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (ext != ".pdf" && ext != ".PDF") continue;
    ++files;
    auto r = ValidatePdfaFile(e.path().string(), PdfaProfile::kAuto);
    // Bad input is a report; only an unreadable file may be an error.
    if (!r.ok()) {
      EXPECT_NE(r.status().code(), StatusCode::kInternal) << e.path() << ": " << r.status().ToString();
      continue;
    }
    EXPECT_EQ(r->compliant, r->violations.empty()) << e.path();
    for (const auto& v : r->violations) EXPECT_FALSE(v.clause.empty() || v.message.empty()) << e.path();
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace kholuu::formats::pdf
