#include "formats/pdf/pdf_rebuild.hpp"

#include <string>
#include <string_view>

#include "formats/pdf/active_content.hpp"
#include "formats/pdf/qpdf_document.hpp"
#include "formats/pdf/rasterize.hpp"

namespace sanitize::formats::pdf {
namespace {

// Revisions of the file: each ends with its own startxref (a linearized file has one more,
// for its first page).
std::size_t startxref_count(const std::uint8_t* data, std::size_t size) {
  constexpr std::string_view kKeyword = "startxref";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::size_t count = 0;
  for (auto at = text.find(kKeyword); at != std::string_view::npos;
       at = text.find(kKeyword, at + kKeyword.size())) {
    ++count;
  }
  return count;
}

}  // namespace

void rebuild(const std::uint8_t* data, std::size_t size, Host& host, const PdfOptions& options,
             std::vector<std::uint8_t>& out) {
  QpdfDocument document(data, size, host, options);
  const std::size_t revisions =
      startxref_count(data, size) - (document.qpdf().isLinearized() ? 1 : 0);
  if (revisions > 1) {
    host.finding("pdf.incremental_update", "file", Done::removed,
                 std::to_string(revisions) +
                     " revisions merged into one; earlier versions of changed objects dropped");
  }
  const bool rasterizing = options.mode == Mode::rasterize;
  const WalkSummary summary =
      remove_active_content(document, options, !rasterizing && options.sanitize_embedded_files);
  if (!rasterizing) {
    document.write(out);
    document.report_repairs();
    return;
  }
  // poppler renders qpdf's rebuild, never the submitted bytes.
  std::vector<std::uint8_t> clean;
  document.write(clean);
  document.report_repairs();
  rasterize(clean, host, options, out);
  if (summary.interactive > 0) {
    host.finding("pdf.rasterized", "file", Done::converted,
                 std::to_string(summary.pages) + " page(s) rendered at " +
                     std::to_string(options.dpi) + " dpi; " + std::to_string(summary.interactive) +
                     " annotation(s), form field(s) or outline(s) flattened or dropped");
  }
}

}  // namespace sanitize::formats::pdf
