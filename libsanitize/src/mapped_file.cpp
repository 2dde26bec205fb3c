#include "mapped_file.hpp"

#include <sys/mman.h>
#include <sys/stat.h>

#include <utility>

namespace sanitize::detail {

std::optional<std::uint64_t> regular_file_size(int fd) {
  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(info.st_size);
}

std::optional<MappedFile> MappedFile::map(int fd) {
  const auto size = regular_file_size(fd);
  if (!size) return std::nullopt;
  if (*size == 0) return MappedFile({});
  void* address = mmap(nullptr, *size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (address == MAP_FAILED) return std::nullopt;
  return MappedFile({static_cast<const std::uint8_t*>(address), *size});
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : bytes_(std::exchange(other.bytes_, std::span<const std::uint8_t>{})) {}

MappedFile::~MappedFile() {
  if (!bytes_.empty()) munmap(const_cast<std::uint8_t*>(bytes_.data()), bytes_.size());
}

}  // namespace sanitize::detail
