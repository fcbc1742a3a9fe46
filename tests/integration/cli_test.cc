// The kholuu CLI as users and scripts run it: exit codes, --json output, and
// bad environments (not an archive, newer schema, damaged catalog, missing
// blob, read-only directory, full disk) giving clear errors and no damage.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "tests/support/raw_lmdb.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::RunResult;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;
using nlohmann::json;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Sub("data");
    RunResult r = Kholuu({"init"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  RunResult Kholuu(std::vector<std::string> args, const std::string& data = "",
                   const testing::RunOptions& options = {}) {
    std::vector<std::string> argv = {binary_.empty() ? testing::BinDir() + "/kholuu" : binary_};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--data");
    argv.push_back(data.empty() ? data_ : data);
    return testing::Run(argv, options);
  }

  json KholuuJson(std::vector<std::string> args, int expect_exit, const std::string& data = "") {
    args.push_back("--json");
    RunResult r = Kholuu(args, data);
    EXPECT_EQ(r.exit_code, expect_exit) << "stderr: " << r.err << "\nstdout: " << r.out;
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out;
    return j;
  }

  // Stores a document and returns its id and blob digest.
  std::pair<std::string, std::string> PutDocument(const std::string& content, int n) {
    std::string file = dir_.Sub("doc-" + std::to_string(n) + ".pdf");
    testing::WriteTestFile(file, content);
    json j = KholuuJson({"put", file, "--file-code", "000.00.00.H49.2024.01.VP", "--title",
                         "Hồ sơ gửi, nhận văn bản điện tử", "--subject",
                         "Kế hoạch triển khai văn bản điện tử số " + std::to_string(n),
                         "--issued", "2024-01-15", "--organ-name", "Ủy ban nhân dân tỉnh",
                         "--number", std::to_string(n), "--notation", "KH-UBND"},
                        0);
    return {j.value("document", ""), j.value("sha256", "")};
  }

  std::string BlobPath(const std::string& hex, const std::string& data = "") {
    return (data.empty() ? data_ : data) + "/blobs/sha256/" + hex.substr(0, 2) + "/" +
           hex.substr(2, 2) + "/" + hex;
  }

  uint64_t AuditEntries() {
    json j = KholuuJson({"audit", "verify"}, 0);
    return j.value("entries", uint64_t{0});
  }

  TempDir dir_;
  std::string data_;
  std::string binary_;  // the kholuu to run; empty: the one in the build tree
};

TEST_F(CliTest, InitTwiceIsAUsageError) {
  RunResult r = Kholuu({"init", "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("already holds a kholuu archive"));
  json j = json::parse(r.out);
  EXPECT_EQ(j["error"]["code"], "already_exists");
}

TEST_F(CliTest, PutShowFixityAuditRoundTrip) {
  auto [doc, sha] = PutDocument("%PDF-1.7\nKế hoạch số 1\n%%EOF\n", 1);
  ASSERT_FALSE(doc.empty());
  json shown = KholuuJson({"show", doc}, 0);
  EXPECT_EQ(shown["kind"], "document");
  EXPECT_EQ(shown["subject"], "Kế hoạch triển khai văn bản điện tử số 1");
  ASSERT_EQ(shown["components"].size(), 1u);
  json comp = KholuuJson({"show", shown["components"][0].get<std::string>()}, 0);
  EXPECT_EQ(comp["sha256"], sha);
  EXPECT_EQ(comp["role"], "original");
  json blob = KholuuJson({"show", sha}, 0);
  EXPECT_EQ(blob["present"], true);

  json fx = KholuuJson({"fixity", "--all"}, 0);
  EXPECT_EQ(fx["checked"], 1);
  EXPECT_TRUE(fx["failures"].empty());
  json again = KholuuJson({"show", shown["components"][0].get<std::string>()}, 0);
  ASSERT_FALSE(again["events"].empty());
  EXPECT_EQ(again["events"].back()["type"], "fixity check");

  json audit = KholuuJson({"audit", "verify"}, 0);
  EXPECT_EQ(audit["ok"], true);
  EXPECT_GT(audit["entries"], 5);
  EXPECT_EQ(Kholuu({"show", "no-such-thing"}).exit_code, 2);
}

TEST_F(CliTest, CorruptBlobIsFoundThenRepairedFromTheReplica) {
  auto [doc, sha] = PutDocument(std::string(100000, 'x') + "quyết định", 1);
  PutDocument("second document", 2);
  json sync = KholuuJson({"replica", "sync", dir_.Sub("replica")}, 0);
  EXPECT_EQ(sync["blobs_copied"], 2);
  std::string path = BlobPath(sha);
  ::chmod(path.c_str(), 0644);
  testing::FlipByte(path, 5000);

  json bad = KholuuJson({"fixity"}, 1);
  ASSERT_EQ(bad["failures"].size(), 1u);
  EXPECT_EQ(bad["failures"][0]["sha256"], sha);
  EXPECT_EQ(bad["failures"][0]["problem"], "corrupt");

  json fixed = KholuuJson({"fixity", "--repair"}, 0);  // replica path remembered
  EXPECT_EQ(fixed["failures"][0]["repaired"], true);
  EXPECT_TRUE(KholuuJson({"fixity"}, 0)["failures"].empty());
  EXPECT_EQ(KholuuJson({"audit", "verify"}, 0)["ok"], true);
}

TEST_F(CliTest, GetWritesVerifiedOriginalAndAuditsTheAccess) {
  std::string content = "%PDF-1.7\nbản gốc có chữ ký số\n%%EOF\n";
  auto [doc, sha] = PutDocument(content, 1);
  std::string out = dir_.Sub("out.pdf");
  json j = KholuuJson({"get", doc, "--original", "-o", out}, 0);
  EXPECT_EQ(j["sha256"], sha);
  EXPECT_EQ(testing::ReadTestFile(out), content);
  json log = KholuuJson({"audit", "log", "--limit", "3"}, 0);
  bool audited = false;
  for (const auto& e : log) audited |= e["action"] == "access.get";
  EXPECT_TRUE(audited);
  // No preservation copy exists for a plain file.
  EXPECT_EQ(Kholuu({"get", doc, "--preservation", "-o", dir_.Sub("p.pdf")}).exit_code, 2);
  // A corrupt blob is never handed out.
  std::string path = BlobPath(sha);
  ::chmod(path.c_str(), 0644);
  testing::FlipByte(path, 3);
  RunResult r = Kholuu({"get", doc, "--original", "-o", dir_.Sub("bad.pdf")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_FALSE(PathExists(dir_.Sub("bad.pdf")));
}

TEST_F(CliTest, MissingBlobFailsFixityWithItsName) {
  auto [doc, sha] = PutDocument("a document whose blob will vanish", 1);
  ASSERT_EQ(::unlink(BlobPath(sha).c_str()), 0);
  json bad = KholuuJson({"fixity"}, 1);
  ASSERT_EQ(bad["failures"].size(), 1u);
  EXPECT_EQ(bad["failures"][0]["problem"], "missing");
  RunResult r = Kholuu({"fixity", "--repair"});  // no replica known
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--replica"));
}

TEST_F(CliTest, BackupVerifyRestoreAndShowFromTheRestoredCopy) {
  auto [doc, sha] = PutDocument("%PDF-1.4 văn bản cần sao lưu", 1);
  json b = KholuuJson({"backup", dir_.Sub("bk")}, 0);
  EXPECT_EQ(b["blobs_total"], 1);
  EXPECT_EQ(KholuuJson({"backup", "--verify", dir_.Sub("bk")}, 0)["ok"], true);
  // The manifest is sha256sum-compatible.
  std::string manifest = testing::ReadTestFile(dir_.Sub("bk/MANIFEST-SHA256"));
  EXPECT_THAT(manifest, HasSubstr(sha + "  blobs/sha256/"));
  std::string restored = dir_.Sub("restored");
  json r = KholuuJson({"restore", dir_.Sub("bk")}, 0, restored);
  EXPECT_EQ(r["blobs_copied"], 1);
  json shown = KholuuJson({"show", doc}, 0, restored);
  EXPECT_EQ(shown["subject"], "Kế hoạch triển khai văn bản điện tử số 1");
  EXPECT_EQ(KholuuJson({"fixity"}, 0, restored)["checked"], 1);
  EXPECT_EQ(KholuuJson({"audit", "verify"}, 0, restored)["ok"], true);
}

TEST_F(CliTest, EditedAuditEntryIsNamed) {
  PutDocument("x", 1);
  // Rewrite the actor of entry 3 directly in LMDB, leaving its hash.
  std::string catalog = data_ + "/catalog";
  std::string value = testing::RawGet(catalog, "audit", testing::SeqKey(3));
  size_t at = value.find("system");
  ASSERT_NE(at, std::string::npos);
  value.replace(at, 6, "mallry");
  testing::RawPut(catalog, "audit", testing::SeqKey(3), value);
  json j = KholuuJson({"audit", "verify"}, 1);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["first_bad"], 3);
  EXPECT_EQ(j["entries"], 2);
}

TEST_F(CliTest, OneByteOfASubjectChangedInTheCatalogFileIsNamed) {
  auto [doc, sha] = PutDocument("%PDF-1.7\nKế hoạch số 7\n%%EOF\n", 7);
  PutDocument("another document", 8);
  json clean = KholuuJson({"audit", "verify"}, 0);
  EXPECT_EQ(clean["ok"], true);
  EXPECT_EQ(clean["state"]["ok"], true);
  EXPECT_GT(clean["state"]["rows"].get<int>(), 4);
  // As in the report that filed issue 19: one byte of the subject changed in
  // the catalog file on disk, not through LMDB.
  const std::string file = data_ + "/catalog/data.mdb";
  std::string bytes = testing::ReadTestFile(file);
  const std::string subject = "văn bản điện tử số 7";
  // Every copy: LMDB's copy-on-write leaves stale pages with older versions.
  size_t copies = 0;
  for (size_t at = bytes.find(subject); at != std::string::npos; at = bytes.find(subject, at + 1)) {
    bytes[at + subject.size() - 1] = '9';
    ++copies;
  }
  ASSERT_GE(copies, 1u);
  testing::WriteTestFile(file, bytes);
  EXPECT_THAT(KholuuJson({"show", doc}, 0)["subject"].get<std::string>(), HasSubstr("số 9"));

  json j = KholuuJson({"audit", "verify"}, 1);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["chain_ok"], true);  // the chain itself is intact
  ASSERT_EQ(j["state"]["problems"].size(), 1u);
  EXPECT_EQ(j["state"]["problems"][0]["table"], "document");
  EXPECT_EQ(j["state"]["problems"][0]["key"], doc);
  EXPECT_THAT(j["state"]["problems"][0]["problem"].get<std::string>(), HasSubstr("differs"));
  RunResult text = Kholuu({"audit", "verify"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_THAT(text.out, HasSubstr("document " + doc));
}

TEST_F(CliTest, VerifyChecksOneRecordItsHistoryAndBothCopiesOfItsBlobs) {
  auto [doc, sha] = PutDocument("%PDF-1.7\nQuyết định số 3\n%%EOF\n", 3);
  auto [doc2, sha2] = PutDocument("another document", 4);
  json sync = KholuuJson({"replica", "sync", dir_.Sub("replica")}, 0);
  ASSERT_EQ(sync["blobs_copied"], 2);

  json good = KholuuJson({"verify", doc}, 0);
  EXPECT_EQ(good["ok"], true);
  EXPECT_EQ(good["kind"], "document");
  EXPECT_EQ(good["replica"], true);
  EXPECT_EQ(good["blobs"], 2);  // the original, in the archive and the replica
  EXPECT_GE(good["rows"].get<int>(), 2);  // the document and its component
  json file = KholuuJson({"verify", "000.00.00.H49.2024.01.VP"}, 0);
  EXPECT_EQ(file["kind"], "record_file");
  EXPECT_EQ(file["blobs"], 4);
  EXPECT_EQ(KholuuJson({"verify", "000.00.00.H49.2024.99.VP"}, 2)["error"]["code"], "not_found");

  // The replica's copy damaged: named, the archive's copy still good.
  const std::string replica_blob = dir_.Sub("replica") + "/blobs/sha256/" + sha.substr(0, 2) + "/" +
                                   sha.substr(2, 2) + "/" + sha;
  ::chmod(replica_blob.c_str(), 0644);
  testing::FlipByte(replica_blob, 3);
  json bad = KholuuJson({"verify", doc}, 1);
  EXPECT_EQ(bad["ok"], false);
  std::vector<std::string> failed;
  for (const json& k : bad["checks"]) {
    if (!k["ok"].get<bool>()) failed.push_back(k["what"].get<std::string>() + " " + k["object"].get<std::string>());
  }
  EXPECT_THAT(failed, ::testing::ElementsAre("replica " + sha));
  // The other document is untouched and still verifies.
  EXPECT_EQ(KholuuJson({"verify", doc2}, 0)["ok"], true);

  // The document's row altered in the catalog: its state is named.
  const std::string catalog = data_ + "/catalog";
  std::string row = testing::RawGet(catalog, "documents", doc);
  ASSERT_FALSE(row.empty());
  const size_t at = row.find("số 3");
  ASSERT_NE(at, std::string::npos);
  row[at + std::string("số ").size()] = '8';
  testing::RawPut(catalog, "documents", doc, row);
  json altered = KholuuJson({"verify", doc}, 1);
  bool state_named = false;
  for (const json& k : altered["checks"]) {
    if (k["what"] == "state" && k["object"] == "document " + doc && !k["ok"].get<bool>()) state_named = true;
  }
  EXPECT_TRUE(state_named) << altered.dump();
  RunResult text = Kholuu({"verify", doc});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_THAT(text.out, HasSubstr("state document " + doc));

  // The other document's component hidden from its index (what `show`
  // lists): verify names the index and still re-hashes the hidden blob.
  ASSERT_FALSE(testing::RawGet(catalog, "idx_comp_doc", doc2).empty());
  testing::RawPut(catalog, "idx_comp_doc", doc2, "");
  json hidden = KholuuJson({"verify", doc2}, 1);
  std::vector<std::string> what;
  for (const json& k : hidden["checks"]) {
    what.push_back(k["what"].get<std::string>() + (k["ok"].get<bool>() ? " ok" : " failed"));
  }
  EXPECT_THAT(what, ::testing::UnorderedElementsAre("index failed", "blob ok", "replica ok")) << hidden.dump();
  EXPECT_EQ(hidden["blobs"], 2);
}

TEST_F(CliTest, PutIsBoundedAndRefusesDevicesAndOversizedFiles) {
  const std::vector<std::string> meta = {"--file-code", "000.00.00.H49.2024.01.VP", "--subject", "s",
                                         "--issued", "2024-01-15", "--organ-name", "Ủy ban nhân dân tỉnh"};
  auto put = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "put");
    args.insert(args.end(), meta.begin(), meta.end());
    return Kholuu(args);
  };
  // The report that filed issue 19: this never ended.
  RunResult zero = put({"/dev/zero"});
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_THAT(zero.err, HasSubstr("/dev/zero is not a regular file"));
  RunResult dir = put({dir_.path()});
  EXPECT_EQ(dir.exit_code, 2);
  const std::string file = dir_.Sub("quyết-định.pdf");
  testing::WriteTestFile(file, std::string(5000, 'q'));
  RunResult big = put({file, "--max-bytes", "4999"});
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_THAT(big.err, HasSubstr(file + " is 5000 bytes, larger than the limit of 4999 bytes"));
  // Nothing was kept.
  json stats = KholuuJson({"stats"}, 0);
  EXPECT_EQ(stats["documents"], 0);
  EXPECT_EQ(KholuuJson({"fixity"}, 0)["checked"], 0);
  EXPECT_EQ(put({file, "--max-bytes", "5000"}).exit_code, 0);
  EXPECT_EQ(KholuuJson({"stats"}, 0)["documents"], 1);
}

TEST_F(CliTest, DirectoryThatIsNotAnArchive) {
  std::string other = dir_.Sub("other");
  ASSERT_OK(CreateDirs(other));
  testing::WriteTestFile(other + "/notes.txt", "not an archive");
  for (const char* cmd : {"fixity", "show", "stats"}) {
    std::vector<std::string> args = {cmd};
    if (std::string(cmd) == "show") args.push_back("x");
    RunResult r = Kholuu(args, other);
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_THAT(r.err, HasSubstr("is not a kholuu archive")) << cmd;
  }
  RunResult r = Kholuu({"stats"}, dir_.Sub("does-not-exist"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("does not exist"));
  EXPECT_EQ(Kholuu({"init"}, other).exit_code, 2);  // not empty
  EXPECT_EQ(testing::ReadTestFile(other + "/notes.txt"), "not an archive");
}

TEST_F(CliTest, NewerSchemaIsRefusedWithoutChanges) {
  testing::RawPut(data_ + "/catalog", "meta", "schema_version", "7");
  std::string before = testing::ReadTestFile(data_ + "/catalog/data.mdb");
  RunResult r = Kholuu({"fixity"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("newer than this kholuu"));
  EXPECT_EQ(testing::ReadTestFile(data_ + "/catalog/data.mdb"), before);
}

TEST_F(CliTest, TruncatedCatalogIsAClearErrorNotACrash) {
  PutDocument("content", 1);
  std::string file = data_ + "/catalog/data.mdb";
  off_t size = static_cast<off_t>(testing::ReadTestFile(file).size());
  ASSERT_EQ(::truncate(file.c_str(), size / 3), 0);
  for (const char* cmd : {"fixity", "stats"}) {
    RunResult r = Kholuu({cmd});
    EXPECT_EQ(r.signal, 0) << cmd << " crashed";
    EXPECT_EQ(r.exit_code, 1) << cmd << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr("truncated")) << cmd;
  }
}

TEST_F(CliTest, ReadOnlyDirectoryRefusesWritesAndChangesNothing) {
  PutDocument("content", 1);
  uint64_t before = AuditEntries();
  // Root ignores permissions, so the writer runs as nobody; the archive stays
  // owned by the test user. The tree must be traversable for nobody.
  for (const std::string& p : {dir_.path(), data_, data_ + "/catalog", data_ + "/blobs"}) {
    ::chmod(p.c_str(), 0755);
  }
  std::string file = dir_.Sub("new.pdf");
  testing::WriteTestFile(file, "new document");
  ::chmod(file.c_str(), 0644);
  testing::RunOptions as_nobody;
  as_nobody.before_exec = [] {
    if (::geteuid() == 0) {
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(99);
    } else {
      ::_exit(98);  // not root: chmod instead (below)
    }
  };
  bool root = ::geteuid() == 0;
  if (root) {
    // The build tree may sit below a directory nobody cannot enter (a
    // mktemp -d clone is 0700): run a copy of the binary from the test dir.
    std::string copy = dir_.Sub("kholuu-bin");
    testing::WriteTestFile(copy, testing::ReadTestFile(testing::BinDir() + "/kholuu"));
    ASSERT_EQ(::chmod(copy.c_str(), 0755), 0);
    binary_ = copy;
  }
  if (!root) {
    ::chmod((data_ + "/catalog").c_str(), 0555);
    ::chmod((data_ + "/blobs").c_str(), 0555);
  }
  RunResult r = root ? Kholuu({"put", file, "--file-code", "000.00.00.H49.2024.01.VP",
                               "--subject", "x", "--issued", "2024-01-01", "--organ-name", "y", "--lang", "vi"},
                              "", as_nobody)
                     : Kholuu({"put", file, "--file-code", "000.00.00.H49.2024.01.VP",
                               "--subject", "x", "--issued", "2024-01-01", "--organ-name", "y", "--lang", "vi"});
  binary_.clear();
  EXPECT_EQ(r.exit_code, 2) << r.err;
  // Vietnamese by default (docs/cli.md): the lead and strerror's text translated.
  EXPECT_THAT(r.err, HasSubstr("Không có quyền truy cập: "));
  EXPECT_THAT(r.err, HasSubstr(": không có quyền truy cập"));
  if (!root) {
    ::chmod((data_ + "/catalog").c_str(), 0755);
    ::chmod((data_ + "/blobs").c_str(), 0755);
  }
  EXPECT_EQ(AuditEntries(), before);
  EXPECT_EQ(KholuuJson({"stats"}, 0)["documents"], 1);
}

TEST_F(CliTest, FullDiskLeavesTheArchiveUnchanged) {
  PutDocument("first", 1);
  uint64_t before = AuditEntries();
  std::string big = dir_.Sub("big.pdf");
  testing::WriteTestFile(big, std::string(3 << 20, 'z'));
  testing::RunOptions limited;
  limited.before_exec = [] {
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit lim{1 << 20, 1 << 20};  // files may not grow past 1 MiB
    ::setrlimit(RLIMIT_FSIZE, &lim);
  };
  RunResult r = Kholuu({"put", big, "--file-code", "000.00.00.H49.2024.01.VP", "--subject",
                        "lớn", "--issued", "2024-01-01", "--organ-name", "y", "--lang", "vi"},
                       "", limited);
  EXPECT_EQ(r.signal, 0);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr(": tệp quá lớn"));  // EFBIG, "File too large"
  EXPECT_EQ(AuditEntries(), before);
  EXPECT_EQ(KholuuJson({"stats"}, 0)["documents"], 1);
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> tmp, ListDir(data_ + "/blobs/tmp"));
  EXPECT_TRUE(tmp.empty());
  EXPECT_EQ(KholuuJson({"fixity"}, 0)["checked"], 1);
}

}  // namespace
}  // namespace kholuu
