#include "formats/text/text_encoding.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>

#include "formats/common/iconv_converter.hpp"
#include "formats/text/char_reader.hpp"

namespace sanitize::formats::text {
namespace {

struct NamedEncoding {
  Encoding encoding;
  std::string_view name;
};

constexpr std::array<NamedEncoding, 9> kEncodingNames{{
    {Encoding::ascii, "ASCII"},
    {Encoding::utf8, "UTF-8"},
    {Encoding::utf8_bom, "UTF-8 (BOM)"},
    {Encoding::utf16le, "UTF-16LE"},
    {Encoding::utf16be, "UTF-16BE"},
    {Encoding::iso2022jp, "ISO-2022-JP"},
    {Encoding::cp932, "CP932"},
    {Encoding::eucjp, "EUC-JP"},
    {Encoding::windows1252, "Windows-1252"},
}};

constexpr std::uint8_t kEscape = 0x1B;
constexpr std::uint8_t kDosEndOfFile = 0x1A;
// ISO-2022-JP is transcoded to EUC-JP and validated in pieces of about this size.
constexpr std::size_t kTranscodePiece = 64 * 1024;

// glibc's EUC-JP-MS knows the NEC and IBM extensions Windows writes; plain EUC-JP does not.
const char* eucjp_iconv_name() {
  static const char* const name =
      IconvConverter::available("UTF-32LE", "EUC-JP-MS") ? "EUC-JP-MS" : "EUC-JP";
  return name;
}

// Watches decoded characters for what text must not hold, and counts the kana that tell
// EUC-JP from CP932.
class TextRules {
 public:
  void feed(char32_t code) {
    if (after_end_of_file_) acceptable_ = false;
    if (code == kDosEndOfFile) {
      after_end_of_file_ = true;
    } else if (code < 0x20) {
      acceptable_ = acceptable_ && (code == '\t' || code == '\n' || code == '\r' || code == '\f');
    } else if (code == 0x7F || code > 0x10FFFF) {
      acceptable_ = false;
    } else if (code >= 0x3041 && code <= 0x30FF) {
      ++kana_;
    }
  }
  void feed_utf32le(std::span<const std::uint8_t> piece) {
    for (std::size_t i = 0; i + 4 <= piece.size(); i += 4) {
      feed(static_cast<char32_t>(piece[i]) | static_cast<char32_t>(piece[i + 1]) << 8 |
           static_cast<char32_t>(piece[i + 2]) << 16 | static_cast<char32_t>(piece[i + 3]) << 24);
    }
  }
  bool acceptable() const { return acceptable_; }
  std::size_t kana() const { return kana_; }

