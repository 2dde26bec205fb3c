// Character set conversion through glibc's iconv, shared by the modules that decode
// Japanese text (zip entry names, text files, mail).
#pragma once

#include <iconv.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sanitize::formats {

// An iconv descriptor that closes itself.
class IconvHandle {
 public:
  IconvHandle(const char* to, const char* from);
  ~IconvHandle();
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  iconv_t get() const { return handle_; }

 private:
  iconv_t handle_;
};

// Converts the whole input; nullopt when any byte sequence is invalid or incomplete.
// Throws std::runtime_error when iconv does not know the encoding.
std::optional<std::string> convert(std::string_view input, const char* from, const char* to);

// Strict UTF-8 check (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);
bool is_ascii(std::string_view text);

// ASCII letters made lower (upper) case; every other byte (UTF-8 included) as it is.
std::string ascii_lower(std::string_view text);
std::string ascii_upper(std::string_view text);

// At most `limit` bytes of UTF-8 text, cut at a character boundary and ended with "..." when
// cut: what a finding shows of a long value.
std::string shortened(std::string_view text, std::size_t limit = 120);

// Decodes %XX escapes (as in URIs and package part names); a '%' not followed by two hex
// digits stays as it is.
std::string percent_decoded(std::string_view text);

}  // namespace sanitize::formats
