#include "archive/catalog/codec.h"

#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace kholuu::archive {

namespace {

// Tag numbers. These are part of the archival format (docs/formats/codec.md):
// never renumber or reuse a tag; add new fields with new, higher tags.
constexpr char kFormatByte = '\x01';

namespace agency_tag {
constexpr uint64_t kOrganId = 1, kName = 2, kParentId = 3, kFondsCode = 4;
constexpr uint64_t kMax = 4;
}  // namespace agency_tag

namespace file_code_tag {
constexpr uint64_t kOrganId = 1, kFileCatalog = 2, kFileNotation = 3;
constexpr uint64_t kMax = 3;
}  // namespace file_code_tag

namespace record_file_tag {
constexpr uint64_t kFileCode = 1, kTitle = 2, kMaintenance = 3, kRights = 4, kCreator = 5,
                   kLanguage = 6, kStartDate = 7, kEndDate = 8, kDocTotal = 9, kPageTotal = 10,
                   kDescription = 11, kKeywords = 12, kNumberOfPaper = 13, kPhysicalState = 14,
                   kInforSign = 15, kConfidence = 16, kPaperFileCode = 17, kRiskRecovery = 18,
                   kRiskRecoveryStatus = 19, kFondsCode = 20, kCreatedMicros = 21;
constexpr uint64_t kMax = 21;
}  // namespace record_file_tag

namespace signer_tag {
constexpr uint64_t kPosition = 1, kFullName = 2;
constexpr uint64_t kMax = 2;
}  // namespace signer_tag

namespace recipient_tag {
constexpr uint64_t kOrganId = 1, kOrganName = 2;
constexpr uint64_t kMax = 2;
}  // namespace recipient_tag

namespace document_tag {
constexpr uint64_t kId = 1, kFileCode = 2, kDocOrdinal = 3, kDirection = 4, kTypeName = 5,
                   kCodeNumber = 6, kCodeNotation = 7, kIssuedDate = 8, kOrganId = 9,
                   kOrganName = 10, kSubject = 11, kLanguage = 12, kPageAmount = 13,
                   kDescription = 14, kSigners = 15, kTo = 16, kPriority = 17,
                   kIssuedAmount = 18, kDueDate = 19, kArrivalDate = 20, kArrivalNumber = 21,
                   kToPlaces = 22, kTraceHeader = 23, kEdxmlDocumentId = 24, kAccess = 25,
                   kCreatedMicros = 26, kPreservationRisk = 27;
constexpr uint64_t kMax = 27;
}  // namespace document_tag

namespace component_tag {
constexpr uint64_t kId = 1, kDocumentId = 2, kRole = 3, kName = 4, kSha256 = 5, kSize = 6,
                   kMediaType = 7, kFormatVersion = 8, kDerivedFrom = 9, kCreatedMicros = 10;
constexpr uint64_t kMax = 10;
}  // namespace component_tag

namespace event_tag {
constexpr uint64_t kSeq = 1, kType = 2, kOutcome = 3, kObjectId = 4, kDetail = 5, kAgent = 6,
                   kTimeMicros = 7;
constexpr uint64_t kMax = 7;
}  // namespace event_tag

namespace job_tag {
constexpr uint64_t kId = 1, kPackage = 2, kKind = 3, kState = 4, kActor = 5, kReceivedMicros = 6,
                   kFinishedMicros = 7, kRecordFile = 8, kDocuments = 9, kProblems = 10, kDetail = 11;
constexpr uint64_t kMax = 11;
}  // namespace job_tag

namespace retention_tag {
constexpr uint64_t kFileCode = 1, kKind = 2, kYears = 3, kCondition = 4, kWorkEnded = 5, kConstruction = 6,
                   kSettled = 7, kEvent = 8, kEnteredCurrent = 9, kOtherLaw = 10, kScheduleId = 11,
                   kScheduleVersion = 12, kEntryCode = 13, kSourceText = 14, kReason = 15, kStage = 16,
                   kAssignedMicros = 17;
constexpr uint64_t kMax = 17;
}  // namespace retention_tag

namespace hold_tag {
constexpr uint64_t kId = 1, kName = 2, kReason = 3, kAuthority = 4, kObjects = 5, kQuery = 6, kPlacedMicros = 7,
                   kPlacedBy = 8, kReleasedMicros = 9, kReleasedBy = 10, kReleaseReason = 11;
constexpr uint64_t kMax = 11;
}  // namespace hold_tag

namespace rules_tag {
constexpr uint64_t kCountWholeYears = 1, kTransferCurrentYears = 2, kTransferConstructionMonths = 3,
                   kTransferMinYears = 4, kTransferHistoricalYears = 5, kTransferHistoricalYearsOtherLaw = 6;
constexpr uint64_t kMax = 6;
}  // namespace rules_tag

namespace job_problem_tag {
constexpr uint64_t kCode = 1, kError = 2, kMessage = 3, kMessageVi = 4, kPath = 5;
constexpr uint64_t kMax = 5;
}  // namespace job_problem_tag

// The value a missing enum field decodes to. Fixed here, not taken from the
// struct initialisers, so that a change to a C++ default cannot change the
// meaning of stored bytes.
constexpr int64_t kDefaultAccess = 1;      // AccessLevel::kPublic
constexpr int64_t kDefaultConfidence = 0;  // Confidence::kUnset
constexpr int64_t kDefaultDirection = 1;   // Direction::kOutgoing
constexpr int64_t kDefaultRole = 1;        // ComponentRole::kOriginal
constexpr int64_t kDefaultEventType = 1;   // EventType::kIngestion
constexpr int64_t kDefaultOutcome = 1;     // EventOutcome::kSuccess
constexpr int64_t kDefaultJobState = 1;    // JobState::kReceived
constexpr int64_t kDefaultRetentionKind = 1;   // RetentionKind::kPermanent
constexpr int64_t kDefaultRetentionStage = 2;  // RetentionStage::kCurrent

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t u) { return static_cast<int64_t>((u >> 1) ^ (0 - (u & 1))); }

