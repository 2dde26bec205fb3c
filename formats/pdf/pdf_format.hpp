#pragma once

#include "corpus/corpus.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats {

const Format& pdf_format();
void generate_pdf_corpus(corpus::Writer& writer);

}  // namespace sanitize::formats
