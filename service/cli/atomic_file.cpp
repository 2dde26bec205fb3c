#include "atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>

#include "sanitize/unique_fd.hpp"

namespace sanitize::cli {
namespace {

[[noreturn]] void throw_errno(int error, const std::string& what,
                              const std::filesystem::path& path) {
  throw std::system_error(error, std::generic_category(), what + " " + path.string());
}

// Creates a new file under a name no other writer uses: the process id and a counter,
// retried past leftovers of an earlier process that had the same id. The name is not
// derived from the target's, so it stays short whatever the target is called.
UniqueFd create_temporary(const std::filesystem::path& directory, std::filesystem::path& path) {
  static std::atomic<unsigned long> counter{0};
  constexpr int kAttempts = 100;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    path = directory / (".sanitize-" + std::to_string(::getpid()) + "-" +
                        std::to_string(counter.fetch_add(1)) + ".tmp");
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.valid()) return fd;
    if (errno != EEXIST) throw_errno(errno, "cannot create", path);
  }
  throw_errno(EEXIST, "cannot find a free temporary name in", directory);
}

void write_all(int fd, std::span<const std::uint8_t> bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      throw_errno(errno, "cannot write", path);
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
}

std::filesystem::path directory_of(const std::filesystem::path& target) {
  const auto parent = target.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

}  // namespace

StagedFile::StagedFile(const std::filesystem::path& directory,
                       std::span<const std::uint8_t> bytes) {
  std::filesystem::path path;
  UniqueFd fd = create_temporary(directory, path);
  temporary_ = path;  // from here on the destructor removes it
  try {
    write_all(fd.get(), bytes, path);
    if (::fsync(fd.get()) != 0) throw_errno(errno, "cannot flush", path);
    if (::close(fd.release()) != 0) throw_errno(errno, "cannot write", path);
  } catch (...) {
    discard();
    throw;
  }
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : temporary_(std::exchange(other.temporary_, {})) {}

StagedFile& StagedFile::operator=(StagedFile&& other) noexcept {
  if (this != &other) {
    discard();
    temporary_ = std::exchange(other.temporary_, {});
  }
  return *this;
}

StagedFile::~StagedFile() {
  discard();
}

void StagedFile::discard() noexcept {
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
}

void StagedFile::replace(const std::filesystem::path& target) {
  if (::rename(temporary_.c_str(), target.c_str()) != 0) {
    throw_errno(errno, "cannot rename a temporary file to", target);
  }
  temporary_.clear();
}

bool StagedFile::publish_new(const std::filesystem::path& target) {
  if (::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) {
    temporary_.clear();
    return true;
  }
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) {
    throw_errno(errno, "cannot rename a temporary file to", target);
  }
  // The file system cannot rename without replacing: a hard link fails the same way when
  // the name is taken.
  if (::link(temporary_.c_str(), target.c_str()) != 0) {
    if (errno == EEXIST) return false;
    throw_errno(errno, "cannot link a temporary file to", target);
  }
  discard();
  return true;
}

void sync_directory(const std::filesystem::path& directory) {
  UniqueFd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) throw_errno(errno, "cannot open directory", directory);
  // Some file systems cannot flush a directory (EINVAL); their renames are as durable as
  // they get.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) throw_errno(errno, "cannot flush", directory);
}

void write_file_atomically(const std::filesystem::path& target,
                           std::span<const std::uint8_t> bytes) {
  const auto directory = directory_of(target);
  StagedFile staged(directory, bytes);
  staged.replace(target);
  sync_directory(directory);
}

}  // namespace sanitize::cli
