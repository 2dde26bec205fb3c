// libFuzzer target: the PDF module alone, in both modes, over arbitrary bytes. The first
// byte picks the mode; rasterize runs at a low resolution on one thread.
#include <sanitizer/lsan_interface.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

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

const sanitize::Engine& rebuild() {
  static const auto engine = engine_for("embedded_files = \"sanitize\"\n");
  return *engine;
}

const sanitize::Engine& rasterize() {
  static const auto engine = engine_for("mode = \"rasterize\"\ndpi = 36\nrender_threads = 1\n");
  return *engine;
}

}  // namespace

// fontconfig never frees the configuration poppler has it load for the first font: load it
// here, outside leak detection, so that no input is charged with it.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  constexpr std::string_view kPage =
      "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
      "/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 50 50]/Resources<</Font"
      "<</F<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>>>>>/Contents 4 0 R>>endobj 4 0 obj"
      "<</Length 23>>stream\nBT /F 9 Tf (a) Tj ET\nendstream endobj trailer<</Root 1 0 R>>\n";
  __lsan_disable();
  rasterize().sanitize({reinterpret_cast<const std::uint8_t*>(kPage.data()), kPage.size()},
                       "warm-up.pdf");
  __lsan_enable();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const sanitize::Engine& engine = (data[0] & 1) != 0 ? rasterize() : rebuild();
  const auto result = engine.sanitize({data + 1, size - 1}, "fuzz.pdf");
  if (result.verdict == sanitize::Verdict::blocked && !result.output.empty()) __builtin_trap();
  return 0;
}
