#include "spool_config.hpp"

#include <grp.h>
#include <unistd.h>

#include <toml++/toml.h>
#include <functional>
#include <set>
#include <thread>

namespace sanitize::spool {
namespace {

namespace fs = std::filesystem;

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "spool";
  std::string text(name);
  return text.substr(0, text.find('.'));
}

bool is_instance_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

// Reads the keys of one table, refusing any it does not know.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix)
      : table_(table), prefix_(std::move(prefix)) {}

  // Refuses the keys nobody asked for: misspelt ones would otherwise be ignored.
  void done() const {
    for (const auto& [key, value] : table_) {
      if (!known_.contains(std::string(key.str()))) {
        throw ConfigError(name(std::string(key.str())), "unknown key");
      }
    }
  }

  void text(const char* key, std::string& out) {
    if (const auto* node = find(key)) {
      const auto value = node->value<std::string>();
      if (!value) throw ConfigError(name(key), "must be a string");
      out = *value;
    }
  }
  void path(const char* key, fs::path& out, const fs::path& base) {
    std::string value;
    text(key, value);
    if (!value.empty()) out = base / value;
  }
  void number(const char* key, std::uint64_t& out, std::uint64_t minimum = 0) {
    if (const auto* node = find(key)) {
      const auto value = node->value<std::int64_t>();
      if (!value || *value < 0 || static_cast<std::uint64_t>(*value) < minimum) {
        throw ConfigError(name(key),
                          "must be a whole number of at least " + std::to_string(minimum));
      }
      out = static_cast<std::uint64_t>(*value);
    }
  }
  void flag(const char* key, bool& out) {
    if (const auto* node = find(key)) {
      const auto value = node->value<bool>();
      if (!value) throw ConfigError(name(key), "must be true or false");
      out = *value;
    }
  }
  void mode(const char* key, mode_t& out) {
    std::string value;
    text(key, value);
    if (value.empty()) return;
    std::size_t used = 0;
    unsigned long parsed = 0;
    try {
      parsed = std::stoul(value, &used, 8);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != value.size() || parsed > 07777) {
      throw ConfigError(name(key), "must be an octal mode such as \"0750\"");
    }
    out = static_cast<mode_t>(parsed);
  }
  const toml::table* subtable(const char* key) {
    const auto* node = find(key);
    if (node && !node->is_table()) throw ConfigError(name(key), "must be a table");
    return node ? node->as_table() : nullptr;
  }
  std::string name(const std::string& key) const { return prefix_ + key; }

 private:
  const toml::node* find(const char* key) {
    known_.insert(key);
    return table_.get(key);
  }

  const toml::table& table_;
  std::string prefix_;
  std::set<std::string> known_;
};

SectionAccess read_access(TableReader& reader, SectionAccess access) {
  reader.mode("dir_mode", access.directory_mode);
  reader.mode("file_mode", access.file_mode);
  std::string group;
  reader.text("group", group);
  if (!group.empty()) {
    const struct group* entry = getgrnam(group.c_str());
    if (entry == nullptr) throw ConfigError(reader.name("group"), "no such group: " + group);
    access.group = entry->gr_gid;
  }
  return access;
}

void check(const SpoolConfig& config) {
  if (!is_instance_name(config.instance)) {
    throw ConfigError("spool.instance", "must be 1 to 64 letters, digits, '-' or '_'");
  }
  const std::pair<const char*, const fs::path*> folders[] = {
      {"spool.inbox", &config.inbox},
      {"spool.outbox", &config.outbox},
      {"spool.quarantine", &config.quarantine},
      {"spool.originals", &config.originals},
      {"spool.state", &config.state},
      {"spool.reports", &config.reports},
      {"spool.audit", &config.audit}};
  for (const auto& [key, folder] : folders) {
    if (folder->empty()) throw ConfigError(key, "is required (or set spool.root)");
  }
  if (config.audit_key_file.empty()) {
    throw ConfigError("audit.key_file", "is required: the audit head is signed with it");
  }
  const std::string& target = config.syslog_target;
  if (!target.empty() && !target.starts_with("unix:") && !target.starts_with("udp:")) {
    throw ConfigError("syslog.target", "must be \"\", \"unix:PATH\" or \"udp:HOST:PORT\"");
  }
}

}  // namespace

