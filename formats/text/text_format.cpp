#include "formats/text/text_format.hpp"

#include <array>
#include <string>
#include <utility>

#include "formats/text/csv_cells.hpp"
#include "formats/text/text_encoding.hpp"

namespace sanitize::formats {
namespace {

constexpr std::string_view kFormulaKind = "csv.formula";

enum class Dialect { txt, csv, tsv };

// Within the text family the declared extension picks the dialect; any other extension is
// claimed as txt, so the engine blocks names that txt may not carry (.vbs, .js, .bat...).
Dialect dialect_of_extension(std::string_view extension) {
  if (extension == "csv") return Dialect::csv;
  if (extension == "tsv" || extension == "tab") return Dialect::tsv;
  return Dialect::txt;
}

Dialect dialect_of_type(std::string_view type_id) {
  if (type_id == "csv") return Dialect::csv;
  if (type_id == "tsv") return Dialect::tsv;
  return Dialect::txt;
}

std::string type_of(Dialect dialect) {
  switch (dialect) {
    case Dialect::csv:
      return "csv";
    case Dialect::tsv:
      return "tsv";
    case Dialect::txt:
      return "txt";
  }
  return "txt";
}

// Excel opens a file whose first bytes are "ID" followed by a SYLK record separator as
// SYLK, whose cells carry formulas (EXEC, CALL) that no CSV rule sees: such a .csv is not
// CSV. libmagic names most of these application/x-sylk already.
bool looks_like_sylk(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 3 && bytes[0] == 'I' && bytes[1] == 'D' &&
         (bytes[2] == ';' || bytes[2] == '\r' || bytes[2] == '\n');
}

std::string cell_location(std::size_t row, std::size_t column) {
  return "row " + std::to_string(row) + ", column " + std::to_string(column);
}

// One finding per formula cell, through the policy, up to kListedFormulas; the cells after
// those get the same action and one finding that counts them, so that a file of millions
// of formulas cannot swell its report without bound.
constexpr std::size_t kListedFormulas = 1000;

class FormulaFindings {
 public:
  explicit FormulaFindings(Context& ctx) : ctx_(ctx) {}

  text::CellAction add(const text::FormulaCell& cell) {
    if (listed_ < kListedFormulas) {
      ++listed_;
      action_ = ctx_.element(kFormulaKind, cell_location(cell.row, cell.column), cell.preview);
    } else {
      if (unlisted_ == 0) first_unlisted_ = cell_location(cell.row, cell.column);
      last_unlisted_ = {cell.row, cell.column};
      ++unlisted_;
    }
    return action_ == ElementAction::remove ? text::CellAction::remove
                                            : text::CellAction::neutralize;
  }

  void finish() {
    if (unlisted_ == 0) return;
    ctx_.add_finding(Finding{
        std::string(kFormulaKind),
        first_unlisted_ + " to " + cell_location(last_unlisted_.first, last_unlisted_.second),
        action_ == ElementAction::remove ? Action::removed : Action::neutralized,
        std::to_string(unlisted_) + " more formula cells, not listed one by one"});
  }

 private:
  Context& ctx_;
  ElementAction action_ = ElementAction::neutralize;
  std::size_t listed_ = 0;
  std::size_t unlisted_ = 0;
  std::string first_unlisted_;
  std::pair<std::size_t, std::size_t> last_unlisted_;  // row, column
};

class TextFormat final : public Format {
 public:
  std::string_view name() const override { return "text"; }
  std::span<const TypeSpec> types() const override { return types_; }
  std::span<const FindingKindSpec> finding_kinds() const override { return kinds_; }
  std::optional<Claim> claim(const Probe& probe) const override;
  void rebuild(const Claim& claim, Context& ctx) const override;

 private:
  const std::array<TypeSpec, 3> types_{{
      {.id = "txt", .display_name = "Plain text", .extensions = {"txt", "text", "log", "md", ""}},
      {.id = "csv", .display_name = "CSV text", .extensions = {"csv"}},
      {.id = "tsv", .display_name = "TSV text", .extensions = {"tsv", "tab"}},
  }};
  const std::array<FindingKindSpec, 1> kinds_{{
      {.id = std::string(kFormulaKind),
       .summary_en = "spreadsheet formula in a CSV/TSV cell",
       .summary_ja = "CSV/TSV のセル先頭の数式",
       .default_action = ElementAction::neutralize,
       .neutralizable = true},
  }};
};

std::optional<Claim> TextFormat::claim(const Probe& probe) const {
  // A generic claim on the text family: modules that recognize mail, RTF or HTML in text
  // claim it specifically and win.
  if (probe.family != Family::text && probe.family != Family::empty) return std::nullopt;
  const auto encoding = text::detect_encoding(probe.bytes);
  if (!encoding) return std::nullopt;
  const Dialect dialect = dialect_of_extension(probe.declared_extension);
  if (dialect != Dialect::txt && looks_like_sylk(probe.bytes)) return std::nullopt;
  return Claim{type_of(dialect), ClaimStrength::generic,
               std::string(text::encoding_name(*encoding))};
}

void TextFormat::rebuild(const Claim& claim, Context& ctx) const {
  const auto input = ctx.input();
  std::vector<std::uint8_t>& output = ctx.output();
  // The claim names the encoding it validated; detection runs again only without it.
  auto encoding = text::encoding_from_name(claim.detail);
  if (!encoding) encoding = text::detect_encoding(input);
  if (!encoding) throw Blocked(BlockReason::unknown_type, "not text in an accepted encoding");

  const Dialect dialect = dialect_of_type(claim.type_id);
  if (dialect == Dialect::txt) {
    output.assign(input.begin(), input.end());
    return;
  }
  FormulaFindings findings(ctx);
  const auto decide = [&findings](const text::FormulaCell& cell) { return findings.add(cell); };
  const auto progress = [&ctx] { ctx.check_deadline(); };
  text::neutralize_formula_cells(input, *encoding, dialect == Dialect::csv ? ',' : '\t', decide,
                                 progress, output);
  findings.finish();
}

}  // namespace

const Format& text_format() {
  static const TextFormat format;
  return format;
}

}  // namespace sanitize::formats
