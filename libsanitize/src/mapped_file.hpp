// A read-only, private mapping of a whole regular file, unmapped when it goes out of scope.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace sanitize::detail {

class MappedFile {
 public:
  // nullopt when `fd` is not a regular file or cannot be mapped. An empty file maps to an
  // empty span.
  static std::optional<MappedFile> map(int fd);
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;

  std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  explicit MappedFile(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::span<const std::uint8_t> bytes_;
};

// Size of the regular file open on `fd`; nullopt for anything else.
std::optional<std::uint64_t> regular_file_size(int fd);

}  // namespace sanitize::detail
