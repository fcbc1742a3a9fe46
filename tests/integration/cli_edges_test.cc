// The command line a Vietnamese archivist would expect (issue 19): messages
// in Vietnamese by default and English by flag or locale, exit statuses per
// the contract, the nearest commands for a mistyped one, Vietnamese paths
// printed intact, search text without markup and with honest counts,
// impossible dates refused, `-o -`, no overwrite without --force, progress
// on stderr, raw library errors explained. Real `kholuu` processes, real
// archives in temporary directories.
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "tests/support/fixtures.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::RunResult;
using ::kholuu::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using nlohmann::json;

// A neutral locale, so that the tests do not depend on the caller's.
const std::vector<std::string> kNoLocale = {"LC_ALL=", "LC_MESSAGES=", "LANG="};

class CliEdgesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.Sub("data");
    RunResult r = Kholuu({"init"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Runs kholuu with --data and the given extra environment (after the
  // neutral locale).
  RunResult Kholuu(std::vector<std::string> args, std::vector<std::string> env = {}) {
    std::vector<std::string> argv = {testing::BinDir() + "/kholuu"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--data");
    argv.push_back(data_);
    testing::RunOptions options;
    options.env = kNoLocale;
    options.env.insert(options.env.end(), env.begin(), env.end());
    return testing::Run(argv, options);
  }

  std::string PutDocument(const std::string& content, const std::string& subject, int n) {
    std::string file = dir_.Sub("doc-" + std::to_string(n) + ".pdf");
    testing::WriteTestFile(file, content);
    RunResult r = Kholuu({"put", file, "--file-code", "000.00.00.H49.2024.01.VP", "--title", "Hồ sơ thử",
                          "--subject", subject, "--issued", "2024-01-15", "--organ-name", "Ủy ban nhân dân tỉnh",
                          "--number", std::to_string(n), "--notation", "KH-UBND", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    json j = json::parse(r.out, nullptr, false);
    return j.is_discarded() ? "" : j.value("document", "");
  }

  TempDir dir_;
  std::string data_;
};

// --- 1. language -------------------------------------------------------------

TEST_F(CliEdgesTest, VietnameseByDefaultEnglishByFlagOrLocale) {
  RunResult vi = Kholuu({"show", "no-such-record"});
  EXPECT_EQ(vi.exit_code, 2);
  EXPECT_THAT(vi.err, HasSubstr("Không tìm thấy: "));

  RunResult en = Kholuu({"show", "no-such-record", "--lang", "en"});
  EXPECT_EQ(en.exit_code, 2);
  EXPECT_THAT(en.err, Not(HasSubstr("Không tìm thấy")));
  EXPECT_THAT(en.err, HasSubstr("no-such-record"));
  EXPECT_EQ(Kholuu({"--lang=en", "show", "no-such-record"}).err, en.err);

  // The locale: LC_ALL > LC_MESSAGES > LANG; "en..." is English, C/POSIX/vi Vietnamese.
  EXPECT_EQ(Kholuu({"show", "no-such-record"}, {"LANG=en_US.UTF-8"}).err, en.err);
  EXPECT_EQ(Kholuu({"show", "no-such-record"}, {"LC_MESSAGES=en_GB.UTF-8", "LANG=vi_VN.UTF-8"}).err, en.err);
  EXPECT_EQ(Kholuu({"show", "no-such-record"}, {"LC_ALL=vi_VN.UTF-8", "LC_MESSAGES=en_US.UTF-8"}).err, vi.err);
  EXPECT_EQ(Kholuu({"show", "no-such-record"}, {"LC_ALL=C", "LANG=en_US.UTF-8"}).err, vi.err);
  EXPECT_EQ(Kholuu({"show", "no-such-record"}, {"LANG=POSIX"}).err, vi.err);
  // The flag wins over the locale.
  EXPECT_EQ(Kholuu({"show", "no-such-record", "--lang", "vi"}, {"LC_ALL=en_US.UTF-8"}).err, vi.err);
  EXPECT_EQ(Kholuu({"show", "no-such-record", "--lang", "en"}, {"LC_ALL=vi_VN.UTF-8"}).err, en.err);

  RunResult bad = Kholuu({"stats", "--lang", "fr"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--lang"));
  EXPECT_THAT(bad.err, HasSubstr("'fr'"));
}

TEST_F(CliEdgesTest, AnchorTextsInBothLanguages) {
  EXPECT_THAT(Kholuu({"anchor", "list"}).out, HasSubstr("chưa có mốc neo nào"));
  EXPECT_THAT(Kholuu({"anchor", "list", "--lang", "en"}).out, HasSubstr("no anchors yet"));
  EXPECT_THAT(Kholuu({"audit", "verify"}).out, HasSubstr("chưa có mốc neo"));
  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  PutDocument("%PDF-1.7\nmột\n%%EOF\n", "Kế hoạch số 1", 1);
  RunResult made = Kholuu({"anchor", "make"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("mốc neo của "));
  EXPECT_THAT(made.out, HasSubstr("đã niêm phong, chưa gắn dấu thời gian"));
  EXPECT_THAT(Kholuu({"anchor", "list", "--lang", "en"}).out, HasSubstr("sealed, not timestamped"));
  RunResult vi = Kholuu({"audit", "verify"});
  EXPECT_EQ(vi.exit_code, 0) << vi.out;
  EXPECT_THAT(vi.out, HasSubstr("1 mốc neo: tất cả hợp lệ"));
  EXPECT_THAT(Kholuu({"audit", "verify", "--lang", "en"}).out, HasSubstr("1 anchors: all hold"));
}

TEST_F(CliEdgesTest, HumanTextIsTranslatedJsonIsNot) {
  PutDocument("%PDF-1.7\nmột\n%%EOF\n", "Kế hoạch số 1", 1);
  RunResult vi = Kholuu({"fixity"});
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_THAT(vi.out, HasSubstr("đã kiểm tra 1 khối dữ liệu"));
  RunResult en = Kholuu({"fixity", "--lang", "en"});
  EXPECT_THAT(en.out, HasSubstr("checked 1 blobs"));

  RunResult audit_vi = Kholuu({"audit", "verify"});
  EXPECT_THAT(audit_vi.out, HasSubstr("chuỗi nguyên vẹn"));
  // JSON: the same keys and machine values whatever the language.
  json a = json::parse(Kholuu({"stats", "--json"}).out);
  json b = json::parse(Kholuu({"stats", "--json", "--lang", "en"}).out);
  EXPECT_EQ(a, b);
  RunResult err_vi = Kholuu({"show", "nothing-here", "--json"});
  RunResult err_en = Kholuu({"show", "nothing-here", "--json", "--lang", "en"});
  EXPECT_EQ(err_vi.out, err_en.out);
  EXPECT_EQ(json::parse(err_vi.out)["error"]["code"], "not_found");
}

// --- 2. exit statuses ----------------------------------------------------------

TEST_F(CliEdgesTest, DirectoryOrMissingFileIsAUsageError) {
  const std::string folder = dir_.Sub("a-folder");
  ASSERT_OK(CreateDirs(folder));
  const std::string missing = dir_.Sub("missing.pdf");
  for (const std::string& path : {folder, missing}) {
    for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
             {"pdfa", "validate", path},
             {"sig", "verify", path},
             {"text", path},
             {"edxml", "inspect", path},
             {"seal", "pdf", path, "-o", dir_.Sub("sealed.pdf")},
             {"put", path, "--file-code", "000.00.00.H49.2024.01.VP", "--subject", "x", "--issued",
              "2024-01-01", "--organ-name", "y"}}) {
      RunResult r = Kholuu(args);
      EXPECT_EQ(r.exit_code, 2) << args[0] << " " << path << ": " << r.err;
      EXPECT_EQ(r.signal, 0);
    }
  }
}

// --- 3. mistyped commands --------------------------------------------------------

TEST_F(CliEdgesTest, MistypedCommandNamesTheNearestOnes) {
  RunResult en = Kholuu({"serach", "quyết định", "--lang", "en"});
  EXPECT_EQ(en.exit_code, 2);
  EXPECT_THAT(en.err, HasSubstr("unknown command 'serach'"));
  EXPECT_THAT(en.err, HasSubstr("did you mean: search"));
  RunResult vi = Kholuu({"serach", "quyết định"});
  EXPECT_EQ(vi.exit_code, 2);
  EXPECT_THAT(vi.err, HasSubstr("không có lệnh 'serach'"));
  EXPECT_THAT(vi.err, HasSubstr("có phải ý bạn là: search"));
  // Below the first level too, and with options before the command.
  RunResult sub = Kholuu({"--json", "audit", "verfy", "--lang", "en"});
  EXPECT_EQ(sub.exit_code, 2);
  EXPECT_THAT(sub.err, HasSubstr("did you mean: audit verify"));
  // Nothing near: no guess, a pointer to the help.
  RunResult far = Kholuu({"zzzzzzzz", "--lang", "en"});
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_THAT(far.err, Not(HasSubstr("did you mean")));
  EXPECT_THAT(far.err, HasSubstr("kholuu --help"));
}

// --- 4. Vietnamese paths ----------------------------------------------------------

TEST_F(CliEdgesTest, VietnamesePathsArePrintedIntact) {
  const std::string folder = dir_.Sub("Hồ sơ lưu trữ");
  ASSERT_OK(CreateDirs(folder));
  // A .docx name on content no converter knows: the converter's refusal
  // quotes the name the caller gave (it used to turn each byte of a
  // Vietnamese letter into a space).
  const std::string file = folder + "/tài liệu.docx";
  testing::WriteTestFile(file, "\x01\x02\x03 không phải tài liệu văn phòng \x04\x05");
  for (std::string lang : {"vi", "en"}) {
    RunResult r = Kholuu({"convert", file, "-o", dir_.Sub("out.pdf"), "--lang", lang});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr("'" + file + "'")) << lang;
    EXPECT_THAT(r.err, Not(HasSubstr("t  i li"))) << lang;
  }
  const std::string pdf = folder + "/tài liệu.pdf";
  RunResult missing = Kholuu({"pdfa", "validate", pdf});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr(pdf));
}

// --- 5. search on a terminal --------------------------------------------------------

TEST_F(CliEdgesTest, SearchTextHasNoMarkupAndHonestCounts) {
  PutDocument("%PDF-1.7\n%%EOF\n", "Quyết định về việc <tuyển dụng> & bổ nhiệm", 1);
  PutDocument("%PDF-1.7\n%%EOF\n", "Quyết định về kế hoạch tuyển dụng năm 2024", 2);
  PutDocument("%PDF-1.7\n%%EOF\n", "Báo cáo tổng kết công tác", 3);
  ASSERT_EQ(Kholuu({"reindex"}).exit_code, 0);

  RunResult j = Kholuu({"search", "tuyển dụng", "--json"});
  ASSERT_EQ(j.exit_code, 0) << j.err;
  json parsed = json::parse(j.out);
  ASSERT_EQ(parsed["hits"].size(), 2u);
  // The JSON snippet keeps the index's markup (the contract), the text has none.
  EXPECT_THAT(j.out, HasSubstr("<mark>"));

  RunResult vi = Kholuu({"search", "tuyển dụng"});
  ASSERT_EQ(vi.exit_code, 0) << vi.err;
  EXPECT_THAT(vi.out, HasSubstr("2 kết quả"));
  EXPECT_THAT(vi.out, Not(HasSubstr("khoảng")));
  EXPECT_THAT(vi.out, Not(HasSubstr("<mark>")));
  EXPECT_THAT(vi.out, Not(HasSubstr("&lt;")));
  EXPECT_THAT(vi.out, Not(HasSubstr("&amp;")));
  EXPECT_THAT(vi.out, Not(HasSubstr("\033[")));  // stdout is not a terminal
  EXPECT_THAT(vi.out, HasSubstr("<tuyển dụng> & bổ nhiệm"));

  RunResult all = Kholuu({"search", "tuyển dụng", "--lang", "en"});
  EXPECT_THAT(all.out, ::testing::StartsWith("2 results\n"));
  // One hit per page: the count is Xapian's, "about" unless it is exact.
  json page = json::parse(Kholuu({"search", "tuyển dụng", "--limit", "1", "--json"}).out);
  ASSERT_EQ(page["hits"].size(), 1u);
  const std::string n = std::to_string(page["total_estimate"].get<uint64_t>());
  RunResult en = Kholuu({"search", "tuyển dụng", "--limit", "1", "--lang", "en"});
  RunResult vi_page = Kholuu({"search", "tuyển dụng", "--limit", "1"});
  if (page["total_exact"].get<bool>()) {
    EXPECT_THAT(en.out, ::testing::StartsWith(n + " results\n"));
  } else {
    EXPECT_THAT(en.out, ::testing::StartsWith("about " + n + " results\n"));
    EXPECT_THAT(vi_page.out, ::testing::StartsWith("khoảng " + n + " kết quả\n"));
  }
  // The second page ends the matches: its count is exact.
  RunResult last = Kholuu({"search", "tuyển dụng", "--limit", "5", "--offset", "1", "--lang", "en"});
  EXPECT_THAT(last.out, ::testing::StartsWith("2 results\n"));
  RunResult none = Kholuu({"search", "không có từ này xyzzy", "--lang", "en"});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_THAT(none.out, HasSubstr("no results"));
}

// --- 6. impossible dates --------------------------------------------------------------

TEST_F(CliEdgesTest, ImpossibleDateIsAUsageErrorNamingTheValue) {
  for (std::string date : {"2024-02-30", "2024-13-01", "2023-02-29", "24-01-01"}) {
    for (const char* option : {"--from", "--to"}) {
      RunResult r = Kholuu({"search", "x", option, date, "--lang", "en"});
      EXPECT_EQ(r.exit_code, 2) << option << " " << date;
      EXPECT_THAT(r.err, HasSubstr("'" + date + "'"));
      EXPECT_THAT(r.err, HasSubstr(option));
    }
    std::string file = dir_.Sub("d.pdf");
    testing::WriteTestFile(file, "%PDF-1.7\n%%EOF\n");
    RunResult put = Kholuu({"put", file, "--file-code", "000.00.00.H49.2024.01.VP", "--subject", "x", "--issued",
                            date, "--organ-name", "y"});
    EXPECT_EQ(put.exit_code, 2) << date;
    EXPECT_THAT(put.err, HasSubstr("ngày không hợp lệ '" + date + "'"));
  }
  ASSERT_EQ(Kholuu({"reindex"}).exit_code, 0);
  EXPECT_EQ(Kholuu({"search", "x", "--from", "2024-02-29", "--to", "2024-12-31"}).exit_code, 0);
}

// --- 7 and 8. -o - and --force ----------------------------------------------------------

TEST_F(CliEdgesTest, DashWritesToStdoutAndNothingElse) {
  const std::string content = "%PDF-1.7\nbản gốc có chữ ký số\n%%EOF\n";
  std::string doc = PutDocument(content, "Văn bản gốc", 1);
  RunResult r = Kholuu({"get", doc, "--original", "-o", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, content);
  EXPECT_THAT(r.err, HasSubstr("sha256"));  // the summary went to stderr
  RunResult quiet = Kholuu({"get", doc, "--original", "-o", "-", "--quiet"});
  EXPECT_EQ(quiet.out, content);
  EXPECT_EQ(quiet.err, "");
  // Both would want stdout.
  RunResult both = Kholuu({"get", doc, "--original", "-o", "-", "--json"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(json::parse(both.out)["error"]["code"], "invalid_argument");
}

TEST_F(CliEdgesTest, ExistingOutputIsKeptWithoutForce) {
  const std::string content = "%PDF-1.7\nnội dung\n%%EOF\n";
  std::string doc = PutDocument(content, "Văn bản", 1);
  const std::string out = dir_.Sub("đã có.pdf");
  testing::WriteTestFile(out, "older file");
  RunResult r = Kholuu({"get", doc, "--original", "-o", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(out + " đã tồn tại; dùng --force để ghi đè"));
  EXPECT_EQ(testing::ReadTestFile(out), "older file");
  RunResult en = Kholuu({"get", doc, "--original", "-o", out, "--lang", "en"});
  EXPECT_THAT(en.err, HasSubstr("use --force"));

  RunResult forced = Kholuu({"get", doc, "--original", "-o", out, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(testing::ReadTestFile(out), content);
  // A directory is never an output file.
  RunResult dir = Kholuu({"get", doc, "--original", "-o", dir_.path(), "--force"});
  EXPECT_EQ(dir.exit_code, 2);

  // The same rule for the other -o commands.
  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  const std::string input = dir_.Sub("in.pdf");
  testing::WriteTestFile(input, testing::TextLayerPdf({"Van ban"}));
  const std::string sealed = dir_.Sub("sealed.pdf");
  testing::WriteTestFile(sealed, "keep me");
  EXPECT_EQ(Kholuu({"seal", "pdf", input, "-o", sealed}).exit_code, 2);
  EXPECT_EQ(testing::ReadTestFile(sealed), "keep me");
  RunResult s = Kholuu({"seal", "pdf", input, "-o", sealed, "--force"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(testing::ReadTestFile(sealed).substr(0, 5), "%PDF-");
  RunResult to_stdout = Kholuu({"seal", "pdf", input, "-o", "-"});
  ASSERT_EQ(to_stdout.exit_code, 0) << to_stdout.err;
  EXPECT_EQ(to_stdout.out.substr(0, 5), "%PDF-");
  EXPECT_NE(to_stdout.out.find("/ByteRange"), std::string::npos);

  // convert: the PDF/A copy to stdout, the summary to stderr; an existing
  // output kept without --force.
  const std::string copy = dir_.Sub("copy.pdf");
  testing::WriteTestFile(copy, "keep me too");
  EXPECT_EQ(Kholuu({"convert", input, "--to", "pdfa-2b", "-o", copy}).exit_code, 2);
  EXPECT_EQ(testing::ReadTestFile(copy), "keep me too");
  RunResult converted = Kholuu({"convert", input, "--to", "pdfa-2b", "-o", "-"});
  ASSERT_EQ(converted.exit_code, 0) << converted.err;
  EXPECT_EQ(converted.out.substr(0, 5), "%PDF-");
  EXPECT_NE(converted.out.find("pdfaid"), std::string::npos);  // the PDF/A identification
  EXPECT_THAT(converted.err, Not(HasSubstr("%PDF-")));
}

// --- 9. progress -----------------------------------------------------------------------

TEST_F(CliEdgesTest, ProgressOnStderrOnlyWhenAskedAndNeverInJson) {
  PutDocument("%PDF-1.7\nmột\n%%EOF\n", "Một", 1);
  PutDocument("%PDF-1.7\nhai\n%%EOF\n", "Hai", 2);
  RunResult plain = Kholuu({"fixity"});  // stderr is a pipe: no progress
  EXPECT_EQ(plain.err, "");
  RunResult p = Kholuu({"fixity", "--progress", "--json"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_THAT(p.err, HasSubstr("kiểm tra toàn vẹn: 2/2 khối dữ liệu ("));
  EXPECT_THAT(p.err, HasSubstr("/giây)"));
  EXPECT_FALSE(json::parse(p.out, nullptr, false).is_discarded()) << p.out;
  EXPECT_THAT(p.out, Not(HasSubstr("2/2")));
  RunResult quiet = Kholuu({"fixity", "--progress", "--quiet"});
  EXPECT_THAT(quiet.err, Not(HasSubstr("2/2")));

  RunResult ri = Kholuu({"reindex", "--progress", "--lang", "en"});
  ASSERT_EQ(ri.exit_code, 0) << ri.err;
  EXPECT_THAT(ri.err, HasSubstr("indexing: 2/2 documents ("));
  EXPECT_THAT(ri.err, HasSubstr("/s)"));

  RunResult backup = Kholuu({"backup", dir_.Sub("backup"), "--progress"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.err, HasSubstr("sao lưu: 2/2 khối dữ liệu ("));
  EXPECT_THAT(backup.out, Not(HasSubstr("/giây)")));  // the progress line is not on stdout
  RunResult replica = Kholuu({"replica", "sync", dir_.Sub("replica"), "--progress", "--lang", "en"});
  ASSERT_EQ(replica.exit_code, 0) << replica.err;
  EXPECT_THAT(replica.err, HasSubstr("replica sync: 2/2 blobs ("));
  testing::RunOptions o;
  o.env = kNoLocale;
  RunResult restore = testing::Run(
      {testing::BinDir() + "/kholuu", "restore", dir_.Sub("backup"), "--data", dir_.Sub("restored"), "--progress"}, o);
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  EXPECT_THAT(restore.err, HasSubstr("khôi phục: 2/2 khối dữ liệu ("));
}

// --- 10. raw library errors --------------------------------------------------------------

TEST_F(CliEdgesTest, RawLibraryErrorsAreExplainedAndLogged) {
  const std::string notpdf = dir_.Sub("giấy tờ.pdf");
  testing::WriteTestFile(notpdf, "PK\x03\x04 this is a zip, not a PDF");
  RunResult r = Kholuu({"sig", "verify", notpdf});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(notpdf + ": tệp không phải là PDF"));
  // The original stays in the log line.
  EXPECT_THAT(r.err, HasSubstr("cli.error"));
  EXPECT_THAT(r.err, HasSubstr("no %PDF- header"));

  // poppler's "Syntax Error: Couldn't read xref table" from pdfinfo.
  const std::string damaged = dir_.Sub("hỏng.pdf");
  testing::WriteTestFile(damaged, "%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\nstartxref\n99999\n%%EOF\n");
  RunResult dmg = Kholuu({"text", damaged});
  EXPECT_EQ(dmg.exit_code, 2);
  EXPECT_THAT(dmg.err, HasSubstr(damaged + ": tệp PDF bị hỏng"));
  EXPECT_THAT(dmg.err, HasSubstr("Couldn't read xref table"));  // the log line

  const std::string garbage = dir_.Sub("khóa.pem");
  testing::WriteTestFile(garbage, "not a key at all\n");
  RunResult key = Kholuu({"seal", "init", "--key", garbage, "--cert", garbage, "--lang", "en"});
  EXPECT_EQ(key.exit_code, 2);
  EXPECT_THAT(key.err, HasSubstr("the certificate or key cannot be read"));

  ASSERT_EQ(Kholuu({"seal", "init"}).exit_code, 0);
  const std::string encrypted = dir_.Sub("mật.pdf");
  testing::WriteTestFile(encrypted, testing::TextLayerPdf({"mat"}, "/Encrypt << /Filter /Standard /V 1 /R 2 >> "));
  RunResult enc = Kholuu({"seal", "pdf", encrypted, "-o", dir_.Sub("enc-out.pdf")});
  EXPECT_EQ(enc.exit_code, 2);
  EXPECT_THAT(enc.err, HasSubstr(encrypted + ": tệp PDF được mã hóa"));
  EXPECT_THAT(enc.err, HasSubstr("the PDF is encrypted"));  // in the log line

  // A TSA that does not answer.
  ASSERT_EQ(Kholuu({"seal", "tsa", "http://127.0.0.1:1/tsa"}).exit_code, 0);
  const std::string input = dir_.Sub("in.pdf");
  testing::WriteTestFile(input, testing::TextLayerPdf({"Van ban"}));
  RunResult tsa = Kholuu({"seal", "pdf", input, "-o", dir_.Sub("t.pdf")});
  EXPECT_EQ(tsa.exit_code, 2) << tsa.err;
  EXPECT_THAT(tsa.err, HasSubstr("không kết nối được máy chủ cấp dấu thời gian"));
}

}  // namespace
}  // namespace kholuu
