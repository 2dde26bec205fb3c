// The exit status of every command, and the error that means "nothing was processed".
#pragma once

#include <stdexcept>

#include "sanitize/report.hpp"

namespace sanitize::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitSanitized = 1;
inline constexpr int kExitBlocked = 2;  // also: an error while processing a file
inline constexpr int kExitUsage = 64;   // bad arguments or configuration; nothing processed
inline constexpr int kExitInterrupted = 130;

inline int exit_code_for(Verdict verdict) {
  switch (verdict) {
    case Verdict::clean:
      return kExitClean;
    case Verdict::sanitized:
      return kExitSanitized;
    case Verdict::blocked:
      break;
  }
  return kExitBlocked;
}

// A problem with the arguments, the configuration or an input that could not be opened,
// found before any file was processed. main prints it and exits with kExitUsage.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sanitize::cli
