#include "formats/common/formula_links.hpp"

#include <string>

#include "formats/common/charset.hpp"

namespace sanitize::formats {
namespace {

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

std::size_t skip_spaces(std::string_view formula, std::size_t at) {
  while (at < formula.size() && (formula[at] == ' ' || formula[at] == '\t' || formula[at] == '\r' ||
                                 formula[at] == '\n')) {
    ++at;
  }
  return at;
}

// The first argument of the call whose arguments start at `at`.
bool is_literal_web_link(std::string_view formula, std::size_t at) {
  at = skip_spaces(formula, at);
  if (at >= formula.size() || formula[at] != '"') return false;
  const std::size_t close = closing_quote(formula, at);
  if (close >= formula.size()) return false;
  std::string target;
  for (std::size_t i = at + 1; i < close; ++i) {
    target.push_back(formula[i]);
    if (formula[i] == '"') ++i;
  }
  const std::size_t after = skip_spaces(formula, close + 1);
  if (after >= formula.size() ||
      (formula[after] != ',' && formula[after] != ';' && formula[after] != ')')) {
    return false;
  }
  const auto first = target.find_first_not_of(" \t");
  const std::string lower =
      first == std::string::npos ? std::string() : ascii_lower(target.substr(first));
  return lower.starts_with("http://") || lower.starts_with("https://") ||
         lower.starts_with("mailto:") || lower.starts_with("#");
}

}  // namespace

std::size_t closing_quote(std::string_view formula, std::size_t open) {
  const char quote = formula[open];
  for (std::size_t i = open + 1; i < formula.size(); ++i) {
    if (formula[i] != quote) continue;
    if (i + 1 < formula.size() && formula[i + 1] == quote) {
      ++i;
    } else {
      return i;
    }
  }
  return formula.size();
}

bool has_unsafe_hyperlink_call(std::string_view formula) {
  std::size_t token_start = std::string_view::npos;
  for (std::size_t i = 0; i < formula.size(); ++i) {
    const char c = formula[i];
    if (c == '"' || c == '\'') {
      i = closing_quote(formula, i);
      token_start = std::string_view::npos;
      continue;
    }
    if (identifier_char(c)) {
      if (token_start == std::string_view::npos) token_start = i;
      continue;
    }
    if (c == '(' && token_start != std::string_view::npos) {
      const std::string name = ascii_upper(formula.substr(token_start, i - token_start));
      const auto separator = name.find_last_of(".:");
      const std::string_view bare =
          std::string_view(name).substr(separator == std::string::npos ? 0 : separator + 1);
      if (bare == "HYPERLINK" && !is_literal_web_link(formula, i + 1)) return true;
    }
    token_start = std::string_view::npos;
  }
  return false;
}

}  // namespace sanitize::formats
