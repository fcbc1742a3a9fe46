#include "formats/edxml/edxml.h"

#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <regex>

#include "archive/model/agency.h"
#include "archive/model/validation.h"
#include "formats/common/text.h"

namespace kholuu::formats::edxml {
namespace {

constexpr char kQcvnNs[] = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
constexpr char kLegacyNs[] = "http://www.go.vn/eDoc";
constexpr size_t kChunk = 64 * 1024;

std::string StripCid(std::string s) {
  s = std::string(Trim(s));
  if (s.size() >= 4 && (s.compare(0, 4, "cid:") == 0 || s.compare(0, 4, "CID:") == 0)) s.erase(0, 4);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

// The elements that carry a package's header fields. Document packages use
// MessageHeader; status packages use Status or MessageStatus, or (as the VNPT
// and Bkav SDKs write and read them) MessageHeader itself.
bool IsHeaderContainer(const std::string& name) {
  return name == "MessageHeader" || name == "Status" || name == "MessageStatus";
}

// Elements that hold attachments directly in the LGSP layouts without
// AttachmentEncoded: edXMLEnvelope > Attachment{FileName, FileType, Content}
// and EdXMLEnvelope > Manifest > Attachment{Content, FileName, FileType}.
bool IsEnvelopeLevel(const std::string& name) {
  return name == "edXMLEnvelope" || name == "EdXMLEnvelope" || name == "edXML" || name == "edxml" ||
         name == "edXMLBody" || name == "Manifest";
}

// Incremental base64 decoder: whitespace ignored, '=' only at the end.
class Base64Decoder {
 public:
  // Returns false on an invalid character; `out` receives decoded bytes.
  bool Feed(std::string_view in, std::string& out) {
    for (char ch : in) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      if (c == '=') {
        if (n_ < 2) return false;
        ++pad_;
        if (n_ + pad_ == 4) Flush(out);
        continue;
      }
      if (pad_ > 0) return false;
      int v = -1;
      if (c >= 'A' && c <= 'Z') v = c - 'A';
      else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
      else if (c >= '0' && c <= '9') v = c - '0' + 52;
      else if (c == '+' || c == '-') v = 62;
      else if (c == '/' || c == '_') v = 63;
      if (v < 0) return false;
      quad_[static_cast<size_t>(n_++)] = static_cast<uint8_t>(v);
      if (n_ == 4) Flush(out);
    }
    return true;
  }
  // True when the input ended on a complete group.
  bool Finish(std::string& out) {
    if (pad_ > 0 && n_ + pad_ != 4 && n_ != 0) return false;
    if (n_ == 1) return false;
    if (n_ > 0) {
      pad_ = 4 - n_;
      Flush(out);
    }
    return true;
  }

 private:
  void Flush(std::string& out) {
    const uint32_t v = static_cast<uint32_t>(quad_[0]) << 18 | static_cast<uint32_t>(quad_[1]) << 12 |
                       static_cast<uint32_t>(quad_[2]) << 6 | quad_[3];
    const int bytes = 3 - pad_;
    if (bytes >= 1) out.push_back(static_cast<char>(v >> 16));
    if (bytes >= 2) out.push_back(static_cast<char>((v >> 8) & 0xff));
    if (bytes >= 3) out.push_back(static_cast<char>(v & 0xff));
    quad_ = {0, 0, 0, 0};
    n_ = 0;
    pad_ = 0;
  }
  std::array<uint8_t, 4> quad_{};
  int n_ = 0;
  int pad_ = 0;
};

class Parser {
 public:
  Parser(const ParseOptions& o) : opts_(o) {}
  Result<Message> Run(ByteSource& in);

  // SAX callbacks.
  void Start(const std::string& local, const std::string& uri, int nb_attributes,
             const xmlChar** attributes);
  void End();
  void Chars(const char* s, size_t n);
  void Fail(Status s) {
    if (failure_.ok()) failure_ = std::move(s);
    if (ctxt_ != nullptr) xmlStopParser(ctxt_);
  }
  void Doctype() { Fail(InvalidArgumentError("edXML must not have a DOCTYPE (entities and DTDs are refused)")); }
  // A libxml2 error. An undeclared namespace prefix is recovered (the
  // element or attribute is read by its local name, as every element is) and
  // becomes one warning per prefix; anything else refuses the package.
  void XmlError(int domain, int code, const std::string& msg, const std::string& str1, int line, int column);

 private:
  void Problem(Severity s, std::string code, std::string message, std::string where = {}) {
    msg_.problems.push_back({s, std::move(code), std::move(message), std::move(where)});
  }
  bool Has(const char* name) const {
    return std::find(stack_.begin(), stack_.end(), name) != stack_.end();
  }
  const std::string& Parent(size_t up = 1) const {
    static const std::string kNone;
    return stack_.size() > up ? stack_[stack_.size() - 1 - up] : kNone;
  }
  std::string Path() const {
    std::string p;
    for (size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i] == "edXML" || stack_[i] == "edXMLEnvelope" || stack_[i] == "edXMLHeader") continue;
      if (!p.empty()) p += "/";
      p += stack_[i];
    }
    return p;
  }
  std::string Norm(const std::string& raw);
  void Field(const std::string& name, const std::string& text);
  void OrganField(Organ& o, const std::string& name, const std::string& v);
  void StaffField(StaffInfo& s, const std::string& name, const std::string& v);
  void ResponseField(ResponseFor& r, const std::string& name, const std::string& v);
  void AttachmentBytes(std::string_view bytes);
  void OpenAttachmentContent();
  void CloseAttachment();
  void Check();
  std::optional<std::string> Date(const std::string& value, const std::string& where);

