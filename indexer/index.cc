#include "indexer/index.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "archive/base/fault.h"
#include "archive/base/log.h"
#include "indexer/analyzer.h"
#include "indexer/internal/docid_set.h"
#include "indexer/internal/weighted_or.h"
#include "indexer/legacy_encoding.h"
#include "indexer/query.h"

namespace kholuu::indexer {
namespace {

// ---- Term and value layout (docs/search.md) --------------------------------
constexpr const char* kFoldedPrefix = "XF";         // folded syllable, positional
constexpr const char* kBigramPrefix = "XB";         // exact syllable bigram
constexpr const char* kFoldedBigramPrefix = "XFB";  // folded bigram
constexpr const char* kIdPrefix = "Q";
constexpr const char* kRecordFilePrefix = "XRF";
// Agency ids are free text, so a colon ends the prefix: "XAC" + "L1" would
// be the access term of level 1 (ADR 0063).
constexpr const char* kAgencyIdPrefix = "XAC:";
constexpr const char* kTypePrefix = "XTY";
constexpr const char* kYearPrefix = "Y";
constexpr const char* kAccessPrefix = "XACL";
constexpr const char* kDocNumberPrefix = "XNUM";

constexpr Xapian::valueno kSlotIssued = 0;
constexpr Xapian::valueno kSlotIngest = 1;
constexpr Xapian::valueno kSlotPages = 2;
constexpr Xapian::valueno kSlotAgency = 3;
constexpr Xapian::valueno kSlotType = 4;
constexpr Xapian::valueno kSlotYear = 5;

struct FieldPrefixes {
  std::string_view name;
  const char* exact;
  const char* folded;
};
constexpr std::array<FieldPrefixes, 5> kFieldPrefixes = {{
    {"subject", "S", "XSF"},
    {"file", "XT", "XTF"},
    {"agency", "XA", "XAF"},
    {"signer", "XG", "XGF"},
    {"type", "XK", "XKF"},
}};

const FieldPrefixes* FindField(std::string_view name) {
  for (const FieldPrefixes& f : kFieldPrefixes) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

constexpr size_t kMaxTermBytes = 200;     // Xapian's limit is 245 with prefix
constexpr size_t kMaxStoredText = 65536;  // text kept for snippets
constexpr Xapian::termpos kFieldGap = 100;
constexpr double kMinNormLen = 0.5;  // BM25Weight min_normlen

// What a process says when Xapian crashes on a damaged index (a SIGSEGV
// inside it, archive/base/fault.h): the index is derived from the catalog
// and can always be rebuilt.
constexpr char kDamagedIndexStop[] =
    "the search index is damaged: Xapian stopped while reading it. The process stopped; the catalog and the "
    "originals were not changed. Rebuild the index with: kholuu reindex";

template <typename Fn>
Status CallXapian(std::string_view what, Fn&& fn) {
  FaultScope fault_scope(kDamagedIndexStop);
  try {
    fn();
    return Status::Ok();
  } catch (const Xapian::DatabaseLockError& e) {
    return Status(StatusCode::kUnavailable, std::string(what) + ": " + e.get_msg());
  } catch (const Xapian::DatabaseModifiedError& e) {
    return Status(StatusCode::kAborted, std::string(what) + ": " + e.get_msg());
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status(StatusCode::kDataLoss, std::string(what) + ": " + e.get_msg());
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Status(StatusCode::kNotFound, std::string(what) + ": " + e.get_msg());
  } catch (const Xapian::DocNotFoundError& e) {
    return Status(StatusCode::kNotFound, std::string(what) + ": " + e.get_msg());
  } catch (const Xapian::DatabaseError& e) {
    // Reading the index failed (e.g. "inflate failed" on a damaged block):
    // the derived index is damaged, not the program.
    return Status(StatusCode::kDataLoss, std::string(what) + ": " + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kInternal, std::string(what) + ": " + e.get_description());
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kResourceExhausted, std::string(what) + ": out of memory");
  }
}

// ---- Stored data: length-prefixed fields ----------------------------------
void PutField(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out.append(v);
}

std::vector<std::string> GetFields(std::string_view data) {
  std::vector<std::string> out;
  while (!data.empty()) {
    size_t colon = data.find(':');
    if (colon == std::string_view::npos || colon > 12) break;
    size_t n = 0;
    for (char c : data.substr(0, colon)) {
      if (c < '0' || c > '9') return out;
      n = n * 10 + static_cast<size_t>(c - '0');
    }
    if (n > data.size() - colon - 1) break;
    out.emplace_back(data.substr(colon + 1, n));
    data.remove_prefix(colon + 1 + n);
  }
  return out;
}
enum DataField { kDataId, kDataRecordFile, kDataCode, kDataSubject, kDataIssued, kDataText, kDataCount };

std::string TruncateUtf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

// ---- Indexing ---------------------------------------------------------------
struct Repaired {
  std::string text;
  LegacyEncoding encoding;
};

// Index format written by this code, recorded in the database metadata
// (kFormatKey). Format 1 (no key): folded syllables with positions. Format 2
// (ADR 0034): positions only on exact terms; the folded forms of a phrase are
// found through the synonym table (folded syllable -> exact forms seen).
// Format 3 (ADR 0063): agency id terms are "XAC:" + id, apart from the
// access-level terms "XACL" + level.
// Format 4 (ADR 0066): a rebuilt index is layered, a read-only base without
// termlists plus a live database, with the base documents replaced or
// deleted since listed under kBaseDeletedKey in the live database.
constexpr const char* kFormatKey = "kholuu.index_format";
constexpr const char* kFormat = "4";
constexpr const char* kBaseDeletedKey = "kholuu.base_deleted";
constexpr const char* kBaseDir = "base";   // dir/base: the rebuild's merged segments
constexpr const char* kLiveDir = "live";   // dir/live: every change since
constexpr const char* kStubFile = "XAPIANDB";  // Xapian's stub: "auto base", "auto live"

// Exact syllables carry positions (phrases); folded syllables, bigrams and
// folded field terms are postings only. Every exact form with a diacritic is
// added once to `variants` with its folded form, for the synonym table
// (`seen` holds views of the exact forms added; `a` must outlive it).
using Variants = std::vector<std::pair<std::string, std::string>>;
void AddText(Xapian::Document& doc, const AnalyzedText& a, const FieldPrefixes* field, bool general,
             Xapian::termcount wdf, Xapian::termpos& base, Variants& variants,
             std::unordered_set<std::string_view>& seen) {
  const Token* prev = nullptr;
  std::string term;  // reused: prefix + form
  auto with = [&term](std::string_view prefix, std::string_view s) -> const std::string& {
    term.assign(prefix);
    term.append(s);
    return term;
  };
  for (const Token& t : a.tokens) {
    if (t.exact.size() > kMaxTermBytes) {
      prev = nullptr;
      continue;
    }
    Xapian::termpos pos = base + t.position + 1;
    if (general) {
      doc.add_posting(t.exact, pos, wdf);
      doc.add_term(with(kFoldedPrefix, t.folded), wdf);
      if (prev != nullptr && t.joined_to_previous) {
        doc.add_term(with(kBigramPrefix, prev->exact) + "_" + t.exact, wdf);
        doc.add_term(with(kFoldedBigramPrefix, prev->folded) + "_" + t.folded, wdf);
      }
    }
    if (field != nullptr) {
      doc.add_posting(with(field->exact, t.exact), pos, 1);
      doc.add_term(with(field->folded, t.folded), 1);
    }
    if (t.exact != t.folded && seen.insert(t.exact).second) variants.emplace_back(t.folded, t.exact);
    prev = &t;
  }
  base += static_cast<Xapian::termpos>(a.tokens.size()) + kFieldGap;
}

std::string FoldedKey(std::string_view s) {
  return Analyzer::FoldDiacritics(Analyzer::NormalizeWord(s));
}

// ---- Query building ---------------------------------------------------------

// Question phrasing that carries no topic ("đúng hay sai?", "nào sau đây").
// Matched on exact syllables when the query has diacritics, else folded.
const std::vector<std::vector<std::string>>& QuestionPhrases() {
  static const std::vector<std::vector<std::string>>* phrases = [] {
    const char* raw[] = {"đúng hay sai", "đúng hay không", "chọn câu trả lời đúng nhất",
                         "chọn đáp án đúng", "nào sau đây", "nào dưới đây", "là gì",
                         "như thế nào", "thế nào", "hay không", "bao nhiêu", "nào", "gì"};
    auto* v = new std::vector<std::vector<std::string>>();
    for (const char* p : raw) {
      std::vector<std::string> syl;
      for (const Token& t : Analyzer::Analyze(p).tokens) syl.push_back(t.exact);
      v->push_back(std::move(syl));
    }
    return v;
  }();
  return *phrases;
}

// Tokens of a query clause with question phrasing removed; a removed span
// breaks adjacency (no bigram across it).
std::vector<Token> QueryTokens(std::string_view text, bool exact_mode, bool drop_questions) {
  AnalyzedText a = Analyzer::Analyze(text);
  if (!drop_questions) return a.tokens;
  std::vector<Token> out;
  const auto& phrases = QuestionPhrases();
  bool broke = false;
  for (size_t i = 0; i < a.tokens.size();) {
    size_t skip = 0;
    for (const auto& p : phrases) {
      if (i + p.size() > a.tokens.size()) continue;
      bool match = true;
      for (size_t k = 0; k < p.size() && match; ++k) {
        const Token& t = a.tokens[i + k];
        match = exact_mode ? t.exact == p[k] : t.folded == Analyzer::FoldDiacritics(p[k]);
      }
      if (match) {
        skip = p.size();
        break;
      }
    }
    if (skip > 0) {
      i += skip;
      broke = true;
      continue;
    }
    Token t = a.tokens[i];
    if (broke) t.joined_to_previous = false;
    broke = false;
    out.push_back(std::move(t));
    ++i;
  }
  if (out.empty()) return a.tokens;  // a query of only question words: keep them
  return out;
}

Xapian::Query OrOf(const std::vector<Xapian::Query>& qs) {
  if (qs.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
}

// What the snippet should highlight.
struct Highlight {
  std::unordered_set<std::string> exact;
  std::unordered_set<std::string> folded;
};

class QueryBuilder {
 public:
  // `db` (may be null) gives term frequencies for dropping common syllables.
  QueryBuilder(const RankingOptions& r, const Xapian::Database* db) : r_(r), db_(db) {}

  // Ranked part for plain words in all text.
  Xapian::Query Words(std::string_view text, Highlight& hl) const {
    bool exact_mode = Analyzer::HasDiacritics(text);
    std::vector<Token> toks = QueryTokens(text, exact_mode, r_.question_stopwords);
    std::vector<std::string> syl, fold, big;
    for (size_t i = 0; i < toks.size(); ++i) {
      const Token& t = toks[i];
      if (t.exact.size() > kMaxTermBytes) continue;
      if (exact_mode) {
        syl.push_back(t.exact);
        hl.exact.insert(t.exact);
      } else {
        hl.folded.insert(t.folded);
      }
      fold.push_back(kFoldedPrefix + t.folded);
      if (i > 0 && t.joined_to_previous && toks[i - 1].exact.size() <= kMaxTermBytes) {
        big.push_back(exact_mode ? kBigramPrefix + toks[i - 1].exact + "_" + t.exact
                                 : kFoldedBigramPrefix + toks[i - 1].folded + "_" + t.folded);
      }
    }
    // Long queries: terms found in more than common_df of all documents only
    // add weight (OP_AND_MAYBE) to documents that match a rarer term; they
    // never bring in a document alone. Their posting lists are most of the
    // matcher's work, and a document matching only common syllables of a
    // long question does not reach the top hits anyway.
    const bool long_query = toks.size() >= r_.long_query_tokens;
    Xapian::doccount max_df = 0;
    if (r_.common_df > 0 && db_ != nullptr && long_query) {
      max_df = static_cast<Xapian::doccount>(r_.common_df * db_->get_doccount());
    }
    std::vector<internal::WeightedTerm> terms;
    bool any_rare = false;
    auto add = [&](std::vector<std::string>& ts, double w) {
      for (std::string& term : ts) {
        bool is_common = max_df > 0 && db_->get_termfreq(term) > max_df;
        any_rare = any_rare || !is_common;
        terms.push_back({std::move(term), w, !is_common});
      }
    };
    if (exact_mode) {
      add(syl, 1.0);
      if (r_.folded_weight > 0) add(fold, r_.folded_weight);
    } else {
      add(fold, 1.0);
    }
    if (r_.bigram_weight > 0) add(big, r_.bigram_weight);
    if (terms.empty()) return Xapian::Query();
    // And of the rarer terms of a long question only the elite_terms that can
    // weigh most: a question's rare words and bigrams decide its top hits;
    // its many middling terms are most of the matcher's work (ADR 0036).
    size_t elite = r_.elite_terms > 0 && long_query ? r_.elite_terms : 0;
    if (!any_rare) {  // only common terms: they all count, and all of them
      for (internal::WeightedTerm& t : terms) t.generates = true;
      elite = 0;
    }
    if (r_.maxscore) {
      // One MaxScore posting source (ADR 0064): the same scores, but
      // documents that cannot reach the hits are skipped unscored.
      auto* source = new internal::WeightedOrSource(std::move(terms), {r_.k1, r_.b, kMinNormLen}, elite,
                                                    nullptr, db_ != nullptr ? *db_ : Xapian::Database());
      return Xapian::Query(source->release());
    }
    // Xapian's operators: one flat OR of the rarer terms, each scaled on its
    // own (OP_ELITE_SET of them in long questions), OP_AND_MAYBE the OR of
    // the common ones.
    std::vector<Xapian::Query> rare, common;
    for (const internal::WeightedTerm& t : terms) {
      Xapian::Query leaf(t.term);
      if (t.factor != 1.0) leaf = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, leaf, t.factor);
      (t.generates ? rare : common).push_back(std::move(leaf));
    }
    Xapian::Query q = OrOf(rare);
    if (elite > 0 && rare.size() > elite) {
      q = Xapian::Query(Xapian::Query::OP_ELITE_SET, rare.begin(), rare.end(),
                        static_cast<Xapian::termcount>(elite));
    }
    if (common.empty()) return q;
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, OrOf(common));
  }

