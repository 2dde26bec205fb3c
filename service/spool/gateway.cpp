#include "gateway.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "audit_log.hpp"
#include "durable_fs.hpp"
#include "exit_codes.hpp"
#include "inbox_watcher.hpp"
#include "journal.hpp"
#include "local_time.hpp"
#include "metrics.hpp"
#include "notice.hpp"
#include "output_names.hpp"
#include "process.hpp"
#include "relative_path.hpp"
#include "safe_names.hpp"
#include "sanitize/defaults.hpp"
#include "spool_log.hpp"

namespace sanitize::spool {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using cli::join_relative;
using cli::last_component;
using cli::parent_of;
using std::chrono::milliseconds;

constexpr auto kRetryDelay = std::chrono::seconds(1);
constexpr auto kPurgeInterval = std::chrono::hours(1);
constexpr unsigned kMaxNumberedName = 100000;
constexpr std::size_t kMaxGroup = 256;
// How long a commit waits for the files the other workers are finishing, so that they share
// its syncs (folders, journal, audit and its signed head) instead of paying for them each.
constexpr auto kGroupWindow = milliseconds(3);
constexpr std::uint64_t kJournalCompactBytes = 1 << 20;
// Files claimed ahead of the workers, per worker: enough to keep them busy, few enough
// that a stop does not wait long.
constexpr std::size_t kClaimAheadPerWorker = 32;

// Untrusted text (names) may hold bytes that are not UTF-8: they become U+FFFD in records.
std::string dump(const json& record) {
  return record.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string to_hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char c : bytes) {
    hex += kHex[c >> 4];
    hex += kHex[c & 0x0f];
  }
  return hex;
}

std::string from_hex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return bytes;
}

