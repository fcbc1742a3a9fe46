#include "tools/bench/verify_bench.h"

#include <fcntl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/status.h"
#include "archive/blob/blob_store.h"
#include "archive/catalog/catalog.h"
#include "ingest/anchor.h"
#include "ingest/seal_key.h"
#include "ingest/service.h"
#include "tools/bench/bench_common.h"

namespace kholuu::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kUsage[] =
    "usage: kholuu-bench verify [options]\n"
    "\n"
    "Builds an archive of N documents through the archive library (real LMDB,\n"
    "every write audited as in production): record files of D documents, each\n"
    "document with one original component and an ingestion and a validation\n"
    "event; the originals are a pool of B distinct blobs (20-200 KiB) in the blob\n"
    "store and in a replica. Then times, in one run:\n"
    "  audit verify: Service::VerifyAudit + VerifyState + VerifyAnchors (what\n"
    "      `kholuu audit verify` runs; one sealed anchor over the whole log) in\n"
    "      this process, and the `kholuu audit verify --json` program;\n"
    "      reference: `sha256sum` over the catalog file (data.mdb);\n"
    "  verify ID: Service::VerifyRecord on S documents spread over the catalog\n"
    "      (median and p95), and the `kholuu verify ID` program on some of them;\n"
    "      reference: `sha256sum` over the same record's blobs (archive + replica),\n"
    "      one process per record as a user would run it.\n"
    "Caches are warm for both sides (the catalog was just written).\n"
    "\n"
    "options:\n"
    "  --records N        documents (default 20000; the documented figure: 1000000)\n"
    "  --docs-per-file D  documents per record file (default 50)\n"
    "  --blobs B          distinct blobs in the pool (default 200)\n"
    "  --samples S        documents timed with verify ID (default 200)\n"
    "  --runs R           audit verify runs, median reported (default 1)\n"
    "  --dir DIR          where the scratch directory is made (default $TMPDIR or /tmp)\n"
    "  --json             one JSON document instead of the table\n"
    "  --keep             keep the scratch directory\n"
    "  --help             this text\n";

struct Options {
  uint64_t records = 20000, docs_per_file = 50, blobs = 200, samples = 200, runs = 1;
  ScratchFlags scratch;
};

// Percentile p (0..1) of the values, nearest rank; 0 if empty.
double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(rank, v.size() - 1)];
}

model::RecordFile MakeFile(uint64_t n, uint64_t docs) {
  model::RecordFile f;
  f.file_code.organ_id = "000.00.00.H30";
  f.file_code.file_catalog = 2020 + static_cast<int>(n % 6);
  f.file_code.file_notation = std::to_string(n) + ".VP";
  f.title = "Hồ sơ công văn đi, đến của Văn phòng năm " + std::to_string(f.file_code.file_catalog) + ", tập " +
            std::to_string(n);
  f.maintenance = "20 năm";
  f.rights = model::AccessLevel::kPublic;
  f.creator = "Lê Thị Hoa";
  f.language = "Tiếng Việt";
  f.start_date = std::to_string(f.file_code.file_catalog) + "-01-02";
  f.end_date = std::to_string(f.file_code.file_catalog) + "-12-30";
  f.doc_total = static_cast<int>(docs);
  f.page_total = static_cast<int>(3 * docs);
  f.confidence = model::Confidence::kBornDigital;
  return f;
}

model::Document MakeDoc(const model::RecordFile& f, uint64_t ordinal, uint64_t serial) {
  model::Document d;
  d.file_code = f.file_code;
  d.doc_ordinal = static_cast<int>(ordinal);
  char ord[16];
  std::snprintf(ord, sizeof ord, "%03d", static_cast<int>(ordinal));
  d.id = f.file_code.ToString() + "." + ord;
  d.type_name = "Công văn";
  d.code_number = std::to_string(serial);
  d.code_notation = "UBND-VP";
  char date[16];
  std::snprintf(date, sizeof date, "%d-%02d-%02d", f.file_code.file_catalog, static_cast<int>(1 + serial % 12),
                static_cast<int>(1 + serial % 28));
  d.issued_date = date;
  d.organ_id = "000.00.00.H30";
  d.organ_name = "Ủy ban nhân dân tỉnh Mẫu";
  d.subject = "V/v triển khai công tác lưu trữ hồ sơ điện tử, công văn số " + d.code_number;
  d.language = "Tiếng Việt";
  d.page_amount = 3;
  d.signers.push_back({"Chủ tịch", "Phạm Minh Đức"});
  d.to.push_back({"000.00.00.G22", "Văn phòng Chính phủ"});
  return d;
}

