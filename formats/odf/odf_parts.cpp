#include "formats/odf/odf_parts.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "formats/common/charset.hpp"
#include "formats/common/formula_links.hpp"
#include "formats/common/pictures.hpp"
#include "formats/common/xml_part.hpp"
#include "formats/odf/odf_links.hpp"
#include "formats/odf/odf_names.hpp"

namespace sanitize::formats::odf {
namespace {

using xml::after;
using xml::ExpandedName;
using xml::next_in_order;

constexpr std::string_view kOdfNamespacePrefix = "urn:oasis:names:tc:opendocument:xmlns:";
constexpr unsigned kDeadlineEvery = 4096;

bool is(const ExpandedName& name, std::string_view uri, std::string_view local) {
  return name.uri == uri && name.local == local;
}

bool is_any(const ExpandedName& name, std::string_view uri,
            std::initializer_list<std::string_view> locals) {
  return name.uri == uri && std::find(locals.begin(), locals.end(), name.local) != locals.end();
}

// Navigation a presentation may do on a click; every other action (execute a program,
// activate an OLE verb...) is removed.
constexpr std::array<std::string_view, 8> kSafePresentationActions{
    "none", "previous-page", "next-page", "first-page", "last-page", "hide", "stop", "fade-out"};

// Spreadsheet functions that reach outside the document when the sheet recalculates.
struct RemoteFunction {
  std::string_view name;
  std::string_view kind;
};
constexpr std::array<RemoteFunction, 3> kRemoteFunctions{{
    {"DDE", "odf.dde_link"},
    {"WEBSERVICE", "odf.remote_resource"},
    {"RTD", "odf.dde_link"},
}};

// The function names a formula calls, upper case, without their namespace ("ORG.X.DDE" ->
// "DDE"), outside string literals.
std::vector<std::string> called_functions(std::string_view formula) {
  std::vector<std::string> calls;
  std::string word;
  bool in_string = false;
  for (std::size_t i = 0; i < formula.size(); ++i) {
    const char c = formula[i];
    if (in_string) {
      if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
      word.clear();
      continue;
    }
    const bool word_char = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (word_char) {
      word.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
      continue;
    }
    if (!word.empty()) {
      std::size_t j = i;
      while (j < formula.size() && (formula[j] == ' ' || formula[j] == '\t')) ++j;
      if (j < formula.size() && formula[j] == '(') {
        const auto dot = word.rfind('.');
        calls.push_back(dot == std::string::npos ? word : word.substr(dot + 1));
      }
      word.clear();
    }
  }
  return calls;
}

// The document an OpenFormula reference reads from another file names, quoted and followed
// by '#' (['file:///C:/book.ods'#$Sheet1.A1]); a quoted sheet name is followed by '.'.
std::optional<std::string> external_document(std::string_view formula) {
  bool in_string = false;
  for (std::size_t i = 0; i < formula.size(); ++i) {
    if (formula[i] == '"') in_string = !in_string;
    if (in_string || formula[i] != '\'') continue;
    std::string quoted;
    std::size_t j = i + 1;
    for (; j < formula.size(); ++j) {
      if (formula[j] != '\'') {
        quoted.push_back(formula[j]);
      } else if (j + 1 < formula.size() && formula[j + 1] == '\'') {
        quoted.push_back('\'');  // '' inside quotes
        ++j;
      } else {
        break;
      }
    }
    if (j + 1 < formula.size() && formula[j + 1] == '#') return quoted;
    i = j;
  }
  return std::nullopt;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Whitespace is skipped; decoding stops at '=' or at any other character.
std::vector<std::uint8_t> base64_decode(std::string_view text) {
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  int count = 0;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    const int value = base64_value(c);
    if (value < 0) break;
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out.push_back(static_cast<std::uint8_t>(bits >> 16));
      out.push_back(static_cast<std::uint8_t>(bits >> 8));
      out.push_back(static_cast<std::uint8_t>(bits));
      bits = 0;
      count = 0;
    }
  }
  if (count == 3) {
    out.push_back(static_cast<std::uint8_t>(bits >> 10));
    out.push_back(static_cast<std::uint8_t>(bits >> 2));
  } else if (count == 2) {
    out.push_back(static_cast<std::uint8_t>(bits >> 4));
  }
  return out;
}

class PartWalker {
 public:
  PartWalker(pugi::xml_node root, const PartSetup& setup, FindingSink& findings)
      : names_(root), setup_(setup), findings_(findings), ctx_(findings.context()) {}

