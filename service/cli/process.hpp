// The one place where a file is handed to the engine. Every command processes each file
// through process_file, so that the sandboxed worker can take over here alone.
#pragma once

#include <string>
#include <string_view>

#include "sanitize/engine.hpp"

namespace sanitize::cli {

struct ProcessOptions {
  bool sandbox = true;  // false with --no-sandbox
};

// Sanitizes the regular file open on `input_fd`. `declared_name` is the name reports show
// (the base name for `file`, the path inside the input folder for `batch`). Never throws
// for a bad file: the result says what happened.
Result process_file(const Engine& engine, int input_fd, std::string_view declared_name,
                    const ProcessOptions& options);

// Marks a result blocked for a reason found outside the engine (the input could not be
// read, the output could not be written or was refused), dropping its output. The notes
// say so in Japanese and English.
void block_outside_engine(Result& result, BlockReason reason, std::string detail);

// A blocked result for a file the engine never saw.
Result unprocessed_file(std::string_view declared_name, BlockReason reason, std::string detail);

}  // namespace sanitize::cli
