#include "ingest/anchor.h"

#include <algorithm>
#include <cstdio>

#include "archive/audit/merkle.h"
#include "archive/base/bytes.h"
#include "archive/base/file.h"
#include "archive/base/log.h"
#include "formats/x509/cms.h"
#include "formats/x509/sign.h"
#include "formats/x509/x509.h"
#include "ingest/seal_key.h"

namespace kholuu::ingest {
namespace {

constexpr std::string_view kMagic = "KHN1";
constexpr std::string_view kFirstLine = "kholuu-audit-anchor 1";
const std::string kMetaPrefix = "anchor/";

std::string MetaKey(uint64_t tree_size) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(tree_size));
  return kMetaPrefix + buf;
}

// One part of a stored anchor, copied out.
bool GetPart(std::string_view in, size_t* pos, std::string* out) {
  std::string_view v;
  if (!GetBytes(in, pos, &v)) return false;
  out->assign(v);
  return true;
}

bool IsReasonWord(std::string_view r) {
  if (r.empty() || r.size() > 32) return false;
  return std::all_of(r.begin(), r.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

}  // namespace

std::string AnchorStatement(const Anchor& a) {
  std::string s(kFirstLine);
  s += "\ntree-size: " + std::to_string(a.tree_size);
  s += "\ntree-root: " + a.tree_root.ToHex();
  s += "\nhead-hash: " + a.head_hash.ToHex();
  s += "\ntime: " + formats::x509::FormatTime(a.time);
  s += "\nreason: " + a.reason + "\n";
  return s;
}

Result<Anchor> ParseAnchorStatement(std::string_view statement) {
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < statement.size();) {
    size_t nl = statement.find('\n', pos);
    if (nl == std::string_view::npos) return InvalidArgumentError("anchor statement: the last line has no newline");
    lines.push_back(statement.substr(pos, nl - pos));
    pos = nl + 1;
  }
  const char* names[] = {"tree-size: ", "tree-root: ", "head-hash: ", "time: ", "reason: "};
  if (lines.size() != 6 || lines[0] != kFirstLine) {
    return InvalidArgumentError("anchor statement: expected \"" + std::string(kFirstLine) + "\" and 5 fields");
  }
  std::string_view v[5];
  for (size_t i = 0; i < 5; ++i) {
    std::string_view name = names[i];
    if (lines[i + 1].substr(0, name.size()) != name) {
      return InvalidArgumentError("anchor statement: line " + std::to_string(i + 2) + " is not \"" +
                                  std::string(name.substr(0, name.size() - 2)) + "\"");
    }
    v[i] = lines[i + 1].substr(name.size());
  }
  Anchor a;
  const std::string size_text(v[0]);
  if (size_text.empty() || size_text.size() > 19 ||
      !std::all_of(size_text.begin(), size_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return InvalidArgumentError("anchor statement: bad tree-size \"" + size_text + "\"");
  }
  a.tree_size = std::stoull(size_text);
  auto root = Sha256::FromHex(v[1]);
  auto head = Sha256::FromHex(v[2]);
  if (!root.ok() || !head.ok()) return InvalidArgumentError("anchor statement: a hash is not 64 hex digits");
  a.tree_root = *root;
  a.head_hash = *head;
  // "YYYY-MM-DDTHH:MM:SSZ" as FormatTime writes it.
  auto micros = ParseTimestamp(v[3]);
  if (!micros.ok() || v[3].size() != 20) return InvalidArgumentError("anchor statement: bad time \"" + std::string(v[3]) + "\"");
  a.time = *micros / 1000000;
  if (!IsReasonWord(v[4])) return InvalidArgumentError("anchor statement: bad reason \"" + std::string(v[4]) + "\"");
  a.reason = v[4];
  a.statement = statement;
  if (AnchorStatement(a) != statement) return InvalidArgumentError("anchor statement: not in canonical form");
  return a;
}

std::string EncodeAnchor(const Anchor& a) {
  std::string out(kMagic);
  for (const std::string* part : {&a.statement, &a.seal, &a.token}) {
    PutBytes(out, *part);
  }
  return out;
}

Result<Anchor> DecodeAnchor(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) return DataLossError("malformed anchor: bad magic");
  size_t pos = kMagic.size();
  std::string statement, seal, token;
  if (!GetPart(bytes, &pos, &statement) || !GetPart(bytes, &pos, &seal) || !GetPart(bytes, &pos, &token) ||
      pos != bytes.size()) {
    return DataLossError("malformed anchor: truncated or trailing bytes");
  }
  auto a = ParseAnchorStatement(statement);
  if (!a.ok()) return DataLossError("malformed anchor: " + a.status().message());
  a->seal = std::move(seal);
  a->token = std::move(token);
  return a;
}

