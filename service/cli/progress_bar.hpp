// A one-line progress bar on stderr, drawn only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstddef>

namespace sanitize::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::size_t total);
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar();

  // Redraws at most a few times a second, and always for the last file.
  void update(std::size_t done, std::size_t blocked);
  // Erases the line so that what follows starts on a clean one.
  void finish();

 private:
  using Clock = std::chrono::steady_clock;

  bool enabled_;
  std::size_t total_;
  Clock::time_point started_;
  Clock::time_point last_drawn_;
  bool drawn_ = false;
};

}  // namespace sanitize::cli
