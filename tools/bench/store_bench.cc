#include "tools/bench/store_bench.h"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "archive/base/status.h"
#include "archive/blob/blob_store.h"
#include "archive/catalog/catalog.h"
#include "archive/model/component.h"
#include "archive/model/document.h"
#include "archive/model/record_file.h"
#include "tools/bench/bench_common.h"

#ifndef KHOLUU_VERSION_STRING
#define KHOLUU_VERSION_STRING "unknown"
#endif

namespace kholuu::bench {
namespace {

using archive::BlobStore;
using archive::Catalog;
using archive::ReadTxn;
using archive::WriteTxn;
using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench store [options]\n"
    "\n"
    "Measures, in one run:\n"
    "  1. blob ingest (BlobStore::PutFile) against the reference\n"
    "     'sha256sum f && cp f dest/ && sync dest/f', MB/s and their ratio;\n"
    "  2. catalog commits (Catalog::Update, one record file with K documents and\n"
    "     K components per transaction), transactions/s and documents/s;\n"
    "  3. catalog lookups (GetDocument, DocumentsInFile, ComponentsBySha256) on a\n"
    "     populated catalog, lookups/s.\n"
    "Nothing is dropped from the page cache: the input files are read from memory.\n"
    "\n"
    "options:\n"
    "  --dir DIR          where to work (a scratch directory is made and removed in it;\n"
    "                     default $TMPDIR or /tmp). Its file system is what is measured.\n"
    "  --files N          input files for the ingest test (default 8)\n"
    "  --size MIB         size of each input file in MiB (default 64)\n"
    "  --runs N           timed runs per side, alternating, median reported (default 5)\n"
    "  --warmup N         untimed rounds (one run of each side) before them (default 1;\n"
    "                     0 for none)\n"
    "  --docs N           documents in the lookup catalog (default 100000)\n"
    "  --commit-docs LIST documents per commit transaction, comma-separated, each\n"
    "                     1..999 (default 1,100)\n"
    "  --min-time S       minimum seconds per Google Benchmark measurement (default 1)\n"
    "  --quick            tiny run for smoke tests: 2 files x 1 MiB, 1 run, no warm-up,\n"
    "                     2000 documents, --min-time 0.05 (other options still apply)\n"
    "  --json             print one JSON document instead of the table\n"
    "  --keep             keep the scratch directory\n"
    "  --help             this text\n";

// Documents per record file in the lookup catalog, and record files per
// transaction while populating it.
constexpr int kDocsPerFile = 100;
constexpr int kFilesPerPopulateTxn = 10;
// Lookups done in one ReadTxn.
constexpr int64_t kLookupsPerReadTxn = 256;
// Random lookup keys drawn (with a fixed seed) before measuring.
constexpr size_t kLookupKeys = 8192;
constexpr double kIngestGoalRatio = 0.8;
constexpr uint64_t kMiB = uint64_t{1} << 20;

// The reference for ingest: hash, copy and fsync each file, as an operator
// would do it with coreutils. $1 is the destination directory; the rest are
// the input files.
constexpr char kReferenceScript[] =
    "dest=$1; shift; for f in \"$@\"; do "
    "sha256sum \"$f\" >/dev/null && cp \"$f\" \"$dest/\" && sync \"$dest/${f##*/}\" || exit 1; "
    "done";

struct StoreOptions {
  std::string parent_dir;
  uint64_t files = 8;
  uint64_t size_mib = 64;
  uint64_t runs = 5;
  uint64_t warmup = 1;
  uint64_t catalog_docs = 100000;
  std::vector<uint64_t> commit_docs = {1, 100};
  double min_time = 1.0;
  bool quick = false;
  bool json = false;
  bool keep = false;
};

Result<std::vector<uint64_t>> ParseCommitDocs(std::string_view text) {
  std::vector<uint64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    KHOLUU_ASSIGN_OR_RETURN(uint64_t k,
                            ParsePositive("--commit-docs", text.substr(start, comma - start)));
    if (k > 999) {
      return InvalidArgumentError("--commit-docs: a record file holds at most 999 documents");
    }
    out.push_back(k);
    start = comma + 1;
  }
  return out;
}

// Parses the arguments. Sets *help and returns defaults for --help.
Result<StoreOptions> ParseOptions(const std::vector<std::string>& args, bool* help) {
  StoreOptions o;
  const char* tmpdir = std::getenv("TMPDIR");
  o.parent_dir = (tmpdir != nullptr && *tmpdir != '\0') ? tmpdir : "/tmp";
  *help = false;
  // --quick sets defaults that explicit options then override, wherever it is.
  if (std::find(args.begin(), args.end(), "--quick") != args.end()) {
    o.quick = true;
    o.files = 2;
    o.size_mib = 1;
    o.runs = 1;
    o.warmup = 0;
    o.catalog_docs = 2000;
    o.min_time = 0.05;
  }
  FlagReader reader(args, /*inline_values=*/true);
  while (reader.Next()) {
    const std::string& flag = reader.flag();
    if (flag == "--help" || flag == "-h") {
      *help = true;
      return o;
    } else if (flag == "--quick" || flag == "--json" || flag == "--keep") {
      KHOLUU_RETURN_IF_ERROR(reader.NoValue());
      if (flag == "--json") o.json = true;
      if (flag == "--keep") o.keep = true;
    } else if (flag == "--dir") {
      KHOLUU_ASSIGN_OR_RETURN(o.parent_dir, reader.RequiredValue());
    } else if (flag == "--files") {
      KHOLUU_ASSIGN_OR_RETURN(o.files, reader.PositiveValue());
    } else if (flag == "--size") {
      KHOLUU_ASSIGN_OR_RETURN(o.size_mib, reader.PositiveValue());
    } else if (flag == "--runs") {
      KHOLUU_ASSIGN_OR_RETURN(o.runs, reader.PositiveValue());
    } else if (flag == "--warmup") {
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      if (v == "0") {
        o.warmup = 0;
      } else {
        KHOLUU_ASSIGN_OR_RETURN(o.warmup, ParsePositive(flag, v));
      }
    } else if (flag == "--docs") {
      KHOLUU_ASSIGN_OR_RETURN(o.catalog_docs, reader.PositiveValue());
    } else if (flag == "--commit-docs") {
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      KHOLUU_ASSIGN_OR_RETURN(o.commit_docs, ParseCommitDocs(v));
    } else if (flag == "--min-time") {
      KHOLUU_ASSIGN_OR_RETURN(std::string v, reader.RequiredValue());
      KHOLUU_ASSIGN_OR_RETURN(o.min_time, ParseSeconds(flag, v));
    } else {
      return InvalidArgumentError("unknown option '" + reader.arg() + "'");
    }
  }
  if (o.files > 10000) return InvalidArgumentError("--files: at most 10000");
  if (o.size_mib > (uint64_t{1} << 20)) return InvalidArgumentError("--size: at most 1 TiB");
  if (o.runs > 100) return InvalidArgumentError("--runs: at most 100");
  if (o.warmup > 10) return InvalidArgumentError("--warmup: at most 10");
  if (o.catalog_docs > 10'000'000) return InvalidArgumentError("--docs: at most 10000000");
  return o;
}

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void Progress(const std::string& message) {
  std::fprintf(stderr, "[store] %s\n", message.c_str());
  std::fflush(stderr);
}

// ---------------------------------------------------------------------------
// 1. Blob ingest

// xoshiro256** (Blackman and Vigna): fast, incompressible-looking input bytes.
class RandomBytes {
 public:
  explicit RandomBytes(uint64_t seed) {
    for (uint64_t& s : s_) s = SplitMix(seed);
  }
  void Fill(std::vector<char>& buf) {
    for (size_t i = 0; i + sizeof(uint64_t) <= buf.size(); i += sizeof(uint64_t)) {
      uint64_t v = Next();
      std::memcpy(buf.data() + i, &v, sizeof v);
    }
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t Next() {
    uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  uint64_t s_[4];
};

Status WriteRandomFile(const std::string& path, uint64_t size_mib, uint64_t seed) {
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_WRONLY | O_CREAT | O_EXCL, 0644));
  RandomBytes random(seed);
  std::vector<char> buf(kMiB);
  for (uint64_t i = 0; i < size_mib; ++i) {
    random.Fill(buf);
    KHOLUU_RETURN_IF_ERROR(f.WriteAll(std::string_view(buf.data(), buf.size())));
  }
  KHOLUU_RETURN_IF_ERROR(f.Sync());
  return f.Close();
}

struct SideRuns {
  std::vector<double> seconds;
  std::vector<double> mb_per_s;
  double median_mb_per_s = 0;
};

struct IngestResult {
  uint64_t files = 0;
  uint64_t file_size_mib = 0;
  uint64_t bytes_per_run = 0;
  double generate_seconds = 0;
  SideRuns kholuu;
  SideRuns reference;
  std::vector<double> warmup_kholuu_mb_per_s;  // not counted
  std::vector<double> warmup_reference_mb_per_s;
  std::string reference_tools;
  double ratio = 0;
};

// One timed kholuu run: PutFile of every input into a new store under `root`.
// The store is opened before and removed after the timed part.
Result<double> TimeKholuuIngest(const std::string& root, const std::vector<std::string>& inputs,
                                uint64_t expected_bytes) {
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> store, BlobStore::Open(root, true));
  uint64_t bytes = 0;
  const double start = NowSeconds();
  for (const std::string& path : inputs) {
    KHOLUU_ASSIGN_OR_RETURN(archive::BlobInfo info, store->PutFile(path));
    bytes += info.size;
  }
  const double seconds = NowSeconds() - start;
  store.reset();
  if (bytes != expected_bytes) {
    return InternalError("kholuu ingest stored " + std::to_string(bytes) + " bytes, expected " +
                         std::to_string(expected_bytes));
  }
  KHOLUU_RETURN_IF_ERROR(RemoveTree(root));
  return seconds;
}