void PutUintField(std::string& out, uint64_t tag, uint64_t v) {  // omitted when 0
  if (v == 0) return;
  std::string body;
  PutVarint(body, v);
  PutField(out, tag, body);
}

void PutBoolField(std::string& out, uint64_t tag, bool v) { PutUintField(out, tag, v ? 1 : 0); }

// Enums are zigzag integers, omitted only when equal to the format default.
void PutEnumField(std::string& out, uint64_t tag, int64_t v, int64_t format_default) {
  if (v == format_default) return;
  std::string body;
  PutVarint(body, ZigZag(v));
  PutField(out, tag, body);
}

std::string EncodeFileCodeBody(const model::FileCode& v) {
  std::string out;
  PutStringField(out, file_code_tag::kOrganId, v.organ_id);
  PutIntField(out, file_code_tag::kFileCatalog, v.file_catalog);
  PutStringField(out, file_code_tag::kFileNotation, v.file_notation);
  return out;
}

std::string Hex2(unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", static_cast<unsigned>(b));
  return buf;
}

// Walks the fields of one message body, enforcing the ordering rules, and
// turns every problem into kDataLoss "decode <name>: <what> at offset <n>",
// with offsets counted from the start of the whole encoding.
class MessageDecoder {
 public:
  MessageDecoder(std::string name, std::string_view body, size_t base, uint64_t max_known_tag,
                 std::initializer_list<uint64_t> repeated_tags)
      : name_(std::move(name)),
        body_(body),
        reader_(body),
        base_(base),
        max_known_tag_(max_known_tag),
        repeated_tags_(repeated_tags) {}

  // The next known field; unknown tags are skipped. False at the end or on
  // error (then status() is not OK).
  bool Next(uint64_t* tag, std::string_view* value) {
    while (status_.ok()) {
      const size_t field_start = reader_.offset();
      if (!reader_.Next(tag, value)) {
        if (!reader_.error().empty()) Fail(reader_.error(), base_ + reader_.offset());
        return false;
      }
      value_offset_ = base_ + static_cast<size_t>(value->data() - body_.data());
      if (*tag < previous_tag_) {
        Fail("tag " + std::to_string(*tag) + " after tag " + std::to_string(previous_tag_),
             base_ + field_start);
        return false;
      }
      if (*tag == previous_tag_ && *tag <= max_known_tag_ && !IsRepeated(*tag)) {
        Fail("tag " + std::to_string(*tag) + " repeated", base_ + field_start);
        return false;
      }
      previous_tag_ = *tag;
      if (*tag <= max_known_tag_) return true;
    }
    return false;
  }

  const std::string& name() const { return name_; }
  size_t value_offset() const { return value_offset_; }
  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }

  void Fail(const std::string& what, size_t offset) {
    if (!status_.ok()) return;
    status_ = DataLossError("decode " + name_ + ": " + what + " at offset " +
                            std::to_string(offset));
  }
  void FailField(uint64_t tag, const std::string& what) {
    Fail("tag " + std::to_string(tag) + ": " + what, value_offset_);
  }
  void Adopt(const Status& s) {
    if (status_.ok() && !s.ok()) status_ = s;
  }

  void String(std::string_view value, std::string* out) { out->assign(value); }

  void Int64(uint64_t tag, std::string_view value, int64_t* out) {
    if (!DecodeInt(value, out)) FailField(tag, "malformed integer");
  }
  template <typename I>
  void IntN(uint64_t tag, std::string_view value, I* out, int64_t min, int64_t max) {
    int64_t v = 0;
    if (!DecodeInt(value, &v)) {
      FailField(tag, "malformed integer");
    } else if (v < min || v > max) {
      FailField(tag, "integer " + std::to_string(v) + " out of range");
    } else {
      *out = static_cast<I>(v);
    }
  }
  void Int32(uint64_t tag, std::string_view value, int32_t* out) {
    IntN(tag, value, out, INT32_MIN, INT32_MAX);
  }
  template <typename E>
  void Enum(uint64_t tag, std::string_view value, E* out, int64_t min, int64_t max) {
    int64_t v = 0;
    if (!DecodeInt(value, &v)) {
      FailField(tag, "malformed enum");
    } else if (v < min || v > max) {
      FailField(tag, "enum value " + std::to_string(v) + " out of range");
    } else {
      *out = static_cast<E>(v);
    }
  }
  void Uint64(uint64_t tag, std::string_view value, uint64_t* out) {
    size_t pos = 0;
    if (!GetVarint(value, &pos, out) || pos != value.size()) FailField(tag, "malformed varint");
  }
  void Bool(uint64_t tag, std::string_view value, bool* out) {
    uint64_t v = 0;
    Uint64(tag, value, &v);
    if (!ok()) return;
    if (v > 1) {
      FailField(tag, "bool " + std::to_string(v) + " out of range");
    } else {
      *out = v == 1;
    }
  }
  void Digest(uint64_t tag, std::string_view value, Sha256* out) {
    if (value.size() != Sha256::kSize) {
      FailField(tag, "malformed sha256 of " + std::to_string(value.size()) + " bytes");
      return;
    }
    Result<Sha256> digest = Sha256::FromBytes(value);
    if (!digest.ok()) {
      FailField(tag, "malformed sha256");
      return;
    }
    *out = *digest;
  }

 private:
  bool IsRepeated(uint64_t tag) const {
    for (uint64_t r : repeated_tags_) {
      if (r == tag) return true;
    }
    return false;
  }

  std::string name_;
  std::string_view body_;
  FieldReader reader_;
  size_t base_;
  uint64_t max_known_tag_;
  std::vector<uint64_t> repeated_tags_;  // a copy: the list's array dies with the call
  uint64_t previous_tag_ = 0;
  size_t value_offset_ = 0;
  Status status_;
};

