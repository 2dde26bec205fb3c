#include "input_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "exit_codes.hpp"

namespace sanitize::cli {
namespace {

// O_NONBLOCK: opening a FIFO put where a file was expected must not hang; it has no effect
// on reading a regular file.
constexpr int kInputFlags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
constexpr int kDirectoryFlags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY;

std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

UniqueFd open_beneath(int root_fd, std::string_view relative, int last_flags) {
  const std::string_view whole = relative;
  UniqueFd directory;
  int parent = root_fd;
  while (true) {
    const auto slash = relative.find('/');
    const bool last = slash == std::string_view::npos;
    const std::string component(relative.substr(0, slash));
    UniqueFd next(::openat(parent, component.c_str(), last ? last_flags : kDirectoryFlags));
    if (!next.valid()) {
      throw std::system_error(errno, std::generic_category(), "cannot open " + std::string(whole));
    }
    if (last) return next;
    directory = std::move(next);
    parent = directory.get();
    relative.remove_prefix(slash + 1);
  }
}

}  // namespace

UniqueFd open_input_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), kInputFlags));
  if (!fd.valid()) {
    const int error = errno;
    if (error == ELOOP) {
      throw UsageError("cannot open input " + path +
                       ": it is a symbolic link (links are not followed; name the file itself)");
    }
    throw UsageError("cannot open input " + path + ": " + std::strerror(error));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    throw UsageError("cannot read input " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    throw UsageError("cannot use input " + path + ": it is " + file_kind(info.st_mode));
  }
  return fd;
}

UniqueFd open_input_beneath(int root_fd, std::string_view relative) {
  return open_beneath(root_fd, relative, kInputFlags);
}

UniqueFd open_directory_beneath(int root_fd, std::string_view relative) {
  return open_beneath(root_fd, relative, kDirectoryFlags);
}

}  // namespace sanitize::cli
