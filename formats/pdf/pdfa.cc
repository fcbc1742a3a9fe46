// PDF/A validation. PoDoFo is used only in this file; every PoDoFo call runs
// inside one try block that turns PdfError (which is not a std::exception)
// and std::exception into a report or a Status.
#include "formats/pdf/pdfa.h"

#include <podofo/podofo.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_set>

#include "archive/base/file.h"
#include "formats/common/pdf_lexical.h"
#include "formats/pdf/content.h"
#include "formats/pdf/font_program.h"
#include "formats/pdf/internal/podofo_support.h"
#include "formats/pdf/raw_checks.h"
#include "formats/pdf/xmp.h"

namespace kholuu::formats::pdf {
namespace {

using PoDoFo::PdfArray;
using PoDoFo::PdfDictionary;
using PoDoFo::PdfError;
using PoDoFo::PdfName;
using PoDoFo::PdfObject;
using PoDoFo::PdfReference;

using internal::CappedOutput;

void InitPodofo(const PdfaLimits& limits) { internal::InitPodofo(limits.max_objects); }

using internal::HasEncryptEntry;

bool IsStr(const PdfObject* o) { return o != nullptr && (o->IsString() || o->IsHexString()); }

bool IsUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 99;
    if (n == 99 || i + n >= s.size() + (n == 0 ? 1 : 0)) {
      if (n != 0) return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += n + 1;
  }
  return true;
}

// Inflates zlib data into *out, at most `cap` bytes; false on bad or
// oversized data. The z_stream is released on every path.
bool InflateCapped(std::string_view in, size_t cap, std::string* out) {
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return false;
  struct End {
    z_stream* z;
    ~End() { inflateEnd(z); }
  } end{&zs};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<size_t>(in.size(), UINT32_MAX));
  char buf[1 << 14];
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const size_t got = sizeof buf - zs.avail_out;
    if (out->size() + got > cap) return false;
    out->append(buf, got);
    if (rc == Z_STREAM_END) return true;
    if (rc != Z_OK && !(rc == Z_BUF_ERROR && got > 0)) return false;
  }
}

std::string RefString(const PdfObject* o) {
  if (o == nullptr) return {};
  const PdfReference& r = o->Reference();
  if (r.ObjectNumber() == 0) return {};
  return std::to_string(r.ObjectNumber()) + " " + std::to_string(r.GenerationNumber()) + " R";
}

std::string NameOf(const PdfObject* o) {
  return (o != nullptr && o->IsName()) ? o->GetName().GetName() : std::string();
}

// ICC profile header facts (ICC.1, clause 7.2).
struct IccInfo {
  bool valid = false;
  int major = 0;
  std::string device_class;  // "mntr", "prtr", "scnr", ...
  std::string colour_space;  // "RGB ", "CMYK", "GRAY", ...
};

bool KnownIccColourSpace(const std::string& cs) {
  static const std::set<std::string> kSpaces = {"XYZ ", "Lab ", "Luv ", "YCbr", "Yxy ", "RGB ", "GRAY", "HSV ", "HLS ",
                                                "CMYK", "CMY ", "2CLR", "3CLR", "4CLR", "5CLR", "6CLR", "7CLR", "8CLR",
                                                "9CLR", "ACLR", "BCLR", "CCLR", "DCLR", "ECLR", "FCLR"};
  return kSpaces.count(cs) > 0;
}

IccInfo ParseIcc(std::string_view b) {
  IccInfo i;
  if (b.size() < 128) return i;
  i.valid = b.substr(36, 4) == "acsp";
  i.major = static_cast<unsigned char>(b[8]);
  i.device_class = std::string(b.substr(12, 4));
  i.colour_space = std::string(b.substr(16, 4));
  return i;
}

class Validator {
 public:
  Validator(std::string_view bytes, PdfaProfile requested, const PdfaLimits& limits)
      : bytes_(bytes), requested_(requested), limits_(limits) {}

  PdfaReport Run() {
    objs_.SetAutoDelete(true);
    bool parsed = false;
    std::string parse_error;
    // An Encrypt entry alone makes the file non-conforming; PoDoFo is not
    // asked to decrypt untrusted data (its RC4 path also leaks on failure).
    bool encrypted = HasEncryptEntry(bytes_);
    if (!encrypted) Parse(&parsed, &encrypted, &parse_error);

    // The claim (auto) needs the XMP, so read metadata first.
    if (parsed) Guarded([&] { ReadMetadata(); });
    ResolveProfile();
    part_ = (report_.profile == PdfaProfile::k1b) ? 1 : (report_.profile == PdfaProfile::k3b ? 3 : 2);

    RawScan raw = ScanRawSyntax(bytes_, part_, limits_.max_violations);
    for (auto& v : raw.violations) Add(v.clause, v.message, v.object);
    for (const RawStream& s : raw.streams) {
      raw_lengths_[s.object] = s.data_length;
      raw_eol_[s.object] = s.eol_length;
    }

    // Objects inside object streams never reach the byte scan: their
    // hexadecimal strings are checked on the decoded stream (6.1.6).
    for (const RawStream& s : raw.streams) {
      if (!s.object_stream || s.coding == RawStream::Coding::kOther) continue;
      std::string_view data = bytes_.substr(s.data_offset, s.data_length);
      std::string inflated;
      if (s.coding == RawStream::Coding::kFlate) {
        if (!InflateCapped(data, limits_.max_stream_decoded_bytes, &inflated)) continue;
        data = inflated;
      }
      if (std::string problem = FirstHexStringProblem(data); !problem.empty()) {
        Add("6.1.6", problem, std::to_string(s.object) + " " + std::to_string(s.generation) + " R");
      }
    }
    raw_object_problems_ = std::move(raw.object_problems);
    report_.encrypted = encrypted;
    if (encrypted) Add("6.1.3", "the file is encrypted (the trailer has an Encrypt entry)", "trailer");
    if (encrypted && !parsed) {
      // Nothing more can be read.
    } else if (!parsed) {
      Add(part_ == 1 ? "6.1.2" : "6.1.2", "the file cannot be parsed as PDF: " + parse_error);
    } else {
      Guarded([&] { CheckAll(); });
    }
    if (dropped_ > 0) {
      report_.violations.push_back({"-", std::to_string(dropped_) + " further violations not listed", ""});
    }
    report_.compliant = report_.violations.empty();
    return std::move(report_);
  }

 private:
  // Parses with PoDoFo; on failure records why (an unopenable encryption
  // counts as encrypted).
  void Parse(bool* parsed, bool* encrypted, std::string* parse_error) {
    try {
      parser_ = std::make_unique<PoDoFo::PdfParser>(&objs_);
      parser_->ParseFile(bytes_.data(), static_cast<long>(bytes_.size()), /*bLoadOnDemand=*/true);
      *parsed = true;
    } catch (const PdfError& e) {
      const PoDoFo::EPdfError code = e.GetError();
      // PoDoFo gives up on encryption it cannot open (wrong password, an
      // unknown handler, a malformed Encrypt dictionary); an Encrypt entry is
      // what PDF/A forbids, whatever the handler.
      *encrypted = code == PoDoFo::ePdfError_InvalidPassword;
      const char* m = PdfError::ErrorMessage(code);
      const char* n = PdfError::ErrorName(code);
      *parse_error = m != nullptr ? m : (n != nullptr ? n : "parse error");
    } catch (const std::exception& e) {
      *parse_error = e.what();
    }
  }

  // ---------------------------------------------------------------- helpers
  template <typename F>
  void Guarded(F&& f) {
    try {
      f();
    } catch (const PdfError& e) {
      const char* m = PdfError::ErrorMessage(e.GetError());
      Add(part_ == 1 ? "6.1.12" : "6.1.13",
          std::string("the file could not be read completely: ") + (m ? m : "PoDoFo error"));
    } catch (const std::bad_alloc&) {
      Add(part_ == 1 ? "6.1.12" : "6.1.13", "the file needs more memory than the validator allows");
    } catch (const std::exception& e) {
      Add(part_ == 1 ? "6.1.12" : "6.1.13", std::string("the file could not be read completely: ") + e.what());
    }
  }

  void Add(std::string clause, std::string message, std::string object = {}) {
    for (const auto& v : report_.violations) {
      if (v.clause == clause && v.message == message) return;  // once per kind is enough
    }
    if (report_.violations.size() >= limits_.max_violations) {
      ++dropped_;
      return;
    }
    report_.violations.push_back({std::move(clause), std::move(message), std::move(object)});
  }

  const char* C(const char* part1, const char* part2) const { return part_ == 1 ? part1 : part2; }

  const PdfObject* Resolve(const PdfObject* o) {
    for (int hops = 0; o != nullptr && o->IsReference() && hops < 16; ++hops) {
      o = objs_.GetObject(o->GetReference());
    }
    return (o != nullptr && o->IsReference()) ? nullptr : o;
  }

  const PdfObject* Get(const PdfObject* dict, const char* key) {
    dict = Resolve(dict);
    if (dict == nullptr || !dict->IsDictionary()) return nullptr;
    return Resolve(dict->GetDictionary().GetKey(PdfName(key)));
  }

  const PdfObject* GetRaw(const PdfObject* dict, const char* key) {
    dict = Resolve(dict);
    if (dict == nullptr || !dict->IsDictionary()) return nullptr;
    return dict->GetDictionary().GetKey(PdfName(key));
  }

  bool Has(const PdfObject* dict, const char* key) {
    dict = Resolve(dict);
    return dict != nullptr && dict->IsDictionary() && dict->GetDictionary().HasKey(PdfName(key));
  }

  std::string GetName(const PdfObject* dict, const char* key) { return NameOf(Get(dict, key)); }

  // Decodes a stream, bounded by the per-stream and total caps. Returns
  // false (and reports once) if it cannot.
  bool Decode(const PdfObject* o, std::string* out) {
    out->clear();
    if (o == nullptr || !o->HasStream()) return false;
    size_t left = limits_.max_total_decoded_bytes > decoded_total_ ? limits_.max_total_decoded_bytes - decoded_total_ : 0;
    CappedOutput sink(out, std::min(limits_.max_stream_decoded_bytes, left));
    try {
      o->GetStream()->GetFilteredCopy(&sink);
    } catch (const PdfError& e) {
      if (sink.overflow()) {
        Add(C("6.1.12", "6.1.13"), "a stream decodes to more bytes than the validator allows", RefString(o));
      }
      decoded_total_ += out->size();
      return false;
    }
    decoded_total_ += out->size();
    return true;
  }

  // ---------------------------------------------------------------- profile
  void ReadMetadata() {
    const PdfObject* trailer = parser_->GetTrailer();
    catalog_ = Get(trailer, "Root");
    const PdfObject* md = Get(catalog_, "Metadata");
    if (md == nullptr || !md->HasStream()) return;
    metadata_obj_ = md;
    std::string xml;
    if (!Decode(md, &xml)) return;
    xml = XmpToUtf8(xml);
    metadata_bytes_ = xml;
    auto p = XmpPacket::Parse(xml);
    if (!p.ok()) {
      xmp_error_ = p.status().message();
      return;
    }
    xmp_ = std::move(*p);
    if (const std::string* part = xmp_->Value(kNsPdfaId, "part")) claim_part_ = *part;
    if (const std::string* conf = xmp_->Value(kNsPdfaId, "conformance")) claim_conf_ = *conf;
  }

  void ResolveProfile() {
    report_.profile = requested_;
    if (requested_ != PdfaProfile::kAuto) return;
    std::string c = claim_conf_;
    std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (claim_part_ == "1") report_.profile = PdfaProfile::k1b;
    else if (claim_part_ == "2") report_.profile = (c == "u" || c == "a") ? PdfaProfile::k2u : PdfaProfile::k2b;
    else if (claim_part_ == "3") report_.profile = PdfaProfile::k3b;
    else {
      report_.profile = PdfaProfile::k2b;
      auto_without_claim_ = true;
    }
  }

  // ---------------------------------------------------------------- checks
  void CheckAll() {
    const PdfObject* trailer = parser_->GetTrailer();
    if (trailer == nullptr || catalog_ == nullptr || !catalog_->IsDictionary()) {
      Add(C("6.1.3", "6.1.3"), "the trailer has no document catalog (Root)", "trailer");
      return;
    }
    Guarded([&] { CheckTrailer(trailer); });
    Guarded([&] { CheckRawObjectProblems(); });
    Guarded([&] { CheckMetadata(trailer); });
    Guarded([&] { CheckObjects(); });
    Guarded([&] { CheckCatalog(); });
    Guarded([&] { CheckOutputIntents(); });
    Guarded([&] { CheckPages(); });
    Guarded([&] { CheckFontPrograms(); });
  }

  // Raw syntax problems count only in objects the cross-reference table uses.
  void CheckRawObjectProblems() {
    for (const RawObjectProblem& p : raw_object_problems_) {
      const PdfObject* o = objs_.GetObject(PdfReference(p.object, p.generation));
      const auto* po = dynamic_cast<const PoDoFo::PdfParserObject*>(o);
      if (po == nullptr) continue;
      int64_t off = po->GetOffset();
      int64_t diff = off - static_cast<int64_t>(p.offset);
      if (diff < -64 || diff > 64) continue;  // a dead copy of the object
      Add(p.violation.clause, p.violation.message, p.violation.object);
    }
  }

  void CheckTrailer(const PdfObject* trailer) {
    const PdfObject* id = Get(trailer, "ID");
    if (id == nullptr || !id->IsArray() || id->GetArray().size() != 2) {
      Add("6.1.3", "the trailer has no ID entry with two file identifiers", "trailer");
    } else {
      for (const PdfObject& e : id->GetArray()) {
        const PdfObject* r = Resolve(&e);
        if (!IsStr(r)) {
          Add("6.1.3", "the trailer's ID entry is not an array of two strings", "trailer");
        } else if (part_ >= 2 && r->GetString().GetLength() == 0) {
          // ISO 19005-2 6.1.3 asks for File Identifiers as ISO 32000-1 14.4
          // defines them (computed from the file); an empty one identifies
          // nothing. ISO 19005-1 6.1.3 asks only for the ID keyword.
          Add("6.1.3", "the trailer's ID entry has an empty file identifier", "trailer");
        }
      }
    }
    if (Has(trailer, "Encrypt")) Add("6.1.3", "the trailer has an Encrypt entry", "trailer");
  }

  // Every object once: stream keys and lengths, limits, filters, actions by
  // type, fonts, images, form XObjects, ExtGState dictionaries, annotations.
  void CheckObjects() {
    size_t count = 0;
    for (PdfObject* o : objs_) {
      if (o == nullptr) continue;
      if (++count > limits_.max_objects) break;
      ++indirect_count_;
      if (o->Reference().ObjectNumber() > 8388607) {
        Add(C("6.1.12", "6.1.13"), "an object number exceeds 8388607", RefString(o));
      }
      CheckLimits(o, RefString(o), 0);
      if (!o->IsDictionary()) continue;
      if (o->HasStream()) CheckStreamDict(o);
      const std::string type = GetName(o, "Type");

      const std::string subtype = GetName(o, "Subtype");
      const std::string s = GetName(o, "S");
      if (!s.empty() && (type == "Action" || Has(o, "S")) && (type.empty() || type == "Action")) CheckAction(o);
      CheckDirectActions(o, 0);
      if (Has(o, "FT") || (Has(o, "Kids") && Has(o, "T"))) CheckField(o);
      if (type == "Filespec" || type == "EmbeddedFile" || Has(o, "EF")) CheckFileSpec(o);
      if (type == "OCG" && part_ == 1) Add("6.1.13", "optional content (OCG) is used", RefString(o));
      if (part_ >= 2) {
        std::vector<const PdfObject*> refs{o};
        if (const PdfObject* r = Get(o, "Reference"); r != nullptr && r->IsArray()) {
          for (const PdfObject& e : r->GetArray()) refs.push_back(Resolve(&e));
        }
        for (const PdfObject* sr : refs) {
          if (sr == nullptr || !sr->IsDictionary()) continue;
          if ((GetName(sr, "Type") == "SigRef" || Has(sr, "TransformMethod")) &&
              (Has(sr, "DigestLocation") || Has(sr, "DigestMethod") || Has(sr, "DigestValue"))) {
            Add("6.1.12", "a signature references dictionary has DigestLocation, DigestMethod or DigestValue", RefString(o));
          }
        }
      }
      if (part_ >= 2 && Has(o, "ByteRange") && Has(o, "Contents") && (type.empty() || type == "Sig" || type == "DocTimeStamp")) {
        CheckSignatureByteRange(o);
      }
      if (const PdfObject* af = Get(o, "AF"); af != nullptr && af->IsArray()) {
        for (const PdfObject& e : af->GetArray()) {
          if (e.IsReference()) af_targets_.insert(e.GetReference().ObjectNumber());
        }
      }
    }
    if (part_ == 3) {
      for (uint32_t fs : embedded_specs_) {
        if (!af_targets_.count(fs)) {
          Add("6.8", "an embedded file's file specification is not associated with any object (no AF entry refers to it)",
              std::to_string(fs) + " 0 R");
        }
      }
    }
    if (indirect_count_ > 8388607) {
      Add(C("6.1.12", "6.1.13"), "the file has more than 8388607 indirect objects");
    }
  }

  // ISO 19005-2 6.4.3: a signature's digest covers the whole file (up to
  // the end of the revision it signs) except the Contents string itself:
  // ByteRange is [0, start of Contents' "<", end after its ">", the rest up
  // to an end-of-file marker].
  void CheckSignatureByteRange(const PdfObject* sig) {
    const auto* po = dynamic_cast<const PoDoFo::PdfParserObject*>(sig);
    const PdfObject* br = Get(sig, "ByteRange");
    if (po == nullptr || po->GetOffset() <= 0 || br == nullptr || !br->IsArray()) return;
    const size_t start = static_cast<size_t>(po->GetOffset());
    if (start >= bytes_.size()) return;
    size_t end = bytes_.find("endobj", start);
    if (end == std::string_view::npos) end = bytes_.size();
    size_t k = bytes_.find("/Contents", start);
    if (k == std::string_view::npos || k >= end) return;
    k += 9;
    while (k < end && IsPdfWhiteSpace(bytes_[k])) ++k;
    if (k >= end || bytes_[k] != '<') return;  // not a hex string in place: nothing to compare
    const size_t close = bytes_.find('>', k);
    if (close == std::string_view::npos) return;
    std::vector<int64_t> v;
    for (const PdfObject& e : br->GetArray()) {
      const PdfObject* r = Resolve(&e);
      v.push_back(r != nullptr && r->IsNumber() ? r->GetNumber() : -1);
    }
    bool ok = v.size() == 4 && v[0] == 0 && v[1] == static_cast<int64_t>(k) && v[2] == static_cast<int64_t>(close + 1) &&
              v[3] >= 0;
    if (ok) {
      const size_t covered_end = static_cast<size_t>(v[2] + v[3]);
      ok = false;
      for (size_t e = bytes_.find("%%EOF"); e != std::string_view::npos && !ok; e = bytes_.find("%%EOF", e + 5)) {
        size_t t = e + 5;
        if (covered_end == t) ok = true;
        if (t < bytes_.size() && bytes_[t] == '\r') ++t;
        if (t < bytes_.size() && bytes_[t] == '\n') ++t;
        if (covered_end == t) ok = true;
      }
    }
    if (!ok) {
      Add("6.4.3", "a signature's ByteRange does not cover the whole file except its Contents string", RefString(sig));
    }
  }