// One timed reference run into a new directory `dest`, checked afterwards.
Result<double> TimeReferenceIngest(const std::string& dest, const std::vector<std::string>& inputs,
                                   uint64_t file_bytes) {
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dest));
  std::vector<std::string> argv = {"/bin/sh", "-c", kReferenceScript, "sh", dest};
  argv.insert(argv.end(), inputs.begin(), inputs.end());
  const double start = NowSeconds();
  KHOLUU_RETURN_IF_ERROR(RunProcess(argv).Annotate("reference ingest"));
  const double seconds = NowSeconds() - start;
  for (const std::string& in : inputs) {
    std::string copy = JoinPath(dest, in.substr(in.rfind('/') + 1));
    struct stat st {};
    if (::stat(copy.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_size) != file_bytes) {
      return InternalError("reference ingest did not produce " + copy);
    }
  }
  KHOLUU_RETURN_IF_ERROR(RemoveTree(dest));
  return seconds;
}

Result<IngestResult> RunIngest(const StoreOptions& o, const std::string& work) {
  IngestResult r;
  r.files = o.files;
  r.file_size_mib = o.size_mib;
  const uint64_t file_bytes = o.size_mib * kMiB;
  r.bytes_per_run = o.files * file_bytes;
  r.reference_tools = FirstLineOf("sha256sum --version 2>/dev/null");

  const std::string input_dir = JoinPath(work, "input");
  KHOLUU_RETURN_IF_ERROR(CreateDirs(input_dir));
  Progress("generating " + std::to_string(o.files) + " x " + std::to_string(o.size_mib) +
           " MiB of random input in " + input_dir);
  std::vector<std::string> inputs;
  double start = NowSeconds();
  for (uint64_t i = 0; i < o.files; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "input-%04llu.bin", static_cast<unsigned long long>(i));
    inputs.push_back(JoinPath(input_dir, name));
    KHOLUU_RETURN_IF_ERROR(WriteRandomFile(inputs.back(), o.size_mib, 0x6B686F6C75750000ull + i));
  }
  r.generate_seconds = NowSeconds() - start;

  auto record = [&](SideRuns& side, double seconds) {
    side.seconds.push_back(seconds);
    side.mb_per_s.push_back(static_cast<double>(r.bytes_per_run) / 1e6 / seconds);
  };
  // Warm-up rounds first, run but not counted: the first kholuu run after the
  // inputs were written was consistently the slow one (docs/benchmarks.md).
  SideRuns warmup_kholuu, warmup_reference;
  for (uint64_t run = 0; run < o.warmup + o.runs; ++run) {
    const bool warm = run < o.warmup;
    const std::string label = warm ? "warm-up " + std::to_string(run + 1) + "/" +
                                         std::to_string(o.warmup)
                                   : "ingest run " + std::to_string(run - o.warmup + 1) + "/" +
                                         std::to_string(o.runs);
    // Alternate which side goes first so that neither always follows the other.
    for (int turn = 0; turn < 2; ++turn) {
      const bool kholuu_turn = (turn == 0) == (run % 2 == 0);
      // Untimed: flush what the previous run left (deletions, inputs).
      KHOLUU_RETURN_IF_ERROR(SyncFileSystem(work));
      if (kholuu_turn) {
        KHOLUU_ASSIGN_OR_RETURN(double s, TimeKholuuIngest(JoinPath(work, "kholuu-blobs"), inputs,
                                                           r.bytes_per_run));
        SideRuns& side = warm ? warmup_kholuu : r.kholuu;
        record(side, s);
        Progress(label + " kholuu    " + Fixed(side.mb_per_s.back(), 1) + " MB/s");
      } else {
        KHOLUU_ASSIGN_OR_RETURN(
            double s, TimeReferenceIngest(JoinPath(work, "reference-copy"), inputs, file_bytes));
        SideRuns& side = warm ? warmup_reference : r.reference;
        record(side, s);
        Progress(label + " reference " + Fixed(side.mb_per_s.back(), 1) + " MB/s");
      }
    }
  }
  r.warmup_kholuu_mb_per_s = warmup_kholuu.mb_per_s;
  r.warmup_reference_mb_per_s = warmup_reference.mb_per_s;
  r.kholuu.median_mb_per_s = Median(r.kholuu.mb_per_s);
  r.reference.median_mb_per_s = Median(r.reference.mb_per_s);
  r.ratio = r.kholuu.median_mb_per_s / r.reference.median_mb_per_s;
  KHOLUU_RETURN_IF_ERROR(RemoveTree(input_dir));
  return r;
}

