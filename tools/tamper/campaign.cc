#include "tools/tamper/campaign.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <vector>

#include "archive/base/file.h"
#include "archive/base/sha256.h"
#include "tools/tamper/oracle.h"
#include "tools/tamper/process.h"

namespace kholuu::tamper {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// The targets, in the order of the summary table. Trial i takes
// kPlan[i % size]: every target is exercised in any run of 20 trials or more.
constexpr const char* kCatalogRandom = "catalog: random byte";
constexpr const char* kCatalogPage = "catalog: page header";
constexpr const char* kCatalogRow = "catalog: record row";
constexpr const char* kAuditEntry = "audit log entry";
constexpr const char* kBlob = "blob";
constexpr const char* kReplicaBlob = "replica: blob";
constexpr const char* kReplicaCatalog = "replica: catalog";
constexpr const char* kIndex = "index";
// Not a random target: rewriting history before an anchor. A byte flipped
// at random never yields a consistent chain (every later hash and the head
// recomputed), which is what only an anchor can disprove; that rewrite is
// made on purpose by evidence_cli_test's RewritingHistoryBeforeAnAnchorIsDetected.

constexpr const char* kPlan[] = {kCatalogRandom, kCatalogRow,  kBlob,          kAuditEntry,     kCatalogRandom,
                                 kCatalogPage,   kIndex,       kReplicaBlob,   kCatalogRow,     kAuditEntry,
                                 kCatalogRandom, kBlob,        kCatalogPage,   kReplicaCatalog, kCatalogRow,
                                 kAuditEntry,    kCatalogRandom, kBlob,        kReplicaBlob,    kIndex};
constexpr size_t kPlanSize = sizeof kPlan / sizeof kPlan[0];

// Outcomes. A trial that changed a record ends detected, refused, SILENT or
// CRASH; one that changed nothing the archive must prove is harmless or
// derived-only; index trials have their own three.
constexpr const char* kDetected = "detected";
constexpr const char* kRefused = "refused";
constexpr const char* kHarmless = "harmless";
constexpr const char* kDerivedNoticed = "derived, noticed";
constexpr const char* kDerivedUnnoticed = "derived, unnoticed";
constexpr const char* kIndexSame = "index: same results";
constexpr const char* kIndexRefused = "index: refused";
constexpr const char* kIndexDiffers = "index: results differ";
constexpr const char* kSilent = "SILENT";
constexpr const char* kCrash = "CRASH";
constexpr const char* kOutcomes[] = {kDetected,         kRefused,    kHarmless,      kDerivedNoticed,
                                     kDerivedUnnoticed, kIndexSame,  kIndexRefused,  kIndexDiffers,
                                     kSilent,           kCrash};

// splitmix64: small, fast, and the same on every platform and compiler.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

std::string Hex(std::string_view bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out.push_back(kHex[(static_cast<uint8_t>(c) >> 4) & 0xf]);
    out.push_back(kHex[static_cast<uint8_t>(c) & 0xf]);
  }
  return out;
}

std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  if (line.size() > 300) line = line.substr(0, 300) + "…";
  return line;
}

// What one mutation did.
struct Mutation {
  std::string target;
  std::string file;        // relative to the trial directory
  uint64_t offset = 0;
  std::string before, after;  // the bytes at offset
  std::string aimed_at;    // for targeted trials: the row aimed at ("documents 000…001")
};

Status XorBytes(const std::string& path, uint64_t offset, uint64_t length, Rng& rng, Mutation* m) {
  KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_RDWR));
  std::string bytes(length, '\0');
  if (::pread(f.fd(), bytes.data(), length, static_cast<off_t>(offset)) != static_cast<ssize_t>(length)) {
    return InternalError("cannot read " + path);
  }
  m->before = bytes;
  for (char& c : bytes) c = static_cast<char>(static_cast<uint8_t>(c) ^ static_cast<uint8_t>(1 + rng.Below(255)));
  m->after = bytes;
  if (::pwrite(f.fd(), bytes.data(), length, static_cast<off_t>(offset)) != static_cast<ssize_t>(length)) {
    return InternalError("cannot write " + path);
  }
  m->offset = offset;
  return f.Close();
}

