#include "bench/figures.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace sanitize::bench {
namespace {

std::vector<std::string> peer_cells(const PeerFigures* peer_figures) {
  if (peer_figures == nullptr) return {"-", "-", "-", "-", "-"};
  const PeerFigures& peer = *peer_figures;
  if (!peer.missing_program.empty()) return {peer.label, "n/a", "n/a", "n/a", "n/a"};
  if (peer.peer.runs() == 0) return {peer.label, "0", "-", "-", "-"};
  const auto ratio = peer.time_ratio();
  return {peer.label, std::to_string(peer.files), number(peer.peer.mb_per_second()),
          number(peer.peak_rss_mb), ratio ? number(*ratio) : "-"};
}

std::string child_problem(const TypeFigures& type) {
  return fmt::format(
      "{}: the measuring child stopped ({}) while on {}; the figures cover the "
      "{} before",
      type.type, type.child.describe(), type.stopped_at.empty() ? "no file" : type.stopped_at,
      count_of(type.ours.runs(), "run"));
}

nlohmann::ordered_json timings_json(const Timings& timings) {
  return {{"runs", timings.runs()},
          {"total_ms", timings.total_ms},
          {"files_per_s", timings.files_per_second()},
          {"mb_per_s", timings.mb_per_second()},
          {"p50_ms", timings.percentile_ms(0.50)},
          {"p99_ms", timings.percentile_ms(0.99)}};
}

}  // namespace

std::string number(double value) {
  if (value < 10) return fmt::format("{:.2f}", value);
  if (value < 1000) return fmt::format("{:.1f}", value);
  return fmt::format("{:.0f}", value);
}

Table::Table(std::vector<std::string> headers) {
  for (std::string& header : headers) {
    const bool left = header.front() == '<';
    if (left) header.erase(0, 1);
    left_aligned_.push_back(left);
    widths_.push_back(header.size());
  }
  rows_.push_back(std::move(headers));
}

void Table::add(std::vector<std::string> row) {
  for (std::size_t i = 0; i < row.size(); ++i) widths_[i] = std::max(widths_[i], row[i].size());
  rows_.push_back(std::move(row));
}

void Table::print(std::FILE* out) const {
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) line += "  ";
      line += left_aligned_[i] ? fmt::format("{:<{}}", row[i], widths_[i])
                               : fmt::format("{:>{}}", row[i], widths_[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print(out, "{}\n", line);
  }
}

