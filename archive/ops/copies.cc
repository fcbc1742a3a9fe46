#include "archive/ops/copies.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <map>
#include <set>

#include "archive/base/file.h"
#include "archive/base/log.h"

namespace kholuu::archive {
namespace {

std::string RealPath(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf) == nullptr) return p;
  return buf;
}

std::string BlobRelPath(const Sha256& d) {
  std::string hex = d.ToHex();
  return "blobs/sha256/" + hex.substr(0, 2) + "/" + hex.substr(2, 2) + "/" + hex;
}

Status RequireEmptyOrMissing(const std::string& dir, std::string_view what) {
  if (!PathExists(dir)) return Status::Ok();
  if (!IsDirectory(dir)) return FailedPreconditionError(dir + " is not a directory");
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  for (const std::string& n : names) {
    if (!n.empty() && n[0] != '.') {
      return FailedPreconditionError(std::string(what) + " directory " + dir +
                                     " is not empty (found '" + n + "')");
    }
  }
  return Status::Ok();
}

// Creates the bare layout of an archive copy (without the marker).
Status MakeLayout(const std::string& dir) {
  KHOLUU_RETURN_IF_ERROR(CreateDirs(JoinPath(dir, "catalog")));
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> b,
                          BlobStore::Open(JoinPath(dir, "blobs"), /*create=*/true));
  return Status::Ok();
}

Status WriteMarker(const std::string& dir) {
  return WriteFileAtomic(JoinPath(dir, kMarkerName),
                         "kholuu archive\nlayout " + std::to_string(kLayoutVersion) + "\n");
}

struct BlobRef {
  Sha256 digest;
  uint64_t size = 0;
};

// Reads the referenced blobs out of a catalog snapshot stored in `catalog_dir`.
Result<std::vector<BlobRef>> SnapshotBlobs(const std::string& catalog_dir,
                                           uint64_t* audit_entries) {
  CatalogOptions o;
  o.read_only = true;
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Catalog> snap, Catalog::Open(catalog_dir, o));
  KHOLUU_ASSIGN_OR_RETURN(ReadTxn r, snap->BeginRead());
  std::map<Sha256, uint64_t> refs;
  KHOLUU_RETURN_IF_ERROR(r.ForEachComponent([&](const model::Component& c) -> Status {
    refs[c.sha256] = c.size;
    return Status::Ok();
  }));
  if (audit_entries != nullptr) {
    KHOLUU_ASSIGN_OR_RETURN(TableCounts counts, r.Counts());
    *audit_entries = counts.audit_entries;
  }
  std::vector<BlobRef> out;
  for (const auto& [d, s] : refs) out.push_back({d, s});
  return out;
}

// Copies the referenced blobs from `from` into the store `to` where missing
// or bad. Every copy is verified against its digest while copying.
Status CopyBlobs(const BlobStore& from, BlobStore& to, const std::vector<BlobRef>& refs,
                 CopyReport* report, const CopyOptions& options) {
  for (const BlobRef& r : refs) {
    ++report->blobs_total;
    if (options.progress) options.progress(report->blobs_total - 1, refs.size());
    if (to.Contains(r.digest) && to.Verify(r.digest).ok()) continue;
    Result<BlobInfo> info = to.PutExpected(from.PathOf(r.digest), r.digest);
    if (!info.ok()) {
      return Status(info.status().code(), "copy blob " + r.digest.ToHex() + ": " +
                                              info.status().message());
    }
    ++report->blobs_copied;
    report->bytes_copied += info->size;
  }
  if (options.progress) options.progress(refs.size(), refs.size());
  return Status::Ok();
}

