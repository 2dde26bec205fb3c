#include "inbox_watcher.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "durable_fs.hpp"
#include "safe_names.hpp"

namespace sanitize::spool {
namespace {

constexpr std::uint32_t kWatchedEvents = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY |
                                         IN_ATTRIB | IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF;

bool same_entry(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_mode == b.st_mode &&
         a.st_size == b.st_size && a.st_nlink == b.st_nlink &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

std::string join(const std::string& folder, const std::string& name) {
  return folder.empty() ? name : folder + "/" + name;
}

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

std::size_t depth_of(const std::string& folder) {
  return folder.empty()
             ? 0
             : 1 + static_cast<std::size_t>(std::count(folder.begin(), folder.end(), '/'));
}

}  // namespace

InboxWatcher::InboxWatcher(int root_fd, std::uint64_t max_depth, Logger& log)
    : root_fd_(root_fd),
      max_depth_(max_depth),
      log_(log),
      inotify_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (!inotify_.valid()) log_.warning("inotify is not available: the inbox is only rescanned");
}

void InboxWatcher::watch(const std::string& folder, int dir_fd) {
  if (!inotify_.valid() || watched_folders_.contains(folder)) return;
  // The folder is named by its open descriptor: the path it was opened by may have been
  // swapped for a link since.
  const std::string path = "/proc/self/fd/" + std::to_string(dir_fd);
  const int wd = inotify_add_watch(inotify_.get(), path.c_str(), kWatchedEvents);
  if (wd >= 0) {
    watches_[wd] = folder;
    watched_folders_.insert(folder);
  }
}

void InboxWatcher::look_at(const std::string& folder, int dir_fd, const std::string& name,
                           std::size_t depth, SteadyClock::time_point now) {
  if (is_temporary_name(name)) return;
  const std::string relative = join(folder, name);
  struct stat info {};
  if (fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
    candidates_.erase(relative);
    return;
  }
  if (S_ISDIR(info.st_mode)) {
    if (depth + 1 > max_depth_) {
      if (too_deep_.insert(relative).second) {
        log_.warning("the folder " + relative + " is deeper than max_depth: not picked up");
      }
      return;
    }
    scan_folder(relative, depth + 1, now);
    return;
  }
  auto [found, added] = candidates_.try_emplace(relative, Candidate{info, now});
  if (!added && !same_entry(found->second.info, info)) found->second = Candidate{info, now};
}

void InboxWatcher::scan_folder(const std::string& folder, std::size_t depth,
                               SteadyClock::time_point now) {
  UniqueFd fd = open_directory_beneath(root_fd_, folder);
  if (!fd.valid()) return;  // gone, or swapped for a link: never followed
  watch(folder, fd.get());
  const int dir_fd = fd.get();
  std::unique_ptr<DIR, DirCloser> dir(fdopendir(fd.release()));
  if (!dir) return;
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir.get())) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  for (const auto& name : names) look_at(folder, dir_fd, name, depth, now);
}

void InboxWatcher::rescan(SteadyClock::time_point now) {
  // Entries that went away are dropped when they are next due.
  scan_folder("", 0, now);
}

void InboxWatcher::handle_events(SteadyClock::time_point now) {
  alignas(inotify_event) char buffer[65536];
  bool overflow = false;
  while (inotify_.valid()) {
    const ssize_t got = read(inotify_.get(), buffer, sizeof buffer);
    if (got <= 0) break;
    for (ssize_t offset = 0; offset < got;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      if ((event->mask & IN_Q_OVERFLOW) != 0) {
        overflow = true;
        continue;
      }
      const auto folder = watches_.find(event->wd);
      if (folder == watches_.end()) continue;
      if ((event->mask & (IN_IGNORED | IN_DELETE_SELF)) != 0) {
        watched_folders_.erase(folder->second);
        if ((event->mask & IN_IGNORED) != 0) watches_.erase(folder);
        continue;
      }
      if (event->len == 0) continue;
      UniqueFd dir_fd = open_directory_beneath(root_fd_, folder->second);
      if (dir_fd.valid()) {
        look_at(folder->second, dir_fd.get(), event->name, depth_of(folder->second), now);
      }
    }
  }
  if (overflow) rescan(now);
}

std::vector<InboxEntry> InboxWatcher::take_settled(SteadyClock::time_point now,
                                                   std::chrono::milliseconds settle,
                                                   std::size_t limit) {
  std::vector<InboxEntry> settled;
  std::map<std::string, UniqueFd> folders;
  for (auto it = candidates_.begin(); it != candidates_.end() && settled.size() < limit;) {
    Candidate& candidate = it->second;
    if (now - candidate.stable_since < settle) {
      ++it;
      continue;
    }
    // The second look.
    const std::string& relative = it->first;
    const auto slash = relative.rfind('/');
    const std::string folder =
        slash == std::string::npos ? std::string() : relative.substr(0, slash);
    const std::string name = slash == std::string::npos ? relative : relative.substr(slash + 1);
    auto [dir, added] = folders.try_emplace(folder);
    if (added) dir->second = open_directory_beneath(root_fd_, folder);
    struct stat info {};
    if (!dir->second.valid() ||
        fstatat(dir->second.get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
      it = candidates_.erase(it);
      continue;
    }
    if (!same_entry(info, candidate.info)) {
      candidate = Candidate{info, now};
      ++it;
      continue;
    }
    settled.push_back({relative, info});
    it = candidates_.erase(it);
  }
  return settled;
}

SteadyClock::time_point InboxWatcher::next_check(std::chrono::milliseconds settle) const {
  auto next = SteadyClock::time_point::max();
  for (const auto& [relative, candidate] : candidates_) {
    next = std::min(next, candidate.stable_since + settle);
  }
  return next;
}

}  // namespace sanitize::spool
