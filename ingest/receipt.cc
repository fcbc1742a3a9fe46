#include "ingest/receipt.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>

#include "archive/base/clock.h"
#include "formats/pdf/document_writer.h"
#include "formats/pdf/pdfa.h"
#include "formats/pdfsig/pdf_signatures.h"
#include "ingest/seal_key.h"

namespace kholuu::ingest {

namespace pdf = formats::pdf;
using Json = nlohmann::ordered_json;

std::string_view ReceiptKindName(ReceiptKind k) {
  switch (k) {
    case ReceiptKind::kTransfer: return "transfer_receipt";
    case ReceiptKind::kRefusal: return "refusal_notice";
    case ReceiptKind::kNone: return "none";
  }
  return "none";
}

namespace {

bool IsLowerHex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Code(const std::string& number, const std::string& notation) {
  if (number.empty()) return notation;
  if (notation.empty()) return number;
  return number + "/" + notation;
}

// "2024-03-15" -> "15/03/2024" (Vietnamese order); anything else unchanged.
std::string ViDate(const std::string& iso) {
  if (iso.size() == 10 && iso[4] == '-' && iso[7] == '-') return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  return iso;
}

// Vietnam time (UTC+7, no daylight saving) of `micros`.
std::tm VnTime(int64_t micros) {
  std::time_t t = static_cast<std::time_t>(micros / 1000000 + 7 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string ViDateTime(int64_t micros) {
  if (micros == 0) return "";
  std::tm tm = VnTime(micros);
  char buf[64];
  std::strftime(buf, sizeof buf, "%H:%M ngày %d/%m/%Y (giờ Việt Nam)", &tm);
  return buf;
}

std::string Time(int64_t micros) { return micros == 0 ? "" : FormatTimestamp(micros); }

std::string Size(uint64_t bytes) {
  char buf[64];
  if (bytes >= (uint64_t{1} << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / 1048576.0);
  } else if (bytes >= 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  }
  return buf;
}

}  // namespace

Result<model::IngestJob> FindJob(Service& service, const std::string& job) {
  if (job.size() < 8 || job.size() > 64 || !IsLowerHex(job)) {
    return InvalidArgumentError("a job id is the package's SHA-256 (64 lower-case hex digits) or a prefix of 8 or more: " +
                                job);
  }
  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, service.archive().catalog().BeginRead());
  if (job.size() == 64) {
    auto j = r.GetJob(job);
    if (!j.ok() && j.status().code() == StatusCode::kNotFound) return NotFoundError("no ingest job " + job);
    return j;
  }
  std::vector<model::IngestJob> found;
  KHOLUU_RETURN_IF_ERROR(r.ForEachJob([&](const model::IngestJob& j) {
    if (j.id.compare(0, job.size(), job) == 0) found.push_back(j);
    return Status::Ok();
  }));
  if (found.empty()) return NotFoundError("no ingest job " + job);
  if (found.size() > 1) {
    return FailedPreconditionError("the job id " + job + " is ambiguous (" + std::to_string(found.size()) + " jobs)");
  }
  return found.front();
}

Result<TransferReceipt> BuildReceipt(Service& service, const std::string& job_id, const ReceiptOptions& options) {
  KHOLUU_ASSIGN_OR_RETURN(model::IngestJob job, FindJob(service, job_id));
  TransferReceipt out;
  out.job = job.id;
  out.package = job.package;
  out.package_kind = job.kind;
  out.state = std::string(model::JobStateName(job.state));
  out.submitted_by = job.actor;
  out.received_micros = job.received_micros;
  out.finished_micros = job.finished_micros;
  out.issued_micros = options.now_micros != 0 ? options.now_micros : NowMicros();
  out.receiver_organ_id = options.archive_organ_id;
  out.receiver_organ_name = options.archive_organ_name;
  out.problems = job.problems;
  out.detail = job.detail;
  switch (job.state) {
    case model::JobState::kAccepted: out.kind = ReceiptKind::kTransfer; break;
    case model::JobState::kRejected: out.kind = ReceiptKind::kRefusal; break;
    default: out.kind = ReceiptKind::kNone; break;
  }
  const std::string short_id = job.id.substr(0, 12);
  out.number = (out.kind == ReceiptKind::kRefusal ? "TB-" : "BB-") + short_id;

  KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, service.archive().catalog().BeginRead());
  std::map<std::string, size_t> file_index;  // file code -> index in out.record_files
  auto add_file = [&](const std::string& code) -> Status {
    if (code.empty() || file_index.count(code)) return Status::Ok();
    auto rf = r.GetRecordFile(code);
    if (!rf.ok()) {
      if (rf.status().code() != StatusCode::kNotFound) return rf.status();
      return DataLossError("the record file " + code + " of job " + job.id + " is not in the catalog");
    }
    ReceiptRecordFile f;
    f.file_code = code;
    f.title = rf->title;
    f.maintenance = rf->maintenance;
    f.start_date = rf->start_date;
    f.end_date = rf->end_date;
    f.pages = rf->page_total;
    f.number_of_paper = rf->number_of_paper;
    f.creator = rf->creator;
    f.language = rf->language;
    file_index[code] = out.record_files.size();
    out.record_files.push_back(f);
    if (out.sender_organ_id.empty()) out.sender_organ_id = rf->file_code.organ_id;
    return Status::Ok();
  };
  KHOLUU_RETURN_IF_ERROR(add_file(job.record_file));
  int ordinal = 0;
  std::map<std::string, int> pages_in;
  for (const std::string& id : job.documents) {
    auto d = r.GetDocument(id);
    if (!d.ok()) {
      if (d.status().code() != StatusCode::kNotFound) return d.status();
      return DataLossError("the document " + id + " of job " + job.id + " is not in the catalog");
    }
    ReceiptListEntry e;
    e.ordinal = ++ordinal;
    e.id = id;
    e.file_code = d->file_code.organ_id.empty() ? "" : d->file_code.ToString();
    e.type_name = d->type_name;
    e.code_number = d->code_number;
    e.code_notation = d->code_notation;
    e.code = Code(d->code_number, d->code_notation);
    e.issued_date = d->issued_date;
    e.organ_id = d->organ_id;
    e.organ_name = d->organ_name;
    e.subject = d->subject;
    e.pages = d->page_amount;
    e.preservation_risk = d->preservation_risk;
    KHOLUU_RETURN_IF_ERROR(add_file(e.file_code));
    if (auto it = file_index.find(e.file_code); it != file_index.end()) {
      e.maintenance = out.record_files[it->second].maintenance;
      out.record_files[it->second].documents++;
      pages_in[e.file_code] += e.pages;
    }
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> comps, r.ComponentsOfDocument(id));
    for (const std::string& cid : comps) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(cid));
      if (c.role != model::ComponentRole::kOriginal) continue;
      e.originals.push_back({c.id, c.name, c.media_type, c.size, c.sha256.ToHex()});
      out.total_originals++;
      out.total_bytes += c.size;
    }
    out.total_pages += e.pages;
    if (out.sender_organ_name.empty() && !d->organ_name.empty() &&
        (out.sender_organ_id.empty() || d->organ_id == out.sender_organ_id)) {
      out.sender_organ_name = d->organ_name;
      if (out.sender_organ_id.empty()) out.sender_organ_id = d->organ_id;
    }
    out.documents.push_back(std::move(e));
  }
  for (ReceiptRecordFile& f : out.record_files) f.pages = std::max(f.pages, pages_in[f.file_code]);
  if (!out.sender_organ_id.empty()) {
    if (auto a = r.GetAgency(out.sender_organ_id); a.ok() && !a->name.empty()) out.sender_organ_name = a->name;
  }
  return out;
}

