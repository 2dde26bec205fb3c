// XML parts of document packages (OOXML, ODF), parsed with pugixml into a tree that holds only
// elements, attributes, text and CDATA, and written back fresh. A DOCTYPE (with its entity
// declarations) and processing instructions never survive the round trip; the caller reports
// them. pugixml expands only the predefined entities and character references, so entity
// bombs and external entities have nothing to act on.
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace sanitize::formats::xml {

// Deeper parts are refused: Office writes a few dozen levels, and the depth bounds the cost
// of resolving a namespace prefix by walking up the tree.
inline constexpr unsigned max_depth = 256;

struct Part {
  pugi::xml_document document;
  bool had_doctype = false;
  unsigned processing_instructions = 0;  // removed, other than the XML declaration
};

// Parses one part (UTF-8 or UTF-16, as its BOM or declaration says). Throws
// Blocked(corrupt) naming `location` when it is not well-formed, has no root element or
// nests deeper than max_depth.
std::unique_ptr<Part> parse(std::span<const std::uint8_t> bytes, std::string_view location);

// UTF-8 with a standalone declaration, no indentation (whitespace in text is content).
std::vector<std::uint8_t> serialize(const pugi::xml_document& document);

// A name split at its prefix, with the prefix resolved through the xmlns declarations in
// scope. Matching on (uri, local) keeps a renamed prefix from hiding an element.
struct ExpandedName {
  std::string_view uri;  // empty: no namespace
  std::string_view local;
  bool operator==(const ExpandedName&) const = default;
};

ExpandedName element_name(pugi::xml_node element);
// Unprefixed attributes are in no namespace, whatever the default namespace is.
ExpandedName attribute_name(pugi::xml_node element, pugi::xml_attribute attribute);

// The attribute of `element` with this expanded name, or an empty handle.
pugi::xml_attribute find_attribute(pugi::xml_node element, std::string_view uri,
                                   std::string_view local);

}  // namespace sanitize::formats::xml
