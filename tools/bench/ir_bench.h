// `kholuu-bench ir`: relevance of the full-text search on an ALQAC-format
// corpus, through the product's own analyser, index and query parser.
//
//   kholuu-bench ir --articles FILE --queries FILE [--strip-diacritics]
//                   [--split all|even|odd] [--per-query] [--ranking key=value]...
//                   [--cv-folds K [--cv-seed S] [--cv-repeats R] [--cv-tolerance T]
//                    [--cv-grid key=v1,v2,...]...]
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
// long=N (long_query_tokens), elite=N, maxscore=0|1, docnumber=W.
//
// --cv-folds K: K-fold cross-validation by query (ADR 0073). Every
// configuration of a declared grid (--cv-grid replaces one knob's values;
// knobs outside the grid keep the --ranking values) is evaluated once, as
// written and stripped, on one index per combination of the index-time knobs
// (subject, file). The queries are shuffled by a fixed generator seeded with
// S and dealt into K folds; for each fold the configuration is chosen on the
// other folds only (the mean of both modes' MRR@10; of the configurations
// within T of the best, default 0.01, the one with the fewest knobs away
// from their preferred values: plain BM25 + bigrams, except the speed knobs
// and the folded weight, preferred at the product's values) and scored on
// the held fold. R repeats use the
// seeds S..S+R-1. Prints the per-fold and mean figures, the plain BM25 +
// bigram baseline on the same folds, the training-set figures of the
// defaults, and per knob how often the folds chose it and what each value
// does alone on top of the baseline, per held fold.
//
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