  ParseOptions opts_;
  xmlParserCtxtPtr ctxt_ = nullptr;
  Status failure_;
  Message msg_;
  std::vector<std::string> stack_;
  std::string text_;
  size_t signature_depth_ = 0;
  size_t elements_ = 0;
  bool saw_header_ = false;
  bool saw_status_ = false;      // a Status or MessageStatus element
  bool saw_manifest_ = false;    // an edXMLManifest element
  bool nfd_seen_ = false;
  // What the header containers held: decides the kind (Run).
  bool status_fields_ = false;    // StatusCode directly in a header container
  bool document_fields_ = false;  // To, Code, Subject, ... in MessageHeader
  std::string status_where_ = "Status";  // the container StatusCode was in
  bool nested_from_ = false;
  bool at_end_ = false;  // the input is exhausted; libxml2 is finishing
  size_t envelope_attachments_ = 0;  // attachments in the LGSP layout
  bool in_envelope_attachment_ = false;
  struct Undeclared {
    int line = 0;
    int column = 0;
    std::string first;  // libxml2's description of the first use
    size_t uses = 0;
  };
  std::map<std::string, Undeclared> undeclared_;  // by prefix
  // Attachment being decoded.
  bool in_base64_ = false;
  size_t base64_depth_ = 0;  // stack depth of the element being decoded
  Base64Decoder b64_;
  Sha256Hasher hasher_;
  std::string decoded_;
  std::string magic_;
  std::optional<AtomicFileWriter> writer_;
  uint64_t total_decoded_ = 0;
};

std::string Parser::Norm(const std::string& raw) {
  std::string t(Trim(raw));
  auto nfc = ToNfc(t);
  if (!nfc.ok()) {
    Problem(Severity::kError, "bad-text", "text is not valid UTF-8", Path());
    return t;
  }
  if (*nfc != t) nfd_seen_ = true;
  return *nfc;
}

void Parser::Start(const std::string& local, const std::string& uri, int nb_attributes,
                   const xmlChar** attributes) {
  if (!failure_.ok()) return;
  if (++elements_ > opts_.max_elements) {
    Fail(ResourceExhaustedError("more than " + std::to_string(opts_.max_elements) + " elements"));
    return;
  }
  if (stack_.empty()) msg_.root_namespace = uri;
  stack_.push_back(local);
  text_.clear();
  if (signature_depth_ > 0) {
    ++signature_depth_;
    return;
  }
  const std::string& parent = Parent();
  if (local == "Signature") {
    msg_.signature_present = true;
    signature_depth_ = 1;
    if (uri != "http://www.w3.org/2000/09/xmldsig#") {
      Problem(Severity::kWarning, "signature-namespace",
              "Signature element is not in the XML-DSig namespace (" +
                  (uri.empty() ? std::string("none") : uri) + "); read as a signature", Path());
    }
    return;
  }
  if (local == "MessageHeader") saw_header_ = true;
  if ((local == "Status" || local == "MessageStatus") && !Has("AttachmentEncoded") && !Has("TraceHeaderList")) {
    saw_status_ = true;
  }
  if (local == "edXMLManifest") saw_manifest_ = true;
  if (local == "To" && parent == "MessageHeader") {
    msg_.to.emplace_back();
    document_fields_ = true;
  }
  if (local == "From" && parent == "From" && IsHeaderContainer(Parent(2))) nested_from_ = true;
  if (local == "ResponseFor" && IsHeaderContainer(parent)) msg_.response_for.emplace_back();
  if (local == "TraceHeader" && parent == "TraceHeaderList") msg_.trace.emplace_back();
  if (local == "Reference" && parent == "edXMLManifest") {
    msg_.manifest.emplace_back();
    // xlink:href="cid:..." may stand in for ContentId.
    for (int i = 0; i < nb_attributes; ++i) {
      const xmlChar** a = attributes + 5 * i;
      if (a[0] != nullptr && std::strcmp(reinterpret_cast<const char*>(a[0]), "href") == 0) {
        msg_.manifest.back().content_id =
            StripCid(std::string(reinterpret_cast<const char*>(a[3]),
                                 static_cast<size_t>(a[4] - a[3])));
      }
    }
  }
  const bool envelope_attachment = local == "Attachment" && IsEnvelopeLevel(parent) && !Has("MessageHeader");
  if ((local == "Attachment" && parent == "AttachmentEncoded") || envelope_attachment) {
    if (msg_.attachments.size() >= opts_.max_attachments) {
      Fail(ResourceExhaustedError("more than " + std::to_string(opts_.max_attachments) + " attachments"));
      return;
    }
    msg_.attachments.emplace_back();
    in_envelope_attachment_ = envelope_attachment;
    if (envelope_attachment) ++envelope_attachments_;
  }
  if ((local == "ContentTransferEncoded" || (local == "Content" && in_envelope_attachment_)) &&
      parent == "Attachment" && !msg_.attachments.empty() && !in_base64_) {
    OpenAttachmentContent();
  }
}

