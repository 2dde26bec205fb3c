#include "formats/ooxml/cleaning.hpp"
#include "formats/common/charset.hpp"

#include <algorithm>

namespace sanitize::formats::ooxml {
namespace {

Action action_of(ElementAction action) {
  return action == ElementAction::neutralize ? Action::neutralized : Action::removed;
}

}  // namespace

Options Options::from(const Context& ctx) {
  Options options;
  const std::string_view links = ctx.option_string("hyperlinks");
  options.hyperlinks = links == "text"     ? LinkPolicy::text
                       : links == "remove" ? LinkPolicy::remove
                                           : LinkPolicy::keep;
  options.scrub_metadata = ctx.option_string("metadata") == "scrub";
  options.keep_metafiles = ctx.option_string("emf_wmf") == "keep";
  options.sanitize_embedded = ctx.option_string("embedded_documents") == "sanitize";
  options.compression_level = static_cast<int>(ctx.option_int("compression_level"));
  options.large_part_compression_level =
      static_cast<int>(ctx.option_int("large_part_compression_level"));
  return options;
}

Findings::Tally& Findings::tally(std::string_view kind, std::string_view part) {
  return tallies_[{std::string(kind), std::string(part)}];
}

ElementAction Findings::element(std::string_view kind, std::string_view part, std::string detail) {
  Tally& t = tally(kind, part);
  if (t.listed < kListed) {
    ++t.listed;
    const ElementAction action = ctx_.element(kind, part, detail);
    t.action = action_of(action);
    return action;
  }
  ++t.unlisted;
  return t.action == Action::neutralized ? ElementAction::neutralize : ElementAction::remove;
}

void Findings::record(std::string_view kind, std::string_view part, Action action,
                      std::string detail) {
  Tally& t = tally(kind, part);
  t.action = action;
  if (t.listed < kListed) {
    ++t.listed;
    ctx_.add_finding(Finding{std::string(kind), std::string(part), action, std::move(detail)});
  } else {
    ++t.unlisted;
  }
}

void Findings::finish() {
  for (auto& [key, t] : tallies_) {
    if (t.unlisted == 0) continue;
    ctx_.add_finding(Finding{key.first, key.second, t.action,
                             std::to_string(t.unlisted) + " more of this kind in this part"});
    t.unlisted = 0;
  }
}

bool is_safe_link(std::string_view target) {
  while (!target.empty() && static_cast<unsigned char>(target.front()) <= ' ') {
    target.remove_prefix(1);
  }
  if (target.empty()) return false;
  if (target.front() == '#') return true;
  const std::string lowered = ascii_lower(target.substr(0, 8));
  return lowered.starts_with("http://") || lowered.starts_with("https://") ||
         lowered.starts_with("mailto:");
}

void Edits::remove(pugi::xml_node node) {
  if (!node) return;
  const auto [it, inserted] = marked_.emplace(node.internal_object(), true);
  if (inserted) {
    removals_.push_back(node);
  } else if (!it->second) {
    it->second = true;  // removal outranks unwrapping
    removals_.push_back(node);
  }
}

void Edits::unwrap(pugi::xml_node node) {
  if (!node) return;
  if (marked_.emplace(node.internal_object(), false).second) unwraps_.push_back(node);
}

bool Edits::doomed(pugi::xml_node node) const {
  for (pugi::xml_node up = node; up; up = up.parent()) {
    const auto it = marked_.find(up.internal_object());
    if (it != marked_.end() && it->second) return true;
  }
  return false;
}

std::vector<pugi::xml_node> Edits::apply() {
  const auto removed_above = [this](pugi::xml_node node) { return doomed(node.parent()); };
  for (pugi::xml_node node : unwraps_) {
    if (marked_.at(node.internal_object()) || removed_above(node)) continue;
    pugi::xml_node parent = node.parent();
    while (pugi::xml_node child = node.first_child()) parent.insert_move_before(child, node);
    parent.remove_child(node);
  }
  std::vector<pugi::xml_node> survivors;
  std::vector<pugi::xml_node> to_remove;
  for (pugi::xml_node node : removals_) {
    if (!removed_above(node)) to_remove.push_back(node);
  }
  for (pugi::xml_node node : to_remove) {
    pugi::xml_node parent = node.parent();
    parent.remove_child(node);
    survivors.push_back(parent);
  }
  removals_.clear();
  unwraps_.clear();
  marked_.clear();
  std::sort(survivors.begin(), survivors.end(), [](pugi::xml_node a, pugi::xml_node b) {
    return a.internal_object() < b.internal_object();
  });
  // A parent that was removed itself would have kept its children from being listed.
  survivors.erase(std::unique(survivors.begin(), survivors.end()), survivors.end());
  return survivors;
}

std::string text_of(pugi::xml_node element) {
  std::string text;
  for (pugi::xml_node child = element.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      text += child.value();
    }
  }
  return text;
}

void append_xml_escaped(std::string& out, std::string_view text, bool attribute) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      case '\r':
        out += "&#13;";
        break;
      case '\n':
        out += attribute ? "&#10;" : "\n";
        break;
      case '\t':
        out += attribute ? "&#9;" : "\t";
        break;
      default:
        out.push_back(c);
    }
  }
}

}  // namespace sanitize::formats::ooxml
