// Crash safety of ingest with real processes (issue 17, "Crash test"): a
// batch of packages — sidecar pairs with small text and PDF files, METS zips
// (formats/package), BagIt bags (formats/bagit), and bad ones (checksum
// mismatch, missing file, unusable metadata, a bag with a damaged payload),
// and some packages sent twice under two names (the same bytes) — is given to `kholuu ingest --workers 2 --json`, which is killed with SIGKILL
// at random moments in many runs. Every restart recovers (abandons the
// interrupted jobs, removes the staging). At the end the batch is run to
// completion, then once more, and:
//   - every good package is archived exactly once (one accepted job per
//     package digest; each of its documents once, counted per distinct
//     subject; no original stored twice), every bad one refused with its
//     problem code;
//   - `kholuu fixity --all` and `kholuu audit verify` pass;
//   - after `kholuu reindex --outbox` the index holds exactly the archived
//     documents (document count, a query matching every document, and each
//     subject found with and without diacritics);
//   - nothing is left in <data>/spool but LOCK; no job is still "received".
//
// Size and replay (docs/crash-tests.md): KHOLUU_CRASH_PACKAGES (default 200),
// KHOLUU_CRASH_KILLS (default 30), KHOLUU_CRASH_SEED (default random; printed).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "formats/bagit/bag.h"
#include "formats/package/mets_package.h"
#include "indexer/index.h"
#include "tests/formats/package/archive_writer.h"
#include "tests/support/status_matchers.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace kholuu {
namespace {

using ::kholuu::testing::ReadTestFile;
using ::kholuu::testing::RunResult;
using ::kholuu::testing::TempDir;
using ::kholuu::testing::WriteTestFile;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr char kOrgan[] = "000.00.00.H49";
constexpr char kOrganName[] = "Ủy ban nhân dân tỉnh Quảng Ninh";

size_t EnvSize(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? static_cast<size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

// ------------------------------------------------------------ Vietnamese text

const std::vector<std::string> kTopics = {
    "Quyết định phê duyệt kế hoạch bảo quản tài liệu lưu trữ",
    "Công văn hướng dẫn chỉnh lý hồ sơ điện tử",
    "Báo cáo kết quả số hóa tài liệu giấy",
    "Kế hoạch thu thập hồ sơ vào lưu trữ lịch sử",
    "Thông báo lịch tiếp nhận văn bản điện tử",
    "Tờ trình phê duyệt danh mục hồ sơ nộp lưu",
    "Biên bản kiểm tra an toàn kho lưu trữ chuyên dụng",
    "Quyết định thành lập hội đồng xác định giá trị tài liệu",
};
const std::vector<std::string> kPlaces = {
    "tỉnh Quảng Ninh", "thành phố Hải Phòng", "tỉnh Nghệ An",  "thành phố Đà Nẵng",
    "tỉnh Đắk Lắk",    "thành phố Cần Thơ",   "tỉnh Lào Cai", "tỉnh Bình Định",
};

// A distinct subject for document `d` of package `i`; every one contains
// "đợt", the word of the match-all query.
std::string Subject(size_t i, int d) {
  std::string s = kTopics[i % kTopics.size()] + " của " + kPlaces[(i / kTopics.size()) % kPlaces.size()] +
                  " đợt " + std::to_string(i + 1);
  if (d > 0) s += " văn bản " + std::to_string(d);
  return s;
}

// Vietnamese without its diacritics (đ -> d), as a user types on a keyboard
// without a Vietnamese input method.
std::string Fold(const std::string& s) {
  static const std::vector<std::pair<char, std::string>> kGroups = {
      {'a', "àáảãạăằắẳẵặâầấẩẫậ"}, {'e', "èéẻẽẹêềếểễệ"}, {'i', "ìíỉĩị"},
      {'o', "òóỏõọôồốổỗộơờớởỡợ"}, {'u', "ùúủũụưừứửữự"}, {'y', "ỳýỷỹỵ"},
      {'d', "đ"},
      {'A', "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"}, {'E', "ÈÉẺẼẸÊỀẾỂỄỆ"}, {'I', "ÌÍỈĨỊ"},
      {'O', "ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"}, {'U', "ÙÚỦŨỤƯỪỨỬỮỰ"}, {'Y', "ỲÝỶỸỴ"},
      {'D', "Đ"},
  };
  auto length = [](unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; };
  std::map<std::string, char> table;
  for (const auto& [base, letters] : kGroups) {
    for (size_t k = 0; k < letters.size();) {
      const size_t n = static_cast<size_t>(length(static_cast<unsigned char>(letters[k])));
      table[letters.substr(k, n)] = base;
      k += n;
    }
  }
  std::string out;
  for (size_t k = 0; k < s.size();) {
    const size_t n = static_cast<size_t>(length(static_cast<unsigned char>(s[k])));
    const std::string ch = s.substr(k, n);
    auto it = table.find(ch);
    out += it == table.end() ? ch : std::string(1, it->second);
    k += n;
  }
  return out;
}

// --------------------------------------------------------------- the batch

// A one-page PDF with a Helvetica text line (ASCII), complete with its
// cross-reference table: pdftotext reads it, Ghostscript converts it.
std::string TextPdf(const std::string& line) {
  const std::string content = "BT /F1 14 Tf 72 760 Td (" + line + ") Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
      "/Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
  };
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t k = 0; k < objects.size(); ++k) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(k + 1) + " 0 obj\n" + objects[k] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string TextFile(const std::string& subject) {
  return subject +
         "\n\nTài liệu lưu trữ điện tử phải được bảo quản an toàn, bảo đảm tính toàn vẹn, xác thực và khả "
         "năng truy cập lâu dài.\n";
}

enum class Kind { kText, kPdf, kMets, kBag, kBadChecksum, kBadMissing, kBadMetadata, kBadBag };

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kText: return "sidecar-text";
    case Kind::kPdf: return "sidecar-pdf";
    case Kind::kMets: return "mets-zip";
    case Kind::kBag: return "bagit";
    case Kind::kBadChecksum: return "bad-checksum";
    case Kind::kBadMissing: return "bad-missing";
    case Kind::kBadMetadata: return "bad-metadata";
    case Kind::kBadBag: return "bad-bag";
  }
  return "?";
}

