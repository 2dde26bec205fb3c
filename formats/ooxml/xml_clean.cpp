#include "formats/ooxml/xml_clean.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "formats/common/charset.hpp"
#include "formats/ooxml/formulas.hpp"
#include "formats/ooxml/namespaces.hpp"
#include "formats/ooxml/rules.hpp"
#include "formats/ooxml/word_fields.hpp"

namespace sanitize::formats::ooxml {
namespace {

constexpr std::string_view kStrictRelationships =
    "http://purl.oclc.org/ooxml/officeDocument/relationships";
constexpr std::string_view kWorkbookPath =
    "http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac";
constexpr std::string_view kSpreadsheet2009 =
    "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main";

using Name = xml::ExpandedName;

bool is(const Name& name, std::string_view uri, std::string_view local) {
  return name.uri == uri && name.local == local;
}

// PowerPoint actions that stay inside the presentation.
bool allowed_action(std::string_view action) {
  static constexpr std::array<std::string_view, 5> kAllowed{
      "ppaction://hlinkshowjump", "ppaction://hlinksldjump", "ppaction://noaction",
      "ppaction://customshow", "ppaction://media"};
  const std::string lowered = ascii_lower(action);
  return std::any_of(kAllowed.begin(), kAllowed.end(),
                     [&lowered](std::string_view allowed) { return lowered.starts_with(allowed); });
}

// Lists that may not stay empty once their last entry is gone.
bool prunable_when_empty(const Name& name) {
  static constexpr std::array<std::string_view, 9> kSpreadsheet{
      "oleObjects",     "controls",   "hyperlinks",      "externalReferences",
      "definedNames",   "tableParts", "dataValidations", "conditionalFormatting",
      "webPublishItems"};
  static constexpr std::array<std::string_view, 6> kPresentation{
      "controls",         "embeddedFontLst",    "sldIdLst",
      "notesMasterIdLst", "handoutMasterIdLst", "custDataLst"};
  if (name.uri == ns::spreadsheetml) {
    return std::find(kSpreadsheet.begin(), kSpreadsheet.end(), name.local) != kSpreadsheet.end();
  }
  if (name.uri == ns::presentationml) {
    return std::find(kPresentation.begin(), kPresentation.end(), name.local) != kPresentation.end();
  }
  if (name.uri == kSpreadsheet2009) {
    return name.local == "dataValidations" || name.local == "conditionalFormattings";
  }
  return false;
}

// Elements whose relationship is optional: they stay without it (printer settings).
bool optional_reference(const Name& name) {
  return name.uri == ns::spreadsheetml && name.local == "pageSetup";
}

bool is_drawing_container(const Name& name) {
  if (is(name, ns::wordprocessingml, "drawing")) return true;
  if (is(name, ns::presentationml, "graphicFrame")) return true;
  if (name.uri == ns::spreadsheet_drawing) {
    return name.local == "twoCellAnchor" || name.local == "oneCellAnchor" ||
           name.local == "absoluteAnchor";
  }
  if (name.uri == ns::chart_drawing) {
    return name.local == "relSizeAnchor" || name.local == "absSizeAnchor";
  }
  return false;
}

bool is_alternate_branch(const Name& name) {
  return name.uri == ns::markup_compatibility &&
         (name.local == "Choice" || name.local == "Fallback");
}

// Attributes that name people, per content type of the parts that list people.
struct PeopleAttributes {
  std::string_view content_type;
  std::array<std::string_view, 4> attributes;
};
constexpr std::array<PeopleAttributes, 4> kPeopleParts{{
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
     {"author", "", "", ""}},
    {"application/vnd.ms-excel.person+xml", {"displayName", "userId", "providerId", ""}},
    {"application/vnd.ms-powerpoint.authors+xml", {"name", "initials", "userId", "providerId"}},
    {"application/vnd.openxmlformats-officedocument.presentationml.commentAuthors+xml",
     {"name", "initials", "", ""}},
}};

class PartCleaner {
 public:
  PartCleaner(pugi::xml_document& document, const PlannedPart& part, const Options& options,
              Findings& findings, WorkbookFacts& facts)
      : document_(document),
        part_(part),
        options_(options),
        findings_(findings),
        facts_(facts),
        fields_(edits_, findings, options, part.name) {
    for (const auto& relationship : part.relationships) kept_ids_.insert(relationship.id);
    const std::string& type = part.content_type;
    workbook_ = is_workbook(type);
    worksheet_ = is_worksheet(type);
    calc_chain_ = is_calc_chain(type);
    table_ = is_table(type);
    pivot_cache_ = is_pivot_cache_definition(type);
    if (options.scrub_metadata) {
      for (const auto& people : kPeopleParts) {
        if (people.content_type == type) people_attributes_ = &people.attributes;
      }
    }
    if (const auto it = facts.sheet_id_of_part.find(part.name);
        it != facts.sheet_id_of_part.end()) {
      sheet_id_ = it->second;
    }
  }