void Parser::XmlError(int domain, int code, const std::string& msg, const std::string& str1, int line,
                      int column) {
  const std::string at = "line " + std::to_string(line) + ", column " + std::to_string(column);
  if (domain == XML_FROM_NAMESPACE && code == XML_NS_ERR_UNDEFINED_NAMESPACE && !str1.empty()) {
    // libxml2 goes on with the element or attribute under its local name
    // and no namespace; matching is by local name anyway.
    // Distinct prefixes beyond a few are counted under the last one kept.
    auto it = undeclared_.find(str1);
    if (it == undeclared_.end() && undeclared_.size() >= 16) it = std::prev(undeclared_.end());
    Undeclared& u = it != undeclared_.end() ? it->second : undeclared_[str1];
    if (u.uses++ == 0) {
      u.line = line;
      u.column = column;
      u.first = msg;
    }
    return;
  }
  if (domain == XML_FROM_NAMESPACE) {
    Fail(InvalidArgumentError("XML namespace error at " + at + ": " + msg));
    return;
  }
  if (at_end_ && code == XML_ERR_DOCUMENT_END && !stack_.empty()) {
    // libxml2's push parser calls a cut-off document "extra content".
    std::string open;
    for (const std::string& e : stack_) open += (open.empty() ? "" : "/") + e;
    Fail(InvalidArgumentError("not well-formed XML at " + at + ": the input ends inside " + open +
                              " (the package is cut short)"));
    return;
  }
  Fail(InvalidArgumentError("not well-formed XML at " + at + ": " + msg));
}

void Parser::OpenAttachmentContent() {
  in_base64_ = true;
  base64_depth_ = stack_.size();
  b64_ = Base64Decoder();
  magic_.clear();
  total_decoded_ = 0;
  if (!opts_.attachment_dir.empty()) {
    const std::string path = JoinPath(opts_.attachment_dir, std::to_string(msg_.attachments.size()) + ".bin");
    auto w = AtomicFileWriter::Create(path);
    if (!w.ok()) {
      Fail(w.status());
      return;
    }
    writer_.emplace(std::move(*w));
    msg_.attachments.back().saved_path = path;
  }
}

void Parser::AttachmentBytes(std::string_view bytes) {
  total_decoded_ += bytes.size();
  if (total_decoded_ > opts_.max_attachment_bytes) {
    Fail(ResourceExhaustedError("attachment larger than " +
                                std::to_string(opts_.max_attachment_bytes) + " bytes"));
    return;
  }
  hasher_.Update(bytes);
  if (magic_.size() < 4) magic_.append(bytes.substr(0, 4 - magic_.size()));
  if (writer_) {
    Status s = writer_->Append(bytes);
    if (!s.ok()) Fail(s);
  }
}

void Parser::Chars(const char* s, size_t n) {
  if (!failure_.ok() || signature_depth_ > 0) return;
  if (in_base64_) {
    decoded_.clear();
    if (!b64_.Feed(std::string_view(s, n), decoded_)) {
      Fail(InvalidArgumentError("attachment " + std::to_string(msg_.attachments.size()) +
                                ": ContentTransferEncoded is not base64"));
      return;
    }
    AttachmentBytes(decoded_);
    return;
  }
  if (text_.size() + n > opts_.max_field_bytes) {
    Fail(ResourceExhaustedError("text of " + Path() + " is larger than " +
                                std::to_string(opts_.max_field_bytes) + " bytes"));
    return;
  }
  text_.append(s, n);
}

void Parser::CloseAttachment() {
  in_base64_ = false;
  decoded_.clear();
  if (!b64_.Finish(decoded_)) {
    Fail(InvalidArgumentError("attachment " + std::to_string(msg_.attachments.size()) +
                              ": base64 ends in the middle of a group"));
    return;
  }
  AttachmentBytes(decoded_);
  if (!failure_.ok()) return;
  Attachment& a = msg_.attachments.back();
  a.size = total_decoded_;
  a.sha256 = hasher_.Finish();
  a.is_zip = magic_ == std::string("PK\x03\x04", 4);
  if (writer_) {
    Status s = writer_->Commit();
    writer_.reset();
    if (!s.ok()) Fail(s);
  }
}

void Parser::OrganField(Organ& o, const std::string& name, const std::string& v) {
  if (name == "OrganId") o.organ_id = v;
  else if (name == "OrganizationInCharge") o.organization_in_charge = v;
  else if (name == "OrganName") o.organ_name = v;
  else if (name == "OrganAdd") o.organ_add = v;
  else if (name == "Email") o.email = v;
  else if (name == "Telephone") o.telephone = v;
  else if (name == "Fax") o.fax = v;
  else if (name == "Website") o.website = v;
}

void Parser::StaffField(StaffInfo& s, const std::string& name, const std::string& v) {
  if (name == "Department") s.department = v;
  else if (name == "Staff") s.staff = v;
  else if (name == "Mobile") s.mobile = v;
  else if (name == "Email") s.email = v;
}

void Parser::ResponseField(ResponseFor& r, const std::string& name, const std::string& v) {
  if (name == "OrganId") r.organ_id = v;
  else if (name == "Code") r.code = v;
  else if (name == "PromulgationDate") r.promulgation_date = v;
  else if (name == "DocumentId") r.document_id = v;
}

