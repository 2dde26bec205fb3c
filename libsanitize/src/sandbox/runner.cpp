// The parent side of the sandbox: starts the zygote, sends it one file at a time, watches
// the child (wall clock, resident memory), and checks everything that comes back.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>

#include "file_names.hpp"
#include "mapped_file.hpp"
#include "note.hpp"
#include "sandbox/protocol.hpp"
#include "sanitize/sandbox.hpp"
#include "sha256.hpp"

extern char** environ;

namespace sanitize {

using detail::ControlMessage;
using detail::ControlType;
using detail::receive_control;
using detail::send_control;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr auto kWallGrace = std::chrono::seconds(2);
constexpr auto kPollSlice = std::chrono::milliseconds(100);

// Variables a worker may inherit: only what the sanitizer runtimes of a test build read.
constexpr const char* kInheritedEnvironment[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"};

struct ChildOutcome {
  bool started = false;
  int wait_status = 0;
  bool timed_out = false;
  bool memory_exceeded = false;
  bool result_too_large = false;
  std::string result;
  std::string failure;  // the zygote could not run it
};

std::string signal_text(int signal_number) {
  switch (signal_number) {
    case SIGSYS:
      return "SIGSYS: a forbidden system call";
    case SIGSEGV:
      return "SIGSEGV: a crash";
    case SIGABRT:
      return "SIGABRT: aborted";
    case SIGKILL:
      return "SIGKILL";
    case SIGXCPU:
      return "SIGXCPU: the CPU time limit";
    case SIGXFSZ:
      return "SIGXFSZ: the output size limit";
    default:
      return std::string(strsignal(signal_number));
  }
}

// Resident memory of a process, from /proc; 0 when it cannot be read.
std::uint64_t resident_bytes(pid_t pid) {
  std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
  std::uint64_t size = 0;
  std::uint64_t resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::string hash_descriptor(int fd) {
  const auto mapping = detail::MappedFile::map(fd);
  return mapping ? detail::sha256_hex(mapping->bytes()) : std::string();
}

// The worker's output, made read-only for good before anyone else reads it: no later
// write through any descriptor or mapping can change what was checked.
bool seal(int fd) {
  return fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) == 0;
}

bool has_removals(const Report& report) {
  for (const auto& finding : report.findings) {
    if (finding.action == Action::removed || finding.action == Action::neutralized) return true;
  }
  return std::any_of(report.children.begin(), report.children.end(), has_removals);
}

}  // namespace

struct Sandbox::Impl {
  const Engine& engine;
  std::vector<std::string> command;
  std::string policy_toml;
  UniqueFd control;
  pid_t zygote = -1;
  std::string description;

  Impl(const Engine& e, std::vector<std::string> c)
      : engine(e), command(std::move(c)), policy_toml(effective_policy_toml(e)) {}
  ~Impl() { stop(); }

