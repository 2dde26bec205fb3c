// Test-only: writes ODF packages, benign and hostile, for the corpus generator, the unit
// tests, fuzz seeds and the bench. Entries go through the raw zip writer, so a package can
// also carry what real writers refuse to produce.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "formats/zip/raw_zip.hpp"

namespace sanitize::formats::odf::testing {

inline constexpr std::string_view kText = "application/vnd.oasis.opendocument.text";
inline constexpr std::string_view kSpreadsheet = "application/vnd.oasis.opendocument.spreadsheet";
inline constexpr std::string_view kPresentation = "application/vnd.oasis.opendocument.presentation";
inline constexpr std::string_view kDrawing = "application/vnd.oasis.opendocument.graphics";
inline constexpr std::string_view kChart = "application/vnd.oasis.opendocument.chart";

// office:document-content with `before_body` (scripts, styles, forms...) and one body
// element, e.g. body("text", "<text:p>...</text:p>").
std::string content_xml(std::string_view body_kind, std::string_view body,
                        std::string_view before_body = {});
std::string styles_xml(std::string_view inner);
std::string meta_xml(std::string_view inner);
std::string settings_xml(std::string_view inner);

// A 2x2 PNG (valid signature, chunks and checksums).
std::string tiny_png();
// An OLE2 compound-file header followed by filler: what an embedded OLE object starts with.
std::string ole2_storage();
// A chart sub-document's content.xml: a bar chart over its own little table.
std::string chart_content();

class Package;

// Edits of a built archive, for the hostile variants of the benign documents. Each throws
// std::logic_error when what it looks for is absent.
std::string& entry_data(zip::testing::RawArchive& archive, std::string_view name);
void insert_before(std::string& data, std::string_view marker, std::string_view text);
void replace_first(std::string& data, std::string_view from, std::string_view to);

// Benign documents with Japanese and English text, a table, a picture, a header and footer
// (text) or footer (slides), a comment and a chart object. `body_extra` is added at the end of
// the body, `before_body` before it, `prelude` (forms, declarations) at the start of the body:
// the hostile cases start from these.
Package text_document(std::string_view body_extra = {}, std::string_view before_body = {},
                      std::string_view prelude = {});
Package spreadsheet(std::string_view cells_extra = {}, std::string_view before_body = {});
Package presentation(std::string_view page_extra = {}, std::string_view before_body = {});
Package drawing(std::string_view page_extra = {});

// Benchmark inputs: a text document of `pages` pages (headings, paragraphs, a table and one
// of 30 photo-like pictures on each), and a spreadsheet of `rows` rows of text, numbers and a
// SUM formula.
std::string long_text_document(std::size_t pages);
std::string large_spreadsheet(std::size_t rows);

// A text document whose chart's replacement picture is an SVM metafile, listed as such, as
// LibreOffice writes it.
zip::testing::RawArchive chart_with_svm_replacement();

class Package {
 public:
  explicit Package(std::string_view mimetype);

  // An entry listed in the manifest with `media_type` ("" lists it without one).
  Package& add(std::string name, std::string data, std::string media_type = "text/xml",
               bool deflate = true);
  // An entry the manifest does not list.
  Package& add_unlisted(std::string name, std::string data);
  // A manifest line for a folder or a path without an entry ("Object 1/" and its type).
  Package& list(std::string path, std::string media_type);
  // Adds manifest:encryption-data to the manifest entry of `path`.
  Package& encrypt(std::string path);
  // Leaves META-INF/manifest.xml out.
  Package& without_manifest();

  zip::testing::RawArchive archive() const;
  std::string build() const;

 private:
  struct Listed {
    std::string path;
    std::string media_type;
  };
  std::string mimetype_;
  std::vector<zip::testing::RawEntry> entries_;
  std::vector<Listed> listed_;
  std::vector<std::string> encrypted_;
  bool with_manifest_ = true;
};

}  // namespace sanitize::formats::odf::testing
