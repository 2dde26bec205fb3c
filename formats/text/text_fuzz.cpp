// libFuzzer target: encoding detection, the character readers and the formula cell scanner
// on arbitrary bytes. Traps when a reader loses bytes, when a defused output stops being
// text in its encoding, or when defusing it again would change it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "formats/text/char_reader.hpp"
#include "formats/text/csv_cells.hpp"
#include "formats/text/text_encoding.hpp"

namespace {

using namespace sanitize::formats::text;

constexpr std::array<Encoding, 9> kEncodings{
    Encoding::ascii,   Encoding::utf8,    Encoding::utf8_bom,
    Encoding::utf16le, Encoding::utf16be, Encoding::iso2022jp,
    Encoding::cp932,   Encoding::eucjp,   Encoding::windows1252,
};

std::size_t defuse(std::span<const std::uint8_t> bytes, Encoding encoding, char delimiter,
                   CellAction action, std::vector<std::uint8_t>& out) {
  return neutralize_formula_cells(
      bytes, encoding, delimiter, [action](const FormulaCell&) { return action; }, [] {}, out);
}

void check_reader(std::span<const std::uint8_t> bytes, Encoding encoding) {
  CharReader reader(encoding, bytes);
  TextChar c;
  std::size_t covered = 0;
  while (reader.next(c)) {
    if (c.size == 0 || c.offset != covered) __builtin_trap();
    covered += c.size;
  }
  if (covered != bytes.size()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  std::vector<std::uint8_t> once;
  std::vector<std::uint8_t> twice;
  // Whatever the bytes, no reader or scanner may step out of them.
  for (const Encoding encoding : kEncodings) {
    check_reader(bytes, encoding);
    defuse(bytes, encoding, ',', CellAction::neutralize, once);
  }

  const auto encoding = detect_encoding(bytes);
  if (!encoding) return 0;
  for (const char delimiter : {',', '\t'}) {
    for (const CellAction action : {CellAction::neutralize, CellAction::remove}) {
      defuse(bytes, *encoding, delimiter, action, once);
      const auto detected_again = detect_encoding(once);
      // Neutralizing only inserts ASCII next to ASCII: the encoding cannot change. Removing
      // may take away the bytes that told CP932 from EUC-JP, but never leaves non-text.
      if (!detected_again) __builtin_trap();
      if (action == CellAction::neutralize && *detected_again != *encoding) __builtin_trap();
      if (defuse(once, *encoding, delimiter, action, twice) != 0 || twice != once) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
