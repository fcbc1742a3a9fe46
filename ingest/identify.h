// Identification by content for ingest and the programs above it: the
// formats/identify library under ingest's namespace (programs include only
// ingest/, archive/base and archive/model).
#pragma once

#include "formats/identify/identify.h"

namespace kholuu::ingest {

using formats::identify::CanonicalMediaType;
using formats::identify::DeclaredTypeAgrees;
using formats::identify::HasMagicNumbers;
using formats::identify::Identification;
using formats::identify::IdentifyBytes;
using formats::identify::IdentifyFile;
using formats::identify::MediaTypeForName;

}  // namespace kholuu::ingest