// The outbox folder mirroring an inbox folder: every component made safe.
std::string safe_folder(const std::string& folder) {
  std::string out;
  std::size_t start = 0;
  while (start < folder.size()) {
    const auto slash = folder.find('/', start);
    const auto end = slash == std::string::npos ? folder.size() : slash;
    out = join_relative(out, safe_name(folder.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

std::string lookup_owner_name(uid_t uid) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return std::to_string(uid);
}

// The account database is read once a minute per owner, not once per file (the same few
// people drop most files); a renamed account shows under its new name within the minute.
std::string owner_name(uid_t uid) {
  constexpr auto kKeep = std::chrono::minutes(1);
  struct Known {
    std::string name;
    SteadyClock::time_point read_at;
  };
  static std::mutex mutex;
  static std::map<uid_t, Known> known;
  const auto now = SteadyClock::now();
  const std::lock_guard lock(mutex);
  auto [entry, added] = known.try_emplace(uid);
  if (added || now - entry->second.read_at > kKeep) {
    entry->second = Known{lookup_owner_name(uid), now};
  }
  return entry->second.name;
}

// Why an entry that is not a plain file is refused, in both languages.
struct Refusal {
  std::string en;
  std::string ja;
};

std::optional<Refusal> refusal_for(const struct stat& info) {
  if (S_ISLNK(info.st_mode))
    return Refusal{"a symbolic link (never followed)", "シンボリックリンク（たどりません）"};
  if (S_ISFIFO(info.st_mode)) return Refusal{"a named pipe", "名前付きパイプ"};
  if (S_ISSOCK(info.st_mode)) return Refusal{"a socket", "ソケット"};
  if (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode)) return Refusal{"a device", "デバイス"};
  if (!S_ISREG(info.st_mode)) return Refusal{"not a regular file", "通常のファイルではありません"};
  if (info.st_nlink != 1) {
    return Refusal{fmt::format("a hard link ({} names share its content)", info.st_nlink),
                   "ハードリンク（他の場所と内容を共有しています）"};
  }
  return std::nullopt;
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (getrandom(raw.data(), raw.size(), 0) != static_cast<ssize_t>(raw.size())) {
    raw = std::to_string(getpid());
  }
  return to_hex(raw).substr(0, bytes * 2);
}

// What the engine, a worker and the parent's checks need, rebuilt on a reload.
struct Runtime {
  std::unique_ptr<Engine> engine;
  std::unique_ptr<cli::Processor> processor;
};

std::shared_ptr<Runtime> make_runtime(const SpoolConfig& config) {
  Policy policy =
      config.policy_file.empty() ? Policy::defaults() : Policy::from_file(config.policy_file);
  policy.limits.deadline_ms = std::min(policy.limits.deadline_ms, config.file_timeout_ms);
  auto runtime = std::make_shared<Runtime>();
  runtime->engine = make_default_engine(std::move(policy));
  runtime->processor = std::make_unique<cli::Processor>(*runtime->engine, config.sandbox);
  return runtime;
}

// One claimed file on its way through the gateway.
struct Item {
  std::string id;
  std::string relative;  // in the inbox, as dropped
  SteadyClock::time_point claimed_at = SteadyClock::now();
  SteadyClock::time_point not_before{};
  unsigned attempts = 0;

  // Decided by the worker.
  std::string verdict;
  std::string outbox_folder;  // safe, relative to the outbox
  std::string temporary;      // in that folder
  std::string wanted_name;
  std::string archive_root;  // "originals", "quarantine" or "none" (nothing to keep)
  std::string archive_folder;
  std::string archive_name;
  json audit;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  bool sandbox_failure = false;
  // Written by the worker, flushed by the committer before the deliver record.
  std::vector<UniqueFd> unflushed;
  std::string report_folder;  // reports/<date>, when a report was written there

  // Progress of the commit, each step done once.
  std::string name;  // final name in the outbox folder
  bool journaled = false;
  bool audited = false;
  bool released = false;
  bool archived = false;
  bool recovered = false;

  json deliver_record() const {
    return json{{"op", "deliver"},
                {"id", id},
                {"verdict", verdict},
                {"outbox", outbox_folder},
                {"temp", temporary},
                {"name", name},
                {"archive_root", archive_root},
                {"archive_folder", archive_folder},
                {"archive_name", archive_name},
                {"bytes_in", bytes_in},
                {"bytes_out", bytes_out},
                {"audit", audit}};
  }

  static Item from_deliver_record(const json& record, std::string relative) {
    Item item;
    item.id = record.at("id").get<std::string>();
    item.relative = std::move(relative);
    item.verdict = record.at("verdict").get<std::string>();
    item.outbox_folder = record.at("outbox").get<std::string>();
    item.temporary = record.at("temp").get<std::string>();
    item.name = record.at("name").get<std::string>();
    item.wanted_name = item.name;
    item.archive_root = record.at("archive_root").get<std::string>();
    item.archive_folder = record.at("archive_folder").get<std::string>();
    item.archive_name = record.at("archive_name").get<std::string>();
    item.bytes_in = record.at("bytes_in").get<std::uint64_t>();
    item.bytes_out = record.at("bytes_out").get<std::uint64_t>();
    item.audit = record.at("audit");
    item.journaled = true;
    return item;
  }
};

// The claimed file disappeared from state/ (removed by hand): nothing left to process.
class LostClaim : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace

struct Gateway::Impl {
  GatewayOptions options;
  std::shared_ptr<const SpoolConfig> config;
  Logger log;
  std::unique_ptr<SyslogSender> syslog;
  UniqueFd inbox_fd, outbox_fd, quarantine_fd, originals_fd, reports_fd, state_fd;
  std::optional<Journal> journal;
  std::optional<AuditLog> audit;
  std::mutex audit_mutex;
  Metrics metrics;
  std::string id_prefix;
  std::atomic<std::uint64_t> id_counter{0};

  std::mutex runtime_mutex;
  std::shared_ptr<Runtime> runtime;

  std::mutex work_mutex;
  std::condition_variable work_ready;
  std::deque<Item> work;
  std::mutex commit_mutex;
  std::condition_variable commit_ready;
  std::vector<Item> ready;
  std::atomic<std::size_t> in_flight{0};
  // Written when a file is finished: the main loop waits on it while the workers are full.
  UniqueFd finished_fd{eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)};
  std::atomic<bool> stopping{false};
  std::atomic<bool> commit_stopping{false};
  std::vector<std::thread> workers;
  std::thread committer;
  // Outbox names chosen for files not yet renamed into place, by folder.
  std::set<std::string> reserved_names;

  explicit Impl(GatewayOptions o)
      : options(std::move(o)),
        config(std::make_shared<SpoolConfig>(load_config(options.config_file))),
        log(config->instance) {}

  std::shared_ptr<const SpoolConfig> current_config() {
    const std::lock_guard lock(runtime_mutex);
    return config;
  }
  std::shared_ptr<Runtime> current_runtime() {
    const std::lock_guard lock(runtime_mutex);
    return runtime;
  }

  void open_everything();
  void set_up_syslog(const SpoolConfig& c);
  void audit_event(json record);
  std::string new_id() { return fmt::format("{}-{}-{}", id_prefix, compact_time(), ++id_counter); }

  // Recovery.
  void recover();

  // Pick-up and claim (main thread).
  std::size_t claim(std::vector<InboxEntry> entries);

  // Workers.
  void worker_loop();
  void process(Item& item);
  void prepare_refused(Item& item, const Refusal& refusal, const struct stat& info);
  void prepare_result(Item& item, Result& result, const struct stat& info);
  json file_audit(const Item& item, const struct stat& info, const Report* report) const;
  void enqueue_work(Item item);
  void hand_to_committer(Item item);

  // Commit (committer thread).
  void committer_loop();
  void commit_group(std::vector<Item>& group);
  std::string choose_name(int folder_fd, const std::string& folder, const std::string& wanted);
  void release(Item& item, int folder_fd);
  // `folders`: the archive folders opened by this group, by root and name; each is
  // flushed once.
  void archive(Item& item, std::map<std::string, UniqueFd>& folders);
  void finish(Item& item);

  // Housekeeping.
  void purge();
  void reload();
  bool below_floor();
};

void Gateway::Impl::set_up_syslog(const SpoolConfig& c) {
  auto sender =
      std::make_unique<SyslogSender>(c.syslog_target, c.syslog_facility, "sanitize-spool");
  log.set_syslog(sender.get());
  // The previous sender may still be in use by a thread that loaded it: kept until exit.
  static std::vector<std::unique_ptr<SyslogSender>> retired;
  if (syslog) retired.push_back(std::move(syslog));
  syslog = std::move(sender);
}

void Gateway::Impl::open_everything() {
  const SpoolConfig& c = *config;
  set_up_syslog(c);
  inbox_fd = open_or_create_folder(c.inbox, 0755);
  outbox_fd = open_or_create_folder(c.outbox, c.default_access.directory_mode);
  quarantine_fd = open_or_create_folder(c.quarantine, 0750);
  originals_fd = open_or_create_folder(c.originals, 0750);
  reports_fd = open_or_create_folder(c.reports, 0750);
  UniqueFd state_root = open_or_create_folder(c.state, 0750);
  state_fd = make_directories_beneath(state_root.get(), c.instance, 0750);
  journal.emplace(state_fd.get());
  audit.emplace(c.audit / c.instance, c.instance, AuditKey::load(c.audit_key_file),
                c.audit_rotate_bytes);
  if (audit->torn_bytes() > 0) {
    log.warning(fmt::format("the audit log ended in a torn line of {} bytes after a crash: cut off",
                            audit->torn_bytes()));
    audit_event({{"event", "torn_tail_truncated"}, {"bytes", audit->torn_bytes()}});
  }
  id_prefix = c.instance + "-" + random_hex(2);
  runtime = make_runtime(c);
}

void Gateway::Impl::audit_event(json record) {
  const std::lock_guard lock(audit_mutex);
  audit->append(record);
  audit->commit();
}

void Gateway::Impl::recover() {
  std::uint64_t torn = 0;
  const auto records = journal->load(torn);
  if (torn > 0)
    log.warning(fmt::format("the journal ended in a torn line of {} bytes: cut off", torn));
  std::map<std::string, std::string> claimed;  // id -> relative path
  std::map<std::string, json> delivering;
  std::set<std::string> finished;
  std::vector<std::string> order;
  for (const json& record : records) {
    const std::string op = record.value("op", "");
    const std::string id = record.value("id", "");
    if (op == "claim") {
      claimed[id] = from_hex(record.value("path_hex", ""));
      order.push_back(id);
    } else if (op == "deliver") {
      delivering[id] = record;
    } else if (op == "rename") {
      if (delivering.contains(id)) delivering[id]["name"] = record.value("name", "");
    } else if (op == "done" || op == "drop") {
      finished.insert(id);
    }
  }
  std::size_t reprocessed = 0;
  std::size_t completed = 0;
  std::size_t dropped = 0;
  std::vector<json> still_pending;
  std::vector<Item> to_commit;
  for (const std::string& id : order) {
    if (finished.contains(id)) continue;
    const std::string& relative = claimed[id];
    struct stat info {};
    const bool has_input =
        fstatat(state_fd.get(), (id + ".in").c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0;
    const auto deliver = delivering.find(id);
    if (deliver == delivering.end()) {
      if (!has_input) {
        // Claimed on paper only: the rename never happened (or another daemon won it).
        ++dropped;
        continue;
      }
      // Processing was cut short: whatever it left in the outbox is removed, then it runs again.
      const std::string folder = safe_folder(parent_of(relative));
      UniqueFd folder_fd = open_directory_beneath(outbox_fd.get(), folder);
      if (folder_fd.valid()) unlinkat(folder_fd.get(), (".spool-" + id + ".tmp").c_str(), 0);
      still_pending.push_back({{"op", "claim"}, {"id", id}, {"path_hex", to_hex(relative)}});
      Item item;
      item.id = id;
      item.relative = relative;
      item.recovered = true;
      ++in_flight;
      enqueue_work(std::move(item));
      ++reprocessed;
      continue;
    }
    // Processed and recorded: finish the release and the archiving.
    Item item = Item::from_deliver_record(deliver->second, relative);
    item.recovered = true;
    item.audited = audit->has_file_record(id);
    still_pending.push_back({{"op", "claim"}, {"id", id}, {"path_hex", to_hex(relative)}});
    still_pending.push_back(deliver->second);
    to_commit.push_back(std::move(item));
    ++completed;
  }
  journal->rewrite(still_pending);
  in_flight += to_commit.size();
  for (Item& item : to_commit) hand_to_committer(std::move(item));
  if (reprocessed + completed + dropped > 0) {
    log.info(
        fmt::format("recovery: {} file(s) run again, {} delivery(ies) finished, {} claim(s) "
                    "that never happened dropped",
                    reprocessed, completed, dropped));
    audit_event({{"event", "recovery"},
                 {"reprocessed", reprocessed},
                 {"completed", completed},
                 {"dropped", dropped}});
  }
}

std::size_t Gateway::Impl::claim(std::vector<InboxEntry> entries) {
  if (entries.empty()) return 0;
  std::vector<std::pair<std::string, InboxEntry>> claims;
  try {
    for (InboxEntry& entry : entries) {
      const std::string id = new_id();
      journal->append({{"op", "claim"}, {"id", id}, {"path_hex", to_hex(entry.relative)}});
      claims.emplace_back(id, std::move(entry));
    }
    journal->sync();
  } catch (const std::system_error& error) {
    log.warning(fmt::format("cannot claim files now (will retry): {}", error.what()));
    metrics.count_retry();
    for (const auto& [id, entry] : claims) {
      try {
        journal->append({{"op", "drop"}, {"id", id}});
      } catch (const std::system_error&) {
        // Recovery drops claims whose file never moved.
      }
    }
    return 0;
  }
  std::map<std::string, UniqueFd> folders;
  std::vector<Item> claimed;
  for (auto& [id, entry] : claims) {
    const std::string folder = parent_of(entry.relative);
    auto [dir, added] = folders.try_emplace(folder);
    if (added) dir->second = open_directory_beneath(inbox_fd.get(), folder);
    bool moved = false;
    if (dir->second.valid()) {
      try {
        moved = rename_no_replace(dir->second.get(), last_component(entry.relative), state_fd.get(),
                                  id + ".in");
      } catch (const std::system_error& error) {
        if (error.code().value() != ENOENT) {
          log.warning(fmt::format("cannot claim {}: {}", entry.relative, error.what()));
        }
      }
    }
    if (!moved) {
      // Gone (another daemon took it, or its writer removed it): nothing to do.
      try {
        journal->append({{"op", "drop"}, {"id", id}});
      } catch (const std::system_error&) {
        // Recovery drops claims whose file never moved.
      }
      continue;
    }
    Item item;
    item.id = id;
    item.relative = entry.relative;
    claimed.push_back(std::move(item));
  }
  // The claims are durable (the files gone from the inbox, present in state/) before any
  // of them is worked on.
  try {
    sync_directory(state_fd.get());
    for (const auto& [folder, fd] : folders) {
      if (fd.valid()) sync_directory(fd.get());
    }
  } catch (const std::system_error& error) {
    log.warning(fmt::format("cannot flush the claims: {}", error.what()));
  }
  const std::size_t count = claimed.size();
  in_flight += count;
  for (Item& item : claimed) enqueue_work(std::move(item));
  return count;
}

void Gateway::Impl::enqueue_work(Item item) {
  {
    const std::lock_guard lock(work_mutex);
    work.push_back(std::move(item));
  }
  work_ready.notify_one();
}

void Gateway::Impl::hand_to_committer(Item item) {
  {
    const std::lock_guard lock(commit_mutex);
    ready.push_back(std::move(item));
  }
  commit_ready.notify_one();
}

void Gateway::Impl::worker_loop() {
  while (true) {
    Item item;
    {
      std::unique_lock lock(work_mutex);
      while (true) {
        // At a stop, files waiting for a retry (a full disk) stay claimed: the next start
        // recovers them.
        if (stopping && std::all_of(work.begin(), work.end(),
                                    [](const Item& waiting) { return waiting.attempts > 0; })) {
          return;
        }
        const auto now = SteadyClock::now();
        const auto due = std::find_if(work.begin(), work.end(), [&](const Item& candidate) {
          return candidate.not_before <= now;
        });
        if (due != work.end()) {
          item = std::move(*due);
          work.erase(due);
          break;
        }
        if (work.empty()) {
          work_ready.wait(lock);
        } else {
          work_ready.wait_for(lock, milliseconds(100));
        }
      }
    }
    try {
      process(item);
      hand_to_committer(std::move(item));
    } catch (const LostClaim& error) {
      log.error(fmt::format("{} ({}): {}", item.relative, item.id, error.what()));
      try {
        journal->append({{"op", "drop"}, {"id", item.id}});
      } catch (const std::system_error&) {
        // Recovery drops it again.
      }
      --in_flight;
    } catch (const std::exception& error) {
      metrics.count_retry();
      if (item.attempts++ == 0 || item.attempts % 30 == 0) {
        log.warning(fmt::format("{} ({}): {}; will retry", item.relative, item.id, error.what()));
      }
      UniqueFd folder_fd = open_directory_beneath(outbox_fd.get(), item.outbox_folder);
      if (folder_fd.valid() && !item.temporary.empty()) {
        unlinkat(folder_fd.get(), item.temporary.c_str(), 0);
      }
      item.not_before = SteadyClock::now() + kRetryDelay;
      enqueue_work(std::move(item));
    }
  }
}

json Gateway::Impl::file_audit(const Item& item, const struct stat& info,
                               const Report* report) const {
  const std::string folder = parent_of(item.relative);
  const auto slash = item.relative.find('/');
  json record = {
      {"event", "file"},
      {"id", item.id},
      {"input", item.relative},
      {"section", slash == std::string::npos ? std::string() : item.relative.substr(0, slash)},
      {"folder", folder},
      {"owner", owner_name(info.st_uid)},
      {"uid", info.st_uid},
      {"input_size", static_cast<std::uint64_t>(info.st_size)},
      {"verdict", item.verdict}};
  if (report != nullptr) {
    record["input_sha256"] = report->input_sha256;
    record["type"] = report->detected_type;
    if (report->verdict == Verdict::blocked) {
      record["block_reason"] = std::string(to_string(report->block_reason));
      record["block_detail"] = report->block_detail;
    }
    std::map<std::string, std::uint64_t> kinds;
    std::vector<const Report*> pending{report};
    while (!pending.empty()) {
      const Report* current = pending.back();
      pending.pop_back();
      for (const auto& finding : current->findings) ++kinds[finding.kind];
      for (const auto& child : current->children) pending.push_back(&child);
    }
    record["findings"] = report->total_findings();
    record["finding_kinds"] = kinds;
    record["elapsed_ms"] = report->elapsed_ms;
  }
  return record;
}

void Gateway::Impl::prepare_refused(Item& item, const Refusal& refusal, const struct stat& info) {
  item.verdict = "refused";
  item.archive_root = "none";
  item.audit = file_audit(item, info, nullptr);
  item.audit["block_reason"] = "not_a_regular_file";
  item.audit["block_detail"] = refusal.en;
  item.audit["quarantine"] = item.id;
  const auto c = current_config();
  UniqueFd folder = make_directories_beneath(quarantine_fd.get(), item.id, 0750);
  unlinkat(folder.get(), "report.json", 0);
  write_new_file(folder.get(), "report.json",
                 bytes_of(dump(json{{"name", item.relative},
                                    {"verdict", "refused"},
                                    {"reason", refusal.en},
                                    {"owner", owner_name(info.st_uid)}}) +
                          "\n"),
                 0640);
  sync_directory(quarantine_fd.get());
  const std::string safe = safe_name(last_component(item.relative));
  NoticeFacts facts{safe,
                    iso_time(),
                    refusal.ja + "は受け付けません",
                    refusal.en + " is not accepted",
                    item.id,
                    c->notice_contact,
                    false};
  const SectionAccess& access =
      c->access_for(item.outbox_folder.substr(0, item.outbox_folder.find('/')));
  UniqueFd outbox_folder =
      make_directories_beneath(outbox_fd.get(), item.outbox_folder, access.directory_mode,
                               access.group ? static_cast<int>(*access.group) : -1);
  unlinkat(outbox_folder.get(), item.temporary.c_str(), 0);
  write_new_file(outbox_folder.get(), item.temporary, bytes_of(notice_text(facts)),
                 access.file_mode, access.group ? static_cast<int>(*access.group) : -1);
  item.wanted_name = notice_name(safe);
}

void Gateway::Impl::prepare_result(Item& item, Result& result, const struct stat& info) {
  const auto c = current_config();
  const Report& report = result.report;
  item.sandbox_failure = report.block_reason == BlockReason::sandbox_failure ||
                         report.block_reason == BlockReason::timeout;
  const std::string safe = safe_name(last_component(item.relative));
  const SectionAccess& access =
      c->access_for(item.outbox_folder.substr(0, item.outbox_folder.find('/')));
  const int group = access.group ? static_cast<int>(*access.group) : -1;
  UniqueFd outbox_folder =
      make_directories_beneath(outbox_fd.get(), item.outbox_folder, access.directory_mode, group);
  unlinkat(outbox_folder.get(), item.temporary.c_str(), 0);
  std::optional<std::string> output_name;
  if (result.verdict != Verdict::blocked) {
    output_name = cli::output_file_name(result);
    if (!output_name) {
      cli::block_outside_engine(result, BlockReason::output_rejected,
                                "not a usable output name: \"" + result.output_name + "\"");
    }
  }
  item.verdict = std::string(to_string(result.verdict));
  item.audit = file_audit(item, info, &report);
  const std::string report_text = report.to_json(2) + "\n";
  if (result.verdict != Verdict::blocked) {
    item.unflushed.push_back(write_new_file_unflushed(outbox_folder.get(), item.temporary,
                                                      result.output, access.file_mode, group));
    item.bytes_out = result.output.size();
    item.wanted_name = safe_name(*output_name);
    item.audit["output_size"] = report.output_size;
    item.audit["output_sha256"] = report.output_sha256;
    const std::string date = local_date();
    UniqueFd reports_folder = make_directories_beneath(reports_fd.get(), date, 0750);
    unlinkat(reports_folder.get(), (item.id + ".json").c_str(), 0);
    item.unflushed.push_back(write_new_file_unflushed(reports_folder.get(), item.id + ".json",
                                                      bytes_of(report_text), 0640));
    item.report_folder = date;
    item.audit["report"] = date + "/" + item.id + ".json";
    item.archive_root = "originals";
    item.archive_folder = date;
    item.archive_name = item.id + "-" + safe;
    return;
  }
  UniqueFd folder = make_directories_beneath(quarantine_fd.get(), item.id, 0750);
  unlinkat(folder.get(), "report.json", 0);
  write_new_file(folder.get(), "report.json", bytes_of(report_text), 0640);
  sync_directory(quarantine_fd.get());
  item.audit["quarantine"] = item.id;
  NoticeFacts facts{safe, iso_time(), report.note_ja, report.note_en, item.id, c->notice_contact,
                    true};
  write_new_file(outbox_folder.get(), item.temporary, bytes_of(notice_text(facts)),
                 access.file_mode, group);
  item.wanted_name = notice_name(safe);
  item.archive_root = "quarantine";
  item.archive_folder = item.id;
  item.archive_name = safe;
}

void Gateway::Impl::process(Item& item) {
  item.outbox_folder = safe_folder(parent_of(item.relative));
  item.temporary = ".spool-" + item.id + ".tmp";
  UniqueFd input = open_hostile_file(state_fd.get(), item.id + ".in");
  struct stat info {};
  if (!input.valid()) {
    // A symbolic link (ELOOP) or something that cannot be opened for reading: refused by
    // what it is, never read through.
    if (fstatat(state_fd.get(), (item.id + ".in").c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) throw LostClaim("the claimed file is gone from state/");
      throw_errno("cannot look at the claimed file");
    }
    const auto refusal = refusal_for(info);
    prepare_refused(
        item, refusal ? *refusal : Refusal{"a file that cannot be opened", "開けないファイル"},
        info);
    return;
  }
  if (fstat(input.get(), &info) != 0) throw_errno("cannot read the claimed file");
  item.bytes_in = static_cast<std::uint64_t>(info.st_size);
  if (const auto refusal = refusal_for(info)) {
    prepare_refused(item, *refusal, info);
    return;
  }
  const auto runtime_now = current_runtime();
  Result result =
      runtime_now->processor->process(input.get(), safe_name(last_component(item.relative)));
  prepare_result(item, result, info);
}

std::string Gateway::Impl::choose_name(int folder_fd, const std::string& folder,
                                       const std::string& wanted) {
  for (unsigned n = 0; n <= kMaxNumberedName; ++n) {
    const std::string candidate = n == 0 ? wanted : cli::numbered_name(wanted, n);
    struct stat info {};
    if (reserved_names.contains(join_relative(folder, candidate))) continue;
    if (fstatat(folder_fd, candidate.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0) continue;
    if (errno != ENOENT) throw_errno("cannot look at the outbox");
    reserved_names.insert(join_relative(folder, candidate));
    return candidate;
  }
  errno = EEXIST;
  throw_errno("no free name for " + join_relative(folder, wanted));
}

void Gateway::Impl::release(Item& item, int folder_fd) {
  while (true) {
    struct stat temporary {};
    if (fstatat(folder_fd, item.temporary.c_str(), &temporary, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) throw_errno("cannot look at the outbox");
      // Renamed before a crash: the journal's name is where it went.
      break;
    }
    struct stat target {};
    if (fstatat(folder_fd, item.name.c_str(), &target, AT_SYMLINK_NOFOLLOW) == 0 &&
        target.st_ino == temporary.st_ino && target.st_dev == temporary.st_dev) {
      // A link + unlink rename cut between the two.
      unlinkat(folder_fd, item.temporary.c_str(), 0);
      break;
    }
    if (rename_no_replace(folder_fd, item.temporary, folder_fd, item.name)) break;
    // Someone else (another daemon, a person on the LGWAN side) took the name since it was
    // chosen: a new one, recorded before it is used.
    reserved_names.erase(join_relative(item.outbox_folder, item.name));
    item.name = choose_name(folder_fd, item.outbox_folder, item.wanted_name);
    journal->append({{"op", "rename"}, {"id", item.id}, {"name", item.name}});
    journal->sync();
    const std::lock_guard lock(audit_mutex);
    AuditRecord renamed;
    renamed["event"] = "renamed";
    renamed["id"] = item.id;
    renamed["output"] = join_relative(item.outbox_folder, item.name);
    audit->append(renamed);
    audit->commit();
  }
  reserved_names.erase(join_relative(item.outbox_folder, item.name));
  item.released = true;
}

void Gateway::Impl::archive(Item& item, std::map<std::string, UniqueFd>& folders) {
  const std::string input = item.id + ".in";
  struct stat info {};
  if (fstatat(state_fd.get(), input.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno != ENOENT) throw_errno("cannot look at state/");
    item.archived = true;  // archived before a crash
    return;
  }
  if (item.archive_root == "none") {
    // Not a file: its name goes, nothing is read or kept.
    if (unlinkat(state_fd.get(), input.c_str(), 0) != 0)
      throw_errno("cannot remove a refused entry");
  } else {
    const int root = item.archive_root == "originals" ? originals_fd.get() : quarantine_fd.get();
    auto [folder, added] = folders.try_emplace(item.archive_root + "/" + item.archive_folder);
    if (added) folder->second = make_directories_beneath(root, item.archive_folder, 0750);
    if (!rename_no_replace(state_fd.get(), input, folder->second.get(), item.archive_name) &&
        !rename_no_replace(state_fd.get(), input, folder->second.get(),
                           item.archive_name + "." + item.id)) {
      errno = EEXIST;
      throw_errno("cannot archive " + item.id);
    }
  }
  item.archived = true;
}

void Gateway::Impl::finish(Item& item) {
  const std::string output = join_relative(item.outbox_folder, item.name);
  const char* after_restart = item.recovered ? " [finished after a restart]" : "";
  const bool delivered = item.verdict == "clean" || item.verdict == "sanitized";
  if (delivered) {
    const std::uint64_t findings = item.audit.value("findings", std::uint64_t{0});
    log.info(fmt::format("{} -> {} ({}{}){}", item.relative, output, item.verdict,
                         findings > 0 ? fmt::format(", {} finding(s)", findings) : std::string(),
                         after_restart));
  } else {
    log.warning(fmt::format("{} {}: {}; notice {}, quarantine {}{}", item.relative, item.verdict,
                            item.audit.value("block_detail", std::string()), output, item.id,
                            after_restart));
  }
  const double seconds =
      std::chrono::duration<double>(SteadyClock::now() - item.claimed_at).count();
  metrics.count_file(item.verdict, item.bytes_in, delivered ? item.bytes_out : 0, seconds);
  if (item.sandbox_failure) metrics.count_sandbox_failure();
  if (current_config()->audit_forward_records)
    log.to_syslog(LogLevel::info, "audit", dump(item.audit));
  --in_flight;
}

void Gateway::Impl::commit_group(std::vector<Item>& group) {
  const auto c = current_config();
  std::map<std::string, UniqueFd> folders;
  const auto folder_of = [&](const Item& item) -> int {
    auto [entry, added] = folders.try_emplace(item.outbox_folder);
    if (added) {
      const SectionAccess& access =
          c->access_for(item.outbox_folder.substr(0, item.outbox_folder.find('/')));
      entry->second =
          make_directories_beneath(outbox_fd.get(), item.outbox_folder, access.directory_mode,
                                   access.group ? static_cast<int>(*access.group) : -1);
    }
    return entry->second.get();
  };
  // 1. The temporary files' names are durable; each gets its final name, journaled.
  bool journal_dirty = false;
  for (Item& item : group) {
    if (item.journaled) continue;
    const int fd = folder_of(item);
    if (item.name.empty()) item.name = choose_name(fd, item.outbox_folder, item.wanted_name);
    item.audit["output"] = join_relative(item.outbox_folder, item.name);
    journal_dirty = true;
  }
  if (journal_dirty) {
    std::map<std::string, UniqueFd> report_folders;
    for (Item& item : group) {
      for (UniqueFd& fd : item.unflushed) {
        if (fsync(fd.get()) != 0) throw_errno("cannot flush a file of " + item.id);
      }
      item.unflushed.clear();
      if (!item.report_folder.empty() && !report_folders.contains(item.report_folder)) {
        report_folders[item.report_folder] =
            open_directory_beneath(reports_fd.get(), item.report_folder);
      }
    }
    for (auto& [folder, fd] : report_folders) {
      if (fd.valid()) sync_directory(fd.get());
    }
    for (auto& [folder, fd] : folders) sync_directory(fd.get());
    for (Item& item : group) {
      if (!item.journaled) journal->append(item.deliver_record());
    }
    journal->sync();
    for (Item& item : group) item.journaled = true;
  }
  // 2. The audit records, durable and signed, before anything is released.
  {
    const std::lock_guard lock(audit_mutex);
    for (Item& item : group) {
      if (item.audited) continue;
      audit->append(item.audit);
      item.audited = true;
    }
    audit->commit();
  }
  // 3. Release into the outbox.
  for (Item& item : group) {
    if (!item.released) release(item, folder_of(item));
  }
  for (auto& [folder, fd] : folders) sync_directory(fd.get());
  // 4. Keep the originals.
  std::map<std::string, UniqueFd> archive_folders;
  for (Item& item : group) {
    if (!item.archived) archive(item, archive_folders);
  }
  for (const auto& [name, fd] : archive_folders) sync_directory(fd.get());
  sync_directory(state_fd.get());
  // 5. Done.
  for (Item& item : group) {
    journal->append({{"op", "done"}, {"id", item.id}});
    finish(item);
  }
  group.clear();
  const std::lock_guard lock(audit_mutex);
  audit->rotate_if_due();
}

void Gateway::Impl::committer_loop() {
  std::vector<Item> group;
  unsigned failures = 0;
  while (true) {
    {
      std::unique_lock lock(commit_mutex);
      if (group.empty()) {
        commit_ready.wait(lock, [&] { return !ready.empty() || commit_stopping; });
        if (ready.empty() && commit_stopping) return;
        const std::size_t busy = std::min<std::size_t>(current_config()->workers, in_flight);
        commit_ready.wait_for(lock, kGroupWindow,
                              [&] { return ready.size() >= busy || commit_stopping; });
      } else {
        commit_ready.wait_for(lock, kRetryDelay, [&] { return commit_stopping.load(); });
      }
      while (!ready.empty() && group.size() < kMaxGroup) {
        group.push_back(std::move(ready.front()));
        ready.erase(ready.begin());
      }
    }
    try {
      commit_group(group);
      failures = 0;
    } catch (const std::exception& error) {
      metrics.count_retry();
      if (failures++ % 30 == 0) {
        log.warning(fmt::format("cannot deliver {} file(s) now (will retry): {}", group.size(),
                                error.what()));
      }
      if (commit_stopping && failures > 30) {
        log.error("giving up at stop: what is left is finished by recovery at the next start");
        in_flight -= group.size();
        return;
      }
    }
  }
}

void Gateway::Impl::purge() {
  const auto c = current_config();
  Removed originals;
  Removed quarantined;
  const auto now = SystemClock::now();
  const std::string oldest_kept = local_date(now - std::chrono::hours(24) * c->retention_days);
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(c->originals, error)) {
    const std::string name = entry.path().filename().string();
    if (name.size() == 10 && name < oldest_kept) {
      const Removed removed = remove_tree(originals_fd.get(), name);
      originals.files += removed.files;
      originals.bytes += removed.bytes;
    }
  }
  if (c->quarantine_retention_days > 0) {
    const auto limit =
        fs::file_time_type::clock::now() - std::chrono::hours(24) * c->quarantine_retention_days;
    for (const auto& entry : fs::directory_iterator(c->quarantine, error)) {
      std::error_code time_error;
      if (entry.last_write_time(time_error) < limit && !time_error) {
        const Removed removed = remove_tree(quarantine_fd.get(), entry.path().filename().string());
        quarantined.files += removed.files;
        quarantined.bytes += removed.bytes;
      }
    }
  }
  if (originals.files + quarantined.files == 0) return;
  log.info(fmt::format("retention: removed {} original(s) ({} bytes) and {} quarantined file(s)",
                       originals.files, originals.bytes, quarantined.files));
  audit_event({{"event", "purge"},
               {"originals_removed", originals.files},
               {"originals_bytes", originals.bytes},
               {"quarantine_removed", quarantined.files},
               {"retention_days", c->retention_days}});
}

void Gateway::Impl::reload() {
  try {
    auto fresh = std::make_shared<SpoolConfig>(load_config(options.config_file));
    const SpoolConfig& old = *current_config();
    if (fresh->instance != old.instance || fresh->inbox != old.inbox ||
        fresh->outbox != old.outbox || fresh->state != old.state || fresh->audit != old.audit ||
        fresh->workers != old.workers || fresh->quarantine != old.quarantine ||
        fresh->originals != old.originals || fresh->reports != old.reports) {
      throw ConfigError("", "folders, instance and workers change only with a restart");
    }
    auto fresh_runtime = make_runtime(*fresh);
    set_up_syslog(*fresh);
    {
      const std::lock_guard lock(runtime_mutex);
      config = fresh;
      runtime = fresh_runtime;
    }
    log.info("reloaded " + options.config_file.string());
    audit_event({{"event", "reload"}, {"result", "ok"}, {"policy", fresh->policy_file}});
  } catch (const std::exception& error) {
    log.error(fmt::format("reload refused, the running configuration is kept: {}", error.what()));
    audit_event({{"event", "reload"}, {"result", "refused"}, {"detail", error.what()}});
  }
}

bool Gateway::Impl::below_floor() {
  const std::uint64_t floor = current_config()->min_free_bytes;
  return std::min({free_bytes(state_fd.get()), free_bytes(outbox_fd.get()),
                   free_bytes(originals_fd.get())}) < floor;
}

Gateway::Gateway(GatewayOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Gateway::~Gateway() = default;

int Gateway::run() {
  Impl& g = *impl_;
  sigset_t signals;
  sigemptyset(&signals);
  for (const int number : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&signals, number);
  // Blocked in every thread (they inherit the mask), read in the main loop.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  UniqueFd signal_fd(signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC));

  g.open_everything();
  const auto c = g.current_config();
  g.audit_event({{"event", "start"},
                 {"pid", getpid()},
                 {"workers", c->workers},
                 {"sandbox", c->sandbox},
                 {"policy", c->policy_file}});
  g.committer = std::thread([&g] { g.committer_loop(); });
  g.recover();
  for (unsigned i = 0; i < c->workers; ++i) g.workers.emplace_back([&g] { g.worker_loop(); });
  g.purge();

  InboxWatcher watcher(g.inbox_fd.get(), c->max_depth, g.log);
  auto now = SteadyClock::now();
  watcher.rescan(now);
  auto next_rescan = now + milliseconds(c->rescan_ms);
  auto next_metrics = now;
  auto next_head = now;
  auto next_purge = now + kPurgeInterval;
  bool paused = false;
  g.log.info(fmt::format("started: instance {}, {} worker(s), inbox {}, outbox {}", c->instance,
                         c->workers, c->inbox.string(), c->outbox.string()));
  sd_notify(0, "READY=1\nSTATUS=running");

  bool stop = false;
  while (!stop) {
    const auto config_now = g.current_config();
    const milliseconds settle(config_now->settle_ms);
    now = SteadyClock::now();
    const std::size_t capacity = config_now->workers * kClaimAheadPerWorker;
    // Settled files wait while the workers are full or the disk is low: no spinning then.
    const bool can_claim = !paused && g.in_flight < capacity;
    auto wake = std::min({next_rescan, next_metrics, next_head, next_purge});
    if (can_claim) wake = std::min(wake, watcher.next_check(settle));
    if (g.options.once) wake = std::min(wake, now + milliseconds(50));
    const auto wait = std::chrono::duration_cast<milliseconds>(wake - now).count();
    pollfd entries[3] = {{signal_fd.get(), POLLIN, 0},
                         {watcher.inotify_fd(), POLLIN, 0},
                         {g.finished_fd.get(), POLLIN, 0}};
    poll(entries, 3, static_cast<int>(std::clamp<long long>(wait, 0, 1000)));
    std::uint64_t finished_count = 0;
    if (read(g.finished_fd.get(), &finished_count, sizeof finished_count) < 0) {
      // Nothing finished since the last look.
    }
    now = SteadyClock::now();
    signalfd_siginfo info{};
    while (read(signal_fd.get(), &info, sizeof info) == sizeof info) {
      if (info.ssi_signo == SIGHUP) {
        g.reload();
      } else {
        g.log.info(
            fmt::format("signal {}: finishing the files under way, then stopping", info.ssi_signo));
        stop = true;
      }
    }
    if (stop) break;
    if ((entries[1].revents & POLLIN) != 0) watcher.handle_events(now);
    if (now >= next_rescan) {
      watcher.rescan(now);
      next_rescan = now + milliseconds(config_now->rescan_ms);
    }
    const bool low = g.below_floor();
    if (low != paused) {
      paused = low;
      g.metrics.set_paused(paused);
      if (paused) {
        g.log.warning(fmt::format("free space is below min_free_bytes ({}): nothing new is claimed",
                                  config_now->min_free_bytes));
      } else {
        g.log.info("free space is back above min_free_bytes: claiming again");
      }
    }
    if (!paused && g.in_flight < capacity) {
      g.claim(watcher.take_settled(now, settle, capacity - g.in_flight));
    }
    g.metrics.set_queue_depth(g.in_flight);
    if (g.in_flight == 0 && g.journal->size() > kJournalCompactBytes) {
      // Nothing in flight and the main thread is the only one to claim: the journal holds
      // nothing anyone needs.
      g.journal->rewrite({});
    }
    if (now >= next_metrics) {
      g.metrics.set_syslog_failures(g.syslog ? g.syslog->failures() : 0);
      if (const auto error = g.metrics.write(config_now->metrics_file); !error.empty()) {
        g.log.warning(error);
      }
      next_metrics = now + milliseconds(config_now->metrics_interval_ms);
    }
    if (now >= next_head) {
      const std::lock_guard lock(g.audit_mutex);
      g.log.to_syslog(LogLevel::notice, "audit-head", g.audit->head().to_line());
      next_head = now + milliseconds(config_now->audit_head_syslog_interval_ms);
    }
    if (now >= next_purge) {
      g.purge();
      next_purge = now + kPurgeInterval;
    }
    if (g.options.once && g.in_flight == 0 && watcher.tracked() == 0) {
      // One more look: anything that arrived since the last scan keeps the loop going.
      watcher.rescan(now);
      if (watcher.tracked() == 0) break;
    }
  }

  sd_notify(0, "STOPPING=1\nSTATUS=finishing the files under way");
  {
    const std::lock_guard lock(g.work_mutex);
    g.stopping = true;
  }
  g.work_ready.notify_all();
  for (auto& worker : g.workers) worker.join();
  {
    const std::lock_guard lock(g.commit_mutex);
    g.commit_stopping = true;
  }
  g.commit_ready.notify_all();
  g.committer.join();
  if (g.in_flight == 0) {
    g.journal->rewrite({});
  } else {
    g.journal->sync();
  }
  g.audit_event({{"event", "stop"}, {"pending", g.in_flight.load()}});
  g.metrics.set_queue_depth(g.in_flight);
  g.metrics.write(g.current_config()->metrics_file);
  g.log.to_syslog(LogLevel::notice, "audit-head", g.audit->head().to_line());
  g.log.info("stopped");
  return cli::kExitClean;
}

}  // namespace sanitize::spool
