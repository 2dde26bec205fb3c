#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace sanitize::detail {

// Lower-case hex SHA-256 (OpenSSL).
std::string sha256_hex(std::span<const std::uint8_t> bytes);

}  // namespace sanitize::detail
