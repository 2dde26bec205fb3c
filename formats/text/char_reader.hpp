// Steps through encoded text one whole character at a time, on the original bytes, so that
// a delimiter, a quote or a formula sign is recognized only where it is a character of its
// own (a CP932 trail byte may be 0x40 '@' or 0x5C '\', an ISO-2022-JP kanji is two bytes
// in 0x21-0x7E, UTF-16 comes in 2-byte units).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "formats/text/text_encoding.hpp"

namespace sanitize::formats::text {

// The character sets ISO-2022-JP switches between with escape sequences.
enum class Iso2022Set { ascii, jis_roman, jis_katakana, jis_x0208, jis_x0212 };

struct TextChar {
  std::size_t offset = 0;
  std::size_t size = 0;
  // The ASCII character this is; 0 for NUL and anything not ASCII (JIS-Roman's yen sign
  // and overline are not).
  char ascii = 0;
  // What Japanese Excel takes it for: the ASCII character itself, or the ASCII twin of a
  // full-width form (＝ reads as =, the ideographic space as a space); 0 for the rest.
  char reads_as = 0;
  // An ISO-2022-JP escape sequence: it switches the character set and is no character.
  bool is_shift = false;
  // Not a character of the encoding: the reader stepped over one byte (one unit in UTF-16).
  bool invalid = false;
};

class CharReader {
 public:
  CharReader(Encoding encoding, std::span<const std::uint8_t> bytes, std::size_t start = 0);

  // Reads the next character; false at the end of the bytes.
  bool next(TextChar& out);
  std::size_t position() const { return position_; }
  bool at_end() const { return position_ >= bytes_.size(); }

  // ISO-2022-JP: the character set in effect, and the escape sequence that selected it
  // (empty before the first one). Other encodings stay in `ascii`.
  Iso2022Set iso2022_set() const { return set_; }
  std::span<const std::uint8_t> set_escape() const { return set_escape_; }
  // Whether a quote or an apostrophe written at position() reads as itself.
  bool writes_ascii() const { return set_ == Iso2022Set::ascii || set_ == Iso2022Set::jis_roman; }

 private:
  void read_utf8(TextChar& out);
  void read_utf16(TextChar& out, bool little_endian);
  void read_cp932(TextChar& out);
  void read_eucjp(TextChar& out);
  void read_iso2022jp(TextChar& out);

  Encoding encoding_;
  std::span<const std::uint8_t> bytes_;
  std::size_t position_;
  Iso2022Set set_ = Iso2022Set::ascii;
  std::span<const std::uint8_t> set_escape_;
};

// Appends the EUC-JP bytes of an ISO-2022-JP character read while `set` was in effect
// (what glibc's EUC-JP-MS decodes, including the NEC row 13 of circled digits that glibc's
// ISO-2022-JP refuses). Shifts and invalid characters append nothing.
void append_iso2022jp_as_eucjp(const TextChar& c, Iso2022Set set,
                               std::span<const std::uint8_t> bytes, std::string& out);

}  // namespace sanitize::formats::text
