// libFuzzer target: the central-directory walk and name checks over arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/zip/central_directory.hpp"
#include "formats/zip/entry_names.hpp"
#include "sanitize/format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto directory = sanitize::formats::zip::read_directory(std::span(data, size));
    for (const auto& entry : directory.entries) {
      const auto name = sanitize::formats::zip::decode_entry_name(entry);
      sanitize::formats::zip::check_entry_name(name.utf8);
      sanitize::formats::zip::check_entry_type(entry);
      sanitize::formats::zip::collision_key(name.utf8);
    }
  } catch (const sanitize::Blocked&) {
  }
  return 0;
}
