#include "tools/kholuu/messages.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cstring>
#include <map>

#include "archive/base/file.h"
#include "archive/base/log.h"

namespace kholuu::cli {
namespace {

struct Text {
  Msg key;
  std::string_view vi;
  std::string_view en;
};

// One row per Msg, in enum order (checked at compile time below).
constexpr std::array<Text, static_cast<size_t>(Msg::kCount)> kCatalog = {{
    {Msg::kLeadInvalidArgument, "Dữ liệu vào không hợp lệ: {0}", "{0}"},
    {Msg::kLeadNotFound, "Không tìm thấy: {0}", "{0}"},
    {Msg::kLeadAlreadyExists, "Đã tồn tại: {0}", "{0}"},
    {Msg::kLeadFailedPrecondition, "Chưa thể thực hiện: {0}", "{0}"},
    {Msg::kLeadPermissionDenied, "Không có quyền truy cập: {0}", "{0}"},
    {Msg::kLeadResourceExhausted, "Vượt quá giới hạn tài nguyên: {0}", "{0}"},
    {Msg::kLeadDataLoss, "Dữ liệu bị hỏng hoặc bị mất: {0}", "{0}"},
    {Msg::kLeadUnavailable, "Tạm thời không thực hiện được: {0}", "{0}"},
    {Msg::kLeadAborted, "Bị hủy do xung đột đồng thời, hãy thử lại: {0}", "{0}"},
    {Msg::kLeadUnimplemented, "Chưa được hỗ trợ: {0}", "{0}"},
    {Msg::kLeadInternal, "Lỗi nội bộ: {0}", "internal error: {0}"},

    {Msg::kExplainEncryptedPdf,
     "tệp PDF được mã hóa (đặt mật khẩu); hãy nộp bản không mã hóa",
     "the PDF is encrypted (password-protected); submit an unencrypted copy"},
    {Msg::kExplainNotPdf, "tệp không phải là PDF (không có phần đầu %PDF-)",
     "the file is not a PDF (it has no %PDF- header)"},
    {Msg::kExplainDamagedPdf, "tệp PDF bị hỏng, không đọc được cấu trúc của nó",
     "the PDF is damaged: its structure cannot be read"},
    {Msg::kExplainBadKeyOrCert,
     "không đọc được chứng thư số hoặc khóa: tệp không phải PEM hợp lệ, khóa được mã hóa, hoặc khóa không khớp với chứng thư",
     "the certificate or key cannot be read: not valid PEM, an encrypted key, or a key that does not match the certificate"},
    {Msg::kExplainTsaUnreachable,
     "không kết nối được máy chủ cấp dấu thời gian (TSA); kiểm tra địa chỉ và mạng",
     "the time-stamping authority (TSA) cannot be reached; check its address and the network"},
    {Msg::kExplainConverterFailed,
     "công cụ chuyển đổi bên ngoài bị lỗi với tệp này",
     "the external converter failed on this file"},

    {Msg::kUsageError, "lỗi cú pháp lệnh: {0}", "{0}"},
    {Msg::kSeeHelp, "xem 'kholuu --help'", "see 'kholuu --help'"},
    {Msg::kUnknownCommand, "không có lệnh '{0}'", "unknown command '{0}'"},
    {Msg::kDidYouMean, "có phải ý bạn là: {0}", "did you mean: {0}"},
    {Msg::kBadLang, "--lang: ngôn ngữ '{0}' không được hỗ trợ (vi hoặc en)",
     "--lang: unsupported language '{0}' (vi or en)"},
    {Msg::kBadDate, "{0}: ngày không hợp lệ '{1}' (cần một ngày có thật, dạng YYYY-MM-DD)",
     "{0}: invalid date '{1}' (expected a real calendar date, YYYY-MM-DD)"},
    {Msg::kOutputExists, "{0} đã tồn tại; dùng --force để ghi đè",
     "{0} already exists; use --force to overwrite it"},
    {Msg::kOutputIsDirectory, "{0} là một thư mục, không phải tệp", "{0} is a directory, not a file"},
    {Msg::kOutputStdoutWithJson,
     "-o - ghi dữ liệu ra đầu ra chuẩn nên không dùng cùng --json",
     "-o - writes the data to standard output and cannot be combined with --json"},
    {Msg::kWrote, "đã ghi {0}", "wrote {0}"},
    {Msg::kWroteToStdout, "đã ghi {0} byte ra đầu ra chuẩn", "wrote {0} bytes to standard output"},

    {Msg::kInitDone, "đã tạo kho lưu trữ trống tại {0}", "created an empty archive in {0}"},
    {Msg::kFixityChecked, "đã kiểm tra {0} khối dữ liệu ({1} thành phần, {2} byte)",
     "checked {0} blobs ({1} components, {2} bytes)"},
    {Msg::kFixityRepaired, " (đã khôi phục từ bản sao)", " (repaired from replica)"},
    {Msg::kFixityRepairFailed, "  khôi phục thất bại: {0}", "  repair failed: {0}"},
    {Msg::kAuditChainIntact, "{0} mục nhật ký kiểm toán, chuỗi nguyên vẹn",
     "{0} audit entries, chain intact"},
    {Msg::kAuditChainBroken, "{0} mục nhật ký kiểm toán, chuỗi BỊ PHÁ VỠ tại mục {1}: {2}",
     "{0} audit entries, chain BROKEN at entry {1}: {2}"},
    {Msg::kAuditStateAllAsRecorded, "{0} bản ghi đã đối chiếu với lịch sử: tất cả đúng như đã ghi",
     "{0} records compared with their history: all as recorded"},
    {Msg::kAuditStateDiffer, "{0} bản ghi đã đối chiếu với lịch sử: {1} bản ghi SAI KHÁC",
     "{0} records compared with their history: {1} DIFFER"},
    {Msg::kAndMore, "… và {0} mục khác", "… and {0} more"},
    {Msg::kVerifyHead,
     "{0} {1}: {2} bản ghi và {3} sự kiện đã đối chiếu với lịch sử, {4} bản lưu khối dữ liệu{5} — ",
     "{0} {1}: {2} records and {3} events against their history, {4} blob copies{5} — "},
    {Msg::kVerifyReplica, " (kho và bản sao)", " (archive and replica)"},
    {Msg::kVerifyNoReplica, " (chưa đồng bộ bản sao)", " (no replica synced)"},
    {Msg::kVerifyAllAsRecorded, "tất cả đúng như đã ghi", "all as recorded"},
    {Msg::kVerifyDifferences, "CÓ SAI KHÁC:", "DIFFERENCES:"},
    {Msg::kBackupFilesChecked, "đã kiểm tra {0} tệp", "{0} files checked"},
    {Msg::kCopyDone,
     "{0} {1}: đã sao chép {2}/{3} khối dữ liệu ({4} byte), danh mục {5} byte, đã kiểm tra",
     "{0} {1}: {2} of {3} blobs copied ({4} bytes), catalog {5} bytes, verified"},
    {Msg::kCopyBackup, "sao lưu", "backup"},
    {Msg::kCopyRestored, "khôi phục vào", "restored into"},
    {Msg::kCopyReplica, "bản sao", "replica"},
    {Msg::kGcWouldRemove, "sẽ xóa {0}/{1} khối dữ liệu ({2} byte)", "would remove {0} of {1} blobs ({2} bytes)"},
    {Msg::kGcRemoved, "đã xóa {0}/{1} khối dữ liệu ({2} byte)", "removed {0} of {1} blobs ({2} bytes)"},
    {Msg::kPutStored, "đã lưu {0} (sha256 {1})", "stored {0} (sha256 {1})"},
    {Msg::kGetWrote, "đã ghi {0} ({1} byte, sha256 {2} đã kiểm tra)",
     "wrote {0} ({1} bytes, sha256 {2} verified)"},
    {Msg::kGetWroteRendition,
     "đã ghi {0} (bản PDF/A-3b niêm phong của {1}, nhúng nguyên vẹn bản gốc)",
     "wrote {0} (sealed PDF/A-3b rendition of {1}, original embedded bit-exact)"},
    {Msg::kSearchAbout, "khoảng {0} kết quả", "about {0} results"},
    {Msg::kSearchExact, "{0} kết quả", "{0} results"},
    {Msg::kSearchNone, "không có kết quả", "no results"},
    {Msg::kReindexRebuilt, "đã dựng lại chỉ mục: {0} văn bản, {1} mục hàng đợi đã xử lý",
     "rebuilt index: {0} documents indexed, {1} outbox entries acknowledged"},
    {Msg::kReindexOutbox, "đã áp dụng hàng đợi: {0} văn bản, {1} mục hàng đợi đã xử lý",
     "applied outbox: {0} documents indexed, {1} outbox entries acknowledged"},
    {Msg::kPdfaCompliant, "đạt chuẩn", "compliant"},
    {Msg::kPdfaNotCompliant, "KHÔNG đạt chuẩn", "NOT compliant"},
    {Msg::kConvertWrote, "đã ghi {0}", "wrote {0}"},
    {Msg::kSealWrote, "đã niêm phong {0} -> {1}", "sealed {0} -> {1}"},
    {Msg::kReceiptWrote, "{0} {1} -> {2} ({3} trang, PDF/A-2b, {4})", "{0} {1} -> {2} ({3} pages, PDF/A-2b, {4})"},
    {Msg::kSigHeader, "{0}: {1} chữ ký, {2} phiên bản, {3} byte", "{0}: {1} signature(s), {2} revision(s), {3} bytes"},
    {Msg::kSigSignature, "chữ ký", "signature"},
    {Msg::kSigDocumentTimestamp, "dấu thời gian tài liệu", "document timestamp"},
    {Msg::kSigIntegrity, "toàn vẹn", "integrity"},
    {Msg::kSigSigner, "người ký", "signer"},
    {Msg::kSigUnknownSigner, "(không rõ)", "(unknown)"},
    {Msg::kSigClaimedTime, "thời điểm ký (do người ký khai)", "claimed signing time"},
    {Msg::kSigCoverageWhole, "phạm vi: toàn bộ tài liệu", "coverage: whole document"},
    {Msg::kSigCoverageNotWhole, "phạm vi: KHÔNG phải toàn bộ tài liệu", "coverage: NOT the whole document"},
    {Msg::kSigRevision, "phiên bản {0}", "revision {0}"},
    {Msg::kSigModifiedAfter, "bị sửa đổi sau khi ký", "modified after signing"},
    {Msg::kSigLaterRevision, "phiên bản sau {0}: {1}", "later revision {0}: {1}"},
    {Msg::kSigTrust, "tin cậy", "trust"},
    {Msg::kSealed, "đã niêm phong", "sealed"},
    {Msg::kNotSealedNoKey, "chưa niêm phong: kho chưa có khóa niêm phong", "not sealed: no seal key"},
    {Msg::kIngestAbandoned, "{0} lượt tiếp nhận bị gián đoạn đã được hủy; hãy nộp lại",
     "{0} interrupted ingest job(s) abandoned; submit them again"},
    {Msg::kAnchorText, "mốc neo của {0} mục nhật ký kiểm toán, gốc {1}…, {2} ({3}, {4})",
     "anchor of {0} audit entries, root {1}…, {2} ({3}, {4})"},
    {Msg::kAnchorSealedOnly, "đã niêm phong, chưa gắn dấu thời gian", "sealed, not timestamped"},
    {Msg::kAnchorSealedAndTimestamped, "đã niêm phong và gắn dấu thời gian", "sealed and timestamped"},
    {Msg::kAnchorNone, "chưa có mốc neo nào (kholuu anchor make; trước đó kholuu seal init --tsa URL)",
     "no anchors yet (kholuu anchor make; kholuu seal init --tsa URL first)"},
    {Msg::kAnchorNoneInVerify,
     "chưa có mốc neo: nhật ký chưa được cố định bên ngoài máy này (kholuu anchor make)",
     "no anchors: the log is not yet fixed outside this machine (kholuu anchor make)"},
    {Msg::kAnchorsHold, "{0} mốc neo: tất cả hợp lệ; các mục 1..{1} đúng như đã neo",
     "{0} anchors: all hold; entries 1..{1} are as anchored"},
    {Msg::kAnchorsFail, "{0} mốc neo: CÓ MỐC KHÔNG HỢP LỆ; các mục 1..{1} đúng như đã neo",
     "{0} anchors: SOME FAIL; entries 1..{1} are as anchored"},
    {Msg::kAnchorProblem, "mốc neo {0}: {1}", "anchor {0}: {1}"},
    {Msg::kAnchorsExported, "đã ghi {0} mốc neo vào {1} (anchor-N.txt: tuyên bố, .p7s: niêm phong, .tst: dấu thời gian)",
     "{0} anchors written to {1} (anchor-N.txt statement, .p7s seal, .tst timestamp token)"},
    {Msg::kBackupNotAnchored, "cảnh báo: bản sao lưu chưa được neo: {0}", "warning: the backup is not anchored: {0}"},
    {Msg::kEvidenceWritten,
     "đã ghi hồ sơ chứng cứ của {0} vào {1}: {2} tệp, {3} mục nhật ký kiểm toán được chứng minh tới {4}\n"
     "kiểm tra ngoại tuyến: tar -xf {1} && sh evidence-*/verify.sh TSA-ROOT.pem",
     "evidence for {0} written to {1}: {2} files, {3} audit entries proven to the {4}\n"
     "check it offline: tar -xf {1} && sh evidence-*/verify.sh TSA-ROOT.pem"},
    {Msg::kEvidenceToStdout, "đã ghi hồ sơ chứng cứ của {0} ra đầu ra chuẩn ({1} byte)",
     "evidence for {0} written to standard output ({1} bytes)"},
    {Msg::kRetentionAssigned, "thời hạn bảo quản của {0}: {1}", "retention of {0}: {1}"},
    {Msg::kRetentionNothingDue, "không có hồ sơ nào đến hạn đến hết ngày {0}", "nothing falls due up to {0}"},
    {Msg::kIngestAccepted, "đã tiếp nhận — {0} văn bản", "accepted — {0} document(s)"},
    {Msg::kIngestRejected, "bị từ chối — {0} lỗi", "rejected — {0} error(s)"},
    {Msg::kIngestDuplicate, "đã tiếp nhận trước đó (gói trùng)", "already received (duplicate package)"},
    {Msg::kIngestActionStored, "lưu mới", "stored"},
    {Msg::kIngestActionLinked, "liên kết", "linked"},
    {Msg::kIngestActionNewVersion, "phiên bản mới", "new version"},
    {Msg::kIngestActionStatus, "trạng thái", "status"},
    {Msg::kIngestError, "lỗi", "error"},
    {Msg::kIngestWarning, "cảnh báo", "warning"},
    {Msg::kEdxmlDocument, "văn bản", "document"},
    {Msg::kEdxmlStatus, "trạng thái", "status"},
    {Msg::kEdxmlHasErrors, "(có lỗi)", "(has errors)"},
    {Msg::kEdxmlFrom, "nơi gửi", "from"},
    {Msg::kEdxmlAttachment, "tệp đính kèm {0} ({1} byte, sha256 {2})", "attachment {0} ({1} bytes, sha256 {2})"},
    {Msg::kEdxmlSignatureAbsent, "chữ ký XML: không có", "xml signature: absent"},
    {Msg::kEdxmlSignatureValid, "chữ ký XML: hợp lệ", "xml signature: valid"},
    {Msg::kEdxmlSignatureInvalid, "chữ ký XML: KHÔNG HỢP LỆ", "xml signature: INVALID"},
    {Msg::kBagValid, "hợp lệ", "valid"},
    {Msg::kBagInvalid, "không hợp lệ", "invalid"},
    {Msg::kPreserved, "đã bảo quản", "preserved"},
    {Msg::kPreserveAtRisk, "có rủi ro", "at risk"},
    {Msg::kPreserveSkipped, "bỏ qua", "skipped"},
    {Msg::kHoldInForce, "đang có hiệu lực", "in force"},
    {Msg::kHoldReleased, "đã gỡ", "released"},
    {Msg::kHoldNone, "không có lệnh phong tỏa nào", "no holds"},
    {Msg::kProgressFixity, "kiểm tra toàn vẹn", "fixity"},
    {Msg::kProgressReindex, "lập chỉ mục", "indexing"},
    {Msg::kProgressBackup, "sao lưu", "backup"},
    {Msg::kProgressReplica, "đồng bộ bản sao", "replica sync"},
    {Msg::kProgressPreserve, "bảo quản", "preserve"},
    {Msg::kProgressIngest, "tiếp nhận", "ingest"},
    {Msg::kProgressOcr, "nhận dạng chữ (OCR)", "OCR"},
    {Msg::kProgressRestore, "khôi phục", "restore"},
    {Msg::kProgressLine, "{0}: {1}/{2} {3} ({4}/giây)", "{0}: {1}/{2} {3} ({4}/s)"},
    {Msg::kUnitBlobs, "khối dữ liệu", "blobs"},
    {Msg::kUnitDocuments, "văn bản", "documents"},
    {Msg::kUnitPackages, "gói", "packages"},
    {Msg::kUnitPages, "trang", "pages"},
}};

constexpr bool CatalogInOrder() {
  for (size_t i = 0; i < kCatalog.size(); ++i) {
    if (static_cast<size_t>(kCatalog[i].key) != i || kCatalog[i].vi.empty() || kCatalog[i].en.empty()) {
      return false;
    }
  }
  return true;
}
static_assert(CatalogInOrder(), "every Msg has one row, in enum order, with both texts");

std::atomic<Lang> g_lang{Lang::kVi};

bool StartsWithEn(const char* v) { return std::strncmp(v, "en", 2) == 0; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// strerror texts (glibc, "C" locale) in Vietnamese.
constexpr std::pair<std::string_view, std::string_view> kErrnoVi[] = {
    {"No such file or directory", "không có tệp hoặc thư mục này"},
    {"Permission denied", "không có quyền truy cập"},
    {"Is a directory", "là một thư mục, không phải tệp"},
    {"Not a directory", "không phải là thư mục"},
    {"No space left on device", "hết chỗ trống trên thiết bị"},
    {"File too large", "tệp quá lớn"},
    {"Read-only file system", "hệ thống tệp chỉ cho phép đọc"},
    {"File exists", "tệp đã tồn tại"},
    {"Input/output error", "lỗi đọc/ghi thiết bị"},
    {"Connection refused", "kết nối bị từ chối"},
};

// Raw library errors and what they mean. Needles are lower case and matched
// against the lower-cased message.
struct Explanation {
  std::string_view needle;
  Msg msg;
};
constexpr Explanation kExplanations[] = {
    {"the pdf is encrypted", Msg::kExplainEncryptedPdf},
    {"incorrect password", Msg::kExplainEncryptedPdf},
    {"not a pdf", Msg::kExplainNotPdf},
    {"no %pdf- header", Msg::kExplainNotPdf},
    {"may not be a pdf file", Msg::kExplainNotPdf},
    {"couldn't read xref table", Msg::kExplainDamagedPdf},
    {"couldn't find trailer dictionary", Msg::kExplainDamagedPdf},
    {"no startxref", Msg::kExplainDamagedPdf},
    {"damaged pdf", Msg::kExplainDamagedPdf},
    {"pdf is damaged", Msg::kExplainDamagedPdf},
    {"pem routines", Msg::kExplainBadKeyOrCert},
    {"no start line", Msg::kExplainBadKeyOrCert},
    {"bad decrypt", Msg::kExplainBadKeyOrCert},
    {"pem does not parse", Msg::kExplainBadKeyOrCert},
    {"asn1 encoding routines", Msg::kExplainBadKeyOrCert},
    {"key values mismatch", Msg::kExplainBadKeyOrCert},
    {"no answer", Msg::kExplainTsaUnreachable},
};

// The part of `message` before ": " when it names a file or directory that
// exists (callers prefix messages with the path they concern).
std::string LeadingPath(const std::string& message) {
  size_t colon = message.find(": ");
  while (colon != std::string::npos) {
    std::string prefix = message.substr(0, colon);
    if (PathExists(prefix)) return prefix;
    colon = message.find(": ", colon + 2);
  }
  return "";
}

// English text of the usage errors made by UsageError -> their text in the
// current language.
std::map<std::string, std::string>& OwnMessages() {
  static auto* messages = new std::map<std::string, std::string>();
  return *messages;
}

Msg LeadFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument: return Msg::kLeadInvalidArgument;
    case StatusCode::kNotFound: return Msg::kLeadNotFound;
    case StatusCode::kAlreadyExists: return Msg::kLeadAlreadyExists;
    case StatusCode::kFailedPrecondition: return Msg::kLeadFailedPrecondition;
    case StatusCode::kPermissionDenied: return Msg::kLeadPermissionDenied;
    case StatusCode::kResourceExhausted: return Msg::kLeadResourceExhausted;
    case StatusCode::kDataLoss: return Msg::kLeadDataLoss;
    case StatusCode::kUnavailable: return Msg::kLeadUnavailable;
    case StatusCode::kAborted: return Msg::kLeadAborted;
    case StatusCode::kUnimplemented: return Msg::kLeadUnimplemented;
    case StatusCode::kOk:
    case StatusCode::kInternal: break;
  }
  return Msg::kLeadInternal;
}

}  // namespace

