// A worker rigged to misbehave, for the sandbox tests. The declared file name says what it
// attempts once confined; the inspecting worker it also serves stays honest.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "sanitize/defaults.hpp"
#include "sanitize/sandbox.hpp"

namespace {

using sanitize::Result;

std::vector<std::uint8_t> read_all(int fd) {
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[65536];
  ssize_t got;
  while ((got = pread(fd, buffer, sizeof buffer, static_cast<off_t>(bytes.size()))) > 0) {
    bytes.insert(bytes.end(), buffer, buffer + got);
  }
  return bytes;
}

// A result that says the attempt failed, so the parent blocks the file with the reason.
Result refused(std::string_view name, const std::string& attempt) {
  Result result;
  result.report.name = std::string(name);
  result.report.block_reason = sanitize::BlockReason::sandbox_failure;
  result.report.block_detail = attempt + " failed: " + std::strerror(errno);
  return result;
}

// A result that delivers `bytes` as clean: what a compromised worker would send.
Result delivered(std::string_view name, std::vector<std::uint8_t> bytes,
                 std::string output_name = {}) {
  Result result;
  result.verdict = sanitize::Verdict::clean;
  result.report.name = std::string(name);
  result.report.verdict = sanitize::Verdict::clean;
  result.report.output_name = output_name.empty() ? std::string(name) : std::move(output_name);
  result.report.output_size = bytes.size();
  result.output = std::move(bytes);
  return result;
}

Result misbehave(const sanitize::Engine& engine, int input_fd, std::string_view name,
                 sanitize::WorkerMode mode) {
  if (mode != sanitize::WorkerMode::sanitize) return engine.sanitize_fd(input_fd, name);
  const std::string action(name.substr(0, name.find('.')));
  if (action == "execve") {
    execl("/bin/true", "true", static_cast<char*>(nullptr));
    return refused(name, "execve");
  }
  if (action == "socket") {
    socket(AF_INET, SOCK_STREAM, 0);
    return refused(name, "socket");
  }
  if (action == "ptrace") {
    ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    return refused(name, "ptrace");
  }
  if (action == "unshare") {
    unshare(CLONE_NEWNET);
    return refused(name, "unshare");
  }
  if (action == "fork") {
    if (fork() == 0) _exit(0);
    return refused(name, "fork");
  }
  if (action == "passwd") {
    const int fd = open("/etc/passwd", O_RDONLY);
    if (fd < 0) return refused(name, "open /etc/passwd");
    return delivered(name, read_all(fd));
  }
  if (action == "readpath") {
    // Reads the file whose path is the input's content (the gateway's audit key, say).
    const std::vector<std::uint8_t> path = read_all(input_fd);
    const int fd = open(std::string(path.begin(), path.end()).c_str(), O_RDONLY);
    if (fd < 0) return refused(name, "open " + std::string(path.begin(), path.end()));
    return delivered(name, read_all(fd));
  }
  if (action == "escape") {
    const int fd = open("/tmp/sanitize-sandbox-escape.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "escaped", 7) != 7) return refused(name, "writing outside the output");
    return delivered(name, read_all(input_fd));
  }
  if (action == "descriptors") {
    // Anything beyond its own input, output, result pipe and the standard streams.
    for (int fd = 6; fd < 1024; ++fd) {
      std::uint8_t byte;
      if (pread(fd, &byte, 1, 0) == 1 || read(fd, &byte, 1) == 1) {
        std::vector<std::uint8_t> leaked = read_all(fd);
        return delivered(name, leaked.empty() ? std::vector<std::uint8_t>{byte} : leaked);
      }
    }
    errno = EBADF;
    return refused(name, "reading another descriptor");
  }
  if (action == "segfault") raise(SIGSEGV);
  if (action == "loop") {
    volatile unsigned long spins = 0;
    while (true) spins = spins + 1;
  }
  if (action == "allocate") {
    std::vector<std::vector<char>> hoard;
    while (true) hoard.emplace_back(64 << 20, 'x');
  }
  if (action == "garbage") {
    const char noise[] = "not a result record at all";
    if (write(5, noise, sizeof noise) < 0) _exit(9);
    _exit(0);
  }
  if (action == "lie") {
    // Blocks the file under a made-up input hash, for the audit trail to record.
    Result result = refused(name, "lying");
    result.report.input_sha256 = std::string(64, 'f');
    return result;
  }
  if (action == "unchanged") return delivered(name, read_all(input_fd));
  if (action == "claims") {
    Result result = delivered(name, read_all(input_fd));
    result.report.findings.push_back({"csv.formula", "row 1", sanitize::Action::neutralized, ""});
    return result;
  }
  if (action == "rename") return delivered(name, read_all(input_fd), "../../outside.txt");
  if (action == "mislabel") return delivered(name, read_all(input_fd), "payload.exe");
  return engine.sanitize_fd(input_fd, name);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || std::string_view(argv[1]) != "worker") return 64;
  return sanitize::worker_main(sanitize::kWorkerControlFd, sanitize::default_formats(), misbehave);
}
