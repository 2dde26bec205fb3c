// Which encoding a text file is in, validated over the whole file with glibc's iconv.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace sanitize::formats::text {

enum class Encoding {
  ascii,
  utf8,
  utf8_bom,
  utf16le,  // only with a BOM
  utf16be,  // only with a BOM
  iso2022jp,
  cp932,
  eucjp,
  windows1252,
};

// "CP932", "UTF-8 (BOM)"...: the name reports show.
std::string_view encoding_name(Encoding encoding);
// The reverse of encoding_name.
std::optional<Encoding> encoding_from_name(std::string_view name);
// Bytes of the byte order mark the text starts with (0 for most encodings).
std::size_t bom_size(Encoding encoding);
// What iconv decodes the encoding's bytes with (ISO-2022-JP is decoded through EUC-JP:
// see append_iso2022jp_as_eucjp).
const char* iconv_name(Encoding encoding);

// The encoding of `bytes`, or nullopt when they are not text in an accepted encoding:
// invalid sequences, NUL, or control characters other than tab, line feed, carriage return,
// form feed and one 0x1A (DOS end of file) as the very last character. ESC passes only as
// part of ISO-2022-JP's escape sequences. Tried in this order: a BOM (UTF-8, UTF-16LE/BE);
// ASCII; ISO-2022-JP (7-bit with escape sequences); UTF-8; CP932 and EUC-JP (see
// prefer_eucjp in the implementation when both fit); Windows-1252 for Western text.
// Throws std::runtime_error when iconv cannot open a converter.
std::optional<Encoding> detect_encoding(std::span<const std::uint8_t> bytes);

}  // namespace sanitize::formats::text
