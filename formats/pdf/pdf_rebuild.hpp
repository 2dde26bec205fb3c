// One PDF through the module: qpdf's rebuild, and poppler's pictures in mode rasterize.
// C++17, like everything that includes qpdf's headers (pdf_host.hpp says why).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "formats/pdf/pdf_host.hpp"
#include "formats/pdf/pdf_options.hpp"

namespace sanitize::formats::pdf {

// Rebuilds the `size` bytes at `data` into `out`, reporting to and charging `host`.
void rebuild(const std::uint8_t* data, std::size_t size, Host& host, const PdfOptions& options,
             std::vector<std::uint8_t>& out);

}  // namespace sanitize::formats::pdf
