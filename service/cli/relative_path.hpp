// Relative paths inside an input, output or spool folder: '/'-separated, never absolute.
#pragma once

#include <string>

namespace sanitize::cli {

// "a/b/c.txt" -> "a/b"; "c.txt" -> "".
std::string parent_of(const std::string& relative);
// "a/b/c.txt" -> "c.txt".
std::string last_component(const std::string& relative);
// ("a/b", "c.txt") -> "a/b/c.txt"; ("", "c.txt") -> "c.txt".
std::string join_relative(const std::string& folder, const std::string& name);

}  // namespace sanitize::cli
