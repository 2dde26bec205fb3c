#include "durable_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace sanitize::spool {
namespace {

std::vector<std::string> components(const std::string& relative) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= relative.size()) {
    const auto slash = relative.find('/', start);
    const auto end = slash == std::string::npos ? relative.size() : slash;
    if (end > start) parts.push_back(relative.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

struct DirCloser {
  void operator()(DIR* dir) const { closedir(dir); }
};

}  // namespace

void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

UniqueFd open_beneath(int root_fd, const std::string& relative, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) != 0 ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  const char* path = relative.empty() ? "." : relative.c_str();
  while (true) {
    const long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof how);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    if (errno != EINTR && errno != EAGAIN) return UniqueFd();
  }
}

UniqueFd open_hostile_file(int root_fd, const std::string& relative) {
  return open_beneath(root_fd, relative, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
}

UniqueFd open_directory_beneath(int root_fd, const std::string& relative) {
  return open_beneath(root_fd, relative, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
}

UniqueFd make_directories_beneath(int root_fd, const std::string& relative, mode_t mode,
                                  int group) {
  UniqueFd current(fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  if (!current.valid()) throw_errno("dup");
  for (const std::string& part : components(relative)) {
    UniqueFd next = open_directory_beneath(current.get(), part);
    if (!next.valid() && errno == ENOENT) {
      if (mkdirat(current.get(), part.c_str(), mode) != 0 && errno != EEXIST) {
        throw_errno("cannot create the folder " + relative);
      }
      next = open_directory_beneath(current.get(), part);
      // mkdir obeys the umask; the configured mode is what the LGWAN side must see.
      if (next.valid()) {
        if (fchmod(next.get(), mode) != 0) throw_errno("cannot set the mode of " + relative);
        if (group >= 0 &&
            fchown(next.get(), static_cast<uid_t>(-1), static_cast<gid_t>(group)) != 0) {
          throw_errno("cannot set the group of " + relative);
        }
        sync_directory(current.get());
      }
    }
    if (!next.valid()) {
      throw_errno("cannot open the folder " + relative + " (a symbolic link is never followed)");
    }
    current = std::move(next);
  }
  return current;
}

UniqueFd open_or_create_folder(const std::filesystem::path& path, mode_t mode) {
  std::error_code error;
  if (!std::filesystem::is_directory(path, error)) {
    std::filesystem::create_directories(path, error);
    if (error) throw std::system_error(error, "cannot create the folder " + path.string());
    if (::chmod(path.c_str(), mode) != 0) throw_errno("cannot set the mode of " + path.string());
  }
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) throw_errno("cannot open the folder " + path.string());
  return fd;
}

UniqueFd write_new_file_unflushed(int dir_fd, const std::string& name,
                                  std::span<const std::uint8_t> bytes, mode_t mode, int group) {
  UniqueFd fd(
      openat(dir_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) throw_errno("cannot create " + name);
  try {
    while (!bytes.empty()) {
      const ssize_t written = write(fd.get(), bytes.data(), bytes.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) throw_errno("cannot write " + name);
      bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
    if (fchmod(fd.get(), mode) != 0) throw_errno("cannot set the mode of " + name);
    if (group >= 0 && fchown(fd.get(), static_cast<uid_t>(-1), static_cast<gid_t>(group)) != 0) {
      throw_errno("cannot set the group of " + name);
    }
  } catch (...) {
    unlinkat(dir_fd, name.c_str(), 0);
    throw;
  }
  return fd;
}

void write_new_file(int dir_fd, const std::string& name, std::span<const std::uint8_t> bytes,
                    mode_t mode, int group) {
  UniqueFd fd = write_new_file_unflushed(dir_fd, name, bytes, mode, group);
  if (fsync(fd.get()) != 0 || close(fd.release()) != 0) {
    const int error = errno;
    unlinkat(dir_fd, name.c_str(), 0);
    errno = error;
    throw_errno("cannot flush " + name);
  }
}

bool rename_no_replace(int from_dir, const std::string& from, int to_dir, const std::string& to) {
  if (renameat2(from_dir, from.c_str(), to_dir, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) throw_errno("cannot rename " + from + " to " + to);
  // No RENAME_NOREPLACE on this file system: a hard link fails the same way on a taken name.
  if (linkat(from_dir, from.c_str(), to_dir, to.c_str(), 0) != 0) {
    if (errno == EEXIST) return false;
    throw_errno("cannot link " + from + " to " + to);
  }
  if (unlinkat(from_dir, from.c_str(), 0) != 0) throw_errno("cannot remove " + from);
  return true;
}

void sync_directory(int dir_fd) {
  if (fsync(dir_fd) != 0 && errno != EINVAL) throw_errno("cannot flush a folder");
}

std::uint64_t free_bytes(int fd) {
  struct statvfs info {};
  if (fstatvfs(fd, &info) != 0) return 0;
  return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

Removed remove_tree(int parent_fd, const std::string& name) {
  Removed removed;
  UniqueFd fd = open_directory_beneath(parent_fd, name);
  if (!fd.valid()) {
    struct stat info {};
    if (fstatat(parent_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
        unlinkat(parent_fd, name.c_str(), 0) == 0) {
      removed.files = 1;
      removed.bytes = static_cast<std::uint64_t>(info.st_size);
    }
    return removed;
  }
  const int dir_fd = fd.get();
  std::unique_ptr<DIR, DirCloser> dir(fdopendir(fd.release()));
  if (!dir) return removed;
  std::vector<std::string> names;
  while (const dirent* entry = readdir(dir.get())) {
    const std::string entry_name = entry->d_name;
    if (entry_name != "." && entry_name != "..") names.push_back(entry_name);
  }
  for (const std::string& entry_name : names) {
    const Removed below = remove_tree(dir_fd, entry_name);
    removed.files += below.files;
    removed.bytes += below.bytes;
  }
  dir.reset();
  unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR);
  return removed;
}

}  // namespace sanitize::spool
