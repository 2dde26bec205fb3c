// The zygote: exec'd clean by the parent, it loads the engine and never reads a byte of any
// input. For each request it forks a child that confines itself and handles that one file.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include "engine_internal.hpp"
#include "sandbox/confine.hpp"
#include "sandbox/protocol.hpp"
#include "sanitize/sandbox.hpp"
#include "sha256.hpp"

namespace sanitize {
namespace {

using detail::ControlMessage;
using detail::ControlType;
using detail::receive_control;
using detail::send_control;

// Descriptor numbers inside a child.
constexpr int kInputFd = 3;
constexpr int kOutputFd = 4;
constexpr int kResultFd = 5;
constexpr int kLandlockFd = 6;  // until the child has restricted itself with it

bool write_all(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = write(fd, bytes, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

Result default_work(const Engine& engine, int input_fd, std::string_view name, WorkerMode mode) {
  return mode == WorkerMode::identify ? engine.identify_fd(input_fd, name)
                                      : engine.sanitize_fd(input_fd, name);
}

detail::Confinement confinement_for(const Policy& policy) {
  detail::Confinement c;
  c.read_only_paths = detail::default_read_only_paths();
  c.writable_fds = {STDERR_FILENO, kOutputFd, kResultFd};
  c.memory_bytes = policy.limits.worker_memory_bytes;
  c.cpu_seconds = policy.limits.worker_cpu_seconds;
  // The output can be no larger than everything the budget lets a file expand to.
  c.file_size_bytes = policy.limits.max_expanded_bytes + policy.limits.max_input_bytes;
  return c;
}

// Moves the request's descriptors to 3, 4, 5 and the Landlock ruleset to 6, and closes
// everything else but stderr. A child that cannot is of no use: it exits, and the parent
// sees no result.
void install_child_fds(ControlMessage& request, int landlock_ruleset) {
  const int sources[] = {request.fds[0].get(), request.fds[1].get(), request.fds[2].get(),
                         landlock_ruleset};
  int high[4];
  for (int i = 0; i < 4; ++i) {
    high[i] = fcntl(sources[i], F_DUPFD, 16);
    if (high[i] < 0) _exit(5);
  }
  for (int i = 0; i < 4; ++i) {
    if (dup2(high[i], kInputFd + i) < 0) _exit(5);
  }
  close_range(kLandlockFd + 1, ~0U, 0);
}

[[noreturn]] void child_fail(const std::string& why) {
  Report report;
  report.block_reason = BlockReason::sandbox_failure;
  report.block_detail = why;
  const std::string record = detail::encode_result({0, report.to_json()});
  write_all(kResultFd, record.data(), record.size());
  _exit(3);
}

// In the forked child: confine, work, answer, exit. Never returns.
[[noreturn]] void run_child(const Engine& engine, const detail::PreparedConfinement& confinement,
                            const WorkFunction& work, ControlMessage& request) {
  signal(SIGCHLD, SIG_DFL);
  prctl(PR_SET_NAME, "sanitize-file");
  install_child_fds(request, confinement.landlock_ruleset());
  const auto mode = static_cast<WorkerMode>(request.mode);
  try {
    confinement.apply(kLandlockFd);
  } catch (const std::exception& error) {
    child_fail(std::string("the sandbox cannot be set up: ") + error.what());
  }
  Result result = work(engine, kInputFd, request.payload, mode);
  if (mode != WorkerMode::sanitize) result.output.clear();
  if (!write_all(kOutputFd, result.output.data(), result.output.size())) {
    child_fail("cannot write the output");
  }
  const std::string record = detail::encode_result({result.output.size(), result.report.to_json()});
  if (!write_all(kResultFd, record.data(), record.size())) _exit(4);
  _exit(0);
}

// Confines a child without any input and reports what it could apply.
std::string probe(const detail::PreparedConfinement& confinement, int control_fd) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return {};
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  const pid_t child = fork();
  if (child == 0) {
    close(control_fd);
    read_end.reset();
    // Where a file's child writes its result: the one pipe the filter lets it write to
    // (the ruleset moved out of the way first).
    const int ruleset = fcntl(confinement.landlock_ruleset(), F_DUPFD_CLOEXEC, kLandlockFd + 1);
    if (ruleset < 0 || dup2(write_end.get(), kResultFd) < 0) _exit(5);
    try {
      const std::string description = confinement.apply(ruleset);
      write_all(kResultFd, description.data(), description.size());
      _exit(0);
    } catch (const std::exception& error) {
      const std::string text = std::string("failed: ") + error.what();
      write_all(kResultFd, text.data(), text.size());
      _exit(1);
    }
  }
  write_end.reset();
  std::string text;
  char buffer[512];
  ssize_t got;
  while ((got = read(read_end.get(), buffer, sizeof buffer)) > 0) text.append(buffer, got);
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return text.empty() ? "failed: the probe child died" : text;
  }
  return text;
}

}  // namespace

int worker_main(int control_fd, const FormatTable& formats, WorkFunction work) {
  // The zygote ends with its parent, whatever way the parent ends.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1) return 1;
  prctl(PR_SET_NAME, "sanitize-zygote");
  if (!work) work = default_work;

  ControlMessage init;
  if (!receive_control(control_fd, init) || init.type != ControlType::init) return 2;
  std::unique_ptr<Engine> engine;
  try {
    engine = std::make_unique<Engine>(Policy::from_toml(init.payload, "worker policy"), formats);
    engine->preload();
    detail::leave_top_level_hashes_to_caller(*engine);
    // OpenSSL loads its providers on first use: done once here, not in every child.
    detail::sha256_hex({});
  } catch (const std::exception& error) {
    send_control(control_fd, {ControlType::failure, 0, 0, error.what(), {}});
    return 2;
  }
  std::optional<detail::PreparedConfinement> confinement;
  try {
    confinement = detail::PreparedConfinement::prepare(confinement_for(engine->policy()));
  } catch (const std::exception& error) {
    send_control(control_fd,
                 {ControlType::failure, 0, 0, std::string("failed: ") + error.what(), {}});
    return 2;
  }
  const std::string description = probe(*confinement, control_fd);
  if (description.empty() || description.starts_with("failed")) {
    send_control(control_fd, {ControlType::failure, 0, 0, description, {}});
    return 2;
  }
  if (!send_control(control_fd, {ControlType::ready, 0, 0, description, {}})) return 2;

  while (true) {
    ControlMessage request;
    if (!receive_control(control_fd, request)) return 0;  // the parent went away
    if (request.type != ControlType::run || request.fds.size() != 3) {
      send_control(control_fd, {ControlType::failure, 0, 0, "bad request", {}});
      continue;
    }
    const pid_t child = fork();
    if (child < 0) {
      send_control(control_fd, {ControlType::failure, 0, 0, std::strerror(errno), {}});
      continue;
    }
    if (child == 0) {
      close(control_fd);
      run_child(*engine, *confinement, work, request);
    }
    request.fds.clear();  // the child holds them now; the parent must see end of file
    UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, child, 0)));
    std::vector<int> passed;
    if (pidfd.valid()) passed.push_back(pidfd.get());
    send_control(control_fd, {ControlType::started, 0, child, {}, {}}, passed);
    pidfd.reset();
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!send_control(control_fd, {ControlType::exited, 0, status, {}, {}})) return 0;
  }
}

}  // namespace sanitize