  // Every exact syllable (with `prefix`) whose folded form is `folded`: the
  // form without diacritics itself and the forms in the synonym table. Only
  // exact syllables have positions, so a phrase without diacritics is a
  // phrase of these ORs (ADR 0034).
  Xapian::Query ExactForms(const std::string& prefix, const std::string& folded) const {
    std::vector<Xapian::Query> forms{Xapian::Query(prefix + folded)};
    if (db_ != nullptr) {
      std::string key = kFoldedPrefix + folded;
      for (auto it = db_->synonyms_begin(key); it != db_->synonyms_end(key); ++it) {
        forms.emplace_back(prefix + *it);
      }
    }
    if (forms.size() == 1) return forms[0];
    return Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end());
  }

  // Boolean-ish part: a phrase or field restriction (all syllables required).
  Xapian::Query Required(const QueryClause& c, Highlight* hl) const {
    bool exact_mode = Analyzer::HasDiacritics(c.text);
    const FieldPrefixes* f = c.field.empty() ? nullptr : FindField(c.field);
    std::string pe = f != nullptr ? f->exact : "";
    std::string pf = f != nullptr ? f->folded : kFoldedPrefix;
    bool phrase = c.kind == QueryClause::Kind::kPhrase;
    std::vector<Xapian::Query> terms;
    AnalyzedText a = Analyzer::Analyze(c.text);
    for (const Token& t : a.tokens) {
      if (t.exact.size() > kMaxTermBytes) continue;
      if (exact_mode) {
        terms.emplace_back(pe + t.exact);
      } else if (phrase && a.tokens.size() > 1) {
        terms.push_back(ExactForms(pe, t.folded));
      } else {
        terms.emplace_back(pf + t.folded);
      }
      if (hl != nullptr) {
        if (exact_mode) {
          hl->exact.insert(t.exact);
        } else {
          hl->folded.insert(t.folded);
        }
      }
    }
    if (terms.empty()) return Xapian::Query();
    if (terms.size() == 1) return terms[0];
    if (phrase) {
      return Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(),
                           static_cast<Xapian::termcount>(terms.size()));
    }
    return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
  }

 private:
  const RankingOptions& r_;
  const Xapian::Database* db_;
};

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string MakeSnippet(const std::string& text, const Highlight& hl) {
  constexpr size_t kWindow = 30;  // syllables
  AnalyzedText a = Analyzer::Analyze(text);
  const std::string& s = a.normalized;
  std::vector<bool> hit(a.tokens.size(), false);
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    const Token& t = a.tokens[i];
    hit[i] = hl.exact.count(t.exact) != 0 || hl.folded.count(t.folded) != 0;
  }
  size_t best = 0;
  size_t best_count = 0;
  size_t count = 0;
  for (size_t i = 0; i < a.tokens.size(); ++i) {
    if (hit[i]) ++count;
    if (i >= kWindow && hit[i - kWindow]) --count;
    if (count > best_count) {
      best_count = count;
      best = i >= kWindow - 1 ? i + 1 - kWindow : 0;
    }
  }
  if (a.tokens.empty()) return HtmlEscape(TruncateUtf8(s, 200));
  size_t last = std::min(a.tokens.size(), best + kWindow) - 1;
  std::string out;
  if (best > 0) out += "…";
  size_t cursor = a.tokens[best].begin;
  for (size_t i = best; i <= last; ++i) {
    const Token& t = a.tokens[i];
    out += HtmlEscape(s.substr(cursor, t.begin - cursor));
    if (hit[i]) {
      out += "<mark>" + HtmlEscape(s.substr(t.begin, t.end - t.begin)) + "</mark>";
    } else {
      out += HtmlEscape(s.substr(t.begin, t.end - t.begin));
    }
    cursor = t.end;
  }
  if (last + 1 < a.tokens.size()) out += "…";
  // Line breaks make poor snippets.
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