Result<std::vector<Sha256>> AuditEntryHashes(const archive::TxnView& txn, uint64_t n) {
  std::vector<Sha256> out;
  bool enough = false;
  Status s = txn.ForEachAuditEntry([&](const archive::AuditEntry& e) -> Status {
    if (n != 0 && out.size() >= n) {
      enough = true;
      return Status(StatusCode::kAborted, "enough entries");
    }
    if (e.seq != out.size() + 1) return DataLossError("audit entry " + std::to_string(e.seq) + " out of sequence");
    out.push_back(e.hash);
    return Status::Ok();
  });
  if (!s.ok() && !enough) return s;
  if (n != 0 && out.size() < n) {
    return DataLossError("the audit log has " + std::to_string(out.size()) + " entries, fewer than " +
                         std::to_string(n));
  }
  return out;
}

Result<std::vector<Anchor>> ListAnchors(const archive::TxnView& txn) {
  std::vector<Anchor> out;
  KHOLUU_RETURN_IF_ERROR(txn.ForEachMeta(kMetaPrefix, [&](std::string_view key, std::string_view value) -> Status {
    auto a = DecodeAnchor(value);
    if (!a.ok()) return DataLossError(std::string(key) + ": " + a.status().message());
    if (MetaKey(a->tree_size) != key) {
      return DataLossError(std::string(key) + ": holds the anchor of tree size " + std::to_string(a->tree_size));
    }
    out.push_back(std::move(*a));
    return Status::Ok();
  }));
  return out;
}

Result<Anchor> MakeAnchor(archive::Archive& archive, const DataDir& data, const std::string& actor,
                          const AnchorOptions& options) {
  if (!IsReasonWord(options.reason)) return InvalidArgumentError("bad anchor reason \"" + options.reason + "\"");
  KHOLUU_ASSIGN_OR_RETURN(formats::pdfsig::SealSigner signer, LoadSealKey(data));
  KHOLUU_ASSIGN_OR_RETURN(formats::x509::SigningIdentity identity,
                          formats::x509::LoadSigningIdentity(signer.key_pem, signer.chain_pem));
  KHOLUU_ASSIGN_OR_RETURN(formats::x509::TimestampFn timestamp, LoadSealTimestamp(data));
  if (!timestamp && options.require_timestamp) {
    return FailedPreconditionError("no time-stamping authority is configured (kholuu seal init --tsa URL)");
  }

  Anchor a;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, archive.catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(std::vector<Anchor> existing, ListAnchors(r));
    KHOLUU_ASSIGN_OR_RETURN(std::vector<Sha256> hashes, AuditEntryHashes(r));
    if (!existing.empty() && existing.back().tree_size == hashes.size()) return existing.back();
    archive::AuditTreeBuilder tree;
    for (const Sha256& h : hashes) tree.Add(h);
    a.tree_size = hashes.size();
    a.tree_root = tree.Root();
    if (!hashes.empty()) a.head_hash = hashes.back();
  }
  a.time = options.clock->NowMicros() / 1000000;
  a.reason = options.reason;
  a.statement = AnchorStatement(a);
  formats::x509::CadesSignOptions sign;
  sign.signing_time = a.time;
  KHOLUU_ASSIGN_OR_RETURN(a.seal, formats::x509::SignCadesDetached(a.statement, identity, sign));
  if (timestamp) {
    KHOLUU_ASSIGN_OR_RETURN(a.token, timestamp(a.statement));
  }

  const std::string value = EncodeAnchor(a);
  KHOLUU_RETURN_IF_ERROR(archive.catalog().Update(actor, [&](archive::WriteTxn& w) -> Status {
    auto have = w.GetMeta(MetaKey(a.tree_size));
    if (have.ok()) return Status::Ok();  // another writer anchored the same size first
    if (have.status().code() != StatusCode::kNotFound) return have.status();
    return w.SetMeta(MetaKey(a.tree_size), value);
  }));
  return a;
}

