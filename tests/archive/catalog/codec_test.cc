#include "archive/catalog/codec.h"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>

#include "tests/support/status_matchers.h"

#ifndef KHOLUU_CODEC_CORPUS_DIR
#error "KHOLUU_CODEC_CORPUS_DIR must name tests/fuzz/corpus/codec_fuzzer"
#endif

namespace kholuu::archive {
namespace {

using ::kholuu::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

model::Agency FullAgency() {
  return {"000.00.00.G22", "Văn phòng Chính phủ", "000.00.00.G00", "Phông VPCP"};
}

model::RecordFile FullRecordFile() {
  model::RecordFile f;
  f.file_code = {"000.00.00.H49", 2023, "05.VP"};
  f.title = "Hồ sơ hội nghị tổng kết công tác văn thư, lưu trữ năm 2023";
  f.maintenance = "Vĩnh viễn";
  f.rights = model::AccessLevel::kSecret;
  f.creator = "Lê Minh Đức";
  f.language = "01";
  f.start_date = "2023-01-03";
  f.end_date = "2023-12-29";
  f.doc_total = 57;
  f.page_total = 1204;
  f.description = "Có 02 bản đồ khổ A0.";
  f.keywords = "tổng kết; văn thư; lưu trữ";
  f.number_of_paper = 602;
  f.physical_state = "02";
  f.infor_sign = "VT.01";
  f.confidence = model::Confidence::kMixed;
  f.paper_file_code = "H49.12.2023.05";
  f.risk_recovery = true;
  f.risk_recovery_status = "02";
  f.fonds_code = "H49-01";
  f.created_micros = -1;  // negative: exercises zigzag
  return f;
}

model::Document FullDocument() {
  model::Document d;
  d.id = "000.00.00.G22.2024.01.TCCB.001";
  d.file_code = {"000.00.00.G22", 2024, "01.TCCB"};
  d.doc_ordinal = 999;
  d.direction = model::Direction::kIncoming;
  d.type_name = "Quyết định";
  d.code_number = "05";
  d.code_notation = "QĐ-TTg";
  d.issued_date = "2024-02-29";
  d.organ_id = "000.00.00.G22";
  d.organ_name = "Văn phòng Chính phủ";
  d.subject = "Về việc ban hành Quy chế quản lý tài liệu điện tử";
  d.language = "Tiếng Việt";
  d.page_amount = 12;
  d.description = "Bản gốc điện tử có chữ ký số";
  d.signers = {{"Bộ trưởng, Chủ nhiệm", "Trần Văn Sơn"}, {}, {"", "Nguyễn Thị Mai"}};
  d.to = {{"000.00.00.H49", "UBND tỉnh Quảng Ninh"}, {"", "Các Bộ, cơ quan ngang Bộ"}};
  d.priority = 9;
  d.issued_amount = 120;
  d.due_date = "2024-03-15";
  d.arrival_date = "2024-03-01";
  d.arrival_number = std::numeric_limits<int64_t>::max();
  d.to_places = "Vụ Pháp chế";
  d.trace_header = "Chuyển Vụ Pháp chế.\nHạn 15/3.";
  d.edxml_document_id = "000.00.00.G22,2024/02/29,05/QĐ-TTg";
  d.access = model::AccessLevel::kConditional;
  d.created_micros = std::numeric_limits<int64_t>::min();
  d.preservation_risk = "PDF/A-2b copy failed validation:\n6.2.11.4.1 font not embedded";
  return d;
}

model::Component FullComponent() {
  model::Component c;
  c.id = "000.00.00.G22.2024.01.TCCB.001/2";
  c.document_id = "000.00.00.G22.2024.01.TCCB.001";
  c.role = model::ComponentRole::kReport;
  c.name = "Báo cáo xác thực chữ ký.json";
  c.sha256 = Sha256Of("báo cáo");
  c.size = std::numeric_limits<uint64_t>::max();
  c.media_type = "application/json";
  c.format_version = "1";
  c.derived_from = "000.00.00.G22.2024.01.TCCB.001/1";
  c.created_micros = 1'709'164'800'000'000;
  return c;
}

model::Event FullEvent() {
  model::Event e;
  e.seq = 123'456'789;
  e.type = model::EventType::kDeletion;
  e.outcome = model::EventOutcome::kWarning;
  e.object_id = Sha256Of("x").ToHex();
  e.detail = "Hủy theo Quyết định 12/QĐ-HĐXĐGT";
  e.agent = "admin.nguyenvana";
  e.time_micros = 1'709'164'800'000'000;
  return e;
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 3) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

// Decodes `bytes` with every decoder; each must succeed or fail with
// kDataLoss naming the type and an offset. Returns how many succeeded.
int DecodeAllCleanly(const std::string& bytes) {
  int ok = 0;
  auto check = [&](const Status& s, const char* type) {
    if (s.ok()) {
      ++ok;
      return;
    }
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
    EXPECT_THAT(s.message(), AllOf(HasSubstr(type), HasSubstr(" at offset ")));
  };
  check(DecodeAgency(bytes).status(), "Agency");
  check(DecodeRecordFile(bytes).status(), "RecordFile");
  check(DecodeDocument(bytes).status(), "Document");
  check(DecodeComponent(bytes).status(), "Component");
  check(DecodeEvent(bytes).status(), "Event");
  return ok;
}

TEST(VarintTest, RoundTripsBoundaries) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{16383},
                     uint64_t{16384}, uint64_t{1} << 63, std::numeric_limits<uint64_t>::max()}) {
    std::string s;
    PutVarint(s, v);
    size_t pos = 0;
    uint64_t back = 0;
    ASSERT_TRUE(GetVarint(s, &pos, &back)) << v;
    EXPECT_EQ(back, v);
    EXPECT_EQ(pos, s.size());
  }
  std::string max;
  PutVarint(max, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(max.size(), 10u);
  EXPECT_EQ(static_cast<unsigned char>(max.back()), 0x01);
}