// 1 byte in most trials, a run of 2–8 in some.
uint64_t RunLength(Rng& rng) { return rng.Below(10) < 7 ? 1 : 2 + rng.Below(7); }

std::vector<std::string> RegularFilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->file_size() > 0) out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Command {
  std::string name;        // "audit verify", "verify 000…", "fixity", "show …", "search …"
  std::vector<std::string> argv;
};

struct CheckResult {
  std::string name;
  ProcessResult run;
  Json json;               // stdout parsed, or null
  bool report_failed = false;   // a report that says something differs (exit 1, ok false / failures)
  bool refused = false;         // an error message instead of a report
  bool crashed = false;         // signal, time-out, or exit 3 (internal error) without a clear reason
  bool internal_exit = false;   // exit 3 with a clear reason (the status should be 1 or 2)
  std::vector<std::string> named;  // "table key" / "blob SHA" the report names
};

class Campaign {
 public:
  explicit Campaign(const CampaignOptions& o) : o_(o) {}

  Status BuildBase();
  Status TakeBaseline();
  Result<Json> RunTrial(uint64_t index);
  const CampaignOptions& options() const { return o_; }

 private:
  std::string Archive() const { return o_.work + "/trial/archive"; }
  std::string Replica() const { return o_.work + "/trial/replica"; }
  std::string BaseDir() const { return o_.work + "/base"; }

  Result<ProcessResult> Kholuu(const std::vector<std::string>& args, const std::string& data) const;
  Status MustSucceed(const std::vector<std::string>& args) const;
  Result<CatalogDump> Dump(const std::string& catalog_dir, std::string* failure) const;
  CheckResult Check(const Command& c) const;
  std::vector<Command> ArchiveChecks(const std::set<std::string>& show_ids) const;
  Status Mutate(const std::string& target, Rng& rng, Mutation* m) const;
  Status MutateRow(const std::vector<std::string>& dbs, Rng& rng, Mutation* m) const;

  CampaignOptions o_;
  CatalogDump base_dump_, base_replica_dump_;
  std::vector<std::string> audited_meta_;
  std::vector<std::string> record_files_, documents_;
  std::set<std::string> all_ids_;  // record files and documents
  std::map<std::string, std::string> base_show_;    // id -> `show --json` output
  std::map<std::string, std::string> base_search_;  // query -> `search --json` output
};

Result<ProcessResult> Campaign::Kholuu(const std::vector<std::string>& args, const std::string& data) const {
  std::vector<std::string> argv = {o_.kholuu};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--data");
  argv.push_back(data);
  return Run(argv, o_.timeout_seconds);
}

Status Campaign::MustSucceed(const std::vector<std::string>& args) const {
  KHOLUU_ASSIGN_OR_RETURN(ProcessResult r, Kholuu(args, Archive()));
  if (r.exit_code != 0) {
    return InternalError("kholuu " + args[0] + " on the base archive: " + r.Describe() + ": " + FirstLine(r.err));
  }
  return Status::Ok();
}

