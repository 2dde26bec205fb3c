// `sanitize inspect IN`: what sanitizing a file would remove, as a tree; writes nothing.
#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "engine_setup.hpp"
#include "exit_codes.hpp"
#include "input_files.hpp"
#include "process.hpp"

namespace sanitize::cli {
namespace {

struct InspectOptions {
  std::string input;
  std::string policy;
  bool json = false;
  bool no_sandbox = false;
};

// One report and, indented below it, its findings, limits hit and embedded files.
void append_tree(const Report& report, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  out += fmt::format("{}{}: {} [{}]", indent, report.name, to_string(report.verdict),
                     report.detected_type.empty() ? "unknown type" : report.detected_type);
  if (report.verdict == Verdict::blocked) {
    out += fmt::format(": {}: {}", to_string(report.block_reason), report.block_detail);
  } else if (report.output_name != report.name) {
    out += " -> " + report.output_name;
  }
  out += "\n";
  for (const Finding& finding : report.findings) {
    out += fmt::format("{}  - {} {}", indent, to_string(finding.action), finding.kind);
    if (!finding.location.empty()) out += " at " + finding.location;
    if (!finding.detail.empty()) out += ": " + finding.detail;
    out += "\n";
  }
  for (const LimitHit& hit : report.limits_hit) {
    out += fmt::format("{}  ! limit {} ({} > {})", indent, hit.limit, hit.observed, hit.allowed);
    if (!hit.location.empty()) out += " at " + hit.location;
    out += "\n";
  }
  for (const Report& child : report.children) append_tree(child, depth + 1, out);
}

int run_inspect(const InspectOptions& options) {
  const auto engine = load_engine(options.policy);
  const UniqueFd input = open_input_file(options.input);
  const Processor processor(*engine, !options.no_sandbox);
  const Result result =
      processor.process(input.get(), std::filesystem::path(options.input).filename().string());
  const Report& report = result.report;
  if (options.json) {
    std::fputs((report.to_json(2) + "\n").c_str(), stdout);
  } else {
    std::string out;
    append_tree(report, 0, out);
    out +=
        fmt::format("\nverdict: {} ({} findings)\n注記: {}\nnote: {}\n", to_string(result.verdict),
                    report.total_findings(), report.note_ja, report.note_en);
    std::fputs(out.c_str(), stdout);
  }
  return exit_code_for(result.verdict);
}

}  // namespace

Command add_inspect_command(CLI::App& program) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* command = program.add_subcommand(
      "inspect", "Show what sanitizing a file would remove, and the verdict; writes nothing");
  command->add_option("input", options->input, "The file to inspect")->required()->type_name("IN");
  command->add_flag("--json", options->json, "Print the report as JSON");
  add_policy_option(*command, options->policy);
  add_no_sandbox_option(*command, options->no_sandbox);
  return {command, [options] { return run_inspect(*options); }};
}

}  // namespace sanitize::cli