void Parser::Field(const std::string& name, const std::string& raw) {
  const std::string& p1 = Parent();
  const std::string& p2 = Parent(2);
  std::string v;
  auto val = [&]() -> const std::string& {
    v = Norm(raw);
    return v;
  };
  if (Has("TraceHeaderList")) {
    if (p1 == "TraceHeader" && !msg_.trace.empty()) {
      if (name == "OrganId") msg_.trace.back().organ_id = val();
      if (name == "Timestamp") msg_.trace.back().timestamp = val();
      return;
    }
    if (p1 == "StaffInfo") return StaffField(msg_.business.staff, name, val());
    if (p1 == "Bussiness" || p1 == "Business") {
      if (name == "DocumentId") msg_.business.document_id = val();
      if (name == "BussinessDocReason" || name == "BusinessDocReason") msg_.business.reason = val();
      if (name == "Paper") msg_.business.paper = val();
      if (name == "BussinessDocType" || name == "BusinessDocType") {
        const std::string t = val();
        if (t.size() == 1 && t[0] >= '0' && t[0] <= '3') {
          msg_.business.doc_type = t[0] - '0';
        } else {
          Problem(Severity::kError, "bad-business-type",
                  "BussinessDocType '" + t + "' is not 0 (new), 1 (recall), 2 (update) or 3 (replace)",
                  Path());
        }
      }
    }
    return;
  }
  const bool in_header =
      (Has("MessageHeader") || Has("Status") || Has("MessageStatus")) && !Has("AttachmentEncoded");
  if (in_header) {
    // Blocks both kinds share, under any header container.
    if (p1 == "From" && IsHeaderContainer(p2)) return OrganField(msg_.from, name, val());
    if (p1 == "From" && p2 == "From" && IsHeaderContainer(Parent(3))) return OrganField(msg_.from, name, val());
    if (p1 == "ResponseFor" && IsHeaderContainer(p2) && !msg_.response_for.empty()) {
      return ResponseField(msg_.response_for.back(), name, val());
    }
    if (p1 == "StaffInfo" && IsHeaderContainer(p2)) return StaffField(msg_.staff, name, val());
    if (IsHeaderContainer(p1)) {
      // Status fields, wherever the sender put them.
      if (name == "StatusCode") {
        msg_.status_code = val();
        status_fields_ = true;
        status_where_ = p1;
        return;
      }
      if (name == "Description") msg_.description = val();
      if (name == "Timestamp") msg_.timestamp = val();
      if (name == "Subject") msg_.subject = val();
      if (name == "Content") msg_.content = val();
      if (name == "DueDate") msg_.due_date = val();
      if (name == "SteeringType") msg_.steering_type = val();
      if (name == "DocumentId") msg_.document_id = val();
      // DocumentType as plain text (no Type/TypeName children) in the LGSP layout.
      if (name == "DocumentType" && msg_.type_name.empty()) msg_.type_name = val();
      // What only a document has; a DocumentId or Content beside a StatusCode
      // does not make a status a document.
      if (name == "Subject") document_fields_ = true;
      return;
    }
    if (p1 == "To" && p2 == "MessageHeader" && !msg_.to.empty()) return OrganField(msg_.to.back(), name, val());
    if (p1 == "Code") {
      if (name == "CodeNumber") msg_.code_number = val();
      if (name == "CodeNotation") msg_.code_notation = val();
      document_fields_ = true;
      return;
    }
    if (p1 == "PromulgationInfo") {
      if (name == "Place") msg_.place = val();
      if (name == "PromulgationDate") msg_.promulgation_date = val();
      document_fields_ = true;
      return;
    }
    if (p1 == "DocumentType") {
      if (name == "Type") msg_.type = val();
      if (name == "TypeDetail") msg_.type_detail = val();
      if (name == "TypeName") msg_.type_name = val();
      document_fields_ = true;
      return;
    }
    if (p1 == "SignerInfo") {
      if (name == "Competence") msg_.signer_competence = val();
      if (name == "Position") msg_.signer_position = val();
      if (name == "FullName" || (name == "Signer" && msg_.signer_full_name.empty())) {
        msg_.signer_full_name = val();
      }
      return;
    }
    if (p1 == "ToPlaces" && name == "Place") return msg_.to_places.push_back(val());
    if (p1 == "Appendixes" && name == "Appendix") return msg_.appendixes.push_back(val());
    if (p1 == "OtherInfo") {
      if (name == "Priority") msg_.priority = val();
      if (name == "SphereOfPromulgation") msg_.sphere_of_promulgation = val();
      if (name == "TyperNotation") msg_.typer_notation = val();
      if (name == "PromulgationAmount") msg_.promulgation_amount = val();
      if (name == "PageAmount") msg_.page_amount = val();
      if (name == "Direction") msg_.direction = val();
      if (name == "Appendix") msg_.appendixes.push_back(val());  // without Appendixes
      return;
    }
    return;
  }
  if (p1 == "Reference" && p2 == "edXMLManifest" && !msg_.manifest.empty()) {
    ManifestReference& r = msg_.manifest.back();
    if (name == "ContentId") r.content_id = StripCid(val());
    if (name == "ContentType") r.content_type = val();
    if (name == "Description") r.description = val();
    if (name == "AttachmentName") r.attachment_name = val();
    return;
  }
  if (p1 == "Attachment" && (p2 == "AttachmentEncoded" || IsEnvelopeLevel(p2)) && !msg_.attachments.empty()) {
    Attachment& a = msg_.attachments.back();
    if (name == "ContentId") a.content_id = StripCid(val());
    if (name == "AttachmentName" || name == "FileName") a.name = val();
    if (name == "Description") a.description = val();
    if (name == "ContentType" || name == "FileType") a.content_type = val();
  }
}

void Parser::End() {
  if (!failure_.ok() || stack_.empty()) return;
  if (signature_depth_ > 0) {
    --signature_depth_;
    stack_.pop_back();
    return;
  }
  const std::string name = stack_.back();
  if (in_base64_ && stack_.size() == base64_depth_) {
    CloseAttachment();
  } else {
    Field(name, text_);
  }
  text_.clear();
  stack_.pop_back();
}

