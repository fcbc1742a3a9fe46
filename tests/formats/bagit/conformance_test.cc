// The Library of Congress BagIt conformance suite: every `valid` bag is
// valid, every `invalid` (and, on Linux, `linux-only`) bag is invalid with a
// reason, every `warning` bag is valid with at least one warning.
#include <dirent.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/base/file.h"
#include "formats/bagit/bag.h"

namespace kholuu::formats::bagit {
namespace {

std::string Suite() { return std::string(KHOLUU_CORPUS_DIR) + "/bagit-conformance"; }

std::vector<std::string> Dirs(const std::string& dir) {
  std::vector<std::string> out;
  auto names = ListDir(dir);
  if (!names.ok()) return out;
  for (const std::string& n : *names) {
    if (IsDirectory(JoinPath(dir, n))) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Describe(const BagReport& r) {
  std::string s;
  for (const BagProblem& p : r.problems) {
    s += std::string(p.severity == Severity::kError ? "  error " : "  warning ") + p.code + ": " +
         p.message + (p.path.empty() ? "" : " [" + p.path + "]") + "\n";
  }
  return s;
}

TEST(BagitConformanceTest, EveryBagIsClassifiedAsTheSuiteExpects) {
  if (!IsDirectory(Suite())) GTEST_SKIP() << "BagIt conformance suite not found at " << Suite();
  int valid = 0, invalid = 0, warning = 0;
  for (const std::string& version : Dirs(Suite())) {
    if (version.empty() || version[0] != 'v') continue;
    for (const std::string& category : Dirs(JoinPath(Suite(), version))) {
      if (category == "windows-only") continue;  // invalid only on Windows
      const bool expect_valid = category == "valid" || category == "warning";
      ASSERT_TRUE(category == "valid" || category == "warning" || category == "invalid" ||
                  category == "linux-only")
          << "unknown category " << category;
      for (const std::string& bag : Dirs(JoinPath(JoinPath(Suite(), version), category))) {
        const std::string path = Suite() + "/" + version + "/" + category + "/" + bag;
        SCOPED_TRACE(path);
        auto report = ValidateBag(path);
        ASSERT_TRUE(report.ok()) << report.status().ToString();
        EXPECT_EQ(report->valid(), expect_valid) << Describe(*report);
        if (category == "warning") {
          EXPECT_GT(report->warnings(), 0u) << "a warning bag must warn";
          ++warning;
        } else if (expect_valid) {
          ++valid;
        } else {
          EXPECT_GT(report->errors(), 0u);
          for (const BagProblem& p : report->problems) {
            EXPECT_FALSE(p.message.empty());
            EXPECT_FALSE(p.code.empty());
          }
          ++invalid;
        }
      }
    }
  }
  // The suite's size as shipped; a shrinking corpus would hide failures.
  EXPECT_GE(valid, 25);
  EXPECT_GE(invalid, 20);
  EXPECT_GE(warning, 6);
}

}  // namespace
}  // namespace kholuu::formats::bagit
