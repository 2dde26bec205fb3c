// The policy: limits, what to do per type, per element and per format. Loaded from TOML;
// a default is compiled in (see docs/policy.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "sanitize/limits.hpp"

namespace sanitize {

// What to do with one kind of active content when it is found.
enum class ElementAction { remove, neutralize, block };

// What to do with a detected file type.
enum class TypeAction { sanitize, convert, block };

// What to do when the declared extension is not one the detected type may carry.
enum class ExtensionMismatch { block, rename };

std::string_view to_string(ElementAction action);
std::string_view to_string(TypeAction action);
std::optional<ElementAction> element_action_from_string(std::string_view text);
std::optional<TypeAction> type_action_from_string(std::string_view text);

using OptionValue = std::variant<bool, std::int64_t, std::string>;

// A policy that cannot be used. key() names the offending key ("limits.max_depth").
class PolicyError : public std::runtime_error {
 public:
  PolicyError(std::string key, const std::string& message);
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

template <class V>
using NameMap = std::map<std::string, V, std::less<>>;

struct Policy {
  Limits limits;
  ExtensionMismatch extension_mismatch = ExtensionMismatch::block;
  bool allow_unsandboxed = false;  // [sandbox] allow_unsandboxed
  bool inspect_output = true;      // [sandbox] inspect_output: a second worker re-checks

  NameMap<TypeAction> types;        // [types] id = "sanitize" | "convert" | "block"
  NameMap<ElementAction> elements;  // [elements] "kind" = "remove" | "neutralize" | "block"
  NameMap<bool> format_enabled;     // [formats.NAME] enabled = false is the kill switch
  NameMap<NameMap<OptionValue>> format_options;  // [formats.NAME] other keys

  // The compiled-in default (docs/policy.md).
  static Policy defaults();
  // Parses a policy file on top of the defaults. Unknown keys and bad values throw
  // PolicyError naming the key. Format names, options, types and element kinds are checked
  // against the formats when an Engine is built.
  static Policy from_toml(std::string_view text, std::string_view source_name = "policy");
  static Policy from_file(const std::string& path);
};

// The default policy as TOML text, for `sanitize policy` and the documentation.
std::string_view default_policy_toml();

}  // namespace sanitize