  void start();
  void stop();
  bool wait_readable(int fd, Clock::time_point deadline);
  ChildOutcome run_child(WorkerMode mode, int input_fd, int output_fd, std::string_view name);
  std::chrono::milliseconds worker_timeout() const {
    return std::chrono::milliseconds(engine.policy().limits.deadline_ms) + kWallGrace;
  }
  Result blocked(std::string_view name, int input_fd, BlockReason reason, std::string detail);
  Result check(Result result, int input_fd, int output_fd, std::string_view name);
  Result sanitize_fd(int fd, std::string_view name);
  void finish(Report& report);
};

void Sandbox::Impl::start() {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
    throw SandboxError(std::string("socketpair: ") + std::strerror(errno));
  }
  UniqueFd parent_end(pair[0]);
  UniqueFd worker_end(pair[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, worker_end.get(), kWorkerControlFd);
  posix_spawn_file_actions_addclosefrom_np(&actions, kWorkerControlFd + 1);
  std::vector<char*> argv;
  for (auto& argument : command) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment;
  for (const char* name : kInheritedEnvironment) {
    if (const char* value = getenv(name)) environment.push_back(std::string(name) + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    throw SandboxError("cannot start the worker " + command.front() + ": " +
                       std::strerror(spawned));
  }
  zygote = pid;
  control = std::move(parent_end);
  worker_end.reset();

  if (!send_control(control.get(), {ControlType::init, 0, 0, policy_toml, {}})) {
    stop();
    throw SandboxError("the worker did not accept its policy");
  }
  ControlMessage ready;
  if (!wait_readable(control.get(), Clock::now() + kStartTimeout) ||
      !receive_control(control.get(), ready) || ready.type != ControlType::ready) {
    const std::string why = ready.payload.empty() ? "the worker did not start" : ready.payload;
    stop();
    throw SandboxError("the sandbox cannot be set up: " + why);
  }
  description = ready.payload;
}

void Sandbox::Impl::stop() {
  control.reset();  // the zygote sees end of file and leaves
  if (zygote > 0) {
    kill(zygote, SIGKILL);
    while (waitpid(zygote, nullptr, 0) < 0 && errno == EINTR) {
    }
    zygote = -1;
  }
}

bool Sandbox::Impl::wait_readable(int fd, Clock::time_point deadline) {
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd entry{fd, POLLIN, 0};
    const int ready = poll(&entry, 1, static_cast<int>(left.count()));
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return false;
  }
}

ChildOutcome Sandbox::Impl::run_child(WorkerMode mode, int input_fd, int output_fd,
                                      std::string_view name) {
  ChildOutcome outcome;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    outcome.failure = std::string("pipe: ") + std::strerror(errno);
    return outcome;
  }
  UniqueFd result_read(pipe_fds[0]);
  UniqueFd result_write(pipe_fds[1]);
  if (!send_control(control.get(),
                    {ControlType::run, static_cast<std::uint32_t>(mode), 0, std::string(name), {}},
                    {input_fd, output_fd, result_write.get()})) {
    outcome.failure = "the zygote is gone";
    return outcome;
  }
  result_write.reset();
  ControlMessage started;
  if (!wait_readable(control.get(), Clock::now() + kStartTimeout) ||
      !receive_control(control.get(), started) || started.type != ControlType::started) {
    outcome.failure =
        started.payload.empty() ? "the zygote did not start a worker" : started.payload;
    return outcome;
  }
  outcome.started = true;
  const pid_t child = started.status;
  const int pidfd = started.fds.empty() ? -1 : started.fds.front().get();
  const auto kill_child = [&] {
    if (pidfd >= 0) syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
  };

  const auto deadline = Clock::now() + worker_timeout();
  const std::uint64_t memory_limit = engine.policy().limits.worker_memory_bytes;
  bool result_open = true;
  bool exited = false;
  while (!exited) {
    pollfd entries[2] = {{result_open ? result_read.get() : -1, POLLIN, 0},
                         {control.get(), POLLIN, 0}};
    const int ready = poll(entries, 2, static_cast<int>(kPollSlice.count()));
    if (ready < 0 && errno != EINTR) break;
    if (result_open && (entries[0].revents & (POLLIN | POLLHUP)) != 0) {
      char buffer[65536];
      const ssize_t got = read(result_read.get(), buffer, sizeof buffer);
      if (got > 0) {
        outcome.result.append(buffer, static_cast<std::size_t>(got));
        if (outcome.result.size() > detail::kMaxResultBytes) {
          outcome.result_too_large = true;
          kill_child();
          result_open = false;
        }
      } else if (got == 0 || errno != EINTR) {
        result_open = false;
      }
    }
    if ((entries[1].revents & (POLLIN | POLLHUP)) != 0) {
      ControlMessage message;
      if (!receive_control(control.get(), message)) {
        outcome.failure = "the zygote is gone";
        break;
      }
      if (message.type == ControlType::exited) {
        outcome.wait_status = message.status;
        exited = true;
      }
    }
    if (!exited && Clock::now() > deadline) {
      outcome.timed_out = true;
      kill_child();
    }
    if (!exited && !outcome.memory_exceeded && resident_bytes(child) > memory_limit) {
      outcome.memory_exceeded = true;
      kill_child();
    }
  }
  return outcome;
}

