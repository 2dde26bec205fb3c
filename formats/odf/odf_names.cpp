#include "formats/odf/odf_names.hpp"

#include <algorithm>
#include <array>
#include <unordered_set>

namespace sanitize::formats::odf {
namespace {

constexpr std::array<std::string_view, 43> kKnownNamespaces{
    ns::office,
    ns::style,
    ns::text,
    ns::table,
    ns::draw,
    ns::meta,
    ns::presentation,
    ns::form,
    ns::script,
    ns::config,
    ns::manifest,
    ns::xlink,
    ns::dc,
    ns::mathml,
    "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:chart:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:dr3d:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:animation:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:smil-compatible:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:database:1.0",
    "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2001/xml-events",
    ns::xforms,
    "http://www.w3.org/2001/XMLSchema",
    "http://www.w3.org/2001/XMLSchema-instance",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2003/g/data-view#",
    "http://www.w3.org/TR/css3-text/",
    "http://openoffice.org/2004/office",
    "http://openoffice.org/2004/writer",
    "http://openoffice.org/2004/calc",
    "http://openoffice.org/2005/report",
    "http://openoffice.org/2009/table",
    "http://openoffice.org/2009/office",
    "http://openoffice.org/2010/draw",
    "http://openoffice.org/2010/chart",
    "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
    "urn:openoffice:names:experimental:ooo-ms-interop:xmlns:field:1.0",
    "urn:openoffice:names:experimental:ooxml-odf-interop:xmlns:form:1.0",
};

constexpr std::array<DocumentKind, 8> kDocumentKinds{{
    {"odt", "application/vnd.oasis.opendocument.text", "OpenDocument text"},
    {"ott", "application/vnd.oasis.opendocument.text-template", "OpenDocument text template"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet"},
    {"ots", "application/vnd.oasis.opendocument.spreadsheet-template",
     "OpenDocument spreadsheet template"},
    {"odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation"},
    {"otp", "application/vnd.oasis.opendocument.presentation-template",
     "OpenDocument presentation template"},
    {"odg", "application/vnd.oasis.opendocument.graphics", "OpenDocument drawing"},
    {"otg", "application/vnd.oasis.opendocument.graphics-template",
     "OpenDocument drawing template"},
}};

constexpr std::array<std::string_view, 7> kSubdocumentMediaTypes{
    "application/vnd.oasis.opendocument.chart",
    "application/vnd.oasis.opendocument.formula",
    "application/vnd.oasis.opendocument.graphics",
    "application/vnd.oasis.opendocument.image",
    "application/vnd.oasis.opendocument.presentation",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.text",
};

}  // namespace

bool is_known_namespace(std::string_view uri) {
  static const std::unordered_set<std::string_view> known(kKnownNamespaces.begin(),
                                                          kKnownNamespaces.end());
  return known.contains(uri);
}

std::span<const DocumentKind> document_kinds() {
  return kDocumentKinds;
}

const DocumentKind* document_kind_of_mimetype(std::string_view mimetype) {
  for (const auto& kind : kDocumentKinds) {
    if (kind.mimetype == mimetype) return &kind;
  }
  return nullptr;
}

const DocumentKind* document_kind_of_type(std::string_view type_id) {
  for (const auto& kind : kDocumentKinds) {
    if (kind.type_id == type_id) return &kind;
  }
  return nullptr;
}

bool is_subdocument_media_type(std::string_view media_type) {
  return std::find(kSubdocumentMediaTypes.begin(), kSubdocumentMediaTypes.end(), media_type) !=
         kSubdocumentMediaTypes.end();
}

}  // namespace sanitize::formats::odf
