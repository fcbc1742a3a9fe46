// `kholuu reindex` and `kholuu search` as real processes on an archive whose
// documents were stored with `kholuu put` (which does not index).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

testing::RunResult Kholuu(const std::string& data, std::vector<std::string> args) {
  std::vector<std::string> argv = {testing::BinDir() + "/kholuu"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--data");
  argv.push_back(data);
  return testing::Run(argv);
}

TEST(SearchCli, ReindexThenSearchPerContract) {
  testing::TempDir tmp;
  std::string data = tmp.path() + "/archive";
  ASSERT_EQ(Kholuu(data, {"init"}).exit_code, 0);
  const struct {
    const char* code;
    const char* type;
    const char* number;
    const char* notation;
    const char* subject;
    const char* body;
  } docs[] = {
      {"000.00.00.G22.2023.05.TCCB", "Quyết định", "215", "QĐ-VPCP",
       "Quyết định công nhận kết quả tuyển dụng công chức năm 2023",
       "Điều 1. Công nhận kết quả tuyển dụng đối với 12 thí sinh."},
      {"000.00.00.H49.2024.01.VP", "Kế hoạch", "12", "KH-UBND",
       "Kế hoạch triển khai gửi, nhận văn bản điện tử năm 2024",
       "100% văn bản đi được ký số và gửi qua Trục liên thông văn bản quốc gia."},
  };
  int n = 0;
  for (const auto& d : docs) {
    const std::string file = tmp.path() + "/doc-" + std::to_string(++n) + ".txt";
    testing::WriteTestFile(file, d.body);
    testing::RunResult put = Kholuu(data, {"put", file, "--file-code", d.code, "--subject", d.subject, "--issued",
                                           "2024-01-15", "--organ-name", "Cơ quan mẫu", "--type", d.type,
                                           "--number", d.number, "--notation", d.notation});
    ASSERT_EQ(put.exit_code, 0) << put.err;
  }

  testing::RunResult none = Kholuu(data, {"search", "quyết định", "--json"});
  EXPECT_EQ(none.exit_code, 2) << "no index yet";

  testing::RunResult ri = Kholuu(data, {"reindex", "--json"});
  ASSERT_EQ(ri.exit_code, 0) << ri.err;
  nlohmann::json r = nlohmann::json::parse(ri.out);
  EXPECT_GT(r["indexed"].get<int>(), 0);

  testing::RunResult s = Kholuu(data, {"search", "quyet dinh tuyen dung", "--json", "--facets"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  nlohmann::json j = nlohmann::json::parse(s.out);
  ASSERT_TRUE(j.contains("total_estimate"));
  ASSERT_FALSE(j["hits"].empty());
  for (const char* k : {"document", "record_file", "score", "code", "subject", "snippet"}) {
    EXPECT_TRUE(j["hits"][0].contains(k)) << k;
  }
  EXPECT_TRUE(j.contains("facets"));

  // The outbox is empty after a rebuild; draining it again is a no-op.
  testing::RunResult d = Kholuu(data, {"reindex", "--outbox", "--json"});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(nlohmann::json::parse(d.out)["outbox_acknowledged"].get<int>(), 0);

  EXPECT_EQ(Kholuu(data, {"search", "x", "--sort", "sideways"}).exit_code, 2);
  EXPECT_EQ(Kholuu(data, {"search", std::string(5000, 'a')}).exit_code, 2);
}

}  // namespace
}  // namespace kholuu