  void CheckLimits(const PdfObject* o, const std::string& where, int depth) {
    if (depth > limits_.max_depth) return;
    switch (o->GetDataType()) {
      case PoDoFo::ePdfDataType_Number: {
        int64_t v = o->GetNumber();
        if (v > 2147483647LL || v < -2147483648LL) {
          Add(C("6.1.12", "6.1.13"), "an integer is outside [-2^31, 2^31-1]", where);
        }
        break;
      }
      case PoDoFo::ePdfDataType_Real: {
        double v = o->GetReal();
        double lim = part_ == 1 ? 32767.0 : 3.403e38;
        if (std::fabs(v) > lim) {
          Add(C("6.1.12", "6.1.13"), part_ == 1 ? "a real number's magnitude exceeds 32767" : "a real number exceeds the implementation limit", where);
        }
        if (part_ >= 2 && v != 0 && std::fabs(v) < 1.175e-38) {
          Add("6.1.13", "a non-zero real number is closer to zero than 1.175 x 10^-38", where);
        }
        break;
      }
      case PoDoFo::ePdfDataType_String:
      case PoDoFo::ePdfDataType_HexString: {
        size_t lim = part_ == 1 ? 65535 : 32767;
        if (static_cast<size_t>(o->GetString().GetLength()) > lim) {
          Add(C("6.1.12", "6.1.13"), "a string is longer than " + std::to_string(lim) + " bytes", where);
        }
        break;
      }
      case PoDoFo::ePdfDataType_Name:
        if (o->GetName().GetName().size() > 127) {
          Add(C("6.1.12", "6.1.13"), "a name is longer than 127 bytes", where);
        }
        if (part_ >= 2 && !IsUtf8(o->GetName().GetName())) {
          Add("6.1.8", "a name is not a valid UTF-8 byte sequence", where);
        }
        break;
      case PoDoFo::ePdfDataType_Array: {
        const PdfArray& a = o->GetArray();
        if (part_ == 1 && a.size() > 8191) Add("6.1.12", "an array has more than 8191 elements", where);
        for (const PdfObject& e : a) CheckLimits(&e, where, depth + 1);
        break;
      }
      case PoDoFo::ePdfDataType_Dictionary: {
        const auto& keys = o->GetDictionary().GetKeys();
        if (part_ == 1 && keys.size() > 4095) Add("6.1.12", "a dictionary has more than 4095 entries", where);
        for (const auto& kv : keys) {
          if (kv.first.GetName().size() > 127) Add(C("6.1.12", "6.1.13"), "a name is longer than 127 bytes", where);
          CheckLimits(kv.second, where, depth + 1);
        }
        break;
      }
      default:
        break;
    }
  }

  void CheckStreamDict(const PdfObject* o) {
    const std::string ref = RefString(o);
    if (Has(o, "F") || Has(o, "FFilter") || Has(o, "FDecodeParms")) {
      Add(C("6.1.7", "6.1.7.1"), "a stream dictionary has an F, FFilter or FDecodeParms entry (external stream data)", ref);
    }
    const PdfObject* len = Get(o, "Length");
    auto it = raw_lengths_.find(o->Reference().ObjectNumber());
    if (len != nullptr && len->IsNumber() && it != raw_lengths_.end()) {
      int64_t declared = len->GetNumber();
      // ISO 32000 excludes the EOL before endstream from Length; writers that
      // count it are tolerated (the data still ends at the declared length).
      size_t with_eol = it->second + raw_eol_[o->Reference().ObjectNumber()];
      if (declared < 0 || static_cast<size_t>(declared) < it->second || static_cast<size_t>(declared) > with_eol) {
        Add(C("6.1.7", "6.1.7.1"),
            "the stream's Length (" + std::to_string(declared) + ") differs from the number of bytes between stream and endstream (" +
                std::to_string(it->second) + ")",
            ref);
      }
    }
    const PdfObject* f = Get(o, "Filter");
    std::vector<std::string> filters;
    if (f != nullptr && f->IsName()) filters.push_back(NameOf(f));
    if (f != nullptr && f->IsArray()) {
      for (const PdfObject& e : f->GetArray()) filters.push_back(NameOf(Resolve(&e)));
    }
    static const std::set<std::string> kStd = {"ASCIIHexDecode", "ASCII85Decode", "LZWDecode", "FlateDecode",
                                               "RunLengthDecode", "CCITTFaxDecode", "JBIG2Decode", "DCTDecode",
                                               "JPXDecode", "Crypt"};
    for (const std::string& name : filters) {
      if (name == "LZWDecode") Add(C("6.1.10", "6.1.7.2"), "a stream uses the LZWDecode filter", ref);
      else if (name == "Crypt" && part_ >= 2) Add("6.1.7.2", "a stream uses the Crypt filter", ref);
      else if (!kStd.count(name)) Add(C("6.1.10", "6.1.7.2"), "a stream uses the non-standard filter " + name, ref);
    }
  }

  void CheckAction(const PdfObject* a) {
    const std::string s = GetName(a, "S");
    const std::string ref = RefString(a);
    static const std::set<std::string> kForbidden1 = {"Launch", "Sound", "Movie", "ResetForm", "ImportData", "JavaScript"};
    static const std::set<std::string> kForbidden2 = {"Launch", "Sound", "Movie", "ResetForm", "ImportData", "JavaScript",
                                                      "Hide", "SetOCGState", "Rendition", "Trans", "GoTo3DView"};
    static const std::set<std::string> kKnown = {"GoTo", "GoToR", "GoToE", "Launch", "Thread", "URI", "Sound", "Movie",
                                                 "Hide", "Named", "SubmitForm", "ResetForm", "ImportData", "JavaScript",
                                                 "SetOCGState", "Rendition", "Trans", "GoTo3DView"};
    if ((part_ == 1 ? kForbidden1 : kForbidden2).count(s)) {
      Add(C("6.6.1", "6.5.1"), "a " + s + " action is not permitted", ref);
    } else if (s == "Named") {
      std::string n = GetName(a, "N");
      if (n != "NextPage" && n != "PrevPage" && n != "FirstPage" && n != "LastPage") {
        Add(C("6.6.1", "6.5.1"), "the named action " + n + " is not one of NextPage, PrevPage, FirstPage, LastPage", ref);
      }
    } else if (!kKnown.count(s) && GetName(a, "Type") == "Action") {
      Add(C("6.6.1", "6.5.1"), "the action type " + s + " is not defined in ISO 32000", ref);
    }
  }

  // Actions written as direct objects inside another object (an outline
  // item's or a link's A, an action's Next chain, the values of an AA
  // dictionary) are checked like indirect ones; indirect ones are checked
  // once each in CheckObjects.
  void CheckDirectActions(const PdfObject* o, int depth) {
    if (o == nullptr || !o->IsDictionary() || depth > 16) return;
    auto visit = [&](const PdfObject* v) {
      if (v == nullptr || v->IsReference() || !v->IsDictionary()) return;
      if (Has(v, "S")) CheckAction(v);
      CheckDirectActions(v, depth + 1);
    };
    const auto& keys = o->GetDictionary().GetKeys();
    for (const char* key : {"A", "Next", "PA"}) {
      auto it = keys.find(PdfName(key));
      if (it == keys.end()) continue;
      const PdfObject* v = it->second;
      if (v->IsArray()) {
        for (const PdfObject& e : v->GetArray()) visit(&e);
      } else {
        visit(v);
      }
    }
    auto aa = keys.find(PdfName("AA"));
    if (aa != keys.end()) {
      const PdfObject* d = aa->second->IsReference() ? nullptr : aa->second;
      if (d != nullptr && d->IsDictionary()) {
        for (const auto& kv : d->GetDictionary().GetKeys()) visit(kv.second);
      }
    }
  }

  void CheckAdditionalActions(const PdfObject* o, const char* what) {
    if (Has(o, "AA")) {
      Add(C("6.6.2", "6.5.2"), std::string("the ") + what + " has an additional-actions (AA) entry", RefString(o));
    }
  }

  // ---- catalog
  void CheckCatalog() {
    CheckAdditionalActions(catalog_, "document catalog");
    const PdfObject* names = Get(catalog_, "Names");
    if (names != nullptr) {
      if (Has(names, "JavaScript")) {
        Add(C("6.6.1", "6.5.1"), "the name dictionary has a JavaScript entry", RefString(names));
      }
      if (Has(names, "EmbeddedFiles") && part_ == 1) {
        Add("6.1.11", "the name dictionary has an EmbeddedFiles entry", RefString(names));
      }
      if (part_ >= 2 && Has(names, "AlternatePresentations")) {
        Add("6.10", "the name dictionary has an AlternatePresentations entry", RefString(names));
      }
    }
    if (part_ >= 2 && Has(catalog_, "Requirements")) {
      Add("6.11", "the document catalog has a Requirements entry", RefString(catalog_));
    }
    const PdfObject* form = Get(catalog_, "AcroForm");
    if (form != nullptr) {
      const PdfObject* na = Get(form, "NeedAppearances");
      if (na != nullptr && na->IsBool() && na->GetBool()) {
        Add(C("6.9", "6.4.1"), "the interactive form's NeedAppearances is true", RefString(form));
      }
      if (part_ >= 2 && Has(form, "XFA")) Add("6.4.2", "the interactive form has an XFA entry", RefString(form));
    }
    if (part_ >= 2 && Has(catalog_, "NeedsRendering")) {
      const PdfObject* nr = Get(catalog_, "NeedsRendering");
      if (nr != nullptr && nr->IsBool() && nr->GetBool()) Add("6.4.2", "the catalog's NeedsRendering is true");
    }
    const PdfObject* perms = Get(catalog_, "Perms");
    if (perms != nullptr && perms->IsDictionary() && part_ >= 2) {
      for (const auto& kv : perms->GetDictionary().GetKeys()) {
        const std::string k = kv.first.GetName();
        if (k != "UR3" && k != "DocMDP") {
          Add("6.1.12", "the permissions dictionary has an entry other than UR3 and DocMDP: " + k, RefString(perms));
        }
      }
    }
    const PdfObject* oc = Get(catalog_, "OCProperties");
    if (oc != nullptr) {
      if (part_ == 1) {
        Add("6.1.13", "the catalog has an OCProperties entry (optional content)");
      } else {
        CheckOptionalContent(oc);
      }
    }
    const PdfObject* oa = Get(catalog_, "OpenAction");
    if (oa != nullptr && oa->IsDictionary()) CheckAction(oa);
    if (part_ == 3) CheckAssociatedFiles();
  }

  void CheckOptionalContent(const PdfObject* oc) {
    std::vector<const PdfObject*> configs;
    if (const PdfObject* d = Get(oc, "D")) configs.push_back(d);
    if (const PdfObject* cs = Get(oc, "Configs"); cs != nullptr && cs->IsArray()) {
      for (const PdfObject& e : cs->GetArray()) configs.push_back(Resolve(&e));
    }
    std::set<std::string> names;
    for (const PdfObject* c : configs) {
      if (c == nullptr) continue;
      const PdfObject* n = Get(c, "Name");
      if (!IsStr(n)) {
        Add("6.9", "an optional content configuration dictionary has no Name", RefString(c));
      } else if (!names.insert(n->GetString().GetStringUtf8()).second) {
        Add("6.9", "two optional content configurations have the same Name", RefString(c));
      }
      if (Has(c, "AS")) Add("6.9", "an optional content configuration dictionary has an AS entry", RefString(c));
      // An Order array lists every optional content group of the file.
      const PdfObject* order = Get(c, "Order");
      if (order == nullptr || !order->IsArray()) continue;
      std::set<PdfReference> listed;
      std::vector<std::pair<const PdfObject*, int>> stack{{order, 0}};
      while (!stack.empty() && listed.size() < 100000) {
        auto [arr, depth] = stack.back();
        stack.pop_back();
        for (const PdfObject& e : arr->GetArray()) {
          if (e.IsReference()) listed.insert(e.GetReference());
          const PdfObject* r = Resolve(&e);
          if (r != nullptr && r->IsArray() && depth < 32) stack.push_back({r, depth + 1});
        }
      }
      if (const PdfObject* ocgs = Get(oc, "OCGs"); ocgs != nullptr && ocgs->IsArray()) {
        for (const PdfObject& g : ocgs->GetArray()) {
          if (g.IsReference() && !listed.count(g.GetReference())) {
            Add("6.9", "an optional content configuration's Order array does not list the group " +
                    std::to_string(g.GetReference().ObjectNumber()) + " " +
                    std::to_string(g.GetReference().GenerationNumber()) + " R",
                RefString(c));
            break;
          }
        }
      }
    }
  }

  void CheckAssociatedFiles() {
    // ISO 19005-3 6.8: every embedded file's file specification has AFRelationship.
    // (Checked per object in CheckFileSpec.)
  }

  void CheckFileSpec(const PdfObject* o) {
    if (!Has(o, "EF")) return;
    const std::string ref = RefString(o);
    if (part_ == 1) {
      Add("6.1.11", "the file contains an embedded file", ref);
    } else if (part_ == 2) {
      // ISO 19005-2 6.8: embedded files must themselves be PDF/A (1 or 2).
      const PdfObject* ef = Get(o, "EF");
      const PdfObject* f = Get(ef, "F");
      if (f == nullptr) f = Get(ef, "UF");
      std::string data;
      if (f != nullptr && Decode(f, &data)) {
        if (data.rfind("%PDF-", 0) != 0) {
          Add("6.8", "an embedded file is not a PDF/A file", ref);
        } else if (data.find("pdfaid") == std::string::npos) {
          Add("6.8", "an embedded PDF file does not identify itself as PDF/A", ref);
        }
      }
    } else {
      if (o->Reference().ObjectNumber() != 0) embedded_specs_.push_back(o->Reference().ObjectNumber());
      if (!Has(o, "AFRelationship")) {
        Add("6.8", "an embedded file's file specification has no AFRelationship", ref);
      }
      if (!Has(o, "F") || !Has(o, "UF")) {
        Add("6.8", "an embedded file's file specification lacks F or UF", ref);
      }
      const PdfObject* ef = Get(o, "EF");
      const PdfObject* f = Get(ef, "F");
      if (f != nullptr && f->IsDictionary() && !Has(f, "Subtype")) {
        Add("6.8", "an embedded file stream has no Subtype (MIME type)", RefString(f));
      }
    }
  }

  // ---- metadata
  void CheckMetadata(const PdfObject* trailer) {
    const char* mclause = C("6.7.2", "6.6.2.1");
    if (metadata_obj_ == nullptr) {
      Add(mclause, "the document catalog has no Metadata stream", "catalog");
      return;
    }
    const std::string ref = RefString(metadata_obj_);
    if (Has(metadata_obj_, "Filter") && part_ == 1) {
      Add("6.7.2", "the metadata stream is compressed (Filter present)", ref);
    }
    if (!xmp_error_.empty()) {
      Add(C("6.7.9", "6.6.2.1"), xmp_error_, ref);
      return;
    }
    if (xmp_ == nullptr) {
      Add(mclause, "the metadata stream cannot be decoded", ref);
      return;
    }
    CheckXmpPacketWrapper(metadata_bytes_, part_, &report_.violations);
    CheckXmpSchemas(*xmp_, part_, &report_.violations);
    // Version identification.
    const char* vclause = C("6.7.11", "6.6.4");
    if (auto_without_claim_) {
      Add(vclause, "the XMP metadata has no PDF/A identification (pdfaid:part); checked as PDF/A-2b", ref);
    } else {
      const std::string want = part_ == 1 ? "1" : (part_ == 2 ? "2" : "3");
      if (claim_part_ != want) {
        Add(vclause, "pdfaid:part is \"" + claim_part_ + "\", not " + want, "XMP pdfaid:part");
      }
      bool ok;
      if (part_ == 1) ok = claim_conf_ == "A" || claim_conf_ == "B";
      else if (report_.profile == PdfaProfile::k2u) ok = claim_conf_ == "U" || claim_conf_ == "A";
      else ok = claim_conf_ == "A" || claim_conf_ == "B" || claim_conf_ == "U";
      if (!ok) Add(vclause, "pdfaid:conformance is \"" + claim_conf_ + "\", which does not match the profile", "XMP pdfaid:conformance");
    }
    // Document information dictionary consistency (ISO 19005-1 6.7.3; ISO 19005-2 6.6.3 is advisory only).
    if (part_ == 1) CheckInfoConsistency(Get(trailer, "Info"));
  }

  static std::string PdfDateToXmp(std::string_view d) {
    // D:YYYYMMDDHHmmSSOHH'mm -> canonical "YYYY-MM-DDTHH:mm:SS+HH:mm"
    if (d.rfind("D:", 0) == 0) d.remove_prefix(2);
    std::string out;
    auto digits = [&](size_t at, size_t n, const char* dflt) {
      if (at + n <= d.size() && std::all_of(d.begin() + static_cast<long>(at), d.begin() + static_cast<long>(at + n), ::isdigit)) {
        return std::string(d.substr(at, n));
      }
      return std::string(dflt);
    };
    if (d.size() < 4) return {};
    out = digits(0, 4, "0000") + "-" + digits(4, 2, "01") + "-" + digits(6, 2, "01") + "T" + digits(8, 2, "00") + ":" +
          digits(10, 2, "00") + ":" + digits(12, 2, "00");
    if (d.size() > 14) {
      char z = d[14];
      if (z == 'Z') out += "Z";
      else if (z == '+' || z == '-') out += std::string(1, z) + digits(15, 2, "00") + ":" + digits(18, 2, "00");
    }
    return out;
  }