// ---- FromModel ---------------------------------------------------------------

IndexDocument FromModel(const model::Document& d, std::string body, std::string record_file_title) {
  IndexDocument x;
  x.id = d.id;
  x.record_file = d.file_code.ToString();
  x.record_file_title = std::move(record_file_title);
  x.code = d.code_notation.empty() ? d.code_number
           : d.code_number.empty() ? d.code_notation
                                   : d.code_number + "/" + d.code_notation;
  x.type_name = d.type_name;
  x.subject = d.subject;
  x.body = std::move(body);
  x.agency_id = d.organ_id;
  x.agency_name = d.organ_name;
  for (const model::SignerInfo& s : d.signers) {
    if (!x.signer.empty()) x.signer += "; ";
    x.signer += s.full_name;
  }
  x.issued_date = d.issued_date;
  x.ingest_micros = d.created_micros;
  x.page_count = d.page_amount;
  x.access_level = static_cast<int32_t>(d.access);
  return x;
}

// ---- IndexWriter ---------------------------------------------------------------

// One Xapian database being written. A writer has one; a rebuild has one per
// thread (ADR 0035), each written as a run of segments (ADR 0062) that
// Commit() merges.
struct IndexWriter::Shard {
  Xapian::WritableDatabase db;
  std::string dir;
  // A new index nobody reads yet (DB_DANGEROUS|DB_NO_SYNC): durable only
  // when Commit() syncs it.
  bool rebuild = false;
  // Created empty by this writer: `ids` holds every id in it, so a new id is
  // added without a lookup.
  bool fresh = false;
  std::unordered_set<std::string> ids;
  // Exact forms already in the synonym table (this session).
  std::unordered_set<std::string> variants;
  size_t pending = 0;  // changes since the last commit

  // Rebuild shards only. `dir` is then the segment being written
  // (`base`/<number of closed segments>) if `open`; `closed` lists the
  // segments written (without termlists, so nothing is ever removed from
  // them). `present` holds the id terms put and not deleted since; `again`
  // those put or deleted after a first Put, whose older copies the merge
  // lists as deleted from the base.
  bool segmented = false;
  bool open = false;
  std::string base;
  size_t segment_docs = 0;  // documents added to the open segment
  std::vector<std::string> closed;
  std::unordered_set<std::string> present;
  std::unordered_set<std::string> again;
};

struct IndexWriter::Impl {
  RankingOptions ranking;
  std::string dir;
  // OpenForRebuild until the first Commit(): `shards` are dir/kShardsDir/N,
  // which Commit() merges into `dir`. Else one shard, in `dir`.
  bool sharded = false;
  std::vector<Shard> shards;
  // Layered (ADR 0066): shards[0] is dir/live; `base` is dir/base, read-only;
  // `base_deleted` its documents replaced or deleted since, written to the
  // live database's metadata with each commit that changed it.
  bool layered = false;
  Xapian::Database base;
  std::set<Xapian::docid> base_deleted;
  bool deleted_changed = false;

  // The base's copies of `id_term`, in the order they were put.
  std::vector<Xapian::docid> BaseCopies(const std::string& id_term) const {
    return {base.postlist_begin(id_term), base.postlist_end(id_term)};
  }
  // Lists every base copy of `id_term` as deleted; how many were not yet.
  size_t MarkBaseDeleted(const std::string& id_term) {
    size_t n = 0;
    for (Xapian::docid d : BaseCopies(id_term)) {
      if (base_deleted.insert(d).second) ++n;
    }
    if (n > 0) deleted_changed = true;
    return n;
  }
};

namespace {

// "" if `db` may be used by this code, else why not.
std::string FormatProblem(const Xapian::Database& db, const std::string& dir) {
  std::string f = db.get_metadata(kFormatKey);
  if (f == kFormat || (f.empty() && db.get_doccount() == 0)) return "";
  return "the index at " + dir + " has format " + (f.empty() ? std::string("1") : f) +
         ", this build uses format " + kFormat + ": rebuild it with `kholuu reindex`";
}

// fsync every file of the directory, then the directory itself.
Status SyncDirectory(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    int fd = ::open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return InternalError("open " + e.path().string() + ": " + std::strerror(errno));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return InternalError("fsync " + e.path().string() + ": " + std::strerror(err));
  }
  if (ec) return InternalError("list " + dir + ": " + ec.message());
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return InternalError("open " + dir + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return InternalError("fsync " + dir + ": " + std::strerror(err));
  return Status::Ok();
}

bool IsLayered(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::exists(dir + "/" + kStubFile, ec);
}

// The deletion list: sorted document ids, 4 bytes each, little-endian.
std::string PackDocids(const std::set<Xapian::docid>& ids) {
  std::string out;
  out.reserve(ids.size() * 4);
  for (Xapian::docid d : ids) {
    for (unsigned i = 0; i < 4; ++i) out.push_back(static_cast<char>((d >> (8 * i)) & 0xffU));
  }
  return out;
}

Result<std::vector<Xapian::docid>> UnpackDocids(const std::string& s, const std::string& where) {
  if (s.size() % 4 != 0) return DataLossError("index deletion list in " + where + " is damaged");
  std::vector<Xapian::docid> out(s.size() / 4);
  for (size_t k = 0; k < out.size(); ++k) {
    Xapian::docid d = 0;
    for (unsigned i = 0; i < 4; ++i) {
      d |= static_cast<Xapian::docid>(static_cast<unsigned char>(s[k * 4 + i])) << (8 * i);
    }
    if (d == 0 || (k > 0 && d <= out[k - 1])) {
      return DataLossError("index deletion list in " + where + " is damaged");
    }
    out[k] = d;
  }
  return out;
}

// The deletion list of a layered index, from its live part.
Result<std::vector<Xapian::docid>> ReadBaseDeleted(const Xapian::Database& live, const std::string& live_dir) {
  std::string packed;
  KHOLUU_RETURN_IF_ERROR(CallXapian("read index " + live_dir, [&] { packed = live.get_metadata(kBaseDeletedKey); }));
  return UnpackDocids(packed, live_dir);
}

// Writes dir/XAPIANDB naming the two parts (so that Xapian's own tools open
// the whole index) and syncs it.
Status WriteStub(const std::string& dir) {
  const std::string path = dir + "/" + kStubFile;
  const std::string text = std::string("auto ") + kBaseDir + "\nauto " + kLiveDir + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return InternalError("create " + path + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) return InternalError("write " + path + ": " + std::strerror(err));
  return Status::Ok();
}

}  // namespace

