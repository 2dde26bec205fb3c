#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "formats/text/char_reader.hpp"
#include "formats/text/csv_cells.hpp"
#include "formats/text/text_encoding.hpp"
#include "formats/text/text_format.hpp"
#include "sanitize/engine.hpp"

namespace {

using namespace std::string_view_literals;
using sanitize::formats::text::CellAction;
using sanitize::formats::text::CharReader;
using sanitize::formats::text::detect_encoding;
using sanitize::formats::text::Encoding;
using sanitize::formats::text::FormulaCell;
using sanitize::formats::text::TextChar;

std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string text_of(const std::vector<std::uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

std::string utf16(std::u16string_view text, bool little_endian) {
  std::string bytes;
  for (const char16_t unit : text) {
    const char high = static_cast<char>(unit >> 8);
    const char low = static_cast<char>(unit & 0xFF);
    bytes += little_endian ? low : high;
    bytes += little_endian ? high : low;
  }
  return bytes;
}

struct Defused {
  std::string text;
  std::vector<FormulaCell> cells;
};

Defused defuse(std::string_view text, Encoding encoding, char delimiter = ',',
               CellAction action = CellAction::neutralize) {
  Defused result;
  std::vector<std::uint8_t> out;
  const std::size_t found = sanitize::formats::text::neutralize_formula_cells(
      bytes_of(text), encoding, delimiter,
      [&](const FormulaCell& cell) {
        result.cells.push_back(cell);
        return action;
      },
      [] {}, out);
  CHECK(found == result.cells.size());
  result.text = text_of(out);
  return result;
}

// Defuses, then checks that defusing the output again finds nothing and changes nothing.
std::string defuse_twice(std::string_view text, Encoding encoding, char delimiter = ',',
                         CellAction action = CellAction::neutralize) {
  const Defused first = defuse(text, encoding, delimiter, action);
  const Defused second = defuse(first.text, encoding, delimiter, action);
  CHECK(second.cells.empty());
  CHECK(second.text == first.text);
  return first.text;
}

}  // namespace

TEST_CASE("detects each accepted encoding") {
  CHECK(detect_encoding(bytes_of("plain ascii, 12\r\n")) == Encoding::ascii);
  CHECK(detect_encoding(bytes_of("")) == Encoding::ascii);
  CHECK(detect_encoding(bytes_of("日本語のテキスト\n")) == Encoding::utf8);
  CHECK(detect_encoding(bytes_of("\xEF\xBB\xBF日本語\n")) == Encoding::utf8_bom);
  CHECK(detect_encoding(bytes_of(utf16(u"\uFEFFテキスト\r\n", true))) == Encoding::utf16le);
  CHECK(detect_encoding(bytes_of(utf16(u"\uFEFFテキスト\r\n", false))) == Encoding::utf16be);
  // こんにちは and the circled digit ① (NEC row 13, refused by glibc's own ISO-2022-JP).
  CHECK(detect_encoding(bytes_of("\x1B$B$3$s$K$A$O\x1B(B \x1B$B-!\x1B(B\r\n")) ==
        Encoding::iso2022jp);
  // お知らせ ～ ① ｶﾅ: the wave dash and circled digit strict Shift_JIS refuses.
  CHECK(detect_encoding(bytes_of("\x82\xA8\x92m\x82\xE7\x82\xB9 \x81` \x87@ \xB6\xC5\r\n")) ==
        Encoding::cp932);
  // お知らせです。
  CHECK(detect_encoding(bytes_of("\xA4\xAA\xC3\xCE\xA4\xE9\xA4\xBB\xA4\xC7\xA4\xB9\xA1\xA3\n")) ==
        Encoding::eucjp);
  CHECK(detect_encoding(bytes_of("Caf\xE9 na\xEFve \x80 5\r\n")) == Encoding::windows1252);
}

TEST_CASE("CP932 wins over EUC-JP unless the EUC-JP reading has more kana") {
  // ｱｲ: valid in both (EUC-JP reads a kanji); no kana either way, so CP932.
  CHECK(detect_encoding(bytes_of("\xB1\xB2\r\n")) == Encoding::cp932);
  // あい in EUC-JP (CP932 reads four half-width katakana).
  CHECK(detect_encoding(bytes_of("\xA4\xA2\xA4\xA4\n")) == Encoding::eucjp);
}

TEST_CASE("refuses bytes that are not text") {
  CHECK_FALSE(detect_encoding(bytes_of("hello\0world"sv)));
  CHECK_FALSE(detect_encoding(bytes_of("bell\x07")));
  CHECK_FALSE(detect_encoding(bytes_of("vertical\x0Btab")));
  CHECK_FALSE(detect_encoding(bytes_of("delete\x7F")));
  CHECK_FALSE(detect_encoding(bytes_of("end\x1Amore")));
  CHECK(detect_encoding(bytes_of("dos end of file\r\n\x1A")) == Encoding::ascii);
  CHECK(detect_encoding(bytes_of("form\ffeed\ttab\r\n")) == Encoding::ascii);
  // ESC only as part of ISO-2022-JP, and never next to 8-bit bytes.
  CHECK_FALSE(detect_encoding(bytes_of("\x1B[31mred\x1B[0m")));
  CHECK_FALSE(detect_encoding(bytes_of("\x1B$B0!\x1B(B \xE6\x97\xA5")));
  CHECK_FALSE(detect_encoding(bytes_of("\x1B$B0")));  // half a kanji
  CHECK_FALSE(detect_encoding(bytes_of("\xEF\xBB\xBF\xFF")));
  CHECK_FALSE(
      detect_encoding(bytes_of("\xFF\xFE"
                               "A")));                           // odd UTF-16
  CHECK_FALSE(detect_encoding(bytes_of("\xFF\xFE\x00\xD8"sv)));  // lone surrogate
  CHECK_FALSE(detect_encoding(bytes_of(utf16(u"\uFEFFa\u0001", true))));
  CHECK_FALSE(
      detect_encoding(bytes_of("A\x00"
                               "B\x00"sv)));  // UTF-16 needs its BOM
  CHECK_FALSE(detect_encoding(bytes_of("\x81\x8D\x8F\x90\x9D")));
}

TEST_CASE("the CP932 reader keeps trail bytes 0x40 and 0x5C inside their character") {
  // ァ (0x83 0x40), ソ (0x83 0x5C), ＝ (0x81 0x81), the ideographic space, then a comma.
  const auto text = bytes_of("\x83\x40\x83\x5C\x81\x81\x81\x40,");
  CharReader reader(Encoding::cp932, text);
  TextChar c;
  REQUIRE(reader.next(c));
  CHECK(c.size == 2);
  CHECK(c.ascii == 0);
  CHECK(c.reads_as == 0);
  REQUIRE(reader.next(c));
  CHECK(c.offset == 2);
  CHECK(c.size == 2);
  CHECK(c.ascii == 0);
  REQUIRE(reader.next(c));
  CHECK(c.reads_as == '=');
  REQUIRE(reader.next(c));
  CHECK(c.reads_as == ' ');
  REQUIRE(reader.next(c));
  CHECK(c.ascii == ',');
  CHECK_FALSE(reader.next(c));
  // A cell that starts with ァ has no '@' at its start.
  CHECK(defuse("\x83\x40SUM(1),\x83\x5C\r\n", Encoding::cp932).cells.empty());
}

TEST_CASE("the ISO-2022-JP reader tracks its character set") {
  const auto text = bytes_of("a\x1B$B0!=1\x1B(B=");
  CharReader reader(Encoding::iso2022jp, text);
  TextChar c;
  REQUIRE(reader.next(c));
  CHECK(c.ascii == 'a');
  REQUIRE(reader.next(c));
  CHECK(c.is_shift);
  CHECK_FALSE(reader.writes_ascii());
  REQUIRE(reader.next(c));
  CHECK(c.size == 2);
  REQUIRE(reader.next(c));  // "=1" is a kanji here
  CHECK(c.ascii == 0);
  REQUIRE(reader.next(c));
  CHECK(c.is_shift);
  CHECK(reader.writes_ascii());
  REQUIRE(reader.next(c));
  CHECK(c.ascii == '=');
}

TEST_CASE("the UTF-16 reader steps in units and pairs") {
  const std::string text = utf16(u"=\U0001F600,", true);
  CharReader reader(Encoding::utf16le, bytes_of(text));
  TextChar c;
  REQUIRE(reader.next(c));
  CHECK(c.ascii == '=');
  REQUIRE(reader.next(c));
  CHECK(c.size == 4);
  REQUIRE(reader.next(c));
  CHECK(c.ascii == ',');
}

TEST_CASE("which cell values are formulas") {
  struct Case {
    std::string_view value;
    bool formula;
  };
  const Case cases[] = {
      {"-12", false},
      {"+81-3-1234-5678", false},
      {"-1.5e3", false},
      {"+1,234.5", false},
      {"-0.5%", false},
      {"+1e+5", false},
      {"-(12)", false},
      {"-1/2", false},
      {"- 12", false},
      {"-", false},
      {"+", false},
      {"-  ", false},
      {"－", false},
      {"－12", false},
      {"12", false},
      {"abc", false},
      {"'=1+1", false},
      {"a=1", false},
      {"", false},
      {"=1+1", true},
      {"=", true},
      {"@SUM(A1)", true},
      {"@", true},
      {"-2+3+cmd|' /C calc'!A0", true},
      {"+1+cmd|' /C calc'!A0", true},
      {"+A1", true},
      {"-e5", true},
      {"-1e", true},
      {"-1e+", true},
      {"-12円", true},
      {"-１２", true},
      {"-%", true},
      {"-\t5", true},
      {" =1+1", true},
      {"\t=1+1", true},
      {"\r=1+1", true},
      {"\r\n@x", true},
      {"＝SUM(1)", true},
      {"＠x", true},
      {"　=1", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.value);
    CHECK(sanitize::formats::text::is_formula(c.value) == c.formula);
  }
}

TEST_CASE("neutralizes unquoted and quoted cells") {
  CHECK(defuse_twice("a,=1+1\r\n", Encoding::ascii) == "a,'=1+1\r\n");
  CHECK(defuse_twice("\"=1+1\",b", Encoding::ascii) == "\"'=1+1\",b");
  CHECK(defuse_twice("\t=1+1,x", Encoding::ascii) == "'\t=1+1,x");
  CHECK(defuse_twice(" =1+1,x", Encoding::ascii) == "' =1+1,x");
  CHECK(defuse_twice("\"\r=1\",x", Encoding::ascii) == "\"'\r=1\",x");
  CHECK(defuse_twice("\"\"=1+1,x", Encoding::ascii) == "\"'\"=1+1,x");
  CHECK(defuse_twice("\"=SUM(1,2)\r\n+1\",x", Encoding::ascii) == "\"'=SUM(1,2)\r\n+1\",x");
  // A doubled quote first: the value starts with a quote, not a formula.
  CHECK(defuse("\"\"\"=1\"", Encoding::ascii).cells.empty());
  // A quote after leading blanks does not open a quoted cell.
  CHECK(defuse_twice(" \"=1\"", Encoding::ascii) == " \"=1\"");
  CHECK(defuse_twice("-12,+81-3-1234-5678,-,+\r\n", Encoding::ascii) ==
        "-12,+81-3-1234-5678,-,+\r\n");
}

TEST_CASE("numbers rows and columns as records") {
  const Defused result = defuse("a,b\r\n\"x\r\ny\",=1\rz,@2\n\n,,+A1", Encoding::ascii);
  REQUIRE(result.cells.size() == 3);
  CHECK(result.cells[0].row == 2);
  CHECK(result.cells[0].column == 2);
  CHECK(result.cells[1].row == 3);
  CHECK(result.cells[1].column == 2);
  CHECK(result.cells[2].row == 5);
  CHECK(result.cells[2].column == 3);
  CHECK(result.text == "a,b\r\n\"x\r\ny\",'=1\rz,'@2\n\n,,'+A1");
}

TEST_CASE("TSV cells are split by tabs only") {
  CHECK(defuse_twice("a\t=1+1\n=2,3\t-12\n", Encoding::ascii, '\t') == "a\t'=1+1\n'=2,3\t-12\n");
  CHECK(defuse_twice("\"\t=1\"\tx", Encoding::ascii, '\t') == "\"'\t=1\"\tx");
}

TEST_CASE("neutralizes in UTF-8 with a BOM and in UTF-16") {
  CHECK(defuse_twice("\xEF\xBB\xBF=1,a", Encoding::utf8_bom) == "\xEF\xBB\xBF'=1,a");
  CHECK(defuse_twice(utf16(u"\uFEFF=1,\"@x\"", true), Encoding::utf16le) ==
        utf16(u"\uFEFF'=1,\"'@x\"", true));
  CHECK(defuse_twice(utf16(u"\uFEFFa\t－1+A1", false), Encoding::utf16be, '\t') ==
        utf16(u"\uFEFFa\t'－1+A1", false));
}

TEST_CASE("neutralizes in CP932 and EUC-JP") {
  // 表,＝SUM(1) / "　=1",ソ: full-width equals, an ideographic space before =.
  CHECK(defuse_twice("\x95\\,\x81\x81SUM(1)\r\n\"\x81@=1\",\x83\\\r\n", Encoding::cp932) ==
        "\x95\\,'\x81\x81SUM(1)\r\n\"'\x81@=1\",\x83\\\r\n");
  CHECK(defuse_twice("\xA4\xA2,\xA1\xE1"
                     "1\n",
                     Encoding::eucjp) ==
        "\xA4\xA2,'\xA1\xE1"
        "1\n");
}

TEST_CASE("neutralizes in ISO-2022-JP, switching to ASCII where a cell starts in kanji") {
  CHECK(defuse_twice("\x1B$B0!\x1B(B,=1\r\n", Encoding::iso2022jp) == "\x1B$B0!\x1B(B,'=1\r\n");
  // The tab is read in the kanji set, so the next cell starts there with ＝ (0x21 0x61).
  const std::string neutralized =
      defuse_twice("\x1B$B0!\t!a0!\x1B(B\r\n", Encoding::iso2022jp, '\t');
  CHECK(neutralized == "\x1B$B0!\t\x1B(B'\x1B$B!a0!\x1B(B\r\n");
  CHECK(detect_encoding(bytes_of(neutralized)) == Encoding::iso2022jp);
  // The cell starts in kanji but its value starts after a switch to ASCII.
  CHECK(defuse_twice("\x1B$B0!\t\x1B(B=1\r\n", Encoding::iso2022jp, '\t') ==
        "\x1B$B0!\t\x1B(B'\x1B$B\x1B(B=1\r\n");
}

TEST_CASE("remove empties the cell and keeps its quotes") {
  CHECK(defuse_twice("a,=1+1,b\r\n", Encoding::ascii, ',', CellAction::remove) == "a,,b\r\n");
  CHECK(defuse_twice("\"=1,2\"x,b", Encoding::ascii, ',', CellAction::remove) == "\"\",b");
  CHECK(defuse_twice("a,\"=1,2", Encoding::ascii, ',', CellAction::remove) == "a,\"");
  CHECK(defuse_twice(utf16(u"\uFEFF\"=1\",b", true), Encoding::utf16le, ',', CellAction::remove) ==
        utf16(u"\uFEFF\"\",b", true));
  // The removed value switched to kanji: the switch is kept for what follows.
  CHECK(defuse_twice("=1\x1B$B0!\t0!\x1B(B\n", Encoding::iso2022jp, '\t', CellAction::remove) ==
        "\x1B$B\t0!\x1B(B\n");
}

TEST_CASE("an unterminated quote makes the rest of the file the last cell") {
  const Defused result = defuse("a,\"=cmd|' /C calc'!A0\r\n2,=3\r\n", Encoding::ascii);
  REQUIRE(result.cells.size() == 1);
  CHECK(result.cells[0].row == 1);
  CHECK(result.cells[0].column == 2);
  CHECK(result.text == "a,\"'=cmd|' /C calc'!A0\r\n2,=3\r\n");
  CHECK(defuse_twice("a,\"x\r\n=1", Encoding::ascii).find('\'') == std::string::npos);
}

TEST_CASE("previews are UTF-8 with controls escaped and long values cut") {
  CHECK(defuse("\x81\x81SUM(1)", Encoding::cp932).cells.at(0).preview == "＝SUM(1)");
  CHECK(defuse("\x1B$B!a\x1B(B1", Encoding::iso2022jp).cells.at(0).preview == "＝1");
  CHECK(defuse("\"\t=1\r\n\"", Encoding::ascii).cells.at(0).preview == "\\t=1\\r\\n");
  CHECK(defuse("\"=\"\"x\"\"\"", Encoding::ascii).cells.at(0).preview == "=\"x\"");
  const std::string long_value = "=" + std::string(60, '1');
  CHECK(defuse(long_value, Encoding::ascii).cells.at(0).preview == long_value.substr(0, 40) + "…");
}

TEST_CASE("calls the progress hook on big inputs") {
  std::string text;
  while (text.size() < 300 * 1024) text += "=1+1,-12,abc\r\n";
  std::size_t calls = 0;
  std::vector<std::uint8_t> out;
  const std::size_t found = sanitize::formats::text::neutralize_formula_cells(
      bytes_of(text), Encoding::ascii, ',',
      [](const FormulaCell&) { return CellAction::neutralize; }, [&] { ++calls; }, out);
  CHECK(found == text.size() / 14);
  CHECK(calls >= 4);
}

namespace {

sanitize::Result run(const sanitize::Engine& engine, std::string_view bytes,
                     std::string_view name) {
  return engine.sanitize(bytes_of(bytes), name);
}

const sanitize::Engine& default_engine() {
  static const sanitize::Engine engine(sanitize::Policy::defaults(),
                                       {&sanitize::formats::text_format()});
  return engine;
}

}  // namespace

TEST_CASE("the engine neutralizes a formula CSV and keeps plain numbers") {
  const auto input = "id,payload,amount,phone\r\n1,=cmd|' /C calc'!A0,-12,+81-3-1234-5678\r\n"sv;
  const auto result = run(default_engine(), input, "list.csv");
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  CHECK(result.report.detected_type == "csv");
  CHECK(result.output_name == "list.csv");
  CHECK(text_of(result.output) ==
        "id,payload,amount,phone\r\n1,'=cmd|' /C calc'!A0,-12,+81-3-1234-5678\r\n");
  REQUIRE(result.report.findings.size() == 1);
  const auto& finding = result.report.findings[0];
  CHECK(finding.kind == "csv.formula");
  CHECK(finding.location == "row 2, column 2");
  CHECK(finding.action == sanitize::Action::neutralized);
  CHECK(finding.detail == "=cmd|' /C calc'!A0");

  const auto again = default_engine().sanitize(result.output, "list.csv");
  CHECK(again.verdict == sanitize::Verdict::clean);
  CHECK(again.output == result.output);
}

TEST_CASE("the engine keeps a CP932 CSV byte for byte") {
  const auto input = "\x8E\x81\x96\xBC,\x94\xF5\x8Dl\r\n\x95\\,\x81`\x87@\xB6\xC5,-12\r\n"sv;
  const auto result = run(default_engine(), input, "meibo.csv");
  REQUIRE(result.verdict == sanitize::Verdict::clean);
  CHECK(text_of(result.output) == input);
  CHECK(result.report.description.find("CP932") != std::string::npos);
}

TEST_CASE("the engine keeps plain text as it is") {
  const auto input = "=cmd|' /C calc'!A0\r\n@SUM(1)\r\n"sv;
  const auto result = run(default_engine(), input, "notes.txt");
  REQUIRE(result.verdict == sanitize::Verdict::clean);
  CHECK(result.report.detected_type == "txt");
  CHECK(text_of(result.output) == input);
  CHECK(run(default_engine(), "a\tb\n=1\t2\n", "data.tab").report.detected_type == "tsv");
  CHECK(run(default_engine(), "text\n", "README").verdict == sanitize::Verdict::clean);
}

TEST_CASE("the engine blocks scripts named as scripts, and bytes that are not text") {
  const auto vbs =
      run(default_engine(), "MsgBox \"x\"\r\nCreateObject(\"WScript.Shell\").Run \"calc\"\r\n",
          "invoice.vbs");
  CHECK(vbs.verdict == sanitize::Verdict::blocked);
  CHECK(vbs.report.block_reason == sanitize::BlockReason::extension_not_allowed);
  CHECK(vbs.output.empty());
  for (const auto name : {"run.js", "a.bat", "a.ps1", "a.cmd", "a.wsf", "a.slk", "a.iqy"}) {
    CAPTURE(name);
    CHECK(run(default_engine(), "echo\r\n", name).report.block_reason ==
          sanitize::BlockReason::extension_not_allowed);
  }
  const auto binary = run(default_engine(), "\x01\x02\x03\xFF\xFE\x00\x10"sv, "data.txt");
  CHECK(binary.report.block_reason == sanitize::BlockReason::unknown_type);
  const auto sylk = run(default_engine(), "ID;N;E\r\nC;Y1;X1;K0;EEXEC(\"calc\")\r\nE\r\n", "x.csv");
  CHECK(sylk.report.block_reason == sanitize::BlockReason::unknown_type);
}

TEST_CASE("text that turns into binary past libmagic's window is blocked") {
  // libmagic judges text on the first 8 KiB only; the module checks every byte.
  std::string half_text;
  while (half_text.size() < 64 * 1024) half_text += "minutes of the meeting\r\n";
  for (const auto tail : {"\x00\x01\x7F"
                          "ELF"sv,
                          "\x1B\x00"sv, "\x1A more"sv}) {
    CAPTURE(tail);
    const auto result = run(default_engine(), half_text + std::string(tail), "report.txt");
    CHECK(result.verdict == sanitize::Verdict::blocked);
    CHECK(result.report.block_reason == sanitize::BlockReason::unknown_type);
    CHECK(result.output.empty());
  }
  CHECK(run(default_engine(), half_text + "\x1A", "report.txt").verdict ==
        sanitize::Verdict::clean);
}

TEST_CASE("the engine passes an empty file clean") {
  const auto result = run(default_engine(), ""sv, "empty.txt");
  CHECK(result.verdict == sanitize::Verdict::clean);
  CHECK(result.output.empty());
  CHECK(run(default_engine(), ""sv, "empty.csv").verdict == sanitize::Verdict::clean);
}

TEST_CASE("the policy may remove formula cells or block their files") {
  sanitize::Policy remove = sanitize::Policy::defaults();
  remove.elements["csv.formula"] = sanitize::ElementAction::remove;
  const sanitize::Engine removing(remove, {&sanitize::formats::text_format()});
  const auto removed = run(removing, "a,\"=1+1\",b\r\n", "x.csv");
  REQUIRE(removed.verdict == sanitize::Verdict::sanitized);
  CHECK(text_of(removed.output) == "a,\"\",b\r\n");
  CHECK(removed.report.findings.at(0).action == sanitize::Action::removed);

  sanitize::Policy block = sanitize::Policy::defaults();
  block.elements["csv.formula"] = sanitize::ElementAction::block;
  const sanitize::Engine blocking(block, {&sanitize::formats::text_format()});
  const auto blocked = run(blocking, "a,@SUM(1)\r\n", "x.csv");
  CHECK(blocked.verdict == sanitize::Verdict::blocked);
  CHECK(blocked.report.block_reason == sanitize::BlockReason::active_content);
}

TEST_CASE("the engine lists the first thousand formula cells and counts the rest") {
  std::string input;
  for (int row = 0; row < 1500; ++row) input += "=1\n";
  const auto result = run(default_engine(), input, "many.csv");
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  REQUIRE(result.report.findings.size() == 1001);
  const auto& summary = result.report.findings.back();
  CHECK(summary.kind == "csv.formula");
  CHECK(summary.action == sanitize::Action::neutralized);
  CHECK(summary.location == "row 1001, column 1 to row 1500, column 1");
  CHECK(summary.detail == "500 more formula cells, not listed one by one");
  CHECK(std::count(result.output.begin(), result.output.end(), '\'') == 1500);
}
