// What every command shares: the --policy and --no-sandbox options, and the engine built
// from them.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "sanitize/engine.hpp"

namespace sanitize::cli {

void add_policy_option(CLI::App& command, std::string& policy_path);
void add_no_sandbox_option(CLI::App& command, bool& no_sandbox);

// The engine with every built-in format, under the compiled-in policy when `policy_path`
// is empty. Throws UsageError naming the file and the offending key when the policy
// cannot be read or used.
std::unique_ptr<Engine> load_engine(const std::string& policy_path);

}  // namespace sanitize::cli