  bool run() {
    walk(document_.document_element(), [this](pugi::xml_node node, const Name& name,
                                              const Scope& scope) { visit(node, name, scope); });
    fields_.finish();
    std::vector<pugi::xml_node> objects;
    for (pugi::xml_node object : objects_) {
      if (!edits_.doomed(object)) objects.push_back(object);
    }
    const bool timing_stays = timing_ && !edits_.doomed(timing_);
    const auto survivors = edits_.apply();
    prune(survivors);
    for (pugi::xml_node object : objects) disarm_object(object);
    if (timing_stays) drop_orphan_animations();
    if (workbook_) fix_workbook_views();
    if (scrubbed_ > 0) {
      findings_.record(kind::metadata, part_.name, Action::removed,
                       std::to_string(scrubbed_) + " author name(s) or personal properties");
    }
    return !calc_chain_ || calc_entries_left_ > 0;
  }

 private:
  void visit(pugi::xml_node node, const Name& name, const Scope& scope) {
    check_references(node, name, scope);
    const pugi::xml_node parent = node.parent();
    const bool run_child = parent.type() == pugi::node_element &&
                           std::string_view(parent.name()).ends_with("r") &&
                           is(scope.element_name(parent), ns::wordprocessingml, "r");
    fields_.visit(node, name.uri == ns::wordprocessingml ? name.local : std::string_view{},
                  run_child);
    if (name.uri == ns::wordprocessingml) {
      word_element(node, name.local, scope);
    } else if (name.uri == ns::spreadsheetml) {
      spreadsheet_element(node, name.local, scope);
    } else if (is(name, ns::excel_2009, "f")) {
      rule_formula(node);
    } else if (name.uri == ns::drawingml) {
      drawing_element(node, name.local);
    } else if (name.uri == ns::spreadsheet_drawing) {
      macro_attribute(node);
    } else if (name.uri == ns::vml || name.uri == ns::vml_office) {
      vml_element(node, name, scope);
    } else if (is(name, ns::vml_excel, "FmlaMacro")) {
      if (!text_of(node).empty()) {
        edits_.remove(node);
        findings_.element(kind::macro_reference, part_.name,
                          "form control runs the macro " + shortened(text_of(node)));
      }
    } else if (is(name, ns::presentationml, "timing")) {
      timing_ = node;
    } else if (options_.scrub_metadata) {
      metadata_element(node, name);
    }
    if (people_attributes_ != nullptr) blank_people(node, scope);
  }

  // --- references to relationships ---------------------------------------------------

  void check_references(pugi::xml_node node, const Name& name, const Scope& scope) {
    std::vector<pugi::xml_attribute> detach;
    for (pugi::xml_attribute attribute : node.attributes()) {
      const Name attribute_name = scope.attribute_name(attribute);
      const bool relationship =
          attribute_name.uri == ns::relationships || attribute_name.uri == kStrictRelationships;
      const bool vml_relid = is(attribute_name, ns::vml_office, "relid");
      if (!relationship && !vml_relid) continue;
      const std::string_view id = attribute.value();
      if (id.empty() || kept_ids_.contains(std::string(id))) continue;
      if (relationship && (attribute_name.local == "link" || attribute_name.local == "href" ||
                           optional_reference(name))) {
        detach.push_back(attribute);  // a linked copy, or a reference the element can do without
        continue;
      }
      const auto dropped = part_.dropped.find(id);
      const Dangling dangling =
          dropped != part_.dropped.end() ? dropped->second.dangling : Dangling::drop_element;
      if (is(name, ns::wordprocessingml, "hyperlink")) {
        if (dangling == Dangling::drop_link_text) {
          edits_.remove(node);
        } else {
          edits_.unwrap(node);
        }
      } else {
        edits_.remove(dangling == Dangling::drop_element ? drawing_object_of(node) : node);
      }
    }
    for (pugi::xml_attribute attribute : detach) node.remove_attribute(attribute);
  }

