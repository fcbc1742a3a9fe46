#include "ingest/evidence.h"

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "archive/audit/merkle.h"
#include "archive/blob/blob_store.h"
#include "formats/common/text.h"
#include "formats/package/tar_writer.h"
#include "formats/x509/cms.h"
#include "formats/x509/x509.h"
#include "ingest/seal_key.h"
#include "ingest/service.h"

namespace kholuu::ingest {
namespace {

using nlohmann::json;

// One file of the bundle: bytes in memory, or a blob streamed from the store.
struct BundleFile {
  std::string path;  // inside the bundle's top directory
  std::string bytes;
  std::optional<Sha256> blob;
  uint64_t size = 0;
  Sha256 sha256;
  bool executable = false;
};

BundleFile Mem(std::string path, std::string bytes, bool executable = false) {
  BundleFile f;
  f.path = std::move(path);
  f.bytes = std::move(bytes);
  f.executable = executable;
  return f;
}

// A catalog row and the audit entry that wrote it.
struct ProvenRow {
  std::string file;    // record/....row
  std::string what;    // "document X", "component X", "event N"
  uint64_t entry = 0;
};

std::string SafePart(std::string s) {
  for (char& c : s) {
    if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '-';
  }
  if (s.empty() || s == "." || s == "..") s = "_";
  return s;
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string CanonicalEntry(const archive::AuditEntry& e) {
  std::string encoded = archive::EncodeAuditEntry(e);
  return encoded.substr(0, encoded.size() - Sha256::kSize);  // without the stored hash
}

json EntryJson(const archive::AuditEntry& e) {
  return {{"seq", e.seq},         {"time", FormatTimestamp(e.time_micros)}, {"actor", e.actor},
          {"action", e.action},   {"object", e.object},                      {"detail", e.detail},
          {"payload", e.payload.ToHex()}, {"prev_hash", e.prev_hash.ToHex()}, {"hash", e.hash.ToHex()}};
}

json DocumentJson(const model::Document& d) {
  json signers = json::array();
  for (const auto& s : d.signers) signers.push_back({{"full_name", s.full_name}, {"position", s.position}});
  return {{"id", d.id},
          {"file_code", d.file_code.ToString()},
          {"type_name", d.type_name},
          {"number", d.code_number},
          {"notation", d.code_notation},
          {"issued_date", d.issued_date},
          {"organ_id", d.organ_id},
          {"organ_name", d.organ_name},
          {"subject", d.subject},
          {"page_amount", d.page_amount},
          {"signers", signers},
          {"edxml_document_id", d.edxml_document_id},
          {"created", FormatTimestamp(d.created_micros)},
          {"preservation_risk", d.preservation_risk}};
}

json ComponentJson(const model::Component& c, const std::string& file) {
  return {{"id", c.id},
          {"role", std::string(model::ComponentRoleName(c.role))},
          {"name", c.name},
          {"sha256", c.sha256.ToHex()},
          {"size", c.size},
          {"media_type", c.media_type},
          {"format_version", c.format_version},
          {"derived_from", c.derived_from},
          {"created", FormatTimestamp(c.created_micros)},
          {"file", file}};
}

json EventJson(const model::Event& e) {
  return {{"seq", e.seq},
          {"type", std::string(model::EventTypeName(e.type))},
          {"outcome", std::string(model::EventOutcomeName(e.outcome))},
          {"object", e.object_id},
          {"detail", e.detail},
          {"agent", e.agent},
          {"time", FormatTimestamp(e.time_micros)}};
}

std::string PemOf(const std::string& der) {
  std::string b64 = formats::Base64Encode(der, 64);
  if (b64.empty() || b64.back() != '\n') b64 += '\n';
  return "-----BEGIN CERTIFICATE-----\n" + b64 + "-----END CERTIFICATE-----\n";
}

const char* kReadme = R"MD(# Hồ sơ chứng cứ / Evidence bundle — kholuu

Tài liệu: @ID@
Trích yếu / Subject: @SUBJECT@
Lập lúc / Made at: @MADE@ — mốc (anchor) @TREE@ mục nhật ký, @ANCHOR_TIME@

## Tiếng Việt

Gói này cho phép tự kiểm tra, không cần kholuu và không cần mạng, rằng bản gốc
có chữ ký số trong thư mục `original/` chính là bản lưu trữ đã tiếp nhận, và
không có gì về tài liệu này bị thay đổi kể từ khi được ghi vào nhật ký kiểm
toán. Chỉ cần các công cụ chuẩn: `sh`, `sha256sum`, `od`, `openssl`.

Chạy toàn bộ các bước: `sh verify.sh TSA-ROOT.pem` (TSA-ROOT.pem là chứng thư
gốc của tổ chức cấp dấu thời gian, lấy từ chính tổ chức đó). Kết quả "ok" cho
mỗi bước; bất kỳ sai khác nào dừng lại với "FAIL".

Các bước (verify.sh làm đúng các bước này):
1. `sha256sum -c SHA256SUMS` — mọi tệp trong gói nguyên vẹn.
2. Mã băm SHA-256 của mỗi tệp trong `original/`, `preservation-copy/`, ...
   nằm trong bản ghi thành phần tương ứng `record/component-*.row`; mã băm của
   mỗi bản ghi `record/*.row` nằm trong mục nhật ký đã ghi nó `log/entry-N.bin`.
3. Mỗi mục nhật ký thuộc cây Merkle của nhật ký: `log/proof-N/0.bin` là
   0x00 + SHA-256(entry-N.bin); mỗi tệp tiếp theo là 0x01 + trái + phải, chứa
   mã băm của tệp trước; mã băm của tệp cuối là `tree-root` trong
   `anchor/statement.txt`.
4. Tuyên bố mốc được đóng dấu bằng khóa của cơ quan lưu trữ:
   `openssl cms -verify -binary -inform DER -in anchor/seal.p7s -content anchor/statement.txt -CAfile anchor/seal-chain.pem -purpose any -out /dev/null`
   và so vân tay chứng thư (`openssl x509 -in anchor/seal-chain.pem -noout -fingerprint -sha256`)
   với vân tay cơ quan lưu trữ công bố.
5. Tuyên bố mốc có dấu thời gian RFC 3161 (nếu có `anchor/timestamp.tst`):
   `openssl ts -verify -data anchor/statement.txt -in anchor/timestamp.tst -token_in -CAfile TSA-ROOT.pem -untrusted anchor/tsa-certs.pem`
   — chứng minh nhật ký đến mục @TREE@ đã tồn tại đúng như vậy trước thời điểm đó.

`record/*.json` và `log/*.json` là bản đọc được của các tệp nhị phân cùng tên;
`signature-report` (nếu có) là kết quả xác minh chữ ký khi tiếp nhận.

## English

This bundle lets anyone check, offline and without kholuu, that the signed
original in `original/` is the one the archive received, and that nothing
about this document changed since it was written to the audit log. Standard
tools only: `sh`, `sha256sum`, `od`, `openssl`.

Run every step: `sh verify.sh TSA-ROOT.pem` (the time-stamping authority's
root certificate, obtained from that authority). Each step prints "ok"; any
difference stops with "FAIL".

The steps (verify.sh does exactly these):
1. `sha256sum -c SHA256SUMS` — every file of the bundle is intact.
2. The SHA-256 of each file under `original/`, `preservation-copy/`, ... is
   inside its component row `record/component-*.row`; the SHA-256 of each
   `record/*.row` is inside the audit entry that wrote it, `log/entry-N.bin`.
3. Each entry is in the log's Merkle tree: `log/proof-N/0.bin` is 0x00 +
   SHA-256(entry-N.bin); each next file is 0x01 + left + right and holds the
   hash of the file before; the last file hashes to `tree-root` in
   `anchor/statement.txt`.
4. The anchor statement is sealed with the archive's key:
   `openssl cms -verify -binary -inform DER -in anchor/seal.p7s -content anchor/statement.txt -CAfile anchor/seal-chain.pem -purpose any -out /dev/null`
   and compare the certificate's fingerprint
   (`openssl x509 -in anchor/seal-chain.pem -noout -fingerprint -sha256`)
   with the one the archive publishes.
5. The statement carries an RFC 3161 timestamp (when `anchor/timestamp.tst`
   exists):
   `openssl ts -verify -data anchor/statement.txt -in anchor/timestamp.tst -token_in -CAfile TSA-ROOT.pem -untrusted anchor/tsa-certs.pem`
   — proving the log up to entry @TREE@ existed exactly so before that time.

`record/*.json` and `log/*.json` are readable forms of the binary files of
the same name; `signature-report` (when present) is the signature
verification made at ingest.
)MD";

const char* kVerifyHead = R"SH(#!/bin/sh
# Checks this evidence bundle with standard tools only (sh, sha256sum, od,
# tr, cut, grep, openssl). Usage: sh verify.sh TSA-ROOT.pem
# Generated by kholuu; every step is written out below. See README.md.
set -eu
cd "$(dirname "$0")"
tsa_root="${1:-}"
ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*" >&2; exit 1; }
sha()  { sha256sum "$1" | cut -c1-64; }
hex()  { od -An -v -tx1 "$1" | tr -d ' \n'; }
has()  { hex "$1" | grep -q "$2" || fail "$3"; ok "$3"; }
text() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
leaf() { [ "$(hex "$1")" = "00$(sha "$2")" ] || fail "$1 is not the tree leaf of $2"; }
node() {
  h=$(hex "$1"); c=$(sha "$2")
  [ ${#h} -eq 130 ] && [ "$(echo "$h" | cut -c1-2)" = 01 ] || fail "$1 is not a tree node"
  if [ "$3" = left ]; then p=$(echo "$h" | cut -c3-66); else p=$(echo "$h" | cut -c67-130); fi
  [ "$p" = "$c" ] || fail "$1 does not hold the hash of $2"
}
root() { grep -qx "tree-root: $(sha "$1")" anchor/statement.txt || fail "$1 does not hash to the anchored tree root"; }

echo "1. files / tệp"
sha256sum -c --quiet SHA256SUMS || fail "a file differs from SHA256SUMS"
ok "every file matches SHA256SUMS"
)SH";

}  // namespace

Result<EvidenceResult> WriteEvidence(Service& service, const std::string& id, const EvidenceOptions& options) {
  if (!options.sink) return InvalidArgumentError("no destination given for the evidence bundle");
  // 1. The document must be as its history says.
  KHOLUU_ASSIGN_OR_RETURN(RecordVerification v, service.VerifyRecord(id));
  if (v.kind != "document") {
    return InvalidArgumentError(id + " is a record file; evidence is made per document (kholuu show " + id +
                                " lists them)");
  }
  if (!v.ok()) {
    for (const RecordCheck& c : v.checks) {
      if (!c.ok) {
        return DataLossError("document " + id + " differs from its history, no evidence written: " + c.what + " " +
                             c.object + ": " + c.detail + " (kholuu verify " + id + ")");
      }
    }
  }

  EvidenceResult result;
  result.id = id;
  std::vector<BundleFile> files;
  std::vector<ProvenRow> proven;
  std::vector<std::pair<std::string, std::string>> blob_links;  // (component row file, blob file)
  std::map<uint64_t, archive::AuditEntry> entries;
  model::Document doc;
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, service.archive().catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(doc, r.GetDocument(id));
    // The entry that wrote each row: the last create/update of it.
    auto last_write = [&](const std::string& table, const std::string& key) -> Result<archive::AuditEntry> {
      KHOLUU_ASSIGN_OR_RETURN(std::vector<archive::AuditEntry> about, r.AuditEntriesFor(key));
      std::optional<archive::AuditEntry> last;
      for (const archive::AuditEntry& e : about) {
        if (e.action == table + ".create" || e.action == table + ".update") last = e;
      }
      if (!last) return DataLossError("no audit entry wrote " + table + " " + key);
      return *last;
    };
    auto add_row = [&](const std::string& table, const std::string& key, const std::string& file,
                       const std::string& what) -> Status {
      KHOLUU_ASSIGN_OR_RETURN(std::string raw, r.RawRow(table, key));
      KHOLUU_ASSIGN_OR_RETURN(archive::AuditEntry e, last_write(table, key));
      if (Sha256Of(raw) != e.payload) return DataLossError(what + " differs from audit entry " + std::to_string(e.seq));
      files.push_back(Mem(file, std::move(raw)));
      proven.push_back({file, what, e.seq});
      entries[e.seq] = e;
      return Status::Ok();
    };
    auto add_events = [&](const std::string& object, json* out) -> Status {
      KHOLUU_ASSIGN_OR_RETURN(std::vector<archive::AuditEntry> about, r.AuditEntriesFor(object));
      KHOLUU_ASSIGN_OR_RETURN(std::vector<model::Event> events, r.EventsFor(object));
      for (const model::Event& ev : events) {
        const std::string key = std::to_string(ev.seq);
        KHOLUU_ASSIGN_OR_RETURN(std::string raw, r.RawRow("event", key));
        const Sha256 digest = Sha256Of(raw);
        const archive::AuditEntry* wrote = nullptr;
        for (const archive::AuditEntry& e : about) {
          if (e.action == "event.create" && e.payload == digest) wrote = &e;
        }
        if (wrote == nullptr) return DataLossError("no audit entry recorded event " + key);
        const std::string file = "record/event-" + key + ".row";
        files.push_back(Mem(file, std::move(raw)));
        proven.push_back({file, "event " + key, wrote->seq});
        entries[wrote->seq] = *wrote;
        json j = EventJson(ev);
        j["file"] = file;
        out->push_back(j);
      }
      return Status::Ok();
    };

    json events = json::array();
    KHOLUU_RETURN_IF_ERROR(add_row("document", id, "record/document.row", "document " + id));
    files.push_back(Mem("record/document.json", DocumentJson(doc).dump(2) + "\n"));
    KHOLUU_RETURN_IF_ERROR(add_events(id, &events));
    KHOLUU_ASSIGN_OR_RETURN(std::vector<std::string> comp_ids, r.ComponentsOfDocument(id));
    json comps = json::array();
    std::set<std::string> used;
    for (const std::string& cid : comp_ids) {
      KHOLUU_ASSIGN_OR_RETURN(model::Component c, r.GetComponent(cid));
      const std::string tail = SafePart(cid.substr(cid.rfind('/') + 1));
      std::string dir(model::ComponentRoleName(c.role));
      std::replace(dir.begin(), dir.end(), '_', '-');
      std::string blob_file = dir + "/" + SafePart(c.name.empty() ? tail : c.name);
      if (!used.insert(blob_file).second) blob_file = dir + "/" + tail + "-" + SafePart(c.name);
      used.insert(blob_file);
      const std::string row_file = "record/component-" + tail + ".row";
      KHOLUU_RETURN_IF_ERROR(add_row("component", cid, row_file, "component " + cid));
      BundleFile b;
      b.path = blob_file;
      b.blob = c.sha256;
      b.size = c.size;
      b.sha256 = c.sha256;
      files.push_back(std::move(b));
      blob_links.push_back({row_file, blob_file});
      comps.push_back(ComponentJson(c, blob_file));
      KHOLUU_RETURN_IF_ERROR(add_events(cid, &events));
    }
    files.push_back(Mem("record/components.json", comps.dump(2) + "\n"));
    files.push_back(Mem("record/events.json", events.dump(2) + "\n"));
  }
  const uint64_t max_seq = entries.empty() ? 0 : entries.rbegin()->first;

