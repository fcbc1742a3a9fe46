#include "formats/package/mets_package.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "archive/base/digest.h"
#include "archive/base/sha256.h"
#include "archive/model/agency.h"
#include "archive/model/ids.h"
#include "formats/common/text.h"
#include "formats/common/internal/xml.h"

namespace kholuu::formats::package {
namespace {

using internal::Attr;
using internal::Child;
using internal::Children;
using internal::ChildText;
using internal::Elements;
using internal::HasAttr;
using internal::LocalName;
using internal::NamespaceOf;
using internal::ParseXml;
using internal::Text;
using internal::XmlWriter;

constexpr char kMetsNs[] = "http://www.loc.gov/METS/";
constexpr char kXlinkNs[] = "http://www.w3.org/1999/xlink";
constexpr char kXsiNs[] = "http://www.w3.org/2001/XMLSchema-instance";
constexpr char kCsipNs[] = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS";
constexpr char kPremisNs[] = "http://www.loc.gov/premis/v3";
constexpr char kKholuuNs[] = "urn:kholuu:package:1";
constexpr char kCsipProfile[] = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml";
constexpr int64_t kVnOffsetSeconds = 7 * 3600;

// ---------------------------------------------------------------- time

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? static_cast<unsigned>(-3) : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// ---------------------------------------------------------------- values

std::string Two(int v) {
  char b[8];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

Result<int64_t> ParseInt(const std::string& raw, const std::string& what, int64_t min, int64_t max) {
  const std::string_view t = Trim(raw);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || v < min || v > max) {
    return InvalidArgumentError(what + ": '" + raw + "' is not an integer in " + std::to_string(min) +
                                ".." + std::to_string(max));
  }
  return v;
}

// Reads an optional integer element into `out` (absent: unchanged).
template <typename T>
Status IntField(const xmlNode* parent, const char* name, const std::string& file, T* out,
                int64_t min, int64_t max) {
  const xmlNode* n = Child(parent, name);
  if (n == nullptr) return Status::Ok();
  KHOLUU_ASSIGN_OR_RETURN(int64_t v, ParseInt(Text(n), file + " <" + name + ">", min, max));
  *out = static_cast<T>(v);
  return Status::Ok();
}

std::string AccessCode(model::AccessLevel a) { return Two(static_cast<int>(a)); }

Result<model::AccessLevel> ParseAccess(const std::string& raw, const std::string& what) {
  KHOLUU_ASSIGN_OR_RETURN(int64_t v, ParseInt(raw, what, 1, 3));
  return static_cast<model::AccessLevel>(v);
}

void LeafIf(XmlWriter& w, const std::string& name, const std::string& v) {
  if (!v.empty()) w.Leaf(name, v);
}

// ---------------------------------------------------------------- hrefs

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

std::string EncodeHref(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (Unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes and checks a relative href; returns the relative path.
Result<std::string> CheckHref(const std::string& href, const std::string& where) {
  std::string p;
  for (size_t i = 0; i < href.size(); ++i) {
    if (href[i] == '%') {
      const int hi = i + 1 < href.size() ? HexValue(href[i + 1]) : -1;
      const int lo = i + 2 < href.size() ? HexValue(href[i + 2]) : -1;
      if (hi < 0 || lo < 0) return InvalidArgumentError(where + ": bad percent escape in href '" + href + "'");
      p.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      p.push_back(href[i]);
    }
  }
  if (p.empty() || p[0] == '/' || p.find('\\') != std::string::npos || p.find(':') != std::string::npos ||
      p.find('\0') != std::string::npos || !IsValidUtf8(p)) {
    return InvalidArgumentError(where + ": href '" + href + "' is not a safe relative path");
  }
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos) end = p.size();
    const std::string_view comp(p.data() + start, end - start);
    if (comp.empty() || comp == "." || comp == "..") {
      return InvalidArgumentError(where + ": href '" + href + "' leaves the package or has empty parts");
    }
    start = end + 1;
  }
  return p;
}

// ---------------------------------------------------------------- files

struct Verified {
  Sha256 sha256;
  uint64_t size = 0;
};

// Checks that `path` is a regular file with `size` bytes and digest `sum`.
Result<Verified> VerifyFile(const std::string& path, const std::string& shown,
                            const std::string& checksum_type, const std::string& checksum,
                            const std::string& size_text) {
  auto algo = ParseDigestAlgorithm(checksum_type);
  if (!algo) {
    return InvalidArgumentError(shown + ": CHECKSUMTYPE '" + checksum_type + "' is not supported");
  }
  std::string want = checksum;
  for (char& c : want) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (want.size() != 2 * DigestSize(*algo) || want.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return InvalidArgumentError(shown + ": CHECKSUM '" + checksum + "' is not a " + checksum_type + " digest");
  }
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return DataLossError(shown + " is missing");
    return ErrnoError(errno, "lstat " + path);
  }
  if (!S_ISREG(st.st_mode)) return InvalidArgumentError(shown + " is not a regular file");
  KHOLUU_ASSIGN_OR_RETURN(FileSource src, FileSource::Open(path));
  Hasher declared(*algo);
  Sha256Hasher sha;
  std::vector<char> buf(1 << 20);
  Verified out;
  while (true) {
    KHOLUU_ASSIGN_OR_RETURN(size_t n, src.Read(buf.data(), buf.size()));
    if (n == 0) break;
    declared.Update(std::string_view(buf.data(), n));
    sha.Update(buf.data(), n);
    out.size += n;
  }
  out.sha256 = sha.Finish();
  if (!size_text.empty()) {
    KHOLUU_ASSIGN_OR_RETURN(int64_t size, ParseInt(size_text, shown + " SIZE", 0, INT64_MAX));
    if (static_cast<uint64_t>(size) != out.size) {
      return DataLossError(shown + " has " + std::to_string(out.size) + " bytes, METS says " + size_text);
    }
  }
  if (declared.FinishHex() != want) return DataLossError(shown + ": " + checksum_type + " mismatch");
  return out;
}

Result<std::string> ReadMetadata(const std::string& path, const std::string& shown, uint64_t max) {
  auto text = ReadFileToString(path, max);
  if (!text.ok() && text.status().code() == StatusCode::kNotFound) {
    return DataLossError(shown + " is missing");
  }
  return text;
}

// ---------------------------------------------------------------- EAD

constexpr char kArcFileCode[] = "arcFileCode";

void WriteFileCodeExt(XmlWriter& w, const model::FileCode& fc) {
  w.Leaf("kh:organId", fc.organ_id);
  w.Leaf("kh:fileCatalog", std::to_string(fc.file_catalog));
  w.Leaf("kh:fileNotation", fc.file_notation);
}

Result<std::string> EadXml(const model::RecordFile& r) {
  XmlWriter w;
  w.Start("ead");
  w.Attr("xmlns:kh", kKholuuNs);
  w.Leaf(kArcFileCode, r.file_code.ToString());
  w.Leaf("title", r.title);
  LeafIf(w, "maintenance", r.maintenance);
  w.Leaf("mode", AccessCode(r.rights));
  LeafIf(w, "language", r.language);
  LeafIf(w, "startDate", r.start_date);
  LeafIf(w, "endDate", r.end_date);
  LeafIf(w, "keyword", r.keywords);
  w.Leaf("totalDoc", std::to_string(r.doc_total));
  w.Leaf("numberOfPaper", std::to_string(r.number_of_paper));
  w.Leaf("numberOfPage", std::to_string(r.page_total));
  LeafIf(w, "format", r.physical_state);
  LeafIf(w, "inforSign", r.infor_sign);
  if (r.confidence != model::Confidence::kUnset) {
    w.Leaf("confidenceLevel", Two(static_cast<int>(r.confidence)));
  }
  LeafIf(w, "paperFileCode", r.paper_file_code);
  LeafIf(w, "description", r.description);
  w.Leaf("riskRecovery", r.risk_recovery ? "1" : "0");
  LeafIf(w, "riskRecoveryStatus", r.risk_recovery_status);
  w.Start("kh:kholuu");
  WriteFileCodeExt(w, r.file_code);
  LeafIf(w, "kh:creator", r.creator);
  LeafIf(w, "kh:fondsCode", r.fonds_code);
  w.Leaf("kh:createdMicros", std::to_string(r.created_micros));
  w.End();
  w.End();
  return w.Finish();
}

// Splits a TT05 arcFileCode that FileCode::Parse refuses, such as
// "001.03.08.H30.81.2024.K4.01.01": a strict organ id, then segments before
// the first year (the phông), the year, the rest (the notation).
std::optional<model::FileCode> SplitTt05Code(const std::string& code, std::string* fonds) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= code.size()) {
    size_t end = code.find('.', start);
    if (end == std::string::npos) end = code.size();
    parts.push_back(code.substr(start, end - start));
    start = end + 1;
  }
  if (parts.size() < 6) return std::nullopt;
  model::FileCode fc;
  fc.organ_id = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
  if (!model::IsStrictOrganId(fc.organ_id)) return std::nullopt;
  for (size_t i = 4; i + 1 < parts.size(); ++i) {
    int64_t year = 0;
    if (parts[i].size() == 4 && Digits(parts[i], 0, 4, &year) && year >= 1900 && year <= 2200) {
      fc.file_catalog = static_cast<int32_t>(year);
      std::string between;
      for (size_t k = 4; k < i; ++k) between += (k > 4 ? "." : "") + parts[k];
      for (size_t k = i + 1; k < parts.size(); ++k) fc.file_notation += (k > i + 1 ? "." : "") + parts[k];
      *fonds = between;
      return fc;
    }
  }
  return std::nullopt;
}

