// Anchors and evidence bundles end to end (issue 19), with real processes: a
// real TSA over HTTP (test_tsa.h), `kholuu seal init --tsa`, a signed PDF
// from the pyHanko corpus stored and preserved, `kholuu evidence`, and then
// the bundle checked the way a legal reviewer would: extracted with tar and
// checked by its verify.sh with PATH holding only the standard tools the
// README names. A history rewritten before an anchor — a chain recomputed
// link by link, so that the chain itself still holds — is caught by the
// anchor.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "archive/audit/audit_entry.h"
#include "tests/integration/test_tsa.h"
#include "tests/support/raw_lmdb.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
namespace fs = std::filesystem;

const std::string kSigned = std::string(KHOLUU_CORPUS_DIR) + "/pdf-pyhanko/minimal-signed-twice-no-sig-type.pdf";

// `s` with one bit of byte `at` changed (the last byte when `at` is past it).
std::string Flip(std::string s, size_t at) {
  if (s.empty()) return "x";
  s[std::min(at, s.size() - 1)] = static_cast<char>(s[std::min(at, s.size() - 1)] ^ 2);
  return s;
}

class EvidenceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kSigned)) GTEST_SKIP() << "corpus absent: " << kSigned;
    ASSERT_GT(Pki().tsa.der.size(), 0u);
    ASSERT_EQ(Kholuu({"init"}).exit_code, 0);
  }
  RunResult Kholuu(std::vector<std::string> args) {
    args.insert(args.begin(), BinDir() + "/kholuu");
    args.push_back("--data");
    args.push_back(data_);
    return kholuu::testing::Run(args);
  }
  std::string Put(const std::string& file, int n) {
    RunResult r = Kholuu({"put", file, "--file-code", "000.00.00.H49.2024.01.VP", "--title", "Hồ sơ chứng cứ",
                          "--subject", "Quyết định số " + std::to_string(n), "--issued", "2024-01-15",
                          "--organ-name", "Ủy ban nhân dân tỉnh", "--number", std::to_string(n), "--notation",
                          "QĐ-UBND", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out).value("document", "");
  }
  // A directory holding only the tools the bundle's README names, so that
  // verify.sh provably needs nothing else.
  std::string StandardToolsOnly() {
    const std::string bin = dir_.Sub("stdtools");
    fs::create_directories(bin);
    for (const char* tool : {"sh", "sha256sum", "od", "tr", "cut", "grep", "openssl", "dirname"}) {
      std::string path;
      for (const char* d : {"/usr/bin/", "/bin/"}) {
        if (fs::exists(std::string(d) + tool)) {
          path = std::string(d) + tool;
          break;
        }
      }
      EXPECT_FALSE(path.empty()) << tool;
      fs::create_symlink(path, bin + "/" + tool);
    }
    return bin;
  }
  RunResult CheckBundle(const std::string& bundle_dir) {
    const std::string ca = dir_.Sub("tsa-ca.pem");
    WriteTestFile(ca, TestPki::CertPem(Pki().root) + TestPki::CertPem(Pki().intermediate));
    return kholuu::testing::Run({"/usr/bin/env", "-i", "PATH=" + tools_, "sh", bundle_dir + "/verify.sh", ca});
  }
  std::string Unpack(const std::string& tar, const std::string& where) {
    fs::create_directories(where);
    RunResult r = kholuu::testing::Run({"/usr/bin/env", "tar", "-xf", tar, "-C", where});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const auto& e : fs::directory_iterator(where)) return e.path().string();
    return "";
  }
  // Rewrites a file of the bundle and its SHA256SUMS line, as a forger would.
  void Forge(const std::string& bundle_dir, const std::string& rel, const std::string& bytes) {
    WriteTestFile(bundle_dir + "/" + rel, bytes);
    RunResult sums = kholuu::testing::Run({"/bin/sh", "-c", "cd '" + bundle_dir + "' && sha256sum $(cut -c67- SHA256SUMS) > SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS"});
    ASSERT_EQ(sums.exit_code, 0) << sums.err;
  }

  TempDir dir_;
  std::string data_ = dir_.Sub("archive");
  std::string tools_ = StandardToolsOnly();
};

