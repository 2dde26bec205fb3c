// The walk over every object reachable from the trailer that removes active content and
// reports each removal. Iterative with a visited set: loops and deep chains of references
// cost memory in proportion to the objects, never stack.
#pragma once

#include <cstdint>

#include "formats/pdf/pdf_options.hpp"
#include "formats/pdf/qpdf_document.hpp"

namespace sanitize::formats::pdf {

struct WalkSummary {
  std::uint64_t pages = 0;
  // Annotations, outline items and form fields: what rasterize turns into pictures or drops.
  std::uint64_t interactive = 0;
};

// Removes from `document` everything DESIGN.md section 5 lists for PDF, and drops what no
// viewer reads (objects left out of the trailer's reach are reported as hidden data).
// `embedded_files_kept` false removes embedded files whatever the policy says (rasterize).
WalkSummary remove_active_content(QpdfDocument& document, const PdfOptions& options,
                                  bool embedded_files_kept);

}  // namespace sanitize::formats::pdf
