// `sanitize formats`: what this build recognizes and rebuilds: every module with its types,
// the extensions each may carry, its finding kinds and its policy options.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <variant>

#include "commands.hpp"
#include "engine_setup.hpp"
#include "exit_codes.hpp"

namespace sanitize::cli {
namespace {

using json = nlohmann::ordered_json;

json option_value(const OptionValue& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

std::string extensions_text(const std::vector<std::string>& extensions) {
  std::string text;
  for (const auto& extension : extensions) {
    if (!text.empty()) text += " ";
    text += extension.empty() ? "(none)" : "." + extension;
  }
  return text.empty() ? "-" : text;
}

json describe(const Format& format) {
  json types = json::array();
  for (const auto& type : format.types()) {
    types.push_back({{"id", type.id},
                     {"name", type.display_name},
                     {"extensions", type.extensions},
                     {"refused", type.refuse == BlockReason::none ? json(nullptr)
                                                                  : json(to_string(type.refuse))},
                     {"convertible", type.convertible}});
  }
  json kinds = json::array();
  for (const auto& kind : format.finding_kinds()) {
    kinds.push_back({{"id", kind.id},
                     {"default_action", to_string(kind.default_action)},
                     {"neutralizable", kind.neutralizable},
                     {"summary_en", kind.summary_en},
                     {"summary_ja", kind.summary_ja}});
  }
  json options = json::array();
  for (const auto& option : format.options()) {
    options.push_back({{"key", option.key},
                       {"default", option_value(option.default_value)},
                       {"choices", option.choices},
                       {"description", option.description}});
  }
  return {
      {"name", format.name()}, {"types", types}, {"finding_kinds", kinds}, {"options", options}};
}

void print_text(const json& formats) {
  for (const auto& format : formats) {
    fmt::print("[{}]\n", format["name"].get<std::string>());
    for (const auto& type : format["types"]) {
      const std::string refused =
          type["refused"].is_null() ? "" : " -> blocked: " + type["refused"].get<std::string>();
      fmt::print("  type {:<18} {:<48} {}{}\n", type["id"].get<std::string>(),
                 type["name"].get<std::string>(),
                 extensions_text(type["extensions"].get<std::vector<std::string>>()), refused);
    }
    for (const auto& kind : format["finding_kinds"]) {
      fmt::print("  kind {:<26} {:<10} {}\n", kind["id"].get<std::string>(),
                 kind["default_action"].get<std::string>(), kind["summary_en"].get<std::string>());
    }
    for (const auto& option : format["options"]) {
      fmt::print("  option {} = {}  ({})\n", option["key"].get<std::string>(),
                 option["default"].dump(), option["description"].get<std::string>());
    }
  }
}

}  // namespace

Command add_formats_command(CLI::App& program) {
  auto json_output = std::make_shared<bool>(false);
  CLI::App* command = program.add_subcommand(
      "formats", "List the formats this build knows: types, extensions, finding kinds, options");
  command->add_flag("--json", *json_output, "Print JSON instead of text");
  return {command, [json_output] {
            const auto engine = load_engine("");
            json formats = json::array();
            for (const Format* format : engine->formats()) formats.push_back(describe(*format));
            if (*json_output) {
              std::fputs((formats.dump(2) + "\n").c_str(), stdout);
            } else {
              print_text(formats);
            }
            return kExitClean;
          }};
}

}  // namespace sanitize::cli
