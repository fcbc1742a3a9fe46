// `kholuu pdfa validate`: the JSON shape of the contract and the exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/formats/pdf/test_pdf.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::testing {
namespace {

TEST(PdfaCli, JsonShapeAndExitCodes) {
  TempDir dir;
  const std::string good = dir.Sub("good.pdf");
  const std::string bad = dir.Sub("bad.pdf");
  WriteTestFile(good, MinimalPdfa("2").Build());
  WriteTestFile(bad, MinimalPdfa("2", "1 0 0 rg 0 0 5 5 re f").Build());
  const std::string kholuu = BinDir() + "/kholuu";

  RunResult ok = kholuu::testing::Run({kholuu, "pdfa", "validate", "--json", good});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  nlohmann::json j = nlohmann::json::parse(ok.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["file"], good);
  EXPECT_EQ(j[0]["profile"], "2b");
  EXPECT_EQ(j[0]["compliant"], true);
  EXPECT_TRUE(j[0]["violations"].is_array());

  RunResult both = kholuu::testing::Run({kholuu, "pdfa", "validate", "--json", "--profile", "2b", good, bad});
  EXPECT_EQ(both.exit_code, 1);
  j = nlohmann::json::parse(both.out);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[1]["compliant"], false);
  ASSERT_FALSE(j[1]["violations"].empty());
  EXPECT_EQ(j[1]["violations"][0]["clause"], "6.2.4.3");
  EXPECT_TRUE(j[1]["violations"][0]["message"].is_string());

  EXPECT_EQ(kholuu::testing::Run({kholuu, "pdfa", "validate", "--profile", "9z", good}).exit_code, 2);
  EXPECT_EQ(kholuu::testing::Run({kholuu, "pdfa", "validate", dir.Sub("missing.pdf")}).exit_code, 2);
}

}  // namespace
}  // namespace kholuu::testing