// yyyy/MM/dd or yyyy-MM-dd -> YYYY-MM-DD; also dd/MM/yyyy (day first, the
// Vietnamese order, which .NET and Java senders write for Timestamp and dates
// of status packages), then *day_first is set. A time part after a space or
// 'T' is allowed.
std::optional<std::string> NormDate(const std::string& s, bool* day_first = nullptr) {
  static const std::regex ymd(R"(^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T].*)?$)");
  static const std::regex dmy(R"(^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[ T].*)?$)");
  std::smatch m;
  std::string y, mm, dd;
  if (std::regex_match(s, m, ymd)) {
    y = m[1].str(), mm = m[2].str(), dd = m[3].str();
  } else if (std::regex_match(s, m, dmy)) {
    y = m[3].str(), mm = m[2].str(), dd = m[1].str();
    if (day_first != nullptr) *day_first = true;
  } else {
    return std::nullopt;
  }
  if (mm.size() == 1) mm = "0" + mm;
  if (dd.size() == 1) dd = "0" + dd;
  const std::string iso = y + "-" + mm + "-" + dd;
  if (!model::IsValidDate(iso)) return std::nullopt;
  return iso;
}

std::optional<std::string> Parser::Date(const std::string& value, const std::string& where) {
  bool day_first = false;
  auto iso = NormDate(value, &day_first);
  if (iso && day_first) {
    Problem(Severity::kWarning, "date-form",
            "'" + value + "' is written day first; read as " + *iso + " (QCVN 102 writes yyyy/MM/dd)", where);
  }
  return iso;
}

void CheckOrganId(Message& m, const std::string& id, const std::string& where) {
  if (id.empty()) {
    m.problems.push_back({Severity::kError, "missing-field", "OrganId is missing", where});
  } else if (!model::IsStrictOrganId(id)) {
    if (model::IsLenientOrganId(id)) {
      m.problems.push_back({Severity::kWarning, "organ-id-format",
                            "'" + id + "' is not a 13-character mã định danh (kept as received)", where});
    } else {
      m.problems.push_back({Severity::kError, "organ-id-format", "'" + id + "' is not a mã định danh", where});
    }
  }
}

