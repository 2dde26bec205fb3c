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
#include <unordered_map>
#include <utility>
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

inline constexpr std::string_view xml_namespace = "http://www.w3.org/XML/1998/namespace";

// A name split at its prefix, with the prefix resolved through the xmlns declarations in
// scope. Matching on (uri, local) keeps a renamed prefix from hiding an element.
struct ExpandedName {
  std::string_view uri;  // empty: no namespace
  std::string_view local;
  bool operator==(const ExpandedName&) const = default;
};

// Three ways to the expanded names of a part's elements and attributes, chosen by how the
// caller moves through it; all three give the same answers.

// 1. Any element, through the declarations on its ancestors: exact, and slow when looked up
// for every element of a big part.
ExpandedName element_name(pugi::xml_node element);
// Unprefixed attributes are in no namespace, whatever the default namespace is.
ExpandedName attribute_name(pugi::xml_node element, pugi::xml_attribute attribute);
// The attribute of `element` with this expanded name, or an empty handle.
pugi::xml_attribute find_attribute(pugi::xml_node element, std::string_view uri,
                                   std::string_view local);

// 2. Any element of one part, for code that moves around the tree (parents, children). Office
// applications declare every namespace on the root element: then a prefix means the same
// everywhere and one table answers, which matters for parts of millions of elements. A part
// that declares namespaces deeper is resolved as in 1.
class PartNames {
 public:
  explicit PartNames(pugi::xml_node root);
  ExpandedName element(pugi::xml_node element) const;
  ExpandedName attribute(pugi::xml_node element, pugi::xml_attribute attribute) const;
  pugi::xml_attribute find(pugi::xml_node element, std::string_view uri,
                           std::string_view local) const;

 private:
  std::string_view uri_of(std::string_view prefix) const;

  bool root_only_ = true;
  std::unordered_map<std::string_view, std::string_view> prefixes_;
};

// 3. The bindings in scope as a walk in document order enters and leaves elements (walk).
class Scope {
 public:
  std::string_view uri_of(std::string_view prefix) const;
  ExpandedName element_name(pugi::xml_node element) const;
  ExpandedName attribute_name(pugi::xml_attribute attribute) const;

  void enter(pugi::xml_node element);
  void leave();

 private:
  std::vector<std::pair<std::string_view, std::string_view>> bindings_;
  std::vector<std::size_t> marks_;
};

// Calls visit(element, expanded name, scope) for every element under and including `root`,
// in document order, without recursion. `visit` may change attributes and names but must
// not add or remove nodes.
template <class Visit>
void walk(pugi::xml_node root, Visit&& visit) {
  const auto first_element = [](pugi::xml_node node) {
    for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
      if (child.type() == pugi::node_element) return child;
    }
    return pugi::xml_node();
  };
  const auto next_element = [](pugi::xml_node node) {
    for (pugi::xml_node sibling = node.next_sibling(); sibling; sibling = sibling.next_sibling()) {
      if (sibling.type() == pugi::node_element) return sibling;
    }
    return pugi::xml_node();
  };
  Scope scope;
  pugi::xml_node node = root;
  while (node) {
    scope.enter(node);
    visit(node, scope.element_name(node), scope);
    if (pugi::xml_node child = first_element(node)) {
      node = child;
      continue;
    }
    while (true) {
      scope.leave();
      if (node == root) return;
      if (pugi::xml_node next = next_element(node)) {
        node = next;
        break;
      }
      node = node.parent();
    }
  }
}

// Document order within `root`, every node kind: the node after `node` once its subtree is
// done, and the node after `node` itself (its first child, or that).
pugi::xml_node after(pugi::xml_node node, pugi::xml_node root);
pugi::xml_node next_in_order(pugi::xml_node node, pugi::xml_node root);

}  // namespace sanitize::formats::xml
