#include "formats/text/iconv_converter.hpp"

#include <array>
#include <cerrno>
#include <stdexcept>
#include <string>

namespace sanitize::formats::text {
namespace {

const iconv_t kNoHandle = reinterpret_cast<iconv_t>(-1);
const std::size_t kIconvError = static_cast<std::size_t>(-1);

}  // namespace

IconvConverter::IconvConverter(const char* to_code, const char* from_code)
    : handle_(iconv_open(to_code, from_code)) {
  if (handle_ == kNoHandle) {
    throw std::runtime_error(std::string("iconv cannot convert from ") + from_code + " to " +
                             to_code);
  }
}

IconvConverter::~IconvConverter() {
  iconv_close(handle_);
}

bool IconvConverter::available(const char* to_code, const char* from_code) {
  const iconv_t handle = iconv_open(to_code, from_code);
  if (handle == kNoHandle) return false;
  iconv_close(handle);
  return true;
}

bool IconvConverter::convert(std::span<const std::uint8_t> input, const Sink& sink) {
  iconv(handle_, nullptr, nullptr, nullptr, nullptr);
  // iconv takes a non-const input pointer but never writes through it.
  char* in = const_cast<char*>(reinterpret_cast<const char*>(input.data()));
  std::size_t in_left = input.size();
  std::array<std::uint8_t, 16 * 1024> buffer;
  while (true) {
    char* out = reinterpret_cast<char*>(buffer.data());
    std::size_t out_left = buffer.size();
    const std::size_t done = iconv(handle_, &in, &in_left, &out, &out_left);
    const int error = done == kIconvError ? errno : 0;
    const std::size_t produced = buffer.size() - out_left;
    if (produced > 0) sink(std::span(buffer.data(), produced));
    if (error == E2BIG) continue;
    if (error != 0) return false;
    break;
  }
  // Flushes a stateful encoder back to its initial state.
  char* out = reinterpret_cast<char*>(buffer.data());
  std::size_t out_left = buffer.size();
  if (iconv(handle_, nullptr, nullptr, &out, &out_left) == kIconvError) return false;
  if (out_left < buffer.size()) sink(std::span(buffer.data(), buffer.size() - out_left));
  return true;
}

bool IconvConverter::convert_to_string(std::span<const std::uint8_t> input, std::string& out) {
  out.clear();
  return convert(input, [&out](std::span<const std::uint8_t> piece) {
    out.append(reinterpret_cast<const char*>(piece.data()), piece.size());
  });
}

}  // namespace sanitize::formats::text
