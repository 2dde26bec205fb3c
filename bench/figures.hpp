// What one bench run measured, and the two ways of showing it: an aligned table for people,
// JSON for machines.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/child_process.hpp"
#include "bench/run_one.hpp"

namespace sanitize::bench {

inline constexpr double kMB = 1e6;  // decimal, as disk and network speeds are given

// Three significant digits or so, without scientific notation.
std::string number(double value);

// Columns aligned for people.
class Table {
 public:
  // A header starting with '<' is left-aligned; the rest are right-aligned.
  explicit Table(std::vector<std::string> headers);
  void add(std::vector<std::string> row);
  void print(std::FILE* out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> widths_;
  std::vector<bool> left_aligned_;
};

// Wall times of many runs.
struct Timings {
  std::vector<double> latencies_ms;
  double total_ms = 0;
  std::uint64_t bytes = 0;  // input bytes over all runs

  void add(double elapsed_ms, std::uint64_t input_bytes);
  std::size_t runs() const { return latencies_ms.size(); }
  double files_per_second() const;
  double mb_per_second() const;
  // Nearest rank; 0 without runs.
  double percentile_ms(double fraction) const;
};

// The peer of a type, on the files of that type the engine delivered: a file the engine
// blocks (a bomb, a broken archive) is no work a peer should be timed on.
struct PeerFigures {
  std::string label;
  std::string missing_program;  // set when it could not run: the figures are empty
  std::size_t files = 0;
  Timings peer;
  Timings ours;  // the same files and repeats, from our runs
  double peak_rss_mb = 0;
  std::size_t failed_runs = 0;  // a program did not exit 0 (its time still counts)
  std::string first_failure;

  // Our time over the peer's: below 1, we are faster.
  std::optional<double> time_ratio() const;
};

struct TypeFigures {
  std::string type;
  std::size_t files = 0;
  std::uint64_t input_bytes = 0;  // of one run over the files
  Timings ours;
  std::array<std::size_t, 3> verdicts{};  // per file, indexed by Verdict
  ChildEnd child;
  std::string stopped_at;  // the file the child was on when it crashed or hung
  std::vector<PeerFigures> peers;
  // The same files and repeats, each in a sandboxed worker.
  Timings sandboxed;
  ChildEnd sandboxed_child;

  // Mean extra wall time per file run of the sandbox over in-process.
  std::optional<double> sandbox_overhead_ms() const;
};

struct BenchRun {
  unsigned repeat = 0;
  double baseline_rss_mb = 0;  // a child that only built the engine
  std::vector<std::string> inputs;
  std::vector<TypeFigures> types;
  std::vector<std::string> notes;  // inputs skipped, files that crashed the type detection
};

// "1 file", "3 files"
std::string count_of(std::size_t count, std::string_view noun);

void print_table(const BenchRun& run, std::FILE* out);
nlohmann::ordered_json to_json(const BenchRun& run);

}  // namespace sanitize::bench