// Takes a snapshot of the archive's catalog into <copy>/catalog.new/data.mdb,
// copies the blobs it references, then moves the snapshot into place.
Status CopyArchiveInto(Archive& archive, const std::string& copy_dir, CopyReport* report,
                       const CopyOptions& options) {
  std::string staging = JoinPath(copy_dir, "catalog.new");
  std::string staged_file = JoinPath(staging, "data.mdb");
  if (PathExists(staging)) {
    KHOLUU_RETURN_IF_ERROR(RemoveFile(staged_file));
    RemoveFile(JoinPath(staging, "lock.mdb")).IgnoreError();
  }
  KHOLUU_RETURN_IF_ERROR(CreateDirs(staging));
  KHOLUU_RETURN_IF_ERROR(archive.catalog().CopyTo(staged_file));
  KHOLUU_ASSIGN_OR_RETURN(std::vector<BlobRef> refs,
                          SnapshotBlobs(staging, &report->audit_entries));
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> dest,
                          BlobStore::Open(JoinPath(copy_dir, "blobs"), /*create=*/true));
  KHOLUU_RETURN_IF_ERROR(CopyBlobs(archive.blobs(), *dest, refs, report, options));
  std::string final_dir = JoinPath(copy_dir, "catalog");
  KHOLUU_RETURN_IF_ERROR(CreateDirs(final_dir));
  std::string final_file = JoinPath(final_dir, "data.mdb");
  if (::rename(staged_file.c_str(), final_file.c_str()) != 0) {
    return ErrnoError(errno, "rename " + staged_file + " to " + final_file);
  }
  KHOLUU_RETURN_IF_ERROR(SyncDir(final_dir));
  RemoveFile(JoinPath(staging, "lock.mdb")).IgnoreError();
  ::rmdir(staging.c_str());
  struct stat st{};
  if (::stat(final_file.c_str(), &st) == 0) report->catalog_bytes = static_cast<uint64_t>(st.st_size);
  return Status::Ok();
}

Result<std::map<std::string, Sha256>> ReadManifest(const std::string& backup_dir) {
  KHOLUU_ASSIGN_OR_RETURN(std::string text,
                          ReadFileToString(JoinPath(backup_dir, kBackupManifest), 1ull << 32));
  return ParseBackupManifest(text);
}

}  // namespace

Result<std::map<std::string, Sha256>> ParseBackupManifest(std::string_view text) {
  std::map<std::string, Sha256> out;
  size_t pos = 0;
  int line_no = 0;
  auto bad = [&](std::string_view why) {
    return DataLossError(std::string(kBackupManifest) + " line " + std::to_string(line_no) +
                         ": " + std::string(why));
  };
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty()) continue;
    if (line.size() < 67 || line.substr(64, 2) != "  ") return bad("not '<sha256>  <path>'");
    Result<Sha256> d = Sha256::FromHex(line.substr(0, 64));
    if (!d.ok()) return bad(d.status().message());
    std::string path(line.substr(66));
    if (path[0] == '/') return bad("absolute path");
    if (path.find('\0') != std::string::npos) return bad("NUL in path");
    size_t start = 0;
    while (start <= path.size()) {
      size_t slash = path.find('/', start);
      if (slash == std::string::npos) slash = path.size();
      std::string_view part(path.data() + start, slash - start);
      if (part.empty() || part == "." || part == "..") return bad("path leaves the backup");
      start = slash + 1;
    }
    if (!out.emplace(path, *d).second) return bad("path listed twice");
  }
  return out;
}

Result<CopyReport> SyncReplica(Archive& archive, const std::string& replica_dir,
                               const std::string& agent, const CopyOptions& options) {
  if (RealPath(replica_dir) == RealPath(archive.dir())) {
    return FailedPreconditionError("the replica cannot be the archive itself");
  }
  if (!Archive::IsArchive(replica_dir)) {
    KHOLUU_RETURN_IF_ERROR(RequireEmptyOrMissing(replica_dir, "replica"));
    KHOLUU_RETURN_IF_ERROR(MakeLayout(replica_dir));
  }
  CopyReport report;
  report.dir = replica_dir;
  KHOLUU_RETURN_IF_ERROR(CopyArchiveInto(archive, replica_dir, &report, options));
  KHOLUU_RETURN_IF_ERROR(WriteMarker(replica_dir));
  std::string real = RealPath(replica_dir);
  KHOLUU_RETURN_IF_ERROR(archive.catalog().Update(agent, [&](WriteTxn& w) -> Status {
    auto cur = w.GetMeta("replica.path");
    if (!cur.ok() || *cur != real) KHOLUU_RETURN_IF_ERROR(w.SetMeta("replica.path", real));
    return w.Audit("replica.sync", real,
                   std::to_string(report.blobs_copied) + " of " +
                       std::to_string(report.blobs_total) + " blobs copied, " +
                       std::to_string(report.audit_entries) + " audit entries");
  }));
  Log(Severity::kInfo, "replica.synced",
      {{"blobs_copied", std::to_string(report.blobs_copied)},
       {"blobs_total", std::to_string(report.blobs_total)}});
  return report;
}

