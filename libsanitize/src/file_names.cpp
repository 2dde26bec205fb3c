#include "file_names.hpp"

namespace sanitize::detail {
namespace {

std::string_view trim_windows_tail(std::string_view name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  return name;
}

}  // namespace

std::string_view base_name(std::string_view name) {
  const auto slash = name.find_last_of("/\\");
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

std::string extension_of(std::string_view name) {
  const std::string_view base = trim_windows_tail(base_name(name));
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string extension(base.substr(dot + 1));
  for (char& c : extension) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return extension;
}

std::string with_extension(std::string_view name, std::string_view extension) {
  if (extension.empty()) return std::string(name);
  const std::string_view base = base_name(name);
  const std::string_view trimmed = trim_windows_tail(base);
  const auto dot = trimmed.rfind('.');
  const std::size_t stem_end =
      name.size() - base.size() + (dot == std::string_view::npos ? trimmed.size() : dot);
  return std::string(name.substr(0, stem_end)) + "." + std::string(extension);
}

}  // namespace sanitize::detail