  void run(pugi::xml_node root) {
    walk(root);
    remove_emptied(root);
    if (!scrubbed_.empty()) {
      std::string detail = "removed:";
      for (const auto& name : scrubbed_) detail += " " + name;
      findings_.record("odf.metadata", setup_.location, Action::removed, detail);
    }
  }

 private:
  enum class Step { descend, remove, unwrap };

  void walk(pugi::xml_node root) {
    pugi::xml_node node = root;
    unsigned visited = 0;
    while (node) {
      if (++visited % kDeadlineEvery == 0) ctx_.check_deadline();
      const Step step = node.type() == pugi::node_element ? visit(node) : Step::descend;
      pugi::xml_node next;
      if (step == Step::descend) {
        next = next_in_order(node, root);
      } else if (step == Step::remove) {
        next = after(node, root);
        node.parent().remove_child(node);
      } else {
        pugi::xml_node parent = node.parent();
        pugi::xml_node first = node.first_child();
        next = first ? first : after(node, root);
        while (pugi::xml_node child = node.first_child()) parent.insert_move_before(child, node);
        parent.remove_child(node);
      }
      node = next;
    }
  }

  void report(std::string_view kind, pugi::xml_node element, std::string_view what = {}) {
    std::string detail = element.name();
    if (!what.empty()) detail += ": " + shortened(what);
    findings_.element(kind, setup_.location, detail);
  }

  Step visit(pugi::xml_node element) {
    const ExpandedName name = names_.element(element);
    if (!is_known_namespace(name.uri)) {
      // Applications show the content of a foreign element as if it were not there.
      report("odf.foreign_markup", element, name.uri);
      return Step::unwrap;
    }
    const pugi::xml_attribute href = clean_attributes(element, name);
    if (is_watched(name.local)) {
      if (const auto step = active_element(element, name)) return *step;
      if (const auto step = metadata(element, name)) return *step;
      if (const auto step = inline_picture(element, name)) return *step;
    }
    if (href) return reference(element, name, href);
    return Step::descend;
  }

  // The local names the element rules below look at: most elements of a large part (cells,
  // paragraphs, spans) are none of them and skip the rules at the cost of one lookup.
  static bool is_watched(std::string_view local) {
    static const std::unordered_set<std::string_view> watched{"event-listener",
                                                              "script",
                                                              "execute-macro",
                                                              "error-macro",
                                                              "object-ole",
                                                              "applet",
                                                              "plugin",
                                                              "floating-frame",
                                                              "dde-connection-decls",
                                                              "dde-connection-decl",
                                                              "dde-links",
                                                              "dde-link",
                                                              "dde-source",
                                                              "dde-connection",
                                                              "database-source-sql",
                                                              "database-source-table",
                                                              "database-source-query",
                                                              "connection-resource",
                                                              "form",
                                                              "template",
                                                              "config-item",
                                                              "binary-data",
                                                              "image",
                                                              "fill-image",
                                                              "background-image",
                                                              "list-level-style-image",
                                                              "initial-creator",
                                                              "printed-by",
                                                              "creation-date",
                                                              "print-date",
                                                              "editing-cycles",
                                                              "editing-duration",
                                                              "generator",
                                                              "user-defined",
                                                              "creator",
                                                              "date",
                                                              "creator-initials",
                                                              "submission",
                                                              "instance"};
    return watched.contains(local);
  }

  // Drops foreign attributes and attributes that name a macro; checks formulas. Returns the
  // xlink:href that stays, if any.
  pugi::xml_attribute clean_attributes(pugi::xml_node element, const ExpandedName& name) {
    pugi::xml_attribute href;
    const bool odf_element = name.uri.starts_with(kOdfNamespacePrefix);
    pugi::xml_attribute attribute = element.first_attribute();
    while (attribute) {
      pugi::xml_attribute next = attribute.next_attribute();
      const std::string_view qualified = attribute.name();
      if (qualified == "xmlns" || qualified.starts_with("xmlns:")) {
        attribute = next;
        continue;
      }
      const ExpandedName attribute_name = names_.attribute(element, attribute);
      const bool foreign =
          attribute_name.uri.empty() ? odf_element : !is_known_namespace(attribute_name.uri);
      if (foreign) {
        report("odf.foreign_markup", element, "attribute " + std::string(qualified));
        element.remove_attribute(attribute);
      } else if (is_script_url(attribute.value()) && !is(attribute_name, ns::xlink, "href")) {
        report("odf.macro_link", element,
               std::string(qualified) + "=\"" + attribute.value() + "\"");
        element.remove_attribute(attribute);
      } else if (is_any(attribute_name, ns::table, {"formula", "condition"})) {
        check_formula(element, attribute);
      } else if (is(attribute_name, ns::form, "image-data") && loads_from_outside(attribute)) {
        report("odf.remote_resource", element, attribute.value());
        element.remove_attribute(attribute);
      } else if (is(attribute_name, ns::xlink, "href")) {
        href = attribute;
      }
      attribute = next;
    }
    return href;
  }

