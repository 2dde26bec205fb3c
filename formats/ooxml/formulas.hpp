// Spreadsheet formulas that reach outside the workbook when Excel calculates them.
#pragma once

#include <string>
#include <string_view>

namespace sanitize::formats::ooxml {

enum class FormulaRisk {
  none,
  dde,                 // app|topic!item: Excel starts `app` (cmd|'/c calc'!A0)
  external_call,       // RTD, CALL, REGISTER, EXEC, WEBSERVICE, IMAGE: servers, DLLs, URLs
  external_reference,  // [1]Sheet1!A1: a cell of another workbook
  unsafe_hyperlink,    // HYPERLINK to a file:, UNC or computed target
};

struct FormulaAssessment {
  FormulaRisk risk = FormulaRisk::none;
  // The function, the DDE application, or the number of the external workbook.
  std::string what;
};

// Reads past string literals ("...") and quoted sheet names ('...').
FormulaAssessment assess_formula(std::string_view formula);

// The finding kind of a formula removed for `risk`, other than an external reference (whose
// kind depends on the link part that names the workbook).
std::string_view formula_kind(FormulaRisk risk);

}  // namespace sanitize::formats::ooxml
