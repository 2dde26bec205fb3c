#include "formats/common/xml_part.hpp"

#include <string>

#include "sanitize/format.hpp"

namespace sanitize::formats::xml {
namespace {

constexpr unsigned parse_options = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                                   pugi::parse_ws_pcdata | pugi::parse_doctype | pugi::parse_pi |
                                   pugi::parse_declaration;

constexpr std::string_view xml_namespace = "http://www.w3.org/XML/1998/namespace";

// Drops the DOCTYPE and processing instructions (the declaration is written afresh) and
// measures the depth, without recursion.
void strip_and_measure(Part& part, std::string_view location) {
  pugi::xml_node node = part.document.first_child();
  unsigned depth = 1;
  while (node) {
    pugi::xml_node next;
    if (node.type() == pugi::node_element && node.first_child()) {
      if (++depth > max_depth) {
        throw Blocked(BlockReason::corrupt, std::string(location) + ": XML nested deeper than " +
                                                std::to_string(max_depth) + " levels");
      }
      next = node.first_child();
    } else {
      pugi::xml_node climb = node;
      while (climb && !climb.next_sibling()) {
        climb = climb.parent();
        if (climb.type() == pugi::node_document) {
          climb = {};
          break;
        }
        --depth;
      }
      if (climb) next = climb.next_sibling();
    }
    switch (node.type()) {
      case pugi::node_doctype:
        part.had_doctype = true;
        node.parent().remove_child(node);
        break;
      case pugi::node_pi:
        ++part.processing_instructions;
        node.parent().remove_child(node);
        break;
      case pugi::node_declaration:
        node.parent().remove_child(node);
        break;
      default:
        break;
    }
    node = next;
  }
}

std::string_view prefix_of(std::string_view qualified) {
  auto colon = qualified.find(':');
  return colon == std::string_view::npos ? std::string_view{} : qualified.substr(0, colon);
}

std::string_view local_of(std::string_view qualified) {
  auto colon = qualified.find(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

std::string_view resolve_prefix(pugi::xml_node element, std::string_view prefix) {
  if (prefix == "xml") return xml_namespace;
  std::string declaration = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node scope = element; scope && scope.type() == pugi::node_element;
       scope = scope.parent()) {
    if (auto attribute = scope.attribute(declaration.c_str())) return attribute.value();
  }
  return {};
}

}  // namespace

std::unique_ptr<Part> parse(std::span<const std::uint8_t> bytes, std::string_view location) {
  auto part = std::make_unique<Part>();
  pugi::xml_parse_result result =
      part->document.load_buffer(bytes.data(), bytes.size(), parse_options, pugi::encoding_auto);
  if (!result) {
    throw Blocked(BlockReason::corrupt, std::string(location) + ": XML is not well-formed (" +
                                            result.description() + " at byte " +
                                            std::to_string(result.offset) + ")");
  }
  strip_and_measure(*part, location);
  if (!part->document.document_element()) {
    throw Blocked(BlockReason::corrupt, std::string(location) + ": XML has no root element");
  }
  return part;
}

std::vector<std::uint8_t> serialize(const pugi::xml_document& document) {
  struct ByteWriter : pugi::xml_writer {
    std::vector<std::uint8_t> bytes;
    void write(const void* data, size_t size) override {
      auto* begin = static_cast<const std::uint8_t*>(data);
      bytes.insert(bytes.end(), begin, begin + size);
    }
  } writer;
  constexpr std::string_view declaration =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
  writer.bytes.assign(declaration.begin(), declaration.end());
  document.save(writer, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return std::move(writer.bytes);
}

ExpandedName element_name(pugi::xml_node element) {
  std::string_view name = element.name();
  return {resolve_prefix(element, prefix_of(name)), local_of(name)};
}

ExpandedName attribute_name(pugi::xml_node element, pugi::xml_attribute attribute) {
  std::string_view name = attribute.name();
  std::string_view prefix = prefix_of(name);
  if (prefix.empty()) return {{}, name};
  return {resolve_prefix(element, prefix), local_of(name)};
}

pugi::xml_attribute find_attribute(pugi::xml_node element, std::string_view uri,
                                   std::string_view local) {
  for (pugi::xml_attribute attribute : element.attributes()) {
    if (attribute_name(element, attribute) == ExpandedName{uri, local}) return attribute;
  }
  return {};
}

}  // namespace sanitize::formats::xml