struct Pool {
  std::vector<Sha256> digests;
  std::vector<uint64_t> sizes;
};

// B distinct blobs of 20-200 KiB, in the archive's store and the replica's.
Result<Pool> MakePool(archive::BlobStore& archive_blobs, archive::BlobStore& replica_blobs, uint64_t n) {
  Pool pool;
  std::mt19937_64 rng(0x76657269667931ull);
  for (uint64_t i = 0; i < n; ++i) {
    std::string bytes((20 + rng() % 181) * 1024, '\0');
    for (size_t k = 0; k + 8 <= bytes.size(); k += 8) {
      const uint64_t x = rng();
      std::memcpy(bytes.data() + k, &x, 8);
    }
    KHOLUU_ASSIGN_OR_RETURN(archive::BlobInfo info, archive_blobs.PutBytes(bytes));
    KHOLUU_RETURN_IF_ERROR(replica_blobs.PutBytes(bytes).status());
    pool.digests.push_back(info.sha256);
    pool.sizes.push_back(bytes.size());
  }
  return pool;
}

// The catalog: record files of D documents, one transaction each.
Status Populate(archive::Catalog& catalog, const Pool& pool, const Options& o, std::vector<std::string>* doc_ids) {
  const uint64_t files = (o.records + o.docs_per_file - 1) / o.docs_per_file;
  uint64_t serial = 0;
  const double start = NowSeconds();
  for (uint64_t n = 1; n <= files; ++n) {
    const uint64_t docs = std::min(o.docs_per_file, o.records - (n - 1) * o.docs_per_file);
    const model::RecordFile f = MakeFile(n, docs);
    const uint64_t first_serial = serial;
    KHOLUU_RETURN_IF_ERROR(catalog.Update("bench", [&](archive::WriteTxn& w) -> Status {
      uint64_t s = first_serial;
      KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(f));
      for (uint64_t i = 1; i <= docs; ++i) {
        const model::Document d = MakeDoc(f, i, ++s);
        KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
        model::Component c;
        c.id = d.id + "/1";
        c.document_id = d.id;
        c.role = model::ComponentRole::kOriginal;
        c.name = "cong-van-" + d.code_number + ".pdf";
        // Spread over the pool by a mixed serial, so that evenly spaced
        // samples do not all land on one blob.
        uint64_t mixed = s * 0x9e3779b97f4a7c15ull;
        mixed ^= mixed >> 31;
        const size_t b = static_cast<size_t>(mixed % pool.digests.size());
        c.sha256 = pool.digests[b];
        c.size = pool.sizes[b];
        c.media_type = "application/pdf";
        c.format_version = "1.7";
        KHOLUU_RETURN_IF_ERROR(w.PutComponent(c));
        model::Event ingest{0, model::EventType::kIngestion, model::EventOutcome::kSuccess, d.id,
                            "tiếp nhận từ gói " + d.code_number, "kholuu-bench", 0};
        KHOLUU_RETURN_IF_ERROR(w.AddEvent(ingest).status());
        model::Event valid{0, model::EventType::kValidation, model::EventOutcome::kSuccess, c.id,
                           "PDF/A-2b hợp lệ", "kholuu-bench", 0};
        KHOLUU_RETURN_IF_ERROR(w.AddEvent(valid).status());
      }
      return Status::Ok();
    }));
    serial += docs;
    for (uint64_t i = 1; i <= docs; ++i) {
      char ord[16];
      std::snprintf(ord, sizeof ord, ".%03d", static_cast<int>(i));
      if (doc_ids->size() < o.records) doc_ids->push_back(f.file_code.ToString() + ord);
    }
    if (n % std::max<uint64_t>(1, files / 10) == 0 && !o.scratch.json) {
      std::cerr << "kholuu-bench verify: " << serial << " documents written (" << Fixed(NowSeconds() - start, 1)
                << " s)\n";
    }
  }
  return Status::Ok();
}

