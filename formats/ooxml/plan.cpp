#include "formats/ooxml/plan.hpp"

#include <algorithm>
#include <deque>
#include <set>

#include "formats/common/charset.hpp"
#include "formats/common/pictures.hpp"
#include "formats/ooxml/namespaces.hpp"

namespace sanitize::formats::ooxml {
namespace {

constexpr std::string_view kAllowedEmbeddedTypes[] = {"ooxml_word", "ooxml_excel",
                                                      "ooxml_powerpoint", "pdf"};

// The last segment of a relationship type, for reports ("vbaProject", "oleObject").
std::string_view short_type(std::string_view type) {
  const auto slash = type.rfind('/');
  return slash == std::string_view::npos ? type : type.substr(slash + 1);
}

std::string_view file_name_of(std::string_view part_name) {
  const auto slash = part_name.rfind('/');
  return slash == std::string_view::npos ? part_name : part_name.substr(slash + 1);
}

std::string folder_of(std::string_view part_name) {
  const auto slash = part_name.rfind('/');
  return slash == std::string_view::npos ? std::string()
                                         : std::string(part_name.substr(0, slash + 1));
}

struct PartFate {
  bool kept = false;
  std::size_t index = 0;  // in plan.parts when kept
  std::string_view kind;  // when removed
  std::string detail;
};

class Planner {
 public:
  Planner(Context& ctx, const InputPackage& package, const ContentTypes& types,
          const Options& options, Findings& findings)
      : ctx_(ctx), package_(package), types_(types), options_(options), findings_(findings) {}

  Plan run(std::string_view claimed_type) {
    const InputPart* root_rels = package_.find(kRootRelsName);
    if (root_rels == nullptr) {
      throw Blocked(BlockReason::corrupt, "the package has no _rels/.rels");
    }
    consumed_.insert(part_key(root_rels->name));
    const auto relationships = read_relationships(*root_rels);
    take_main_part(relationships, claimed_type);
    PlannedPart root;
    for (const auto& relationship : relationships) {
      const auto target = resolve_target("", relationship.target);
      if (relationship.type == ns::rel_office_document && !relationship.external && target &&
          part_key(*target) == part_key(plan_.parts[0].name)) {
        Relationship kept = relationship;
        kept.target = output_target("", relationship.target, plan_.parts[0].name);
        root.relationships.push_back(std::move(kept));
        continue;
      }
      take(std::string(), relationship, root);
    }
    plan_.package_relationships = std::move(root.relationships);
    for (std::size_t i = 0; i < plan_.parts.size(); ++i) {
      ctx_.check_deadline();
      take_relationships_of(i);
    }
    account_for_the_rest();
    return std::move(plan_);
  }

 private:
  std::vector<Relationship> read_relationships(const InputPart& rels) {
    XmlOddities oddities;
    auto relationships = parse_relationships(package_.read(rels), rels.name, &oddities);
    report_oddities(findings_, rels.name, oddities);
    return relationships;
  }

  void take_main_part(const std::vector<Relationship>& relationships,
                      std::string_view claimed_type) {
    for (const auto& relationship : relationships) {
      if (relationship.type != ns::rel_office_document || relationship.external) continue;
      const auto name = resolve_target("", relationship.target);
      const InputPart* part = name ? package_.find(*name) : nullptr;
      if (part == nullptr) {
        throw Blocked(BlockReason::corrupt,
                      "the main part " + relationship.target + " is not in the package");
      }
      const std::string_view content_type = types_.of(part->name);
      plan_.main = main_part_type(content_type);
      if (plan_.main == nullptr || plan_.main->type_id != claimed_type) {
        throw Blocked(BlockReason::corrupt, "the main part " + part->name +
                                                " has the content type " +
                                                std::string(content_type) + ", not a " +
                                                std::string(claimed_type) + " main part");
      }
      keep_part(*part, std::string(plan_.main->plain_type), PartSource::xml);
      return;
    }
    throw Blocked(BlockReason::corrupt, "the package has no main part (officeDocument)");
  }

