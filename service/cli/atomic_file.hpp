// Files that appear whole or not at all: written under a temporary name in the target's
// directory, flushed to disk, then renamed into place. A reader never sees half a file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

namespace sanitize::cli {

// A file written and flushed under a hidden temporary name in `directory` (mode 0644 less
// the umask), not yet visible under its real name. Removed on destruction unless it was
// moved into place. Errors throw std::system_error naming the file.
class StagedFile {
 public:
  StagedFile(const std::filesystem::path& directory, std::span<const std::uint8_t> bytes);
  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  ~StagedFile();

  // Renames onto `target` (in the same directory), replacing what is there.
  void replace(const std::filesystem::path& target);
  // Renames onto `target` (in the same directory) unless something exists there; returns
  // false, still staged, when it does.
  bool publish_new(const std::filesystem::path& target);

 private:
  void discard() noexcept;

  std::filesystem::path temporary_;  // empty once moved into place
};

// Flushes a directory so that the renames into it survive a crash.
void sync_directory(const std::filesystem::path& directory);

// Writes `target` atomically, replacing it, and makes the result durable.
void write_file_atomically(const std::filesystem::path& target,
                           std::span<const std::uint8_t> bytes);

inline std::span<const std::uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace sanitize::cli
