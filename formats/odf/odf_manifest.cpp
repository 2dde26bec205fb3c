#include "formats/odf/odf_manifest.hpp"

#include "formats/common/xml_part.hpp"
#include "formats/odf/odf_names.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats::odf {
namespace {

constexpr std::string_view kLocation = "META-INF/manifest.xml";

bool is_manifest(pugi::xml_node element, std::string_view local) {
  return xml::element_name(element) == xml::ExpandedName{ns::manifest, local};
}

std::string manifest_attribute(pugi::xml_node element, std::string_view local) {
  return xml::find_attribute(element, ns::manifest, local).value();
}

void add_entry(pugi::xml_node parent, const ListedEntry& entry) {
  pugi::xml_node node = parent.append_child("manifest:file-entry");
  node.append_attribute("manifest:full-path") = entry.path.c_str();
  if (!entry.version.empty()) node.append_attribute("manifest:version") = entry.version.c_str();
  node.append_attribute("manifest:media-type") = entry.media_type.c_str();
}

}  // namespace

Manifest read_manifest(std::span<const std::uint8_t> bytes) {
  const auto part = xml::parse(bytes, kLocation);
  const pugi::xml_node root = part->document.document_element();
  if (!is_manifest(root, "manifest")) {
    throw Blocked(BlockReason::corrupt,
                  std::string(kLocation) + ": the root element is not manifest:manifest");
  }
  Manifest manifest;
  manifest.had_doctype = part->had_doctype;
  manifest.processing_instructions = part->processing_instructions;
  manifest.version = manifest_attribute(root, "version");
  for (pugi::xml_node entry : root.children()) {
    if (entry.type() != pugi::node_element || !is_manifest(entry, "file-entry")) continue;
    const std::string path = manifest_attribute(entry, "full-path");
    for (pugi::xml_node child : entry.children()) {
      if (child.type() == pugi::node_element && is_manifest(child, "encryption-data")) {
        manifest.encrypted.push_back(path);
      }
    }
    manifest.entries[path] = ManifestEntry{manifest_attribute(entry, "media-type"),
                                           manifest_attribute(entry, "version")};
  }
  return manifest;
}

std::vector<std::uint8_t> write_manifest(const std::string& version, const ListedEntry& root,
                                         const std::vector<ListedEntry>& entries) {
  pugi::xml_document document;
  pugi::xml_node manifest = document.append_child("manifest:manifest");
  manifest.append_attribute("xmlns:manifest") = std::string(ns::manifest).c_str();
  if (!version.empty()) manifest.append_attribute("manifest:version") = version.c_str();
  add_entry(manifest, root);
  for (const auto& entry : entries) add_entry(manifest, entry);
  return xml::serialize(document);
}

}  // namespace sanitize::formats::odf
