// libFuzzer target: the whole ODF module (package walk, manifest, every XML part) through
// the engine, over arbitrary bytes; the generated ODF corpus is the seed. Inputs that are no
// zip also go in as content.xml of a small package, so that the XML rules see them too.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "formats/odf/odf_builder.hpp"
#include "formats/odf/odf_format.hpp"
#include "formats/zip/zip_format.hpp"
#include "sanitize/engine.hpp"

namespace {

const sanitize::Engine& engine() {
  static const sanitize::Engine instance(
      sanitize::Policy::from_toml("[formats.odf]\nhyperlinks = \"text\"\nmetadata = \"scrub\"\n"),
      {&sanitize::formats::odf_format(), &sanitize::formats::zip_format()});
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  engine().sanitize(std::span(data, size), "fuzz.odt");
  if (size < 4 || data[0] != 'P' || data[1] != 'K') {
    sanitize::formats::odf::testing::Package package(sanitize::formats::odf::testing::kText);
    package.add("content.xml", std::string(reinterpret_cast<const char*>(data), size));
    const std::string bytes = package.build();
    engine().sanitize({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()},
                      "fuzz.odt");
  }
  return 0;
}
