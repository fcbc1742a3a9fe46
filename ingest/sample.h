// Sample packages for a new archive (`kholuu sample`, run by tools/run): a few
// record files (hồ sơ) of fictitious agencies, with Vietnamese documents made
// PDF/A-2b by the archive's own converters and digitally signed by a sample
// signing key, delivered the ways real ones arrive: a TT 05/2025 METS + EAD +
// PREMIS package inside a BagIt bag, an edXML package from the axis, and a
// digitisation batch (a metadata sheet and a scanned page). They come into
// the archive through the ingest pipeline like any other package.
#pragma once

#include <string>
#include <vector>

#include "archive/base/status.h"

namespace kholuu::ingest {

// Writes the sample packages into `dir` (created; must not exist) and
// returns their paths. Needs the converters (LibreOffice, Ghostscript) of
// formats/convert. The texts are written for kholuu; names and numbers are
// fictitious. Errors: a converter that is missing or fails; I/O.
Result<std::vector<std::string>> WriteSamplePackages(const std::string& dir);

}  // namespace kholuu::ingest
