#include "bench/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "sanitize/unique_fd.hpp"

extern char** environ;

namespace sanitize::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::system_error errno_error(const std::string& what) {
  return std::system_error(errno, std::generic_category(), what);
}

class SpawnFileActions {
 public:
  SpawnFileActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~SpawnFileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  SpawnFileActions(const SpawnFileActions&) = delete;
  SpawnFileActions& operator=(const SpawnFileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

std::string ChildEnd::describe() const {
  if (timed_out) return "timed out";
  if (signal != 0) {
    const char* name = ::sigabbrev_np(signal);
    return std::string("killed by ") +
           (name != nullptr ? "SIG" + std::string(name) : "signal " + std::to_string(signal));
  }
  return "exit " + std::to_string(exit_code);
}

OwnedProcess::~OwnedProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

ChildEnd OwnedProcess::wait(std::optional<std::chrono::milliseconds> limit) {
  if (limit) {
    // A pidfd turns "exited" into something poll can wait for with a timeout. (glibc
    // 2.36's <sys/pidfd.h> declares pidfd_open without C linkage: call it directly.)
    const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
    if (pidfd.valid()) {
      pollfd ready{.fd = pidfd.get(), .events = POLLIN, .revents = 0};
      int count = 0;
      do {
        count = ::poll(&ready, 1, static_cast<int>(limit->count()));
      } while (count < 0 && errno == EINTR);
      if (count == 0) return kill_for_timeout();
    }
  }
  return reap(false);
}

ChildEnd OwnedProcess::kill_for_timeout() {
  ::kill(pid_, SIGKILL);
  return reap(true);
}

ChildEnd OwnedProcess::reap(bool timed_out) {
  int status = 0;
  rusage usage{};
  while (::wait4(pid_, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw errno_error("wait4");
  }
  pid_ = -1;
  ChildEnd end;
  end.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  end.timed_out = timed_out;
  if (WIFEXITED(status)) end.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) end.signal = WTERMSIG(status);
  end.peak_rss_mb = static_cast<double>(usage.ru_maxrss) * 1024 / 1e6;  // ru_maxrss is in KiB
  return end;
}

void MessageWriter::send(const nlohmann::json& message) const {
  const std::string line = message.dump() + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t count = ::write(fd_, line.data() + written, line.size() - written);
    if (count < 0) {
      if (errno == EINTR) continue;
      throw errno_error("write to the parent");
    }
    written += static_cast<std::size_t>(count);
  }
}

ChildEnd run_in_child(const ChildBody& body, const MessageHandler& on_message,
                      std::chrono::milliseconds silence_limit) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw errno_error("pipe2");
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);

  const auto started = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw errno_error("fork");
  if (pid == 0) {
    read_end.reset();
    int code = kChildThrew;
    try {
      code = body(MessageWriter(write_end.get()));
    } catch (const std::exception& error) {
      std::fprintf(stderr, "sanitize-bench: child: %s\n", error.what());
    }
    // No destructors, no atexit handlers, no second flush of the parent's buffers.
    ::_exit(code);
  }
  OwnedProcess child(pid, started);
  write_end.reset();

  std::string pending;
  char chunk[1 << 16];
  for (;;) {
    pollfd ready{.fd = read_end.get(), .events = POLLIN, .revents = 0};
    const int count = ::poll(&ready, 1, static_cast<int>(silence_limit.count()));
    if (count < 0) {
      if (errno == EINTR) continue;
      throw errno_error("poll");
    }
    if (count == 0) return child.kill_for_timeout();
    const ssize_t received = ::read(read_end.get(), chunk, sizeof chunk);
    if (received < 0) {
      if (errno == EINTR) continue;
      throw errno_error("read from the child");
    }
    if (received == 0) break;
    pending.append(chunk, static_cast<std::size_t>(received));
    std::size_t line_start = 0;
    for (std::size_t newline = pending.find('\n'); newline != std::string::npos;
         newline = pending.find('\n', line_start)) {
      on_message(nlohmann::json::parse(pending.begin() + static_cast<std::ptrdiff_t>(line_start),
                                       pending.begin() + static_cast<std::ptrdiff_t>(newline)));
      line_start = newline + 1;
    }
    pending.erase(0, line_start);
  }
  return child.wait();
}

std::optional<std::filesystem::path> find_program(std::string_view name) {
  const char* search_path = std::getenv("PATH");
  std::string_view folders = search_path != nullptr ? search_path : "/usr/bin:/bin";
  while (!folders.empty()) {
    const auto colon = folders.find(':');
    const std::string_view folder = folders.substr(0, colon);
    folders = colon == std::string_view::npos ? std::string_view() : folders.substr(colon + 1);
    const std::filesystem::path candidate =
        std::filesystem::path(folder.empty() ? "." : folder) / name;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

ChildEnd run_program(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                     std::chrono::milliseconds limit) {
  SpawnFileActions actions;
  ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addchdir_np(actions.get(), cwd.c_str());
  std::vector<char*> arguments;
  for (const std::string& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
  arguments.push_back(nullptr);

  pid_t pid = 0;
  const auto started = Clock::now();
  const int status =
      ::posix_spawn(&pid, arguments[0], actions.get(), nullptr, arguments.data(), environ);
  if (status != 0) throw std::system_error(status, std::generic_category(), "spawn " + argv[0]);
  OwnedProcess program(pid, started);
  return program.wait(limit);
}

}  // namespace sanitize::bench