TEST(VarintTest, RejectsTruncatedAndOverlong) {
  size_t pos = 0;
  uint64_t v = 0;
  EXPECT_FALSE(GetVarint("", &pos, &v));
  EXPECT_FALSE(GetVarint("\x80", &pos, &v));
  EXPECT_FALSE(GetVarint(std::string(10, '\xFF') + '\x01', &pos, &v));  // 11 bytes
  // Ten bytes whose last carries more than bit 63.
  EXPECT_FALSE(GetVarint(std::string(9, '\xFF') + '\x02', &pos, &v));
  EXPECT_EQ(pos, 0u);
}

TEST(ZigZagTest, IntFieldsEncodeSmallMagnitudesShort) {
  std::string s;
  PutIntField(s, 1, -1);  // zigzag 1
  PutIntField(s, 2, 1);   // zigzag 2
  PutIntField(s, 3, 0);   // omitted
  EXPECT_EQ(s, FromHex("01 01 01 02 01 02 "));
  int64_t v = 0;
  EXPECT_TRUE(DecodeInt("\x03", &v));
  EXPECT_EQ(v, -2);
  EXPECT_FALSE(DecodeInt(std::string_view("\x03\x00", 2), &v));  // trailing byte
  EXPECT_FALSE(DecodeInt("", &v));
}

TEST(CodecTest, DefaultValuesEncodeToFormatByteOnly) {
  EXPECT_EQ(EncodeAgency({}), "\x01");
  EXPECT_EQ(EncodeRecordFile({}), "\x01");
  EXPECT_EQ(EncodeDocument({}), "\x01");
  EXPECT_EQ(EncodeComponent({}), "\x01");
  EXPECT_EQ(EncodeEvent({}), "\x01");
  ASSERT_OK_AND_ASSIGN(model::Document d, DecodeDocument("\x01"));
  EXPECT_EQ(d, model::Document{});
  ASSERT_OK_AND_ASSIGN(model::Component c, DecodeComponent("\x01"));
  EXPECT_EQ(c.role, model::ComponentRole::kOriginal);
}