void Sandbox::Impl::finish(Report& report) {
  const auto notes = detail::compose_notes(
      report, [this](std::string_view id) { return engine.finding_kind(id); });
  report.note_ja = notes.ja;
  report.note_en = notes.en;
  report.sandbox = "worker: " + description;
}

Result Sandbox::Impl::blocked(std::string_view name, int input_fd, BlockReason reason,
                              std::string detail) {
  Result result;
  Report& report = result.report;
  report.name = std::string(name);
  report.declared_extension = detail::extension_of(name);
  report.input_size = detail::regular_file_size(input_fd).value_or(0);
  report.input_sha256 = hash_descriptor(input_fd);
  report.verdict = Verdict::blocked;
  report.block_reason = reason;
  report.block_detail = std::move(detail);
  finish(report);
  return result;
}

// The parent's checks on a worker's answer that it did not block.
Result Sandbox::Impl::check(Result result, int input_fd, int output_fd, std::string_view name) {
  const auto reject = [&](std::string why) {
    Report report = std::move(result.report);
    report.verdict = Verdict::blocked;
    report.block_reason = BlockReason::output_rejected;
    report.block_detail = "worker output rejected: " + std::move(why);
    report.output_name.clear();
    report.output_size = 0;
    report.output_sha256.clear();
    finish(report);
    Result rejected;
    rejected.report = std::move(report);
    return rejected;
  };
  Report& report = result.report;
  report.input_sha256 = hash_descriptor(input_fd);
  report.output_sha256 = detail::sha256_hex(result.output);
  report.output_size = result.output.size();
  // The output keeps the declared folder; only the file name's extension may change.
  const std::string_view folder = name.substr(0, name.size() - detail::base_name(name).size());
  const std::string_view output_base = detail::base_name(report.output_name);
  if (!report.output_name.starts_with(folder) || output_base.empty() ||
      report.output_name.size() != folder.size() + output_base.size() || output_base == ".." ||
      output_base == ".") {
    return reject("the output name \"" + report.output_name + "\" leaves the declared folder");
  }
  if (report.output_sha256 == report.input_sha256 && has_removals(report)) {
    return reject("the output is the input unchanged, although content was removed");
  }

  // A second worker looks at the output as a new file: its type must be allowed for its
  // name, and (inspect_output) it must find nothing to remove.
  UniqueFd discard(open("/dev/null", O_WRONLY | O_CLOEXEC));
  if (!discard.valid()) return reject("cannot open /dev/null for the inspecting worker");
  const bool full = engine.policy().inspect_output;
  const ChildOutcome inspected = run_child(full ? WorkerMode::inspect : WorkerMode::identify,
                                           output_fd, discard.get(), report.output_name);
  const auto answer = detail::decode_result(inspected.result);
  const auto inspection = answer ? Report::from_json(answer->report_json) : std::nullopt;
  if (!inspected.started || !WIFEXITED(inspected.wait_status) ||
      WEXITSTATUS(inspected.wait_status) != 0 || !inspection) {
    return reject("the inspecting worker failed");
  }
  if (inspection->verdict == Verdict::blocked) {
    return reject("the output, as " + report.output_name +
                  ", is refused: " + std::string(to_string(inspection->block_reason)) + ": " +
                  inspection->block_detail);
  }
  if (full && inspection->total_findings() > 0) {
    return reject("a second inspection still finds " +
                  std::to_string(inspection->total_findings()) + " item(s) to remove");
  }
  report.name = std::string(name);
  finish(report);
  return result;
}

