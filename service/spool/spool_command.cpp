// `sanitize spool --config gateway.toml [--once]`: the gateway daemon, in the foreground
// (systemd runs it so: sanitize-spool.service).
#include <memory>

#include <fmt/format.h>

#include "audit_key.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "gateway.hpp"

namespace sanitize::cli {

Command add_spool_command(CLI::App& program) {
  auto options = std::make_shared<spool::GatewayOptions>();
  CLI::App* command = program.add_subcommand(
      "spool",
      "Run the spool-directory gateway: files dropped in the inbox are sanitized into the "
      "outbox (docs/spool.md). Runs in the foreground until SIGTERM; SIGHUP reloads");
  command->add_option("--config", options->config_file, "The gateway's configuration (TOML)")
      ->required()
      ->type_name("C.toml");
  command->add_flag("--once", options->once,
                    "Take every file in the inbox, deliver it, and exit when the inbox is empty");
  return {command, [options] {
            try {
              spool::Gateway gateway(*options);
              return gateway.run();
            } catch (const spool::ConfigError& error) {
              throw UsageError(fmt::format("configuration error in {}: {}",
                                           options->config_file.string(), error.what()));
            } catch (const spool::AuditKeyError& error) {
              throw UsageError(error.what());
            }
          }};
}

}  // namespace sanitize::cli