TEST(CodecTest, RoundTripsFullyPopulatedValues) {
  ASSERT_OK_AND_ASSIGN(model::Agency a, DecodeAgency(EncodeAgency(FullAgency())));
  EXPECT_EQ(a, FullAgency());
  ASSERT_OK_AND_ASSIGN(model::RecordFile f, DecodeRecordFile(EncodeRecordFile(FullRecordFile())));
  EXPECT_EQ(f, FullRecordFile());
  ASSERT_OK_AND_ASSIGN(model::Document d, DecodeDocument(EncodeDocument(FullDocument())));
  EXPECT_EQ(d, FullDocument());
  EXPECT_EQ(d.signers.size(), 3u);  // the empty signer survives
  ASSERT_OK_AND_ASSIGN(model::Component c, DecodeComponent(EncodeComponent(FullComponent())));
  EXPECT_EQ(c, FullComponent());
  ASSERT_OK_AND_ASSIGN(model::Event e, DecodeEvent(EncodeEvent(FullEvent())));
  EXPECT_EQ(e, FullEvent());
}

TEST(CodecTest, EventGoldenBytes) {
  // The worked example in docs/formats/codec.md; if this fails the format changed.
  model::Event e;
  e.seq = 17;
  e.type = model::EventType::kFixityCheck;
  e.outcome = model::EventOutcome::kFailure;
  e.object_id = "d/1";
  e.agent = "kholuu";
  e.time_micros = 300;
  const std::string golden =
      FromHex("01 01 01 11 02 01 0a 03 01 04 04 03 64 2f 31 06 06 6b 68 6f 6c 75 75 07 02 d8 04 ");
  EXPECT_EQ(EncodeEvent(e), golden);
  ASSERT_OK_AND_ASSIGN(model::Event back, DecodeEvent(golden));
  EXPECT_EQ(back, e);
}

TEST(CodecTest, FieldsAreInAscendingTagOrder) {
  const std::string bytes = EncodeDocument(FullDocument());
  FieldReader reader(std::string_view(bytes).substr(1));
  uint64_t tag = 0;
  uint64_t previous = 0;
  std::string_view value;
  int fields = 0;
  while (reader.Next(&tag, &value)) {
    EXPECT_GE(tag, previous);
    previous = tag;
    ++fields;
  }
  EXPECT_EQ(reader.error(), "");
  EXPECT_EQ(fields, 30);  // 27 tags, plus signers twice more and to once more
}

// A value written before tag 27 (preservation_risk) existed reads as the same
// document with the new field at its default.
TEST(CodecTest, ReadsADocumentWrittenBeforeTag27) {
  std::ifstream in(std::string(KHOLUU_CODEC_CORPUS_DIR) + "/valid-document-before-tag27",
                   std::ios::binary);
  ASSERT_TRUE(in.good());
  std::stringstream contents;
  contents << in.rdbuf();
  auto d = DecodeDocument(contents.str());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  model::Document expected = FullDocument();
  expected.preservation_risk.clear();
  EXPECT_EQ(*d, expected);
}

TEST(CodecTest, SkipsUnknownTags) {
  std::string bytes(1, '\x01');
  PutStringField(bytes, 1, "000.00.00.H41");
  PutStringField(bytes, 2, "UBND tỉnh Nghệ An");
  PutStringField(bytes, 7, "a field from the future");
  PutIntField(bytes, 300, 42);
  PutIntField(bytes, 300, 43);  // an unknown tag may repeat
  ASSERT_OK_AND_ASSIGN(model::Agency a, DecodeAgency(bytes));
  EXPECT_EQ(a.organ_id, "000.00.00.H41");
  EXPECT_EQ(a.name, "UBND tỉnh Nghệ An");
  EXPECT_EQ(a.parent_id, "");

  // Inside a nested message too.
  std::string file_code;
  PutStringField(file_code, 1, "28.22.H17");
  PutIntField(file_code, 2, 2019);
  PutStringField(file_code, 3, "HS.07");
  PutStringField(file_code, 9, "unknown");
  std::string doc(1, '\x01');
  PutStringField(doc, 1, "doc-1");
  PutField(doc, 2, file_code);
  PutIntField(doc, 3, 7);
  PutStringField(doc, 27, "after the last known tag");
  ASSERT_OK_AND_ASSIGN(model::Document d, DecodeDocument(doc));
  EXPECT_EQ(d.id, "doc-1");
  EXPECT_EQ(d.file_code, (model::FileCode{"28.22.H17", 2019, "HS.07"}));
  EXPECT_EQ(d.doc_ordinal, 7);
}