Status ReadFileCodeExt(const xmlNode* ext, const std::string& file, model::FileCode* fc) {
  fc->organ_id = ChildText(ext, "organId");
  fc->file_notation = ChildText(ext, "fileNotation");
  return IntField(ext, "fileCatalog", file, &fc->file_catalog, 0, 9999);
}

Result<model::RecordFile> ParseEadImpl(std::string_view xml, std::string* arc) {
  const std::string file = "EAD.xml";
  KHOLUU_ASSIGN_OR_RETURN(internal::XmlDocPtr doc, ParseXml(xml, file));
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  // Accept the fields directly under the root or under archdesc/did-like
  // wrappers that some tools add: the first element holding arcFileCode.
  const xmlNode* box = root;
  if (Child(box, kArcFileCode) == nullptr) {
    for (const xmlNode* c : Elements(root)) {
      if (Child(c, kArcFileCode) != nullptr) {
        box = c;
        break;
      }
    }
  }
  if (Child(box, kArcFileCode) == nullptr) {
    return InvalidArgumentError(file + ": no <arcFileCode> (is this the hồ sơ's EAD?)");
  }
  model::RecordFile r;
  const std::string code = ChildText(box, kArcFileCode);
  if (arc != nullptr) *arc = code;
  r.title = ChildText(box, "title");
  r.maintenance = ChildText(box, "maintenance");
  if (Child(box, "mode") != nullptr) {
    KHOLUU_ASSIGN_OR_RETURN(r.rights, ParseAccess(ChildText(box, "mode"), file + " <mode>"));
  }
  r.language = ChildText(box, "language");
  r.start_date = ChildText(box, "startDate");
  r.end_date = ChildText(box, "endDate");
  r.keywords = ChildText(box, "keyword");
  KHOLUU_RETURN_IF_ERROR(IntField(box, "totalDoc", file, &r.doc_total, 0, 9999));
  KHOLUU_RETURN_IF_ERROR(IntField(box, "numberOfPaper", file, &r.number_of_paper, 0, 9999));
  KHOLUU_RETURN_IF_ERROR(IntField(box, "numberOfPage", file, &r.page_total, 0, 9999));
  r.physical_state = ChildText(box, "format");
  r.infor_sign = ChildText(box, "inforSign");
  KHOLUU_RETURN_IF_ERROR(IntField(box, "confidenceLevel", file, &r.confidence, 1, 3));
  r.paper_file_code = ChildText(box, "paperFileCode");
  r.description = ChildText(box, "description");
  int32_t risk = 0;
  KHOLUU_RETURN_IF_ERROR(IntField(box, "riskRecovery", file, &risk, 0, 1));
  r.risk_recovery = risk == 1;
  r.risk_recovery_status = ChildText(box, "riskRecoveryStatus");
  if (const xmlNode* ext = Child(box, "kholuu"); ext != nullptr && NamespaceOf(ext) == kKholuuNs) {
    KHOLUU_RETURN_IF_ERROR(ReadFileCodeExt(ext, file, &r.file_code));
    r.creator = ChildText(ext, "creator");
    r.fonds_code = ChildText(ext, "fondsCode");
    KHOLUU_RETURN_IF_ERROR(IntField(ext, "createdMicros", file, &r.created_micros, 0, INT64_MAX));
  } else {
    auto fc = model::FileCode::Parse(code);
    if (fc.ok()) {
      r.file_code = *fc;
    } else if (auto split = SplitTt05Code(code, &r.fonds_code)) {
      r.file_code = *split;
    } else {
      return InvalidArgumentError(file + " <arcFileCode>: " + fc.status().message());
    }
  }
  return r;
}

Result<std::string> EadDocXml(const model::Document& d) {
  XmlWriter w;
  w.Start("ead");
  w.Attr("xmlns:kh", kKholuuNs);
  w.Leaf(kArcFileCode, d.file_code.ToString());
  w.Leaf("docCode", d.id);
  char ordinal[16];
  std::snprintf(ordinal, sizeof ordinal, "%03d", d.doc_ordinal);
  w.Leaf("docOrdinal", ordinal);
  LeafIf(w, "typeName", d.type_name);
  LeafIf(w, "codeNumber", d.code_number);
  LeafIf(w, "codeNotation", d.code_notation);
  w.Leaf("issuedDate", d.issued_date);
  w.Leaf("organName", d.organ_name);
  w.Leaf("subject", d.subject);
  LeafIf(w, "language", d.language);
  w.Leaf("numberOfPage", std::to_string(d.page_amount));
  w.Leaf("mode", AccessCode(d.access));
  LeafIf(w, "description", d.description);
  w.Start("kh:kholuu");
  WriteFileCodeExt(w, d.file_code);
  w.Leaf("kh:direction", std::to_string(static_cast<int>(d.direction)));
  LeafIf(w, "kh:issuerOrganId", d.organ_id);
  for (const model::SignerInfo& s : d.signers) {
    w.Start("kh:signer");
    w.Leaf("kh:position", s.position);
    w.Leaf("kh:fullName", s.full_name);
    w.End();
  }
  for (const model::Recipient& r : d.to) {
    w.Start("kh:recipient");
    w.Leaf("kh:organId", r.organ_id);
    w.Leaf("kh:organName", r.organ_name);
    w.End();
  }
  w.Leaf("kh:priority", std::to_string(d.priority));
  w.Leaf("kh:issuedAmount", std::to_string(d.issued_amount));
  LeafIf(w, "kh:dueDate", d.due_date);
  LeafIf(w, "kh:arrivalDate", d.arrival_date);
  w.Leaf("kh:arrivalNumber", std::to_string(d.arrival_number));
  LeafIf(w, "kh:toPlaces", d.to_places);
  LeafIf(w, "kh:traceHeader", d.trace_header);
  LeafIf(w, "kh:edxmlDocumentId", d.edxml_document_id);
  w.Leaf("kh:createdMicros", std::to_string(d.created_micros));
  w.End();
  w.End();
  return w.Finish();
}