// ---------------------------------------------------------------------------
// Catalog values, adapted from tests/support/fixtures.cc: realistic Vietnamese
// records, but with a serial number in số/ký hiệu and the edXML id so that
// every document has its own duplicate key, as in a real archive.

model::RecordFile BenchRecordFile(int64_t n, int docs) {
  model::RecordFile f;
  f.file_code.organ_id = "000.00.00.G22";
  f.file_code.file_catalog = 2024;
  f.file_code.file_notation = std::to_string(n) + ".TCCB";
  f.title = "Hồ sơ tuyển dụng công chức năm 2024 (đợt " + std::to_string(n) + ")";
  f.maintenance = "Vĩnh viễn";
  f.rights = model::AccessLevel::kPublic;
  f.creator = "Nguyễn Văn An";
  f.language = "Tiếng Việt";
  f.start_date = "2024-01-05";
  f.end_date = "2024-12-20";
  f.doc_total = docs;
  f.page_total = 2 * docs;
  f.confidence = model::Confidence::kBornDigital;
  return f;
}

model::Document BenchDocument(const model::RecordFile& file, int ordinal, uint64_t serial) {
  model::Document d;
  d.file_code = file.file_code;
  d.doc_ordinal = ordinal;
  char ord[16];
  std::snprintf(ord, sizeof ord, "%03d", ordinal);
  d.id = file.file_code.ToString() + "." + ord;
  d.type_name = "Quyết định";
  d.code_number = std::to_string(serial);
  d.code_notation = "QĐ-VPCP";
  char date[32];
  std::snprintf(date, sizeof date, "2024-%02d-%02d", static_cast<int>(1 + serial % 12),
                static_cast<int>(1 + serial % 28));
  d.issued_date = date;
  d.organ_id = "000.00.00.G22";
  d.organ_name = "Văn phòng Chính phủ";
  d.subject = "Quyết định về việc công nhận kết quả tuyển dụng công chức, văn bản số " +
              d.code_number;
  d.language = "Tiếng Việt";
  d.page_amount = 2;
  d.signers.push_back({"Bộ trưởng, Chủ nhiệm", "Trần Văn Bình"});
  d.to.push_back({"000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh"});
  std::string slashed = d.issued_date;
  std::replace(slashed.begin(), slashed.end(), '-', '/');
  d.edxml_document_id =
      d.organ_id + "," + slashed + "," + d.code_number + "/" + d.code_notation;
  return d;
}