Status Campaign::BuildBase() {
  std::error_code ec;
  fs::remove_all(o_.work + "/trial", ec);
  fs::remove_all(BaseDir(), ec);
  KHOLUU_RETURN_IF_ERROR(CreateDirs(o_.work + "/trial"));
  KHOLUU_RETURN_IF_ERROR(MustSucceed({"init"}));
  if (o_.sample) {
    std::cerr << "kholuu-tamper: seeding the base archive (kholuu sample: ingest, preservation, OCR)…\n";
    KHOLUU_RETURN_IF_ERROR(MustSucceed({"sample"}));
  }
  // Real signed PDFs and real scans as the originals of three record files.
  std::vector<std::string> files;
  if (!o_.corpus.empty()) {
    for (const std::string& sub : {std::string("pdf-pyhanko"), std::string("scans-real")}) {
      std::vector<std::string> found;
      std::error_code dir_ec;
      for (auto it = fs::directory_iterator(o_.corpus + "/" + sub, dir_ec); !dir_ec && it != fs::directory_iterator();
           it.increment(dir_ec)) {
        if (it->is_regular_file() && it->path().extension() == ".pdf") found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.size() > 12) found.resize(12);
      files.insert(files.end(), found.begin(), found.end());
    }
  }
  size_t stored = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const std::string file_code = "000.00.00.H30.2024.0" + std::to_string(i % 3 + 1) + ".TC";
    KHOLUU_ASSIGN_OR_RETURN(
        ProcessResult r,
        Kholuu({"put", files[i], "--file-code", file_code, "--title", "Hồ sơ kiểm thử " + std::to_string(i % 3 + 1),
                "--subject", "Văn bản số " + n + " về công tác lưu trữ điện tử", "--issued",
                "2024-03-0" + std::to_string(i % 9 + 1), "--organ-name",
                "Sở Nội vụ tỉnh Mẫu", "--number", n, "--notation", "QĐ-SNV", "--type", "Quyết định"},
               Archive()));
    if (r.exit_code == 0) ++stored;
  }
  if (!files.empty() && stored == 0) return InternalError("kholuu put accepted none of the corpus files");
  // An anchor over the whole log (sealed; no TSA here): `audit verify`
  // recomputes its root, so a changed entry is also disproved by it.
  KHOLUU_RETURN_IF_ERROR(MustSucceed({"seal", "init"}));
  KHOLUU_RETURN_IF_ERROR(MustSucceed({"anchor", "make"}));
  KHOLUU_RETURN_IF_ERROR(MustSucceed({"replica", "sync", Replica()}));
  KHOLUU_RETURN_IF_ERROR(MustSucceed({"reindex"}));
  // The copies of every trial live at the same paths as the base was built
  // at, so that the catalog's replica.path names the trial's replica.
  fs::rename(o_.work + "/trial", BaseDir(), ec);
  if (ec) return InternalError("cannot move the base archive: " + ec.message());
  std::cerr << "kholuu-tamper: base archive built (" << stored << " corpus files stored)\n";
  return Status::Ok();
}

Result<CatalogDump> Campaign::Dump(const std::string& catalog_dir, std::string* failure) const {
  // "DIR\nTABLE": that table only (mdb_dump -s), else every table (-a).
  const size_t nl = catalog_dir.find('\n');
  const std::vector<std::string> argv =
      nl == std::string::npos
          ? std::vector<std::string>{o_.mdb_dump, "-a", catalog_dir}
          : std::vector<std::string>{o_.mdb_dump, "-s", catalog_dir.substr(nl + 1), catalog_dir.substr(0, nl)};
  KHOLUU_ASSIGN_OR_RETURN(ProcessResult r, Run(argv, o_.timeout_seconds));
  if (r.exit_code != 0) {
    *failure = "mdb_dump " + r.Describe() + ": " + FirstLine(r.err);
    return DataLossError(*failure);
  }
  auto parsed = ParseMdbDump(r.out);
  if (!parsed.ok()) *failure = parsed.status().message();
  return parsed;
}

CheckResult Campaign::Check(const Command& c) const {
  CheckResult out;
  out.name = c.name;
  auto r = Run(c.argv, o_.timeout_seconds);
  if (!r.ok()) {
    out.crashed = true;
    out.run.err = r.status().message();
    return out;
  }
  out.run = *r;
  if (out.run.Crashed() || out.run.exit_code < 0) {
    out.crashed = true;
    return out;
  }
  if (out.run.exit_code == 3) {
    // "Internal error": acceptable only with a reason that tells the user
    // what is damaged and what to do; the exit status itself is a finding.
    const std::string& e = out.run.err;
    const bool clear = e.find("damaged") != std::string::npos || e.find("kholuu reindex") != std::string::npos ||
                       e.find("restore") != std::string::npos;
    out.crashed = !clear;
    out.refused = clear;
    out.internal_exit = true;
    return out;
  }
  out.json = Json::parse(out.run.out, nullptr, /*allow_exceptions=*/false);
  if (out.run.exit_code == 0) return out;
  if (out.json.is_discarded() || !out.json.is_object() || out.json.contains("error")) {
    out.refused = true;  // an error, not a report: stderr says why
    return out;
  }
  out.report_failed = true;
  const Json& j = out.json;
  if (j.contains("chain_ok") && !j["chain_ok"].get<bool>()) {
    out.named.push_back("audit " + std::to_string(j.value("first_bad", uint64_t{0})));
  }
  if (j.contains("state")) {
    for (const Json& p : j["state"]["problems"]) {
      out.named.push_back(p.value("table", "") + " " + p.value("key", ""));
    }
  }
  if (j.contains("checks")) {
    for (const Json& k : j["checks"]) {
      if (!k.value("ok", true)) out.named.push_back(k.value("what", "") + " " + k.value("object", ""));
    }
  }
  if (j.contains("failures")) {
    for (const Json& f : j["failures"]) out.named.push_back("blob " + f.value("sha256", ""));
  }
  return out;
}

