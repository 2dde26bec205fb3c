// libFuzzer target: the PDF module alone, in both modes, over arbitrary bytes. The first
// byte picks the mode; rasterize runs at a low resolution on one thread.
#include <cstddef>
#include <cstdint>

#include "formats/pdf/pdf_format.hpp"
#include "sanitize/engine.hpp"

namespace {

std::unique_ptr<sanitize::Engine> engine_for(std::string_view options) {
  sanitize::Policy policy = sanitize::Policy::from_toml(
      "[limits]\nmax_expanded_bytes = 67108864\ndeadline_ms = 20000\n[formats.pdf]\n" +
      std::string(options));
  return std::make_unique<sanitize::Engine>(
      policy, sanitize::FormatTable{&sanitize::formats::pdf_format()});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto rebuild = engine_for("embedded_files = \"sanitize\"\n");
  static const auto rasterize = engine_for("mode = \"rasterize\"\ndpi = 36\nrender_threads = 1\n");
  if (size == 0) return 0;
  const auto& engine = (data[0] & 1) != 0 ? rasterize : rebuild;
  const auto result = engine->sanitize({data + 1, size - 1}, "fuzz.pdf");
  if (result.verdict == sanitize::Verdict::blocked && !result.output.empty()) __builtin_trap();
  return 0;
}
