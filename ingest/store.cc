#include "ingest/store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "archive/base/clock.h"
#include "archive/base/file.h"
#include "archive/model/ids.h"
#include "ingest/internal/retention_at_ingest.h"

namespace kholuu::ingest {
namespace {

// By extension. TODO(issue 17): by content, once ingest/identify.h lands.
std::string GuessMediaType(const std::string& name) {
  size_t dot = name.rfind('.');
  std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
  for (char& ch : ext) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  if (ext == "pdf") return "application/pdf";
  if (ext == "txt") return "text/plain";
  if (ext == "xml") return "application/xml";
  if (ext == "docx") return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (ext == "doc") return "application/msword";
  if (ext == "tif" || ext == "tiff") return "image/tiff";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  return "application/octet-stream";
}

}  // namespace

Result<StoreResult> StoreOriginal(archive::Archive& a, const std::string& actor, const StoreRequest& req) {
  std::string name = req.name;
  if (name.empty()) {
    name = req.file;
    if (size_t slash = name.rfind('/'); slash != std::string::npos) name = name.substr(slash + 1);
  }
  std::string media_type = req.media_type;
  if (media_type.empty()) media_type = GuessMediaType(name);
  // Bounded input: a regular file, at most max_bytes, and checked again
  // while it is read (it may grow, or be a file system that lies about size).
  struct stat st {};
  if (::stat(req.file.c_str(), &st) != 0) {
    return InvalidArgumentError("cannot read " + req.file + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgumentError(req.file + " is not a regular file (a directory, device or pipe cannot be stored)");
  }
  if (static_cast<uint64_t>(st.st_size) > req.max_bytes) {
    return InvalidArgumentError(req.file + " is " + std::to_string(st.st_size) + " bytes, larger than the limit of " +
                                std::to_string(req.max_bytes) + " bytes");
  }
  auto opened = FileSource::Open(req.file);
  if (!opened.ok()) return InvalidArgumentError(opened.status().message());
  LimitedSource bounded(*opened, req.max_bytes, req.file);
  auto info = a.blobs().Put(bounded);
  if (!info.ok()) {
    Status s = info.status();
    if (s.code() == StatusCode::kNotFound) s = InvalidArgumentError(s.message());
    return s;
  }
  StoreResult out;
  out.record_file = req.file_code.ToString();
  out.sha256 = info->sha256;
  out.size = info->size;
  out.media_type = media_type;
  KHOLUU_RETURN_IF_ERROR(a.catalog().Update(actor, [&](archive::WriteTxn& w) -> Status {
    int64_t now = SystemClock()->NowMicros();
    auto rf = w.GetRecordFile(out.record_file);
    model::RecordFile file;
    if (rf.ok()) {
      file = *rf;
    } else if (rf.status().code() == StatusCode::kNotFound) {
      file.file_code = req.file_code;
      file.title = req.title.empty() ? req.document.subject : req.title;
      file.maintenance = "Vĩnh viễn";
      file.language = "Tiếng Việt";
      file.created_micros = now;
    } else {
      return rf.status();
    }
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> docs, w.DocumentsInFile(out.record_file));
    file.doc_total = static_cast<int32_t>(docs.size() + 1);
    KHOLUU_RETURN_IF_ERROR(w.PutRecordFile(file));
    if (!rf.ok()) KHOLUU_RETURN_IF_ERROR(internal::AssignRetentionAtIngest(w, file, now, actor));
    model::Document d = req.document;
    d.file_code = req.file_code;
    d.doc_ordinal = static_cast<int32_t>(docs.size() + 1);
    d.id = model::MakeDocumentId(req.file_code, d.doc_ordinal);
    if (d.organ_id.empty()) d.organ_id = req.file_code.organ_id;
    if (d.language.empty()) d.language = "Tiếng Việt";
    d.created_micros = now;
    KHOLUU_RETURN_IF_ERROR(w.PutDocument(d));
    model::Component comp;
    comp.id = model::MakeComponentId(d.id, 1);
    comp.document_id = d.id;
    comp.role = model::ComponentRole::kOriginal;
    comp.name = name;
    comp.sha256 = info->sha256;
    comp.size = info->size;
    comp.media_type = media_type;
    comp.created_micros = now;
    KHOLUU_RETURN_IF_ERROR(w.PutComponent(comp));
    model::Event e;
    e.type = model::EventType::kIngestion;
    e.object_id = d.id;
    e.detail = "stored original " + name + " sha256 " + info->sha256.ToHex();
    KHOLUU_RETURN_IF_ERROR(w.AddEvent(e).status());
    out.document_id = d.id;
    out.component_id = comp.id;
    return Status::Ok();
  }));
  return out;
}

}  // namespace kholuu::ingest
