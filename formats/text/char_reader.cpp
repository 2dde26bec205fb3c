#include "formats/text/char_reader.hpp"

#include <array>

namespace sanitize::formats::text {
namespace {

constexpr std::uint8_t kEscape = 0x1B;

bool in_range(std::uint8_t byte, std::uint8_t low, std::uint8_t high) {
  return byte >= low && byte <= high;
}

// The full-width forms Japanese Excel reads as the ASCII characters that start a formula,
// and the ideographic space it skips like a space. Other characters read as nothing.
char unicode_reads_as(char32_t code) {
  if (code < 0x80) return static_cast<char>(code);
  switch (code) {
    case 0x3000:
      return ' ';
    case 0xFF0B:
      return '+';
    case 0xFF0D:
      return '-';
    case 0xFF1D:
      return '=';
    case 0xFF20:
      return '@';
    default:
      return 0;
  }
}

// The same characters in JIS X 0208 (all in row 1), by their two 0x21-0x7E bytes.
char jis_reads_as(std::uint8_t row, std::uint8_t cell) {
  if (row != 0x21) return 0;
  switch (cell) {
    case 0x21:
      return ' ';
    case 0x5C:
      return '+';
    case 0x5D:
      return '-';
    case 0x61:
      return '=';
    case 0x77:
      return '@';
    default:
      return 0;
  }
}

void set_ascii(TextChar& out, std::uint8_t byte) {
  out.size = 1;
  out.ascii = static_cast<char>(byte);
  out.reads_as = out.ascii;
}

void set_invalid(TextChar& out, std::size_t size) {
  out.size = size;
  out.invalid = true;
}

struct Iso2022Escape {
  std::array<std::uint8_t, 3> tail;  // the bytes after ESC, 0-padded
  std::size_t size;                  // including ESC
  Iso2022Set set;
  bool selects_set;  // ESC & @ only announces the 1990 revision of JIS X 0208
};

constexpr std::array<Iso2022Escape, 7> kIso2022Escapes{{
    {{'(', 'B', 0}, 3, Iso2022Set::ascii, true},
    {{'(', 'J', 0}, 3, Iso2022Set::jis_roman, true},
    {{'(', 'I', 0}, 3, Iso2022Set::jis_katakana, true},
    {{'$', '@', 0}, 3, Iso2022Set::jis_x0208, true},
    {{'$', 'B', 0}, 3, Iso2022Set::jis_x0208, true},
    {{'$', '(', 'D'}, 4, Iso2022Set::jis_x0212, true},
    {{'&', '@', 0}, 3, Iso2022Set::ascii, false},
}};

}  // namespace

CharReader::CharReader(Encoding encoding, std::span<const std::uint8_t> bytes, std::size_t start)
    : encoding_(encoding), bytes_(bytes), position_(start) {}

bool CharReader::next(TextChar& out) {
  if (at_end()) return false;
  out = TextChar{};
  out.offset = position_;
  const std::uint8_t byte = bytes_[position_];
  // Below 0x80 a byte is its ASCII character, except in UTF-16 and ISO-2022-JP.
  if (byte < 0x80 && encoding_ != Encoding::utf16le && encoding_ != Encoding::utf16be &&
      encoding_ != Encoding::iso2022jp) {
    set_ascii(out, byte);
    ++position_;
    return true;
  }
  switch (encoding_) {
    case Encoding::ascii:
    case Encoding::utf8:
    case Encoding::utf8_bom:
      read_utf8(out);
      break;
    case Encoding::utf16le:
      read_utf16(out, true);
      break;
    case Encoding::utf16be:
      read_utf16(out, false);
      break;
    case Encoding::iso2022jp:
      read_iso2022jp(out);
      break;
    case Encoding::cp932:
      read_cp932(out);
      break;
    case Encoding::eucjp:
      read_eucjp(out);
      break;
    case Encoding::windows1252:
      out.size = 1;
      break;
  }
  position_ += out.size;
  return true;
}

void CharReader::read_utf8(TextChar& out) {
  const std::uint8_t lead = bytes_[position_];
  if (lead < 0x80) return set_ascii(out, lead);
  std::size_t trail_count = 0;
  char32_t code = 0;
  if (in_range(lead, 0xC2, 0xDF)) {
    trail_count = 1;
    code = lead & 0x1F;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    trail_count = 2;
    code = lead & 0x0F;
  } else if (in_range(lead, 0xF0, 0xF4)) {
    trail_count = 3;
    code = lead & 0x07;
  } else {
    return set_invalid(out, 1);
  }
  if (bytes_.size() - position_ <= trail_count) return set_invalid(out, 1);
  for (std::size_t i = 1; i <= trail_count; ++i) {
    const std::uint8_t trail = bytes_[position_ + i];
    if (!in_range(trail, 0x80, 0xBF)) return set_invalid(out, 1);
    code = (code << 6) | (trail & 0x3F);
  }
  out.size = trail_count + 1;
  out.reads_as = unicode_reads_as(code);
}

// An odd byte or a lone surrogate is stepped over as one unit, keeping the units aligned.
void CharReader::read_utf16(TextChar& out, bool little_endian) {
  const auto unit_at = [&](std::size_t offset) -> char32_t {
    const std::uint8_t first = bytes_[offset];
    const std::uint8_t second = bytes_[offset + 1];
    return little_endian ? first | (second << 8) : (first << 8) | second;
  };
  const std::size_t left = bytes_.size() - position_;
  if (left < 2) return set_invalid(out, left);
  const char32_t unit = unit_at(position_);
  if (unit < 0x80) {
    out.size = 2;
    out.ascii = static_cast<char>(unit);
    out.reads_as = out.ascii;
    return;
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) return set_invalid(out, 2);
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    if (left < 4) return set_invalid(out, 2);
    const char32_t low = unit_at(position_ + 2);
    if (low < 0xDC00 || low > 0xDFFF) return set_invalid(out, 2);
    out.size = 4;  // no supplementary character reads as anything
    return;
  }
  out.size = 2;
  out.reads_as = unicode_reads_as(unit);
}

