// Namespace URIs and relationship-type URIs of Office Open XML (ECMA-376, transitional, and
// the Microsoft extensions Office writes). Elements and attributes are always matched by
// namespace URI and local name, never by prefix.
#pragma once

#include <string_view>

namespace sanitize::formats::ooxml::ns {

// Package level (OPC).
inline constexpr std::string_view content_types =
    "http://schemas.openxmlformats.org/package/2006/content-types";
inline constexpr std::string_view package_relationships =
    "http://schemas.openxmlformats.org/package/2006/relationships";
inline constexpr std::string_view markup_compatibility =
    "http://schemas.openxmlformats.org/markup-compatibility/2006";

// The namespace of r:id, r:embed, r:link... attributes.
inline constexpr std::string_view relationships =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

inline constexpr std::string_view wordprocessingml =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
inline constexpr std::string_view spreadsheetml =
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
inline constexpr std::string_view presentationml =
    "http://schemas.openxmlformats.org/presentationml/2006/main";
inline constexpr std::string_view drawingml =
    "http://schemas.openxmlformats.org/drawingml/2006/main";
inline constexpr std::string_view spreadsheet_drawing =
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
inline constexpr std::string_view chart_drawing =
    "http://schemas.openxmlformats.org/drawingml/2006/chartDrawing";
inline constexpr std::string_view excel_2009 =
    "http://schemas.microsoft.com/office/excel/2006/main";

// Legacy VML and its Office extensions.
inline constexpr std::string_view vml = "urn:schemas-microsoft-com:vml";
inline constexpr std::string_view vml_office = "urn:schemas-microsoft-com:office:office";
inline constexpr std::string_view vml_excel = "urn:schemas-microsoft-com:office:excel";

// Document properties.
inline constexpr std::string_view core_properties =
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
inline constexpr std::string_view dublin_core = "http://purl.org/dc/elements/1.1/";
inline constexpr std::string_view extended_properties =
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";

inline constexpr std::string_view data_mashup = "http://schemas.microsoft.com/DataMashup";

// Relationship types the module names outside its rule table.
inline constexpr std::string_view rel_office_document =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
inline constexpr std::string_view rel_strict_office_document =
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument";
inline constexpr std::string_view rel_hyperlink =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink";

}  // namespace sanitize::formats::ooxml::ns
