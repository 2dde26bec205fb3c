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
};

struct FormulaAssessment {
  FormulaRisk risk = FormulaRisk::none;
  // The function, the DDE application, or the number of the external workbook.
  std::string what;
};

// Reads past string literals ("...") and quoted sheet names ('...').
FormulaAssessment assess_formula(std::string_view formula);

}  // namespace sanitize::formats::ooxml