void Parser::Check() {
  Message& m = msg_;
  auto err = [&](std::string code, std::string message, std::string where) {
    Problem(Severity::kError, std::move(code), std::move(message), std::move(where));
  };
  if (m.root_namespace == kLegacyNs) {
    Problem(Severity::kWarning, "legacy-namespace", "package uses the old eDoc namespace " + m.root_namespace, "edXML");
  } else if (m.root_namespace != kQcvnNs) {
    Problem(Severity::kWarning, "namespace",
            "root namespace is '" + m.root_namespace + "', not " + kQcvnNs + "; read by element names", "edXML");
  }
  if (nfd_seen_) {
    Problem(Severity::kWarning, "nfd-text", "decomposed (NFD) text was normalised to NFC", "");
  }
  for (const auto& [prefix, u] : undeclared_) {
    Problem(Severity::kWarning, "namespace-undeclared",
            "namespace prefix '" + prefix + "' is used without a declaration (first at line " +
                std::to_string(u.line) + ", column " + std::to_string(u.column) + ": " + u.first + "; " +
                std::to_string(u.uses) + (u.uses == 1 ? " use" : " uses") + "); read by local name",
            "");
  }
  if (nested_from_) {
    Problem(Severity::kWarning, "nested-element", "From is nested inside From; the inner one is read as the sender",
            "MessageHeader/From");
  }
  if (m.kind == Kind::kDocument && status_fields_) {
    Problem(Severity::kWarning, "mixed-header",
            "a document header also carries StatusCode '" + m.status_code + "'; read as a document", "MessageHeader");
  }
  if (envelope_attachments_ > 0) {
    Problem(Severity::kWarning, "attachment-layout",
            std::to_string(envelope_attachments_) +
                " attachment(s) directly in the envelope (FileName, FileType, Content) instead of "
                "AttachmentEncoded/Attachment",
            "edXMLEnvelope/Attachment");
  }
  if (m.kind == Kind::kDocument) {
    CheckOrganId(m, m.from.organ_id, "MessageHeader/From/OrganId");
    if (m.to.empty()) err("missing-field", "no recipient (To)", "MessageHeader/To");
    for (size_t i = 0; i < m.to.size(); ++i) {
      if (!m.to[i].organ_id.empty()) CheckOrganId(m, m.to[i].organ_id, "MessageHeader/To[" + std::to_string(i) + "]/OrganId");
    }
    if (m.code_number.empty() && m.code_notation.empty()) err("missing-field", "Code (số, ký hiệu) is missing", "MessageHeader/Code");
    if (m.subject.empty()) err("missing-field", "Subject (trích yếu) is missing", "MessageHeader/Subject");
    std::optional<std::string> date;
    if (m.promulgation_date.empty()) {
      err("missing-field", "PromulgationDate is missing", "MessageHeader/PromulgationInfo/PromulgationDate");
    } else if (!(date = Date(m.promulgation_date, "MessageHeader/PromulgationInfo/PromulgationDate"))) {
      err("bad-date", "PromulgationDate '" + m.promulgation_date + "' is not a real yyyy/MM/dd date",
          "MessageHeader/PromulgationInfo/PromulgationDate");
    }
    if (!m.due_date.empty() && !Date(m.due_date, "MessageHeader/DueDate")) {
      err("bad-date", "DueDate '" + m.due_date + "' is not a real date", "MessageHeader/DueDate");
    }
    if (m.document_id.empty()) {
      err("missing-field", "DocumentId is missing", "MessageHeader/DocumentId");
    } else {
      // OrganId,yyyy/MM/dd,Number/Notation
      const size_t c1 = m.document_id.find(',');
      const size_t c2 = c1 == std::string::npos ? c1 : m.document_id.find(',', c1 + 1);
      if (c2 == std::string::npos) {
        err("document-id-format", "DocumentId '" + m.document_id + "' is not 'OrganId,yyyy/MM/dd,Số/Ký hiệu'",
            "MessageHeader/DocumentId");
      } else {
        const std::string organ = m.document_id.substr(0, c1);
        const std::string d = m.document_id.substr(c1 + 1, c2 - c1 - 1);
        const std::string code = m.document_id.substr(c2 + 1);
        if (organ != m.from.organ_id) {
          err("document-id-mismatch", "DocumentId names sender '" + organ + "' but From/OrganId is '" + m.from.organ_id + "'",
              "MessageHeader/DocumentId");
        }
        auto dd = Date(d, "MessageHeader/DocumentId");
        if (!dd) {
          err("document-id-format", "DocumentId date '" + d + "' is not a real date", "MessageHeader/DocumentId");
        } else if (date && *dd != *date) {
          err("document-id-mismatch", "DocumentId date " + d + " differs from PromulgationDate " + m.promulgation_date,
              "MessageHeader/DocumentId");
        }
        const std::string expect = m.code_number + "/" + m.code_notation;
        if (FoldKey(code) != FoldKey(expect) || code.find('/') == std::string::npos) {
          err("document-id-mismatch", "DocumentId code '" + code + "' differs from Code '" + expect + "'",
              "MessageHeader/DocumentId");
        }
      }
    }
    if (m.business.doc_type > 0 && m.business.document_id.empty()) {
      err("missing-field", "a recall/update/replace needs Bussiness/DocumentId", "TraceHeaderList/Bussiness/DocumentId");
    }
    for (size_t i = 0; i < m.trace.size(); ++i) {
      if (!m.trace[i].timestamp.empty() &&
          !Date(m.trace[i].timestamp, "TraceHeaderList/TraceHeader[" + std::to_string(i) + "]/Timestamp")) {
        err("bad-date", "Timestamp '" + m.trace[i].timestamp + "' is not a real date",
            "TraceHeaderList/TraceHeader[" + std::to_string(i) + "]/Timestamp");
      }
    }
  } else {
    std::string& code = m.status_code;
    if (code.size() == 1 && code[0] >= '0' && code[0] <= '9') {
      Problem(Severity::kWarning, "status-code-form", "StatusCode '" + code + "' read as '0" + code + "'", status_where_ + "/StatusCode");
      code = "0" + code;
    }
    if (code.empty()) {
      err("missing-field", "StatusCode is missing", status_where_ + "/StatusCode");
    } else if (!IsKnownStatusCode(code)) {
      err("unknown-status-code", "StatusCode '" + code + "' is not one of 01-06, 13, 15, 16", status_where_ + "/StatusCode");
    }
    if (m.response_for.empty() || m.response_for[0].document_id.empty()) {
      err("missing-field", "ResponseFor/DocumentId is missing", status_where_ + "/ResponseFor");
    }
    CheckOrganId(m, m.from.organ_id, status_where_ + "/From/OrganId");
    if (m.timestamp.empty()) {
      Problem(Severity::kWarning, "missing-field", "Timestamp is missing", status_where_ + "/Timestamp");
    } else if (!Date(m.timestamp, status_where_ + "/Timestamp")) {
      err("bad-date", "Timestamp '" + m.timestamp + "' is not a real date", status_where_ + "/Timestamp");
    }
    if (code == "02" && m.description.empty()) {
      Problem(Severity::kWarning, "missing-reason", "a rejection (02) without a Description", status_where_ + "/Description");
    }
  }
  // Manifest against attachments.
  for (size_t i = 0; i < m.manifest.size(); ++i) {
    const ManifestReference& r = m.manifest[i];
    const auto hit = std::find_if(m.attachments.begin(), m.attachments.end(),
                                  [&](const Attachment& a) { return a.content_id == r.content_id; });
    if (r.content_id.empty()) {
      err("manifest", "manifest Reference " + std::to_string(i + 1) + " has no ContentId", "edXMLManifest/Reference");
    } else if (hit == m.attachments.end()) {
      err("manifest", "manifest names '" + r.content_id + "' (" + r.attachment_name + ") but no attachment has it",
          "edXMLManifest/Reference");
    } else if (!r.attachment_name.empty() && !hit->name.empty() && r.attachment_name != hit->name) {
      Problem(Severity::kWarning, "manifest", "attachment '" + r.content_id + "' is named '" + hit->name +
                                                   "' but the manifest says '" + r.attachment_name + "'",
              "AttachmentEncoded/Attachment");
    }
  }
  // The envelope layout has no manifest at all: nothing to check against.
  const bool manifest_expected = saw_manifest_ || envelope_attachments_ < m.attachments.size();
  for (size_t i = 0; i < m.attachments.size(); ++i) {
    const Attachment& a = m.attachments[i];
    const bool listed = std::any_of(m.manifest.begin(), m.manifest.end(),
                                    [&](const ManifestReference& r) { return r.content_id == a.content_id; });
    if (!listed && manifest_expected) {
      err("manifest", "attachment " + std::to_string(i + 1) + " ('" + a.content_id + "', " + a.name +
                          ") is not in the manifest", "AttachmentEncoded/Attachment");
    }
    for (size_t k = 0; k < i; ++k) {
      if (!a.content_id.empty() && m.attachments[k].content_id == a.content_id) {
        err("manifest", "two attachments share ContentId '" + a.content_id + "'", "AttachmentEncoded/Attachment");
      }
    }
  }
}

