#include "safe_names.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstdint>
#include <stdexcept>

#include "formats/common/charset.hpp"

namespace sanitize::spool {
namespace {

// The code point of the valid UTF-8 sequence at the start of `text`, and its length.
std::size_t next_code_point(std::string_view text, char32_t& code_point) {
  const auto lead = static_cast<unsigned char>(text[0]);
  const std::size_t length = lead < 0x80 ? 1 : static_cast<std::size_t>(std::countl_one(lead));
  code_point = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t i = 1; i < length; ++i) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
  }
  return length;
}

// Characters that must not reach a file name: controls (C0, DEL, C1), the characters
// Windows refuses, and the invisible ones that reorder how a name is shown (a right-to-left
// override makes "txt.exe" look like "exe.txt").
bool is_unsafe(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;
  constexpr std::string_view kWindowsReserved = "\\/:*?\"<>|";
  if (c < 0x80 && kWindowsReserved.find(static_cast<char>(c)) != std::string_view::npos) {
    return true;
  }
  return (c >= 0x200E && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

// `text` (valid UTF-8) with every unsafe character as "_".
std::string replace_unsafe(std::string_view text) {
  std::string out;
  char32_t code_point = 0;
  while (!text.empty()) {
    const std::size_t length = next_code_point(text, code_point);
    if (is_unsafe(code_point)) {
      out += '_';
    } else {
      out.append(text.substr(0, length));
    }
    text.remove_prefix(length);
  }
  return out;
}

// The name as valid UTF-8: as it is, decoded from CP932 (Japanese Windows clients that do
// not speak UTF-8 send it), or with every non-ASCII byte as "_".
std::string decode_name(std::string_view name) {
  if (formats::is_valid_utf8(name)) return std::string(name);
  try {
    if (auto decoded = formats::convert(name, "CP932", "UTF-8")) return *decoded;
  } catch (const std::runtime_error&) {
    // No CP932 in this iconv: the bytes are replaced below.
  }
  std::string ascii(name);
  for (char& c : ascii) {
    if (static_cast<unsigned char>(c) >= 0x80) c = '_';
  }
  return ascii;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// CON, PRN, AUX, NUL, COM1-9 and LPT1-9 name devices on Windows, with any extension.
bool is_reserved_device(std::string_view name) {
  const std::string stem = lower_ascii(name.substr(0, name.find('.')));
  static constexpr std::array<std::string_view, 4> kDevices = {"con", "prn", "aux", "nul"};
  if (std::find(kDevices.begin(), kDevices.end(), stem) != kDevices.end()) return true;
  return stem.size() == 4 && (stem.starts_with("com") || stem.starts_with("lpt")) &&
         stem[3] >= '1' && stem[3] <= '9';
}

// Cuts `text` to at most `bytes` bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::string shorten(const std::string& name) {
  if (name.size() <= kMaxSafeNameBytes) return name;
  const auto dot = name.rfind('.');
  // An extension is kept when it is short enough to be one.
  const bool has_extension = dot != std::string::npos && dot > 0 && name.size() - dot <= 16;
  const std::string extension = has_extension ? name.substr(dot) : std::string();
  const std::string_view stem = std::string_view(name).substr(0, has_extension ? dot : name.size());
  return std::string(cut_utf8(stem, kMaxSafeNameBytes - extension.size())) + extension;
}

}  // namespace

std::string safe_name(std::string_view name) {
  std::string safe = replace_unsafe(decode_name(name));
  // Windows drops trailing dots and spaces; leading spaces hide the name's start.
  while (!safe.empty() && (safe.back() == '.' || safe.back() == ' ')) safe.pop_back();
  const auto first = safe.find_first_not_of(' ');
  safe.erase(0, first == std::string::npos ? safe.size() : first);
  if (safe.empty()) return "unnamed";
  if (safe.front() == '.' || is_reserved_device(safe)) safe = "_" + safe;
  return shorten(safe);
}

bool is_temporary_name(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.starts_with("~$")) return true;
  const std::string lower = lower_ascii(name);
  for (const std::string_view suffix : {".part", ".tmp", ".crdownload", ".partial"}) {
    if (lower.ends_with(suffix)) return true;
  }
  return false;
}

}  // namespace sanitize::spool