void CharReader::read_cp932(TextChar& out) {
  const std::uint8_t lead = bytes_[position_];
  if (lead < 0x80) return set_ascii(out, lead);
  if (in_range(lead, 0xA1, 0xDF)) {  // half-width katakana
    out.size = 1;
    return;
  }
  const bool is_lead = in_range(lead, 0x81, 0x9F) || in_range(lead, 0xE0, 0xFC);
  if (!is_lead || position_ + 1 >= bytes_.size()) return set_invalid(out, 1);
  const std::uint8_t trail = bytes_[position_ + 1];
  if (!in_range(trail, 0x40, 0x7E) && !in_range(trail, 0x80, 0xFC)) return set_invalid(out, 1);
  out.size = 2;
  // Lead 0x81 with a trail below 0x9F is JIS row 1: Shift_JIS folds two rows per lead.
  if (lead == 0x81 && trail < 0x9F) {
    out.reads_as =
        jis_reads_as(0x21, static_cast<std::uint8_t>(trail - (trail >= 0x80 ? 0x20 : 0x1F)));
  }
}

void CharReader::read_eucjp(TextChar& out) {
  const std::uint8_t lead = bytes_[position_];
  if (lead < 0x80) return set_ascii(out, lead);
  const std::size_t left = bytes_.size() - position_;
  const auto byte_in = [&](std::size_t index, std::uint8_t low, std::uint8_t high) {
    return index < left && in_range(bytes_[position_ + index], low, high);
  };
  if (lead == 0x8E) {  // SS2: half-width katakana
    if (!byte_in(1, 0xA1, 0xDF)) return set_invalid(out, 1);
    out.size = 2;
  } else if (lead == 0x8F) {  // SS3: JIS X 0212
    if (!byte_in(1, 0xA1, 0xFE) || !byte_in(2, 0xA1, 0xFE)) return set_invalid(out, 1);
    out.size = 3;
  } else if (in_range(lead, 0xA1, 0xFE) && byte_in(1, 0xA1, 0xFE)) {
    out.size = 2;
    out.reads_as = jis_reads_as(lead & 0x7F, bytes_[position_ + 1] & 0x7F);
  } else {
    set_invalid(out, 1);
  }
}

void CharReader::read_iso2022jp(TextChar& out) {
  const std::uint8_t byte = bytes_[position_];
  if (byte == kEscape) {
    for (const auto& escape : kIso2022Escapes) {
      if (bytes_.size() - position_ < escape.size) continue;
      bool matches = true;
      for (std::size_t i = 1; i < escape.size; ++i) {
        matches = matches && bytes_[position_ + i] == escape.tail[i - 1];
      }
      if (!matches) continue;
      out.size = escape.size;
      out.is_shift = true;
      if (escape.selects_set) {
        set_ = escape.set;
        set_escape_ = bytes_.subspan(position_, escape.size);
      }
      return;
    }
    return set_invalid(out, 1);
  }
  if (byte >= 0x80) return set_invalid(out, 1);
  // Controls and the space mean themselves in every set (as glibc decodes them).
  if (byte <= 0x20) return set_ascii(out, byte);
  switch (set_) {
    case Iso2022Set::ascii:
      return set_ascii(out, byte);
    case Iso2022Set::jis_roman:
      if (byte == 0x5C || byte == 0x7E) {  // yen sign, overline
        out.size = 1;
        return;
      }
      return set_ascii(out, byte);
    case Iso2022Set::jis_katakana:
      if (!in_range(byte, 0x21, 0x5F)) return set_invalid(out, 1);
      out.size = 1;
      return;
    case Iso2022Set::jis_x0208:
    case Iso2022Set::jis_x0212: {
      if (byte == 0x7F || position_ + 1 >= bytes_.size()) return set_invalid(out, 1);
      const std::uint8_t second = bytes_[position_ + 1];
      if (!in_range(second, 0x21, 0x7E)) return set_invalid(out, 1);
      out.size = 2;
      if (set_ == Iso2022Set::jis_x0208) out.reads_as = jis_reads_as(byte, second);
      return;
    }
  }
}

void append_iso2022jp_as_eucjp(const TextChar& c, Iso2022Set set,
                               std::span<const std::uint8_t> bytes, std::string& out) {
  if (c.is_shift || c.invalid) return;
  const auto byte = [&](std::size_t index) { return static_cast<char>(bytes[c.offset + index]); };
  const auto high = [&](std::size_t index) {
    return static_cast<char>(bytes[c.offset + index] | 0x80);
  };
  if (c.size == 1 &&
      (bytes[c.offset] <= 0x20 || set == Iso2022Set::ascii || set == Iso2022Set::jis_roman)) {
    out += byte(0);
    return;
  }
  switch (set) {
    case Iso2022Set::jis_katakana:
      out += '\x8E';
      out += high(0);
      return;
    case Iso2022Set::jis_x0212:
      out += '\x8F';
      [[fallthrough]];
    case Iso2022Set::jis_x0208:
      out += high(0);
      out += high(1);
      return;
    case Iso2022Set::ascii:
    case Iso2022Set::jis_roman:
      return;
  }
}

}  // namespace sanitize::formats::text