std::string count_of(std::size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

void Timings::add(double elapsed_ms, std::uint64_t input_bytes) {
  latencies_ms.push_back(elapsed_ms);
  total_ms += elapsed_ms;
  bytes += input_bytes;
}

double Timings::files_per_second() const {
  return total_ms > 0 ? static_cast<double>(runs()) * 1000 / total_ms : 0;
}

double Timings::mb_per_second() const {
  return total_ms > 0 ? static_cast<double>(bytes) / kMB / (total_ms / 1000) : 0;
}

double Timings::percentile_ms(double fraction) const {
  if (latencies_ms.empty()) return 0;
  std::vector<double> sorted = latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  const auto rank =
      static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

std::optional<double> PeerFigures::time_ratio() const {
  if (peer.total_ms <= 0 || ours.runs() == 0) return std::nullopt;
  return ours.total_ms / peer.total_ms;
}

std::optional<double> TypeFigures::sandbox_overhead_ms() const {
  if (ours.runs() == 0 || sandboxed.runs() != ours.runs()) return std::nullopt;
  return (sandboxed.total_ms - ours.total_ms) / static_cast<double>(ours.runs());
}

void print_table(const BenchRun& run, std::FILE* out) {
  std::size_t files = 0;
  for (const TypeFigures& type : run.types) files += type.files;
  fmt::print(out,
             "sanitize-bench: {}, {} each, in-process and sandboxed; engine baseline RSS {} MB\n\n",
             count_of(files, "file"), count_of(run.repeat, "run"), number(run.baseline_rss_mb));

  Table table({"<type", "files", "MB", "files/s", "MB/s", "p50 ms", "p99 ms", "RSS MB", "clean",
               "sanitized", "blocked", "sbx p50 ms", "sbx +ms/file", "<peer", "peer files",
               "peer MB/s", "peer RSS MB", "time ratio"});
  for (const TypeFigures& type : run.types) {
    std::vector<std::string> row = {
        type.child.ok() ? type.type : type.type + " (!)",
        std::to_string(type.files),
        number(static_cast<double>(type.input_bytes) / kMB),
        number(type.ours.files_per_second()),
        number(type.ours.mb_per_second()),
        number(type.ours.percentile_ms(0.50)),
        number(type.ours.percentile_ms(0.99)),
        number(type.child.peak_rss_mb),
        std::to_string(type.verdicts[static_cast<std::size_t>(Verdict::clean)]),
        std::to_string(type.verdicts[static_cast<std::size_t>(Verdict::sanitized)]),
        std::to_string(type.verdicts[static_cast<std::size_t>(Verdict::blocked)]),
        type.sandboxed_child.ok() ? number(type.sandboxed.percentile_ms(0.50)) : "(!)",
        type.sandbox_overhead_ms() ? number(*type.sandbox_overhead_ms()) : "-",
    };
    const auto peer = peer_cells(type.peers.empty() ? nullptr : &type.peers.front());
    row.insert(row.end(), peer.begin(), peer.end());
    table.add(std::move(row));
    // Further peers of the type on rows of their own, our columns left empty.
    for (std::size_t i = 1; i < type.peers.size(); ++i) {
      std::vector<std::string> more(13, "");
      const auto cells = peer_cells(&type.peers[i]);
      more.insert(more.end(), cells.begin(), cells.end());
      table.add(std::move(more));
    }
  }
  table.print(out);

  fmt::print(out,
             "\nRSS MB: peak of the child that measured the type, engine baseline included.\n"
             "sbx: each file in a fresh sandboxed worker (fork of the zygote, confinement, "
             "second inspection of the output), the same files and runs; +ms/file is its mean "
             "extra wall time per file over in-process.\n"
             "time ratio: our in-process wall time / the peer's, on the files the peer ran "
             "(those the engine delivered), as many runs each; below 1 we are faster.\n");
  double overhead_total = 0;
  std::size_t overhead_runs = 0;
  for (const TypeFigures& type : run.types) {
    if (const auto overhead = type.sandbox_overhead_ms()) {
      overhead_total += *overhead * static_cast<double>(type.ours.runs());
      overhead_runs += type.ours.runs();
    }
  }
  if (overhead_runs > 0) {
    fmt::print(out, "sandbox overhead over all types: {} ms per file (mean of {})\n",
               number(overhead_total / static_cast<double>(overhead_runs)),
               count_of(overhead_runs, "run"));
  }
  for (const TypeFigures& type : run.types) {
    if (!type.child.ok()) fmt::print(out, "(!) {}\n", child_problem(type));
    if (!type.sandboxed_child.ok()) {
      fmt::print(out, "(!) {} sandboxed: {}\n", type.type, type.sandboxed_child.describe());
    }
    for (const PeerFigures& peer : type.peers) {
      if (!peer.missing_program.empty()) {
        fmt::print(out, "{}: peer {} not run: {} is not installed\n", type.type, peer.label,
                   peer.missing_program);
      } else if (peer.failed_runs > 0) {
        fmt::print(out, "{}: {} of {} runs of {} failed (timed all the same), first: {}\n",
                   type.type, peer.failed_runs, peer.peer.runs(), peer.label, peer.first_failure);
      }
    }
  }
  for (const std::string& note : run.notes) fmt::print(out, "{}\n", note);
}

nlohmann::ordered_json to_json(const BenchRun& run) {
  nlohmann::ordered_json types = nlohmann::ordered_json::array();
  for (const TypeFigures& type : run.types) {
    nlohmann::ordered_json entry = {
        {"type", type.type},
        {"files", type.files},
        {"input_bytes", type.input_bytes},
        {"timings", timings_json(type.ours)},
        {"peak_rss_mb", type.child.peak_rss_mb},
        {"sandboxed",
         {{"timings", timings_json(type.sandboxed)},
          {"ok", type.sandboxed_child.ok()},
          {"overhead_ms_per_file", type.sandbox_overhead_ms()
                                       ? nlohmann::ordered_json(*type.sandbox_overhead_ms())
                                       : nullptr}}},
        {"verdicts",
         {{"clean", type.verdicts[static_cast<std::size_t>(Verdict::clean)]},
          {"sanitized", type.verdicts[static_cast<std::size_t>(Verdict::sanitized)]},
          {"blocked", type.verdicts[static_cast<std::size_t>(Verdict::blocked)]}}},
        {"child", {{"ok", type.child.ok()}, {"end", type.child.describe()}}},
        {"peers", nlohmann::ordered_json::array()},
    };
    if (!type.child.ok()) entry["child"]["problem"] = child_problem(type);
    for (const PeerFigures& peer : type.peers) {
      nlohmann::ordered_json peer_entry = {{"tool", peer.label},
                                           {"available", peer.missing_program.empty()}};
      if (!peer.missing_program.empty()) {
        peer_entry["missing_program"] = peer.missing_program;
      } else {
        const auto ratio = peer.time_ratio();
        peer_entry.update({{"files", peer.files},
                           {"timings", timings_json(peer.peer)},
                           {"ours_on_same_files", timings_json(peer.ours)},
                           {"peak_rss_mb", peer.peak_rss_mb},
                           {"failed_runs", peer.failed_runs},
                           {"time_ratio", ratio ? nlohmann::ordered_json(*ratio) : nullptr}});
        if (peer.failed_runs > 0) peer_entry["first_failure"] = peer.first_failure;
      }
      entry["peers"].push_back(std::move(peer_entry));
    }
    types.push_back(std::move(entry));
  }
  return {{"modes", {"in-process", "sandboxed"}},
          {"repeat", run.repeat},
          {"mb", "10^6 bytes"},
          {"engine_baseline_rss_mb", run.baseline_rss_mb},
          {"inputs", run.inputs},
          {"types", std::move(types)},
          {"notes", run.notes}};
}

}  // namespace sanitize::bench
