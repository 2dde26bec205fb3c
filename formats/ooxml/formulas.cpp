#include "formats/ooxml/formulas.hpp"

#include <array>
#include <optional>

#include "formats/common/charset.hpp"
#include "formats/common/formula_links.hpp"
#include "formats/ooxml/rules.hpp"

namespace sanitize::formats::ooxml {
namespace {

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

// Functions that call out of the workbook, without the _xlfn./_xludf. prefixes Office adds.
constexpr std::array<std::string_view, 7> kCallingFunctions{
    "RTD", "CALL", "REGISTER", "REGISTER.ID", "EXEC", "WEBSERVICE", "IMAGE"};

std::string_view without_function_prefix(std::string_view name) {
  for (const std::string_view prefix : {"_XLFN.", "_XLUDF.", "_XLWS."}) {
    if (name.starts_with(prefix)) return name.substr(prefix.size());
  }
  return name;
}

// "[1]" at `at`: a reference to external workbook 1 ("[0]" is this workbook). Returns
// the number.
std::optional<std::string> external_book_index(std::string_view formula, std::size_t at) {
  if (at >= formula.size() || formula[at] != '[') return std::nullopt;
  std::size_t i = at + 1;
  bool nonzero = false;
  while (i < formula.size() && formula[i] >= '0' && formula[i] <= '9') {
    nonzero = nonzero || formula[i] != '0';
    ++i;
  }
  if (!nonzero || i >= formula.size() || formula[i] != ']') return std::nullopt;
  return std::string(formula.substr(at + 1, i - at - 1));
}

}  // namespace

FormulaAssessment assess_formula(std::string_view formula) {
  FormulaAssessment found;
  const auto raise = [&found](FormulaRisk risk, std::string what) {
    // DDE first, then calls, then references: the most dangerous reading names the finding.
    if (found.risk == FormulaRisk::none || static_cast<int>(risk) < static_cast<int>(found.risk)) {
      found.risk = risk;
      found.what = std::move(what);
    }
  };
  if (has_unsafe_hyperlink_call(formula)) raise(FormulaRisk::unsafe_hyperlink, "HYPERLINK");
  std::size_t token_start = std::string_view::npos;
  for (std::size_t i = 0; i < formula.size(); ++i) {
    const char c = formula[i];
    if (c == '"') {
      i = closing_quote(formula, i);
      token_start = std::string_view::npos;
      continue;
    }
    if (c == '\'') {
      // A quoted sheet name, perhaps '[1]Sheet 1'!A1 or a DDE topic: cmd|'/c calc'!A0.
      if (auto book = external_book_index(formula, i + 1)) {
        raise(FormulaRisk::external_reference, std::move(*book));
      }
      i = closing_quote(formula, i);
      token_start = std::string_view::npos;
      continue;
    }
    if (c == '|') {
      const std::size_t start = token_start == std::string_view::npos ? i : token_start;
      raise(FormulaRisk::dde, std::string(formula.substr(start, i - start)));
      token_start = std::string_view::npos;
      continue;
    }
    if (c == '[' && token_start == std::string_view::npos) {
      if (auto book = external_book_index(formula, i)) {
        raise(FormulaRisk::external_reference, std::move(*book));
      }
    }
    if (identifier_char(c)) {
      if (token_start == std::string_view::npos) token_start = i;
      continue;
    }
    if (c == '(' && token_start != std::string_view::npos) {
      const std::string name = ascii_upper(formula.substr(token_start, i - token_start));
      const std::string_view bare = without_function_prefix(name);
      for (const auto function : kCallingFunctions) {
        if (bare == function) raise(FormulaRisk::external_call, std::string(function));
      }
    }
    token_start = std::string_view::npos;
  }
  return found;
}

std::string_view formula_kind(FormulaRisk risk) {
  return risk == FormulaRisk::unsafe_hyperlink ? kind::unsafe_hyperlink : kind::dde_formula;
}

}  // namespace sanitize::formats::ooxml