Result<model::Document> ParseEadDocImpl(std::string_view xml, const std::string& file) {
  KHOLUU_ASSIGN_OR_RETURN(internal::XmlDocPtr doc, ParseXml(xml, file));
  const xmlNode* box = xmlDocGetRootElement(doc.get());
  if (Child(box, "docCode") == nullptr) return InvalidArgumentError(file + ": no <docCode>");
  model::Document d;
  d.id = ChildText(box, "docCode");
  KHOLUU_RETURN_IF_ERROR(IntField(box, "docOrdinal", file, &d.doc_ordinal, 0, 999));
  d.type_name = ChildText(box, "typeName");
  d.code_number = ChildText(box, "codeNumber");
  d.code_notation = ChildText(box, "codeNotation");
  d.issued_date = ChildText(box, "issuedDate");
  d.organ_name = ChildText(box, "organName");
  d.subject = ChildText(box, "subject");
  d.language = ChildText(box, "language");
  KHOLUU_RETURN_IF_ERROR(IntField(box, "numberOfPage", file, &d.page_amount, 0, 999));
  if (Child(box, "mode") != nullptr) {
    KHOLUU_ASSIGN_OR_RETURN(d.access, ParseAccess(ChildText(box, "mode"), file + " <mode>"));
  }
  d.description = ChildText(box, "description");
  const std::string code = ChildText(box, kArcFileCode);
  if (const xmlNode* ext = Child(box, "kholuu"); ext != nullptr && NamespaceOf(ext) == kKholuuNs) {
    KHOLUU_RETURN_IF_ERROR(ReadFileCodeExt(ext, file, &d.file_code));
    KHOLUU_RETURN_IF_ERROR(IntField(ext, "direction", file, &d.direction, 1, 3));
    d.organ_id = ChildText(ext, "issuerOrganId");
    for (const xmlNode* s : Children(ext, "signer")) {
      d.signers.push_back({ChildText(s, "position"), ChildText(s, "fullName")});
    }
    for (const xmlNode* r : Children(ext, "recipient")) {
      d.to.push_back({ChildText(r, "organId"), ChildText(r, "organName")});
    }
    KHOLUU_RETURN_IF_ERROR(IntField(ext, "priority", file, &d.priority, 0, 9));
    KHOLUU_RETURN_IF_ERROR(IntField(ext, "issuedAmount", file, &d.issued_amount, 0, 999));
    d.due_date = ChildText(ext, "dueDate");
    d.arrival_date = ChildText(ext, "arrivalDate");
    KHOLUU_RETURN_IF_ERROR(IntField(ext, "arrivalNumber", file, &d.arrival_number, 0, 9999999999));
    d.to_places = ChildText(ext, "toPlaces");
    d.trace_header = ChildText(ext, "traceHeader");
    d.edxml_document_id = ChildText(ext, "edxmlDocumentId");
    KHOLUU_RETURN_IF_ERROR(IntField(ext, "createdMicros", file, &d.created_micros, 0, INT64_MAX));
  } else {
    auto fc = model::FileCode::Parse(code);
    std::string fonds;
    if (fc.ok()) {
      d.file_code = *fc;
    } else if (auto split = SplitTt05Code(code, &fonds)) {
      d.file_code = *split;
    } else {
      return InvalidArgumentError(file + " <arcFileCode>: " + fc.status().message());
    }
  }
  return d;
}

// ---------------------------------------------------------------- PREMIS

void PremisRoot(XmlWriter& w) {
  w.Start("premis:premis");
  w.Attr("xmlns:premis", kPremisNs);
  w.Attr("xmlns:xsi", kXsiNs);
  w.Attr("version", "3.0");
}

void PremisId(XmlWriter& w, const std::string& element, const std::string& prefix,
              const std::string& type, const std::string& value) {
  w.Start("premis:" + element);
  w.Leaf("premis:" + prefix + "Type", type);
  w.Leaf("premis:" + prefix + "Value", value);
  w.End();
}

Result<std::string> PremisXml(const model::RecordFile& r, const std::vector<model::Event>& events) {
  XmlWriter w;
  PremisRoot(w);
  w.Start("premis:object");
  w.Attr("xsi:type", "premis:intellectualEntity");
  PremisId(w, "objectIdentifier", "objectIdentifier", "arcFileCode", r.file_code.ToString());
  w.End();
  std::set<std::string> agents;
  for (const model::Event& e : events) {
    w.Start("premis:event");
    PremisId(w, "eventIdentifier", "eventIdentifier", "kholuu-seq", std::to_string(e.seq));
    w.Leaf("premis:eventType", std::string(model::EventTypeName(e.type)));
    w.Leaf("premis:eventDateTime", FormatVnTime(e.time_micros));
    if (!e.detail.empty()) {
      w.Start("premis:eventDetailInformation");
      w.Leaf("premis:eventDetail", e.detail);
      w.End();
    }
    w.Start("premis:eventOutcomeInformation");
    w.Leaf("premis:eventOutcome", std::string(model::EventOutcomeName(e.outcome)));
    w.End();
    w.Start("premis:linkingAgentIdentifier");
    w.Leaf("premis:linkingAgentIdentifierType", "local");
    w.Leaf("premis:linkingAgentIdentifierValue", e.agent);
    w.End();
    PremisId(w, "linkingObjectIdentifier", "linkingObjectIdentifier", "local", e.object_id);
    w.End();
    agents.insert(e.agent);
  }
  for (const std::string& a : agents) {
    w.Start("premis:agent");
    PremisId(w, "agentIdentifier", "agentIdentifier", "local", a);
    w.Leaf("premis:agentName", a);
    w.Leaf("premis:agentType", "software");
    w.End();
  }
  w.End();
  return w.Finish();
}

const xmlNode* PremisRootOf(const xmlDoc* doc, const std::string& file, Status* error) {
  const xmlNode* root = xmlDocGetRootElement(const_cast<xmlDoc*>(doc));
  if (LocalName(root) != "premis" || NamespaceOf(root) != kPremisNs) {
    *error = InvalidArgumentError(file + ": root is not premis:premis (PREMIS v3)");
    return nullptr;
  }
  return root;
}