// The original component of a document. The digest stands in for a blob (the
// catalog does not read the blob store); it is unique per component.
model::Component BenchComponent(const model::Document& doc) {
  model::Component c;
  c.id = doc.id + "/1";
  c.document_id = doc.id;
  c.role = model::ComponentRole::kOriginal;
  c.name = "quyet-dinh-" + doc.code_number + ".pdf";
  c.sha256 = Sha256Of(c.id);
  c.size = 150000 + static_cast<uint64_t>(doc.doc_ordinal) * 997;
  c.media_type = "application/pdf";
  c.format_version = "1.7";
  return c;
}

// A record file with its documents, each with one component.
struct RecordBatch {
  model::RecordFile file;
  std::vector<model::Document> documents;
  std::vector<model::Component> components;
};

RecordBatch MakeRecordBatch(int64_t file_number, int docs, uint64_t* serial) {
  RecordBatch b;
  b.file = BenchRecordFile(file_number, docs);
  for (int i = 1; i <= docs; ++i) {
    b.documents.push_back(BenchDocument(b.file, i, ++*serial));
    b.components.push_back(BenchComponent(b.documents.back()));
  }
  return b;
}

Status PutRecordBatch(WriteTxn& txn, const RecordBatch& b) {
  KHOLUU_RETURN_IF_ERROR(txn.PutRecordFile(b.file));
  for (size_t i = 0; i < b.documents.size(); ++i) {
    KHOLUU_RETURN_IF_ERROR(txn.PutDocument(b.documents[i]));
    KHOLUU_RETURN_IF_ERROR(txn.PutComponent(b.components[i]));
  }
  return Status::Ok();
}

// Keys of the populated lookup catalog.
struct LookupKeys {
  std::vector<std::string> document_ids;
  std::vector<std::string> file_codes;
  std::vector<Sha256> component_digests;
};

struct PopulateResult {
  uint64_t documents = 0;
  uint64_t record_files = 0;
  uint64_t transactions = 0;
  double seconds = 0;
};

Result<PopulateResult> Populate(Catalog& catalog, uint64_t docs, LookupKeys* keys) {
  PopulateResult r;
  uint64_t serial = 0;
  int64_t file_number = 0;
  const double start = NowSeconds();
  while (r.documents < docs) {
    std::vector<RecordBatch> batches;
    for (int f = 0; f < kFilesPerPopulateTxn && r.documents < docs; ++f) {
      const int n = static_cast<int>(std::min<uint64_t>(kDocsPerFile, docs - r.documents));
      batches.push_back(MakeRecordBatch(++file_number, n, &serial));
      r.documents += static_cast<uint64_t>(n);
    }
    // Update may run the function again (map growth): it only writes.
    KHOLUU_RETURN_IF_ERROR(catalog.Update("bench:populate", [&](WriteTxn& txn) -> Status {
      for (const RecordBatch& b : batches) KHOLUU_RETURN_IF_ERROR(PutRecordBatch(txn, b));
      return Status::Ok();
    }));
    ++r.transactions;
    for (const RecordBatch& b : batches) {
      keys->file_codes.push_back(b.file.file_code.ToString());
      for (const model::Document& d : b.documents) keys->document_ids.push_back(d.id);
      for (const model::Component& c : b.components) keys->component_digests.push_back(c.sha256);
    }
    r.record_files += batches.size();
  }
  r.seconds = NowSeconds() - start;
  return r;
}

