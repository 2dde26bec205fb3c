#include "journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "durable_fs.hpp"

namespace sanitize::spool {
namespace {

constexpr const char* kJournalName = "journal";
constexpr const char* kRewriteName = "journal.new";

// Reads all of a file from the start.
std::string read_all(int fd) {
  std::string bytes;
  char buffer[65536];
  off_t offset = 0;
  while (true) {
    const ssize_t got = pread(fd, buffer, sizeof buffer, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_errno("cannot read the journal");
    if (got == 0) return bytes;
    bytes.append(buffer, static_cast<std::size_t>(got));
    offset += got;
  }
}

// Writes all of `text` at the end; on any failure the file is cut back to `size`.
void append_text(int fd, std::uint64_t size, const std::string& text, const char* what) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t written =
        pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(size + done));
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      const int error = written == 0 ? ENOSPC : errno;
      if (ftruncate(fd, static_cast<off_t>(size)) != 0) {
        // The torn line is cut off at the next start.
      }
      errno = error;
      throw_errno(what);
    }
    done += static_cast<std::size_t>(written);
  }
}

}  // namespace

Journal::Journal(int dir_fd) : dir_fd_(dir_fd) {
  open_file();
}

void Journal::open_file() {
  fd_.reset(openat(dir_fd_, kJournalName, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd_.valid()) throw_errno("cannot open the journal");
  struct stat info {};
  if (fstat(fd_.get(), &info) != 0) throw_errno("cannot read the journal");
  size_ = static_cast<std::uint64_t>(info.st_size);
}

std::vector<nlohmann::ordered_json> Journal::load(std::uint64_t& torn_bytes) {
  const std::lock_guard lock(mutex_);
  const std::string text = read_all(fd_.get());
  std::vector<nlohmann::ordered_json> records;
  std::size_t start = 0;
  torn_bytes = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    nlohmann::ordered_json record =
        end == std::string::npos
            ? nlohmann::ordered_json()
            : nlohmann::ordered_json::parse(text.begin() + static_cast<std::ptrdiff_t>(start),
                                            text.begin() + static_cast<std::ptrdiff_t>(end),
                                            nullptr, false);
    if (end == std::string::npos || record.is_discarded() || !record.is_object()) {
      // Only the last line can be torn: each line is complete before the next is written.
      torn_bytes = text.size() - start;
      if (ftruncate(fd_.get(), static_cast<off_t>(start)) != 0 || fsync(fd_.get()) != 0) {
        throw_errno("cannot cut the torn end of the journal");
      }
      size_ = start;
      break;
    }
    records.push_back(std::move(record));
    start = end + 1;
  }
  return records;
}

void Journal::append(const nlohmann::ordered_json& record) {
  const std::lock_guard lock(mutex_);
  const std::string line =
      record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  append_text(fd_.get(), size_, line, "cannot write the journal");
  size_ += line.size();
}

void Journal::sync() {
  const std::lock_guard lock(mutex_);
  if (fdatasync(fd_.get()) != 0) throw_errno("cannot flush the journal");
}

void Journal::rewrite(const std::vector<nlohmann::ordered_json>& records) {
  const std::lock_guard lock(mutex_);
  std::string text;
  for (const auto& record : records) {
    text += record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  unlinkat(dir_fd_, kRewriteName, 0);
  write_new_file(dir_fd_, kRewriteName, bytes_of(text), 0600);
  if (renameat(dir_fd_, kRewriteName, dir_fd_, kJournalName) != 0) {
    throw_errno("cannot replace the journal");
  }
  sync_directory(dir_fd_);
  open_file();
}

}  // namespace sanitize::spool