Result<model::EventType> EventTypeFrom(const std::string& raw, const std::string& file) {
  auto t = model::ParseEventType(raw);
  if (t.ok()) return t;
  // Spellings other PREMIS writers use for the same types.
  static const std::map<std::string, model::EventType> kAliases = {
      {"ingest", model::EventType::kIngestion},
      {"normalisation", model::EventType::kNormalisation},
      {"fixity", model::EventType::kFixityCheck},
      {"message digest calculation", model::EventType::kFixityCheck},
      {"deaccession", model::EventType::kDeletion},
      {"replication", model::EventType::kReplication},
  };
  auto it = kAliases.find(raw);
  if (it != kAliases.end()) return it->second;
  return InvalidArgumentError(file + " <eventType>: '" + raw + "' is not an event type kholuu knows");
}

Result<std::vector<model::Event>> ParsePremisEventsImpl(std::string_view xml, const std::string& file,
                                                        size_t max_events) {
  KHOLUU_ASSIGN_OR_RETURN(internal::XmlDocPtr doc, ParseXml(xml, file));
  Status err;
  const xmlNode* root = PremisRootOf(doc.get(), file, &err);
  if (root == nullptr) return err;
  std::vector<model::Event> out;
  for (const xmlNode* ev : Children(root, "event")) {
    if (out.size() >= max_events) return ResourceExhaustedError(file + ": too many events");
    const std::string where = file + " event " + std::to_string(out.size() + 1);
    model::Event e;
    const xmlNode* id = Child(ev, "eventIdentifier");
    if (ChildText(id, "eventIdentifierType") == "kholuu-seq") {
      KHOLUU_ASSIGN_OR_RETURN(int64_t seq, ParseInt(ChildText(id, "eventIdentifierValue"),
                                                    where + " <eventIdentifierValue>", 0, INT64_MAX));
      e.seq = static_cast<uint64_t>(seq);
    }
    KHOLUU_ASSIGN_OR_RETURN(e.type, EventTypeFrom(ChildText(ev, "eventType"), where));
    KHOLUU_ASSIGN_OR_RETURN(e.time_micros, ParseIsoTime(ChildText(ev, "eventDateTime")));
    e.detail = ChildText(Child(ev, "eventDetailInformation"), "eventDetail");
    const std::string outcome = ChildText(Child(ev, "eventOutcomeInformation"), "eventOutcome");
    if (outcome.empty()) {
      e.outcome = model::EventOutcome::kSuccess;
    } else {
      auto o = model::ParseEventOutcome(outcome);
      if (!o.ok()) return InvalidArgumentError(where + " <eventOutcome>: '" + outcome + "' is unknown");
      e.outcome = *o;
    }
    e.agent = ChildText(Child(ev, "linkingAgentIdentifier"), "linkingAgentIdentifierValue");
    e.object_id = ChildText(Child(ev, "linkingObjectIdentifier"), "linkingObjectIdentifierValue");
    out.push_back(std::move(e));
  }
  return out;
}

struct DataFile {
  std::string href;  // relative to the representation
  std::string dmd_id;
  model::Component component;
};

Result<std::string> PremisRepXml(const std::vector<DataFile>& files) {
  XmlWriter w;
  PremisRoot(w);
  for (const DataFile& f : files) {
    const model::Component& c = f.component;
    w.Start("premis:object");
    w.Attr("xsi:type", "premis:file");
    PremisId(w, "objectIdentifier", "objectIdentifier", "local", c.id);
    w.Start("premis:preservationLevel");
    w.Leaf("premis:preservationLevelValue", std::string(model::ComponentRoleName(c.role)));
    w.End();
    w.Start("premis:objectCharacteristics");
    w.Leaf("premis:compositionLevel", "0");
    w.Start("premis:fixity");
    w.Leaf("premis:messageDigestAlgorithm", "SHA-256");
    w.Leaf("premis:messageDigest", c.sha256.ToHex());
    w.End();
    w.Leaf("premis:size", std::to_string(c.size));
    w.Start("premis:format");
    w.Start("premis:formatDesignation");
    w.Leaf("premis:formatName", c.media_type);
    LeafIf(w, "premis:formatVersion", c.format_version);
    w.End();
    w.End();
    w.Start("premis:creatingApplication");
    w.Leaf("premis:dateCreatedByApplication", FormatVnTime(c.created_micros));
    w.End();
    w.End();
    w.Leaf("premis:originalName", c.name);
    w.Start("premis:storage");
    w.Start("premis:contentLocation");
    w.Leaf("premis:contentLocationType", "URL");
    w.Leaf("premis:contentLocationValue", EncodeHref(f.href));
    w.End();
    w.End();
    w.Start("premis:relationship");
    w.Leaf("premis:relationshipType", "structural");
    w.Leaf("premis:relationshipSubType", "is included in");
    PremisId(w, "relatedObjectIdentifier", "relatedObjectIdentifier", "local", c.document_id);
    w.End();
    if (!c.derived_from.empty()) {
      w.Start("premis:relationship");
      w.Leaf("premis:relationshipType", "derivation");
      w.Leaf("premis:relationshipSubType", "is derived from");
      PremisId(w, "relatedObjectIdentifier", "relatedObjectIdentifier", "local", c.derived_from);
      w.End();
    }
    w.End();
  }
  w.End();
  return w.Finish();
}

struct PremisFile {
  model::Component component;
  std::string sha256_hex;  // declared fixity, "" if none
};

// Component descriptions keyed by their relative href.
Result<std::map<std::string, PremisFile>> ParsePremisFiles(std::string_view xml, const std::string& file) {
  KHOLUU_ASSIGN_OR_RETURN(internal::XmlDocPtr doc, ParseXml(xml, file));
  Status err;
  const xmlNode* root = PremisRootOf(doc.get(), file, &err);
  if (root == nullptr) return err;
  std::map<std::string, PremisFile> out;
  for (const xmlNode* o : Children(root, "object")) {
    const std::string where = file + " object " + std::to_string(out.size() + 1);
    const xmlNode* loc = Child(Child(o, "storage"), "contentLocation");
    if (loc == nullptr) continue;  // not a file object
    KHOLUU_ASSIGN_OR_RETURN(std::string href, CheckHref(ChildText(loc, "contentLocationValue"), where));
    PremisFile pf;
    model::Component& c = pf.component;
    c.id = ChildText(Child(o, "objectIdentifier"), "objectIdentifierValue");
    const std::string role = ChildText(Child(o, "preservationLevel"), "preservationLevelValue");
    if (!role.empty()) {
      auto r = model::ParseComponentRole(role);
      if (!r.ok()) return InvalidArgumentError(where + " <preservationLevelValue>: '" + role + "' is unknown");
      c.role = *r;
    }
    const xmlNode* ch = Child(o, "objectCharacteristics");
    for (const xmlNode* fx : Children(ch, "fixity")) {
      auto a = ParseDigestAlgorithm(ChildText(fx, "messageDigestAlgorithm"));
      if (a == DigestAlgorithm::kSha256) pf.sha256_hex = ChildText(fx, "messageDigest");
    }
    const xmlNode* fd = Child(Child(ch, "format"), "formatDesignation");
    c.media_type = ChildText(fd, "formatName");
    c.format_version = ChildText(fd, "formatVersion");
    const std::string created = ChildText(Child(ch, "creatingApplication"), "dateCreatedByApplication");
    if (!created.empty()) {
      KHOLUU_ASSIGN_OR_RETURN(c.created_micros, ParseIsoTime(created));
    }
    c.name = ChildText(o, "originalName");
    for (const xmlNode* rel : Children(o, "relationship")) {
      const std::string type = ChildText(rel, "relationshipType");
      const std::string related = ChildText(Child(rel, "relatedObjectIdentifier"), "relatedObjectIdentifierValue");
      if (type == "structural") c.document_id = related;
      if (type == "derivation") c.derived_from = related;
    }
    if (!out.emplace(href, std::move(pf)).second) {
      return InvalidArgumentError(where + ": '" + href + "' described twice");
    }
  }
  return out;
}

