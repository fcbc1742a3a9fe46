#include "tools/tamper/oracle.h"

#include <algorithm>
#include <set>

namespace kholuu::tamper {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool DecodeHex(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) return false;
  out->clear();
  out->reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

}  // namespace

Result<CatalogDump> ParseMdbDump(std::string_view text) {
  CatalogDump dump;
  std::string db;
  bool in_data = false, have_key = false;
  std::string key, value;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!in_data) {
      if (line.rfind("database=", 0) == 0) {
        db = std::string(line.substr(9));
        dump.dbs[db];
      } else if (line == "HEADER=END") {
        in_data = true;
        have_key = false;
      }
      continue;
    }
    if (line == "DATA=END") {
      if (have_key) return DataLossError("mdb_dump: a key without a value in " + db);
      in_data = false;
      db.clear();
      continue;
    }
    if (line.empty() || line[0] != ' ' || !DecodeHex(line.substr(1), have_key ? &value : &key)) {
      return DataLossError("mdb_dump: unexpected line in " + db);
    }
    if (have_key) dump.dbs[db].emplace_back(key, value);
    have_key = !have_key;
  }
  if (in_data) return DataLossError("mdb_dump: the dump of " + db + " is cut short");
  return dump;
}

std::vector<RowChange> Diff(const CatalogDump& before, const CatalogDump& after) {
  std::vector<RowChange> out;
  std::set<std::string> names;
  for (const auto& [name, rows] : before.dbs) names.insert(name);
  for (const auto& [name, rows] : after.dbs) names.insert(name);
  static const std::vector<std::pair<std::string, std::string>> kEmpty;
  for (const std::string& name : names) {
    auto b = before.dbs.find(name), a = after.dbs.find(name);
    const auto& rb = b == before.dbs.end() ? kEmpty : b->second;
    const auto& ra = a == after.dbs.end() ? kEmpty : a->second;
    // Pairs present on one side only; a key on both sides with different
    // values is one "altered" change.
    std::multiset<std::pair<std::string, std::string>> sb(rb.begin(), rb.end()), sa(ra.begin(), ra.end());
    std::map<std::string, std::pair<int, int>> by_key;  // key -> (removed, added)
    for (const auto& p : sb) {
      auto it = sa.find(p);
      if (it != sa.end()) {
        sa.erase(it);
      } else {
        ++by_key[p.first].first;
      }
    }
    for (const auto& p : sa) ++by_key[p.first].second;
    for (const auto& [key, counts] : by_key) {
      const std::string kind =
          counts.first > 0 && counts.second > 0 ? "altered" : (counts.first > 0 ? "removed" : "added");
      out.push_back({name, key, kind, false});
    }
  }
  return out;
}

bool IsRecordRow(std::string_view db, std::string_view key, const std::vector<std::string>& audited_meta) {
  static const std::set<std::string, std::less<>> kRecordTables = {
      "agencies", "record_files", "documents", "components", "jobs", "events", "audit"};
  if (kRecordTables.count(db) > 0) return true;
  if (db == "meta") {
    return key == "audit.head" || std::find(audited_meta.begin(), audited_meta.end(), key) != audited_meta.end();
  }
  // A table this list does not know (a newer schema): a record until shown otherwise.
  return db.rfind("idx_", 0) != 0 && db != "outbox";
}

std::string PrintableKey(std::string_view key) {
  bool printable = !key.empty();
  for (char c : key) printable = printable && c >= 0x20 && c < 0x7f;
  if (printable) return std::string(key);
  if (key.size() == 8) {
    uint64_t v = 0;
    for (char c : key) v = (v << 8) | static_cast<uint8_t>(c);
    return "#" + std::to_string(v);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (char c : key) {
    out.push_back(kHex[(static_cast<uint8_t>(c) >> 4) & 0xf]);
    out.push_back(kHex[static_cast<uint8_t>(c) & 0xf]);
  }
  return out;
}

}  // namespace kholuu::tamper
