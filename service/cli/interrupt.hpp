// Ctrl-C and SIGTERM during a batch: finish the files under way, start no new one, clean
// up. A second signal ends the program at once.
#pragma once

#include <csignal>

namespace sanitize::cli {

class InterruptGuard {
 public:
  InterruptGuard();  // installs the handlers
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  ~InterruptGuard();  // restores the previous ones

  static bool interrupted();

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

}  // namespace sanitize::cli
