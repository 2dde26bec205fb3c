// sanitize-spool-bench: the spool gateway against the machine's durability ceiling, in one
// run (bench/README.md, "The gateway"). The same small clean files go
//   1. through a bare create-write-fsync-rename-fsync-directory loop (the ceiling: no
//      gateway can deliver durably faster on this disk),
//   2. through the bare engine in this process (as many threads as gateway workers),
//   3. through the whole gateway (`sanitize spool --once`, default policy: sandbox and
//      output inspection on), and the gateway with the sandbox off;
// then one file at a time through the engine and the sandbox (with and without output
// inspection) to say where the gateway's time goes, and the latency from dropping a 1 MB
// file into a running gateway's inbox to its appearing in the outbox.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "sanitize/defaults.hpp"
#include "sanitize/sandbox.hpp"
#include "sanitize/unique_fd.hpp"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string sanitize_program;
  std::string scratch;
  unsigned files = 400;
  unsigned size_kb = 100;
  unsigned workers = 2;
  unsigned latency_samples = 20;
  std::string latency_input;  // a file to drop; empty: 1 MB of generated text
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Clean text: short numbered lines, the same bytes on every run. (libmagic's text rules
// cost several times more on some prose than on this; the engine's own benchmark covers
// content.)
std::string clean_text(unsigned index, std::size_t size) {
  std::string text;
  for (unsigned line = 0; text.size() < size; ++line) {
    text +=
        fmt::format("Line {} of file {}: the notes of the meeting, as approved.\r\n", line, index);
  }
  text.resize(size - 2);
  return text + "\r\n";
}

void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// The ceiling: each file created under a temporary name, written, flushed, renamed, and
// its folder flushed.
double durability_ceiling(const std::vector<std::string>& contents, const fs::path& folder) {
  fs::create_directories(folder);
  const sanitize::UniqueFd dir(open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  const auto start = Clock::now();
  for (std::size_t i = 0; i < contents.size(); ++i) {
    const std::string temporary = ".t" + std::to_string(i);
    const std::string name = "f" + std::to_string(i) + ".txt";
    sanitize::UniqueFd fd(
        openat(dir.get(), temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd.valid() ||
        write(fd.get(), contents[i].data(), contents[i].size()) !=
            static_cast<ssize_t>(contents[i].size()) ||
        fsync(fd.get()) != 0 ||
        renameat(dir.get(), temporary.c_str(), dir.get(), name.c_str()) != 0 ||
        fsync(dir.get()) != 0) {
      throw std::runtime_error("the durability loop failed in " + folder.string());
    }
  }
  return contents.size() / seconds_since(start);
}

double bare_engine(const sanitize::Engine& engine, const std::vector<fs::path>& files,
                   unsigned threads) {
  std::atomic<std::size_t> next{0};
  const auto start = Clock::now();
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        const sanitize::UniqueFd fd(open(files[i].c_str(), O_RDONLY | O_CLOEXEC));
        engine.sanitize_fd(fd.get(), files[i].filename().string());
      }
    });
  }
  for (auto& thread : pool) thread.join();
  return files.size() / seconds_since(start);
}

// Milliseconds per file, one at a time, through `run`.
template <class Run>
double per_file_ms(const std::vector<fs::path>& files, Run run) {
  const auto start = Clock::now();
  for (const auto& file : files) {
    const sanitize::UniqueFd fd(open(file.c_str(), O_RDONLY | O_CLOEXEC));
    run(fd.get(), file.filename().string());
  }
  return seconds_since(start) * 1000 / files.size();
}

pid_t spawn(const std::vector<std::string>& arguments, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + arguments[0]);
  return pid;
}

int wait_for_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// A spool under `root` holding `files` in its inbox; returns its configuration file.
fs::path make_spool(const fs::path& root, const std::vector<std::string>& contents, bool sandbox,
                    unsigned workers, unsigned settle_ms) {
  fs::remove_all(root);
  fs::create_directories(root);
  write_file(root / "audit.key", std::string(48, 'k'));
  const fs::path config = root / "gateway.toml";
  write_file(config, fmt::format("[spool]\nroot = \"spool\"\ninstance = \"bench\"\nworkers = {}\n"
                                 "settle_ms = {}\nsandbox = {}\nmin_free_bytes = 0\n"
                                 "[audit]\nkey_file = \"audit.key\"\n[syslog]\ntarget = \"\"\n",
                                 workers, settle_ms, sandbox ? "true" : "false"));
  for (std::size_t i = 0; i < contents.size(); ++i) {
    write_file(root / "spool" / "inbox" / fmt::format("s{}", i % 4) / fmt::format("f{:05}.txt", i),
               contents[i]);
  }
  return config;
}