 private:
  bool acceptable_ = true;
  bool after_end_of_file_ = false;
  std::size_t kana_ = 0;
};

// Decodes `bytes` from `iconv_code`: nullopt when they are not text in it, else the number
// of full-width kana they hold.
std::optional<std::size_t> decode_as_text(const char* iconv_code,
                                          std::span<const std::uint8_t> bytes) {
  IconvConverter converter("UTF-32LE", iconv_code);
  TextRules rules;
  const bool valid = converter.convert(
      bytes, [&rules](std::span<const std::uint8_t> piece) { rules.feed_utf32le(piece); });
  if (!valid || !rules.acceptable()) return std::nullopt;
  return rules.kana();
}

bool is_iso2022jp_text(std::span<const std::uint8_t> bytes) {
  IconvConverter converter("UTF-32LE", eucjp_iconv_name());
  TextRules rules;
  const auto validate = [&](const std::string& eucjp) {
    const auto piece = std::span(reinterpret_cast<const std::uint8_t*>(eucjp.data()), eucjp.size());
    return converter.convert(
        piece, [&rules](std::span<const std::uint8_t> decoded) { rules.feed_utf32le(decoded); });
  };
  CharReader reader(Encoding::iso2022jp, bytes);
  std::string eucjp;
  TextChar c;
  while (reader.next(c)) {
    if (c.invalid) return false;
    append_iso2022jp_as_eucjp(c, reader.iso2022_set(), bytes, eucjp);
    if (eucjp.size() >= kTranscodePiece) {
      if (!validate(eucjp)) return false;
      eucjp.clear();
    }
  }
  return validate(eucjp) && rules.acceptable();
}

// TextRules over bytes below 0x80, as a table: the common case is checked at memory speed.
constexpr std::array<bool, 128> kAsciiTextBytes = [] {
  std::array<bool, 128> allowed{};
  for (std::size_t b = 0x20; b < 0x7F; ++b) allowed[b] = true;
  for (const std::size_t b : {'\t', '\n', '\r', '\f'}) allowed[b] = true;
  return allowed;
}();

// 7-bit bytes, without escape sequences: plain ASCII when every byte is text and a DOS
// end-of-file mark comes, if at all, last. Empty bytes are ASCII text.
bool is_plain_ascii_text(std::span<const std::uint8_t> bytes) {
  if (!bytes.empty() && bytes.back() == kDosEndOfFile) bytes = bytes.first(bytes.size() - 1);
  return std::all_of(bytes.begin(), bytes.end(),
                     [](std::uint8_t b) { return b < 0x80 && kAsciiTextBytes[b]; });
}

bool starts_with(std::span<const std::uint8_t> bytes, std::initializer_list<std::uint8_t> prefix) {
  return bytes.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

std::optional<Encoding> if_text(bool is_text, Encoding encoding) {
  return is_text ? std::optional(encoding) : std::nullopt;
}

// When the bytes are valid both as CP932 and as EUC-JP. This happens when every byte
// above 0x7F falls into 0xA1-0xFE pairs, which CP932 reads as half-width katakana and
// kanji. Japanese prose is full of hiragana and katakana; EUC-JP writes them with leads
// 0xA4/0xA5, which CP932 can only read as half-width katakana, while CP932 writes them with
// leads 0x82/0x83, which are not EUC-JP at all. So EUC-JP is chosen when its reading holds
// more full-width kana than the CP932 reading, and CP932 otherwise: ties (kanji-only text,
// runs of half-width katakana from legacy systems) go to what Windows writes. Only the
// encoding named in reports and previews depends on it: in both readings every byte below
// 0x80 is a character of its own, so cells and formulas are found the same way.
bool prefer_eucjp(std::size_t eucjp_kana, std::size_t cp932_kana) {
  return eucjp_kana > cp932_kana;
}

}  // namespace

std::string_view encoding_name(Encoding encoding) {
  for (const auto& named : kEncodingNames) {
    if (named.encoding == encoding) return named.name;
  }
  return "unknown";
}

std::optional<Encoding> encoding_from_name(std::string_view name) {
  for (const auto& named : kEncodingNames) {
    if (named.name == name) return named.encoding;
  }
  return std::nullopt;
}

std::size_t bom_size(Encoding encoding) {
  switch (encoding) {
    case Encoding::utf8_bom:
      return 3;
    case Encoding::utf16le:
    case Encoding::utf16be:
      return 2;
    default:
      return 0;
  }
}

const char* iconv_name(Encoding encoding) {
  switch (encoding) {
    case Encoding::ascii:
    case Encoding::utf8:
    case Encoding::utf8_bom:
      return "UTF-8";
    case Encoding::utf16le:
      return "UTF-16LE";
    case Encoding::utf16be:
      return "UTF-16BE";
    case Encoding::cp932:
      return "CP932";
    case Encoding::iso2022jp:
    case Encoding::eucjp:
      return eucjp_iconv_name();
    case Encoding::windows1252:
      return "WINDOWS-1252";
  }
  return "UTF-8";
}

std::optional<Encoding> detect_encoding(std::span<const std::uint8_t> bytes) {
  if (starts_with(bytes, {0xEF, 0xBB, 0xBF})) {
    return if_text(decode_as_text("UTF-8", bytes.subspan(3)).has_value(), Encoding::utf8_bom);
  }
  if (starts_with(bytes, {0xFF, 0xFE})) {
    return if_text(decode_as_text("UTF-16LE", bytes.subspan(2)).has_value(), Encoding::utf16le);
  }
  if (starts_with(bytes, {0xFE, 0xFF})) {
    return if_text(decode_as_text("UTF-16BE", bytes.subspan(2)).has_value(), Encoding::utf16be);
  }
  if (is_plain_ascii_text(bytes)) return Encoding::ascii;
  if (std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b < 0x80; })) {
    if (std::find(bytes.begin(), bytes.end(), kEscape) == bytes.end()) return std::nullopt;
    return if_text(is_iso2022jp_text(bytes), Encoding::iso2022jp);
  }
  if (decode_as_text("UTF-8", bytes)) return Encoding::utf8;
  const auto cp932_kana = decode_as_text("CP932", bytes);
  const auto eucjp_kana = decode_as_text(eucjp_iconv_name(), bytes);
  if (cp932_kana && eucjp_kana) {
    return prefer_eucjp(*eucjp_kana, *cp932_kana) ? Encoding::eucjp : Encoding::cp932;
  }
  if (cp932_kana) return Encoding::cp932;
  if (eucjp_kana) return Encoding::eucjp;
  return if_text(decode_as_text("WINDOWS-1252", bytes).has_value(), Encoding::windows1252);
}

}  // namespace sanitize::formats::text
