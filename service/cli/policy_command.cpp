// `sanitize policy`: the effective policy, defaults of every format included, as TOML.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "engine_setup.hpp"
#include "exit_codes.hpp"

namespace sanitize::cli {

Command add_policy_command(CLI::App& program) {
  auto policy_path = std::make_shared<std::string>();
  CLI::App* command = program.add_subcommand(
      "policy", "Print the effective policy as TOML: the default, or --policy applied to it");
  add_policy_option(*command, *policy_path);
  return {command, [policy_path] {
            const auto engine = load_engine(*policy_path);
            std::fputs(effective_policy_toml(*engine).c_str(), stdout);
            return kExitClean;
          }};
}

}  // namespace sanitize::cli