IndexWriter::IndexWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IndexWriter::~IndexWriter() {
  if (!impl_) return;
  size_t pending = 0;
  for (const Shard& s : impl_->shards) pending += s.pending;
  if (impl_->sharded) {
    // A rebuild without Commit() is to be discarded: no merge.
    Log(Severity::kWarning, "index.rebuild_not_committed", {{"dir", impl_->dir}});
  } else if (pending > 0) {
    // Xapian would commit in its destructor and swallow errors; say so.
    Log(Severity::kWarning, "index.uncommitted_at_close", {{"changes", std::to_string(pending)}});
    Commit().IgnoreError();
  }
}

Result<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& dir, RankingOptions ranking) {
  auto impl = std::make_unique<Impl>();
  impl->ranking = ranking;
  impl->dir = dir;
  Shard& s = impl->shards.emplace_back();
  s.dir = dir;
  std::string problem;
  if (IsLayered(dir)) {
    s.dir = dir + "/" + kLiveDir;
    KHOLUU_RETURN_IF_ERROR(CallXapian("open index " + dir, [&] {
      impl->base = Xapian::Database(dir + "/" + kBaseDir);
      s.db = Xapian::WritableDatabase(s.dir, Xapian::DB_OPEN);
      problem = FormatProblem(impl->base, dir);
      if (problem.empty()) problem = FormatProblem(s.db, dir);
    }));
    if (!problem.empty()) return FailedPreconditionError(problem);
    KHOLUU_ASSIGN_OR_RETURN(std::vector<Xapian::docid> ids, ReadBaseDeleted(s.db, s.dir));
    impl->base_deleted.insert(ids.begin(), ids.end());
    impl->layered = true;
    return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(impl)));
  }
  KHOLUU_RETURN_IF_ERROR(CallXapian("open index " + dir, [&] {
    s.db = Xapian::WritableDatabase(dir, Xapian::DB_CREATE_OR_OPEN);
    problem = FormatProblem(s.db, dir);
    if (problem.empty() && s.db.get_metadata(kFormatKey).empty()) {
      s.db.set_metadata(kFormatKey, kFormat);
    }
  }));
  if (!problem.empty()) return FailedPreconditionError(problem);
  return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(impl)));
}

namespace {
constexpr const char* kShardsDir = "shards";  // dir/shards/N during a parallel rebuild
}  // namespace

Result<std::unique_ptr<IndexWriter>> IndexWriter::OpenForRebuild(const std::string& dir,
                                                                 RankingOptions ranking,
                                                                 size_t threads) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return FailedPreconditionError("rebuild index: " + dir + " exists and is not empty");
  }
  threads = std::clamp<size_t>(threads, 1, kMaxRebuildThreads);
  auto impl = std::make_unique<Impl>();
  impl->ranking = ranking;
  impl->dir = dir;
  impl->sharded = true;
  for (size_t i = 0; i < threads; ++i) {
    Shard& s = impl->shards.emplace_back();
    s.base = dir + "/" + kShardsDir + "/" + std::to_string(i);
    s.rebuild = true;
    s.segmented = true;
    KHOLUU_RETURN_IF_ERROR(CallXapian("create index " + s.base, [&] {
      std::filesystem::create_directories(s.base);
    }));
  }
  return std::unique_ptr<IndexWriter>(new IndexWriter(std::move(impl)));
}

// A document analysed into its Xapian form, ready for the writer.
struct IndexWriter::Prepared {
  Status status;
  Xapian::Document doc;
  std::string id_term;
  std::vector<LegacyEncoding> repaired;  // one entry per field re-decoded
  // (folded, exact) for each exact syllable form with a diacritic, distinct.
  Variants variants;
};

IndexWriter::Prepared IndexWriter::Prepare(const IndexDocument& d, const RankingOptions& r) {
  Prepared p;
  if (d.id.empty()) {
    p.status = InvalidArgumentError("index document without id");
    return p;
  }
  if (d.id.size() > kMaxTermBytes) {
    p.status = InvalidArgumentError("index document id too long");
    return p;
  }
  p.status = CallXapian("index " + d.id, [&] { BuildDocument(d, r, p); });
  return p;
}

void IndexWriter::BuildDocument(const IndexDocument& d, const RankingOptions& r, Prepared& p) {
  Xapian::Document& doc = p.doc;
  Xapian::termpos base = 0;
  auto repair = [&](const std::string& s) {
    if (!MayNeedRepair(s)) return s;  // Unicode or ASCII text: nothing to score
    RepairedText rt = RepairEncoding(s);
    if (rt.encoding != LegacyEncoding::kUtf8) p.repaired.push_back(rt.encoding);
    return rt.text;
  };
  std::string subject = repair(d.subject);
  std::string body = repair(d.body);
  std::string file_title = repair(d.record_file_title);
  AnalyzedText subj = Analyzer::Analyze(subject);
  AnalyzedText text = Analyzer::Analyze(body);
  AnalyzedText file = Analyzer::Analyze(file_title);
  AnalyzedText agency = Analyzer::Analyze(d.agency_name);
  AnalyzedText signer = Analyzer::Analyze(d.signer);
  AnalyzedText type = Analyzer::Analyze(d.type_name);
  AnalyzedText code = Analyzer::Analyze(d.code);
  auto& v = p.variants;
  std::unordered_set<std::string_view> seen;
  AddText(doc, subj, FindField("subject"), true,
          static_cast<Xapian::termcount>(1 + r.subject_wdf), base, v, seen);
  AddText(doc, text, nullptr, true, 1, base, v, seen);
  AddText(doc, file, FindField("file"), r.file_title_wdf > 0,
          static_cast<Xapian::termcount>(r.file_title_wdf), base, v, seen);
  AddText(doc, agency, FindField("agency"), false, 1, base, v, seen);
  AddText(doc, signer, FindField("signer"), false, 1, base, v, seen);
  AddText(doc, type, FindField("type"), false, 1, base, v, seen);

  // Document numbers: the record's own code, and those cited in the text.
  std::set<std::string> numbers;
  if (std::string c = Analyzer::CanonicalDocNumber(d.code); !c.empty()) numbers.insert(c);
  AddText(doc, code, nullptr, true, 1, base, v, seen);
  for (const std::string& n : subj.doc_numbers) numbers.insert(n);
  for (const std::string& n : text.doc_numbers) numbers.insert(n);
  for (const std::string& n : numbers) {
    if (n.size() <= kMaxTermBytes) doc.add_term(kDocNumberPrefix + n, 1);
  }

  // Boolean filter terms (wdf 0: they never change the score).
  std::string id_term = kIdPrefix + d.id;
  doc.add_boolean_term(id_term);
  if (!d.record_file.empty() && d.record_file.size() <= kMaxTermBytes) {
    doc.add_boolean_term(kRecordFilePrefix + d.record_file);
  }
  if (!d.agency_id.empty() && d.agency_id.size() <= kMaxTermBytes) {
    doc.add_boolean_term(kAgencyIdPrefix + d.agency_id);
  }
  if (!d.type_name.empty()) {
    std::string k = FoldedKey(d.type_name);
    if (k.size() <= kMaxTermBytes) doc.add_boolean_term(kTypePrefix + k);
  }
  std::string year = d.issued_date.size() >= 4 ? d.issued_date.substr(0, 4) : "";
  if (!year.empty()) doc.add_boolean_term(kYearPrefix + year);
  doc.add_boolean_term(kAccessPrefix + std::to_string(d.access_level));

  doc.add_value(kSlotIssued, d.issued_date);
  doc.add_value(kSlotIngest, Xapian::sortable_serialise(static_cast<double>(d.ingest_micros)));
  doc.add_value(kSlotPages, Xapian::sortable_serialise(d.page_count));
  doc.add_value(kSlotAgency, d.agency_name.empty() ? d.agency_id : d.agency_name);
  doc.add_value(kSlotType, d.type_name);
  doc.add_value(kSlotYear, year);

  std::string data;
  PutField(data, d.id);
  PutField(data, d.record_file);
  PutField(data, d.code);
  PutField(data, subj.normalized);
  PutField(data, d.issued_date);
  PutField(data, TruncateUtf8(subj.normalized + "\n" + text.normalized, kMaxStoredText));
  doc.set_data(data);
  p.id_term = std::move(id_term);
}

