// The engine: detects a file's type by content, applies the policy, rebuilds or blocks it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sanitize/format.hpp"
#include "sanitize/policy.hpp"
#include "sanitize/report.hpp"

namespace sanitize {

struct Result {
  Verdict verdict = Verdict::blocked;
  std::vector<std::uint8_t> output;  // empty when blocked
  std::string output_name;           // empty when blocked
  Report report;
};

// The formats an engine knows, in the order they are asked to claim a file. The engine
// does not own them; a module is a stateless object that outlives every engine using it.
using FormatTable = std::vector<const Format*>;

class Engine;
namespace detail {
void leave_top_level_hashes_to_caller(Engine& engine);  // the library's sandbox only
}

class Engine {
 public:
  // Throws PolicyError when the policy names a format, option, type or finding kind that
  // the table does not have, or gives one a value it does not accept.
  Engine(Policy policy, FormatTable formats);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Thread-safe: any number of threads may sanitize at once.
  Result sanitize(std::span<const std::uint8_t> input, std::string_view name) const;
  // The same over a file descriptor (mapped, not copied). Never throws.
  Result sanitize_fd(int fd, std::string_view name) const;
  // Detection and the type checks only, nothing rebuilt: the verdict is clean when a file
  // of this content may be delivered under this name, blocked (with the reason) otherwise.
  Result identify(std::span<const std::uint8_t> input, std::string_view name) const;
  Result identify_fd(int fd, std::string_view name) const;

  // Loads what detection needs (the libmagic database) in the calling thread, and what the
  // modules need under this policy (Format::preload), so that a process forked from it never
  // reads them again.
  void preload() const;

  const Policy& policy() const;
  const FormatTable& formats() const;
  const FindingKindSpec* finding_kind(std::string_view id) const;

  // Opaque: defined in the library.
  struct Impl;

 private:
  friend void detail::leave_top_level_hashes_to_caller(Engine& engine);
  std::unique_ptr<Impl> impl_;
};

// The effective policy of an engine (defaults of every format included) as TOML.
std::string effective_policy_toml(const Engine& engine);

}  // namespace sanitize