TEST_F(EvidenceCliTest, BundleChecksOfflineWithStandardToolsAndCatchesForgeries) {
  TestTsa tsa;
  ASSERT_EQ(Kholuu({"seal", "init", "--tsa", tsa.url()}).exit_code, 0);
  const std::string doc = Put(kSigned, 5);
  ASSERT_FALSE(doc.empty());
  RunResult pres = Kholuu({"preserve", doc, "--json"});
  ASSERT_EQ(pres.exit_code, 0) << pres.err << pres.out;

  const std::string tar = dir_.Sub("evidence.tar");
  RunResult ev = Kholuu({"evidence", doc, "-o", tar, "--json"});
  ASSERT_EQ(ev.exit_code, 0) << ev.err << ev.out;
  json j = json::parse(ev.out);
  EXPECT_EQ(j["anchor"]["timestamped"], true);
  EXPECT_EQ(j["anchor_made"], true);
  EXPECT_GE(j["entries"].get<int>(), 3);
  EXPECT_GE(tsa.requests(), 1);

  const std::string b = Unpack(tar, dir_.Sub("unpacked"));
  ASSERT_TRUE(fs::exists(b + "/README.md"));
  const std::string readme = ReadTestFile(b + "/README.md");
  EXPECT_THAT(readme, HasSubstr("Tiếng Việt"));
  EXPECT_THAT(readme, HasSubstr("English"));
  EXPECT_THAT(readme, HasSubstr("openssl ts -verify"));
  EXPECT_THAT(readme, HasSubstr("openssl cms -verify"));
  // The signed original, bit-exact.
  EXPECT_EQ(ReadTestFile(b + "/original/" + fs::path(kSigned).filename().string()), ReadTestFile(kSigned));

  RunResult ok = CheckBundle(b);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("all checks passed"));
  EXPECT_THAT(ok.out, HasSubstr("timestamped"));

  // A second bundle reuses the anchor; the file is not overwritten without --force.
  RunResult again = Kholuu({"evidence", doc, "-o", tar});
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_THAT(again.err, HasSubstr("--force"));
  RunResult forced = Kholuu({"evidence", doc, "-o", tar, "--force", "--json"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(json::parse(forced.out)["anchor_made"], false);

  // Forgeries, each with SHA256SUMS made to agree: another original, another
  // catalog row, another audit entry, another anchored root.
  struct Case {
    std::string file;
    std::function<std::string(std::string)> change;
    std::string reason;
  };
  const std::string original = "original/" + fs::path(kSigned).filename().string();
  const std::vector<Case> cases = {
      {original, [](std::string s) { return Flip(std::move(s), s.size() / 2); }, "is the content"},
      {"record/document.row", [](std::string s) { return Flip(std::move(s), s.size() - 3); }, "is the state audit entry"},
      {"log/entry-1.bin", [](std::string s) { return Flip(std::move(s), 20); }, ""},
      {"anchor/statement.txt", [](std::string s) { return Flip(std::move(s), 40); }, ""},
  };
  for (const Case& c : cases) {
    const std::string copy = Unpack(tar, dir_.Sub("forged-" + std::to_string(&c - cases.data())));
    if (!fs::exists(copy + "/" + c.file)) continue;  // entry 1 is not among those proven
    Forge(copy, c.file, c.change(ReadTestFile(copy + "/" + c.file)));
    RunResult bad = CheckBundle(copy);
    EXPECT_NE(bad.exit_code, 0) << c.file << "\n" << bad.out;
    EXPECT_THAT(bad.err, HasSubstr("FAIL")) << c.file;
    if (!c.reason.empty()) {
      EXPECT_THAT(bad.err, HasSubstr(c.reason)) << c.file;
    }
  }

  // The archive's own check agrees, and names the anchors.
  RunResult audit = Kholuu({"audit", "verify", "--json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.out;
  json a = json::parse(audit.out);
  EXPECT_EQ(a["anchors"]["ok"], true);
  EXPECT_GE(a["anchors"]["count"].get<int>(), 1);
  EXPECT_EQ(a["anchors"]["list"][0]["timestamp_ok"], true);
}

TEST_F(EvidenceCliTest, AlteredRecordGetsNoEvidence) {
  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  const std::string doc = Put(kSigned, 6);
  const std::string catalog = data_ + "/catalog";
  std::string row = RawGet(catalog, "documents", doc);
  ASSERT_FALSE(row.empty());
  const size_t at = row.find("Quyết định");
  ASSERT_NE(at, std::string::npos);
  row[at] = 'X';
  RawPut(catalog, "documents", doc, row);

  const std::string tar = dir_.Sub("evidence.tar");
  RunResult ev = Kholuu({"evidence", doc, "-o", tar});
  EXPECT_EQ(ev.exit_code, 1) << ev.err;
  EXPECT_THAT(ev.err, HasSubstr("differs from its history"));
  EXPECT_FALSE(fs::exists(tar));
}

TEST_F(EvidenceCliTest, NoSealKeyNoEvidence) {
  const std::string doc = Put(kSigned, 7);
  RunResult ev = Kholuu({"evidence", doc, "-o", dir_.Sub("e.tar")});
  EXPECT_EQ(ev.exit_code, 2) << ev.err;
  EXPECT_THAT(ev.err, HasSubstr("seal init"));
  EXPECT_FALSE(fs::exists(dir_.Sub("e.tar")));
}

// Rewrites audit entry `seq` (its detail) and every later entry so that each
// link and hash holds again, and the head too: the chain alone cannot tell.
void RewriteHistory(const std::string& catalog, uint64_t seq) {
  std::string head = RawGet(catalog, "meta", "audit.head");
  ASSERT_EQ(head.size(), 40u);
  uint64_t last = 0;
  for (int i = 0; i < 8; ++i) last = (last << 8) | static_cast<uint8_t>(head[static_cast<size_t>(i)]);
  Sha256 prev;
  for (uint64_t s = seq; s <= last; ++s) {
    auto e = archive::DecodeAuditEntry(RawGet(catalog, "audit", SeqKey(s)));
    ASSERT_TRUE(e.ok()) << s;
    if (s == seq) {
      e->detail += " (rewritten)";
    } else {
      e->prev_hash = prev;
    }
    e->hash = e->ComputeHash();
    prev = e->hash;
    RawPut(catalog, "audit", SeqKey(s), archive::EncodeAuditEntry(*e));
  }
  RawPut(catalog, "meta", "audit.head", head.substr(0, 8) + std::string(prev.raw()));
}

TEST_F(EvidenceCliTest, RewritingHistoryBeforeAnAnchorIsDetected) {
  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  Put(kSigned, 8);
  RunResult made = Kholuu({"anchor", "make", "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const uint64_t anchored = json::parse(made.out)["tree_size"].get<uint64_t>();
  EXPECT_EQ(json::parse(made.out)["timestamped"], false);  // no TSA configured: sealed only

  RunResult clean = Kholuu({"audit", "verify", "--json"});
  ASSERT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_EQ(json::parse(clean.out)["anchors"]["proven_entries"], anchored);

  RewriteHistory(data_ + "/catalog", anchored / 2);
  RunResult r = Kholuu({"audit", "verify", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  json j = json::parse(r.out);
  EXPECT_EQ(j["chain_ok"], true);  // the rewrite is consistent: only the anchor can tell
  EXPECT_EQ(j["anchors"]["ok"], false);
  EXPECT_EQ(j["anchors"]["list"][0]["root_ok"], false);
  EXPECT_THAT(j["anchors"]["list"][0]["problems"][0].get<std::string>(), HasSubstr("history before this anchor"));
}

TEST_F(EvidenceCliTest, BackupAnchorsTheLogAndKeepsTheAnchors) {
  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  Put(kSigned, 9);
  const std::string backup = dir_.Sub("backup");
  RunResult b = Kholuu({"backup", backup, "--json"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  json j = json::parse(b.out);
  ASSERT_TRUE(j["anchor"].is_object()) << b.out;
  EXPECT_EQ(j["anchor"]["reason"], "backup");

  // The backup's catalog holds the anchor, and exports it as files.
  const std::string restored = dir_.Sub("restored");
  ASSERT_EQ(kholuu::testing::Run({BinDir() + "/kholuu", "restore", backup, "--data", restored}).exit_code, 0);
  RunResult list = kholuu::testing::Run({BinDir() + "/kholuu", "anchor", "list", "--json", "--data", restored});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  ASSERT_EQ(json::parse(list.out).size(), 1u);
  const std::string exported = dir_.Sub("anchors");
  ASSERT_EQ(kholuu::testing::Run({BinDir() + "/kholuu", "anchor", "export", exported, "--data", restored}).exit_code, 0);
  const std::string n = std::to_string(j["anchor"]["tree_size"].get<uint64_t>());
  EXPECT_THAT(ReadTestFile(exported + "/anchor-" + n + ".txt"), HasSubstr("tree-root: "));
  // The exported seal verifies with openssl alone.
  RunResult cms = kholuu::testing::Run({"/usr/bin/env", "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", exported + "/anchor-" + n + ".p7s",
                       "-content", exported + "/anchor-" + n + ".txt", "-noverify", "-out", "/dev/null"});
  EXPECT_EQ(cms.exit_code, 0) << cms.err;

  // Without a seal key, a backup is still made, and says it is not anchored.
  fs::remove_all(data_ + "/keys");
  RunResult b2 = Kholuu({"backup", dir_.Sub("backup2"), "--json"});
  ASSERT_EQ(b2.exit_code, 0) << b2.err;
  EXPECT_TRUE(json::parse(b2.out)["anchor"].is_null());
  EXPECT_THAT(json::parse(b2.out)["anchor_problem"].get<std::string>(), HasSubstr("seal"));
}

}  // namespace
}  // namespace kholuu::testing