Status DecodeFileCodeBody(const std::string& name, std::string_view body, size_t base,
                          model::FileCode* v) {
  MessageDecoder d(name, body, base, file_code_tag::kMax, {});
  uint64_t tag = 0;
  std::string_view value;
  while (d.Next(&tag, &value)) {
    switch (tag) {
      case file_code_tag::kOrganId: d.String(value, &v->organ_id); break;
      case file_code_tag::kFileCatalog: d.Int32(tag, value, &v->file_catalog); break;
      case file_code_tag::kFileNotation: d.String(value, &v->file_notation); break;
      default: break;
    }
  }
  return d.status();
}

Status DecodeSignerBody(const std::string& name, std::string_view body, size_t base,
                        model::SignerInfo* v) {
  MessageDecoder d(name, body, base, signer_tag::kMax, {});
  uint64_t tag = 0;
  std::string_view value;
  while (d.Next(&tag, &value)) {
    switch (tag) {
      case signer_tag::kPosition: d.String(value, &v->position); break;
      case signer_tag::kFullName: d.String(value, &v->full_name); break;
      default: break;
    }
  }
  return d.status();
}

Status DecodeRecipientBody(const std::string& name, std::string_view body, size_t base,
                           model::Recipient* v) {
  MessageDecoder d(name, body, base, recipient_tag::kMax, {});
  uint64_t tag = 0;
  std::string_view value;
  while (d.Next(&tag, &value)) {
    switch (tag) {
      case recipient_tag::kOrganId: d.String(value, &v->organ_id); break;
      case recipient_tag::kOrganName: d.String(value, &v->organ_name); break;
      default: break;
    }
  }
  return d.status();
}

// Checks the format byte and hands the body (offset 1) to `decode_body`.
template <typename T, typename F>
Result<T> DecodeTop(std::string_view bytes, const char* name, F decode_body) {
  if (bytes.empty()) {
    return DataLossError(std::string("decode ") + name + ": empty input at offset 0");
  }
  if (bytes[0] != kFormatByte) {
    return DataLossError(std::string("decode ") + name + ": unknown format byte " +
                         Hex2(static_cast<unsigned char>(bytes[0])) + " at offset 0");
  }
  T v;
  Status s = decode_body(bytes.substr(1), &v);
  if (!s.ok()) return s;
  return v;
}

}  // namespace

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view in, size_t* pos, uint64_t* v) {
  uint64_t result = 0;
  size_t p = *pos;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (p >= in.size()) return false;
    const uint64_t b = static_cast<unsigned char>(in[p++]);
    // The tenth byte holds bit 63 only; more would overflow 64 bits.
    if (shift == 63 && b > 1) return false;
    result |= (b & 0x7F) << shift;
    if ((b & 0x80) == 0) {
      *pos = p;
      *v = result;
      return true;
    }
  }
  return false;
}

void PutField(std::string& out, uint64_t tag, std::string_view bytes) {
  PutVarint(out, tag);
  PutVarint(out, bytes.size());
  out.append(bytes);
}

void PutIntField(std::string& out, uint64_t tag, int64_t v) {
  if (v == 0) return;
  std::string body;
  PutVarint(body, ZigZag(v));
  PutField(out, tag, body);
}

void PutStringField(std::string& out, uint64_t tag, std::string_view s) {
  if (s.empty()) return;
  PutField(out, tag, s);
}

bool FieldReader::Next(uint64_t* tag, std::string_view* value) {
  if (!error_.empty() || pos_ >= in_.size()) return false;
  size_t p = pos_;
  uint64_t t = 0;
  uint64_t length = 0;
  if (!GetVarint(in_, &p, &t)) {
    error_ = "truncated or overlong tag varint";
    return false;
  }
  if (t == 0) {
    error_ = "tag 0";
    return false;
  }
  if (!GetVarint(in_, &p, &length)) {
    error_ = "truncated or overlong length varint";
    return false;
  }
  if (length > in_.size() - p) {
    error_ = "field length " + std::to_string(length) + " past the end";
    return false;
  }
  *tag = t;
  *value = in_.substr(p, static_cast<size_t>(length));
  pos_ = p + static_cast<size_t>(length);
  return true;
}

bool DecodeInt(std::string_view value, int64_t* out) {
  size_t pos = 0;
  uint64_t u = 0;
  if (!GetVarint(value, &pos, &u) || pos != value.size()) return false;
  *out = UnZigZag(u);
  return true;
}

