#include "formats/text/csv_cells.hpp"

#include <algorithm>
#include <optional>

#include "formats/common/iconv_converter.hpp"

namespace sanitize::formats::text {
namespace {

constexpr std::size_t kPreviewChars = 40;
constexpr std::size_t kProgressBytes = 64 * 1024;

bool is_blank(const TextChar& c) {
  return c.reads_as == ' ' || c.ascii == '\t' || c.ascii == '\r' || c.ascii == '\n';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_number_punctuation(char c) {
  switch (c) {
    case '.':
    case ',':
    case ' ':
    case '-':
    case '+':
    case '/':
    case '(':
    case ')':
    case '%':
      return true;
    default:
      return false;
  }
}

// The first characters of a cell value, in the file's encoding (ISO-2022-JP as EUC-JP),
// decoded only when the cell turns out to be a formula.
struct Preview {
  std::string bytes;
  std::size_t chars = 0;
  bool truncated = false;
};

class FormulaCellScanner {
 public:
  FormulaCellScanner(std::span<const std::uint8_t> text, Encoding encoding, char delimiter,
                     const CellDecider& decide, const ProgressHook& progress,
                     std::vector<std::uint8_t>& out)
      : text_(text),
        encoding_(encoding),
        delimiter_(delimiter),
        decide_(decide),
        progress_(progress),
        out_(out) {}

  std::size_t run();

 private:
  enum class CellEnd { delimiter, line, input };

  // Where a cell's value starts and ends, with the ISO-2022-JP escape sequence in effect
  // at both ends (the only places where an edit may need one).
  struct Cell {
    bool quoted = false;
    std::size_t value_start = 0;
    bool value_start_writes_ascii = true;
    std::span<const std::uint8_t> value_start_escape;
    std::optional<TextChar> closing_quote;
    std::size_t value_end = 0;
    std::span<const std::uint8_t> value_end_escape;
    FormulaDetector detector;
    Preview preview;
  };

  bool next_char(CharReader& reader, TextChar& c);
  bool next_is(const CharReader& reader, char ascii, CharReader& after);
  CellEnd read_cell(CharReader& reader, Cell& cell);
  void add_to_value(Cell& cell, const TextChar& c, Iso2022Set set);
  void defuse(const Cell& cell, std::size_t row, std::size_t column);
  void copy_until(std::size_t offset);
  void append(std::span<const std::uint8_t> bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  std::string show(const Preview& preview);

  std::span<const std::uint8_t> text_;
  Encoding encoding_;
  char delimiter_;
  const CellDecider& decide_;
  const ProgressHook& progress_;
  std::vector<std::uint8_t>& out_;
  std::size_t copied_ = 0;
  std::size_t next_progress_ = kProgressBytes;
  std::size_t formulas_ = 0;
  std::optional<IconvConverter> preview_decoder_;
};

std::size_t FormulaCellScanner::run() {
  out_.clear();
  out_.reserve(text_.size() + text_.size() / 64 + 16);
  CharReader reader(encoding_, text_, bom_size(encoding_));
  std::size_t row = 1;
  std::size_t column = 1;
  while (!reader.at_end()) {
    Cell cell;
    const CellEnd end = read_cell(reader, cell);
    if (cell.detector.is_formula()) defuse(cell, row, column);
    if (end == CellEnd::delimiter) {
      ++column;
    } else {
      ++row;
      column = 1;
    }
  }
  copy_until(text_.size());
  return formulas_;
}

// Reads the next character, stepping over ISO-2022-JP's escape sequences: they change no
// value, and the reader keeps the character set they select.
bool FormulaCellScanner::next_char(CharReader& reader, TextChar& c) {
  if (reader.position() >= next_progress_) {
    next_progress_ = reader.position() + kProgressBytes;
    progress_();
  }
  while (reader.next(c)) {
    if (!c.is_shift) return true;
  }
  return false;
}

bool FormulaCellScanner::next_is(const CharReader& reader, char ascii, CharReader& after) {
  after = reader;
  TextChar c;
  return next_char(after, c) && c.ascii == ascii;
}

// A quote opens a quoted value only as the cell's first character; inside, a doubled
// quote stands for one, and what follows the closing quote up to the delimiter is appended
// as it is (Excel and Python's csv do the same). A quote that is never closed makes the
// rest of the file the last cell's value, as Excel reads it: nothing is blocked, and the
// value is still defused when it starts a formula.
FormulaCellScanner::CellEnd FormulaCellScanner::read_cell(CharReader& reader, Cell& cell) {
  CharReader after = reader;
  cell.quoted = next_is(reader, '"', after);
  if (cell.quoted) reader = after;
  cell.value_start = reader.position();
  cell.value_start_writes_ascii = reader.writes_ascii();
  cell.value_start_escape = reader.set_escape();
  bool in_quotes = cell.quoted;
  TextChar c;
  while (true) {
    if (!next_char(reader, c)) {
      cell.value_end = text_.size();
      cell.value_end_escape = reader.set_escape();
      return CellEnd::input;
    }
    const Iso2022Set set = reader.iso2022_set();
    if (in_quotes) {
      if (c.ascii != '"') {
        add_to_value(cell, c, set);
      } else if (next_is(reader, '"', after)) {
        add_to_value(cell, c, set);
        reader = after;
      } else {
        in_quotes = false;
        cell.closing_quote = c;
      }
      continue;
    }
    CellEnd end = CellEnd::line;
    if (c.ascii == delimiter_) {
      end = CellEnd::delimiter;
    } else if (c.ascii == '\r') {
      if (next_is(reader, '\n', after)) reader = after;
    } else if (c.ascii != '\n') {
      add_to_value(cell, c, set);
      continue;
    }
    cell.value_end = c.offset;
    cell.value_end_escape = reader.set_escape();
    return end;
  }
}

void FormulaCellScanner::add_to_value(Cell& cell, const TextChar& c, Iso2022Set set) {
  cell.detector.feed(c);
  Preview& preview = cell.preview;
  if (!cell.detector.may_be_formula()) return;
  if (preview.chars == kPreviewChars) {
    preview.truncated = true;
    return;
  }
  ++preview.chars;
  if (encoding_ == Encoding::iso2022jp) {
    append_iso2022jp_as_eucjp(c, set, text_, preview.bytes);
  } else {
    preview.bytes.append(reinterpret_cast<const char*>(text_.data() + c.offset), c.size);
  }
}

void FormulaCellScanner::defuse(const Cell& cell, std::size_t row, std::size_t column) {
  ++formulas_;
  const CellAction action = decide_(FormulaCell{row, column, show(cell.preview)});
  copy_until(cell.value_start);
  if (action == CellAction::neutralize) {
    if (encoding_ == Encoding::utf16le) {
      out_.insert(out_.end(), {'\'', 0});
    } else if (encoding_ == Encoding::utf16be) {
      out_.insert(out_.end(), {0, '\''});
    } else if (cell.value_start_writes_ascii) {
      out_.push_back('\'');
    } else {
      // An ISO-2022-JP cell may start in a two-byte set (after a tab or a line break
      // written in it): the quote is written in ASCII, then the set is restored.
      out_.insert(out_.end(), {0x1B, '(', 'B', '\''});
      append(cell.value_start_escape);
    }
    return;
  }
  if (cell.closing_quote) {
    append(text_.subspan(cell.closing_quote->offset, cell.closing_quote->size));
  }
  // Escape sequences inside the removed value may have changed the ISO-2022-JP set that
  // the rest of the file is read in: the last one is kept.
  if (!std::ranges::equal(cell.value_start_escape, cell.value_end_escape)) {
    append(cell.value_end_escape);
  }
  copied_ = cell.value_end;
}

void FormulaCellScanner::copy_until(std::size_t offset) {
  if (offset <= copied_) return;
  append(text_.subspan(copied_, offset - copied_));
  copied_ = offset;
}

std::string FormulaCellScanner::show(const Preview& preview) {
  if (!preview_decoder_) preview_decoder_.emplace("UTF-8", iconv_name(encoding_));
  std::string decoded;
  const auto bytes =
      std::span(reinterpret_cast<const std::uint8_t*>(preview.bytes.data()), preview.bytes.size());
  const bool valid = preview_decoder_->convert_to_string(bytes, decoded);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string shown;
  for (const char c : valid ? decoded : preview.bytes) {
    const auto byte = static_cast<std::uint8_t>(c);
    if (c == '\t') {
      shown += "\\t";
    } else if (c == '\r') {
      shown += "\\r";
    } else if (c == '\n') {
      shown += "\\n";
    } else if (byte < 0x20 || byte == 0x7F || (!valid && byte >= 0x80)) {
      shown += "\\x";
      shown += kHex[byte >> 4];
      shown += kHex[byte & 0xF];
    } else {
      shown += c;
    }
  }
  if (preview.truncated) shown += "…";
  return shown;
}

}  // namespace

void FormulaDetector::feed(const TextChar& c) {
  switch (stage_) {
    case Stage::leading:
      if (is_blank(c)) return;
      if (c.reads_as == '=' || c.reads_as == '@') {
        stage_ = Stage::formula;
      } else if (c.reads_as == '+' || c.reads_as == '-') {
        stage_ = Stage::after_sign;
      } else {
        stage_ = Stage::text;
      }
      return;
    case Stage::after_sign:
      blank_after_sign_ = blank_after_sign_ && is_blank(c);
      if (plain_number_) feed_number(c.ascii);
      return;
    case Stage::formula:
    case Stage::text:
      return;
  }
}

void FormulaDetector::feed_number(char c) {
  const bool digit = is_digit(c);
  if (exponent_ == Exponent::after_e && (c == '+' || c == '-')) {
    exponent_ = Exponent::after_e_sign;
    return;
  }
  if (exponent_ != Exponent::none) {
    plain_number_ = digit;
    exponent_ = Exponent::none;
    after_digit_ = true;
    return;
  }
  if (digit) {
    has_digit_ = true;
    after_digit_ = true;
    return;
  }
  if ((c == 'e' || c == 'E') && after_digit_) {
    exponent_ = Exponent::after_e;
  } else {
    plain_number_ = is_number_punctuation(c);
  }
  after_digit_ = false;
}

bool FormulaDetector::is_formula() const {
  switch (stage_) {
    case Stage::formula:
      return true;
    case Stage::after_sign:
      return !blank_after_sign_ && !(plain_number_ && has_digit_ && exponent_ == Exponent::none);
    case Stage::leading:
    case Stage::text:
      return false;
  }
  return false;
}

bool is_formula(std::string_view utf8_value) {
  const auto bytes =
      std::span(reinterpret_cast<const std::uint8_t*>(utf8_value.data()), utf8_value.size());
  CharReader reader(Encoding::utf8, bytes);
  FormulaDetector detector;
  TextChar c;
  while (reader.next(c)) detector.feed(c);
  return detector.is_formula();
}

std::size_t neutralize_formula_cells(std::span<const std::uint8_t> text, Encoding encoding,
                                     char delimiter, const CellDecider& decide,
                                     const ProgressHook& progress, std::vector<std::uint8_t>& out) {
  return FormulaCellScanner(text, encoding, delimiter, decide, progress, out).run();
}

}  // namespace sanitize::formats::text
