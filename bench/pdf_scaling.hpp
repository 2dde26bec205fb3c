// PDF, side by side in one run, per file: our two modes against the tools a site would use
// instead (a bare `qpdf in out` rewrite and mat2 for rebuild, `pdftoppm -png` for
// rasterize) on generated text documents of 1, 10, 100 and 1,000 pages and a 40-page scan.
#pragma once

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

namespace sanitize::bench {

// Writes the PDFs into `dir` (the same bytes on every run) and measures them: each of our
// runs in a child of its own (its peak RSS is the figure), `repeat` runs of the fast tools,
// one of the slow ones. Prints a table to `out`, or returns the figures as JSON.
nlohmann::ordered_json run_pdf_scaling(const std::filesystem::path& dir, unsigned repeat,
                                       std::FILE* out);

}  // namespace sanitize::bench