std::string EncodeAgency(const model::Agency& v) {
  std::string out(1, kFormatByte);
  PutStringField(out, agency_tag::kOrganId, v.organ_id);
  PutStringField(out, agency_tag::kName, v.name);
  PutStringField(out, agency_tag::kParentId, v.parent_id);
  PutStringField(out, agency_tag::kFondsCode, v.fonds_code);
  return out;
}

Result<model::Agency> DecodeAgency(std::string_view bytes) {
  return DecodeTop<model::Agency>(bytes, "Agency", [](std::string_view body, model::Agency* v) {
    MessageDecoder d("Agency", body, 1, agency_tag::kMax, {});
    uint64_t tag = 0;
    std::string_view value;
    while (d.Next(&tag, &value)) {
      switch (tag) {
        case agency_tag::kOrganId: d.String(value, &v->organ_id); break;
        case agency_tag::kName: d.String(value, &v->name); break;
        case agency_tag::kParentId: d.String(value, &v->parent_id); break;
        case agency_tag::kFondsCode: d.String(value, &v->fonds_code); break;
        default: break;
      }
    }
    return d.status();
  });
}

std::string EncodeRecordFile(const model::RecordFile& v) {
  namespace t = record_file_tag;
  std::string out(1, kFormatByte);
  const std::string file_code = EncodeFileCodeBody(v.file_code);
  if (!file_code.empty()) PutField(out, t::kFileCode, file_code);
  PutStringField(out, t::kTitle, v.title);
  PutStringField(out, t::kMaintenance, v.maintenance);
  PutEnumField(out, t::kRights, static_cast<int64_t>(v.rights), kDefaultAccess);
  PutStringField(out, t::kCreator, v.creator);
  PutStringField(out, t::kLanguage, v.language);
  PutStringField(out, t::kStartDate, v.start_date);
  PutStringField(out, t::kEndDate, v.end_date);
  PutIntField(out, t::kDocTotal, v.doc_total);
  PutIntField(out, t::kPageTotal, v.page_total);
  PutStringField(out, t::kDescription, v.description);
  PutStringField(out, t::kKeywords, v.keywords);
  PutIntField(out, t::kNumberOfPaper, v.number_of_paper);
  PutStringField(out, t::kPhysicalState, v.physical_state);
  PutStringField(out, t::kInforSign, v.infor_sign);
  PutEnumField(out, t::kConfidence, static_cast<int64_t>(v.confidence), kDefaultConfidence);
  PutStringField(out, t::kPaperFileCode, v.paper_file_code);
  PutBoolField(out, t::kRiskRecovery, v.risk_recovery);
  PutStringField(out, t::kRiskRecoveryStatus, v.risk_recovery_status);
  PutStringField(out, t::kFondsCode, v.fonds_code);
  PutIntField(out, t::kCreatedMicros, v.created_micros);
  return out;
}

Result<model::RecordFile> DecodeRecordFile(std::string_view bytes) {
  return DecodeTop<model::RecordFile>(
      bytes, "RecordFile", [](std::string_view body, model::RecordFile* v) {
        namespace t = record_file_tag;
        MessageDecoder d("RecordFile", body, 1, t::kMax, {});
        v->rights = static_cast<model::AccessLevel>(kDefaultAccess);
        v->confidence = static_cast<model::Confidence>(kDefaultConfidence);
        uint64_t tag = 0;
        std::string_view value;
        while (d.Next(&tag, &value)) {
          switch (tag) {
            case t::kFileCode:
              d.Adopt(DecodeFileCodeBody("RecordFile.file_code", value, d.value_offset(),
                                         &v->file_code));
              break;
            case t::kTitle: d.String(value, &v->title); break;
            case t::kMaintenance: d.String(value, &v->maintenance); break;
            case t::kRights: d.Enum(tag, value, &v->rights, 1, 3); break;
            case t::kCreator: d.String(value, &v->creator); break;
            case t::kLanguage: d.String(value, &v->language); break;
            case t::kStartDate: d.String(value, &v->start_date); break;
            case t::kEndDate: d.String(value, &v->end_date); break;
            case t::kDocTotal: d.Int32(tag, value, &v->doc_total); break;
            case t::kPageTotal: d.Int32(tag, value, &v->page_total); break;
            case t::kDescription: d.String(value, &v->description); break;
            case t::kKeywords: d.String(value, &v->keywords); break;
            case t::kNumberOfPaper: d.Int32(tag, value, &v->number_of_paper); break;
            case t::kPhysicalState: d.String(value, &v->physical_state); break;
            case t::kInforSign: d.String(value, &v->infor_sign); break;
            case t::kConfidence: d.Enum(tag, value, &v->confidence, 0, 3); break;
            case t::kPaperFileCode: d.String(value, &v->paper_file_code); break;
            case t::kRiskRecovery: d.Bool(tag, value, &v->risk_recovery); break;
            case t::kRiskRecoveryStatus: d.String(value, &v->risk_recovery_status); break;
            case t::kFondsCode: d.String(value, &v->fonds_code); break;
            case t::kCreatedMicros: d.Int64(tag, value, &v->created_micros); break;
            default: break;
          }
        }
        return d.status();
      });
}

