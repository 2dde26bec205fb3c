// Streaming conversion through glibc's iconv: validating a large file must not hold all of
// its decoded text at once.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "formats/common/charset.hpp"

namespace sanitize::formats {

class IconvConverter {
 public:
  // Throws std::runtime_error when iconv has no such conversion.
  IconvConverter(const char* to_code, const char* from_code) : handle_(to_code, from_code) {}

  // Whether iconv offers the conversion at all.
  static bool available(const char* to_code, const char* from_code);

  // Converts `input`, which must end on a character boundary, handing the output to `sink`
  // piece by piece (each piece holds whole characters). Returns false, having handed over
  // what came before, at an invalid or incomplete sequence. The converter starts over from
  // its initial state on every call.
  using Sink = std::function<void(std::span<const std::uint8_t>)>;
  bool convert(std::span<const std::uint8_t> input, const Sink& sink);

  // Converts all of `input` into `out`; false when it is not valid.
  bool convert_to_string(std::span<const std::uint8_t> input, std::string& out);

 private:
  IconvHandle handle_;
};

}  // namespace sanitize::formats