  // The element to remove with a reference that no longer resolves: the whole drawing
  // object when the reference is what a graphic frame shows (a chart, an OLE object).
  pugi::xml_node drawing_object_of(pugi::xml_node node) {
    const Name name = xml::element_name(node);
    if (name.uri == ns::presentationml && (name.local == "regular" || name.local == "bold" ||
                                           name.local == "italic" || name.local == "boldItalic")) {
      return node.parent();  // p:embeddedFont
    }
    pugi::xml_node up = node.parent();
    while (up.type() == pugi::node_element) {
      const Name up_name = xml::element_name(up);
      if (is_alternate_branch(up_name) ||
          is(up_name, ns::markup_compatibility, "AlternateContent")) {
        up = up.parent();
        continue;
      }
      if (!is(up_name, ns::drawingml, "graphicData")) return node;
      for (pugi::xml_node container = up.parent(); container.type() == pugi::node_element;
           container = container.parent()) {
        const Name container_name = xml::element_name(container);
        if (is_drawing_container(container_name)) {
          if (container_name.local == "graphicFrame") note_removed_shape(container);
          return container;
        }
      }
      return up.parent();
    }
    return node;
  }

  void note_removed_shape(pugi::xml_node frame) {
    const pugi::xml_node properties = frame.find_node(
        [](pugi::xml_node n) { return std::string_view(n.name()).ends_with("cNvPr"); });
    if (properties) removed_shape_ids_.insert(properties.attribute("id").value());
  }

  // --- WordprocessingML ----------------------------------------------------------------

  void word_element(pugi::xml_node node, std::string_view local, const Scope& scope) {
    if (local == "object") {
      objects_.push_back(node);
    } else if (local == "mailMerge") {
      edits_.remove(node);
      findings_.element(kind::data_connection, part_.name, "mail merge data source and its query");
    } else if (local == "frameset") {
      edits_.remove(node);
      findings_.element(kind::external_relationship, part_.name,
                        "frames page that loads other documents");
    }
    if (!options_.scrub_metadata) return;
    std::vector<pugi::xml_attribute> initials;
    for (pugi::xml_attribute attribute : node.attributes()) {
      const Name name = scope.attribute_name(attribute);
      if (is(name, ns::wordprocessingml, "author") && *attribute.value() != '\0') {
        attribute.set_value("");
        ++scrubbed_;
      } else if (is(name, ns::wordprocessingml, "initials")) {
        initials.push_back(attribute);
      }
    }
    for (pugi::xml_attribute attribute : initials) {
      node.remove_attribute(attribute);
      ++scrubbed_;
    }
  }

  // An OLE object whose object and controls are gone is its preview picture.
  void disarm_object(pugi::xml_node object) {
    pugi::xml_node drawing;
    for (pugi::xml_node child = object.first_child(); child; child = child.next_sibling()) {
      if (child.type() != pugi::node_element) continue;
      const Name name = xml::element_name(child);
      if (is(name, ns::vml_office, "OLEObject") ||
          (name.uri == ns::wordprocessingml &&
           (name.local == "control" || name.local == "objectEmbed" || name.local == "objectLink" ||
            name.local == "movie"))) {
        return;
      }
      if (is(name, ns::wordprocessingml, "drawing")) drawing = child;
    }
    pugi::xml_node parent = object.parent();
    if (drawing) {
      parent.insert_move_before(drawing, object);
      parent.remove_child(object);
      return;
    }
    const std::string_view qualified = object.name();
    const auto colon = qualified.find(':');
    const std::string renamed =
        (colon == std::string_view::npos ? std::string()
                                         : std::string(qualified.substr(0, colon + 1))) +
        "pict";
    object.set_name(renamed.c_str());
    std::vector<pugi::xml_attribute> word_attributes;
    for (pugi::xml_attribute attribute : object.attributes()) {
      if (xml::attribute_name(object, attribute).uri == ns::wordprocessingml) {
        word_attributes.push_back(attribute);
      }
    }
    for (pugi::xml_attribute attribute : word_attributes) object.remove_attribute(attribute);
  }

  // --- SpreadsheetML -------------------------------------------------------------------

