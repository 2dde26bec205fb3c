#include "summary.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "exit_codes.hpp"

namespace sanitize::cli {
namespace {

using json = nlohmann::ordered_json;

struct Counts {
  std::size_t clean = 0;
  std::size_t sanitized = 0;
  std::size_t blocked = 0;
  std::size_t total() const { return clean + sanitized + blocked; }
  void add(Verdict verdict) {
    switch (verdict) {
      case Verdict::clean:
        ++clean;
        break;
      case Verdict::sanitized:
        ++sanitized;
        break;
      case Verdict::blocked:
        ++blocked;
        break;
    }
  }
};

std::string type_label(const FileRecord& file) {
  return file.detected_type.empty() ? "unknown" : file.detected_type;
}

std::map<std::string, Counts> counts_by_type(const BatchSummary& summary) {
  std::map<std::string, Counts> by_type;
  for (const auto& file : summary.files) by_type[type_label(file)].add(file.verdict);
  return by_type;
}

Counts total_counts(const BatchSummary& summary) {
  Counts total;
  for (const auto& file : summary.files) total.add(file.verdict);
  return total;
}

json counts_json(const Counts& counts) {
  return json{{"clean", counts.clean},
              {"sanitized", counts.sanitized},
              {"blocked", counts.blocked},
              {"total", counts.total()}};
}

json optional_text(const std::string& text) {
  return text.empty() ? json() : json(text);
}

}  // namespace

int batch_exit_code(const BatchSummary& summary) {
  if (summary.not_processed > 0) return kExitInterrupted;
  const bool unread = std::any_of(summary.skipped.begin(), summary.skipped.end(),
                                  [](const SkippedEntry& entry) { return entry.unreadable; });
  int code = summary.errors.empty() && !unread ? kExitClean : kExitBlocked;
  for (const auto& file : summary.files) {
    code = std::max(code, file.error.empty() ? exit_code_for(file.verdict) : kExitBlocked);
  }
  return code;
}

std::string summary_table(const BatchSummary& summary) {
  const auto by_type = counts_by_type(summary);
  std::size_t type_width = 5;  // "total"
  for (const auto& [type, counts] : by_type) type_width = std::max(type_width, type.size());

  std::string out = fmt::format("{:<{}}  {:>9}  {:>9}  {:>9}  {:>9}\n", "type", type_width, "clean",
                                "sanitized", "blocked", "total");
  auto row = [&](const std::string& label, const Counts& counts) {
    out += fmt::format("{:<{}}  {:>9}  {:>9}  {:>9}  {:>9}\n", label, type_width, counts.clean,
                       counts.sanitized, counts.blocked, counts.total());
  };
  for (const auto& [type, counts] : by_type) row(type, counts);
  row("total", total_counts(summary));

  const auto blocked =
      std::count_if(summary.files.begin(), summary.files.end(),
                    [](const FileRecord& f) { return f.verdict == Verdict::blocked; });
  if (blocked > 0) {
    out += fmt::format("\nBlocked ({}):\n", blocked);
    for (const auto& file : summary.files) {
      if (file.verdict != Verdict::blocked) continue;
      out += fmt::format("  {}: {}: {}\n", file.input, to_string(file.block_reason),
                         file.block_detail);
    }
  }
  const auto failed = std::count_if(summary.files.begin(), summary.files.end(),
                                    [](const FileRecord& f) { return !f.error.empty(); });
  if (failed > 0) {
    out += fmt::format("\nErrors ({}):\n", failed);
    for (const auto& file : summary.files) {
      if (!file.error.empty()) out += fmt::format("  {}: {}\n", file.input, file.error);
    }
  }
  for (const auto& error : summary.errors) out += fmt::format("\nError: {}\n", error);
  if (!summary.skipped.empty()) {
    out += fmt::format("\nSkipped ({}):\n", summary.skipped.size());
    for (const auto& entry : summary.skipped) {
      out += fmt::format("  {}: {}\n", entry.path, entry.reason);
    }
  }
  if (summary.not_processed > 0) {
    out += fmt::format("\nInterrupted: {} files were not processed.\n", summary.not_processed);
  }
  out += fmt::format("\n{} files in {:.1f} s\n", summary.files.size(), summary.elapsed_ms / 1000.0);
  return out;
}

std::string summary_json(const BatchSummary& summary) {
  json files = json::array();
  for (const auto& file : summary.files) {
    const bool blocked = file.verdict == Verdict::blocked;
    files.push_back(json{
        {"input", file.input},
        {"output", file.output ? json(*file.output) : json()},
        {"verdict", to_string(file.verdict)},
        {"detected_type", file.detected_type},
        {"block_reason", blocked ? json(to_string(file.block_reason)) : json()},
        {"block_detail", blocked ? json(file.block_detail) : json()},
        {"findings", file.findings},
        {"elapsed_ms", file.elapsed_ms},
        {"error", optional_text(file.error)},
    });
  }
  json skipped = json::array();
  for (const auto& entry : summary.skipped) {
    skipped.push_back(
        json{{"path", entry.path}, {"reason", entry.reason}, {"unreadable", entry.unreadable}});
  }
  json types = json::object();
  for (const auto& [type, counts] : counts_by_type(summary)) types[type] = counts_json(counts);
  const json document{
      {"files", std::move(files)},
      {"skipped", std::move(skipped)},
      {"summary",
       {{"types", std::move(types)},
        {"total", counts_json(total_counts(summary))},
        {"skipped", summary.skipped.size()},
        {"not_processed", summary.not_processed},
        {"errors", summary.errors},
        {"elapsed_ms", summary.elapsed_ms},
        {"exit_code", batch_exit_code(summary)}}},
  };
  // File names may hold bytes that are not UTF-8: replace them rather than fail.
  return document.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace sanitize::cli