Result Sandbox::Impl::sanitize_fd(int fd, std::string_view name) {
  if (!control.valid()) {
    try {
      start();
    } catch (const SandboxError& error) {
      return blocked(name, fd, BlockReason::sandbox_failure, error.what());
    }
  }
  UniqueFd output(memfd_create("sanitize-output", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!output.valid()) {
    return blocked(name, fd, BlockReason::internal_error, "memfd_create failed");
  }
  const ChildOutcome outcome = run_child(WorkerMode::sanitize, fd, output.get(), name);
  if (!outcome.failure.empty()) {
    stop();  // start afresh with the next file
    return blocked(name, fd, BlockReason::sandbox_failure, "worker: " + outcome.failure);
  }
  if (outcome.timed_out) {
    return blocked(
        name, fd, BlockReason::timeout,
        "the worker was killed after " + std::to_string(worker_timeout().count()) + " ms");
  }
  if (outcome.memory_exceeded) {
    return blocked(name, fd, BlockReason::limit, "the worker exceeded worker_memory_bytes");
  }
  if (outcome.result_too_large)
    return blocked(name, fd, BlockReason::sandbox_failure, "the worker's report is too large");
  if (WIFSIGNALED(outcome.wait_status)) {
    return blocked(name, fd, BlockReason::sandbox_failure,
                   "the worker was killed by " + signal_text(WTERMSIG(outcome.wait_status)));
  }
  const auto answer = detail::decode_result(outcome.result);
  auto report = answer ? Report::from_json(answer->report_json) : std::nullopt;
  if (!report) {
    return blocked(
        name, fd, BlockReason::sandbox_failure,
        "the worker sent no readable result (exit status " +
            std::to_string(WIFEXITED(outcome.wait_status) ? WEXITSTATUS(outcome.wait_status) : -1) +
            ")");
  }
  if (report->verdict == Verdict::blocked) {
    Result result;
    result.report = std::move(*report);
    result.report.name = std::string(name);
    result.report.input_sha256 = hash_descriptor(fd);
    result.report.output_name.clear();
    finish(result.report);
    return result;
  }
  if (!WIFEXITED(outcome.wait_status) || WEXITSTATUS(outcome.wait_status) != 0) {
    return blocked(name, fd, BlockReason::sandbox_failure, "the worker failed after answering");
  }
  if (!seal(output.get())) {
    return blocked(name, fd, BlockReason::internal_error, "cannot seal the worker's output");
  }
  const auto mapping = detail::MappedFile::map(output.get());
  if (!mapping)
    return blocked(name, fd, BlockReason::internal_error, "cannot read the worker's output");
  if (mapping->bytes().size() != answer->output_size ||
      answer->output_size != report->output_size) {
    return blocked(name, fd, BlockReason::output_rejected,
                   "worker output rejected: its size does not match what it reported");
  }
  Result result;
  result.output.assign(mapping->bytes().begin(), mapping->bytes().end());
  result.report = std::move(*report);
  result = check(std::move(result), fd, output.get(), name);
  result.verdict = result.report.verdict;
  if (result.verdict == Verdict::blocked) {
    result.output.clear();
  } else {
    result.output_name = result.report.output_name;
  }
  return result;
}

Sandbox::Sandbox(const Engine& engine, std::vector<std::string> worker_command)
    : impl_(std::make_unique<Impl>(engine, std::move(worker_command))) {
  if (impl_->command.empty()) throw SandboxError("no worker command");
  impl_->start();
}

Sandbox::~Sandbox() = default;

Result Sandbox::sanitize_fd(int fd, std::string_view name) {
  try {
    return impl_->sanitize_fd(fd, name);
  } catch (const std::exception& error) {
    return impl_->blocked(name, fd, BlockReason::internal_error, error.what());
  }
}

const std::string& Sandbox::description() const {
  return impl_->description;
}

}  // namespace sanitize
