// CSV/TSV cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, also after
// leading blanks), found on the original bytes and defused in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "formats/text/char_reader.hpp"
#include "formats/text/text_encoding.hpp"

namespace sanitize::formats::text {

// Decides, one character of a cell's value at a time, whether a spreadsheet takes the cell
// for a formula. Blanks (space, tab, CR, LF, the ideographic space) before the first
// character are skipped. `=` and `@` (also full-width) start a formula. `+` and `-` do too,
// unless all that follows is blank (a lone sign) or a plain number: digits with `.` `,`
// space `-` `+` `/` `(` `)` `%`, and an exponent (`e` or `E` right after a digit, then an
// optional sign and digits), holding at least one digit and nothing else. So `-12`,
// `+81-3-1234-5678` and `-1.5e3` stay, `-2+3+cmd|' /C calc'!A0` and `+A1` do not.
class FormulaDetector {
 public:
  void feed(const TextChar& c);
  bool is_formula() const;
  // False once the value is known to be text, whatever follows.
  bool may_be_formula() const { return stage_ != Stage::text; }

 private:
  enum class Stage { leading, after_sign, formula, text };
  enum class Exponent { none, after_e, after_e_sign };
  void feed_number(char c);

  Stage stage_ = Stage::leading;
  bool blank_after_sign_ = true;
  bool plain_number_ = true;
  bool has_digit_ = false;
  bool after_digit_ = false;
  Exponent exponent_ = Exponent::none;
};

// The same decision for a whole cell value given as UTF-8.
bool is_formula(std::string_view utf8_value);

enum class CellAction { neutralize, remove };

struct FormulaCell {
  std::size_t row = 0;     // 1-based record number (a quoted line break stays in its record)
  std::size_t column = 0;  // 1-based
  std::string preview;     // the value's first characters as UTF-8, controls escaped
};

using CellDecider = std::function<CellAction(const FormulaCell&)>;
using ProgressHook = std::function<void()>;

// Copies `text` (valid in `encoding`) to `out`, changing only formula cells, each as
// `decide` says: neutralize puts a single quote in front of the value (right after the
// opening quote of a quoted cell, before any leading blank of an unquoted one), so the
// spreadsheet shows it as text; remove empties the cell and keeps its quotes. Records are
// read as RFC 4180 says (quoted fields, doubled quotes, line breaks in quotes; CR, LF and
// CRLF end a record). Calls `progress` about every 64 KiB. Returns the formula cells found.
std::size_t neutralize_formula_cells(std::span<const std::uint8_t> text, Encoding encoding,
                                     char delimiter, const CellDecider& decide,
                                     const ProgressHook& progress, std::vector<std::uint8_t>& out);

}  // namespace sanitize::formats::text
