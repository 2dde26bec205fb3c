#include "sanitize/limits.hpp"

#include <array>

namespace sanitize {

std::span<const LimitSpec> limit_specs() {
  static constexpr std::array<LimitSpec, 9> kSpecs{{
      {"max_input_bytes", "bytes", &Limits::max_input_bytes, 1,
       "size of one submitted file; larger files are blocked"},
      {"max_expanded_bytes", "bytes", &Limits::max_expanded_bytes, 1,
       "all decompressed data of one file, summed over every nesting level"},
      {"max_expansion_ratio", "ratio", &Limits::max_expansion_ratio, 1,
       "decompressed bytes per compressed byte, per stream and for the whole file"},
      {"ratio_grace_bytes", "bytes", &Limits::ratio_grace_bytes, 0,
       "decompressed bytes a stream may produce before the ratio is enforced"},
      {"max_depth", "levels", &Limits::max_depth, 0,
       "nesting of containers inside containers (0: no embedded content at all)"},
      {"max_entries", "count", &Limits::max_entries, 1,
       "entries of all containers of one file, nested ones included"},
      {"deadline_ms", "milliseconds", &Limits::deadline_ms, 1, "wall time for one file"},
      {"worker_memory_bytes", "bytes", &Limits::worker_memory_bytes, 64 * kMiB,
       "memory a sandboxed worker may use"},
      {"worker_cpu_seconds", "seconds", &Limits::worker_cpu_seconds, 1,
       "CPU time a sandboxed worker may use"},
  }};
  return kSpecs;
}

}  // namespace sanitize