std::vector<Command> Campaign::ArchiveChecks(const std::set<std::string>& show_ids) const {
  const std::string data = Archive();
  std::vector<Command> out;
  out.push_back({"audit verify", {o_.kholuu, "audit", "verify", "--json", "--data", data}});
  for (const std::string& id : record_files_) {
    out.push_back({"verify " + id, {o_.kholuu, "verify", id, "--json", "--data", data}});
  }
  out.push_back({"fixity", {o_.kholuu, "fixity", "--no-events", "--json", "--data", data}});
  for (const std::string& id : show_ids) out.push_back({"show " + id, {o_.kholuu, "show", id, "--json", "--data", data}});
  return out;
}

Status Campaign::TakeBaseline() {
  std::error_code ec;
  fs::remove_all(o_.work + "/trial", ec);
  fs::copy(BaseDir(), o_.work + "/trial", fs::copy_options::recursive, ec);
  if (ec) return InternalError("copying the base archive: " + ec.message());
  std::string failure;
  auto dump = Dump(Archive() + "/catalog", &failure);
  if (!dump.ok()) return InternalError("the oracle cannot read the untouched catalog: " + failure);
  base_dump_ = std::move(*dump);
  auto replica_dump = Dump(Replica() + "/catalog", &failure);
  if (!replica_dump.ok()) return InternalError("the oracle cannot read the untouched replica: " + failure);
  base_replica_dump_ = std::move(*replica_dump);
  for (const auto& [k, v] : base_dump_.dbs["record_files"]) record_files_.push_back(k);
  for (const auto& [k, v] : base_dump_.dbs["documents"]) documents_.push_back(k);
  if (record_files_.empty() || documents_.empty()) return InternalError("the base archive holds no records");
  KHOLUU_ASSIGN_OR_RETURN(ProcessResult log, Kholuu({"audit", "log", "--limit", "0", "--json"}, Archive()));
  Json entries = Json::parse(log.out, nullptr, false);
  if (log.exit_code != 0 || !entries.is_array()) return InternalError("kholuu audit log failed on the base archive");
  for (const Json& e : entries) {
    if (e.value("action", "") == "meta.set") audited_meta_.push_back(e.value("object", ""));
  }
  // Every check must pass on the untouched copy, or the campaign means nothing.
  all_ids_.insert(record_files_.begin(), record_files_.end());
  all_ids_.insert(documents_.begin(), documents_.end());
  for (const Command& c : ArchiveChecks(all_ids_)) {
    CheckResult r = Check(c);
    if (r.crashed || r.refused || r.report_failed) {
      return InternalError("baseline: " + c.name + " fails on the untouched archive: " + r.run.Describe() + ": " +
                           FirstLine(r.run.err));
    }
    if (c.name.rfind("show ", 0) == 0) base_show_[c.name.substr(5)] = r.run.out;
  }
  for (const std::string& q : {std::string("lưu trữ"), std::string("van ban"), std::string("kế hoạch")}) {
    KHOLUU_ASSIGN_OR_RETURN(ProcessResult s, Kholuu({"search", q, "--json", "--limit", "50"}, Archive()));
    if (s.exit_code != 0) return InternalError("baseline: kholuu search '" + q + "' failed: " + FirstLine(s.err));
    base_search_[q] = s.out;
  }
  std::cerr << "kholuu-tamper: baseline: " << record_files_.size() << " record files, " << documents_.size()
            << " documents, every check passes on the untouched copy\n";
  return Status::Ok();
}