  static std::string NormXmpDate(std::string_view x) {
    // Fill missing parts so that equal instants compare equal.
    std::string s(x);
    if (s.size() == 4) s += "-01";
    if (s.size() == 7) s += "-01";
    if (s.size() == 10) s += "T00:00";
    if (s.size() >= 16 && (s.size() == 16 || s[16] != ':')) s.insert(16, ":00");
    // Drop fractional seconds.
    if (s.size() > 19 && s[19] == '.') {
      size_t e = 20;
      while (e < s.size() && isdigit(static_cast<unsigned char>(s[e]))) ++e;
      s.erase(19, e - 19);
    }
    if (s.size() > 19 && s.substr(19) == "+00:00") s = s.substr(0, 19) + "Z";
    return s;
  }

  void CheckInfoConsistency(const PdfObject* info) {
    if (info == nullptr || !info->IsDictionary()) return;
    struct Pair {
      const char* key;
      std::string_view ns;
      const char* prop;
      bool date;
    };
    const Pair pairs[] = {{"Title", kNsDc, "title", false},        {"Author", kNsDc, "creator", false},
                          {"Subject", kNsDc, "description", false}, {"Keywords", kNsPdf, "Keywords", false},
                          {"Creator", kNsXmp, "CreatorTool", false}, {"Producer", kNsPdf, "Producer", false},
                          {"CreationDate", kNsXmp, "CreateDate", true}, {"ModDate", kNsXmp, "ModifyDate", true}};
    for (const Pair& p : pairs) {
      const PdfObject* v = Get(info, p.key);
      if (v == nullptr || v->IsNull()) continue;  // a reference to a missing object is null
      if (!IsStr(v)) {
        Add("6.7.3", std::string("the Info entry ") + p.key + " is not a text string", std::string("Info ") + p.key);
        continue;
      }
      std::string iv = v->GetString().GetStringUtf8();
      const std::string* xv = xmp_->Value(p.ns, p.prop);
      std::string obj = std::string("Info ") + p.key;
      if (xv == nullptr) {
        Add("6.7.3", std::string("the Info entry ") + p.key + " has no equivalent XMP property", obj);
        continue;
      }
      bool same;
      if (p.date) {
        same = NormXmpDate(PdfDateToXmp(iv)) == NormXmpDate(*xv);
      } else if (std::strcmp(p.key, "Author") == 0) {
        std::vector<std::string> items = xmp_->Items(p.ns, p.prop);
        same = items.size() == 1 && items[0] == iv;
      } else {
        same = *xv == iv;
      }
      if (!same) Add("6.7.3", std::string("the Info entry ") + p.key + " does not match its XMP equivalent", obj);
    }
  }

  // ---- output intents and colour
  void CheckOutputIntents() {
    const PdfObject* ois = Get(catalog_, "OutputIntents");
    if (ois == nullptr || !ois->IsArray()) return;
    const PdfObject* first_profile = nullptr;
    // ISO 19005-2 6.2.3 / 19005-1 6.2.2: every output intent that has a
    // DestOutputProfile (a PDF/X one too) has the same indirect object.
    std::optional<PdfReference> shared;
    bool differ = false;
    for (const PdfObject& e : ois->GetArray()) {
      const PdfObject* oi = Resolve(&e);
      if (part_ >= 2 && GetName(oi, "S") == "GTS_PDFX" && Has(oi, "DestOutputProfileRef")) {
        Add("6.2.3", "a PDF/X output intent has a DestOutputProfileRef entry", RefString(oi));
      }
      const PdfObject* raw = GetRaw(oi, "DestOutputProfile");
      if (raw == nullptr) continue;
      if (!raw->IsReference() || (shared && *shared != raw->GetReference())) differ = true;
      if (raw->IsReference() && !shared) shared = raw->GetReference();
    }
    if (differ && ois->GetArray().size() > 1) {
      Add(C("6.2.2", "6.2.3"), "output intents have different destination output profiles", RefString(catalog_));
    }
    for (const PdfObject& e : ois->GetArray()) {
      const PdfObject* oi = Resolve(&e);
      if (oi == nullptr) continue;
      const std::string s = GetName(oi, "S");
      if (s != "GTS_PDFA1") continue;
      const PdfObject* prof = Get(oi, "DestOutputProfile");
      const PdfObject* prof_ref = GetRaw(oi, "DestOutputProfile");
      if (prof == nullptr) {
        if (part_ >= 2 && Has(oi, "DestOutputProfileRef")) {
          Add("6.2.3", "the output intent uses DestOutputProfileRef", RefString(oi));
        }
        Add(C("6.2.2", "6.2.3"), "the PDF/A output intent has no DestOutputProfile", RefString(oi));
        continue;
      }
      if (first_profile != nullptr && prof_ref != nullptr && prof_ref->IsReference() &&
          first_profile->Reference() != prof->Reference()) {
        Add(C("6.2.2", "6.2.3"), "output intents have different destination output profiles", RefString(oi));
      }
      if (first_profile == nullptr) first_profile = prof;
      std::string icc;
      if (!Decode(prof, &icc)) continue;
      IccInfo info = ParseIcc(icc);
      if (!info.valid) {
        Add(C("6.2.2", "6.2.3"), "the output intent's ICC profile is not a valid ICC profile", RefString(prof));
        continue;
      }
      if (!KnownIccColourSpace(info.colour_space)) {
        Add(C("6.2.2", "6.2.3"), "the output intent's ICC profile has an invalid colour space field", RefString(prof));
      }
      if (info.device_class != "prtr" && info.device_class != "mntr") {
        Add(C("6.2.2", "6.2.3"), "the output intent's ICC profile is not an output (prtr) or monitor (mntr) profile", RefString(prof));
      }
      if (part_ == 1 && info.major >= 4) {
        Add("6.2.2", "the output intent's ICC profile version is newer than PDF/A-1 allows (ICC v2)", RefString(prof));
      }
      if (oi_colour_.empty()) oi_colour_ = info.colour_space;
    }
  }

  // Reports device colour use against the output intent.
  void DeviceColour(const char* which, const std::string& where, const PdfObject* resources) {
    const std::string w = which;
    const char* clause = C("6.2.3.3", "6.2.4.3");
    {
      std::string def = w == "DeviceRGB" ? "DefaultRGB" : w == "DeviceCMYK" ? "DefaultCMYK" : "DefaultGray";
      const PdfObject* cs = Get(resources, "ColorSpace");
      if (cs != nullptr && Has(cs, def.c_str())) return;
    }
    if (w == "DeviceGray") {
      if (part_ >= 2 && oi_colour_.empty()) {
        Add(clause, "DeviceGray is used without a PDF/A output intent or DefaultGray", where);
      } else if (part_ == 1 && oi_colour_.empty()) {
        Add(clause, "DeviceGray is used without a PDF/A output intent", where);
      }
      return;
    }
    const std::string want = w == "DeviceRGB" ? "RGB " : "CMYK";
    if (oi_colour_ != want) {
      Add(clause, w + " is used but the PDF/A output intent is " + (oi_colour_.empty() ? "absent" : "not " + want) , where);
    }
  }

  // A colour space object: reports device spaces and checks ICC/Separation.
  void CheckColourSpace(const PdfObject* cs, const std::string& where, const PdfObject* resources, int depth) {
    cs = Resolve(cs);
    if (cs == nullptr || depth > 8) return;
    if (cs->IsName()) {
      std::string n = NameOf(cs);
      if (n == "DeviceRGB" || n == "DeviceCMYK" || n == "DeviceGray") DeviceColour(n.c_str(), where, resources);
      return;
    }
    if (!cs->IsArray() || cs->GetArray().empty()) return;
    const PdfArray& a = cs->GetArray();
    std::string fam = NameOf(Resolve(&a[0]));
    if (fam == "ICCBased" && a.size() > 1) {
      const PdfObject* s = Resolve(&a[1]);
      if (s != nullptr && s->HasStream() && checked_icc_.insert(s->Reference().ObjectNumber()).second) {
        std::string icc;
        if (Decode(s, &icc)) {
          IccInfo info = ParseIcc(icc);
          if (!info.valid) {
            Add(C("6.2.3.2", "6.2.4.2"), "an ICCBased colour space's profile is not a valid ICC profile", RefString(s));
          } else if (!KnownIccColourSpace(info.colour_space)) {
            Add(C("6.2.3.2", "6.2.4.2"), "an ICCBased colour space's profile has an invalid colour space field", RefString(s));
          } else if (part_ == 1 && info.major >= 4) {
            Add("6.2.3.2", "an ICCBased colour space uses an ICC profile newer than v2", RefString(s));
          }
          const PdfObject* n = Get(s, "N");
          int want = info.colour_space == "GRAY" ? 1 : info.colour_space == "RGB " ? 3 : info.colour_space == "CMYK" ? 4 : 0;
          if (info.valid && n != nullptr && n->IsNumber() && want != 0 && n->GetNumber() != want) {
            Add(C("6.2.3.2", "6.2.4.2"), "an ICCBased colour space's N does not match its profile", RefString(s));
          }
        }
      }
    } else if ((fam == "Separation" || fam == "DeviceN") && a.size() > 2) {
      CheckColourSpace(&a[2], where, resources, depth + 1);
      if (fam == "Separation" && part_ >= 2) NoteSeparation(a, where);
      if (fam == "DeviceN" && part_ >= 2) {
        const PdfObject* names = Resolve(&a[1]);
        const PdfObject* attrs = a.size() > 4 ? Resolve(&a[4]) : nullptr;
        const PdfObject* colorants = Get(attrs, "Colorants");
        if (colorants != nullptr && colorants->IsDictionary()) {
          for (const auto& kv : colorants->GetDictionary().GetKeys()) {
            const PdfObject* sep = Resolve(kv.second);
            if (sep != nullptr && sep->IsArray() && sep->GetArray().size() > 3) NoteSeparation(sep->GetArray(), where);
          }
        }
        if (names != nullptr && names->IsArray()) {
          for (const PdfObject& n : names->GetArray()) {
            std::string nm = NameOf(Resolve(&n));
            if (nm == "Cyan" || nm == "Magenta" || nm == "Yellow" || nm == "Black" || nm == "None" || nm.empty()) continue;
            if (colorants == nullptr || !Has(colorants, nm.c_str())) {
              Add("6.2.4.4", "the spot colour " + nm + " of a DeviceN colour space has no entry in its Colorants dictionary", where);
            }
          }
        }
      }
      if (fam == "DeviceN") {
        const PdfObject* names = Resolve(&a[1]);
        size_t lim = part_ == 1 ? 8 : 32;
        if (names != nullptr && names->IsArray() && names->GetArray().size() > lim) {
          Add(C("6.1.12", "6.1.13"), "a DeviceN colour space has more than " + std::to_string(lim) + " colourants", where);
        }
      }
    } else if (fam == "Indexed" && a.size() > 1) {
      CheckColourSpace(&a[1], where, resources, depth + 1);
    } else if (fam == "Pattern" && a.size() > 1) {
      CheckColourSpace(&a[1], where, resources, depth + 1);
    } else if (fam == "DeviceRGB" || fam == "DeviceCMYK" || fam == "DeviceGray") {
      DeviceColour(fam.c_str(), where, resources);
    }
  }

  // ISO 19005-2 6.2.4.4: Separations with the same name have the same
  // alternate space and tint transform throughout the file.
  void NoteSeparation(const PdfArray& a, const std::string& where) {
    if (a.size() < 4) return;
    std::string name = NameOf(Resolve(&a[1]));
    if (name == "All" || name == "None") return;  // not colorants (ISO 32000-1 8.6.6.4)
    // The objects are compared, not what they compute; compression and
    // direct versus indirect do not matter (the clause's own words).
    std::string alt = Canonical(&a[2], 0);
    std::string tint = Canonical(&a[3], 0);
    auto [it, fresh] = separations_.try_emplace(name, alt, tint);
    if (!fresh && (it->second.first != alt || it->second.second != tint)) {
      Add("6.2.4.4", "two Separation colour spaces named " + name + " have different alternate spaces or tint transforms", where);
    }
  }