std::size_t count_files(const fs::path& folder) {
  std::size_t count = 0;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(folder, error);
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_regular_file()) ++count;
  }
  return count;
}

// Files per second through `sanitize spool --once`, start to exit (the zygotes' start and
// the settle time included).
double gateway_rate(const Options& options, const std::vector<std::string>& contents,
                    bool sandbox) {
  const fs::path root = fs::path(options.scratch) / (sandbox ? "gateway" : "gateway-unsandboxed");
  const fs::path config = make_spool(root, contents, sandbox, options.workers, 0);
  const auto start = Clock::now();
  const int status = wait_for_exit(spawn(
      {options.sanitize_program, "spool", "--config", config.string(), "--once"}, root / "log"));
  const double elapsed = seconds_since(start);
  const std::size_t delivered = count_files(root / "spool" / "outbox");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || delivered != contents.size()) {
    throw std::runtime_error(fmt::format("the gateway failed ({} of {} delivered): see {}",
                                         delivered, contents.size(), (root / "log").string()));
  }
  return contents.size() / elapsed;
}

// Drop → outbox latency of a running gateway (default settle_ms), `samples` files one
// after the other. Returns the sorted latencies in ms.
std::vector<double> drop_latencies(const Options& options, const std::string& bytes,
                                   const std::string& extension) {
  const fs::path root = fs::path(options.scratch) / "latency";
  const fs::path config = make_spool(root, {}, true, options.workers, 500);
  const pid_t daemon =
      spawn({options.sanitize_program, "spool", "--config", config.string()}, root / "log");
  std::vector<double> latencies;
  const fs::path inbox = root / "spool" / "inbox";
  const fs::path outbox = root / "spool" / "outbox";
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (unsigned i = 0; i < options.latency_samples; ++i) {
    const std::string name = fmt::format("drop{:03}{}", i, extension);
    const auto start = Clock::now();
    write_file(inbox / (name + ".part"), bytes);
    fs::rename(inbox / (name + ".part"), inbox / name);
    while (!fs::exists(outbox / name) && seconds_since(start) < 30) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    latencies.push_back(seconds_since(start) * 1000);
  }
  kill(daemon, SIGTERM);
  wait_for_exit(daemon);
  std::sort(latencies.begin(), latencies.end());
  return latencies;
}

