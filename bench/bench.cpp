// sanitize-bench: runs folders of files through the engine type by type, each type in a
// child process of its own, side by side with the tools a user would pick instead
// (bench/README.md).
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "bench/child_process.hpp"
#include "bench/figures.hpp"
#include "bench/large_inputs.hpp"
#include "bench/pdf_scaling.hpp"
#include "bench/peers.hpp"
#include "bench/run_one.hpp"
#include "sanitize/defaults.hpp"
#include "sanitize/sandbox.hpp"

namespace sanitize::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kUsageError = 64;
// The group of blocked files that no module claimed.
constexpr std::string_view kUnknownType = "unknown";
// A measuring child that stays silent this long is hung: the engine gives up on a file
// after its deadline, and a minute more covers building the engine.
std::chrono::milliseconds file_silence_limit() {
  return std::chrono::milliseconds(Policy::defaults().limits.deadline_ms) + std::chrono::minutes(1);
}
// Generating the large inputs takes well under a minute.
constexpr std::chrono::minutes kGenerationLimit(5);

template <class... Args>
void progress(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "sanitize-bench: {}\n", fmt::format(format, std::forward<Args>(args)...));
}

struct InputFile {
  InputFile(fs::path file_path, std::uint64_t file_size)
      : path(std::move(file_path)), size(file_size) {}

  fs::path path;
  std::uint64_t size = 0;
  std::string type;  // empty while unknown, and when detection crashed on it
  std::string description;
};

// A private folder for the peers' output, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::absolute(fs::temp_directory_path()) / "sanitize-bench-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The manifest and README at the top of a corpus folder describe it and are no input.
bool describes_corpus(const fs::path& relative) {
  if (relative.has_parent_path()) return false;
  std::string stem = relative.stem().string();
  std::transform(stem.begin(), stem.end(), stem.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return stem == "manifest" || stem == "readme";
}

// Regular files below each folder, sorted; symbolic links are not followed.
std::vector<InputFile> collect_files(const std::vector<std::string>& dirs, BenchRun& run) {
  std::vector<InputFile> files;
  for (const std::string& dir : dirs) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
      run.notes.push_back(fmt::format("skipped {}: not a folder", dir));
      progress("skipped {}: not a folder", dir);
      continue;
    }
    run.inputs.push_back(dir);
    std::vector<InputFile> found;
    for (const auto& entry :
         fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied)) {
      if (entry.symlink_status().type() != fs::file_type::regular) continue;
      if (describes_corpus(fs::relative(entry.path(), dir))) continue;
      found.emplace_back(entry.path(), entry.file_size());
    }
    std::sort(found.begin(), found.end(),
              [](const InputFile& a, const InputFile& b) { return a.path < b.path; });
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

// An engine that has run one small file: the first detection loads libmagic's database and
// faults it in, a cost each process pays once that no measured file should be charged with.
std::unique_ptr<Engine> warmed_engine() {
  auto engine = make_default_engine();
  constexpr std::string_view kText = "warm-up\n";
  engine->sanitize({reinterpret_cast<const std::uint8_t*>(kText.data()), kText.size()},
                   "warm-up.txt");
  return engine;
}

// Generates the large inputs in a child, so that none of their memory stays in this
// process and shows up in the children measured later.
std::vector<InputFile> large_inputs(const std::string& dir, BenchRun& run) {
  progress("generating the large inputs into {}", dir);
  std::vector<InputFile> files;
  const ChildEnd end = run_in_child(
      [&dir](const MessageWriter& messages) {
        for (const fs::path& path : generate_large_inputs(dir)) {
          messages.send({{"path", path.string()}});
        }
        return 0;
      },
      [&files](const json& message) {
        const fs::path path = message.at("path").get<std::string>();
        files.emplace_back(path, fs::file_size(path));
      },
      kGenerationLimit);
  if (!end.ok()) throw std::runtime_error("generating the large inputs: " + end.describe());
  progress("generated {} large inputs in {:.1f} s", files.size(), end.elapsed_ms / 1000);
  run.inputs.push_back(dir);
  return files;
}

