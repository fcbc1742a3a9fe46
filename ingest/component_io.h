// Reading a document's stored components, shared by the commands that hand
// out or transform bytes (get, preserve).
#pragma once

#include <cstdint>
#include <string>

#include "archive/archive.h"
#include "archive/model/component.h"

namespace kholuu::ingest {

// The component `id`, or the first component of document `id` with `role`.
// For kPreservationCopy, an original whose format_version starts with
// "PDF/A" counts (a PDF/A original is its own preservation copy,
// spec/architecture.md §3). Errors: kNotFound naming what is missing.
Result<model::Component> FindComponent(const archive::TxnView& r, const std::string& id,
                                       model::ComponentRole role);

// The bytes of a component, verified against its SHA-256 (kDataLoss if they
// do not match). Errors: kResourceExhausted above `max_bytes`.
Result<std::string> ReadComponentBytes(archive::Archive& a, const model::Component& c,
                                       uint64_t max_bytes = uint64_t{1} << 30);

}  // namespace kholuu::ingest
