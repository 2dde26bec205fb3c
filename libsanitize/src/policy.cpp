// Policy loading: TOML through toml++, every key checked, every error naming its key.
#include "sanitize/policy.hpp"

#include "policy_text.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

namespace sanitize {

PolicyError::PolicyError(std::string key, const std::string& message)
    : std::runtime_error(key.empty() ? message : key + ": " + message), key_(std::move(key)) {}

namespace {

std::string join_key(std::string_view table, std::string_view key) {
  return std::string(table) + "." + std::string(key);
}

std::uint64_t read_unsigned(const toml::node& node, const std::string& key, std::uint64_t min) {
  const auto* integer = node.as_integer();
  if (integer == nullptr) throw PolicyError(key, "must be an integer");
  const std::int64_t value = integer->get();
  if (value < 0 || static_cast<std::uint64_t>(value) < min) {
    throw PolicyError(key, "must be at least " + std::to_string(min));
  }
  return static_cast<std::uint64_t>(value);
}

bool read_bool(const toml::node& node, const std::string& key) {
  const auto* boolean = node.as_boolean();
  if (boolean == nullptr) throw PolicyError(key, "must be true or false");
  return boolean->get();
}

std::string read_string(const toml::node& node, const std::string& key) {
  const auto* string = node.as_string();
  if (string == nullptr) throw PolicyError(key, "must be a string");
  return string->get();
}

const toml::table& read_table(const toml::node& node, const std::string& key) {
  const auto* table = node.as_table();
  if (table == nullptr) throw PolicyError(key, "must be a table");
  return *table;
}

void load_limits(const toml::table& table, Limits& limits) {
  for (const auto& [key, node] : table) {
    const std::string name = join_key("limits", key.str());
    const LimitSpec* spec = nullptr;
    for (const auto& candidate : limit_specs()) {
      if (candidate.name == key.str()) spec = &candidate;
    }
    if (spec == nullptr) throw PolicyError(name, "unknown limit");
    limits.*(spec->field) = read_unsigned(node, name, spec->minimum);
  }
}

void load_files(const toml::table& table, Policy& policy) {
  for (const auto& [key, node] : table) {
    const std::string name = join_key("files", key.str());
    if (key.str() == "extension_mismatch") {
      const std::string value = read_string(node, name);
      if (value == "block") {
        policy.extension_mismatch = ExtensionMismatch::block;
      } else if (value == "rename") {
        policy.extension_mismatch = ExtensionMismatch::rename;
      } else {
        throw PolicyError(name, "must be \"block\" or \"rename\", not \"" + value + "\"");
      }
    } else {
      throw PolicyError(name, "unknown key");
    }
  }
}

void load_sandbox(const toml::table& table, Policy& policy) {
  for (const auto& [key, node] : table) {
    const std::string name = join_key("sandbox", key.str());
    if (key.str() == "allow_unsandboxed") {
      policy.allow_unsandboxed = read_bool(node, name);
    } else if (key.str() == "inspect_output") {
      policy.inspect_output = read_bool(node, name);
    } else {
      throw PolicyError(name, "unknown key");
    }
  }
}

void load_types(const toml::table& table, Policy& policy) {
  for (const auto& [key, node] : table) {
    const std::string name = join_key("types", key.str());
    const std::string value = read_string(node, name);
    const auto action = type_action_from_string(value);
    if (!action)
      throw PolicyError(name, "must be sanitize, convert or block, not \"" + value + "\"");
    policy.types[std::string(key.str())] = *action;
  }
}

void load_elements(const toml::table& table, Policy& policy) {
  for (const auto& [key, node] : table) {
    const std::string name = join_key("elements", key.str());
    const std::string value = read_string(node, name);
    const auto action = element_action_from_string(value);
    if (!action) {
      throw PolicyError(name, "must be remove, neutralize or block, not \"" + value + "\"");
    }
    policy.elements[std::string(key.str())] = *action;
  }
}

void load_formats(const toml::table& table, Policy& policy) {
  for (const auto& [format, format_node] : table) {
    const std::string format_key = join_key("formats", format.str());
    const toml::table& settings = read_table(format_node, format_key);
    for (const auto& [key, node] : settings) {
      const std::string name = join_key(format_key, key.str());
      if (key.str() == "enabled") {
        policy.format_enabled[std::string(format.str())] = read_bool(node, name);
        continue;
      }
      OptionValue value;
      if (const auto* b = node.as_boolean()) {
        value = b->get();
      } else if (const auto* i = node.as_integer()) {
        value = i->get();
      } else if (const auto* s = node.as_string()) {
        value = s->get();
      } else {
        throw PolicyError(name, "must be a boolean, an integer or a string");
      }
      policy.format_options[std::string(format.str())][std::string(key.str())] = std::move(value);
    }
  }
}

}  // namespace

Policy Policy::defaults() {
  return Policy{};
}

Policy Policy::from_toml(std::string_view text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << error.description() << " (line " << error.source().begin.line << ", column "
            << error.source().begin.column << ")";
    throw PolicyError(std::string(source_name), message.str());
  }
  Policy policy = defaults();
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (name == "limits") {
      load_limits(read_table(node, name), policy.limits);
    } else if (name == "files") {
      load_files(read_table(node, name), policy);
    } else if (name == "sandbox") {
      load_sandbox(read_table(node, name), policy);
    } else if (name == "types") {
      load_types(read_table(node, name), policy);
    } else if (name == "elements") {
      load_elements(read_table(node, name), policy);
    } else if (name == "formats") {
      load_formats(read_table(node, name), policy);
    } else {
      throw PolicyError(name, "unknown key");
    }
  }
  return policy;
}

Policy Policy::from_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw PolicyError(path, "cannot read the policy file");
  std::ostringstream text;
  text << file.rdbuf();
  return from_toml(text.str(), path);
}

namespace detail {

std::string policy_toml(const Policy& policy, std::string_view types_body,
                        std::string_view elements_body) {
  std::ostringstream out;
  out << "# A sanitize policy. Every key is optional: a policy file only names what it\n"
         "# changes from the compiled-in default. See docs/policy.md.\n\n[limits]\n";
  for (const auto& spec : limit_specs()) {
    out << spec.name << " = " << policy.limits.*(spec.field) << "  # " << spec.unit << ": "
        << spec.description << "\n";
  }
  out << "\n[files]\nextension_mismatch = \""
      << (policy.extension_mismatch == ExtensionMismatch::block ? "block" : "rename")
      << "\"  # block | rename (append the type's extension)\n"
      << "\n[sandbox]\nallow_unsandboxed = " << (policy.allow_unsandboxed ? "true" : "false")
      << "  # run without the sandbox when it cannot be set up\n"
      << "inspect_output = " << (policy.inspect_output ? "true" : "false")
      << "  # a second worker re-inspects every output\n"
      << "\n[types]  # type id = \"sanitize\" | \"convert\" | \"block\"\n"
      << types_body
      << "\n[elements]  # \"finding.kind\" = \"remove\" | \"neutralize\" | \"block\"\n"
      << elements_body;
  return out.str();
}

}  // namespace detail

std::string_view default_policy_toml() {
  static const std::string text = detail::policy_toml(Policy::defaults(), "", "");
  return text;
}

}  // namespace sanitize
