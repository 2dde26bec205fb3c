// Pick-up: which entries of the inbox are complete. inotify says when something changed;
// a periodic rescan finds what inotify cannot see (network shares). An entry is complete
// when two looks at least settle_ms apart find it unchanged (same inode, size, times):
// a slow writer that closes the file between pieces keeps moving it.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sanitize/unique_fd.hpp"
#include "spool_log.hpp"

namespace sanitize::spool {

using SteadyClock = std::chrono::steady_clock;

struct InboxEntry {
  std::string relative;  // '/'-separated, below the inbox
  struct stat info {};   // lstat: the entry itself, never what a link points to
};

class InboxWatcher {
 public:
  InboxWatcher(int root_fd, std::uint64_t max_depth, Logger& log);

  int inotify_fd() const { return inotify_.get(); }
  // Reads what inotify has; looks at each entry it names.
  void handle_events(SteadyClock::time_point now);
  // Walks the whole inbox.
  void rescan(SteadyClock::time_point now);
  // Entries found unchanged for `settle` at a second look, at most `limit` of them; they
  // are no longer watched (a failed claim finds them again at the next rescan).
  std::vector<InboxEntry> take_settled(SteadyClock::time_point now,
                                       std::chrono::milliseconds settle, std::size_t limit);
  // When the next entry is due for its second look.
  SteadyClock::time_point next_check(std::chrono::milliseconds settle) const;
  std::size_t tracked() const { return candidates_.size(); }

 private:
  struct Candidate {
    struct stat info {};
    SteadyClock::time_point stable_since;
  };

  void scan_folder(const std::string& folder, std::size_t depth, SteadyClock::time_point now);
  void look_at(const std::string& folder, int dir_fd, const std::string& name, std::size_t depth,
               SteadyClock::time_point now);
  void watch(const std::string& folder, int dir_fd);

  int root_fd_;
  std::uint64_t max_depth_;
  Logger& log_;
  UniqueFd inotify_;
  std::map<int, std::string> watches_;  // watch descriptor -> folder
  std::set<std::string> watched_folders_;
  std::set<std::string> too_deep_;  // reported once
  std::map<std::string, Candidate> candidates_;
};

}  // namespace sanitize::spool
