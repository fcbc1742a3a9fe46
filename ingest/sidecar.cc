// Loose files with JSON metadata sidecars: docs/formats/sidecar.md.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/base/file.h"
#include "formats/common/text.h"
#include "ingest/internal/intake_internal.h"

namespace kholuu::ingest::internal {
namespace {

using Json = nlohmann::json;

constexpr int kMaxJsonDepth = 32;

// Nesting depth of a JSON text, counted outside strings; nlohmann's parser
// recurses, so depth is capped before it runs.
int JsonDepth(std::string_view s) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

// Reads one object's fields, reporting unknown and mistyped ones.
class Fields {
 public:
  Fields(Context& ctx, const Json& obj, std::string where, std::string path)
      : ctx_(ctx), obj_(obj), where_(std::move(where)), path_(std::move(path)) {}

  // Text: a string, or a number written as text.
  std::string Text(const std::string& key) {
    const Json* v = Get(key);
    if (v == nullptr || v->is_null()) return "";
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number_integer()) return std::to_string(v->get<int64_t>());
    Bad(key, "expected text");
    return "";
  }
  std::string Date(const std::string& key) {
    const std::string raw = Text(key);
    const std::string d = NormaliseDate(raw);
    return d.empty() ? raw : d;  // not a date: Validate says so
  }
  int64_t Int(const std::string& key) {
    const Json* v = Get(key);
    if (v == nullptr || v->is_null()) return 0;
    if (v->is_number_integer()) return v->get<int64_t>();
    if (v->is_string()) {
      const std::string s = std::string(formats::Trim(v->get<std::string>()));
      if (s.empty()) return 0;
      if (s.size() <= 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::stoll(s);
      }
    }
    Bad(key, "expected a whole number");
    return 0;
  }
  int32_t Int32(const std::string& key) {
    const int64_t v = Int(key);
    if (v < INT32_MIN || v > INT32_MAX) {
      Bad(key, "out of range");
      return 0;
    }
    return static_cast<int32_t>(v);
  }
  // A code from a short list: the number (1, "01") or one of the folded names.
  int32_t Code(const std::string& key, const std::vector<std::vector<std::string>>& names, int32_t absent) {
    const Json* v = Get(key);
    if (v == nullptr || v->is_null()) return absent;
    if (v->is_number_integer()) {
      const int64_t n = v->get<int64_t>();
      if (n >= 1 && n <= static_cast<int64_t>(names.size())) return static_cast<int32_t>(n);
    } else if (v->is_string()) {
      const std::string s = v->get<std::string>();
      const std::string f = formats::FoldKey(s);
      for (size_t i = 0; i < names.size(); ++i) {
        const std::string num = std::to_string(i + 1);
        if (s == num || s == "0" + num) return static_cast<int32_t>(i + 1);
        for (const std::string& n : names[i]) {
          if (f == n) return static_cast<int32_t>(i + 1);
        }
      }
    }
    Bad(key, "not a known value: " + v->dump());
    return absent;
  }
  const Json* Object(const std::string& key) {
    const Json* v = Get(key);
    if (v == nullptr || v->is_null()) return nullptr;
    if (!v->is_object()) {
      Bad(key, "expected an object");
      return nullptr;
    }
    return v;
  }
  const Json* Array(const std::string& key) {
    const Json* v = Get(key);
    if (v == nullptr || v->is_null()) return nullptr;
    if (!v->is_array()) {
      Bad(key, "expected a list");
      return nullptr;
    }
    return v;
  }
  // Reports every key not read; call last.
  void Done() {
    for (auto it = obj_.begin(); it != obj_.end(); ++it) {
      if (!read_.count(it.key())) ctx_.Add("metadata.unknown_field", where_ + it.key(), path_);
    }
  }

