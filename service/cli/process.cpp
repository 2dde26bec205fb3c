#include "process.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "exit_codes.hpp"
#include "sanitize/sandbox.hpp"

namespace sanitize::cli {
namespace {

// This very program is the worker: `sanitize worker` (see main.cpp). SANITIZE_WORKER names
// another program, for packagers who install it elsewhere (and for tests).
std::vector<std::string> worker_command() {
  if (const char* program = std::getenv("SANITIZE_WORKER"); program != nullptr && *program) {
    return {program, "worker"};
  }
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) throw SandboxError("cannot find this program: " + error.message());
  return {self.string(), "worker"};
}

}  // namespace

struct Processor::Impl {
  const Engine& engine;
  bool sandboxed = false;
  std::string unsandboxed_reason;  // why files run in this process
  std::vector<std::string> command;
  mutable std::mutex mutex;
  mutable std::map<std::thread::id, std::unique_ptr<Sandbox>> sandboxes;

  explicit Impl(const Engine& e) : engine(e) {}

  Sandbox& sandbox_for_this_thread() const {
    const std::lock_guard lock(mutex);
    auto& sandbox = sandboxes[std::this_thread::get_id()];
    if (!sandbox) sandbox = std::make_unique<Sandbox>(engine, command);
    return *sandbox;
  }
};

Processor::Processor(const Engine& engine, bool sandbox) : impl_(std::make_unique<Impl>(engine)) {
  if (!sandbox) {
    impl_->unsandboxed_reason = "none (--no-sandbox)";
    return;
  }
  try {
    impl_->command = worker_command();
    impl_->sandbox_for_this_thread();
    impl_->sandboxed = true;
  } catch (const SandboxError& error) {
    if (!engine.policy().allow_unsandboxed) {
      throw UsageError(std::string(error.what()) +
                       "; refusing to run (the policy may allow it: [sandbox] "
                       "allow_unsandboxed = true)");
    }
    impl_->unsandboxed_reason = std::string("none: allowed by the policy because ") + error.what();
  }
}

Processor::~Processor() = default;

Result Processor::process(int input_fd, std::string_view declared_name) const {
  if (impl_->sandboxed) {
    try {
      return impl_->sandbox_for_this_thread().sanitize_fd(input_fd, declared_name);
    } catch (const SandboxError& error) {
      return unprocessed_file(declared_name, BlockReason::sandbox_failure, error.what());
    }
  }
  Result result = impl_->engine.sanitize_fd(input_fd, declared_name);
  result.report.sandbox = impl_->unsandboxed_reason;
  return result;
}

void block_outside_engine(Result& result, BlockReason reason, std::string detail) {
  result.verdict = Verdict::blocked;
  result.output = std::vector<std::uint8_t>();
  result.output_name.clear();
  Report& report = result.report;
  report.verdict = Verdict::blocked;
  report.block_reason = reason;
  report.block_detail = std::move(detail);
  report.output_name.clear();
  report.output_size = 0;
  report.output_sha256.clear();
  report.note_ja =
      "ブロックしました: ファイルを処理できませんでした。（" + report.block_detail + "）";
  report.note_en = "Blocked: the file could not be processed. (" + report.block_detail + ")";
}

Result unprocessed_file(std::string_view declared_name, BlockReason reason, std::string detail) {
  Result result;
  result.report.name = std::string(declared_name);
  block_outside_engine(result, reason, std::move(detail));
  return result;
}

}  // namespace sanitize::cli
