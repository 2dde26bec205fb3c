// The OOXML module: Word, Excel and PowerPoint files (and their macro-enabled and template
// forms) rebuilt from an allowlist of parts, relationships and content types.
#pragma once

#include "corpus/corpus.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats {

const Format& ooxml_format();

// Adds the module's test documents under ooxml/: benign ones for fidelity, and one or more
// for every finding kind.
void generate_ooxml_corpus(corpus::Writer& writer);

}  // namespace sanitize::formats
