// The per-file call every measurement goes through. A mode is one way of running a file
// (in this process, or in a sandboxed worker per file), so that modes can be compared in
// the same run on the same files.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "sanitize/engine.hpp"

namespace sanitize::bench {

// One file through the engine, timed from opening the file to holding the result.
struct Measured {
  double elapsed_ms = 0;
  Verdict verdict = Verdict::blocked;
  BlockReason block_reason = BlockReason::none;
  std::string detected_type;  // empty when unknown
  std::string description;    // the report's: "CSV text: CP932" names the encoding
};

enum class Mode { in_process, sandboxed };
std::string_view to_string(Mode mode);

using RunOne = std::function<Measured(const Engine& engine, const std::filesystem::path& path)>;

// The per-file call of `mode`. Mode::sandboxed starts its worker zygote (this program,
// run as `sanitize-bench worker`) on its first call, in the process that makes it.
RunOne run_one_for(Mode mode);

// Mode::in_process: Engine::sanitize_fd on the file, here. A file that cannot be opened is
// measured as blocked with the reason in the description.
Measured run_one_in_process(const Engine& engine, const std::filesystem::path& path);

}  // namespace sanitize::bench
