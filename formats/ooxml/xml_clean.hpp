// Cleaning one XML part: every element that refers to a relationship the plan dropped is
// removed (or, for hyperlinks, unwrapped), and the active content that lives inside XML
// is taken out: field codes, DDE formulas, PowerPoint actions, macro assignments, VML links,
// mail merge sources, frames; metadata is scrubbed on request. Both branches of
// mc:AlternateContent are walked like any other element.
#pragma once

#include <pugixml.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/ooxml/cleaning.hpp"
#include "formats/ooxml/plan.hpp"

namespace sanitize::formats::ooxml {

// What the parts of one workbook learn from each other: the workbook is cleaned first,
// the calculation chain last.
struct WorkbookFacts {
  std::map<std::string, std::string> sheet_id_of_part;  // worksheet part -> sheetId
  std::set<std::string> removed_sheet_ids;
  std::set<std::pair<std::string, std::string>> removed_formulas;  // (sheetId, cell)
  std::string_view removed_formula_kind;
  // Why each external reference of the workbook (1, 2...) was removed: a DDE link, an
  // OLE link or a link to another workbook.
  std::vector<std::string_view> external_reference_kinds;

  std::string_view kind_of_external_reference(std::string_view number) const;
};

// Cleans `document`, the content of `part`. Returns false when nothing is left worth
// writing (a calculation chain whose every cell lost its formula).
bool clean_xml_part(pugi::xml_document& document, const PlannedPart& part, const Options& options,
                    Findings& findings, WorkbookFacts& facts);

}  // namespace sanitize::formats::ooxml