// ---------------------------------------------------------------------------
// Google Benchmark: registration and collection of the results.

// Keeps the runs instead of printing them; the subcommand prints its own table.
class CollectingReporter final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Iteration) runs_[run.run_name.function_name] = run;
    }
  }
  const Run* Find(const std::string& name) const {
    auto it = runs_.find(name);
    return it == runs_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, Run> runs_;
};

struct CommitResult {
  uint64_t docs_per_txn = 0;
  uint64_t transactions = 0;
  double seconds = 0;
  double txn_per_s = 0;
  double documents_per_s = 0;
  double rows_per_s = 0;
  double ms_per_txn = 0;
};

struct LookupResult {
  std::string name;
  std::string what;
  int64_t lookups_per_read_txn = 0;
  uint64_t lookups = 0;
  double seconds = 0;
  double ops_per_s = 0;
  double us_per_op = 0;
};

struct CatalogResults {
  PopulateResult populate;
  std::vector<CommitResult> commits;
  std::vector<LookupResult> lookups;
};

std::string CommitBenchName(uint64_t k) { return "commit/docs_per_txn:" + std::to_string(k); }

// A lookup benchmark: `lookup(txn, i)` does the i-th lookup and returns false
// (after SkipWithError) on failure. A ReadTxn serves `batch` lookups.
template <typename Fn>
void RegisterLookup(const std::string& name, const Catalog& catalog, int64_t batch,
                    double min_time, Fn lookup) {
  benchmark::RegisterBenchmark(name.c_str(), [&catalog, batch, lookup](benchmark::State& state) {
    size_t next = 0;
    while (state.KeepRunningBatch(batch)) {
      Result<ReadTxn> txn = catalog.BeginRead();
      if (!txn.ok()) {
        state.SkipWithError(txn.status().ToString().c_str());
        return;
      }
      for (int64_t i = 0; i < batch; ++i) {
        if (!lookup(state, *txn, next++)) return;
      }
    }
  })
      ->UseRealTime()
      ->MinTime(min_time);
}