struct Pkg {
  std::string path;
  Kind kind = Kind::kText;
  bool good = true;
  std::string expected_code;          // bad: the refusal's problem code
  std::vector<std::string> subjects;  // good: its documents' subjects
  // The packages of one group have the same bytes (a package resent by the
  // agency under another name): index of the first; the package's own
  // index for one sent once.
  size_t group = 0;
  bool resent = false;
};

Kind KindOf(size_t i) {
  if (i % 10 == 4) {
    switch ((i / 10) % 4) {
      case 0: return Kind::kBadChecksum;
      case 1: return Kind::kBadMissing;
      case 2: return Kind::kBadMetadata;
      default: return Kind::kBadBag;
    }
  }
  if (i % 25 == 7) return Kind::kMets;
  if (i % 25 == 17) return Kind::kBag;
  if (i % 8 == 1) return Kind::kPdf;
  return Kind::kText;
}

model::RecordFile RecordFileOf(size_t i) {
  model::RecordFile f;
  f.file_code.organ_id = kOrgan;
  f.file_code.file_catalog = 2024;
  f.file_code.file_notation = std::to_string(i + 1) + ".VP";
  f.title = "Hồ sơ công tác văn thư, lưu trữ năm 2024 (đợt " + std::to_string(i + 1) + ")";
  f.maintenance = "Vĩnh viễn";
  f.rights = model::AccessLevel::kPublic;
  f.language = "Tiếng Việt";
  f.start_date = "2024-01-02";
  f.end_date = "2024-12-30";
  f.confidence = model::Confidence::kBornDigital;
  return f;
}

std::string IssuedDate(size_t i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "2024-%02zu-%02zu", 1 + i % 12, 1 + i % 28);
  return buf;
}

json RecordFileJson(size_t i) {
  const model::RecordFile f = RecordFileOf(i);
  return {{"record_file",
           {{"file_code", f.file_code.ToString()},
            {"title", f.title},
            {"maintenance", f.maintenance},
            {"rights", "Công khai"},
            {"start_date", f.start_date},
            {"end_date", f.end_date}}}};
}

json DocumentJson(size_t i, int d, const std::string& subject, const std::string& bytes,
                  const std::string& media_type) {
  return {{"document",
           {{"type_name", "Quyết định"},
            {"code_number", std::to_string(10000 + 10 * i + static_cast<size_t>(d))},
            {"code_notation", "QĐ-UBND"},
            {"issued_date", IssuedDate(i)},
            {"organ_id", kOrgan},
            {"organ_name", kOrganName},
            {"subject", subject},
            {"signers", json::array({{{"position", "Chủ tịch"}, {"full_name", "Nguyễn Văn Bình"}}})},
            {"file",
             {{"sha256", Sha256Of(bytes).ToHex()}, {"size", bytes.size()}, {"media_type", media_type}}}}}};
}

// A folder of sidecar pairs: record_file.json and, per file, X and X.json.
void WriteSidecarFolder(const std::string& dir, size_t i, const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<json>& sidecars) {
  ASSERT_OK(CreateDirs(dir));
  WriteTestFile(dir + "/record_file.json", RecordFileJson(i).dump(2));
  for (size_t k = 0; k < files.size(); ++k) {
    WriteTestFile(dir + "/" + files[k].first, files[k].second);
    WriteTestFile(dir + "/" + files[k].first + ".json", sidecars[k].dump(2));
  }
}

// Every regular file under `root`, as (relative path, bytes).
std::vector<std::pair<std::string, std::string>> FilesUnder(const std::string& root) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.push_back({fs::relative(e.path(), root).string(), ReadTestFile(e.path().string())});
  }
  std::sort(out.begin(), out.end());
  return out;
}