  void take_relationships_of(std::size_t index) {
    const std::string source = plan_.parts[index].name;
    const InputPart* rels = package_.find(rels_name_of(source));
    if (rels == nullptr) return;
    consumed_.insert(part_key(rels->name));
    const auto relationships = read_relationships(*rels);
    PlannedPart collected;
    for (const auto& relationship : relationships) take(source, relationship, collected);
    PlannedPart& planned = plan_.parts[index];
    planned.had_relationships_part = true;
    planned.relationships = std::move(collected.relationships);
    planned.targets = std::move(collected.targets);
    planned.dropped = std::move(collected.dropped);
  }

  // The target the output writes: the input's when it names the part exactly.
  static std::string output_target(const std::string& source, std::string_view target,
                                   const std::string& part_name) {
    if (resolve_target(source, target) == part_name &&
        target.find_first_of("%\\#?") == std::string_view::npos) {
      return std::string(target);
    }
    return "/" + part_name;
  }

  void drop(PlannedPart& into, const Relationship& relationship, Dangling dangling,
            std::string_view kind) {
    if (!relationship.id.empty()) {
      into.dropped.emplace(relationship.id, DroppedRelationship{dangling, kind});
    }
  }

  void take(const std::string& source, const Relationship& relationship, PlannedPart& into) {
    const std::string location = rels_name_of(source);
    const std::string what = relationship.id + " (" + std::string(short_type(relationship.type)) +
                             ") to " + shortened(relationship.target);
    if (relationship.id.empty() || relationship.type.empty() || relationship.target.empty()) {
      findings_.record(kind::dangling_reference, location, Action::removed,
                       "relationship without an Id, a Type or a Target: " + what);
      drop(into, relationship, Dangling::drop_element, kind::dangling_reference);
      return;
    }
    if (relationship.external) return take_external(location, relationship, what, into);

    const auto name = resolve_target(source, relationship.target);
    const InputPart* part = name ? package_.find(*name) : nullptr;
    if (part == nullptr) {
      findings_.record(kind::dangling_reference, location, Action::removed,
                       "relationship " + what + ": no such part in the package");
      drop(into, relationship, Dangling::drop_element, kind::dangling_reference);
      return;
    }
    const RelationshipRule* rule = rule_for(relationship.type);
    const std::string key = part_key(part->name);
    if (const auto fate = fates_.find(key); fate != fates_.end()) {
      if (fate->second.kept && rule != nullptr &&
          compatible(*rule, plan_.parts[fate->second.index])) {
        keep_relationship(source, relationship, fate->second.index, into);
      } else {
        const std::string_view kind =
            fate->second.kept ? (rule ? rule->kind : kind::unknown_part) : fate->second.kind;
        if (fate->second.kept) {
          findings_.element(kind, location, "relationship " + what + " dropped");
        }
        drop(into, relationship, Dangling::drop_element, kind);
      }
      return;
    }
    if (rule == nullptr) {
      remove_part(*part, kind::unknown_part,
                  "reached through a relationship of unknown type " + relationship.type);
      drop(into, relationship, Dangling::drop_element, kind::unknown_part);
      return;
    }
    if (const auto index = admit(*part, *rule, relationship)) {
      keep_relationship(source, relationship, *index, into);
    } else {
      drop(into, relationship, Dangling::drop_element, fates_.at(key).kind);
    }
  }

  // Whether a part kept through one relationship may also be the target of `rule`.
  static bool compatible(const RelationshipRule& rule, const PlannedPart& part) {
    switch (rule.handling) {
      case Handling::keep:
      case Handling::custom_props:
      case Handling::custom_xml:
        return std::find(rule.content_types.begin(), rule.content_types.end(), part.content_type) !=
               rule.content_types.end();
      case Handling::picture:
        return part.source == PartSource::copy && part.content_type.starts_with("image/");
      case Handling::embedded:
        return part.source == PartSource::replaced;
      case Handling::remove:
      case Handling::external_link:
        break;
    }
    return false;
  }