// ---------------------------------------------------------------- METS

struct MdInfo {
  std::string href;  // relative to the METS file's directory
  uint64_t size = 0;
  std::string sha256;
};

void MetsRoot(XmlWriter& w, const Package& p, const std::string& objid, const std::string& label) {
  w.Start("mets:mets");
  w.Attr("xmlns:mets", kMetsNs);
  w.Attr("xmlns:xlink", kXlinkNs);
  w.Attr("xmlns:xsi", kXsiNs);
  w.Attr("xmlns:csip", kCsipNs);
  w.Attr("OBJID", objid);
  w.Attr("LABEL", label);
  w.Attr("TYPE", "Mixed");
  w.Attr("csip:CONTENTINFORMATIONTYPE", "MIXED");
  w.Attr("PROFILE", kCsipProfile);
  w.Start("mets:metsHdr");
  w.Attr("CREATEDATE", FormatVnTime(p.created_micros));
  w.Attr("RECORDSTATUS", "NEW");
  w.Attr("csip:OAISPACKAGETYPE", "AIP");
  if (!p.creator_name.empty()) {
    w.Start("mets:agent");
    w.Attr("ROLE", "CREATOR");
    w.Attr("TYPE", "ORGANIZATION");
    w.Leaf("mets:name", p.creator_name);
    w.End();
  }
  w.Start("mets:agent");
  w.Attr("ROLE", "CREATOR");
  w.Attr("TYPE", "OTHER");
  w.Attr("OTHERTYPE", "SOFTWARE");
  w.Leaf("mets:name", "kholuu");
  w.End();
  w.End();
}

void MdRef(XmlWriter& w, const MdInfo& m, const char* mdtype, const std::string& created) {
  w.Start("mets:mdRef");
  w.Attr("LOCTYPE", "URL");
  w.Attr("xlink:type", "simple");
  w.Attr("xlink:href", EncodeHref(m.href));
  w.Attr("MDTYPE", mdtype);
  w.Attr("MIMETYPE", "text/xml");
  w.Attr("SIZE", std::to_string(m.size));
  w.Attr("CREATED", created);
  w.Attr("CHECKSUM", m.sha256);
  w.Attr("CHECKSUMTYPE", "SHA-256");
  w.End();
}

void FLocat(XmlWriter& w, const std::string& href) {
  w.Start("mets:FLocat");
  w.Attr("LOCTYPE", "URL");
  w.Attr("xlink:type", "simple");
  w.Attr("xlink:href", EncodeHref(href));
  w.End();
}

Result<MdInfo> WriteXmlFile(const std::string& root, const std::string& rel, Result<std::string> xml) {
  if (!xml.ok()) return xml.status();
  KHOLUU_RETURN_IF_ERROR(WriteFileAtomic(JoinPath(root, rel), *xml));
  return MdInfo{rel, xml->size(), Sha256Of(*xml).ToHex()};
}

