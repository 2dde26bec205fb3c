#include "formats/odf/odf_links.hpp"

#include "formats/common/charset.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace sanitize::formats::odf {
namespace {

constexpr std::array<std::string_view, 9> kScriptSchemes{
    "vnd.sun.star.script", "macro",   "javascript", "vbscript",        "livescript",
    "vnd.sun.star.cmd",    "service", "slot",       "vnd.sun.star.job"};
constexpr std::array<std::string_view, 7> kWebSchemes{"http",   "https", "ftp", "ftps",
                                                      "mailto", "news",  "tel"};

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// The scheme in lower case when the text starts with one ("HTTP:" -> "http"), else empty.
std::string scheme_of(std::string_view text) {
  std::string scheme;
  for (char c : text) {
    if (c == ':') return scheme;
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    if (!letter && !(other && !scheme.empty())) return {};
    scheme.push_back(lower(c));
  }
  return {};
}

// Joins `relative` to `folder` and resolves "." and ".."; nullopt when it climbs out.
std::optional<std::string> resolve(std::string_view folder, std::string_view relative) {
  std::vector<std::string> parts;
  const auto push_all = [&](std::string_view path) {
    std::size_t start = 0;
    while (start <= path.size()) {
      const auto slash = path.find('/', start);
      const std::string_view part = path.substr(
          start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
      if (part == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else if (!part.empty() && part != ".") {
        parts.emplace_back(part);
      }
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    return true;
  };
  if (!push_all(folder) || !push_all(relative)) return std::nullopt;
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined.push_back('/');
    joined += part;
  }
  return joined;
}

// Windows runs these when they are opened: a relative link to one ("../powershell.exe
// -EncodedCommand ...", what PowerPoint's run-program action becomes in ODF) starts a program.
constexpr std::array<std::string_view, 30> kProgramExtensions{
    "exe", "com", "bat", "cmd", "scr", "pif",         "cpl",       "msi", "msp",  "msc",
    "vbs", "vbe", "js",  "jse", "wsf", "wsh",         "hta",       "ps1", "psm1", "lnk",
    "url", "scf", "reg", "inf", "jar", "application", "appref-ms", "chm", "sh",   "dll"};

// True when a path (arguments may follow it after a space) names a program.
bool names_program(std::string_view path) {
  std::string lowered;
  for (char c : path) lowered.push_back(lower(c));
  for (const auto extension : kProgramExtensions) {
    std::string dotted(1, '.');
    dotted += extension;
    for (auto at = lowered.find(dotted); at != std::string::npos;
         at = lowered.find(dotted, at + 1)) {
      const auto end = at + dotted.size();
      if (end == lowered.size() || lowered[end] == ' ' || lowered[end] == '\t' ||
          lowered[end] == '"') {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

bool is_script_url(std::string_view value) {
  const std::string_view text = trim(value);
  if (text.size() >= 5 && lower(text[0]) == '.' && lower(text[1]) == 'u' && lower(text[2]) == 'n' &&
      lower(text[3]) == 'o' && text[4] == ':') {
    return true;  // a LibreOffice dispatch command
  }
  const std::string scheme = scheme_of(text);
  return std::find(kScriptSchemes.begin(), kScriptSchemes.end(), scheme) != kScriptSchemes.end();
}

Reference classify_reference(std::string_view href, std::string_view folder) {
  const std::string_view text = trim(href);
  if (text.empty()) return {Target::none, {}};
  if (text.front() == '#') return {Target::fragment, {}};
  if (is_script_url(text)) return {Target::script, {}};
  if (text.starts_with("\\\\") || text.starts_with("//") || text.starts_with("\\/") ||
      text.starts_with("/\\")) {
    return {Target::unsafe, {}};  // a network path: opening it sends Windows credentials
  }
  const std::string scheme = scheme_of(text);
  if (!scheme.empty()) {
    if (std::find(kWebSchemes.begin(), kWebSchemes.end(), scheme) != kWebSchemes.end()) {
      return {Target::web, {}};
    }
    return {Target::unsafe, {}};  // file:, a drive letter, or a scheme that may launch things
  }
  if (text.front() == '/' || text.front() == '\\') return {Target::unsafe, {}};
  std::string path = percent_decoded(text.substr(0, text.find_first_of("#?")));
  std::replace(path.begin(), path.end(), '\\', '/');
  if (names_program(path)) return {Target::unsafe, {}};
  if (auto resolved = resolve(folder, path)) return {Target::package, std::move(*resolved)};
  return {Target::relative, {}};
}

}  // namespace sanitize::formats::odf
