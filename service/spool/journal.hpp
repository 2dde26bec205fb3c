// The journal of one daemon instance (state/<instance>/journal): JSON lines, one per
// transition of a claimed file, appended and flushed before the step they announce. On
// start it is read back (a torn last line is cut off), what was in flight is finished, and
// the journal is rewritten holding only what is still pending.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sanitize/unique_fd.hpp"

namespace sanitize::spool {

class Journal {
 public:
  // Opens (creating) the journal in the folder open on `dir_fd`. Throws std::system_error.
  explicit Journal(int dir_fd);

  // Every record in order. `torn_bytes` is set to the length of a torn last line, which is
  // removed from the file.
  std::vector<nlohmann::ordered_json> load(std::uint64_t& torn_bytes);

  // Appends one record. A failed write (a full disk) leaves the file as it was and throws
  // std::system_error. Not durable until sync().
  void append(const nlohmann::ordered_json& record);
  void sync();
  std::uint64_t size() {
    const std::lock_guard lock(mutex_);
    return size_;
  }

  // Replaces the journal with `records`, durably.
  void rewrite(const std::vector<nlohmann::ordered_json>& records);

 private:
  void open_file();

  int dir_fd_;
  UniqueFd fd_;
  std::uint64_t size_ = 0;
  std::mutex mutex_;
};

}  // namespace sanitize::spool