  // 2. An anchor covering every entry: the newest that does (timestamped
  // when a TSA is configured), else a new one.
  KHOLUU_ASSIGN_OR_RETURN(std::string tsa_url, LoadSealTsa(service.data()));
  KHOLUU_ASSIGN_OR_RETURN(std::vector<Anchor> anchors, service.Anchors());
  std::optional<Anchor> anchor;
  for (const Anchor& a : anchors) {
    if (a.tree_size >= max_seq && (tsa_url.empty() || !a.token.empty())) anchor = a;
  }
  if (!anchor) {
    AnchorOptions ao;
    ao.reason = "evidence";
    ao.clock = options.clock;
    KHOLUU_ASSIGN_OR_RETURN(anchor, service.AnchorLog(ao));
    result.anchor_made = true;
  }
  result.anchor = *anchor;

  // 3. The proofs, checked here before anyone else checks them.
  std::string verify = kVerifyHead;
  verify += "\necho \"2. the files are the record's / tệp là của hồ sơ\"\n";
  for (const auto& [row, blob] : blob_links) {
    verify += "has " + row + " \"$(sha " + ShellQuote(blob) + ")\" " + ShellQuote(blob + " is the content " + row + " names") + "\n";
  }
  for (const ProvenRow& p : proven) {
    const std::string entry = "log/entry-" + std::to_string(p.entry) + ".bin";
    verify += "has " + entry + " \"$(sha " + p.file + ")\" " +
              ShellQuote(p.file + " (" + p.what + ") is the state audit entry " + std::to_string(p.entry) + " recorded") + "\n";
  }
  verify += "has log/entry-" + std::to_string(proven.front().entry) + ".bin \"$(text " + ShellQuote(id) + ")\" " +
            ShellQuote("audit entry " + std::to_string(proven.front().entry) + " is about document " + id) + "\n";
  verify += "\necho \"3. the entries are in the anchored log / mục nhật ký thuộc nhật ký đã neo\"\n";
  {
    KHOLUU_ASSIGN_OR_RETURN(archive::ReadTxn r, service.archive().catalog().BeginRead());
    KHOLUU_ASSIGN_OR_RETURN(std::vector<Sha256> hashes, AuditEntryHashes(r, anchor->tree_size));
    archive::AuditTree tree(hashes);
    KHOLUU_ASSIGN_OR_RETURN(Sha256 root, tree.Root(anchor->tree_size));
    if (root != anchor->tree_root) {
      return DataLossError("the audit log no longer matches anchor " + std::to_string(anchor->tree_size) +
                           " (kholuu audit verify); no evidence written");
    }
    json log = json::array();
    for (const auto& [seq, e] : entries) {
      const std::string base = "log/entry-" + std::to_string(seq);
      files.push_back(Mem(base + ".bin", CanonicalEntry(e)));
      files.push_back(Mem(base + ".json", EntryJson(e).dump(2) + "\n"));
      if (Sha256Of(CanonicalEntry(e)) != hashes[seq - 1]) return DataLossError("audit entry " + std::to_string(seq) + " does not hash to its stored hash");
      KHOLUU_ASSIGN_OR_RETURN(std::vector<Sha256> proof, tree.InclusionProof(seq - 1, anchor->tree_size));
      KHOLUU_ASSIGN_OR_RETURN(std::vector<archive::ProofStep> steps,
                              archive::CheckInclusion(e.hash, seq - 1, anchor->tree_size, proof, anchor->tree_root));
      const std::string dir = "log/proof-" + std::to_string(seq) + "/";
      files.push_back(Mem(dir + "0.bin", std::string(1, '\0') + std::string(e.hash.raw())));
      verify += "leaf " + dir + "0.bin " + base + ".bin\n";
      std::string prev = dir + "0.bin";
      for (size_t i = 0; i < steps.size(); ++i) {
        const archive::ProofStep& s = steps[i];
        Sha256 child = i == 0 ? archive::AuditLeafHash(e.hash) : steps[i - 1].parent;
        std::string node(1, '\1');
        node += s.sibling_is_left ? std::string(s.sibling.raw()) + std::string(child.raw())
                                  : std::string(child.raw()) + std::string(s.sibling.raw());
        const std::string file = dir + std::to_string(i + 1) + ".bin";
        files.push_back(Mem(file, std::move(node)));
        verify += "node " + file + " " + prev + " " + (s.sibling_is_left ? "right" : "left") + "\n";
        prev = file;
      }
      verify += "root " + prev + "\n";
      verify += "ok " + ShellQuote("audit entry " + std::to_string(seq) + " is in the log of " +
                                   std::to_string(anchor->tree_size) + " entries the anchor fixed") + "\n";
      ++result.entries;
    }
  }