int Fail(const std::string& what, const Status& s) {
  std::cerr << "kholuu-bench verify: " << what << ": " << s.message() << "\n";
  return kExitFailed;
}

}  // namespace

int RunVerifyBench(const std::vector<std::string>& args) {
  Options o;
  FlagReader reader(args);
  while (reader.Next()) {
    const std::string& a = reader.flag();
    auto common = TakeScratchFlag(reader, &o.scratch);
    if (!common.ok()) {
      std::cerr << "kholuu-bench verify: " << common.status().message() << "\n";
      return kExitUsage;
    }
    if (*common) continue;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return kExitOk;
    } else if (a == "--records" || a == "--docs-per-file" || a == "--blobs" || a == "--samples" || a == "--runs") {
      auto v = reader.PositiveValue();
      if (!v.ok() || (a == "--docs-per-file" && *v > 999)) {
        std::cerr << "kholuu-bench verify: "
                  << (v.ok() ? std::string("--docs-per-file takes 1 to 999") : v.status().message()) << "\n";
        return kExitUsage;
      }
      (a == "--records" ? o.records : a == "--docs-per-file" ? o.docs_per_file
                                    : a == "--blobs"         ? o.blobs
                                    : a == "--samples"       ? o.samples
                                                             : o.runs) = *v;
    } else {
      std::cerr << "kholuu-bench verify: unknown option '" << reader.arg() << "'\n" << kUsage;
      return kExitUsage;
    }
  }
  const std::string sha256sum = "/usr/bin/sha256sum";
  if (!PathExists(sha256sum)) return Fail("the reference", NotFoundError(sha256sum + " not found (coreutils)"));
  auto scratch = ScratchDir::Create(ScratchParent(o.scratch.dir), "kholuu-bench-verify-");
  if (!scratch.ok()) return Fail("scratch directory", scratch.status());
  scratch->set_keep(o.scratch.keep);
  const std::string data = scratch->path() + "/archive", replica = scratch->path() + "/replica";

  auto service = ingest::Service::Init(ingest::DataDir(data), "bench");
  if (!service.ok()) return Fail("init", service.status());
  archive::Catalog& catalog = (*service)->archive().catalog();
  auto replica_blobs = archive::BlobStore::Open(replica + "/blobs", /*create=*/true);
  if (!replica_blobs.ok()) return Fail("replica", replica_blobs.status());
  auto pool = MakePool((*service)->archive().blobs(), **replica_blobs, o.blobs);
  if (!pool.ok()) return Fail("blobs", pool.status());
  std::vector<std::string> doc_ids;
  const double build_start = NowSeconds();
  Status built = Populate(catalog, *pool, o, &doc_ids);
  if (built.ok()) {
    built = catalog.Update("bench", [&](archive::WriteTxn& w) { return w.SetMeta("replica.path", replica); });
  }
  if (!built.ok()) return Fail("building the catalog", built);
  const double build_seconds = NowSeconds() - build_start;
  // An anchor over the whole log (sealed with a new seal key, no TSA), as
  // `kholuu backup` makes: `audit verify` recomputes its root.
  {
    ingest::SealKeySource key;
    key.subject = "CN=kholuu-bench verify";
    key.now = static_cast<int64_t>(NowSeconds());
    auto installed = ingest::InstallSealKey(ingest::DataDir(data), key, /*replace=*/false);
    if (!installed.ok()) return Fail("seal key", installed.status());
    ingest::AnchorOptions anchor;
    anchor.reason = "bench";
    auto made = (*service)->AnchorLog(anchor);
    if (!made.ok()) return Fail("anchor", made.status());
  }
  const std::string data_mdb = data + "/catalog/data.mdb";
  uint64_t catalog_bytes = 0;
  {
    auto f = File::Open(data_mdb, O_RDONLY);
    if (f.ok()) {
      auto size = f->Size();
      if (size.ok()) catalog_bytes = *size;
    }
  }
  auto counts = (*service)->GetStats();
  if (!counts.ok()) return Fail("stats", counts.status());
  SyncFileSystem(scratch->path()).IgnoreError();

  // audit verify, in process: the chain walk, then every record against it.
  std::vector<double> chain_s, state_s, anchor_s, cli_s, ref_s;
  uint64_t entries = 0, rows = 0;
  // The kholuu program, built next to this one.
  std::error_code self_ec;
  const std::string kholuu =
      std::filesystem::read_symlink("/proc/self/exe", self_ec).parent_path().string() + "/kholuu";
  const bool have_cli = PathExists(kholuu);
  for (uint64_t r = 0; r < o.runs; ++r) {
    double t0 = NowSeconds();
    auto audit = (*service)->VerifyAudit();
    double t1 = NowSeconds();
    auto state = (*service)->VerifyState();
    double t2 = NowSeconds();
    auto anchors = (*service)->VerifyAnchors();
    anchor_s.push_back(NowSeconds() - t2);
    if (!audit.ok()) return Fail("VerifyAudit", audit.status());
    if (!state.ok()) return Fail("VerifyState", state.status());
    if (!anchors.ok()) return Fail("VerifyAnchors", anchors.status());
    if (!audit->ok || !state->ok() || !anchors->ok()) {
      return Fail("audit verify", DataLossError("the fresh catalog does not verify"));
    }
    entries = audit->entries;
    rows = state->rows;
    chain_s.push_back(t1 - t0);
    state_s.push_back(t2 - t1);
    if (have_cli) {
      t0 = NowSeconds();
      auto rc = RunQuiet({kholuu, "audit", "verify", "--json", "--data", data});
      if (!rc.ok() || *rc != 0) return Fail("kholuu audit verify", InternalError("did not pass"));
      cli_s.push_back(NowSeconds() - t0);
    }
    t0 = NowSeconds();
    auto rc = RunQuiet({sha256sum, data_mdb});
    if (!rc.ok() || *rc != 0) return Fail("sha256sum", InternalError("failed on " + data_mdb));
    ref_s.push_back(NowSeconds() - t0);
  }

  // verify ID on S documents spread over the catalog.
  std::vector<double> id_s, id_ref_s, id_cli_s;
  uint64_t id_bytes = 0;
  const uint64_t samples = std::min<uint64_t>(o.samples, doc_ids.size());
  for (uint64_t i = 0; i < samples; ++i) {
    const std::string& id = doc_ids[i * doc_ids.size() / samples];
    const double t0 = NowSeconds();
    auto v = (*service)->VerifyRecord(id);
    const double t1 = NowSeconds();
    if (!v.ok()) return Fail("verify " + id, v.status());
    if (!v->ok() || v->blobs != 2) return Fail("verify " + id, DataLossError("the fresh record does not verify"));
    id_s.push_back(t1 - t0);
    id_bytes += v->bytes;
    std::vector<std::string> argv = {sha256sum};
    for (const ingest::RecordCheck& c : v->checks) {
      if (c.what != "blob" && c.what != "replica") continue;
      auto digest = Sha256::FromHex(c.object);
      if (!digest.ok()) continue;
      argv.push_back(c.what == "blob" ? (*service)->archive().blobs().PathOf(*digest)
                                      : (*replica_blobs)->PathOf(*digest));
    }
    const double r0 = NowSeconds();
    auto rc = RunQuiet(argv);
    if (!rc.ok() || *rc != 0) return Fail("sha256sum", InternalError("failed on the blobs of " + id));
    id_ref_s.push_back(NowSeconds() - r0);
    if (have_cli && i % std::max<uint64_t>(1, samples / 20) == 0) {
      const double c0 = NowSeconds();
      auto crc = RunQuiet({kholuu, "verify", id, "--json", "--data", data});
      if (!crc.ok() || *crc != 0) return Fail("kholuu verify " + id, InternalError("did not pass"));
      id_cli_s.push_back(NowSeconds() - c0);
    }
  }

  const MachineInfo m = DescribeMachine(scratch->path());
  const double chain = Median(chain_s), st = Median(state_s), an = Median(anchor_s), ref = Median(ref_s);
  Json out;
  out["machine"] = {{"cpu", m.cpu_model}, {"sha_ni", m.cpu_sha_ni}, {"nproc", m.nproc}, {"fs", m.fs_type}};
  out["records"] = o.records;
  out["catalog"] = {{"documents", counts->counts.documents},   {"record_files", counts->counts.record_files},
                    {"components", counts->counts.components}, {"events", counts->counts.events},
                    {"audit_entries", counts->counts.audit_entries}, {"bytes", catalog_bytes},
                    {"build_seconds", build_seconds}};
  out["audit_verify"] = {{"entries", entries},
                         {"rows", rows},
                         {"chain_seconds", chain},
                         {"state_seconds", st},
                         {"anchor_seconds", an},
                         {"total_seconds", chain + st + an},
                         {"cli_seconds", Median(cli_s)},
                         {"sha256sum_seconds", ref},
                         {"total_over_sha256sum", (chain + st + an) / ref}};
  out["verify_id"] = {{"samples", samples},
                      {"bytes_per_record", samples > 0 ? id_bytes / samples : 0},
                      {"median_ms", Median(id_s) * 1e3},
                      {"p95_ms", Percentile(id_s, 0.95) * 1e3},
                      {"cli_median_ms", Median(id_cli_s) * 1e3},
                      {"cli_runs", id_cli_s.size()},
                      {"sha256sum_median_ms", Median(id_ref_s) * 1e3},
                      {"sha256sum_p95_ms", Percentile(id_ref_s, 0.95) * 1e3}};
  out["reference"] = FirstLineOf(sha256sum + " --version");
  if (o.scratch.json) {
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  const auto& c = counts->counts;
  std::printf("catalog: %llu documents in %llu record files, %llu components, %llu events, %llu audit entries; "
              "data.mdb %.1f MB (built in %.1f s)\n",
              static_cast<unsigned long long>(c.documents), static_cast<unsigned long long>(c.record_files),
              static_cast<unsigned long long>(c.components), static_cast<unsigned long long>(c.events),
              static_cast<unsigned long long>(c.audit_entries), static_cast<double>(catalog_bytes) / 1e6,
              build_seconds);
  std::printf("audit verify  chain walk %.2f s + records against history %.2f s + anchor %.2f s = %.2f s (%llu rows)",
              chain, st, an, chain + st + an, static_cast<unsigned long long>(rows));
  if (have_cli) std::printf("; the kholuu program %.2f s", Median(cli_s));
  std::printf("\n  sha256sum data.mdb  %.2f s  -> audit verify takes x%.2f of it\n", ref, (chain + st + an) / ref);
  std::printf("verify ID     %llu documents, %llu bytes re-hashed each (archive + replica): median %.2f ms, "
              "p95 %.2f ms",
              static_cast<unsigned long long>(samples), static_cast<unsigned long long>(samples ? id_bytes / samples : 0),
              Median(id_s) * 1e3, Percentile(id_s, 0.95) * 1e3);
  if (have_cli) std::printf("; the kholuu program %.1f ms (median of %zu)", Median(id_cli_s) * 1e3, id_cli_s.size());
  std::printf("\n  sha256sum of the same blobs (one process each)  median %.2f ms, p95 %.2f ms\n",
              Median(id_ref_s) * 1e3, Percentile(id_ref_s, 0.95) * 1e3);
  return kExitOk;
}

}  // namespace kholuu::bench