Result<CatalogResults> RunCatalog(const StoreOptions& o, const std::string& work) {
  CatalogResults results;

  // Lookup catalog, populated in bulk first.
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Catalog> lookup_catalog,
                          Catalog::Create(JoinPath(work, "lookup-catalog")));
  Progress("populating a catalog with " + std::to_string(o.catalog_docs) + " documents");
  LookupKeys keys;
  KHOLUU_ASSIGN_OR_RETURN(results.populate, Populate(*lookup_catalog, o.catalog_docs, &keys));

  std::mt19937_64 rng(20240501);
  auto pick = [&rng](size_t n) {
    std::vector<size_t> out(kLookupKeys);
    std::uniform_int_distribution<size_t> dist(0, n - 1);
    for (size_t& v : out) v = dist(rng);
    return out;
  };
  std::vector<std::string> doc_queries, file_queries;
  std::vector<Sha256> sha_queries;
  for (size_t i : pick(keys.document_ids.size())) doc_queries.push_back(keys.document_ids[i]);
  for (size_t i : pick(keys.file_codes.size())) file_queries.push_back(keys.file_codes[i]);
  for (size_t i : pick(keys.component_digests.size())) {
    sha_queries.push_back(keys.component_digests[i]);
  }

  // Commit catalog: a separate, empty one, so commits do not change the
  // catalog the lookups read.
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Catalog> commit_catalog,
                          Catalog::Create(JoinPath(work, "commit-catalog")));
  int64_t commit_file_number = 0;
  uint64_t commit_serial = 0;
  Catalog& cc = *commit_catalog;
  for (uint64_t k : o.commit_docs) {
    const int docs = static_cast<int>(k);
    benchmark::RegisterBenchmark(
        CommitBenchName(k).c_str(),
        [&cc, &commit_file_number, &commit_serial, docs](benchmark::State& state) {
          for (auto _ : state) {
            state.PauseTiming();
            RecordBatch batch = MakeRecordBatch(++commit_file_number, docs, &commit_serial);
            state.ResumeTiming();
            Status s = cc.Update("bench:commit", [&batch](WriteTxn& txn) {
              return PutRecordBatch(txn, batch);
            });
            if (!s.ok()) {
              state.SkipWithError(s.ToString().c_str());
              return;
            }
          }
        })
        ->UseRealTime()
        ->MinTime(o.min_time);
  }

  const Catalog& lc = *lookup_catalog;
  auto get_document = [&doc_queries](benchmark::State& state, const ReadTxn& txn, size_t i) {
    Result<model::Document> d = txn.GetDocument(doc_queries[i % doc_queries.size()]);
    if (!d.ok()) {
      state.SkipWithError(d.status().ToString().c_str());
      return false;
    }
    benchmark::DoNotOptimize(d);
    return true;
  };
  struct LookupSpec {
    std::string name;
    std::string what;
    int64_t batch;
  };
  const std::vector<LookupSpec> specs = {
      {"GetDocument", "document by id, decoded", kLookupsPerReadTxn},
      {"GetDocument/txn_per_lookup", "document by id, a new ReadTxn for each lookup", 1},
      {"DocumentsInFile", "ids of the 100 documents of a record file", kLookupsPerReadTxn},
      {"ComponentsBySha256", "component ids with a given SHA-256", kLookupsPerReadTxn},
  };
  RegisterLookup(specs[0].name, lc, specs[0].batch, o.min_time, get_document);
  RegisterLookup(specs[1].name, lc, specs[1].batch, o.min_time, get_document);
  RegisterLookup(specs[2].name, lc, specs[2].batch, o.min_time,
                 [&file_queries](benchmark::State& state, const ReadTxn& txn, size_t i) {
                   auto ids = txn.DocumentsInFile(file_queries[i % file_queries.size()]);
                   if (!ids.ok() || ids->empty()) {
                     state.SkipWithError(ids.ok() ? "DocumentsInFile found nothing"
                                                  : ids.status().ToString().c_str());
                     return false;
                   }
                   benchmark::DoNotOptimize(ids);
                   return true;
                 });
  RegisterLookup(specs[3].name, lc, specs[3].batch, o.min_time,
                 [&sha_queries](benchmark::State& state, const ReadTxn& txn, size_t i) {
                   auto ids = txn.ComponentsBySha256(sha_queries[i % sha_queries.size()]);
                   if (!ids.ok() || ids->size() != 1) {
                     state.SkipWithError(ids.ok() ? "ComponentsBySha256 did not find one"
                                                  : ids.status().ToString().c_str());
                     return false;
                   }
                   benchmark::DoNotOptimize(ids);
                   return true;
                 });

  Progress("running Google Benchmark: commits, then lookups (min time " + Fixed(o.min_time, 2) +
           " s each)");
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::ClearRegisteredBenchmarks();

  auto find = [&reporter](const std::string& name) -> Result<const benchmark::BenchmarkReporter::Run*> {
    const benchmark::BenchmarkReporter::Run* run = reporter.Find(name);
    if (run == nullptr) return InternalError("benchmark " + name + " did not report");
    if (run->error_occurred) return InternalError("benchmark " + name + ": " + run->error_message);
    if (run->iterations <= 0 || !(run->real_accumulated_time > 0)) {
      return InternalError("benchmark " + name + " measured nothing");
    }
    return run;
  };
  for (uint64_t k : o.commit_docs) {
    KHOLUU_ASSIGN_OR_RETURN(const benchmark::BenchmarkReporter::Run* run,
                            find(CommitBenchName(k)));
    CommitResult c;
    c.docs_per_txn = k;
    c.transactions = static_cast<uint64_t>(run->iterations);
    c.seconds = run->real_accumulated_time;
    c.txn_per_s = static_cast<double>(c.transactions) / c.seconds;
    c.documents_per_s = c.txn_per_s * static_cast<double>(k);
    c.rows_per_s = c.txn_per_s * static_cast<double>(1 + 2 * k);
    c.ms_per_txn = 1e3 / c.txn_per_s;
    results.commits.push_back(c);
  }
  for (const LookupSpec& spec : specs) {
    KHOLUU_ASSIGN_OR_RETURN(const benchmark::BenchmarkReporter::Run* run, find(spec.name));
    LookupResult l;
    l.name = spec.name;
    l.what = spec.what;
    l.lookups_per_read_txn = spec.batch;
    l.lookups = static_cast<uint64_t>(run->iterations);
    l.seconds = run->real_accumulated_time;
    l.ops_per_s = static_cast<double>(l.lookups) / l.seconds;
    l.us_per_op = 1e6 / l.ops_per_s;
    results.lookups.push_back(l);
  }
  return results;
}

// ---------------------------------------------------------------------------
// Output

std::vector<std::string> Notes(const IngestResult& ingest) {
  std::vector<std::string> notes = {
      "Nothing is dropped from the page cache: the input files are written and fsynced before "
      "the runs and are read from memory by both sides; what differs is hashing, copying and "
      "waiting for the disk.",
      "Both ingest sides fsync every file. The reference does not fsync directories; kholuu "
      "also fsyncs its fan-out and temporary directories (rename made durable).",
      "The reference reads each file twice (sha256sum, then cp); kholuu reads it once and "
      "hashes while copying.",
      "Catalog commits: LMDB fsyncs on every commit (no MDB_NOSYNC); every row also writes "
      "its index, outbox and audit entries in the same transaction.",
      "Figures on a shared machine vary between runs; compare medians of several runs, and "
      "use callgrind instruction counts for regressions.",
  };
  if (ingest.ratio < kIngestGoalRatio) {
    notes.push_back("Ingest ratio " + Fixed(ingest.ratio, 2) + " is below the goal of " +
                    Fixed(kIngestGoalRatio, 2) + ".");
  }
  return notes;
}

Json ToJson(const SideRuns& s) {
  return Json{{"median_mb_per_s", s.median_mb_per_s},
              {"runs_mb_per_s", s.mb_per_s},
              {"runs_seconds", s.seconds}};
}

