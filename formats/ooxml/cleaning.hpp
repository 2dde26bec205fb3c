// What every cleaning step of the module shares: the options, the findings (listed up to a
// bound per kind and part, then counted), link safety, and a walk over an XML tree that
// resolves namespace prefixes as it goes.
#pragma once

#include <pugixml.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "formats/common/xml_part.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats::ooxml {

enum class LinkPolicy { keep, text, remove };

struct Options {
  LinkPolicy hyperlinks = LinkPolicy::keep;
  bool scrub_metadata = false;
  bool keep_metafiles = false;
  bool sanitize_embedded = false;
  int compression_level = 6;
  int large_part_compression_level = 1;

  static Options from(const Context& ctx);
};

class Findings {
 public:
  explicit Findings(Context& ctx) : ctx_(ctx) {}

  // A policy element found in `part`: recorded through the policy (which may block the
  // file). After kListed findings of one kind in one part, the rest are counted.
  ElementAction element(std::string_view kind, std::string_view part, std::string detail);
  // A finding that only records what was done (not a policy element).
  void record(std::string_view kind, std::string_view part, Action action, std::string detail);
  // Adds one finding per kind and part that had unlisted findings.
  void finish();

  static constexpr std::size_t kListed = 100;

 private:
  struct Tally {
    std::size_t listed = 0;
    std::size_t unlisted = 0;
    Action action = Action::removed;
  };
  Tally& tally(std::string_view kind, std::string_view part);

  Context& ctx_;
  std::map<std::pair<std::string, std::string>, Tally> tallies_;
};

// http, https and mailto targets and '#' anchors are safe to keep as links. file: and UNC
// targets leak Windows credentials; other schemes start programs (ms-msdt:, search-ms:...);
// relative paths open local or shared files.
bool is_safe_link(std::string_view target);

// The prefix bindings in scope during a walk.
class Scope {
 public:
  std::string_view uri_of(std::string_view prefix) const;
  xml::ExpandedName element_name(pugi::xml_node element) const;
  xml::ExpandedName attribute_name(pugi::xml_attribute attribute) const;

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

// Nodes to take out of a tree once a walk is over: removed whole, or replaced by their
// children. A node inside another marked for removal is left to its ancestor.
class Edits {
 public:
  void remove(pugi::xml_node node);
  void unwrap(pugi::xml_node node);
  // Whether the node or one of its ancestors is marked for removal.
  bool doomed(pugi::xml_node node) const;
  // Unwraps, then removes. Returns the parents of removed nodes that are still in the tree.
  std::vector<pugi::xml_node> apply();

 private:
  std::vector<pugi::xml_node> removals_;
  std::vector<pugi::xml_node> unwraps_;
  std::unordered_map<const void*, bool> marked_;  // node -> removed (true) or unwrapped (false)
};

std::string text_of(pugi::xml_node element);
// Text as XML writes it, in an attribute value or in content: &, <, >, " and the characters
// a parser would otherwise normalize (carriage returns; tabs and line feeds in attributes).
void append_xml_escaped(std::string& out, std::string_view text, bool attribute);
std::string shortened(std::string_view text, std::size_t limit = 120);

}  // namespace sanitize::formats::ooxml
