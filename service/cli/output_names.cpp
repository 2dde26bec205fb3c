#include "output_names.hpp"

#include <string>

namespace sanitize::cli {

std::optional<std::string> output_file_name(const Result& result) {
  const std::string_view name = result.output_name;
  const auto slash = name.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  if (base.empty() || base == "." || base == ".." || base.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(base);
}

std::string numbered_name(std::string_view name, unsigned n) {
  // The extension is what follows the last dot, unless that dot starts the name
  // (".profile" has none).
  auto dot = name.rfind('.');
  if (dot == 0) dot = std::string_view::npos;
  const std::string_view stem = name.substr(0, dot);
  const std::string_view extension =
      dot == std::string_view::npos ? std::string_view() : name.substr(dot);
  return std::string(stem) + " (" + std::to_string(n) + ")" + std::string(extension);
}

}  // namespace sanitize::cli