void WriteMetsZip(const std::string& work, const std::string& zip, size_t i, Pkg* pkg) {
  formats::package::Package p;
  char uuid[64];
  std::snprintf(uuid, sizeof uuid, "urn:uuid:6c1f0e2a-9d3b-4b7e-8a51-%012zu", i);
  p.object_id = uuid;
  p.created_micros = 1735689600LL * 1000000;  // 2025-01-01
  p.record_file = RecordFileOf(i);
  p.record_file.doc_total = 2;
  const std::string pdf = TextPdf("Ho so luu tru dien tu, dot " + std::to_string(i + 1) + ", van ban 1");
  const std::string txt = TextFile(Subject(i, 2));
  StringSource pdf_source(pdf), txt_source(txt);
  for (int d = 1; d <= 2; ++d) {
    formats::package::PackageDocument doc;
    doc.document.file_code = p.record_file.file_code;
    doc.document.doc_ordinal = d;
    char ord[8];
    std::snprintf(ord, sizeof ord, "%03d", d);
    doc.document.id = p.record_file.file_code.ToString() + "." + ord;
    doc.document.type_name = "Quyết định";
    doc.document.code_number = std::to_string(10000 + 10 * i + static_cast<size_t>(d));
    doc.document.code_notation = "QĐ-UBND";
    doc.document.issued_date = IssuedDate(i);
    doc.document.organ_id = kOrgan;
    doc.document.organ_name = kOrganName;
    doc.document.subject = Subject(i, d);
    doc.document.language = "Tiếng Việt";
    doc.document.page_amount = 1;
    doc.document.signers.push_back({"Chủ tịch", "Nguyễn Văn Bình"});
    formats::package::PackageComponent c;
    c.component.role = model::ComponentRole::kOriginal;
    c.component.id = doc.document.id + "/1";
    c.component.document_id = doc.document.id;
    c.component.name = d == 1 ? "van-ban-1.pdf" : "van-ban-2.txt";
    c.component.media_type = d == 1 ? "application/pdf" : "text/plain";
    c.component.format_version = d == 1 ? "1.4" : "";
    c.source = d == 1 ? static_cast<ByteSource*>(&pdf_source) : &txt_source;
    doc.components.push_back(std::move(c));
    p.documents.push_back(std::move(doc));
    pkg->subjects.push_back(Subject(i, d));
  }
  ASSERT_OK(formats::package::ExportPackage(work, p));
  std::vector<testing::TestEntry> entries;
  const std::string top = std::filesystem::path(work).filename().string();
  for (auto& [rel, bytes] : FilesUnder(work)) entries.push_back({top + "/" + rel, bytes});
  testing::WriteTestArchive(zip, testing::TestFormat::kZip, entries);
}

void WriteBagPackage(const std::string& dir, size_t i, bool damage, Pkg* pkg) {
  const std::string subject = Subject(i, 0);
  const std::string txt = TextFile(subject);
  const std::string rf = RecordFileJson(i).dump(2);
  const std::string sc = DocumentJson(i, 0, subject, txt, "text/plain").dump(2);
  StringSource a(rf), b(txt), c(sc);
  ASSERT_OK(formats::bagit::WriteBag(dir, {{"record_file.json", &a}, {"van-ban.txt", &b}, {"van-ban.txt.json", &c}},
                                     {{"Source-Organization", kOrganName}}));
  if (damage) {
    testing::FlipByte(dir + "/data/van-ban.txt", 3);
  } else {
    pkg->subjects.push_back(subject);
  }
}