 private:
  const Json* Get(const std::string& key) {
    read_.insert(key);
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  void Bad(const std::string& key, const std::string& why) {
    ctx_.Add("metadata.invalid", where_ + key + ": " + why, path_);
  }

  Context& ctx_;
  const Json& obj_;
  std::string where_;
  std::string path_;
  std::set<std::string> read_;
};

const std::vector<std::vector<std::string>> kAccessNames = {
    {"cong khai", "public"}, {"su dung co dieu kien", "conditional"}, {"mat", "secret"}};
const std::vector<std::vector<std::string>> kConfidenceNames = {
    {"goc dien tu", "born digital"}, {"so hoa", "digitised", "digitized"}, {"hon hop", "mixed"}};
const std::vector<std::vector<std::string>> kDirectionNames = {
    {"outgoing", "di", "van ban di"}, {"incoming", "den", "van ban den"}, {"internal", "noi bo"}};

model::RecordFile ReadRecordFile(Context& ctx, const Json& obj, const std::string& path) {
  Fields f(ctx, obj, "record_file.", path);
  model::RecordFile rf;
  const std::string code = f.Text("file_code");
  if (!code.empty()) {
    auto parsed = model::FileCode::Parse(code);
    if (parsed.ok()) {
      rf.file_code = *parsed;
    } else {
      ctx.Add("metadata.invalid", "record_file.file_code: " + parsed.status().message(), path);
    }
  }
  const std::string organ = f.Text("organ_id");
  if (!organ.empty()) rf.file_code.organ_id = organ;
  if (rf.file_code.organ_id.empty()) rf.file_code.organ_id = ctx.options->organ_id;
  const int32_t year = f.Int32("file_catalog");
  if (year != 0) rf.file_code.file_catalog = year;
  const std::string notation = f.Text("file_notation");
  if (!notation.empty()) rf.file_code.file_notation = notation;
  rf.title = f.Text("title");
  const Json* m = obj.contains("maintenance") ? &obj["maintenance"] : nullptr;
  if (m != nullptr && m->is_number_integer()) {
    rf.maintenance = std::to_string(m->get<int64_t>()) + " năm";
    (void)f.Int("maintenance");
  } else {
    rf.maintenance = f.Text("maintenance");
  }
  rf.rights = static_cast<model::AccessLevel>(f.Code("rights", kAccessNames, 1));
  rf.creator = f.Text("creator");
  rf.language = f.Text("language");
  rf.start_date = f.Date("start_date");
  rf.end_date = f.Date("end_date");
  rf.doc_total = f.Int32("doc_total");
  rf.page_total = f.Int32("page_total");
  rf.description = f.Text("description");
  rf.keywords = f.Text("keywords");
  rf.number_of_paper = f.Int32("number_of_paper");
  rf.physical_state = f.Text("physical_state");
  rf.infor_sign = f.Text("infor_sign");
  rf.confidence = static_cast<model::Confidence>(f.Code("confidence", kConfidenceNames, 0));
  rf.paper_file_code = f.Text("paper_file_code");
  rf.fonds_code = f.Text("fonds_code");
  f.Done();
  return rf;
}

struct FileFacts {
  std::string sha256;
  int64_t size = -1;
  std::string media_type;
};

model::Document ReadDocument(Context& ctx, const Json& obj, const std::string& path,
                             std::map<std::string, std::string>* extra, FileFacts* facts) {
  Fields f(ctx, obj, "document.", path);
  model::Document d;
  d.id = f.Text("id");
  d.doc_ordinal = f.Int32("doc_ordinal");
  d.direction = static_cast<model::Direction>(f.Code("direction", kDirectionNames, 1));
  d.type_name = f.Text("type_name");
  d.code_number = f.Text("code_number");
  d.code_notation = f.Text("code_notation");
  d.issued_date = f.Date("issued_date");
  d.organ_id = f.Text("organ_id");
  d.organ_name = f.Text("organ_name");
  d.subject = f.Text("subject");
  d.language = f.Text("language");
  d.page_amount = f.Int32("page_amount");
  d.description = f.Text("description");
  if (const Json* signers = f.Array("signers")) {
    for (size_t i = 0; i < signers->size(); ++i) {
      const Json& s = (*signers)[i];
      if (!s.is_object()) {
        ctx.Add("metadata.invalid", "document.signers[" + std::to_string(i) + "]: expected an object", path);
        continue;
      }
      Fields sf(ctx, s, "document.signers[" + std::to_string(i) + "].", path);
      d.signers.push_back({sf.Text("position"), sf.Text("full_name")});
      sf.Done();
    }
  }
  if (const Json* to = f.Array("to")) {
    for (size_t i = 0; i < to->size(); ++i) {
      const Json& r = (*to)[i];
      if (!r.is_object()) {
        ctx.Add("metadata.invalid", "document.to[" + std::to_string(i) + "]: expected an object", path);
        continue;
      }
      Fields rf(ctx, r, "document.to[" + std::to_string(i) + "].", path);
      d.to.push_back({rf.Text("organ_id"), rf.Text("organ_name")});
      rf.Done();
    }
  }
  d.priority = f.Int32("priority");
  d.issued_amount = f.Int32("issued_amount");
  d.due_date = f.Date("due_date");
  d.arrival_date = f.Date("arrival_date");
  d.arrival_number = f.Int("arrival_number");
  d.to_places = f.Text("to_places");
  d.edxml_document_id = f.Text("edxml_document_id");
  d.access = static_cast<model::AccessLevel>(f.Code("access", kAccessNames, 1));
  if (const Json* file = f.Object("file")) {
    Fields ff(ctx, *file, "document.file.", path);
    facts->sha256 = ff.Text("sha256");
    const Json* size = file->contains("size") ? &(*file)["size"] : nullptr;
    if (size != nullptr && !size->is_null()) facts->size = ff.Int("size");
    facts->media_type = ff.Text("media_type");
    ff.Done();
  }
  if (const Json* x = f.Object("extra")) {
    for (auto it = x->begin(); it != x->end(); ++it) {
      if (it->is_string()) {
        (*extra)[it.key()] = it->get<std::string>();
      } else {
        (*extra)[it.key()] = it->dump();
      }
    }
  }
  f.Done();
  return d;
}

// Parses a sidecar; nullopt (with a problem) when it is not usable.
std::optional<Json> ParseSidecar(Context& ctx, const std::string& abs, const std::string& shown) {
  auto text = ReadFileToString(abs, ctx.options->max_metadata_bytes);
  if (!text.ok()) {
    ctx.Add(text.status().code() == StatusCode::kResourceExhausted ? "package.too_large" : "metadata.unusable",
            text.status().message(), shown);
    return std::nullopt;
  }
  if (JsonDepth(*text) > kMaxJsonDepth) {
    ctx.Add("metadata.unusable", "nested deeper than " + std::to_string(kMaxJsonDepth), shown);
    return std::nullopt;
  }
  Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    ctx.Add("metadata.unusable", "not valid JSON", shown);
    return std::nullopt;
  }
  if (!j.is_object()) {
    ctx.Add("metadata.unusable", "not a JSON object", shown);
    return std::nullopt;
  }
  return j;
}

}  // namespace