  // 4. The anchor and what checks it.
  files.push_back(Mem("anchor/statement.txt", anchor->statement));
  files.push_back(Mem("anchor/seal.p7s", anchor->seal));
  formats::x509::CmsCheck cms = formats::x509::VerifyCms(anchor->seal, anchor->statement);
  std::string seal_chain;
  for (const std::string& der : cms.certs_der) seal_chain += PemOf(der);
  files.push_back(Mem("anchor/seal-chain.pem", seal_chain));
  verify += "\necho \"4. the anchor's seal / dấu của cơ quan lưu trữ\"\n";
  verify += "openssl cms -verify -binary -inform DER -in anchor/seal.p7s -content anchor/statement.txt "
            "-CAfile anchor/seal-chain.pem -purpose any -out /dev/null 2>/dev/null || fail \"the seal does not verify\"\n";
  verify += "ok \"sealed by: $(openssl x509 -in anchor/seal-chain.pem -noout -subject -nameopt utf8) — compare \"\n";
  verify += "echo \"     $(openssl x509 -in anchor/seal-chain.pem -noout -fingerprint -sha256) with the fingerprint the archive publishes\"\n";
  verify += "\necho \"5. the anchor's timestamp / dấu thời gian\"\n";
  std::string anchor_time = "không có dấu thời gian / not timestamped";
  if (!anchor->token.empty()) {
    formats::x509::TimestampCheck ts = formats::x509::VerifyTimestampToken(anchor->token, anchor->statement);
    anchor_time = formats::x509::FormatTime(ts.gen_time) + " (RFC 3161: " + ts.tsa.subject + ")";
    std::string tsa_certs;
    for (const std::string& der : ts.certs_der) tsa_certs += PemOf(der);
    files.push_back(Mem("anchor/timestamp.tst", anchor->token));
    files.push_back(Mem("anchor/tsa-certs.pem", tsa_certs));
    verify += "[ -n \"$tsa_root\" ] || fail \"give the TSA's root certificate: sh verify.sh TSA-ROOT.pem\"\n";
    verify += "openssl ts -verify -data anchor/statement.txt -in anchor/timestamp.tst -token_in -CAfile \"$tsa_root\" "
              "-untrusted anchor/tsa-certs.pem >/dev/null 2>&1 || fail \"the timestamp does not verify\"\n";
    verify += "ok \"timestamped: $(openssl ts -reply -in anchor/timestamp.tst -token_in -token_out -text 2>/dev/null | grep 'Time stamp:')\"\n";
  } else {
    verify += "echo \"--   the anchor has no timestamp: it proves the archive's seal only, not a time\"\n";
  }
  verify += "\necho \"all checks passed / mọi bước đều đạt\"\n";

