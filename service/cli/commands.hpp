// The subcommands of `sanitize`. Each adds itself to the program's CLI11 parser and hands
// back what to run when it was the one chosen; the function returns the exit status.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace sanitize::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;
};

Command add_file_command(CLI::App& program);
Command add_batch_command(CLI::App& program);
Command add_inspect_command(CLI::App& program);
Command add_policy_command(CLI::App& program);
Command add_formats_command(CLI::App& program);
// In service/spool/.
Command add_spool_command(CLI::App& program);
Command add_audit_command(CLI::App& program);

}  // namespace sanitize::cli