// Drops bytes before the XML proper (BOMs, transport junk). Returns the
// number of non-blank bytes dropped.
size_t SkipPreamble(std::string& head) {
  size_t at = head.find("<?xml");
  if (at == std::string::npos) at = head.find('<');
  if (at == std::string::npos) at = head.size();
  size_t junk = 0;
  for (size_t i = 0; i < at; ++i) {
    const char c = head[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') ++junk;
  }
  if (head.compare(0, 3, "\xEF\xBB\xBF") == 0 && at >= 3) junk -= 3;
  head.erase(0, at);
  return junk;
}

extern "C" {
void OnStart(void* ctx, const xmlChar* localname, const xmlChar*, const xmlChar* uri, int,
             const xmlChar**, int nb_attributes, int, const xmlChar** attributes) {
  static_cast<Parser*>(ctx)->Start(reinterpret_cast<const char*>(localname),
                                   uri != nullptr ? reinterpret_cast<const char*>(uri) : "",
                                   nb_attributes, attributes);
}
void OnEnd(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) { static_cast<Parser*>(ctx)->End(); }
void OnChars(void* ctx, const xmlChar* ch, int len) {
  static_cast<Parser*>(ctx)->Chars(reinterpret_cast<const char*>(ch), static_cast<size_t>(len));
}
void OnSubset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) { static_cast<Parser*>(ctx)->Doctype(); }
void OnEntityDecl(void* ctx, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
  static_cast<Parser*>(ctx)->Doctype();
}
// libxml2 passes the SAX user data (the Parser) to serror.
void OnStructuredError(void* ctx, xmlErrorPtr e) {
  if (e == nullptr || e->level < XML_ERR_ERROR) return;
  std::string m = e->message != nullptr ? e->message : "XML error";
  while (!m.empty() && m.back() == '\n') m.pop_back();
  static_cast<Parser*>(ctx)->XmlError(e->domain, e->code, m, e->str1 != nullptr ? e->str1 : "", e->line, e->int2);
}
}

struct CtxtFree {
  void operator()(xmlParserCtxtPtr c) const noexcept {
    if (c->myDoc != nullptr) xmlFreeDoc(c->myDoc);
    xmlFreeParserCtxt(c);
  }
};

Result<Message> Parser::Run(ByteSource& in) {
  xmlInitParser();
  std::string head(kChunk, '\0');
  size_t have = 0;
  while (have < head.size()) {
    KHOLUU_ASSIGN_OR_RETURN(size_t n, in.Read(head.data() + have, head.size() - have));
    if (n == 0) break;
    have += n;
  }
  head.resize(have);
  uint64_t total = have;
  if (SkipPreamble(head) > 0) {
    Problem(Severity::kWarning, "junk-before-xml", "bytes before the XML declaration were ignored", "");
  }
  if (head.empty()) return InvalidArgumentError("not an edXML package: no XML found");

  xmlSAXHandler sax;
  std::memset(&sax, 0, sizeof sax);
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = OnStart;
  sax.endElementNs = OnEnd;
  sax.characters = OnChars;
  sax.cdataBlock = OnChars;
  sax.internalSubset = OnSubset;
  sax.externalSubset = OnSubset;
  sax.entityDecl = OnEntityDecl;
  sax.serror = OnStructuredError;
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(
      xmlCreatePushParserCtxt(&sax, this, nullptr, 0, nullptr));
  if (!ctxt) return InternalError("libxml2: cannot create a parser");
  ctxt_ = ctxt.get();
  // Network off; no entity substitution, no DTD loading (defaults kept off).
  xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_NOCDATA);

  std::string buf = std::move(head);
  while (failure_.ok()) {
    if (!buf.empty()) {
      xmlParseChunk(ctxt.get(), buf.data(), static_cast<int>(buf.size()), 0);
    }
    if (!failure_.ok()) break;
    buf.resize(kChunk);
    KHOLUU_ASSIGN_OR_RETURN(size_t n, in.Read(buf.data(), buf.size()));
    buf.resize(n);
    total += n;
    if (total > opts_.max_total_bytes) {
      Fail(ResourceExhaustedError("package larger than " + std::to_string(opts_.max_total_bytes) + " bytes"));
      break;
    }
    if (n == 0) {
      at_end_ = true;
      xmlParseChunk(ctxt.get(), nullptr, 0, 1);
      break;
    }
  }
  if (failure_.ok() && !ctxt->wellFormed) failure_ = InvalidArgumentError("not well-formed XML");
  if (!failure_.ok()) {
    if (writer_) writer_->Abandon();
    for (const Attachment& a : msg_.attachments) {
      if (!a.saved_path.empty()) RemoveFile(a.saved_path).IgnoreError();
    }
    return failure_;
  }
  // The kind is what the header holds, not what it is called: a StatusCode
  // without document fields is a status package even in a MessageHeader.
  if (status_fields_ && !document_fields_) {
    msg_.kind = Kind::kStatus;
  } else if (saw_header_) {
    msg_.kind = Kind::kDocument;
  } else if (saw_status_) {
    msg_.kind = Kind::kStatus;
  } else {
    return InvalidArgumentError("not an edXML package: neither MessageHeader nor Status found");
  }
  Check();
  return std::move(msg_);
}

}  // namespace

bool Message::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const Problem& p) { return p.severity == Severity::kError; });
}

bool IsKnownStatusCode(const std::string& c) {
  static const char* kCodes[] = {"01", "02", "03", "04", "05", "06", "13", "15", "16"};
  return std::any_of(std::begin(kCodes), std::end(kCodes), [&](const char* k) { return c == k; });
}

