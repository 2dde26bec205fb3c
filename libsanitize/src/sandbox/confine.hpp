// Confinement of one worker child: rlimits, namespaces, Landlock, seccomp, in that order
// (seccomp last: it forbids the calls that set up the rest).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sanitize::detail {

struct Confinement {
  std::vector<std::string> read_only_paths;  // files and folders the parsers may read
  std::vector<int> writable_fds;             // the only descriptors write() may use
  std::uint64_t memory_bytes = 0;
  std::uint64_t cpu_seconds = 0;
  std::uint64_t file_size_bytes = 0;
};

// Confines the calling (single-threaded) process for good. Returns what was applied, for
// reports; throws std::runtime_error naming the part that could not be set up. Namespaces
// are taken where the kernel allows them; Landlock and seccomp are required.
std::string confine_process(const Confinement& confinement);

// The read-only data the core's parsers need inside the sandbox: the libmagic database,
// iconv's gconv modules, the dynamic loader's cache and the shared libraries, poppler's
// data and the fonts.
std::vector<std::string> default_read_only_paths();

}  // namespace sanitize::detail