Status Campaign::MutateRow(const std::vector<std::string>& dbs, Rng& rng, Mutation* m) const {
  // A row of one of `dbs`, its key (1 in 4) or value; the bytes are found
  // where they lie in data.mdb (a stale copy in a free page may be hit:
  // the oracle tells).
  std::vector<std::pair<std::string, const std::pair<std::string, std::string>*>> rows;
  for (const std::string& db : dbs) {
    auto it = base_dump_.dbs.find(db);
    if (it == base_dump_.dbs.end()) continue;
    for (const auto& row : it->second) rows.emplace_back(db, &row);
  }
  const std::string path = Archive() + "/catalog/data.mdb";
  KHOLUU_ASSIGN_OR_RETURN(std::string file, ReadFileToString(path));
  for (int attempt = 0; attempt < 20 && !rows.empty(); ++attempt) {
    const auto& [db, row] = rows[rng.Below(rows.size())];
    const bool key = rng.Below(4) == 0;
    const std::string& needle = key ? row->first : row->second;
    if (needle.empty()) continue;
    std::vector<size_t> at;
    for (size_t p = file.find(needle); p != std::string::npos; p = file.find(needle, p + 1)) at.push_back(p);
    if (at.empty()) continue;  // a value split over pages, or compressed away: try another
    const size_t start = at[rng.Below(at.size())];
    const uint64_t len = std::min<uint64_t>(RunLength(rng), needle.size());
    const uint64_t offset = start + rng.Below(needle.size() - len + 1);
    m->aimed_at = db + " " + PrintableKey(row->first) + (key ? " (key)" : " (value)") + ", copy " +
                  std::to_string(std::find(at.begin(), at.end(), start) - at.begin() + 1) + " of " +
                  std::to_string(at.size());
    m->file = "archive/catalog/data.mdb";
    return XorBytes(path, offset, len, rng, m);
  }
  return InternalError("no row of " + dbs.front() + " found in the catalog file");
}

Status Campaign::Mutate(const std::string& target, Rng& rng, Mutation* m) const {
  m->target = target;
  const std::string trial = o_.work + "/trial/";
  auto random_in = [&](const std::string& rel, uint64_t first, uint64_t span_limit) -> Status {
    const std::string path = trial + rel;
    KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_RDONLY));
    KHOLUU_ASSIGN_OR_RETURN(uint64_t size, f.Size());
    const uint64_t len = RunLength(rng);
    if (size < first + len) return InternalError(path + " is too small");
    const uint64_t span = std::min<uint64_t>(size - first - len + 1, span_limit);
    m->file = rel;
    return XorBytes(path, first + rng.Below(span), len, rng, m);
  };
  auto random_file = [&](const std::string& rel_dir) -> Status {
    std::vector<std::string> files = RegularFilesUnder(trial + rel_dir);
    if (files.empty()) return InternalError("no file under " + rel_dir);
    const std::string rel = files[rng.Below(files.size())].substr(trial.size());
    return random_in(rel, 0, UINT64_MAX);
  };
  if (target == kCatalogRandom) return random_in("archive/catalog/data.mdb", 0, UINT64_MAX);
  if (target == kCatalogPage) {
    const std::string path = trial + "archive/catalog/data.mdb";
    KHOLUU_ASSIGN_OR_RETURN(File f, File::Open(path, O_RDONLY));
    KHOLUU_ASSIGN_OR_RETURN(uint64_t size, f.Size());
    const uint64_t page = rng.Below(size / 4096);
    m->aimed_at = "page " + std::to_string(page);
    return random_in("archive/catalog/data.mdb", page * 4096, 48);
  }
  if (target == kCatalogRow) {
    return MutateRow({"agencies", "record_files", "documents", "components", "events", "jobs"}, rng, m);
  }
  if (target == kAuditEntry) return MutateRow({"audit"}, rng, m);
  if (target == kBlob) return random_file("archive/blobs/sha256");
  if (target == kReplicaBlob) return random_file("replica/blobs/sha256");
  if (target == kReplicaCatalog) return random_in("replica/catalog/data.mdb", 0, UINT64_MAX);
  if (target == kIndex) return random_file("archive/index");
  return InternalError("unknown target " + target);
}