int run(const Options& options) {
  const fs::path scratch = options.scratch;
  fs::create_directories(scratch);
  std::vector<std::string> contents;
  std::vector<fs::path> files;
  for (unsigned i = 0; i < options.files; ++i) {
    contents.push_back(clean_text(i, options.size_kb * 1000));
    files.push_back(scratch / "inputs" / fmt::format("f{:05}.txt", i));
    write_file(files.back(), contents.back());
  }
  sync();
  fmt::print("{} clean text files of {} KB, {} gateway worker(s), scratch {}\n\n", options.files,
             options.size_kb, options.workers, scratch.string());

  // The disk is shared: the ceiling is measured before, between and after the gateway's
  // runs, and the middle one of the three is the reference.
  std::vector<double> ceilings{durability_ceiling(contents, scratch / "ceiling-1")};
  auto engine = sanitize::make_default_engine();
  engine->preload();
  const double engine_rate = bare_engine(*engine, files, options.workers);
  const double gateway = gateway_rate(options, contents, true);
  ceilings.push_back(durability_ceiling(contents, scratch / "ceiling-2"));
  const double unsandboxed = gateway_rate(options, contents, false);
  ceilings.push_back(durability_ceiling(contents, scratch / "ceiling-3"));
  std::sort(ceilings.begin(), ceilings.end());
  const double ceiling = ceilings[1];

  fmt::print("{:<62} {:>9}\n", "", "files/s");
  fmt::print("{:<62} {:>9.0f}\n", "durability ceiling (create-write-fsync-rename-fsync dir)",
             ceiling);
  fmt::print("{:<62} {:>9.0f}\n",
             fmt::format("bare engine, in process, {} thread(s)", options.workers), engine_rate);
  fmt::print("{:<62} {:>9.0f}   {:.0f}% of the ceiling\n",
             "gateway, default policy (sandbox + output inspection)", gateway,
             100 * gateway / ceiling);
  fmt::print("{:<62} {:>9.0f}   {:.0f}% of the ceiling\n",
             "gateway, sandbox off (spool and durability only)", unsandboxed,
             100 * unsandboxed / ceiling);

  // One file at a time: what each stage costs.
  const std::vector<fs::path> sample(files.begin(),
                                     files.begin() + std::min<std::size_t>(files.size(), 100));
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  const double engine_ms =
      per_file_ms(sample, [&](int fd, const std::string& name) { engine->sanitize_fd(fd, name); });
  const double identify_ms =
      per_file_ms(sample, [&](int fd, const std::string& name) { engine->identify_fd(fd, name); });
  sanitize::Policy no_inspection = sanitize::Policy::defaults();
  no_inspection.inspect_output = false;
  auto identify_engine = sanitize::make_default_engine(no_inspection);
  double sandbox_ms = 0;
  {
    sanitize::Sandbox sandbox(*identify_engine, {self, "worker"});
    sandbox_ms = per_file_ms(
        sample, [&](int fd, const std::string& name) { sandbox.sanitize_fd(fd, name); });
  }
  double inspected_ms = 0;
  {
    sanitize::Sandbox sandbox(*engine, {self, "worker"});
    inspected_ms = per_file_ms(
        sample, [&](int fd, const std::string& name) { sandbox.sanitize_fd(fd, name); });
  }
  const double gateway_ms = 1000.0 * options.workers / gateway;
  fmt::print(
      "\nper file, one at a time: engine {:.2f} ms; sandboxed without output inspection {:.2f} ms; "
      "with it (default) {:.2f} ms\n",
      engine_ms, sandbox_ms, inspected_ms);
  // Both runs start two children per file; without inspection the second one only
  // identifies the output's type.
  const double worker_start = std::max(0.0, sandbox_ms - engine_ms - identify_ms);
  const double inspection = std::max(0.0, inspected_ms - sandbox_ms + identify_ms);
  const double rest = std::max(0.0, gateway_ms - inspected_ms);
  fmt::print(
      "where one gateway worker's time goes per file ({:.2f} ms = {} worker(s) / {:.0f} "
      "files/s):\n",
      gateway_ms, options.workers, gateway);
  fmt::print("  worker start (2 children: fork, confinement, result)  {:6.2f} ms  {:3.0f}%\n",
             worker_start, 100 * worker_start / gateway_ms);
  fmt::print("  engine (rebuild)                                       {:6.2f} ms  {:3.0f}%\n",
             engine_ms, 100 * engine_ms / gateway_ms);
  fmt::print("  output inspection (the engine in the second child)     {:6.2f} ms  {:3.0f}%\n",
             inspection, 100 * inspection / gateway_ms);
  fmt::print("  durability and the spool (fsyncs, journal, audit)      {:6.2f} ms  {:3.0f}%\n",
             rest, 100 * rest / gateway_ms);

  if (options.latency_samples > 0) {
    std::string bytes = clean_text(7, 1000 * 1000);
    std::string extension = ".txt";
    std::string what = "1 MB text";
    if (!options.latency_input.empty()) {
      const fs::path input = options.latency_input;
      std::ifstream stream(input, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(stream), {});
      extension = input.extension().string();
      what = fmt::format("{} ({} KB)", input.filename().string(), bytes.size() / 1000);
    }
    const auto latencies = drop_latencies(options, bytes, extension);
    const auto at = [&](double q) {
      return latencies[std::min(latencies.size() - 1,
                                static_cast<std::size_t>(q * latencies.size()))];
    };
    fmt::print(
        "\ndrop -> outbox, {}, running gateway, settle_ms 500, {} samples: p50 {:.0f} ms, "
        "p99 {:.0f} ms, max {:.0f} ms\n",
        what, latencies.size(), at(0.5), at(0.99), latencies.back());
  }
  fs::remove_all(scratch);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "worker") {
    return sanitize::worker_main(sanitize::kWorkerControlFd, sanitize::default_formats());
  }
  Options options;
  CLI::App app("sanitize-spool-bench: the spool gateway against the durability ceiling");
  app.add_option("--sanitize", options.sanitize_program, "The sanitize program")->required();
  app.add_option("--scratch", options.scratch,
                 "A folder on the disk to measure (created, then removed)")
      ->required();
  app.add_option("--files", options.files, "Files per measurement")->capture_default_str();
  app.add_option("--size-kb", options.size_kb, "Size of each file")->capture_default_str();
  app.add_option("--workers", options.workers, "Gateway workers and engine threads")
      ->capture_default_str();
  app.add_option("--latency-samples", options.latency_samples, "1 MB drops timed (0: none)")
      ->capture_default_str();
  app.add_option("--latency-input", options.latency_input,
                 "The file dropped for the latency (default: 1 MB of generated text)")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  try {
    return run(options);
  } catch (const std::exception& error) {
    fmt::print(stderr, "sanitize-spool-bench: {}\n", error.what());
    return 1;
  }
}