std::string EncodeDocument(const model::Document& v) {
  namespace t = document_tag;
  std::string out(1, kFormatByte);
  PutStringField(out, t::kId, v.id);
  const std::string file_code = EncodeFileCodeBody(v.file_code);
  if (!file_code.empty()) PutField(out, t::kFileCode, file_code);
  PutIntField(out, t::kDocOrdinal, v.doc_ordinal);
  PutEnumField(out, t::kDirection, static_cast<int64_t>(v.direction), kDefaultDirection);
  PutStringField(out, t::kTypeName, v.type_name);
  PutStringField(out, t::kCodeNumber, v.code_number);
  PutStringField(out, t::kCodeNotation, v.code_notation);
  PutStringField(out, t::kIssuedDate, v.issued_date);
  PutStringField(out, t::kOrganId, v.organ_id);
  PutStringField(out, t::kOrganName, v.organ_name);
  PutStringField(out, t::kSubject, v.subject);
  PutStringField(out, t::kLanguage, v.language);
  PutIntField(out, t::kPageAmount, v.page_amount);
  PutStringField(out, t::kDescription, v.description);
  // Repeated: every element is written, even an empty one, so the count survives.
  for (const model::SignerInfo& s : v.signers) {
    std::string body;
    PutStringField(body, signer_tag::kPosition, s.position);
    PutStringField(body, signer_tag::kFullName, s.full_name);
    PutField(out, t::kSigners, body);
  }
  for (const model::Recipient& r : v.to) {
    std::string body;
    PutStringField(body, recipient_tag::kOrganId, r.organ_id);
    PutStringField(body, recipient_tag::kOrganName, r.organ_name);
    PutField(out, t::kTo, body);
  }
  PutIntField(out, t::kPriority, v.priority);
  PutIntField(out, t::kIssuedAmount, v.issued_amount);
  PutStringField(out, t::kDueDate, v.due_date);
  PutStringField(out, t::kArrivalDate, v.arrival_date);
  PutIntField(out, t::kArrivalNumber, v.arrival_number);
  PutStringField(out, t::kToPlaces, v.to_places);
  PutStringField(out, t::kTraceHeader, v.trace_header);
  PutStringField(out, t::kEdxmlDocumentId, v.edxml_document_id);
  PutEnumField(out, t::kAccess, static_cast<int64_t>(v.access), kDefaultAccess);
  PutIntField(out, t::kCreatedMicros, v.created_micros);
  PutStringField(out, t::kPreservationRisk, v.preservation_risk);
  return out;
}

Result<model::Document> DecodeDocument(std::string_view bytes) {
  return DecodeTop<model::Document>(
      bytes, "Document", [](std::string_view body, model::Document* v) {
        namespace t = document_tag;
        MessageDecoder d("Document", body, 1, t::kMax, {t::kSigners, t::kTo});
        v->direction = static_cast<model::Direction>(kDefaultDirection);
        v->access = static_cast<model::AccessLevel>(kDefaultAccess);
        uint64_t tag = 0;
        std::string_view value;
        while (d.Next(&tag, &value)) {
          switch (tag) {
            case t::kId: d.String(value, &v->id); break;
            case t::kFileCode:
              d.Adopt(DecodeFileCodeBody("Document.file_code", value, d.value_offset(),
                                         &v->file_code));
              break;
            case t::kDocOrdinal: d.Int32(tag, value, &v->doc_ordinal); break;
            case t::kDirection: d.Enum(tag, value, &v->direction, 1, 3); break;
            case t::kTypeName: d.String(value, &v->type_name); break;
            case t::kCodeNumber: d.String(value, &v->code_number); break;
            case t::kCodeNotation: d.String(value, &v->code_notation); break;
            case t::kIssuedDate: d.String(value, &v->issued_date); break;
            case t::kOrganId: d.String(value, &v->organ_id); break;
            case t::kOrganName: d.String(value, &v->organ_name); break;
            case t::kSubject: d.String(value, &v->subject); break;
            case t::kLanguage: d.String(value, &v->language); break;
            case t::kPageAmount: d.Int32(tag, value, &v->page_amount); break;
            case t::kDescription: d.String(value, &v->description); break;
            case t::kSigners: {
              model::SignerInfo s;
              d.Adopt(DecodeSignerBody(
                  "Document.signers[" + std::to_string(v->signers.size()) + "]", value,
                  d.value_offset(), &s));
              v->signers.push_back(std::move(s));
              break;
            }
            case t::kTo: {
              model::Recipient r;
              d.Adopt(DecodeRecipientBody("Document.to[" + std::to_string(v->to.size()) + "]",
                                          value, d.value_offset(), &r));
              v->to.push_back(std::move(r));
              break;
            }
            case t::kPriority: d.Int32(tag, value, &v->priority); break;
            case t::kIssuedAmount: d.Int32(tag, value, &v->issued_amount); break;
            case t::kDueDate: d.String(value, &v->due_date); break;
            case t::kArrivalDate: d.String(value, &v->arrival_date); break;
            case t::kArrivalNumber: d.Int64(tag, value, &v->arrival_number); break;
            case t::kToPlaces: d.String(value, &v->to_places); break;
            case t::kTraceHeader: d.String(value, &v->trace_header); break;
            case t::kEdxmlDocumentId: d.String(value, &v->edxml_document_id); break;
            case t::kAccess: d.Enum(tag, value, &v->access, 1, 3); break;
            case t::kCreatedMicros: d.Int64(tag, value, &v->created_micros); break;
            case t::kPreservationRisk: d.String(value, &v->preservation_risk); break;
            default: break;
          }
        }
        return d.status();
      });
}

