// libFuzzer target over the engine entry point with every built-in format. The declared
// name comes from the first byte, so that every module and dialect is reached.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sanitize/defaults.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 8> kNames{"a.zip",  "a.txt", "a.csv", "a.tsv",
                                                          "a.docx", "a.pdf", "a.eml", "a"};
  static const auto engine = [] {
    sanitize::Policy policy;
    policy.limits.max_expanded_bytes = 256 * sanitize::kMiB;
    policy.limits.deadline_ms = 20000;
    return sanitize::make_default_engine(policy);
  }();
  if (size == 0) return 0;
  const std::string_view name = kNames[data[0] % kNames.size()];
  const auto result = engine->sanitize({data + 1, size - 1}, name);
  if (result.verdict == sanitize::Verdict::blocked && !result.output.empty()) __builtin_trap();
  return 0;
}