  void spreadsheet_element(pugi::xml_node node, std::string_view local, const Scope& scope) {
    if (workbook_) {
      if (local == "sheet") return workbook_sheet(node, scope);
      if (local == "externalReference") return external_reference(node, scope);
      if (local == "definedName") return defined_name(node);
      if (local == "workbookView") return views_.push_back(node);
    }
    if (calc_chain_ && local == "c") return calc_chain_cell(node);
    if (local == "c") {
      current_cell_ = node.attribute("r").value();
    } else if (local == "f" && worksheet_) {
      cell_formula(node);
    } else if (local == "formula" || local == "formula1" || local == "formula2") {
      rule_formula(node);
    } else if (local == "webPublishItems" || local == "webPublishObjects") {
      edits_.remove(node);
      findings_.element(kind::external_relationship, part_.name,
                        "publishing of the workbook to files or web servers");
    } else if (table_ && local == "table") {
      plain_table(node);
    } else if (pivot_cache_ && local == "cacheSource" && node.attribute("connectionId")) {
      // The connection is gone (connections.xml never stays): the cache keeps its records
      // and can no longer be refreshed from outside.
      node.remove_attribute("connectionId");
      findings_.element(kind::data_connection, part_.name,
                        "pivot cache filled from a data connection, kept with its records");

    } else if (table_ && local == "tableColumn") {
      node.remove_attribute("queryTableFieldId");
    } else if (table_ && local == "xmlColumnPr") {
      edits_.remove(node);
    } else if (local == "author" && options_.scrub_metadata && !text_of(node).empty()) {
      for (pugi::xml_node text = node.first_child(); text; text = node.first_child()) {
        node.remove_child(text);
      }
      ++scrubbed_;
    }
  }

  void workbook_sheet(pugi::xml_node node, const Scope& scope) {
    std::string id;
    for (pugi::xml_attribute attribute : node.attributes()) {
      if (scope.attribute_name(attribute) == Name{ns::relationships, "id"}) id = attribute.value();
    }
    const std::string sheet_id = node.attribute("sheetId").value();
    const int position = sheet_position_++;
    if (const auto target = part_.targets.find(id); target != part_.targets.end()) {
      facts_.sheet_id_of_part[target->second] = sheet_id;
      ++sheets_kept_;
      return;
    }
    const auto dropped = part_.dropped.find(id);
    const std::string_view why =
        dropped != part_.dropped.end() ? dropped->second.kind : kind::dangling_reference;
    removed_sheets_.push_back(RemovedSheet{position, node.attribute("name").value(), why});
    facts_.removed_sheet_ids.insert(sheet_id);
    edits_.remove(node);
  }

  void external_reference(pugi::xml_node node, const Scope& scope) {
    std::string_view why = kind::external_link;
    for (pugi::xml_attribute attribute : node.attributes()) {
      if (scope.attribute_name(attribute) != Name{ns::relationships, "id"}) continue;
      if (const auto dropped = part_.dropped.find(attribute.value());
          dropped != part_.dropped.end()) {
        why = dropped->second.kind;
      }
    }
    facts_.external_reference_kinds.push_back(why);
  }

  struct RemovedSheet {
    int position;
    std::string name;
    std::string_view kind;
  };

  // The kind of the removed sheet `formula` refers to by name, if any.
  std::optional<std::string_view> removed_sheet_in(std::string_view formula) const {
    const std::string text = ascii_lower(formula);
    for (const auto& sheet : removed_sheets_) {
      const std::string name = ascii_lower(sheet.name);
      std::string quoted = "'";
      for (const char c : name) {
        quoted.push_back(c);
        if (c == '\'') quoted.push_back('\'');
      }
      quoted += "'!";
      if (text.find(name + "!") != std::string::npos || text.find(quoted) != std::string::npos) {
        return sheet.kind;
      }
    }
    return std::nullopt;
  }

