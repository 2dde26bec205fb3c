#include "engine_setup.hpp"

#include "exit_codes.hpp"
#include "sanitize/defaults.hpp"

namespace sanitize::cli {

void add_policy_option(CLI::App& command, std::string& policy_path) {
  command
      .add_option("--policy", policy_path,
                  "Policy file (TOML) naming what it changes from the compiled-in default; "
                  "`sanitize policy` prints the whole effective policy")
      ->type_name("P.toml");
}

void add_no_sandbox_option(CLI::App& command, bool& no_sandbox) {
  command.add_flag("--no-sandbox", no_sandbox,
                   "Parse files in this process instead of a sandboxed worker (for debugging)");
}

std::unique_ptr<Engine> load_engine(const std::string& policy_path) {
  try {
    return make_default_engine(policy_path.empty() ? Policy::defaults()
                                                   : Policy::from_file(policy_path));
  } catch (const PolicyError& error) {
    // Errors about the file as a whole already start with its name; key errors do not.
    const bool names_file = policy_path.empty() || error.key() == policy_path;
    throw UsageError(names_file ? std::string("policy error: ") + error.what()
                                : "policy error in " + policy_path + ": " + error.what());
  }
}

}  // namespace sanitize::cli
