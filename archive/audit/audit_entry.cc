#include "archive/audit/audit_entry.h"

#include "archive/base/bytes.h"

namespace kholuu::archive {
namespace {

constexpr std::string_view kMagic = "KHA1";

// The canonical encoding covered by the hash.
std::string Canonical(const AuditEntry& e) {
  std::string out(kMagic);
  PutU64(out, e.seq);
  PutU64(out, static_cast<uint64_t>(e.time_micros));
  PutBytes(out, e.actor);
  PutBytes(out, e.action);
  PutBytes(out, e.object);
  PutBytes(out, e.detail);
  out.append(e.payload.raw());
  out.append(e.prev_hash.raw());
  return out;
}

}  // namespace

Sha256 AuditEntry::ComputeHash() const { return Sha256Of(Canonical(*this)); }

std::string EncodeAuditEntry(const AuditEntry& e) {
  std::string out = Canonical(e);
  out.append(e.hash.raw());
  return out;
}

Result<AuditEntry> DecodeAuditEntry(std::string_view in) {
  auto bad = [](std::string_view where) {
    return DataLossError("malformed audit entry: " + std::string(where));
  };
  if (in.substr(0, kMagic.size()) != kMagic) return bad("bad magic");
  size_t pos = kMagic.size();
  AuditEntry e;
  uint64_t t = 0;
  std::string_view actor, action, object, detail;
  if (!GetU64(in, &pos, &e.seq) || !GetU64(in, &pos, &t)) return bad("truncated header");
  e.time_micros = static_cast<int64_t>(t);
  if (!GetBytes(in, &pos, &actor) || !GetBytes(in, &pos, &action) ||
      !GetBytes(in, &pos, &object) || !GetBytes(in, &pos, &detail)) {
    return bad("truncated text field");
  }
  if (in.size() - pos != 3 * Sha256::kSize) return bad("wrong length of hash fields");
  e.actor = actor;
  e.action = action;
  e.object = object;
  e.detail = detail;
  e.payload = *Sha256::FromBytes(in.substr(pos, Sha256::kSize));
  e.prev_hash = *Sha256::FromBytes(in.substr(pos + Sha256::kSize, Sha256::kSize));
  e.hash = *Sha256::FromBytes(in.substr(pos + 2 * Sha256::kSize, Sha256::kSize));
  return e;
}

}  // namespace kholuu::archive