Result<AnchorReport> VerifyAnchors(const archive::TxnView& txn) {
  AnchorReport report;
  KHOLUU_ASSIGN_OR_RETURN(std::vector<Anchor> anchors, ListAnchors(txn));
  // One pass: the tree grows entry by entry and each anchor's size is
  // checked as it is reached.
  archive::AuditTreeBuilder tree;
  size_t next = 0;
  std::vector<AnchorCheck> checks(anchors.size());
  Sha256 last_hash;
  auto check_roots_at = [&](uint64_t size) {
    while (next < anchors.size() && anchors[next].tree_size == size) {
      const Anchor& a = anchors[next];
      AnchorCheck& c = checks[next];
      c.root_ok = tree.Root() == a.tree_root && (size == 0 ? a.head_hash.IsZero() : last_hash == a.head_hash);
      if (!c.root_ok) {
        c.problems.push_back("the first " + std::to_string(size) +
                             " audit entries no longer hash to the anchored root: history before this anchor "
                             "was changed, added to or removed from");
      }
      ++next;
    }
  };
  check_roots_at(0);
  Status s = txn.ForEachAuditEntry([&](const archive::AuditEntry& e) -> Status {
    tree.Add(e.hash);
    last_hash = e.hash;
    check_roots_at(tree.size());
    return Status::Ok();
  });
  KHOLUU_RETURN_IF_ERROR(s);
  report.log_size = tree.size();
  for (; next < anchors.size(); ++next) {
    checks[next].problems.push_back("anchors " + std::to_string(anchors[next].tree_size) +
                                    " audit entries but the log has only " + std::to_string(tree.size()) +
                                    ": entries were removed");
  }
  for (size_t i = 0; i < anchors.size(); ++i) {
    const Anchor& a = anchors[i];
    AnchorCheck& c = checks[i];
    c.tree_size = a.tree_size;
    c.time = a.time;
    c.reason = a.reason;
    formats::x509::CmsCheck cms = formats::x509::VerifyCms(a.seal, a.statement);
    c.seal_ok = cms.integrity == formats::x509::Integrity::kValid;
    c.sealed_by = cms.signer.subject;
    if (!c.seal_ok) {
      c.problems.push_back("the seal does not verify over the statement (" +
                           std::string(formats::x509::IntegrityName(cms.integrity)) + ")");
    }
    c.timestamped = !a.token.empty();
    if (c.timestamped) {
      formats::x509::TimestampCheck ts = formats::x509::VerifyTimestampToken(a.token, a.statement);
      c.timestamp_ok = ts.ok();
      c.timestamp_time = ts.gen_time;
      c.tsa = ts.tsa.subject;
      if (!c.timestamp_ok) {
        c.problems.push_back(ts.imprint_matches ? "the timestamp token does not verify"
                                                : "the timestamp token is not over this statement");
      }
    }
    if (c.ok()) report.proven_size = std::max(report.proven_size, a.tree_size);
  }
  report.anchors = std::move(checks);
  return report;
}

Status ExportAnchors(const std::vector<Anchor>& anchors, const std::string& dir) {
  KHOLUU_RETURN_IF_ERROR(CreateDirs(dir));
  for (const Anchor& a : anchors) {
    const std::string base = dir + "/anchor-" + std::to_string(a.tree_size);
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(base + ".txt", a.statement));
    KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(base + ".p7s", a.seal));
    if (!a.token.empty()) KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(base + ".tst", a.token));
  }
  return Status::Ok();
}

PeriodicAnchor::PeriodicAnchor(archive::Archive* archive, DataDir data, std::string actor,
                               std::chrono::seconds interval)
    : archive_(archive), data_(std::move(data)), actor_(std::move(actor)), interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

PeriodicAnchor::~PeriodicAnchor() { Stop(); }

void PeriodicAnchor::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t PeriodicAnchor::made() const {
  std::lock_guard<std::mutex> lock(mu_);
  return made_;
}

void PeriodicAnchor::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    AnchorOptions options;
    options.reason = "interval";
    Result<Anchor> a = MakeAnchor(*archive_, data_, actor_, options);
    if (a.ok()) {
      Log(Severity::kInfo, "anchor.made", {{"tree_size", std::to_string(a->tree_size)},
                                           {"timestamped", a->token.empty() ? "false" : "true"}});
    } else if (a.status().code() != StatusCode::kNotFound) {  // no seal key: nothing to anchor with
      Log(Severity::kWarning, "anchor.failed", {{"error", a.status().message()}});
    }
    lock.lock();
    if (a.ok()) ++made_;
  }
}

}  // namespace kholuu::ingest