std::string EncodeComponent(const model::Component& v) {
  namespace t = component_tag;
  std::string out(1, kFormatByte);
  PutStringField(out, t::kId, v.id);
  PutStringField(out, t::kDocumentId, v.document_id);
  PutEnumField(out, t::kRole, static_cast<int64_t>(v.role), kDefaultRole);
  PutStringField(out, t::kName, v.name);
  if (!v.sha256.IsZero()) PutField(out, t::kSha256, v.sha256.raw());
  PutUintField(out, t::kSize, v.size);
  PutStringField(out, t::kMediaType, v.media_type);
  PutStringField(out, t::kFormatVersion, v.format_version);
  PutStringField(out, t::kDerivedFrom, v.derived_from);
  PutIntField(out, t::kCreatedMicros, v.created_micros);
  return out;
}

Result<model::Component> DecodeComponent(std::string_view bytes) {
  return DecodeTop<model::Component>(
      bytes, "Component", [](std::string_view body, model::Component* v) {
        namespace t = component_tag;
        MessageDecoder d("Component", body, 1, t::kMax, {});
        v->role = static_cast<model::ComponentRole>(kDefaultRole);
        uint64_t tag = 0;
        std::string_view value;
        while (d.Next(&tag, &value)) {
          switch (tag) {
            case t::kId: d.String(value, &v->id); break;
            case t::kDocumentId: d.String(value, &v->document_id); break;
            case t::kRole: d.Enum(tag, value, &v->role, 1, 5); break;
            case t::kName: d.String(value, &v->name); break;
            case t::kSha256: d.Digest(tag, value, &v->sha256); break;
            case t::kSize: d.Uint64(tag, value, &v->size); break;
            case t::kMediaType: d.String(value, &v->media_type); break;
            case t::kFormatVersion: d.String(value, &v->format_version); break;
            case t::kDerivedFrom: d.String(value, &v->derived_from); break;
            case t::kCreatedMicros: d.Int64(tag, value, &v->created_micros); break;
            default: break;
          }
        }
        return d.status();
      });
}

std::string EncodeEvent(const model::Event& v) {
  namespace t = event_tag;
  std::string out(1, kFormatByte);
  PutUintField(out, t::kSeq, v.seq);
  PutEnumField(out, t::kType, static_cast<int64_t>(v.type), kDefaultEventType);
  PutEnumField(out, t::kOutcome, static_cast<int64_t>(v.outcome), kDefaultOutcome);
  PutStringField(out, t::kObjectId, v.object_id);
  PutStringField(out, t::kDetail, v.detail);
  PutStringField(out, t::kAgent, v.agent);
  PutIntField(out, t::kTimeMicros, v.time_micros);
  return out;
}

Result<model::Event> DecodeEvent(std::string_view bytes) {
  return DecodeTop<model::Event>(bytes, "Event", [](std::string_view body, model::Event* v) {
    namespace t = event_tag;
    MessageDecoder d("Event", body, 1, t::kMax, {});
    v->type = static_cast<model::EventType>(kDefaultEventType);
    v->outcome = static_cast<model::EventOutcome>(kDefaultOutcome);
    uint64_t tag = 0;
    std::string_view value;
    while (d.Next(&tag, &value)) {
      switch (tag) {
        case t::kSeq: d.Uint64(tag, value, &v->seq); break;
        case t::kType: d.Enum(tag, value, &v->type, 1, 10); break;
        case t::kOutcome: d.Enum(tag, value, &v->outcome, 1, 3); break;
        case t::kObjectId: d.String(value, &v->object_id); break;
        case t::kDetail: d.String(value, &v->detail); break;
        case t::kAgent: d.String(value, &v->agent); break;
        case t::kTimeMicros: d.Int64(tag, value, &v->time_micros); break;
        default: break;
      }
    }
    return d.status();
  });
}

std::string EncodeJob(const model::IngestJob& v) {
  namespace t = job_tag;
  namespace pt = job_problem_tag;
  std::string out(1, kFormatByte);
  PutStringField(out, t::kId, v.id);
  PutStringField(out, t::kPackage, v.package);
  PutStringField(out, t::kKind, v.kind);
  PutEnumField(out, t::kState, static_cast<int64_t>(v.state), kDefaultJobState);
  PutStringField(out, t::kActor, v.actor);
  PutIntField(out, t::kReceivedMicros, v.received_micros);
  PutIntField(out, t::kFinishedMicros, v.finished_micros);
  PutStringField(out, t::kRecordFile, v.record_file);
  // Repeated: every element is written, even an empty one, so the count survives.
  for (const std::string& d : v.documents) PutField(out, t::kDocuments, d);
  for (const model::JobProblem& p : v.problems) {
    std::string body;
    PutStringField(body, pt::kCode, p.code);
    PutBoolField(body, pt::kError, p.error);
    PutStringField(body, pt::kMessage, p.message);
    PutStringField(body, pt::kMessageVi, p.message_vi);
    PutStringField(body, pt::kPath, p.path);
    PutField(out, t::kProblems, body);
  }
  PutStringField(out, t::kDetail, v.detail);
  return out;
}

namespace {

Status DecodeJobProblemBody(const std::string& name, std::string_view body, size_t base, model::JobProblem* v) {
  namespace pt = job_problem_tag;
  MessageDecoder d(name, body, base, pt::kMax, {});
  uint64_t tag = 0;
  std::string_view value;
  while (d.Next(&tag, &value)) {
    switch (tag) {
      case pt::kCode: d.String(value, &v->code); break;
      case pt::kError: d.Bool(tag, value, &v->error); break;
      case pt::kMessage: d.String(value, &v->message); break;
      case pt::kMessageVi: d.String(value, &v->message_vi); break;
      case pt::kPath: d.String(value, &v->path); break;
      default: break;
    }
  }
  return d.status();
}

}  // namespace