TEST(CodecTest, AcceptsExplicitDefaults) {
  std::string bytes(1, '\x01');
  std::string one;
  PutVarint(one, 2);  // zigzag(1): ComponentRole::kOriginal written out
  PutField(bytes, 3, one);
  ASSERT_OK_AND_ASSIGN(model::Component c, DecodeComponent(bytes));
  EXPECT_EQ(c.role, model::ComponentRole::kOriginal);
}

struct BadCase {
  const char* what;
  std::string bytes;
  const char* message;
};

TEST(CodecTest, RejectsMalformedInputWithDataLoss) {
  std::string sha_short(1, '\x01');
  PutField(sha_short, 5, std::string(31, 'x'));
  std::string role_zero(1, '\x01');
  PutIntField(role_zero, 3, 0);
  PutField(role_zero, 3, std::string(1, '\0'));
  std::string ordinal_huge(1, '\x01');
  PutIntField(ordinal_huge, 3, int64_t{1} << 31);
  std::string descending(1, '\x01');
  PutStringField(descending, 2, "b");
  PutStringField(descending, 1, "a");
  std::string repeated(1, '\x01');
  PutStringField(repeated, 1, "a");
  PutStringField(repeated, 1, "b");
  std::string bool_two(1, '\x01');
  PutField(bool_two, 18, std::string(1, '\x02'));
  std::string bad_nested(1, '\x01');
  PutField(bad_nested, 1, "\x01\x05" "ab");  // inner length past the end
  std::string rights_four(1, '\x01');
  PutIntField(rights_four, 4, 4);

  const BadCase cases[] = {
      {"empty", "", "empty input at offset 0"},
      {"format byte", "\x02", "unknown format byte 0x02 at offset 0"},
      {"tag zero", std::string("\x01\x00\x00", 3), "tag 0 at offset 1"},
      {"truncated tag", "\x01\x80", "truncated or overlong tag varint at offset 1"},
      {"truncated length", "\x01\x01", "truncated or overlong length varint at offset 1"},
      {"length past end", "\x01\x01\x05" "abc", "field length 5 past the end at offset 1"},
  };
  for (const BadCase& c : cases) {
    for (const Status& s : {DecodeAgency(c.bytes).status(), DecodeEvent(c.bytes).status()}) {
      EXPECT_THAT(s, StatusIs(StatusCode::kDataLoss)) << c.what;
      EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.what;
    }
  }
  EXPECT_THAT(DecodeComponent(sha_short).status().message(),
              HasSubstr("decode Component: tag 5: malformed sha256 of 31 bytes at offset 3"));
  EXPECT_THAT(DecodeComponent(role_zero).status().message(),
              HasSubstr("enum value 0 out of range"));
  EXPECT_THAT(DecodeDocument(ordinal_huge).status().message(),
              HasSubstr("integer 2147483648 out of range"));
  EXPECT_THAT(DecodeAgency(descending).status().message(),
              HasSubstr("tag 1 after tag 2 at offset 4"));
  EXPECT_THAT(DecodeAgency(repeated).status().message(), HasSubstr("tag 1 repeated at offset 4"));
  EXPECT_THAT(DecodeRecordFile(bool_two).status().message(), HasSubstr("bool 2 out of range"));
  EXPECT_THAT(DecodeRecordFile(bad_nested).status().message(),
              HasSubstr("decode RecordFile.file_code: field length 5 past the end at offset 3"));
  EXPECT_THAT(DecodeRecordFile(rights_four), StatusIs(StatusCode::kDataLoss));
  std::string event_type_eleven(1, '\x01');
  PutIntField(event_type_eleven, 2, 11);
  EXPECT_THAT(DecodeEvent(event_type_eleven), StatusIs(StatusCode::kDataLoss));
}

