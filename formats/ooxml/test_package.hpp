// Test-only: builds OOXML packages from code for the unit tests, the corpus generator, the
// benchmark's large inputs and fuzz seeds. Minimal but valid Word, Excel and PowerPoint
// skeletons, to which a test adds the parts and relationships it is about.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sanitize::formats::ooxml::testing {

// Namespace declarations for hand-written parts.
inline constexpr std::string_view kWordNamespaces =
    R"( xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")"
    R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")"
    R"( xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing")"
    R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main")"
    R"( xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture")"
    R"( xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart")"
    R"( xmlns:v="urn:schemas-microsoft-com:vml")"
    R"( xmlns:o="urn:schemas-microsoft-com:office:office")"
    R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006")";
inline constexpr std::string_view kSheetNamespaces =
    R"( xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")"
    R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")"
    R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006")";
inline constexpr std::string_view kSlideNamespaces =
    R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main")"
    R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")"
    R"( xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main")"
    R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006")";

// Content types of the parts tests add.
namespace ct {
inline constexpr std::string_view word_main =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
inline constexpr std::string_view word_macro_main =
    "application/vnd.ms-word.document.macroEnabled.main+xml";
inline constexpr std::string_view excel_main =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
inline constexpr std::string_view excel_macro_main =
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml";
inline constexpr std::string_view powerpoint_main =
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";
inline constexpr std::string_view powerpoint_macro_main =
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml";
inline constexpr std::string_view worksheet =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
inline constexpr std::string_view slide =
    "application/vnd.openxmlformats-officedocument.presentationml.slide+xml";
inline constexpr std::string_view vba = "application/vnd.ms-office.vbaProject";
inline constexpr std::string_view ole = "application/vnd.openxmlformats-officedocument.oleObject";
inline constexpr std::string_view png = "image/png";
}  // namespace ct

class Package {
 public:
  // Adds a part; its content type goes in an Override.
  Package& part(std::string name, std::string_view content_type, std::string data);
  // Adds a part whose content type comes from a Default for its extension.
  Package& file(std::string name, std::string data);
  Package& default_type(std::string extension, std::string_view content_type);
  // A relationship of `source` ("" for the package). `type` is the last segment of a
  // transitional relationship type ("image") or a full URI.
  Package& relate(std::string source, std::string id, std::string_view type, std::string target,
                  bool external = false);
  // Replaces the data of a part added before.
  Package& replace(std::string_view name, std::string data);
  // Zip entries written as they are, after the parts (hostile names, orphans).
  Package& raw_entry(std::string name, std::string data);
  Package& comment(std::string text);

  // The zip bytes: [Content_Types].xml, then every part and relationship part.
  std::string build() const;

 private:
  struct Part {
    std::string name;
    std::string content_type;  // empty: a Default covers it
    std::string data;
  };
  struct Relation {
    std::string source;
    std::string id;
    std::string type;
    std::string target;
    bool external;
  };
  std::vector<Part> parts_;
  std::vector<Relation> relations_;
  std::vector<std::pair<std::string, std::string>> defaults_{
      {"rels", "application/vnd.openxmlformats-package.relationships+xml"},
      {"xml", "application/xml"}};
  std::vector<std::pair<std::string, std::string>> raw_;
  std::string comment_;
};

// A Word document whose body holds `body` (w:body content), with core properties.
Package word_document(std::string_view body, bool macro_enabled = false);
// A workbook of one sheet per entry of `sheet_data` (sheetData content of each sheet).
Package excel_workbook(const std::vector<std::string>& sheet_data, bool macro_enabled = false);
// A presentation with one slide per entry of `shapes` (spTree content after the group
// properties), with its master, layout and theme.
Package powerpoint_presentation(const std::vector<std::string>& shapes, bool macro_enabled = false);

std::string paragraph(std::string_view text);
// A complex field: begin, the code split at every '|', separate, result, end.
std::string complex_field(std::string_view code, std::string_view result);
std::string text_shape(int id, std::string_view text);

// Small valid pictures.
std::string tiny_png(unsigned char red, unsigned char green, unsigned char blue);
std::string tiny_gif();
std::string tiny_emf();
// An incompressible picture of about `bytes` bytes, the same for the same seed.
std::string noise_png(std::size_t bytes, std::uint64_t seed);

}  // namespace sanitize::formats::ooxml::testing
