// The allowlist: which relationship types lead to parts worth keeping, with which content
// types, and what every other kind of part is called when it is removed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sanitize::formats::ooxml {

// Finding kinds of the module (docs/findings.md).
namespace kind {
inline constexpr std::string_view vba = "ooxml.vba";
inline constexpr std::string_view activex = "ooxml.activex";
inline constexpr std::string_view ole_object = "ooxml.ole_object";
inline constexpr std::string_view embedded_document = "ooxml.embedded_document";
inline constexpr std::string_view external_relationship = "ooxml.external_relationship";
inline constexpr std::string_view remote_template = "ooxml.remote_template";
inline constexpr std::string_view external_link = "ooxml.external_link";
inline constexpr std::string_view custom_ui = "ooxml.custom_ui";
inline constexpr std::string_view xlm_macro_sheet = "ooxml.xlm_macro_sheet";
inline constexpr std::string_view dialog_sheet = "ooxml.dialog_sheet";
inline constexpr std::string_view data_connection = "ooxml.data_connection";
inline constexpr std::string_view query_table = "ooxml.query_table";
inline constexpr std::string_view power_query = "ooxml.power_query";
inline constexpr std::string_view web_extension = "ooxml.web_extension";
inline constexpr std::string_view alt_chunk = "ooxml.alt_chunk";
inline constexpr std::string_view dde_field = "ooxml.dde_field";
inline constexpr std::string_view include_field = "ooxml.include_field";
inline constexpr std::string_view field_code = "ooxml.field_code";
inline constexpr std::string_view dde_formula = "ooxml.dde_formula";
inline constexpr std::string_view ppt_action = "ooxml.ppt_action";
inline constexpr std::string_view macro_reference = "ooxml.macro_reference";
inline constexpr std::string_view printer_settings = "ooxml.printer_settings";
inline constexpr std::string_view embedded_font = "ooxml.embedded_font";
inline constexpr std::string_view emf_wmf = "ooxml.emf_wmf";
inline constexpr std::string_view unverified_media = "ooxml.unverified_media";
inline constexpr std::string_view bad_picture = "ooxml.bad_picture";
inline constexpr std::string_view hyperlink = "ooxml.hyperlink";
inline constexpr std::string_view unsafe_hyperlink = "ooxml.unsafe_hyperlink";
inline constexpr std::string_view metadata = "ooxml.metadata";
inline constexpr std::string_view signature = "ooxml.signature";
inline constexpr std::string_view unknown_part = "ooxml.unknown_part";
inline constexpr std::string_view unreachable_part = "ooxml.unreachable_part";
inline constexpr std::string_view dangling_reference = "ooxml.dangling_reference";
inline constexpr std::string_view doctype = "ooxml.doctype";
inline constexpr std::string_view processing_instruction = "ooxml.processing_instruction";
inline constexpr std::string_view macro_enabled = "ooxml.macro_enabled";
inline constexpr std::string_view bad_part_name = "ooxml.bad_part_name";
inline constexpr std::string_view hidden_data = "ooxml.hidden_data";
}  // namespace kind

// What becomes of a part reached through a relationship of some type.
enum class Handling {
  keep,           // an XML part, kept when its content type is one the rule lists
  picture,        // a picture, kept after its bytes are verified
  custom_xml,     // custom XML data, kept unless it is a Power Query DataMashup
  custom_props,   // custom document properties: kept, or removed when metadata is scrubbed
  external_link,  // a link to another workbook; its content says which kind it is
  embedded,       // an embedded object or package: removed, or sanitized and kept (policy)
  remove,         // removed and reported as the rule's kind
};

struct RelationshipRule {
  std::string type;
  Handling handling = Handling::remove;
  std::string_view kind;                   // when removed
  std::vector<std::string> content_types;  // allowed content types of kept XML parts
};

// The rule for a relationship type; nullptr for types nobody listed (unknown parts).
const RelationshipRule* rule_for(std::string_view relationship_type);

// The main part of a package, by its content type.
struct MainPartType {
  std::string_view content_type;
  std::string_view type_id;     // ooxml_word, ooxml_excel, ooxml_powerpoint, ooxml_addin
  std::string_view plain_type;  // the content type it is delivered with
  std::string_view extension;   // the extension that content type goes with
  bool macro_enabled = false;
};
const MainPartType* main_part_type(std::string_view content_type);

// The finding kind a removed part's content type or name says it is, when no relationship
// gave it one (a part nothing reaches, or reached through the wrong type).
std::optional<std::string_view> kind_of_content(std::string_view content_type,
                                                std::string_view part_name);

// Content-type families that decide how a kept XML part is cleaned.
bool is_workbook(std::string_view content_type);
bool is_worksheet(std::string_view content_type);
bool is_calc_chain(std::string_view content_type);
bool is_table(std::string_view content_type);
bool is_pivot_cache_definition(std::string_view content_type);
bool is_vml(std::string_view content_type);

// The content type of an embedded package an extension names (docx, xlsx, pptx, pdf...).
std::optional<std::string_view> embedded_content_type(std::string_view extension);

}  // namespace sanitize::formats::ooxml