std::string ReceiptJson(const TransferReceipt& rc, bool list_only) {
  Json j;
  j["format"] = "kholuu.receipt/1";
  j["kind"] = list_only ? "file_list" : std::string(ReceiptKindName(rc.kind));
  j["number"] = rc.number;
  j["job"] = rc.job;
  j["package"] = rc.package;
  j["package_kind"] = rc.package_kind;
  j["state"] = rc.state;
  j["received"] = Time(rc.received_micros);
  j["finished"] = Time(rc.finished_micros);
  j["issued"] = Time(rc.issued_micros);
  if (!list_only) {
    j["submitted_by"] = rc.submitted_by;
    j["sender"] = {{"organ_id", rc.sender_organ_id}, {"organ_name", rc.sender_organ_name}};
    j["receiver"] = {{"organ_id", rc.receiver_organ_id}, {"organ_name", rc.receiver_organ_name}};
  }
  Json files = Json::array();
  for (const ReceiptRecordFile& f : rc.record_files) {
    files.push_back({{"file_code", f.file_code},
                     {"title", f.title},
                     {"maintenance", f.maintenance},
                     {"start_date", f.start_date},
                     {"end_date", f.end_date},
                     {"documents", f.documents},
                     {"pages", f.pages},
                     {"number_of_paper", f.number_of_paper},
                     {"creator", f.creator},
                     {"language", f.language}});
  }
  j["record_files"] = files;
  Json docs = Json::array();
  for (const ReceiptListEntry& e : rc.documents) {
    Json originals = Json::array();
    for (const ReceiptOriginal& o : e.originals) {
      originals.push_back({{"component", o.component},
                           {"name", o.name},
                           {"media_type", o.media_type},
                           {"size", o.size},
                           {"sha256", o.sha256}});
    }
    docs.push_back({{"ordinal", e.ordinal},
                    {"id", e.id},
                    {"file_code", e.file_code},
                    {"type_name", e.type_name},
                    {"code_number", e.code_number},
                    {"code_notation", e.code_notation},
                    {"code", e.code},
                    {"issued_date", e.issued_date},
                    {"organ_id", e.organ_id},
                    {"organ_name", e.organ_name},
                    {"subject", e.subject},
                    {"pages", e.pages},
                    {"maintenance", e.maintenance},
                    {"preservation_risk", e.preservation_risk},
                    {"originals", originals}});
  }
  j["documents"] = docs;
  j["totals"] = {{"record_files", rc.record_files.size()},
                 {"documents", rc.documents.size()},
                 {"pages", rc.total_pages},
                 {"originals", rc.total_originals},
                 {"bytes", rc.total_bytes}};
  if (!list_only) {
    Json problems = Json::array();
    for (const model::JobProblem& p : rc.problems) {
      problems.push_back({{"code", p.code},
                          {"severity", p.error ? "error" : "warning"},
                          {"message_vi", p.message_vi},
                          {"message", p.message},
                          {"path", p.path}});
    }
    j["problems"] = problems;
    j["detail"] = rc.detail;
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

namespace {

using Block = pdf::DocBlock;
using Align = pdf::DocBlock::Align;

void Header(std::vector<Block>* b, const TransferReceipt& rc) {
  // The head of an NĐ 30 document: the issuing body and the number, then the
  // national motto (stacked here rather than side by side).
  b->push_back(Block::Text(rc.receiver_organ_name.empty() ? "KHO LƯU TRỮ" : rc.receiver_organ_name, 11, true));
  b->push_back(Block::Text("Số: " + rc.number, 10));
  b->push_back(Block::Text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, true, Align::kCenter));
  b->push_back(Block::Text("Độc lập - Tự do - Hạnh phúc", 12, true, Align::kCenter));
  std::tm tm = VnTime(rc.issued_micros);
  char date[64];
  std::strftime(date, sizeof date, "ngày %d tháng %m năm %Y", &tm);
  b->push_back(Block::Text(std::string("Lập ") + date, 10, false, Align::kRight));
  b->push_back(Block::Space(10));
}

void KeyValues(std::vector<Block>* b, const std::vector<std::pair<std::string, std::string>>& kv) {
  pdf::DocTable t;
  t.widths = {3, 7};
  t.font_size = 10;
  for (const auto& [k, v] : kv) t.rows.push_back({k, v});
  b->push_back(Block::Table(t));
  b->push_back(Block::Space(8));
}

void FileList(std::vector<Block>* b, const TransferReceipt& rc) {
  b->push_back(Block::Heading("MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU", 13));
  b->push_back(Block::Text("(File list — gói " + rc.package + ")", 9, false, Align::kCenter));
  b->push_back(Block::Space(6));
  pdf::DocTable files;
  files.widths = {0.6, 3.3, 3.4, 1.9, 1.3, 0.8, 0.8};
  files.font_size = 8.5;
  files.header = {"Số TT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Thời gian", "Thời hạn bảo quản", "Số văn bản", "Số trang"};
  int n = 0;
  for (const ReceiptRecordFile& f : rc.record_files) {
    std::string span = ViDate(f.start_date);
    if (!f.end_date.empty()) span += (span.empty() ? "" : " – ") + ViDate(f.end_date);
    files.rows.push_back({std::to_string(++n), f.file_code, f.title, span, f.maintenance, std::to_string(f.documents),
                          std::to_string(f.pages)});
  }
  if (files.rows.empty()) files.rows.push_back({"", "(không thuộc hồ sơ nào)", "", "", "", "", ""});
  b->push_back(Block::Table(files));
  b->push_back(Block::Space(10));

  b->push_back(Block::Heading("MỤC LỤC VĂN BẢN"));
  b->push_back(Block::Space(4));
  pdf::DocTable docs;
  docs.widths = {0.6, 2.0, 1.7, 2.0, 3.4, 0.8, 1.3, 1.1};
  docs.font_size = 8.5;
  docs.header = {"Số TT", "Số, ký hiệu", "Ngày tháng", "Tác giả", "Trích yếu nội dung", "Số trang",
                 "Thời hạn bảo quản", "Ghi chú"};
  for (const ReceiptListEntry& e : rc.documents) {
    std::string note = e.type_name;
    if (!e.preservation_risk.empty()) note += (note.empty() ? "" : "; ") + std::string("có rủi ro bảo quản");
    docs.rows.push_back({std::to_string(e.ordinal), e.code.empty() ? "(không số)" : e.code, ViDate(e.issued_date),
                         e.organ_name, e.subject, e.pages > 0 ? std::to_string(e.pages) : "", e.maintenance, note});
  }
  b->push_back(Block::Table(docs));
  b->push_back(Block::Space(10));

  b->push_back(Block::Heading("TỆP GỐC VÀ MÃ KIỂM TRA SHA-256"));
  b->push_back(Block::Space(4));
  pdf::DocTable orig;
  orig.widths = {0.6, 3.0, 5.4, 1.4};
  orig.font_size = 8;
  orig.header = {"Số TT", "Tên tệp gốc", "SHA-256", "Dung lượng"};
  for (const ReceiptListEntry& e : rc.documents) {
    for (const ReceiptOriginal& o : e.originals) {
      orig.rows.push_back({std::to_string(e.ordinal), o.name, o.sha256, Size(o.size)});
    }
  }
  b->push_back(Block::Table(orig));
  b->push_back(Block::Space(6));
  b->push_back(Block::Text("Tổng cộng: " + std::to_string(rc.record_files.size()) + " hồ sơ, " +
                               std::to_string(rc.documents.size()) + " văn bản, " + std::to_string(rc.total_pages) +
                               " trang, " + std::to_string(rc.total_originals) + " tệp gốc (" +
                               Size(rc.total_bytes) + ").",
                           10));
}

void Problems(std::vector<Block>* b, const std::vector<model::JobProblem>& problems, bool errors) {
  pdf::DocTable t;
  t.widths = {0.6, 2.4, 4.4, 2.4};
  t.font_size = 8.5;
  t.header = {"Số TT", "Mã lỗi", "Nội dung (tiếng Việt / English)", "Vị trí"};
  int n = 0;
  for (const model::JobProblem& p : problems) {
    if (p.error != errors) continue;
    t.rows.push_back({std::to_string(++n), p.code, p.message_vi + "\n" + p.message, p.path.empty() ? "(cả gói)" : p.path});
  }
  if (n > 0) b->push_back(Block::Table(t));
}

pdf::DocContent TransferDocument(const TransferReceipt& rc) {
  pdf::DocContent c;
  c.title = "Biên bản giao nhận hồ sơ, tài liệu " + rc.number;
  c.author = rc.receiver_organ_name;
  c.subject = "Transfer receipt for package " + rc.package + " (job " + rc.job + ")";
  c.footer = "Biên bản " + rc.number + " · kholuu";
  std::vector<Block>& b = c.blocks;
  Header(&b, rc);
  b.push_back(Block::Text("BIÊN BẢN", 14, true, Align::kCenter));
  b.push_back(Block::Text("Về việc giao nhận hồ sơ, tài liệu nộp lưu", 12, true, Align::kCenter));
  b.push_back(Block::Text("(Transfer receipt)", 9, false, Align::kCenter));
  b.push_back(Block::Space(8));
  b.push_back(Block::Text("Căn cứ Luật Lưu trữ số 33/2024/QH15; căn cứ Nghị định số 30/2020/NĐ-CP về công tác văn thư "
                          "(Điều 30: giao nộp hồ sơ, tài liệu vào lưu trữ kèm Mục lục hồ sơ và Biên bản giao nhận).",
                          10));
  b.push_back(Block::Space(4));
  b.push_back(Block::Text("Hồ sơ, tài liệu điện tử được giao nộp qua hệ thống và đã được tiếp nhận lúc " +
                              ViDateTime(rc.finished_micros) + ". Hai bên thống nhất lập biên bản giao nhận với các "
                              "nội dung sau:",
                          10));
  b.push_back(Block::Space(6));
  std::string sender = rc.sender_organ_name;
  if (!rc.sender_organ_id.empty()) sender += (sender.empty() ? "" : " ") + std::string("(mã định danh ") + rc.sender_organ_id + ")";
  KeyValues(&b, {
                    {"Bên giao nộp", sender.empty() ? "(không rõ)" : sender},
                    {"Bên nhận", rc.receiver_organ_name + " (" + rc.receiver_organ_id + ")"},
                    {"Gói tài liệu", rc.package + " (" + rc.package_kind + ")"},
                    {"Mã gói (SHA-256)", rc.job},
                    {"Người gửi", rc.submitted_by},
                    {"Thời điểm nhận", ViDateTime(rc.received_micros)},
                    {"Thời điểm tiếp nhận xong", ViDateTime(rc.finished_micros)},
                    {"Số lượng", std::to_string(rc.record_files.size()) + " hồ sơ, " +
                                     std::to_string(rc.documents.size()) + " văn bản, " +
                                     std::to_string(rc.total_pages) + " trang, " +
                                     std::to_string(rc.total_originals) + " tệp gốc (" + Size(rc.total_bytes) + ")"},
                    {"Công cụ tra cứu kèm theo", "Mục lục hồ sơ, tài liệu nộp lưu (dưới đây)"},
                });
  size_t warnings = 0;
  for (const model::JobProblem& p : rc.problems) warnings += p.error ? 0 : 1;
  if (warnings > 0) {
    b.push_back(Block::Text("Tình trạng tài liệu: tiếp nhận kèm " + std::to_string(warnings) +
                                " lưu ý (Accepted with warnings):",
                            10, true));
    b.push_back(Block::Space(3));
    Problems(&b, rc.problems, false);
    b.push_back(Block::Space(8));
  } else {
    b.push_back(Block::Text("Tình trạng tài liệu: đầy đủ, không có lưu ý.", 10));
    b.push_back(Block::Space(8));
  }
  b.push_back(Block::Text("Biên bản được lập bằng phương tiện điện tử, có giá trị như bản giấy khi được ký số bằng khóa "
                          "niêm phong của kho lưu trữ.",
                          9));
  b.push_back(Block::Space(14));
  FileList(&b, rc);
  return c;
}

pdf::DocContent ListDocument(const TransferReceipt& rc) {
  pdf::DocContent c;
  c.title = "Mục lục hồ sơ, tài liệu nộp lưu " + rc.number;
  c.author = rc.receiver_organ_name;
  c.subject = "File list for package " + rc.package + " (job " + rc.job + ")";
  c.footer = "Mục lục " + rc.number + " · kholuu";
  Header(&c.blocks, rc);
  FileList(&c.blocks, rc);
  return c;
}

pdf::DocContent RefusalDocument(const TransferReceipt& rc) {
  pdf::DocContent c;
  c.title = "Thông báo từ chối tiếp nhận " + rc.number;
  c.author = rc.receiver_organ_name;
  c.subject = "Refusal notice for package " + rc.package + " (job " + rc.job + ")";
  c.footer = "Thông báo " + rc.number + " · kholuu";
  std::vector<Block>& b = c.blocks;
  Header(&b, rc);
  b.push_back(Block::Text("THÔNG BÁO", 14, true, Align::kCenter));
  b.push_back(Block::Text("Về việc từ chối tiếp nhận hồ sơ, tài liệu", 12, true, Align::kCenter));
  b.push_back(Block::Text("(Refusal notice)", 9, false, Align::kCenter));
  b.push_back(Block::Space(8));
  size_t errors = 0;
  for (const model::JobProblem& p : rc.problems) errors += p.error ? 1 : 0;
  KeyValues(&b, {
                    {"Gói tài liệu", rc.package + (rc.package_kind.empty() ? "" : " (" + rc.package_kind + ")")},
                    {"Mã gói (SHA-256)", rc.job},
                    {"Người gửi", rc.submitted_by},
                    {"Thời điểm nhận", ViDateTime(rc.received_micros)},
                    {"Thời điểm từ chối", ViDateTime(rc.finished_micros)},
                    {"Kết quả", "Từ chối tiếp nhận toàn bộ gói (" + std::to_string(errors) +
                                    " lỗi). Không văn bản nào của gói được lưu."},
                });
  b.push_back(Block::Text("Các lỗi (errors):", 10, true));
  b.push_back(Block::Space(3));
  Problems(&b, rc.problems, true);
  b.push_back(Block::Space(8));
  if (errors != rc.problems.size()) {
    b.push_back(Block::Text("Các lưu ý (warnings):", 10, true));
    b.push_back(Block::Space(3));
    Problems(&b, rc.problems, false);
    b.push_back(Block::Space(8));
  }
  b.push_back(Block::Text("Đề nghị cơ quan, tổ chức khắc phục các lỗi trên và giao nộp lại gói tài liệu. "
                          "(Please correct the errors above and submit the package again.)",
                          10));
  return c;
}

}  // namespace

Result<ReceiptPdf> RenderReceiptPdf(const DataDir& data, const TransferReceipt& rc, const ReceiptPdfOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  pdf::DocContent content;
  switch (rc.kind) {
    case ReceiptKind::kNone:
      return FailedPreconditionError("job " + rc.job + " is " + rc.state +
                                     ": an interrupted package has no receipt (submit it again)");
    case ReceiptKind::kRefusal:
      if (options.list_only) return FailedPreconditionError("a refused package has no file list");
      content = RefusalDocument(rc);
      break;
    case ReceiptKind::kTransfer:
      content = options.list_only ? ListDocument(rc) : TransferDocument(rc);
      break;
  }
  pdf::DocWriteOptions wo;
  wo.now = options.now != 0 ? options.now : rc.issued_micros / 1000000;
  wo.regular_font = options.regular_font;
  wo.bold_font = options.bold_font;
  ReceiptPdf out;
  KHOLUU_ASSIGN_OR_RETURN(out.pdf, pdf::WriteDocumentPdfA2b(content, wo));
  if (options.seal) {
    auto key = LoadSealKey(data);
    if (!key.ok() && key.status().code() != StatusCode::kNotFound) return key.status();
    if (key.ok()) {
      const std::string reason = rc.kind == ReceiptKind::kRefusal ? "Thông báo từ chối tiếp nhận " + rc.number
                                                                   : "Biên bản giao nhận " + rc.number;
      KHOLUU_ASSIGN_OR_RETURN(Sealed sealed, SealWithArchiveKey(data, out.pdf, reason, rc.receiver_organ_name));
      pdf::PdfaReport v;
      KHOLUU_ASSIGN_OR_RETURN(v, pdf::ValidatePdfa(sealed.pdf, pdf::PdfaProfile::k2b));
      if (!v.compliant) {
        return FailedPreconditionError("the sealed receipt does not validate as PDF/A-2b: " + v.violations.front().clause +
                                       " " + v.violations.front().message);
      }
      formats::pdfsig::VerifyOptions vo;
      KHOLUU_ASSIGN_OR_RETURN(formats::pdfsig::PdfReport r, formats::pdfsig::VerifyPdfSignatures(sealed.pdf, vo));
      if (r.signatures.empty() || r.signatures.back().integrity != formats::x509::Integrity::kValid ||
          !r.signatures.back().covers_whole_document) {
        return InternalError("the receipt's seal does not verify");
      }
      out.pdf = std::move(sealed.pdf);
      out.sealed = true;
      out.timestamped = sealed.timestamped;
    }
  }
  KHOLUU_ASSIGN_OR_RETURN(pdf::PdfaReport final_report, pdf::ValidatePdfa(out.pdf, pdf::PdfaProfile::k2b));
  out.pages = final_report.pages;
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace kholuu::ingest