Result<model::IngestJob> DecodeJob(std::string_view bytes) {
  return DecodeTop<model::IngestJob>(bytes, "IngestJob", [](std::string_view body, model::IngestJob* v) {
    namespace t = job_tag;
    MessageDecoder d("IngestJob", body, 1, t::kMax, {t::kDocuments, t::kProblems});
    v->state = static_cast<model::JobState>(kDefaultJobState);
    uint64_t tag = 0;
    std::string_view value;
    while (d.Next(&tag, &value)) {
      switch (tag) {
        case t::kId: d.String(value, &v->id); break;
        case t::kPackage: d.String(value, &v->package); break;
        case t::kKind: d.String(value, &v->kind); break;
        case t::kState: d.Enum(tag, value, &v->state, 1, 4); break;
        case t::kActor: d.String(value, &v->actor); break;
        case t::kReceivedMicros: d.Int64(tag, value, &v->received_micros); break;
        case t::kFinishedMicros: d.Int64(tag, value, &v->finished_micros); break;
        case t::kRecordFile: d.String(value, &v->record_file); break;
        case t::kDocuments: v->documents.emplace_back(value); break;
        case t::kProblems: {
          model::JobProblem p;
          d.Adopt(DecodeJobProblemBody("IngestJob.problems[" + std::to_string(v->problems.size()) + "]", value,
                                       d.value_offset(), &p));
          v->problems.push_back(std::move(p));
          break;
        }
        case t::kDetail: d.String(value, &v->detail); break;
        default: break;
      }
    }
    return d.status();
  });
}

std::string EncodeFileRetention(const model::FileRetention& v) {
  namespace t = retention_tag;
  auto date = [](const std::optional<model::CivilDate>& d) { return d ? d->ToString() : std::string(); };
  std::string out(1, kFormatByte);
  PutStringField(out, t::kFileCode, v.file_code);
  PutEnumField(out, t::kKind, static_cast<int64_t>(v.facts.period.kind), kDefaultRetentionKind);
  PutIntField(out, t::kYears, v.facts.period.years);
  PutStringField(out, t::kCondition, v.facts.period.condition);
  PutStringField(out, t::kWorkEnded, v.facts.work_ended.ToString());
  PutBoolField(out, t::kConstruction, v.facts.construction);
  PutStringField(out, t::kSettled, date(v.facts.settled));
  PutStringField(out, t::kEvent, date(v.facts.event));
  PutStringField(out, t::kEnteredCurrent, date(v.facts.entered_current));
  PutBoolField(out, t::kOtherLaw, v.facts.historical_under_other_law);
  PutStringField(out, t::kScheduleId, v.schedule_id);
  PutStringField(out, t::kScheduleVersion, v.schedule_version);
  PutStringField(out, t::kEntryCode, v.entry_code);
  PutStringField(out, t::kSourceText, v.source_text);
  PutStringField(out, t::kReason, v.reason);
  PutEnumField(out, t::kStage, static_cast<int64_t>(v.stage), kDefaultRetentionStage);
  PutIntField(out, t::kAssignedMicros, v.assigned_micros);
  return out;
}

Result<model::FileRetention> DecodeFileRetention(std::string_view bytes) {
  return DecodeTop<model::FileRetention>(bytes, "FileRetention", [](std::string_view body, model::FileRetention* v) {
    namespace t = retention_tag;
    MessageDecoder d("FileRetention", body, 1, t::kMax, {});
    v->facts.period.kind = static_cast<model::RetentionKind>(kDefaultRetentionKind);
    v->stage = static_cast<model::RetentionStage>(kDefaultRetentionStage);
    auto date = [&](uint64_t tag, std::string_view value, model::CivilDate* out) {
      auto parsed = model::CivilDate::Parse(value);
      if (!parsed.ok()) {
        d.FailField(tag, "malformed date");
      } else {
        *out = *parsed;
      }
    };
    auto optional_date = [&](uint64_t tag, std::string_view value, std::optional<model::CivilDate>* out) {
      model::CivilDate parsed;
      date(tag, value, &parsed);
      if (d.ok()) *out = parsed;
    };
    bool have_work_ended = false;
    uint64_t tag = 0;
    std::string_view value;
    while (d.Next(&tag, &value)) {
      switch (tag) {
        case t::kFileCode: d.String(value, &v->file_code); break;
        case t::kKind: d.Enum(tag, value, &v->facts.period.kind, 1, 3); break;
        case t::kYears: d.Int32(tag, value, &v->facts.period.years); break;
        case t::kCondition: d.String(value, &v->facts.period.condition); break;
        case t::kWorkEnded:
          date(tag, value, &v->facts.work_ended);
          have_work_ended = true;
          break;
        case t::kConstruction: d.Bool(tag, value, &v->facts.construction); break;
        case t::kSettled: optional_date(tag, value, &v->facts.settled); break;
        case t::kEvent: optional_date(tag, value, &v->facts.event); break;
        case t::kEnteredCurrent: optional_date(tag, value, &v->facts.entered_current); break;
        case t::kOtherLaw: d.Bool(tag, value, &v->facts.historical_under_other_law); break;
        case t::kScheduleId: d.String(value, &v->schedule_id); break;
        case t::kScheduleVersion: d.String(value, &v->schedule_version); break;
        case t::kEntryCode: d.String(value, &v->entry_code); break;
        case t::kSourceText: d.String(value, &v->source_text); break;
        case t::kReason: d.String(value, &v->reason); break;
        case t::kStage: d.Enum(tag, value, &v->stage, 1, 4); break;
        case t::kAssignedMicros: d.Int64(tag, value, &v->assigned_micros); break;
        default: break;
      }
    }
    if (d.ok() && !have_work_ended) d.Fail("no work_ended date", 1);
    return d.status();
  });
}