  void defined_name(pugi::xml_node node) {
    const std::string name = node.attribute("name").value();
    const std::string text = text_of(node);
    const auto flag = [&node](const char* attribute) {
      const std::string_view value = node.attribute(attribute).value();
      return value == "1" || value == "true";
    };
    std::string bare = ascii_lower(name);
    if (bare.starts_with("_xlnm.")) bare.erase(0, 6);
    std::string_view kind;
    std::string why;
    const FormulaAssessment formula = assess_formula(text);
    if (flag("function") || flag("vbProcedure") || flag("xlm")) {
      kind = kind::macro_reference;
      why = "names a macro";
    } else if (bare.starts_with("auto_open") || bare.starts_with("auto_close") ||
               bare.starts_with("auto_activate") || bare.starts_with("auto_deactivate")) {
      kind = kind::xlm_macro_sheet;
      why = "runs macros when the workbook opens or closes";
    } else if (formula.risk == FormulaRisk::dde || formula.risk == FormulaRisk::external_call ||
               formula.risk == FormulaRisk::unsafe_hyperlink) {
      kind = formula_kind(formula.risk);
      why = "calls " + formula.what;
    } else if (formula.risk == FormulaRisk::external_reference) {
      kind = facts_.kind_of_external_reference(formula.what);
      why = "refers to another workbook";
    } else if (const auto sheet_kind = removed_sheet_in(text)) {
      kind = *sheet_kind;
      why = "refers to a removed sheet";
    }
    if (pugi::xml_attribute local = node.attribute("localSheetId"); local && kind.empty()) {
      const int position = local.as_int(-1);
      int shift = 0;
      for (const auto& sheet : removed_sheets_) {
        if (sheet.position == position) {
          kind = sheet.kind;
          why = "belongs to a removed sheet";
        } else if (sheet.position < position) {
          ++shift;
        }
      }
      if (kind.empty() && shift > 0) local.set_value(position - shift);
    }
    if (kind.empty()) return;
    edits_.remove(node);
    findings_.element(kind, part_.name,
                      "defined name " + name + " " + why + ": " + shortened(text));
  }

  void fix_workbook_views() {
    if (sheets_kept_ == 0) {
      throw Blocked(BlockReason::active_content,
                    "no sheet of the workbook is left once macro and dialog sheets are removed");
    }
    if (removed_sheets_.empty()) return;
    for (pugi::xml_node view : views_) {
      for (const char* attribute : {"activeTab", "firstSheet"}) {
        pugi::xml_attribute index = view.attribute(attribute);
        if (!index) continue;
        const int old_index = index.as_int(0);
        int shift = 0;
        bool gone = false;
        for (const auto& sheet : removed_sheets_) {
          gone = gone || sheet.position == old_index;
          if (sheet.position < old_index) ++shift;
        }
        const int new_index = gone ? 0 : std::clamp(old_index - shift, 0, sheets_kept_ - 1);
        index.set_value(new_index);
      }
    }
  }

  void cell_formula(pugi::xml_node node) {
    const std::string_view type = node.attribute("t").value();
    const std::string shared_index = node.attribute("si").value();
    const std::string text = text_of(node);
    std::string_view kind;
    std::string detail;
    if (type == "shared" && text.empty()) {
      const auto master = removed_shared_.find(shared_index);
      if (master == removed_shared_.end()) return;
      kind = master->second;
      detail = "shares a removed formula";
    } else {
      const FormulaAssessment formula = assess_formula(text);
      if (formula.risk == FormulaRisk::none) return;
      kind = formula.risk == FormulaRisk::external_reference
                 ? facts_.kind_of_external_reference(formula.what)
                 : formula_kind(formula.risk);
      detail = shortened(text);
      if (type == "shared" && !shared_index.empty()) removed_shared_[shared_index] = kind;
    }
    edits_.remove(node);
    facts_.removed_formulas.emplace(sheet_id_, current_cell_);
    if (facts_.removed_formula_kind.empty()) facts_.removed_formula_kind = kind;
    findings_.element(kind, part_.name, "cell " + current_cell_ + ": " + detail);
  }

  // A formula of a validation rule, a conditional format or a sparkline.
  void rule_formula(pugi::xml_node node) {
    const std::string text = text_of(node);
    const FormulaAssessment formula = assess_formula(text);
    if (formula.risk == FormulaRisk::none) return;
    pugi::xml_node rule = node;
    for (pugi::xml_node up = node.parent(); up.type() == pugi::node_element; up = up.parent()) {
      const std::string_view local = xml::element_name(up).local;
      if (local == "dataValidation" || local == "cfRule" || local == "sparklineGroup") {
        rule = up;
        break;
      }
    }
    edits_.remove(rule);
    findings_.element(formula.risk == FormulaRisk::external_reference
                          ? facts_.kind_of_external_reference(formula.what)
                          : formula_kind(formula.risk),
                      part_.name, "rule formula: " + shortened(text));
  }

