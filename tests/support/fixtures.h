// Realistic domain values for tests.
#pragma once

#include <string>
#include <vector>

#include "archive/model/component.h"
#include "archive/model/document.h"
#include "archive/model/record_file.h"

namespace kholuu::testing {

// A record file of Văn phòng Chính phủ, year 2024, notation "<n>.TCCB".
model::RecordFile SampleRecordFile(int n = 1);
// Document `ordinal` of that file: a Quyết định with số/ký hiệu and an edXML id.
model::Document SampleDocument(const model::RecordFile& file, int ordinal);
// The original component of a document, for bytes with the given digest/size.
model::Component SampleComponent(const model::Document& doc, const Sha256& digest,
                                 uint64_t size, int index = 1);

// A one-page PDF whose text layer shows `lines` (ASCII, standard font
// Helvetica): what pdftotext reads back, line by line. `trailer_extra` is
// added to the trailer dictionary (e.g. an /Encrypt entry).
std::string TextLayerPdf(const std::vector<std::string>& lines, const std::string& trailer_extra = "");

}  // namespace kholuu::testing
