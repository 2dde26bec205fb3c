// File name helpers with Windows semantics: that is where the files are opened.
#pragma once

#include <string>
#include <string_view>

namespace sanitize::detail {

// The last component of a path written with '/' or '\'.
std::string_view base_name(std::string_view name);
// Lower-case extension without the dot, after trailing dots and spaces are dropped the way
// Windows drops them ("a.exe. " is an .exe). Empty when there is none.
std::string extension_of(std::string_view name);
// `name` with its extension replaced by `extension` (unchanged when `extension` is empty).
std::string with_extension(std::string_view name, std::string_view extension);

}  // namespace sanitize::detail
