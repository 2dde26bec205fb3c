// The namespaces of OpenDocument (ODF 1.3 and the extensions LibreOffice and Apache
// OpenOffice write), the package's fixed part names and the media types of its documents.
// Elements and attributes are always matched by namespace URI and local name, never by prefix.
#pragma once

#include <span>
#include <string_view>

namespace sanitize::formats::odf {

namespace ns {
inline constexpr std::string_view office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
inline constexpr std::string_view style = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
inline constexpr std::string_view text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
inline constexpr std::string_view table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
inline constexpr std::string_view draw = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
inline constexpr std::string_view meta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
inline constexpr std::string_view presentation =
    "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0";
inline constexpr std::string_view form = "urn:oasis:names:tc:opendocument:xmlns:form:1.0";
inline constexpr std::string_view script = "urn:oasis:names:tc:opendocument:xmlns:script:1.0";
inline constexpr std::string_view config = "urn:oasis:names:tc:opendocument:xmlns:config:1.0";
inline constexpr std::string_view manifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";
inline constexpr std::string_view xlink = "http://www.w3.org/1999/xlink";
inline constexpr std::string_view dc = "http://purl.org/dc/elements/1.1/";
inline constexpr std::string_view mathml = "http://www.w3.org/1998/Math/MathML";
inline constexpr std::string_view xforms = "http://www.w3.org/2002/xforms";
}  // namespace ns

// Every namespace whose elements and attributes an office application reads in ODF parts.
// Markup in any other namespace is foreign: applications ignore it, the rebuild drops it.
bool is_known_namespace(std::string_view uri);

// One kind of document this module rebuilds.
struct DocumentKind {
  std::string_view type_id;   // also the canonical extension
  std::string_view mimetype;  // the `mimetype` entry and the manifest's root media type
  std::string_view display_name;
};
std::span<const DocumentKind> document_kinds();
const DocumentKind* document_kind_of_mimetype(std::string_view mimetype);
const DocumentKind* document_kind_of_type(std::string_view type_id);

// Media types an embedded sub-document ("Object 1/") may have: charts, formulas, drawings
// and the other ODF document kinds.
bool is_subdocument_media_type(std::string_view media_type);

}  // namespace sanitize::formats::odf