  // The picture of a form control (form:image-data) names it by IRI, like xlink:href.
  bool loads_from_outside(pugi::xml_attribute iri) const {
    const Reference target = classify_reference(iri.value(), setup_.folder);
    return target.target != Target::none && target.target != Target::package &&
           target.target != Target::fragment;
  }

  // A formula that calls DDE or a web service, or reads another document, loses its
  // formula; the cell keeps the value it showed.
  void check_formula(pugi::xml_node element, pugi::xml_attribute formula) {
    if (const auto document = external_document(formula.value())) {
      const bool unsafe = classify_reference(*document, {}).target == Target::unsafe;
      report(unsafe ? "odf.unsafe_link" : "odf.remote_resource", element,
             std::string("formula ") + formula.value());
      element.remove_attribute(formula);
      return;
    }
    if (has_unsafe_hyperlink_call(formula.value())) {
      report("odf.unsafe_link", element, std::string("formula ") + formula.value());
      element.remove_attribute(formula);
      return;
    }
    for (const auto& call : called_functions(formula.value())) {
      for (const auto& remote : kRemoteFunctions) {
        if (call == remote.name) {
          report(remote.kind, element, std::string("formula ") + formula.value());
          element.remove_attribute(formula);
          return;
        }
      }
    }
  }

  bool inside_form_control(pugi::xml_node element) const {
    for (pugi::xml_node up = element.parent(); up && up.type() == pugi::node_element;
         up = up.parent()) {
      if (names_.element(up).uri == ns::form) return true;
    }
    return false;
  }

  std::optional<Step> active_element(pugi::xml_node element, const ExpandedName& name) {
    if (is(name, ns::script, "event-listener")) {
      const auto href = names_.find(element, ns::xlink, "href");
      const auto event = names_.find(element, ns::script, "event-name");
      report(inside_form_control(element) ? "odf.form_event" : "odf.event_listener", element,
             std::string(event.value()) + " -> " + href.value() +
                 names_.find(element, ns::script, "macro-name").value());
      return Step::remove;
    }
    if (is(name, ns::presentation, "event-listener")) {
      const std::string_view action = names_.find(element, ns::presentation, "action").value();
      if (std::find(kSafePresentationActions.begin(), kSafePresentationActions.end(), action) !=
          kSafePresentationActions.end()) {
        return Step::descend;
      }
      if (action == "show" || action == "sound") return std::nullopt;  // the link rules decide
      report("odf.event_listener", element, std::string("action ") + std::string(action));
      return Step::remove;
    }
    if (is(name, ns::office, "script") || is(name, ns::text, "script")) {
      report("odf.script", element, names_.find(element, ns::script, "language").value());
      return Step::remove;
    }
    if (is(name, ns::text, "execute-macro")) {
      report("odf.macro_link", element, names_.find(element, ns::text, "name").value());
      return Step::unwrap;  // the field's text stays
    }
    if (is(name, ns::table, "error-macro")) {
      report("odf.macro_link", element);
      return Step::remove;
    }
    if (is(name, ns::draw, "object-ole")) {
      report("odf.ole_object", element, names_.find(element, ns::xlink, "href").value());
      return Step::remove;
    }
    if (is(name, ns::draw, "applet")) {
      report("odf.applet", element, names_.find(element, ns::draw, "code").value());
      return Step::remove;
    }
    if (is(name, ns::draw, "plugin")) {
      report("odf.plugin", element, names_.find(element, ns::xlink, "href").value());
      return Step::remove;
    }
    if (is(name, ns::draw, "floating-frame")) {
      report("odf.floating_frame", element, names_.find(element, ns::xlink, "href").value());
      return Step::remove;
    }
    if (is_any(name, ns::text, {"dde-connection-decls", "dde-connection-decl"}) ||
        is_any(name, ns::table, {"dde-links", "dde-link"}) || is(name, ns::office, "dde-source")) {
      report("odf.dde_link", element);
      return Step::remove;
    }
    if (is(name, ns::text, "dde-connection")) {
      report("odf.dde_link", element, names_.find(element, ns::text, "connection-name").value());
      return Step::unwrap;  // the field's last text stays
    }
    if (is_any(name, ns::table,
               {"database-source-sql", "database-source-table", "database-source-query"}) ||
        is(name, ns::form, "connection-resource")) {
      report("odf.data_source", element);
      return Step::remove;
    }
    if (is(name, ns::form, "form")) {
      clean_form(element);
      return Step::descend;
    }
    if (is(name, ns::xforms, "submission")) {
      report("odf.form_submit", element, names_.find(element, {}, "action").value());
      return Step::remove;
    }
    if (is(name, ns::xforms, "instance")) {
      // An XForms model may load its data from anywhere; what it holds inline stays.
      if (auto source = names_.find(element, {}, "src"); source && loads_from_outside(source)) {
        report("odf.remote_resource", element, source.value());
        element.remove_attribute(source);
      }
      return Step::descend;
    }
    if (is(name, ns::meta, "template")) {
      report("odf.template_link", element, names_.find(element, ns::xlink, "href").value());
      return Step::remove;
    }
    if (setup_.role == PartRole::settings && is(name, ns::config, "config-item")) {
      const std::string_view item = names_.find(element, ns::config, "name").value();
      if (item == "PrinterSetup" || item == "PrinterName") {
        report("odf.printer_settings", element, item);
        return Step::remove;
      }
    }
    return std::nullopt;
  }

