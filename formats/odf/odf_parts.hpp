// The XML parts of an ODF document (content.xml, styles.xml, meta.xml, settings.xml),
// rebuilt in place from their parsed tree: scripts, event listeners, macro and script links,
// OLE, applet, plugin and floating-frame objects, DDE, data sources, remote resources and
// foreign markup are removed and reported; hyperlinks and metadata follow the policy;
// references to package entries that are not kept are dropped with what holds them.
#pragma once

#include <functional>
#include <string_view>

#include <pugixml.hpp>

#include "formats/odf/odf_findings.hpp"

namespace sanitize::formats::odf {

enum class PartRole { content, styles, meta, settings };
enum class Hyperlinks { keep, text, remove };

struct PartSetup {
  PartRole role = PartRole::content;
  std::string_view location;  // the entry name, for findings
  std::string_view folder;    // the document's folder: "" or "Object 1/"
  Hyperlinks hyperlinks = Hyperlinks::keep;
  bool scrub_metadata = false;
  bool keep_metafiles = false;
  // Whether the rebuilt package holds this entry or sub-document folder (no trailing '/').
  std::function<bool(std::string_view path)> holds;
};

// The local name its root element must have for each role ("document-content"...).
std::string_view root_local_name(PartRole role);

// Throws Blocked(corrupt) when the root element is not the one of its role.
void sanitize_part(pugi::xml_document& document, const PartSetup& setup, FindingSink& findings);

}  // namespace sanitize::formats::odf