  // A text form of an object for equivalence: references resolved,
  // dictionary keys sorted, numbers by value, strings by bytes, streams by
  // their dictionary (without Length, Filter, DecodeParms) and decoded data.
  std::string Canonical(const PdfObject* o, int depth) {
    o = Resolve(o);
    if (o == nullptr) return "null";
    if (depth > 16) return "?";
    switch (o->GetDataType()) {
      case PoDoFo::ePdfDataType_Bool: return o->GetBool() ? "true" : "false";
      case PoDoFo::ePdfDataType_Number:
      case PoDoFo::ePdfDataType_Real: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6g", o->GetReal());
        return buf;
      }
      case PoDoFo::ePdfDataType_String:
      case PoDoFo::ePdfDataType_HexString: {
        const PoDoFo::PdfString& str = o->GetString();
        return "(" + std::string(str.GetString(), static_cast<size_t>(str.GetLength())) + ")";
      }
      case PoDoFo::ePdfDataType_Name: return "/" + o->GetName().GetName();
      case PoDoFo::ePdfDataType_Array: {
        std::string out = "[";
        for (const PdfObject& e : o->GetArray()) out += Canonical(&e, depth + 1) + " ";
        return out + "]";
      }
      case PoDoFo::ePdfDataType_Dictionary: {
        std::string out = "<<";
        for (const auto& kv : o->GetDictionary().GetKeys()) {
          const std::string k = kv.first.GetName();
          if (o->HasStream() && (k == "Length" || k == "Filter" || k == "DecodeParms" || k == "DL")) continue;
          out += "/" + k + " " + Canonical(kv.second, depth + 1) + " ";
        }
        out += ">>";
        if (o->HasStream()) {
          std::string data;
          Decode(o, &data);
          out += "stream" + std::to_string(data.size()) + ":" + data;
        }
        return out;
      }
      default: return "null";
    }
  }

  // ---- pages and resources
  void CheckPages() {
    const PdfObject* root = Get(catalog_, "Pages");
    std::vector<std::pair<const PdfObject*, int>> stack{{root, 0}};
    std::unordered_set<uint32_t> seen;
    size_t pages = 0;
    while (!stack.empty()) {
      auto [node, depth] = stack.back();
      stack.pop_back();
      if (node == nullptr || !node->IsDictionary()) continue;
      if (node->Reference().ObjectNumber() != 0 && !seen.insert(node->Reference().ObjectNumber()).second) {
        Add(C("6.1.12", "6.1.13"), "the page tree is circular", RefString(node));
        continue;
      }
      if (depth > limits_.max_depth) {
        Add(C("6.1.12", "6.1.13"), "the page tree is deeper than the validator allows", RefString(node));
        continue;
      }
      const PdfObject* kids = Get(node, "Kids");
      if (kids != nullptr && kids->IsArray()) {
        for (const PdfObject& k : kids->GetArray()) stack.push_back({Resolve(&k), depth + 1});
        continue;
      }
      if (++pages > 100000) break;
      CheckPage(node);
    }
    report_.pages = static_cast<int>(pages);
  }

  const PdfObject* Inherited(const PdfObject* page, const char* key) {
    for (int i = 0; page != nullptr && i < 32; ++i) {
      if (const PdfObject* v = Get(page, key)) return v;
      page = Get(page, "Parent");
    }
    return nullptr;
  }

  void CheckPage(const PdfObject* page) {
    const std::string ref = RefString(page);
    page_transparency_ = false;
    for (const char* box : {"MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox"}) {
      const PdfObject* b = (std::strcmp(box, "MediaBox") == 0 || std::strcmp(box, "CropBox") == 0) ? Inherited(page, box) : Get(page, box);
      if (b == nullptr || !b->IsArray() || b->GetArray().size() != 4) continue;
      double v[4];
      for (size_t i = 0; i < 4; ++i) {
        const PdfObject* e = Resolve(&b->GetArray()[i]);
        v[i] = (e != nullptr && (e->IsNumber() || e->IsReal())) ? e->GetReal() : 0.0;
      }
      double w = std::fabs(v[2] - v[0]);
      double h = std::fabs(v[3] - v[1]);
      if (w > 14400 || h > 14400 || w < 3 || h < 3) {
        Add(C("6.1.12", "6.1.13"), std::string("the page's ") + box + " is outside 3..14400 units", ref);
      }
    }
    CheckAdditionalActions(page, "page");
    if (part_ >= 2 && Has(page, "PresSteps")) Add("6.10", "the page has a PresSteps entry", ref);
    const PdfObject* group = Get(page, "Group");
    if (group != nullptr && GetName(group, "S") == "Transparency") {
      if (part_ == 1) {
        Add("6.4", "the page has a transparency group", ref);
      } else {
        page_has_group_cs_ = Has(group, "CS");
        if (const PdfObject* gcs = Get(group, "CS")) CheckColourSpace(gcs, ref, Inherited(page, "Resources"), 0);
      }
    }
    const PdfObject* res = Inherited(page, "Resources");
    std::string data;
    const PdfObject* contents = Get(page, "Contents");
    if (contents != nullptr) {
      if (contents->IsArray()) {
        std::string all;
        for (const PdfObject& c : contents->GetArray()) {
          std::string part_data;
          Decode(Resolve(&c), &part_data);
          all += part_data;
          all += '\n';
        }
        data = std::move(all);
      } else {
        Decode(contents, &data);
      }
    }
    CheckContent(data, res, ref, 0);
    if (part_ >= 2 && page_transparency_ && oi_colour_.empty() && !(group != nullptr && Has(group, "CS"))) {
      Add("6.2.10", "the page uses transparency but neither its group defines a blending colour space nor does the file have a PDF/A output intent", ref);
    }
    const PdfObject* annots = Get(page, "Annots");
    if (annots != nullptr && annots->IsArray()) {
      for (const PdfObject& a : annots->GetArray()) {
        const PdfObject* an = Resolve(&a);
        if (an != nullptr && an->IsDictionary()) CheckAnnotation(an);
        // Appearance streams are content too.
        const PdfObject* ap = Get(an, "AP");
        if (ap != nullptr && ap->IsDictionary()) {
          for (const auto& kv : ap->GetDictionary().GetKeys()) {
            const PdfObject* v = Resolve(kv.second);
            if (v == nullptr) continue;
            if (v->HasStream()) {
              CheckFormContent(v, 1);
            } else if (v->IsDictionary()) {
              for (const auto& kv2 : v->GetDictionary().GetKeys()) {
                const PdfObject* s = Resolve(kv2.second);
                if (s != nullptr && s->HasStream()) CheckFormContent(s, 1);
              }
            }
          }
        }
      }
    }
  }

  static bool UsesNamedResources(const std::string& data) {
    ContentUse u = ScanContent(data);
    return !u.colour_space_names.empty() || !u.fonts.empty() || !u.xobjects.empty() || !u.ext_gstates.empty() ||
           !u.shadings.empty() || !u.patterns.empty();
  }

  void CheckFormContent(const PdfObject* form, int depth, const PdfObject* parent_res = nullptr) {
    if (form == nullptr || !form->HasStream() || depth > 16) return;
    if (form->Reference().ObjectNumber() != 0 && !forms_done_.insert(form->Reference().ObjectNumber()).second) return;
    std::string data;
    Decode(form, &data);
    const PdfObject* res = Get(form, "Resources");
    const bool tiling = GetName(form, "Subtype").empty() && Get(form, "PatternType") != nullptr;
    if (res == nullptr && part_ >= 2 && (GetName(form, "Subtype") == "Form" || tiling)) {
      // ISO 19005-2 6.2.2: a content stream that uses named resources has its
      // own Resources dictionary (no inheritance from the page).
      if (UsesNamedResources(data)) {
        Add("6.2.2", std::string("a ") + (tiling ? "tiling pattern" : "form XObject") +
                " uses named resources but has no Resources dictionary of its own", RefString(form));
      }
    }
    if (res == nullptr) res = parent_res;  // check what the resources resolve to anyway
    CheckContent(data, res, RefString(form), depth);
  }

  void CheckContent(const std::string& data, const PdfObject* res, const std::string& where, int depth) {
    ContentUse u = ScanContent(data);
    if (part_ >= 2) CheckIccCmykOverprint(u, res, where);
    if (u.device_rgb) DeviceColour("DeviceRGB", where, res);
    if (u.device_cmyk) DeviceColour("DeviceCMYK", where, res);
    if (u.device_gray) DeviceColour("DeviceGray", where, res);
    for (const std::string& ri : u.rendering_intents) CheckRenderingIntent(ri, where);
    if (!u.unknown_operators.empty()) {
      Add(C("6.2.10", "6.2.2"), "a content stream uses the undefined operator " + *u.unknown_operators.begin(), where);
    }
    if (u.max_q_depth > 28) Add(C("6.1.12", "6.1.13"), "graphics states are nested deeper than 28 (q)", where);
    if (u.hex_non_hex) {
      Add("6.1.6", "a hexadecimal string in a content stream contains characters other than 0-9, A-F, a-f and white-space", where);
    } else if (u.hex_odd) {
      Add("6.1.6", "a hexadecimal string in a content stream has an odd number of hex digits", where);
    }
    const size_t str_lim = part_ == 1 ? 65535 : 32767;
    if (u.max_string_bytes > str_lim) {
      Add(C("6.1.12", "6.1.13"), "a content stream string is longer than " + std::to_string(str_lim) + " bytes", where);
    }
    if (u.max_abs_integer > 2147483647.0) Add(C("6.1.12", "6.1.13"), "a content stream integer is outside [-2^31, 2^31-1]", where);
    if (part_ == 1 && u.max_abs_real > 32767.0) Add("6.1.12", "a content stream real number's magnitude exceeds 32767", where);
    if (part_ >= 2 && u.max_abs_real > 3.403e38) Add("6.1.13", "a content stream real number's magnitude exceeds 3.403 x 10^38", where);
    if (part_ >= 2 && u.min_abs_nonzero_real != 0 && u.min_abs_nonzero_real < 1.175e-38) {
      Add("6.1.13", "a content stream has a non-zero real number closer to zero than 1.175 x 10^-38", where);
    }
    for (const std::string& ri : u.inline_intents) CheckRenderingIntent(ri, where);
    for (const std::string& f : u.inline_filters) {
      if (f == "LZW" || f == "LZWDecode") Add(C("6.1.10", "6.1.10"), "an inline image uses the LZW filter", where);
      if (part_ >= 2 && (f == "Crypt" || f == "JPXDecode")) Add("6.1.10", "an inline image uses the " + f + " filter", where);
    }
    if (u.inline_interpolate) Add(C("6.2.4", "6.2.8"), "an inline image has Interpolate true", where);
    for (const std::string& cs : u.inline_colour_spaces) {
      if (cs == "RGB" || cs == "DeviceRGB") DeviceColour("DeviceRGB", where, res);
      else if (cs == "CMYK" || cs == "DeviceCMYK") DeviceColour("DeviceCMYK", where, res);
      else if (cs == "G" || cs == "DeviceGray") DeviceColour("DeviceGray", where, res);
    }
    CheckResources(res, where, depth, u);
  }

  // ISO 19005-2 6.2.4.2: OPM shall not be 1 when an ICCBased CMYK colour
  // space is used for stroking with stroke overprint (OP) on, or for filling
  // with fill overprint (op) on. The graphics state in effect when the
  // painting operator runs decides; OP also sets op when op is absent
  // (ISO 32000-1 Table 58).
  void CheckIccCmykOverprint(const ContentUse& u, const PdfObject* res, const std::string& where) {
    const PdfObject* css = Get(res, "ColorSpace");
    const PdfObject* gss = Get(res, "ExtGState");
    for (const ContentUse::ColourUse& cu : u.colour_uses) {
      const PdfObject* cs = Get(css, cu.colour_space.c_str());
      if (cs == nullptr || !cs->IsArray() || cs->GetArray().size() < 2 || NameOf(Resolve(&cs->GetArray()[0])) != "ICCBased") continue;
      const PdfObject* nn = Get(Resolve(&cs->GetArray()[1]), "N");
      if (nn == nullptr || !nn->IsNumber() || nn->GetNumber() != 4) continue;
      bool op_stroke = false;
      bool op_fill = false;
      int64_t opm = 0;
      for (const std::string& g : cu.gstates) {
        const PdfObject* gs = Get(gss, g.c_str());
        const PdfObject* big = Get(gs, "OP");
        const PdfObject* small = Get(gs, "op");
        const PdfObject* mode = Get(gs, "OPM");
        if (big != nullptr && big->IsBool()) {
          op_stroke = big->GetBool();
          if (small == nullptr) op_fill = big->GetBool();
        }
        if (small != nullptr && small->IsBool()) op_fill = small->GetBool();
        if (mode != nullptr && mode->IsNumber()) opm = mode->GetNumber();
      }
      if (opm == 1 && (cu.stroke ? op_stroke : op_fill)) {
        Add("6.2.4.2", std::string("an ICCBased CMYK colour space is used for ") + (cu.stroke ? "stroking" : "filling") +
                " with overprinting on and overprint mode 1", where);
        return;
      }
    }
  }

  void CheckRenderingIntent(const std::string& ri, const std::string& where) {
    if (ri != "RelativeColorimetric" && ri != "AbsoluteColorimetric" && ri != "Perceptual" && ri != "Saturation") {
      Add(C("6.2.9", "6.2.6"), "the rendering intent " + ri + " is not one of the four standard intents", where);
    }
  }

  // Checks the resources a content stream uses (ISO 19005 applies to what
  // is rendered; unused resource entries are not part of the page).
  void CheckResources(const PdfObject* res, const std::string& where, int depth, const ContentUse& u) {
    res = Resolve(res);
    if (res == nullptr || !res->IsDictionary() || depth > 16) return;
    auto used = [](const std::set<std::string>& names, const PdfName& key) { return names.count(key.GetName()) > 0; };
    if (const PdfObject* css = Get(res, "ColorSpace"); css != nullptr && css->IsDictionary()) {
      for (const auto& kv : css->GetDictionary().GetKeys()) {
        const std::string k = kv.first.GetName();
        if (std::find(u.colour_space_names.begin(), u.colour_space_names.end(), k) == u.colour_space_names.end()) continue;
        CheckColourSpace(kv.second, where, res, 0);
      }
    }
    if (const PdfObject* xo = Get(res, "XObject"); xo != nullptr && xo->IsDictionary()) {
      for (const auto& kv : xo->GetDictionary().GetKeys()) {
        if (!used(u.xobjects, kv.first)) continue;
        const PdfObject* x = Resolve(kv.second);
        if (x != nullptr && x->IsDictionary() && IsTransparentXObject(x)) page_transparency_ = true;
        if (x == nullptr) continue;
        const std::string st = GetName(x, "Subtype");
        if (!checked_.insert(x).second) continue;
        if (st == "Form") {
          CheckFormXObject(x);
          CheckFormContent(x, depth + 1, res);
        } else if (st == "Image") {
          CheckImage(x);
          if (const PdfObject* ics = Get(x, "ColorSpace")) CheckColourSpace(ics, RefString(x), res, 0);
        } else if (st == "PS") {
          Add(C("6.2.7", "6.2.9"), "a PostScript XObject is used", RefString(x));
        }
      }
    }
    if (const PdfObject* pats = Get(res, "Pattern"); pats != nullptr && pats->IsDictionary()) {
      for (const auto& kv : pats->GetDictionary().GetKeys()) {
        if (!used(u.patterns, kv.first)) continue;
        const PdfObject* p = Resolve(kv.second);
        if (p != nullptr && p->HasStream()) CheckFormContent(p, depth + 1);
        if (const PdfObject* sh = Get(p, "Shading")) {
          if (const PdfObject* scs = Get(sh, "ColorSpace")) CheckColourSpace(scs, RefString(p), res, 0);
        }
      }
    }
    if (const PdfObject* shs = Get(res, "Shading"); shs != nullptr && shs->IsDictionary()) {
      for (const auto& kv : shs->GetDictionary().GetKeys()) {
        if (!used(u.shadings, kv.first)) continue;
        if (const PdfObject* scs = Get(Resolve(kv.second), "ColorSpace")) CheckColourSpace(scs, where, res, 0);
      }
    }
    if (const PdfObject* gss = Get(res, "ExtGState"); gss != nullptr && gss->IsDictionary()) {
      for (const auto& kv : gss->GetDictionary().GetKeys()) {
        if (!used(u.ext_gstates, kv.first)) continue;
        const PdfObject* g = Resolve(kv.second);
        if (g != nullptr && g->IsDictionary() && IsTransparentGs(g)) page_transparency_ = true;
        if (g != nullptr && g->IsDictionary() && checked_.insert(g).second) CheckExtGState(g);
      }
    }
    if (const PdfObject* fonts = Get(res, "Font"); fonts != nullptr && fonts->IsDictionary()) {
      for (const auto& kv : fonts->GetDictionary().GetKeys()) {
        if (!used(u.fonts, kv.first)) continue;
        const PdfObject* f = Resolve(kv.second);
        if (f != nullptr && f->IsDictionary()) {
          // Codes shown with this font, for the checks against its program.
          auto it = u.shown_text.find(kv.first.GetName());
          std::string& acc = shown_[f];
          if (it != u.shown_text.end() && acc.size() < ContentUse::kMaxShownBytes) acc += it->second;
          std::string& all = shown_all_[f];
          if (it != u.shown_text.end() && all.size() < ContentUse::kMaxShownBytes) all += it->second;
          auto inv = u.shown_invisible_text.find(kv.first.GetName());
          if (inv != u.shown_invisible_text.end() && all.size() < ContentUse::kMaxShownBytes) all += inv->second;
        }
        if (f == nullptr || !f->IsDictionary() || !checked_.insert(f).second) continue;
        CheckFont(f);
        if (f != nullptr && GetName(f, "Subtype") == "Type3") {
          if (const PdfObject* procs = Get(f, "CharProcs"); procs != nullptr && procs->IsDictionary()) {
            const PdfObject* fres = Get(f, "Resources");
            for (const char* cat : {"ExtGState", "XObject"}) {
              const PdfObject* d = Get(fres, cat);
              if (d == nullptr || !d->IsDictionary()) continue;
              for (const auto& kv3 : d->GetDictionary().GetKeys()) {
                const PdfObject* v = Resolve(kv3.second);
                if (v == nullptr || !v->IsDictionary()) continue;
                if (std::strcmp(cat, "ExtGState") == 0 ? IsTransparentGs(v) : IsTransparentXObject(v)) page_transparency_ = true;
              }
            }
            for (const auto& cp : procs->GetDictionary().GetKeys()) {
              const PdfObject* s = Resolve(cp.second);
              if (s == nullptr || !s->HasStream()) continue;
              if (s->Reference().ObjectNumber() != 0 && !forms_done_.insert(s->Reference().ObjectNumber()).second) continue;
              std::string d;
              Decode(s, &d);
              if (fres == nullptr && part_ >= 2 && UsesNamedResources(d)) {
                // ISO 19005-2 6.2.2: glyph procedures do not borrow the
                // resources of the page that shows them.
                Add("6.2.2", "a Type 3 glyph procedure uses named resources but its font has no Resources dictionary",
                    RefString(s));
              }
              CheckContent(d, fres != nullptr ? fres : res, RefString(s), depth + 1);
            }
          }
        }
      }
    }
  }

  bool IsTransparentGs(const PdfObject* gs) {
    const PdfObject* sm = Get(gs, "SMask");
    if (sm != nullptr && NameOf(sm) != "None") return true;
    for (const char* k : {"CA", "ca"}) {
      const PdfObject* v = Get(gs, k);
      if (v != nullptr && (v->IsReal() || v->IsNumber()) && v->GetReal() < 1.0 - 1e-6) return true;
    }
    std::string bm = GetName(gs, "BM");
    return !bm.empty() && bm != "Normal" && bm != "Compatible";
  }

  bool IsTransparentXObject(const PdfObject* x) {
    if (GetName(x, "Subtype") == "Image") {
      if (Has(x, "SMask")) return true;
      const PdfObject* sid = Get(x, "SMaskInData");
      return sid != nullptr && sid->IsNumber() && sid->GetNumber() > 0;
    }
    return GetName(Get(x, "Group"), "S") == "Transparency";
  }

  // ---- graphics state, images, forms
  void CheckExtGState(const PdfObject* gs) {
    const std::string ref = RefString(gs);
    if (Has(gs, "TR")) Add(C("6.2.8", "6.2.5"), "an ExtGState has a TR (transfer function) entry", ref);
    if (const PdfObject* tr2 = Get(gs, "TR2"); tr2 != nullptr && NameOf(tr2) != "Default") {
      Add(C("6.2.8", "6.2.5"), "an ExtGState has a TR2 entry other than Default", ref);
    }
    if (Has(gs, "HTP")) Add(C("6.2.8", "6.2.5"), "an ExtGState has an HTP entry", ref);
    if (part_ >= 2) {
      if (const PdfObject* ht = Get(gs, "HT"); ht != nullptr && ht->IsDictionary()) {
        const PdfObject* t = Get(ht, "HalftoneType");
        if (t != nullptr && t->IsNumber() && t->GetNumber() != 1 && t->GetNumber() != 5) {
          Add("6.2.5", "a halftone's HalftoneType is not 1 or 5", RefString(ht));
        }
        if (Has(ht, "HalftoneName")) Add("6.2.5", "a halftone has a HalftoneName entry", RefString(ht));
        // ISO 32000-1 Table 130: a halftone for a primary colour (or the
        // top-level one) has no TransferFunction; one for another colorant
        // of a type 5 halftone has one; Default may have either.
        if (Has(ht, "TransferFunction")) Add("6.2.5", "a halftone has a TransferFunction", RefString(ht));
        if (t != nullptr && t->IsNumber() && t->GetNumber() == 5) {
          for (const auto& kv : ht->GetDictionary().GetKeys()) {
            const std::string colorant = kv.first.GetName();
            const PdfObject* sub = Resolve(kv.second);
            if (sub == nullptr || !sub->IsDictionary() || colorant == "Default" || colorant == "Type" ||
                colorant == "HalftoneType" || colorant == "HalftoneName") {
              continue;
            }
            const bool primary = colorant == "Cyan" || colorant == "Magenta" || colorant == "Yellow" || colorant == "Black" ||
                                 colorant == "Red" || colorant == "Green" || colorant == "Blue" || colorant == "Gray";
            const bool has_tf = Has(sub, "TransferFunction");
            if (primary && has_tf) {
              Add("6.2.5", "the halftone for the primary colorant " + colorant + " has a TransferFunction", RefString(ht));
            } else if (!primary && !has_tf) {
              Add("6.2.5", "the halftone for the colorant " + colorant + " has no TransferFunction", RefString(ht));
            }
          }
        }
      }
    }
    if (const PdfObject* ri = Get(gs, "RI"); ri != nullptr && ri->IsName()) CheckRenderingIntent(NameOf(ri), ref);
    if (part_ == 1) {
      const PdfObject* sm = Get(gs, "SMask");
      if (sm != nullptr && NameOf(sm) != "None") Add("6.4", "an ExtGState has a soft mask (SMask other than None)", ref);
      const std::string bm = GetName(gs, "BM");
      if (!bm.empty() && bm != "Normal" && bm != "Compatible") Add("6.4", "an ExtGState uses the blend mode " + bm, ref);
      if (const PdfObject* bma = Get(gs, "BM"); bma != nullptr && bma->IsArray()) {
        for (const PdfObject& e : bma->GetArray()) {
          std::string n = NameOf(Resolve(&e));
          if (n != "Normal" && n != "Compatible") Add("6.4", "an ExtGState uses the blend mode " + n, ref);
        }
      }
      for (const char* k : {"CA", "ca"}) {
        const PdfObject* v = Get(gs, k);
        if (v != nullptr && (v->IsReal() || v->IsNumber()) && std::fabs(v->GetReal() - 1.0) > 1e-6) {
          Add("6.4", std::string("an ExtGState has ") + k + " other than 1.0", ref);
        }
      }
    } else {
      static const std::set<std::string> kBlend = {"Normal", "Compatible", "Multiply", "Screen", "Overlay", "Darken",
                                                   "Lighten", "ColorDodge", "ColorBurn", "HardLight", "SoftLight",
                                                   "Difference", "Exclusion", "Hue", "Saturation", "Color", "Luminosity"};
      const std::string bm = GetName(gs, "BM");
      if (!bm.empty() && !kBlend.count(bm)) Add("6.2.10", "an ExtGState uses the undefined blend mode " + bm, ref);
    }
  }

  void CheckImage(const PdfObject* im) {
    const std::string ref = RefString(im);
    if (Has(im, "Alternates")) Add(C("6.2.4", "6.2.8"), "an image has an Alternates entry", ref);
    if (Has(im, "OPI")) Add(C("6.2.4", "6.2.8"), "an image has an OPI entry", ref);
    const PdfObject* interp = Get(im, "Interpolate");
    if (interp != nullptr && interp->IsBool() && interp->GetBool()) {
      Add(C("6.2.4", "6.2.8"), "an image has Interpolate true", ref);
    }
    if (part_ == 1 && Has(im, "SMask")) Add("6.4", "an image has a soft mask (SMask)", ref);
    if (part_ >= 2) {
      const PdfObject* bpc = Get(im, "BitsPerComponent");
      if (bpc != nullptr && bpc->IsNumber()) {
        int64_t b = bpc->GetNumber();
        if (b != 1 && b != 2 && b != 4 && b != 8 && b != 16) {
          Add("6.2.8", "an image's BitsPerComponent is not 1, 2, 4, 8 or 16", ref);
        }
        const PdfObject* mask = Get(im, "ImageMask");
        if (mask != nullptr && mask->IsBool() && mask->GetBool() && b != 1) {
          Add("6.2.8", "an image mask's BitsPerComponent is not 1", ref);
        }
      }
    }
    const PdfObject* f = Get(im, "Filter");
    bool jpx = NameOf(f) == "JPXDecode";
    if (f != nullptr && f->IsArray()) {
      for (const PdfObject& e : f->GetArray()) jpx = jpx || NameOf(Resolve(&e)) == "JPXDecode";
    }
    if (jpx && part_ == 1) Add("6.1.10", "an image uses the JPXDecode filter (JPEG 2000)", ref);
    if (jpx && part_ >= 2) CheckJpx(im);
  }

  // ISO 19005-2 6.2.8.3: the JPEG 2000 codestream inside the JP2 wrapper.
  void CheckJpx(const PdfObject* im) {
    const std::string ref = RefString(im);
    std::string raw;
    try {
      char* buf = nullptr;
      PoDoFo::pdf_long len = 0;
      const PoDoFo::PdfStream* s = im->GetStream();
      if (s->GetLength() > static_cast<PoDoFo::pdf_long>(limits_.max_stream_decoded_bytes)) return;
      s->GetCopy(&buf, &len);
      raw.assign(buf, static_cast<size_t>(std::max<PoDoFo::pdf_long>(len, 0)));
      PoDoFo::podofo_free(buf);
    } catch (const PdfError&) {
      return;
    }
    // Walk JP2 boxes for ihdr (components) and colr (method, enumerated space).
    size_t pos = 0;
    int colr_count = 0;
    int nc = -1;
    int bpc = -1;
    std::function<void(size_t, size_t, int)> walk = [&](size_t b, size_t e, int depth) {
      size_t p = b;
      while (p + 8 <= e && depth < 4) {
        uint64_t len = (uint64_t{static_cast<unsigned char>(raw[p])} << 24) | (uint64_t{static_cast<unsigned char>(raw[p + 1])} << 16) |
                       (uint64_t{static_cast<unsigned char>(raw[p + 2])} << 8) | uint64_t{static_cast<unsigned char>(raw[p + 3])};
        std::string type = raw.substr(p + 4, 4);
        size_t hdr = 8;
        if (len == 1 && p + 16 <= e) {
          len = 0;
          for (int k = 0; k < 8; ++k) len = (len << 8) | static_cast<unsigned char>(raw[p + 8 + static_cast<size_t>(k)]);
          hdr = 16;
        } else if (len == 0) {
          len = e - p;
        }
        if (len < hdr || p + len > e) return;
        if (type == "jp2h") walk(p + hdr, p + len, depth + 1);
        if (type == "ihdr" && len >= hdr + 11) {
          nc = (static_cast<unsigned char>(raw[p + hdr + 8]) << 8) | static_cast<unsigned char>(raw[p + hdr + 9]);
          bpc = static_cast<unsigned char>(raw[p + hdr + 10]);
        }
        if (type == "colr" && len >= hdr + 3) {
          int meth = static_cast<unsigned char>(raw[p + hdr]);
          int approx = static_cast<unsigned char>(raw[p + hdr + 2]);
          ++colr_count;
          if (meth == 1 || meth == 2 || meth == 3) {
            if (approx == 1 || colr_count == 1) ++jpx_good_colr_;
          }
          if (meth != 1 && meth != 2 && meth != 3) {
            Add("6.2.8.3", "a JPEG 2000 image's colour specification method is not 1, 2 or 3", ref);
          }
          if (meth == 1 && len >= hdr + 7) {
            uint32_t ecs = (uint32_t{static_cast<unsigned char>(raw[p + hdr + 3])} << 24) |
                           (uint32_t{static_cast<unsigned char>(raw[p + hdr + 4])} << 16) |
                           (uint32_t{static_cast<unsigned char>(raw[p + hdr + 5])} << 8) |
                           uint32_t{static_cast<unsigned char>(raw[p + hdr + 6])};
            if (ecs == 19 && !Has(im, "ColorSpace")) {
              Add("6.2.8.3", "a JPEG 2000 image uses the CIEJab enumerated colour space", ref);
            }
          }
        }
        p += static_cast<size_t>(len);
      }
    };
    walk(pos, raw.size(), 0);
    if (nc != -1 && nc != 1 && nc != 3 && nc != 4 && !Has(im, "ColorSpace")) {
      Add("6.2.8.3", "a JPEG 2000 image has a number of colour channels other than 1, 3 or 4", ref);
    }
    if (bpc != 255 && bpc != -1 && ((bpc & 0x7f) + 1 < 1 || (bpc & 0x7f) + 1 > 38)) {
      Add("6.2.8.3", "a JPEG 2000 image has an invalid bit depth", ref);
    }
    if (colr_count > 1 && !Has(im, "ColorSpace")) {
      // More than one colr box: exactly one must have APPROX 1 (ISO 19005-2 6.2.8.3).
      if (jpx_good_colr_ != 1) Add("6.2.8.3", "a JPEG 2000 image has several colour specifications and not exactly one with APPROX 1", ref);
    }
  }

  void CheckFormXObject(const PdfObject* x) {
    const std::string ref = RefString(x);
    if (Has(x, "OPI")) Add(C("6.2.5", "6.2.9.1"), "a form XObject has an OPI entry", ref);
    if (GetName(x, "Subtype2") == "PS") Add(C("6.2.5", "6.2.9.1"), "a form XObject has Subtype2 PS", ref);
    if (Has(x, "PS")) Add(C("6.2.5", "6.2.9.1"), "a form XObject has a PS entry", ref);
    if (Has(x, "Ref")) Add(C("6.2.5", "6.2.9.2"), "a reference XObject is used", ref);
    const PdfObject* group = Get(x, "Group");
    if (part_ == 1 && group != nullptr && GetName(group, "S") == "Transparency") {
      Add("6.4", "a form XObject has a transparency group", ref);
    }
  }

  // ---- fonts
  // ISO 19005-1 6.3.2 / ISO 19005-2 6.2.11.2: the font dictionary has the
  // entries ISO 32000-1 9.6-9.7 requires: Type Font, a known Subtype,
  // BaseFont (not for Type 3), and for simple fonts FirstChar, LastChar and
  // a Widths array of LastChar - FirstChar + 1 entries.
  void CheckFontDictionary(const PdfObject* f, const std::string& st, const std::string& ref) {
    const char* clause = C("6.3.2", "6.2.11.2");
    if (GetName(f, "Type") != "Font") Add(clause, "a font dictionary's Type is not Font", ref);
    static const std::set<std::string> kSubtypes = {"Type0", "Type1", "MMType1", "Type3", "TrueType", "CIDFontType0", "CIDFontType2"};
    if (!kSubtypes.count(st)) {
      Add(clause, "a font dictionary's Subtype " + st + " is not a font type", ref);
      return;
    }
    if (st != "Type3" && !Has(f, "BaseFont")) Add(clause, "a font dictionary has no BaseFont", ref);
    if (st != "Type1" && st != "MMType1" && st != "TrueType" && st != "Type3") return;
    // FirstChar, LastChar and Widths are optional for the standard 14 fonts
    // (ISO 32000-1 Table 111, by BaseFont name, embedded or not); whether
    // such a font may be used unembedded is 6.3.4 / 6.2.11.4.1's question.
    if (st == "Type1" && IsStandard14(GetName(f, "BaseFont"))) return;
    const PdfObject* first = Get(f, "FirstChar");
    const PdfObject* last = Get(f, "LastChar");
    const PdfObject* widths = Get(f, "Widths");
    if (first == nullptr || !first->IsNumber()) Add(clause, "a simple font has no FirstChar", ref);
    if (last == nullptr || !last->IsNumber()) Add(clause, "a simple font has no LastChar", ref);
    if (widths == nullptr || !widths->IsArray()) {
      Add(clause, "a simple font has no Widths array", ref);
    } else if (first != nullptr && last != nullptr && first->IsNumber() && last->IsNumber() &&
               static_cast<int64_t>(widths->GetArray().size()) != last->GetNumber() - first->GetNumber() + 1) {
      Add(clause, "a simple font's Widths array does not have LastChar - FirstChar + 1 entries", ref);
    }
  }

  static bool IsStandard14(const std::string& name) {
    static const std::set<std::string> kNames = {
        "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
        "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
        "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
        "Symbol", "ZapfDingbats"};
    return kNames.count(name) != 0;
  }

  // Whether the font descriptor leads to a font program stream.
  bool HasFontProgram(const PdfObject* fd) {
    if (fd == nullptr) return false;
    for (const char* k : {"FontFile", "FontFile2", "FontFile3"}) {
      const PdfObject* ff = Get(fd, k);
      if (ff != nullptr && ff->HasStream()) return true;
    }
    return false;
  }

  void CheckFont(const PdfObject* f) {
    const std::string ref = RefString(f);
    const std::string st = GetName(f, "Subtype");
    const std::string base = GetName(f, "BaseFont");
    CheckFontDictionary(f, st, ref);
    if (st == "Type0") {
      CheckType0(f);
      return;
    }
    if (st == "Type3") {
      CheckType3(f);
      return;
    }
    const PdfObject* fd = Get(f, "FontDescriptor");
    if (st != "CIDFontType0" && st != "CIDFontType2") CheckUnicode(f, fd, base, ref);
    const char* embed_clause = C("6.3.4", "6.2.11.4.1");
    // Reported once the pages are walked: a font used only for invisible
    // text (rendering mode 3) need not be embedded (ISO 19005-1 6.3.4,
    // ISO 19005-2 6.2.11.4.1).
    const PdfObject* user = type0_parent_ != nullptr ? type0_parent_ : f;
    if (fd == nullptr) {
      unembedded_.push_back({user, {embed_clause, "the font " + base + " has no font descriptor and is not embedded", ref}});
      return;
    }
    // The key alone is not enough: it must lead to a font program stream.
    if (!HasFontProgram(fd)) {
      unembedded_.push_back({user, {embed_clause, "the font " + base + " is not embedded", ref}});
      return;
    }
    bool subset = base.size() > 7 && base[6] == '+' &&
                  std::all_of(base.begin(), base.begin() + 6, [](char c) { return c >= 'A' && c <= 'Z'; });
    if (part_ == 1 && subset && (st == "Type1" || st == "MMType1") && !Has(fd, "CharSet")) {
      Add("6.3.5", "the Type 1 font subset " + base + " has no CharSet", RefString(fd));
    }
    if (const PdfObject* cs = Get(fd, "CharSet"); IsStr(cs) && cs->GetString().GetLength() == 0) {
      Add(C("6.3.5", "6.2.11.4.2"), "the font " + base + " has an empty CharSet", RefString(fd));
    }
    if (st == "CIDFontType0" || st == "CIDFontType2") {
      if (part_ == 1 && subset && !Has(fd, "CIDSet")) {
        Add("6.3.5", "the CIDFont subset " + base + " has no CIDSet", RefString(fd));
      }
      if (st == "CIDFontType2") {
        const PdfObject* m = Get(f, "CIDToGIDMap");
        if (m != nullptr && !m->HasStream() && NameOf(m) != "Identity") {
          Add(C("6.3.3.2", "6.2.11.3.2"), "a Type 2 CIDFont's CIDToGIDMap is neither Identity nor a stream", ref);
        }
        if (m == nullptr && part_ >= 2) {
          Add("6.2.11.3.2", "a Type 2 CIDFont has no CIDToGIDMap", ref);
        }
      }
      return;
    }
    if (st == "TrueType" && part_ >= 2) {
      const PdfObject* flags = Get(fd, "Flags");
      bool symbolic = flags != nullptr && flags->IsNumber() && (flags->GetNumber() & 4) != 0;
      const PdfObject* enc = Get(f, "Encoding");
      if (symbolic && enc != nullptr) {
        Add("6.2.11.6", "the symbolic TrueType font " + base + " has an Encoding entry", ref);
      }
      if (!symbolic) {
        // MacRoman or WinAnsi, by name or as the BaseEncoding; an encoding
        // with a Differences array instead needs Glyph List names (and a
        // (3,1) cmap, checked with the program in CheckTrueTypeCmaps).
        std::string en = NameOf(enc);
        const PdfObject* diffs = Get(enc, "Differences");
        const bool custom = diffs != nullptr && diffs->IsArray() && !diffs->GetArray().empty();
        if (enc != nullptr && enc->IsDictionary()) en = GetName(enc, "BaseEncoding");
        if (custom) {
          for (const auto& [code, name] : DifferencesOf(f)) {
            if (!IsUnicodeGlyphName(name)) {
              Add("6.2.11.6", "the non-symbolic TrueType font " + base + " has the glyph name " + name +
                      " in its Differences, which is not in the Adobe Glyph List", ref);
              break;
            }
          }
        } else if (en != "MacRomanEncoding" && en != "WinAnsiEncoding") {
          Add("6.2.11.6", "the non-symbolic TrueType font " + base + " does not use MacRomanEncoding or WinAnsiEncoding", ref);
        }
      }
    }
  }

  // Level U, simple fonts: the ToUnicode values (when present). Whether each
  // used code maps to Unicode is checked per glyph in CheckUsedUnicode.
  void CheckUnicode(const PdfObject* f, const PdfObject*, const std::string&, const std::string&) {
    if (report_.profile == PdfaProfile::k2u && Has(f, "ToUnicode")) CheckToUnicode(Get(f, "ToUnicode"));
  }

  // ISO 19005-2 6.2.11.7.2 (level U): every glyph shown (the referenced
  // glyphs, not every code the font could show) maps to Unicode, by the
  // font's ToUnicode CMap or, without one, by a glyph name in the Adobe
  // Glyph List: from the Differences array, a predefined base encoding
  // (MacRoman, MacExpert, WinAnsi, Standard), or, for Type 1 fonts without
  // an Encoding, the program's built-in encoding. Codes whose name cannot
  // be determined because the program is unreadable are not reported.
  void CheckUsedUnicode(const PdfObject* f, const std::string& st, const std::string& shown) {
    if (report_.profile != PdfaProfile::k2u || shown.empty()) return;
    if (st != "Type1" && st != "MMType1" && st != "TrueType" && st != "Type3") return;
    if (const PdfObject* tu = Get(f, "ToUnicode"); tu != nullptr && tu->HasStream()) return;
    const PdfObject* fd = Get(f, "FontDescriptor");
    const PdfObject* enc = Get(f, "Encoding");
    std::string base = NameOf(enc);
    if (enc != nullptr && enc->IsDictionary()) base = GetName(enc, "BaseEncoding");
    const bool named_base = base == "WinAnsiEncoding" || base == "MacRomanEncoding" ||
                            base == "MacExpertEncoding" || base == "StandardEncoding";
    const std::map<int, std::string> diffs = DifferencesOf(f);
    const PdfObject* fl = Get(fd, "Flags");
    const bool symbolic = fl != nullptr && fl->IsNumber() && (fl->GetNumber() & 4) != 0;
    std::set<int> codes;
    for (char ch : shown) codes.insert(static_cast<unsigned char>(ch));
    for (int code : codes) {
      std::string name;
      bool unknown = false;  // the name cannot be determined here
      if (auto d = diffs.find(code); d != diffs.end()) {
        name = d->second;
      } else if (named_base) {
        // Codes 32..126 have the ASCII names; above 127 the predefined
        // encodings assign names of the Adobe standard Latin set (Annex D),
        // all in the Glyph List; below 32 nothing is assigned.
        // MacExpertEncoding's names (small capitals, old-style figures) and
        // the codes from 127 up are not tabulated here: not judged.
        if (code < 32 || (code == 127 && base != "WinAnsiEncoding")) {
          // nothing assigned: no name (WinAnsiEncoding gives 127 the bullet)
        } else if (base == "MacExpertEncoding" || code >= 127) {
          unknown = true;
        } else {
          name = LatinName(code, base == "StandardEncoding");
        }
      } else if (st == "Type1" || st == "MMType1") {
        const FontProgram* fp = ProgramOf(fd);
        if (fp == nullptr) {
          unknown = true;
        } else if (auto e = fp->encoding.find(code); e != fp->encoding.end()) {
          name = e->second;
        } else if (fp->standard_encoding) {
          if (code >= 127) unknown = true;  // StandardEncoding's upper half is not tabulated here
          else name = LatinName(code, true);
        }
      } else if (st == "TrueType" && !symbolic) {
        // ISO 32000-1 9.6.6.4: StandardEncoding (upper half not tabulated here).
        if (code >= 127) unknown = true;
        else name = LatinName(code, true);
      }
      if (unknown) continue;
      if (name.empty() || name == ".notdef" || !IsUnicodeGlyphName(name)) {
        Add("6.2.11.7.2", "the font " + GetName(f, "BaseFont") + " has no ToUnicode map and character code " +
                std::to_string(code) + (name.empty() ? " has no glyph name" : " has the glyph name " + name) +
                ", which does not map to Unicode",
            RefString(f));
        return;
      }
    }
  }

  // Glyph names a simple font's Encoding Differences give to codes.
  std::map<int, std::string> DifferencesOf(const PdfObject* f) {
    std::map<int, std::string> out;
    const PdfObject* enc = Get(f, "Encoding");
    const PdfObject* diff = Get(enc, "Differences");
    if (diff == nullptr || !diff->IsArray()) return out;
    int64_t code = 0;
    for (const PdfObject& e : diff->GetArray()) {
      const PdfObject* r = Resolve(&e);
      if (r == nullptr) continue;
      if (r->IsNumber()) code = r->GetNumber();
      else if (r->IsName() && code >= 0 && code < 256) out[static_cast<int>(code++)] = NameOf(r);
    }
    return out;
  }

  // Type 3 fonts: Widths must match the glyph widths set by d0/d1 in each
  // glyph procedure (ISO 19005-1 6.3.6, ISO 19005-2 6.2.11.5); level U needs
  // ToUnicode unless every glyph name is a standard Unicode-derivable name.
  void CheckType3(const PdfObject* f) {
    const std::string ref = RefString(f);
    std::map<int, std::string> names = DifferencesOf(f);
    const PdfObject* widths = Get(f, "Widths");
    const PdfObject* first = Get(f, "FirstChar");
    const PdfObject* procs = Get(f, "CharProcs");
    if (widths != nullptr && widths->IsArray() && first != nullptr && first->IsNumber() && procs != nullptr) {
      const PdfArray& w = widths->GetArray();
      int64_t fc = first->GetNumber();
      for (const auto& [code, name] : names) {
        int64_t idx = code - fc;
        if (idx < 0 || static_cast<size_t>(idx) >= w.size()) continue;
        const PdfObject* wv = Resolve(&w[static_cast<size_t>(idx)]);
        const PdfObject* proc = Get(procs, name.c_str());
        if (wv == nullptr || !(wv->IsNumber() || wv->IsReal()) || proc == nullptr) continue;
        std::string data;
        if (!Decode(proc, &data)) continue;
        // The first number of the procedure is wx of "wx wy d0" or "wx wy ... d1".
        size_t p = data.find_first_not_of(" \t\r\n");
        if (p == std::string::npos) continue;
        size_t e = data.find_first_of(" \t\r\n", p);
        std::string tok = data.substr(p, e == std::string::npos ? std::string::npos : e - p);
        if (data.find(" d0") == std::string::npos && data.find(" d1") == std::string::npos) continue;
        char* endp = nullptr;
        double gw = std::strtod(tok.c_str(), &endp);
        if (endp == tok.c_str()) continue;
        if (std::fabs(gw - wv->GetReal()) > 1.0) {
          Add(C("6.3.6", "6.2.11.5"), "the Type 3 font's Widths entry for glyph " + name + " differs from the glyph's own width", ref);
          break;
        }
      }
    }
    if (report_.profile == PdfaProfile::k2u && Has(f, "ToUnicode")) CheckToUnicode(Get(f, "ToUnicode"));
  }

  // Glyph names that map to Unicode without a ToUnicode map: uniXXXX, uXXXX[XX]
  // and the Latin names of the standard encodings (ISO 32000-1 9.10.2).
  static bool IsUnicodeGlyphName(const std::string& full) {
    // Adobe Glyph List conventions: a suffix after the first period is
    // ignored; ligature names join components with underscores.
    std::string n = full.substr(0, full.find('.'));
    if (n.empty()) return false;
    if (n.find('_') != std::string::npos) {
      for (size_t p = 0; p <= n.size();) {
        size_t q = n.find('_', p);
        if (q == std::string::npos) q = n.size();
        if (q == p || !IsUnicodeGlyphName(n.substr(p, q - p))) return false;
        p = q + 1;
      }
      return true;
    }
    static const std::set<std::string> kSymbol = {
        "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa", "Lambda", "Mu",
        "Nu", "Xi", "Omicron", "Pi", "Rho", "Sigma", "Tau", "Upsilon", "Phi", "Chi", "Psi", "Omega", "alpha",
        "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "nu", "xi",
        "omicron", "pi", "rho", "sigma", "sigma1", "tau", "upsilon", "phi", "chi", "psi", "omega", "theta1",
        "phi1", "omega1", "Upsilon1", "universal", "existential", "suchthat", "asteriskmath", "congruent",
        "therefore", "perpendicular", "similar", "approxequal", "notequal", "equivalence", "lessequal",
        "greaterequal", "infinity", "partialdiff", "gradient", "product", "summation", "radical", "angle",
        "logicaland", "logicalor", "intersection", "union", "propersuperset", "reflexsuperset", "notsubset",
        "propersubset", "reflexsubset", "element", "notelement", "arrowboth", "arrowleft", "arrowup",
        "arrowright", "arrowdown", "arrowdblboth", "arrowdblleft", "arrowdblup", "arrowdblright", "arrowdbldown",
        "lozenge", "club", "diamond", "heart", "spade", "aleph", "Ifraktur", "Rfraktur", "weierstrass",
        "circlemultiply", "circleplus", "emptyset", "minute", "second", "dotmath", "proportional", "angleleft",
        "angleright", "carriagereturn", "florin", "integral", "bullet", "ellipsis", "dagger", "daggerdbl",
        "quotesingle", "exclamdbl", "dotlessj", "ff", "ffi", "ffl", "Lcaron", "lcaron", "Dcroat", "dcroat",
        "Idotaccent", "Gbreve", "gbreve", "Scedilla", "scedilla", "Ohorn", "ohorn", "Uhorn", "uhorn"};
    if (kSymbol.count(n)) return true;
    // Latin letters with diacritics as the Glyph List names them: a base
    // letter followed by accent names ("Acircumflexacute", "ohornhookabove",
    // "Ncommaaccent"), and the afiiNNNNN names (Cyrillic, Hebrew, Arabic).
    // An approximation of the list (it also accepts a few combinations the
    // list lacks), chosen so that real Latin and Vietnamese text is not
    // refused.
    if (n.size() > 4 && n.rfind("afii", 0) == 0 &&
        std::all_of(n.begin() + 4, n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return true;
    }
    // Greek letters with tonos or dieresis ("Alphatonos", "iotadieresistonos").
    for (const char* suffix : {"dieresistonos", "tonos", "dieresis"}) {
      const size_t len = std::strlen(suffix);
      if (n.size() > len && n.compare(n.size() - len, len, suffix) == 0 && kSymbol.count(n.substr(0, n.size() - len))) {
        return true;
      }
    }
    if (n.size() > 1 && std::isalpha(static_cast<unsigned char>(n[0]))) {
      // "dot", "bar" and "slash" are the Glyph List's other letter
      // modifiers ("Gdot", "Hbar", "Dslash", "Ldot").
      static const char* const kAccents[] = {"circumflex", "dieresis", "hungarumlaut", "commaaccent", "dotaccent",
                                             "hookabove", "dotbelow", "cedilla", "macron", "ogonek", "acute",
                                             "grave", "tilde", "caron", "breve", "ring", "horn", "tonos",
                                             "dot", "bar", "slash"};
      size_t p = 1;
      bool ok = true;
      while (ok && p < n.size()) {
        ok = false;
        for (const char* a : kAccents) {
          size_t len = std::strlen(a);
          if (n.compare(p, len, a) == 0) {
            p += len;
            ok = true;
            break;
          }
        }
      }
      if (ok) return true;
    }
    auto hex = [](const std::string& s, size_t b) {
      return s.size() > b && std::all_of(s.begin() + static_cast<long>(b), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
             });
    };
    if (n.rfind("uni", 0) == 0 && (n.size() - 3) % 4 == 0 && hex(n, 3)) return true;
    if (n.size() >= 5 && n.size() <= 7 && n[0] == 'u' && hex(n, 1)) return true;
    if (n.size() == 1 && std::isalpha(static_cast<unsigned char>(n[0]))) return true;
    static const std::set<std::string> kNames = {
        "space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "quotesingle", "quoteright",
        "parenleft", "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash", "zero", "one", "two",
        "three", "four", "five", "six", "seven", "eight", "nine", "colon", "semicolon", "less", "equal", "greater",
        "question", "at", "bracketleft", "backslash", "bracketright", "asciicircum", "underscore", "grave",
        "quoteleft", "braceleft", "bar", "braceright", "asciitilde", "exclamdown", "cent", "sterling", "fraction",
        "yen", "florin", "section", "currency", "quotedblleft", "guillemotleft", "guilsinglleft", "guilsinglright",
        "fi", "fl", "endash", "dagger", "daggerdbl", "periodcentered", "paragraph", "bullet", "quotesinglbase",
        "quotedblbase", "quotedblright", "guillemotright", "ellipsis", "perthousand", "questiondown", "acute",
        "circumflex", "tilde", "macron", "breve", "dotaccent", "dieresis", "ring", "cedilla", "hungarumlaut",
        "ogonek", "caron", "emdash", "AE", "ordfeminine", "Lslash", "Oslash", "OE", "ordmasculine", "ae",
        "dotlessi", "lslash", "oslash", "oe", "germandbls", "Euro", "trademark", "copyright", "registered",
        "degree", "plusminus", "multiply", "divide", "minus", "mu", "onehalf", "onequarter", "threequarters",
        "onesuperior", "twosuperior", "threesuperior", "logicalnot", "brokenbar", "Aacute", "Agrave", "Acircumflex",
        "Adieresis", "Atilde", "Aring", "Ccedilla", "Eacute", "Egrave", "Ecircumflex", "Edieresis", "Iacute",
        "Igrave", "Icircumflex", "Idieresis", "Eth", "Ntilde", "Oacute", "Ograve", "Ocircumflex", "Odieresis",
        "Otilde", "Scaron", "Thorn", "Uacute", "Ugrave", "Ucircumflex", "Udieresis", "Yacute", "Ydieresis",
        "Zcaron", "aacute", "agrave", "acircumflex", "adieresis", "atilde", "aring", "ccedilla", "eacute", "egrave",
        "ecircumflex", "edieresis", "iacute", "igrave", "icircumflex", "idieresis", "eth", "ntilde", "oacute",
        "ograve", "ocircumflex", "odieresis", "otilde", "scaron", "thorn", "uacute", "ugrave", "ucircumflex",
        "udieresis", "yacute", "ydieresis", "zcaron", "nbspace", "sfthyphen",
        // Latin letters and ligatures without an accent suffix.
        "IJ", "ij", "Eng", "eng", "kgreenlandic", "napostrophe", "longs", "AEacute", "aeacute", "Oslashacute",
        "oslashacute", "Schwa", "schwa", "Ydotbelow",
        // Punctuation, figures, currency and symbols.
        "middot", "quotereversed", "figuredash", "onedotenleader", "twodotenleader", "exclamdbl", "nsuperior",
        "zerosuperior", "foursuperior", "fivesuperior", "sixsuperior", "sevensuperior", "eightsuperior",
        "ninesuperior", "zeroinferior", "oneinferior", "twoinferior", "threeinferior", "fourinferior",
        "fiveinferior", "sixinferior", "seveninferior", "eightinferior", "nineinferior", "onethird", "twothirds",
        "oneeighth", "threeeighths", "fiveeighths", "seveneighths", "estimated", "franc", "lira", "peseta",
        "sheqel", "dong", "colonmonetary", "increment", "nabla", "integraltp", "integralbt", "arrowupdn",
        "arrowupdnbse", "house", "filledbox", "filledrect", "invbullet", "invcircle", "openbullet", "smileface",
        "invsmileface", "sun", "female", "male", "musicalnote", "musicalnotedbl", "triagup", "triagdn", "triaglf",
        "triagrt", "circle", "anoteleia", "dieresistonos", "tonos", "prescription", "careof", "Ifraktur",
        "Rfraktur", "afii61352", "orthogonal", "lozenge", "revlogicalnot", "ringhalfleft", "ringhalfright"};
    return kNames.count(n) > 0;
  }

  // ISO 19005-2 6.2.11.7.2: ToUnicode values U+0000, U+FEFF and U+FFFE are not allowed.
  void CheckToUnicode(const PdfObject* tu) {
    std::string d;
    if (tu == nullptr || !Decode(tu, &d)) return;
    auto check_block = [&](const char* begin, const char* end, size_t dst_index) {
      size_t p = 0;
      while ((p = d.find(begin, p)) != std::string::npos) {
        size_t q = d.find(end, p);
        if (q == std::string::npos) q = d.size();
        // Split into hex tokens per line; the destination is token dst_index.
        size_t line_start = p + std::strlen(begin);
        while (line_start < q) {
          size_t line_end = d.find_first_of("\r\n", line_start);
          if (line_end == std::string::npos || line_end > q) line_end = q;
          std::string line = d.substr(line_start, line_end - line_start);
          std::vector<std::string> toks;
          for (size_t a = line.find('<'); a != std::string::npos; a = line.find('<', a + 1)) {
            size_t b = line.find('>', a);
            if (b == std::string::npos) break;
            toks.push_back(line.substr(a + 1, b - a - 1));
            a = b;
          }
          if (toks.size() > dst_index && line.find('[') == std::string::npos) {
            std::string v = toks[dst_index];
            std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            if (v == "0000" || v == "FEFF" || v == "FFFE" || v == "00") {
              Add("6.2.11.7.2", "a ToUnicode map maps a character to U+" + v + ", which is not allowed", RefString(tu));
              return;
            }
          }
          line_start = line_end + 1;
        }
        p = q;
      }
    };
    check_block("beginbfchar", "endbfchar", 1);
    check_block("beginbfrange", "endbfrange", 2);
  }

  void CheckType0(const PdfObject* f) {
    const std::string ref = RefString(f);
    const PdfObject* enc = Get(f, "Encoding");
    const PdfObject* desc = Get(f, "DescendantFonts");
    const PdfObject* cid = nullptr;
    if (desc != nullptr && desc->IsArray() && !desc->GetArray().empty()) cid = Resolve(&desc->GetArray()[0]);
    const char* cmap_clause = C("6.3.3.3", "6.2.11.3.3");
    static const std::set<std::string> kCMaps = {
          "Identity-H", "Identity-V", "GB-EUC-H", "GB-EUC-V", "GBpc-EUC-H", "GBpc-EUC-V", "GBK-EUC-H", "GBK-EUC-V",
          "GBKp-EUC-H", "GBKp-EUC-V", "GBK2K-H", "GBK2K-V", "UniGB-UCS2-H", "UniGB-UCS2-V", "UniGB-UTF16-H",
          "UniGB-UTF16-V", "B5pc-H", "B5pc-V", "HKscs-B5-H", "HKscs-B5-V", "ETen-B5-H", "ETen-B5-V", "ETenms-B5-H",
          "ETenms-B5-V", "CNS-EUC-H", "CNS-EUC-V", "UniCNS-UCS2-H", "UniCNS-UCS2-V", "UniCNS-UTF16-H",
          "UniCNS-UTF16-V", "83pv-RKSJ-H", "90ms-RKSJ-H", "90ms-RKSJ-V", "90msp-RKSJ-H", "90msp-RKSJ-V",
          "90pv-RKSJ-H", "Add-RKSJ-H", "Add-RKSJ-V", "EUC-H", "EUC-V", "Ext-RKSJ-H", "Ext-RKSJ-V", "H", "V",
          "UniJIS-UCS2-H", "UniJIS-UCS2-V", "UniJIS-UCS2-HW-H", "UniJIS-UCS2-HW-V", "UniJIS-UTF16-H",
          "UniJIS-UTF16-V", "KSC-EUC-H", "KSC-EUC-V", "KSCms-UHC-H", "KSCms-UHC-V", "KSCms-UHC-HW-H",
          "KSCms-UHC-HW-V", "KSCpc-EUC-H", "UniKS-UCS2-H", "UniKS-UCS2-V", "UniKS-UTF16-H", "UniKS-UTF16-V"};
    if (enc != nullptr && enc->IsName()) {
      std::string n = NameOf(enc);
      if (!kCMaps.count(n)) Add(cmap_clause, "the CMap " + n + " is neither predefined nor embedded", ref);
    } else if (enc != nullptr && enc->HasStream()) {
      // ISO 19005-2 6.2.11.3.3: a CMap references no CMap but those of
      // ISO 32000-1 Table 118, by name or as an embedded copy of one.
      if (const PdfObject* use = Get(enc, "UseCMap"); use != nullptr && part_ >= 2) {
        const std::string used = use->HasStream() ? GetName(use, "CMapName") : NameOf(use);
        if (!kCMaps.count(used)) {
          Add(cmap_clause, "an embedded CMap uses the CMap " + (used.empty() ? RefString(use) : used) +
                  ", which is not one of the predefined CMaps", RefString(enc));
        }
      }
      // Embedded CMap: WMode in the dictionary and in the CMap data must agree.
      const PdfObject* wm = Get(enc, "WMode");
      std::string data;
      if (Decode(enc, &data)) {
        size_t p = data.find("/WMode");
        if (p != std::string::npos) {
          size_t q = p + 6;
          while (q < data.size() && (data[q] == ' ' || data[q] == '\n' || data[q] == '\r')) ++q;
          int inner = (q < data.size() && data[q] == '1') ? 1 : 0;
          int outer = (wm != nullptr && wm->IsNumber()) ? static_cast<int>(wm->GetNumber()) : 0;
          if (inner != outer) Add(cmap_clause, "an embedded CMap's WMode differs from its dictionary's WMode", RefString(enc));
        }
        if (part_ >= 2) {
          size_t u = data.find("usecmap");
          if (u != std::string::npos) {
            size_t s = data.rfind('/', u);
            if (s != std::string::npos) {
              std::string used = data.substr(s + 1, u - s - 1);
              while (!used.empty() && (used.back() == ' ' || used.back() == '\n' || used.back() == '\r')) used.pop_back();
              if (!kCMaps.count(used)) {
                Add(cmap_clause, "an embedded CMap references the CMap " + used + ", which is not one of the predefined CMaps",
                    RefString(enc));
              }
            }
          }
        }
      }
    }
    if (cid != nullptr && cid->IsDictionary() && checked_.insert(cid).second) {
      type0_parent_ = f;
      CheckFont(cid);
      type0_parent_ = nullptr;
    }
    if (cid != nullptr && enc != nullptr && enc->HasStream()) {
      // CIDSystemInfo of the CMap and the CIDFont must be compatible.
      const PdfObject* a = Get(enc, "CIDSystemInfo");
      const PdfObject* b = Get(cid, "CIDSystemInfo");
      if (a != nullptr && b != nullptr) {
        const PdfObject* ra = Get(a, "Registry");
        const PdfObject* rb = Get(b, "Registry");
        const PdfObject* oa = Get(a, "Ordering");
        const PdfObject* ob = Get(b, "Ordering");
        auto s = [](const PdfObject* o) { return IsStr(o) ? o->GetString().GetStringUtf8() : std::string(); };
        if (s(ra) != s(rb) || s(oa) != s(ob)) {
          Add(C("6.3.3.1", "6.2.11.3.1"), "the CIDSystemInfo of a CMap and its CIDFont differ", ref);
        } else {
          const PdfObject* sa = Get(a, "Supplement");
          const PdfObject* sb = Get(b, "Supplement");
          if (sa != nullptr && sb != nullptr && sa->IsNumber() && sb->IsNumber() && sb->GetNumber() > sa->GetNumber()) {
            Add(C("6.3.3.1", "6.2.11.3.1"), "the CIDFont's CIDSystemInfo Supplement is greater than its CMap's", ref);
          }
        }
      }
    }
    if (report_.profile == PdfaProfile::k2u && Has(f, "ToUnicode")) CheckToUnicode(Get(f, "ToUnicode"));
    if (report_.profile == PdfaProfile::k2u && !Has(f, "ToUnicode")) {
      // ISO 32000-1 9.10.2: predefined CMaps other than Identity-H/V, and the
      // Adobe GB1/CNS1/Japan1/Korea1 collections, map to Unicode without one.
      std::string n = NameOf(enc);
      bool unicode_cmap = !n.empty() && kCMaps.count(n) && n != "Identity-H" && n != "Identity-V";
      if (const PdfObject* csi = Get(cid, "CIDSystemInfo")) {
        const PdfObject* reg = Get(csi, "Registry");
        const PdfObject* ord = Get(csi, "Ordering");
        std::string o = IsStr(ord) ? ord->GetString().GetStringUtf8() : "";
        if (IsStr(reg) && reg->GetString().GetStringUtf8() == "Adobe" &&
            (o == "GB1" || o == "CNS1" || o == "Japan1" || o == "Korea1")) {
          unicode_cmap = true;
        }
      }
      if (!unicode_cmap) Add("6.2.11.7.2", "the composite font " + GetName(f, "BaseFont") + " has no ToUnicode map", ref);
    }
  }

  // ---- font programs (embedded FontFile/FontFile2/FontFile3 streams)

  // The parsed program of a font descriptor, or nullptr (absent, or not
  // readable: program validity itself is not judged here). Cached per stream.
  const FontProgram* ProgramOf(const PdfObject* fd) {
    const PdfObject* ff = nullptr;
    for (const char* k : {"FontFile", "FontFile2", "FontFile3"}) {
      if (const PdfObject* o = Get(fd, k); o != nullptr && o->HasStream()) ff = o;
    }
    if (ff == nullptr) return nullptr;
    auto it = programs_.find(ff);
    if (it != programs_.end()) return it->second ? &*it->second : nullptr;
    std::optional<FontProgram> fp;
    std::string data;
    if (Decode(ff, &data)) {
      Result<FontProgram> r = ParseFontProgram(data);
      if (r.ok()) fp = std::move(*r);
    }
    auto ins = programs_.emplace(ff, std::move(fp)).first;
    return ins->second ? &*ins->second : nullptr;
  }

  // Glyph names of codes 32..126 in StandardEncoding, WinAnsiEncoding and
  // MacRomanEncoding (ISO 32000-1 Annex D): ASCII names, except that code
  // 39 is quoteright and 96 quoteleft in StandardEncoding only.
  static std::string LatinName(int code, bool standard) {
    static const char* const kAscii[] = {
        "space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "quotesingle", "parenleft",
        "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash", "zero", "one", "two", "three",
        "four", "five", "six", "seven", "eight", "nine", "colon", "semicolon", "less", "equal", "greater",
        "question", "at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q",
        "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "bracketleft", "backslash", "bracketright", "asciicircum",
        "underscore", "grave", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p",
        "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "braceleft", "bar", "braceright", "asciitilde"};
    if (code < 32 || code > 126) return {};
    if (standard && code == 39) return "quoteright";
    if (standard && code == 96) return "quoteleft";
    return kAscii[code - 32];
  }

  // The Unicode value of a glyph name, for the ones LatinName gives and uniXXXX.
  static std::optional<uint32_t> UnicodeOfName(const std::string& n) {
    if (n.size() == 7 && n.rfind("uni", 0) == 0) {
      uint32_t v = 0;
      for (size_t k = 3; k < 7; ++k) {
        char c = n[k];
        int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (d < 0) return std::nullopt;
        v = v * 16 + static_cast<uint32_t>(d);
      }
      return v;
    }
    for (int c = 32; c <= 126; ++c) {
      if (LatinName(c, false) == n) return static_cast<uint32_t>(c);
    }
    if (n == "quoteright") return 0x2019u;
    if (n == "quoteleft") return 0x2018u;
    return std::nullopt;
  }

  // The glyph a simple font's code selects in its program (ISO 32000-1
  // 9.6.6), or nullopt when this validator cannot tell.
  std::optional<uint32_t> SimpleGlyph(const PdfObject* f, const FontProgram& fp, bool symbolic, int code,
                                      const std::map<int, std::string>& diffs) {
    const PdfObject* enc = Get(f, "Encoding");
    std::string base = NameOf(enc);
    if (enc != nullptr && enc->IsDictionary()) base = GetName(enc, "BaseEncoding");
    std::string name;
    if (auto d = diffs.find(code); d != diffs.end()) {
      name = d->second;
    } else if (base == "WinAnsiEncoding" || base == "MacRomanEncoding" || base == "StandardEncoding") {
      name = LatinName(code, base == "StandardEncoding");
    } else if (fp.type != FontProgramType::kTrueType) {
      // The program's built-in encoding.
      if (auto e = fp.encoding.find(code); e != fp.encoding.end()) name = e->second;
      else if (fp.standard_encoding) name = LatinName(code, true);
    }
    if (fp.type != FontProgramType::kTrueType || !fp.glyph_names.empty()) {
      if (name.empty() || fp.glyph_names.empty()) return std::nullopt;
      return fp.GlyphByName(name);
    }
    // TrueType (9.6.6.4).
    auto lookup = [&](uint16_t pid, uint16_t eid, uint32_t c) -> std::optional<uint32_t> {
      const FontProgram::Cmap* cm = fp.FindCmap(pid, eid);
      if (cm == nullptr) return std::nullopt;
      auto it = cm->glyphs.find(c);
      if (it == cm->glyphs.end()) return std::nullopt;
      return it->second;
    };
    const auto c = static_cast<uint32_t>(code);
    if (symbolic || name.empty()) {
      if (fp.FindCmap(3, 0) != nullptr) {
        for (uint32_t hi : {0u, 0xF000u, 0xF100u, 0xF200u}) {
          if (auto g = lookup(3, 0, hi + c)) return g;
        }
        return std::optional<uint32_t>(0);
      }
      if (fp.FindCmap(1, 0) != nullptr) return lookup(1, 0, c).value_or(0);
      return std::nullopt;
    }
    std::optional<uint32_t> uni = UnicodeOfName(name);
    if (fp.FindCmap(3, 1) != nullptr && uni) return lookup(3, 1, *uni).value_or(0);
    if (fp.FindCmap(1, 0) != nullptr && code >= 32 && code <= 126 && uni && *uni == c) return lookup(1, 0, c).value_or(0);
    return std::nullopt;
  }

  // Widths (ISO 19005-1 6.3.6, ISO 19005-2 6.2.11.5): for every glyph shown,
  // the font dictionary's width and the program's advance (in thousandths
  // of text space, i.e. scaled by 1000/unitsPerEm or FontMatrix) must agree.
  // Tolerance: 1 unit (1/1000 of text space), as veraPDF uses; rounding of
  // a 2048-unit advance to 1000 units stays within it.
  void CheckFontPrograms() {
    for (const auto& [user, v] : unembedded_) {
      auto vis = shown_.find(user);
      auto all = shown_all_.find(user);
      const bool invisible_only = (vis == shown_.end() || vis->second.empty()) && all != shown_all_.end() && !all->second.empty();
      if (!invisible_only) Add(v.clause, v.message, v.object);
    }
    for (const auto& entry : shown_) {
      // Named variables, not a structured binding: clang 14 cannot capture one in a lambda.
      const PdfObject* f = entry.first;
      const std::string& shown = entry.second;
      const std::string st = GetName(f, "Subtype");
      Guarded([&] { CheckGlyphSets(f, st); });
      if (part_ >= 2) Guarded([&] { CheckNotdef(f, st, shown_all_[f]); });
      if (part_ == 1) Guarded([&] { CheckNotdef(f, st, shown, /*presence=*/true); });
      Guarded([&] { CheckUsedUnicode(f, st, shown_all_[f]); });
      if (st == "Type0") Guarded([&] { CheckCidLimit(f, shown_all_[f]); });
      if (shown.empty()) continue;
      if (st == "TrueType" && part_ >= 2) Guarded([&] { CheckTrueTypeCmaps(f); });
      if (st == "Type0") {
        CheckCompositeProgram(f, shown);
      } else if (st == "Type1" || st == "MMType1" || st == "TrueType") {
        CheckSimpleProgram(f, shown);
      }
    }
  }

  // ISO 19005-2 6.2.11.6 for a TrueType font used to render text: a
  // non-symbolic program has at least one cmap subtable, and (3,1) when the
  // font has a Differences array; a symbolic one has exactly one subtable
  // or a (3,0) one.
  void CheckTrueTypeCmaps(const PdfObject* f) {
    const PdfObject* fd = Get(f, "FontDescriptor");
    const FontProgram* fp = ProgramOf(fd);
    if (fp == nullptr || fp->type != FontProgramType::kTrueType) return;
    const PdfObject* fl = Get(fd, "Flags");
    const bool symbolic = fl != nullptr && fl->IsNumber() && (fl->GetNumber() & 4) != 0;
    const std::string base = GetName(f, "BaseFont");
    const std::string ref = RefString(f);
    if (symbolic) {
      if (fp->cmaps.size() > 1 && fp->FindCmap(3, 0) == nullptr) {
        Add("6.2.11.6", "the symbolic TrueType font " + base + " has several cmap subtables and none is (3,0)", ref);
      }
      return;
    }
    if (fp->cmaps.empty()) {
      Add("6.2.11.6", "the non-symbolic TrueType font " + base + " has no cmap subtable", ref);
      return;
    }
    const PdfObject* diffs = Get(Get(f, "Encoding"), "Differences");
    if (diffs != nullptr && diffs->IsArray() && !diffs->GetArray().empty() && fp->FindCmap(3, 1) == nullptr) {
      Add("6.2.11.6", "the non-symbolic TrueType font " + base + " has a Differences array but no (3,1) cmap subtable", ref);
    }
  }

  // CIDSet (ISO 19005-1 6.3.5, ISO 19005-2 6.2.11.4.2): when present it
  // shall identify every CID present in the CIDFont program. A CID counts
  // as present when its glyph has outline data (TrueType) or a charstring
  // (CFF); a set bit for a glyph without an outline is not an error.
  // CharSet (same clauses): a Type 1 font's CharSet lists exactly the glyph
  // names of the program (.notdef aside).
  void CheckGlyphSets(const PdfObject* f, const std::string& st) {
    const PdfObject* font = f;
    if (st == "Type0") {
      const PdfObject* desc = Get(f, "DescendantFonts");
      if (desc == nullptr || !desc->IsArray() || desc->GetArray().empty()) return;
      font = Resolve(&desc->GetArray()[0]);
    }
    const std::string fst = GetName(font, "Subtype");
    const PdfObject* fd = Get(font, "FontDescriptor");
    const char* clause = C("6.3.5", "6.2.11.4.2");
    if (fst == "CIDFontType0" || fst == "CIDFontType2") {
      const PdfObject* cidset = Get(fd, "CIDSet");
      std::string bits;
      if (cidset == nullptr || !cidset->HasStream() || !Decode(cidset, &bits)) return;
      const FontProgram* fp = ProgramOf(fd);
      if (fp == nullptr) return;
      std::string gid_map;
      const PdfObject* m = Get(font, "CIDToGIDMap");
      const bool has_map = fst == "CIDFontType2" && m != nullptr && m->HasStream() && Decode(m, &gid_map);
      auto in_set = [&](uint32_t cid) {
        return cid / 8 < bits.size() && (static_cast<unsigned char>(bits[cid / 8]) & (0x80u >> (cid % 8))) != 0;
      };
      std::vector<uint32_t> present;
      if (fst == "CIDFontType2" && has_map) {
        for (uint32_t c = 1; size_t{c} * 2 + 1 < gid_map.size() && c <= 0xFFFF; ++c) {
          uint32_t g = (static_cast<uint32_t>(static_cast<unsigned char>(gid_map[c * 2])) << 8) |
                       static_cast<unsigned char>(gid_map[c * 2 + 1]);
          if (g != 0 && g < fp->glyph_count && fp->has_outline[g]) present.push_back(c);
        }
      } else if (fp->cid_keyed) {
        for (size_t g = 1; g < fp->cids.size(); ++g) present.push_back(fp->cids[g]);
      } else if (!(fst == "CIDFontType2" && m != nullptr && m->HasStream())) {
        for (uint32_t g = 1; g < fp->glyph_count; ++g) {
          if (fp->has_outline[g]) present.push_back(g);
        }
      }
      for (uint32_t c : present) {
        if (!in_set(c)) {
          Add(clause, "the CIDSet of " + GetName(font, "BaseFont") + " does not identify CID " + std::to_string(c) +
              ", which the font program contains", RefString(cidset));
          return;
        }
      }
      return;
    }
    // Part 1's CharSet (6.3.5) is left to the existing presence checks: two
    // conforming files of the veraPDF corpus have CharSets that differ from
    // their programs in both directions, so the rule as read here would be
    // stricter than the reference; see docs/pdfa.md.
    if ((fst != "Type1" && fst != "MMType1") || part_ == 1) return;
    const PdfObject* cs = Get(fd, "CharSet");
    if (!IsStr(cs)) return;
    const FontProgram* fp = ProgramOf(fd);
    if (fp == nullptr || fp->glyph_names.empty()) return;
    std::set<std::string> listed;
    const std::string text = cs->GetString().GetStringUtf8();
    for (size_t p = text.find('/'); p != std::string::npos;) {
      size_t q = text.find('/', p + 1);
      std::string n = text.substr(p + 1, q == std::string::npos ? std::string::npos : q - p - 1);
      while (!n.empty() && (n.back() == ' ' || n.back() == '\n' || n.back() == '\r')) n.pop_back();
      if (!n.empty() && n != ".notdef") listed.insert(n);
      p = q;
    }
    std::set<std::string> program(fp->glyph_names.begin(), fp->glyph_names.end());
    program.erase(".notdef");
    if (listed.empty()) return;  // an empty CharSet is reported by CheckFont
    for (const std::string& n : program) {
      if (!listed.count(n)) {
        Add(clause, "the CharSet of " + GetName(font, "BaseFont") + " does not list the glyph " + n +
            ", which the font program contains", RefString(fd));
        return;
      }
    }
    for (const std::string& n : listed) {
      if (!program.count(n)) {
        Add(clause, "the CharSet of " + GetName(font, "BaseFont") + " lists the glyph " + n +
            ", which the font program does not contain", RefString(fd));
        return;
      }
    }
  }

  // ISO 19005-2 6.2.11.8: no text-showing operator may select the .notdef
  // glyph, whatever the rendering mode. A code selects .notdef when its
  // glyph name is .notdef or absent from a named program, when a TrueType
  // cmap has no entry for it, or when its CID maps to glyph 0 or to no glyph.
  //
  // With `presence` (ISO 19005-1 6.3.5: embedded programs define every
  // glyph referenced for rendering), only glyphs missing from the program
  // are reported: a code that selects .notdef on purpose (Differences, an
  // undefined code, CID 0) selects a glyph every program has.
  void CheckNotdef(const PdfObject* f, const std::string& st, const std::string& shown, bool presence = false) {
    if (shown.empty()) return;
    const std::string ref = RefString(f);
    auto report = [&](const std::string& what) {
      if (presence) {
        Add("6.3.5", "text shown with the font " + GetName(f, "BaseFont") + " uses a glyph the embedded program does not define (" +
                what + ")", ref);
      } else {
        Add("6.2.11.8", "text shown with the font " + GetName(f, "BaseFont") + " selects the .notdef glyph (" + what + ")", ref);
      }
    };
    if (st == "Type1" || st == "MMType1" || st == "TrueType") {
      const PdfObject* fd = Get(f, "FontDescriptor");
      const FontProgram* fp = ProgramOf(fd);
      if (fp == nullptr) return;
      const PdfObject* fl = Get(fd, "Flags");
      const bool symbolic = fl != nullptr && fl->IsNumber() && (fl->GetNumber() & 4) != 0;
      const std::map<int, std::string> diffs = DifferencesOf(f);
      std::set<int> codes;
      for (char ch : shown) codes.insert(static_cast<unsigned char>(ch));
      // Codes 0-31 have no glyph name in StandardEncoding, MacRomanEncoding
      // or WinAnsiEncoding (ISO 32000-1 Annex D): unless Differences names
      // them, they select .notdef whatever the program contains.
      const PdfObject* enc = Get(f, "Encoding");
      std::string base_enc = NameOf(enc);
      if (enc != nullptr && enc->IsDictionary()) base_enc = GetName(enc, "BaseEncoding");
      const bool latin = base_enc == "StandardEncoding" || base_enc == "MacRomanEncoding" || base_enc == "WinAnsiEncoding";
      for (int code : codes) {
        if (auto d = diffs.find(code); d != diffs.end() && d->second == ".notdef") {
          if (presence) continue;
          report("code " + std::to_string(code));
          return;
        }
        if (latin && code < 32 && !diffs.count(code)) {
          if (presence) continue;
          report("code " + std::to_string(code) + ", which " + base_enc + " does not define");
          return;
        }
        std::optional<uint32_t> gid = SimpleGlyph(f, *fp, symbolic, code, diffs);
        bool named = fp->type != FontProgramType::kTrueType || !fp->glyph_names.empty();
        // Glyph 0 of a TrueType program is what a failed cmap lookup gives;
        // of a named program it is .notdef, selected by name.
        const bool zero_missing = !presence || fp->type == FontProgramType::kTrueType;
        if ((gid && *gid == 0 && zero_missing) || (!gid && named && SimpleGlyphNameKnown(f, *fp, code, diffs))) {
          report("code " + std::to_string(code));
          return;
        }
      }
      return;
    }
    if (st != "Type0") return;
    const std::optional<std::vector<uint32_t>> cids = ShownCids(f, shown);
    if (!cids) return;
    const PdfObject* desc = Get(f, "DescendantFonts");
    if (desc == nullptr || !desc->IsArray() || desc->GetArray().empty()) return;
    const PdfObject* cid = Resolve(&desc->GetArray()[0]);
    const FontProgram* fp = ProgramOf(Get(cid, "FontDescriptor"));
    if (fp == nullptr) return;
    std::string gid_map;
    const PdfObject* m = Get(cid, "CIDToGIDMap");
    const bool has_map = m != nullptr && m->HasStream() && Decode(m, &gid_map);
    if (m != nullptr && m->HasStream() && !has_map) return;
    for (uint32_t c : std::set<uint32_t>(cids->begin(), cids->end())) {
      std::optional<uint32_t> gid = CidGlyph(cid, *fp, c, has_map ? &gid_map : nullptr);
      if (!gid || (*gid == 0 && !presence) || *gid >= fp->glyph_count) {
        report("CID " + std::to_string(c));
        return;
      }
    }
  }

  // Whether the glyph name of a simple font's code is known (so that its
  // absence from a named program means .notdef rather than "cannot tell").
  bool SimpleGlyphNameKnown(const PdfObject* f, const FontProgram& fp, int code, const std::map<int, std::string>& diffs) {
    if (diffs.count(code)) return true;
    const PdfObject* enc = Get(f, "Encoding");
    std::string base = NameOf(enc);
    if (enc != nullptr && enc->IsDictionary()) base = GetName(enc, "BaseEncoding");
    if (base == "WinAnsiEncoding" || base == "MacRomanEncoding" || base == "StandardEncoding") return !LatinName(code, false).empty();
    if (fp.type == FontProgramType::kTrueType) return false;
    return fp.encoding.count(code) > 0 || (fp.standard_encoding && !LatinName(code, true).empty()) ||
           (!fp.standard_encoding && enc == nullptr);  // built-in encoding without an entry: .notdef
  }

  static bool WidthsDiffer(double dict_width, double program_width) {
    return std::fabs(dict_width - program_width) > 1.0 + 1e-6;
  }

  void CheckSimpleProgram(const PdfObject* f, const std::string& shown) {
    const PdfObject* fd = Get(f, "FontDescriptor");
    const FontProgram* fp = ProgramOf(fd);
    if (fp == nullptr) return;
    const std::string ref = RefString(f);
    const PdfObject* fl = Get(fd, "Flags");
    const bool symbolic = fl != nullptr && fl->IsNumber() && (fl->GetNumber() & 4) != 0;
    const std::map<int, std::string> diffs = DifferencesOf(f);
    const PdfObject* widths = Get(f, "Widths");
    const PdfObject* first = Get(f, "FirstChar");
    std::set<int> codes;
    for (char ch : shown) codes.insert(static_cast<unsigned char>(ch));
    for (int code : codes) {
      std::optional<uint32_t> gid = SimpleGlyph(f, *fp, symbolic, code, diffs);
      if (!gid || *gid == 0) continue;
      std::optional<double> pw = fp->Width1000(*gid);
      if (!pw || widths == nullptr || !widths->IsArray() || first == nullptr || !first->IsNumber()) continue;
      int64_t idx = code - first->GetNumber();
      if (idx < 0 || static_cast<size_t>(idx) >= widths->GetArray().size()) continue;
      const PdfObject* wv = Resolve(&widths->GetArray()[static_cast<size_t>(idx)]);
      if (wv == nullptr || !(wv->IsNumber() || wv->IsReal())) continue;
      if (WidthsDiffer(wv->GetReal(), *pw)) {
        Add(C("6.3.6", "6.2.11.5"), "the width of character code " + std::to_string(code) + " in the font " +
            GetName(f, "BaseFont") + " (" + std::to_string(wv->GetReal()) + ") differs from the embedded program's (" +
            std::to_string(*pw) + ")", ref);
        return;
      }
    }
  }

  // CID -> width from a CIDFont's W array (ISO 32000-1 9.7.4.3) and DW.
  std::map<uint32_t, double> CidWidths(const PdfObject* cid) {
    std::map<uint32_t, double> out;
    const PdfObject* w = Get(cid, "W");
    if (w == nullptr || !w->IsArray()) return out;
    const PdfArray& a = w->GetArray();
    for (size_t i = 0; i + 1 < a.size();) {
      const PdfObject* c0 = Resolve(&a[i]);
      const PdfObject* c1 = Resolve(&a[i + 1]);
      if (c0 == nullptr || c1 == nullptr || !c0->IsNumber()) break;
      int64_t start = c0->GetNumber();
      if (start < 0 || start > 0xFFFF) break;
      if (c1->IsArray()) {
        const PdfArray& ws = c1->GetArray();
        for (size_t k = 0; k < ws.size() && start + static_cast<int64_t>(k) <= 0xFFFF; ++k) {
          const PdfObject* v = Resolve(&ws[k]);
          if (v != nullptr && (v->IsNumber() || v->IsReal())) out[static_cast<uint32_t>(start) + static_cast<uint32_t>(k)] = v->GetReal();
        }
        i += 2;
      } else if (i + 2 < a.size()) {
        const PdfObject* v = Resolve(&a[i + 2]);
        if (!c1->IsNumber() || v == nullptr || !(v->IsNumber() || v->IsReal())) break;
        int64_t end = std::min<int64_t>(c1->GetNumber(), 0xFFFF);
        for (int64_t c = start; c <= end && out.size() < 0x10000; ++c) out[static_cast<uint32_t>(c)] = v->GetReal();
        i += 3;
      } else {
        break;
      }
    }
    return out;
  }

  // CID -> glyph index of a CIDFont's program (CIDToGIDMap for Type 2, the
  // charset of a CID-keyed CFF for Type 0), or nullopt when unknown.
  std::optional<uint32_t> CidGlyph(const PdfObject* cid, const FontProgram& fp, uint32_t c, const std::string* gid_map) {
    if (GetName(cid, "Subtype") == "CIDFontType2") {
      if (gid_map == nullptr) return c;
      if (size_t{c} * 2 + 1 >= gid_map->size()) return std::nullopt;
      return (static_cast<uint32_t>(static_cast<unsigned char>((*gid_map)[c * 2])) << 8) |
             static_cast<unsigned char>((*gid_map)[c * 2 + 1]);
    }
    if (fp.cid_keyed) return fp.GlyphByCid(c);
    return c;
  }

  // The CIDs a Type 0 font's shown bytes select: Identity-H/V (two-byte
  // codes equal to CIDs) or an embedded CMap; nullopt for the other
  // predefined CMaps, whose tables this validator does not carry.
  std::optional<std::vector<uint32_t>> ShownCids(const PdfObject* f, const std::string& shown) {
    const PdfObject* enc = Get(f, "Encoding");
    const std::string name = NameOf(enc);
    if (name == "Identity-H" || name == "Identity-V") {
      std::vector<uint32_t> out;
      for (size_t i = 0; i + 1 < shown.size(); i += 2) {
        out.push_back((static_cast<uint32_t>(static_cast<unsigned char>(shown[i])) << 8) |
                      static_cast<unsigned char>(shown[i + 1]));
      }
      return out;
    }
    if (enc == nullptr || !enc->HasStream()) return std::nullopt;
    auto it = cmaps_.find(enc);
    if (it == cmaps_.end()) {
      std::string data;
      std::optional<CMapCids> parsed;
      if (Decode(enc, &data)) parsed = ParseCMapCids(data);
      // A CMap that builds on another (UseCMap/usecmap) is not complete on its own.
      if (parsed && (Has(enc, "UseCMap") || data.find("usecmap") != std::string::npos)) parsed.reset();
      it = cmaps_.emplace(enc, std::move(parsed)).first;
    }
    if (!it->second || it->second->codespaces.empty()) return std::nullopt;
    return it->second->Cids(shown);
  }

  // ISO 19005-1 6.1.12 / ISO 19005-2 6.1.13: no CID above 65535.
  void CheckCidLimit(const PdfObject* f, const std::string& shown) {
    std::optional<std::vector<uint32_t>> cids = ShownCids(f, shown);
    if (!cids) return;
    for (uint32_t c : *cids) {
      if (c > 65535) {
        Add(C("6.1.12", "6.1.13"), "text shown with the font " + GetName(f, "BaseFont") + " selects CID " +
                std::to_string(c) + ", above 65535", RefString(f));
        return;
      }
    }
  }

  void CheckCompositeProgram(const PdfObject* f, const std::string& shown) {
    const std::optional<std::vector<uint32_t>> shown_cids = ShownCids(f, shown);
    if (!shown_cids) return;  // other predefined CMaps: codes not decoded here
    const PdfObject* desc = Get(f, "DescendantFonts");
    if (desc == nullptr || !desc->IsArray() || desc->GetArray().empty()) return;
    const PdfObject* cid = Resolve(&desc->GetArray()[0]);
    const PdfObject* fd = Get(cid, "FontDescriptor");
    const FontProgram* fp = ProgramOf(fd);
    if (fp == nullptr) return;
    std::string gid_map;
    const PdfObject* m = Get(cid, "CIDToGIDMap");
    const bool has_map = m != nullptr && m->HasStream() && Decode(m, &gid_map);
    if (m != nullptr && m->HasStream() && !has_map) return;
    const std::map<uint32_t, double> w = CidWidths(cid);
    double dw = 1000;
    if (const PdfObject* d = Get(cid, "DW"); d != nullptr && (d->IsNumber() || d->IsReal())) dw = d->GetReal();
    const std::set<uint32_t> cids(shown_cids->begin(), shown_cids->end());
    for (uint32_t c : cids) {
      std::optional<uint32_t> gid = CidGlyph(cid, *fp, c, has_map ? &gid_map : nullptr);
      if (!gid || *gid == 0) continue;
      std::optional<double> pw = fp->Width1000(*gid);
      if (!pw) continue;
      auto it = w.find(c);
      double dict_w = it == w.end() ? dw : it->second;
      if (WidthsDiffer(dict_w, *pw)) {
        Add(C("6.3.6", "6.2.11.5"), "the width of CID " + std::to_string(c) + " in the font " + GetName(f, "BaseFont") +
            " (" + std::to_string(dict_w) + ") differs from the embedded program's (" + std::to_string(*pw) + ")", RefString(cid));
        return;
      }
    }
  }

  // ---- annotations and forms
  void CheckAnnotation(const PdfObject* a) {
    if (a->Reference().ObjectNumber() != 0 && !annots_done_.insert(a->Reference().ObjectNumber()).second) return;
    const std::string ref = RefString(a);
    const std::string st = GetName(a, "Subtype");
    static const std::set<std::string> kKnown = {"Text", "Link", "FreeText", "Line", "Square", "Circle", "Polygon",
                                                 "PolyLine", "Highlight", "Underline", "Squiggly", "StrikeOut",
                                                 "Stamp", "Caret", "Ink", "Popup", "FileAttachment", "Sound", "Movie",
                                                 "Widget", "Screen", "PrinterMark", "TrapNet", "Watermark", "3D", "Redact"};
    const char* types = C("6.5.2", "6.3.1");
    if (!kKnown.count(st)) {
      Add(types, "the annotation type " + st + " is not permitted", ref);
    } else if (st == "Sound" || st == "Movie" || (part_ == 1 && st == "FileAttachment") ||
               (part_ >= 2 && (st == "3D" || st == "Screen")) || (part_ == 1 && (st == "3D" || st == "Screen" || st == "Redact"))) {
      Add(types, "the annotation type " + st + " is not permitted", ref);
    }
    const char* dict = C("6.5.3", "6.3.2");
    if (const PdfObject* ca = Get(a, "CA"); ca != nullptr && (ca->IsReal() || ca->IsNumber()) && ca->GetReal() != 1.0) {
      Add(dict, "an annotation has CA other than 1.0", ref);
    }
    if (st != "Popup") {
      const PdfObject* f = Get(a, "F");
      int64_t flags = (f != nullptr && f->IsNumber()) ? f->GetNumber() : 0;
      if (f == nullptr) {
        Add(dict, "the annotation has no F (flags) entry", ref);
      } else {
        if ((flags & 4) == 0) Add(dict, "the annotation's Print flag is not set", ref);
        if (flags & (1 | 2 | 32)) Add(dict, "the annotation is Invisible, Hidden or NoView", ref);
        if (part_ >= 2 && (flags & 256)) Add(dict, "the annotation's ToggleNoView flag is set", ref);
      }
    }
    if (Has(a, "A")) {
      const PdfObject* act = Get(a, "A");
      if (act != nullptr && act->IsDictionary() && act->Reference().ObjectNumber() == 0) CheckAction(act);
      if (st == "Widget") Add(C("6.6.1", "6.4.1"), "a widget annotation has an A (action) entry", ref);
    }
    if (st == "Widget" && Has(a, "AA")) Add(C("6.6.2", "6.5.2"), "a widget annotation has an AA entry", ref);
    if (part_ == 1 && Has(a, "IC") == false && false) return;
    // Appearance streams.
    const char* app = C("6.5.3", "6.3.3");
    const PdfObject* ap = Get(a, "AP");
    const PdfObject* rect = Get(a, "Rect");
    bool zero = false;
    if (rect != nullptr && rect->IsArray() && rect->GetArray().size() == 4) {
      const PdfArray& r = rect->GetArray();
      auto num = [&](size_t i) {
        const PdfObject* o = Resolve(&r[i]);
        return (o != nullptr && (o->IsNumber() || o->IsReal())) ? o->GetReal() : 0.0;
      };
      zero = num(0) == num(2) && num(1) == num(3);
    }
    if (ap == nullptr) {
      if (part_ == 1 && st == "Widget" && !zero) Add("6.9", "a form field's widget annotation has no appearance dictionary", ref);
      if (part_ >= 2 && st != "Popup" && st != "Link" && !zero) {
        Add(app, "the annotation has no appearance dictionary (AP)", ref);
      }
      return;
    }
    if (ap->IsDictionary()) {
      for (const auto& kv : ap->GetDictionary().GetKeys()) {
        if (kv.first.GetName() != "N") Add(app, "the appearance dictionary has an entry other than N: " + kv.first.GetName(), ref);
      }
      const PdfObject* n = Get(ap, "N");
      if (n == nullptr) {
        Add(app, "the appearance dictionary has no N entry", ref);
      } else if (st == "Widget" && GetName(Inherited(a, "FT") ? a : a, "FT") == "Btn") {
        if (n->HasStream()) Add(app, "a button widget's normal appearance is a stream, not a dictionary of states", ref);
      } else if (st == "Widget" && FieldType(a) == "Btn") {
        if (n->HasStream()) Add(app, "a button widget's normal appearance is a stream, not a dictionary of states", ref);
      } else if (!n->HasStream()) {
        if (part_ >= 2) Add(app, "the annotation's normal appearance is not a stream", ref);
      }
    }
  }

  std::string FieldType(const PdfObject* a) {
    for (int i = 0; a != nullptr && i < 16; ++i) {
      std::string ft = GetName(a, "FT");
      if (!ft.empty()) return ft;
      a = Get(a, "Parent");
    }
    return {};
  }

  void CheckField(const PdfObject* f) {
    const std::string ref = RefString(f);
    if (part_ == 1 && Has(f, "AA")) Add("6.6.2", "a form field has an AA entry", ref);
    if (part_ >= 2 && Has(f, "AA")) Add("6.5.2", "a form field has an AA entry", ref);
    if (part_ == 1 && GetName(f, "Subtype") != "Widget" && Has(f, "A")) Add("6.9", "a form field has an A entry", ref);
  }

  std::string_view bytes_;
  PdfaProfile requested_;
  PdfaLimits limits_;
  PoDoFo::PdfVecObjects objs_;
  std::unique_ptr<PoDoFo::PdfParser> parser_;
  PdfaReport report_;
  size_t dropped_ = 0;
  int part_ = 2;
  bool auto_without_claim_ = false;
  const PdfObject* catalog_ = nullptr;
  const PdfObject* metadata_obj_ = nullptr;
  std::string metadata_bytes_;
  std::unique_ptr<XmpPacket> xmp_;
  std::string xmp_error_;
  std::string claim_part_;
  std::string claim_conf_;
  std::string oi_colour_;
  bool page_has_group_cs_ = false;
  int jpx_good_colr_ = 0;
  size_t decoded_total_ = 0;
  size_t indirect_count_ = 0;
  std::vector<RawObjectProblem> raw_object_problems_;
  std::map<uint32_t, size_t> raw_lengths_;
  std::map<uint32_t, size_t> raw_eol_;
  std::set<uint32_t> checked_icc_;
  std::set<uint32_t> forms_done_;
  std::set<uint32_t> annots_done_;
  std::set<const PdfObject*> checked_;
  std::set<uint32_t> af_targets_;
  std::vector<uint32_t> embedded_specs_;
  std::map<const PdfObject*, std::string> shown_;  // font -> bytes shown with it (capped)
  const PdfObject* type0_parent_ = nullptr;  // the Type 0 font whose descendant CheckFont is checking
  std::vector<std::pair<const PdfObject*, PdfaViolation>> unembedded_;  // font as used -> its violation
  std::map<const PdfObject*, std::optional<CMapCids>> cmaps_;  // embedded CMap stream -> its code-to-CID map
  std::map<const PdfObject*, std::string> shown_all_;  // the same, rendering mode 3 included
  std::map<const PdfObject*, std::optional<FontProgram>> programs_;  // font file stream -> program
  bool page_transparency_ = false;
  std::map<std::string, std::pair<std::string, std::string>> separations_;  // name -> (alternate, tint)  // fonts, images, forms, graphics states already checked
};

}  // namespace