  // A form keeps its controls; where it sends its data and which database it reads go.
  void clean_form(pugi::xml_node form) {
    if (auto target = names_.find(form, ns::xlink, "href")) {
      report("odf.form_submit", form, target.value());
      form.remove_attribute(target);
    }
    for (std::string_view local : {"datasource", "command"}) {
      if (auto source = names_.find(form, ns::form, local)) {
        report("odf.data_source", form, std::string(source.name()) + "=" + source.value());
        form.remove_attribute(source);
      }
    }
  }

  std::optional<Step> metadata(pugi::xml_node element, const ExpandedName& name) {
    if (!setup_.scrub_metadata) return std::nullopt;
    bool personal = false;
    if (setup_.role == PartRole::meta) {
      personal = is_any(name, ns::meta,
                        {"initial-creator", "printed-by", "creation-date", "print-date",
                         "editing-cycles", "editing-duration", "generator", "user-defined"}) ||
                 is_any(name, ns::dc, {"creator", "date"});
    } else {
      const ExpandedName parent = names_.element(element.parent());
      personal =
          (is(parent, ns::office, "annotation") || is(parent, ns::office, "change-info")) &&
          (is_any(name, ns::dc, {"creator", "date"}) || is(name, ns::meta, "creator-initials"));
    }
    if (!personal) return std::nullopt;
    const std::string qualified = element.name();
    if (std::find(scrubbed_.begin(), scrubbed_.end(), qualified) == scrubbed_.end()) {
      scrubbed_.push_back(qualified);
    }
    return Step::remove;
  }

  // Pictures written into the XML itself (office:binary-data) are checked like entries.
  std::optional<Step> inline_picture(pugi::xml_node element, const ExpandedName& name) {
    if (is(name, ns::office, "binary-data")) {
      const ExpandedName parent = names_.element(element.parent());
      if (is_any(parent, ns::draw, {"image", "fill-image"}) ||
          is(parent, ns::style, "background-image") ||
          is(parent, ns::text, "list-level-style-image")) {
        return Step::descend;  // checked with its parent
      }
      report("odf.unknown_entry", element, "inline data outside a picture");
      return Step::remove;
    }
    if (!is_any(name, ns::draw, {"image", "fill-image"}) &&
        !is(name, ns::style, "background-image") && !is(name, ns::text, "list-level-style-image")) {
      return std::nullopt;
    }
    for (pugi::xml_node child : element.children()) {
      if (child.type() != pugi::node_element ||
          names_.element(child) != ExpandedName{ns::office, "binary-data"}) {
        continue;
      }
      const std::vector<std::uint8_t> bytes = base64_decode(child.text().get());
      ctx_.charge_expanded(bytes.size(), setup_.location);
      const Picture picture = sniff_picture(bytes);
      if (is_raster(picture) || (is_metafile(picture) && setup_.keep_metafiles)) continue;
      report(is_metafile(picture) ? "odf.metafile" : "odf.picture_mismatch", element,
             std::string("inline ") + std::string(picture_name(picture)));
      return Step::remove;
    }
    return std::nullopt;
  }