// Runs every file once to learn its type. A file that crashes the child is left without
// a type, noted, and detection goes on with the next file in a new child.
void detect_types(std::vector<InputFile>& files, const RunOne& run_one, BenchRun& run) {
  progress("detecting the type of {}", count_of(files.size(), "file"));
  std::size_t next = 0;
  while (next < files.size()) {
    const ChildEnd end = run_in_child(
        [&](const MessageWriter& messages) {
          const auto engine = warmed_engine();
          for (std::size_t i = next; i < files.size(); ++i) {
            const Measured measured = run_one(*engine, files[i].path);
            messages.send({{"file", i},
                           {"type", measured.detected_type},
                           {"description", measured.description}});
          }
          return 0;
        },
        [&](const json& message) {
          InputFile& file = files.at(message.at("file").get<std::size_t>());
          file.type = message.at("type").get<std::string>();
          if (file.type.empty()) file.type = kUnknownType;
          file.description = message.at("description").get<std::string>();
          next = message.at("file").get<std::size_t>() + 1;
        },
        file_silence_limit());
    if (end.exit_code == kChildThrew) throw std::runtime_error("type detection failed");
    if (next < files.size()) {
      run.notes.push_back(fmt::format("{}: type detection {}; the file is not measured",
                                      files[next].path.string(), end.describe()));
      ++next;
    }
  }
}

// Our figures for one type, and per file what the peer comparison needs.
struct TypeMeasurement {
  TypeFigures figures;
  std::vector<Timings> by_file;
  std::vector<Verdict> first_verdicts;
};

// Runs each file `repeat` times, in a child of its own, through `run_one`, into `timings`,
// so that wait4 gives the type's own peak RSS. The child goes file by file: the file it
// was on when it died is the one after the runs it reported.
ChildEnd measure_mode(const std::vector<const InputFile*>& files, unsigned repeat,
                      const RunOne& run_one, Timings& timings,
                      const std::function<void(std::size_t file, double ms, Verdict)>& on_run) {
  return run_in_child(
      [&](const MessageWriter& messages) {
        const auto engine = warmed_engine();
        for (std::size_t i = 0; i < files.size(); ++i) {
          for (unsigned r = 0; r < repeat; ++r) {
            const Measured measured = run_one(*engine, files[i]->path);
            messages.send({{"file", i},
                           {"ms", measured.elapsed_ms},
                           {"verdict", to_string(measured.verdict)}});
          }
        }
        return 0;
      },
      [&](const json& message) {
        const auto i = message.at("file").get<std::size_t>();
        const double elapsed_ms = message.at("ms").get<double>();
        const auto verdict = verdict_from_string(message.at("verdict").get<std::string>());
        timings.add(elapsed_ms, files[i]->size);
        on_run(i, elapsed_ms, verdict.value_or(Verdict::blocked));
      },
      file_silence_limit());
}

// The type's files in-process, then the same in sandboxed workers.
TypeMeasurement measure_type(const std::string& type, const std::vector<const InputFile*>& files,
                             unsigned repeat) {
  progress("measuring {}: {} x {}", type, count_of(files.size(), "file"), repeat);
  TypeMeasurement measurement;
  TypeFigures& figures = measurement.figures;
  figures.type = type;
  figures.files = files.size();
  for (const InputFile* file : files) figures.input_bytes += file->size;
  measurement.by_file.resize(files.size());
  measurement.first_verdicts.resize(files.size(), Verdict::blocked);

  figures.child = measure_mode(files, repeat, run_one_for(Mode::in_process), figures.ours,
                               [&](std::size_t i, double ms, Verdict verdict) {
                                 Timings& timings = measurement.by_file.at(i);
                                 if (timings.runs() == 0) {
                                   measurement.first_verdicts[i] = verdict;
                                   ++figures.verdicts[static_cast<std::size_t>(verdict)];
                                 }
                                 timings.add(ms, files[i]->size);
                               });
  if (!figures.child.ok()) {
    const std::size_t on = figures.ours.runs() / repeat;
    if (on < files.size()) figures.stopped_at = files[on]->path.string();
  }
  progress("measuring {} sandboxed", type);
  figures.sandboxed_child = measure_mode(files, repeat, run_one_for(Mode::sandboxed),
                                         figures.sandboxed, [](std::size_t, double, Verdict) {});
  return measurement;
}

// Each peer on the files of the type that the engine delivered, as many times each.
void measure_peers(TypeMeasurement& measurement, const std::vector<const InputFile*>& files,
                   unsigned repeat, const fs::path& scratch_dir) {
  for (const Peer& peer : Peer::for_type(measurement.figures.type, scratch_dir)) {
    PeerFigures& figures = measurement.figures.peers.emplace_back();
    figures.label = peer.label();
    figures.missing_program = peer.missing_program();
    if (!figures.missing_program.empty()) continue;

    std::vector<std::size_t> delivered;
    for (std::size_t i = 0; i < files.size(); ++i) {
      // A file the child did not finish every run of has no figure to compare with.
      if (measurement.first_verdicts[i] != Verdict::blocked &&
          measurement.by_file[i].runs() == repeat) {
        delivered.push_back(i);
      }
    }
    progress("peer {} on {}: {} x {}", figures.label, measurement.figures.type,
             count_of(delivered.size(), "file"), repeat);
    figures.files = delivered.size();
    for (const std::size_t i : delivered) {
      const InputFile& file = *files[i];
      for (unsigned r = 0; r < repeat; ++r) {
        const ChildEnd end = peer.run(file.path, file.description);
        figures.peer.add(end.elapsed_ms, file.size);
        figures.peak_rss_mb = std::max(figures.peak_rss_mb, end.peak_rss_mb);
        if (!end.ok() && figures.failed_runs++ == 0) {
          figures.first_failure = fmt::format("{} on {}", end.describe(), file.path.string());
        }
      }
      for (const double elapsed_ms : measurement.by_file[i].latencies_ms) {
        figures.ours.add(elapsed_ms, file.size);
      }
    }
  }
}

