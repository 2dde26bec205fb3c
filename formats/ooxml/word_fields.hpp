// Word field codes: simple fields (w:fldSimple) and complex fields (w:fldChar begin,
// instruction text, separate, result, end), nested or split across runs and paragraphs.
// A field whose code is not on the allowlist loses its code and keeps its displayed result,
// so the text reads the same and nothing runs or fetches when fields update.
#pragma once

#include <pugixml.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/ooxml/cleaning.hpp"

namespace sanitize::formats::ooxml {

enum class FieldVerdict {
  keep,
  dde,          // DDE, DDEAUTO: starts a program
  include,      // INCLUDETEXT, INCLUDEPICTURE, LINK, IMPORT, RD, DATABASE: fetches content
  not_allowed,  // anything else off the allowlist, or a code assembled from nested fields
  unsafe_link,  // HYPERLINK to file:, UNC or another scheme
  link_text,    // HYPERLINK made text (hyperlinks = "text")
  link_remove,  // HYPERLINK removed with its text (hyperlinks = "remove")
};

// `assembled`: the code starts with a nested field whose text we cannot know.
FieldVerdict classify_field(std::string_view code, bool assembled, LinkPolicy links);

// The text a QUOTE field shows when its code is literal; nullopt otherwise.
std::optional<std::string> quote_field_value(std::string_view code);

class FieldCleaner {
 public:
  FieldCleaner(Edits& edits, Findings& findings, const Options& options, std::string_view part)
      : edits_(edits), findings_(findings), options_(options), part_(part) {}

  // Every element of the part in document order. `word_local` is the local name of an
  // element in the WordprocessingML namespace ("" for other namespaces); `run_child` says
  // whether its parent is a w:r.
  void visit(pugi::xml_node node, std::string_view word_local, bool run_child);
  // Strips fields left open at the end of the part.
  void finish();

 private:
  struct Field {
    pugi::xml_node begin;
    pugi::xml_node separate;
    std::vector<pugi::xml_node> code_nodes;
    std::vector<pugi::xml_node> result_nodes;
    std::string code;
    bool in_result = false;
    bool assembled = false;    // the code starts with a nested field of unknown text
    bool starts_code = false;  // this field is the first thing in its parent's code
  };

  void add_to_open_fields(pugi::xml_node node);
  void end_field(pugi::xml_node end);
  void simple_field(pugi::xml_node node);
  // Reports a field that goes, by its verdict; false when it stays.
  bool report(FieldVerdict verdict, std::string_view code);
  void strip(const Field& field, pugi::xml_node end, bool with_result);

  Edits& edits_;
  Findings& findings_;
  const Options& options_;
  std::string part_;
  std::vector<Field> open_;
};

}  // namespace sanitize::formats::ooxml
