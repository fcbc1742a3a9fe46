// `kholuu-bench ir`: relevance of the full-text search on an ALQAC-format
// corpus, through the product's own analyser, index and query parser.
//
//   kholuu-bench ir --articles FILE --queries FILE [--strip-diacritics]
//                   [--split all|even|odd] [--per-query] [--ranking key=value]...
//
// articles: a JSON object "law@article" -> text (first line = article title,
// indexed as the subject; the law name is the record-file title). queries: a
// JSON array of {"question_id", "text", "relevant_articles": [{"law_id",
// "article_id"}]}. Prints one JSON document:
//   {"queries", "mrr_at_10", "recall_at_10", "recall_at_1"}
// (plus "split", "strip_diacritics"). --split even|odd evaluates every other
// query only (a held-out half for checking that a change generalises).
// --ranking changes one RankingOptions knob for ablations: bigram=W,
// folded=W, subject=N, file=N, questions=0|1, k1=X, b=X, common=X (common_df),
// long=N (long_query_tokens).
// Exit status: 0 measured, 1 indexing or searching failed, 2 usage or
// unreadable input.
#pragma once

#include <string>
#include <vector>

namespace kholuu::bench {

inline constexpr char kIrSummary[] =
    "relevance (MRR@10, recall) on an ALQAC-format corpus, with or without diacritics";

int RunIrBench(const std::vector<std::string>& args);

}  // namespace kholuu::bench
