// The gateway's configuration: one TOML file (docs/spool.md lists every key).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace sanitize::spool {

// A configuration that cannot be used; key() names the offending key ("spool.settle_ms").
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, const std::string& message)
      : std::runtime_error(key.empty() ? message : key + ": " + message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// Permissions of what is delivered into one section's folder of the outbox.
struct SectionAccess {
  mode_t directory_mode = 0750;
  mode_t file_mode = 0640;
  std::optional<gid_t> group;  // chown'd to this group when set
};

struct SpoolConfig {
  std::string instance;  // this daemon's name: its state/ and audit/ folders
  std::filesystem::path inbox, outbox, quarantine, originals, state, reports, audit;
  std::string policy_file;  // empty: the compiled-in policy
  bool sandbox = true;
  unsigned workers = 0;  // 0: one per core
  std::uint64_t settle_ms = 500;
  std::uint64_t rescan_ms = 2000;
  std::uint64_t file_timeout_ms = 60000;  // also caps the policy's deadline_ms
  std::uint64_t min_free_bytes = 256ULL << 20;
  std::uint64_t retention_days = 30;
  std::uint64_t quarantine_retention_days = 0;  // 0: kept until removed by hand
  std::uint64_t max_depth = 8;                  // folder levels below the inbox
  std::filesystem::path metrics_file;           // empty: state/<instance>.prom
  std::uint64_t metrics_interval_ms = 10000;
  std::string notice_contact;  // whom to ask, printed in every notice
  SectionAccess default_access;
  std::map<std::string, SectionAccess> sections;

  std::filesystem::path audit_key_file;
  std::uint64_t audit_rotate_bytes = 64ULL << 20;
  std::uint64_t audit_head_syslog_interval_ms = 300000;
  bool audit_forward_records = false;

  std::string syslog_target = "unix:/dev/log";  // "", "unix:PATH" or "udp:HOST:PORT"
  std::string syslog_facility = "daemon";

  const SectionAccess& access_for(const std::string& section) const {
    const auto found = sections.find(section);
    return found == sections.end() ? default_access : found->second;
  }
};

// Reads and checks a configuration file. Relative paths are taken from the file's folder.
// Throws ConfigError.
SpoolConfig load_config(const std::filesystem::path& file);

}  // namespace sanitize::spool