std::vector<Pkg> MakeBatch(const std::string& root, size_t n) {
  std::vector<Pkg> batch;
  for (size_t i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "goi-%05zu", i + 1);
    Pkg p;
    p.kind = KindOf(i);
    p.path = root + "/" + name;
    const std::string subject = Subject(i, 0);
    switch (p.kind) {
      case Kind::kText: {
        const std::string txt = TextFile(subject);
        WriteSidecarFolder(p.path, i, {{"van-ban.txt", txt}}, {DocumentJson(i, 0, subject, txt, "text/plain")});
        p.subjects.push_back(subject);
        break;
      }
      case Kind::kPdf: {
        const std::string pdf = TextPdf("Quyet dinh ve cong tac luu tru, dot " + std::to_string(i + 1));
        WriteSidecarFolder(p.path, i, {{"quyet-dinh.pdf", pdf}},
                           {DocumentJson(i, 0, subject, pdf, "application/pdf")});
        p.subjects.push_back(subject);
        break;
      }
      case Kind::kMets:
        p.path += ".zip";
        WriteMetsZip(root + "/mets-" + name, p.path, i, &p);
        break;
      case Kind::kBag:
        WriteBagPackage(p.path, i, /*damage=*/false, &p);
        break;
      case Kind::kBadChecksum: {
        const std::string txt = TextFile(subject);
        json sc = DocumentJson(i, 0, subject, txt, "text/plain");
        sc["document"]["file"]["sha256"] = Sha256Of(txt + "x").ToHex();
        WriteSidecarFolder(p.path, i, {{"van-ban.txt", txt}}, {sc});
        p.good = false;
        p.expected_code = "file.checksum_mismatch";
        break;
      }
      case Kind::kBadMissing: {
        // Two documents listed, the second's file not delivered.
        const std::string a = TextFile(subject), b = TextFile(Subject(i, 2));
        WriteSidecarFolder(p.path, i, {{"van-ban-1.txt", a}, {"van-ban-2.txt", b}},
                           {DocumentJson(i, 0, subject, a, "text/plain"), DocumentJson(i, 1, Subject(i, 2), b, "text/plain")});
        EXPECT_OK(RemoveFile(p.path + "/van-ban-2.txt"));
        p.good = false;
        p.expected_code = "file.missing";
        break;
      }
      case Kind::kBadMetadata: {
        const std::string txt = TextFile(subject);
        WriteSidecarFolder(p.path, i, {{"van-ban.txt", txt}}, {json::object()});
        const std::string text = DocumentJson(i, 0, subject, txt, "text/plain").dump(2);
        WriteTestFile(p.path + "/van-ban.txt.json", text.substr(0, text.size() / 2));  // cut short
        p.good = false;
        p.expected_code = "metadata.unusable";
        break;
      }
      case Kind::kBadBag:
        WriteBagPackage(p.path, i, /*damage=*/true, &p);
        p.good = false;
        p.expected_code = "file.checksum_mismatch";
        break;
    }
    p.group = i;
    batch.push_back(std::move(p));
  }
  // Every 20th package is sent again, byte for byte, under another name.
  for (size_t i = 13; i < n; i += 20) {
    if (!batch[i].good) continue;
    Pkg copy = batch[i];
    copy.path = batch[i].path.substr(0, batch[i].path.rfind('/')) + "/gui-lai-" +
                batch[i].path.substr(batch[i].path.rfind('/') + 1);
    std::filesystem::copy(batch[i].path, copy.path, std::filesystem::copy_options::recursive);
    copy.resent = true;
    batch.push_back(std::move(copy));
  }
  return batch;
}

// The run order: `pending` first (random, each resent copy right behind its
// first package, so that two workers take them at once), then `done`.
std::vector<const Pkg*> RunOrder(std::vector<const Pkg*> pending, std::vector<const Pkg*> done,
                                 std::mt19937_64& rng) {
  std::shuffle(pending.begin(), pending.end(), rng);
  std::shuffle(done.begin(), done.end(), rng);
  std::vector<const Pkg*> order;
  for (const Pkg* p : pending) {
    if (p->resent) continue;
    order.push_back(p);
    for (const Pkg* q : pending) {
      if (q->resent && q->group == p->group) order.push_back(q);
    }
  }
  order.insert(order.end(), done.begin(), done.end());
  return order;
}

// ------------------------------------------------------------- the program

std::string Kholuu() { return testing::BinDir() + "/kholuu"; }

RunResult Cli(const std::string& data, std::vector<std::string> args) {
  args.insert(args.begin(), Kholuu());
  args.push_back("--data");
  args.push_back(data);
  args.push_back("--json");
  return testing::Run(args);
}

json ParseOut(const RunResult& r, const std::string& what) {
  json j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << what << ": not JSON (exit " << r.exit_code << "): " << r.out << "\n" << r.err;
  return j;
}

std::vector<std::string> IngestArgv(const std::string& data, const std::vector<const Pkg*>& order) {
  std::vector<std::string> argv = {Kholuu(), "ingest", "--data", data, "--json", "--workers", "2",
                                   "--no-ocr", "--organ-id", kOrgan};
  for (const Pkg* p : order) argv.push_back(p->path);
  return argv;
}

// job package path -> state, from `kholuu jobs`.
struct Jobs {
  std::map<std::string, std::vector<json>> by_package;
  size_t total = 0;
};