// The id of the record a changed catalog row belongs to, when it has one
// that `show` takes ("" otherwise).
std::string ShowableId(const RowChange& c, const std::set<std::string>& ids) {
  // A row, or an index entry keyed by a record's id (idx_comp_doc,
  // idx_doc_file, idx_event_obj, idx_audit_obj): what `show` of that record
  // prints may change with it. A component's id shows as its document's.
  const std::string id = c.db == "components" || c.db.rfind("idx_", 0) == 0 ? c.key.substr(0, c.key.find('/')) : c.key;
  if (c.db == "record_files" || c.db == "documents" || c.db == "components") return id;
  return ids.count(id) > 0 ? id : "";
}

Result<Json> Campaign::RunTrial(uint64_t index) {
  Rng rng(o_.seed * 0x100000001b3ull + index * 0x9e3779b97f4a7c15ull + 1);
  rng.Next();
  const std::string target = kPlan[(index + o_.seed) % kPlanSize];
  std::error_code ec;
  fs::remove_all(o_.work + "/trial", ec);
  fs::copy(BaseDir(), o_.work + "/trial", fs::copy_options::recursive, ec);
  if (ec) return InternalError("copying the base archive: " + ec.message());
  Mutation m;
  KHOLUU_RETURN_IF_ERROR(Mutate(target, rng, &m));

  Json j;
  j["trial"] = index;
  j["target"] = target;
  j["file"] = m.file;
  j["offset"] = m.offset;
  j["before"] = Hex(m.before);
  j["after"] = Hex(m.after);
  if (!m.aimed_at.empty()) j["aimed_at"] = m.aimed_at;

  // The oracle: what changed, by a reader that is not kholuu.
  std::vector<RowChange> changes;
  bool unreadable = false;
  std::string unreadable_why;
  std::vector<std::string> record_objects;  // what a check should name
  std::set<std::string> show_ids(record_files_.begin(), record_files_.end());
  const bool catalog_target = m.file == "archive/catalog/data.mdb";
  const bool replica_catalog = m.file == "replica/catalog/data.mdb";
  if (catalog_target || replica_catalog) {
    const std::string dir = o_.work + "/trial/" + (catalog_target ? "archive" : "replica") + "/catalog";
    const CatalogDump& base = catalog_target ? base_dump_ : base_replica_dump_;
    auto after = Dump(dir, &unreadable_why);
    if (after.ok()) {
      changes = Diff(base, *after);
    } else {
      unreadable = true;
      // Table by table: which ones mdb_dump cannot read. An unreadable
      // record table is a changed record; an unreadable index is derived.
      CatalogDump readable;
      for (const auto& [name, rows] : base.dbs) {
        CatalogDump one;
        one.dbs[name] = rows;
        std::string why;
        auto table = Dump(dir + "\n" + name, &why);
        if (table.ok()) {
          for (RowChange& c : Diff(one, *table)) changes.push_back(std::move(c));
        } else {
          changes.push_back({name, "", "unreadable", false});
        }
      }
      std::sort(changes.begin(), changes.end(),
                [](const RowChange& a, const RowChange& b) { return std::tie(a.db, a.key) < std::tie(b.db, b.key); });
    }
  } else if (target == kBlob || target == kReplicaBlob) {
    record_objects.push_back("blob " + m.file.substr(m.file.rfind('/') + 1));
  }
  Json oracle = {{"readable", !unreadable}};
  if (unreadable) oracle["why"] = unreadable_why;
  Json jr = Json::array(), jd = Json::array();
  for (RowChange& c : changes) {
    c.record = IsRecordRow(c.db, c.key, audited_meta_) || (c.kind == "unreadable" && c.db == "meta");
    std::string key = PrintableKey(c.key);
    if (!key.empty() && key[0] == '#') key = key.substr(1);
    (c.record ? jr : jd).push_back(c.db + " " + key + " " + c.kind);
    if (c.record) record_objects.push_back(c.db + " " + key);
    const std::string id = ShowableId(c, all_ids_);
    if (!id.empty() && catalog_target) show_ids.insert(id);
  }
  oracle["record_changes"] = jr;
  oracle["derived_changes"] = jd;
  j["oracle"] = oracle;
  const bool record_changed = !record_objects.empty();
  const bool derived_changed = !jd.empty();

  // The real commands, each its own process.
  std::vector<Command> commands;
  if (target == kIndex) {
    for (const auto& [q, out] : base_search_) {
      commands.push_back({"search " + q, {o_.kholuu, "search", q, "--json", "--limit", "50", "--data", Archive()}});
    }
  } else {
    commands = ArchiveChecks(show_ids);
    if (replica_catalog) {
      commands.push_back({"audit verify (replica)", {o_.kholuu, "audit", "verify", "--json", "--data", Replica()}});
    }
  }
  bool crashed = false, detected = false, refused = false, verifier_saw = false, named = false, shown_differs = false;
  Json checks = Json::array();
  std::string why;
  for (const Command& c : commands) {
    CheckResult r = Check(c);
    Json cj = {{"command", c.name}, {"result", r.run.Describe()}};
    if (!r.run.err.empty()) cj["stderr"] = FirstLine(r.run.err);
    if (!r.named.empty()) cj["named"] = r.named;
    if (r.internal_exit) cj["exit_3_with_reason"] = true;
    const bool is_show = c.name.rfind("show ", 0) == 0, is_search = c.name.rfind("search ", 0) == 0;
    if (r.crashed) {
      crashed = true;
      why = c.name + ": " + r.run.Describe() + " " + FirstLine(r.run.err);
    } else if (r.refused) {
      refused = true;
      verifier_saw = verifier_saw || (!is_show && !is_search);
    } else if (r.report_failed) {
      detected = true;
      verifier_saw = true;
      for (const std::string& n : r.named) {
        for (const std::string& o : record_objects) {
          // "documents X" is named "document X", "events N" "event N", a blob by its hash.
          const std::string key = o.substr(o.find(' ') + 1);
          if (n.size() >= key.size() && n.compare(n.size() - key.size(), key.size(), key) == 0) named = true;
          if (o.rfind("audit ", 0) == 0 && n.find("audit") != std::string::npos) named = true;
        }
      }
    } else if (is_show) {
      auto base = base_show_.find(c.name.substr(5));
      if (base != base_show_.end() && base->second != r.run.out) {
        shown_differs = true;
        cj["output_differs"] = true;
      }
    } else if (is_search && base_search_.at(c.name.substr(7)) != r.run.out) {
      shown_differs = true;
      cj["output_differs"] = true;
    }
    checks.push_back(cj);
  }
  j["checks"] = checks;

  std::string outcome;
  if (crashed) {
    outcome = kCrash;
  } else if (target == kIndex) {
    outcome = refused ? kIndexRefused : (shown_differs ? kIndexDiffers : kIndexSame);
    if (refused || shown_differs) {
      // The index is derived: a rebuild must bring the results back.
      KHOLUU_ASSIGN_OR_RETURN(ProcessResult re, Kholuu({"reindex"}, Archive()));
      bool back = re.exit_code == 0;
      for (const auto& [q, out] : base_search_) {
        if (!back) break;
        KHOLUU_ASSIGN_OR_RETURN(ProcessResult s, Kholuu({"search", q, "--json", "--limit", "50"}, Archive()));
        back = s.exit_code == 0 && s.out == out;
      }
      j["reindex_restores"] = back;
      if (!back) {
        outcome = kSilent;
        why = "kholuu reindex did not bring the search results back";
      }
    }
  } else if (record_changed) {
    if (detected) {
      outcome = kDetected;
    } else if (refused) {
      outcome = kRefused;
    } else {
      outcome = kSilent;
      why = "a record changed and every check passed";
    }
  } else if (shown_differs && !detected && !refused) {
    outcome = kSilent;
    why = "`show` prints something else and every check passed";
  } else if (derived_changed) {
    outcome = detected || refused ? kDerivedNoticed : kDerivedUnnoticed;
  } else {
    outcome = kHarmless;
    if (detected || refused) why = "nothing the oracle reads changed, yet a check complained";
  }
  j["outcome"] = outcome;
  j["named_changed_object"] = named;
  j["verifier_saw_it"] = verifier_saw;
  if (!why.empty()) j["why"] = why;
  return j;
}

