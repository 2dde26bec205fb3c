#include "progress_bar.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace sanitize::cli {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

std::size_t terminal_width() {
  winsize size{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

}  // namespace

ProgressBar::ProgressBar(std::size_t total)
    : enabled_(::isatty(STDERR_FILENO) == 1), total_(total), started_(Clock::now()) {}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::update(std::size_t done, std::size_t blocked) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (drawn_ && done < total_ && now - last_drawn_ < kRedrawInterval) return;
  last_drawn_ = now;
  drawn_ = true;

  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - started_).count();
  const std::string counts = fmt::format(" {}/{} files, {} blocked, {}:{:02} ", done, total_,
                                         blocked, seconds / 60, seconds % 60);
  // The bar takes what the counts leave of the line, within reason.
  const std::size_t width = terminal_width();
  const std::size_t bar_width =
      width > counts.size() + 12 ? std::min<std::size_t>(width - counts.size() - 3, 50) : 0;
  std::string line = "\r";
  if (bar_width > 0) {
    const std::size_t filled = total_ == 0 ? bar_width : bar_width * done / total_;
    line += '[';
    line.append(filled, '#');
    line.append(bar_width - filled, '.');
    line += ']';
  }
  line += counts;
  line.resize(std::min(line.size(), width));  // one column short: no wrap, '\r' is first
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (!enabled_ || !drawn_) return;
  // Carriage return, then erase to the end of the line.
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace sanitize::cli