Json ResultJson(const StoreOptions& o, const MachineInfo& m, const std::string& started,
                const IngestResult& ingest, const CatalogResults& cat) {
  Json j;
  j["benchmark"] = "store";
  j["format"] = 1;
  j["kholuu_version"] = KHOLUU_VERSION_STRING;
  j["started_utc"] = started;
  j["machine"] = Json{{"cpu_model", m.cpu_model},
                      {"cpu_sha_ni", m.cpu_sha_ni},
                      {"nproc", m.nproc},
                      {"mem_total_bytes", m.mem_total_bytes},
                      {"kernel", m.kernel},
                      {"dir", m.dir},
                      {"fs_type", m.fs_type},
                      {"fs_free_bytes", m.fs_free_bytes}};
  j["config"] = Json{{"quick", o.quick},
                     {"files", o.files},
                     {"size_mib", o.size_mib},
                     {"runs_per_side", o.runs},
                     {"warmup_rounds", o.warmup},
                     {"catalog_documents", o.catalog_docs},
                     {"commit_docs_per_txn", o.commit_docs},
                     {"min_time_s", o.min_time},
                     {"page_cache_dropped", false}};
  Json kholuu = ToJson(ingest.kholuu);
  kholuu["warmup_mb_per_s"] = ingest.warmup_kholuu_mb_per_s;
  kholuu["what"] = "BlobStore::PutFile of each file into a new store (hash while copying, "
                   "fsync file, rename, fsync directories)";
  Json reference = ToJson(ingest.reference);
  reference["warmup_mb_per_s"] = ingest.warmup_reference_mb_per_s;
  reference["what"] = "sha256sum f && cp f dest/ && sync dest/f, per file, in one /bin/sh";
  reference["command"] = std::string("/bin/sh -c '") + kReferenceScript + "' sh DEST FILES...";
  reference["tools"] = ingest.reference_tools;
  j["ingest"] = Json{{"unit", "MB/s = 1e6 bytes per second"},
                     {"files", ingest.files},
                     {"file_size_mib", ingest.file_size_mib},
                     {"bytes_per_run", ingest.bytes_per_run},
                     {"kholuu", kholuu},
                     {"reference", reference},
                     {"ratio", ingest.ratio},
                     {"goal_ratio", kIngestGoalRatio},
                     {"goal_met", ingest.ratio >= kIngestGoalRatio}};
  Json commits = Json::array();
  for (const CommitResult& c : cat.commits) {
    commits.push_back(Json{{"docs_per_txn", c.docs_per_txn},
                           {"components_per_txn", c.docs_per_txn},
                           {"transactions", c.transactions},
                           {"seconds", c.seconds},
                           {"txn_per_s", c.txn_per_s},
                           {"documents_per_s", c.documents_per_s},
                           {"rows_per_s", c.rows_per_s},
                           {"ms_per_txn", c.ms_per_txn}});
  }
  j["commits"] = commits;
  Json lookups = Json::array();
  for (const LookupResult& l : cat.lookups) {
    lookups.push_back(Json{{"name", l.name},
                           {"what", l.what},
                           {"lookups_per_read_txn", l.lookups_per_read_txn},
                           {"lookups", l.lookups},
                           {"seconds", l.seconds},
                           {"ops_per_s", l.ops_per_s},
                           {"us_per_op", l.us_per_op}});
  }
  j["lookups"] = Json{{"catalog_documents", cat.populate.documents},
                      {"catalog_record_files", cat.populate.record_files},
                      {"populate_seconds", cat.populate.seconds},
                      {"populate_documents_per_s",
                       static_cast<double>(cat.populate.documents) / cat.populate.seconds},
                      {"results", lookups}};
  j["notes"] = Notes(ingest);
  return j;
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}
std::string PadLeft(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

void PrintTable(const StoreOptions& o, const MachineInfo& m, const std::string& started,
                const IngestResult& ingest, const CatalogResults& cat) {
  std::string out;
  auto line = [&out](const std::string& s) { out += s + "\n"; };
  line("kholuu-bench store (kholuu " KHOLUU_VERSION_STRING ", " + started + ")");
  line("machine: " + m.cpu_model + (m.cpu_sha_ni ? " (SHA-NI)" : "") + ", " +
       std::to_string(m.nproc) + " CPUs, " + std::to_string(m.mem_total_bytes >> 20) +
       " MiB RAM, " + m.kernel);
  line("dir:     " + m.dir + " (" + m.fs_type + ")");
  line("");
  line("1. Blob ingest: " + std::to_string(ingest.files) + " files x " +
       std::to_string(ingest.file_size_mib) + " MiB = " +
       Fixed(static_cast<double>(ingest.bytes_per_run) / 1e6, 0) + " MB per run, " +
       std::to_string(o.runs) + (o.runs == 1 ? " run" : " runs") +
       " per side after " + std::to_string(o.warmup) + " warm-up round(s), alternating;");
  line("   MB/s = 1e6 bytes/s");
  line("   inputs in the page cache (nothing dropped); every file fsynced by both sides");
  line("   " + Pad("side", 12) + PadLeft("median MB/s", 12) + "   runs (MB/s)");
  auto side = [&](const std::string& name, const SideRuns& s) {
    std::string runs;
    for (double v : s.mb_per_s) runs += " " + Fixed(v, 1);
    line("   " + Pad(name, 12) + PadLeft(Fixed(s.median_mb_per_s, 1), 12) + "  " + runs);
  };
  side("kholuu", ingest.kholuu);
  side("reference", ingest.reference);
  line("   kholuu = BlobStore::PutFile; reference = sha256sum f && cp f dest/ && sync dest/f");
  line("   ratio kholuu/reference: " + Fixed(ingest.ratio, 2) + "  (goal >= " +
       Fixed(kIngestGoalRatio, 2) + ": " + (ingest.ratio >= kIngestGoalRatio ? "met" : "NOT met") +
       ")");
  line("");
  line("2. Catalog commits: Catalog::Update, one record file + K documents + K components");
  line("   per transaction; LMDB fsyncs every commit");
  line("   " + PadLeft("K", 5) + PadLeft("txn/s", 12) + PadLeft("documents/s", 14) +
       PadLeft("rows/s", 12) + PadLeft("ms/txn", 10) + PadLeft("txns", 8));
  for (const CommitResult& c : cat.commits) {
    line("   " + PadLeft(std::to_string(c.docs_per_txn), 5) + PadLeft(Fixed(c.txn_per_s, 1), 12) +
         PadLeft(Fixed(c.documents_per_s, 1), 14) + PadLeft(Fixed(c.rows_per_s, 1), 12) +
         PadLeft(Fixed(c.ms_per_txn, 3), 10) + PadLeft(std::to_string(c.transactions), 8));
  }
  line("");
  line("3. Catalog lookups: " + std::to_string(cat.populate.documents) + " documents in " +
       std::to_string(cat.populate.record_files) + " record files (populated in " +
       Fixed(cat.populate.seconds, 1) + " s), random keys");
  line("   " + Pad("lookup", 28) + PadLeft("per ReadTxn", 12) + PadLeft("lookups/s", 14) +
       PadLeft("us/lookup", 12));
  for (const LookupResult& l : cat.lookups) {
    line("   " + Pad(l.name, 28) + PadLeft(std::to_string(l.lookups_per_read_txn), 12) +
         PadLeft(Fixed(l.ops_per_s, 0), 14) + PadLeft(Fixed(l.us_per_op, 2), 12));
  }
  line("");
  line("notes:");
  for (const std::string& n : Notes(ingest)) line(" - " + n);
  std::fputs(out.c_str(), stdout);
}

Status CheckFreeSpace(const StoreOptions& o, const MachineInfo& m) {
  // Inputs plus one stored copy at a time, plus room for the catalogs.
  const uint64_t needed = 2 * o.files * o.size_mib * kMiB + (uint64_t{512} << 20);
  if (m.fs_free_bytes != 0 && m.fs_free_bytes < needed) {
    return ResourceExhaustedError("need about " + std::to_string(needed >> 20) + " MiB free in " +
                                  o.parent_dir + ", have " +
                                  std::to_string(m.fs_free_bytes >> 20) + " MiB");
  }
  return Status::Ok();
}

Status Run(const StoreOptions& o) {
  const std::string started = UtcNow();
  const MachineInfo machine = DescribeMachine(o.parent_dir);
  KHOLUU_RETURN_IF_ERROR(CheckFreeSpace(o, machine));
  KHOLUU_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::Create(o.parent_dir, "kholuu-bench-"));
  scratch.set_keep(o.keep);
  Progress("working in " + scratch.path() + " (" + machine.fs_type + ")");

  KHOLUU_ASSIGN_OR_RETURN(IngestResult ingest, RunIngest(o, scratch.path()));
  KHOLUU_ASSIGN_OR_RETURN(CatalogResults catalog, RunCatalog(o, scratch.path()));

  if (o.json) {
    std::fputs((ResultJson(o, machine, started, ingest, catalog).dump(2) + "\n").c_str(), stdout);
  } else {
    PrintTable(o, machine, started, ingest, catalog);
  }
  return Status::Ok();
}

}  // namespace

int RunStoreBench(const std::vector<std::string>& args) {
  bool help = false;
  Result<StoreOptions> options = ParseOptions(args, &help);
  if (help) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (!options.ok()) {
    std::fprintf(stderr, "kholuu-bench store: %s\n\n%s", options.status().message().c_str(),
                 kUsage);
    return kExitUsage;
  }
  // Google Benchmark reads its own flags only from here; none are passed.
  char program[] = "kholuu-bench";
  char* bench_argv[] = {program, nullptr};
  int bench_argc = 1;
  benchmark::Initialize(&bench_argc, bench_argv);

  Status s = Run(*options);
  if (!s.ok()) {
    std::fprintf(stderr, "kholuu-bench store: %s\n", s.ToString().c_str());
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace kholuu::bench
