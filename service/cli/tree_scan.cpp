#include "tree_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "input_files.hpp"

namespace sanitize::cli {
namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

std::string skip_reason(mode_t mode) {
  if (S_ISLNK(mode)) return "symbolic link (not followed)";
  if (S_ISFIFO(mode)) return "named pipe";
  if (S_ISSOCK(mode)) return "socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "device";
  return "not a regular file";
}

std::string join(const std::string& directory, const char* name) {
  return directory.empty() ? std::string(name) : directory + "/" + name;
}

std::string shown(const std::string& directory) {
  return directory.empty() ? "." : directory;
}

UniqueFd open_folder(int root_fd, const std::string& directory) {
  if (!directory.empty()) return open_directory_beneath(root_fd, directory);
  // A descriptor of its own: reading the root must not move the offset of root_fd.
  UniqueFd fd(::openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) throw std::system_error(errno, std::generic_category(), "cannot open .");
  return fd;
}

}  // namespace

TreeScan scan_tree(int root_fd) {
  TreeScan scan;
  // Folders still to read, relative to the root; each is opened afresh from the root so
  // that no more than one folder descriptor is open however deep the tree is.
  std::vector<std::string> pending{""};
  while (!pending.empty()) {
    const std::string directory = std::move(pending.back());
    pending.pop_back();
    UniqueFd fd;
    try {
      fd = open_folder(root_fd, directory);
    } catch (const std::system_error& error) {
      scan.skipped.push_back(
          {shown(directory), "cannot open the folder: " + error.code().message(), true});
      continue;
    }
    DirHandle dir(::fdopendir(fd.get()));
    if (!dir) {
      scan.skipped.push_back(
          {shown(directory), std::string("cannot read the folder: ") + std::strerror(errno), true});
      continue;
    }
    fd.release();  // owned by dir now
    errno = 0;
    while (const dirent* entry = ::readdir(dir.get())) {
      const char* name = entry->d_name;
      if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
      const std::string path = join(directory, name);
      struct stat info {};
      if (::fstatat(::dirfd(dir.get()), name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
        scan.skipped.push_back({path, std::string("cannot read: ") + std::strerror(errno), true});
      } else if (S_ISREG(info.st_mode)) {
        scan.files.push_back(path);
      } else if (S_ISDIR(info.st_mode)) {
        pending.push_back(path);
      } else {
        scan.skipped.push_back({path, skip_reason(info.st_mode)});
      }
      errno = 0;
    }
    if (errno != 0) {
      scan.skipped.push_back(
          {shown(directory),
           std::string("the folder could not be read to its end: ") + std::strerror(errno), true});
    }
  }
  std::sort(scan.files.begin(), scan.files.end());
  std::sort(scan.skipped.begin(), scan.skipped.end(),
            [](const SkippedEntry& a, const SkippedEntry& b) { return a.path < b.path; });
  return scan;
}

}  // namespace sanitize::cli