Status ReadSidecarPackage(Context& ctx, const std::string& root, const std::vector<StagedFile>& files,
                          const std::string& shown_prefix) {
  Intake& in = *ctx.intake;
  auto shown = [&](const std::string& abs) {
    const std::string& sr = in.staged_root;
    return abs.size() > sr.size() && abs.compare(0, sr.size(), sr) == 0 ? abs.substr(sr.size() + 1) : abs;
  };
  (void)shown_prefix;
  std::set<std::string> present;
  for (const StagedFile& f : files) present.insert(f.abs);

  std::optional<model::RecordFile> record;
  std::string record_path;
  auto take_record = [&](const Json& obj, const std::string& path) {
    model::RecordFile rf = ReadRecordFile(ctx, obj, path);
    if (!record) {
      record = rf;
      record_path = path;
    } else if (!(*record == rf)) {
      ctx.Add("metadata.inconsistent", "record_file differs from the one in " + record_path, path);
    }
  };

  const std::string rf_path = JoinPath(root, std::string(kRecordFileSidecar));
  if (present.count(rf_path)) {
    if (auto j = ParseSidecar(ctx, rf_path, shown(rf_path))) {
      Fields top(ctx, *j, "", shown(rf_path));
      if (const Json* r = top.Object("record_file")) take_record(*r, shown(rf_path));
      top.Done();
    }
  }

  std::set<std::string> used = {rf_path};
  std::vector<IntakeDocument> docs;
  for (const StagedFile& sf : files) {
    const std::string name = sf.abs.substr(sf.abs.rfind('/') + 1);
    if (name == kRecordFileSidecar || !IsSidecarName(name)) continue;
    const std::string main = sf.abs.substr(0, sf.abs.size() - 5);
    auto j = ParseSidecar(ctx, sf.abs, shown(sf.abs));
    used.insert(sf.abs);
    if (!j) continue;
    if (!present.count(main)) {
      if (j->contains("document")) ctx.Add("file.missing", "described by " + shown(sf.abs), shown(main));
      continue;
    }
    used.insert(main);
    Fields top(ctx, *j, "", shown(sf.abs));
    if (const Json* r = top.Object("record_file")) take_record(*r, shown(sf.abs));
    IntakeDocument d;
    d.metadata_path = shown(sf.abs);
    FileFacts facts;
    if (const Json* doc = top.Object("document")) {
      d.document = ReadDocument(ctx, *doc, d.metadata_path, &d.extra, &facts);
    } else {
      ctx.Add("metadata.missing", "no \"document\" object", d.metadata_path);
    }
    top.Done();
    IntakeFile f;
    f.staged_path = main;
    f.package_path = shown(main);
    f.name = main.substr(main.rfind('/') + 1);
    f.declared_media_type = facts.media_type;
    const StagedFile* staged = nullptr;
    for (const StagedFile& cand : files) {
      if (cand.abs == main) staged = &cand;
    }
    if (staged != nullptr && !facts.sha256.empty()) {
      auto want = Sha256::FromHex(facts.sha256);
      if (!want.ok()) {
        ctx.Add("metadata.invalid", "document.file.sha256: not 64 hex digits", d.metadata_path);
      } else if (!(*want == staged->sha256)) {
        ctx.Add("file.checksum_mismatch", "SHA-256 differs from " + d.metadata_path, f.package_path);
      }
    }
    if (staged != nullptr && facts.size >= 0 && static_cast<uint64_t>(facts.size) != staged->size) {
      ctx.Add("file.size_mismatch",
              std::to_string(staged->size) + " bytes, " + d.metadata_path + " says " + std::to_string(facts.size),
              f.package_path);
    }
    d.files.push_back(std::move(f));
    docs.push_back(std::move(d));
  }
  if (record) {
    IntakeRecordFile rf;
    rf.record_file = *record;
    rf.metadata_path = record_path;
    in.record_files.push_back(std::move(rf));
  }
  for (IntakeDocument& d : docs) {
    if (record) {
      d.record_file = 0;
      d.document.file_code = record->file_code;
    }
    in.documents.push_back(std::move(d));
  }
  for (const StagedFile& f : files) {
    if (!used.count(f.abs)) ctx.Add("file.unlisted", "no sidecar describes it", shown(f.abs));
  }
  return Status::Ok();
}

}  // namespace kholuu::ingest::internal