TEST(CodecTest, EveryTruncationFailsCleanlyOrDecodes) {
  for (const std::string& full :
       {EncodeAgency(FullAgency()), EncodeRecordFile(FullRecordFile()),
        EncodeDocument(FullDocument()), EncodeComponent(FullComponent()),
        EncodeEvent(FullEvent())}) {
    int failures = 0;
    for (size_t n = 0; n < full.size(); ++n) {
      const std::string prefix = full.substr(0, n);
      if (DecodeAllCleanly(prefix) < 5) ++failures;
    }
    // Most cuts land inside a field, so they must be detected.
    EXPECT_GT(failures, static_cast<int>(full.size() / 2));
  }
  // A truncated Document never claims a field it lost.
  const std::string doc = EncodeDocument(FullDocument());
  for (size_t n = 1; n < doc.size(); ++n) {
    Result<model::Document> d = DecodeDocument(doc.substr(0, n));
    if (d.ok()) {
      EXPECT_NE(*d, FullDocument()) << n;
    }
  }
}

TEST(CodecTest, RandomMutationsNeverCrashAndDecodedValuesRoundTrip) {
  std::mt19937 rng(20240229);
  const std::string seeds[] = {EncodeAgency(FullAgency()), EncodeRecordFile(FullRecordFile()),
                               EncodeDocument(FullDocument()), EncodeComponent(FullComponent()),
                               EncodeEvent(FullEvent())};
  int decoded = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string bytes = seeds[static_cast<size_t>(round) % 5];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !bytes.empty(); ++k) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 3) {
        case 0: bytes[at] = static_cast<char>(rng() & 0xFF); break;
        case 1: bytes.erase(at, 1); break;
        default: bytes.insert(at, 1, static_cast<char>(rng() & 0xFF)); break;
      }
    }
    decoded += DecodeAllCleanly(bytes);
    if (Result<model::Document> d = DecodeDocument(bytes); d.ok()) {
      ASSERT_OK_AND_ASSIGN(model::Document again, DecodeDocument(EncodeDocument(*d)));
      EXPECT_EQ(again, *d);
    }
    if (Result<model::RecordFile> f = DecodeRecordFile(bytes); f.ok()) {
      ASSERT_OK_AND_ASSIGN(model::RecordFile again, DecodeRecordFile(EncodeRecordFile(*f)));
      EXPECT_EQ(again, *f);
    }
    if (Result<model::Component> c = DecodeComponent(bytes); c.ok()) {
      ASSERT_OK_AND_ASSIGN(model::Component again, DecodeComponent(EncodeComponent(*c)));
      EXPECT_EQ(again, *c);
    }
  }
  EXPECT_GT(decoded, 0);  // the loop exercised the success path too
}

// The seed corpus of tests/fuzz/corpus/codec_fuzzer doubles as golden files:
// the encoder must still produce exactly those bytes. Regenerate (only for a
// deliberate, documented format change) with KHOLUU_UPDATE_CODEC_CORPUS=1.
TEST(CodecTest, SeedCorpusMatchesEncoder) {
  const std::pair<const char*, std::string> seeds[] = {
      {"valid-agency", EncodeAgency(FullAgency())},
      {"valid-record-file", EncodeRecordFile(FullRecordFile())},
      {"valid-document", EncodeDocument(FullDocument())},
      {"valid-component", EncodeComponent(FullComponent())},
      {"valid-event", EncodeEvent(FullEvent())},
  };
  const bool update = std::getenv("KHOLUU_UPDATE_CODEC_CORPUS") != nullptr;
  for (const auto& [name, bytes] : seeds) {
    const std::string path = std::string(KHOLUU_CODEC_CORPUS_DIR) + "/" + name;
    if (update) {
      std::ofstream(path, std::ios::binary) << bytes;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in.good()) << path;
    std::stringstream contents;
    contents << in.rdbuf();
    EXPECT_EQ(contents.str(), bytes) << name;
  }
}

}  // namespace
}  // namespace kholuu::archive