  void take_external(const std::string& location, const Relationship& relationship,
                     const std::string& what, PlannedPart& into) {
    if (relationship.type == ns::rel_hyperlink) {
      if (!is_safe_link(relationship.target)) {
        findings_.element(kind::unsafe_hyperlink, location, "hyperlink " + what);
        drop(into, relationship, Dangling::unwrap_link, kind::unsafe_hyperlink);
        return;
      }
      switch (options_.hyperlinks) {
        case LinkPolicy::keep:
          into.relationships.push_back(relationship);
          return;
        case LinkPolicy::text:
          findings_.record(kind::hyperlink, location, Action::neutralized,
                           "hyperlink made text: " + what);
          drop(into, relationship, Dangling::unwrap_link, kind::hyperlink);
          return;
        case LinkPolicy::remove:
          findings_.record(kind::hyperlink, location, Action::removed,
                           "hyperlink removed: " + what);
          drop(into, relationship, Dangling::drop_link_text, kind::hyperlink);
          return;
      }
    }
    const RelationshipRule* rule = rule_for(relationship.type);
    const std::string_view kind = rule != nullptr && rule->kind == kind::remote_template
                                      ? kind::remote_template
                                      : kind::external_relationship;
    findings_.element(kind, location, "external relationship " + what);
    drop(into, relationship, Dangling::drop_element, kind);
  }

  void keep_relationship(const std::string& source, const Relationship& relationship,
                         std::size_t index, PlannedPart& into) {
    const std::string& name = plan_.parts[index].name;
    Relationship kept = relationship;
    kept.target = output_target(source, relationship.target, name);
    into.targets.emplace(relationship.id, name);
    into.relationships.push_back(std::move(kept));
  }

  std::size_t keep_part(const InputPart& part, std::string content_type, PartSource source,
                        std::vector<std::uint8_t> bytes = {}, std::string name = {}) {
    PlannedPart planned;
    planned.name = name.empty() ? part.name : std::move(name);
    planned.input = &part;
    planned.content_type = std::move(content_type);
    planned.source = source;
    planned.bytes = std::move(bytes);
    const std::size_t index = plan_.parts.size();
    plan_.parts.push_back(std::move(planned));
    fates_[part_key(part.name)] = PartFate{true, index, {}, {}};
    return index;
  }

  void remove_part(const InputPart& part, std::string_view kind, std::string detail) {
    fates_[part_key(part.name)] = PartFate{false, 0, kind, std::move(detail)};
  }

  std::optional<std::size_t> admit(const InputPart& part, const RelationshipRule& rule,
                                   const Relationship& relationship) {
    const std::string content_type(types_.of(part.name));
    const auto allowed = [&] {
      return std::find(rule.content_types.begin(), rule.content_types.end(), content_type) !=
             rule.content_types.end();
    };
    const auto wrong_type = [&] {
      remove_part(part, kind_of_content(content_type, part.name).value_or(kind::unknown_part),
                  "content type \"" + content_type + "\" is not one a " +
                      std::string(short_type(relationship.type)) + " part may have");
      return std::nullopt;
    };
    switch (rule.handling) {
      case Handling::remove:
        remove_part(
            part, rule.kind,
            "reached through a " + std::string(short_type(relationship.type)) + " relationship");
        return std::nullopt;
      case Handling::keep:
        if (!allowed()) return wrong_type();
        if (is_vml(content_type)) return admit_vml(part, content_type);
        return keep_part(part, content_type, PartSource::xml);
      case Handling::custom_props:
        if (!allowed()) return wrong_type();
        if (options_.scrub_metadata) {
          remove_part(part, kind::metadata, "custom document properties");
          return std::nullopt;
        }
        return keep_part(part, content_type, PartSource::xml);
      case Handling::picture:
        return admit_picture(part, content_type);
      case Handling::custom_xml:
        if (!allowed()) return wrong_type();
        return admit_custom_xml(part, content_type);
      case Handling::external_link: {
        auto [kind, detail] = external_link(part);
        remove_part(part, kind, std::move(detail));
        return std::nullopt;
      }
      case Handling::embedded:
        return admit_embedded(part, rule);
    }
    return std::nullopt;
  }

