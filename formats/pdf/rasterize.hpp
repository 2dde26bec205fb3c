// Mode rasterize: every page of an already rebuilt PDF rendered with poppler, in parallel,
// and a new PDF made with qpdf whose pages are those pictures at the original page sizes,
// with an invisible text layer from poppler's text extraction.
#pragma once

#include <cstdint>
#include <vector>

#include "formats/pdf/pdf_host.hpp"
#include "formats/pdf/pdf_options.hpp"

namespace sanitize::formats::pdf {

// `clean` is qpdf's rebuild of the input: poppler never parses the submitted bytes.
void rasterize(const std::vector<std::uint8_t>& clean, Host& host, const PdfOptions& options,
               std::vector<std::uint8_t>& out);

}  // namespace sanitize::formats::pdf