// Every field is written (no defaults in the bytes): the rules a catalog
// computed its due dates with must not change with a new build's defaults.
std::string EncodeRetentionRules(const model::RetentionRules& v) {
  namespace t = rules_tag;
  std::string out(1, kFormatByte);
  auto put = [&](uint64_t tag, uint64_t value) {
    std::string body;
    PutVarint(body, value);
    PutField(out, tag, body);
  };
  put(t::kCountWholeYears, v.count_whole_years ? 1 : 0);
  put(t::kTransferCurrentYears, static_cast<uint64_t>(v.transfer_current_years));
  put(t::kTransferConstructionMonths, static_cast<uint64_t>(v.transfer_construction_months));
  put(t::kTransferMinYears, static_cast<uint64_t>(v.transfer_min_years));
  put(t::kTransferHistoricalYears, static_cast<uint64_t>(v.transfer_historical_years));
  put(t::kTransferHistoricalYearsOtherLaw, static_cast<uint64_t>(v.transfer_historical_years_other_law));
  return out;
}

Result<model::RetentionRules> DecodeRetentionRules(std::string_view bytes) {
  return DecodeTop<model::RetentionRules>(bytes, "RetentionRules", [](std::string_view body, model::RetentionRules* v) {
    namespace t = rules_tag;
    MessageDecoder d("RetentionRules", body, 1, t::kMax, {});
    int seen = 0;
    auto number = [&](uint64_t tag, std::string_view value, int32_t* out) {
      uint64_t n = 0;
      d.Uint64(tag, value, &n);
      if (!d.ok()) return;
      if (n > 1000) {
        d.FailField(tag, "value " + std::to_string(n) + " out of range");
        return;
      }
      *out = static_cast<int32_t>(n);
    };
    uint64_t tag = 0;
    std::string_view value;
    while (d.Next(&tag, &value)) {
      ++seen;
      switch (tag) {
        case t::kCountWholeYears: d.Bool(tag, value, &v->count_whole_years); break;
        case t::kTransferCurrentYears: number(tag, value, &v->transfer_current_years); break;
        case t::kTransferConstructionMonths: number(tag, value, &v->transfer_construction_months); break;
        case t::kTransferMinYears: number(tag, value, &v->transfer_min_years); break;
        case t::kTransferHistoricalYears: number(tag, value, &v->transfer_historical_years); break;
        case t::kTransferHistoricalYearsOtherLaw: number(tag, value, &v->transfer_historical_years_other_law); break;
        default: --seen; break;
      }
    }
    if (d.ok() && seen != static_cast<int>(t::kMax)) d.Fail("a rule is missing", 1);
    return d.status();
  });
}

std::string EncodeHold(const model::Hold& v) {
  namespace t = hold_tag;
  std::string out(1, kFormatByte);
  PutStringField(out, t::kId, v.id);
  PutStringField(out, t::kName, v.name);
  PutStringField(out, t::kReason, v.reason);
  PutStringField(out, t::kAuthority, v.authority);
  for (const std::string& o : v.objects) PutField(out, t::kObjects, o);
  PutStringField(out, t::kQuery, v.query);
  PutIntField(out, t::kPlacedMicros, v.placed_micros);
  PutStringField(out, t::kPlacedBy, v.placed_by);
  PutIntField(out, t::kReleasedMicros, v.released_micros);
  PutStringField(out, t::kReleasedBy, v.released_by);
  PutStringField(out, t::kReleaseReason, v.release_reason);
  return out;
}

Result<model::Hold> DecodeHold(std::string_view bytes) {
  return DecodeTop<model::Hold>(bytes, "Hold", [](std::string_view body, model::Hold* v) {
    namespace t = hold_tag;
    MessageDecoder d("Hold", body, 1, t::kMax, {t::kObjects});
    uint64_t tag = 0;
    std::string_view value;
    while (d.Next(&tag, &value)) {
      switch (tag) {
        case t::kId: d.String(value, &v->id); break;
        case t::kName: d.String(value, &v->name); break;
        case t::kReason: d.String(value, &v->reason); break;
        case t::kAuthority: d.String(value, &v->authority); break;
        case t::kObjects: v->objects.emplace_back(value); break;
        case t::kQuery: d.String(value, &v->query); break;
        case t::kPlacedMicros: d.Int64(tag, value, &v->placed_micros); break;
        case t::kPlacedBy: d.String(value, &v->placed_by); break;
        case t::kReleasedMicros: d.Int64(tag, value, &v->released_micros); break;
        case t::kReleasedBy: d.String(value, &v->released_by); break;
        case t::kReleaseReason: d.String(value, &v->release_reason); break;
        default: break;
      }
    }
    return d.status();
  });
}

}  // namespace kholuu::archive
