// `sanitize batch IN_DIR OUT_DIR`: every file below a folder, in parallel.
#include <fcntl.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "batch_runner.hpp"
#include "commands.hpp"
#include "engine_setup.hpp"
#include "exit_codes.hpp"
#include "sanitize/unique_fd.hpp"
#include "tree_scan.hpp"

namespace sanitize::cli {
namespace {

namespace fs = std::filesystem;

struct BatchOptions {
  std::string input_folder;
  std::string output_folder;
  std::string reports_folder;
  std::string policy;
  unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
  bool json = false;
  bool no_sandbox = false;
};

// Whether `inner` is `outer` or lies below it, symbolic links resolved. False when that
// cannot be told: the check guards against a mistake, not an attack.
bool is_within(const fs::path& inner, const fs::path& outer) {
  std::error_code error;
  const fs::path a = fs::weakly_canonical(fs::absolute(inner), error);
  const fs::path b = fs::weakly_canonical(fs::absolute(outer), error);
  if (error) return false;
  return std::mismatch(b.begin(), b.end(), a.begin(), a.end()).first == b.end();
}

// Output folders must not lie inside the input folder (a batch would sanitize its own
// earlier results); they are created when missing.
void prepare_folder(const std::string& folder, const std::string& input_folder,
                    const std::string& what) {
  std::error_code error;
  if (is_within(folder, input_folder)) {
    throw UsageError(
        fmt::format("{} {} lies inside the input folder {}", what, folder, input_folder));
  }
  fs::create_directories(folder, error);
  if (error || !fs::is_directory(folder, error)) {
    throw UsageError(fmt::format("cannot create the {} {}: {}", what, folder,
                                 error ? error.message() : "not a folder"));
  }
}

int run_batch_command(const BatchOptions& options) {
  const auto engine = load_engine(options.policy);
  const UniqueFd input_root(
      ::open(options.input_folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!input_root.valid()) {
    throw UsageError(fmt::format("cannot open the input folder {}: {}", options.input_folder,
                                 std::generic_category().message(errno)));
  }
  prepare_folder(options.output_folder, options.input_folder, "output folder");
  BatchSettings settings;
  settings.output_root = options.output_folder;
  settings.jobs = options.jobs;
  if (!options.reports_folder.empty()) {
    prepare_folder(options.reports_folder, options.input_folder, "reports folder");
    settings.reports_root = options.reports_folder;
  }

  const TreeScan scan = scan_tree(input_root.get());
  const Processor processor(*engine, !options.no_sandbox);
  const BatchSummary summary = run_batch(processor, input_root.get(), scan, settings);
  const std::string text = options.json ? summary_json(summary) : summary_table(summary);
  std::fputs(text.c_str(), stdout);
  return batch_exit_code(summary);
}

}  // namespace

Command add_batch_command(CLI::App& program) {
  auto options = std::make_shared<BatchOptions>();
  CLI::App* command = program.add_subcommand(
      "batch", "Sanitize every file below IN_DIR into the same folders below OUT_DIR");
  command
      ->add_option("input", options->input_folder,
                   "The folder to read, recursively; symbolic links and other entries that "
                   "are not regular files are skipped and listed")
      ->required()
      ->type_name("IN_DIR");
  command
      ->add_option("output", options->output_folder,
                   "The folder to write, created if needed. Blocked files produce nothing. "
                   "Nothing there is replaced: a name already taken gets \" (1)\", \" (2)\"... "
                   "in input order")
      ->required()
      ->type_name("OUT_DIR");
  command->add_option("-j,--jobs", options->jobs, "Files processed at once")
      ->check(CLI::Range(1u, 4096u))
      ->capture_default_str();
  command
      ->add_option("--reports", options->reports_folder,
                   "Write one <relative path>.report.json per input file below this folder")
      ->type_name("DIR");
  command->add_flag("--json", options->json,
                    "Print one JSON object (files, skipped, summary) instead of the table");
  add_policy_option(*command, options->policy);
  add_no_sandbox_option(*command, options->no_sandbox);
  return {command, [options] { return run_batch_command(*options); }};
}

}  // namespace sanitize::cli
