// `sanitize`: the command line program. Each subcommand lives in its own file.
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "sanitize/defaults.hpp"
#include "sanitize/policy.hpp"
#include "sanitize/sandbox.hpp"
#include "sanitize/version.hpp"

namespace {

using namespace sanitize::cli;

constexpr const char* kExitStatusHelp = R"(
Exit status:
  0    clean: nothing active was found (the file was rebuilt anyway)
  1    sanitized: something was removed or neutralized
  2    blocked: no output, for any reason, including an error while processing the
       file (the report says which); batch: the worst over all files, 2 also when
       a file or folder could not be read or written (symbolic links are skipped)
  64   usage or configuration error, nothing processed: bad arguments, an input or
       policy that cannot be read, a policy with an unknown key or value
  130  batch interrupted: the files not started yet were not processed)";

int run(int argc, char** argv) {
  CLI::App program("sanitize: rebuilds files from an allowlist of safe content (CDR)", "sanitize");
  program.set_version_flag("--version", "sanitize " + std::string(sanitize::kVersion));
  program.require_subcommand(1);
  program.footer(kExitStatusHelp);
  const std::vector<Command> commands{add_file_command(program),    add_batch_command(program),
                                      add_inspect_command(program), add_policy_command(program),
                                      add_formats_command(program), add_spool_command(program),
                                      add_audit_command(program)};
  try {
    program.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here too, successfully.
    return program.exit(error) == 0 ? kExitClean : kExitUsage;
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // The sandbox's worker zygote is this program again, exec'd by Processor.
  if (argc == 2 && std::string_view(argv[1]) == "worker") {
    return sanitize::worker_main(sanitize::kWorkerControlFd, sanitize::default_formats());
  }
  try {
    return run(argc, argv);
  } catch (const UsageError& error) {
    fmt::print(stderr, "sanitize: {}\n", error.what());
    return kExitUsage;
  } catch (const sanitize::PolicyError& error) {
    fmt::print(stderr, "sanitize: policy error: {}\n", error.what());
    return kExitUsage;
  } catch (const std::exception& error) {
    fmt::print(stderr, "sanitize: internal error: {}\n", error.what());
    return kExitBlocked;
  } catch (...) {
    std::fputs("sanitize: internal error\n", stderr);
    return kExitBlocked;
  }
}
