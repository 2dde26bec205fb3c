// Mode rasterize: every page of an already rebuilt PDF rendered with poppler, in parallel,
// and a new PDF made with qpdf whose pages are those pictures at the original page sizes,
// with an invisible text layer from poppler's text extraction.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "formats/pdf/pdf_options.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats::pdf {

// `clean` is qpdf's rebuild of the input: poppler never parses the submitted bytes.
void rasterize(std::span<const std::uint8_t> clean, Context& ctx, const PdfOptions& options,
               std::vector<std::uint8_t>& out);

}  // namespace sanitize::formats::pdf