bool UsableFileStem(const std::string& id) {
  if (id.empty() || id.size() > 200 || id[0] == '.' || !IsValidUtf8(id)) return false;
  for (char c : id) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::string Extension(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 >= name.size() || name.size() - dot - 1 > 8) return "bin";
  std::string ext;
  for (size_t i = dot + 1; i < name.size(); ++i) {
    const char c = name[i];
    if (!std::isalnum(static_cast<unsigned char>(c))) return "bin";
    ext.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return ext;
}

Status CheckInput(const Package& p) {
  if (p.object_id.rfind("urn:", 0) != 0 || p.object_id.find_first_of(" \t\r\n") != std::string::npos ||
      !IsValidUtf8(p.object_id)) {
    return InvalidArgumentError("package object id '" + p.object_id + "' is not a urn");
  }
  if (!IsValidUtf8(p.creator_name) || p.creator_name.find_first_of("\r\n") != std::string::npos) {
    return InvalidArgumentError("creator name must be one line of UTF-8");
  }
  KHOLUU_RETURN_IF_ERROR(p.record_file.Validate().ToStatus("record file"));
  std::set<std::string> ids;
  for (const PackageDocument& d : p.documents) {
    KHOLUU_RETURN_IF_ERROR(d.document.Validate().ToStatus("document " + d.document.id));
    if (!UsableFileStem(d.document.id)) {
      return InvalidArgumentError("document id '" + d.document.id + "' cannot name a file");
    }
    if (!ids.insert(d.document.id).second) {
      return InvalidArgumentError("document id '" + d.document.id + "' given twice");
    }
    if (d.components.empty()) return InvalidArgumentError("document " + d.document.id + " has no component");
    for (const PackageComponent& c : d.components) {
      if (c.source == nullptr) return InvalidArgumentError("component " + c.component.id + " has no source");
      if (c.component.document_id != d.document.id) {
        return InvalidArgumentError("component " + c.component.id + " belongs to " + c.component.document_id +
                                    ", not " + d.document.id);
      }
    }
  }
  for (size_t i = 0; i < p.events.size(); ++i) {
    KHOLUU_RETURN_IF_ERROR(p.events[i].Validate().ToStatus("event " + std::to_string(i + 1)));
  }
  return Status::Ok();
}

Status ExportInto(const std::string& root, const Package& p) {
  const std::string rep_rel = "representations/rep1";
  const std::string rep = JoinPath(root, rep_rel);
  for (const char* d : {"metadata/descriptive", "metadata/preservation"}) {
    KHOLUU_RETURN_IF_ERROR(CreateDirs(JoinPath(root, d)));
    KHOLUU_RETURN_IF_ERROR(CreateDirs(JoinPath(rep, d)));
  }
  KHOLUU_RETURN_IF_ERROR(CreateDirs(JoinPath(rep, "data")));
  const std::string created = FormatVnTime(p.created_micros);

  std::vector<DataFile> files;
  std::vector<MdInfo> doc_md;
  std::vector<char> buf(1 << 20);
  for (size_t di = 0; di < p.documents.size(); ++di) {
    const PackageDocument& d = p.documents[di];
    const std::string dmd = "dmd-doc-" + std::to_string(di + 1);
    for (size_t ci = 0; ci < d.components.size(); ++ci) {
      const PackageComponent& pc = d.components[ci];
      DataFile f;
      f.dmd_id = dmd;
      f.component = pc.component;
      f.href = "data/" + d.document.id + (ci == 0 ? "" : "_" + std::to_string(ci + 1)) + "." +
               Extension(pc.component.name);
      KHOLUU_ASSIGN_OR_RETURN(AtomicFileWriter w, AtomicFileWriter::Create(JoinPath(rep, f.href)));
      Sha256Hasher h;
      while (true) {
        KHOLUU_ASSIGN_OR_RETURN(size_t n, pc.source->Read(buf.data(), buf.size()));
        if (n == 0) break;
        h.Update(buf.data(), n);
        KHOLUU_RETURN_IF_ERROR(w.Append(std::string_view(buf.data(), n)));
      }
      const Sha256 sum = h.Finish();
      if (!pc.component.sha256.IsZero() && pc.component.sha256 != sum) {
        return DataLossError("component " + pc.component.id + ": bytes do not match its SHA-256");
      }
      if (pc.component.size != 0 && pc.component.size != w.bytes_written()) {
        return DataLossError("component " + pc.component.id + ": " + std::to_string(w.bytes_written()) +
                             " bytes, declared " + std::to_string(pc.component.size));
      }
      f.component.sha256 = sum;
      f.component.size = w.bytes_written();
      KHOLUU_RETURN_IF_ERROR(f.component.Validate().ToStatus("component " + pc.component.id));
      KHOLUU_RETURN_IF_ERROR(w.Commit());
      files.push_back(std::move(f));
    }
    KHOLUU_ASSIGN_OR_RETURN(
        MdInfo md, WriteXmlFile(rep, "metadata/descriptive/EAD_doc_" + d.document.id + ".xml",
                                EadDocXml(d.document)));
    doc_md.push_back(md);
  }
  KHOLUU_ASSIGN_OR_RETURN(MdInfo premis_rep, WriteXmlFile(rep, "metadata/preservation/PREMIS_rep1.xml",
                                                          PremisRepXml(files)));
  // Representation METS.
  MdInfo rep_mets;
  {
    XmlWriter w;
    MetsRoot(w, p, p.object_id + ":rep1", "rep1");
    for (size_t i = 0; i < doc_md.size(); ++i) {
      w.Start("mets:dmdSec", {{"ID", "dmd-doc-" + std::to_string(i + 1)}, {"CREATED", created}});
      MdRef(w, doc_md[i], "EAD", created);
      w.End();
    }
    w.Start("mets:amdSec");
    w.Start("mets:digiprovMD", {{"ID", "digiprov-rep1"}});
    MdRef(w, premis_rep, "PREMIS", created);
    w.End();
    w.End();
    w.Start("mets:fileSec");
    w.Start("mets:fileGrp", {{"ID", "grp-data"}, {"USE", "Data"}});
    for (size_t i = 0; i < files.size(); ++i) {
      const DataFile& f = files[i];
      w.Start("mets:file", {{"ID", "file-" + std::to_string(i + 1)},
                            {"MIMETYPE", f.component.media_type},
                            {"SIZE", std::to_string(f.component.size)},
                            {"CREATED", FormatVnTime(f.component.created_micros)},
                            {"CHECKSUM", f.component.sha256.ToHex()},
                            {"CHECKSUMTYPE", "SHA-256"},
                            {"DMDID", f.dmd_id},
                            {"ADMID", "digiprov-rep1"}});
      FLocat(w, f.href);
      w.End();
    }
    w.End();
    w.End();
    w.Start("mets:structMap", {{"TYPE", "PHYSICAL"}, {"LABEL", "CSIP"}});
    w.Start("mets:div", {{"LABEL", "rep1"}});
    w.Start("mets:div", {{"LABEL", "Data"}});
    for (size_t di = 0, fi = 0; di < p.documents.size(); ++di) {
      w.Start("mets:div", {{"LABEL", p.documents[di].document.id},
                           {"DMDID", "dmd-doc-" + std::to_string(di + 1)}});
      for (size_t k = 0; k < p.documents[di].components.size(); ++k, ++fi) {
        w.Empty("mets:fptr", {{"FILEID", "file-" + std::to_string(fi + 1)}});
      }
      w.End();
    }
    w.End();
    w.Empty("mets:div", {{"LABEL", "Metadata"}, {"ADMID", "digiprov-rep1"}});
    w.End();
    w.End();
    w.End();
    KHOLUU_ASSIGN_OR_RETURN(rep_mets, WriteXmlFile(rep, "METS.xml", w.Finish()));
  }
  KHOLUU_ASSIGN_OR_RETURN(MdInfo ead, WriteXmlFile(root, "metadata/descriptive/EAD.xml", EadXml(p.record_file)));
  KHOLUU_ASSIGN_OR_RETURN(MdInfo premis, WriteXmlFile(root, "metadata/preservation/PREMIS.xml",
                                                      PremisXml(p.record_file, p.events)));
  XmlWriter w;
  MetsRoot(w, p, p.object_id, p.record_file.title);
  w.Start("mets:dmdSec", {{"ID", "dmd-ead"}, {"CREATED", created}});
  MdRef(w, ead, "EAD", created);
  w.End();
  w.Start("mets:amdSec");
  w.Start("mets:digiprovMD", {{"ID", "digiprov-premis"}});
  MdRef(w, premis, "PREMIS", created);
  w.End();
  w.End();
  w.Start("mets:fileSec");
  w.Start("mets:fileGrp", {{"ID", "grp-rep1"}, {"USE", "Representations/rep1"}});
  w.Start("mets:file", {{"ID", "file-rep1-mets"},
                        {"MIMETYPE", "text/xml"},
                        {"SIZE", std::to_string(rep_mets.size)},
                        {"CREATED", created},
                        {"CHECKSUM", rep_mets.sha256},
                        {"CHECKSUMTYPE", "SHA-256"}});
  FLocat(w, rep_rel + "/METS.xml");
  w.End();
  w.End();
  w.End();
  w.Start("mets:structMap", {{"TYPE", "PHYSICAL"}, {"LABEL", "CSIP"}});
  w.Start("mets:div", {{"LABEL", p.object_id}});
  w.Empty("mets:div", {{"LABEL", "Metadata"}, {"DMDID", "dmd-ead"}, {"ADMID", "digiprov-premis"}});
  w.Start("mets:div", {{"LABEL", "Representations/rep1"}});
  w.Empty("mets:mptr", {{"LOCTYPE", "URL"}, {"xlink:type", "simple"}, {"xlink:href", rep_rel + "/METS.xml"}});
  w.End();
  w.End();
  w.End();
  w.End();
  KHOLUU_ASSIGN_OR_RETURN(MdInfo root_mets, WriteXmlFile(root, "METS.xml", w.Finish()));
  (void)root_mets;
  return Status::Ok();
}

// ---------------------------------------------------------------- import

struct MetsDoc {
  internal::XmlDocPtr doc;
  const xmlNode* root = nullptr;
};

Result<MetsDoc> ReadMets(const std::string& path, const std::string& shown, uint64_t max) {
  KHOLUU_ASSIGN_OR_RETURN(std::string text, ReadMetadata(path, shown, max));
  MetsDoc m;
  KHOLUU_ASSIGN_OR_RETURN(m.doc, ParseXml(text, shown));
  m.root = xmlDocGetRootElement(m.doc.get());
  if (LocalName(m.root) != "mets" || NamespaceOf(m.root) != kMetsNs) {
    return InvalidArgumentError(shown + ": root is not mets:mets in " + kMetsNs);
  }
  return m;
}

// Verifies the file an mdRef or FLocat points to; returns its path relative
// to `base_rel` joined, and the verified digest.
struct Ref {
  std::string rel;  // relative to the package root
  Verified v;
};

Result<Ref> VerifyRef(const std::string& root, const std::string& base_rel, const xmlNode* sized,
                      const xmlNode* located, const std::string& shown) {
  if (!HasAttr(located, "href", kXlinkNs)) return InvalidArgumentError(shown + ": no xlink:href");
  KHOLUU_ASSIGN_OR_RETURN(std::string rel, CheckHref(Attr(located, "href", kXlinkNs), shown));
  if (!base_rel.empty()) rel = base_rel + "/" + rel;
  if (!HasAttr(sized, "CHECKSUM")) return InvalidArgumentError(shown + " '" + rel + "': no CHECKSUM");
  KHOLUU_ASSIGN_OR_RETURN(Verified v, VerifyFile(JoinPath(root, rel), "'" + rel + "'",
                                                 Attr(sized, "CHECKSUMTYPE"), Attr(sized, "CHECKSUM"),
                                                 Attr(sized, "SIZE")));
  return Ref{rel, v};
}

Status WalkData(const std::string& root, const std::string& rel, std::vector<std::string>* out, int depth) {
  if (depth > 64) return InvalidArgumentError("'" + rel + "' is nested too deeply");
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(JoinPath(root, rel)));
  for (const std::string& n : names) {
    const std::string r = rel + "/" + n;
    struct stat st {};
    if (lstat(JoinPath(root, r).c_str(), &st) != 0) return ErrnoError(errno, "lstat " + r);
    if (S_ISDIR(st.st_mode)) {
      KHOLUU_RETURN_IF_ERROR(WalkData(root, r, out, depth + 1));
    } else {
      out->push_back(r);
    }
  }
  return Status::Ok();
}