// The peak RSS of a child that only built and warmed an engine: what every type's figure
// starts from.
double engine_baseline_rss_mb() {
  const ChildEnd end = run_in_child(
      [](const MessageWriter&) {
        warmed_engine();  // built and dropped: the peak is what counts
        return 0;
      },
      [](const json&) {}, file_silence_limit());
  if (!end.ok()) throw std::runtime_error("building an engine: " + end.describe());
  return end.peak_rss_mb;
}

// Detects every file's type, then measures type by type, with the peers.
void measure_all(std::vector<InputFile>& files, unsigned repeat, const RunOne& run_one,
                 BenchRun& run) {
  detect_types(files, run_one, run);

  std::map<std::string, std::vector<const InputFile*>> by_type;
  for (const InputFile& file : files) {
    if (!file.type.empty()) by_type[file.type].push_back(&file);
  }
  run.baseline_rss_mb = engine_baseline_rss_mb();
  const ScratchDir scratch;
  for (const auto& [type, type_files] : by_type) {
    TypeMeasurement measurement = measure_type(type, type_files, repeat);
    measure_peers(measurement, type_files, repeat, scratch.path());
    run.types.push_back(std::move(measurement.figures));
  }
}

int run_bench(int argc, char** argv) {
  CLI::App app{
      "sanitize-bench: files/s, MB/s, latency and peak RSS of the engine per detected type, "
      "next to the tools a user would pick instead"};
  std::vector<std::string> dirs;
  std::string large_dir;
  unsigned repeat = 3;
  bool json_output = false;
  app.add_option("dirs", dirs, "Folders of input files, searched recursively");
  app.add_option("--large", large_dir,
                 "Generate large inputs into this folder and measure them too");
  std::string pdf_dir;
  app.add_option("--pdf-scaling", pdf_dir,
                 "Generate PDFs of 1 to 1,000 pages and a scan into this folder and compare "
                 "both PDF modes with qpdf, mat2 and pdftoppm, file by file");
  app.add_option("--repeat", repeat, "Runs of each file")->check(CLI::Range(1u, 1000u));
  app.add_flag("--json", json_output, "Print JSON instead of a table");
  CLI11_PARSE(app, argc, argv);
  if (dirs.empty() && large_dir.empty() && pdf_dir.empty()) {
    fmt::print(stderr, "sanitize-bench: give input folders, --large DIR, --pdf-scaling DIR\n");
    return kUsageError;
  }

  BenchRun run;
  run.repeat = repeat;
  const RunOne run_one = run_one_for(Mode::in_process);

  std::vector<InputFile> files = collect_files(dirs, run);
  if (!large_dir.empty()) {
    const std::vector<InputFile> large = large_inputs(large_dir, run);
    files.insert(files.end(), large.begin(), large.end());
  }
  if (files.empty() && pdf_dir.empty()) {
    fmt::print(stderr, "sanitize-bench: no input files\n");
    return kUsageError;
  }
  if (!files.empty()) measure_all(files, repeat, run_one, run);

  if (json_output) {
    nlohmann::ordered_json figures = to_json(run);
    if (!pdf_dir.empty()) figures["pdf_scaling"] = run_pdf_scaling(pdf_dir, repeat, nullptr);
    fmt::print("{}\n", figures.dump(2));
  } else {
    if (!files.empty()) print_table(run, stdout);
    if (!pdf_dir.empty()) run_pdf_scaling(pdf_dir, repeat, stdout);
  }
  return 0;
}

}  // namespace
}  // namespace sanitize::bench

int main(int argc, char** argv) {
  // The sandboxed mode's worker zygote is this program again.
  if (argc == 2 && std::string_view(argv[1]) == "worker") {
    return sanitize::worker_main(sanitize::kWorkerControlFd, sanitize::default_formats());
  }
  try {
    return sanitize::bench::run_bench(argc, argv);
  } catch (const std::exception& error) {
    fmt::print(stderr, "sanitize-bench: {}\n", error.what());
    return 1;
  }
}
