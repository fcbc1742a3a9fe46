// `kholuu text` as a real process: JSON shape and values against the
// library's contract, form-feed page separators, exit statuses, and the
// legacy-encoding repair the CLI applies (a TCVN3 text layer made by
// Ghostscript from a PostScript file that shows the TCVN3 bytes).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::testing::HasSubstr;

std::string Kholuu() { return testing::BinDir() + "/kholuu"; }
const std::string kScan =
    std::string(KHOLUU_CORPUS_DIR) + "/scans-real/001.03.08.H30.81.2024.K4.01.01.003.pdf";

TEST(TextCliTest, JsonPerPage) {
  if (!std::filesystem::exists(kScan)) GTEST_SKIP() << "corpus absent: " << kScan;
  testing::RunResult r = testing::Run({Kholuu(), "text", kScan, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["file"], kScan);
  EXPECT_EQ(j["format"], "pdf");
  ASSERT_EQ(j["pages"].size(), 2u);
  size_t sum = 0;
  for (size_t i = 0; i < 2; ++i) {
    const nlohmann::json& p = j["pages"][i];
    EXPECT_EQ(p["page"], i + 1);
    EXPECT_EQ(p["method"], "text-layer");
    EXPECT_FALSE(p.contains("confidence"));
    EXPECT_GT(p["text"].get<std::string>().size(), 100u);
    sum += p["characters"].get<size_t>();
  }
  EXPECT_EQ(j["characters"].get<size_t>(), sum);
  EXPECT_EQ(j["ocr_pages"], 0);

  testing::RunResult plain = testing::Run({Kholuu(), "text", kScan, "--pages", "2"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const size_t ff = plain.out.find('\f');
  ASSERT_NE(ff, std::string::npos);
  EXPECT_EQ(plain.out.find('\f', ff + 1), std::string::npos);
  EXPECT_EQ(plain.out.substr(0, ff), j["pages"][0]["text"].get<std::string>());
}

TEST(TextCliTest, ForcedOcrReportsConfidence) {
  if (!std::filesystem::exists(kScan)) GTEST_SKIP() << "corpus absent: " << kScan;
  testing::RunResult r =
      testing::Run({Kholuu(), "text", kScan, "--json", "--force-ocr", "--pages", "1", "--progress", "--lang", "vi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Progress on stderr (asked for), never in the JSON.
  EXPECT_THAT(r.err, HasSubstr("nhận dạng chữ (OCR): 1/1 trang ("));
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["pages"].size(), 1u);
  EXPECT_TRUE(j["truncated"].get<bool>());
  EXPECT_EQ(j["pages"][0]["method"], "ocr");
  EXPECT_GT(j["pages"][0]["confidence"].get<double>(), 50);
  EXPECT_EQ(j["ocr_pages"], 1);
}

TEST(TextCliTest, ExitStatuses) {
  testing::TempDir dir;
  testing::WriteTestFile(dir.Sub("junk.pdf"), "%PDF-1.7\nnothing here");
  testing::RunResult junk = testing::Run({Kholuu(), "text", dir.Sub("junk.pdf"), "--json"});
  EXPECT_EQ(junk.exit_code, 2);
  EXPECT_THAT(junk.err, HasSubstr("pdfinfo exited"));
  EXPECT_THAT(nlohmann::json::parse(junk.out).dump(), HasSubstr("error"));

  testing::RunResult missing = testing::Run({Kholuu(), "text", dir.Sub("absent.pdf")});
  EXPECT_EQ(missing.exit_code, 2);
  testing::RunResult usage = testing::Run({Kholuu(), "text", dir.Sub("junk.pdf"), "--pages", "0"});
  EXPECT_EQ(usage.exit_code, 2);
  testing::RunResult lang = testing::Run({Kholuu(), "text", dir.Sub("junk.pdf"), "--lang", "x y"});
  EXPECT_EQ(lang.exit_code, 2);
  EXPECT_THAT(lang.err, HasSubstr("languages"));
}

// A PDF whose text layer is TCVN3 (.VnTime-style bytes shown through a
// WinAnsi font, as old Vietnamese Word documents were printed): the CLI
// repairs it and says so.
TEST(TextCliTest, RepairsATcvn3TextLayer) {
  if (!std::filesystem::exists("/usr/bin/gs")) GTEST_SKIP() << "needs Ghostscript";
  testing::TempDir dir;
  // "Văn bản quy phạm pháp luật về phòng cháy" in TCVN3 bytes.
  const std::string tcvn3 = "V\xa8n b\xb6n quy ph\xb9m ph\xb8p lu\xcbt v\xd2 ph\xdfng ch\xb8y";
  std::string ps =
      "%!PS\n/Helvetica findfont dup length dict begin {1 index /FID ne {def} "
      "{pop pop} ifelse} forall /Encoding ISOLatin1Encoding def currentdict end "
      "/L1 exch definefont pop /L1 findfont 14 scalefont setfont 72 700 moveto (";
  for (char c : tcvn3) {
    char oct[8];
    std::snprintf(oct, sizeof oct, "\\%03o", static_cast<unsigned char>(c));
    ps += oct;
  }
  ps += ") show showpage\n";
  testing::WriteTestFile(dir.Sub("tcvn3.ps"), ps);
  testing::RunResult gs =
      testing::Run({"/usr/bin/gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite",
                    "-o", dir.Sub("tcvn3.pdf"), dir.Sub("tcvn3.ps")});
  ASSERT_EQ(gs.exit_code, 0) << gs.err;
  testing::RunResult r = testing::Run({Kholuu(), "text", dir.Sub("tcvn3.pdf"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["pages"].size(), 1u);
  EXPECT_EQ(j["pages"][0]["method"], "text-layer");
  EXPECT_EQ(j["pages"][0]["repaired_encoding"], "tcvn3");
  EXPECT_THAT(j["pages"][0]["text"].get<std::string>(),
              HasSubstr("Văn bản quy phạm pháp luật về phòng cháy"));
}

}  // namespace
}  // namespace kholuu