Status IndexWriter::Apply(Shard& s, Prepared& p, std::map<std::string, size_t>& repaired) {
  KHOLUU_RETURN_IF_ERROR(p.status);
  if (s.segmented) return ApplyToSegment(s, p, repaired);
  for (LegacyEncoding e : p.repaired) ++repaired[std::string(LegacyEncodingName(e))];
  KHOLUU_RETURN_IF_ERROR(CallXapian("index " + p.id_term.substr(std::strlen(kIdPrefix)), [&] {
    for (const auto& [folded, exact] : p.variants) {
      if (s.variants.insert(exact).second) s.db.add_synonym(kFoldedPrefix + folded, exact);
    }
    // A base copy is hidden from now on; the new one goes to the live part.
    if (impl_->layered) impl_->MarkBaseDeleted(p.id_term);
    // A new index has no document this session has not added.
    if (s.fresh && s.ids.insert(p.id_term).second) {
      s.db.add_document(p.doc);
    } else {
      s.db.replace_document(p.id_term, p.doc);
    }
  }));
  if (++s.pending >= batch_size_) return CommitShard(s, /*sync=*/false);
  return Status::Ok();
}

Status IndexWriter::OpenSegment(Shard& s) {
  s.dir = s.base + "/" + std::to_string(s.closed.size());
  KHOLUU_RETURN_IF_ERROR(CallXapian("create index segment " + s.dir, [&] {
    s.db = Xapian::WritableDatabase(
        s.dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_DANGEROUS | Xapian::DB_NO_SYNC |
                   Xapian::DB_NO_TERMLIST);
    s.db.set_metadata(kFormatKey, kFormat);
  }));
  s.open = true;
  s.segment_docs = 0;
  s.pending = 0;
  return Status::Ok();
}

Status IndexWriter::CloseSegment(Shard& s) {
  if (!s.open) return Status::Ok();
  KHOLUU_RETURN_IF_ERROR(CallXapian("close index segment " + s.dir, [&] {
    s.db.commit();
    s.db.close();
  }));
  s.db = Xapian::WritableDatabase();
  s.closed.push_back(s.dir);
  s.open = false;
  s.pending = 0;
  return Status::Ok();
}

Status IndexWriter::ApplyToSegment(Shard& s, Prepared& p, std::map<std::string, size_t>& repaired) {
  if (!s.open) KHOLUU_RETURN_IF_ERROR(OpenSegment(s));
  for (LegacyEncoding e : p.repaired) ++repaired[std::string(LegacyEncodingName(e))];
  // An older copy stays in its segment; the merge lists it as deleted.
  if (!s.present.insert(p.id_term).second) s.again.insert(p.id_term);
  KHOLUU_RETURN_IF_ERROR(CallXapian("index " + p.id_term.substr(std::strlen(kIdPrefix)), [&] {
    // Each segment gets the synonyms of the forms first seen in it; the
    // compactor merges the tables.
    for (const auto& [folded, exact] : p.variants) {
      if (s.variants.insert(exact).second) s.db.add_synonym(kFoldedPrefix + folded, exact);
    }
    s.db.add_document(p.doc);
  }));
  if (++s.segment_docs >= segment_docs_) return CloseSegment(s);
  if (++s.pending >= segment_flush_) {
    KHOLUU_RETURN_IF_ERROR(CallXapian("commit index segment", [&] { s.db.commit(); }));
    s.pending = 0;
  }
  return Status::Ok();
}

size_t IndexWriter::ShardOf(const std::string& id) const {
  size_t n = impl_->shards.size();
  return n == 1 ? 0 : std::hash<std::string>{}(id) % n;
}

Status IndexWriter::Put(const IndexDocument& d) {
  Prepared p = Prepare(d, impl_->ranking);
  return Apply(impl_->shards[ShardOf(d.id)], p, repaired_);
}

Status IndexWriter::PutMany(std::span<const IndexDocument> docs) {
  if (impl_->shards.size() > 1) return PutManyParallel(docs);
  // One analysis thread fills a queue of at most kMaxQueued chunks; this
  // thread writes them in order. The analysis thread keeps its word cache
  // (analyzer.cc) for the whole call.
  constexpr size_t kChunk = 64;
  constexpr size_t kMaxQueued = 4;
  const RankingOptions ranking = impl_->ranking;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::vector<Prepared>> queue;
  bool stop = false;
  std::jthread worker([&] {
    for (size_t begin = 0; begin < docs.size(); begin += kChunk) {
      std::vector<Prepared> chunk;
      chunk.reserve(kChunk);
      for (size_t i = begin; i < std::min(docs.size(), begin + kChunk); ++i) {
        chunk.push_back(Prepare(docs[i], ranking));
      }
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return stop || queue.size() < kMaxQueued; });
      if (stop) return;
      queue.push_back(std::move(chunk));
      cv.notify_all();
    }
  });
  Status result = Status::Ok();
  Shard& shard = impl_->shards[0];
  for (size_t begin = 0; begin < docs.size() && result.ok(); begin += kChunk) {
    std::vector<Prepared> chunk;
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return !queue.empty(); });
      chunk = std::move(queue.front());
      queue.pop_front();
      cv.notify_all();
    }
    for (Prepared& p : chunk) {
      result = Apply(shard, p, repaired_);
      if (!result.ok()) break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    stop = true;
    cv.notify_all();
  }
  return result;  // the worker is joined here (std::jthread)
}

Status IndexWriter::PutManyParallel(std::span<const IndexDocument> docs) {
  // Thread i analyses and writes the documents of shard i, in order; each
  // thread owns its shard's database (Xapian objects are not shared).
  const size_t n = impl_->shards.size();
  const RankingOptions ranking = impl_->ranking;
  std::vector<Status> results(n, Status::Ok());
  std::vector<std::map<std::string, size_t>> repaired(n);
  std::atomic<bool> failed{false};
  {
    std::vector<std::jthread> threads;
    for (size_t t = 0; t < n; ++t) {
      threads.emplace_back([&, t] {
        for (const IndexDocument& d : docs) {
          if (failed.load(std::memory_order_relaxed)) return;
          if (ShardOf(d.id) != t) continue;
          Prepared p = Prepare(d, ranking);
          results[t] = Apply(impl_->shards[t], p, repaired[t]);
          if (!results[t].ok()) {
            failed = true;
            return;
          }
        }
      });
    }
  }
  for (const auto& m : repaired) {
    for (const auto& [name, count] : m) repaired_[name] += count;
  }
  for (Status& s : results) KHOLUU_RETURN_IF_ERROR(s);
  return Status::Ok();
}

Status IndexWriter::Delete(const std::string& id) {
  std::string term = kIdPrefix + id;
  Shard& s = impl_->shards[ShardOf(id)];
  if (s.segmented) {
    if (s.present.erase(term) == 0) return NotFoundError("document " + id + " is not in the index");
    s.again.insert(term);  // every copy is listed as deleted at the merge
    return Status::Ok();
  }
  bool exists = false;
  KHOLUU_RETURN_IF_ERROR(CallXapian("delete " + id, [&] {
    exists = s.db.term_exists(term);
    if (exists) s.db.delete_document(term);
    if (impl_->layered && impl_->MarkBaseDeleted(term) > 0) exists = true;
  }));
  if (!exists) return NotFoundError("document " + id + " is not in the index");
  if (++s.pending >= batch_size_) return CommitShard(s, /*sync=*/false);
  return Status::Ok();
}

Status IndexWriter::Commit() {
  if (impl_->sharded) return MergeShards();
  return CommitShard(impl_->shards[0], /*sync=*/true);
}

Status IndexWriter::CommitShard(Shard& s, bool sync) {
  const bool deletions = impl_->layered && impl_->deleted_changed;
  KHOLUU_RETURN_IF_ERROR(CallXapian("commit index", [&] {
    // With the changes of the same commit: atomic with them.
    if (deletions) s.db.set_metadata(kBaseDeletedKey, PackDocids(impl_->base_deleted));
    s.db.commit();
  }));
  if (deletions) impl_->deleted_changed = false;
  s.pending = 0;
  // DB_NO_SYNC: a rebuild's commits are durable only once synced here.
  if (sync && s.rebuild) return SyncDirectory(s.dir);
  return Status::Ok();
}

