// Plain text, CSV and TSV: the encoding is validated and kept as it came (a CP932 CSV stays
// CP932, Excel needs it); CSV/TSV cells that would run as a formula are neutralized.
#pragma once

#include "corpus/corpus.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats {

const sanitize::Format& text_format();

// Adds the text module's test files under text/.
void generate_text_corpus(sanitize::corpus::Writer& writer);

}  // namespace sanitize::formats
