#include "archive/ops/fixity.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <random>

#include "archive/base/log.h"

namespace kholuu::archive {

bool FixityReport::AllGood() const {
  for (const FixityFailure& f : failures) {
    if (!f.repaired) return false;
  }
  return true;
}

namespace {

constexpr size_t kEventsPerTxn = 512;

struct Target {
  Sha256 digest;
  uint64_t size = 0;
  std::vector<std::string> components;
};

Result<std::vector<Target>> ReferencedBlobs(Catalog& catalog) {
  std::map<Sha256, Target> by_digest;
  KHOLUU_ASSIGN_OR_RETURN(ReadTxn r, catalog.BeginRead());
  KHOLUU_RETURN_IF_ERROR(r.ForEachComponent([&](const model::Component& c) -> Status {
    Target& t = by_digest[c.sha256];
    t.digest = c.sha256;
    t.size = c.size;
    t.components.push_back(c.id);
    return Status::Ok();
  }));
  std::vector<Target> out;
  out.reserve(by_digest.size());
  for (auto& [d, t] : by_digest) out.push_back(std::move(t));
  return out;
}

Status RecordEvents(Catalog& catalog, const std::string& agent,
                    std::vector<model::Event>& pending) {
  if (pending.empty()) return Status::Ok();
  Status s = catalog.Update(agent, [&](WriteTxn& w) -> Status {
    for (const model::Event& e : pending) {
      KHOLUU_ASSIGN_OR_RETURN(uint64_t seq, w.AddEvent(e));
      (void)seq;
    }
    return Status::Ok();
  });
  pending.clear();
  return s;
}

// Repairs one blob from the replica. Returns why it could not, or OK.
Status RepairFrom(Archive& archive, const std::string& replica_dir, const Target& t,
                  const std::string& agent, const std::string& problem) {
  std::string source = JoinPath(JoinPath(replica_dir, "blobs"), "sha256");
  std::string hex = t.digest.ToHex();
  source = JoinPath(JoinPath(JoinPath(source, hex.substr(0, 2)), hex.substr(2, 2)), hex);
  if (!PathExists(source)) return NotFoundError("the replica has no copy at " + source);
  // PutExpected verifies the replica's bytes while copying and only replaces
  // a local blob that fails verification.
  KHOLUU_ASSIGN_OR_RETURN(BlobInfo info, archive.blobs().PutExpected(source, t.digest));
  (void)info;
  return archive.catalog().Update(agent, [&](WriteTxn& w) -> Status {
    KHOLUU_RETURN_IF_ERROR(
        w.Audit("blob.repair", hex, problem + " blob restored from replica " + replica_dir,
                t.digest));
    for (const std::string& c : t.components) {
      model::Event e;
      e.type = model::EventType::kRepair;
      e.outcome = model::EventOutcome::kSuccess;
      e.object_id = c;
      e.detail = problem + " blob " + hex + " restored from replica";
      e.agent = agent;
      KHOLUU_ASSIGN_OR_RETURN(uint64_t seq, w.AddEvent(e));
      (void)seq;
    }
    return Status::Ok();
  });
}

}  // namespace

Result<FixityReport> RunFixity(Archive& archive, const FixityOptions& options) {
  if (options.repair && options.replica_dir.empty()) {
    return InvalidArgumentError("repair needs a replica directory");
  }
  if (options.repair && !Archive::IsArchive(options.replica_dir)) {
    return FailedPreconditionError(options.replica_dir + " is not a kholuu archive or replica");
  }
  KHOLUU_ASSIGN_OR_RETURN(std::vector<Target> targets, ReferencedBlobs(archive.catalog()));
  if (!options.all && options.sample > 0 && options.sample < targets.size()) {
    uint64_t seed = options.seed != 0 ? options.seed
                                      : static_cast<uint64_t>(SystemClock()->NowMicros());
    std::mt19937_64 rng(seed);
    std::shuffle(targets.begin(), targets.end(), rng);
    targets.resize(options.sample);
  }
  FixityReport report;
  std::vector<model::Event> pending;
  for (const Target& t : targets) {
    ++report.checked;
    report.components += t.components.size();
    Status s = archive.blobs().Verify(t.digest);
    std::string problem;
    if (s.ok()) {
      Result<uint64_t> size = archive.blobs().Size(t.digest);
      if (size.ok()) report.bytes += *size;
      if (size.ok() && *size != t.size) {
        // Same hash, different size would mean a broken catalog row.
        s = DataLossError("size " + std::to_string(*size) + " differs from catalog's " +
                          std::to_string(t.size));
      }
    }
    if (s.code() == StatusCode::kNotFound) {
      problem = "missing";
    } else if (s.code() == StatusCode::kDataLoss) {
      problem = "corrupt";
    } else if (!s.ok()) {
      return s.Annotate("fixity check of " + t.digest.ToHex());
    }
    if (!problem.empty()) {
      FixityFailure f;
      f.sha256 = t.digest.ToHex();
      f.components = t.components;
      f.problem = problem;
      f.detail = s.message();
      Log(Severity::kError, "fixity.failure", {{"sha256", f.sha256}, {"problem", problem}});
      if (options.repair) {
        Status r = RepairFrom(archive, options.replica_dir, t, options.agent, problem);
        f.repaired = r.ok();
        if (!r.ok()) f.repair_detail = r.message();
      }
      report.failures.push_back(std::move(f));
    }
    if (options.record_events) {
      for (const std::string& c : t.components) {
        model::Event e;
        e.type = model::EventType::kFixityCheck;
        e.outcome = problem.empty() ? model::EventOutcome::kSuccess : model::EventOutcome::kFailure;
        e.object_id = c;
        e.detail = problem.empty() ? "sha256 " + t.digest.ToHex() + " matches"
                                   : problem + ": " + s.message();
        e.agent = options.agent;
        pending.push_back(std::move(e));
      }
      if (pending.size() >= kEventsPerTxn) {
        KHOLUU_RETURN_IF_ERROR(RecordEvents(archive.catalog(), options.agent, pending));
      }
    }
    if (options.progress) options.progress(report.checked, targets.size());
  }
  KHOLUU_RETURN_IF_ERROR(RecordEvents(archive.catalog(), options.agent, pending));
  if (options.progress && targets.empty()) options.progress(0, 0);
  return report;
}

Result<GcReport> CollectGarbage(Archive& archive, const GcOptions& options) {
  GcReport report;
  std::vector<Sha256> candidates;
  int64_t now_s = SystemClock()->NowMicros() / 1000000;
  {
    KHOLUU_ASSIGN_OR_RETURN(ReadTxn r, archive.catalog().BeginRead());
    KHOLUU_RETURN_IF_ERROR(archive.blobs().ForEach([&](const Sha256& d) -> Status {
      ++report.scanned;
      KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> refs, r.ComponentsBySha256(d));
      if (!refs.empty()) {
        ++report.referenced;
        return Status::Ok();
      }
      struct stat st{};
      if (::stat(archive.blobs().PathOf(d).c_str(), &st) == 0 &&
          now_s - st.st_mtime < options.min_age_seconds) {
        ++report.kept_young;
        return Status::Ok();
      }
      candidates.push_back(d);
      return Status::Ok();
    }));
  }
  for (const Sha256& d : candidates) {
    Result<uint64_t> size = archive.blobs().Size(d);
    if (options.dry_run) {
      report.removed.push_back(d.ToHex());
      if (size.ok()) report.bytes_removed += *size;
      continue;
    }
    bool still_garbage = false;
    Status s = archive.catalog().Update(options.agent, [&](WriteTxn& w) -> Status {
      KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> refs, w.ComponentsBySha256(d));
      still_garbage = refs.empty();
      if (!still_garbage) return Status::Ok();
      return w.Audit("blob.gc", d.ToHex(),
                     "unreferenced blob removed" +
                         (size.ok() ? " (" + std::to_string(*size) + " bytes)" : std::string()),
                     d);
    });
    KHOLUU_RETURN_IF_ERROR(s);
    if (!still_garbage) continue;
    KHOLUU_RETURN_IF_ERROR(archive.blobs().Remove(d));
    report.removed.push_back(d.ToHex());
    if (size.ok()) report.bytes_removed += *size;
  }
  return report;
}

}  // namespace kholuu::archive