Status ImportRepresentation(const std::string& root, const std::string& mets_rel, const ImportLimits& limits,
                            Package* p) {
  const std::string base = DirName(mets_rel);
  KHOLUU_ASSIGN_OR_RETURN(MetsDoc m, ReadMets(JoinPath(root, mets_rel), mets_rel, limits.max_metadata_bytes));
  std::map<std::string, size_t> doc_by_dmd;
  std::vector<PackageDocument> docs;
  for (const xmlNode* dmd : Children(m.root, "dmdSec")) {
    const xmlNode* ref = Child(dmd, "mdRef");
    if (ref == nullptr) return InvalidArgumentError(mets_rel + ": dmdSec without mdRef");
    KHOLUU_ASSIGN_OR_RETURN(Ref r, VerifyRef(root, base, ref, ref, mets_rel + " dmdSec"));
    KHOLUU_ASSIGN_OR_RETURN(std::string text, ReadMetadata(JoinPath(root, r.rel), r.rel, limits.max_metadata_bytes));
    KHOLUU_ASSIGN_OR_RETURN(model::Document d, ParseEadDocImpl(text, r.rel));
    if (docs.size() >= limits.max_documents) return ResourceExhaustedError(mets_rel + ": too many documents");
    doc_by_dmd[Attr(dmd, "ID")] = docs.size();
    docs.push_back({std::move(d), {}});
  }
  std::map<std::string, PremisFile> described;
  for (const xmlNode* amd : Children(m.root, "amdSec")) {
    for (const xmlNode* dp : Children(amd, "digiprovMD")) {
      const xmlNode* ref = Child(dp, "mdRef");
      if (ref == nullptr || Attr(ref, "MDTYPE") != "PREMIS") continue;
      KHOLUU_ASSIGN_OR_RETURN(Ref r, VerifyRef(root, base, ref, ref, mets_rel + " digiprovMD"));
      KHOLUU_ASSIGN_OR_RETURN(std::string text, ReadMetadata(JoinPath(root, r.rel), r.rel, limits.max_metadata_bytes));
      KHOLUU_ASSIGN_OR_RETURN(auto files, ParsePremisFiles(text, r.rel));
      described.merge(files);
    }
  }
  std::set<std::string> listed;
  for (const xmlNode* grp : Children(Child(m.root, "fileSec"), "fileGrp")) {
    for (const xmlNode* f : Children(grp, "file")) {
      const std::string shown = mets_rel + " file " + Attr(f, "ID");
      const xmlNode* loc = Child(f, "FLocat");
      if (loc == nullptr) return InvalidArgumentError(shown + ": no FLocat");
      KHOLUU_ASSIGN_OR_RETURN(Ref r, VerifyRef(root, base, f, loc, shown));
      listed.insert(r.rel);
      auto d = doc_by_dmd.find(Attr(f, "DMDID"));
      if (d == doc_by_dmd.end()) return InvalidArgumentError(shown + ": DMDID names no document dmdSec");
      PackageDocument& pd = docs[d->second];
      const std::string href = r.rel.substr(base.empty() ? 0 : base.size() + 1);
      PackageComponent pc;
      auto it = described.find(href);
      if (it != described.end()) {
        pc.component = it->second.component;
        if (!it->second.sha256_hex.empty() && it->second.sha256_hex != r.v.sha256.ToHex()) {
          return DataLossError(shown + ": PREMIS fixity of '" + href + "' differs from the file");
        }
      } else {
        // A file PREMIS does not describe: what METS says is all there is.
        pc.component.id = model::MakeComponentId(pd.document.id, static_cast<int32_t>(pd.components.size() + 1));
        pc.component.document_id = pd.document.id;
        pc.component.name = href.substr(href.rfind('/') + 1);
      }
      if (pc.component.media_type.empty()) pc.component.media_type = Attr(f, "MIMETYPE");
      if (pc.component.document_id != pd.document.id) {
        return InvalidArgumentError(shown + ": PREMIS places '" + href + "' in " + pc.component.document_id +
                                    ", METS in " + pd.document.id);
      }
      pc.component.sha256 = r.v.sha256;
      pc.component.size = r.v.size;
      pc.path = JoinPath(root, r.rel);
      KHOLUU_RETURN_IF_ERROR(pc.component.Validate().ToStatus(shown));
      pd.components.push_back(std::move(pc));
    }
  }
  const std::string data_rel = (base.empty() ? "" : base + "/") + "data";
  if (IsDirectory(JoinPath(root, data_rel))) {
    std::vector<std::string> present;
    KHOLUU_RETURN_IF_ERROR(WalkData(root, data_rel, &present, 0));
    for (const std::string& f : present) {
      if (!listed.count(f)) return InvalidArgumentError("'" + f + "' is in the package but not in " + mets_rel);
    }
  }
  for (PackageDocument& d : docs) {
    KHOLUU_RETURN_IF_ERROR(d.document.Validate().ToStatus(mets_rel + " document " + d.document.id));
    p->documents.push_back(std::move(d));
  }
  return Status::Ok();
}

}  // namespace

std::string FormatVnTime(int64_t micros) {
  int64_t secs = micros / 1000000;
  int64_t frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  const time_t local = static_cast<time_t>(secs + kVnOffsetSeconds);
  struct tm tmv {};
  gmtime_r(&local, &tmv);
  char b[64];
  std::strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%S", &tmv);
  std::string out = b;
  if (frac != 0) {
    char f[16];
    std::snprintf(f, sizeof f, ".%06lld", static_cast<long long>(frac));
    out += f;
  }
  return out + "+07:00";
}