SpoolConfig load_config(const fs::path& file) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    throw ConfigError("", file.string() + ":" + std::to_string(error.source().begin.line) + ": " +
                              std::string(error.description()));
  }
  const fs::path base = file.has_parent_path() ? file.parent_path() : fs::path(".");
  SpoolConfig config;
  config.instance = host_name();
  {
    TableReader top(root, "");
    const toml::table* spool = top.subtable("spool");
    const toml::table* audit = top.subtable("audit");
    const toml::table* syslog = top.subtable("syslog");
    const toml::table* sections = top.subtable("sections");
    if (spool) {
      TableReader reader(*spool, "spool.");
      fs::path root_folder;
      reader.path("root", root_folder, base);
      if (!root_folder.empty()) {
        config.inbox = root_folder / "inbox";
        config.outbox = root_folder / "outbox";
        config.quarantine = root_folder / "quarantine";
        config.originals = root_folder / "originals";
        config.state = root_folder / "state";
        config.reports = root_folder / "reports";
        config.audit = root_folder / "audit";
      }
      reader.text("instance", config.instance);
      reader.path("inbox", config.inbox, base);
      reader.path("outbox", config.outbox, base);
      reader.path("quarantine", config.quarantine, base);
      reader.path("originals", config.originals, base);
      reader.path("state", config.state, base);
      reader.path("reports", config.reports, base);
      reader.path("audit", config.audit, base);
      std::string policy;
      reader.text("policy", policy);
      if (!policy.empty()) config.policy_file = (base / policy).string();
      reader.flag("sandbox", config.sandbox);
      std::uint64_t workers = 0;
      reader.number("workers", workers);
      if (workers > 256) throw ConfigError("spool.workers", "must be at most 256");
      config.workers = static_cast<unsigned>(workers);
      reader.number("settle_ms", config.settle_ms);
      reader.number("rescan_ms", config.rescan_ms, 100);
      reader.number("file_timeout_ms", config.file_timeout_ms, 100);
      reader.number("min_free_bytes", config.min_free_bytes);
      reader.number("retention_days", config.retention_days);
      reader.number("quarantine_retention_days", config.quarantine_retention_days);
      reader.number("max_depth", config.max_depth, 1);
      reader.path("metrics_file", config.metrics_file, base);
      reader.number("metrics_interval_ms", config.metrics_interval_ms, 100);
      reader.text("notice_contact", config.notice_contact);
      config.default_access = read_access(reader, config.default_access);
      reader.done();
    }
    if (audit) {
      TableReader reader(*audit, "audit.");
      reader.path("key_file", config.audit_key_file, base);
      reader.number("rotate_bytes", config.audit_rotate_bytes, 4096);
      reader.number("head_syslog_interval_ms", config.audit_head_syslog_interval_ms, 100);
      reader.flag("forward_records", config.audit_forward_records);
      reader.done();
    }
    if (syslog) {
      TableReader reader(*syslog, "syslog.");
      reader.text("target", config.syslog_target);
      reader.text("facility", config.syslog_facility);
      reader.done();
    }
    if (sections) {
      for (const auto& [key, node] : *sections) {
        const std::string name(key.str());
        if (!node.is_table()) throw ConfigError("sections." + name, "must be a table");
        TableReader reader(*node.as_table(), "sections." + name + ".");
        config.sections[name] = read_access(reader, config.default_access);
        reader.done();
      }
    }
    top.done();
  }
  if (config.workers == 0) config.workers = std::max(1u, std::thread::hardware_concurrency());
  if (config.metrics_file.empty() && !config.state.empty()) {
    config.metrics_file = config.state / (config.instance + ".prom");
  }
  check(config);
  return config;
}

}  // namespace sanitize::spool
