// Test files for the text module: every accepted encoding kept byte for byte, formula cells
// in CSV and TSV, scripts that are "just text" under names text may not carry, and bytes
// that are not text at all. Japanese text in legacy encodings is written out as bytes so
// that the files do not depend on any converter.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "formats/text/text_format.hpp"

namespace sanitize::formats {
namespace {

using namespace std::string_view_literals;
using corpus::blocked;
using corpus::Expectation;

Expectation clean(std::vector<std::string> checks = {"same_bytes"}) {
  return Expectation{"clean", "", {}, std::move(checks)};
}

Expectation formulas(std::vector<std::string> checks = {"csv_no_formula"}) {
  return Expectation{"sanitized", "", {"csv.formula"}, std::move(checks)};
}

std::vector<std::uint8_t> utf16(std::u16string_view text, bool little_endian) {
  std::vector<std::uint8_t> bytes;
  for (const char16_t unit : text) {
    const auto high = static_cast<std::uint8_t>(unit >> 8);
    const auto low = static_cast<std::uint8_t>(unit & 0xFF);
    bytes.push_back(little_endian ? low : high);
    bytes.push_back(little_endian ? high : low);
  }
  return bytes;
}

void add_encodings(corpus::Writer& writer) {
  writer.add("text/utf8.txt", "請求書のご案内\nお世話になっております。\n合計: 12,000円\n", clean(),
             "UTF-8 text without BOM");
  // お知らせ ～ 波ダッシュ ① 丸数字 ｶﾀｶﾅ 半角カナ / 表示 ソフト 能力 ァ: wave dash 0x8160,
  // circled digit 0x8740, half-width katakana, trail bytes 0x5C and 0x40.
  writer.add("text/cp932.txt",
             "\x82\xA8\x92m\x82\xE7\x82\xB9 \x81` \x94g\x83_\x83"
             "b\x83V\x83\x85 \x87@ \x8A\xDB\x90\x94\x8E\x9A \xB6\xC0\xB6\xC5 \x94\xBC\x8Ap\x83J"
             "\x83i\r\n"
             "\x95\\\x8E\xA6 \x83\\\x83t\x83g \x94\\\x97\xCD \x83@\r\n"sv,
             clean(), "CP932 text with a wave dash, circled digits and half-width katakana");
  // 氏名,フリガナ,金額,電話,備考 / 山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,-12,+81-3-1234-5678,～① /
  // 表示,"ソ","1,234",ァ,②～③: a quoted ソ ends in 0x5C right before the closing quote.
  writer.add("text/cp932.csv",
             "\x8E\x81\x96\xBC,\x83t\x83\x8A\x83K\x83i,\x8B\xE0\x8Az,\x93"
             "d\x98"
             "b,\x94\xF5\x8Dl\r\n"
             "\x8ER\x93"
             "c \x91\xBE\x98Y,\xD4\xCF\xC0\xDE \xC0\xDB\xB3,-12,+81-3-1234-5678,\x81`\x87@\r\n"
             "\x95\\\x8E\xA6,\"\x83\\\",\"1,234\",\x83@,\x87"
             "A\x81`\x87"
             "B\r\n"sv,
             clean({"same_bytes", "csv_no_formula"}),
             "CP932 CSV as Excel writes it: wave dash, circled digits, half-width katakana, "
             "plain numbers");
  // お知らせ：EUC-JP の文章です。半角ｶﾅも含みます。
  writer.add("text/eucjp.txt",
             "\xA4\xAA\xC3\xCE\xA4\xE9\xA4\xBB\xA1\xA7"
             "EUC-JP \xA4\xCE\xCA\xB8\xBE\xCF\xA4\xC7\xA4\xB9\xA1\xA3\xC8\xBE\xB3\xD1\x8E\xB6\x8E"
             "\xC5\xA4\xE2\xB4\xDE\xA4\xDF\xA4\xDE\xA4\xB9\xA1\xA3\n"sv,
             clean(), "EUC-JP text with half-width katakana");
  // こんにちは、ISO-2022-JP の文章です。
  writer.add("text/iso2022jp.txt",
             "\x1B$B$3$s$K$A$O!\"\x1B(BISO-2022-JP \x1B$B$NJ8>O$G$9!#\x1B(B\r\n"sv, clean(),
             "ISO-2022-JP text");
  writer.add("text/utf16le.txt", utf16(u"\uFEFFUTF-16 のテキストです。\r\n", true), clean(),
             "UTF-16LE text with BOM");
  writer.add("text/utf16be.txt", utf16(u"\uFEFFUTF-16 のテキストです。\r\n", false), clean(),
             "UTF-16BE text with BOM");
  writer.add("text/windows1252.txt", "Caf\xE9 na\xEFve \x80 5\r\n"sv, clean(),
             "Windows-1252 Western text");
  writer.add("text/utf8-bom.csv", "\xEF\xBB\xBF名前,値\r\nりんご,-12\r\nみかん,+81-3-1234-5678\r\n",
             clean({"same_bytes", "csv_no_formula"}), "UTF-8 CSV with BOM, plain numbers");
  writer.add("text/numbers.csv",
             "value,phone,note\r\n-12,+81-3-1234-5678,ok\r\n-1.5e3,\"+1,234.5\",(12)\r\n"
             "-0.5%,+1e+5,1/2\r\n",
             clean({"same_bytes", "csv_no_formula"}), "CSV of plain signed numbers only");
  writer.add("text/empty.txt", ""sv, clean(), "empty text file");
}

void add_formulas(corpus::Writer& writer) {
  writer.add("text/formula.csv",
             "id,payload,amount,phone\r\n"
             "1,=cmd|' /C calc'!A0,-12,+81-3-1234-5678\r\n"
             "2,@SUM(1+1)*cmd|' /C calc'!A0,-1.5e3,\"+1,234.5\"\r\n"
             "3,+1+cmd|' /C calc'!A0,-2+3+cmd|' /C calc'!A0,+A1\r\n"
             "4,\t=HYPERLINK(\"http://example.invalid/x\"),\"\t=1+1\",\" =1+1\"\r\n"
             "5,\"=SUM(1,2)\r\n+cmd|' /C calc'!A0\",\"\r=2+5\",ok\r\n"
             "6,\"\"=1+1,=,@\r\n",
             formulas(),
             "formulas (DDE, @, +, -, after a tab, a CR or a space, quoted with a comma and a "
             "line break) next to plain numbers -12 and +81-3-1234-5678");
  // 氏名,備考,金額 / 山田,=cmd|' /C calc'!A0,-12 / 表示,＝SUM(1+1),+81-3-1234-5678 /
  // 佐藤,"　=1+1",①～ (a full-width equals sign; an ideographic space before =)
  writer.add("text/formula-cp932.csv",
             "\x8E\x81\x96\xBC,\x94\xF5\x8Dl,\x8B\xE0\x8Az\r\n"
             "\x8ER\x93"
             "c,=cmd|' /C calc'!A0,-12\r\n"
             "\x95\\\x8E\xA6,\x81\x81SUM(1+1),+81-3-1234-5678\r\n"
             "\x8D\xB2\x93\xA1,\"\x81@=1+1\",\x87@\x81`\r\n"sv,
             formulas(), "CP932 CSV with formulas, a full-width one among them");
  writer.add("text/formula.tsv",
             "name\tvalue\tphone\r\n=1+1\t-12\t+81-3-1234-5678\r\n"
             "@SUM(A1)\t\"=cmd|' /C calc'!A0\"\t+A1\r\n",
             formulas(), "TSV with formulas next to plain numbers");
  writer.add("text/bom-formula.csv", "\xEF\xBB\xBF=HYPERLINK(\"http://example.invalid\"),-12\r\n",
             formulas(), "UTF-8 CSV with BOM whose very first cell is a formula");
  // 名前,式 / 山田,=1+1 / 佐藤,-12
  writer.add(
      "text/formula-iso2022jp.csv",
      "\x1B$BL>A0\x1B(B,\x1B$B<0\x1B(B\r\n\x1B$B;3ED\x1B(B,=1+1\r\n\x1B$B:4F#\x1B(B,-12\r\n"sv,
      formulas(), "ISO-2022-JP CSV with a formula");
  writer.add("text/formula-utf16.csv", utf16(u"\uFEFF名前,値\r\n山田,=1+1\r\n佐藤,-12\r\n", true),
             formulas({}), "UTF-16LE CSV with a formula");
  writer.add("text/unterminated.csv", "a,b\r\n1,\"=cmd|' /C calc'!A0\r\n2,3\r\n", formulas(),
             "a quote never closed: the rest of the file is the last cell, still neutralized");
}

void add_refused(corpus::Writer& writer) {
  writer.add("text/invoice.vbs", "MsgBox \"x\"\r\nCreateObject(\"WScript.Shell\").Run \"calc\"\r\n",
             blocked("extension_not_allowed"), "VBScript: text, under a name text may not carry");
  writer.add("text/run.js",
             "var shell = new ActiveXObject(\"WScript.Shell\");\r\nshell.Run(\"calc\");\r\n",
             blocked("extension_not_allowed"), "JScript for Windows Script Host");
  writer.add("text/a.bat", "@echo off\r\nstart calc.exe\r\n", blocked("extension_not_allowed"),
             "batch file");
  writer.add("text/a.ps1", "Start-Process calc.exe\r\n", blocked("extension_not_allowed"),
             "PowerShell script");
  writer.add("text/x.reg",
             "Windows Registry Editor Version 5.00\r\n\r\n"
             "[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n"
             "\"calc\"=\"calc.exe\"\r\n",
             blocked("extension_not_allowed"), "registry file");
  // libmagic names these three as HTML, an Internet shortcut and a setup script, not as
  // text, so whichever module takes them (or none) decides the reason: any block will do.
  writer.add("text/a.hta",
             "<html><head><script language=\"VBScript\">\r\n"
             "CreateObject(\"WScript.Shell\").Run \"calc\"\r\n</script></head></html>\r\n",
             blocked(""), "HTML application");
  writer.add("text/x.url", "[InternetShortcut]\r\nURL=file://192.0.2.1/share/x.exe\r\n",
             blocked(""), "Internet shortcut to a remote program");
  writer.add("text/x.inf",
             "[Version]\r\nSignature=\"$CHICAGO$\"\r\n\r\n[DefaultInstall]\r\n"
             "RunPreSetupCommands=calc\r\n",
             blocked(""), "setup information file");
  writer.add("text/sylk.csv", "ID;N;E\r\nC;Y1;X1;K0;EEXEC(\"calc\")\r\nE\r\n",
             blocked("unknown_type"), "SYLK named .csv: Excel would run its EXEC formula");
  writer.add("text/nul.txt", "hello\0world\r\n"sv, blocked("unknown_type"), "text with a NUL");
  std::vector<std::uint8_t> garbage(512);
  for (std::size_t i = 0; i < garbage.size(); ++i) {
    garbage[i] = static_cast<std::uint8_t>((i * 37 + 11) % 256);
  }
  writer.add("text/garbage.txt", garbage, blocked("unknown_type"), "binary bytes named .txt");
}

}  // namespace

void generate_text_corpus(corpus::Writer& writer) {
  add_encodings(writer);
  add_formulas(writer);
  add_refused(writer);
}

}  // namespace sanitize::formats