Result<Message> Parse(ByteSource& in, const ParseOptions& options) {
  Parser p(options);
  return p.Run(in);
}

Result<Message> ParseFile(const std::string& path, const ParseOptions& options) {
  KHOLUU_ASSIGN_OR_RETURN(FileSource src, FileSource::Open(path));
  return Parse(src, options);
}

namespace {

struct WriterFree {
  void operator()(xmlTextWriterPtr w) const noexcept { xmlFreeTextWriter(w); }
};
struct BufferFree {
  void operator()(xmlBufferPtr b) const noexcept { xmlBufferFree(b); }
};

class XmlOut {
 public:
  XmlOut() : buf_(xmlBufferCreate()), w_(xmlNewTextWriterMemory(buf_.get(), 0)) {}
  bool ok() const { return ok_ && w_ != nullptr; }
  void Start(const char* name) { Check(xmlTextWriterStartElement(w_.get(), X(name))); }
  void StartNs(const char* prefix, const char* name, const char* ns) {
    Check(xmlTextWriterStartElementNS(w_.get(), X(prefix), X(name), X(ns)));
  }
  void End() { Check(xmlTextWriterEndElement(w_.get())); }
  void Leaf(const char* name, const std::string& v) {
    Check(xmlTextWriterWriteElementNS(w_.get(), X("edXML"), X(name), nullptr, X(v.c_str())));
  }
  void Attr(const char* name, const char* v) { Check(xmlTextWriterWriteAttribute(w_.get(), X(name), X(v))); }
  void Doc() { Check(xmlTextWriterStartDocument(w_.get(), "1.0", "UTF-8", nullptr)); }
  std::string Finish() {
    Check(xmlTextWriterEndDocument(w_.get()));
    Check(xmlTextWriterFlush(w_.get()));
    return std::string(reinterpret_cast<const char*>(xmlBufferContent(buf_.get())),
                       static_cast<size_t>(xmlBufferLength(buf_.get())));
  }
  xmlTextWriterPtr get() { return w_.get(); }

 private:
  static const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
  void Check(int rc) {
    if (rc < 0) ok_ = false;
  }
  std::unique_ptr<xmlBuffer, BufferFree> buf_;
  std::unique_ptr<xmlTextWriter, WriterFree> w_;
  bool ok_ = true;
};

}  // namespace

Result<std::string> WriteStatus(const StatusPackage& s) {
  if (!IsKnownStatusCode(s.status_code)) {
    return InvalidArgumentError("status code '" + s.status_code + "' is not one of 01-06, 13, 15, 16");
  }
  if (s.status_code == "02" && Trim(s.description).empty()) {
    return InvalidArgumentError("a rejection (02) must state its reason in Description");
  }
  if (s.response_for.document_id.empty()) return InvalidArgumentError("ResponseFor/DocumentId is required");
  if (s.from.organ_id.empty()) return InvalidArgumentError("From/OrganId is required");
  for (const std::string* f : {&s.response_for.organ_id, &s.response_for.code, &s.response_for.promulgation_date,
                               &s.response_for.document_id, &s.from.organ_id, &s.from.organ_name,
                               &s.description, &s.timestamp, &s.staff.staff, &s.staff.department,
                               &s.staff.email, &s.staff.mobile}) {
    if (!IsValidUtf8(*f)) return InvalidArgumentError("status text is not valid UTF-8");
  }
  xmlInitParser();
  XmlOut x;
  if (!x.ok()) return InternalError("libxml2: cannot create a writer");
  x.Doc();
  x.Start("edXML");
  x.Attr("xmlns", kQcvnNs);
  x.StartNs("edXML", "edXMLEnvelope", kQcvnNs);
  x.StartNs("edXML", "edXMLHeader", nullptr);
  x.StartNs("edXML", "Status", nullptr);
  x.StartNs("edXML", "ResponseFor", nullptr);
  x.Leaf("OrganId", s.response_for.organ_id);
  x.Leaf("Code", s.response_for.code);
  x.Leaf("PromulgationDate", s.response_for.promulgation_date);
  x.Leaf("DocumentId", s.response_for.document_id);
  x.End();
  x.StartNs("edXML", "From", nullptr);
  x.Leaf("OrganId", s.from.organ_id);
  x.Leaf("OrganizationInCharge", s.from.organization_in_charge);
  x.Leaf("OrganName", s.from.organ_name);
  x.Leaf("OrganAdd", s.from.organ_add);
  x.Leaf("Email", s.from.email);
  x.Leaf("Telephone", s.from.telephone);
  x.Leaf("Fax", s.from.fax);
  x.Leaf("Website", s.from.website);
  x.End();
  x.Leaf("StatusCode", s.status_code);
  x.Leaf("Description", s.description);
  x.Leaf("Timestamp", s.timestamp);
  x.StartNs("edXML", "StaffInfo", nullptr);
  x.Leaf("Department", s.staff.department);
  x.Leaf("Staff", s.staff.staff);
  x.Leaf("Mobile", s.staff.mobile);
  x.Leaf("Email", s.staff.email);
  x.End();
  x.End();  // Status
  x.End();  // edXMLHeader
  x.StartNs("edXML", "edXMLBody", nullptr);
  x.End();
  x.End();  // edXMLEnvelope
  x.End();  // edXML
  std::string out = x.Finish();
  if (!x.ok()) return InternalError("libxml2: writing the status package failed");
  return out;
}

}  // namespace kholuu::formats::edxml
