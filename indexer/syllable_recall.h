// How much of a reference text survives in another text, counted in the
// indexer's own terms: the share of the reference's syllables (Analyze()
// tokens, exact form, numbers left out, with multiplicity) that the other
// text also has. Measures OCR and conversion fidelity (docs/text.md).
#pragma once

#include <string_view>

namespace kholuu::indexer {

// In [0, 1]; 0 when the reference has no syllables. Thread-safe.
double SyllableRecall(std::string_view reference, std::string_view text);

}  // namespace kholuu::indexer