Result<CopyReport> Backup(Archive& archive, const std::string& backup_dir,
                          const std::string& agent, const CopyOptions& options) {
  if (Archive::IsArchive(backup_dir)) {
    return FailedPreconditionError(backup_dir + " already holds an archive or backup");
  }
  KHOLUU_RETURN_IF_ERROR(RequireEmptyOrMissing(backup_dir, "backup"));
  KHOLUU_RETURN_IF_ERROR(MakeLayout(backup_dir));
  CopyReport report;
  report.dir = backup_dir;
  KHOLUU_RETURN_IF_ERROR(CopyArchiveInto(archive, backup_dir, &report, options));
  // Manifest: the catalog file and every blob, sha256sum format.
  std::string manifest;
  KHOLUU_ASSIGN_OR_RETURN(Sha256 cat_digest,
                          Sha256OfFile(JoinPath(backup_dir, "catalog/data.mdb")));
  manifest += cat_digest.ToHex() + "  catalog/data.mdb\n";
  KHOLUU_ASSIGN_OR_RETURN(std::vector<BlobRef> refs,
                          SnapshotBlobs(JoinPath(backup_dir, "catalog"), nullptr));
  for (const BlobRef& r : refs) manifest += r.digest.ToHex() + "  " + BlobRelPath(r.digest) + "\n";
  RemoveFile(JoinPath(backup_dir, "catalog/lock.mdb")).IgnoreError();
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(JoinPath(backup_dir, kBackupManifest), manifest));
  KHOLUU_RETURN_IF_ERROR(WriteMarker(backup_dir));
  KHOLUU_ASSIGN_OR_RETURN(VerifyCopyReport check, VerifyBackup(backup_dir));
  if (!check.ok()) {
    return DataLossError("backup " + backup_dir + " failed verification: " + check.problems[0]);
  }
  KHOLUU_RETURN_IF_ERROR(archive.catalog().Update(agent, [&](WriteTxn& w) -> Status {
    return w.Audit("archive.backup", RealPath(backup_dir),
                   std::to_string(report.blobs_total) + " blobs, catalog sha256 " +
                       cat_digest.ToHex(),
                   cat_digest);
  }));
  return report;
}

Result<VerifyCopyReport> VerifyBackup(const std::string& backup_dir) {
  if (!IsDirectory(backup_dir)) return NotFoundError("no backup directory " + backup_dir);
  Result<std::map<std::string, Sha256>> manifest = ReadManifest(backup_dir);
  if (!manifest.ok()) {
    if (manifest.status().code() == StatusCode::kNotFound) {
      return FailedPreconditionError(backup_dir + " is not a kholuu backup (no " +
                                     kBackupManifest + ")");
    }
    return manifest.status();
  }
  VerifyCopyReport report;
  if (manifest->find("catalog/data.mdb") == manifest->end()) {
    report.problems.push_back("catalog/data.mdb: not listed in the manifest");
  }
  for (const auto& [path, digest] : *manifest) {
    ++report.files;
    Result<Sha256> actual = Sha256OfFile(JoinPath(backup_dir, path));
    if (!actual.ok()) {
      report.problems.push_back(path + ": " + actual.status().message());
    } else if (*actual != digest) {
      report.problems.push_back(path + ": sha256 is " + actual->ToHex() + ", manifest says " +
                                digest.ToHex());
    }
  }
  if (report.ok()) {
    // The catalog itself must open, and every blob it references be listed.
    Result<std::vector<BlobRef>> refs = SnapshotBlobs(JoinPath(backup_dir, "catalog"), nullptr);
    if (!refs.ok()) {
      report.problems.push_back("catalog/data.mdb: " + refs.status().message());
    } else {
      for (const BlobRef& r : *refs) {
        if (manifest->find(BlobRelPath(r.digest)) == manifest->end()) {
          report.problems.push_back(BlobRelPath(r.digest) +
                                    ": referenced by the catalog but not in the manifest");
        }
      }
    }
  }
  return report;
}