namespace {

// Xapian's compactor merges `inputs` (document ids renumbered in order,
// synonym tables merged) into the new database `out`.
Status Compact(const std::vector<std::string>& inputs, const std::string& out) {
  return CallXapian("merge index segments into " + out, [&] {
    Xapian::Database all;
    for (const std::string& in : inputs) all.add_database(Xapian::Database(in));
    all.compact(out);
  });
}

// Runs fn(i) for i in [0, n) on up to `threads` threads; the first error.
Status RunParallel(size_t n, size_t threads, const std::function<Status(size_t)>& fn) {
  std::vector<Status> results(n, Status::Ok());
  std::atomic<size_t> next{0};
  {
    std::vector<std::jthread> pool;
    for (size_t t = 0; t < std::max<size_t>(1, std::min(threads, n)); ++t) {
      pool.emplace_back([&] {
        for (size_t i = next++; i < n; i = next++) results[i] = fn(i);
      });
    }
  }
  for (Status& st : results) KHOLUU_RETURN_IF_ERROR(st);
  return Status::Ok();
}

}  // namespace

Status IndexWriter::MergeShards() {
  // Every shard's last segment is closed; then the segments of all shards
  // are compacted into dir/base, in rounds of at most kMaxMergeInputs (file
  // handles), the rounds' merges running on the rebuild's threads. The
  // segments have no termlists, so neither has the base: older copies of
  // documents put twice, and deleted documents, are listed as deleted in the
  // new, empty live database dir/live, which takes every later change
  // (ADR 0062, 0066).
  const std::string& dir = impl_->dir;
  const size_t threads = impl_->shards.size();
  KHOLUU_RETURN_IF_ERROR(RunParallel(threads, threads, [&](size_t i) { return CloseSegment(impl_->shards[i]); }));
  std::vector<std::string> segments;
  for (const Shard& s : impl_->shards) segments.insert(segments.end(), s.closed.begin(), s.closed.end());
  const std::string shards_dir = dir + "/" + kShardsDir;
  for (size_t round = 0; segments.size() > kMaxMergeInputs; ++round) {
    size_t groups = (segments.size() + kMaxMergeInputs - 1) / kMaxMergeInputs;
    std::vector<std::string> merged(groups);
    KHOLUU_RETURN_IF_ERROR(RunParallel(groups, threads, [&](size_t g) {
      std::vector<std::string> in(segments.begin() + static_cast<ptrdiff_t>(g * kMaxMergeInputs),
                                  segments.begin() + static_cast<ptrdiff_t>(
                                      std::min(segments.size(), (g + 1) * kMaxMergeInputs)));
      merged[g] = shards_dir + "/m" + std::to_string(round) + "-" + std::to_string(g);
      KHOLUU_RETURN_IF_ERROR(Compact(in, merged[g]));
      std::error_code ec;
      for (const std::string& d : in) std::filesystem::remove_all(d, ec);
      return Status::Ok();
    }));
    segments = std::move(merged);
  }
  const std::string base_dir = dir + "/" + kBaseDir;
  const std::string live_dir = dir + "/" + kLiveDir;
  if (segments.empty()) {
    // Nothing was put: an empty base.
    KHOLUU_RETURN_IF_ERROR(CallXapian("create index " + base_dir, [&] {
      Xapian::WritableDatabase db(base_dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC |
                                                Xapian::DB_NO_TERMLIST);
      db.set_metadata(kFormatKey, kFormat);
      db.commit();
    }));
  } else {
    KHOLUU_RETURN_IF_ERROR(Compact(segments, base_dir));
  }
  std::vector<Shard> merged(1);
  Shard& m = merged[0];
  m.dir = live_dir;
  m.rebuild = true;  // DB_NO_SYNC below: Commit() syncs
  KHOLUU_RETURN_IF_ERROR(CallXapian("open merged index " + base_dir, [&] {
    impl_->base = Xapian::Database(base_dir);
    // A document's copies are in the order they were put (one shard per id,
    // its segments in order, docids renumbered in order): all but the last
    // are stale, and all of them if it was deleted last.
    for (const Shard& s : impl_->shards) {
      for (const std::string& term : s.again) {
        std::vector<Xapian::docid> copies = impl_->BaseCopies(term);
        if (!copies.empty() && s.present.count(term) != 0) copies.pop_back();
        impl_->base_deleted.insert(copies.begin(), copies.end());
      }
    }
    m.db = Xapian::WritableDatabase(live_dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
    m.db.set_metadata(kFormatKey, kFormat);
    m.db.set_metadata(kBaseDeletedKey, PackDocids(impl_->base_deleted));
    m.db.commit();
  }));
  for (Shard& s : impl_->shards) {
    for (const std::string& v : s.variants) m.variants.insert(v);
  }
  impl_->shards = std::move(merged);
  impl_->sharded = false;
  impl_->layered = true;
  impl_->deleted_changed = false;
  std::error_code ec;
  std::filesystem::remove_all(shards_dir, ec);
  if (ec) return InternalError("remove " + shards_dir + ": " + ec.message());
  KHOLUU_RETURN_IF_ERROR(SyncDirectory(base_dir));
  KHOLUU_RETURN_IF_ERROR(SyncDirectory(live_dir));
  KHOLUU_RETURN_IF_ERROR(WriteStub(dir));
  return SyncDirectory(dir);
}

// ---- Searcher -------------------------------------------------------------------

namespace {

// Helper threads that run slices 1..n-1 of each search while the caller runs
// slice 0 (ADR 0067). They live as long as the Searcher, so their
// thread-local analysis caches stay warm and no thread is started per search.
class SlicePool {
 public:
  explicit SlicePool(size_t helpers) {
    for (size_t i = 0; i < helpers; ++i) threads_.emplace_back([this, i] { Loop(i + 1); });
  }
  ~SlicePool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    work_.notify_all();
  }  // the threads are joined here (std::jthread)
  SlicePool(const SlicePool&) = delete;
  SlicePool& operator=(const SlicePool&) = delete;

  // Runs fn(i) for every i in [0, n), n at most the number of helper threads
  // + 1: fn(0) on the calling thread, the others on the helpers; returns when
  // all are done. fn must not throw.
  void Run(size_t n, const std::function<void(size_t)>& fn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = &fn;
      slices_ = n;
      pending_ = n - 1;
      ++generation_;
    }
    work_.notify_all();
    fn(0);
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void Loop(size_t slice) {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      work_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (slice >= slices_) continue;  // this search has fewer slices
      const std::function<void(size_t)>* fn = job_;
      lock.unlock();
      (*fn)(slice);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex mu_;
  std::condition_variable work_, done_;
  const std::function<void(size_t)>* job_ = nullptr;
  size_t slices_ = 0;
  size_t pending_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::vector<std::jthread> threads_;  // last: joined before the rest goes
};

}  // namespace

struct Searcher::Impl {
  // One handle on the index per search thread (Xapian objects are not
  // shared between threads); all at the same revision.
  struct Handle {
    Xapian::Database db;    // the whole index: base then live if layered
    Xapian::Database live;  // layered: the live part, else unset
    // The part whose revision changes with each commit.
    const Xapian::Database& changing() const { return live.size() > 0 ? live : db; }
  };
  std::vector<Handle> handles;
  RankingOptions ranking;
  SearchParallelism parallel;
  std::string dir;
  ino_t dir_inode = 0;  // another inode: a rebuild was renamed into place
  // Layered (ADR 0066): the base part's UUID and its documents hidden from
  // every search (the list is kept in the live part's metadata).
  bool layered = false;
  std::string base_uuid;
  std::shared_ptr<const std::vector<Xapian::docid>> base_deleted =
      std::make_shared<const std::vector<Xapian::docid>>();
  // Handles at the same revision as handles[0]; the others wait for the
  // next Reopen (a commit came between the opening of two of them).
  size_t usable = 1;
  std::unique_ptr<SlicePool> pool;  // handles.size() - 1 helpers, if any

  const Xapian::Database& db() const { return handles[0].db; }

  // Opens one more handle. Throws Xapian::Error; sets `problem` if the
  // index has another format.
  void AddHandle(std::string& problem) {
    Handle h;
    if (!layered) {
      h.db = Xapian::Database(dir);
      problem = FormatProblem(h.db, dir);
    } else {
      Xapian::Database base(dir + "/" + kBaseDir);
      h.live = Xapian::Database(dir + "/" + kLiveDir);
      problem = FormatProblem(base, dir);
      if (problem.empty()) problem = FormatProblem(h.live, dir);
      base_uuid = base.get_uuid();
      h.db = base;
      h.db.add_database(h.live);
    }
    handles.push_back(std::move(h));
  }

  // Moves every handle to the latest revision, a few times over if a commit
  // lands in between; handles left behind are not used until the next call.
  // Throws Xapian::Error.
  void Synchronise(bool reopen_first) {
    if (reopen_first) handles[0].db.reopen();
    for (int attempt = 0; attempt < 4; ++attempt) {
      const Xapian::rev want = handles[0].changing().get_revision();
      usable = 1;
      while (usable < handles.size()) {
        handles[usable].db.reopen();
        if (handles[usable].changing().get_revision() != want) break;
        ++usable;
      }
      if (usable == handles.size()) return;
      handles[0].db.reopen();  // a newer revision than `want`: catch up
    }
  }

  // The access-level terms and their frequencies at the handles' revision:
  // read once per revision, not per search (listing them walks their posting
  // lists' keys). Throws Xapian::Error.
  std::vector<std::pair<std::string, Xapian::doccount>> access_terms;
  void LoadAccessTerms() {
    access_terms.clear();
    const Xapian::Database& d = handles[0].db;
    for (auto t = d.allterms_begin(kAccessPrefix); t != d.allterms_end(kAccessPrefix); ++t) {
      access_terms.emplace_back(*t, t.get_termfreq());
    }
  }

  Status LoadDeleted() {
    KHOLUU_ASSIGN_OR_RETURN(std::vector<Xapian::docid> ids,
                            ReadBaseDeleted(handles[0].live, dir + "/" + kLiveDir));
    base_deleted = std::make_shared<const std::vector<Xapian::docid>>(std::move(ids));
    return Status::Ok();
  }
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::string& dir, RankingOptions ranking,
                                                 SearchParallelism parallel) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return NotFoundError("no index at " + dir);
  auto impl = std::make_unique<Impl>();
  impl->ranking = ranking;
  impl->parallel = parallel;
  impl->dir = dir;
  impl->dir_inode = st.st_ino;
  impl->layered = IsLayered(dir);
  size_t threads = parallel.threads;
  if (threads == 0) threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  threads = std::min(threads, SearchParallelism::kMaxThreads);
  std::string problem;
  KHOLUU_RETURN_IF_ERROR(CallXapian("open index " + dir, [&] {
    impl->AddHandle(problem);
    if (!problem.empty()) return;
    // The extra handles only for an index big enough to be sliced.
    const uint64_t docs = impl->db().get_doccount();
    const uint64_t per = std::max<size_t>(parallel.min_docs_per_thread, 1);
    threads = std::clamp<uint64_t>(docs / per, 1, threads);
    while (problem.empty() && impl->handles.size() < threads) impl->AddHandle(problem);
    impl->Synchronise(/*reopen_first=*/false);
    impl->LoadAccessTerms();
  }));
  if (!problem.empty()) return FailedPreconditionError(problem);
  if (impl->handles.size() > 1) {
    try {
      impl->pool = std::make_unique<SlicePool>(impl->handles.size() - 1);
    } catch (const std::system_error& e) {
      return Status(StatusCode::kResourceExhausted, std::string("search threads: ") + e.what());
    }
  }
  if (impl->layered) KHOLUU_RETURN_IF_ERROR(impl->LoadDeleted());
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

Status Searcher::Reopen() {
  // A new index renamed over the old one (`kholuu reindex`) is opened anew:
  // Xapian's reopen() keeps the old files' handles.
  struct stat st;
  if (::stat(impl_->dir.c_str(), &st) == 0 && st.st_ino != impl_->dir_inode) {
    KHOLUU_ASSIGN_OR_RETURN(std::unique_ptr<Searcher> fresh,
                            Open(impl_->dir, impl_->ranking, impl_->parallel));
    impl_ = std::move(fresh->impl_);
    return Status::Ok();
  }
  // Each handle's parts are shared with its db: reopening it reopens them.
  // The base never changes in place; the live part's deletion list may have.
  KHOLUU_RETURN_IF_ERROR(CallXapian("reopen index", [&] {
    impl_->Synchronise(/*reopen_first=*/true);
    impl_->LoadAccessTerms();
  }));
  return impl_->layered ? impl_->LoadDeleted() : Status::Ok();
}

size_t Searcher::threads() const { return impl_->handles.size(); }

uint64_t Searcher::doc_count() const { return impl_->db().get_doccount() - impl_->base_deleted->size(); }

namespace {

// Access control as a query (ADR 0063). Every document has exactly one
// access-level term, so "its level is one the caller may see" is the same
// set as "its level is none of the others the index holds": whichever side
// has fewer postings is used, and nothing when the caller may see every
// level present. At most one of the queries is set; both empty and not
// `nothing`: no filter. (Xapian's MatchNothing is the empty query, hence
// the flag.)
struct AccessFilter {
  bool nothing = false;   // the caller may see no document
  Xapian::Query visible;  // OP_FILTER by this
  Xapian::Query hidden;   // OP_AND_NOT this
};

// `terms`: every access-level term of the index with its frequency.
AccessFilter AccessFilterFor(const std::vector<std::pair<std::string, Xapian::doccount>>& terms,
                             const std::vector<int32_t>& levels) {
  std::set<std::string> permitted;
  for (int32_t l : levels) permitted.insert(kAccessPrefix + std::to_string(l));
  std::vector<Xapian::Query> seen, unseen;
  uint64_t seen_postings = 0, unseen_postings = 0;
  for (const auto& [term, freq] : terms) {
    if (permitted.count(term) != 0) {
      seen.emplace_back(term);
      seen_postings += freq;
    } else {
      unseen.emplace_back(term);
      unseen_postings += freq;
    }
  }
  AccessFilter f;
  if (seen.empty()) {
    f.nothing = true;
  } else if (unseen.empty()) {
    // Every level in the index is visible: no filter.
  } else if (unseen_postings < seen_postings) {
    f.hidden = OrOf(unseen);
  } else {
    f.visible = OrOf(seen);
  }
  return f;
}

// What one thread found in its slice of the document ids.
struct SliceHit {
  Xapian::docid did = 0;
  double weight = 0;
  std::string sort_key;  // the issue-date value when sorting by date
};
struct SliceResult {
  Status status;
  uint64_t estimate = 0;
  bool exact = false;  // the estimate is the count (lower bound == upper bound)
  std::vector<SliceHit> hits;  // best first
  std::map<std::string, std::map<std::string, uint64_t>> facets;
  Highlight hl;
};

// What every slice of one search shares (read-only while they run).
struct SearchPlan {
  const SearchRequest* req = nullptr;
  const ParsedQuery* pq = nullptr;
  const RankingOptions* ranking = nullptr;
  std::shared_ptr<const std::vector<Xapian::docid>> base_deleted;
  std::string base_uuid;
  const std::vector<std::pair<std::string, Xapian::doccount>>* access_terms = nullptr;
  size_t slices = 1;
  Xapian::doccount check = 0;  // matches each slice examines at least
};

// Builds the query on `db` and runs it on slice `slice` of plan.slices:
// hits [first, first + count) of the slice. Throws Xapian::Error.
void RunSlice(const Xapian::Database& db, const SearchPlan& plan, size_t slice, Xapian::doccount first,
              Xapian::doccount count, SliceResult& out) {
  const SearchRequest& req = *plan.req;
  const RankingOptions& r = *plan.ranking;
  QueryBuilder qb(r, &db);
  std::vector<Xapian::Query> optional, required, excluded;
  for (const QueryClause& c : plan.pq->clauses) {
    Xapian::Query q;
    if (c.kind == QueryClause::Kind::kDocNumber) {
      q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                        Xapian::Query(kDocNumberPrefix + Analyzer::CanonicalDocNumber(c.text)),
                        r.docnumber_weight);
      optional.push_back(q);
      continue;
    }
    if (c.excluded) {
      q = qb.Required(c, nullptr);
      if (!q.empty()) excluded.push_back(q);
    } else if (c.kind == QueryClause::Kind::kWords && c.field.empty()) {
      q = qb.Words(c.text, out.hl);
      if (!q.empty()) optional.push_back(q);
    } else {
      q = qb.Required(c, &out.hl);
      if (!q.empty()) required.push_back(q);
    }
  }
  Xapian::Query query;
  if (!required.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    if (!optional.empty()) query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, query, OrOf(optional));
  } else if (!optional.empty()) {
    query = OrOf(optional);
  } else {
    // Xapian::Query::MatchAll itself is one object shared by every thread,
    // and a Query's reference count is not atomic: a new one per slice.
    query = Xapian::Query(std::string());
  }
  if (!excluded.empty()) query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, OrOf(excluded));

  // Filters, access control first. OP_FILTER and OP_AND_NOT never change scores.
  std::vector<Xapian::Query> filters;
  AccessFilter access = AccessFilterFor(*plan.access_terms, req.access_levels);
  if (access.nothing) return;
  if (!access.visible.empty()) filters.push_back(access.visible);
  if (!req.agencies.empty()) {
    std::vector<Xapian::Query> a;
    for (const std::string& id : req.agencies) a.emplace_back(kAgencyIdPrefix + id);
    filters.push_back(OrOf(a));
  }
  if (!req.agency_filter.empty()) filters.emplace_back(kAgencyIdPrefix + req.agency_filter);
  if (!req.type_filter.empty()) filters.emplace_back(kTypePrefix + FoldedKey(req.type_filter));
  const ParsedQuery& pq = *plan.pq;
  std::string from = std::max(req.date_from, pq.date_from);
  std::string to = req.date_to.empty() ? pq.date_to
                   : pq.date_to.empty() ? req.date_to
                                        : std::min(req.date_to, pq.date_to);
  if (!from.empty() || !to.empty()) {
    if (to.empty()) {
      filters.emplace_back(Xapian::Query::OP_VALUE_GE, kSlotIssued, from);
    } else {
      // Dates sort as strings; "9999" is after every YYYY-MM-DD.
      filters.emplace_back(Xapian::Query::OP_VALUE_RANGE, kSlotIssued,
                           from.empty() ? std::string("0") : from, to);
    }
  }
  if (plan.slices > 1) {
    auto* range = new internal::DocidRangeSource(slice, plan.slices);
    filters.emplace_back(range->release());
  }
  if (!filters.empty()) {
    query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                          Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end()));
  }
  if (!access.hidden.empty()) query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, access.hidden);
  if (!plan.base_deleted->empty()) {
    // Replaced and deleted base documents: never in hits, totals or facets.
    auto* gone = new internal::DocidSetSource(plan.base_deleted, plan.base_uuid);
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(gone->release()));
  }

  Xapian::Enquire enq(db);
  enq.set_query(query);
  enq.set_weighting_scheme(Xapian::BM25Weight(r.k1, 0, 1, r.b, kMinNormLen));
  const bool by_date = req.sort != SearchRequest::Sort::kRelevance;
  if (by_date) enq.set_sort_by_value_then_relevance(kSlotIssued, req.sort == SearchRequest::Sort::kDateDesc);
  Xapian::ValueCountMatchSpy agency(kSlotAgency), type(kSlotType), year(kSlotYear);
  if (req.facets) {
    enq.add_matchspy(&agency);
    enq.add_matchspy(&type);
    enq.add_matchspy(&year);
  }
  Xapian::MSet mset = enq.get_mset(first, count, plan.check);
  out.estimate = mset.get_matches_estimated();
  out.exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    out.hits.push_back({*it, it.get_weight(), by_date ? it.get_sort_key() : std::string()});
  }
  if (req.facets) {
    auto collect = [&](Xapian::ValueCountMatchSpy& spy, const char* name) {
      auto& m = out.facets[name];
      for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
        if (!(*v).empty()) m[*v] = v.get_termfreq();
      }
    };
    collect(agency, "agency");
    collect(type, "type");
    collect(year, "year");
  }
}