Lang LangFromLocale(const char* lc_all, const char* lc_messages, const char* lang) {
  for (const char* v : {lc_all, lc_messages, lang}) {
    if (v != nullptr && *v != '\0') return StartsWithEn(v) ? Lang::kEn : Lang::kVi;
  }
  return Lang::kVi;
}

std::optional<Lang> TakeLangFlag(std::vector<std::string>* args) {
  std::optional<Lang> chosen;
  std::vector<std::string> kept;
  for (size_t i = 0; i < args->size(); ++i) {
    const std::string& a = (*args)[i];
    std::string value;
    size_t used = 1;
    if (i > 0 && a == "--lang" && i + 1 < args->size()) {
      value = (*args)[i + 1];
      used = 2;
    } else if (i > 0 && a.rfind("--lang=", 0) == 0) {
      value = a.substr(7);
    }
    if (value == "vi" || value == "en") {
      chosen = value == "en" ? Lang::kEn : Lang::kVi;
      i += used - 1;
      continue;
    }
    kept.push_back(a);
  }
  *args = std::move(kept);
  return chosen;
}

void SetLang(Lang lang) { g_lang = lang; }
Lang CurrentLang() { return g_lang; }

std::string TrIn(Lang lang, Msg m, std::initializer_list<std::string_view> args) {
  const Text& t = kCatalog[static_cast<size_t>(m)];
  std::string_view pattern = lang == Lang::kEn ? t.en : t.vi;
  std::string out;
  out.reserve(pattern.size() + 32);
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        std::isdigit(static_cast<unsigned char>(pattern[i + 1]))) {
      const auto n = static_cast<size_t>(pattern[i + 1] - '0');
      if (n < args.size()) out += *(args.begin() + n);
      i += 2;
      continue;
    }
    out += pattern[i];
  }
  return out;
}

