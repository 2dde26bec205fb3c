// Runs a batch: every file of a scanned input folder through the Processor on a pool of
// threads (one sandboxed worker zygote per thread), each output delivered into the mirrored folder
// of the output root.
#pragma once

#include <filesystem>
#include <optional>

#include "process.hpp"
#include "sanitize/engine.hpp"
#include "summary.hpp"
#include "tree_scan.hpp"

namespace sanitize::cli {

struct BatchSettings {
  std::filesystem::path output_root;
  std::optional<std::filesystem::path> reports_root;  // one <input>.report.json per file
  unsigned jobs = 1;
};

// Files are processed in parallel but delivered in input order, so that when two outputs
// want the same name the earlier input keeps it and the later one becomes "name (1).ext",
// the same on every run. Nothing already in the output folder is ever replaced. Reports
// are replaced. Shows a progress bar on a terminal; Ctrl-C stops starting new files.
BatchSummary run_batch(const Processor& processor, int input_root_fd, const TreeScan& scan,
                       const BatchSettings& settings);

}  // namespace sanitize::cli