// Xapian's order of an MSet: by the sort key if any (descending when
// `descending`), then weight, best first, then document id ascending.
bool HitBefore(const SliceHit& a, const SliceHit& b, bool descending) {
  if (a.sort_key != b.sort_key) return descending ? a.sort_key > b.sort_key : a.sort_key < b.sort_key;
  if (a.weight != b.weight) return a.weight > b.weight;
  return a.did < b.did;
}

}  // namespace

Result<SearchResults> Searcher::Search(const SearchRequest& req) {
  if (req.limit > 1000) return InvalidArgumentError("limit above 1000");
  // Each slice ranks offset + limit hits; paging deeper than this is a
  // query to refine, not a page to read.
  if (req.offset > 100000) return InvalidArgumentError("offset above 100000: refine the query");
  KHOLUU_ASSIGN_OR_RETURN(ParsedQuery pq, ParseQuery(req.query));
  SearchPlan plan;
  plan.req = &req;
  plan.pq = &pq;
  plan.ranking = &impl_->ranking;
  plan.base_deleted = impl_->base_deleted;
  plan.base_uuid = impl_->base_uuid;
  plan.access_terms = &impl_->access_terms;
  plan.slices = impl_->usable;
  const auto first = static_cast<Xapian::doccount>(req.offset);
  const auto count = static_cast<Xapian::doccount>(req.limit);
  // Facets count every match up to 100,000 in each slice, so that a slice
  // holding most of the matches counts as many as one thread would.
  if (req.facets) plan.check = std::min<Xapian::doccount>(impl_->db().get_doccount(), 100000);

  // One slice: its hits are the page. Several (ADR 0067): each slice's best
  // offset + limit, merged in Xapian's order, then the page.
  std::vector<SliceResult> slices(plan.slices);
  // Never throws (SlicePool::Run): anything CallXapian does not map is kInternal.
  auto run = [&](size_t i) noexcept {
    try {
      slices[i].status = CallXapian("search", [&] {
        if (plan.slices == 1) {
          RunSlice(impl_->handles[i].db, plan, i, first, count, slices[i]);
        } else {
          RunSlice(impl_->handles[i].db, plan, i, 0, first + count, slices[i]);
        }
      });
    } catch (const std::exception& e) {
      slices[i].status = InternalError(std::string("search: ") + e.what());
    }
  };
  if (plan.slices > 1) {
    impl_->pool->Run(plan.slices, run);
  } else {
    run(0);
  }
  for (const SliceResult& s : slices) KHOLUU_RETURN_IF_ERROR(s.status);

  SearchResults out;
  out.total_exact = true;
  std::vector<SliceHit> hits;
  for (SliceResult& s : slices) {
    out.total_estimate += s.estimate;
    out.total_exact = out.total_exact && s.exact;
    for (auto& [facet, values] : s.facets) {
      for (auto& [value, n] : values) out.facets[facet][value] += n;
    }
    hits.insert(hits.end(), std::make_move_iterator(s.hits.begin()), std::make_move_iterator(s.hits.end()));
  }
  if (req.facets) {
    for (const char* name : {"agency", "type", "year"}) out.facets[name];  // present even if empty
  }
  if (plan.slices > 1) {
    const bool descending = req.sort == SearchRequest::Sort::kDateDesc;
    std::sort(hits.begin(), hits.end(),
              [&](const SliceHit& a, const SliceHit& b) { return HitBefore(a, b, descending); });
    hits.erase(hits.begin(), hits.begin() + static_cast<ptrdiff_t>(std::min<size_t>(first, hits.size())));
    if (hits.size() > count) hits.resize(count);
  }
  const Highlight& hl = slices[0].hl;
  Status st = CallXapian("search", [&] {
    for (const SliceHit& hit : hits) {
      std::vector<std::string> f = GetFields(impl_->db().get_document(hit.did).get_data());
      if (f.size() < kDataCount) continue;
      SearchHit h;
      h.document = f[kDataId];
      h.record_file = f[kDataRecordFile];
      h.code = f[kDataCode];
      h.subject = f[kDataSubject];
      h.issued_date = f[kDataIssued];
      h.score = hit.weight;
      h.snippet = MakeSnippet(f[kDataText], hl);
      out.hits.push_back(std::move(h));
    }
  });
  KHOLUU_RETURN_IF_ERROR(st);
  return out;
}

}  // namespace kholuu::indexer
