#include "formats/common/xml_part.hpp"

#include <string>

#include "sanitize/format.hpp"

namespace sanitize::formats::xml {
namespace {

constexpr unsigned parse_options = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                                   pugi::parse_ws_pcdata | pugi::parse_doctype | pugi::parse_pi |
                                   pugi::parse_declaration;

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

// A qualified name with its prefix resolved by `uri_of`; unprefixed attributes are in no
// namespace.
template <class UriOf>
ExpandedName expand(std::string_view qualified, bool attribute, const UriOf& uri_of) {
  const auto colon = qualified.find(':');
  if (colon == std::string_view::npos) {
    return {attribute ? std::string_view{} : uri_of(std::string_view{}), qualified};
  }
  const std::string_view prefix = qualified.substr(0, colon);
  return {prefix == "xml" ? xml_namespace : uri_of(prefix), qualified.substr(colon + 1)};
}

// Through the declarations on `element` and its ancestors.
std::string_view declared_on_ancestors(pugi::xml_node element, std::string_view prefix) {
  const std::string declaration = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
  for (pugi::xml_node scope = element; scope && scope.type() == pugi::node_element;
       scope = scope.parent()) {
    if (auto attribute = scope.attribute(declaration.c_str())) return attribute.value();
  }
  return {};
}

bool is_declaration(std::string_view attribute) {
  return attribute == "xmlns" || attribute.starts_with("xmlns:");
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
  return expand(element.name(), false,
                [&](std::string_view prefix) { return declared_on_ancestors(element, prefix); });
}

ExpandedName attribute_name(pugi::xml_node element, pugi::xml_attribute attribute) {
  return expand(attribute.name(), true,
                [&](std::string_view prefix) { return declared_on_ancestors(element, prefix); });
}

pugi::xml_attribute find_attribute(pugi::xml_node element, std::string_view uri,
                                   std::string_view local) {
  for (pugi::xml_attribute attribute : element.attributes()) {
    if (attribute_name(element, attribute) == ExpandedName{uri, local}) return attribute;
  }
  return {};
}

PartNames::PartNames(pugi::xml_node root) {
  for (pugi::xml_attribute attribute : root.attributes()) {
    const std::string_view name = attribute.name();
    if (is_declaration(name)) prefixes_[name == "xmlns" ? "" : name.substr(6)] = attribute.value();
  }
  for (pugi::xml_node node = root.first_child(); node && root_only_;
       node = next_in_order(node, root)) {
    for (pugi::xml_attribute attribute : node.attributes()) {
      if (is_declaration(attribute.name())) root_only_ = false;
    }
  }
}

std::string_view PartNames::uri_of(std::string_view prefix) const {
  const auto it = prefixes_.find(prefix);
  return it == prefixes_.end() ? std::string_view{} : it->second;
}

ExpandedName PartNames::element(pugi::xml_node element) const {
  if (!root_only_) return element_name(element);
  return expand(element.name(), false, [this](std::string_view prefix) { return uri_of(prefix); });
}

ExpandedName PartNames::attribute(pugi::xml_node element, pugi::xml_attribute attribute) const {
  if (!root_only_) return attribute_name(element, attribute);
  return expand(attribute.name(), true, [this](std::string_view prefix) { return uri_of(prefix); });
}

pugi::xml_attribute PartNames::find(pugi::xml_node element, std::string_view uri,
                                    std::string_view local) const {
  for (pugi::xml_attribute attribute : element.attributes()) {
    if (this->attribute(element, attribute) == ExpandedName{uri, local}) return attribute;
  }
  return {};
}

std::string_view Scope::uri_of(std::string_view prefix) const {
  if (prefix == "xml") return xml_namespace;
  for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it) {
    if (it->first == prefix) return it->second;
  }
  return {};
}

ExpandedName Scope::element_name(pugi::xml_node element) const {
  return expand(element.name(), false, [this](std::string_view prefix) { return uri_of(prefix); });
}

ExpandedName Scope::attribute_name(pugi::xml_attribute attribute) const {
  return expand(attribute.name(), true, [this](std::string_view prefix) { return uri_of(prefix); });
}

void Scope::enter(pugi::xml_node element) {
  marks_.push_back(bindings_.size());
  for (pugi::xml_attribute attribute : element.attributes()) {
    const std::string_view name = attribute.name();
    if (is_declaration(name)) {
      bindings_.emplace_back(name == "xmlns" ? std::string_view{} : name.substr(6),
                             attribute.value());
    }
  }
}

void Scope::leave() {
  bindings_.resize(marks_.back());
  marks_.pop_back();
}

pugi::xml_node after(pugi::xml_node node, pugi::xml_node root) {
  while (node != root && !node.next_sibling()) node = node.parent();
  return node == root ? pugi::xml_node() : node.next_sibling();
}

pugi::xml_node next_in_order(pugi::xml_node node, pugi::xml_node root) {
  return node.first_child() ? node.first_child() : after(node, root);
}

}  // namespace sanitize::formats::xml
