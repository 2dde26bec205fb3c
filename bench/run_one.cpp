#include "bench/run_one.hpp"

#include <fcntl.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "sanitize/sandbox.hpp"
#include "sanitize/unique_fd.hpp"

namespace sanitize::bench {

std::string_view to_string(Mode mode) {
  switch (mode) {
    case Mode::in_process:
      return "in-process";
    case Mode::sandboxed:
      return "sandboxed";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;
using Process = std::function<Result(int fd, const std::string& name)>;

Measured measure(const std::filesystem::path& path, const Process& process) {
  const auto start = Clock::now();
  Measured measured;
  const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd.valid()) {
    measured.block_reason = BlockReason::internal_error;
    measured.description = "cannot open: " + std::string(std::strerror(errno));
  } else {
    const Result result = process(fd.get(), path.filename().string());
    measured.verdict = result.verdict;
    measured.block_reason = result.report.block_reason;
    measured.detected_type = result.report.detected_type;
    measured.description = result.report.description;
  }
  measured.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return measured;
}

}  // namespace

RunOne run_one_for(Mode mode) {
  switch (mode) {
    case Mode::in_process:
      return run_one_in_process;
    case Mode::sandboxed:
      return [sandbox = std::shared_ptr<Sandbox>()](const Engine& engine,
                                                    const std::filesystem::path& path) mutable {
        if (!sandbox) {
          const auto self = std::filesystem::read_symlink("/proc/self/exe");
          sandbox = std::make_shared<Sandbox>(engine, std::vector<std::string>{self, "worker"});
        }
        return measure(
            path, [&](int fd, const std::string& name) { return sandbox->sanitize_fd(fd, name); });
      };
  }
  return run_one_in_process;
}

Measured run_one_in_process(const Engine& engine, const std::filesystem::path& path) {
  return measure(path,
                 [&](int fd, const std::string& name) { return engine.sanitize_fd(fd, name); });
}

}  // namespace sanitize::bench