// Program output may hold any bytes: invalid UTF-8 is replaced, not fatal.
std::string JsonText(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

void PrintTable(const CampaignSummary& s, std::ostream& out) {
  out << "\n" << std::string(24, ' ');
  std::vector<const char*> columns;
  for (const char* c : kOutcomes) {
    bool used = false;
    for (const auto& [t, row] : s.table) used = used || row.count(c) > 0;
    if (used || std::string(c) == kSilent || std::string(c) == kCrash) columns.push_back(c);
  }
  for (const char* c : columns) out << " | " << c;
  out << " | total\n";
  std::map<std::string, uint64_t> totals;
  for (const auto& [target, row] : s.table) {
    char name[64];
    std::snprintf(name, sizeof name, "%-24s", target.c_str());
    out << name;
    uint64_t n = 0;
    for (const char* c : columns) {
      auto it = row.find(c);
      const uint64_t v = it == row.end() ? 0 : it->second;
      out << " | " << std::string(std::max<size_t>(std::string(c).size(), 1) - std::to_string(v).size(), ' ') << v;
      n += v;
      totals[c] += v;
    }
    out << " | " << n << "\n";
  }
  out << std::string(24, ' ').replace(0, 5, "total");
  for (const char* c : columns) {
    out << " | " << std::string(std::string(c).size() - std::to_string(totals[c]).size(), ' ') << totals[c];
  }
  out << " | " << s.trials << "\n";
}

}  // namespace

