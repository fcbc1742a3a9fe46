#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "tests/support/subprocess.h"

namespace kholuu {
namespace {

using ::kholuu::testing::BinDir;

std::string Data(const std::string& name) { return std::string(KHOLUU_EDXML_TESTDATA) + "/" + name; }

TEST(EdxmlCliTest, InspectPrintsTheContractShape) {
  auto r = ::kholuu::testing::Run({BinDir() + "/kholuu", "edxml", "inspect", "--json", Data("document_new.edxml"),
                Data("status_messy.edxml")});
  // document_new.edxml carries a placeholder XML signature that does not verify: exit 1.
  ASSERT_EQ(r.exit_code, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  const auto& d = j[0];
  EXPECT_EQ(d["kind"], "document");
  EXPECT_EQ(d["document_id"], "000.00.00.G22,2025/07/01,125/VPCP-TTĐT");
  EXPECT_EQ(d["from"]["organ_id"], "000.00.00.G22");
  EXPECT_EQ(d["to"].size(), 2u);
  EXPECT_EQ(d["code"]["number"], "125");
  EXPECT_EQ(d["code"]["notation"], "VPCP-TTĐT");
  EXPECT_EQ(d["business_doc_type"], 0);
  ASSERT_EQ(d["attachments"].size(), 2u);
  EXPECT_EQ(d["attachments"][0]["size"], 185);
  EXPECT_EQ(d["attachments"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(d["xml_signature"]["present"], true);
  EXPECT_EQ(d["xml_signature"]["valid"], false);  // verified since issue 4: a placeholder signature
  EXPECT_FALSE(d.contains("status_code"));
  EXPECT_EQ(j[1]["kind"], "status");
  EXPECT_EQ(j[1]["status_code"], "03");
}

TEST(EdxmlCliTest, ExitCodes) {
  auto bad = ::kholuu::testing::Run({BinDir() + "/kholuu", "edxml", "inspect", "--json", Data("document_inconsistent.edxml")});
  EXPECT_EQ(bad.exit_code, 1);
  auto unreadable = ::kholuu::testing::Run({BinDir() + "/kholuu", "edxml", "inspect", "--json", Data("xxe.edxml")});
  EXPECT_EQ(unreadable.exit_code, 2);
  auto missing = ::kholuu::testing::Run({BinDir() + "/kholuu", "edxml", "inspect", Data("no-such-file.edxml")});
  EXPECT_EQ(missing.exit_code, 2);
}

TEST(BagitCliTest, ValidateReportsVerdictAndReasons) {
  const std::string suite = std::string(KHOLUU_CORPUS_DIR) + "/bagit-conformance/v0.97/";
  if (!IsDirectory(suite)) GTEST_SKIP() << "BagIt conformance suite not found at " << suite;
  auto ok = ::kholuu::testing::Run({BinDir() + "/kholuu", "bagit", "validate", "--json", suite + "valid/basic-bag"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(nlohmann::json::parse(ok.out)[0]["valid"], true);
  auto bad = ::kholuu::testing::Run({BinDir() + "/kholuu", "bagit", "validate", "--json", suite + "invalid/corrupt-data-file"});
  EXPECT_EQ(bad.exit_code, 1);
  auto j = nlohmann::json::parse(bad.out)[0];
  EXPECT_EQ(j["valid"], false);
  bool mismatch = false;
  for (const auto& p : j["problems"]) mismatch |= p["code"] == "checksum-mismatch" && p["severity"] == "error";
  EXPECT_TRUE(mismatch) << bad.out;
}

}  // namespace
}  // namespace kholuu
