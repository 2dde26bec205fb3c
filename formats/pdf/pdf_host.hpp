// The engine as the qpdf-facing code of the module sees it. That code is compiled as
// C++17: qpdf 11.3's headers (Debian 12) do not compile as C++20 with clang 14 (a
// std::vector of the incomplete JSON class, qpdf issue 942, fixed in qpdf 11.4), so it
// cannot include the engine's C++20 headers. pdf_format.cpp implements this over the
// Context; whatever it throws (a block) passes through the C++17 code untouched.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sanitize::formats::pdf {

// Why a file ends without output.
enum class StopReason { encrypted, corrupt, limit, internal_error };

// What was done to an element that is recorded, not decided by the policy.
enum class Done { removed, neutralized, converted };

struct EmbeddedResult {
  bool blocked = false;
  std::string why;  // when blocked: "reason: detail"
  std::vector<std::uint8_t> output;
  std::string output_name;
};

class Host {
 public:
  virtual ~Host() = default;
  // A policy element was found and removed (or the policy blocks the file: this throws).
  virtual void element(const std::string& kind, const std::string& location,
                       const std::string& detail) = 0;
  // A finding recorded as it is.
  virtual void finding(const std::string& kind, const std::string& location, Done done,
                       const std::string& detail) = 0;
  // The shared budget: each throws when exceeded.
  virtual void charge_expanded(std::uint64_t bytes, const std::string& location) = 0;
  virtual void check_ratio(std::uint64_t produced, std::uint64_t compressed,
                           const std::string& location) = 0;
  virtual void charge_entries(std::uint64_t count, const std::string& location) = 0;
  virtual void check_deadline() = 0;
  // Embedded content through the engine, one level deeper.
  virtual EmbeddedResult sanitize_child(const std::vector<std::uint8_t>& bytes,
                                        const std::string& name) = 0;
  // Ends the file without output; throws.
  [[noreturn]] virtual void stop(StopReason reason, const std::string& detail) = 0;
};

}  // namespace sanitize::formats::pdf
