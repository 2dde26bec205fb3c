#include "formats/common/iconv_converter.hpp"

#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>

namespace sanitize::formats {
namespace {

const std::size_t kIconvError = static_cast<std::size_t>(-1);

}  // namespace

bool IconvConverter::available(const char* to_code, const char* from_code) {
  try {
    const IconvHandle probe(to_code, from_code);
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

bool IconvConverter::convert(std::span<const std::uint8_t> input, const Sink& sink) {
  iconv(handle_.get(), nullptr, nullptr, nullptr, nullptr);
  // iconv takes a non-const input pointer but never writes through it.
  char* in = const_cast<char*>(reinterpret_cast<const char*>(input.data()));
  std::size_t in_left = input.size();
  std::array<std::uint8_t, 16 * 1024> buffer;
  int error = E2BIG;
  while (error == E2BIG) {
    char* out = reinterpret_cast<char*>(buffer.data());
    std::size_t out_left = buffer.size();
    const std::size_t done = iconv(handle_.get(), &in, &in_left, &out, &out_left);
    error = done == kIconvError ? errno : 0;
    const std::size_t produced = buffer.size() - out_left;
    if (produced > 0) sink(std::span(buffer.data(), produced));
  }
  if (error != 0) return false;
  // Flushes a stateful encoder back to its initial state.
  char* out = reinterpret_cast<char*>(buffer.data());
  std::size_t out_left = buffer.size();
  if (iconv(handle_.get(), nullptr, nullptr, &out, &out_left) == kIconvError) return false;
  if (out_left < buffer.size()) sink(std::span(buffer.data(), buffer.size() - out_left));
  return true;
}

bool IconvConverter::convert_to_string(std::span<const std::uint8_t> input, std::string& out) {
  out.clear();
  return convert(input, [&out](std::span<const std::uint8_t> piece) {
    out.append(reinterpret_cast<const char*>(piece.data()), piece.size());
  });
}

}  // namespace sanitize::formats
