#pragma once

#include "corpus/corpus.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats {

const Format& zip_format();
void generate_zip_corpus(corpus::Writer& writer);

}  // namespace sanitize::formats
