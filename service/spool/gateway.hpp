// The spool-directory gateway (DESIGN.md section 6, docs/spool.md): picks complete files up
// from the inbox, claims them into state/<instance>/, runs each through the sandboxed
// worker, delivers the clean file (or a notice, the original going to quarantine) into the
// mirrored folder of the outbox, keeps the original, and records every step in the journal
// and the audit log before the next one.
#pragma once

#include <filesystem>
#include <memory>

#include "spool_config.hpp"

namespace sanitize::spool {

struct GatewayOptions {
  std::filesystem::path config_file;
  bool once = false;  // drain the inbox, then exit
};

class Gateway {
 public:
  // Reads the configuration, opens the folders, the journal and the audit log, and starts
  // the workers. Throws ConfigError (or std::runtime_error) when it cannot.
  explicit Gateway(GatewayOptions options);
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Recovers what was in flight, then runs until SIGTERM/SIGINT (or, with `once`, until
  // the inbox is empty). Returns the exit status.
  int run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sanitize::spool
