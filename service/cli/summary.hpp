// What a batch did, for people (a table) and for programs (JSON).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sanitize/report.hpp"
#include "tree_scan.hpp"

namespace sanitize::cli {

struct FileRecord {
  std::string input;                  // relative to the input folder
  std::optional<std::string> output;  // relative to the output folder, when delivered
  Verdict verdict = Verdict::blocked;
  std::string detected_type;  // empty when unknown
  BlockReason block_reason = BlockReason::none;
  std::string block_detail;
  std::size_t findings = 0;
  double elapsed_ms = 0;
  std::string error;  // a problem beside the verdict, e.g. its report could not be written
};

struct BatchSummary {
  std::vector<FileRecord> files;  // in input order
  std::vector<SkippedEntry> skipped;
  std::size_t not_processed = 0;    // left when the batch was interrupted
  std::vector<std::string> errors;  // problems of no single file (flushing a folder)
  double elapsed_ms = 0;
};

// The worst verdict as an exit status; anything that could not be read or written counts
// as blocked.
int batch_exit_code(const BatchSummary& summary);

// Counts per detected type, a total row, then the blocked, failed and skipped files.
std::string summary_table(const BatchSummary& summary);
// {"files": [...], "skipped": [...], "summary": {...}}
std::string summary_json(const BatchSummary& summary);

}  // namespace sanitize::cli
