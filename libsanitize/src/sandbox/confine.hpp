// Confinement of one worker child: rlimits, namespaces, Landlock, seccomp, in that order
// (seccomp last: it forbids the calls that set up the rest). What does not depend on the
// child is prepared once in the zygote, so that each child pays only for what is its own.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sanitize/unique_fd.hpp"

namespace sanitize::detail {

struct Confinement {
  std::vector<std::string> read_only_paths;  // files and folders the parsers may read
  std::vector<int> writable_fds;             // the only descriptors write() may use
  std::uint64_t memory_bytes = 0;
  std::uint64_t cpu_seconds = 0;
  std::uint64_t file_size_bytes = 0;
};

// Prepared in the zygote before it forks any child:
//  - the seccomp allowlist compiled to BPF once (compiling it costs more than a child's
//    whole file); the only per-child value, the child's own process id (signals go to
//    itself only), is patched into the program by the child;
//  - the Landlock ruleset (each child restricts itself with it, through the descriptor
//    number it was given in that child);
//  - fresh, empty network, IPC and UTS namespaces entered by the zygote and shared by its
//    children, which run one at a time and can use none of them (the filter kills on
//    sockets, System V IPC and sethostname); creating a network namespace per child costs
//    milliseconds. Each child still gets user and mount namespaces of its own.
class PreparedConfinement {
 public:
  // Throws std::runtime_error when the filter cannot be built.
  static PreparedConfinement prepare(const Confinement& confinement);

  // Confines the calling (single-threaded, forked) process for good. Returns what was
  // applied, for reports; throws std::runtime_error naming the part that could not be set
  // up. Namespaces are taken where the kernel allows them; Landlock and seccomp are
  // required.
  std::string apply(int landlock_ruleset) const;
  // The ruleset's descriptor in the zygote (close-on-exec), for the child to inherit.
  int landlock_ruleset() const { return landlock_ruleset_.get(); }

 private:
  Confinement confinement_;
  UniqueFd landlock_ruleset_;
  std::string landlock_;  // what the ruleset is, for reports
  std::vector<sock_filter> filter_;
  std::vector<std::size_t> process_id_slots_;  // instructions comparing with the child's pid
  std::string shared_namespaces_;
};

// The read-only data the core's parsers need inside the sandbox: the libmagic database,
// iconv's gconv modules, the dynamic loader's cache and the shared libraries, poppler's
// data and the fonts.
std::vector<std::string> default_read_only_paths();

}  // namespace sanitize::detail
