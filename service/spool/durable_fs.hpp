// File system steps of the gateway, each on directory descriptors so that nothing is
// resolved twice: opening beneath a folder without following any symbolic link, writing a
// file durably, renaming without replacing, flushing a folder.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "sanitize/unique_fd.hpp"

namespace sanitize::spool {

[[noreturn]] void throw_errno(const std::string& what);

// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): `relative` may have several components;
// none may be a symbolic link or lead out of `root_fd`. Returns an invalid descriptor and
// sets errno on failure.
UniqueFd open_beneath(int root_fd, const std::string& relative, int flags, mode_t mode = 0);

// A file written by untrusted people, opened for reading with O_NOFOLLOW | O_NONBLOCK (a
// FIFO or device does not block the open), beneath `root_fd` as above.
UniqueFd open_hostile_file(int root_fd, const std::string& relative);
UniqueFd open_directory_beneath(int root_fd, const std::string& relative);

// Opens (creating it and its parents with `mode` when missing) the folder `relative` below
// `root_fd`, never through a symbolic link. `group`, when set, is given to folders it
// creates. Throws std::system_error.
UniqueFd make_directories_beneath(int root_fd, const std::string& relative, mode_t mode,
                                  int group = -1);

// Opens a folder of the configuration, creating it (and its parents) when missing.
UniqueFd open_or_create_folder(const std::filesystem::path& path, mode_t mode = 0750);

// Creates `name` in `dir_fd` (it must not exist), writes `bytes`, sets `mode` (and the
// group when >= 0) and flushes it. On failure nothing is left behind. Throws
// std::system_error.
void write_new_file(int dir_fd, const std::string& name, std::span<const std::uint8_t> bytes,
                    mode_t mode, int group = -1);
// The same without the flush: the descriptor is returned for the caller to fsync later
// (the gateway flushes a whole group's files together, off the workers' path).
UniqueFd write_new_file_unflushed(int dir_fd, const std::string& name,
                                  std::span<const std::uint8_t> bytes, mode_t mode, int group = -1);

// Renames without replacing: renameat2(RENAME_NOREPLACE), or link + unlink where the file
// system cannot. Returns false when `to` exists. Throws std::system_error otherwise.
bool rename_no_replace(int from_dir, const std::string& from, int to_dir, const std::string& to);

// fsync of a folder (EINVAL, a folder that cannot be flushed, is ignored). Throws.
void sync_directory(int dir_fd);

// Bytes available to an unprivileged writer on the file system of `fd`.
std::uint64_t free_bytes(int fd);

// Removes a folder and everything below it, without following links. Returns the number of
// files and bytes removed.
struct Removed {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};
Removed remove_tree(int parent_fd, const std::string& name);

inline std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace sanitize::spool
