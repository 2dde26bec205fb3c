// Types that are never delivered: programs, installers, shortcuts, disk images, OneNote,
// compiled help. Claimed by content and blocked on sight with their kind.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "sanitize/format.hpp"

namespace sanitize::formats {

const Format& executable_format();

// The CLSID of an OLE2 compound file's root storage (MSI packages are recognized by it);
// nullopt when the header is not a readable OLE2 header.
std::optional<std::span<const std::uint8_t, 16>> ole2_root_clsid(
    std::span<const std::uint8_t> bytes);

}  // namespace sanitize::formats
