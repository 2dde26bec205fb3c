// The one place where a file is handed over for processing: to a sandboxed worker by
// default, or to the engine in this process with --no-sandbox.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sanitize/engine.hpp"

namespace sanitize::cli {

class Processor {
 public:
  // With `sandbox`, starts a worker zygote (and probes that a child can confine itself).
  // Throws UsageError when the sandbox cannot be set up and the policy does not allow
  // unsandboxed operation ([sandbox] allow_unsandboxed); when it does, files are processed
  // in this process and every report says so.
  Processor(const Engine& engine, bool sandbox);
  ~Processor();

  // Sanitizes the regular file open on `input_fd`. `declared_name` is the name reports
  // show (the base name for `file`, the path inside the input folder for `batch`).
  // Thread-safe: each thread gets its own worker zygote. Never throws for a bad file.
  Result process(int input_fd, std::string_view declared_name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Marks a result blocked for a reason found outside the engine (the input could not be
// read, the output could not be written or was refused), dropping its output. The notes
// say so in Japanese and English.
void block_outside_engine(Result& result, BlockReason reason, std::string detail);

// A blocked result for a file the engine never saw.
Result unprocessed_file(std::string_view declared_name, BlockReason reason, std::string detail);

}  // namespace sanitize::cli
