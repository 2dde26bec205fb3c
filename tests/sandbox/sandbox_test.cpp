// The sandbox against a worker that tries to break out, crash, hang or lie. Each file runs
// in its own freshly forked worker; the parent must block it with the reason and go on.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "formats/zip/raw_zip.hpp"
#include "sanitize/defaults.hpp"
#include "sanitize/sandbox.hpp"
#include "sanitize/unique_fd.hpp"

namespace fs = std::filesystem;
using sanitize::BlockReason;
using sanitize::Verdict;

namespace {

const fs::path& scratch() {
  static const fs::path folder = [] {
    const fs::path path = fs::temp_directory_path() / ("sandbox-test-" + std::to_string(getpid()));
    fs::create_directories(path);
    return path;
  }();
  return folder;
}

sanitize::UniqueFd file_with(const std::string& name, const std::string& content) {
  const fs::path path = scratch() / name;
  std::ofstream(path, std::ios::binary) << content;
  return sanitize::UniqueFd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
}

sanitize::Policy test_policy() {
  sanitize::Policy policy;
  policy.limits.deadline_ms = 1500;
  policy.limits.worker_cpu_seconds = 5;
  policy.limits.worker_memory_bytes = 512 * sanitize::kMiB;
  return policy;
}

struct Fixture {
  std::unique_ptr<sanitize::Engine> engine = sanitize::make_default_engine(test_policy());
  sanitize::Sandbox sandbox{*engine, {SANDBOX_HOSTILE_WORKER, "worker"}};

  sanitize::Result run(const std::string& name, const std::string& content = "hello\r\n") {
    const auto fd = file_with(name, content);
    return sandbox.sanitize_fd(fd.get(), name);
  }
  // The same worker still serves honest files after whatever happened before.
  void still_serves() {
    const auto result = run("plain.txt", "still here\r\n");
    CHECK(result.verdict == Verdict::clean);
    CHECK(std::string(result.output.begin(), result.output.end()) == "still here\r\n");
  }
};

void check_blocked(const sanitize::Result& result, BlockReason reason, const char* detail) {
  CAPTURE(result.report.block_detail);
  CHECK(result.verdict == Verdict::blocked);
  CHECK(result.output.empty());
  CHECK(result.report.block_reason == reason);
  CHECK(result.report.block_detail.find(detail) != std::string::npos);
  CHECK(result.report.sandbox.starts_with("worker: "));
}

std::string zip_with_traversal() {
  using namespace sanitize::formats::zip::testing;
  RawEntry good;
  good.name = "good.txt";
  good.data = "ok\r\n";
  RawEntry evil = good;
  evil.name = "../../evil.txt";
  return build(archive_of({good, evil}));
}

}  // namespace

TEST_CASE_FIXTURE(Fixture, "an honest file passes through the worker") {
  const auto result = run("memo.txt");
  CHECK(result.verdict == Verdict::clean);
  CHECK(result.report.sandbox.find("seccomp") != std::string::npos);
  CHECK(result.report.sandbox.find("Landlock") != std::string::npos);
}

TEST_CASE_FIXTURE(Fixture, "the hashes in a report are the parent's, never a worker's") {
  // SHA-256 of "hello\r\n", which the honest text rebuild keeps as it is.
  const std::string hello = "cd2eca3535741f27a8ae40c31b0c41d4057a7a7b912b33b9aed86485d1c84676";
  const auto honest = run("memo.txt");
  REQUIRE(honest.verdict == Verdict::clean);
  CHECK(honest.report.input_sha256 == hello);
  CHECK(honest.report.output_sha256 == hello);
  const auto lying = run("lie.txt");
  check_blocked(lying, BlockReason::sandbox_failure, "lying");
  CHECK(lying.report.input_sha256 == hello);
}

TEST_CASE_FIXTURE(Fixture, "forbidden system calls kill the worker") {
  for (const char* name : {"execve.txt", "socket.txt", "ptrace.txt", "unshare.txt", "fork.txt"}) {
    CAPTURE(name);
    check_blocked(run(name), BlockReason::sandbox_failure, "SIGSYS");
  }
  still_serves();
}

TEST_CASE_FIXTURE(Fixture, "the file system is out of reach") {
  check_blocked(run("passwd.txt"), BlockReason::sandbox_failure, "open /etc/passwd failed");
  check_blocked(run("escape.txt"), BlockReason::sandbox_failure, "writing outside the output");
  CHECK_FALSE(fs::exists("/tmp/sanitize-sandbox-escape.txt"));
  still_serves();
}

TEST_CASE("descriptors of the parent are not inherited") {
  // Opened without O_CLOEXEC before the zygote starts: the worker still must not see it.
  const fs::path secret = scratch() / "secret.txt";
  std::ofstream(secret) << "SECRET";
  const int leaked = open(secret.c_str(), O_RDONLY);
  REQUIRE(leaked >= 0);
  Fixture fixture;
  check_blocked(fixture.run("descriptors.txt"), BlockReason::sandbox_failure,
                "reading another descriptor failed");
  close(leaked);
}

TEST_CASE_FIXTURE(Fixture, "a crash, a hang and a runaway allocation block only their file") {
  check_blocked(run("segfault.txt"), BlockReason::sandbox_failure, "SIGSEGV");
  const auto started = std::chrono::steady_clock::now();
  check_blocked(run("loop.txt"), BlockReason::timeout, "killed after");
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  const auto allocated = run("allocate.txt");
  CHECK(allocated.verdict == Verdict::blocked);
  CHECK((allocated.report.block_reason == BlockReason::sandbox_failure ||
         allocated.report.block_reason == BlockReason::limit));
  still_serves();
}

TEST_CASE_FIXTURE(Fixture, "garbage from the worker is a block") {
  check_blocked(run("garbage.txt"), BlockReason::sandbox_failure, "no readable result");
  still_serves();
}

TEST_CASE_FIXTURE(Fixture, "a worker that returns its input unchanged is caught") {
  check_blocked(run("unchanged.zip", zip_with_traversal()), BlockReason::output_rejected,
                "second inspection");
  check_blocked(run("unchanged.csv", "name,value\r\nx,=cmd|' /C calc'!A0\r\n"),
                BlockReason::output_rejected, "second inspection");
  check_blocked(run("claims.csv", "a,b\r\n1,2\r\n"), BlockReason::output_rejected,
                "input unchanged");
}

TEST_CASE_FIXTURE(Fixture,
                  "a worker cannot rename its output out of the folder or into a program") {
  check_blocked(run("rename.txt"), BlockReason::output_rejected, "leaves the declared folder");
  check_blocked(run("mislabel.txt"), BlockReason::output_rejected, "refused");
}

TEST_CASE_FIXTURE(Fixture, "CP932 text decodes through iconv inside the sandbox") {
  const std::string cp932 = "\x95\xf1\x8d\x90\x81\x60\x87\x40\r\n";  // 報告～①
  const auto result = run("japanese.txt", cp932);
  CHECK(result.verdict == Verdict::clean);
  CHECK(std::string(result.output.begin(), result.output.end()) == cp932);
  CHECK(result.report.description.find("CP932") != std::string::npos);
}

TEST_CASE("a worker that cannot start is a sandbox error") {
  const auto engine = sanitize::make_default_engine();
  CHECK_THROWS_AS(sanitize::Sandbox(*engine, {"/nonexistent/worker", "worker"}),
                  sanitize::SandboxError);
}
