// The first pass over a package: the relationship graph walked from the package root, every
// relationship kept or dropped, every part kept (with the content type it is delivered
// with) or removed and reported. Nothing is written yet; XML parts are cleaned afterwards
// with what the plan says about each of their relationships.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "formats/ooxml/cleaning.hpp"
#include "formats/ooxml/opc.hpp"
#include "formats/ooxml/rules.hpp"

namespace sanitize::formats::ooxml {

// What the XML that used a dropped relationship does with the element that refers to it.
enum class Dangling {
  drop_element,    // the referring element (or the drawing object around it) goes
  unwrap_link,     // a hyperlink becomes its text
  drop_link_text,  // a hyperlink goes with its text (hyperlinks = "remove")
};

struct DroppedRelationship {
  Dangling dangling = Dangling::drop_element;
  std::string_view kind;  // why, for consequences reported later (names of removed sheets)
};

enum class PartSource {
  xml,       // parsed, cleaned and written afresh
  copy,      // a verified binary part whose stored bytes are copied
  replaced,  // an embedded document replaced by its sanitized output
};

struct PlannedPart {
  std::string name;  // in the output
  const InputPart* input = nullptr;
  std::string content_type;  // in the output
  PartSource source = PartSource::xml;
  std::vector<Relationship> relationships;  // kept, with targets as the output writes them
  std::map<std::string, std::string, std::less<>> targets;  // kept internal Id -> part name
  std::map<std::string, DroppedRelationship, std::less<>> dropped;
  std::vector<std::uint8_t> bytes;      // read already (custom XML) or replacing the input
  bool had_relationships_part = false;  // written back, even when nothing in it is kept
};

struct Plan {
  const MainPartType* main = nullptr;
  // The package's own relationships (_rels/.rels) are those of parts[0]'s source, kept
  // here; parts are in output order, the main part first.
  std::vector<Relationship> package_relationships;
  std::vector<PlannedPart> parts;
};

// Walks the package, reports every relationship and part it drops, and returns what stays.
// Blocks (Blocked) when the package has no usable main part of the type it was claimed as.
// Reports a DOCTYPE or processing instructions that parsing `location` dropped.
void report_oddities(Findings& findings, std::string_view location, const XmlOddities& oddities);

Plan plan_package(Context& ctx, const InputPackage& package, const ContentTypes& types,
                  const Options& options, Findings& findings, std::string_view claimed_type);

}  // namespace sanitize::formats::ooxml