  void calc_chain_cell(pugi::xml_node node) {
    if (pugi::xml_attribute sheet = node.attribute("i")) {
      calc_sheet_ = sheet.value();
    } else if (!calc_sheet_.empty()) {
      // Entries may leave out the sheet of the one before; once entries go, say it.
      node.append_attribute("i").set_value(calc_sheet_.c_str());
    }
    const std::string cell = node.attribute("r").value();
    if (facts_.removed_sheet_ids.contains(calc_sheet_) ||
        facts_.removed_formulas.contains({calc_sheet_, cell})) {
      edits_.remove(node);
    } else {
      ++calc_entries_left_;
    }
  }

  void plain_table(pugi::xml_node node) {
    const std::string_view type = node.attribute("tableType").value();
    if (!node.attribute("connectionId") && type != "queryTable" && type != "xml") return;
    node.remove_attribute("connectionId");
    node.remove_attribute("tableType");
    findings_.element(kind::query_table, part_.name,
                      "table filled by a query or an XML map, kept as a plain table");
  }

  // --- DrawingML, VML, macros ----------------------------------------------------------

  void drawing_element(pugi::xml_node node, std::string_view local) {
    if (local != "hlinkClick" && local != "hlinkHover" && local != "hlinkMouseOver") return;
    const std::string_view action = node.attribute("action").value();
    if (action.empty() || allowed_action(action)) return;
    edits_.remove(node);
    findings_.element(kind::ppt_action, part_.name, "action " + shortened(action));
  }

  void macro_attribute(pugi::xml_node node) {
    pugi::xml_attribute macro = node.attribute("macro");
    if (!macro || *macro.value() == '\0') return;
    findings_.element(kind::macro_reference, part_.name,
                      "shape runs the macro " + shortened(macro.value()));
    node.remove_attribute(macro);
  }

  void vml_element(pugi::xml_node node, const Name& name, const Scope& scope) {
    std::vector<pugi::xml_attribute> detach;
    for (pugi::xml_attribute attribute : node.attributes()) {
      const Name attribute_name = scope.attribute_name(attribute);
      const std::string_view value = attribute.value();
      if (value.empty()) continue;
      if (is(attribute_name, "", "href") || is(attribute_name, ns::vml_office, "href")) {
        if (!is_safe_link(value)) {
          findings_.element(kind::unsafe_hyperlink, part_.name, "VML link " + shortened(value));
        } else if (options_.hyperlinks != LinkPolicy::keep) {
          findings_.record(
              kind::hyperlink, part_.name,
              options_.hyperlinks == LinkPolicy::text ? Action::neutralized : Action::removed,
              "VML link " + shortened(value));
        } else {
          continue;
        }
        detach.push_back(attribute);
      } else if (name.uri == ns::vml && is(attribute_name, "", "src")) {
        findings_.element(kind::external_relationship, part_.name,
                          "VML picture loaded from " + shortened(value));
        detach.push_back(attribute);
      }
    }
    for (pugi::xml_attribute attribute : detach) node.remove_attribute(attribute);
  }

  // --- metadata ------------------------------------------------------------------------

  void metadata_element(pugi::xml_node node, const Name& name) {
    const bool personal =
        is(name, ns::dublin_core, "creator") || is(name, ns::core_properties, "lastModifiedBy") ||
        is(name, ns::core_properties, "lastPrinted") || is(name, ns::core_properties, "revision") ||
        is(name, ns::extended_properties, "Company") ||
        is(name, ns::extended_properties, "Manager") ||
        is(name, kWorkbookPath, "absPath");  // the folder the workbook was saved in
    if (!personal) return;
    edits_.remove(node);
    ++scrubbed_;
  }

  void blank_people(pugi::xml_node node, const Scope& scope) {
    if (xml::ExpandedName name = scope.element_name(node); name.local == "presenceInfo") {
      edits_.remove(node);
      ++scrubbed_;
      return;
    }
    for (pugi::xml_attribute attribute : node.attributes()) {
      const std::string_view local = scope.attribute_name(attribute).local;
      if (*attribute.value() == '\0' || std::string_view(attribute.name()).starts_with("xmlns")) {
        continue;
      }
      for (const std::string_view wanted : *people_attributes_) {
        if (!wanted.empty() && local == wanted) {
          attribute.set_value("");
          ++scrubbed_;
        }
      }
    }
  }

  // --- after the walk ------------------------------------------------------------------