std::string Tr(Msg m, std::initializer_list<std::string_view> args) { return TrIn(CurrentLang(), m, args); }

Status UsageError(Msg m, std::initializer_list<std::string_view> args) {
  std::string en = TrIn(Lang::kEn, m, args);
  OwnMessages()[en] = Tr(m, args);
  return InvalidArgumentError(std::move(en));
}

std::string Describe(const Status& s) {
  const std::string& original = s.message();
  if (auto own = OwnMessages().find(original); own != OwnMessages().end()) return own->second;
  const std::string lower = Lower(original);
  for (const Explanation& e : kExplanations) {
    if (lower.find(e.needle) == std::string::npos) continue;
    // "no answer" is the TSA client's word for a connection that failed.
    if (e.msg == Msg::kExplainTsaUnreachable && lower.find("tsa") == std::string::npos) continue;
    Log(Severity::kInfo, "cli.error",
        {{"code", std::string(StatusCodeName(s.code()))}, {"original", original}});
    const std::string path = LeadingPath(original);
    return (path.empty() ? "" : path + ": ") + Tr(e.msg);
  }
  if (CurrentLang() == Lang::kEn) return Tr(LeadFor(s.code()), {original});
  std::string text = original;
  for (const auto& [en, vi] : kErrnoVi) {
    const std::string tail = ": " + std::string(en);
    if (text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0) {
      text.replace(text.size() - en.size(), en.size(), vi);
      break;
    }
  }
  return Tr(LeadFor(s.code()), {text});
}

}  // namespace kholuu::cli