Result<CampaignSummary> RunCampaign(const CampaignOptions& options) {
  Campaign campaign(options);
  const double start = static_cast<double>(std::time(nullptr));
  KHOLUU_RETURN_IF_ERROR(campaign.BuildBase());
  KHOLUU_RETURN_IF_ERROR(campaign.TakeBaseline());
  CampaignSummary summary;
  Json trials = Json::array();
  const uint64_t first = options.only_trial >= 0 ? static_cast<uint64_t>(options.only_trial) : 0;
  const uint64_t last = options.only_trial >= 0 ? first + 1 : options.trials;
  for (uint64_t i = first; i < last; ++i) {
    KHOLUU_ASSIGN_OR_RETURN(Json t, campaign.RunTrial(i));
    const std::string outcome = t["outcome"];
    ++summary.trials;
    ++summary.table[t["target"].get<std::string>()][outcome];
    if (outcome == kSilent || outcome == kCrash) {
      ++summary.failures;
      std::cerr << "kholuu-tamper: trial " << i << " " << outcome << ": " << JsonText(t, -1) << "\n";
    } else if (options.verbose) {
      std::cerr << "kholuu-tamper: trial " << i << " " << t["target"].get<std::string>() << ": " << outcome << "\n";
    }
    trials.push_back(std::move(t));
    const bool done = i + 1 == last;
    if ((i + 1) % 50 == 0 || done) {
      std::cerr << "kholuu-tamper: " << (i + 1) << " trials\n";
      // Written as it goes, so that a long run stopped early still has its figures.
      if (!options.out.empty()) {
        Json out = {{"seed", options.seed},
                    {"trials", summary.trials},
                    {"complete", done},
                    {"failures", summary.failures},
                    {"seconds", static_cast<double>(std::time(nullptr)) - start},
                    {"table", summary.table},
                    {"results", trials}};
        KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(options.out, JsonText(out, 1) + "\n"));
      }
    }
  }
  PrintTable(summary, std::cout);
  std::cout << (summary.failures == 0 ? "no trial passed silently or crashed\n"
                                      : std::to_string(summary.failures) + " trial(s) SILENT or CRASH\n");
  std::error_code ec;
  fs::remove_all(options.work + "/trial", ec);
  return summary;
}

}  // namespace kholuu::tamper