  std::string readme = kReadme;
  auto subst = [&](const std::string& key, const std::string& value) {
    for (size_t p; (p = readme.find(key)) != std::string::npos;) readme.replace(p, key.size(), value);
  };
  subst("@ID@", id);
  subst("@SUBJECT@", doc.subject);
  subst("@MADE@", formats::x509::FormatTime(options.clock->NowMicros() / 1000000));
  subst("@TREE@", std::to_string(anchor->tree_size));
  subst("@ANCHOR_TIME@", anchor_time);
  files.push_back(Mem("README.md", readme));
  files.push_back(Mem("verify.sh", verify, true));

  // 5. SHA256SUMS over every file, then the tar.
  std::string sums;
  for (BundleFile& f : files) {
    if (!f.blob) {
      f.size = f.bytes.size();
      f.sha256 = Sha256Of(f.bytes);
    }
    sums += f.sha256.ToHex() + "  " + f.path + "\n";
  }
  files.push_back(Mem("SHA256SUMS", sums));
  files.back().size = sums.size();

  const std::string top = "evidence-" + SafePart(id) + "/";
  const int64_t mtime = options.clock->NowMicros() / 1000000;
  Sha256Hasher tar_hash;
  auto sink = [&](std::string_view bytes) -> Status {
    tar_hash.Update(bytes);
    result.bytes += bytes.size();
    return options.sink(bytes);
  };
  KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<formats::package::TarWriter> tar, formats::package::TarWriter::Open(sink));
  for (const BundleFile& f : files) {
    if (f.blob) {
      KHOLUU_ASSIGN_OR_RETURN(archive::BlobReader reader, service.archive().blobs().Open(*f.blob, /*verify=*/true));
      KHOLUU_RETURN_IF_ERROR(tar->AddFile(top + f.path, f.size, reader, mtime));
    } else {
      KHOLUU_RETURN_IF_ERROR(tar->AddFile(top + f.path, f.bytes, mtime, f.executable));
    }
  }
  KHOLUU_RETURN_IF_ERROR(tar->Close());
  result.files = files.size();
  result.sha256 = tar_hash.Finish();
  KHOLUU_RETURN_IF_ERROR(service.AuditConfigChange(
      "access.evidence", id,
      "evidence bundle, " + std::to_string(result.entries) + " entries proven to anchor " +
          std::to_string(anchor->tree_size),
      result.sha256));
  return result;
}

}  // namespace kholuu::ingest