  // Takes out containers left empty by the removals, bottom up: runs holding only their
  // properties, empty lists, alternate content whose every branch is empty, and graphic
  // frames that show nothing.
  void prune(const std::vector<pugi::xml_node>& survivors) {
    Edits second;
    const auto empty = [&second](pugi::xml_node node, bool ignore_run_properties) {
      for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
        if (child.type() != pugi::node_element || second.doomed(child)) continue;
        if (ignore_run_properties && is(xml::element_name(child), ns::wordprocessingml, "rPr")) {
          continue;
        }
        return false;
      }
      return true;
    };
    std::vector<pugi::xml_node> counted;
    for (pugi::xml_node start : survivors) {
      pugi::xml_node node = start;
      while (node.type() == pugi::node_element && !second.doomed(node)) {
        const Name name = xml::element_name(node);
        if (is(name, ns::wordprocessingml, "r")) {
          if (empty(node, true)) second.remove(node);
          break;
        }
        if (is_alternate_branch(name)) {
          const pugi::xml_node alternate = node.parent();
          bool all_empty = true;
          for (pugi::xml_node branch = alternate.first_child(); branch;
               branch = branch.next_sibling()) {
            if (branch.type() == pugi::node_element && !empty(branch, false)) all_empty = false;
          }
          if (!all_empty) break;
          second.remove(alternate);
          node = alternate.parent();
          continue;
        }
        if (is(name, ns::drawingml, "graphicData") && empty(node, false)) {
          pugi::xml_node container = node.parent();
          while (container.type() == pugi::node_element &&
                 !is_drawing_container(xml::element_name(container))) {
            container = container.parent();
          }
          if (container.type() != pugi::node_element) break;
          second.remove(container);
          node = container.parent();
          continue;
        }
        if (prunable_when_empty(name)) {
          counted.push_back(node);
          if (!empty(node, false)) break;
          second.remove(node);
          node = node.parent();
          continue;
        }
        break;
      }
    }
    std::erase_if(counted, [&second](pugi::xml_node node) { return second.doomed(node); });
    second.apply();
    for (pugi::xml_node list : counted) {
      pugi::xml_attribute count = list.attribute("count");
      if (!count) continue;
      int children = 0;
      for (pugi::xml_node child = list.first_child(); child; child = child.next_sibling()) {
        if (child.type() == pugi::node_element) ++children;
      }
      count.set_value(children);
    }
  }

  // Animations that target a removed object would point at nothing.
  void drop_orphan_animations() {
    if (removed_shape_ids_.empty()) return;
    const pugi::xml_node target = timing_.find_node([this](pugi::xml_node n) {
      return std::string_view(n.name()).ends_with("spTgt") &&
             removed_shape_ids_.contains(n.attribute("spid").value());
    });
    if (target) timing_.parent().remove_child(timing_);
  }

  pugi::xml_document& document_;
  const PlannedPart& part_;
  const Options& options_;
  Findings& findings_;
  WorkbookFacts& facts_;
  Edits edits_;
  FieldCleaner fields_;
  std::set<std::string, std::less<>> kept_ids_;
  bool workbook_ = false;
  bool worksheet_ = false;
  bool calc_chain_ = false;
  bool table_ = false;
  bool pivot_cache_ = false;
  const std::array<std::string_view, 4>* people_attributes_ = nullptr;
  std::size_t scrubbed_ = 0;

  std::vector<pugi::xml_node> objects_;
  pugi::xml_node timing_;
  std::set<std::string, std::less<>> removed_shape_ids_;

  int sheet_position_ = 0;
  int sheets_kept_ = 0;
  std::vector<RemovedSheet> removed_sheets_;
  std::vector<pugi::xml_node> views_;
  std::string sheet_id_;
  std::string current_cell_;
  std::map<std::string, std::string_view> removed_shared_;
  std::string calc_sheet_;
  std::size_t calc_entries_left_ = 0;
};

}  // namespace

std::string_view WorkbookFacts::kind_of_external_reference(std::string_view number) const {
  std::size_t index = 0;
  for (const char c : number) {
    index = index * 10 + static_cast<std::size_t>(c - '0');
    if (index > external_reference_kinds.size()) return kind::external_link;
  }
  return index >= 1 ? external_reference_kinds[index - 1] : kind::external_link;
}

bool clean_xml_part(pugi::xml_document& document, const PlannedPart& part, const Options& options,
                    Findings& findings, WorkbookFacts& facts) {
  return PartCleaner(document, part, options, findings, facts).run();
}

}  // namespace sanitize::formats::ooxml
