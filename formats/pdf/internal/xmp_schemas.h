// The predefined XMP schemas PDF/A accepts, as a text table (see
// xmp_schemas.cc for the format). Facts from the XMP Specification (2004
// for PDF/A-1, 2005 for PDF/A-2 and -3) and ISO 19005.
#pragma once

#include <string_view>

namespace kholuu::formats::pdf::internal {

// Lines:
//   "@schema PREFIX URI [@1|@2]"  starts a schema (only in part 1 / parts 2-3)
//   "NAME TYPE [@1|@2]"          a property of the current schema
//   "@struct NAME URI"             starts a structure type; fields follow
// TYPE is "Text", "Integer", "Bag X", "Seq X", "Alt X", "Lang Alt", or a
// structure name.
std::string_view PredefinedSchemas();

}  // namespace kholuu::formats::pdf::internal
