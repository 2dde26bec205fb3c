// Every resource limit of the engine, in one place: name, unit, default and meaning.
// The policy's [limits] table uses these names; docs/policy.md lists the same table.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sanitize {

inline constexpr std::uint64_t kKiB = 1024;
inline constexpr std::uint64_t kMiB = 1024 * kKiB;
inline constexpr std::uint64_t kGiB = 1024 * kMiB;

struct Limits {
  std::uint64_t max_input_bytes = 256 * kMiB;    // bytes: size of one submitted file
  std::uint64_t max_expanded_bytes = 1 * kGiB;   // bytes: all decompressed data of one file,
                                                 // summed over every nesting level
  std::uint64_t max_expansion_ratio = 200;       // ratio: decompressed / compressed bytes, per
                                                 // stream and for the file as a whole
  std::uint64_t ratio_grace_bytes = 4 * kMiB;    // bytes: output a stream may produce before
                                                 // the ratio is enforced (small files of
                                                 // zeros are legitimate)
  std::uint64_t max_depth = 8;                   // levels: nesting of containers
  std::uint64_t max_entries = 10000;             // count: entries of all containers of a file
  std::uint64_t deadline_ms = 60000;             // milliseconds: wall time for one file
  std::uint64_t worker_memory_bytes = 1 * kGiB;  // bytes: memory of a sandboxed worker
  std::uint64_t worker_cpu_seconds = 120;        // seconds: CPU time of a sandboxed worker
};

struct LimitSpec {
  std::string_view name;
  std::string_view unit;
  std::uint64_t Limits::*field;
  std::uint64_t minimum;
  std::string_view description;
};

// The table behind the policy's [limits] section and its documentation.
std::span<const LimitSpec> limit_specs();

}  // namespace sanitize
