// `sanitize file IN [-o OUT] [--report R.json]`: one file.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "atomic_file.hpp"
#include "commands.hpp"
#include "engine_setup.hpp"
#include "exit_codes.hpp"
#include "input_files.hpp"
#include "output_names.hpp"
#include "process.hpp"

namespace sanitize::cli {
namespace {

namespace fs = std::filesystem;

struct FileOptions {
  std::string input;
  std::string output;
  std::string report;
  std::string policy;
  bool json = false;
  bool no_sandbox = false;
};

// Where -o puts the output: a named file, or a folder to hold it under its output name.
struct OutputTarget {
  fs::path path;
  bool is_folder = false;

  fs::path file_for(const std::string& output_name) const {
    return is_folder ? path / output_name : path;
  }
};

// Checks, before anything is processed, that files can be created in `folder`.
void check_writable_folder(const fs::path& folder, const std::string& option) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw UsageError(fmt::format("{} {}: no such folder", option, folder.string()));
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw UsageError(fmt::format("{} {}: the folder is not writable", option, folder.string()));
  }
}

fs::path folder_of(const fs::path& file) {
  return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

std::optional<OutputTarget> resolve_output(const std::string& output) {
  if (output.empty()) return std::nullopt;
  const fs::path path(output);
  std::error_code error;
  if (fs::is_directory(path, error)) {
    check_writable_folder(path, "-o");
    return OutputTarget{path, true};
  }
  if (!path.has_filename()) throw UsageError("-o " + output + ": no such folder");
  check_writable_folder(folder_of(path), "-o");
  return OutputTarget{path, false};
}

std::string lower_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

// Writes the output where -o says; on failure the file counts as blocked. Returns the
// path written.
std::optional<fs::path> write_output(Result& result, const OutputTarget& target) {
  const auto name = output_file_name(result);
  if (!name) {
    block_outside_engine(result, BlockReason::output_rejected,
                         "not a usable output name: \"" + result.output_name + "\"");
    return std::nullopt;
  }
  const fs::path path = target.file_for(*name);
  try {
    write_file_atomically(path, result.output);
  } catch (const std::system_error& error) {
    fmt::print(stderr, "sanitize: the output was not written: {}\n", error.what());
    block_outside_engine(result, BlockReason::internal_error, error.what());
    return std::nullopt;
  }
  if (!target.is_folder && lower_extension(path) != lower_extension(*name)) {
    fmt::print(stderr, "sanitize: note: the output would be named {}; written as {} as asked\n",
               *name, path.string());
  }
  return path;
}

void print_result(const Result& result, const std::optional<fs::path>& written,
                  const std::optional<OutputTarget>& target) {
  const Report& report = result.report;
  std::string text = fmt::format("{}: {}", report.name, to_string(result.verdict));
  if (result.verdict == Verdict::blocked) {
    text +=
        fmt::format("\n  reason:   {}: {}", to_string(report.block_reason), report.block_detail);
  } else {
    text += fmt::format("\n  output:   {}", result.output_name);
  }
  if (!report.detected_type.empty()) {
    text += fmt::format("\n  type:     {} ({})", report.detected_type, report.description);
  }
  text += fmt::format("\n  findings: {}", report.total_findings());
  if (written) {
    text += fmt::format("\n  written:  {}", written->string());
  } else if (target) {
    std::error_code error;
    const bool kept = !target->is_folder && fs::exists(target->path, error);
    text +=
        kept ? fmt::format("\n  written:  nothing ({} was left as it was)", target->path.string())
             : std::string("\n  written:  nothing");
  }
  text += fmt::format("\n  注記:     {}\n  note:     {}\n", report.note_ja, report.note_en);
  std::fputs(text.c_str(), stdout);
}

int run_file(const FileOptions& options) {
  // Everything that can be checked is checked before the file is processed.
  const auto target = resolve_output(options.output);
  if (!options.report.empty()) check_writable_folder(folder_of(options.report), "--report");
  const auto engine = load_engine(options.policy);
  const UniqueFd input = open_input_file(options.input);

  const Processor processor(*engine, !options.no_sandbox);
  Result result = processor.process(input.get(), fs::path(options.input).filename().string());
  std::optional<fs::path> written;
  if (target && result.verdict != Verdict::blocked) written = write_output(result, *target);

  int exit_code = exit_code_for(result.verdict);
  if (!options.report.empty()) {
    try {
      write_file_atomically(options.report, bytes_of(result.report.to_json(2) + "\n"));
    } catch (const std::system_error& error) {
      fmt::print(stderr, "sanitize: the report was not written: {}\n", error.what());
      exit_code = kExitBlocked;
    }
  }
  if (options.json) {
    std::fputs((result.report.to_json(2) + "\n").c_str(), stdout);
  } else {
    print_result(result, written, target);
  }
  return exit_code;
}

}  // namespace

Command add_file_command(CLI::App& program) {
  auto options = std::make_shared<FileOptions>();
  CLI::App* command = program.add_subcommand(
      "file", "Sanitize one file. Without -o, only tell what the result would be.");
  command->add_option("input", options->input, "The file to sanitize")->required()->type_name("IN");
  command
      ->add_option("-o,--output", options->output,
                   "Write the sanitized file here, atomically; if OUT is a folder, into it "
                   "under the output's name (whose extension may differ: .docm becomes "
                   ".docx). A blocked file writes nothing and leaves OUT as it was")
      ->type_name("OUT");
  command
      ->add_option("--report", options->report,
                   "Write the report (JSON) here, whatever the verdict")
      ->type_name("R.json");
  command->add_flag("--json", options->json, "Print the report as JSON instead of a summary");
  add_policy_option(*command, options->policy);
  add_no_sandbox_option(*command, options->no_sandbox);
  return {command, [options] { return run_file(*options); }};
}

}  // namespace sanitize::cli