Jobs ReadJobs(const std::string& data) {
  Jobs jobs;
  RunResult r = Cli(data, {"jobs", "--limit", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  json j = ParseOut(r, "kholuu jobs");
  if (!j.is_array()) return jobs;
  for (const json& job : j) {
    jobs.by_package[job.value("package", "")].push_back(job);
    ++jobs.total;
  }
  return jobs;
}

// The receipts of a completed `kholuu ingest` run: each good package accepted
// (or already accepted), each bad one refused with its code.
void CheckReceipts(const std::vector<Pkg>& batch, const json& out, bool all_seen_before,
                   std::map<std::string, std::vector<std::string>>* documents) {
  ASSERT_TRUE(out.is_array());
  std::map<std::string, const json*> by_path;
  for (const json& r : out) by_path[r.value("package", "")] = &r;
  ASSERT_EQ(by_path.size(), batch.size());
  for (const Pkg& p : batch) {
    SCOPED_TRACE(p.path + " (" + KindName(p.kind) + ")");
    ASSERT_TRUE(by_path.count(p.path));
    const json& r = *by_path[p.path];
    ASSERT_FALSE(r.contains("error")) << r.dump();
    const std::string status = r.value("status", "");
    if (p.good) {
      if (all_seen_before) {
        EXPECT_EQ(status, "duplicate") << r.dump();
      } else {
        EXPECT_TRUE(status == "accepted" || status == "duplicate") << r.dump();
      }
      EXPECT_EQ(r["documents"].size(), p.subjects.size()) << r.dump();
      std::vector<std::string> ids;
      for (const json& d : r["documents"]) ids.push_back(d.value("id", ""));
      if (documents != nullptr) (*documents)[p.path] = ids;
    } else {
      EXPECT_EQ(status, "rejected") << r.dump();
      bool found = false;
      for (const json& problem : r["problems"]) {
        if (problem.value("code", "") == p.expected_code && problem.value("severity", "") == "error") found = true;
      }
      EXPECT_TRUE(found) << "expected " << p.expected_code << ": " << r.dump();
      EXPECT_TRUE(r["documents"].empty()) << r.dump();
    }
  }
}

// ------------------------------------------------------------------ the test

TEST(IngestCrashTest, SigkillAtRandomMomentsArchivesEveryGoodPackageExactlyOnce) {
  for (const char* tool : {"/usr/bin/gs", "/usr/bin/pdftotext", "/usr/bin/pdfinfo"}) {
    if (!PathExists(tool)) GTEST_SKIP() << tool << " not found";
  }
  const size_t n = std::max<size_t>(EnvSize("KHOLUU_CRASH_PACKAGES", 200), 20);
  const size_t kills = EnvSize("KHOLUU_CRASH_KILLS", 30);
  const uint64_t seed = std::getenv("KHOLUU_CRASH_SEED") != nullptr
                            ? std::strtoull(std::getenv("KHOLUU_CRASH_SEED"), nullptr, 10)
                            : std::random_device()();
  std::printf("ingest crash test: %zu packages, %zu kills, seed %llu (replay: KHOLUU_CRASH_SEED=%llu "
              "KHOLUU_CRASH_PACKAGES=%zu KHOLUU_CRASH_KILLS=%zu)\n",
              n, kills, static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed), n, kills);
  std::fflush(stdout);
  std::mt19937_64 rng(seed);
  const auto started = Clock::now();

  TempDir dir;
  const std::string data = dir.Sub("data");
  ASSERT_OK(CreateDirs(dir.Sub("in")));
  const std::vector<Pkg> batch = MakeBatch(dir.Sub("in"), n);
  ASSERT_FALSE(::testing::Test::HasFailure());
  std::map<Kind, size_t> kinds;
  size_t good_docs = 0, resent = 0;
  for (const Pkg& p : batch) {
    if (p.resent) {
      ++resent;
      continue;
    }
    ++kinds[p.kind];
    good_docs += p.subjects.size();
  }
  ASSERT_EQ(Cli(data, {"init"}).exit_code, 0);

  // Startup cost (open the archive), for the kill schedule.
  double startup = 0;
  {
    const auto t0 = Clock::now();
    ASSERT_EQ(Cli(data, {"stats"}).exit_code, 0);
    startup = std::chrono::duration<double>(Clock::now() - t0).count();
  }

  // ---------------------------------------------------------------- kills
  // Each run is given the whole batch: the packages not yet judged first (in
  // a random order), then the others (which answer "duplicate" or "already
  // refused"). The moment of each kill is drawn from one of three ranges:
  //   - 10 %: within the start (archive open, Recover());
  //   - 20 %: anywhere in the whole remaining run (up to the index update
  //     and the output at its end);
  //   - 70 %: a random point of this run's share of the remaining work, so
  //     that the kills spread over the whole batch: the remaining packages
  //     over the remaining kills, at the rate measured so far.
  double seconds_per_package = 0.15;  // refined from the runs
  double measured_seconds = 0;
  size_t measured_packages = 0;
  std::set<size_t> judged;  // groups accepted or rejected
  std::set<size_t> accepted_before;
  std::map<size_t, std::vector<const Pkg*>> groups;
  for (const Pkg& p : batch) groups[p.group].push_back(&p);
  size_t killed = 0, finished_early = 0, rounds = 0;
  std::map<std::string, size_t> kill_modes;
  // What the kills interrupted (evidence that they land in every stage):
  // kills leaving a job "received" (mid-package), staging in the spool;
  // outbox entries of committed packages not yet indexed after the kills.
  size_t left_received = 0, left_staging = 0, left_outbox = 0;
  while (killed < kills) {
    ASSERT_LT(rounds, 4 * kills + 10) << "too few runs could be killed before they finished";
    ++rounds;
    std::vector<const Pkg*> pending, done;
    for (const Pkg& p : batch) (judged.count(p.group) ? done : pending).push_back(&p);
    const std::vector<const Pkg*> order = RunOrder(pending, done, rng);

    const size_t kills_left = kills - killed;
    const double remaining = startup + seconds_per_package * static_cast<double>(pending.size());
    const double share = seconds_per_package * 2.0 * static_cast<double>(pending.size()) /
                         static_cast<double>(kills_left + 1);
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    const double mode = std::uniform_real_distribution<double>(0, 1)(rng);
    double delay;
    std::string mode_name;
    if (mode < 0.1) {
      delay = u * 1.5 * startup;
      mode_name = "start";
    } else if (mode < 0.3) {
      delay = u * (remaining + 0.5);
      mode_name = "whole run";
    } else {
      delay = startup + u * std::max(share, 0.2);
      mode_name = "share of the work";
    }

    const std::string out = dir.Sub("run-" + std::to_string(rounds) + ".json");
    const auto t0 = Clock::now();
    pid_t pid = testing::Start(IngestArgv(data, order), out);
    ASSERT_GT(pid, 0);
    const auto deadline = t0 + std::chrono::microseconds(static_cast<int64_t>(delay * 1e6));
    int status = 0;
    bool exited = false;
    while (Clock::now() < deadline) {
      pid_t w = ::waitpid(pid, &status, WNOHANG);
      ASSERT_GE(w, 0);
      if (w == pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::min<Clock::duration>(deadline - Clock::now(), std::chrono::milliseconds(2)));
    }
    if (!exited) {
      ASSERT_EQ(::kill(pid, SIGKILL), 0);
      ASSERT_EQ(::waitpid(pid, &status, 0), pid);
      exited = !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);  // it finished just before
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    if (exited) {
      // The run ended on its own: its receipts must be complete and right.
      ++finished_early;
      ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
      EXPECT_EQ(WEXITSTATUS(status), 1) << "some packages are refused, so the exit is 1: " << out;
      json receipts = json::parse(ReadTestFile(out), nullptr, false);
      ASSERT_FALSE(receipts.is_discarded()) << out;
      CheckReceipts(batch, receipts, /*all_seen_before=*/false, nullptr);
    } else {
      ++killed;
      ++kill_modes[mode_name];
    }

    // After the kill: the jobs never regress, good ones are never refused,
    // bad ones never accepted, and the audit chain is whole.
    const Jobs jobs = ReadJobs(data);
    size_t newly = 0;
    for (const auto& [group, members] : groups) {
      const Pkg& p = *members[0];
      std::vector<json> found;
      for (const Pkg* m : members) {
        auto it = jobs.by_package.find(m->path);
        if (it != jobs.by_package.end()) found.insert(found.end(), it->second.begin(), it->second.end());
      }
      if (found.empty()) {
        EXPECT_FALSE(accepted_before.count(group)) << p.path << ": an accepted job disappeared";
        continue;
      }
      ASSERT_EQ(found.size(), 1u) << p.path << ": several jobs for one package digest";
      const std::string state = found[0].value("state", "");
      if (state == "accepted") {
        EXPECT_TRUE(p.good) << p.path << " (" << KindName(p.kind) << ") was accepted";
        accepted_before.insert(group);
      } else if (state == "rejected") {
        EXPECT_FALSE(p.good) << p.path << " (" << KindName(p.kind) << ") was refused: " << found[0].dump();
      } else {
        EXPECT_FALSE(accepted_before.count(group)) << p.path << ": accepted, then " << state;
      }
      if ((state == "accepted" || state == "rejected") && judged.insert(group).second) ++newly;
    }
    RunResult audit = Cli(data, {"audit", "verify"});
    ASSERT_EQ(audit.exit_code, 0) << "round " << rounds << ": " << audit.out << audit.err;
    if (!exited) {
      bool received = false, staging = false;
      for (const auto& [path, list] : jobs.by_package) {
        for (const json& job : list) received |= job.value("state", "") == "received";
      }
      if (auto entries = ListDir(data + "/spool"); entries.ok()) {
        for (const std::string& e : *entries) staging |= e.rfind("tmp-", 0) == 0;
      }
      left_received += received;
      left_staging += staging;
      left_outbox = ParseOut(Cli(data, {"stats"}), "stats").value("outbox", size_t{0});
    }
    if (!exited && elapsed > startup && newly > 0) {
      measured_seconds += elapsed - startup;
      measured_packages += newly;
      seconds_per_package = measured_seconds / static_cast<double>(measured_packages);
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
  const size_t judged_by_kills = judged.size();
  const double kill_seconds = std::chrono::duration<double>(Clock::now() - started).count();

  // ------------------------------------------------- run to completion, twice
  std::map<std::string, std::vector<std::string>> documents;  // package -> document ids
  auto run_all = [&](bool all_seen_before) {
    std::vector<const Pkg*> all;
    for (const Pkg& p : batch) all.push_back(&p);
    const std::vector<const Pkg*> order = RunOrder(all, {}, rng);
    RunResult r = testing::Run(IngestArgv(data, order));
    EXPECT_EQ(r.exit_code, 1) << "some packages are refused, so the exit is 1\n" << r.err;
    json receipts = ParseOut(r, "kholuu ingest");
    CheckReceipts(batch, receipts, all_seen_before, &documents);
  };
  run_all(/*all_seen_before=*/false);
  ASSERT_FALSE(::testing::Test::HasFailure());
  RunResult stats_before = Cli(data, {"stats"});
  run_all(/*all_seen_before=*/true);
  ASSERT_FALSE(::testing::Test::HasFailure());
  RunResult stats_after = Cli(data, {"stats"});
  {
    // The second run changed nothing but the audit of nothing: same counts.
    json a = ParseOut(stats_before, "stats"), b = ParseOut(stats_after, "stats");
    for (const char* key : {"record_files", "documents", "components"}) EXPECT_EQ(a[key], b[key]) << key;
  }

  // ------------------------------------------------------------- the jobs
  {
    const Jobs jobs = ReadJobs(data);
    EXPECT_EQ(jobs.total, groups.size()) << "one job per package digest";
    for (const auto& [group, members] : groups) {
      const Pkg& p = *members[0];
      SCOPED_TRACE(p.path);
      std::vector<json> found;
      for (const Pkg* m : members) {
        auto it = jobs.by_package.find(m->path);
        if (it != jobs.by_package.end()) found.insert(found.end(), it->second.begin(), it->second.end());
      }
      ASSERT_EQ(found.size(), 1u) << "one job per package digest";
      const json& job = found[0];
      EXPECT_EQ(job.value("state", ""), p.good ? "accepted" : "rejected") << job.dump();
      if (p.good) {
        std::vector<std::string> ids = job["documents"].get<std::vector<std::string>>();
        for (const Pkg* m : members) EXPECT_EQ(ids, documents[m->path]) << m->path;
      } else {
        bool has_code = false;
        for (const json& problem : job["problems"]) has_code |= problem.value("code", "") == p.expected_code;
        EXPECT_TRUE(has_code) << job.dump();
      }
    }
    RunResult received = Cli(data, {"jobs", "--state", "received", "--limit", "0"});
    ASSERT_EQ(received.exit_code, 0) << received.err;
    EXPECT_EQ(ParseOut(received, "jobs --state received"), json::array());
  }

  // ----------------------------------------------- the catalog, exactly once
  std::set<std::string> archived;  // document ids
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<archive::Archive> a,
                         archive::Archive::Open(data, archive::ArchiveOptions{{}, /*read_only=*/true}));
    ASSERT_OK_AND_ASSIGN(archive::ReadTxn r, a->catalog().BeginRead());
    std::map<std::string, std::vector<std::string>> by_subject;
    ASSERT_OK(r.ForEachDocument([&](const model::Document& d) -> Status {
      by_subject[d.subject].push_back(d.id);
      archived.insert(d.id);
      return Status::Ok();
    }));
    std::set<std::string> good_subjects;
    for (const Pkg& p : batch) {
      for (const std::string& s : p.subjects) {
        if (p.resent) continue;
        good_subjects.insert(s);
        EXPECT_EQ(by_subject[s].size(), 1u) << "document \"" << s << "\" of " << p.path;
      }
    }
    EXPECT_EQ(good_subjects.size(), good_docs) << "the subjects are distinct";
    EXPECT_EQ(archived.size(), good_docs) << "nothing of a bad package, nothing twice";
    std::set<std::string> from_receipts;
    for (const auto& [path, ids] : documents) from_receipts.insert(ids.begin(), ids.end());
    EXPECT_EQ(from_receipts, archived);
    // Every original once; preservation ran (copies of the PDFs, text).
    std::map<std::string, size_t> originals;
    std::map<model::ComponentRole, size_t> roles;
    ASSERT_OK(r.ForEachComponent([&](const model::Component& c) -> Status {
      ++roles[c.role];
      if (c.role == model::ComponentRole::kOriginal) ++originals[c.sha256.ToHex()];
      if (!archived.count(c.document_id)) return DataLossError("component " + c.id + " of no document");
      return Status::Ok();
    }));
    size_t twice = 0;
    for (const auto& [sha, count] : originals) twice += count > 1;
    EXPECT_EQ(twice, 0u) << "originals stored more than once";
    EXPECT_EQ(roles[model::ComponentRole::kOriginal], good_docs);
    EXPECT_EQ(roles[model::ComponentRole::kExtractedText], good_docs) << "every document has its text";
    EXPECT_GE(roles[model::ComponentRole::kPreservationCopy] + roles[model::ComponentRole::kReport], 1u);
    std::printf("components: %zu originals, %zu preservation copies, %zu texts, %zu reports\n",
                roles[model::ComponentRole::kOriginal], roles[model::ComponentRole::kPreservationCopy],
                roles[model::ComponentRole::kExtractedText], roles[model::ComponentRole::kReport]);
  }

  // --------------------------------------------------- fixity and the audit
  {
    RunResult fixity = Cli(data, {"fixity", "--all"});
    EXPECT_EQ(fixity.exit_code, 0) << fixity.out << fixity.err;
    json f = ParseOut(fixity, "fixity");
    EXPECT_EQ(f["failures"], json::array());
    EXPECT_GT(f.value("checked", 0), 0);
    RunResult audit = Cli(data, {"audit", "verify"});
    EXPECT_EQ(audit.exit_code, 0) << audit.out << audit.err;
    EXPECT_TRUE(ParseOut(audit, "audit verify").value("ok", false));
  }

  // ------------------------------------------------------------- the index
  {
    RunResult reindex = Cli(data, {"reindex", "--outbox"});
    ASSERT_EQ(reindex.exit_code, 0) << reindex.out << reindex.err;
    json stats = ParseOut(Cli(data, {"stats"}), "stats");
    EXPECT_EQ(stats.value("documents", 0u), archived.size());
    EXPECT_EQ(stats.value("outbox", 1u), 0u) << "the outbox is drained";

    ASSERT_OK_AND_ASSIGN(std::unique_ptr<indexer::Searcher> searcher,
                         indexer::Searcher::Open(data + "/index"));
    EXPECT_EQ(searcher->doc_count(), archived.size()) << "index documents vs archived documents";
    // A query matching every document ("đợt" is in every subject): exactly
    // the archived documents, each once.
    std::multiset<std::string> hits;
    for (size_t offset = 0;; offset += 1000) {
      indexer::SearchRequest req;
      req.query = "đợt";
      req.access_levels = {1, 2, 3};
      req.limit = 1000;
      req.offset = offset;
      ASSERT_OK_AND_ASSIGN(indexer::SearchResults res, searcher->Search(req));
      for (const auto& h : res.hits) hits.insert(h.document);
      if (res.hits.size() < 1000) break;
    }
    EXPECT_EQ(std::set<std::string>(hits.begin(), hits.end()), archived);
    EXPECT_EQ(hits.size(), archived.size()) << "a document indexed twice";
    // Each subject, with and without diacritics, finds its document alone.
    std::map<std::string, std::string> doc_of_subject;
    {
      ASSERT_OK_AND_ASSIGN(std::unique_ptr<archive::Archive> a,
                           archive::Archive::Open(data, archive::ArchiveOptions{{}, /*read_only=*/true}));
      ASSERT_OK_AND_ASSIGN(archive::ReadTxn r, a->catalog().BeginRead());
      ASSERT_OK(r.ForEachDocument([&](const model::Document& d) -> Status {
        doc_of_subject[d.subject] = d.id;
        return Status::Ok();
      }));
    }
    size_t searched = 0;
    for (const auto& [subject, id] : doc_of_subject) {
      for (const std::string& q : {subject, Fold(subject)}) {
        indexer::SearchRequest req;
        req.query = "\"" + q + "\"";
        req.access_levels = {1, 2, 3};
        req.limit = 5;
        ASSERT_OK_AND_ASSIGN(indexer::SearchResults res, searcher->Search(req));
        ASSERT_EQ(res.hits.size(), 1u) << q;
        EXPECT_EQ(res.hits[0].document, id) << q;
        ++searched;
      }
    }
    EXPECT_EQ(searched, 2 * archived.size());
    // And through the CLI, for a sample.
    std::vector<std::pair<std::string, std::string>> sample(doc_of_subject.begin(), doc_of_subject.end());
    std::shuffle(sample.begin(), sample.end(), rng);
    sample.resize(std::min<size_t>(sample.size(), 4));
    for (const auto& [subject, id] : sample) {
      for (const std::string& q : {subject, Fold(subject)}) {
        json res = ParseOut(Cli(data, {"search", "\"" + q + "\""}), "search");
        ASSERT_EQ(res["hits"].size(), 1u) << q << ": " << res.dump();
        EXPECT_EQ(res["hits"][0].value("document", ""), id) << q;
      }
    }
  }

  // ------------------------------------------------------- nothing staged
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> spool, ListDir(data + "/spool"));
  EXPECT_EQ(spool, std::vector<std::string>{"LOCK"});

  const double total = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf("batch: %zu packages + %zu resent (%zu sidecar text, %zu sidecar PDF, %zu METS zip, %zu BagIt; bad: %zu checksum, "
              "%zu missing file, %zu unusable metadata, %zu damaged bag), %zu documents\n",
              n, resent, kinds[Kind::kText], kinds[Kind::kPdf], kinds[Kind::kMets], kinds[Kind::kBag],
              kinds[Kind::kBadChecksum], kinds[Kind::kBadMissing], kinds[Kind::kBadMetadata], kinds[Kind::kBadBag],
              good_docs);
  std::printf("runs: %zu, killed %zu (start %zu, whole run %zu, share of the work %zu), ended before the kill %zu; "
              "%zu packages judged before the final run; %.2f s per package measured\n",
              rounds, killed, kill_modes["start"], kill_modes["whole run"], kill_modes["share of the work"],
              finished_early, judged_by_kills, seconds_per_package);
  std::printf("kills that left a job received: %zu, staging: %zu; outbox entries not yet indexed after the kills: "
              "%zu\n", left_received, left_staging, left_outbox);
  std::printf("time: kills %.1f s, total %.1f s\n", kill_seconds, total);
}

}  // namespace
}  // namespace kholuu
