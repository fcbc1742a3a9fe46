#include "ingest/component_io.h"

#include "archive/model/ids.h"

namespace kholuu::ingest {

Result<model::Component> FindComponent(const archive::TxnView& r, const std::string& id,
                                       model::ComponentRole role) {
  if (auto c = r.GetComponent(id); c.ok()) return c;
  KHOLUU_ASSIGN_OR_RETURN(model::Document d, r.GetDocument(id));
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> ids, r.ComponentsOfDocument(d.id));
  for (const std::string& cid : ids) {
    KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(cid));
    if (c.role == role) return c;
  }
  // A PDF/A original is its own preservation copy (architecture §3).
  if (role == model::ComponentRole::kPreservationCopy) {
    for (const std::string& cid : ids) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(cid));
      if (model::IsOwnPreservationCopy(c)) return c;
    }
  }
  return NotFoundError("document " + id + " has no " +
                       std::string(model::ComponentRoleName(role)) + " component");
}

Result<std::string> ReadComponentBytes(archive::Archive& a, const model::Component& c,
                                       uint64_t max_bytes) {
  if (c.size > max_bytes) {
    return ResourceExhaustedError(c.id + " is larger than " + std::to_string(max_bytes) + " bytes");
  }
  KHOLUU_ASSIGN_OR_RETURN(archive::BlobReader reader, a.blobs().Open(c.sha256, /*verify=*/true));
  std::string bytes(static_cast<size_t>(c.size), '\0');
  size_t got = 0;
  for (;;) {
    // The final Read fails with kDataLoss if the bytes do not match.
    KHOLUU_ASSIGN_OR_RETURN(size_t n, reader.Read(bytes.data() + got, bytes.size() - got));
    if (n == 0) break;
    got += n;
    if (got == bytes.size()) {
      char probe;
      KHOLUU_ASSIGN_OR_RETURN(size_t extra, reader.Read(&probe, 1));
      if (extra != 0) return DataLossError(c.id + ": blob is longer than the catalog says");
      break;
    }
  }
  if (got != bytes.size()) return DataLossError(c.id + ": blob is shorter than the catalog says");
  return bytes;
}

}  // namespace kholuu::ingest