  std::optional<std::size_t> admit_picture(const InputPart& part, const std::string& content_type) {
    const Picture by_type = picture_of_media_type(content_type);
    if (!content_type.starts_with("image/")) {
      remove_part(part, kind::unknown_part,
                  "content type \"" + content_type + "\" is not a picture");
      return std::nullopt;
    }
    if (!is_raster(by_type) && !is_metafile(by_type)) {
      remove_part(part, kind::unverified_media,
                  "picture of type " + content_type + ": no module validates it yet");
      return std::nullopt;
    }
    const Picture by_name = picture_of_extension(extension_of(part.name));
    const Picture by_bytes = sniff_picture(package_.read(part));
    if (by_bytes != by_type || by_name != by_type) {
      remove_part(part, kind::bad_picture,
                  "its bytes are " + std::string(picture_name(by_bytes)) + ", its name says " +
                      std::string(picture_name(by_name)) + " and its content type " + content_type);
      return std::nullopt;
    }
    if (is_metafile(by_type) && !options_.keep_metafiles) {
      remove_part(part, kind::emf_wmf, std::string(picture_name(by_type)) + " picture");
      return std::nullopt;
    }
    return keep_part(part, content_type, PartSource::copy);
  }

  // Legacy VML drawings (comment boxes, control and object shapes) come from an HTML-era
  // dialect; one that is not well-formed XML goes, rather than the whole document.
  std::optional<std::size_t> admit_vml(const InputPart& part, const std::string& content_type) {
    std::vector<std::uint8_t> bytes = package_.read(part);
    try {
      xml::parse(bytes, part.name);
    } catch (const Blocked& blocked) {
      remove_part(part, kind::unknown_part, "VML drawing: " + blocked.detail());
      return std::nullopt;
    }
    return keep_part(part, content_type, PartSource::xml, std::move(bytes));
  }

  std::optional<std::size_t> admit_custom_xml(const InputPart& part,
                                              const std::string& content_type) {
    std::vector<std::uint8_t> bytes = package_.read(part);
    try {
      const auto parsed = xml::parse(bytes, part.name);
      if (xml::element_name(parsed->document.document_element()) ==
          xml::ExpandedName{ns::data_mashup, "DataMashup"}) {
        remove_part(part, kind::power_query, "Power Query queries (DataMashup)");
        return std::nullopt;
      }
    } catch (const Blocked& blocked) {
      remove_part(part, kind::unknown_part, "custom XML data: " + blocked.detail());
      return std::nullopt;
    }
    return keep_part(part, content_type, PartSource::xml, std::move(bytes));
  }

  // A link to another workbook, a DDE link (app|topic) or an OLE link, by its content.
  std::pair<std::string_view, std::string> external_link(const InputPart& part) {
    std::pair<std::string_view, std::string> found{kind::external_link, "link to another workbook"};
    try {
      const auto parsed = xml::parse(package_.read(part), part.name);
      walk(parsed->document.document_element(), [&found](pugi::xml_node node,
                                                         const xml::ExpandedName& name,
                                                         const Scope&) {
        if (name.uri != ns::spreadsheetml) return;
        if (name.local == "ddeLink") {
          found = {kind::dde_formula, "DDE link " +
                                          std::string(node.attribute("ddeService").value()) + "|" +
                                          shortened(node.attribute("ddeTopic").value())};
        } else if (name.local == "oleLink" && found.first != kind::dde_formula) {
          found = {kind::ole_object, "OLE link " + std::string(node.attribute("progId").value())};
        }
      });
    } catch (const Blocked& blocked) {
      if (blocked.reason() != BlockReason::corrupt) throw;
    }
    return found;
  }

  std::optional<std::size_t> admit_embedded(const InputPart& part, const RelationshipRule& rule) {
    if (!options_.sanitize_embedded) {
      remove_part(part, rule.kind, "embedded object or document");
      return std::nullopt;
    }
    if (!embedded_content_type(extension_of(part.name))) {
      remove_part(part, rule.kind, "embedded object that is not an Office document or a PDF");
      return std::nullopt;
    }
    ChildResult child = ctx_.sanitize_child(package_.read(part), file_name_of(part.name));
    const bool allowed_type =
        std::find(std::begin(kAllowedEmbeddedTypes), std::end(kAllowedEmbeddedTypes),
                  child.detected_type) != std::end(kAllowedEmbeddedTypes);
    if (child.verdict == Verdict::blocked || !allowed_type) {
      remove_part(part, rule.kind,
                  child.verdict == Verdict::blocked
                      ? "the embedded document was blocked: " +
                            std::string(to_string(child.block_reason)) + ": " + child.block_detail
                      : "embedded " + child.detected_type + " is not an Office document or a PDF");
      return std::nullopt;
    }
    std::string name = folder_of(part.name) + child.output_name;
    const auto content_type = embedded_content_type(extension_of(name));
    const InputPart* other = package_.find(name);
    if (!content_type || (other != nullptr && other != &part)) {
      remove_part(part, rule.kind, "the sanitized document cannot take the name " + name);
      return std::nullopt;
    }
    return keep_part(part, std::string(*content_type), PartSource::replaced,
                     std::move(child.output), std::move(name));
  }

