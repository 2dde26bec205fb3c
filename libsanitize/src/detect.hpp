// First stage of detection: what family of file the bytes are, by content (libmagic, then
// a few signatures libmagic reports only vaguely). Never looks at the name.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "sanitize/format.hpp"

namespace sanitize::detail {

struct Detection {
  Family family = Family::unknown;
  std::string mime;
};

// Thread-safe (one libmagic handle per thread).
Detection detect_family(std::span<const std::uint8_t> bytes);

// libmagic's description of the bytes ("empty" for none).
std::string describe(std::span<const std::uint8_t> bytes);

// Loads the libmagic database for the calling thread.
void preload_detection();

// Maps a libmagic MIME type (and the first bytes) to a family.
Family family_of(std::string_view mime, std::span<const std::uint8_t> bytes);

}  // namespace sanitize::detail