std::string_view PdfaProfileName(PdfaProfile p) {
  switch (p) {
    case PdfaProfile::kAuto: return "auto";
    case PdfaProfile::k1b: return "1b";
    case PdfaProfile::k2b: return "2b";
    case PdfaProfile::k2u: return "2u";
    case PdfaProfile::k3b: return "3b";
  }
  return "auto";
}

Result<PdfaProfile> ParsePdfaProfile(std::string_view name) {
  for (PdfaProfile p : {PdfaProfile::kAuto, PdfaProfile::k1b, PdfaProfile::k2b, PdfaProfile::k2u, PdfaProfile::k3b}) {
    if (PdfaProfileName(p) == name) return p;
  }
  return InvalidArgumentError("unknown PDF/A profile \"" + std::string(name) + "\" (use 1b, 2b, 2u, 3b or auto)");
}

Result<PdfaReport> ValidatePdfa(std::string_view bytes, PdfaProfile profile, const PdfaLimits& limits) {
  if (bytes.size() > limits.max_file_bytes) {
    return ResourceExhaustedError("file of " + std::to_string(bytes.size()) + " bytes exceeds the validator's limit");
  }
  InitPodofo(limits);
  try {
    Validator v(bytes, profile, limits);
    return v.Run();
  } catch (const PdfError& e) {
    const char* m = PdfError::ErrorMessage(e.GetError());
    return InternalError(std::string("PoDoFo: ") + (m ? m : "error"));
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("out of memory while validating");
  } catch (const std::exception& e) {
    return InternalError(std::string("validator: ") + e.what());
  }
}

Result<PdfaReport> ValidatePdfaFile(const std::string& path, PdfaProfile profile, const PdfaLimits& limits) {
  KHOLUU_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path, limits.max_file_bytes));
  return ValidatePdfa(bytes, profile, limits);
}

}  // namespace kholuu::formats::pdf
