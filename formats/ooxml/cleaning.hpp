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

using xml::Scope;
using xml::walk;

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

}  // namespace sanitize::formats::ooxml