  bool is_link_element(const ExpandedName& name) const {
    return is_any(name, ns::text, {"a"}) || is_any(name, ns::draw, {"a"}) ||
           is(name, ns::form, "button") || is(name, ns::presentation, "event-listener");
  }

  Step reference(pugi::xml_node element, const ExpandedName& name, pugi::xml_attribute href) {
    const std::string value = href.value();
    const Reference target = classify_reference(value, setup_.folder);
    const bool unwrappable = is_any(name, ns::text, {"a"}) || is_any(name, ns::draw, {"a"});
    const bool attribute_only = is(name, ns::form, "button") ||
                                is(name, ns::style, "background-image") ||
                                is(name, ns::form, "form");
    const auto drop = [&](Step element_step) {
      if (!attribute_only) return element_step;
      element.remove_attribute(href);
      return Step::descend;
    };
    switch (target.target) {
      case Target::none:
      case Target::fragment:
        return Step::descend;
      case Target::script:
        report("odf.macro_link", element, value);
        return drop(unwrappable ? Step::unwrap : Step::remove);
      case Target::unsafe:
        report("odf.unsafe_link", element, value);
        return drop(unwrappable ? Step::unwrap : Step::remove);
      case Target::package:
        if (is_link_element(name) || setup_.holds(target.package_path)) return Step::descend;
        return drop(Step::remove);  // its entry was not kept, and says so in its own finding
      case Target::web:
      case Target::relative:
        break;
    }
    if (!is_link_element(name)) {
      report("odf.remote_resource", element, value);
      return drop(Step::remove);
    }
    switch (setup_.hyperlinks) {
      case Hyperlinks::keep:
        return Step::descend;
      case Hyperlinks::text:
        findings_.record("odf.hyperlink", setup_.location, Action::neutralized,
                         std::string(element.name()) + ": " + shortened(value) + " (kept as text)");
        return drop(unwrappable ? Step::unwrap : Step::remove);
      case Hyperlinks::remove:
        findings_.record("odf.hyperlink", setup_.location, Action::removed,
                         std::string(element.name()) + ": " + shortened(value));
        return drop(Step::remove);
    }
    return Step::descend;
  }

  // Containers whose content went: listeners and script blocks left empty, frames that
  // show nothing any more. Children come before their parents (reverse document order), so
  // a frame emptied by an inner removal goes too.
  void remove_emptied(pugi::xml_node root) {
    std::vector<pugi::xml_node> candidates;
    for (pugi::xml_node node = root.first_child(); node;) {
      if (node.type() == pugi::node_element) {
        const ExpandedName name = names_.element(node);
        if (is_any(name, ns::office, {"event-listeners", "scripts"}) ||
            is(name, ns::draw, "frame")) {
          candidates.push_back(node);
        }
      }
      node = next_in_order(node, root);
    }
    for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
      if (is_emptied(*it)) it->parent().remove_child(*it);
    }
  }

  bool is_emptied(pugi::xml_node container) const {
    const bool frame = names_.element(container) == ExpandedName{ns::draw, "frame"};
    for (pugi::xml_node child : container.children()) {
      if (child.type() != pugi::node_element) continue;
      if (!frame) return false;
      const ExpandedName name = names_.element(child);
      if (is_any(name, ns::draw,
                 {"text-box", "image", "object", "object-ole", "applet", "plugin",
                  "floating-frame"}) ||
          is(name, ns::table, "table")) {
        return false;
      }
    }
    return true;
  }

  xml::PartNames names_;
  const PartSetup& setup_;
  FindingSink& findings_;
  Context& ctx_;
  std::vector<std::string> scrubbed_;
};

}  // namespace

std::string_view root_local_name(PartRole role) {
  switch (role) {
    case PartRole::content:
      return "document-content";
    case PartRole::styles:
      return "document-styles";
    case PartRole::meta:
      return "document-meta";
    case PartRole::settings:
      return "document-settings";
  }
  return {};
}

void sanitize_part(pugi::xml_document& document, const PartSetup& setup, FindingSink& findings) {
  const pugi::xml_node root = document.document_element();
  if (xml::element_name(root) != ExpandedName{ns::office, root_local_name(setup.role)}) {
    throw Blocked(BlockReason::corrupt,
                  std::string(setup.location) + ": the root element is " + root.name() +
                      ", not office:" + std::string(root_local_name(setup.role)));
  }
  PartWalker(root, setup, findings).run(root);
}

}  // namespace sanitize::formats::odf
