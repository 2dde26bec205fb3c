// Entry names: decoding (UTF-8 flag, CP932 from Japanese Windows, CP437 otherwise) and the
// checks that keep an extracted file inside its folder and visible for what it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "formats/zip/central_directory.hpp"

namespace sanitize::formats::zip {

struct DecodedName {
  std::string utf8;           // the name as UTF-8, separators normalized to '/'
  std::string encoding;       // "utf-8", "cp932" or "cp437"
  bool backslashes = false;   // the stored name used '\' as a separator
  bool bad_encoding = false;  // the UTF-8 flag is set but the bytes are not UTF-8
};

DecodedName decode_entry_name(const DirectoryEntry& entry);

struct NameProblem {
  std::string kind;  // a finding kind of this module
  std::string detail;
};

// The first reason the name is unsafe to extract, or nullopt.
std::optional<NameProblem> check_entry_name(std::string_view utf8_name);

// Symlinks, hard links, devices, FIFOs, sockets and reparse points.
std::optional<NameProblem> check_entry_type(const DirectoryEntry& entry);

// Two names that collide on a case-insensitive or normalizing file system have the same key.
std::string collision_key(std::string_view utf8_name);

// A name made safe for reports: invalid bytes shown as \xNN.
std::string printable_name(std::string_view raw);

}  // namespace sanitize::formats::zip