  // Parts that were not kept: each is reported once, as what removed it, or as what a
  // removed part took with it, or as what its content type says, or as unreachable.
  void account_for_the_rest() {
    std::map<std::string, std::pair<std::string_view, std::string>> attributed;
    std::deque<const InputPart*> queue;
    for (const InputPart& part : package_.parts()) {
      const auto fate = fates_.find(part_key(part.name));
      if (fate != fates_.end() && !fate->second.kept) queue.push_back(&part);
    }
    while (!queue.empty()) {
      const InputPart* removed = queue.front();
      queue.pop_front();
      const std::string_view kind = fate_kind(*removed, attributed);
      const InputPart* rels = package_.find(rels_name_of(removed->name));
      if (rels == nullptr || consumed_.contains(part_key(rels->name))) continue;
      attributed.emplace(part_key(rels->name),
                         std::make_pair(kind, "relationships of the removed " + removed->name));
      std::vector<Relationship> relationships;
      try {
        relationships = parse_relationships(package_.read(*rels), rels->name);
      } catch (const Blocked& blocked) {
        if (blocked.reason() != BlockReason::corrupt) throw;
        continue;
      }
      for (const auto& relationship : relationships) {
        if (relationship.external) continue;
        const auto name = resolve_target(removed->name, relationship.target);
        const InputPart* part = name ? package_.find(*name) : nullptr;
        if (part == nullptr) continue;
        const std::string key = part_key(part->name);
        if (fates_.contains(key) || attributed.contains(key)) continue;
        attributed.emplace(key, std::make_pair(kind, "removed with " + removed->name));
        queue.push_back(part);
      }
    }
    for (const InputPart& part : package_.parts()) {
      const std::string key = part_key(part.name);
      if (key == part_key(kContentTypesName) || consumed_.contains(key)) continue;
      if (const auto fate = fates_.find(key); fate != fates_.end()) {
        if (!fate->second.kept)
          findings_.element(fate->second.kind, part.name, fate->second.detail);
        continue;
      }
      if (const auto it = attributed.find(key); it != attributed.end()) {
        findings_.element(it->second.first, part.name, it->second.second);
        continue;
      }
      const auto kind = kind_of_content(types_.of(part.name), part.name);
      findings_.element(kind.value_or(kind::unreachable_part), part.name,
                        "no relationship of a kept part reaches it");
    }
  }

  std::string_view fate_kind(
      const InputPart& part,
      const std::map<std::string, std::pair<std::string_view, std::string>>& attributed) const {
    const std::string key = part_key(part.name);
    if (const auto fate = fates_.find(key); fate != fates_.end()) return fate->second.kind;
    return attributed.at(key).first;
  }

  Context& ctx_;
  const InputPackage& package_;
  const ContentTypes& types_;
  const Options& options_;
  Findings& findings_;
  Plan plan_;
  std::map<std::string, PartFate> fates_;
  std::set<std::string> consumed_;
};

}  // namespace

void report_oddities(Findings& findings, std::string_view location, const XmlOddities& oddities) {
  if (oddities.doctype) {
    findings.element(kind::doctype, location, "DOCTYPE with its entity declarations");
  }
  if (oddities.processing_instructions > 0) {
    findings.element(
        kind::processing_instruction, location,
        std::to_string(oddities.processing_instructions) + " processing instruction(s)");
  }
}

Plan plan_package(Context& ctx, const InputPackage& package, const ContentTypes& types,
                  const Options& options, Findings& findings, std::string_view claimed_type) {
  return Planner(ctx, package, types, options, findings).run(claimed_type);
}

}  // namespace sanitize::formats::ooxml
