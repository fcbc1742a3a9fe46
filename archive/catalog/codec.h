// Byte encodings of the catalog's values. Format (docs/formats/codec.md, the
// tag tables; docs/formats/storage.md for where the values live):
// one format byte (0x01), then fields as <varint tag><varint length><bytes>,
// in ascending tag order. Signed integers and enums are zigzag varints inside
// their field; unsigned 64-bit fields (Component::size, Event::seq) and bools
// are plain varints; strings are raw UTF-8; repeated and nested values repeat
// the tag with an encoded sub-message (no format byte inside). Unknown tags are
// skipped, so older readers can read newer values; a missing tag means the
// default value listed in docs/formats/codec.md.
//
// Encoders do not validate: validate with model::*::Validate first. An enum
// holding a value outside its enumerators encodes, but does not decode.
// Thread-safety: all functions are pure; FieldReader is not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "archive/base/status.h"
#include "archive/model/agency.h"
#include "archive/model/component.h"
#include "archive/model/document.h"
#include "archive/model/event.h"
#include "archive/model/hold.h"
#include "archive/model/job.h"
#include "archive/model/record_file.h"
#include "archive/model/retention.h"

namespace kholuu::archive {

std::string EncodeAgency(const model::Agency& v);
std::string EncodeRecordFile(const model::RecordFile& v);
std::string EncodeDocument(const model::Document& v);
std::string EncodeComponent(const model::Component& v);
std::string EncodeEvent(const model::Event& v);
std::string EncodeJob(const model::IngestJob& v);
std::string EncodeFileRetention(const model::FileRetention& v);
std::string EncodeRetentionRules(const model::RetentionRules& v);
std::string EncodeHold(const model::Hold& v);

// Decoders reject, with kDataLoss naming the value type and byte offset:
// an unknown format byte, a truncated varint or field, a length past the end,
// an out-of-range enum or integer, a malformed sha256, a tag lower than the one
// before it, a non-repeated known tag that appears twice, tag 0.
// They accept any bytes without crashing; memory use is bounded by a small
// multiple of bytes.size().
Result<model::Agency> DecodeAgency(std::string_view bytes);
Result<model::RecordFile> DecodeRecordFile(std::string_view bytes);
Result<model::Document> DecodeDocument(std::string_view bytes);
Result<model::Component> DecodeComponent(std::string_view bytes);
Result<model::Event> DecodeEvent(std::string_view bytes);
Result<model::IngestJob> DecodeJob(std::string_view bytes);
Result<model::FileRetention> DecodeFileRetention(std::string_view bytes);
Result<model::RetentionRules> DecodeRetentionRules(std::string_view bytes);
Result<model::Hold> DecodeHold(std::string_view bytes);

// Low-level helpers shared with the audit chain encoder.
void PutVarint(std::string& out, uint64_t v);
// Reads a varint at `*pos`, advancing it. False (and `*pos` unchanged) if
// truncated, over 10 bytes, or above 2^64-1.
bool GetVarint(std::string_view in, size_t* pos, uint64_t* v);
void PutField(std::string& out, uint64_t tag, std::string_view bytes);
void PutIntField(std::string& out, uint64_t tag, int64_t v);  // zigzag; omitted when 0
void PutStringField(std::string& out, uint64_t tag, std::string_view s);  // omitted when empty

// Iterates fields of an encoded message (after the format byte).
class FieldReader {
 public:
  explicit FieldReader(std::string_view body) : in_(body) {}
  // Next field; false at the end. On malformed input (tag 0, truncated varint,
  // length past the end) returns false, sets error() and leaves offset() at
  // the first byte of the bad field; every later call returns false.
  bool Next(uint64_t* tag, std::string_view* value);
  const std::string& error() const { return error_; }
  size_t offset() const { return pos_; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  std::string error_;
};

// Decodes a zigzag varint field value, which must fill `value` exactly.
// False if malformed.
bool DecodeInt(std::string_view value, int64_t* out);

}  // namespace kholuu::archive