Result<int64_t> ParseIsoTime(std::string_view t) {
  const auto bad = [&] { return InvalidArgumentError("'" + std::string(t) + "' is not an ISO 8601 date-time"); };
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!Digits(t, 0, 4, &y) || t.size() < 20 || t[4] != '-' || !Digits(t, 5, 2, &mo) || t[7] != '-' ||
      !Digits(t, 8, 2, &d) || t[10] != 'T' || !Digits(t, 11, 2, &h) || t[13] != ':' ||
      !Digits(t, 14, 2, &mi) || t[16] != ':' || !Digits(t, 17, 2, &s)) {
    return bad();
  }
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return bad();
  char date[11];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d));
  if (!model::IsValidDate(date)) return bad();
  size_t pos = 19;
  int64_t micros = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    size_t n = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (n < 6) micros = micros * 10 + (t[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0 || n > 9) return bad();
    for (size_t k = n; k < 6; ++k) micros *= 10;
  }
  int64_t offset = 0;
  if (pos < t.size() && t[pos] == 'Z') {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int64_t oh = 0, om = 0;
    if (!Digits(t, pos + 1, 2, &oh) || pos + 3 >= t.size() || t[pos + 3] != ':' || !Digits(t, pos + 4, 2, &om) ||
        oh > 14 || om > 59) {
      return bad();
    }
    offset = (oh * 3600 + om * 60) * (t[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != t.size()) return bad();
  const int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 86400 + h * 3600 + mi * 60 + s) - offset) * 1000000 + micros;
}

Result<model::RecordFile> ParseEad(std::string_view xml, std::string* arc_file_code) {
  return ParseEadImpl(xml, arc_file_code);
}

Result<model::Document> ParseEadDocument(std::string_view xml) { return ParseEadDocImpl(xml, "EAD_doc"); }

Result<std::vector<model::Event>> ParsePremisEvents(std::string_view xml) {
  return ParsePremisEventsImpl(xml, "PREMIS.xml", ImportLimits().max_events);
}

Status ExportPackage(const std::string& dir, const Package& package) {
  KHOLUU_RETURN_IF_ERROR(CheckInput(package));
  if (PathExists(dir)) return AlreadyExistsError(dir + " already exists");
  const std::string partial = dir + ".partial";
  KHOLUU_RETURN_IF_ERROR(RemoveTree(partial));
  Status s = ExportInto(partial, package);
  if (!s.ok()) {
    RemoveTree(partial).IgnoreError();
    return s;
  }
  if (rename(partial.c_str(), dir.c_str()) != 0) {
    Status e = ErrnoError(errno, "rename " + partial);
    RemoveTree(partial).IgnoreError();
    return e;
  }
  return SyncDir(DirName(dir));
}

Result<Package> ImportPackage(const std::string& dir, const ImportLimits& limits) {
  const std::string mets_path = JoinPath(dir, "METS.xml");
  if (!PathExists(mets_path)) return NotFoundError("no METS.xml in " + dir);
  KHOLUU_ASSIGN_OR_RETURN(MetsDoc m, ReadMets(mets_path, "METS.xml", limits.max_metadata_bytes));
  Package p;
  p.object_id = Attr(m.root, "OBJID");
  if (p.object_id.empty()) return InvalidArgumentError("METS.xml: no OBJID");
  const xmlNode* hdr = Child(m.root, "metsHdr");
  if (hdr == nullptr) return InvalidArgumentError("METS.xml: no metsHdr");
  if (HasAttr(hdr, "CREATEDATE")) {
    KHOLUU_ASSIGN_OR_RETURN(p.created_micros, ParseIsoTime(Attr(hdr, "CREATEDATE")));
  }
  for (const xmlNode* a : Children(hdr, "agent")) {
    if (Attr(a, "ROLE") == "CREATOR" && Attr(a, "TYPE") == "ORGANIZATION") p.creator_name = ChildText(a, "name");
  }
  bool have_ead = false;
  for (const xmlNode* dmd : Children(m.root, "dmdSec")) {
    const xmlNode* ref = Child(dmd, "mdRef");
    if (ref == nullptr || Attr(ref, "MDTYPE") != "EAD") continue;
    if (have_ead) return InvalidArgumentError("METS.xml: more than one EAD dmdSec");
    KHOLUU_ASSIGN_OR_RETURN(Ref r, VerifyRef(dir, "", ref, ref, "METS.xml dmdSec"));
    KHOLUU_ASSIGN_OR_RETURN(std::string text, ReadMetadata(JoinPath(dir, r.rel), r.rel, limits.max_metadata_bytes));
    KHOLUU_ASSIGN_OR_RETURN(p.record_file, ParseEadImpl(text, &p.arc_file_code));
    have_ead = true;
  }
  if (!have_ead) return InvalidArgumentError("METS.xml: no dmdSec with an EAD mdRef");
  for (const xmlNode* amd : Children(m.root, "amdSec")) {
    for (const xmlNode* dp : Children(amd, "digiprovMD")) {
      const xmlNode* ref = Child(dp, "mdRef");
      if (ref == nullptr || Attr(ref, "MDTYPE") != "PREMIS") continue;
      KHOLUU_ASSIGN_OR_RETURN(Ref r, VerifyRef(dir, "", ref, ref, "METS.xml digiprovMD"));
      KHOLUU_ASSIGN_OR_RETURN(std::string text, ReadMetadata(JoinPath(dir, r.rel), r.rel, limits.max_metadata_bytes));
      KHOLUU_ASSIGN_OR_RETURN(auto events, ParsePremisEventsImpl(text, r.rel, limits.max_events));
      for (model::Event& e : events) p.events.push_back(std::move(e));
    }
  }
  bool have_rep = false;
  for (const xmlNode* grp : Children(Child(m.root, "fileSec"), "fileGrp")) {
    if (Attr(grp, "USE").rfind("Representations/", 0) != 0) continue;
    for (const xmlNode* f : Children(grp, "file")) {
      const xmlNode* loc = Child(f, "FLocat");
      if (loc == nullptr) return InvalidArgumentError("METS.xml file " + Attr(f, "ID") + ": no FLocat");
      KHOLUU_ASSIGN_OR_RETURN(Ref r, VerifyRef(dir, "", f, loc, "METS.xml file " + Attr(f, "ID")));
      if (r.rel.size() < 9 || r.rel.compare(r.rel.size() - 9, 9, "/METS.xml") != 0) continue;
      KHOLUU_RETURN_IF_ERROR(ImportRepresentation(dir, r.rel, limits, &p));
      have_rep = true;
    }
  }
  if (!have_rep) return InvalidArgumentError("METS.xml: no representation METS in a Representations/ fileGrp");
  KHOLUU_RETURN_IF_ERROR(p.record_file.Validate().ToStatus("EAD.xml"));
  for (size_t i = 0; i < p.events.size(); ++i) {
    KHOLUU_RETURN_IF_ERROR(p.events[i].Validate().ToStatus("PREMIS.xml event " + std::to_string(i + 1)));
  }
  return p;
}

Result<Package> ImportPackageArchive(const std::string& archive_path, const std::string& work_dir,
                                     const ArchiveLimits& archive_limits, const ImportLimits& limits) {
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> files, ExtractArchive(archive_path, work_dir, archive_limits));
  (void)files;
  if (PathExists(JoinPath(work_dir, "METS.xml"))) return ImportPackage(work_dir, limits);
  KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> top, ListDir(work_dir));
  if (top.size() == 1 && IsDirectory(JoinPath(work_dir, top[0]))) {
    return ImportPackage(JoinPath(work_dir, top[0]), limits);
  }
  return NotFoundError(archive_path + ": no METS.xml at the top or in a single top-level folder");
}

}  // namespace kholuu::formats::package
