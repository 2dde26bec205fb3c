// Forked children and spawned programs: each one measured on its own (wall time, and peak
// RSS from wait4), each one reaped, even when the parent gives up on it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sanitize::bench {

// How a child process ended.
struct ChildEnd {
  int exit_code = -1;      // when it exited
  int signal = 0;          // when a signal ended it
  bool timed_out = false;  // the parent killed it for taking too long
  double peak_rss_mb = 0;  // ru_maxrss of the child and the children it waited for
  double elapsed_ms = 0;   // wall time from start to reaping

  bool ok() const { return exit_code == 0 && signal == 0 && !timed_out; }
  // "exit 3", "killed by SIGSEGV", "timed out"
  std::string describe() const;
};

// A child process this program started: killed and reaped on destruction unless waited for.
class OwnedProcess {
 public:
  // `started`: just before it was forked or spawned, for the wall time.
  OwnedProcess(pid_t pid, std::chrono::steady_clock::time_point started)
      : pid_(pid), start_(started) {}
  OwnedProcess(const OwnedProcess&) = delete;
  OwnedProcess& operator=(const OwnedProcess&) = delete;
  ~OwnedProcess();

  // Waits for the end, at most `limit` (then kills it); without a limit, for as long as
  // it takes.
  ChildEnd wait(std::optional<std::chrono::milliseconds> limit = std::nullopt);
  // Kills it and waits for the end, marked as timed out.
  ChildEnd kill_for_timeout();

 private:
  ChildEnd reap(bool timed_out);

  pid_t pid_;
  std::chrono::steady_clock::time_point start_;
};

// The child's end of the message pipe: one JSON document per line.
class MessageWriter {
 public:
  explicit MessageWriter(int fd) : fd_(fd) {}
  void send(const nlohmann::json& message) const;

 private:
  int fd_;
};

// The exit code of a child whose body threw (EX_SOFTWARE).
inline constexpr int kChildThrew = 70;

using ChildBody = std::function<int(const MessageWriter& messages)>;
using MessageHandler = std::function<void(const nlohmann::json& message)>;

// Forks a child that runs `body` and exits with what it returns (kChildThrew when it
// throws, after saying why on stderr). The parent hands every message to `on_message` as it
// arrives, and kills the child when it stays silent longer than `silence_limit`.
ChildEnd run_in_child(const ChildBody& body, const MessageHandler& on_message,
                      std::chrono::milliseconds silence_limit);

// The full path of `name` on PATH, or nullopt.
std::optional<std::filesystem::path> find_program(std::string_view name);

// Runs `argv` (argv[0] a full path) in `cwd` with stdin, stdout and stderr on /dev/null
// through posix_spawn, and waits for it at most `limit`. Throws std::system_error when it
// cannot be started.
ChildEnd run_program(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                     std::chrono::milliseconds limit);

}  // namespace sanitize::bench