Result<CopyReport> Restore(const std::string& backup_dir, const std::string& data_dir,
                           const std::string& agent, const CopyOptions& options) {
  if (Archive::IsArchive(data_dir)) {
    return FailedPreconditionError(data_dir +
                                   " already holds an archive; restore into an empty directory");
  }
  KHOLUU_RETURN_IF_ERROR(RequireEmptyOrMissing(data_dir, "restore target"));
  KHOLUU_ASSIGN_OR_RETURN(VerifyCopyReport check, VerifyBackup(backup_dir));
  if (!check.ok()) {
    std::string all;
    for (const std::string& p : check.problems) all += (all.empty() ? "" : "; ") + p;
    return DataLossError("backup " + backup_dir + " is damaged, nothing restored: " + all);
  }
  KHOLUU_RETURN_IF_ERROR(MakeLayout(data_dir));
  CopyReport report;
  report.dir = data_dir;
  {
    // Catalog file: copy durably.
    std::string src = JoinPath(backup_dir, "catalog/data.mdb");
    KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w,
                            AtomicFileWriter::Create(JoinPath(data_dir, "catalog/data.mdb")));
    KHOLUU_ASSIGN_OR_RETURN(FileSource in, FileSource::Open(src));
    std::string buf(1 << 20, '\0');
    for (;;) {
      KHOLUU_ASSIGN_OR_RETURN(size_t n, in.Read(buf.data(), buf.size()));
      if (n == 0) break;
      KHOLUU_RETURN_IF_ERROR(w.Append(std::string_view(buf.data(), n)));
    }
    report.catalog_bytes = w.bytes_written();
    KHOLUU_RETURN_IF_ERROR(w.Commit());
  }
  {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<BlobRef> refs,
                            SnapshotBlobs(JoinPath(data_dir, "catalog"), &report.audit_entries));
    KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> from,
                            BlobStore::Open(JoinPath(backup_dir, "blobs"), /*create=*/false));
    KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<BlobStore> to,
                            BlobStore::Open(JoinPath(data_dir, "blobs"), /*create=*/false));
    KHOLUU_RETURN_IF_ERROR(CopyBlobs(*from, *to, refs, &report, options));
  }
  KHOLUU_RETURN_IF_ERROR(WriteMarker(data_dir));
  // Prove the restored archive: it opens, its chain holds, its blobs match.
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Archive> restored, Archive::Open(data_dir));
  {
    KHOLUU_ASSIGN_OR_RETURN(ReadTxn r, restored->catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(AuditReport audit, r.VerifyAudit());
    if (!audit.ok) {
      return DataLossError("restored catalog fails audit verification at entry " +
                           std::to_string(audit.first_bad) + ": " + audit.problem);
    }
    Status blobs_ok = r.ForEachComponent([&](const model::Component& c) -> Status {
      return restored->blobs().Verify(c.sha256).Annotate("component " + c.id);
    });
    KHOLUU_RETURN_IF_ERROR(blobs_ok);
  }
  KHOLUU_RETURN_IF_ERROR(restored->catalog().Update(agent, [&](WriteTxn& w) -> Status {
    return w.Audit("archive.restore", RealPath(backup_dir),
                   std::to_string(report.blobs_total) + " blobs restored and verified");
  }));
  return report;
}

}  // namespace kholuu::archive
