// The sandboxed worker: every file is parsed in a freshly forked child of a zygote process
// that was exec'd clean, confined by Landlock, namespaces, a seccomp allowlist and rlimits.
// The parent never trusts what comes back (docs/operations.md, "The sandbox").
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sanitize/engine.hpp"

namespace sanitize {

// The sandbox cannot be set up (no Landlock, no seccomp, the worker does not start).
class SandboxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parent side. Starts a zygote with `worker_command` (a program whose entry point calls
// worker_main) and hands it the engine's policy. Not thread-safe: use one per thread.
class Sandbox {
 public:
  // Throws SandboxError when the zygote does not start or a probe child cannot confine
  // itself.
  Sandbox(const Engine& engine, std::vector<std::string> worker_command);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Sanitizes the regular file open on `fd` in a worker, then checks the output: its type
  // re-detected and allowed for its name, not the input returned unchanged after removals,
  // and (policy inspect_output) nothing active found by a second worker. Never throws for
  // a bad file: a crash, a kill, a timeout or garbage from the worker is a block.
  Result sanitize_fd(int fd, std::string_view name);

  // What confines the workers, for reports and logs ("landlock ABI 4, seccomp, ...").
  const std::string& description() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What a worker child does with one file, once confined. The default runs the engine;
// tests substitute misbehaving workers.
enum class WorkerMode { sanitize, inspect, identify };
using WorkFunction = std::function<Result(const Engine& engine, int input_fd, std::string_view name,
                                          WorkerMode mode)>;

// Worker side: the entry point of the zygote program. `control_fd` is the socket the
// Sandbox passed as descriptor 3. Reads the policy, builds an engine over `formats`,
// then forks one confined child per request until the parent goes away. Returns the
// process exit code.
int worker_main(int control_fd, const FormatTable& formats, WorkFunction work = {});

// The descriptor number of the control socket in the worker program.
inline constexpr int kWorkerControlFd = 3;

}  // namespace sanitize
