#include "formats/zip/entry_names.hpp"

#include <unicase.h>
#include <uninorm.h>

#include <array>
#include <cstdlib>
#include <memory>

#include "formats/common/charset.hpp"

namespace sanitize::formats::zip {
namespace {

constexpr std::size_t kMaxComponentBytes = 255;
constexpr std::size_t kMaxNameBytes = 4096;

// Windows device names: a file called "CON.txt" cannot be created or opens the console.
constexpr std::array<std::string_view, 24> kReservedNames{
    "con",  "prn",  "aux",  "nul",  "com1", "com2", "com3",   "com4",
    "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2",   "lpt3",
    "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "conin$", "conout$"};

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Code points that reorder or hide text: "invoice\u202Efdp.exe" shows as "invoiceexe.pdf".
bool has_bidi_control(std::string_view utf8) {
  static constexpr std::array<std::string_view, 11> kControls{
      "\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D",
      "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"};
  for (const auto control : kControls) {
    if (utf8.find(control) != std::string_view::npos) return true;
  }
  return false;
}

std::optional<NameProblem> check_component(std::string_view component) {
  if (component.empty()) return NameProblem{"zip.unsafe_name", "empty path component"};
  if (component == "..") return NameProblem{"zip.path_traversal", "\"..\" leaves the folder"};
  if (component == ".") return NameProblem{"zip.unsafe_name", "\".\" path component"};
  if (component.back() == '.' || component.back() == ' ') {
    return NameProblem{"zip.unsafe_name",
                       "trailing dot or space (Windows drops it and changes the name)"};
  }
  if (component.size() > kMaxComponentBytes) {
    return NameProblem{"zip.unsafe_name", "path component longer than 255 bytes"};
  }
  std::string_view stem = component.substr(0, component.find('.'));
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  const std::string lowered = lower_ascii(stem);
  for (const auto reserved : kReservedNames) {
    if (lowered == reserved) {
      return NameProblem{"zip.unsafe_name", "reserved Windows device name " + std::string(stem)};
    }
  }
  return std::nullopt;
}

}  // namespace

DecodedName decode_entry_name(const DirectoryEntry& entry) {
  DecodedName name;
  const std::string& raw = entry.raw_name;
  if (entry.utf8_flag() || is_ascii(raw)) {
    name.encoding = "utf-8";
    name.bad_encoding = !is_valid_utf8(raw);
    name.utf8 = name.bad_encoding ? printable_name(raw) : raw;
  } else if (is_valid_utf8(raw)) {
    // Written by a tool that forgot the flag; CP932 names are almost never valid UTF-8.
    name.encoding = "utf-8";
    name.utf8 = raw;
  } else if (auto cp932 = convert(raw, "CP932", "UTF-8")) {
    name.encoding = "cp932";
    name.utf8 = std::move(*cp932);
  } else {
    name.encoding = "cp437";
    name.utf8 = convert(raw, "CP437", "UTF-8").value_or(printable_name(raw));
  }
  for (char& c : name.utf8) {
    if (c == '\\') {
      c = '/';
      name.backslashes = true;
    }
  }
  return name;
}

std::optional<NameProblem> check_entry_name(std::string_view name) {
  if (name.empty()) return NameProblem{"zip.unsafe_name", "empty name"};
  if (name.size() > kMaxNameBytes) return NameProblem{"zip.unsafe_name", "name too long"};
  for (const unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) return NameProblem{"zip.unsafe_name", "control character in name"};
  }
  if (name.front() == '/') return NameProblem{"zip.absolute_path", "absolute path"};
  if (name.size() >= 2 && name[1] == ':' &&
      ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'))) {
    return NameProblem{"zip.path_traversal", "drive letter " + std::string(name.substr(0, 2))};
  }
  if (has_bidi_control(name)) {
    return NameProblem{"zip.unsafe_name", "bidirectional control character hides the extension"};
  }
  // A directory entry ends with '/': its last, empty component is not a problem.
  std::string_view rest = name;
  if (rest.back() == '/') rest.remove_suffix(1);
  std::optional<NameProblem> first;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view component = rest.substr(0, slash);
    auto problem = check_component(component);
    // Traversal anywhere outranks a cosmetic problem earlier in the path.
    if (problem && problem->kind == "zip.path_traversal") return problem;
    if (problem && !first) first = std::move(problem);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (name.find(':') != std::string_view::npos) {
    return NameProblem{"zip.ntfs_stream", "':' names an NTFS alternate data stream"};
  }
  if (first) return first;
  if (name.find_first_of("<>\"|?*") != std::string_view::npos) {
    return NameProblem{"zip.unsafe_name", "character not allowed in Windows file names"};
  }
  return std::nullopt;
}

std::optional<NameProblem> check_entry_type(const DirectoryEntry& entry) {
  constexpr std::uint8_t kUnixHost = 3;
  constexpr std::uint32_t kReparsePoint = 0x400;
  if (entry.host_system() == kUnixHost) {
    const std::uint32_t mode = entry.external_attributes >> 16;
    switch (mode & 0170000) {
      case 0120000:
        return NameProblem{"zip.symlink", "symbolic link"};
      case 0020000:
      case 0060000:
      case 0010000:
      case 0140000:
        return NameProblem{"zip.device_entry", "device, FIFO or socket"};
      default:
        break;
    }
  }
  if ((entry.external_attributes & kReparsePoint) != 0) {
    return NameProblem{"zip.symlink", "NTFS reparse point (link)"};
  }
  return std::nullopt;
}

std::string collision_key(std::string_view name) {
  std::size_t length = 0;
  std::unique_ptr<std::uint8_t, decltype(&std::free)> folded(
      u8_casefold(reinterpret_cast<const std::uint8_t*>(name.data()), name.size(), nullptr,
                  UNINORM_NFC, nullptr, &length),
      &std::free);
  if (!folded) return lower_ascii(name);
  std::string key(reinterpret_cast<const char*>(folded.get()), length);
  // Windows also ignores trailing dots and spaces, per component.
  while (!key.empty() && (key.back() == '.' || key.back() == ' ')) key.pop_back();
  return key;
}

std::string printable_name(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (is_valid_utf8(raw)) return std::string(raw);
  std::string out;
  for (const unsigned char c : raw) {
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace sanitize::formats::zip
